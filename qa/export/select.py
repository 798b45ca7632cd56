"""Which stored tables an export holds: a document's tables (one of them, by label or title), or the tables an
answer's figures were read from. Every refusal is an ``ExportError`` with a Chinese message.

    budget-qa export --document xicheng-zfb-2020.pdf --table 表九 out.xlsx   → [表九 of that document]
"""

from __future__ import annotations

from collections.abc import Iterable

from index.core.text import compact
from index.store.facts import FactsStore
from qa.catalog import Catalog, UnknownDocument
from qa.contract import Citation
from qa.export.layout import SourceTable


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why, in Chinese."""


def document_tables(store: FactsStore, doc_id: str) -> list[SourceTable]:
    record = store.get(doc_id)
    if record is None:
        raise ExportError(f"未找到文档：{doc_id}")
    return [SourceTable(record, i, t) for i, t in enumerate(store.document_model(doc_id).tables)]


def select_tables(catalog: Catalog, document: str | None = None, table: str | None = None) -> list[SourceTable]:
    """The tables of every document ``document`` names (every document for None), only those ``table`` names
    (its label such as 表九, or its title) when given."""
    try:
        records = catalog.resolve(document)
    except UnknownDocument as exc:
        raise ExportError(str(exc)) from exc
    if not records:
        raise ExportError("尚未导入任何文档；请先用 budget-qa ingest 导入 PDF")
    found = [s for r in records for s in document_tables(catalog.store, r.doc_id)]
    if table is not None:
        wanted = compact(table)
        chosen = [s for s in found if wanted and wanted in {compact(s.table.label), compact(s.table.title), compact(s.name)}]
        if not chosen:
            labels = "、".join(dict.fromkeys(s.table.label or s.name for s in found)) or "无"
            raise ExportError(f"没有找到表格「{table}」；可用的表格：{labels}")
        found = chosen
    if not found:
        raise ExportError("所选文档中没有抽取出表格")
    return found


def cited_tables(store: FactsStore, citations: Iterable[Citation]) -> list[SourceTable]:
    """The tables cited figures come from, each once, in the order first cited; citations of the narrative or of a
    document no longer indexed give none."""
    out: dict[tuple[str, int], SourceTable] = {}
    models: dict[str, list[SourceTable]] = {}
    for c in citations:
        if not c.doc_id or not c.table:
            continue
        if c.doc_id not in models:
            models[c.doc_id] = document_tables(store, c.doc_id) if store.get(c.doc_id) else []
        for s in models[c.doc_id]:
            same = s.index == c.table_index if c.table_index is not None else (
                c.table in (s.table.label, s.table.title) and c.page in s.table.pages)
            if same:
                out.setdefault((c.doc_id, s.index), s)
    return list(out.values())
