"""Checks across the tables of one disclosure: the same 科目 and measure must agree everywhere.

A table's measure columns are its total (合计/总计/预算金额 …), 基本支出, 项目支出, 人员经费, 公用经费.
Codes repeated within a table (明细表) are summed first. Tables are compared only within one scope
(all funds: 收入总表/支出总表/明细表; 一般公共预算; 政府性基金 …) — two scopes count as one when their
grand totals agree, i.e. the department has no other funds. The 收支总表 totals are compared with
the 收入总表 and 支出总表 totals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from qa.audit.model import Figure, Finding, TableView, differs, format_amount, headed, in_unit, places_of
from qa.audit.rules.outline import sides
from qa.audit.rules.tables import GROUP_TOTAL_SEGMENT, MEMO_SEGMENT

TOTAL_KEY = "__total__"
FIRST_COLUMN_TOTAL = re.compile(r"(合计|总计|小计|预算金额|金额|预算数)$")


def scope_of(view: TableView) -> str | None:
    title = view.title
    if view.is_summary or re.search(r"三公|采购|购买服务|转移支付", title):
        return None
    scope = "全部资金"
    for word, name in (("一般公共预算", "一般公共预算"), ("政府性基金", "政府性基金"), ("国有资本", "国有资本经营"), ("财政拨款", "财政拨款")):
        if word in title:
            scope = name
            break
    # A budget balances income and spending per 科目; a final account (决算) carries balances over.
    if view.kind and "决算" in view.kind and "收入" in title:
        scope += "收入"
    return scope


def measure_of(view: TableView, j: int) -> str | None:
    segments = view.segments[j]
    if any(MEMO_SEGMENT.search(s) for s in segments):
        return None
    last = segments[-1]
    for word in ("人员经费", "公用经费"):
        if word in last:
            return word
    for word in ("基本支出", "项目支出"):
        if any(word in s for s in segments) and (word in last or GROUP_TOTAL_SEGMENT.search(last)):
            return word
    if j == view.numeric[0] and FIRST_COLUMN_TOTAL.search(last):
        for word in ("基本支出", "项目支出"):
            if word in view.title:
                return word  # the 合计 of a 基本支出表 is 基本支出
        return "total"
    return None


def aggregate(view: TableView, rows, j: int) -> Figure | None:
    figures = [f for rv in rows if (f := view.figure(rv, j))]
    if not figures:
        return None
    if len(figures) == 1:
        return figures[0]
    value = sum((f.value for f in figures), Decimal(0))
    first = figures[0].location
    location = first.model_copy(update={"row": f"{first.row}（{len(figures)}行之和）"})
    slack = sum((f.slack for f in figures), Decimal(0))
    return Figure(value, view.table.unit, format_amount(value, places_of(figures)), location, slack)


def measure_values(view: TableView) -> dict[tuple[str, str], Figure]:
    by_code: dict[str, list] = defaultdict(list)
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


def canonical_scopes(tables: list[tuple[TableView, str, dict]]) -> dict[str, str]:
    """Scopes whose grand totals agree are the same money (a department with one source of funds)."""
    parent = {scope: scope for _, scope, _ in tables}

    def find(s: str) -> str:
        while parent[s] != s:
            s = parent[s]
        return s

    for _, a_scope, a_vals in tables:
        for _, b_scope, b_vals in tables:
            a, b = a_vals.get((TOTAL_KEY, "total")), b_vals.get((TOTAL_KEY, "total"))
            if a_scope != b_scope and a and b and a.yuan and not differs(a.yuan, b.yuan, a.slack + b.slack):
                parent[find(a_scope)] = find(b_scope)
    return {scope: find(scope) for scope in parent}


def check_cross_tables(views: list[TableView]) -> list[Finding]:
    tables = [(v, s, measure_values(v)) for v in views if (s := scope_of(v))]
    scopes = canonical_scopes(tables)
    findings = []
    keys = {key for _, _, vals in tables for key in vals}
    for key in sorted(keys):
        by_scope: dict[str, list[tuple[TableView, Figure]]] = defaultdict(list)
        for view, scope, vals in tables:
            if key in vals:
                by_scope[scopes[scope]].append((view, vals[key]))
        for entries in by_scope.values():
            findings.extend(disagreements(key, entries))
    findings.extend(check_summary_totals(views))
    return findings


def disagreements(key: tuple[str, str], entries: list[tuple[TableView, Figure]]) -> list[Finding]:
    """Each table whose figure differs from the figure most tables print."""
    if len(entries) < 2:
        return []
    clusters: list[list[tuple[TableView, Figure]]] = []
    for entry in entries:
        for cluster in clusters:
            if not differs(cluster[0][1].yuan, entry[1].yuan, cluster[0][1].slack + entry[1].slack):
                cluster.append(entry)
                break
        else:
            clusters.append([entry])
    if len(clusters) == 1:
        return []
    reference = max(clusters, key=len)  # ties: the earliest table
    ref = reference[0][1]
    findings = []
    for cluster in clusters:
        if cluster is reference:
            continue
        for view, fig in cluster:
            name = re.sub(r"^\d+\s*", "", fig.location.row or "")
            places = places_of([fig, ref])
            diff = fig.yuan - ref.yuan
            others = "、".join(v.label for v, _ in reference)
            subject = "合计行" if key[0] == TOTAL_KEY else f"「{name}」({key[0]})"
            message = (
                f"{view.label}{headed(subject, fig.location.column)} {format_amount(fig.value, places)} ≠ "
                f"{others} {format_amount(in_unit(ref.yuan, fig.unit), places)}（差 {format_amount(in_unit(diff, fig.unit), places)}）"
            )
            findings.append(Finding(
                kind="cross_table", severity="error", message=message, doc_id=view.doc_id,
                figures=[str(fig.value), str(ref.value), str(in_unit(diff, fig.unit))],
                locations=[fig.location, *[f.location for _, f in reference]],
            ))
    return findings


def summary_figure(view: TableView, side: int, pattern: str, column: str | None = None) -> Figure | None:
    """A total row of one side of a 收支总表, in its first column (or the column ending in ``column``)."""
    halves = sides(view)
    if len(halves) != 2:
        return None
    columns, rows = halves[side]
    if column is not None:
        columns = [j for j in columns if view.segments[j][-1] == column]
    for rv in rows:
        if rv.is_total and re.search(pattern, rv.name) and columns:
            return view.figure(rv, columns[0])
    return None


def other_funds_blank(view: TableView) -> bool:
    """A 财政拨款收支总表 whose 政府性基金 / 国有资本经营 income rows print nothing but zero."""
    halves = sides(view)
    if len(halves) != 2:
        return False
    columns, rows = halves[0]
    other = [view.figure(rv, columns[0]) for rv in rows if re.search(r"政府性基金|国有资本", rv.name)]
    return all(f is None or f.value == 0 for f in other)


def summary_pairs(view: TableView) -> list[tuple[Figure | None, Callable[[TableView], bool]]]:
    """(a 收支总表 total, which tables' 合计 it must equal)."""
    spending = summary_figure(view, 1, "本年支出合计") or summary_figure(view, 1, "总计")
    if "财政拨款" not in view.title:
        return [
            (summary_figure(view, 0, "总计"), lambda v: bool(re.search(r"收入(预算)?总(体情况)?表", v.title))),
            (spending, lambda v: bool(re.search(r"支出(预算)?总(体情况)?表", v.title))),
        ]
    # 财政拨款 spending is 一般公共预算 spending when the other funds are empty, or in its own column.
    general = summary_figure(view, 1, "本年支出合计", "一般公共预算") or summary_figure(view, 1, "总计", "一般公共预算")
    if general is None and other_funds_blank(view):
        general = spending
    return [(general, lambda v: scope_of(v) == "一般公共预算" and "基本" not in v.title)]


def check_summary_totals(views: list[TableView]) -> list[Finding]:
    """收支总表 收入总计 = 收入总表 合计, 本年支出合计 = 支出总表 合计; 财政拨款 = 一般公共预算支出表 合计."""
    findings = []
    for view in (v for v in views if v.is_summary):
        for stated, counterpart in summary_pairs(view):
            for other in views:
                if stated is None or other is view or not counterpart(other):
                    continue
                total = measure_values(other).get((TOTAL_KEY, "total"))
                if total and differs(stated.yuan, total.yuan, stated.slack + total.slack):
                    diff = stated.yuan - total.yuan
                    findings.append(Finding(
                        kind="cross_table", severity="error", doc_id=view.doc_id,
                        message=(f"{view.label}「{stated.location.row}」{format_amount(stated.value)} ≠ {other.label}合计 "
                                 f"{format_amount(in_unit(total.yuan, stated.unit))}（差 {format_amount(in_unit(diff, stated.unit))}）"),
                        figures=[str(stated.value), str(total.value), str(in_unit(diff, stated.unit))],
                        locations=[stated.location, total.location],
                    ))
    return findings
