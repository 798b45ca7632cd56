"""Tables grouped by 预算单位: which unit each row belongs to, which rows are a unit's own line, and
which row is the total over all units.

深圳's 支出总表 prints the department's line first, then each unit's line and its 科目 rows:

    预算单位              | 科目编码 | 科目名称 | 支出总计
    深圳市生态环境局        |          |          | 190,281.97   ← the total over units (is_total)
    深圳市生态环境局（本级） |          |          |  63,051.28   ← a unit's line (is_unit_total, is_subtotal)
                           | 205      | 教育支出  |     132.06   ← unit = 深圳市生态环境局（本级）
    深圳市光明管理局         |          |          |   8,726.94   ← another unit's line
                           | 205      | 教育支出  |      20.00   ← unit = 深圳市光明管理局

A unit's line prints figures but no 科目: before this module it read as "the total row" of the table.
The total over units is the unit line equal to the sum of all the others (it may be printed first,
last, or on another page); when none is, no row is the table's total and a warning says so.

Where the units head their rows in the name column instead (深圳's 基本支出总表: "深圳市生态环境局",
"深圳市生态环境局（本级）", "工资福利支出" …), rows named like organisations are the unit lines, but
only when one of them is the sum of the others: otherwise nothing is marked.
"""

from __future__ import annotations

from decimal import Decimal

from index.core.lexicon import BUDGET_UNIT_ATTRIBUTE, ORGANISATION_NAME, TOTAL_ROW, plain_name
from index.core.model import Row, Table
from index.core.text import compact


def unit_column(table: Table) -> str | None:
    """The attribute (text column) naming each row's 预算单位, when the table has one."""
    for row in table.rows:
        for key, value in row.attributes.items():
            if value and BUDGET_UNIT_ATTRIBUTE.search(key):
                return key
    return None


def mark_unit_groups(table: Table, named_by_unit: bool = False) -> None:
    """Set ``unit`` on every row of a table grouped by 预算单位, its unit lines and its total.

    ``named_by_unit``: the rows' name column is the 预算单位 itself (深圳's 三公 表: 预算单位 | 年度 | …,
    the unit's cell spanning its 2025年 / 2026年 / 增减变化金额 rows): each row belongs to the unit
    named on it or, printed blank, above it. Without a 预算单位 column, units may head their rows in
    the name column (深圳's 基本支出总表: 深圳市生态环境局, 深圳市生态环境局（本级）, 工资福利支出 …)."""
    key = unit_column(table)
    if key is not None:
        _group_by_attribute(table, key)
    elif named_by_unit:
        _fill_down_names(table)
        named = [r for r in table.rows if r.name and r.code is None and not r.is_total]
        if all(r.name for r in table.rows if not r.is_total):  # one row per unit: find their total
            _mark_lines(table, named)
    else:
        _mark_lines(table, [r for r in table.rows if r.code is None and not r.is_total and _names_unit(r)])


def _names_unit(row: Row) -> bool:
    return bool(ORGANISATION_NAME.search(compact(row.name or "")))


def _mark_lines(table: Table, lines: list[Row]) -> None:
    """Unit lines found by their names count only when one of them is the sum of the others (three
    lines at least): a list of items whose names merely end like an organisation's is left alone."""
    if len(lines) < 3 or any(r.is_total for r in table.rows):
        return
    total = _total_over_units(table, lines)
    if total is None:
        return
    current: str | None = None
    line_ids = {id(r) for r in lines}
    for row in table.rows:
        if id(row) in line_ids:
            current = compact(row.name)
            row.is_total, row.is_subtotal, row.is_unit_total = row is total, row is not total, row is not total
        row.unit = current


def _group_by_attribute(table: Table, key: str) -> None:
    current: str | None = None
    lines: list[Row] = []
    for row in table.rows:
        printed = (row.attributes.get(key) or "").strip()
        if printed and TOTAL_ROW.match(plain_name(printed)):
            current = None  # "合计" under 预算单位: the table's own total, already marked
            continue
        if printed:
            current = compact(printed)
            if row.code is None and (row.name is None or TOTAL_ROW.match(plain_name(row.name))):
                lines.append(row)
        row.unit = current
    if len(lines) < 2:
        return  # one unit: its line is the table's total as read
    for row in lines:
        row.is_total, row.is_subtotal, row.is_unit_total = False, True, True
    total = None if any(r.is_total for r in table.rows) else _total_over_units(table, lines)
    if total is not None:
        total.is_total, total.is_subtotal, total.is_unit_total = True, False, False
    if not any(r.is_total for r in table.rows):
        table.warnings.append(
            f"{table.label or table.title or '表格'}按预算单位分组，未找到等于各单位之和的总计行，合计不确定"
        )


def _fill_down_names(table: Table) -> None:
    current: str | None = None
    for row in table.rows:
        if row.is_total:
            current = None
            continue
        if row.name:
            current = compact(row.name)
        row.unit = current


def _total_over_units(table: Table, lines: list[Row]) -> Row | None:
    """The unit line equal to the sum of all other unit lines, in every column it prints."""
    columns = [j for j in range(len(table.columns)) if any(r.cells[j].value is not None for r in lines)]
    found = [
        row for row in lines
        if columns and all(_sums(row, [r for r in lines if r is not row], j) for j in columns)
    ]
    # Two unit lines equal to each other (a department of one unit): the department's own line,
    # not its （本级）, is the total; on a tie the first printed.
    found.sort(key=lambda r: "本级" in (r.unit or ""))
    return found[0] if found else None


def _sums(row: Row, others: list[Row], j: int) -> bool:
    """The row's figure in column j equals the others' (blank as 0), to the printed precision."""
    stated = row.cells[j].value or Decimal(0)
    parts = [r.cells[j].value or Decimal(0) for r in others]
    exponents = [e for v in [stated, *parts] if isinstance(e := v.as_tuple().exponent, int)]
    tolerance = Decimal(1).scaleb(min(exponents, default=0)) * max(1, len(parts)) / 2  # each figure rounded once
    return abs(stated - sum(parts, Decimal(0))) <= tolerance
