"""Rules inside one table: 科目 hierarchy, totals rows, row sums across columns, 收支 balance.

- hierarchy (上下级科目): a parent code equals the sum of its nearest listed descendants (201 = 20103 + …),
  per column, after aggregating rows that share a code (明细表 repeat a code once per attribute); in
  tables without codes, a marked row ("一、", "（一）") equals its next-level rows (``reading.outline``).
- total_row (合计行): a 合计/总计 row equals the top-level codes, or the top-level outline rows.
- row_sum (行内合计): a 合计/小计/总计 column equals its sibling columns (合计 = 基本支出 + 项目支出; a column
  group counts through its own 小计, or the sum of its leaves). 其中/扣除/政府采购 columns are memos.
- balance (收支平衡): 收入总计 = 支出总计 in a 收支总表 (a side without 总计: its only 合计; a side printed
  in blocks: each block's 支出总计).

A table grouped by 预算单位 is summed group by group (``reading.groups``): each unit's 科目 (or plain
items, "各项之和") against its own line, the total over units against the units' lines ("各单位之和"); when its groups cannot be told
apart, sums down it are skipped and counted. So are sums over a headerless fragment on the next page
(``reading.structure``), and over a table whose rows fail so often that it was evidently misread
(``trusted``: columns shifted, rows out of line).

    表3 「合计」项目支出 2,739,939.12, top-level codes 201 + 205 = 2,723,619.12
    → total_row: 表3「合计」项目支出 2,739,939.12 ≠ 各科目之和 2,723,619.12（差 16,320.00）
"""

from __future__ import annotations

import re

from qa.audit.model import Figure, Finding, RowView, TableView
from qa.audit.reading.groups import block_view, unit_groups
from qa.audit.reading.outline import DUPLICATE_HEADER, outline_sums, sides
from qa.audit.registry import table_rule
from qa.audit.rules.sums import (
    MISREAD_MIN_ROWS,
    MISREAD_SHARE,
    code_groups,
    code_hierarchy_findings,
    merge_columns,
    misread,
    nearest_parent,
    row_subject,
    row_sum_findings,
    sum_finding,
)

# The one total of a side of a 收支总表, when it prints no 总计.
SIDE_TOTAL = re.compile(r"^(收入|支出)?合计$")
GROUPS_UNKNOWN = "表格按预算单位分组，分组不明"


def summed_views(view: TableView, kind: str) -> list[TableView]:
    """What to add up down the table: the table, or each unit's block of a grouped one; none (a skip
    counted) when its rows are not all there, not in known groups, or not read in line."""
    if view.continued:
        view.skip(kind, "表格疑似跨页续表，后续行未读入")
        return []
    if not view.grouped:
        if misread(view):
            view.skip(kind, "多行不平，疑似读表错位")
            return []
        return [view]
    groups = unit_groups(view)
    if groups is None:
        view.skip(kind, GROUPS_UNKNOWN)
        return []
    blocks = []
    for line, rows in zip(groups.lines, groups.blocks):
        if not rows:
            continue
        block = block_view(view, line, rows)
        if not block.coded and not groups.items:
            view.skip(kind, "单位内各行无科目编码")
        elif misread(block):
            view.skip(kind, "多行不平，疑似读表错位")
        else:
            blocks.append(block)
    return blocks


def trusted(view: TableView, kind: str, findings: list[Finding], checked: set[str | None]) -> list[Finding]:
    """The outline's findings, or none (a skip) when so many rows fail that the outline was misread."""
    failing = {f.locations[0].row for f in findings}
    if len(failing) >= MISREAD_MIN_ROWS and len(failing) >= MISREAD_SHARE * max(len(checked), 1):
        view.skip(kind, "多行不平，疑似读表错位")
        return []
    return findings


@table_rule("hierarchy", "上下级科目", "error", family="b", explanation="上级科目（或标号行）应等于其下级之和")
def check_hierarchy(view: TableView) -> list[Finding]:
    views = summed_views(view, "hierarchy")
    if not views:
        return []
    if view.grouped:
        return [f for block in views for f in merge_columns(code_hierarchy_findings(block)[0])]
    sums = [s for s in outline_sums(view, "hierarchy") if not s.is_total]
    outline = [f for s in sums if (f := sum_finding("hierarchy", view, s.stated, s.parts, s.what, row_subject(s.row), s.blanks))]
    return merge_columns(code_hierarchy_findings(view)[0]) + trusted(view, "hierarchy", outline, {s.row.label for s in sums})


@table_rule("total_row", "合计行", "error", family="b", explanation="合计行应等于各顶级科目（或各项）之和")
def check_total_rows(view: TableView) -> list[Finding]:
    views = summed_views(view, "total_row")
    if view.grouped:
        blocks = [f for block in views for f in check_code_totals(block) + check_item_totals(block)]
        return blocks + check_units_total(view)
    if not views:
        return []
    if view.coded and any(DUPLICATE_HEADER.search(c) for c in view.table.columns):
        # 科目代码 | 科目名称 | 决算数 printed three times across the page (西安's 基本支出决算表): which
        # blocks a "公用经费合计" adds up is not known.
        view.skip("total_row", "表内并列多组行，行的归属不明")
        return []
    return check_code_totals(view) + [
        f for s in outline_sums(view, "total_row") if s.is_total
        if (f := sum_finding("total_row", view, s.stated, s.parts, s.what, row_subject(s.row), s.blanks))
    ]


