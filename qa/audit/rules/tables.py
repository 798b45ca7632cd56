"""Checks inside one table: 科目 hierarchy, row sums across columns, totals rows.

- hierarchy: a parent code equals the sum of its nearest listed descendants (201 = 20103 + …), per
  column, after aggregating rows that share a code (明细表 repeat a code once per attribute).
- row_sum: a 合计/小计/总计 column equals its sibling columns (合计 = 基本支出 + 项目支出; a column
  group counts through its own 小计, or the sum of its leaves). 其中/扣除/政府采购 columns are memos.
- total_row: a 合计/总计 row equals the top-level codes; in tables without codes (收支总表, 三公) the
  outline "一、/（一）/1." says what adds up to what (see ``qa.audit.rules.outline``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from qa.audit.model import (
    Figure,
    Finding,
    RowView,
    TableView,
    differs,
    format_amount,
    headed,
    in_unit,
    places_of,
    slack_of,
    total_of,
)

TOTAL_SEGMENT = re.compile(r"(合计|总计|小计)$")
GROUP_TOTAL_SEGMENT = re.compile(r"(合计|总计|小计|总额|总数)$")
MEMO_SEGMENT = re.compile(r"^其中|扣除|政府采购|%|率$|占比|增减|比上年")


def amount(view: TableView, yuan: Decimal, places: int) -> str:
    return format_amount(in_unit(yuan, view.table.unit), places)


def mismatch_finding(
    kind: str, view: TableView, stated: Figure, parts: list[Figure], what: str, subject: str, blanks: int = 0
) -> Finding | None:
    """A finding when ``stated`` differs from the sum of ``parts`` by more than their rounding allows.

    ``blanks``: parts printed blank (read as 0). A gap then more likely means a missing figure than a
    wrong one, so it is a warning.
    """
    computed = total_of(parts)
    if not differs(stated.yuan, computed, stated.slack + slack_of(parts)):
        return None
    places = places_of([stated, *parts])
    diff = stated.yuan - computed
    message = (
        f"{view.label}{headed(subject, stated.location.column)} {amount(view, stated.yuan, places)} ≠ {what} "
        f"{amount(view, computed, places)}（差 {amount(view, diff, places)}）" + ("，其中有空白项" if blanks else "")
    )
    return Finding(
        kind=kind, severity="warning" if blanks else "error", message=message, doc_id=view.doc_id,
        figures=[str(stated.value), str(in_unit(computed, view.table.unit)), str(in_unit(diff, view.table.unit))],
        locations=[stated.location, *[p.location for p in parts]],
    )


def row_subject(rv: RowView) -> str:
    return f"「{rv.name}」({rv.code})" if rv.code else f"「{rv.name}」"


# --- hierarchy of codes --------------------------------------------------------------------------

def code_groups(view: TableView) -> dict[str, list[RowView]]:
    groups: dict[str, list[RowView]] = defaultdict(list)
    for rv in view.rows:
        if rv.code:
            groups[rv.code].append(rv)
    return groups


def nearest_parent(code: str, codes: set[str]) -> str | None:
    for length in (5, 3):
        if len(code) > length and code[:length] in codes:
            return code[:length]
    return None


def check_hierarchy(view: TableView) -> list[Finding]:
    groups = code_groups(view)
    children: dict[str, list[str]] = defaultdict(list)
    for code in groups:
        parent = nearest_parent(code, set(groups))
        if parent:
            children[parent].append(code)
    findings = []
    for parent, kids in children.items():
        for j in view.numeric:
            stated = [f for rv in groups[parent] if (f := view.figure(rv, j))]
            parts = [f for kid in kids for rv in groups[kid] if (f := view.figure(rv, j))]
            if len(stated) != 1 or not parts:
                continue  # a parent printed twice (or not at all) is not a sum to check
            finding = mismatch_finding("hierarchy", view, stated[0], parts, "下级科目之和", row_subject(groups[parent][0]))
            if finding:
                findings.append(finding)
    return merge_columns(findings)


def check_code_totals(view: TableView) -> list[Finding]:
    """合计/总计 rows of a coded table equal the sum of its top-level codes."""
    groups = code_groups(view)
    top = [code for code in groups if nearest_parent(code, set(groups)) is None]
    totals = [rv for rv in view.rows if rv.is_total]
    if not top or not totals:
        return []
    findings = []
    for rv in totals:
        for j in view.numeric:
            stated = view.figure(rv, j)
            parts = [f for code in top for r in groups[code] if (f := view.figure(r, j))]
            if stated is None or not parts:
                continue
            finding = mismatch_finding("total_row", view, stated, parts, "各科目之和", row_subject(rv))
            if finding:
                findings.append(finding)
    return merge_columns(findings)


# --- sums across columns -------------------------------------------------------------------------

def column_components(view: TableView, j: int) -> list[tuple[str, list[int]]] | None:
    """For a 合计/小计/总计 column, the columns it adds up: (name, [a leaf] or [a group's 小计] or a group's leaves).

    Paths may carry a fund suffix (总计/一般公共预算 = 因公出国费/一般公共预算 + …): only columns with the
    same prefix before and the same suffix after the total segment are its siblings.
    """
    path = view.segments[j]
    totals = [i for i, seg in enumerate(path) if TOTAL_SEGMENT.search(seg)]
    if not totals:
        return None
    i = totals[-1]
    prefix, suffix = path[:i], path[i + 1:]
    members: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"total": [], "leaves": []})
    for k in view.numeric:
        other = view.segments[k]
        if k == j or other[:i] != prefix or len(other) <= i + len(suffix):
            continue
        if suffix and other[len(other) - len(suffix):] != suffix:
            continue
        middle = other[i:len(other) - len(suffix)]
        if any(MEMO_SEGMENT.search(seg) for seg in middle) or (len(middle) == 1 and TOTAL_SEGMENT.search(middle[0])):
            continue
        if len(middle) == 2 and GROUP_TOTAL_SEGMENT.search(middle[1]):
            members[middle[0]]["total"].append(k)
        else:
            members[middle[0]]["leaves"].append(k)
    components = [(name, m["total"][:1] or m["leaves"]) for name, m in members.items()]
    return components if len(components) >= 2 else None


def check_row_sums(view: TableView) -> list[Finding]:
    findings = []
    for j in view.numeric:
        components = column_components(view, j)
        if not components:
            continue
        what = "＋".join(name for name, _ in components)
        for rv in view.rows:
            stated = view.figure(rv, j)
            parts = [f for _, group in components for k in group if (f := view.figure(rv, k))]
            if stated is None or not parts:
                continue  # blank parts: nothing printed to add up
            finding = mismatch_finding("row_sum", view, stated, parts, what, row_subject(rv))
            if finding:
                findings.append(finding)
    return findings


def merge_columns(findings: list[Finding]) -> list[Finding]:
    """One finding per row when several columns show the same discrepancy (合计 and 一般公共预算 alike)."""
    merged: dict[tuple, tuple[Finding, list[str]]] = {}
    for f in findings:
        key = (f.kind, f.locations[0].table, f.locations[0].row, tuple(f.figures))
        if key in merged:
            merged[key][0].locations.append(f.locations[0])
            merged[key][1].append(f.locations[0].column or "")
        else:
            merged[key] = (f, [f.locations[0].column or ""])
    out = []
    for f, columns in merged.values():
        if len(columns) > 1:
            f.message = f.message.replace(f"{columns[0]} ", f"{'、'.join(columns)} ", 1)
        out.append(f)
    return out
