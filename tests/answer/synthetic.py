"""Synthetic disclosures for engine tests: a facts store built from typed documents, no PDF.

    engine = engine_of(tmp_path, [disclosure("d-sz", "深圳市医疗保障局", "广东省深圳市", 2026, rows=[…])])
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from index.core.model import Block, Cell, Document, Identity, Page, Row, Table
from index.core.settings import LLMSettings, Settings
from index.read.narrative import extract_narrative_facts
from index.store.facts import FactsStore
from qa.answer.engine import AnswerEngine
from qa.answer.llm import ChatModel

# (name, code, 合计, 基本支出, 项目支出); a None name is the total row.
Line = tuple[str | None, str | None, str, str, str]


def row(line: Line) -> Row:
    name, code, *values = line
    cells = [Cell(text=v, value=Decimal(v), page=2) for v in values]
    return Row(code=code, name=name, is_total=name is None or name in ("合计", "总计"), cells=cells, page=2)


def table(title: str, lines: Sequence[Line], label: str = "表3", unit: str = "万元",
          columns: Sequence[str] = ("合计", "基本支出", "项目支出")) -> Table:
    return Table(label=label, title=title, unit=unit, pages=[2], bbox=(0, 0, 100, 100), columns=list(columns),
                 rows=[row(line) for line in lines])


def disclosure(doc_id: str, department: str, region: str, year: int, aliases: Sequence[str] = (),
               tables: Sequence[Table] = (), sentences: Sequence[str] = ()) -> tuple[str, Document]:
    identity = Identity(department=department, short_name=aliases[-1] if aliases else None, aliases=list(aliases),
                        region=region, year=year, kind="部门预算")
    blocks = [Block(kind="paragraph", text=s, page=1, bbox=(0, 10.0 * i, 100, 10.0 * i + 8), section_path=["预算说明"])
              for i, s in enumerate(sentences)]
    pages = [Page(number=1, width=595, height=842, text="\n".join(sentences)),
             Page(number=2, width=595, height=842, text=" ".join(c.text for t in tables for r in t.rows for c in r.cells))]
    document = Document(file_name=f"{doc_id}.pdf", sha256=doc_id.ljust(64, "0")[:64], identity=identity, pages=pages,
                        blocks=blocks, tables=list(tables))
    return doc_id, document


def engine_of(tmp_path: Path, documents: Sequence[tuple[str, Document]], llm: LLMSettings | None = None) -> AnswerEngine:
    settings = Settings(data_dir=tmp_path / "data", llm=llm or LLMSettings())
    store = FactsStore(settings.db_path)
    for doc_id, document in documents:
        narrative = extract_narrative_facts(document.blocks, document.identity.year)
        store.add_pending(doc_id, document, tmp_path / document.file_name, narrative)
        store.promote(doc_id)
    return AnswerEngine(settings, store, None, ChatModel(settings.llm))
