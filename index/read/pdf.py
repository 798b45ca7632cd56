"""Read a PDF with pdfplumber: text lines outside tables, and raw table grids with cell boxes.

Everything layout-specific stays here; the rest of the pipeline sees ``RawPage`` objects.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.clustering import cluster_objects
from pdfplumber.utils.exceptions import PdfminerException

from index.core.model import BBox
from index.core.numbers import is_amount_text
from index.core.text import normalize
from index.read.cells import cell_texts

log = logging.getLogger(__name__)

# Ruled tables first: every sample disclosure draws its grid. Text alignment is the fallback.
LINES_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
TEXT_SETTINGS = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "min_words_vertical": 2,
    "min_words_horizontal": 1,
    "text_x_tolerance": 2,
}


class IngestError(Exception):
    """A file that cannot be ingested. ``reason`` is a one-line Chinese/English message for users."""

    def __init__(self, reason: str, retryable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass
class RawCell:
    text: str  # normalised
    bbox: BBox
    ocr: bool = False  # read from the page image, not the text layer
    doubt: str | None = None  # why a figure read by OCR is kept as text (see numbers.ocr_number_doubt)


@dataclass
class RawTable:
    page: int
    bbox: BBox
    grid: list[list[RawCell | None]]  # None where a merged cell covers the position
    ruled: bool = True


@dataclass
class Line:
    text: str  # normalised
    page: int
    bbox: BBox


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    lines: list[Line]  # text outside tables, in reading order
    tables: list[RawTable]
    text: str = ""  # the whole page, normalised
    char_count: int = 0
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False  # read from the page image: the page had no usable text layer


def check_pdf_header(path: Path) -> None:
    """Refuse what is not a PDF before pdfminer gets to guess."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise IngestError(f"无法读取文件（{exc.strerror}）") from exc
    if not head:
        raise IngestError("空文件（0 字节）")
    if b"%PDF-" not in head:
        if head.startswith(b"PK\x03\x04"):
            raise IngestError("不是 PDF，而是改了扩展名的 Office/ZIP 文件（如 .docx、.xlsx），请另存为 PDF 后再导入")
        raise IngestError("不是 PDF 文件（缺少 %PDF 文件头）")


# Reads a page with no usable text layer from its image (ocr.PageReader), given the page and its number.
PageOcr = Callable[[pdfplumber.page.Page, int], RawPage]
MIN_TEXT_CHARS = 10  # fewer characters than this over a page-sized image: a scan with a page number stamped on


def needs_ocr(page: pdfplumber.page.Page) -> bool:
    """No usable text layer: no characters at all over something that could be text, or a handful over a
    page-sized image. A page of straight rulings and boxes only (a blank table frame, an empty page) draws
    no glyph — those are images or curves — and reading it would load the OCR models for nothing."""
    n_chars = len(page.chars)
    if n_chars == 0:
        return bool(page.images or page.curves)
    if n_chars >= MIN_TEXT_CHARS:
        return False
    covered = sum(float(i["width"] * i["height"]) for i in page.images)
    return covered >= 0.5 * float(page.width * page.height)


@dataclass
class RawPdf:
    pages: list[RawPage]
    metadata_title: str | None = None  # the document information's Title, as written


def read_pdf(
    path: Path, max_pages: int = 2000, ocr: PageOcr | None = None, on_pages: Callable[[int], None] | None = None
) -> RawPdf:
    """Read every page; with ``ocr``, pages without a text layer are read from their image. ``on_pages`` is
    told the page count before the first page is read (a supervisor scales its time budget by it).
    Raises IngestError with a user-facing reason for unusable files."""
    check_pdf_header(path)
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        raise _as_ingest_error(exc.args[0] if exc.args else exc) from exc
    except (PDFPasswordIncorrect, PDFSyntaxError) as exc:
        raise _as_ingest_error(exc) from exc
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except PdfminerException as exc:
            raise _as_ingest_error(exc.args[0] if exc.args else exc) from exc
        if n_pages == 0:
            raise IngestError("PDF 没有页面")
        if n_pages > max_pages:
            raise IngestError(f"页数过多（{n_pages} 页，上限 {max_pages} 页）")
        if on_pages is not None:
            on_pages(n_pages)
        pages = []
        for index, page in enumerate(pdf.pages, start=1):
            try:
                pages.append(ocr(page, index) if ocr is not None and needs_ocr(page) else _read_page(page, index))
            except PdfminerException as exc:
                raise _as_ingest_error(exc.args[0] if exc.args else exc, page=index) from exc
            finally:
                page.close()  # free layout caches: large PDFs stay within memory
        title = pdf.metadata.get("Title")  # resolved when the file was opened
    if sum(p.char_count for p in pages) == 0:
        if ocr is not None and not any(p.ocr for p in pages):
            raise IngestError("PDF 的页面上没有文字，也没有可识别的图像（空白文件）")
        if ocr is not None:
            raise IngestError("扫描件经 OCR 未识别出文字，请检查文件是否清晰")
        raise IngestError("PDF 没有文字层，可能是扫描件，需要先做 OCR")
    return RawPdf(pages, title if isinstance(title, str) else None)


