"""Table lookups that name their table or sub-unit in words of their own, on disclosures of ../shared/wild and
../shared/real (skipped with a reason when absent). Every expected value was read off the PDF page named.

    无锡市社会保险基金管理中心…占无锡市人力资源和社会保障局部门收入合计 → a row of 公开02表, not an unknown publisher
    …（项）的财政拨款支出 → 公开05表《财政拨款支出表（功能科目）》, not the 支出总表 of every fund
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import answered, ingested, real_pdf, wild_pdfs

pytestmark = pytest.mark.real

FILES = ("014_无锡__人力资源和社会保障局_2026年部门预算.pdf", "001_上海__2026年上海市统计局_部门预算.pdf",
         "006_苏州__生态环境局_2026年部门预算.pdf")
PUTUO_FINAL = "putuo_finance_bureau_2024_dept_final_account.pdf"  # 表三/表五 print 合计, no 决算数 column


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, [*wild_pdfs(*FILES), real_pdf(PUTUO_FINAL)], "table_lookups_wild").engine


def test_a_sub_unit_row_is_read_when_its_department_is_named_after_it(engine):
    """公开02表 p18: "309005 无锡市社会保险基金管理中心 118,788.13" of 合计 154,121.76 → 77.07%."""
    value, unit, text = answered(engine, "无锡市社会保险基金管理中心2026年收入占无锡市人力资源和社会保障局部门收入合计的比重是多少")
    assert (value, unit) == (Decimal("77.07"), "%") and "118,788.13万元 ÷ 154,121.76万元" in text


def test_a_sub_units_row_and_a_total_named_after_it_is_that_rows_total(engine):
    """公开02表 p18 "309005 无锡市社会保险基金管理中心 118,788.13": its 本年收入, not the department's 154,121.76."""
    value, unit, text = answered(engine, "无锡市人社局2026年无锡市社会保险基金管理中心本年收入多少")
    assert (value, unit) == (Decimal("118788.13"), "万元") and "309005" in text


def test_a_sub_unit_not_printed_by_the_department_named_is_still_refused(engine):
    answer = engine.ask("无锡市土地储备中心2026年收入占无锡市人力资源和社会保障局部门收入合计的比重是多少")
    assert answer.status == "refused" and answer.value is None


def test_spending_paid_from_财政拨款_is_read_from_the_财政拨款_table(engine):
    """公开05表 p25 "20899 其他社会保障和就业支出 8,442.55"; the 支出总表 (every fund) prints 9,978.55."""
    value, unit, text = answered(engine, "无锡市人社局2026年其他社会保障和就业支出（项）的财政拨款支出是多少")
    assert (value, unit) == (Decimal("8442.55"), "万元") and "财政拨款支出表（功能科目）" in text
    value, _, text = answered(engine, "无锡市人社局2026年用财政拨款安排的其他社会保障和就业支出（项）是多少")
    assert value == Decimal("8442.55")


def test_a_fund_beside_a_column_names_the_table_whose_total_is_read(engine):
    """表8 p18 《2026年预算单位一般公共预算基本支出部门预算经济分类预算表》 合计: 人员经费 14,590,807 元."""
    value, unit, text = answered(engine, "上海市统计和大数据研究院2026年一般公共预算基本支出中人员经费是多少万元？")
    assert (value, unit) == (Decimal("1459.0807"), "万元") and "表8" in text and "“合计”行" in text


def test_an_item_listed_with_columns_of_its_table_adds_them_up(engine):
    """公开09表 p21 合计: “三公”经费合计 20.00, 会议费 15.26, 培训费 28.60."""
    value, unit, text = answered(engine, "苏州市生态环境局2026年“三公”经费、会议费和培训费三项合计多少万元")
    assert (value, unit) == (Decimal("63.86"), "万元") and "20.00万元 + 15.26万元 + 28.60万元" in text


def test_a_column_of_the_table_read_is_not_said_by_the_tables_title(engine):
    """The title 《一般公共预算三公经费、会议费、培训费支出表》 names 会议费, yet its 三公 total (20.00) is no answer to
    "三公经费中的会议费" (it was answered so)."""
    answer = engine.ask("苏州市生态环境局2026年三公经费中的会议费是多少")
    assert answer.value is None or Decimal(answer.value) != Decimal("20.00"), answer.answer


def test_a_rows_决算数_in_a_决算_is_its_whole_amount(engine):
    """表三 p10 / 表五 p15 "2010601 行政运行 1,511.89": every figure of a 决算's table is a 决算数."""
    value, unit, _ = answered(engine, "财政局行政运行决算数")
    assert (value, unit) == (Decimal("1511.89"), "万元")
    # No row named: a 决算数 column is still looked for as printed (表四 收入/决算数), never a table's 合计.
    value, _, text = answered(engine, "普陀区财政局2024年财政拨款收入决算数")
    assert value == Decimal("2940.05") and "“收入/决算数”列" in text
