"""SQL beside Chroma: what retrieval returns and what the BM25 leg is built from (a SQLite file, or a
schema of its own in PostgreSQL when the facts store is there: see ``index.store.sql``).

Per node: text, flat metadata (as columns, for filters) and BM25 term counts. Per document: the
vocabulary it taught the tokenizer, its publisher's names (for scoping questions), and a float16
copy of its vectors. The copy exists because Chroma's filtered HNSW search is slow for selective
filters (measured at 1,000 documents: 140 ms for one document's vectors, 1.5 ms unfiltered);
within a scope of a few documents an exact search over this copy takes a few milliseconds.

One document is written or deleted in one transaction, which bumps a generation counter so that
in-memory indexes in this or another process know to catch up. ``pending`` marks a document whose
write or delete has begun (before Chroma is touched) until that transaction ends.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
from llama_index.core.schema import TextNode

from index.store.sql import Connection, Database, migrate, script

# The flat metadata every retrieval node carries (Chroma metadata is flat), in column order.
METADATA_KEYS = (
    "doc_id", "file_name", "department", "region", "year", "kind", "page_start", "page_end",
    "section_path", "table_label", "table_title", "node_type",
)  # fmt: skip

_INT_KEYS = ("year", "page_start", "page_end")


class NodeRow(NamedTuple):
    """One retrieval node as the store keeps it."""

    node_id: str
    text: str
    length: int  # tokens, for BM25
    terms: str  # JSON {term: count}
    metadata: tuple[str | int, ...]  # in METADATA_KEYS order


# A unit the vector leg embeds: (unit id, node id it stands for, float16 vector bytes).
UnitRow = tuple[str, str, bytes]
SCHEMA = f"""
-- Metadata apart from the bulky text and term counts, so that filters scan a small table.
CREATE TABLE IF NOT EXISTS nodes (
    slot INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the in-memory BM25 index is keyed by it
    node_id TEXT NOT NULL UNIQUE,
    units INTEGER NOT NULL,  -- how many embedded units stand for this node
    {", ".join(f"{k} {'INTEGER' if k in _INT_KEYS else 'TEXT'}" for k in METADATA_KEYS)}
);
CREATE INDEX IF NOT EXISTS nodes_doc ON nodes(doc_id);
CREATE INDEX IF NOT EXISTS nodes_department ON nodes(department, year);
CREATE INDEX IF NOT EXISTS nodes_file ON nodes(file_name);
CREATE INDEX IF NOT EXISTS nodes_type ON nodes(node_type, table_label);
CREATE TABLE IF NOT EXISTS bodies (
    slot INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    text TEXT NOT NULL,
    length INTEGER NOT NULL,
    terms TEXT NOT NULL  -- JSON {{term: count}}
);
CREATE INDEX IF NOT EXISTS bodies_doc ON bodies(doc_id);
CREATE TABLE IF NOT EXISTS units (
    unit_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, node_id TEXT NOT NULL, vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS units_node ON units(node_id);
CREATE INDEX IF NOT EXISTS units_doc ON units(doc_id);
CREATE TABLE IF NOT EXISTS vocabulary (doc_id TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (doc_id, word));
CREATE TABLE IF NOT EXISTS names (doc_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (doc_id, name));
CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('generation', 0) ON CONFLICT DO NOTHING;
"""
_DOC_TABLES = ("nodes", "bodies", "units", "vocabulary", "names", "pending")


def filter_sql(filters: dict | None, prefix: str = "") -> tuple[str, list]:
    """``{"doc_id": [..], "year": 2020}`` → ``doc_id IN (?,?) AND year = ?`` (keys checked against the schema)."""
    clauses, params = [], []
    for key, value in (filters or {}).items():
        if key not in METADATA_KEYS:
            raise ValueError(f"未知的过滤字段：{key}")
        if isinstance(value, (list, tuple, set, frozenset)):
            values = list(value)
            clauses.append(f"{prefix}{key} IN ({','.join('?' * len(values))})" if values else "FALSE")
            params.extend(values)
        else:
            clauses.append(f"{prefix}{key} = ?")
            params.append(value)
    return " AND ".join(clauses) or "TRUE", params


def _baseline(database: Database, conn: Connection) -> None:
    script(conn, database.ddl(SCHEMA))


# Which documents' text holds a phrase ("贸易高质量发展专项": a question naming no publisher), without reading
# every body: SQLite's FTS5 trigram index answers a substring as a phrase query. Kept by triggers, so a
# document's write and delete (rows of ``bodies``) keep it in step. A server (PostgreSQL) scans ``bodies``.
_TEXT_SEARCH = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS bodies_text USING fts5(text, content='bodies', content_rowid='slot', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS bodies_text_add AFTER INSERT ON bodies BEGIN "
    "INSERT INTO bodies_text(rowid, text) VALUES (new.slot, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS bodies_text_drop AFTER DELETE ON bodies BEGIN "
    "INSERT INTO bodies_text(bodies_text, rowid, text) VALUES ('delete', old.slot, old.text); END",
    "INSERT INTO bodies_text(bodies_text) VALUES ('rebuild')",
)
TRIGRAM = 3  # the shortest phrase the trigram index can answer


def _text_search(database: Database, conn: Connection) -> None:
    if not database.server:
        for statement in _TEXT_SEARCH:  # one by one: the triggers' bodies hold semicolons
            conn.execute(statement)


MIGRATIONS = (_baseline, _text_search)  # numbered schema steps, as in the facts store


class NodeStore:
    def __init__(self, database: Database):
        self.database = database
        self._db = database.connect(named_rows=False)
        migrate(database, self._db, "nodes", MIGRATIONS)
        self._lock = threading.RLock()  # one connection, shared by the threads of this process

    # -- writes ----------------------------------------------------------------------------------
    def write(self, doc_id: str, rows: list[NodeRow], words: list[str], names: list[str], units: list[UnitRow]) -> None:
        """Replace one document: its nodes, the words it taught the tokenizer, its publisher's names, its vectors."""
        insert = (
            f"INSERT INTO nodes (node_id, units, {', '.join(METADATA_KEYS)}) VALUES ({','.join('?' * (2 + len(METADATA_KEYS)))})"
        )
        per_node = Counter(node_id for _, node_id, _ in units)
        with self._transaction(doc_id) as db:
            db.executemany(insert, [(row.node_id, per_node[row.node_id], *row.metadata) for row in rows])
            # Slots come from the database (never reused, even across processes writing at once).
            slot_of = dict(db.execute("SELECT node_id, slot FROM nodes WHERE doc_id = ?", (doc_id,)).fetchall())
            db.executemany(
                "INSERT INTO bodies VALUES (?, ?, ?, ?, ?)",
                [(slot_of[row.node_id], doc_id, row.text, row.length, row.terms) for row in rows],
            )
            db.executemany("INSERT INTO units VALUES (?, ?, ?, ?)", [(u, doc_id, n, v) for u, n, v in units])
            db.executemany("INSERT INTO vocabulary VALUES (?, ?) ON CONFLICT DO NOTHING", [(doc_id, w) for w in words])
            db.executemany("INSERT INTO names VALUES (?, ?) ON CONFLICT DO NOTHING", [(doc_id, n) for n in names])

    def delete(self, doc_id: str) -> None:
        with self._transaction(doc_id):
            pass

    def mark_pending(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO pending VALUES (?) ON CONFLICT DO NOTHING", (doc_id,))

    @contextmanager
    def _transaction(self, doc_id: str) -> Iterator[Connection]:
        """Remove the document's rows, let the caller insert, commit once (or roll back on error)."""
        with self._lock:
            self._db.execute(self.database.begin)
            try:
                for table in _DOC_TABLES:
                    self._db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
                yield self._db
                self._db.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- reads -------------------------------------------------------------------------------------
    def _rows(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def generation(self) -> int:
        return self._rows("SELECT value FROM meta WHERE key = 'generation'")[0][0]

    def doc_ids(self) -> set[str]:
        """Documents with nodes, and documents whose write or delete began but never finished."""
        return {d for (d,) in self._rows("SELECT DISTINCT doc_id FROM nodes UNION SELECT doc_id FROM pending")}

    def doc_spans(self) -> dict[str, tuple[int, int]]:
        """doc_id → (first slot, node count): a re-added document shows up with a new first slot."""
        return {d: (first, n) for d, first, n in self._rows("SELECT doc_id, MIN(slot), COUNT(*) FROM nodes GROUP BY doc_id")}

    def doc_terms(self, doc_id: str) -> list[tuple[int, int, str]]:
        return self._rows("SELECT slot, length, terms FROM bodies WHERE doc_id = ? ORDER BY slot", (doc_id,))

    def doc_words(self, doc_id: str) -> list[str]:
        return [w for (w,) in self._rows("SELECT word FROM vocabulary WHERE doc_id = ?", (doc_id,))]

    def doc_names(self, doc_id: str) -> list[str]:
        return [n for (n,) in self._rows("SELECT name FROM names WHERE doc_id = ?", (doc_id,))]

    def all_names(self) -> list[tuple[str, str]]:
        """(doc_id, publisher name) of every document, for scoping questions without reading each document."""
        return self._rows("SELECT doc_id, name FROM names")

    def holding(self, phrase: str) -> set[str]:
        """The documents whose text holds ``phrase`` as written (at least ``TRIGRAM`` characters)."""
        if len(phrase) < TRIGRAM:
            raise ValueError(f"phrase too short for the text index: {phrase!r}")
        if self.database.server:
            sql, param = "SELECT DISTINCT doc_id FROM bodies WHERE strpos(text, ?) > 0", phrase
        else:
            sql = "SELECT DISTINCT b.doc_id FROM bodies_text t JOIN bodies b ON b.slot = t.rowid WHERE bodies_text MATCH ?"
            param = '"' + phrase.replace('"', '""') + '"'  # one phrase, whatever it holds
        return {d for (d,) in self._rows(sql, (param,))}

    def node_ids(self, doc_id: str) -> list[str]:
        return [n for (n,) in self._rows("SELECT node_id FROM nodes WHERE doc_id = ? ORDER BY slot", (doc_id,))]

    def nodes(self, key: str, values: list) -> dict:
        """Stored nodes whose ``key`` (``slot`` or ``node_id``) is one of ``values``, by that key."""
        if not values:
            return {}
        columns = ", ".join(f"n.{k}" for k in METADATA_KEYS)
        rows = self._rows(
            f"SELECT n.{key}, n.node_id, b.text, {columns} FROM nodes n JOIN bodies b ON b.slot = n.slot "
            f"WHERE n.{key} IN ({','.join('?' * len(values))})",
            values,
        )
        return {r[0]: TextNode(id_=r[1], text=r[2], metadata=dict(zip(METADATA_KEYS, r[3:]))) for r in rows}

    def slots(self, filters: dict) -> np.ndarray:
        where, params = filter_sql(filters)
        return np.array([s for (s,) in self._rows(f"SELECT slot FROM nodes WHERE {where}", params)], dtype=np.int64)

    def unit_count(self, filters: dict | None = None) -> int:
        where, params = filter_sql(filters)
        return self._rows(f"SELECT CAST(COALESCE(SUM(units), 0) AS INTEGER) FROM nodes WHERE {where}", params)[0][0]

    def unit_vectors(self, filters: dict) -> tuple[list[str], np.ndarray]:
        """Node ids and vectors (float32 rows) of every embedded unit of the nodes matching ``filters``."""
        where, params = filter_sql(filters, "n.")
        rows = self._rows(f"SELECT u.node_id, u.vector FROM units u JOIN nodes n ON n.node_id = u.node_id WHERE {where}", params)
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(v for _, v in rows), dtype=np.float16).reshape(len(rows), -1)
        return [n for n, _ in rows], matrix.astype(np.float32)
