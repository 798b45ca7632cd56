"""What is indexed, as the CLI and the web app list it: documents, a name resolved to documents,
each document's identity with where each field was read, its tables row by row, and the parsing of a
user's identity corrections ("year=2025").

One place says "no document matches": ``UnknownDocument`` carries the Chinese message.

    >>> parse_assignments(["年份=2025", "kind=部门决算", "region="])
    {'year': '2025', 'kind': '部门决算', 'region': None}
"""

from __future__ import annotations

from typing import Any

from index.read.identity.correct import FIELD_LABEL, field_of, normalize_correction
from index.store.facts import DocumentRecord, FactsStore

SOURCE_NOTE = {"文件名": "文件名，待核对"}  # a field read from the file name only is flagged where it is shown


class BadCorrection(ValueError):
    """A correction the user typed that no identity field can hold; the message is Chinese."""


def parse_assignments(items: list[str]) -> dict[str, str | None]:
    """``field=value`` pairs (field in English or Chinese) → field → value as stored; an empty value
    undoes that field's correction (None)."""
    out: dict[str, str | None] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise BadCorrection(f"「{item}」应写成 字段=值，如 year=2025 或 department=广州市水务局")
        try:
            field = field_of(name)
            out[field] = normalize_correction(field, value) if value.strip() else None
        except ValueError as exc:
            raise BadCorrection(str(exc)) from exc
    if not out:
        raise BadCorrection("请给出要更正的字段，如 year=2025")
    return out


def identity_parts(record: DocumentRecord) -> list[str]:
    """Each identity field with where it was read: "广州市水务局〔封面〕", "2025年〔用户更正，原为 2026〕"."""
    values = {
        "department": record.department, "level": record.level, "parent": record.parent if record.parent != record.department else None,
        "region": record.region, "year": f"{record.year}年" if record.year else None, "kind": record.kind,
    }
    parts = []
    for field, value in values.items():
        if not value:
            continue
        source = record.identity_sources.get(field)
        if source == "用户更正" and field in record.detected:
            source = f"用户更正，原为 {record.detected[field]}"
        label = "上级 " if field == "parent" else ""
        parts.append(f"{label}{value}〔{SOURCE_NOTE.get(source or '', source)}〕" if source else f"{label}{value}")
    return parts


def describe_identity(record: DocumentRecord) -> str:
    """One line: publisher, level, parent, region, year, kind, each with its source."""
    return " ".join(identity_parts(record)) or "（未识别）"


CORRECTABLE = dict(FIELD_LABEL)  # field → Chinese label, for the UI's field choices


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

    def resolve_one(self, name: str) -> DocumentRecord:
        """The one document a name means; UnknownDocument when none, BadCorrection when several."""
        found = self.resolve(name)
        if len(found) > 1:
            raise BadCorrection(f"「{name}」匹配到多个文档：{'、'.join(r.file_name for r in found)}；请用文件名或文档 ID")
        return found[0]

    def tables(self, record: DocumentRecord) -> list[dict[str, Any]]:
        """Each table as read: label, title, unit, pages, its text columns as printed, the value column paths and
        every row with everything the reader stored of it — code, name, level, parent, total flags, 预算单位, the
        row it is part of, its other text columns (经济分类, 项目名称 …), its text under each printed text column —
        and its cells, so two rows never read alike unless the page prints them alike."""
        document = self.store.document_model(record.doc_id)
        return [
            {
                "document": record.file_name,
                "label": table.label,
                "title": table.title,
                "unit": table.unit,
                "pages": [table.pages[0], table.pages[-1]],
                "key_columns": [k.header for k in table.key_columns],
                "columns": table.columns,
                "rows": [
                    {**row.model_dump(exclude={"cells", "bbox"}), "cells": [c.text for c in row.cells]}
                    for row in table.rows
                ],
            }
            for table in document.tables
        ]
