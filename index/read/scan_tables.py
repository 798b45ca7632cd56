"""Tables on a scanned page: ruling lines found in the image, cells cut out and read one text line at a time.

Rules are long thin runs of dark pixels (a glyph stroke is shorter than ``MIN_RULE_*_PT``); they go to
pdfplumber's table finder as explicit lines with the tolerances the text-layer path uses, so merged
cells come out as ``None`` exactly as they do there. With no rules, the words OCR read are aligned into
columns by pdfplumber's text strategy, inside the band of lines that carry amounts. Each cell is read
with its borders wiped: its rows of ink are split into text lines and each line goes to the recogniser,
e.g. the two lines of "其他政府办公厅（室）及相关机构事务支" / "出" give one cell text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pdfplumber
from pdfplumber.table import words_to_edges_h, words_to_edges_v

from index.core.numbers import ocr_number_doubt
from index.core.text import ocr_text
from index.read.pdf import AMOUNT_TOKEN, LINES_SETTINGS, Line, RawCell, RawTable, tabular_grid

DARK_LINE = 180  # ruling lines are often grey: anything darker than this is ink for them
DARK_TEXT = 150  # text ink; lighter pixels are anti-aliasing and scan noise
MIN_RULE_H_PT = 20.0  # a horizontal rule is longer than any glyph stroke, even in a title
MIN_RULE_V_PT = 12.0  # a vertical rule spans at least one row; body glyphs are shorter
MAX_RULE_THICK_PT = 2.5  # thicker runs are filled areas (shading, a black box), not rules
MIN_INK_PT = 2.0  # ink shorter than this in a cell is a speck, not text


def _runs(mask: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of True along each row of ``mask`` at least ``min_len`` long: (row, start, end)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # row-major order: the i-th end closes the i-th start
    keep = ends - starts >= min_len
    return rows[keep], starts[keep], ends[keep]


def rule_edges(gray: np.ndarray, scale: float) -> tuple[list[dict], np.ndarray]:
    """Horizontal and vertical rules as pdfplumber edges (points), and the mask of their pixels. Runs on
    neighbouring pixel rows are one rule drawn several pixels thick."""
    dark = gray < DARK_LINE
    ruled = np.zeros_like(dark)
    edges: list[dict] = []
    for orientation, mask, min_pt in (("h", dark, MIN_RULE_H_PT), ("v", dark.T, MIN_RULE_V_PT)):
        rows, starts, ends = _runs(mask, int(min_pt * scale))
        target = ruled if orientation == "h" else ruled.T  # a view: marks land in ``ruled``
        segments: dict[tuple[int, int], list[int]] = {}  # (start, end) bucket → pixel rows
        for r, s, e in zip(rows.tolist(), starts.tolist(), ends.tolist()):
            target[r, s:e] = True
            segments.setdefault((s // 4, e // 4), []).append(r)
        for (s4, e4), rs in segments.items():
            for group in _consecutive(sorted(rs)):
                if len(group) > MAX_RULE_THICK_PT * scale:
                    continue
                pos = (group[0] + group[-1] + 1) / 2 / scale
                a, b = s4 * 4 / scale, (e4 * 4 + 3) / scale
                if orientation == "h":
                    edges.append(_edge("h", a, pos, b, pos))
                else:
                    edges.append(_edge("v", pos, a, pos, b))
    return edges, ruled


def _consecutive(values: list[int], gap: int = 1) -> list[list[int]]:
    groups: list[list[int]] = []
    for v in values:
        if groups and v - groups[-1][-1] <= gap:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "object_type": "ocr_edge", "orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top,
    }


def ruled_tables(page: pdfplumber.page.Page, gray: np.ndarray, scale: float, number: int, engine: Any) -> list[RawTable]:
    edges, ruled = rule_edges(gray, scale)
    clean = gray.copy()
    clean[ruled] = 255  # cells are read without their borders: a rule's stub is no "[" or "1"
    h = [e for e in edges if e["orientation"] == "h"]
    v = [e for e in edges if e["orientation"] == "v"]
    if len(h) < 2 or len(v) < 2:
        return []
    settings = {k: v for k, v in LINES_SETTINGS.items() if not k.endswith("_strategy")}
    settings |= {
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v, "explicit_horizontal_lines": h,
    }
    found = [_read_cells(t, clean, scale, number, engine, ruled=True) for t in page.find_tables(settings)]
    return sorted((t for t in found if t is not None), key=lambda t: (t.bbox[1], t.bbox[0]))


def aligned_tables(
    page: pdfplumber.page.Page, words: list[dict], lines: list[Line], gray: np.ndarray, scale: float, number: int,
    engine: Any,
) -> list[RawTable]:
    """No rules: columns and rows from the alignment of the words read (pdfplumber's text strategy over
    OCR words), inside the band of lines that carry amounts, and kept only when the grid has rows of
    amounts: pdf.py's fallback, over OCR words."""
    rows = [i for i, ln in enumerate(lines) if len(AMOUNT_TOKEN.findall(ln.text)) >= 2 and "。" not in ln.text]
    if len(rows) < 3:
        return []
    top, bottom = lines[rows[0]].bbox[1], lines[rows[-1]].bbox[3]
    if rows[0] > 0 and top - lines[rows[0] - 1].bbox[3] < 30:
        top = lines[rows[0] - 1].bbox[1]  # the header row
    band = [w for w in words if top - 1 <= w["top"] and w["bottom"] <= bottom + 1]
    v = [dict(e, object_type="ocr_edge") for e in words_to_edges_v(band, word_threshold=2)]
    h = [dict(e, object_type="ocr_edge") for e in words_to_edges_h(band, word_threshold=1)]
    if len(h) < 2 or len(v) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v, "explicit_horizontal_lines": h, "snap_tolerance": 3, "join_tolerance": 3,
    }
    found = [_read_cells(t, gray, scale, number, engine, ruled=False) for t in page.find_tables(settings)]
    return [t for t in found if t is not None and tabular_grid(t.grid)]


