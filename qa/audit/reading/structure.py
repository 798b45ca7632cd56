"""How far a table's structure can be trusted before anything in it is added up.

The readers (``index.read``) own a table's structure; the audit only asks whether what it was handed
can be summed. A table is *grouped* when its rows fall into blocks by 预算单位 (each with its own
subtotal, the same 科目 again in every block); it is *continued* when the next table of the document
is a fragment starting on the following page with no label or title of its own (its header was not
repeated, so the rows there were read as another table). Sums over either are skipped and the skip is counted.

    表3 支出总表: 合计 {预算单位: 深圳市生态环境局}, 合计 {预算单位: …（本级）}, 205, 20508 … 合计 {预算单位:
    深圳市饮用水源保护管理办公室}, 205 …  → grouped_by_unit: True (two 预算单位, 205 printed twice)

A column is an amount column only if its header is not a line number (行次, 栏次, 序号) or a header the
reader could not read ("列7"), and its figures are not 1, 2, 3 … down the rows.
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.core.lexicon import (
    BUDGET_UNIT_ATTRIBUTE,
    LINE_NUMBER_SEGMENT,
    ORGANISATION_NAME,
    PLACEHOLDER_SEGMENT,
)
from index.core.model import Row, Table
from index.core.text import compact


def is_line_number_column(table: Table, j: int) -> bool:
    """行次 / 栏次 / 序号 columns, unreadable headers, and columns counting 1, 2, 3 … down the rows."""
    segments = [compact(s) for s in table.columns[j].split("/")]
    if any(LINE_NUMBER_SEGMENT.match(s) or PLACEHOLDER_SEGMENT.match(s) for s in segments):
        return True
    values = [v for r in table.rows if j < len(r.cells) and (v := r.cells[j].value) is not None]
    if len(values) < 3 or any(v != v.to_integral_value() for v in values):
        return False
    return values == [values[0] + Decimal(k) for k in range(len(values))]


def names_an_organisation(row: Row) -> bool:
    """A row naming a budget unit (西安市交通运输局 / 222001) rather than a 科目."""
    return bool(ORGANISATION_NAME.search(compact(row.name or "")))


def grouped_by_unit(table: Table) -> bool:
    """Rows in blocks by 预算单位: two units named beside the rows, unit rows, or a 类 printed twice."""
    units = {
        v for row in table.rows for k, v in row.attributes.items() if BUDGET_UNIT_ATTRIBUTE.search(k) and v
    }
    if len(units) >= 2 or sum(1 for row in table.rows if names_an_organisation(row)) >= 2:
        return True
    first_seen: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        if row.code and row.level == 1:
            # A 明细表 repeats 项 codes once per economic item, never the 类 row itself far below …
            seen = first_seen.get(row.code)
            if seen is not None and i - seen > 1 and not _cross_classified(table.rows[seen], row):
                return True
            first_seen.setdefault(row.code, i)
    return False


def _cross_classified(first: Row, again: Row) -> bool:
    """… unless the two rows differ in a second classification printed beside the code (烟台's 基本支出表:
    301 工资福利支出 under 政府经济分类 501 机关工资福利支出, and again under 505 对事业单位经常性补助)."""
    keys = (set(first.attributes) | set(again.attributes)) - {k for k in first.attributes if BUDGET_UNIT_ATTRIBUTE.search(k)}
    return any(first.attributes.get(k) != again.attributes.get(k) for k in keys)


def continues_on_next(tables: list[Table], i: int) -> bool:
    """The next table is a fragment starting on the page after this table ends: no label and no title
    of its own (or this table's again, when the title was printed on every page)."""
    if i + 1 >= len(tables):
        return False
    table, after = tables[i], tables[i + 1]
    if after.label not in (None, table.label) or after.title not in (None, table.title):
        return False
    if (after.label, after.title) == (None, None) and not table.title and not table.label:
        return False
    if not after.pages or not table.pages:
        return False
    if len(after.columns) > len(table.columns) + 1:
        return False  # more columns than the table: another table whose title was not read
    if after.pages[0] not in (table.pages[-1], table.pages[-1] + 1):
        return False
    has_amounts = any(c.value is not None for r in after.rows for c in r.cells)
    return has_amounts and not _different_kind(table, after)


def _different_kind(table: Table, after: Table) -> bool:
    """A performance-target page after a budget table: text columns, no 科目 codes, no total rows."""
    coded = any(r.code for r in after.rows)
    totals = any(r.is_total for r in after.rows)
    numeric_share = sum(1 for r in after.rows for c in r.cells if c.value is not None) / max(
        1, sum(1 for r in after.rows for c in r.cells if c.text)
    )
    return not coded and not totals and numeric_share < 0.5


def column_years(column: str) -> set[int]:
    return {int(y) for y in re.findall(r"(20\d\d)\s*年", column)}
