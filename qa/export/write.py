"""Write an export: an Excel workbook (openpyxl) with a 目录, one sheet per table as printed and the tidy
``数据明细`` sheet, or a CSV (UTF-8 with BOM, so Excel reads the Chinese right) of the tidy rows or of one table.

Figures are numeric cells with a number format showing them as printed (4868040.00 → 4,868,040.00), never
text, so they add up in Excel. A file is written beside its target and moved over it, so a failed export never
leaves half a workbook behind.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from index.core.numbers import spreadsheet_format
from qa.export.layout import Number, PrintedTable, SourceTable, Value, printed_table, tidy

TIDY_SHEET = "数据明细"
INDEX_SHEET = "目录"
MAX_SHEET_NAME = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid sheet name, unique among ``taken`` (case-insensitively, as Excel compares them): at most 31
    characters, none of []:*?/\\, no leading or trailing apostrophe; a repeat gets (2), (3) …"""
    base = _SHEET_FORBIDDEN.sub("_", wanted).strip().strip("'") or "表"
    name, n = base[:MAX_SHEET_NAME], 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name)
    return name


def source_line(source: SourceTable) -> str:
    """单位 and provenance under a sheet's title: 单位：元　来源：x.pdf 第17–19页（发布单位 2020年 部门预算）."""
    rec, table = source.record, source.table
    first, last = table.pages[0], table.pages[-1]
    pages = f"第{first}页" if first == last else f"第{first}–{last}页"
    who = " ".join(str(x) for x in (rec.department, f"{rec.year}年" if rec.year else None, rec.kind) if x)
    return f"单位：{table.unit or '未注明'}　来源：{rec.file_name} {pages}" + (f"（{who}）" if who else "")


def write_xlsx(sources: list[SourceTable], out: Path) -> None:
    wb = Workbook()
    index = wb.active
    assert index is not None  # a new workbook always has its first sheet
    index.title = INDEX_SHEET
    taken = {INDEX_SHEET, TIDY_SHEET}
    several = len({s.record.doc_id for s in sources}) > 1
    listed: list[list[Value]] = []
    for s in sources:
        # Several documents print the same 表一: the document's position tells their sheets apart.
        prefix = f"{_document_number(sources, s)}-" if several else ""
        name = sheet_name(prefix + s.name, taken)
        _table_sheet(wb.create_sheet(name), s)
        listed.append([name, s.record.file_name, s.record.department, s.record.year, s.record.kind, s.table.label,
                       s.table.title, s.table.unit, s.table.pages[0], s.table.pages[-1]])
    _plain_sheet(index, ["工作表", "文档", "发布单位", "年度", "类型", "表号", "表名", "单位", "起始页", "结束页"], listed)
    header, rows = tidy(sources)
    _plain_sheet(wb.create_sheet(TIDY_SHEET), header, rows)
    with _replacing(out) as tmp:
        wb.save(tmp)


def write_csv(sources: list[SourceTable], out: Path, as_printed: bool = False) -> None:
    """The tidy rows of ``sources``; with ``as_printed``, the one table of ``sources`` as printed (its title and
    unit lines, its header rows, then its body)."""
    if as_printed:
        (source,) = sources
        printed = printed_table(source.table)
        header: list[list[Value]] = [list(h) for h in printed.header]
        lines: list[list[Value]] = [[source.name], [source_line(source)], *header, *printed.body]
    else:
        fields, rows = tidy(sources)
        lines = [list(fields), *rows]
    with _replacing(out) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for line in lines:
            writer.writerow([_csv_text(v) for v in line])


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Number):
        return f"{value.value:f}"  # plain digits: Excel and every CSV reader take it as a number
    return str(value)


def _table_sheet(ws: Worksheet, source: SourceTable) -> None:
    printed: PrintedTable = printed_table(source.table)
    width = max(1, len(printed.header[0]) if printed.header else 1)
    ws.cell(1, 1, source.name).font = Font(bold=True, size=13)
    ws.cell(2, 1, source_line(source))
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    top = 3
    for r, header in enumerate(printed.header):
        for c, text in enumerate(header):
            cell = ws.cell(top + r, c + 1, text)
            cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r0, c0, r1, c1 in printed.merges:
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    first = top + len(printed.header)
    totals = set(printed.totals)
    for r, line in enumerate(printed.body):
        for c, value in enumerate(line):
            cell = _put(ws, first + r, c + 1, value)
            cell.border = _BORDER
            if r in totals:
                cell.font = _BOLD
    ws.freeze_panes = ws.cell(first, 1)
    _fit_columns(ws, [*printed.header, *printed.body])


def _plain_sheet(ws: Worksheet, header: list[str], rows: list[list[Value]]) -> None:
    for c, text in enumerate(header):
        cell = ws.cell(1, c + 1, text)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    for r, line in enumerate(rows):
        for c, value in enumerate(line):
            _put(ws, r + 2, c + 1, value)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    _fit_columns(ws, [list(header), *rows[:200]])


def _put(ws: Worksheet, row: int, column: int, value: Value) -> Cell:
    if isinstance(value, Number):
        cell = ws.cell(row, column, value.value)
        cell.number_format = spreadsheet_format(value.places, value.percent)
        return cell
    return ws.cell(row, column, value)


def _fit_columns(ws: Worksheet, lines: list[list]) -> None:
    """Column widths from the longest text (a CJK character is two wide), within reason."""
    widths: dict[int, int] = {}
    for line in lines:
        for c, value in enumerate(line):
            text = _csv_text(value) if value is not None else ""
            if isinstance(value, Number):
                text = f"{value.value:,f}"
            widths[c] = max(widths.get(c, 0), sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c + 1)].width = min(max(w + 2, 6), 48)


def _document_number(sources: list[SourceTable], source: SourceTable) -> int:
    order = list(dict.fromkeys(s.record.doc_id for s in sources))
    return order.index(source.record.doc_id) + 1


@contextmanager
def _replacing(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out`` that replaces it once written, and disappears if writing fails."""
    out = Path(out)
    fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
