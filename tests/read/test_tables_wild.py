"""Tables of disclosures from ../shared/wild (skipped with a reason when the folder is absent): those the
reader reads wrong and says so, and 科目 codes printed in brackets or only in part.

    重庆市气象局 表六: "30101 津贴补贴 | 110.24" (names a row up from their codes and figures)
    → "30102 津贴补贴 | 4,890.66", as printed
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

CHONGQING_WEATHER = "004_重庆__2026年重庆市气象局部门预算.pdf"  # digits in a font whose boxes hang below the line
CHONGQING_COMMERCE = "004_重庆__2026年重庆市商务委员会部门预算.pdf"  # …whose 表四 read a row off its names
GUANGZHOU_NDRC = "005_广州__2026年广州市发展和改革委员会部门预算.pdf"  # "[2010401]行政运行"
YANTAI_JUSTICE = "025_烟台__2026年烟台市司法局部门预算.pdf"  # 204 | 06 | 01 each on its own row
XIAN_WEATHER = "020_西安__气象局_2026年部门预算.pdf"  # names run over their cell into the amount beside them


@cache
def parsed(name: str) -> Document:
    return parse_pdf(wild_pdfs(name)[0])


def table(document: Document, label: str) -> Table:
    [found] = [t for t in document.tables if t.label == label]
    return found


def test_a_font_whose_boxes_hang_below_the_baseline_is_read_on_it_when_it_prints_most_of_the_page():
    """重庆's digits come in a font whose boxes pdfplumber hangs below their baseline. On a table page the digits
    outnumber the Chinese names, and taking their font as the page's reference moved every name a row up
    (表六 "30101 津贴补贴 | 110.24", 津贴补贴 being 30102's) and the 3-line header into the 合计 row (表二)."""
    document = parsed(CHONGQING_WEATHER)
    assert [t.label for t in document.tables if t.misread] == []
    income = table(document, "表二")
    assert income.columns[:2] == ["总计", "一般公共预算拨款收入"]
    assert [c.text for c in income.rows[0].cells[:3]] == ["14,770.62", "12,672.73", "579.89"]
    basic = {r.code: r for r in table(document, "表六").rows if r.code}
    assert (basic["301"].name, basic["30101"].name, basic["30102"].name) == ("工资福利支出", "基本工资", "津贴补贴")
    assert basic["30102"].cells[0].value == Decimal("4890.66") and basic["3010202"].name == "其他津补贴"


def test_a_total_row_stands_beside_its_figures():
    """重庆商务委 表四 read "收入合计" blank and its figures on a nameless row (the same hanging digits)."""
    document = parsed(CHONGQING_COMMERCE)
    assert [t.label for t in document.tables if t.misread] == []
    rows = {r.name: r for r in table(document, "表四").rows}
    assert rows["一、本年收入"].cells[0].value == Decimal("99320.55")
    assert rows["(二)政府性基金预算拨款"].cells[0].value == Decimal("41534.73")


def test_a_name_run_over_its_cell_border_is_the_names_and_the_amount_keeps_its_digits():
    """西安 表2 p19 prints "西安市人工影响天气服务保障中心" past its cell into 合计: "障中心" interleaved with the
    amount by position ("障中18心39311.66"); 表1 "其中：专项资金列入部门预算的项目" over 0.00 ("算0的.0项0目")."""
    document = parsed(XIAN_WEATHER)
    assert [t.label for t in document.tables if t.misread] == []
    [centre] = [r for r in table(document, "表2").rows if r.code == "234002"]
    assert centre.name == "西安市人工影响天气服务保障中心"
    assert [c.value for c in centre.cells[:2]] == [Decimal("1839311.66"), Decimal("1839311.66")]
    names = {r.name: r for r in table(document, "表1").rows}
    assert names["其中：专项资金列入部门预算的项目"].cells[0].value == 0
    assert names["(5)资本性支出(基本建设)"].cells[2].text == "0.00"  # its closing bracket is the name's too (3rd side)


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


def test_a_table_of_whole_numbers_starts_its_body_at_its_numbered_total_row():
    """西安 表13 (三公经费) prints whole 元 only ("1 | | 合计 | 12240") under a header of 小计 columns: no row
    looked like figures, and its first header row was taken for the header, "序" for an amount column."""
    three = table(parsed(XIAN_WEATHER), "表13")
    assert three.columns[0] == "2021年/合计" and [k.header for k in three.key_columns] == ["序号", "单位编码", "单位名称"]
    total = three.rows[0]
    assert total.is_total and [c.value for c in total.cells[:4]] == [12240, 2720, 0, 2720]
    assert {r.code: r.name for r in three.rows[1:4]} == {"234": "西安市气象局", "234001": "西安市气象局",
                                                        "234002": "西安市人工影响天气服务保障中心"}
