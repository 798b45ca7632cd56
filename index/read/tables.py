"""Raw table grids → typed ``Table``: header paths, code columns, row keys, values, stitching.

The steps, in order: drop empty rows/columns and in-grid captions; split header rows from body
rows; flatten the header into column paths; give each column a role (code, name, value, other
text); split two-sided tables (收入 | 支出) into segments; build rows. A table that flows onto the
next page is stitched by projecting its columns onto the first part's columns by x position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from index.core.model import BBox, Cell, Row, Table
from index.core.numbers import is_amount_text, looks_numeric, try_parse_number
from index.core.text import compact
from index.read.pdf import RawCell, RawTable

CODE_PART = re.compile(r"^\d{1,7}$")
FULL_CODE = re.compile(r"^\d{3}(?:\d{2}){0,3}$")
TOTAL_NAMES = re.compile(r"^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计|合\s*计|总\s*计)[:：]?$")
CAPTION = re.compile(r"(预算\s*\d+\s*表|预算表\s*\d+|^表\s*[0-9一二三四五六七八九十]+|单位[:：]|^附\s*\d)")


@dataclass
class Grid:
    """A cleaned grid: rows of cells (None where merged), with each column's x-range."""

    rows: list[list[RawCell | None]]
    pages: list[int]  # page of each row
    xranges: list[tuple[float, float]]
    captions: list[str] = field(default_factory=list)


def clean_grid(raw: RawTable) -> Grid:
    rows = [list(r) for r in raw.grid]
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    keep_cols = [j for j in range(width) if any(r[j] is not None and r[j].text for r in rows)]
    rows = [[r[j] for j in keep_cols] for r in rows]
    rows = [r for r in rows if any(c is not None and c.text for c in r)]
    captions: list[str] = []
    # Captions drawn inside the grid (Beijing's 预算01表 …, 金额单位) come before the header.
    while rows:
        texts = [c.text for c in rows[0] if c is not None and c.text]
        if len(texts) <= 2 and any(CAPTION.search(t) for t in texts):
            captions.append(join_cells(texts))
            rows.pop(0)
        else:
            break
    return Grid(rows=rows, pages=[raw.page] * len(rows), xranges=_column_xranges(rows), captions=captions)


def join_cells(texts: list[str]) -> str:
    """Cells of one caption row read as one line ("表3" "2020年" "部门支出总表" → "表3 2020年部门支出总表")."""
    out = ""
    for text in texts:
        out += (" " if out and out[-1].isdigit() and text[0].isdigit() else "") + text
    return out


