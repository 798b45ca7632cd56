"""Readings the audit makes before it adds anything up, on small tables and sentences built in code: which
rows are a unit's line and its items, which row is a side's grand total, when a table was read a row off
or a total totals nothing known, and which figure of a wrong growth rate was misprinted.

Each case shows the reading found (a planted error reported in its group, or the misprint named) and
its counterpart: the unplanted table gives nothing, the uncertain structure a counted skip.
"""

from __future__ import annotations

import pytest

from index.core.lexicon import ECONOMIC_NAMES
from index.core.model import Document, Identity, Page
from qa.audit import Disclosure, audit_disclosure
from qa.audit.run import document_views
from tests.audit.synthetic import FILE, YEAR, disclosure, fact, record, row, table


def test_a_rate_that_fits_the_base_less_one_digit_names_the_misprinted_base() -> None:
    """putuo_justice_2026 p.9: 3845.49 / 3269.3 − 1 = 17.62%, so "43269.3" carries a stray digit."""
    sentence = "2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%。"
    [found] = audit_disclosure(disclosure([], [
        fact(sentence, "43269.3", "万元", "其他司法支出", "previous", 2025),
        fact(sentence, "3845.49", "万元", "其他司法支出", "value", 2026),
        fact(sentence, "17.62%", "%", "其他司法支出", "growth_rate"),
    ]))
    assert found.message == ("「其他司法支出」3,845.49万元 比 43,269.3万元 减少 91.11%，正文却写增加 17.62%"
                             "（方向相反；所写增长率与上年数 3,269.3万元 相符，所写上年数疑多印一位数字）")


def test_a_copied_rate_names_no_misprint() -> None:
    sentence = "2025年当年预算执行数为77.99万元，2026年预算安排91.97万元，比2025年预算执行数增加17.66%。"
    [found] = audit_disclosure(disclosure([], [
        fact(sentence, "77.99", "万元", "职业年金缴费支出", "previous", 2025),
        fact(sentence, "91.97", "万元", "职业年金缴费支出", "value", 2026),
        fact(sentence, "17.66%", "%", "职业年金缴费支出", "growth_rate"),
    ]))
    assert found.message.endswith("增加 17.93%，正文却写增加 17.66%")


@pytest.mark.parametrize("spending", ["120.00", "121.00"])
def test_balance_reads_sides_totalled_by_plain_heji(spending: str) -> None:
    """重庆's 收支总体情况表 prints 合计 under each side and no 总计."""
    summary_table = table("表一", "部门收支总体情况表", ["收入/预算数", "支出/预算数"], [
        row("一、一般公共预算资金", "120.00", None),
        row("合计", "120.00", None, is_total=True),
        row("一、一般公共服务支出", None, spending),
        row("合计", None, spending, is_total=True),
    ])
    found = [f for f in audit_disclosure(disclosure([summary_table])) if f.kind == "balance"]
    assert [f.message for f in found] == ([] if spending == "120.00" else ["表一「合计」收入/预算数 120.00 ≠ 合计 121.00（差 -1.00）"])


def test_balance_checks_every_spending_block_printed_side_by_side() -> None:
    """西安's 收支总表 prints the spending side by 功能分类 and again by 经济分类, each with its 支出总计."""
    summary_table = table("表1", "部门综合预算收支总表", ["收入/预算数", "支出/预算数", "支出/预算数#3"], [
        row("一、部门预算", "120.00", None, None),
        row("收入总计", "120.00", None, None, is_total=True),
        row("一、一般公共服务支出", None, "120.00", None),
        row("支出总计", None, "120.00", None, is_total=True),
        row("一、工资福利支出", None, None, "121.00"),
        row("支出总计", None, None, "121.00", is_total=True),
    ])
    found = [f for f in audit_disclosure(disclosure([summary_table])) if f.kind == "balance"]
    assert [f.message for f in found] == ["表1「收入总计」收入/预算数 120.00 ≠ 支出总计 121.00（差 -1.00）"]


def test_a_total_over_an_unnamed_row_of_figures_is_skipped_not_reported() -> None:
    """西安's 收支总表 prints a line "39 | | 0.00" above 收入总计: read as a total, it totals nothing known."""
    summary_table = table("表1", "部门综合预算收支总表", ["收入/预算数", "支出/预算数"], [
        row("一、部门预算", "120.00", None),
        row("本年收入合计", "120.00", None, is_total=True),
        row("上年结转", "0.00", None),
        row("", "0.00", None, is_total=True),
        row("收入总计", "120.00", None, is_total=True),
        row("一、一般公共服务支出", None, "120.00"),
        row("支出总计", None, "120.00", is_total=True),
    ])
    d = disclosure([summary_table])
    assert audit_disclosure(d) == []
    assert ("total_row", "合计行无名称，所含各行不明") in {(s.kind, s.reason) for s in d.skips}


