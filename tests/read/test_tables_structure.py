"""Structure read at read time, on synthetic grids: 预算单位 groups, "其中：" parts, 行次 and unit codes.

Each layout is one a city prints (see ``index.read.units`` and ``index.read.outline``); grids are
written as in ``tests.read.grids``.
"""

from __future__ import annotations

from decimal import Decimal

from index.read.captions import read_caption
from index.read.grid import clean_grid
from tests.read.grids import by_name, raw_table, read

UNIT_HEADER = ["预算单位", "科目编码", "科目名称", "支出总计"]


def test_a_table_grouped_by_budget_unit_keeps_unit_lines_apart_from_its_total():
    # 深圳 支出总表: each unit's line above its 科目 rows; the department's line, the total over units,
    # printed last here (it may be first, or on another page).
    table = read([
        UNIT_HEADER,
        ["某某局（本级）", "", "", "63.00"],
        ["", "205", "教育支出", "63.00"],
        ["某某管理局", "", "", "8.00"],
        ["", "205", "教育支出", "8.00"],
        ["某某局", "", "", "71.00"],
    ])
    flags = [(r.unit, r.code, r.is_total, r.is_subtotal, r.is_unit_total) for r in table.rows]
    assert flags == [
        ("某某局（本级）", None, False, True, True),
        ("某某局（本级）", "205", False, False, False),
        ("某某管理局", None, False, True, True),
        ("某某管理局", "205", False, False, False),
        ("某某局", None, True, False, False),
    ]
    assert table.warnings == []


def test_without_a_line_equal_to_the_sum_of_units_no_row_is_the_total_and_a_warning_says_so():
    table = read([UNIT_HEADER, ["甲单位", "", "", "63.00"], ["", "205", "教育支出", "63.00"], ["乙单位", "", "", "8.00"]])
    assert not any(r.is_total for r in table.rows)
    assert [r.is_unit_total for r in table.rows] == [True, False, True]
    assert table.warnings == ["表1按预算单位分组，未找到等于各单位之和的总计行，合计不确定"]


def test_a_department_of_one_unit_keeps_its_line_as_the_total():
    table = read([UNIT_HEADER, ["某某局", "", "", "9.00"], ["", "201", "一般公共服务支出", "9.00"]])
    assert [(r.unit, r.is_total, r.is_unit_total) for r in table.rows] == [("某某局", True, False), ("某某局", False, False)]


def test_part_of_rows_are_children_of_the_row_above_with_their_siblings():
    # 广州 表8: 三公 226.86 = 215.60 + 0 + 11.26, its parts opened by "其中：".
    table = read([
        ["项目", "合计"],
        ["行政经费", "1,443.41"],
        ["“三公”经费", "226.86"],
        ["其中：（一）因公出国（境）支出", "215.60"],
        ["（二）公务用车购置及运行维护支出", "0.00"],
        ["1.公务用车购置费", "0.00"],
        ["2.公务用车运行维护费", "0.00"],
        ["（三）公务接待费支出", "11.26"],
        ["合计", "1,670.27"],
        ["（一）其他", "1.00"],
    ])
    assert [r.parent_row for r in table.rows] == [None, None, 1, 1, 3, 3, 1, None, None]
    parts = [r.cells[0].value for r in table.rows if r.parent_row == 1]
    assert sum(parts, Decimal(0)) == table.rows[1].cells[0].value


def test_a_part_of_row_with_nothing_above_gets_no_parent_and_a_warning():
    table = read([["项目", "金额"], ["其中：人员经费", "40.00"], ["基本支出", "50.00"], ["其中：公用经费", "10.00"]])
    assert [r.parent_row for r in table.rows] == [None, None, 1]
    assert table.warnings == ["测试表「其中：人员经费」上方没有可归属的行，未判定其上级"]


def test_each_side_of_a_two_sided_table_has_its_own_outline():
    table = read([
        ["收入项目", "预算数", "支出项目", "预算数"],
        ["一、本年收入", "9.00", "一、本年支出", "9.00"],
        ["（一）一般公共预算", "9.00", "（一）教育支出", "9.00"],
    ])
    names = {r.name: r.parent_row for r in table.rows}
    assert names == {"一、本年收入": None, "（一）一般公共预算": 0, "一、本年支出": None, "（一）教育支出": 2}