def _column_xranges(rows: list[list[RawCell | None]]) -> list[tuple[float, float]]:
    width = len(rows[0]) if rows else 0
    ranges = []
    for j in range(width):
        boxes = [r[j].bbox for r in rows if r[j] is not None]
        if not boxes:
            ranges.append((0.0, 0.0))
            continue
        x0 = sorted(b[0] for b in boxes)[len(boxes) // 2]
        x1 = min(b[2] for b in boxes)  # merged cells reach further right: the narrowest is the column
        ranges.append((x0, max(x1, x0 + 1)))
    return ranges


def is_body_row(row: list[RawCell | None]) -> bool:
    texts = [c.text for c in row if c is not None and c.text]
    if not texts:
        return False
    if any(is_amount_text(t) for t in texts):
        return True
    return bool(FULL_CODE.match(texts[0])) and len(texts) >= 2


def _first_text(row: list[RawCell | None]) -> str:
    return next((compact(c.text) for c in row if c is not None and c.text), "")


def split_header(grid: Grid) -> int:
    """Number of header rows: rows before the first body row (all rows for a text-only table: 1).

    A row just above the first body row that names an item but leaves the value cells blank
    ("1、因公出国（境）费" with empty amounts) is a body row too: header cells are either text or
    covered by a merged cell above, never empty.
    """
    first = next((i for i, row in enumerate(grid.rows) if is_body_row(row)), None)
    if first is None:  # an empty table ("本表为空表") still has its 合计 row under the header
        first = next((i for i, row in enumerate(grid.rows) if i and _first_text(row) and TOTAL_NAMES.match(_first_text(row))), None)
    if first is None:
        return min(1, len(grid.rows))
    value_cols = [j for j, c in enumerate(grid.rows[first]) if c is not None and is_amount_text(c.text)]
    n_header = first
    while n_header > 1 and value_cols:
        row = grid.rows[n_header - 1]
        blank_values = all(row[j] is not None and not row[j].text for j in value_cols)
        named = any(c is not None and c.text for c in row)
        if not (blank_values and named):
            break
        n_header -= 1
    return n_header


def column_paths(grid: Grid, n_header: int) -> list[str]:
    """Flatten multi-row headers: a merged cell spanning columns heads each of them."""
    width = len(grid.xranges)
    paths = []
    for j in range(width):
        parts: list[str] = []
        center = (grid.xranges[j][0] + grid.xranges[j][1]) / 2
        for i in range(n_header):
            cell = grid.rows[i][j]
            text = None
            if cell is not None:
                text = cell.text
            else:
                for k in range(j - 1, -1, -1):
                    left = grid.rows[i][k]
                    if left is not None:
                        if left.bbox[2] >= center:
                            text = left.text
                        break
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        paths.append("/".join(parts))
    return paths


@dataclass
class Segment:
    code_cols: list[int]
    name_col: int | None
    value_cols: list[int]
    other_cols: list[int]


def _column_role(grid: Grid, n_header: int, j: int, path: str) -> str:
    body = [r[j].text for r in grid.rows[n_header:] if r[j] is not None and r[j].text]
    last = path.split("/")[-1] if path else ""
    header_says_code = last in {"类", "款", "项"} or any(k in last for k in ("编码", "编号", "代码", "代 码"))
    if body and all(CODE_PART.match(t) or TOTAL_NAMES.match(t) for t in body):
        codes = [t for t in body if CODE_PART.match(t)]
        if header_says_code or (codes and not any(is_amount_text(t) for t in body) and all(len(t) in (2, 3, 5, 7) for t in codes) and "金额" not in last and "数" not in last):
            return "code"
    if header_says_code and not any(is_amount_text(t) for t in body):
        return "code"
    if last in {"序号", "编号"}:
        return "text"
    if not body:
        return "value"
    numeric = [t for t in body if try_parse_number(t) is not None]
    if len(numeric) == len(body) or (len(numeric) >= max(1, len(body) - 2) and any(is_amount_text(t) for t in numeric)):
        return "value"
    return "text"


def segments(grid: Grid, n_header: int, paths: list[str]) -> list[Segment]:
    """Split columns into segments (a two-sided 收入 | 支出 table has two) and pick each one's row key."""
    roles = [_column_role(grid, n_header, j, p) for j, p in enumerate(paths)]
    groups: list[list[int]] = [[]]
    seen_value = False
    for j, role in enumerate(roles):
        if role in ("code", "text") and seen_value:
            groups.append([])
            seen_value = False
        groups[-1].append(j)
        seen_value = seen_value or role == "value"
    segs = [_key_columns(cols, roles, paths) for cols in groups]
    return [s for s in segs if s.value_cols or s.name_col is not None]


def _key_columns(cols: list[int], roles: list[str], paths: list[str]) -> Segment:
    """Row key = the name column (one saying 名称 wins) and the run of code columns just before it."""
    texts = [j for j in cols if roles[j] == "text"]
    codes = [j for j in cols if roles[j] == "code"]
    named = [j for j in texts if "名称" in paths[j]]
    # 部门经济分类 is finer than 政府经济分类: when a table carries both, key rows by the former.
    preferred = [j for j in named if "部门经济分类" in paths[j] and j - 1 in codes] if named and "政府经济分类" in paths[named[0]] else []
    name_col = (preferred or named or texts or [None])[0]
    code_cols: list[int] = []
    if name_col is not None and name_col - 1 in codes:
        j = name_col - 1
        while j in codes:
            code_cols.insert(0, j)
            j -= 1
    elif codes:
        j = codes[0]
        while j in codes:
            code_cols.append(j)
            j += 1
    values = [j for j in cols if roles[j] == "value"]
    others = [j for j in cols if j not in values and j not in code_cols and j != name_col]
    return Segment(code_cols=code_cols, name_col=name_col, value_cols=values, other_cols=others)


def code_level(code: str) -> tuple[int | None, str | None]:
    if not FULL_CODE.match(code):
        return None, None
    level = {3: 1, 5: 2, 7: 3, 9: 4}[len(code)]
    return level, (code[:-2] if len(code) > 3 else None)


def build_table(grid: Grid, label: str | None, title: str | None, unit: str | None, section_path: list[str]) -> Table:
    n_header = split_header(grid)
    paths = column_paths(grid, n_header)
    segs = segments(grid, n_header, paths)
    warnings: list[str] = []
    if not any(seg.value_cols for seg in segs):
        return _text_table(grid, n_header, paths, label, title, unit, section_path)
    columns: list[str] = []
    col_index: dict[int, int] = {}
    multi = len(segs) > 1
    for s_i, seg in enumerate(segs):
        side = _side_name(paths, seg) if multi else None
        for j in seg.value_cols:
            path = paths[j] or f"列{j + 1}"
            if side and not path.startswith(side):
                path = f"{side}/{path}"
            while path in columns:  # duplicated header text: keep both, distinguish
                path = f"{path}#{s_i + 1}"
            col_index[j] = len(columns)
            columns.append(path)
        if seg.name_col is None and not seg.value_cols:
            continue
    rows: list[Row] = []
    body = list(zip(grid.rows[n_header:], grid.pages[n_header:]))
    for seg in segs:
        for _r_i, (cells, page) in enumerate(body):
            row = _build_row(cells, page, seg, paths, columns, col_index, warnings, title or label or "表")
            if row is not None:
                rows.append(row)
    bbox = _table_bbox(grid)
    return Table(
        label=label,
        title=title,
        unit=unit,
        pages=sorted(set(grid.pages)),
        bbox=bbox,
        columns=columns,
        rows=rows,
        section_path=section_path,
        warnings=warnings,
    )


def _table_bbox(grid: Grid) -> BBox:
    first = next((c for r in grid.rows for c in r if c is not None), None)
    last = next((c for r in reversed(grid.rows) for c in reversed(r) if c is not None), None)
    return (
        min(x0 for x0, _ in grid.xranges) if grid.xranges else 0.0,
        first.bbox[1] if first else 0.0,
        max(x1 for _, x1 in grid.xranges) if grid.xranges else 0.0,
        last.bbox[3] if last else 0.0,
    )


def _text_table(grid: Grid, n_header: int, paths: list[str], label, title, unit, section_path) -> Table:
    """A form or target table with no amount columns (绩效目标表): kept as text, cell by cell."""
    rows = []
    for cells, page in zip(grid.rows[n_header:], grid.pages[n_header:]):
        texts = [c.text if c is not None and c.text else None for c in cells]
        boxes = [c.bbox for c in cells if c is not None]
        if not any(texts):
            continue
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        rows.append(
            Row(
                name=next(t for t in texts if t),
                cells=[Cell(text=t, page=page, bbox=c.bbox if c is not None else None) for t, c in zip(texts, cells)],
                page=page,
                bbox=bbox,
            )
        )
    columns = [p or f"列{j + 1}" for j, p in enumerate(paths)]
    return Table(label=label, title=title, unit=None, pages=sorted(set(grid.pages)), bbox=_table_bbox(grid),
                 columns=columns, rows=rows, section_path=section_path)


def _side_name(paths: list[str], seg: Segment) -> str | None:
    """The heading over a two-sided table's half (收入/支出), taken from its value columns' paths."""
    firsts = {paths[j].split("/")[0] for j in seg.value_cols if paths[j]}
    if len(firsts) == 1:
        (first,) = firsts
        if first and len(paths[seg.value_cols[0]].split("/")) > 1:
            return None  # the path already starts with the side's heading
    if seg.name_col is not None and paths[seg.name_col]:
        return paths[seg.name_col].split("/")[0]
    return None


def _build_row(cells, page, seg: Segment, paths, columns, col_index, warnings, table_name) -> Row | None:
    code_parts = [cells[j].text for j in seg.code_cols if cells[j] is not None and cells[j].text]
    name = None
    if seg.name_col is not None and cells[seg.name_col] is not None:
        name = cells[seg.name_col].text or None
    code = None
    if code_parts and all(CODE_PART.match(p) for p in code_parts):
        code = "".join(code_parts)
    elif code_parts and name is None:
        name = " ".join(code_parts)  # 合计 written across the code columns
    value_cells: list[Cell] = [Cell(text=None, page=page) for _ in columns]
    has_value = False
    for j in seg.value_cols:
        raw = cells[j]
        if raw is None or not raw.text:
            value_cells[col_index[j]] = Cell(text=None, page=page, bbox=raw.bbox if raw else None)
            continue
        parsed = try_parse_number(raw.text)
        value: Decimal | None = parsed.value if parsed else None
        if parsed is None:
            if looks_numeric(raw.text):
                warnings.append(f"{table_name}「{name or code or ''}」{paths[j]}：无法解析的数字 {raw.text!r}，按文字保留")
            else:
                warnings.append(f"{table_name}「{name or code or ''}」{paths[j]}：数值列中的文字 {raw.text[:20]!r}")
        elif parsed.value is not None:
            has_value = True
        value_cells[col_index[j]] = Cell(text=raw.text, value=value, page=page, bbox=raw.bbox)
    if name is None and code is None and not has_value:
        return None
    if not seg.value_cols and name is None:
        return None
    level, parent = code_level(code) if code else (None, None)
    attributes = {}
    for j in seg.other_cols:
        if cells[j] is not None and cells[j].text:
            attributes[paths[j] or f"列{j + 1}"] = cells[j].text
    is_total = bool(name and TOTAL_NAMES.match(compact(name))) or (name is None and code is None and has_value)
    boxes = [c.bbox for c in cells if c is not None]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else None
    if name is not None:
        name = compact(name) if len(compact(name)) <= 40 else name
    return Row(
        code=code,
        name=name,
        level=level,
        parent_code=parent,
        is_total=is_total,
        attributes=attributes,
        cells=value_cells,
        page=page,
        bbox=bbox,
    )


def project_rows(base: Grid, part: Grid, header_rows: int) -> list[list[RawCell | None]] | None:
    """Map a continuation's cells onto ``base`` columns by x position; None when they don't line up."""
    projected = []
    for row in part.rows[header_rows:]:
        out: list[RawCell | None] = [None] * len(base.xranges)
        for cell in row:
            if cell is None:
                continue
            center = (cell.bbox[0] + cell.bbox[2]) / 2
            target = _column_at(base.xranges, center, cell.bbox[0])
            if target is None:
                return None
            if out[target] is not None and out[target].text:
                if not cell.text:
                    continue
                return None  # two cells fall into one column: different layout
            out[target] = cell
        projected.append(out)
    return projected


def _column_at(xranges: list[tuple[float, float]], center: float, left: float) -> int | None:
    for j, (x0, x1) in enumerate(xranges):
        if x0 - 2 <= left <= x1 and left < x1 - 1 and x0 - 2 <= center:
            # a merged cell starts in column j even if its centre lies further right
            return j
    for j, (x0, x1) in enumerate(xranges):
        if x0 - 2 <= center <= x1 + 2:
            return j
    return None


def header_matches(base: Grid, base_header: int, part: Grid, part_header: int) -> bool:
    """A repeated header: each of its cells equals, or is the start of, the first part's cell above it."""
    if part_header == 0:
        return True
    if part_header > base_header or len(part.xranges) != len(base.xranges):
        return False
    for i in range(part_header):
        for a, b in zip(base.rows[i], part.rows[i]):
            ta, tb = compact(a.text) if a else "", compact(b.text) if b else ""
            if tb and not ta.startswith(tb):
                return False
    return True


def _numeric_column(grid: Grid, n_header: int, end: int, j: int) -> bool:
    """Judged on the rows above the continuation: blank or numbers only."""
    body = [r[j].text for r in grid.rows[n_header:end] if r[j] is not None and r[j].text]
    return all(try_parse_number(t) is not None for t in body)


def drop_header_spill(grid: Grid, base_header: int, paths: list[str], start: int, warnings: list[str]) -> None:
    """A header cell wrapped over a page break leaves its tail ("款收入") in the first body row below it."""
    for row in grid.rows[start:start + 1]:
        for j, cell in enumerate(row):
            if cell is None or not cell.text or try_parse_number(cell.text) is not None:
                continue
            tail = compact(cell.text)
            if paths[j] and compact(paths[j]).endswith(tail) and _numeric_column(grid, base_header, start, j):
                warnings.append(f"跨页表头残片「{cell.text}」已忽略（第 {grid.pages[start]} 页）")
                row[j] = None
