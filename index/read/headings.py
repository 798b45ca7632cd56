"""Headings by the document's own numbering, and paragraphs assembled from wrapped lines.

    第一部分 部门概况        → heading, level 1
    一、主要职能             → heading, level 2, under 第一部分
    负责本区外事工作，统筹   → one paragraph (the first line runs to the right margin), with the
    协调对外交往。             section path [第一部分 部门概况, 一、主要职能]
"""

from __future__ import annotations

import re

from index.core.lexicon import HEADING_MARKERS, PARAGRAPH_END
from index.core.model import Block
from index.read.pdf import Line

PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")


def heading_level(text: str) -> int | None:
    """The level of a line that reads as a heading: numbered, short, not a sentence."""
    for level, pattern in HEADING_MARKERS:
        if pattern.match(text):
            if len(text) <= 40 and not text.endswith("。") and not re.search(r"\d[\d,]*\.\d{2}", text):
                return level
            return None
    return None


def starts_numbered(text: str) -> bool:
    return any(p.match(text) for _, p in HEADING_MARKERS)


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
    return line.text[-1] in PARAGRAPH_END and short or (short and line.text[-1] in "：:")