def test_line_number_columns_are_never_amounts():
    # 决算 收支总表: 项目 | 行次 | 金额 on each side; a column counting rows under no header is one too.
    table = read([
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["一、财政拨款收入", "1", "10.00", "一、一般公共服务支出", "5", "8.00"],
        ["二、事业收入", "2", "2.00", "二、教育支出", "6", "4.00"],
        ["本年收入合计", "3", "12.00", "本年支出合计", "7", "12.00"],
    ])
    assert table.columns == ["项目/金额", "项目/金额#2"]  # no 行次 column among the amounts
    assert by_name(table)["二、事业收入"] == [Decimal("2.00"), None]
    assert table.rows[0].attributes == {"行次": "1"}
    counted = read([["", "项目", "金额"], ["1", "甲", "1.00"], ["2", "乙", "2.00"], ["3", "丙", "3.00"]])
    assert counted.columns == ["金额"] and [r.name for r in counted.rows] == ["甲", "乙", "丙"]


def test_a_three_digit_unit_code_is_no_subject_class():
    # 西安 收入总表: 单位编码 263 is the department, 263001 its unit; neither is a 类 / 款.
    table = read([["单位编码", "单位名称", "合计"], ["", "合计", "9.00"], ["263", "西安市某某局", "9.00"], ["263001", "西安市某某局", "9.00"]])
    assert [(r.code, r.level, r.parent_code) for r in table.rows] == [(None, None, None), ("263", None, None), ("263001", None, None)]


def test_a_label_and_a_title_drawn_inside_the_grid_are_its_caption():
    # 苏州: "公开02表", "收入总表" and the unit line are the grid's first rows, each across its width.
    grid = clean_grid(raw_table([
        [("公开02表", 3), None, None],
        [("收入总表", 3), None, None],
        [("单位：某某局", 2), None, "单位：万元"],
        ["单位代码", "单位名称", "合计"],
        ["", "合计", "9.00"],
    ]))
    assert grid.captions == ["公开02表", "收入总表", "单位：某某局单位：万元"]
    caption = read_caption([], grid.captions)
    assert (caption.label, caption.title, caption.unit) == ("公开02表", "收入总表", "万元")


def test_rows_under_a_units_merged_name_cell_belong_to_it_and_are_no_totals():
    # 深圳 三公 表: 预算单位 | 年度 | 总计; the unit's cell spans its 2025年 / 2026年 / 增减变化金额 rows.
    table = read([
        ["预算单位", "年度", "总计"],
        ["某某局", "2025年", "608.54"],
        ["", "2026年", "581.59"],
        ["", "增减变化金额", "-26.95"],
        ["某某管理局", "2025年", "28.00"],
        ["", "2026年", "10.00"],
    ])
    assert [(r.unit, r.attributes["年度"], r.is_total) for r in table.rows] == [
        ("某某局", "2025年", False), ("某某局", "2026年", False), ("某某局", "增减变化金额", False),
        ("某某管理局", "2025年", False), ("某某管理局", "2026年", False),
    ]


def test_a_total_word_under_another_text_column_names_the_total_row():
    # 西城 表10 (an empty 专项转移支付 table): 合计 printed under 功能科目代码, beside blank 名称 columns.
    table = read([["预算单位代码", "预算单位名称", "功能科目代码", "项目名称", "指标金额"], ["", "", "合计", "", "0.00"]])
    assert [(r.name, r.is_total, r.code) for r in table.rows] == [("合计", True, None)]
    assert table.columns == ["指标金额"]  # empty 名称 columns hold no amounts


def test_units_heading_their_rows_in_the_name_column_are_found_by_their_sum():
    # 深圳 基本支出总表: the department's line, then each unit's line and its economic items.
    table = read([
        ["项目", "总计"],
        ["深圳市某某局", "12.00"],
        ["深圳市某某局（本级）", "8.00"],
        ["工资福利支出", "8.00"],
        ["深圳市某某管理中心", "4.00"],
        ["工资福利支出", "4.00"],
    ])
    assert [(r.unit, r.is_total, r.is_unit_total) for r in table.rows] == [
        ("深圳市某某局", True, False), ("深圳市某某局（本级）", False, True), ("深圳市某某局（本级）", False, False),
        ("深圳市某某管理中心", False, True), ("深圳市某某管理中心", False, False),
    ]
    # Names that merely end like an organisation's, with no line summing the others: nothing is marked.
    items = read([["项目", "金额"], ["深圳市智慧城市运营中心", "1.00"], ["深圳市数据服务中心", "2.00"], ["深圳市会展中心", "4.00"]])
    assert not any(r.unit or r.is_unit_total or r.is_total for r in items.rows)


