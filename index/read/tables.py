"""Raw table grids → typed ``Table``: header paths, code columns, row keys, values, final rows.

The steps, in order: drop empty rows/columns and in-grid captions, split header rows from body
rows and flatten the header into column paths (``grid``); give each column a role and split
two-sided tables (收入 | 支出) into segments (``roles``); build rows with their final code, level,
parent and totals (``rows``); link "其中：" rows to the row they are part of (``outline``) and rows
of a table grouped by 预算单位 to their unit (``units``). A table that flows onto the next page is
stitched before it is built (``stitch``, ``assemble``). For example the grid

    科目编码/类 | 科目编码/款 | 科目名称   | 合计
    301         | 2           | 津贴补贴   | 16,623,810

becomes a ``Row(code="30102", name="津贴补贴", level=2, parent_code="301")`` with one value cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from index.core.lexicon import BUDGET_UNIT_ATTRIBUTE, CODE_PART, join_code
from index.core.model import Cell, KeyColumn, Row, Table
from index.core.numbers import format_amount, looks_numeric, try_parse_number
from index.core.units import money_unit
from index.read.forms import pair_form_project, pair_form_table
from index.read.grid import Grid, GridRow, bbox_union, column_paths, grid_bbox, split_header, text_of, unglue_overflow
from index.read.outline import link_parts
from index.read.roles import Segment, segments, side_name
from index.read.rows import levels, row_key, totals
from index.read.units import mark_unit_groups


def build_table(grid: Grid, label: str | None, title: str | None, unit: str | None, section_path: list[str]) -> Table:
    project = pair_form_project(grid)
    if project is not None:
        return pair_form_table(grid, project, label, title, unit, section_path)
    n_header = split_header(grid)
    unglue_overflow(grid, n_header)
    paths = column_paths(grid, n_header)
    segs = segments(grid, n_header, paths)
    warnings: list[str] = []
    if not any(seg.value_cols for seg in segs):
        return _text_table(grid, n_header, paths, label, title, section_path)
    columns: list[str] = []
    col_index: dict[int, int] = {}
    multi = len(segs) > 1
    for s_i, seg in enumerate(segs):
        side = side_name(paths, seg) if multi else None
        for j in seg.value_cols:
            path = paths[j] or f"列{j + 1}"
            if side and not path.startswith(side):
                path = f"{side}/{path}"
            while path in columns:  # duplicated header text: keep both, distinguish
                path = f"{path}#{s_i + 1}"
            col_index[j] = len(columns)
            columns.append(path)
    # Every text column of every side, in printed order, so the table can be shown as printed.
    key_cols = sorted({j for seg in segs for j in [*seg.code_cols, *seg.other_cols, seg.name_col] if j is not None})
    key_columns = [KeyColumn(header=paths[j] or f"列{j + 1}", before=sum(v < j for v in col_index)) for j in key_cols]
    rows: list[Row] = []
    body = list(zip(grid.rows[n_header:], grid.pages[n_header:]))
    context = _RowContext(paths, columns, col_index, warnings, title or label or "表", key_cols)
    for seg in segs:
        first = len(rows)
        context.carried = []
        for cells, page in body:
            row = _build_row(cells, page, seg, context)
            if row is not None:
                rows.append(row)
        link_parts(rows[first:], first, context.table_name, warnings)  # each side has its own outline
    table = Table(
        label=label,
        title=title,
        unit=money_unit(unit),
        pages=sorted(set(grid.pages)),
        bbox=grid_bbox(grid),
        columns=columns,
        key_columns=key_columns,
        rows=rows,
        section_path=section_path,
        warnings=warnings,
    )
    names = {paths[seg.name_col] for seg in segs if seg.name_col is not None}
    mark_unit_groups(table, named_by_unit=any(BUDGET_UNIT_ATTRIBUTE.search(p) for p in names))
    return table


def _text_table(
    grid: Grid, n_header: int, paths: list[str], label: str | None, title: str | None, section_path: list[str]
) -> Table:
    """A form or target table with no amount columns (绩效目标表): kept as text, cell by cell."""
    rows = []
    for cells, page in zip(grid.rows[n_header:], grid.pages[n_header:]):
        texts = [text_of(c) or None for c in cells]
        name = next((t for t in texts if t), None)
        if name is None:
            continue
        is_total, is_subtotal = totals(name, None, has_value=False)
        rows.append(
            Row(
                name=name,
                is_total=is_total,
                is_subtotal=is_subtotal,
                cells=[
                    Cell(text=t, page=page, bbox=c.bbox if c is not None else None, ocr=c is not None and c.ocr)
                    for t, c in zip(texts, cells)
                ],
                page=page,
                bbox=bbox_union([c.bbox for c in cells if c is not None]),
            )
        )
    columns = [p or f"列{j + 1}" for j, p in enumerate(paths)]
    return Table(label=label, title=title, unit=None, pages=sorted(set(grid.pages)), bbox=grid_bbox(grid),
                 columns=columns, rows=rows, section_path=section_path)


@dataclass
class _RowContext:
    """What every row of one table is built against: header paths, value columns, warnings."""

    paths: list[str]
    columns: list[str]
    col_index: dict[int, int]  # grid column → index in ``columns``
    warnings: list[str]
    table_name: str
    key_cols: list[int]  # grid columns of Table.key_columns
    carried: list[str] = field(default_factory=list)  # the last 类 / 款 / 项 parts printed, by code column


def _code_parts(cells: GridRow, seg: Segment, ctx: _RowContext) -> list[str]:
    """The row's code parts. Under 类 / 款 / 项 columns a row may print only its own part (烟台: 204 on the
    类's row, 06 on the 款's, 01 on the 项's): the parts to its left are those last printed above it."""
    printed = [text_of(cells[j]) for j in seg.code_cols]
    parts = [p for p in printed if p]
    if len(printed) < 2 or not parts or not all(CODE_PART.match(p) for p in parts) or seg.unit_codes:
        return parts
    start = next(i for i, p in enumerate(printed) if p)
    if 0 < start <= len(ctx.carried) and all(printed[start:start + len(parts)]):
        parts = ctx.carried[:start] + parts
    ctx.carried = parts
    return parts