@pytest.mark.parametrize("shifted", [False, True])
def test_economic_names_a_row_off_make_the_table_misread(shifted: bool) -> None:
    """重庆's 基本支出情况表 reads each 经济分类 name with the row above ("301 基本工资"), and drops the last
    row of a page: its parent then fails. Named in line, that failure is a finding; a row off, a skip."""
    codes = ["301", "30101", "30102", "30103", "30108", "30109"]
    names = [ECONOMIC_NAMES[c] for c in codes]
    names = names[1:] + ["职工基本医疗保险缴费"] if shifted else names
    figures = ["100.00", "40.00", "30.00", "10.00", "10.00", "5.00"]  # 30110 (5.00) not read
    d = disclosure([table("表六", "一般公共预算基本支出情况表", ["人员经费"], [
        row(name, figure, code=code) for code, name, figure in zip(codes, names, figures)
    ])])
    found = [f.message for f in audit_disclosure(d)]
    assert found == ([] if shifted else [f"表六「{ECONOMIC_NAMES['301']}」(301) 人员经费 100.00 ≠ 下级科目之和 95.00（差 5.00）"])
    assert (("hierarchy", "多行不平，疑似读表错位") in {(s.kind, s.reason) for s in d.skips}) == shifted


@pytest.mark.parametrize("planted", [False, True])
def test_a_unit_named_as_such_elsewhere_heads_its_items(planted: bool) -> None:
    """广州's 基本支出预算表: 中共广州市委讲师团 heads its 经济分类 items though its name reads like no
    organisation's; the 收入总体情况表 (where the reader marks each row's unit) names it a unit."""
    income = table("表2", "收入总体情况表", ["合计"], [
        row("合计", "400.00", is_total=True), row("某某市某某局", "200.00"), row("某某市某某中心", "100.00"),
        row("中共某某市委讲师团", "100.00"),
    ])
    for unit_row in income.rows[1:]:
        unit_row.unit = unit_row.name
    spending = table("表11", "部门预算基本支出预算表", ["总计"], [
        row("合计", "400.00", is_total=True),
        row("某某市某某局（本级）", "200.00"), row("工资福利支出", "150.00"), row("商品和服务支出", "50.00"),
        row("某某市某某中心", "100.00"), row("工资福利支出", "100.00"),
        row("中共某某市委讲师团", "100.00"), row("工资福利支出", "81.00" if planted else "80.00"), row("商品和服务支出", "20.00"),
    ])
    document = Document(file_name=FILE, sha256="0", identity=Identity(year=YEAR), blocks=[],
                        pages=[Page(number=1, width=1, height=1, text="某某局部门预算")], tables=[income, spending])
    d = Disclosure([record()], document_views(document, record()), [], {FILE: document})
    found = [f.message for f in audit_disclosure(d)]
    assert found == (["表11「中共某某市委讲师团」总计 100.00 ≠ 各项之和 101.00（差 -1.00）"] if planted else [])
    assert not d.skips


@pytest.mark.parametrize("planted", [False, True])
def test_spending_blocks_printed_side_by_side_are_summed_block_by_block(planted: bool) -> None:
    """西安's 收支总表 prints its spending side three times across the page; the reader puts the blocks one
    after another, each printing in its own column and closed by its 支出总计."""
    summary_table = table("表1", "部门综合预算收支总表", ["收入/预算数", "支出/预算数", "支出/预算数#3"], [
        row("一、部门预算", "120.00", None, None),
        row("收入总计", "120.00", None, None, is_total=True),
        row("一、部门预算", None, "120.00", None),
        row("1、一般公共服务支出", None, "100.00", None),
        row("2、教育支出", None, "20.00", None),
        row("支出总计", None, "120.00", None, is_total=True),
        row("一、部门预算", None, None, "120.00"),
        row("1、人员经费和公用经费支出", None, None, "30.00"),
        row("2、专项业务经费支出", None, None, "9.00" if planted else "90.00"),
        row("支出总计", None, None, "120.00", is_total=True),
    ])
    d = disclosure([summary_table])
    found = [f.message for f in audit_disclosure(d)]
    assert found == (["表1「一、部门预算」支出/预算数#3 120.00 ≠ 下级各项之和 39.00（差 81.00）"] if planted else [])
    assert not d.skips