def test_a_table_of_units_finds_the_line_that_totals_them():
    # 深圳 收入总表: 预算单位 | 收入总计, the department's line first (190,281.97 = the units' sum).
    table = read([["预算单位", "收入总计"], ["某某局", "12.00"], ["某某局（本级）", "8.00"], ["某某中心", "4.00"]])
    assert [(r.unit, r.is_total, r.is_unit_total) for r in table.rows] == [
        ("某某局", True, False), ("某某局（本级）", False, True), ("某某中心", False, True)]


def test_a_unit_whose_colon_is_printed_apart_is_read():
    # 重庆: "单位名称 重庆市气象局 单位 万元" with the colons on a line of their own; read as 元 it was 10,000× off.
    caption = read_caption([], ["表二", "年部门收入总体情况表", "单位名称 重庆市某局 单位 万元", ": :"])
    assert caption.unit == "万元"
    assert read_caption([], ["预算单位 元宵节活动经费"]).unit is None  # 元 must end the word


def _glyph(text: str, x: float, font: str, top: float, baseline: float, size: float, width: float) -> dict:
    """A pdfplumber char whose box (``top``) and baseline (the matrix) may disagree, as 重庆's digit font prints."""
    return {"text": text, "x0": x, "x1": x + width, "top": top, "bottom": top + size, "doctop": top, "upright": True,
            "y1": 842 - top, "y0": 842 - top - size, "size": size, "fontname": font,
            "matrix": (1, 0, 0, 1, x, 842 - baseline)}


def test_glyphs_of_a_font_with_misplaced_boxes_are_read_on_their_baseline():
    # 重庆: digits and punctuation come in a font whose boxes sit ~12 pt below the Chinese text of the same
    # baseline; "比2025年增加4,245.49万元" was read as two lines. Boxes follow the baseline; other pages are untouched.
    from index.read.pdf import align_baselines

    def glyph(text: str, x: float, font: str, top: float, baseline: float) -> dict:
        return _glyph(text, x, font, top, baseline, size=13.7, width=7)

    chars = [glyph(ch, 10 * i, "Song", 157.0, 167.3) for i, ch in enumerate("比年增加万元")]
    chars += [glyph(ch, 100 + 7 * i, "E-BZ", 169.6, 169.2) for i, ch in enumerate("2025")]
    align_baselines(chars)
    tops = {round(c["top"]) for c in chars}
    assert max(tops) - min(tops) <= 3, tops  # one line
    same = [glyph(ch, 10 * i, "Song", 157.0, 167.3) for i, ch in enumerate("比年")] + [glyph("2", 50, "Times", 157.5, 167.5)]
    before = [dict(c) for c in same]
    align_baselines(same)
    assert same == before


def test_the_reference_font_stands_on_its_baseline_even_when_the_misplaced_one_prints_more():
    # 重庆 表六: the digits' font (boxes hung below the baseline) prints most glyphs of a table page; taken as the
    # reference it moved the names down past the row ruling, a row off their codes and figures.
    from index.read.pdf import align_baselines

    def glyph(text: str, x: float, font: str, top: float, baseline: float) -> dict:
        return _glyph(text, x, font, top, baseline, size=10.3, width=5)

    names = [glyph(ch, 200 + 10 * i, "FZFSK", 231.1, 238.9) for i, ch in enumerate("工资福利支出")]
    digits = [glyph(ch, 74 + 5 * i, "E-BZ", 240.6, 240.3) for i, ch in enumerate("3015293.755293.75")]
    align_baselines(names + digits)
    assert {round(c["top"], 1) for c in names} == {231.1}  # the names stay where they are printed
    assert max(abs(c["top"] - 231.1) for c in digits) < 1.5  # the digits join their line
