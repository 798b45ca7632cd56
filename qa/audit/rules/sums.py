"""The arithmetic the table rules share: a stated figure against the sum of its parts, down the 科目
codes and across the columns, and whether a table fails so often that it was misread.

    表3「一般公共服务支出」(201) 合计 5,726,351.40, 基本支出 3,556,912.28 + 项目支出 2,153,119.12
    → row_sum_findings: 合计 5,726,351.40 ≠ 基本支出＋项目支出 5,710,031.40（差 16,320.00）

A table is *misread* when the reader says so (``Table.misread``), or when at least ``MISREAD_MIN_ROWS`` of
its rows, and ``MISREAD_SHARE`` of those
checked, fail the 科目 hierarchy or their row sums: a column shifted by a row, rows out of line. A
misprint moves a row, its parents and its total, never a third of the table.
"""

from __future__ import annotations

import re
from collections import defaultdict

from index.core.lexicon import ECONOMIC_NAMES, GROUP_TOTAL_SEGMENT, MEETING_TRAINING, MEMO_SEGMENT, TOTAL_SEGMENT
from index.core.text import compact
from index.core.units import Amount, from_yuan
from qa.audit.model import Figure, Finding, RowView, TableView, differs, headed, mismatch, places_of, slack_of, total_of
from qa.audit.reading.anchors import three_public_item

# A total column may name what it totals; these names total all their siblings ("支出总计", "本年收入合计").
PLAIN_TOTAL_QUALIFIER = re.compile(r"^(本年)?(支出|收入)?$")
MISREAD_SHARE = 0.3
MISREAD_MIN_ROWS = 4


def sum_finding(
    kind: str, view: TableView, stated: Figure, parts: list[Figure], what: str, subject: str, blanks: int = 0
) -> Finding | None:
    """A finding when ``stated`` differs from the sum of ``parts`` by more than their rounding allows.

    ``blanks``: parts printed blank (read as 0). A gap then more likely means a missing figure than a
    wrong one, so it is a warning.
    """
    computed = total_of(parts)
    if not differs(stated.yuan, computed, stated.slack + slack_of(parts)):
        return None
    return mismatch(
        kind, stated.amount, f"{view.label}{headed(subject, stated.location.column)}",
        Amount(from_yuan(computed, view.table.unit), view.table.unit), what,
        locations=[stated.location, *[p.location for p in parts]], doc_id=view.doc_id,
        places=places_of([stated, *parts]), severity="warning" if blanks else "error",
        note="，其中有空白项" if blanks else "",
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


def code_hierarchy_findings(view: TableView) -> tuple[list[Finding], set[str | None]]:
    """Each parent code against its nearest listed children, per column; and the rows checked."""
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
            finding = sum_finding("hierarchy", view, stated[0], parts, "下级科目之和", row_subject(groups[parent][0]))
            if finding:
                findings.append(finding)
    return findings, {groups[parent][0].label for parent in children}


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
    qualifier = TOTAL_SEGMENT.sub("", path[i]).strip("“”\"")
    three_public = "三公" in qualifier
    if not three_public and not PLAIN_TOTAL_QUALIFIER.match(qualifier):
        view.skip("row_sum", f"合计列「{path[i]}」所含各列不明")
        return None
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
        if three_public and (MEETING_TRAINING.search(middle[0]) or not three_public_item(middle[0])):
            continue  # a 三公 table prints 会议费 and 培训费 beside the 三公, not in them
        if len(middle) == 2 and GROUP_TOTAL_SEGMENT.search(middle[1]):
            members[middle[0]]["total"].append(k)
        else:
            members[middle[0]]["leaves"].append(k)
    components = [(name, m["total"][:1] or m["leaves"]) for name, m in members.items()]
    return components if len(components) >= 2 else None


def row_sum_findings(view: TableView) -> tuple[list[Finding], set[str | None]]:
    """Each 合计/小计 column against the columns it adds up, row by row; and the rows checked."""
    findings = []
    checked: set[str | None] = set()
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
            checked.add(rv.label)
            finding = sum_finding("row_sum", view, stated, parts, what, row_subject(rv))
            if finding:
                findings.append(finding)
    return findings, checked


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


def misread(view: TableView) -> bool:
    """Whether the table was misread (worked out once per table): so many rows fail their sums, or the reader
    found its grid misread (``Table.misread``: words run into a figure, totals a row off their names)."""
    if view.misread is None:
        hierarchy, h_checked = code_hierarchy_findings(view)
        rows, r_checked = row_sum_findings(view)
        failing = {f.locations[0].row for f in hierarchy + rows}
        checked = h_checked | r_checked
        view.misread = view.table.misread is not None or names_off_by_a_row(view) or (
            len(failing) >= MISREAD_MIN_ROWS and len(failing) >= MISREAD_SHARE * max(len(checked), 1))
    return view.misread


def names_off_by_a_row(view: TableView) -> bool:
    """Most rows named by a 经济分类 name carry another code's national name: each name was printed half
    a row above its code and figures and read with the row above (重庆's 基本支出情况表: "301 基本工资",
    "30101 津贴补贴" …), so a row printed at a page's foot goes missing and its parent no longer adds up."""
    codes = {compact(name): code for code, name in ECONOMIC_NAMES.items()}
    named = [(rv.code, codes[name]) for rv in view.rows
             if rv.code in ECONOMIC_NAMES and (name := compact(rv.name)) in codes]  # 2210201 住房公积金 is no 30113
    off = sum(1 for code, national in named if code != national)
    return off >= MISREAD_MIN_ROWS and 2 * off > len(named)
