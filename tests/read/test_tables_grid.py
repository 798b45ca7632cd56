"""Table reading on synthetic grids built in code (no PDF): each layout a city prints, in milliseconds.

Grids are written as in ``tests.read.grids``: rows of cells, "" blank, ``None`` merged, ``(text, span)``.
"""

from __future__ import annotations

from decimal import Decimal

from index.core.lexicon import plain_name
from index.read.grid import Grid, clean_grid, column_paths, split_header
from index.read.pdf import RawTable
from index.read.rows import mark_publisher_lines
from index.read.stitch import drop_header_spill, header_matches, project_rows
from index.read.tables import build_table
from tests.read.grids import by_name, raw_table, read


def test_multi_row_header_is_flattened_into_column_paths():
    table = read([
        ["项目", ("本年收入", 2), None],
        [None, "财政拨款", "其他收入"],
        ["合计", "100.00", "20.00"],
        ["行政运行", "80.00", "20.00"],
    ])
    assert table.columns == ["本年收入/财政拨款", "本年收入/其他收入"]
    assert by_name(table) == {"合计": [Decimal("100.00"), Decimal("20.00")], "行政运行": [Decimal("80.00"), Decimal("20.00")]}


def test_caption_rows_drawn_inside_the_grid_are_captions_not_header():
    grid = clean_grid(raw_table([["预算01表"], ["金额单位：万元"], ["项目", "金额"], ["合计", "5.00"]]))
    assert grid.captions == ["预算01表", "金额单位：万元"]
    assert column_paths(grid, split_header(grid)) == ["项目", "金额"]


def test_code_columns_are_joined_with_levels_and_parents():
    table = read([
        [("科目编码", 3), None, None, "科目名称", "合计"],
        ["类", "款", "项", None, None],
        ["201", "", "", "一般公共服务支出", "300.00"],
        ["201", "03", "", "政府办公厅（室）及相关机构事务", "300.00"],
        ["201", "03", "01", "行政运行", "250.00"],
    ])
    keyed = [(r.code, r.name, r.level, r.parent_code) for r in table.rows]
    assert keyed == [
        ("201", "一般公共服务支出", 1, None),
        ("20103", "政府办公厅（室）及相关机构事务", 2, "201"),
        ("2010301", "行政运行", 3, "20103"),
    ]
    assert table.columns == ["合计"]


def test_a_kuan_printed_without_its_leading_zero_is_repaired():
    table = read([
        ["经济分类科目编码/类", "经济分类科目编码/款", "经济分类科目名称", "合计"],
        ["301", "", "工资福利支出", "88,282,511"],
        ["301", "01", "基本工资", "5,873,551"],
        ["301", "2", "津贴补贴", "16,623,810"],
    ], unit="元")
    assert [(r.code, r.level, r.parent_code) for r in table.rows] == [("301", 1, None), ("30101", 2, "301"), ("30102", 2, "301")]


def test_a_code_printed_in_the_name_cell_becomes_the_code():
    table = read([["项目", "金额"], ["2010801-行政运行", "12.00"], ["50101-工资奖金津补贴", "3.00"]])
    assert [(r.code, r.name, r.level) for r in table.rows] == [("2010801", "行政运行", 3), ("50101", "工资奖金津补贴", 2)]


def test_a_unit_code_stays_a_code_without_a_level():
    table = read([["单位编码", "单位名称", "合计"], ["", "合计", "9.00"], ["123001", "某某局本级", "9.00"]])
    unit_row = table.rows[1]
    assert (unit_row.code, unit_row.name, unit_row.level, unit_row.parent_code) == ("123001", "某某局本级", None, None)
    assert table.rows[0].is_total and not unit_row.is_total


def test_a_subject_code_in_a_second_code_column_is_the_rows_code():
    # Keyed by 单位编码 + 单位名称; the 科目编码 further right is kept as a text column.
    table = read([["单位编码", "单位名称", "科目编码", "科目名称", "金额"], ["114001", "某某局本级", "2010301", "行政运行", "8.00"]])
    row = table.rows[0]
    assert row.attributes == {"科目编码": "2010301", "科目名称": "行政运行"}
    assert (row.code, row.name, row.level, row.parent_code) == ("2010301", "某某局本级", 3, "20103")


def test_two_sided_summary_table_is_split_into_its_sides():
    table = read([
        ["收入项目", "预算数", "支出项目", "预算数"],
        ["一般公共预算拨款", "90.00", "一般公共服务支出", "80.00"],
        ["事业收入", "10.00", "教育支出", "20.00"],
        ["收入总计", "100.00", "支出总计", "100.00"],
    ])
    assert table.columns == ["收入项目/预算数", "支出项目/预算数"]
    values = by_name(table)
    assert values["事业收入"] == [Decimal("10.00"), None]
    assert values["教育支出"] == [None, Decimal("20.00")]
    assert [r.name for r in table.rows if r.is_total] == ["收入总计", "支出总计"]


def test_part_of_rows_keep_their_name_and_mark_no_total():
    table = read([["项目", "金额"], ["基本支出", "50.00"], ["其中：人员经费", "40.00"], ["其中：小计", "40.00"]])
    part = table.rows[1]
    assert part.name == "其中：人员经费" and plain_name(part.name) == "人员经费"
    assert not part.is_total and not part.is_subtotal
    assert table.rows[2].is_total  # "其中：小计" is named only by a total word


