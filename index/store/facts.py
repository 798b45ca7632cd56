"""SQL store of documents, tables, table facts and narrative facts: an embedded SQLite file by default,
or PostgreSQL (``BUDGET_QA_FACTS_URL=postgresql://…``), through one SQL text (see ``index.store.sql``).

A document version is keyed by ``doc_id`` (its content hash); its ``file_name`` is what users see.
Writes go in as ``pending`` and become ``ready`` in the same transaction that retires the
previous version of that file, so readers only ever see complete documents.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from index.core.model import BBox, Document, Identity, NarrativeFact, TableFact
from index.core.terms import Term
from index.read.identity.correct import apply_corrections
from index.store.names import create_names, fact_names, name_holders, record_names, stored_names
from index.store.records import DocumentRecord, migrate_identity, read_corrections, record_from_row, write_corrections
from index.store.sql import Connection, Database, PerThread, open_database, script, transaction
from index.store.sql import migrate as run_migrations

__all__ = ["DocumentRecord", "FactsStore", "StoredFact", "StoredNarrativeFact", "table_facts"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    stored_path TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'ready')),
    department TEXT, short_name TEXT, aliases TEXT, region TEXT, year INTEGER, kind TEXT,
    group_name TEXT,
    pages INTEGER, n_tables INTEGER, n_facts INTEGER, n_narrative INTEGER,
    warnings TEXT,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file_name);
CREATE TABLE IF NOT EXISTS document_models (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    model TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    table_index INTEGER NOT NULL,
    label TEXT, title TEXT, unit TEXT,
    page_first INTEGER, page_last INTEGER,
    columns TEXT, section_path TEXT,
    PRIMARY KEY (doc_id, table_index)
);
CREATE TABLE IF NOT EXISTS facts (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    table_index INTEGER NOT NULL, row_index INTEGER NOT NULL, col_index INTEGER NOT NULL,
    label TEXT, title TEXT, unit TEXT,
    code TEXT, name TEXT, level INTEGER, parent_code TEXT, is_total INTEGER, attributes TEXT,
    column_path TEXT NOT NULL,
    value TEXT NOT NULL, text TEXT NOT NULL,
    page INTEGER NOT NULL, x0 REAL, top REAL, x1 REAL, bottom REAL,
    ocr INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_code ON facts(code);
CREATE INDEX IF NOT EXISTS facts_name ON facts(name);
CREATE TABLE IF NOT EXISTS narrative_facts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order the reader found them in
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    measure TEXT NOT NULL, relation TEXT NOT NULL, year INTEGER,
    value TEXT NOT NULL, unit TEXT NOT NULL, text TEXT NOT NULL, sentence TEXT NOT NULL,
    page INTEGER NOT NULL, x0 REAL, top REAL, x1 REAL, bottom REAL, section_path TEXT,
    ocr INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS narrative_doc ON narrative_facts(doc_id);
"""


# Named, because a data dir made before OCR gets ``ocr`` appended by ALTER TABLE (see migrate_facts).
FACT_COLUMNS = (
    "doc_id, table_index, row_index, col_index, label, title, unit, code, name, level, parent_code, is_total, "
    "attributes, column_path, value, text, page, x0, top, x1, bottom, ocr"
)


TABLE_COLUMNS = "doc_id, table_index, label, title, unit, page_first, page_last, columns, section_path, misread"


NARRATIVE_COLUMNS = (
    "doc_id, measure, relation, year, value, unit, text, sentence, page, x0, top, x1, bottom, section_path, ocr"
)


def migrate_facts(database: Database, conn: Connection) -> None:
    """Facts stored before OCR were all read from a text layer: they get ``ocr = 0``."""
    for table in ("facts", "narrative_facts"):
        if "ocr" not in database.columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0")


def _baseline(database: Database, conn: Connection) -> None:
    """Version 1: the tables, and the columns added to them before versions were recorded."""
    script(conn, database.ddl(SCHEMA))
    migrate_identity(database, conn)
    migrate_facts(database, conn)


