"""PDF → Document: pages, headings and paragraphs, tables (captioned and stitched), identity."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import pdfplumber

from index.core.model import Block, Document, Page, Table
from index.read.captions import Caption, label_from_toc, read_caption, toc_labels
from index.read.grid import Grid, clean_grid, column_paths, split_header
from index.read.headings import build_blocks, heading_level
from index.read.identity import detect_identity
from index.read.pdf import Line, RawPage, RawTable, read_pdf
from index.read.rows import mark_publisher_lines
from index.read.stitch import drop_header_spill, header_matches, project_rows
from index.read.tables import build_table

log = logging.getLogger(__name__)

# Bump when what the reader emits changes meaning (rows-2: rows carry their final code, level and totals).
READER_VERSION = "rows-2"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_pdf(path: Path, max_pages: int = 2000, sha256: str | None = None) -> Document:
    path = Path(path)
    raw_pages = read_pdf(path, max_pages=max_pages)
    metadata_title = _metadata_title(path)
    warnings: list[str] = []
    page_widths = {p.number: p.width for p in raw_pages}

    captioned = _caption_tables(raw_pages)
    toc = toc_labels([p.text for p in raw_pages])
    tables, table_warnings = _stitch(captioned)
    warnings.extend(table_warnings)

    lines = [line for page in raw_pages for line in page.lines]
    blocks = build_blocks(lines, page_widths)
    _attach_sections(tables, blocks)
    for table in tables:
        if table.label is None:
            table.label = label_from_toc(table.title, toc)
        warnings.extend(table.warnings)

    titles = [t.title for t in tables if t.title] + [b.text for b in blocks if b.kind == "heading"]
    identity = detect_identity(
        first_pages=[p.text for p in raw_pages[:3]],
        titles=titles,
        metadata_title=metadata_title,
        all_text="\n".join(p.text for p in raw_pages),
    )
    mark_publisher_lines(tables, identity.department)
    if identity.department is None:
        warnings.append("未能识别部门名称 / department not found on the cover or in titles")
    if identity.year is None:
        warnings.append("未能识别年度 / year not found")
    return Document(
        file_name=path.name,
        sha256=sha256 or file_sha256(path),
        identity=identity,
        pages=[Page(number=p.number, width=p.width, height=p.height, text=p.text) for p in raw_pages],
        blocks=blocks,
        tables=tables,
        warnings=warnings,
        reader=READER_VERSION,
    )


def _metadata_title(path: Path) -> str | None:
    try:
        with pdfplumber.open(path) as pdf:
            title = (pdf.metadata or {}).get("Title")
    except Exception:  # metadata is a hint only; read_pdf already vetted the file
        return None
    if not isinstance(title, str) or not title.strip():
        return None
    return re.sub(r"\.pdf$", "", title.strip(), flags=re.IGNORECASE)


def _caption_tables(pages: list[RawPage]) -> list[tuple[RawTable, Caption, bool]]:
    """Each raw table with the caption above it; the bool says whether it starts its page's content."""
    out = []
    for page in pages:
        previous_bottom = 0.0
        for i, table in enumerate(page.tables):
            above = [
                line for line in page.lines
                if previous_bottom - 1 <= line.bbox[1] and line.bbox[3] <= table.bbox[1] + 2
            ]
            grid_captions = clean_grid(table).captions
            caption = read_caption(above, grid_captions)
            substantive = [line for line in above if not _is_running_text(line)]
            starts_page = i == 0 and (not substantive or caption.empty is False)
            out.append((table, caption, starts_page))
            previous_bottom = table.bbox[3]
    return out


def _is_running_text(line: Line) -> bool:
    return len(line.text) <= 4 or line.text.startswith("编制部门") or line.text.startswith("部门名称")


def _stitch(captioned: list[tuple[RawTable, Caption, bool]]) -> tuple[list[Table], list[str]]:
    """Stitch tables that flow across pages; build the typed tables."""
    groups: list[tuple[Grid, Caption, int]] = []  # grid, caption, header rows
    warnings: list[str] = []
    last_page_of_group: list[int] = []
    for raw, caption, starts_page in captioned:
        grid = clean_grid(raw)
        if not grid.rows:
            continue
        n_header = split_header(grid)
        if groups and starts_page and last_page_of_group[-1] == raw.page - 1:
            base, base_caption, base_header = groups[-1]
            same_table = caption.empty or (caption.label and caption.label == base_caption.label) or (
                caption.title and caption.title == base_caption.title and caption.label is None
            )
            if same_table and header_matches(base, base_header, grid, n_header):
                projected = project_rows(base, grid, n_header)
                if projected is not None:
                    start = len(base.rows)
                    base.rows.extend(projected)
                    base.pages.extend([raw.page] * len(projected))
                    drop_header_spill(base, base_header, column_paths(base, base_header), start, warnings)
                    last_page_of_group[-1] = raw.page
                    continue
        if grid.captions and caption.empty:
            caption = read_caption([], grid.captions)
        groups.append((grid, caption, n_header))
        last_page_of_group.append(raw.page)
    tables = []
    for grid, caption, _ in groups:
        if caption.empty:
            warnings.append(f"第 {grid.pages[0]} 页的表格没有标题 / table without caption")
        tables.append(build_table(grid, caption.label, caption.title, caption.unit, section_path=[]))
    _inherit_units(tables)
    return tables, warnings


def _inherit_units(tables: list[Table]) -> None:
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


def _attach_sections(tables: list[Table], blocks: list[Block]) -> None:
    headings = [b for b in blocks if b.kind == "heading"]
    for table in tables:
        before = [h for h in headings if (h.page, h.bbox[1]) <= (table.pages[0], table.bbox[1])]
        if before:
            h = before[-1]
            table.section_path = h.section_path + [h.text]


__all__ = ["READER_VERSION", "parse_pdf", "file_sha256", "heading_level"]
