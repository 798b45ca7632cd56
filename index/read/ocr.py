"""Read a scanned page (no text layer) with RapidOCR into the same ``RawPage`` the text layer gives.

The page is rendered with pypdfium2; its tables are read cell by cell from their ruling lines
(``scan_tables``); text outside them goes through RapidOCR's detection and recognition and is joined
into lines as pdfplumber would give them. A scan of 西城区外办's 收入总表 gives

    RawTable(grid=[[RawCell("2010301", ocr=True), RawCell("行政运行", ocr=True), RawCell("3,573,232.28", ocr=True), …]])

and grid/roles/rows/stitch read it unchanged. Every cell is marked ``ocr``; a figure whose printed
form is ambiguous when read by OCR (``ocr_number_doubt``) carries the reason and stays text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pdfplumber

from index.core.model import BBox
from index.core.text import normalize, ocr_text
from index.read.pdf import Line, RawPage, normalize_page_text
from index.read.scan_tables import DARK_TEXT, aligned_tables, ruled_tables

if TYPE_CHECKING:
    import pypdfium2

log = logging.getLogger(__name__)
DET_SIDE = 1600  # pixels on the long side of the image text is detected in
MIN_INK, MAX_INK = 0.0002, 0.6  # share of dark pixels on a page that may hold text
MAX_PIXELS = 40_000_000  # an A4 page at 200 dpi is 3.9 million; A0 at 200 dpi is 62 million

@dataclass(frozen=True)
class OcrOptions:
    dpi: int = 200  # table digits of 8 pt are ~22 px high at 200 dpi: enough for the recogniser
    threads: int = 2


@lru_cache(maxsize=2)
def _engine(threads: int) -> Any:
    # Imported here: loading the models costs a second and most files never need them.
    from rapidocr_onnxruntime import RapidOCR

    # Detection runs on the page scaled to DET_SIDE (text outside tables is 9 pt and up; this bounds its
    # memory to a few hundred MB); recognition crops come from the full-resolution image.
    return RapidOCR(
        max_side_len=10000, use_cls=False, intra_op_num_threads=threads, inter_op_num_threads=1,
        det_limit_side_len=DET_SIDE, det_limit_type="max",
    )


class PageReader:
    """``read_pdf``'s reader for pages without a text layer: renders the page from the same file and
    reads it. ``on_page`` is told each page number once it is rendered, before the slow recognition (the
    supervisor then extends the time budget): rendering stays within the ordinary budget, so a page of
    a million drawing operators with no text is still stopped there."""

    def __init__(self, path: Path, options: OcrOptions, on_page: Callable[[int], None] | None = None):
        self.path = path
        self.options = options
        self.on_page = on_page
        self._document: pypdfium2.PdfDocument | None = None

    def __call__(self, page: pdfplumber.page.Page, number: int) -> RawPage:
        import pypdfium2

        if self._document is None:
            self._document = pypdfium2.PdfDocument(str(self.path))
        started = time.monotonic()
        image = render(self._document, number - 1, self.options.dpi)
        if self.on_page is not None:
            self.on_page(number)
        raw = ocr_page(page, image, number, self.options)
        log.info("OCR page %d of %s: %.1f s", number, self.path.name, time.monotonic() - started)
        return raw

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None


def render(document: pypdfium2.PdfDocument, index: int, dpi: int) -> np.ndarray:
    """The page as an RGB array at ``dpi``, or coarser for a page so large that it would pass
    ``MAX_PIXELS`` (a poster, or a hostile MediaBox)."""
    page = document[index]
    width, height = page.get_size()
    scale = min(dpi / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    bitmap = page.render(scale=scale)
    return np.asarray(bitmap.to_pil().convert("RGB"))


def ocr_page(page: pdfplumber.page.Page, image: np.ndarray, number: int, options: OcrOptions) -> RawPage:
    """Read one rendered page: tables from its rules (or from aligned text), lines outside them."""
    scale = image.shape[1] / float(page.width)  # pixels per point
    gray = image.mean(axis=2, dtype=np.float32)
    ink = float((gray < DARK_TEXT).mean())
    if not MIN_INK <= ink <= MAX_INK:
        # A blank page, or one all ink (a photo, a black image): no text to read, and no model to load.
        return RawPage(number=number, width=float(page.width), height=float(page.height), lines=[], tables=[], ocr=True)
    engine = _engine(options.threads)
    tables = ruled_tables(page, gray, scale, number, engine)
    outside = image.copy()
    for t in tables:
        x0, y0, x1, y1 = (int(round(v * scale)) for v in t.bbox)
        outside[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 255  # read once, as cells
    words = _words(engine, outside, scale)
    if not tables:
        tables = aligned_tables(page, words, _lines(words, number), gray, scale, number, engine)
        boxes = [t.bbox for t in tables]
        words = [w for w in words if not any(_inside(w, b) for b in boxes)]
    lines = _lines(words, number)
    table_lines = [
        (cells[0].bbox[1], cells[0].bbox[0], " ".join(c.text for c in cells))
        for t in tables
        for row in t.grid
        if (cells := [c for c in row if c is not None and c.text])
    ]
    ordered = sorted([(ln.bbox[1], ln.bbox[0], ln.text) for ln in lines] + table_lines)
    text = normalize_page_text("\n".join(t for _, _, t in ordered))
    return RawPage(
        number=number,
        width=float(page.width),
        height=float(page.height),
        lines=lines,
        tables=tables,
        text=text,
        char_count=len(text.replace("\n", "")),
        ocr=True,
    )


# --- text outside tables -----------------------------------------------------------------------


def _words(engine: Any, image: np.ndarray, scale: float) -> list[dict]:
    """Detected text boxes (outside the tables, blanked in ``image``), as pdfplumber-style words (points)."""
    result, _ = engine(image, use_cls=False)
    words = []
    for points, text, _score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        text = ocr_text(text)
        if text:
            words.append({
                "text": text, "x0": min(xs) / scale, "x1": max(xs) / scale,
                "top": min(ys) / scale, "bottom": max(ys) / scale,
            })
    return words


def _inside(word: dict, box: BBox) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _lines(words: list[dict], number: int) -> list[Line]:
    """Words on one baseline (overlapping by half their height) are one line, read left to right."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        for row in rows:
            top, bottom = min(x["top"] for x in row), max(x["bottom"] for x in row)
            overlap = min(bottom, w["bottom"]) - max(top, w["top"])
            if overlap >= 0.5 * min(bottom - top, w["bottom"] - w["top"]):
                row.append(w)
                break
        else:
            rows.append([w])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text = normalize(" ".join(w["text"] for w in row))
        box = (min(w["x0"] for w in row), min(w["top"] for w in row), max(w["x1"] for w in row), max(w["bottom"] for w in row))
        lines.append(Line(text=text, page=number, bbox=box))
    return sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0]))
