"""Headings by the document's own numbering, and paragraphs assembled from wrapped lines."""

from __future__ import annotations

import re

from index.core.model import Block
from index.read.pdf import Line

_NUM = "一二三四五六七八九十"
HEADING_PATTERNS: list[tuple[int, re.Pattern]] = [
    (1, re.compile(rf"^第[{_NUM}]+部分")),
    (2, re.compile(rf"^[{_NUM}]+[、.．]")),
    (3, re.compile(rf"^[（(][{_NUM}]+[)）]")),
    (4, re.compile(r"^\d{1,2}[.．、](?!\d)")),
]
PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")
SENTENCE_END = "。！？；”"


def heading_level(text: str) -> int | None:
    """The level of a line that reads as a heading: numbered, short, not a sentence."""
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text):
            if len(text) <= 40 and not text.endswith("。") and not re.search(r"\d[\d,]*\.\d{2}", text):
                return level
            return None
    return None


def starts_numbered(text: str) -> bool:
    return any(p.match(text) for _, p in HEADING_PATTERNS)


def build_blocks(lines: list[Line], page_widths: dict[int, float]) -> list[Block]:
    """Join wrapped lines into paragraphs; every block carries the heading path above it."""
    blocks: list[Block] = []
    path: list[tuple[int, str]] = []
    buf: list[Line] = []

    def flush() -> None:
        if not buf:
            return
        text = ""
        for line in buf:
            text = text + (" " if text and text[-1].isascii() and text[-1].isalnum() and line.text[0].isascii() and line.text[0].isalnum() else "") + line.text
        first = buf[0]
        boxes = [line.bbox for line in buf if line.page == first.page]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        blocks.append(Block(kind="paragraph", text=text, page=first.page, bbox=bbox, section_path=[t for _, t in path]))
        buf.clear()

    for line in lines:
        if PAGE_NUMBER.match(line.text):
            continue
        level = heading_level(line.text)
        if level is not None:
            flush()
            path = [(lv, t) for lv, t in path if lv < level]
            blocks.append(Block(kind="heading", text=line.text, page=line.page, bbox=line.bbox, level=level, section_path=[t for _, t in path]))
            path.append((level, line.text))
            continue
        if buf and (starts_numbered(line.text) or _ends_paragraph(buf[-1], page_widths)):
            flush()
        buf.append(line)
    flush()
    return blocks


def _ends_paragraph(line: Line, page_widths: dict[int, float]) -> bool:
    """A line that ends a sentence and stops short of the right margin closes its paragraph."""
    width = page_widths.get(line.page, 600.0)
    short = line.bbox[2] < width * 0.78
    return line.text[-1] in SENTENCE_END and short or (short and line.text[-1] in "：:")
