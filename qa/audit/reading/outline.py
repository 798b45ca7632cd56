"""Tables without 科目编码 (收支总表, 财政拨款收支总表, 三公 tables): the row outline says what adds up.

Rows are marked "一、" (1), "（一）" (2), "1." (3), "（1）" (4); unmarked rows are "U", 其中 rows "Q",
合计/总计 rows "T". A marked row equals its nearest deeper-marked rows; a total equals the top-level
rows above it (the first rows decide which level is top); "收入总计" after "本年收入合计" equals that
合计 plus the rows in between (上年结转 …). A column of unmarked rows has no readable hierarchy
(预算内资金 ⊃ 一般公共预算收入 are both unmarked): nothing is checked there. Two-sided tables are
read side by side: 收入 rows first, then 支出 rows (the parser's order). A side printed in several blocks
across the page (西安: 支出 by 功能分类, 部门经济分类, 政府经济分类) is summed block by block when the reader
put the blocks one after another, each closed by its 总计 and printing in a column of its own.

    表四 (收入 side)         level   adds up to
    一、本年收入              1       （一）+（二）
    （一）一般公共预算        2
    （二）政府性基金          2
    收入总计                  T       一、本年收入 (+ the rows after it)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from index.core.lexicon import ITEM_MARKERS, PART_OF
from index.core.text import compact
from qa.audit.model import Figure, RowView, TableView, differs, slack_of, total_of

MARKER_LEVELS = ITEM_MARKERS
# The reader numbers a repeated header "预算数#3": the table prints blocks side by side.
DUPLICATE_HEADER = re.compile(r"#\d+$")
Level = int | str  # 1–4 for marked rows, "U" unmarked, "Q" 其中, "T" total


def level(rv: RowView) -> Level:
    """"其中：（一）因公出国（境）支出" opens the marked children: its marker, not 其中, sets its level."""
    if rv.is_total:
        return "T"
    name = compact(rv.name)
    part_of = PART_OF.match(name)
    if part_of:
        name = name[part_of.end():].lstrip("：:；;")
    for lv, pattern in ITEM_MARKERS:
        if pattern.match(name):
            return lv
    return "Q" if part_of else "U"


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
    income: list[RowView] = []
    spending: list[RowView] = []
    current = income
    for rv in view.rows:
        has_income = any(view.figure(rv, j) for j in groups["收入"])
        has_spending = any(view.figure(rv, j) for j in groups["支出"])
        if has_spending and not has_income:
            current = spending
        current.append(rv)
    return [(groups["收入"], income), (groups["支出"], spending)]


def side_by_side(view: TableView, columns: list[int]) -> bool:
    """Two columns of one side with one header ("预算数", "预算数#3", "）预算数"): blocks of rows side by side."""
    if not view.is_summary:
        return False
    names = [re.sub(r"[^\u4e00-\u9fff\d]", "", re.sub(r"#\d+$", "", "".join(view.segments[j]))) for j in columns]
    if any(DUPLICATE_HEADER.search(view.table.columns[j]) for j in columns):
        return True
    return len(set(names)) < len(names)


@dataclass
class OutlineSum:
    """One row of an uncoded table and the printed rows that should add up to it, in one column."""

    row: RowView
    stated: Figure
    parts: list[Figure]
    is_total: bool  # a 合计/总计 row (else a marked row and its children)
    what: str  # how the message names the parts: "各项之和", "下级各项之和", "本年收入合计＋其后各项"
    blanks: int  # parts printed blank while their own parts are printed: a missing figure


def outline_sums(view: TableView, kind: str) -> Iterator[OutlineSum]:
    """Every checkable sum of an uncoded table, side by side, column by column (skips counted as ``kind``)."""
    if view.coded:
        return
    three_public = "三公" in view.title
    for whole_columns, whole_rows in sides(view):
        pieces = [(whole_columns, whole_rows)]
        if side_by_side(view, whole_columns):
            stacked = stacked_blocks(view, whole_columns, whole_rows)
            if stacked is None:
                view.skip(kind, "表内并列多组行，行的归属不明")
                continue  # "支出/预算数#3": a second block of rows side by side, which rows are whose is not known
            pieces = stacked
        for columns, rows in pieces:
            yield from _side_sums(view, columns, rows, kind, three_public)


def stacked_blocks(view: TableView, columns: list[int], rows: list[RowView]) -> list[tuple[list[int], list[RowView]]] | None:
    """Blocks printed side by side that the reader put one after another (西安's 收支总表: the spending side
    by 功能分类, then by 部门经济分类, then by 政府经济分类), each closed by its 总计 and printing in one column
    only: [(its column, its rows)], or None when any row prints outside its block's column."""
    blocks: list[list[RowView]] = [[]]
    for rv in rows:
        blocks[-1].append(rv)
        if rv.is_total and "总计" in rv.name:
            blocks.append([])
    if any(view.figure(rv, j) for rv in blocks.pop() for j in columns) or len(blocks) != len(columns):
        return None
    out = []
    for block in blocks:
        used = {j for rv in block for j in columns if view.figure(rv, j)}
        if len(used) != 1:
            return None
        out.append((sorted(used), block))
    return out if len({cols[0] for cols, _ in out}) == len(out) else None


