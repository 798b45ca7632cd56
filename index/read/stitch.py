"""A table that flows onto the next page: project the continuation's cells onto the first part's columns.

Page 7 ends a 支出表 after "2010301 行政运行"; page 8 goes on with "2010302 一般行政管理事务", with the
header repeated or not. Each cell of page 8 lands in the column of page 7 whose x-range holds it, so
the rows read as one table; a continuation whose cells fall outside (another layout) is a new table.
"""

from __future__ import annotations

from index.core.numbers import try_parse_number
from index.core.text import compact
from index.read.grid import Grid, GridRow, text_of


def project_rows(base: Grid, part: Grid, header_rows: int) -> list[GridRow] | None:
    """Map a continuation's cells onto ``base`` columns by x position; None when they don't line up."""
    projected = []
    for row in part.rows[header_rows:]:
        out: GridRow = [None] * len(base.xranges)
        for cell in row:
            if cell is None:
                continue
            center = (cell.bbox[0] + cell.bbox[2]) / 2
            target = _column_at(base.xranges, center, cell.bbox[0])
            if target is None:
                return None
            if text_of(out[target]):
                if not cell.text:
                    continue
                return None  # two cells fall into one column: different layout
            out[target] = cell
        projected.append(out)
    return projected


def _column_at(xranges: list[tuple[float, float]], center: float, left: float) -> int | None:
    for j, (x0, x1) in enumerate(xranges):
        if x0 - 2 <= left <= x1 and left < x1 - 1 and x0 - 2 <= center:
            # a merged cell starts in column j even if its centre lies further right
            return j
    for j, (x0, x1) in enumerate(xranges):
        if x0 - 2 <= center <= x1 + 2:
            return j
    return None


def header_matches(base: Grid, base_header: int, part: Grid, part_header: int) -> bool:
    """A repeated header: each of its cells equals, or is the start of, the first part's cell above it."""
    if part_header == 0:
        return True
    if part_header > base_header or len(part.xranges) != len(base.xranges):
        return False
    for i in range(part_header):
        for a, b in zip(base.rows[i], part.rows[i]):
            ta, tb = compact(text_of(a)), compact(text_of(b))
            if tb and not ta.startswith(tb):
                return False
    return True


def _numeric_column(grid: Grid, n_header: int, end: int, j: int) -> bool:
    """Judged on the rows above the continuation: blank or numbers only."""
    body = [text_of(r[j]) for r in grid.rows[n_header:end] if text_of(r[j])]
    return all(try_parse_number(t) is not None for t in body)


def drop_header_spill(grid: Grid, base_header: int, paths: list[str], start: int, warnings: list[str]) -> None:
    """A header cell wrapped over a page break leaves its tail ("款收入") in the first body row below it."""
    for row in grid.rows[start:start + 1]:
        for j, cell in enumerate(row):
            if cell is None or not cell.text or try_parse_number(cell.text) is not None:
                continue
            tail = compact(cell.text)
            if paths[j] and compact(paths[j]).endswith(tail) and _numeric_column(grid, base_header, start, j):
                warnings.append(f"跨页表头残片「{cell.text}」已忽略（第 {grid.pages[start]} 页）")
                row[j] = None
