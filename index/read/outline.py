"""Rows without a 科目编码 that are parts of the row above: "其中：" and the outline markers under it.

广州's 三公 table, with the parent each row gets (``Row.parent_row``, an index into the table's rows):

    0 行政经费                              —
    1 “三公”经费                  226.86    —
    2 其中：（一）因公出国（境）支出  215.60    1   "其中：" opens the parts of the row above
    3 （二）公务用车购置及运行维护支出   0.00    1   same marker as row 2: its sibling
    4 1.公务用车购置费                 0.00    3   a deeper marker: a part of row 3
    5 2.公务用车运行维护费              0.00    3
    6 （三）公务接待费支出             11.26    1

Markers are 一、 / （一） / 1. / （1） (``ITEM_MARKERS``); a marker already open closes the rows opened
after it; an unmarked row, a total and a coded row start again at the top, and only "其中：" makes
parts of an unmarked or coded row. A "其中：" row with nothing
above it to belong to gets no parent and a warning: the structure is not guessed.
"""

from __future__ import annotations

from index.core.lexicon import ITEM_MARKERS, PART_OF
from index.core.model import Row
from index.core.text import compact

Kind = int | str  # 1–4 for marked rows; "Q" a 其中 row with no marker; "U" unmarked; "C" coded


def _marker(name: str) -> int | None:
    for level, pattern in ITEM_MARKERS:
        if pattern.match(name):
            return level
    return None


def link_parts(rows: list[Row], first: int, table_name: str, warnings: list[str]) -> None:
    """Set ``parent_row`` on one side's rows; ``first`` is the index of ``rows[0]`` in the table."""
    stack: list[tuple[Kind, int]] = []  # the open rows, outermost first, with their kind
    for k, row in enumerate(rows):
        i = first + k
        if row.is_total or row.is_unit_total:
            stack = []
            continue
        if row.level is not None:
            stack = [("C", i)]
            continue
        name = compact(row.name)
        part_of = PART_OF.match(name)
        rest = name[part_of.end():].lstrip("：:；;") if part_of else name
        kind: Kind | None = _marker(rest)
        if part_of:
            kind = kind if kind is not None else "Q"
            if stack and stack[-1][0] == kind:
                stack.pop()  # "其中：公用经费" after "其中：人员经费": a sibling
            elif not stack:
                warnings.append(f"{table_name}「{row.name}」上方没有可归属的行，未判定其上级")
                stack = [(kind, i)]
                continue
            row.parent_row = stack[-1][1] if stack else None
            stack.append((kind, i))
        elif kind is not None:
            kinds = [kd for kd, _ in stack]
            if kind in kinds:
                del stack[kinds.index(kind):]  # a sibling of an open row closes what was opened after it
            elif stack and stack[-1][0] in ("U", "C"):
                stack = []  # only "其中：" makes parts of an unmarked or coded row
            row.parent_row = stack[-1][1] if stack else None
            stack.append((kind, i))
        else:
            stack = [("U", i)]
