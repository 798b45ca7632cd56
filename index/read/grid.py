"""A raw table grid cleaned and split: caption rows out, header rows apart, header flattened into paths.

    预算01表                        (caption row drawn in the grid: kept as a caption)
    项目        | 本年收入 |          (header: "本年收入" spans two columns)
                | 财政拨款 | 其他
    合计        | 100.00   | 20.00   (first body row: it prints amounts)

→ captions ["预算01表"], 2 header rows, column paths ["项目", "本年收入/财政拨款", "本年收入/其他"].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from index.core.lexicon import CAPTION_IN_GRID, FULL_CODE, LINE_NUMBER_SEGMENT, TABLE_TITLE, TOTAL_ROW
from index.core.model import BBox
from index.core.numbers import is_amount_text, try_parse_number
from index.core.text import compact
from index.read.pdf import RawCell, RawTable

GridRow = list[RawCell | None]


@dataclass
class Grid:
    """A cleaned grid: rows of cells (None where merged), with each column's x-range."""

    rows: list[GridRow]
    pages: list[int]  # page of each row
    xranges: list[tuple[float, float]]
    captions: list[str] = field(default_factory=list)


def grid_bbox(grid: Grid) -> BBox:
    """The table's box on its first page: its columns' span, from its first cell's top to its last cell's bottom."""
    first = next((c for r in grid.rows for c in r if c is not None), None)
    last = next((c for r in reversed(grid.rows) for c in reversed(r) if c is not None), None)
    return (
        min(x0 for x0, _ in grid.xranges) if grid.xranges else 0.0,
        first.bbox[1] if first else 0.0,
        max(x1 for _, x1 in grid.xranges) if grid.xranges else 0.0,
        last.bbox[3] if last else 0.0,
    )


def bbox_union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def text_of(cell: RawCell | None) -> str:
    """A cell's text; "" for a blank cell and for a position a merged cell covers."""
    return cell.text if cell is not None else ""


def clean_grid(raw: RawTable) -> Grid:
    rows = [list(r) for r in raw.grid]
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    keep_cols = [j for j in range(width) if any(text_of(r[j]) for r in rows)]
    rows = [[r[j] for j in keep_cols] for r in rows]
    rows = [r for r in rows if any(text_of(c) for c in r)]
    captions: list[str] = []
    # Captions drawn inside the grid (Beijing's 预算01表 …, 金额单位; 苏州's 公开02表 and the title
    # 收入总表 in a cell spanning the width) come before the header.
    while rows:
        texts = [text_of(c) for c in rows[0] if text_of(c)]
        if len(texts) <= 2 and any(CAPTION_IN_GRID.search(t) for t in texts) or _title_row(texts):
            captions.append(join_cells(texts))
            rows.pop(0)
        else:
            break
    return Grid(rows=rows, pages=[raw.page] * len(rows), xranges=_column_xranges(rows), captions=captions)


def _title_row(texts: list[str]) -> bool:
    """One cell naming a table ("收入总表", "2026年部门收支总表"): a title, never a header cell."""
    return len(texts) == 1 and len(texts[0]) <= 60 and bool(TABLE_TITLE.search(compact(texts[0])))


def join_cells(texts: list[str]) -> str:
    """Cells of one caption row read as one line ("表3" "2020年" "部门支出总表" → "表3 2020年部门支出总表")."""
    out = ""
    for text in texts:
        out += (" " if out and out[-1].isdigit() and text[0].isdigit() else "") + text
    return out