def _side_sums(view: TableView, columns: list[int], rows: list[RowView], kind: str, three_public: bool) -> Iterator[OutlineSum]:
    """The sums of one side (or one block of a side): marked rows over their children, totals over the rows above."""
    levels = [level(rv) for rv in rows]
    groups = outline_groups(rows, levels, three_public)
    below = dict(groups)
    for j in columns:
        for k, parts in groups:
            stated = view.figure(rows[k], j)
            figures = [f for i in parts if (f := view.figure(rows[i], j))]
            if not (stated and figures):
                continue
            is_total = levels[k] == "T"
            what = "各项之和" if is_total else "下级各项之和"
            if is_total and parts and levels[parts[0]] == "T":
                if not (rows[parts[0]].row.name or "").strip():
                    # A row of figures with no name (西安's 收支总表 line 39 "0.00"; 决算总表 rows
                    # pairing 收入 and 支出 items): it was read as a total, but totals nothing known.
                    if differs(stated.yuan, total_of(figures), stated.slack + slack_of(figures)):
                        view.skip(kind, "合计行无名称，所含各行不明")
                    continue
                what = f"{rows[parts[0]].name}＋其后各项"
                # "年初结转和结余" and its unmarked parts after 本年收入合计: the parts are not more rows.
                first_two = [f for i in parts[:2] if (f := view.figure(rows[i], j))]
                if len(parts) > 2 and len(first_two) == 2 and not differs(
                    stated.yuan, total_of(first_two), stated.slack + slack_of(first_two)
                ):
                    continue
            blanks = sum(
                1 for i in parts
                if view.figure(rows[i], j) is None and any(view.figure(rows[c], j) for c in below.get(i, []))
            )
            yield OutlineSum(rows[k], stated, figures, is_total, what, blanks)


def outline_groups(rows: list[RowView], levels: list[Level], three_public: bool) -> list[tuple[int, list[int]]]:
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
                top = min(marked(levels, kids))
                out.append((k, [i for i in kids if levels[i] == top]))
    return out


def marked_children(levels: list[Level], k: int, three_public: bool) -> list[int]:
    kids: list[int] = []
    parts: list[int] = []
    own = levels[k]
    if not isinstance(own, int):
        return []
    for i in range(k + 1, len(levels)):
        lv = levels[i]
        if lv == "T" or (isinstance(lv, int) and lv <= own):
            break
        if isinstance(lv, int):
            kids.append(i)
        elif lv == "Q" or (lv == "U" and parts):
            parts.append(i)  # 其中 and the unmarked rows continuing it
    if kids:
        top = min(marked(levels, kids))
        return [i for i in kids if levels[i] == top]
    # Only the 三公 parts are complete (购置费 + 运行费); elsewhere 其中 names a share.
    return parts if three_public and len(parts) >= 2 else []


def total_parts(rows: list[RowView], levels: list[Level], start: int, k: int) -> list[int]:
    segment = list(range(start, k))
    previous_total = start - 1 if start > 0 and levels[start - 1] == "T" else None
    if previous_total is not None:
        if not ("总计" in rows[k].name and "合计" in rows[previous_total].name):
            return []  # 小计 … 合计 chains are not read
        top = [i for i in segment if levels[i] == "U"] or [i for i in segment if levels[i] == 1]
        return [previous_total, *top]
    if not segment:
        return []
    first = levels[segment[0]]
    rows_marked = [i for i in segment if isinstance(levels[i], int)]
    if first == "U":
        return [i for i in segment if levels[i] == "U"] if rows_marked else []
    if isinstance(first, int):
        lowest = min(marked(levels, rows_marked))
        return [i for i in rows_marked if levels[i] == lowest]
    return []


def marked(levels: list[Level], indices: list[int]) -> list[int]:
    """The outline levels (1–4) of the marked rows among ``indices``."""
    return [lv for i in indices if isinstance(lv := levels[i], int)]
