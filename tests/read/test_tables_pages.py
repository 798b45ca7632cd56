"""Tables over pages, on synthetic pages: continuations without a header, a cell's tail cut by the
page break, running headers above a continuation, and a 目录 drawn as a grid (not a table)."""

from __future__ import annotations

from decimal import Decimal

from index.read.assemble import Placed, caption_tables, running_texts, stitch_tables
from index.read.captions import Caption
from index.read.pdf import Line, RawPage, RawTable
from tests.read.grids import by_name, raw_table

TWO_SIDED = [["收入项目", "预算数", "支出项目", "预算数"], ["一、本年收入", "9.00", "一、本年支出", "9.00"]]


def placed(raw: RawTable, caption: Caption | None = None, starts_page: bool = True) -> Placed:
    return Placed(raw, caption or Caption(), starts_page)


def test_a_continuation_whose_first_row_has_blank_amounts_is_stitched_without_a_header():
    # 苏州 财政拨款收支总表 p.16: the page starts with "（十九）…" on the 支出 side, amounts blank.
    first = raw_table([*TWO_SIDED, ["", "", "（十八）援助其他地区支出", ""]], page=15)
    second = raw_table([["", "", "（十九）自然资源海洋气象等支出", ""], ["", "", "（二十）住房保障支出", "9.00"], ["收入总计", "9.00", "支出总计", "9.00"]], page=16, top=40.0)
    tables, warnings = stitch_tables([placed(first, Caption(label="公开04表", title="财政拨款收支总表")), placed(second)])
    assert len(tables) == 1 and tables[0].pages == [15, 16] and warnings == []
    assert by_name(tables[0])["（二十）住房保障支出"] == [None, Decimal("9.00")]


def test_a_cells_tail_cut_by_the_page_break_joins_the_row_above():
    # 深圳 重点项目绩效目标: the 绩效目标 text of the last row on p.13 ends at the top of p.14.
    header = ["二级预算单位名称", "一级项目名称", "预算数（万元）", "绩效目标"]
    first = raw_table([header, ["某某局", "信息化", "80.00", "建立完善的运维体系，降低重复性工作"]], page=13)
    second = raw_table([["", "", "", "占比，实现运维效率的持续优化。"], ["某某局", "预算准备金", "20.00", "保障临时性新增项目。"]], page=14, top=40.0)
    (table,), _ = stitch_tables([placed(first, Caption(title="重点项目绩效目标表")), placed(second)])
    assert [r.name for r in table.rows] == ["某某局", "某某局"]
    assert table.rows[0].attributes["绩效目标"] == "建立完善的运维体系，降低重复性工作占比，实现运维效率的持续优化。"
    assert [c.value for r in table.rows for c in r.cells] == [Decimal("80.00"), Decimal("20.00")]


def test_several_cells_cut_by_the_page_break_each_join_their_cell():
    # 苏州 政府采购支出表 p.30 starts "务支出 | 务": the tails of 经济科目 and 采购品目 on the last row of p.29.
    header = ["项目名称", "经济科目", "采购品目名称", "总计"]
    first = raw_table([header, ["定额", "其他商品和服", "车辆加油、添加燃料服", "1.00"]], page=29)
    second = raw_table([["", "务支出", "务", ""], ["会议费", "会议费", "一般会议服务", "2.40"]], page=30, top=40.0)
    (table,), _ = stitch_tables([placed(first, Caption(label="公开13表", title="政府采购支出表")), placed(second)])
    assert table.pages == [29, 30] and [r.name for r in table.rows] == ["定额", "会议费"]
    assert table.rows[0].attributes == {"经济科目": "其他商品和服务支出", "采购品目名称": "车辆加油、添加燃料服务"}
    assert [c.value for r in table.rows for c in r.cells] == [Decimal("1.00"), Decimal("2.40")]


def test_a_new_indicator_row_at_the_top_of_a_page_is_not_a_tail():
    # 西安 绩效目标表 p.64 starts "指标2：…审计、绩效评价和验收费用 | 8万元": a row of its own.
    header = ["一级指标", "二级指标", "三级指标", "指标值"]
    first = raw_table([header, ["产出指标", "数量指标", "指标1：评审、审计费用", "61.5万元"]], page=63)
    second = raw_table([["", "", "指标2：项目审计、绩效评价和验收费用", "8万元"]], page=64, top=40.0)
    (table,), _ = stitch_tables([placed(first, Caption(title="专项业务经费绩效目标表")), placed(second)])
    assert len(table.rows) == 2 and table.pages == [63, 64]


