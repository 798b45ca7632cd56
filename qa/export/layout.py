"""A stored table laid out as printed, and every figure as one tidy row with its provenance: the two shapes an
export writes, as plain data (the writers only render them).

表九 部门预算明细表 keeps its seven text columns and its amount column in printed order:

    功能分类代码 | 功能分类名称 | 政府经济分类代码 | … | 项目名称                       | 预算金额
    2010301      | 行政运行     | 50101            | … | 人员支出（在职统发）_基本工资 | 4868040.00

and the amount becomes one tidy row: 表九, 第17页, 2010301 行政运行, 政府经济分类代码 50101 …, 预算金额, 元,
4868040.00. Column paths become header rows: ``收入预算/财政拨款收入`` and ``收入预算/事业收入`` print 收入预算 once,
merged across both, above each leaf; a one-level header such as 合计 is merged down through every header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.core.model import Cell, Row, Table
from index.core.numbers import try_parse_number
from index.core.units import PERCENT, printed_places
from index.store.facts import DocumentRecord


@dataclass(frozen=True)
class Number:
    """A figure as a spreadsheet holds it: its value and how it was printed (decimal places, a rate)."""

    value: Decimal
    places: int
    percent: bool = False


Value = str | Number | int | None


@dataclass(frozen=True)
class SourceTable:
    """One stored table and the document it comes from."""

    record: DocumentRecord
    index: int  # position among the document's tables
    table: Table

    @property
    def name(self) -> str:
        """表九 部门预算明细表; a table with neither label nor title is named by its position."""
        parts = [p for p in (self.table.label, self.table.title) if p]
        return " ".join(parts) or f"第{self.index + 1}张表"


@dataclass
class PrintedTable:
    header: list[list[str | None]]  # header rows; None where a merged cell covers the position
    merges: list[tuple[int, int, int, int]]  # (first row, first column, last row, last column) in ``header``
    body: list[list[Value]]
    totals: list[int]  # body lines that are a total or subtotal (shown bold)


_DUPLICATE_MARK = re.compile(r"#\d+$")  # the reader's mark on a repeated header ("合计#2"), not printed


def printed_table(table: Table) -> PrintedTable:
    """The table as printed: text columns and value columns in printed order, the header as merged rows."""
    keys, texts = _keys(table)
    order = [("key", k) for k, (_, before) in enumerate(keys) if before == 0]
    for v in range(len(table.columns)):
        order += [("value", v)] + [("key", k) for k, (_, before) in enumerate(keys) if before == v + 1]
    # A two-sided table's value paths start with their side's key header (收入项目类别/收入金额) where the page
    # printed only 收入金额 beside 收入项目类别: shown as printed, without the repeat.
    sides = {h for h, _ in keys if "/" not in h}
    paths = [keys[i][0] if kind == "key" else _printed_path(table.columns[i], sides) for kind, i in order]
    header, merges = header_rows(paths)
    body: list[list[Value]] = []
    totals: list[int] = []
    for line in _lines(table, texts):
        out: list[Value] = [None] * len(order)
        for r in line:
            row = table.rows[r]
            for slot, (kind, i) in enumerate(order):
                value = texts[r][i] if kind == "key" else cell_value(row, i)
                if value is not None:
                    out[slot] = value
        if any(table.rows[r].is_total or table.rows[r].is_subtotal or table.rows[r].is_unit_total for r in line):
            totals.append(len(body))
        body.append(out)
    return PrintedTable(header=header, merges=merges, body=body, totals=totals)


def _printed_path(column: str, sides: set[str]) -> str:
    path = _DUPLICATE_MARK.sub("", column)
    first, sep, rest = path.partition("/")
    return rest if sep and first in sides else path


def cell_value(row: Row, column: int) -> Value:
    """A value cell: a Number when it reads as one, else its text (a 市指标文号, a dash), None when empty."""
    if column >= len(row.cells):
        return None
    cell = row.cells[column]
    return number_of(cell) or cell.text or None


def number_of(cell: Cell) -> Number | None:
    if cell.value is None:
        return None
    parsed = try_parse_number(cell.text)
    return Number(cell.value, printed_places(cell.text, cell.value), bool(parsed and parsed.is_percent))


def header_rows(paths: list[str]) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """Column paths → header rows with merges: equal groups side by side merge across, a path shorter than the
    deepest merges its last part down to the bottom row, and repeated leaves (项目名称 | 项目名称) merge as one."""
    parts = [p.split("/") if p else [""] for p in paths]
    depth = max((len(p) for p in parts), default=1)
    header: list[list[str | None]] = [[None] * len(paths) for _ in range(depth)]
    merges = []
    for d in range(depth):
        labels = [_label(p, d) for p in parts]
        c = 0
        while c < len(paths):
            if labels[c] is None:
                c += 1
                continue
            end = c
            while end + 1 < len(paths) and labels[end + 1] == labels[c]:
                end += 1
            leaf = d == len(parts[c]) - 1
            header[d][c] = parts[c][d]
            bottom = depth - 1 if leaf else d
            if end > c or bottom > d:
                merges.append((d, c, bottom, end))
            c = end + 1
    return header, merges


def _label(parts: list[str], d: int) -> tuple[bool, tuple[str, ...]] | None:
    """What a column shows at header row ``d``: whether it is its last part, and its path down to there; None
    below its last part (merged down). A leaf never merges with a group of the same text."""
    return (d == len(parts) - 1, tuple(parts[: d + 1])) if d < len(parts) else None


def _keys(table: Table) -> tuple[list[tuple[str, int]], list[list[str | None]]]:
    """(header, values printed before it) of each text column, and each row's text under them.

    A table stored before tables kept their text columns shows the row key the reader stored (编码, 名称 and
    its other text columns); a table kept as text has all its columns among the value columns already.
    """
    if table.key_columns:
        width = len(table.key_columns)
        return [(k.header, k.before) for k in table.key_columns], [(r.printed + [None] * width)[:width] for r in table.rows]
    if not any(r.code or r.attributes or (r.name and r.name not in {c.text for c in r.cells}) for r in table.rows):
        return [], [[] for _ in table.rows]
    attributes = list(dict.fromkeys(a for r in table.rows for a in r.attributes))
    keys = [("编码", 0), ("名称", 0)] + [(a, 0) for a in attributes]
    return keys, [[r.code, r.name, *(r.attributes.get(a) for a in attributes)] for r in table.rows]


def _lines(table: Table, texts: list[list[str | None]]) -> list[list[int]]:
    """Rows grouped into printed lines: a two-sided table (收入 | 支出) holds each side's rows apart, but rows read
    off one printed line share its page and box and fill different columns, so they are shown side by side again."""
    lines: list[list[int]] = []
    where: dict[tuple, int] = {}
    filled: list[set[tuple[str, int]]] = []
    for r, row in enumerate(table.rows):
        mine = {("key", k) for k, t in enumerate(texts[r]) if t} | {("value", v) for v, c in enumerate(row.cells) if c.text}
        place = (row.page, row.bbox) if row.bbox is not None else None
        at = where.get(place) if place is not None else None
        if at is not None and not (filled[at] & mine):
            lines[at].append(r)
            filled[at] |= mine
            continue
        if place is not None:
            where[place] = len(lines)
        lines.append([r])
        filled.append(mine)
    if len(lines) == len(table.rows):
        return lines  # one side: the rows' own order is the printed one
    # Two sides: a line only one side prints (支出's （三） below 收入's last line) goes where it stood on the page.
    order: list[tuple[int, float]] = []
    last = (0, 0.0)
    for line in lines:
        row = table.rows[line[0]]
        last = (row.page, row.bbox[1]) if row.bbox is not None else last
        order.append(last)
    return [line for _, line in sorted(zip(order, lines), key=lambda x: x[0])]


# The tidy sheet: one row per figure, then one column per other text column found in the exported tables.
TIDY_FIELDS = [
    "文档", "文档ID", "发布单位", "层级", "地区", "年度", "类型", "表号", "表名", "表序", "页码", "行序", "行类型",
    "编码", "名称", "级次", "上级编码", "所属行", "预算单位",
]
TIDY_TAIL = ["列", "单位", "数值", "原文"]


def row_kind(row: Row) -> str:
    if row.is_total:
        return "合计"
    if row.is_unit_total:
        return "单位小计"
    return "小计" if row.is_subtotal else "明细"


def tidy(sources: list[SourceTable]) -> tuple[list[str], list[list[Value]]]:
    """Every figure of the tables (one per stored table fact), with its document, table, row keys, column and unit."""
    attributes = list(dict.fromkeys(a for s in sources for r in s.table.rows for a in r.attributes))
    header = TIDY_FIELDS + attributes + TIDY_TAIL
    out: list[list[Value]] = []
    for source in sources:
        rec, table = source.record, source.table
        for r_i, row in enumerate(table.rows):
            parent = table.rows[row.parent_row].name if row.parent_row is not None and row.parent_row < len(table.rows) else None
            lead: list[Value] = [
                rec.file_name, rec.doc_id, rec.department, rec.level, rec.region, rec.year, rec.kind,
                table.label, table.title, source.index + 1, None, r_i + 1, row_kind(row),
                row.code, row.name, row.level, row.parent_code, parent, row.unit,
            ]
            keys: list[Value] = [row.attributes.get(a) for a in attributes]
            for c_i, cell in enumerate(row.cells):
                number = number_of(cell)
                if number is None or c_i >= len(table.columns):  # exactly the cells the facts store holds
                    continue
                lead[10] = cell.page
                unit = PERCENT if number.percent else table.unit
                out.append([*lead, *keys, _DUPLICATE_MARK.sub("", table.columns[c_i]), unit, number, cell.text])
    return header, out
