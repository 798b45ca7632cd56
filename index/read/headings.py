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
            # A numbered line that ends one sentence and starts the next ("（二）公务接待费。2026年预算数…",
            # "4.负责…工作。负责城市公共") is a run-in heading: the first line of a paragraph.
            if len(text) <= 40 and "。" not in text and not re.search(r"\d[\d,]*\.\d{2}", text):
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

    for i, line in enumerate(lines):
        if PAGE_NUMBER.match(line.text):
            continue
        level = heading_level(line.text)
        if level is not None and _wraps_into_figure(line, lines[i + 1:i + 3], page_widths):
            level = None
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


FIGURE_START = re.compile(r"^[\d,，.]+\s*(?:万元|亿元|元|%)")
# The sentence wrapped inside a name or a number: its figure a few words into the next line, before any
# break ("险基金的补助（项）支出 94,597 万元，…"), or its unit opening it ("万元，与上年相比…" after "支出 16,800").
FIGURE_SOON = re.compile(r"^[^。；;：:，,]{0,16}?\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元)")
UNIT_START = re.compile(r"^(?:万元|亿元|元)")


def _wraps_into_figure(line: Line, following: list[Line], page_widths: dict[int, float]) -> bool:
    """"1.…（款）…（项）支出" running to the right margin, its figure "3,181.49万元，…" on the next line:
    a numbered sentence wrapped before its figure, not a heading."""
    width = page_widths.get(line.page, 600.0)
    if line.bbox[2] < width * 0.78:
        return False
    after = next((n for n in following if not PAGE_NUMBER.match(n.text)), None)
    if after is None:
        return False
    if FIGURE_START.match(after.text) or (line.text[-1].isdigit() and UNIT_START.match(after.text)):
        return True
    # A heading ends its phrase; a name cut at the margin (…基本养老保 / 险基金的补助（项）支出…) does not.
    return FIGURE_SOON.match(after.text) is not None and not HEADING_END.search(line.text)


HEADING_END = re.compile(r"(说明|情况|概况|[)）]|[：:])$")
