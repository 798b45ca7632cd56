"""A 决算's own figures stated beside its 预算, on disclosures of ../shared/wild and ../shared/real (skipped with a
reason when absent): the kind asked of a sentence stating both, the completion rate (决算 ÷ 预算), a total stated
for both sides, and a line's 年初预算 only its paragraph states. Every expected value was read off the page named.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.core.settings import Settings
from index.ingest import Ingestor
from qa.answer.engine import AnswerEngine
from qa.services import Services
from tests.conftest import WILD_DIR, ingested, real_pdf

pytestmark = pytest.mark.real
XIAN_HEALTH = WILD_DIR / "020_西安__卫生健康委员会_2026年部门预算.pdf"  # holds the 2022 决算 of the commission


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    if not XIAN_HEALTH.exists():
        pytest.skip(f"{XIAN_HEALTH} is absent: the wild disclosures are third-party files, not committed")
    data_dir = tmp_path_factory.mktemp("final_account_wild") / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest([XIAN_HEALTH])
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(Settings(data_dir=data_dir)).engine


@pytest.mark.parametrize("question, value", [
    ("西安市卫生健康委员会2022年度财政拨款“三公”经费支出决算是多少万元", "587.55"),
    # 预算 asked in a 决算: the 预算 figure, never the 决算 one next to it.
    ("西安市卫生健康委员会2022年度决算里“三公”经费的预算数（不是决算数）是多少", "593.46"),
])
def test_the_kind_asked_of_a_sentence_stating_both(engine, question, value):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "万元")
    assert [c.page for c in answer.citations][:1] == [21]


def test_the_decision_figure_of_a_fund_named_with_yusuan(engine):
    # p11: "一般公共预算财政拨款支出年初预算139,217.01万元，支出决算296,047.75万元" (公开05表 p154 合计 the same):
    # the 预算 of 一般公共预算 names the fund, not the figure's kind.
    answer = engine.ask("西安市卫生健康委员会2022年度一般公共预算财政拨款支出决算是多少")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("296047.75"), "万元")


def test_completion_of_the_budget_is_the_decision_over_its_own_budget(engine):
    # p11: "…年初预算139,217.01万元，支出决算296,047.75万元，完成年初预算的212.65%": above 100% is no misread share.
    answer = engine.ask("西安市卫生健康委员会2022年度一般公共预算财政拨款支出决算完成年初预算的百分之几")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("212.65"), "%")
    assert "296,047.75万元 ÷ 139,217.01万元" in answer.answer and 11 in {c.page for c in answer.citations}


def test_the_years_own_total_is_not_the_grand_total(engine):
    # p9: "收入总计、支出总计均为2,480,372.7万元" then "本年收入合计2,015,094.22万元": the latter leaves the
    # carry-over out, so it is never the 收入总计 (it was answered as such).
    answer = engine.ask("西安市卫生健康委员会2022年度收入总计是多少万元")
    assert answer.value != "2015094.22", answer.answer
    assert answer.status == "refused" or Decimal(answer.value) == Decimal("2480372.7"), answer.answer


def test_each_side_of_a_total_stated_once_for_both(engine):
    # p9: "2022年度收入总计、支出总计均为2,480,372.7万元" — read as one measure "支出总计均" before.
    answer = engine.ask("西安市卫生健康委员会2022年度部门决算收入总计是多少万元")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("2480372.7"), "万元")
    assert [c.page for c in answer.citations][:1] == [9]


@pytest.fixture(scope="module")
def finance(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, [real_pdf("putuo_finance_bureau_2024_dept_final_account.pdf")], "finance_real").engine


def test_a_lines_budget_stated_in_its_paragraph(finance):
    # p22: "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：…。年初预算为1560.05万元，支出决算为
    # 1511.89万元。" — the 决算's tables print what was spent; the 年初预算 only this paragraph states.
    answer = finance.ask("财政局行政运行年初预算是多少")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("1560.05"), "万元")
    assert [c.page for c in answer.citations][:1] == [22]


def test_completion_rate_stated_for_the_year(finance):
    # p21: "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。"
    answer = finance.ask("财政局一般公共预算财政拨款支出完成年初预算的百分之几")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("98.20"), "%")


@pytest.mark.parametrize("fixture, question, value, page", [
    # p22: "…行政运行（项）。…年初预算为1560.05万元，支出决算为1511.89万元。": the 决算 against its own 预算
    # (read as 2024 against 2023, it was refused).
    ("finance", "财政局行政运行决算比年初预算少多少", "48.16", 22),
    # p15: "…疾病预防控制机构（项）。年初预算10423.69万元，支出决算31,342.45万元": the sentence's own pair, not the
    # 支出决算表's 32,142.39 (every fund, where the sentence is 一般公共预算财政拨款 only).
    ("engine", "西安市卫健委2022年度疾病预防控制机构支出决算比年初预算多多少万元", "20918.76", 15),
])
def test_a_decision_against_its_own_budget(request, fixture, question, value, page):
    answer = request.getfixturevalue(fixture).ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "万元"), answer.answer
    assert page in {c.page for c in answer.citations}


@pytest.mark.parametrize("question", ["财政局2024年三公经费实际花了多少", "财政局2024年三公经费决算是多少"])
def test_spent_is_the_decision_the_text_states_when_the_tables_cell_is_blank(finance, question):
    # 表七 p18 prints only the 预算数 0.95 (its 决算数 cells are blank); p23: "“三公”经费财政拨款支出年初预算为0.95万元，
    # 支出决算为0.00万元": what was spent (实际花了 = 决算) is the text's 0.00, never the 预算数 beside it.
    answer = finance.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("0.00"), "万元"), answer.answer
    assert [c.page for c in answer.citations][:1] == [23]


def test_rows_named_under_a_column_numbering_header(engine):
    # 公开09表 p161: "项目 | 栏次 1…8" heads the rows "预算数 … 1.86 …" and "决算数 … 0.11 …"; the first column's
    # words name them (read as line numbers, both rows were nameless and the 预算数 was taken for the whole).
    answer = engine.ask("西安市卫健委2022年度公务接待费支出决算多少")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("0.11"), "万元")


def test_a_total_stated_for_income_and_spending_together(finance):
    # p21: "上海市普陀区财政局2024年度收入支出总计2995.39万元。" — each side's total (本年收入合计 2946.25 plus
    # 年初结转和结余 49.14); the year's own 本年收入合计 is never the answer.
    for question in ("上海市普陀区财政局2024年收入总计是多少？", "上海市普陀区财政局2024年支出总计是多少？"):
        answer = finance.ask(question)
        assert answer.status == "answered", answer.answer
        assert (Decimal(answer.value), answer.unit) == (Decimal("2995.39"), "万元"), answer.answer
        assert [c.page for c in answer.citations][:1] == [21]