def _as_ingest_error(exc: object, page: int | None = None) -> IngestError:
    where = f"第 {page} 页：" if page else ""
    if isinstance(exc, PDFPasswordIncorrect) or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
        return IngestError("PDF 已加密，请去除密码后再导入")
    return IngestError(f"{where}PDF 文件损坏或不完整（{type(exc).__name__}）")


def _read_page(page: pdfplumber.page.Page, number: int) -> RawPage:
    # Some publishers fake bold by printing each glyph several times at one spot ("表表表1"):
    # one copy of each is the text.
    page = dedupe_chars(page, tolerance=1)
    align_baselines(page.chars)
    tables = _find_tables(page, number)
    boxes = [t.bbox for t in tables]

    def outside_tables(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    free = page.filter(outside_tables) if boxes else page
    lines = [
        Line(text=normalize(item["text"]), page=number, bbox=(item["x0"], item["top"], item["x1"], item["bottom"]))
        for item in free.extract_text_lines(layout=False, strip=True, return_chars=False)
        if normalize(item["text"])
    ]
    return RawPage(
        number=number,
        width=float(page.width),
        height=float(page.height),
        lines=lines,
        tables=tables,
        # layout=False as for the lines above: pdfplumber caches the text map per arguments, so the page's
        # characters are laid out once for its text, its lines and the tabular band.
        text=normalize_page_text(page.extract_text(layout=False) or ""),
        char_count=len(page.chars),
    )


DEDUPE_KEY = itemgetter("upright", "text", "fontname", "size")
POSITION = itemgetter("doctop", "x0")


def dedupe_chars(page: pdfplumber.page.Page, tolerance: float = 1) -> pdfplumber.page.Page:
    """``page.dedupe_chars(tolerance)``, keeping the same characters in the same order, without its
    quadratic cost: pdfplumber restores page order with ``chars.index`` for every kept character, which
    on a dense table page took longer than reading the page."""
    kept: set[int] = set()
    for _, same in groupby(sorted(page.chars, key=DEDUPE_KEY), key=DEDUPE_KEY):
        for line in cluster_objects(list(same), itemgetter("doctop"), tolerance):
            for spot in cluster_objects(line, itemgetter("x0"), tolerance):
                kept.add(id(min(spot, key=POSITION)))  # the first of the copies, as pdfplumber keeps
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in kept)


# A glyph's box reaches well above its baseline (the ascent, ~0.7–0.9 of the size); a font whose boxes top out
# at or below it places them wrongly.
MIN_ASCENT = 0.3


