"""Figures only a sentence states, asked by the words of that sentence, on disclosures of ../shared/wild
(skipped with a reason when absent): a project's budget under its run-in title, a measure qualified by its
funding source, a measure written with a particle. Every expected value was read off the PDF page named.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import ingested, wild_pdfs

pytestmark = pytest.mark.real

FILES = ("002_北京__2026年北京市交通委员会部门预算.pdf", "004_重庆__2026年重庆市委宣传部部门预算.pdf",
         "005_广州__2026年广州市人民政府办公厅部门预算.pdf", "001_上海__2026年上海市交通运输局_部门预算.pdf")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs(*FILES), "stated_terms_wild").engine


@pytest.mark.parametrize("question, value, page", [
    # p10: "四环主路维修专项工程：根据…。本项目计划安排年初预算21384.60万元，…" — the project's run-in title,
    # then its budget line under a measure ("本项目计划") that does not name it.
    ("北京市交通委员会2026年度部门预算中，四环主路维修专项工程计划安排年初预算多少万元？", "21384.60", 10),
    # p4: "…主要原因是新增了科技影视产业奖补资金1000万元、压减…190万元…"
    ("中共重庆市委宣传部2026年新增科技影视产业奖补资金多少万元？", "1000", 4),
    # p26: "2026年本部门一般公共预算安排委托业务费169.88万元，比上年减少331.33万元"
    ("广州市人民政府办公厅2026年一般公共预算安排委托业务费多少万元？", "169.88", 26),
    # p26: "截至2026年1月31日，本部门固定资产金额91,973.02万元" — the bracket names the document, not a 预算 column.
    ("截至2026年1月31日，广州市人民政府办公厅固定资产金额是多少万元？（2026年部门预算）", "91973.02", 26),
    # p9-10: "项目名称：城市道路挖掘修复费 …（收费标准表）… 收入预计：15000 万元。" — the subject, then its measure.
    ("北京市交通委员会2026年城市道路挖掘修复费收入预计多少万元？", "15000", 10),
])
def test_figure_stated_in_a_sentence(engine, question, value, page):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "万元")
    assert [c.page for c in answer.citations][:1] == [page]


def test_a_note_on_how_to_compute_names_nothing_asked(engine):
    # 表3 p11 项目支出 72,385,470元 of 支出总计 408,696,000元 (表1 p7 prints the same total).
    answer = engine.ask("上海交通职业技术学院2026年单位预算中，项目支出占支出总计的比例是多少？（按支出预算总表合计行计算）")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("17.71"), "%")
    assert "72,385,470元 ÷ 408,696,000元" in answer.answer


def test_two_columns_added_up(engine):
    # 表3 p11 合计 row: 基本支出 336,310,530元, 项目支出 72,385,470元 (their 合计 408,696,000元).
    answer = engine.ask("上海交通职业技术学院2026年基本支出与项目支出之和是多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("408696000"), "元")
    assert answer.formula and "336,310,530元 + 72,385,470元" in answer.formula


def test_a_row_printed_only_under_the_carry_over_is_read_as_the_years_column_of_that_name(engine):
    """重庆 宣传部 表四 p15 prints "（二）政府性基金预算拨款 1,036.60" only under 二、上年结转 (the year's own line is
    "（二）政府性基金预算资金 3,030.00"); 表二 p9 合计 prints 政府性基金预算拨款收入 4,066.60, the year's whole."""
    answer = engine.ask("中共重庆市委宣传部2026年政府性基金预算拨款是多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("4066.60"), "万元")
    assert "表二" in answer.answer and "“政府性基金预算拨款收入”列" in answer.answer