# --- reading cells -----------------------------------------------------------------------------


def _read_cells(table: Any, gray: np.ndarray, scale: float, number: int, engine: Any, ruled: bool) -> RawTable | None:
    rows = [list(r.cells) for r in table.rows]
    if max((len(r) for r in rows), default=0) < 2:
        return None  # a one-column frame is text, not a table (as in pdf.py)
    crops: list[np.ndarray] = []
    owner: list[tuple[int, int]] = []
    for i, row in enumerate(rows):
        for j, box in enumerate(row):
            if box is not None:
                for crop in _text_lines(gray, box, scale):
                    crops.append(crop)
                    owner.append((i, j))
    texts: dict[tuple[int, int], list[str]] = {}
    if crops:
        results, _ = engine.text_rec(crops)
        for key, (text, _score) in zip(owner, results):
            texts.setdefault(key, []).append(text)
    grid: list[list[RawCell | None]] = [
        [
            None if box is None else _cell(ocr_text("\n".join(texts.get((i, j), []))), box)
            for j, box in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]
    _doubt_columns(grid)
    x0, top, x1, bottom = table.bbox
    return RawTable(page=number, bbox=(x0, top, x1, bottom), grid=grid, ruled=ruled)


def _cell(text: str, box: tuple[float, float, float, float]) -> RawCell:
    x0, top, x1, bottom = box
    return RawCell(text=text, bbox=(x0, top, x1, bottom), ocr=True, doubt=ocr_number_doubt(text))


def _text_lines(gray: np.ndarray, box: tuple[float, ...], scale: float) -> list[np.ndarray]:
    """The cell's text lines as image crops, top to bottom: rows of ink split where blank rows part them."""
    inset = max(2, int(round(MAX_RULE_THICK_PT * scale / 2)))  # stay clear of the rules
    x0, y0 = int(box[0] * scale) + inset, int(box[1] * scale) + inset
    x1, y1 = int(box[2] * scale) - inset, int(box[3] * scale) - inset
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    ink = gray[y0:y1, x0:x1] < DARK_TEXT
    row_ink = np.nonzero(ink.any(axis=1))[0].tolist()
    if not row_ink:
        return []
    groups = _consecutive(row_ink, gap=max(1, int(0.15 * 12 * scale)))
    # Glyph parts (三, 二) leave blank rows inside one line: a band much lower than the tallest joins
    # its nearest neighbour.
    tallest = max(g[-1] - g[0] for g in groups)
    merged: list[list[int]] = []
    for g in groups:
        if merged and (g[-1] - g[0] < 0.5 * tallest or merged[-1][-1] - merged[-1][0] < 0.5 * tallest):
            merged[-1] = merged[-1] + g
        else:
            merged.append(g)
    pad = max(2, int(2 * scale))
    crops = []
    for g in merged:
        cols = np.nonzero(ink[g[0] : g[-1] + 1].any(axis=0))[0]
        if g[-1] - g[0] + 1 < MIN_INK_PT * scale and cols[-1] - cols[0] < 4 * MIN_INK_PT * scale:
            continue  # a speck; a low wide band is "……"
        top, bottom = y0 + g[0], y0 + g[-1] + 1
        left, right = x0 + int(cols[0]), x0 + int(cols[-1]) + 1
        crop = np.full((bottom - top + 2 * pad, right - left + 2 * pad), 255, dtype=np.uint8)
        crop[pad:-pad, pad:-pad] = gray[top:bottom, left:right]
        crops.append(np.repeat(crop[:, :, None], 3, axis=2))  # the recogniser reads three channels
    return crops


def _doubt_columns(grid: list[list[RawCell | None]]) -> None:
    """A figure printed without the decimals every other figure of its column shows may have lost its
    point to OCR (47344 for 473.44): a hundredfold error, so it is kept as text."""
    width = max((len(r) for r in grid), default=0)
    for j in range(width):
        cells = [c for r in grid if j < len(r) and (c := r[j]) is not None and c.text and c.doubt is None]
        places = [_places(c.text) for c in cells]
        decimals = [p for p in places if p is not None and p > 0]
        if len(decimals) < 3 or len(set(decimals)) != 1:
            continue
        for cell, p in zip(cells, places):
            if p == 0 and len(cell.text.strip("-")) > 2:
                cell.doubt = f"同列数字均有 {decimals[0]} 位小数，此数没有，可能漏识小数点"


def _places(text: str) -> int | None:
    """Decimal places of a plain figure; None for anything that is not one."""
    t = text.replace(",", "").replace("，", "").lstrip("-")
    if not t or not t.replace(".", "", 1).isdigit():
        return None
    return len(t.split(".")[1]) if "." in t else 0
