"""Whether a built table was evidently misread: its figures cannot be trusted where they sit.

Two signs that the grid was cut wrong, so that figures sit under other rows or columns than printed:

- words run into a figure in an amount column ("收入12,672.73": a wrapped header line "一般公共预算拨款
  收入" merged into the 合计 row's first figure, the columns after it shifted);
- a row named by a total word ("收入合计") printing nothing while a row with no name and no code prints
  figures: the figures were read a row off their names (重庆's 表四).

    >>> misread_reason(table)        # 重庆市气象局 表二, its three-line header read into the body
    '数值列中文字与数字连在一起（“收入12,672.73”），表头或列未能正确读出'

The reader stores the reason on the table (``Table.misread``); answers take no figure from such a
table, and the audit sums none of it.
"""

from __future__ import annotations

import re

from index.core.lexicon import TOTAL_SUFFIX
from index.core.model import Row, Table
from index.core.text import compact

# A figure with words run into it ("收入154,304.22", "障中18心39311.66"); a unit after the figure
# ("12.00万元") is a figure, and so is a year before it ("2025年 12.00" never reaches an amount column).
WORDS_IN_FIGURE = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff]*\d[\d,]*\.\d|\d[\d,]*\.?\d*[\u4e00-\u9fff]+\d")


def amount_columns(table: Table) -> list[int]:
    """Columns most of whose printed cells are figures: where a cell of words is out of place."""
    out = []
    for j in range(len(table.columns)):
        cells = [r.cells[j] for r in table.rows if j < len(r.cells) and r.cells[j].text]
        if cells and sum(1 for c in cells if c.value is not None) >= max(1, len(cells) // 2):
            out.append(j)
    return out


def misread_reason(table: Table) -> str | None:
    """Why the table's figures cannot be trusted where they sit, in Chinese; None when nothing shows it."""
    if table.unit is None:
        return None  # a form kept as text: its cells are words by design
    columns = amount_columns(table)
    for row in table.rows:
        for j in columns:
            cell = row.cells[j] if j < len(row.cells) else None
            if cell is not None and cell.value is None and WORDS_IN_FIGURE.search(cell.text or ""):
                return f"数值列中文字与数字连在一起（“{cell.text}”），表头或列未能正确读出"
    blank_total = next((r for r in table.rows if r.name and TOTAL_SUFFIX.search(compact(r.name))
                        and not _prints(r, columns)), None)
    if blank_total is not None and any(not r.name and not r.code and _prints(r, columns) for r in table.rows):
        return f"“{blank_total.name}”行空白而无名行印有数字，行与数字错位"
    return None


def _prints(row: Row, columns: list[int]) -> bool:
    return any(j < len(row.cells) and row.cells[j].value is not None for j in columns)