def _column_xranges(rows: list[GridRow]) -> list[tuple[float, float]]:
    width = len(rows[0]) if rows else 0
    ranges = []
    for j in range(width):
        boxes = [cell.bbox for r in rows if (cell := r[j]) is not None]
        if not boxes:
            ranges.append((0.0, 0.0))
            continue
        x0 = sorted(b[0] for b in boxes)[len(boxes) // 2]
        x1 = min(b[2] for b in boxes)  # merged cells reach further right: the narrowest is the column
        ranges.append((x0, max(x1, x0 + 1)))
    return ranges


# A name's last characters printed into the amount cell beside it ("机关事业单位职业年金" | "缴费支出43608.96").
OVERFLOW = re.compile(r"^([\u4e00-\u9fff（）()]{1,12})(-?\d[\d,]*(?:\.\d+)?)$")


def unglue_overflow(grid: Grid, n_header: int) -> None:
    """Give a name's overflow back to the name cell on its left and keep the amount, in a column of amounts:
    西安's 支出明细表 prints "2080506 机关事业单位职业年金缴费支出43608.96" with the name running into 合计."""
    body = grid.rows[n_header:]
    for j in range(1, len(grid.rows[0]) if grid.rows else 0):
        texts = [t for r in body if (t := text_of(r[j]))]
        glued = [t for t in texts if OVERFLOW.match(t)]
        if not glued or len(glued) * 3 > len(texts) or sum(try_parse_number(t) is not None for t in texts) + len(glued) < len(texts) \
                or not any(is_amount_text(t) for t in texts):
            continue  # only a column of amounts, a few of them glued to words
        for row in body:
            cell, left = row[j], row[j - 1]
            m = OVERFLOW.match(text_of(cell))
            if m is None or cell is None or left is None or not re.search(r"[\u4e00-\u9fff]$", left.text):
                continue
            row[j - 1] = replace(left, text=left.text + m.group(1))
            row[j] = replace(cell, text=m.group(2))


def is_body_row(row: GridRow) -> bool:
    texts = [text_of(c) for c in row if text_of(c)]
    if not texts:
        return False
    if any(is_amount_text(t) for t in texts):
        return True
    return bool(FULL_CODE.match(texts[0])) and len(texts) >= 2


def _first_text(row: GridRow, numbered: bool = False) -> str:
    """The row's first text; with ``numbered``, the one after its 序号."""
    texts = [compact(text_of(c)) for c in row if text_of(c)]
    return next(iter(texts[1:] if numbered and _numbered(row) else texts), "")


def _numbered(row: GridRow) -> bool:
    """The row starts with its 序号 (a bare 1, 2, 3 … in the first cell) and prints more."""
    return text_of(row[0]).isdigit() and sum(1 for c in row if text_of(c)) > 1


def split_header(grid: Grid) -> int:
    """Number of header rows: rows before the first body row (all rows for a text-only table: 1).

    A row just above the first body row that names an item but leaves the value cells blank
    ("1、因公出国（境）费" with empty amounts) is a body row too: header cells are either text or
    covered by a merged cell above, never empty. So is one printing whole numbers there ("市长质量奖 |
    650" above "发展资金 | 1,765.05"), unless it numbers the columns (栏次 | 1 | 2 | 3).
    """
    first = next((i for i, row in enumerate(grid.rows) if is_body_row(row)), None)
    if first is None:  # a table of whole numbers only has its 合计 row under the header, numbered (西安 三公表:
        # "1 | | 合计 | 12240", under a header of 小计 columns), as has an empty one ("本表为空表")
        first = next((i for i, row in enumerate(grid.rows) if i and _numbered(row) and TOTAL_ROW.match(_first_text(row, numbered=True))),
                     None)
    if first is None:
        first = next((i for i, row in enumerate(grid.rows) if i and TOTAL_ROW.match(_first_text(row))), None)
    if first is None:
        return min(1, len(grid.rows))
    value_cols = [j for j, c in enumerate(grid.rows[first]) if c is not None and is_amount_text(c.text)]
    n_header = first
    while n_header > 1 and value_cols:
        row = grid.rows[n_header - 1]
        values = [text_of(row[j]) for j in value_cols if row[j] is not None]
        plain = len(values) == len(value_cols) and all(not t or _whole_number(t) for t in values)
        named = any(text_of(c) for c in row)
        if not (plain and named) or LINE_NUMBER_SEGMENT.match(_first_text(row)) or _numbers_columns(values):
            break
        n_header -= 1
    return n_header


def _whole_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", text.replace(",", "")))


def _numbers_columns(values: list[str]) -> bool:
    """1, 2, 3 … across the row (栏次) or years (2025 | 2026): the columns' headings, not amounts."""
    numbers = [int(t.replace(",", "")) for t in values if t]
    if any(2000 <= n <= 2099 for n in numbers):
        return True
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def column_paths(grid: Grid, n_header: int) -> list[str]:
    """Flatten multi-row headers: a merged cell spanning columns heads each of them."""
    width = len(grid.xranges)
    paths = []
    for j in range(width):
        parts: list[str] = []
        center = (grid.xranges[j][0] + grid.xranges[j][1]) / 2
        for i in range(n_header):
            cell = grid.rows[i][j]
            text = None
            if cell is not None:
                text = cell.text
            else:
                for k in range(j - 1, -1, -1):
                    left = grid.rows[i][k]
                    if left is not None:
                        if left.bbox[2] >= center:
                            text = left.text
                        break
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        paths.append("/".join(parts))
    return paths
