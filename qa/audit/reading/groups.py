"""A table grouped by 预算单位 read as its groups, so that sums are checked inside each group and the
total over units against the units' own lines, never across groups.

The reader (``index.read.units``) marks each row's unit, each unit's own line (``is_unit_total``) and
the total over units (``is_total``, printed first, last or on another page). Two shapes are read:

    blocks (深圳's 支出总表)                      one row per unit (广州's 收入总体情况表, 西安's 收入总表)
    深圳市生态环境局        190,281.97  total      合计                    632,065.70  total
    深圳市生态环境局（本级）  63,051.28  line       广州市交通运输局         360,549.97  line
      205 教育支出            132.06  its 科目     广州市交通管理总站         9,130.18  line
      …                                            …
    深圳市光明管理局          8,726.94  line
      205 教育支出             20.00  its 科目

A line equals the sum of its block's top-level 科目; the total equals the sum of the lines. Anything
else (rows outside a block, a unit printed twice, a second total, nesting the codes cannot settle) is
``None``: the groups are not known and the caller counts a skip.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from index.core.text import compact
from qa.audit.model import RowView, TableView
from qa.audit.reading.structure import names_an_organisation


@dataclass
class UnitGroups:
    total: RowView | None  # the total over units, when printed
    lines: list[RowView]  # each unit's own line, in printed order
    blocks: list[list[RowView]]  # each line's rows (its 科目); empty for a table of one row per unit


def unit_groups(view: TableView) -> UnitGroups | None:
    """The table's groups by 预算单位, or None when they cannot be told apart with certainty."""
    totals = [rv for rv in view.rows if rv.row.is_total]  # the table's own total, not a unit's line
    if len(totals) > 1:
        return None
    total = totals[0] if totals else None
    lines = [rv for rv in view.rows if rv.row.is_unit_total]
    if lines:
        return _blocks(view, total, lines)
    return _one_row_per_unit(view, total)


def _blocks(view: TableView, total: RowView | None, lines: list[RowView]) -> UnitGroups | None:
    rows = [rv for rv in view.rows if rv is not total]
    if rows[0] is not lines[0] or len({rv.row.unit for rv in lines}) != len(lines):
        return None  # rows before the first unit, or a unit printed twice: whose rows are whose is unknown
    blocks: list[list[RowView]] = []
    for a, line in enumerate(lines):
        start = rows.index(line) + 1
        end = rows.index(lines[a + 1]) if a + 1 < len(lines) else len(rows)
        body = rows[start:end]
        if any(rv.row.unit != line.row.unit for rv in body):
            return None
        blocks.append(body)
    return UnitGroups(total, lines, blocks)


def _one_row_per_unit(view: TableView, total: RowView | None) -> UnitGroups | None:
    """Each row a unit (its name the unit's): the department's own line, equal to the total, is left out
    (西安: 153 西安市公安局 = 合计, then 153001 西安市公安局 (本级), 153002 …)."""
    units = [rv for rv in view.rows if rv is not total]
    if total is None or not units or any(rv.code or not unit_of(rv) for rv in units):
        return None
    lines = [rv for rv in units if not _same_figures(view, rv, total)]
    if len(units) - len(lines) > 1 or len({unit_of(rv) for rv in lines}) != len(lines):
        return None  # a unit on two rows: project rows under their unit, not one row per unit
    codes = [rv.row.code for rv in lines if rv.row.code]  # a 单位编码 (the audit reads no 科目 here)
    if any(a != b and b.startswith(a) for a in codes for b in codes):
        return None  # a unit code inside another's (153 ⊃ 153001): nested units, which adds up to which is unknown
    return UnitGroups(total, lines, [[] for _ in lines])


def unit_of(rv: RowView) -> str | None:
    """The unit a row names: as the reader marked it, or its name when that is an organisation's."""
    return rv.row.unit or (compact(rv.row.name or "") if names_an_organisation(rv.row) else None)


def _same_figures(view: TableView, rv: RowView, total: RowView) -> bool:
    printed = [j for j in view.numeric if view.figure(total, j)]
    return bool(printed) and all(
        (a := view.figure(rv, j)) is not None and (b := view.figure(total, j)) is not None and a.value == b.value
        for j in printed
    )


def block_view(view: TableView, line: RowView, block: list[RowView]) -> TableView:
    """One unit's rows as a table of their own, the unit's line (named by the unit) as its total."""
    head = RowView(line.index, line.row, None, line.name, True)
    return replace(view, rows=[head, *block], grouped=False, continued=False, misread=None)
