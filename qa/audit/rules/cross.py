"""Rule across the tables of one disclosure: the same 科目 and measure must agree everywhere.

- cross_table (表间核对): each table's figure for a (code, measure) — 合计, 基本支出, 项目支出, 人员经费,
  公用经费 — equals what the other tables of its scope print (``reading.measures``); two scopes count as
  one when their grand totals agree, i.e. the department has no other funds. The 收支总表 totals equal
  the 收入总表 and 支出总表 totals (财政拨款收支总表: the 一般公共预算支出表).

    表2「行政运行」(2010301) 合计 3,573,232.28; 表3, 表5, 表7 print 3,556,912.28
    → 表2「行政运行」(2010301) 合计 3,573,232.28 ≠ 表3、表5、表7 3,556,912.28（差 16,320.00）
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from index.core.lexicon import CARRIED_FORWARD, CARRYOVER
from qa.audit.model import Disclosure, Figure, Finding, TableView, differs, headed, mismatch, places_of
from qa.audit.reading.groups import unit_groups
from qa.audit.reading.measures import TOTAL_KEY, measure_values, scope_of
from qa.audit.reading.outline import sides
from qa.audit.registry import rule
from qa.audit.rules.sums import misread

Values = dict[tuple[str, str], Figure]


def canonical_scopes(tables: list[tuple[TableView, str, Values]]) -> dict[str, str]:
    """Scopes whose grand totals agree are the same money (a department with one source of funds). Most
    科目 agreeing is not enough: a 政府性基金 科目 differs exactly where the other funds are."""
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


@rule("cross_table", "表间核对", "error", family="a", explanation="同一科目、同一口径的数字在各表中应相同")
def check_cross_tables(disclosure: Disclosure) -> list[Finding]:
    views = [c for v in disclosure.views if (c := comparable(v))]
    tables = [(v, s, measure_values(v)) for v in views if (s := scope_of(v))]
    scopes = canonical_scopes(tables)
    findings = []
    keys = {key for _, _, vals in tables for key in vals}
    summaries = [v for v in views if v.is_summary]  # their 结转下年 rows explain a gap between totals
    for key in sorted(keys):
        by_scope: dict[str, list[tuple[TableView, Figure]]] = defaultdict(list)
        for view, scope, vals in tables:
            if key in vals:
                by_scope[scopes[scope]].append((view, vals[key]))
        for entries in by_scope.values():
            findings.extend(disagreements(key, entries, summaries))
    findings.extend(check_summary_totals(views))
    return findings


def comparable(view: TableView) -> TableView | None:
    """The table as the other tables see it: a table grouped by 预算单位 as the department's (its total
    over units, each 科目 summed over the units); None — the skip counted — when its groups are not
    known or it was misread."""
    if misread(view):
        view.skip("cross_table", "多行不平，疑似读表错位")
        return None
    if not view.grouped:
        return view
    groups = unit_groups(view)
    if groups is None:
        view.skip("cross_table", "表格按预算单位分组，分组不明")
        return None
    rows = [rv for block in groups.blocks for rv in block]
    total = [replace(groups.total, is_total=True)] if groups.total else []
    return replace(view, rows=total + rows, grouped=False, misread=None)


def carryover(view: TableView) -> list[Decimal]:
    """The carry-over a table prints (a 上年结转 column's total, a 上年结转 or 结转下年 row): in 元."""
    found = []
    totals = [rv for rv in view.rows if rv.is_total][:1]
    for j in view.numeric:
        if any(CARRYOVER.search(seg) for seg in view.segments[j]):
            found += [f.yuan for rv in totals if (f := view.figure(rv, j)) and f.value]
    for rv in view.rows:
        if CARRYOVER.search(rv.name) and not rv.is_total:
            found += [f.yuan for j in view.numeric[:1] if (f := view.figure(rv, j)) and f.value]
        elif CARRIED_FORWARD.search(rv.name) and not rv.is_total:
            # on the 支出 side of a 收支总表: its first printed figure
            printed = [f for j in view.numeric if (f := view.figure(rv, j)) and f.value]
            found += [f.yuan for f in printed[:1]]
    return found


def differs_by_carryover(a: Figure, b: Figure, views: list[TableView]) -> bool:
    """The gap is exactly a carry-over one of the tables prints: one counts it and one does not."""
    gap = abs(a.yuan - b.yuan)
    return any(abs(gap - c) <= a.slack + b.slack for v in views for c in carryover(v))


def disagreements(
    key: tuple[str, str], entries: list[tuple[TableView, Figure]], summaries: list[TableView] | None = None
) -> list[Finding]:
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
            if differs_by_carryover(fig, ref, [view] + [v for v, _ in reference] + (summaries or [])):
                view.skip("cross_table", "差额等于结转资金，两表口径不同")
                continue
            name = re.sub(r"^\d+\s*", "", fig.location.row or "")
            subject = "合计行" if key[0] == TOTAL_KEY else f"「{name}」({key[0]})"
            findings.append(mismatch(
                "cross_table", fig.amount, f"{view.label}{headed(subject, fig.location.column)}",
                ref.amount, "、".join(v.label for v, _ in reference),
                locations=[fig.location, *[f.location for _, f in reference]], doc_id=view.doc_id,
                places=places_of([fig, ref]),
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


def spending_totals(view: TableView, column: str | None = None) -> list[Figure]:
    """本年支出合计 and 支出总计: a spending table may count the carry-over (总计) or not (本年)."""
    found = [summary_figure(view, 1, "本年支出合计", column), summary_figure(view, 1, "总计", column)]
    return [f for f in found if f is not None]


def income_totals(view: TableView) -> list[Figure]:
    found = [summary_figure(view, 0, "总计"), summary_figure(view, 0, "本年收入合计")]
    return [f for f in found if f is not None]


def this_year(view: TableView) -> list[Figure]:
    """本年收入合计: what a spending table that leaves the carry-over out adds up to."""
    found = summary_figure(view, 0, "本年收入合计")
    return [found] if found is not None else []


def summary_pairs(view: TableView) -> list[tuple[list[Figure], Callable[[TableView], bool]]]:
    """(a 收支总表's totals, which tables' 合计 must equal one of them)."""
    title = view.title
    if re.search(r"政府性基金|国有资本", title):
        return []  # a fund's own 收支表: its counterpart is a fund table, compared by 科目 in cross_table
    if "财政拨款" not in title:
        return [
            (income_totals(view), lambda v: bool(re.search(r"收入(预算)?总(体情况)?表", v.title)) and scope_of(v) is not None),
            (spending_totals(view) + this_year(view),
             lambda v: bool(re.search(r"支出(预算)?总(体情况)?表", v.title)) and scope_of(v) is not None),
        ]
    # 财政拨款 spending is 一般公共预算 spending when the other funds are empty, or in its own column.
    general = spending_totals(view, "一般公共预算")
    if not general and other_funds_blank(view):
        general = spending_totals(view) + this_year(view)
    return [(general, lambda v: (scope_of(v) or "").startswith("一般公共预算") and "基本" not in v.title)]


def check_summary_totals(views: list[TableView]) -> list[Finding]:
    """收支总表 收入总计 = 收入总表 合计, 支出 = 支出总表 合计; 财政拨款 = 一般公共预算支出表 合计.

    Each side prints a total with and without the carry-over (总计 / 本年合计); the other table may
    count either, so it is held to the one it is nearer.
    """
    findings = []
    for view in (v for v in views if v.is_summary):
        for stated, counterpart in summary_pairs(view):
            for other in views:
                if not stated or other is view or not counterpart(other):
                    continue
                total = measure_values(other).get((TOTAL_KEY, "total"))
                if total is None or any(not differs(s.yuan, total.yuan, s.slack + total.slack) for s in stated):
                    continue
                nearest = min(stated, key=lambda s: abs(s.yuan - total.yuan))
                findings.append(mismatch(
                    "cross_table", nearest.amount, f"{view.label}「{nearest.location.row}」",
                    total.amount, f"{other.label}合计",
                    locations=[nearest.location, total.location], doc_id=view.doc_id,
                ))
    return findings
