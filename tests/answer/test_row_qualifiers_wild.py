"""A row's qualifiers read with it, on disclosures of ../shared/wild (skipped with a reason when absent): each case
was a wrong figure of the cell check (eval/cells_check.py). Every expected value was read off the PDF page named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import answered, ingested, wild_pdfs

pytestmark = pytest.mark.real

FILES = ("025_烟台__2026年烟台市交通运输局部门预算.pdf", "025_烟台__2026年烟台市自然资源和规划局部门预算.pdf",
         "004_重庆__2026年重庆市气象局部门预算.pdf")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs(*FILES), "row_qualifiers_wild").engine


def test_财政拨款_after_a_row_is_its_fund_column(engine):
    """公开表11 p30 "12328电话运行维护费 | 合计 10.00 | 财政拨款/小计 9.95": 10.00 was answered."""
    value, unit, text = answered(engine, "烟台市交通运输局2026年12328电话运行维护费项目支出财政拨款多少")
    assert (value, unit) == (Decimal("9.95"), "万元") and "财政拨款/小计" in text
    value, _, _ = answered(engine, "烟台市交通运输局2026年《项目支出预算情况表》中12328电话运行维护费的财政拨款是多少？")
    assert value == Decimal("9.95")


def test_a_rows_财政拨款支出_is_read_from_the_funds_table(engine):
    """表四《财政拨款收支总体情况表》p11 "(一)社会保障和就业支出 82.51"; 表三 (every fund) prints 120.17."""
    value, unit, text = answered(engine, "重庆市气象局2026年社会保障和就业支出财政拨款支出多少")
    assert (value, unit) == (Decimal("82.51"), "万元") and "财政拨款收支总体情况表" in text


def test_a_code_written_with_its_name_is_one_item(engine):
    """公开表6 p18 prints 30113住房公积金 twice (under 501 and 505: 129.26 + 2,067.11); the code and its name were
    two items added up (4,392.74)."""
    value, unit, _ = answered(engine, "烟台市交通运输局2026年30113住房公积金的基本支出")
    assert (value, unit) == (Decimal("2196.37"), "万元")


def test_a_rows_measure_is_its_line_of_the_measures_table(engine):
    """公开表12《政府采购预算表》p31 "2200107 自然资源社会公益服务 … 一般公共预算 119.46"; the 合计 9,907.13 was
    answered."""
    value, unit, text = answered(engine, "烟台市自然资源和规划局2026年2200107自然资源社会公益服务的政府采购一般公共预算")
    assert (value, unit) == (Decimal("119.46"), "万元") and "2200107" in text
    answer = engine.ask("烟台市自然资源和规划局2026年不动产登记的政府采购预算")
    assert answer.status == "refused" and answer.value is None and "不动产登记" in answer.answer
    value, _, _ = answered(engine, "烟台市自然资源和规划局2026年政府采购预算是多少")
    assert value == Decimal("9931.63")


@pytest.fixture(scope="module")
def shenzhen(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs("003_深圳__2026年深圳市司法局部门预算.pdf",
                                                "003_深圳__2026年深圳市住房和建设局部门预算.pdf"), "shenzhen_rows").engine


def test_a_class_and_a_project_of_one_name_are_not_guessed(shenzhen):
    """表3 p23 "2040607 公共法律服务 | 项目支出 134.45"; 项目支出总表 p28 prints a project 公共法律服务 of 3,493.83."""
    answer = shenzhen.ask("深圳市司法局2026年公共法律服务项目支出多少")
    assert answer.status == "refused" and "3,493.83" in answer.answer and "134.45" in answer.answer
    value, _, _ = answered(shenzhen, "深圳市司法局2026年2040607公共法律服务的项目支出")
    assert value == Decimal("134.45")


def test_a_joining_word_inside_the_publishers_name_lists_no_items(shenzhen):
    """"住房和建设局…城乡社区支出的2026年政府采购项目": 和 is the publisher's; the row and 政府采购 were answered
    as two items (26,569.97 and 15,944.76), neither the row's 政府采购 column (14,236.77)."""
    answer = shenzhen.ask("深圳市住房和建设局（本级）2026年212城乡社区支出的2026年政府采购项目")
    assert answer.status == "refused" and answer.value is None