def test_a_captionless_grid_ruled_otherwise_is_another_table():
    first = raw_table([["科目名称", "合计"], ["行政运行", "10.00"]], page=7)
    other = raw_table([["", "甲", "乙"], ["x", "1.00", "2.00"]], page=8, top=40.0)
    other.grid = [[c if c is None else type(c)(text=c.text, bbox=(c.bbox[0] + 17, c.bbox[1], c.bbox[2] + 9, c.bbox[3])) for c in r] for r in other.grid]
    tables, _ = stitch_tables([placed(first, Caption(title="支出表")), placed(other)])
    assert [t.pages for t in tables] == [[7], [8]]


def _page(number: int, lines: list[str], table: RawTable) -> RawPage:
    return RawPage(number=number, width=600, height=800, tables=[table],
                   lines=[Line(text=t, page=number, bbox=(50, 10 + 20 * i, 300, 22 + 20 * i)) for i, t in enumerate(lines)])


def test_a_running_header_above_a_continuation_does_not_stop_the_stitch():
    # 苏州: "某某局2026年度单位预算公开" tops every page; p.14 goes on with 公开03表's rows.
    head = "某某局2026年度单位预算公开"
    pages = [
        _page(12, [head, "公开03表", "支出总表"], raw_table([["科目编码", "科目名称", "合计"], ["2010301", "行政运行", "5.00"]], page=12, top=80)),
        _page(13, [head], raw_table([["2010302", "一般行政管理事务", "4.00"]], page=13, top=40)),
        _page(14, [head, "公开04表", "财政拨款收支总表"], raw_table([["项目", "预算数"], ["合计", "9.00"]], page=14, top=80)),
    ]
    assert running_texts(pages) == {"某某局#年度单位预算公开"}
    items = caption_tables(pages, running_texts(pages))
    assert [i.starts_page for i in items] == [True, True, True]
    tables, _ = stitch_tables(items)
    assert [(t.label, t.pages) for t in tables] == [("公开03表", [12, 13]), ("公开04表", [14])]


def test_a_contents_list_drawn_as_a_grid_is_not_a_table():
    # 西安: "目录" over a grid 报表 | 报表名称 | 是否空表 listing the tables that follow.
    contents = raw_table([["报表", "报表名称", "是否空表"], ["表1", "2022年部门综合预算收支总表", ""], ["表9", "政府性基金收支表", "是"]], page=35, top=60)
    page = RawPage(number=35, width=600, height=800, tables=[contents], lines=[Line(text="目录", page=35, bbox=(280, 30, 320, 45))])
    assert caption_tables([page], set()) == []


def test_a_ruling_drawn_a_few_points_off_on_each_page_still_lines_up():
    # 广州 表12 over 30 pages: each page's ruling a few points left or right of the first page's.
    header = ["项目", "总计", "其他资金", "绩效目标"]
    first = raw_table([header, ["合计", "9.00", "1.00", ""], ["甲项目", "8.00", "0.00", "保障运转"]], page=27)
    second = raw_table([header, ["乙项目", "1.00", "1.00", "完成任务"]], page=28, top=40.0)
    second.grid = [[c if c is None else type(c)(text=c.text, bbox=(c.bbox[0] - 2 * j, c.bbox[1], c.bbox[2] - 2 * (j + 1), c.bbox[3]))
                    for j, c in enumerate(r)] for r in second.grid]
    (table,), _ = stitch_tables([placed(first, Caption(label="表12", title="项目支出预算表")), placed(second)])
    assert table.pages == [27, 28]
    assert by_name(table)["乙项目"] == [Decimal("1.00"), Decimal("1.00")]


def test_whole_amounts_above_the_first_decimal_amount_are_rows_not_header():
    # 广州 重点项目: "市长质量奖 | 650" prints no decimals; "发展资金 | 1,765.05" does.
    from tests.read.grids import read

    table = read([["项目", "预算数（单位：万元）", "绩效目标"], ["市长质量奖", "650", "奖励"], ["发展资金", "1,765.05", "发展"]])
    assert by_name(table) == {"市长质量奖": [Decimal("650")], "发展资金": [Decimal("1765.05")]}
    years = read([["项目", "2025"], ["合计", "1.00"]])
    assert years.columns == ["2025"]
