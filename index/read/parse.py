"""PDF → Document: pages, headings and paragraphs, tables (captioned and stitched), identity."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

from index.core.model import Block, Document, Page, Table
from index.read.assemble import caption_tables, running_texts, stitch_tables
from index.read.captions import label_from_toc, toc_labels
from index.read.headings import build_blocks, heading_level
from index.read.identity import IdentityEvidence, read_identity
from index.read.indicators import read_indicators
from index.read.misread import misread_reason
from index.read.ocr import OcrOptions, PageReader
from index.read.pdf import read_pdf
from index.read.rows import mark_publisher_lines

log = logging.getLogger(__name__)

# Bump when what the reader emits changes meaning (rows-2: rows carry their final code, level and totals;
# rows-3: a code printed in brackets before the name ([2010301]行政运行) is the row's code;
# identity-1: identity read cover first, with level, parent, region parts, sources and warnings;
# tables-5: rows carry their 预算单位 and "其中：" parent, headerless continuations are stitched,
# in-grid titles and 公开NN表 labels are read, 行次 columns are never amounts; tables-6: tables keep their
# text columns in printed order and rows their text under each, so a table can be exported as printed;
# tables-8: a continuation whose first row is several cells' tails is stitched, each tail joining its cell;
# tables-9: a table whose grid was evidently misread says why, ``Table.misread``).
# narrative-4: 委托业务费 keeps its 委; narrative-5: a run-in heading names the bare 预算数 after it;
# narrative-6: 收入、支出预算总计 stated for both sides; blocks-1: numbered sentences are no headings;
# blocks-2: …nor numbered sentences wrapped inside a name or a number before their figure.
# narrative-7: "本单位无机关运行经费。" states a nil amount; narrative-8: "收入总计、支出总计均为…" is stated
# for each side; tables-10: a column headed 栏次 whose body is words (预算数 / 决算数) names the rows;
# tables-11: a name's overflow printed into the amount cell beside it (职业年金|缴费支出43608.96) goes back to the name.
# pages-1: a page of rulings only (no characters, images or curves) is not read by OCR;
# narrative-9: "收入支出总计X" (决算) is each side's total.
# narrative-10: 收、支 is one word (财政拨款收、支总预算 is the fund's 收支 total);
# narrative-11: a sentence opening 截至YYYY年… dates every figure up to its 。 and each quotes the sentence whole;
# baselines-2: the reference font is one whose boxes stand on their baseline, though another prints more glyphs;
# tables-12: a name run over its cell's border into the amount beside it is read in its own cell;
# tables-13: a table of whole numbers only starts its body at its numbered 合计 row (1 | 合计 | 12240).
# indicators-1: the numeric targets of 绩效目标表s are read, line by line (``Document.indicators``);
# tables-14: a column headed 指标值 / 指标权重 holds targets, never amounts of the table's unit;
# identity-2: a cover naming publisher and kind with no level mark is the whole department's (a unit's section
# title inside does not make it 本级).
# tables-15: a form printing 项目名称 | project | 主管部门 | department is read as label | value pairs (当年预算
# 46,794.00 | 市级支出 40,624.00), each figure its own label's line in the project's column; tables-16: an amount
# grouped irregularly (125360,898) is read as thousands, with a warning.
READER_VERSION = "rows-3+identity-2+tables-16+narrative-11+blocks-2+baselines-2+pages-1+indicators-1"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_pdf(
    path: Path,
    max_pages: int = 2000,
    sha256: str | None = None,
    ocr: OcrOptions | None = None,
    on_ocr_page: Callable[[int], None] | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> Document:
    """Read a PDF into a ``Document``. With ``ocr``, pages without a text layer are read from their image
    (``on_ocr_page`` is told each such page first); without it a scan is refused. ``on_pages`` is told the
    page count once the file is open, before its pages are read."""
    path = Path(path)
    reader = PageReader(path, ocr, on_ocr_page) if ocr is not None else None
    try:
        raw = read_pdf(path, max_pages=max_pages, ocr=reader, on_pages=on_pages)
    finally:
        if reader is not None:
            reader.close()
    raw_pages = raw.pages
    metadata_title = _clean_title(raw.metadata_title)
    warnings: list[str] = []
    page_widths = {p.number: p.width for p in raw_pages}

    captioned = caption_tables(raw_pages, running_texts(raw_pages))
    toc = toc_labels([p.text for p in raw_pages])
    tables, table_warnings = stitch_tables(captioned)
    warnings.extend(table_warnings)

    lines = [line for page in raw_pages for line in page.lines]
    blocks = build_blocks(lines, page_widths)
    _attach_sections(tables, blocks)
    for table in tables:
        if table.label is None:
            table.label = label_from_toc(table.title, toc)
        table.misread = misread_reason(table)
        warnings.extend(table.warnings)

    identity = read_identity(IdentityEvidence(
        pages=[p.text for p in raw_pages],
        table_titles=[t.title for t in tables if t.title],
        headings=[b.text for b in blocks if b.kind == "heading"],
        metadata_title=metadata_title,
        file_name=path.name,
    ))
    mark_publisher_lines(tables, identity.department)
    if identity.department is None:
        warnings.append("未能识别部门名称")
    if identity.year is None:
        warnings.append("未能识别年度")
    scanned = [p.number for p in raw_pages if p.ocr]
    if scanned:
        warnings.append(f"{len(scanned)} 页为扫描件，已用 OCR 识别（{page_ranges(scanned)}），数字请核对原文")
    warnings[:0] = identity.warnings  # what a user must check about the whole file comes first
    return Document(
        file_name=path.name,
        sha256=sha256 or file_sha256(path),
        identity=identity,
        pages=[Page(number=p.number, width=p.width, height=p.height, text=p.text, ocr=p.ocr) for p in raw_pages],
        blocks=blocks,
        tables=tables,
        indicators=read_indicators(captioned),
        warnings=warnings,
        reader=READER_VERSION,
    )


def page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → "第 1–3、7 页"."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][-1] + 1:
            spans[-1].append(n)
        else:
            spans.append([n])
    return "第 " + "、".join(f"{s[0]}–{s[-1]}" if len(s) > 1 else str(s[0]) for s in spans) + " 页"


def _clean_title(title: str | None) -> str | None:
    if title is None or not title.strip():
        return None
    return re.sub(r"\.pdf$", "", title.strip(), flags=re.IGNORECASE)


def _attach_sections(tables: list[Table], blocks: list[Block]) -> None:
    headings = [b for b in blocks if b.kind == "heading"]
    for table in tables:
        before = [h for h in headings if (h.page, h.bbox[1]) <= (table.pages[0], table.bbox[1])]
        if before:
            h = before[-1]
            table.section_path = h.section_path + [h.text]


__all__ = ["READER_VERSION", "parse_pdf", "file_sha256", "heading_level"]
