"""The corpus-wide name table: every row name, 项目名称, code, column and table title a document lends a question
(``index.core.terms``), each stored once, and which documents print it.

A question naming no publisher ("2020年哪个部门三公经费最高") is matched against the names of every document;
read document by document that is every document's facts, seconds and hundreds of MB at 10,000 documents.
From this table it is one query for the distinct names (tens of thousands, whatever N) and one per name the
question turns out to use for the documents holding it:

    >>> conn.execute("SELECT kind, name, target FROM names WHERE name = '行政运行'").fetchall()
    [('row', '行政运行', '')]

Written when a document becomes ready (``FactsStore.promote``), in the same transaction; a store made before
the table existed is filled by its migration. A document's rows go with it (ON DELETE CASCADE); a name no
ready document holds any more is left in ``names`` and never read (``stored_names`` asks for holders).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from index.core.terms import Term, fact_terms, title_terms
from index.store.sql import Connection, Database, script

NAMES_SCHEMA = """
CREATE TABLE IF NOT EXISTS names (
    name_id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, name TEXT NOT NULL, target TEXT NOT NULL,
    term_key TEXT NOT NULL UNIQUE,  -- a hash of (kind, name, target), looked up by name_key (kind, name)
    name_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS names_by_name ON names(name_key);
CREATE TABLE IF NOT EXISTS document_names (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    name_id BIGINT NOT NULL REFERENCES names(name_id),
    PRIMARY KEY (doc_id, name_id)
);
CREATE INDEX IF NOT EXISTS document_names_name ON document_names(name_id);
"""

FactNameRow = tuple[str | None, str | None, str, dict[str, str], str | None]

_BY_ROW = "SELECT DISTINCT f.name, f.code, '', f.attributes, f.title {ready} AND (t.misread IS NULL OR f.code IS NOT NULL)"
_BY_COLUMN = "SELECT DISTINCT NULL, NULL, f.column_path, '{{}}', NULL {ready} AND t.misread IS NULL"
_READY = ("FROM facts f JOIN documents d ON d.doc_id = f.doc_id JOIN tables t ON t.doc_id = f.doc_id "
          "AND t.table_index = f.table_index WHERE d.status = 'ready' AND f.doc_id = ?")  # fmt: skip
IN_LIST = 5000  # doc ids bound per query (SQLite and psycopg both take far more; this keeps statements small)


def fact_names(conn: Connection, doc_id: str) -> list[FactNameRow]:
    """(row name, code, column path, row attributes, table title) of a ready document, each distinct row
    once and each column once (with no row): the names a question may use, without reading every cell. A table
    the reader found misread lends only its coded rows (a 科目 code proves a row): its header fragments
    ("拨款收入" read as a row) would read a question wrong."""
    sql = _BY_ROW.format(ready=_READY) + " UNION " + _BY_COLUMN.format(ready=_READY)
    return [(r[0], r[1], r[2], json.loads(r[3] or "{}"), r[4]) for r in conn.execute(sql, (doc_id, doc_id))]


def terms_of(rows: Iterable[FactNameRow]) -> set[Term]:
    """Every name these rows lend (``index.core.terms``): what ``Terms.of_facts`` builds from them."""
    out: set[Term] = set()
    for name, code, column, attributes, title in rows:
        out.update(fact_terms(name, code, column, attributes))
        if title:
            out.update(title_terms(title))
    return out


def _key(*parts: str) -> str:
    """Names are keyed by a hash: a column path or a title may run to hundreds of characters (a performance
    table's header holding a paragraph), past what a PostgreSQL index entry can hold."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def record_names(conn: Connection, doc_id: str) -> int:
    """Store a ready document's names (again); returns how many it lends."""
    terms = sorted(terms_of(fact_names(conn, doc_id)))
    conn.execute("DELETE FROM document_names WHERE doc_id = ?", (doc_id,))
    conn.executemany("INSERT INTO names (kind, name, target, term_key, name_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                     [(*t, _key(*t), _key(t[0], t[1])) for t in terms])  # fmt: skip
    conn.executemany("INSERT INTO document_names (doc_id, name_id) SELECT ?, name_id FROM names WHERE term_key = ?",
                     [(doc_id, _key(*t)) for t in terms])  # fmt: skip
    return len(terms)


def create_names(database: Database, conn: Connection) -> None:
    """Migration step: the name table, filled with every ready document's names (pending ones get theirs
    when promoted)."""
    script(conn, database.ddl(NAMES_SCHEMA))
    for (doc_id,) in conn.execute("SELECT doc_id FROM documents WHERE status = 'ready'").fetchall():
        record_names(conn, doc_id)


def stored_names(conn: Connection, doc_ids: Iterable[str] | None = None) -> set[Term]:
    """The distinct names of these ready documents (of every ready document when None)."""
    if doc_ids is None:
        sql = ("SELECT kind, name, target FROM names n WHERE EXISTS (SELECT 1 FROM document_names dn JOIN documents d "
               "ON d.doc_id = dn.doc_id WHERE dn.name_id = n.name_id AND d.status = 'ready')")  # fmt: skip
        return {(r[0], r[1], r[2]) for r in conn.execute(sql)}
    ids = sorted(set(doc_ids))
    held: set[int] = set()
    for start in range(0, len(ids), IN_LIST):
        part = ids[start : start + IN_LIST]
        held |= {r[0] for r in conn.execute(f"SELECT DISTINCT name_id FROM document_names WHERE doc_id IN ({','.join('?' * len(part))})", part)}
    found: set[Term] = set()
    wanted = sorted(held)
    for start in range(0, len(wanted), IN_LIST):
        ids_part = wanted[start : start + IN_LIST]
        sql = f"SELECT kind, name, target FROM names WHERE name_id IN ({','.join('?' * len(ids_part))})"
        found |= {(r[0], r[1], r[2]) for r in conn.execute(sql, ids_part)}
    return found


def name_holders(conn: Connection, kind: str, name: str) -> set[str]:
    """The ready documents printing a row, 项目名称 or code of this name."""
    sql = ("SELECT dn.doc_id FROM names n JOIN document_names dn ON dn.name_id = n.name_id JOIN documents d "
           "ON d.doc_id = dn.doc_id WHERE n.name_key = ? AND d.status = 'ready'")  # fmt: skip
    return {r[0] for r in conn.execute(sql, (_key(kind, name),))}
