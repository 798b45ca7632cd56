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

Where the reader marked nothing, two more shapes are read from the rows themselves:

    units heading their items (广州's 基本支出预算表)   units by 单位编码 (苏州's 收入总表, 西安's 收入总表)
    合计                        14,913.65  total     合计                 64,090.74  total
    广州市人民政府办公厅（本级）  13,192.65  line      068 苏州市数据局       64,090.74  (the department: = total)
      工资福利支出               9,099.10  an item   068001 苏州市数据局    54,502.89  line
      …                                             068004 苏州市信息中心（…） 1,763.06  line
    广州市政府政务信息系统管理中心  889.61  line

A line heading items is a row named like an organisation, with no code and no text beside its name (a
project prints its 绩效目标); its items are the plain rows up to the next line, with no code, no
enumerator and no parent of their own, so that the line is the sum of them all. Nothing marks these
lines but their names, so they are trusted only when the total equals their sum in every column: a unit
whose name reads otherwise (or a project named like a unit) leaves the sum short (or over), and the
groups unknown. A wrong figure on a line therefore skips the table rather than being reported.

A line equals the sum of its block's top-level 科目 (or, in the first shape, of its items); the total equals the sum of the lines. Anything
else (rows outside a block, a unit printed twice, a second total, nesting the codes cannot settle) is
``None``: the groups are not known and the caller counts a skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.core.lexicon import ENUMERATOR, ORGANISATION_NAME
from index.core.text import compact
from qa.audit.model import RowView, TableView, differs, slack_of, total_of
from qa.audit.reading.structure import names_an_organisation

# A note after a unit's name: "广州地区公文交换站（广州市人民政府公报编辑部）".
TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")


@dataclass
class UnitGroups:
    total: RowView | None  # the total over units, when printed
    lines: list[RowView]  # each unit's own line, in printed order
    blocks: list[list[RowView]]  # each line's rows (its 科目); empty for a table of one row per unit
    items: bool = False  # the blocks are plain items (no 科目): each line is the sum of its block's rows


def unit_groups(view: TableView) -> UnitGroups | None:
    """The table's groups by 预算单位, or None when they cannot be told apart with certainty."""
    totals = [rv for rv in view.rows if rv.row.is_total]  # the table's own total, not a unit's line
    if len(totals) > 1:
        return None
    total = totals[0] if totals else None
    lines = [rv for rv in view.rows if rv.row.is_unit_total]
    if lines:
        return _blocks(view, total, lines)
    return _items_by_unit(view, total) or _one_row_per_unit(view, total)


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


def _items_by_unit(view: TableView, total: RowView | None) -> UnitGroups | None:
    """Units heading their plain items in the name column, under the table's total (广州's 基本支出预算表,
    项目支出预算表): None unless every row is the total, a line or an item of the line above it."""
    rows = [rv for rv in view.rows if rv is not total]
    if total is None and rows and rows[0].row.is_subtotal and _heads_items(rows[0], view.units):
        total, rows = rows[0], rows[1:]  # 深圳's 项目支出总表: the department's own line over its units' lines
    lines = [rv for rv in rows if _heads_items(rv, view.units)]
    if total is None or len(lines) < 2 or not rows or rows[0] is not lines[0]:
        return None
    if len({compact(rv.row.name or "") for rv in lines}) != len(lines):
        return None  # a unit printed twice
    starts = [rows.index(line) for line in lines] + [len(rows)]
    blocks = [rows[a + 1:b] for a, b in zip(starts, starts[1:])]
    if any(not block or any(not _plain_item(rv, view.units) for rv in block) for block in blocks):
        return None  # a unit with no items, or items nested under items: what adds up to what is unknown
    if not _adds_up(view, total, lines):
        return None
    return UnitGroups(total, lines, blocks, items=True)


def _heads_items(rv: RowView, units: frozenset[str]) -> bool:
    """A row naming a unit: 广州市政府政务信息系统管理中心, 广州地区公文交换站（广州市人民政府公报编辑部）, or a
    unit the document names as such elsewhere (中共广州市委讲师团 in its 收入总体情况表)."""
    name = compact(rv.row.name or "")
    named = names_an_organisation(rv.row) or bool(ORGANISATION_NAME.search(TRAILING_NOTE.sub("", name))) or name in units
    return rv.row.code is None and not rv.row.is_total and named and not any(rv.row.attributes.values())


def _adds_up(view: TableView, total: RowView, lines: list[RowView]) -> bool:
    """The total equals the lines' sum in every column it prints."""
    for j in view.numeric:
        stated = view.figure(total, j)
        parts = [f for rv in lines if (f := view.figure(rv, j))]
        if stated is not None and differs(stated.yuan, total_of(parts), stated.slack + slack_of(parts)):
            return False
    return True


def _plain_item(rv: RowView, units: frozenset[str]) -> bool:
    name = rv.row.name or ""
    return (rv.row.code is None and not rv.is_total and rv.row.parent_row is None and bool(name)
            and not ENUMERATOR.match(name) and not _heads_items(rv, units))


def _one_row_per_unit(view: TableView, total: RowView | None) -> UnitGroups | None:
    """Each row a unit (its name or its 单位编码 the unit's): the department's own lines, equal to the total,
    are left out (西安: 153 西安市公安局 = 合计, then 153001 西安市公安局 (本级), 153002 …; a department of
    one unit prints 114 and 114001 both equal to the total, and has no line to add up)."""
    units = [rv for rv in view.rows if rv is not total]
    if total is None or not units or any(rv.code or not unit_of(rv) for rv in units):
        return None
    lines = [rv for rv in units if not _same_figures(view, rv, total)]
    if lines and len(units) - len(lines) > 1:
        return None  # two lines equal to the total beside others: nested units, which adds up to which is unknown
    if len({unit_of(rv) for rv in lines}) != len(lines):
        return None  # a unit on two rows: project rows under their unit, not one row per unit
    codes = [rv.row.code for rv in lines if rv.row.code]  # a 单位编码 (the audit reads no 科目 here)
    if any(a != b and b.startswith(a) for a in codes for b in codes):
        return None  # a unit code inside another's (153 ⊃ 153001): nested units, which adds up to which is unknown
    return UnitGroups(total, lines, [[] for _ in lines])


def unit_of(rv: RowView) -> str | None:
    """The unit a row names: as the reader marked it, its name when that is an organisation's, or the
    单位编码 printed beside it (068004 苏州市信息中心（苏州市数字城市运营管理中心）)."""
    if rv.row.unit or names_an_organisation(rv.row):
        return rv.row.unit or compact(rv.row.name or "")
    return rv.row.code if rv.row.code and rv.row.level is None and len(rv.row.code) >= 6 else None


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