def check_code_totals(view: TableView) -> list[Finding]:
    """合计/总计 rows of a coded table equal the sum of its top-level codes."""
    groups = code_groups(view)
    top = [code for code in groups if nearest_parent(code, set(groups)) is None]
    totals = [rv for rv in view.rows if rv.is_total]
    if not top or not totals:
        return []
    children = [r for code in top for r in groups[code]]
    return merge_columns([f for rv in totals for f in _column_sums(view, rv, children, "各科目之和")])


def check_item_totals(block: TableView) -> list[Finding]:
    """A unit's line equals the sum of its plain items (a block without 科目, ``reading.groups``)."""
    head, items = block.rows[0], block.rows[1:]
    if block.coded or not items:
        return []
    return merge_columns(_column_sums(block, head, items, "各项之和"))


def _column_sums(view: TableView, head: RowView, rows: list[RowView], parts_name: str) -> list[Finding]:
    """``head``'s figure in each amount column against the sum of ``rows``' figures in it."""
    findings = []
    for j in view.numeric:
        stated = view.figure(head, j)
        parts = [f for r in rows if (f := view.figure(r, j))]
        if stated is not None and parts and (finding := sum_finding("total_row", view, stated, parts, parts_name, row_subject(head))):
            findings.append(finding)
    return findings


@table_rule("row_sum", "行内合计", "error", family="b", explanation="合计列应等于其各组成列之和")
def check_row_sums(view: TableView) -> list[Finding]:
    if misread(view):
        view.skip("row_sum", "多行不平，疑似读表错位")
        return []
    return row_sum_findings(view)[0]


def check_units_total(view: TableView) -> list[Finding]:
    """The total over units equals the units' own lines (a grouped table whose groups are known)."""
    groups = unit_groups(view) if view.grouped and not view.continued else None
    if groups is None or groups.total is None or len(groups.lines) < 2:
        return []
    findings = []
    for j in view.numeric:
        stated = view.figure(groups.total, j)
        parts = [f for line in groups.lines if (f := view.figure(line, j))]
        if stated is None or not parts:
            continue
        if any(view.figure(line, j) is None and _printed(line, j) for line in groups.lines):
            view.skip("total_row", "单位行的数字未读成数字")  # "障中18心39311.66": a name run into the figure
            continue
        blanks = len(groups.lines) - len(parts)
        finding = sum_finding("total_row", view, stated, parts, "各单位之和", row_subject(groups.total), blanks)
        if finding:
            findings.append(finding)
    return merge_columns(findings)


def _printed(rv: RowView, j: int) -> bool:
    return j < len(rv.row.cells) and bool((rv.row.cells[j].text or "").strip())


# --- 收支 balance ---------------------------------------------------------------------------------

@table_rule("balance", "收支平衡", "error", merge_tables=False, family="c", explanation="收支总表的收入总计应等于支出总计")
def check_balance(view: TableView) -> list[Finding]:
    """收入总计 = 支出总计 in a 收支总表 (本年收入合计 and 本年支出合计 may differ by 结转)."""
    halves = sides(view)
    if view.coded or len(halves) != 2:
        return []
    if misread(view):
        view.skip("balance", "多行不平，疑似读表错位")
        return []
    (income_columns, income_rows), (spending_columns, spending_rows) = halves
    income = grand_totals(view, income_columns, income_rows)[-1:]
    spending = grand_totals(view, spending_columns, spending_rows)
    if not income or not spending:
        view.skip("balance", "未读到收入总计或支出总计" + ("（疑似跨页续表）" if view.continued else ""))
        return []
    [(income_row, stated)] = income
    return [f for row, figure in spending
            if (f := sum_finding("balance", view, stated, [figure], row.name, row_subject(income_row)))]


def grand_totals(view: TableView, columns: list[int], rows: list[RowView]) -> list[tuple[RowView, Figure]]:
    """A side's grand totals and their figures: its 总计 rows, or its only total when named plainly 合计 or
    收入合计 / 支出合计 (重庆's 收支总体情况表 prints no 总计; never 本年收入合计, which leaves out 结转). 西安 prints the spending side three times side by side (by
    功能分类 and by two 经济分类), each block with its own 支出总计 in its own column."""
    grand = [rv for rv in rows if rv.is_total and "总计" in rv.name]
    totals = [rv for rv in rows if rv.is_total]
    if not grand and len(totals) == 1 and SIDE_TOTAL.match(totals[0].name):
        grand = totals
    found = []
    for rv in grand:
        printed = [f for j in columns if (f := view.figure(rv, j)) is not None]
        if printed:
            found.append((rv, printed[0]))
    return found
