"""Synthetic table grids built in code (no PDF), shared by the table-reading tests.

A grid is written as rows of cells: a string is a cell's printed text ("" a blank cell), ``None`` a
position covered by a merged cell, and ``("本年收入", 2)`` a cell spanning two columns. Every column is
80 points wide, every row 20 high, so two grids written alike are ruled alike.
"""

from __future__ import annotations

from decimal import Decimal

from index.core.model import Table
from index.core.text import normalize
from index.read.grid import clean_grid
from index.read.pdf import RawCell, RawTable
from index.read.tables import build_table

Spec = str | tuple[str, int] | None
COL_WIDTH, ROW_HEIGHT, LEFT = 80.0, 20.0, 50.0


def raw_table(rows: list[list[Spec]], page: int = 1, top: float = 100.0) -> RawTable:
    grid: list[list[RawCell | None]] = []
    for i, row in enumerate(rows):
        cells: list[RawCell | None] = []
        for j, spec in enumerate(row):
            if spec is None:
                cells.append(None)
                continue
            text, span = spec if isinstance(spec, tuple) else (spec, 1)
            x0, y0 = LEFT + j * COL_WIDTH, top + i * ROW_HEIGHT
            cells.append(RawCell(text=normalize(text), bbox=(x0, y0, x0 + span * COL_WIDTH, y0 + ROW_HEIGHT)))
        grid.append(cells)
    width = max(len(r) for r in rows)
    return RawTable(page=page, bbox=(LEFT, top, LEFT + width * COL_WIDTH, top + len(rows) * ROW_HEIGHT), grid=grid)


def read(rows: list[list[Spec]], unit: str | None = "万元", title: str = "测试表") -> Table:
    return build_table(clean_grid(raw_table(rows)), "表1", title, unit, section_path=[])


def by_name(table: Table) -> dict[str | None, list[Decimal | None]]:
    return {row.name: [c.value for c in row.cells] for row in table.rows}