def _misread_tables(database: Database, conn: Connection) -> None:
    """Version 2: a table the reader found misread says why (``Table.misread``); tables stored before say nothing
    until their document is read again (the reader's version changed with it)."""
    if "misread" not in database.columns(conn, "tables"):
        conn.execute("ALTER TABLE tables ADD COLUMN misread TEXT")


# Numbered schema steps: step i brings a store to version i + 1. A change to the schema is a new step.
# Step 3: the corpus-wide name table (``index.store.names``), filled from the documents already stored.
MIGRATIONS = (_baseline, _misread_tables, create_names)


class StoredFact(TableFact):
    doc_id: str
    file_name: str
    is_total: bool = False
    attributes: dict[str, str] = {}
    col_index: int = 0


class StoredNarrativeFact(NarrativeFact):
    doc_id: str
    file_name: str


def table_facts(document: Document) -> list[tuple[TableFact, int, bool, dict[str, str]]]:
    """Every numeric cell of every table, with its column index, total flag and row attributes."""
    out = []
    for t_i, table in enumerate(document.tables):
        for r_i, row in enumerate(table.rows):
            for c_i, cell in enumerate(row.cells):
                if cell.value is None or c_i >= len(table.columns):
                    continue
                fact = TableFact(
                    table_index=t_i, label=table.label, title=table.title, unit=table.unit,
                    row_index=r_i, code=row.code, name=row.name, level=row.level, parent_code=row.parent_code,
                    column=table.columns[c_i], value=cell.value, text=cell.text or "", page=cell.page, bbox=cell.bbox,
                    ocr=cell.ocr,
                )
                out.append((fact, c_i, row.is_total, row.attributes))
    return out


