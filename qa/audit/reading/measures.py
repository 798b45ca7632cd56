"""Each table's measures and scope: which money a table counts, and which figures it prints for it.

A table's measure columns are its total (合计/总计/预算金额 …), 基本支出, 项目支出, 人员经费, 公用经费.
Codes repeated within a table (明细表) are summed first. The scope is the money a table counts (all
funds: 收入总表/支出总表/明细表; 一般公共预算; 政府性基金 …): figures are compared only within one.

    《一般公共预算支出表》 column "支出/基本支出/小计", row 2010301 → scope 一般公共预算,
    measure_values[("2010301", "基本支出")] = that row's figure
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from index.core.lexicon import GROUP_TOTAL_SEGMENT, MEMO_SEGMENT, PRIOR_FIGURE_SEGMENT, WHOLE_AMOUNT_SEGMENT
from index.core.numbers import format_amount
from index.core.units import Amount
from qa.audit.model import Figure, RowView, TableView, places_of
from qa.audit.reading.structure import column_years

TOTAL_KEY = "__total__"


# Tables that print part of the budget, or another quantity: never held to the budget tables' totals.
PARTIAL_TABLE = re.compile(r"三公|会议|培训|采购|购买服务|转移支付|专项|绩效|机关运行|行政经费|资产|结转|上年|调整")
EXCLUDING_CARRYOVER = re.compile(r"[（(]?不含上年结转[)）]?")


def scope_of(view: TableView) -> str | None:
    """The money a table counts ("一般公共预算", "全部资金（不含上年结转）"), or None for tables that
    are not budget tables by 科目: 收支总表, 三公, 采购, project lists, carry-overs, a grouped table."""
    title = view.title
    if not title or view.is_summary or view.grouped:
        return None
    excluding = bool(EXCLUDING_CARRYOVER.search(title))
    title = EXCLUDING_CARRYOVER.sub("", title)
    if PARTIAL_TABLE.search(title):
        return None
    scope = "全部资金"
    for word, name in (("一般公共预算", "一般公共预算"), ("政府性基金", "政府性基金"), ("国有资本", "国有资本经营"), ("财政拨款", "财政拨款")):
        if word in title:
            scope = name
            break
    # A budget balances income and spending per 科目; a final account (决算) carries balances over.
    if view.kind and "决算" in view.kind and "收入" in title:
        scope += "收入"
    return scope + ("（不含上年结转）" if excluding else "")


def is_current(view: TableView, j: int) -> bool:
    """A column of this year's budget: no other year in its header, no 上年 / 执行数 / 决算."""
    segments = view.segments[j]
    if any(PRIOR_FIGURE_SEGMENT.search(s) for s in segments):
        return False
    years = column_years(view.table.columns[j])
    return not years or (view.year is not None and years == {view.year})


def measure_of(view: TableView, j: int) -> str | None:
    segments = view.segments[j]
    if any(MEMO_SEGMENT.search(s) for s in segments) or not is_current(view, j):
        return None
    last = segments[-1]
    for word in ("人员经费", "公用经费"):
        if word in last:
            return word
    for word in ("基本支出", "项目支出"):
        if any(word in s for s in segments) and (word in last or GROUP_TOTAL_SEGMENT.search(last)):
            return word
    if j == view.numeric[0] and WHOLE_AMOUNT_SEGMENT.search(last):
        for word in ("基本支出", "项目支出"):
            if word in view.title:
                return word  # the 合计 of a 基本支出表 is 基本支出
        return "total"
    return None


def aggregate(view: TableView, rows: list[RowView], j: int) -> Figure | None:
    """The figure of one code in one column; a code printed on several rows (明细表) is their sum."""
    figures = [f for rv in rows if (f := view.figure(rv, j))]
    if not figures:
        return None
    if len(figures) == 1:
        return figures[0]
    value = sum((f.value for f in figures), Decimal(0))
    text = format_amount(value, places_of(figures))
    first = figures[0].location
    # The figure is the sum, printed nowhere as such: no one cell to box.
    location = first.model_copy(update={"row": f"{first.row}（{len(figures)}行之和）", "value": text, "bbox": None})
    slack = sum((f.slack for f in figures), Decimal(0))
    return Figure(Amount(value, view.table.unit, text), location, slack)


def measure_values(view: TableView) -> dict[tuple[str, str], Figure]:
    """(code or TOTAL_KEY, measure) → the figure the table prints for it."""
    by_code: dict[str, list[RowView]] = defaultdict(list)
    for rv in view.rows:
        if rv.code:
            by_code[rv.code].append(rv)
    totals = [rv for rv in view.rows if rv.is_total][:1]
    out = {}
    for j in view.numeric:
        measure = measure_of(view, j)
        if measure is None:
            continue
        for code, rows in by_code.items():
            if (fig := aggregate(view, rows, j)) is not None:
                out[(code, measure)] = fig
        if totals and (fig := view.figure(totals[0], j)) is not None:
            out[(TOTAL_KEY, measure)] = fig
    return out
