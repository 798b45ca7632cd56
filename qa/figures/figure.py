"""A number located in a document, with everything its citation needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from index.core.units import YUAN
from index.store.facts import StoredFact, StoredNarrativeFact
from qa.contract import Citation


@dataclass
class Figure:
    """A number located in a document: a table cell or a figure stated in the narrative."""

    value: Decimal
    unit: str
    doc_id: str
    file_name: str
    page: int
    quote: str
    source: str  # "table" | "narrative"
    label: str | None = None
    title: str | None = None
    row: str | None = None
    column: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    table_index: int | None = None
    row_index: int | None = None
    year: int | None = None
    relation: str = "value"
    parts: list[Figure] = field(default_factory=list)  # rows added up for this figure
    is_total: bool = False  # a total row as the reader marked it (合计, 总计, a nameless row)
    code: str | None = None  # the row's classification code (30201), when it has one
    context: str = ""  # what else the row says of itself (项目名称 人员支出（在职统发）_奖金 …)
    ocr: bool = False  # read by OCR from a scanned page: a lower-confidence source

    @property
    def table_name(self) -> str | None:
        return self.label or self.title

    @property
    def key(self) -> tuple:
        """What makes two figures the same fact: one cell, or one measure's figure of one sentence (its
        第一季度用款计划 and 第二季度用款计划 are two, though both print 158.05万元)."""
        if self.source == "table":
            return ("table", self.doc_id, self.table_index, self.row_index, self.column)
        return ("narrative", self.doc_id, self.page, self.quote, self.value, self.relation, self.row)

    def place(self) -> str:
        if self.source == "narrative":
            return f"正文第{self.page}页"
        name = self.label or ""
        if self.title:
            name += f"《{self.title}》"
        row = f"“{self.row}”行" if self.row else ""
        col = f"“{self.column}”列" if self.column else ""
        return f"{name}第{self.page}页{row}{col}"

    def citation(self) -> Citation:
        table = self.source == "table"
        return Citation(
            document=self.file_name, page=self.page, table=self.table_name, row=self.row if table else None,
            column=self.column if table else None,
            quote=self.quote, doc_id=self.doc_id, bbox=self.bbox, value=str(self.value), ocr=self.ocr,
            table_index=self.table_index if table else None,
        )


@dataclass
class Candidate:
    figure: Figure
    score: float


def table_figure(f: StoredFact, parts: list[Figure] | None = None) -> Figure:
    row = f.name or ("合计" if f.is_total else None)
    if f.code and f.name and not f.name.startswith(f.code):
        row = f"{f.code} {f.name}"
    return Figure(
        value=f.value, unit=f.unit or YUAN, doc_id=f.doc_id, file_name=f.file_name, page=f.page,
        quote=f"{row or ''} {f.column} {f.text}".strip(), source="table", label=f.label, title=f.title,
        row=row, column=f.column, bbox=f.bbox, table_index=f.table_index, row_index=f.row_index, parts=parts or [],
        is_total=f.is_total, code=f.code, context="；".join(v for v in (f.attributes or {}).values() if v),
        ocr=f.ocr,
    )


def narrative_figure(n: StoredNarrativeFact) -> Figure:
    return Figure(
        value=n.value, unit=n.unit, doc_id=n.doc_id, file_name=n.file_name, page=n.page, quote=n.sentence,
        source="narrative", row=n.measure, bbox=n.bbox, year=n.year, relation=n.relation, ocr=n.ocr,
    )