def test_item_rows_with_blank_values_are_rows_not_header():
    table = read([
        ["项目", "2020年预算数"],
        ["1、因公出国（境）费", ""],
        ["2、公务接待费", "3.50"],
    ])
    assert table.columns == ["2020年预算数"]
    assert by_name(table) == {"1、因公出国（境）费": [None], "2、公务接待费": [Decimal("3.50")]}


def test_wrapped_name_cells_read_as_one_name():
    long = "“绩效”说明：" + "本项目用于保障日常运转" * 4
    table = read([["项目", "金额"], ["其他政府办公厅（室）及\n相关机构事务支出", "1.00"], ["“三公”经费", "2.00"], [long, "3.00"]])
    # Names are keys: quotes and layout spaces go; a long sentence is kept as printed.
    assert [r.name for r in table.rows] == ["其他政府办公厅（室）及相关机构事务支出", "三公经费", long]


def _stitched(first: RawTable, second: RawTable, warnings: list[str] | None = None) -> Grid:
    """What ``parse`` does with a table that goes on over the page: project, append, drop spill."""
    base, part = clean_grid(first), clean_grid(second)
    base_header, part_header = split_header(base), 0
    assert header_matches(base, base_header, part, part_header)
    projected = project_rows(base, part, part_header)
    assert projected is not None
    start = len(base.rows)
    base.rows.extend(projected)
    base.pages.extend([second.page] * len(projected))
    drop_header_spill(base, base_header, column_paths(base, base_header), start, warnings if warnings is not None else [])
    return base


def test_a_continuation_without_header_is_stitched_onto_the_first_part():
    first = raw_table([["科目名称", "合计"], ["合计", "30.00"], ["行政运行", "10.00"]], page=7)
    second = raw_table([["一般行政管理事务", "20.00"]], page=8, top=60.0)
    table = build_table(_stitched(first, second), "表3", "支出总表", "元", section_path=[])
    assert table.pages == [7, 8]
    assert by_name(table) == {"合计": [Decimal("30.00")], "行政运行": [Decimal("10.00")], "一般行政管理事务": [Decimal("20.00")]}
    assert table.rows[-1].page == 8


def test_a_header_tail_wrapped_over_the_page_break_is_dropped():
    first = raw_table([["项目", "财政拨款收入"], ["合计", "30.00"]], page=7)
    second = raw_table([["", "收入"], ["行政运行", "30.00"]], page=8, top=60.0)
    warnings: list[str] = []
    table = build_table(_stitched(first, second, warnings), "表1", "收入总表", "元", section_path=[])
    assert [r.name for r in table.rows] == ["合计", "行政运行"]
    assert warnings == ["跨页表头残片「收入」已忽略（第 8 页）"]
    assert table.warnings == []  # not read as text in an amount column


def test_a_continuation_in_another_layout_is_not_projected():
    base = clean_grid(raw_table([["科目名称", "合计"], ["行政运行", "10.00"]], page=7))
    other = clean_grid(raw_table([["甲", "乙", "丙", "丁"], ["1.00", "2.00", "3.00", "4.00"]], page=8))
    assert not header_matches(base, 1, other, 1)


def test_total_rows_named_unnamed_and_subtotals():
    table = read([
        ["项目", "金额"],
        ["合 计", "100.00"],
        ["人员经费合计", "60.00"],
        ["一、本年支出合计", "100.00"],
        ["", "7.00"],
        ["人员经费", "60.00"],
    ])
    flags = [(r.name, r.is_total, r.is_subtotal) for r in table.rows]
    assert flags == [
        ("合计", True, False),
        ("人员经费合计", False, True),
        ("一、本年支出合计", True, False),
        (None, True, False),  # figures under no name and no code: the total row
        ("人员经费", False, False),
    ]


def test_the_publishers_own_line_is_a_subtotal_once_the_publisher_is_known():
    table = read([["单位名称", "合计"], ["北京市某某局", "9.00"], ["北京市某某局机关服务中心", "2.00"]])
    assert not any(r.is_subtotal for r in table.rows)
    mark_publisher_lines([table], "北京市某某局")
    assert [r.is_subtotal for r in table.rows] == [True, False]
    mark_publisher_lines([table], None)
    assert not any(r.is_subtotal for r in table.rows)


def test_a_table_without_amounts_is_kept_as_text_cell_by_cell():
    table = read([["项目名称", "绩效目标"], ["外事接待", "完成接待任务"], ["公务接待", "按标准接待"]], unit="万元")
    assert table.unit is None and table.columns == ["项目名称", "绩效目标"]
    assert [[c.text for c in r.cells] for r in table.rows] == [["外事接待", "完成接待任务"], ["公务接待", "按标准接待"]]
    assert not any(r.is_total or r.is_subtotal for r in table.rows)


def test_an_empty_table_keeps_its_header_and_its_total_row():
    table = read([["项目", "2020年预算数"], ["合计", ""]])  # 本表为空表: nothing but the 合计 row
    assert table.columns == ["2020年预算数"]
    assert [(r.name, r.is_total, [c.value for c in r.cells]) for r in table.rows] == [("合计", True, [None])]


def test_unparsable_figures_are_kept_as_text_with_a_warning_quoting_the_printed_row():
    table = read([["项目", "金额"], ["合计", "13.50"], ["2010801-行政运行", "12..5"], ["2010802-一般行政管理事务", "1.00"]])
    bad = table.rows[1]
    assert (bad.code, bad.cells[0].value, bad.cells[0].text) == ("2010801", None, "12..5")
    assert table.warnings == ["测试表「2010801-行政运行」金额：无法解析的数字 '12..5'，按文字保留"]
