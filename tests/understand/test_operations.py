"""Registered question operations, on a synthetic vocabulary and a one-table synthetic store (no PDF).

Every registered operation is parsed from its own examples, and an operation registered here, with
its answerer, is parsed, routed and answered without any change to the engine.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from index.core.model import Cell, Document, Identity, Page, Row, Table
from index.core.settings import LLMSettings, Settings
from index.store.facts import DocumentRecord, FactsStore
from qa.answer.engine import AnswerEngine
from qa.answer.llm import ChatModel
from qa.answer.numeric import ANSWERERS, Asked, OperationAnswerer
from qa.contract import Answer
from qa.figures.calculate import plain
from qa.understand.operations import LOOKUP, OPERATIONS, PROSE, Cue, Operation
from qa.understand.parse import parse_question
from qa.understand.vocabulary import Vocabulary

WAIBAN = ("d-waiban", "北京市西城区人民政府外事办公室", ["外办", "区政府外办"])
ZFB = ("d-zfb", "北京市西城区人民政府办公室", ["政府办", "区政府办"])
ROWS = ("住房公积金", "购房补贴", "行政运行")


def record(doc_id: str, department: str, aliases: list[str]) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, file_name=f"{doc_id}.pdf", sha256=doc_id, stored_path="", status="ready", department=department,
        short_name=aliases[-1], aliases=aliases, region="北京市西城区", year=2020, kind="部门预算", group_name=None,
        pages=1, n_tables=1, n_facts=0, n_narrative=0, warnings=[], ingested_at="",
    )


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    vocab = Vocabulary()
    for doc_id, department, aliases in (WAIBAN, ZFB):
        vocab.add_document(record(doc_id, department, aliases))
        for name in ROWS:
            for column in ("合计", "基本支出", "项目支出"):
                vocab.add_fact_names(doc_id, name, None, column, {})
    return vocab


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_each_operation_is_parsed_from_its_examples(vocab, name):
    operation = OPERATIONS[name]
    assert operation.examples, f"{name} has no example question"
    for question in operation.examples:
        assert parse_question(question, vocab).operation == name, question


def test_rows_are_complete():
    for operation in OPERATIONS.values():
        assert operation.label and re.search(r"[\u4e00-\u9fff]", operation.label)
        assert operation.cues or operation.name == LOOKUP  # lookup is what a question asking no operation gets
    assert not OPERATIONS[PROSE].numeric and OPERATIONS[LOOKUP].numeric


def test_a_count_question_is_not_prose(vocab):
    # 内设机构 asks for prose, unless 几/多少 asks for the number
    assert parse_question("区政府外办有哪些内设机构？", vocab).operation == PROSE
    assert parse_question("区政府外办有几个内设机构？", vocab).operation == LOOKUP


def test_a_bound_asked_is_no_change(vocab):
    # 至少/至多 bound a target ("至少召开多少场"); 少多少 / 多多少 alone ask a change
    assert parse_question("外办绩效目标要求召开会议至少多少场", vocab).operation == LOOKUP
    assert parse_question("外办绩效目标至多几次", vocab).operation == LOOKUP
    assert parse_question("外办收入预算比2019年少多少", vocab).operation == "change"



def test_合计_at_the_end_adds_up_and_分别_asks_each(vocab):
    # "外办和政府办三公经费合计" was answered with 外办's figure first (a lookup listing both)
    assert parse_question("外办和政府办2020年住房公积金合计", vocab).operation == "sum"
    assert parse_question("外办2020年住房公积金和购房补贴合计", vocab).operation == "sum"
    assert parse_question("外办2020年住房公积金和购房补贴合计分别是多少", vocab).operation == LOOKUP
    assert parse_question("外办和政府办2020年住房公积金合计分别是多少", vocab).operation == LOOKUP
    # 差 of 差旅费 is no 相差: the word left unread is 差旅费, as the refusal then says
    assert "差旅费" in parse_question("外办2020年差旅费和住房公积金合计", vocab).unbound


# --- an operation added from outside: one row, one answerer --------------------------------------

DOUBLE = Operation("double", "翻倍", cues=(Cue(re.compile(r"翻一倍|翻倍")),), rank=5, examples=("外办行政运行翻倍是多少",))


class DoubleAnswerer(OperationAnswerer):
    operation = "double"

    def answer(self, asked: Asked) -> Answer:
        d = asked.selection.disclosures[0]
        located = self.find(d, asked.query)
        value = located.primary.value * 2
        return Answer(question=asked.text, status="answered", answer=f"{located.item_label}翻倍为{value}。",
                      value=plain(value), unit=located.primary.unit, method="calculation", citations=located.citations)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(OPERATIONS, DOUBLE.name, DOUBLE)
    monkeypatch.setitem(ANSWERERS, DoubleAnswerer.operation, DoubleAnswerer)


def synthetic_document(department: str, aliases: list[str]) -> Document:
    def row(name: str | None, code: str | None, values: tuple[str, str], total: bool = False) -> Row:
        cells = [Cell(text=v, value=Decimal(v), page=1) for v in values]
        return Row(code=code, name=name, is_total=total, cells=cells, page=1)

    table = Table(label="表3", title="2020年部门支出总表", unit="元", pages=[1], bbox=(0, 0, 100, 100),
                  columns=["合计", "基本支出"], rows=[
                      row(None, None, ("300.00", "250.00"), total=True),
                      row("行政运行", "2010301", ("100.00", "100.00")),
                      row("住房公积金", "2210201", ("200.00", "150.00")),
                  ])
    identity = Identity(department=department, short_name=aliases[-1], aliases=aliases, region="北京市西城区", year=2020,
                        kind="部门预算")
    page = Page(number=1, width=595, height=842, text="2020年部门支出总表 行政运行 100.00")
    return Document(file_name="synthetic-2020.pdf", sha256="0" * 64, identity=identity, pages=[page], blocks=[],
                    tables=[table])


@pytest.fixture
def engine(tmp_path: Path) -> AnswerEngine:
    settings = Settings(data_dir=tmp_path / "data")
    store = FactsStore(settings.db_path)
    _, department, aliases = WAIBAN
    store.add_pending("synthetic", synthetic_document(department, aliases), tmp_path / "synthetic-2020.pdf", [])
    store.promote("synthetic")
    return AnswerEngine(settings, store, None, ChatModel(LLMSettings()))


def test_a_registered_operation_is_parsed_routed_and_answered(registered, engine):
    answer, parsed = engine.ask_turn("外办行政运行翻倍是多少")
    assert parsed is not None and parsed.operation == "double"
    assert answer.status == "answered" and (answer.value, answer.unit) == ("200.00", "元"), answer.answer
    assert answer.citations[0].table == "表3" and "运算=翻倍" in (answer.interpretation or "")


def test_the_synthetic_store_answers_the_built_in_operations(engine):
    assert engine.ask("外办行政运行是多少").value == "100.00"
    share = engine.ask("外办行政运行占总支出的百分比")
    assert (share.value, share.unit, share.method) == ("33.33", "%", "calculation"), share.answer
    total = engine.ask("外办行政运行和住房公积金合计多少")
    assert total.value == "300.00" and "行政运行 + 住房公积金" in (total.formula or ""), total.answer


def test_an_operation_without_an_answerer_is_refused_plainly(monkeypatch, engine):
    monkeypatch.setitem(OPERATIONS, DOUBLE.name, DOUBLE)
    answer = engine.ask("外办行政运行翻倍是多少")
    assert answer.status == "refused" and "翻倍" in answer.answer


def test_a_fund_named_before_its_spending_or_a_column_is_no_column_of_its_own():
    """A 财政拨款收支总表 read right prints 支出/政府性基金预算 and 支出/一般公共预算: those names become columns, and
    "政府性基金预算支出比上年减少多少" read the fund as a column and 支出 as the total (重庆商务委, was answered
    from the text before the table was read). The fund qualifies the measure or column after it."""
    vocab = Vocabulary()
    vocab.add_document(record(*WAIBAN))
    for column in ("支出/政府性基金预算", "支出/一般公共预算", "基本支出", "财政拨款"):
        vocab.add_fact_names("d-waiban", "行政运行", None, column, {})
    spending = parse_question("外办政府性基金预算支出比上年减少多少万元？", vocab)
    assert [(i.kind, i.name) for i in spending.items] == [("term", "政府性基金预算支出")] and spending.column is None
    basic = parse_question("外办一般公共预算基本支出比2019年增加了多少万元？", vocab)
    assert basic.columns == [("基本支出", 8)] and basic.column == "基本支出"
    three = parse_question("外办财政拨款三公经费是多少万元", vocab)  # 三公 tables print 财政拨款 as a column
    assert three.column == "财政拨款"
    vocab.add_fact_names("d-waiban", "一般公共预算", None, "合计", {})  # a row too: with 基本支出 it names a table
    assert parse_question("外办一般公共预算基本支出是多少万元？", vocab).items[0].name == "一般公共预算"
