"""A one-project form printed as label | value pairs across its rows (重庆's 市级重点专项资金绩效目标表):

    项目名称 | 市商务发展专项 | 主管部门 | 重庆市商务委员会
    当年预算 | 46,794.00     | 市级支出 | 40,624.00
             |               | 补助区县 | 6,170.00
    项目概况 | 为深化落实…
    绩效指标 | 指标名称 | 指标性质 | 指标值 …

Its columns are not columns: read by columns, 40,624.00 became 当年预算's figure under the column 重庆市商务委员会.
Read as pairs, each figure is the line its own label names (当年预算 46,794.00; 市级支出 40,624.00 and 补助区县
6,170.00, the parts of it printed beside and under it), in one column named by the project. Text lines (项目概况,
the targets, which ``index.read.indicators`` reads from the raw grid) are kept as text.
"""

from __future__ import annotations

from decimal import Decimal

from index.core.lexicon import TARGET_COLUMN
from index.core.model import Cell, KeyColumn, Row, Table
from index.core.numbers import try_parse_number
from index.core.text import compact
from index.core.units import money_unit
from index.read.grid import Grid, bbox_union, grid_bbox, text_of
from index.read.pdf import RawCell

Filled = list[tuple[int, RawCell]]  # the printed cells of a line, with their column

PROJECT_LABEL = "项目名称"
DEPARTMENT_LABEL = "主管部门"


def pair_form_project(grid: Grid) -> str | None:
    """The project a pair form is about: its first row prints 项目名称 | the project | 主管部门 | the department."""
    if not grid.rows:
        return None
    texts = [compact(text_of(c)) for c in grid.rows[0] if text_of(c)]
    if len(texts) != 4 or texts[0] != PROJECT_LABEL or not texts[2].startswith(DEPARTMENT_LABEL):
        return None
    return text_of(next(c for c in grid.rows[0][1:] if text_of(c))).strip()


def pair_form_table(grid: Grid, project: str, label: str | None, title: str | None, unit: str | None,
                    section_path: list[str]) -> Table:
    rows: list[Row] = []
    targets = False  # from the 指标名称 | 指标值 header on, lines are targets: text, never amounts
    whole: int | None = None  # the row of the pair printed first on its line (当年预算), whose parts follow it
    for cells, page in zip(grid.rows[1:], grid.pages[1:]):
        filled = [(j, c) for j, c in enumerate(cells) if c is not None and c.text]
        targets = targets or any(TARGET_COLUMN.search(compact(c.text)) for _, c in filled)
        pairs = [] if targets else _pairs(filled)
        if not pairs:
            if filled:
                rows.append(_text_row(filled, page))
            continue
        for k, (first_col, name, value_cell) in enumerate(pairs):
            opens = k == 0 and first_col == filled[0][0] == 0
            cell = Cell(text=None, page=page) if value_cell is None else Cell(
                text=value_cell.text, value=_amount(value_cell.text), page=page, bbox=value_cell.bbox, ocr=value_cell.ocr)
            rows.append(Row(name=name, parent_row=None if opens else whole, page=page, cells=[cell],
                            bbox=bbox_union([c.bbox for _, c in filled])))
            if opens:
                whole = len(rows) - 1
    return Table(label=label, title=title, unit=money_unit(unit), pages=sorted(set(grid.pages)),
                 bbox=grid_bbox(grid), columns=[project], key_columns=[KeyColumn(header=PROJECT_LABEL, before=0)],
                 rows=rows, section_path=section_path)


def _pairs(filled: Filled) -> list[tuple[int, str, RawCell | None]]:
    """(label column, label, value cell) for each label followed by an amount on the line; none unless every
    other cell of the line is such a label or amount (a line of prose is no pair)."""
    out: list[tuple[int, str, RawCell | None]] = []
    i = 0
    while i < len(filled):
        j, cell = filled[i]
        following = filled[i + 1][1] if i + 1 < len(filled) else None
        if _amount(cell.text) is not None or (following is not None and _amount(following.text) is None):
            return []
        out.append((j, compact(cell.text), following))  # following None: 补助区县 with nothing printed
        i += 2
    return out


def _amount(text: str | None) -> Decimal | None:
    parsed = try_parse_number(text or "")
    return parsed.value if parsed is not None else None


def _text_row(filled: Filled, page: int) -> Row:
    name = compact(filled[0][1].text)
    rest = " ".join(c.text for _, c in filled[1:]) or None
    return Row(name=name, cells=[Cell(text=rest, page=page, bbox=filled[1][1].bbox if len(filled) > 1 else None)],
               page=page, bbox=bbox_union([c.bbox for _, c in filled]))
