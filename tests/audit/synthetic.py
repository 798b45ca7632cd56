"""Disclosures built in code for the audit's fast tests: tables, rows and narrative facts as the
reader and the facts store hand them over, without a PDF or a store.

    disclosure([table("表1", "支出预算表", ["金额"], [row("合计", "100.00", is_total=True)])])
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from index.core.lexicon import code_level, parent_code
from index.core.model import Cell, Document, Identity, Page, Row, Table
from index.core.units import Unit
from index.read.misread import misread_reason
from index.store.facts import DocumentRecord, StoredNarrativeFact
from qa.audit import Disclosure
from qa.audit.model import table_view

FILE = "synthetic.pdf"
DOC_ID = "doc-1"
YEAR = 2026


# --- building a disclosure in code ---------------------------------------------------------------

def row(
    name: str, *cells: str | None, code: str | None = None, is_total: bool = False, attributes: dict | None = None
) -> Row:
    """A row as the reader finishes it: 科目编码 with its level, totals marked; a cell that is not a number is text."""
    return Row(
        code=code, name=name, level=code_level(code) if code else None, parent_code=parent_code(code) if code else None,
        is_total=is_total, page=1, attributes=attributes or {},
        cells=[Cell(text=t, value=amount(t), page=1) for t in cells],
    )


def amount(text: str | None) -> Decimal | None:
    cleaned = (text or "").replace(",", "")
    return Decimal(cleaned) if cleaned.replace(".", "", 1).lstrip("-").isdigit() else None


def table(
    label: str | None, title: str | None, columns: list[str], rows: list[Row], unit: Unit | None = "元", page: int = 1
) -> Table:
    built = Table(label=label, title=title, unit=unit, pages=[page], bbox=(0, 0, 1, 1), columns=columns, rows=rows)
    built.misread = misread_reason(built)  # as the reader finishes it
    return built


def record(year: int = YEAR) -> DocumentRecord:
    return DocumentRecord(
        doc_id=DOC_ID, file_name=FILE, sha256="0", stored_path="", status="ready", department="某某局",
        short_name=None, aliases=[], region=None, year=year, kind="部门预算", group_name=None, pages=1,
        n_tables=0, n_facts=0, n_narrative=0, warnings=[], ingested_at="",
    )


Relation = Literal["value", "previous", "increase", "decrease", "growth_rate"]


def fact(
    sentence: str, text: str, unit: str, measure: str = "", relation: Relation = "value", year: int | None = None
) -> StoredNarrativeFact:
    return StoredNarrativeFact(
        doc_id=DOC_ID, file_name=FILE, measure=measure, relation=relation, year=year,
        value=Decimal(text.replace(",", "").rstrip("%")), unit=unit, text=text, sentence=sentence, page=2,
    )


def disclosure(
    tables: list[Table], facts: list[StoredNarrativeFact] | None = None, unviewed: list[Table] | None = None,
    cover: str = f"某某局{YEAR}年部门预算",
) -> Disclosure:
    """``tables`` are read as budget tables; ``unviewed`` (绩效目标表 …) only as text, after them."""
    views = [v for i, t in enumerate(tables) if (v := table_view(FILE, DOC_ID, i, t, "某某局", "部门预算", YEAR))]
    assert len(views) == len(tables), "every synthetic table is one the audit reads"
    document = Document(file_name=FILE, sha256="0", identity=Identity(year=YEAR), blocks=[],
                        pages=[Page(number=1, width=1, height=1, text=cover)], tables=tables + (unviewed or []))
    return Disclosure([record()], views, facts or [], {FILE: document})
