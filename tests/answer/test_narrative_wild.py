"""Figures only the narrative states, on disclosures of ../shared/wild (skipped with a reason when absent):
changes stated next to a 科目's amount, a figure the text states twice, and the questions that ask for them.

Every expected value was read off the PDF page named beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import ingested, wild_pdfs

pytestmark = pytest.mark.real

SUZHOU_EMERGENCY = "006_苏州__2026年苏州市应急管理局部门预算.pdf"
SUZHOU_SCIENCE = "006_苏州__2026年苏州市科技创新局部门预算.pdf"
CHONGQING_WEATHER = "004_重庆__2026年重庆市气象局部门预算.pdf"
CHONGQING_COMMERCE = "004_重庆__2026年重庆市商务委员会部门预算.pdf"
WUXI_WATER = "014_无锡__水务局_2026年部门预算.pdf"
FILES = (SUZHOU_EMERGENCY, SUZHOU_SCIENCE, CHONGQING_WEATHER, CHONGQING_COMMERCE, WUXI_WATER)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs(*FILES), "narrative_wild").engine


@pytest.mark.parametrize("question, value, unit, page", [
    # p28: "2.住房改革支出（款）提租补贴（项）支出258万元，与上年 / 相比增加173.22万元，增长204.32%" — the line
    # ending in 与上年 is read as a heading, the change sits in the paragraph under it.
    ("苏州市应急管理局2026年提租补贴比上年增长百分之几", "204.32", "%", 28),
    # p28: the 科目 is named only right before its figure ("…购房补贴（项）支出511.63万元，与上年相比减少139.64万元").
    ("苏州市应急管理局2026年购房补贴比上年减少多少万元", "139.64", "万元", 28),
    # p32: 收入预算 is stated twice; the change only next to "收入、支出预算总计186,241万元".
    ("苏州市科学技术局2026年收入预算比上年减少百分之几", "48.92", "%", 32),
    # p37: "8.科技条件与服务（款）技术创新服务体系（项）支出 16,800 / 万元，与上年相比增加 2,345 万元，增长
    # 16.22%" — wrapped between the number and its unit, the numbered line is no heading (reader, blocks-2).
    ("苏州市科技局2026年技术创新服务体系支出比上年增长百分之几", "16.22", "%", 37),
    # p2: "其中:基本支出5,445.39万元,…,比2025年增加994.5万元" — 一般 (a column some table prints) is no
    # column inside 一般公共预算.
    ("重庆市气象局2026年一般公共预算基本支出比2025年增加了多少万元？", "994.5", "万元", 2),
    # p4: "…政府性基金预算支出41,534.73万元,主要用于…,比2025年减少80,165.27万元" — the fund's own 支出, not the
    # department's 支出预算 that 预算支出 would name.
    ("重庆市商务委2026年政府性基金预算支出比上年减少多少万元？", "80165.27", "万元", 4),
])
def test_change_stated_next_to_the_figure(engine, question, value, unit, page):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), unit)
    assert page in [c.page for c in answer.citations]


def test_previous_year_worked_out_from_a_change_stated_against_last_year(engine):
    # p24: "（1）一般公共预算拨款收入7,062.8万元，与上年相比减少913.48万元" — 上年 of a 2026 disclosure is 2025.
    answer = engine.ask("苏州市应急管理局2025年一般公共预算拨款收入是多少万元（按2026年预算说明推算）")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("7976.28"), "万元")
    assert "7,062.8万元 + 913.48万元" in answer.answer


def test_a_funds_both_sides_total_written_with_a_pause_mark(engine):
    # p34: "无锡市水利局2026年度财政拨款收、支总预算64,092.25万元。与上年相比，财政拨款收、支总计各减少2,087.49万元" —
    # 收、支 is one word (read as the measure "支总预算"), and the fund's total is not the department's 87,404.9
    # (p30, which states an increase). p30's 一般公共预算拨款收入 64,092.25 "增加9,435.51万元" is another measure.
    answer = engine.ask("无锡市水利局2025年财政拨款收支总预算是多少万元（根据2026年预算说明推算）")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("66179.74"), "万元"), answer.answer
    assert {c.page for c in answer.citations} == {34}


def test_a_change_against_the_initial_budget_is_not_last_year():
    from qa.figures.years import _against_year

    assert _against_year("三公经费支出预算43.8万元，比上年预算减少20.78万元", 2025, 2026)
    assert not _against_year("三公经费支出预算43.8万元，比上年预算减少20.78万元", 2024, 2026)
    assert not _against_year("支出决算1,512万元，比年初预算减少48.16万元", 2023, 2024)


@pytest.mark.parametrize("question, value", [
    # 表二 p7 合计 row, columns 政府性基金预算拨款收入 579.89 / 一般公共预算拨款收入 12,672.73 (read since baselines-2;
    # 表一 p6 prints them as "二、政府性基金预算资金", "一、一般公共预算资金"); was refused as "拨款收入" unbound.
    ("重庆市气象局2026年政府性基金预算拨款收入是多少万元？", "579.89"),
    ("重庆市气象局2026年一般公共预算拨款收入是多少万元？", "12672.73"),
])
def test_a_funds_appropriation_income(engine, question, value):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "万元")
    assert [(c.page, c.table) for c in answer.citations][:1] == [(7, "表二")]
