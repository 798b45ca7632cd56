"""The evidence behind a citation: the cited PDF page as an image, the cited cell or sentence marked.

Pages are rendered only from the copies the ingestor keeps in ``settings.files_dir``: the file name
comes from the facts store and must resolve inside that folder, whatever the citation says. Renders are
cached as PNG files under ``data_dir/cache/evidence`` (named by document, page, box and resolution),
so a page is drawn once however many people look at it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from PIL import Image

from index.core.model import BBox
from index.core.settings import Settings
from index.core.text import compact
from index.store.facts import FactsStore
from qa.contract import Citation

RESOLUTION = 110  # dpi: an A4 page is ~910×1290 px, small figures still legible
ZOOM_FACTOR = 2  # the close-up is cut from a render at twice the resolution
ZOOM_MARGIN_PT = 36  # points of context around the cited box in the close-up
ZOOM_LEFT_PT = 300  # and to its left, where a table's row names are
PASSAGE_CHARS = 300  # of a cited sentence, compacted, looked for on its page
PROBE_CHARS = 24  # failing the whole sentence (it runs on to the next page), its opening words
MIN_PROBE_CHARS = 6  # shorter text is found in too many places to box
FILL = (255, 214, 0, 90)
STROKE = (220, 30, 30, 255)

# PDFium (behind pdfplumber's to_image) is not thread-safe; the app answers from several threads.
_RENDER_LOCK = threading.Lock()


class EvidenceError(Exception):
    """The cited page cannot be shown (unknown document, page out of range, file not in the data dir)."""


@dataclass
class EvidenceImages:
    page: Path  # the whole page, cited box highlighted
    zoom: Path | None  # a close-up band around the cited box (None when nothing could be boxed)
    landscape: bool = False  # the page is wider than tall: shown wide, not in a portrait box


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "evidence"


class EvidenceRenderer:
    def __init__(self, settings: Settings, store: FactsStore, resolution: int = RESOLUTION):
        self.files_dir = settings.files_dir.resolve()
        self.cache = cache_dir(settings)
        self.store = store
        self.resolution = resolution

    def stored_pdf(self, doc_id: str | None) -> Path:
        """The data dir's copy of a document; never a path outside ``files_dir``."""
        record = self.store.get(doc_id) if doc_id else None
        if record is None or record.status != "ready":
            raise EvidenceError("文档不存在或已删除，无法显示原文")
        # Only the stored file's name is taken from the store: a data dir that was moved or copied
        # still finds its files, and no stored path can point outside ``files_dir``.
        path = (self.files_dir / Path(record.stored_path).name).resolve()
        if not path.is_relative_to(self.files_dir) or not path.is_file():
            raise EvidenceError("原始文件不在数据目录中，无法显示")
        return path

    def render(self, citation: Citation) -> EvidenceImages:
        pdf_path = self.stored_pdf(citation.doc_id)
        box = tuple(round(v, 1) for v in citation.bbox) if citation.bbox else None
        # A sentence cited without a box is found on the page as printed, and boxed like a cell.
        passage = "" if box else compact(citation.quote)[:PASSAGE_CHARS]
        key = hashlib.sha256(repr((citation.doc_id, citation.page, box, passage, self.resolution)).encode()).hexdigest()[:20]
        page_png = self.cache / f"{citation.doc_id}-p{citation.page}-{key}.png"
        zoom_png = self.cache / f"{citation.doc_id}-p{citation.page}-{key}-zoom.png"
        if not page_png.exists():  # written last: a page on disk has its close-up (if any) beside it
            self._draw(pdf_path, citation.page, [box] if box else None, passage, page_png, zoom_png)
        with Image.open(page_png) as image:
            landscape = image.width > image.height
        return EvidenceImages(page_png, zoom_png if zoom_png.exists() else None, landscape)

    def _draw(self, pdf_path: Path, page_no: int, boxes: list | None, passage: str, page_png: Path, zoom_png: Path) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        # Drawn once at twice the page resolution: the close-up is cut from it, the page scaled down.
        with _RENDER_LOCK, pdfplumber.open(pdf_path) as pdf:
            if not 1 <= page_no <= len(pdf.pages):
                raise EvidenceError(f"页码超出范围：第{page_no}页（共 {len(pdf.pages)} 页）")
            page = pdf.pages[page_no - 1]
            if boxes is None:
                boxes = passage_boxes(page, passage) if passage else []
            image = page.to_image(resolution=self.resolution * ZOOM_FACTOR)
            for box in boxes:
                image.draw_rect(box, fill=FILL, stroke=STROKE, stroke_width=2 * ZOOM_FACTOR)
            sharp = image.annotated.copy()
            scale, origin = image.scale, image.bbox
        if boxes:
            def px(value: float, offset: float, limit: int) -> int:
                return min(max(0, int((value - offset) * scale)), limit)

            x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
            left = px(x0 - ZOOM_LEFT_PT, origin[0], sharp.width)
            right = px(x1 + ZOOM_MARGIN_PT, origin[0], sharp.width)
            upper = px(top - ZOOM_MARGIN_PT, origin[1], sharp.height)
            lower = px(bottom + ZOOM_MARGIN_PT, origin[1], sharp.height)
            _save_atomic(sharp.crop((left, upper, max(right, left + 1), max(lower, upper + 1))), zoom_png)
        size = (max(1, sharp.width // ZOOM_FACTOR), max(1, sharp.height // ZOOM_FACTOR))
        _save_atomic(sharp.resize(size, Image.Resampling.LANCZOS), page_png)


def passage_boxes(page: pdfplumber.page.Page, passage: str) -> list[BBox]:
    """Where a compacted passage is printed on the page, one box per printed line; [] when the page does
    not print it (in content order). A long passage is found by its opening words."""
    chars = page.dedupe_chars().chars  # fake-bold text prints each char twice
    owners = [char for char in chars for _ in compact(char["text"])]  # the char behind each compacted one
    text = "".join(compact(char["text"]) for char in chars)
    for probe in (passage, passage[:PROBE_CHARS]):
        at = text.find(probe) if len(probe) >= MIN_PROBE_CHARS else -1
        if at >= 0:
            break
    else:
        return []
    lines: list[list[dict]] = []
    for char in owners[at : at + len(probe)]:
        if lines and abs(char["top"] - lines[-1][-1]["top"]) < (char["bottom"] - char["top"]) / 2 and char["x0"] >= lines[-1][-1]["x0"]:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [
        (min(c["x0"] for c in line), min(c["top"] for c in line), max(c["x1"] for c in line), max(c["bottom"] for c in line))
        for line in lines
    ]


def _save_atomic(image: Image.Image, target: Path) -> None:
    # Two sessions may render the same page at once: each writes its own temp file, the last rename wins.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    image.save(tmp, format="PNG", optimize=False)
    os.replace(tmp, target)
