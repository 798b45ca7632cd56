"""How many things a table lists: its body rows, counted (no figure of the table says it).

"会议费明细表中列了几个会议" asks for the rows of one table: 试点工作部署动员会, 农普领导小组普查工作推进会,
经济运行分析会, 清查摸底布置会 → 4个. Only a flat list is counted: every body row named, none a part of
another or a 科目 of some level (a classification's rows are not so many things), its 合计 and 小计 rows left out.
Rows are read from the document model, so a listed row printing no figure counts too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from index.core.model import BBox, Document
from index.core.text import compact
from qa.figures.figure import Figure


@dataclass(frozen=True)
class ListedTable:
    """One flat table's body rows, as a count question reads them."""

    label: str  # compacted (表2), "" when none
    title: str  # compacted
    shown_title: str | None  # as printed, for the citation
    shown_label: str | None
    page: int
    bbox: BBox | None
    names: tuple[str, ...]


def listed_tables(document: Document) -> dict[int, ListedTable]:
    """table_index → the table's body rows, for the tables that are flat lists (read correctly)."""
    out = {}
    for i, table in enumerate(document.tables):
        body = [r for r in table.rows if not (r.is_total or r.is_subtotal or r.is_unit_total)]
        flat = all(compact(r.name) and r.parent_row is None and r.level is None for r in body)
        if table.misread or not body or not flat:
            continue
        out[i] = ListedTable(compact(table.label), compact(table.title), table.title, table.label, table.pages[0],
                             table.bbox, tuple(compact(r.name) for r in body))
    return out


def counted_figure(listed: ListedTable, doc_id: str, file_name: str, table_index: int, unit: str) -> Figure:
    """The count of a table's body rows, citing the table and quoting the rows counted."""
    return Figure(value=Decimal(len(listed.names)), unit=unit, doc_id=doc_id, file_name=file_name, page=listed.page,
                  quote=f"共{len(listed.names)}行：" + "、".join(listed.names), source="table", label=listed.shown_label,
                  title=listed.shown_title, bbox=listed.bbox, table_index=table_index)
