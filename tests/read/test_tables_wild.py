"""Tables of disclosures from ../shared/wild (skipped with a reason when the folder is absent): those the
reader reads wrong and says so, and 科目 codes printed in brackets or only in part.

    重庆市气象局 表二: a three-line header ("一般公共 / 预算拨款 / 收入") read into the 合计 row
    → Table.misread = '数值列中文字与数字连在一起（“收入12,672.73”），表头或列未能正确读出'
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from index.core.model import Document, Table
from index.read import parse_pdf
from index.read.misread import misread_reason
from tests.conftest import wild_pdfs

pytestmark = pytest.mark.real

CHONGQING_WEATHER = "004_重庆__2026年重庆市气象局部门预算.pdf"  # 表二's header is read into its body
CHONGQING_COMMERCE = "004_重庆__2026年重庆市商务委员会部门预算.pdf"  # 表四's figures a row off their names
GUANGZHOU_NDRC = "005_广州__2026年广州市发展和改革委员会部门预算.pdf"  # "[2010401]行政运行"
YANTAI_JUSTICE = "025_烟台__2026年烟台市司法局部门预算.pdf"  # 204 | 06 | 01 each on its own row
XIAN_WEATHER = "020_西安__气象局_2026年部门预算.pdf"  # 表5: names run into the 合计 column ("缴费支出43608.96")


@cache
def parsed(name: str) -> Document:
    return parse_pdf(wild_pdfs(name)[0])


def table(document: Document, label: str) -> Table:
    [found] = [t for t in document.tables if t.label == label]
    return found


def test_words_run_into_a_figure_flag_the_table_and_say_which():
    document = parsed(CHONGQING_WEATHER)
    income = table(document, "表二")
    assert income.misread is not None and "收入12,672.73" in income.misread
    assert table(document, "表一").misread is None  # the 收支总表 on the page before is read right
    assert [t.label for t in document.tables if t.misread] == ["表二", "表四"]


def test_a_blank_total_beside_an_unnamed_row_of_figures_flags_the_table():
    document = parsed(CHONGQING_COMMERCE)
    flagged = table(document, "表四")
    assert flagged.misread == "“收入合计”行空白而无名行印有数字，行与数字错位"
    assert [t.label for t in document.tables if t.misread] == ["表四"]


def test_a_correct_table_stays_unflagged_when_a_figure_is_planted_with_a_unit():
    """"12.00万元" in an amount column is a figure with its unit, not words run into it."""
    copy = parsed(CHONGQING_WEATHER).model_copy(deep=True)
    summary = table(copy, "表一")
    summary.rows[1].cells[0].text, summary.rows[1].cells[0].value = "12.00万元", None
    assert misread_reason(summary) is None
    summary.rows[1].cells[0].text = "资金12,672.73"
    assert misread_reason(summary) == "数值列中文字与数字连在一起（“资金12,672.73”），表头或列未能正确读出"


def test_a_code_printed_in_brackets_before_the_name_is_the_rows_code():
    document = parsed(GUANGZHOU_NDRC)
    spending = table(document, "表5")
    rows = {r.code: r for r in spending.rows if r.code}
    assert rows["2010401"].name == "行政运行" and rows["2010401"].parent_code == "20104"
    assert rows["2069999"].name == "其他科学技术支出" and rows["2069999"].level == 3
    assert rows["201"].name == "一般公共服务支出"


def test_a_row_printing_only_its_own_part_of_the_code_carries_the_parts_above_it():
    """烟台's 支出总体情况表 prints 204 under 类 on the 类's row, 06 under 款 on the 款's, 01 under 项 on the 项's."""
    document = parsed(YANTAI_JUSTICE)
    spending = table(document, "公开表3")
    codes = {(r.code, r.name) for r in spending.rows if r.code}
    assert {("204", "公共安全支出"), ("20406", "司法"), ("2040601", "行政运行"), ("20408", "强制隔离戒毒"),
            ("2040801", "行政运行")} <= codes
    assert not [c for c, _ in codes if len(c) < 3]  # no 款 or 项 left without its 类
    [detention] = [r for r in spending.rows if r.code == "2040801"]
    assert detention.parent_code == "20408" and detention.cells[0].text == "2,498.78"


def test_a_names_overflow_into_the_amount_beside_it_goes_back_to_the_name():
    """西安 表5 p22 prints "2080506 机关事业单位职业年金缴费支出43608.96": the name's end runs into 合计, which
    then read as a text column (合计 lost); the overflow is the name's, the amount 合计's."""
    spending = table(parsed(XIAN_WEATHER), "表5")
    assert spending.columns[0] == "合计"
    rows = {r.code: r for r in spending.rows if r.code}
    assert rows["2080506"].name == "机关事业单位职业年金缴费支出" and rows["2089999"].name == "其他社会保障和就业支出"
    assert [c.value for c in rows["2200509"].cells[:4]] == [Decimal("13961500"), 0, 0, Decimal("13961500")]
    assert rows["2200504"].cells[0].value == Decimal("4699323.32") and "合计" not in rows["2200504"].attributes
