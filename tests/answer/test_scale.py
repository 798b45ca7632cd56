"""What grows with the corpus: a question reads the documents it is about, not every document.

A store of many disclosures (typed documents, ``tests.answer.synthetic``) whose reads are recorded:
the first answer of a new engine reads only the scoped document; "哪个部门三公经费最高" over every
department reads their 三公 tables by SQL, never a whole document, and ranks them as reading each
document whole does; a question about one department's year reads that year's documents (and the year
before, for a change), not the department's every year. A new process answering a figure question from a data dir with a retrieval index
never imports Chroma or llama-index.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import qa.answer.numeric.answers as numeric_answers
from index.core.settings import LLMSettings, Settings
from index.read.narrative import extract_narrative_facts
from index.store.facts import FactsStore
from qa.answer.engine import AnswerEngine
from qa.answer.llm import ChatModel
from tests.answer.synthetic import disclosure, table

ROOT = Path(__file__).resolve().parents[2]
UNITS = ["财政局", "审计局", "司法局", "民政局", "统计局", "体育局", "档案馆", "商务局", "教育局", "水务局"]
DEPARTMENTS = 30  # more than a "few" documents (vocabulary.FORMS_SCOPE): the wide path is taken


class RecordingStore(FactsStore):
    """The real SQLite store, recording which documents each read touched."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.reads: dict[str, set[str]] = defaultdict(set)  # method → doc_ids
        self.wheres: list[str] = []

    def document_model(self, doc_id):
        self.reads["document_model"].add(doc_id)
        return super().document_model(doc_id)

    def facts(self, doc_ids=None, where="", params=()):
        self.reads["facts"] |= set(doc_ids) if doc_ids is not None else {"*every document*"}
        self.wheres.append(where)
        return super().facts(doc_ids, where, params)

    def narrative_facts(self, doc_ids=None):
        self.reads["narrative_facts"] |= set(doc_ids) if doc_ids is not None else {"*every document*"}
        return super().narrative_facts(doc_ids)

    def fact_names(self, doc_id):
        self.reads["fact_names"].add(doc_id)
        return super().fact_names(doc_id)

    def touched(self) -> set[str]:
        return set().union(*self.reads.values()) if self.reads else set()


def department(i: int) -> str:
    return f"某市{['东城', '西城', '南城'][i // len(UNITS)]}区{UNITS[i % len(UNITS)]}"


def sangong(i: int) -> str:
    """Each department's 三公经费 total, all different; department 17's is the highest."""
    return f"{(i * 37) % DEPARTMENTS + (100 if i == 17 else 10)}.50"


