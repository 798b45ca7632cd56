"""Tables without 科目编码 (收支总表, 财政拨款收支总表, 三公 tables): the row outline says what adds up.

Rows are marked "一、" (1), "（一）" (2), "1." (3), "（1）" (4); unmarked rows are "U", 其中 rows "Q",
合计/总计 rows "T". A marked row equals its nearest deeper-marked rows; a total equals the top-level
rows above it (the first rows decide which level is top); "收入总计" after "本年收入合计" equals that
合计 plus the rows in between (上年结转 …). A column of unmarked rows has no readable hierarchy
(预算内资金 ⊃ 一般公共预算收入 are both unmarked): nothing is checked there. Two-sided tables are
read side by side: 收入 rows first, then 支出 rows (the parser's order), and 收入总计 = 支出总计.
"""

from __future__ import annotations

import re

from index.core.text import compact
from qa.audit.model import Finding, RowView, TableView
from qa.audit.rules.tables import mismatch_finding, row_subject

MARKERS = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
]
PART = re.compile(r"^其中")


def level(rv: RowView) -> int | str:
    if rv.is_total:
        return "T"
    name = compact(rv.name)
    if PART.match(name):
        return "Q"
    for lv, pattern in MARKERS:
        if pattern.match(name):
            return lv
    return "U"


def sides(view: TableView) -> list[tuple[list[int], list[RowView]]]:
    """(columns, rows) per side: 收入 and 支出 halves of a 收支 table, else the whole table."""
    groups: dict[str, list[int]] = {}
    for j in view.numeric:
        head = view.segments[j][0]
        side = "收入" if "收入" in head else "支出" if "支出" in head else None
        if side:
            groups.setdefault(side, []).append(j)
    if not view.is_summary or set(groups) != {"收入", "支出"}:
        return [(view.numeric, view.rows)]
    income, spending = [], []
    current = income
    for rv in view.rows:
        has_income = any(view.figure(rv, j) for j in groups["收入"])
        has_spending = any(view.figure(rv, j) for j in groups["支出"])
        if has_spending and not has_income:
            current = spending
        current.append(rv)
    return [(groups["收入"], income), (groups["支出"], spending)]


def check_outline(view: TableView) -> list[Finding]:
    if view.coded:
        return []
    three_public = "三公" in view.title
    findings: list[Finding] = []
    halves = sides(view)
    for columns, rows in halves:
        levels = [level(rv) for rv in rows]
        groups = outline_groups(rows, levels, three_public)
        below = dict(groups)
        for j in columns:
            for k, parts in groups:
                stated = view.figure(rows[k], j)
                figures = [f for i in parts if (f := view.figure(rows[i], j))]
                if stated and figures:
                    kind = "total_row" if levels[k] == "T" else "hierarchy"
                    what = "各项之和" if levels[k] == "T" else "下级各项之和"
                    if levels[k] == "T" and parts and levels[parts[0]] == "T":
                        what = f"{rows[parts[0]].name}＋其后各项"
                    # A part printed blank while its own parts are printed is a missing figure (a warning).
                    blanks = sum(
                        1 for i in parts
                        if view.figure(rows[i], j) is None and any(view.figure(rows[c], j) for c in below.get(i, []))
                    )
                    finding = mismatch_finding(kind, view, stated, figures, what, row_subject(rows[k]), blanks)
                    if finding:
                        findings.append(finding)
    if len(halves) == 2:
        findings.extend(check_balance(view, halves))
    return findings


def outline_groups(rows: list[RowView], levels: list, three_public: bool) -> list[tuple[int, list[int]]]:
    """(row, the rows that should add up to it) for every checkable row of one side."""
    out = []
    segment_start = 0
    for k, lv in enumerate(levels):
        if lv == "T":
            parts = total_parts(rows, levels, segment_start, k)
            if parts:
                out.append((k, parts))
            segment_start = k + 1
        elif isinstance(lv, int):
            kids = marked_children(levels, k, three_public)
            if kids:
                out.append((k, kids))
        elif lv == "U" and not any(isinstance(x, int) for x in levels[segment_start:k]):
            kids = []
            for i in range(k + 1, len(levels)):
                if levels[i] in ("U", "T"):
                    break
                if isinstance(levels[i], int):
                    kids.append(i)
            if kids:
                top = min(levels[i] for i in kids)
                out.append((k, [i for i in kids if levels[i] == top]))
    return out


def marked_children(levels: list, k: int, three_public: bool) -> list[int]:
    kids, parts = [], []
    for i in range(k + 1, len(levels)):
        lv = levels[i]
        if lv == "T" or (isinstance(lv, int) and lv <= levels[k]):
            break
        if isinstance(lv, int):
            kids.append(i)
        elif lv == "Q" or (lv == "U" and parts):
            parts.append(i)  # 其中 and the unmarked rows continuing it
    if kids:
        top = min(levels[i] for i in kids)
        return [i for i in kids if levels[i] == top]
    # Only the 三公 parts are complete (购置费 + 运行费); elsewhere 其中 names a share.
    return parts if three_public and len(parts) >= 2 else []


def total_parts(rows: list[RowView], levels: list, start: int, k: int) -> list[int]:
    segment = list(range(start, k))
    previous_total = start - 1 if start > 0 and levels[start - 1] == "T" else None
    if previous_total is not None:
        if not ("总计" in rows[k].name and "合计" in rows[previous_total].name):
            return []  # 小计 … 合计 chains are not read
        top = [i for i in segment if levels[i] == "U"] or [i for i in segment if isinstance(levels[i], int) and levels[i] == 1]
        return [previous_total, *top]
    if not segment:
        return []
    first = levels[segment[0]]
    marked = [i for i in segment if isinstance(levels[i], int)]
    if first == "U":
        return [i for i in segment if levels[i] == "U"] if marked else []
    if isinstance(first, int):
        top = min(levels[i] for i in marked)
        return [i for i in marked if levels[i] == top]
    return []


def check_balance(view: TableView, halves) -> list[Finding]:
    """收入总计 = 支出总计 in a 收支总表 (本年收入合计 and 本年支出合计 may differ by 结转)."""
    ends = []
    for columns, rows in halves:
        grand = [rv for rv in rows if rv.is_total and "总计" in rv.name]
        figure = view.figure(grand[-1], columns[0]) if grand else None
        if figure is None:
            return []
        ends.append((grand[-1], figure))
    (income_row, income), (spending_row, spending) = ends
    finding = mismatch_finding("balance", view, income, [spending], f"{spending_row.name}", row_subject(income_row))
    return [finding] if finding else []
