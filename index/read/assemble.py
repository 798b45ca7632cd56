"""Raw grids of every page → typed tables: each with its caption, and continuations stitched on.

A table flows over pages in three ways, and each is read as one table:

    p.81  表3 支出总表 | header | rows …        p.82  表3 支出总表 | header again | rows …   (caption repeated)
    p.13  表3 支出总表 | header | rows …        p.14  苏州市水务局2026年度单位预算公开 | rows …  (only a running header)
    p.13  重点项目 | header | … 1.按照审计计划…  p.14  | | | 的长期稳定；… | rows …       (a cell's tail first)

The running header is a line printed at the same height on three pages or more; a tail is a first
row with text only outside the key and amount columns, and it joins the row above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.core.model import Table
from index.core.numbers import is_amount_text
from index.core.text import compact
from index.read.captions import Caption, read_caption
from index.read.grid import Grid, clean_grid, column_paths, split_header
from index.read.pdf import Line, RawPage, RawTable
from index.read.stitch import body_rows, column_map, drop_header_spill, header_matches, join_tails, project_rows
from index.read.tables import build_table
from index.read.toc import TOC_LINE

# A running header or footer sits in the page's top or bottom margin (a share of its height).
MARGIN = 0.12
RUNNING_PAGES = 3


@dataclass
class Placed:
    """A raw grid with the caption above it; ``starts_page``: nothing but running text above it."""

    raw: RawTable
    caption: Caption
    starts_page: bool


def running_texts(pages: list[RawPage]) -> set[str]:
    """Lines printed in the margin, at one height, on three pages or more (digits aside: page numbers).

    "苏州市水务局2026年度单位预算公开" at the top of every page → {"苏州市水务局#年度单位预算公开"}.
    """
    seen: dict[tuple[str, int], set[int]] = {}
    for page in pages:
        for line in page.lines:
            if MARGIN * page.height < line.bbox[1] and line.bbox[3] < (1 - MARGIN) * page.height:
                continue
            seen.setdefault((_running_key(line.text), round(line.bbox[1] / 8)), set()).add(page.number)
    return {key for (key, _), numbers in seen.items() if len(numbers) >= RUNNING_PAGES}


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", compact(text))


def caption_tables(pages: list[RawPage], running: set[str]) -> list[Placed]:
    """Each raw grid with the caption read from the lines between it and the grid above."""
    out = []
    for page in pages:
        previous_bottom = 0.0
        for i, table in enumerate(page.tables):
            above = [
                line for line in page.lines
                if previous_bottom - 1 <= line.bbox[1] and line.bbox[3] <= table.bbox[1] + 2
            ]
            if _is_contents(table, above):
                continue  # a 目录 drawn as a grid (表1 | 2022年…收支总表 | 是否空表): a list, not a table
            caption = read_caption(above, clean_grid(table).captions)
            substantive = [line for line in above if not _is_running_text(line, running)]
            out.append(Placed(table, caption, i == 0 and (not substantive or caption.empty is False)))
            previous_bottom = table.bbox[3]
    return out


def _is_contents(table: RawTable, above: list[Line]) -> bool:
    """A grid under a "目录" line that prints no amount."""
    if not any(TOC_LINE.match(line.text) for line in above[-3:]):
        return False
    return not any(cell is not None and is_amount_text(cell.text) for row in table.grid for cell in row)


def _is_running_text(line: Line, running: set[str]) -> bool:
    text = line.text
    return len(text) <= 4 or text.startswith(("编制部门", "部门名称")) or _running_key(text) in running


@dataclass
class _Group:
    grid: Grid
    caption: Caption
    n_header: int
    last_page: int


def stitch_tables(placed: list[Placed]) -> tuple[list[Table], list[str]]:
    """Stitch grids that flow across pages, then build the typed tables with their structure."""
    groups: list[_Group] = []
    warnings: list[str] = []
    for item in placed:
        grid = clean_grid(item.raw)
        if not grid.rows:
            continue
        n_header = split_header(grid)
        base = groups[-1] if groups else None
        if base and item.starts_page and base.last_page == item.raw.page - 1 and _continue(base, item, grid, n_header, warnings):
            base.last_page = item.raw.page
            continue
        caption = item.caption
        if grid.captions and caption.empty:
            caption = read_caption([], grid.captions)
        groups.append(_Group(grid, caption, n_header, item.raw.page))
    tables = []
    for group in groups:
        if group.caption.empty:
            warnings.append(f"第 {group.grid.pages[0]} 页的表格没有标题")
        cap = group.caption
        tables.append(build_table(group.grid, cap.label, cap.title, cap.unit, section_path=[]))
    inherit_units(tables)
    return tables, warnings


def _continue(base: _Group, item: Placed, grid: Grid, n_header: int, warnings: list[str]) -> bool:
    """Append ``grid`` to ``base`` when it goes on with it: same caption or none, and either the
    header repeated or none at all (a first row that is a wrapped cell's tail joins the row above)."""
    caption, base_caption = item.caption, base.caption
    same_table = caption.empty or (caption.label and caption.label == base_caption.label) or (
        caption.title and caption.title == base_caption.title and caption.label is None
    )
    if not same_table:
        return False
    header = n_header if header_matches(base.grid, base.n_header, grid, n_header) else None
    projected = project_rows(base.grid, grid, header) if header is not None else None
    if projected is None and caption.empty and column_map(base.grid, grid) is not None:
        # No header repeated: the rows above the first amount must read as body rows of the base.
        whole = project_rows(base.grid, grid, 0)
        if whole is not None and body_rows(base.grid, base.n_header, whole) >= n_header:
            projected = whole
    if projected is None:
        return False
    start = len(base.grid.rows)
    base.grid.rows.extend(projected)
    base.grid.pages.extend([item.raw.page] * len(projected))
    drop_header_spill(base.grid, base.n_header, column_paths(base.grid, base.n_header), start, warnings)
    join_tails(base.grid, base.n_header, start)
    return True


def inherit_units(tables: list[Table]) -> None:
    """A table that prints no unit uses the unit the document's tables declare most often."""
    units = [unit for unit in (t.unit for t in tables) if unit is not None]
    if not units:
        return
    # On a tie the unit declared first wins (``max`` over a set picked by hash order, differing per run).
    default = max(units, key=units.count)
    for table in tables:
        if table.unit is None and any(c.value is not None for r in table.rows for c in r.cells):
            table.unit = default
            table.warnings.append(f"{table.label or table.title or '表格'}未注明单位，按文档中表格的常用单位「{default}」处理")
