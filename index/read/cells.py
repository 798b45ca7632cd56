"""The texts of a table's cells, each character in the cell it was written in.

pdfplumber puts a character in the cell its centre falls in. A name longer than its cell runs over the
ruling into the amount cell beside it, and its last characters were read as part of the amount, letters
and digits interleaved by position (西安 收入总表: "西安市人工影响天气服务保 | 障中18心39311.66"). Characters
that carry on the name's run of text — same font and size, on its line, each following the last — belong to
the name:

    西安市人工影响天气服务保障中心 | 1839311.66

Digits, decimal points and signs never move: an amount's characters stay where they were printed.
"""

from __future__ import annotations

import pdfplumber
from pdfplumber import utils

X_TOLERANCE = 1.5  # characters closer than this are one word (cell texts are read without spaces inside)
AMOUNT_CHARS = frozenset("0123456789.,，-+%(（")  # an amount's characters (and an opening bracket of a negative one)
CLOSING = {")": "(", "）": "（"}


def cell_texts(table: pdfplumber.table.Table) -> list[list[str | None]]:
    """``table.extract(x_tolerance=X_TOLERANCE)``, with a name's overflow read in the name's cell."""
    chars = table.page.chars
    out: list[list[str | None]] = []
    for row in table.rows:
        row_chars = [c for c in chars if _inside(c, row.bbox)]
        cells = [None if box is None else [c for c in row_chars if _inside(c, box)] for box in row.cells]
        _give_back_overflow(cells, row.cells)
        out.append([None if cc is None else (utils.extract_text(cc, x_tolerance=X_TOLERANCE) if cc else "") for cc in cells])
    return out


def _inside(char: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    h_mid = (char["x0"] + char["x1"]) / 2
    v_mid = (char["top"] + char["bottom"]) / 2
    return x0 <= h_mid < x1 and top <= v_mid < bottom


def _give_back_overflow(cells: list[list[dict] | None], boxes: list) -> None:
    present = [i for i, cc in enumerate(cells) if cc is not None]
    for left_i, right_i in zip(present, present[1:]):
        left, right = cells[left_i], cells[right_i]
        if not left or not right:
            continue
        moved = _overflow(left, right, border=boxes[right_i][0])
        if moved:
            ids = {id(c) for c in moved}
            left.extend(moved)
            cells[right_i] = [c for c in right if id(c) not in ids]


def _overflow(left: list[dict], right: list[dict], border: float) -> list[dict]:
    """The characters in ``right`` that carry on the run of text ending ``left``'s last line over the ruling
    at ``border``, when the run is the left cell's: a glyph of it straddles the ruling and no more of it lies
    beyond than before (a centred heading wider than its cell stays where most of it is)."""
    last = max(left, key=lambda c: c["x1"])
    before = _run(sorted(_same_line(left, last), key=lambda c: -c["x1"]), last, backwards=True)
    after = _run(sorted(_same_line(right, last), key=lambda c: c["x0"]), last, backwards=False)
    if not after or len(after) > len(before) + 1:
        return []
    if not (_straddles(last, border) or _straddles(after[0], border) or _printed_over(after, right)):
        return []  # two texts side by side, each fitting its cell
    open_brackets = sum(c["text"] in CLOSING.values() for c in left) - sum(c["text"] in CLOSING for c in left)
    moved: list[dict] = []
    for c in after:
        if c["text"] in CLOSING:
            if open_brackets <= 0:
                break
            open_brackets -= 1
        elif c["text"] in AMOUNT_CHARS or not c["text"].strip():
            break
        moved.append(c)
    if len(moved) == sum(1 for c in right if c["text"].strip()):
        return []  # a cell is never emptied: one line of text over several cells (a caption) stays as read
    return moved


def _same_line(chars: list[dict], like: dict) -> list[dict]:
    return [c for c in chars if abs(c["top"] - like["top"]) < 1 and c["fontname"] == like["fontname"]
            and abs(c["size"] - like["size"]) < 0.1]


def _run(chars: list[dict], start: dict, backwards: bool) -> list[dict]:
    """The characters of ``chars`` (in reading order away from ``start``) that follow on from ``start``, each
    next to the one before: not overlapping it (another text printed over it) nor apart from it."""
    size = start["size"]
    run = [start] if backwards else []
    prev = start
    for c in chars:
        if c is start:
            continue
        near, far = (c["x1"], prev["x0"]) if backwards else (prev["x1"], c["x0"])
        if far < near - 0.1 * size or far - near > 0.3 * size:
            break
        run.append(c)
        prev = c
    return run


def _printed_over(run: list[dict], chars: list[dict]) -> bool:
    """Whether other characters of the cell are printed over the run (an amount under a name's end)."""
    ids = {id(c) for c in run}
    return any(
        id(o) not in ids and abs(o["top"] - c["top"]) < c["size"] / 2 and min(o["x1"], c["x1"]) - max(o["x0"], c["x0"]) > 0.25 * (c["x1"] - c["x0"])
        for c in run for o in chars
    )


def _straddles(char: dict, border: float) -> bool:
    """Printed across the ruling, a quarter of it or more beyond: a glyph that only touches it fits its cell."""
    return char["x0"] < border and char["x1"] - border >= 0.25 * (char["x1"] - char["x0"])


__all__ = ["cell_texts"]