def _build_row(cells: GridRow, page: int, seg: Segment, ctx: _RowContext) -> Row | None:
    code_parts = _code_parts(cells, seg, ctx)
    printed_name = (text_of(cells[seg.name_col]) or None) if seg.name_col is not None else None
    attributes = {ctx.paths[j] or f"列{j + 1}": text_of(cells[j]) for j in seg.other_cols if text_of(cells[j])}
    code, name = row_key(code_parts, printed_name, attributes, unit_codes=seg.unit_codes)
    # Warnings quote the row as printed, so a reader can find it on the page.
    digits = all(CODE_PART.match(p) for p in code_parts)
    printed = printed_name or ("" if digits else " ").join(code_parts)
    value_cells: list[Cell] = [Cell(text=None, page=page) for _ in ctx.columns]
    has_value = False
    for j in seg.value_cols:
        raw = cells[j]
        if raw is None or not raw.text:
            value_cells[ctx.col_index[j]] = Cell(text=None, page=page, bbox=raw.bbox if raw else None)
            continue
        parsed = try_parse_number(raw.text)
        value: Decimal | None = parsed.value if parsed else None
        where = f"{ctx.table_name}「{printed}」{ctx.paths[j]}"
        if parsed is not None and raw.doubt:
            ctx.warnings.append(f"{where}：OCR 识别的数字 {raw.text!r} 不可靠（{raw.doubt}），按文字保留")
            parsed, value = None, None
        elif parsed is None:
            if looks_numeric(raw.text):
                ctx.warnings.append(f"{where}：无法解析的数字 {raw.text!r}，按文字保留")
            else:
                ctx.warnings.append(f"{where}：数值列中的文字 {raw.text[:20]!r}")
        elif parsed.value is not None:
            has_value = True
            if parsed.regrouped:
                ctx.warnings.append(f"{where}：千分位不规范的数字 {raw.text!r}，按 {format_amount(parsed.value)} 读取")
        value_cells[ctx.col_index[j]] = Cell(text=raw.text, value=value, page=page, bbox=raw.bbox, ocr=raw.ocr)
    if name is None and code is None and not has_value:
        return None
    if not seg.value_cols and name is None:
        return None
    own = {*seg.code_cols, *seg.other_cols, seg.name_col}  # a two-sided table's row prints only its own side
    shown = [(text_of(cells[j]) or None) if j in own else None for j in ctx.key_cols]
    unit_code = seg.unit_codes and bool(code_parts) and code == join_code(code_parts)
    level, parent = (None, None) if unit_code else levels(code)
    # Figures under no name and no code are the total row, unless other text describes them (深圳 三公
    # 表: "2026年" under 年度 beside a unit's merged name cell is that unit's row, not a total). A unit
    # named under 预算单位 is a unit's line: ``mark_unit_groups`` decides which one is the total.
    described = any(
        text_of(cells[j]) for j in seg.other_cols if j not in seg.line_cols and not BUDGET_UNIT_ATTRIBUTE.search(ctx.paths[j])
    )
    is_total, is_subtotal = totals(name, code, has_value and not described)
    return Row(
        code=code,
        name=name,
        level=level,
        parent_code=parent,
        is_total=is_total,
        is_subtotal=is_subtotal,
        attributes=attributes,
        printed=shown,
        cells=value_cells,
        page=page,
        bbox=bbox_union([c.bbox for c in cells if c is not None]),
    )