def align_baselines(chars: list[dict]) -> None:
    """Put every glyph's box where its baseline says, when one font's metrics place it elsewhere.

    重庆's disclosures print digits and punctuation in a font whose box pdfplumber puts ~12 pt below the
    Chinese text on the same baseline, so "比2025年增加4,245.49万元" was read as two lines. Boxes of a font
    whose top sits unlike the page's main font (relative to the baseline, in font sizes) are moved to
    sit like it; pages where all fonts agree are untouched. The main font is the one most text is in among
    those whose boxes stand on their baseline: on a table page the misplaced digits outnumber the Chinese
    names, and taking them as the reference moved every name a row up from its code and figures (重庆 表六)."""
    ratios: dict[str, list[float]] = defaultdict(list)
    upright = [c for c in chars if c.get("upright") and c.get("matrix") and c["size"] > 0]
    for c in upright:
        ratios[c["fontname"]].append((c["y1"] - c["matrix"][5]) / c["size"])  # the glyph's top above its baseline
    if len(ratios) < 2:
        return
    standing = [font for font, r in ratios.items() if statistics.median(r) >= MIN_ASCENT]
    if not standing:
        return
    main = statistics.median(ratios[max(standing, key=lambda font: len(ratios[font]))])
    off = {font: statistics.median(r) for font, r in ratios.items() if abs(statistics.median(r) - main) > 0.4}
    for c in upright:
        if c["fontname"] not in off:
            continue
        shift = (c["matrix"][5] + main * c["size"]) - c["y1"]  # move up by this much (PDF units, y grows upwards)
        c["y1"] += shift
        c["y0"] += shift
        c["top"] -= shift
        c["bottom"] -= shift
        c["doctop"] -= shift


def normalize_page_text(text: str) -> str:
    return "\n".join(n for n in (normalize(line) for line in text.splitlines()) if n)


def _find_tables(page: pdfplumber.page.Page, number: int) -> list[RawTable]:
    found = [raw for t in page.find_tables(LINES_SETTINGS) if (raw := _raw_table(t, number, ruled=True))]
    if not found:
        region = _tabular_region(page)
        if region is not None:
            # No ruling lines but rows of amounts: fall back to text alignment, inside the rows'
            # band only, so a title line above cannot glue columns together.
            cropped = page.crop(region)
            found = [t for t in (_raw_table(t, number, ruled=False) for t in cropped.find_tables(TEXT_SETTINGS)) if t]
    return sorted(found, key=lambda t: (t.bbox[1], t.bbox[0]))


AMOUNT_TOKEN = re.compile(r"[-(（]?\d[\d,，]*\.\d+[)）]?|\d{1,3}(?:[,，]\d{3})+")


def _tabular_region(page: pdfplumber.page.Page) -> BBox | None:
    """The band from the header line to the last line with two or more amounts (≥ 3 such lines)."""
    lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    rows = [i for i, line in enumerate(lines) if len(AMOUNT_TOKEN.findall(line["text"])) >= 2 and "。" not in line["text"]]
    if len(rows) < 3:
        return None
    first, last = rows[0], rows[-1]
    top = lines[first]["top"]
    if first > 0 and lines[first]["top"] - lines[first - 1]["bottom"] < 30:
        top = lines[first - 1]["top"]  # the header row
    return (0, max(0.0, top - 1), float(page.width), min(float(page.height), lines[last]["bottom"] + 1))


def tabular_grid(grid: list[list[RawCell | None]]) -> bool:
    """A text-aligned grid is a table only if rows of short cells carry amounts, not prose."""
    cells = [c.text for r in grid for c in r if c is not None and c.text]
    if not cells or len(grid[0]) < 3:
        return False
    prose = sum(1 for t in cells if "。" in t or "，" in t or len(t) > 30)
    amount_rows = sum(1 for r in grid if sum(1 for c in r if c is not None and is_amount_text(c.text)) >= 2)
    return prose <= 0.1 * len(cells) and amount_rows >= 3


def _raw_table(table: pdfplumber.table.Table, number: int, ruled: bool) -> RawTable | None:
    texts = cell_texts(table)
    grid: list[list[RawCell | None]] = []
    for row_obj, row_texts in zip(table.rows, texts):
        grid.append(
            [
                None if box is None else RawCell(text=normalize(text), bbox=_bbox(box))
                for box, text in zip(row_obj.cells, row_texts)
            ]
        )
    n_cols = max((len(r) for r in grid), default=0)
    if n_cols < 2 or len(grid) < 1:
        return None  # a one-column frame (a boxed table of contents, a border) is text, not a table
    if not ruled and not tabular_grid(grid):
        return None
    return RawTable(page=number, bbox=_bbox(table.bbox), grid=grid, ruled=ruled)


def _bbox(box: tuple[float, ...]) -> BBox:
    x0, top, x1, bottom = box
    return (x0, top, x1, bottom)
