"""A table that flows onto the next page: project the continuation's cells onto the first part's columns.

Page 7 ends a 支出表 after "2010301 行政运行"; page 8 goes on with "2010302 一般行政管理事务", with the
header repeated or not. Each cell of page 8 lands in the column of page 7 whose x-range holds it, so
the rows read as one table; a continuation whose cells fall outside (another layout) is a new table.
A first row on page 8 with text only under 绩效目标 ("的长期稳定；…", no name, no amount) is the tail
of the last row of page 7, wrapped over the break: it joins that row's cell. Several cells may be cut
at once ("务支出" under 经济科目 and "务" under 采购品目, 苏州's 政府采购支出表): each joins its own.
"""

from __future__ import annotations

from index.core.numbers import try_parse_number
from index.core.text import compact
from index.read.grid import Grid, GridRow, column_paths, text_of
from index.read.pdf import RawCell
from index.read.roles import segments


def project_rows(base: Grid, part: Grid, header_rows: int) -> list[GridRow] | None:
    """Map a continuation's cells onto ``base`` columns; None when they don't line up.

    Columns are matched edge to edge when the part draws the same ruling (a few points off, page after
    page); otherwise each cell goes by its own x position."""
    mapping = column_map(base, part)
    projected = []
    for row in part.rows[header_rows:]:
        out: GridRow = [None] * len(base.xranges)
        for k, cell in enumerate(row):
            if cell is None:
                continue
            center = (cell.bbox[0] + cell.bbox[2]) / 2
            target = mapping[k] if mapping is not None else _column_at(base.xranges, center, cell.bbox[0])
            if target is None:
                return None
            if text_of(out[target]):
                if not cell.text:
                    continue
                return None  # two cells fall into one column: different layout
            out[target] = cell
        projected.append(out)
    return projected


DRIFT = 10.0  # points: one table's ruling drawn again on a later page lands this close


def column_map(base: Grid, part: Grid) -> list[int] | None:
    """Each ``part`` column → the ``base`` column with the nearest left and right edges, when every
    part column has one within ``DRIFT`` and the order is kept: the same ruling, drawn again."""
    mapping: list[int] = []
    for x0, x1 in part.xranges:
        j = min(range(len(base.xranges)), key=lambda j: abs(base.xranges[j][0] - x0), default=None)
        if j is None or abs(base.xranges[j][0] - x0) > DRIFT or (mapping and j <= mapping[-1]):
            return None
        right = min(range(len(base.xranges)), key=lambda k: abs(base.xranges[k][1] - x1))
        if abs(base.xranges[right][1] - x1) > DRIFT:
            return None
        mapping.append(j)
    return mapping


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


def _columns(grid: Grid, n_header: int) -> tuple[set[int], set[int]]:
    """(key columns, amount columns): a tail has text in neither, a body row no words in the second."""
    segs = segments(grid, n_header, column_paths(grid, n_header))
    keys = {j for seg in segs for j in [*seg.code_cols, *([seg.name_col] if seg.name_col is not None else [])]}
    return keys, {j for seg in segs for j in seg.value_cols}


TAIL_CHARS = 6  # a cell cut by the break leaves a few characters ("务支出"); an indicator row says more


def _is_tail(row: GridRow, keys: set[int], values: set[int]) -> bool:
    """Text only outside the key and amount columns: the rest of a cell cut by the page break, or of
    several cells when each is a short fragment without figures ("务支出 | 务", never "指标2：… | 8万元")."""
    texts = [j for j, cell in enumerate(row) if text_of(cell)]
    if not texts or any(j in keys or j in values for j in texts):
        return False
    return len(texts) == 1 or all(
        len(compact(text_of(row[j]))) <= TAIL_CHARS and not any(ch.isdigit() for ch in text_of(row[j])) for j in texts
    )


def body_rows(base: Grid, base_header: int, rows: list[GridRow]) -> int:
    """How many of ``rows`` (projected onto ``base``), from the first, read as its body rather than a
    header: a tail of a wrapped cell, or a row with no words under the amount columns ("（十九）…" with
    blank amounts). A header names its amount columns ("预算数")."""
    if len(base.rows) <= base_header:
        return 0  # nothing above to continue
    keys, values = _columns(base, base_header)
    if not values:
        return len(rows)  # a text table (绩效目标表) has no header words to tell apart: same ruling decides
    count = 0
    for i, row in enumerate(rows):
        words = [j for j in values if text_of(row[j]) and try_parse_number(text_of(row[j])) is None]
        if words or not ((i == 0 and _is_tail(row, keys, values)) or any(text_of(row[j]) for j in keys)):
            break
        count += 1
    return count


def join_tails(grid: Grid, n_header: int, start: int) -> None:
    """The first row of a continuation (at ``start``), when it is a tail, joins the cell above it."""
    keys, values = _columns(grid, n_header)
    if not (n_header < start < len(grid.rows) and _is_tail(grid.rows[start], keys, values)):
        return
    tail, above = grid.rows[start], grid.rows[start - 1]
    cut = [(j, c) for j, c in enumerate(tail) if c is not None and c.text]
    if not all((head := above[j]) is not None and head.text for j, _ in cut):
        return  # nothing above to continue: keep the row as printed
    for j, cell in cut:
        head = above[j]
        assert head is not None
        above[j] = RawCell(text=head.text + cell.text, bbox=head.bbox, ocr=head.ocr or cell.ocr)
    grid.rows.pop(start)
    grid.pages.pop(start)