@pytest.fixture(scope="module")
def many_disclosures(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("many") / "data"
    store = FactsStore(Settings(data_dir=data_dir).db_path)
    for i in range(DEPARTMENTS):
        spending = table("2026年部门支出总表", [(None, None, "900.00", "600.00", "300.00"),
                                             ("行政运行", "2010101", f"{100 + i}.00", f"{100 + i}.00", "0.00")])
        three = table("2026年“三公”经费支出预算表", [(None, None, sangong(i), sangong(i), "0.00")], label="表9")
        doc_id, document = disclosure(f"d-{i:02d}", department(i), "某市", 2026, [], [spending, three],
                                      [f"2026年“三公”经费预算{sangong(i)}万元。"])
        store.add_pending(doc_id, document, data_dir / document.file_name,
                          extract_narrative_facts(document.blocks, document.identity.year))
        store.promote(doc_id)
    return data_dir


def engine_over(data_dir: Path) -> tuple[AnswerEngine, RecordingStore]:
    settings = Settings(data_dir=data_dir, llm=LLMSettings())
    store = RecordingStore(settings.db_path)
    return AnswerEngine(settings, store, None, ChatModel(settings.llm)), store


def test_first_answer_reads_only_the_document_asked_about(many_disclosures):
    engine, store = engine_over(many_disclosures)
    answer = engine.ask(f"{department(5)}2026年行政运行是多少")
    assert answer.status == "answered" and answer.value == "105.00", answer.answer
    assert store.touched() == {"d-05"}, dict(store.reads)


def test_which_department_spends_most_reads_tables_by_sql_not_documents(many_disclosures, monkeypatch):
    engine, store = engine_over(many_disclosures)
    answer = engine.ask("2026年哪个部门三公经费最高")
    assert answer.status == "answered", answer.answer
    assert answer.value == sangong(17) and answer.answer.startswith(f"最多的是{department(17)}2026年"), answer.answer
    assert not store.reads["document_model"], "no document is read whole"
    assert not store.reads["fact_names"], "the names matched come from the name table, not each document's facts"
    assert all("table_index IN" in w or "LIKE" in w for w in store.wheres if w), store.wheres
    assert not any(w == "" for w in store.wheres), "no document's every fact is read"

    # The same ranking as reading every document whole (what a question about a few departments does).
    monkeypatch.setattr(numeric_answers, "WIDE", 10_000)
    whole, store = engine_over(many_disclosures)
    same = whole.ask("2026年哪个部门三公经费最高")
    assert store.reads["document_model"], "the comparison path was the whole-document one"
    assert (same.value, same.answer) == (answer.value, answer.answer)


@pytest.mark.parametrize("question", ["2026年哪个部门三公经费最高", "2026年哪个部门行政运行最少", "某市2026年行政运行合计多少"])
def test_the_name_table_reads_a_wide_question_as_each_documents_names_do(many_disclosures, question):
    """The same parse and answer from the stored name table as from every document's names merged."""
    from qa.understand.parse import parse_question

    engine, store = engine_over(many_disclosures)
    answer = engine.ask(question)
    merged, merged_store = engine_over(many_disclosures)
    merged.vocab._names = None  # no name table: each document's names read and merged
    again = merged.ask(question)
    assert merged_store.reads["fact_names"] and not store.reads["fact_names"]
    assert (again.status, again.value, again.answer) == (answer.status, answer.value, answer.answer)
    ours, theirs = parse_question(question, engine.vocab), parse_question(question, merged.vocab)
    assert ours.model_dump() == theirs.model_dump()


def test_a_wide_row_comparison_reads_only_tables_with_that_row(many_disclosures):
    engine, store = engine_over(many_disclosures)
    answer = engine.ask("2026年哪个部门行政运行最少")
    assert answer.status == "answered" and answer.value == "100.00", answer.answer
    assert answer.answer.startswith(f"最少的是{department(0)}2026年"), answer.answer
    assert not store.reads["document_model"]


YEARS = range(2019, 2027)
OFFICE = "某市北城区审计局"


@pytest.fixture(scope="module")
def one_department_many_years(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("years") / "data"
    store = FactsStore(Settings(data_dir=data_dir).db_path)
    for year in YEARS:
        spending = table(f"{year}年部门支出总表", [(None, None, "900.00", "600.00", "300.00"),
                                                ("行政运行", "2010101", f"{year - 1900}.00", f"{year - 1900}.00", "0.00")])
        doc_id, document = disclosure(f"y-{year}", OFFICE, "某市", year, [], [spending])
        store.add_pending(doc_id, document, data_dir / document.file_name, [])
        store.promote(doc_id)
    return data_dir


@pytest.mark.parametrize(("question", "value", "read"), [
    (f"{OFFICE}2023年行政运行是多少", "123.00", {"y-2023", "y-2022"}),
    (f"{OFFICE}行政运行是多少", "126.00", {"y-2026", "y-2025"}),  # no year: the latest
    (f"{OFFICE}2024年行政运行比上年增加多少", "1.00", {"y-2024", "y-2023"}),
    (f"{OFFICE}2018年行政运行是多少", None, {"y-2019", "y-2018"}),  # not indexed: the next year's, read as a column
])
def test_a_question_about_one_year_reads_that_years_documents(one_department_many_years, question, value, read):
    engine, store = engine_over(one_department_many_years)
    answer = engine.ask(question)
    assert answer.value == value, answer.answer
    assert store.touched() <= read, dict(store.reads)


def test_a_follow_up_reads_the_year_it_carries_on(one_department_many_years):
    engine, store = engine_over(one_department_many_years)
    first, parsed = engine.ask_turn(f"{OFFICE}2021年行政运行是多少")
    assert first.value == "121.00", first.answer
    store.reads.clear()
    again = engine.ask("那2020年呢？", context=parsed)
    assert again.value == "120.00", again.answer
    assert store.touched() <= {"y-2020", "y-2019"}, dict(store.reads)


def test_a_figure_question_in_a_new_process_imports_no_retrieval(sample_data_dir):
    """Start-up to the first figure answer pays for neither Chroma, llama-index nor the BM25 leg."""
    script = (
        "import json, sys\n"
        "from qa.cli.main import main\n"
        "code = main(['ask', '外办2020年住房公积金安排了多少钱', '--json'])\n"
        "print(json.dumps({m: m in sys.modules for m in ('chromadb', 'llama_index.core', 'openai', 'jieba')}))\n"
    )
    env = {**os.environ, "BUDGET_QA_DATA_DIR": str(sample_data_dir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    answer_line, modules_line = done.stdout.strip().splitlines()[-2:]
    assert json.loads(answer_line)["value"] == "363276.72"
    assert json.loads(modules_line) == {"chromadb": False, "llama_index.core": False, "openai": False, "jieba": False}