class FactsStore:
    def __init__(self, target: Path | str):
        """``target``: the SQLite file (a path), or a ``postgresql://…`` URL (see ``Settings.facts_target``)."""
        self.database = open_database(target)
        self._connections = PerThread(self.database)
        run_migrations(self.database, self._connect(), "facts", MIGRATIONS)

    @property
    def shared(self) -> bool:
        """On a server several processes write at once: each document is claimed, not the whole store locked."""
        return self.database.server

    def _connect(self) -> Connection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with transaction(self.database, self._connect()) as conn:
            yield conn

    @contextmanager
    def claim(self, doc_id: str, wait: bool = True) -> Iterator[bool]:
        """Hold ``doc_id`` against other writers while writing or sweeping it (yields False if another has it
        and ``wait`` is off). A claim dies with its holder, so a killed worker's documents can be swept."""
        with self.database.claim(self._connect(), "doc:" + doc_id, wait) as got:
            yield got

    # --- writing -------------------------------------------------------------------------

    def add_pending(self, doc_id: str, document: Document, stored_path: Path, narrative: list[NarrativeFact], group_name: str | None = None) -> int:
        """Write a document version as pending. Returns the number of table facts written."""
        ident = document.identity
        facts = table_facts(document)
        with self.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            row = {
                "doc_id": doc_id, "file_name": document.file_name, "sha256": document.sha256,
                "stored_path": str(stored_path), "status": "pending",
                "department": ident.department, "short_name": ident.short_name,
                "aliases": json.dumps(ident.aliases, ensure_ascii=False), "region": ident.region, "year": ident.year,
                "kind": ident.kind, "group_name": group_name, "pages": len(document.pages),
                "n_tables": len(document.tables), "n_facts": len(facts), "n_narrative": len(narrative),
                "warnings": json.dumps(document.warnings, ensure_ascii=False),
                "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "parent": ident.parent, "level": ident.level, "province": ident.province, "city": ident.city,
                "district": ident.district, "identity_sources": json.dumps(ident.sources, ensure_ascii=False),
                "identity_warnings": json.dumps(ident.warnings, ensure_ascii=False), "cover": ident.cover,
            }
            conn.execute(f"INSERT INTO documents ({','.join(row)}) VALUES ({','.join('?' * len(row))})", tuple(row.values()))
            conn.execute("INSERT INTO document_models VALUES (?, ?)", (doc_id, document.model_dump_json()))
            conn.executemany(
                f"INSERT INTO tables ({TABLE_COLUMNS}) VALUES ({','.join('?' * 10)})",
                [
                    (doc_id, i, t.label, t.title, t.unit, t.pages[0], t.pages[-1],
                     json.dumps(t.columns, ensure_ascii=False), json.dumps(t.section_path, ensure_ascii=False), t.misread)
                    for i, t in enumerate(document.tables)
                ],
            )
            conn.executemany(
                f"INSERT INTO facts ({FACT_COLUMNS}) VALUES ({','.join('?' * 22)})",
                [
                    (doc_id, f.table_index, f.row_index, c_i, f.label, f.title, f.unit, f.code, f.name, f.level,
                     f.parent_code, int(is_total), json.dumps(attrs, ensure_ascii=False), f.column, str(f.value),
                     f.text, f.page, *(f.bbox or (None, None, None, None)), int(f.ocr))
                    for f, c_i, is_total, attrs in facts
                ],
            )
            scanned = {p.number for p in document.pages if p.ocr}
            conn.executemany(
                f"INSERT INTO narrative_facts ({NARRATIVE_COLUMNS}) VALUES ({','.join('?' * 15)})",
                [
                    (doc_id, n.measure, n.relation, n.year, str(n.value), n.unit, n.text, n.sentence, n.page,
                     *(n.bbox or (None, None, None, None)), json.dumps(n.section_path, ensure_ascii=False),
                     int(n.ocr or n.page in scanned))
                    for n in narrative
                ],
            )
        return len(facts)

    def promote(self, doc_id: str) -> list[str]:
        """Make a pending version ready and retire older versions of the same file (or group member).

        Returns the doc_ids retired, whose vectors the caller removes.
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT file_name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            if row is None:
                raise KeyError(doc_id)
            old = [
                r["doc_id"]
                for r in conn.execute(
                    "SELECT doc_id FROM documents WHERE file_name = ? AND doc_id != ?", (row["file_name"], doc_id)
                )
            ]
            conn.executemany("DELETE FROM documents WHERE doc_id = ?", [(d,) for d in old])
            conn.execute("UPDATE documents SET status = 'ready' WHERE doc_id = ?", (doc_id,))
            record_names(conn, doc_id)  # ready and named at once: a wide question never misses a ready document
        return old

    def delete(self, doc_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def pending_ids(self) -> list[str]:
        return [r[0] for r in self._connect().execute("SELECT doc_id FROM documents WHERE status = 'pending'")]

    # --- reading -------------------------------------------------------------------------

    def documents(self, include_pending: bool = False) -> list[DocumentRecord]:
        sql = "SELECT * FROM documents" + ("" if include_pending else " WHERE status = 'ready'")
        sql += " ORDER BY " + self.database.by_code_points("file_name")
        corrections = self.corrections()
        return [record_from_row(r, corrections.get(r["sha256"], {})) for r in self._connect().execute(sql)]

    def find(self, name: str) -> list[DocumentRecord]:
        """Documents whose file name, doc_id, department or alias matches ``name``."""
        out = []
        for doc in self.documents():
            names = {doc.file_name, doc.doc_id, doc.department or "", *doc.aliases}
            stem = doc.file_name.rsplit(".", 1)[0]
            if name in names or name == stem or doc.doc_id.startswith(name):
                out.append(doc)
        return out

    def by_sha(self, sha256: str) -> DocumentRecord | None:
        row = self._connect().execute("SELECT * FROM documents WHERE sha256 = ? AND status = 'ready'", (sha256,)).fetchone()
        return record_from_row(row, self.corrections(sha256).get(sha256, {})) if row else None

    def reader_of(self, doc_id: str) -> str | None:
        """The reader version that made a stored document (None: before versions were recorded)."""
        row = self._connect().execute(
            f"SELECT {self.database.json_field('model', 'reader')} FROM document_models WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return row[0] if row else None

    def get(self, doc_id: str) -> DocumentRecord | None:
        row = self._connect().execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return record_from_row(row, self.corrections(row["sha256"]).get(row["sha256"], {})) if row else None

    # --- identity corrections: keyed by the file's content, they hold for every ingest of the same file ---

    def corrections(self, sha256: str | None = None) -> dict[str, dict[str, str]]:
        """sha256 → {field: value} of every correction (of one file when ``sha256`` is given)."""
        return read_corrections(self._connect(), sha256)

    def set_corrections(self, sha256: str, changes: dict[str, str | None]) -> None:
        """Record corrections (field → value, as ``normalize_correction`` returns it); None removes one."""
        with self.transaction() as conn:
            write_corrections(conn, sha256, changes)

    def corrected_identity(self, sha256: str, identity: Identity) -> Identity:
        """What was read with the user's corrections of this file laid over it."""
        return apply_corrections(identity, self.corrections(sha256).get(sha256, {}))

    def document_model(self, doc_id: str) -> Document:
        row = self._connect().execute("SELECT model FROM document_models WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return Document.model_validate_json(row[0])

    def facts(self, doc_ids: list[str] | None = None, where: str = "", params: tuple = ()) -> list[StoredFact]:
        sql = (
            "SELECT f.*, d.file_name FROM facts f JOIN documents d ON d.doc_id = f.doc_id WHERE d.status = 'ready'"
        )
        args: list = []
        if doc_ids is not None and not doc_ids:
            return []
        if doc_ids is not None:
            sql += f" AND f.doc_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        if where:
            sql += " AND " + where
            args.extend(params)
        sql += " ORDER BY f.doc_id, f.table_index, f.row_index, f.col_index"
        return [_fact(r) for r in self._connect().execute(sql, args)]

    def fact_names(self, doc_id: str) -> list[tuple[str | None, str | None, str, dict[str, str], str | None]]:
        """(row name, code, column path, row attributes, table title) of a ready document (``names.fact_names``)."""
        return fact_names(self._connect(), doc_id)

    # --- the corpus-wide name table (``index.store.names``) --------------------------------------

    def record_names(self, doc_ids: list[str]) -> None:
        """Store these ready documents' names (again): for documents written into the tables directly."""
        with self.transaction() as conn:
            for doc_id in doc_ids:
                record_names(conn, doc_id)

    def names(self, doc_ids: list[str] | None = None) -> set[Term]:
        """(kind, name, target) of every name these ready documents lend (every ready document's when None)."""
        return stored_names(self._connect(), doc_ids)

    def name_holders(self, kind: str, name: str) -> set[str]:
        """The ready documents printing a row, 项目名称 or code of this name."""
        return name_holders(self._connect(), kind, name)

    def table_titles(self, doc_ids: list[str]) -> list[tuple[str, int, str | None, str | None, str | None]]:
        """(doc_id, table_index, label, title, document kind) of these ready documents' tables."""
        if not doc_ids:
            return []
        sql = (
            "SELECT t.doc_id, t.table_index, t.label, t.title, d.kind FROM tables t JOIN documents d ON d.doc_id = t.doc_id "
            f"WHERE d.status = 'ready' AND t.doc_id IN ({','.join('?' * len(doc_ids))}) ORDER BY t.doc_id, t.table_index"
        )
        return [tuple(r) for r in self._connect().execute(sql, doc_ids)]

    def misread_tables(self, doc_ids: list[str]) -> dict[tuple[str, int], str]:
        """(doc_id, table_index) → why, of these ready documents' tables the reader found misread (``Table.misread``)."""
        if not doc_ids:
            return {}
        sql = (
            "SELECT t.doc_id, t.table_index, t.misread FROM tables t JOIN documents d ON d.doc_id = t.doc_id "
            f"WHERE d.status = 'ready' AND t.misread IS NOT NULL AND t.doc_id IN ({','.join('?' * len(doc_ids))})"
        )
        return {(r[0], r[1]): r[2] for r in self._connect().execute(sql, doc_ids)}

    def narrative_facts(self, doc_ids: list[str] | None = None) -> list[StoredNarrativeFact]:
        sql = "SELECT n.*, d.file_name FROM narrative_facts n JOIN documents d ON d.doc_id = n.doc_id WHERE d.status = 'ready'"
        args: list = []
        if doc_ids is not None and not doc_ids:
            return []
        if doc_ids is not None:
            sql += f" AND n.doc_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        return [_narrative(r) for r in self._connect().execute(sql + f" ORDER BY n.{self.database.insertion_order}", args)]

    def stated_values(self, doc_ids: list[str], keep: Callable[[str, str, str], bool]) -> Iterator[StoredNarrativeFact]:
        """The stated values (relation 'value') of these ready documents in a sentence where ``keep`` accepts one of
        them (by measure, sentence and the heading it stands under): every value of such a sentence, document by
        document, each in its reading order. Streamed, and only the kept ones built: over thousands of documents
        the rest are never held (50,000 stated figures of a year at 10,000 documents were 150 MB).
        """
        if not doc_ids:
            return
        sql = (
            "SELECT n.*, d.file_name FROM narrative_facts n JOIN documents d ON d.doc_id = n.doc_id "
            f"WHERE d.status = 'ready' AND n.relation = 'value' AND n.doc_id IN ({','.join('?' * len(doc_ids))}) "
            f"ORDER BY n.doc_id, n.{self.database.insertion_order}"
        )
        headings: dict[str, str] = {}  # a section path's stored text → its last heading (many figures share one)
        for _, rows in groupby(self._connect().execute(sql, doc_ids), key=lambda r: r["doc_id"]):
            mine = list(rows)
            sentences = set()
            for r in mine:
                path = r["section_path"] or "[]"
                if path not in headings:
                    headings[path] = (json.loads(path) or [""])[-1]
                if r["sentence"] not in sentences and keep(r["measure"], r["sentence"], headings[path]):
                    sentences.add(r["sentence"])
            yield from (_narrative(r) for r in mine if r["sentence"] in sentences)

    def stated_amounts(self, doc_id: str) -> set[tuple[Decimal, str]]:
        """(value, unit) of every figure a ready document states, without reading the rest of each."""
        sql = ("SELECT n.value, n.unit FROM narrative_facts n JOIN documents d ON d.doc_id = n.doc_id "
               "WHERE d.status = 'ready' AND n.doc_id = ?")
        return {(Decimal(r[0]), r[1]) for r in self._connect().execute(sql, (doc_id,))}


def _bbox(r: Any) -> BBox | None:
    return None if r["x0"] is None else (r["x0"], r["top"], r["x1"], r["bottom"])


# Facts are read by the thousand and kept in the document cache, so they are built lean. Pydantic keeps per
# instance the set of fields it was given (2.2 KB of a table cell's 4): a stored fact is given every field, so
# all share one set (a field set later is in it already); its values are typed here, so it is not validated
# again (``model_construct``). Names repeated on every cell of a table (title, column, file) are one string.
_FACT_FIELDS = set(StoredFact.model_fields)
_NARRATIVE_FIELDS = set(StoredNarrativeFact.model_fields)


def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def _fact(r: Any) -> StoredFact:
    return StoredFact.model_construct(
        _FACT_FIELDS,
        doc_id=_shared(r["doc_id"]), file_name=_shared(r["file_name"]), table_index=r["table_index"],
        label=_shared(r["label"]), title=_shared(r["title"]), unit=_shared(r["unit"]), row_index=r["row_index"],
        col_index=r["col_index"], code=r["code"], name=r["name"], level=r["level"], parent_code=r["parent_code"],
        is_total=bool(r["is_total"]), attributes=json.loads(r["attributes"] or "{}"), column=_shared(r["column_path"]),
        value=Decimal(r["value"]), text=r["text"], page=r["page"], bbox=_bbox(r), ocr=bool(r["ocr"]),
    )


def _narrative(r: Any) -> StoredNarrativeFact:
    return StoredNarrativeFact.model_construct(
        _NARRATIVE_FIELDS,
        doc_id=_shared(r["doc_id"]), file_name=_shared(r["file_name"]), measure=r["measure"], relation=r["relation"],
        year=r["year"], value=Decimal(r["value"]), unit=_shared(r["unit"]), text=r["text"], sentence=_shared(r["sentence"]),
        page=r["page"], bbox=_bbox(r), section_path=json.loads(r["section_path"] or "[]"), ocr=bool(r["ocr"]),
    )
