"""What is indexed, as the CLI and the web app list it: documents, a name resolved to documents,
and each document's tables row by row with every key column.

One place says "no document matches": ``UnknownDocument`` carries the Chinese message.
"""

from __future__ import annotations

from typing import Any

from index.store.facts import DocumentRecord, FactsStore


class UnknownDocument(LookupError):
    """No indexed document matches a name the user gave."""

    def __init__(self, name: str):
        super().__init__(f"未找到文档：{name}（可用文件名、部门名称或文档 ID）")
        self.name = name


class Catalog:
    def __init__(self, store: FactsStore):
        self.store = store

    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def resolve(self, name: str | None) -> list[DocumentRecord]:
        """Every document for None; else the documents a file name, publisher or id names."""
        if name is None:
            return self.store.documents()
        found = self.store.find(name)
        if not found:
            raise UnknownDocument(name)
        return found

    def tables(self, record: DocumentRecord) -> list[dict[str, Any]]:
        """Each table as read: label, title, unit, pages, column paths and every row with its cells."""
        document = self.store.document_model(record.doc_id)
        return [
            {
                "document": record.file_name,
                "label": table.label,
                "title": table.title,
                "unit": table.unit,
                "pages": [table.pages[0], table.pages[-1]],
                "columns": table.columns,
                "rows": [{"code": row.code, "name": row.name, "cells": [c.text for c in row.cells]} for row in table.rows],
            }
            for table in document.tables
        ]
