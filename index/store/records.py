"""Documents as users and the answer side see them: the identity read from each file with the user's
corrections laid over it (each marked 用户更正), and the SQL that keeps those corrections.

Corrections are keyed by the file's content (sha256), so they hold for every ingest of the same file:

    >>> import sqlite3
    >>> conn = sqlite3.connect(":memory:")
    >>> conn.executescript(CORRECTIONS_SCHEMA) and None
    >>> write_corrections(conn, "abc", {"year": "2025"})
    >>> read_corrections(conn, "abc")
    {'abc': {'year': '2025'}}
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel

from index.core.model import NOT_A_BUDGET, DocKind, Identity, IdentitySource, PublisherLevel
from index.read.identity.correct import apply_corrections
from index.store.sql import Connection, Database

CORRECTIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS identity_corrections (
    sha256 TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    corrected_at TEXT NOT NULL,
    PRIMARY KEY (sha256, field)
);
"""
# Identity columns added after the first release: a data dir made before gets them on open (NULL until
# its documents are read again).
IDENTITY_COLUMNS = {
    "parent": "TEXT", "level": "TEXT", "province": "TEXT", "city": "TEXT", "district": "TEXT",
    "identity_sources": "TEXT", "identity_warnings": "TEXT", "cover": "TEXT",
}


class DocumentRecord(BaseModel):
    """A stored document as users and the answer side see it: identity with the user's corrections laid
    over what was read (``identity_sources`` says 用户更正 for those), counts and warnings."""

    doc_id: str
    file_name: str
    sha256: str
    stored_path: str
    status: str
    department: str | None  # the publisher as the cover names it (深圳市统计局), without （本级）
    short_name: str | None
    aliases: list[str]
    region: str | None  # province, city and district joined: 北京市西城区
    year: int | None
    kind: str | None  # 部门预算 / 单位预算 / 部门决算 / 单位决算 / 非预算公开
    group_name: str | None
    pages: int
    n_tables: int
    n_facts: int
    n_narrative: int
    warnings: list[str]
    ingested_at: str
    parent: str | None = None  # the department the publisher belongs to (itself for a department)
    level: str | None = None  # 部门 / 单位 / 本级 / 汇总
    province: str | None = None
    city: str | None = None
    district: str | None = None
    identity_sources: dict[str, str] = {}  # field → 封面 / 预算单位 / 标题 / 表格标题 / 正文 / 文件名 / 用户更正
    identity_warnings: list[str] = []  # a year unlike the file name's, not a budget, publisher from the file name
    cover: str | None = None  # the cover's title as read
    detected: dict[str, str] = {}  # for each corrected field, the value as read from the document

    @property
    def publisher(self) -> str | None:
        return self.department

    @property
    def is_budget(self) -> bool:
        """False for a file that is not a budget disclosure: searchable as text, never a source of figures
        unless asked about by name."""
        return self.kind != NOT_A_BUDGET

    def identity(self) -> Identity:
        """The record's identity as the document model holds it."""
        return Identity(
            department=self.department, short_name=self.short_name, aliases=self.aliases, parent=self.parent,
            level=cast(PublisherLevel | None, self.level), province=self.province, city=self.city,
            district=self.district, region=self.region, year=self.year, kind=cast(DocKind | None, self.kind),
            sources=cast(dict[str, IdentitySource], self.identity_sources), warnings=self.identity_warnings,
            cover=self.cover,
        )


def migrate_identity(database: Database, conn: Connection) -> None:
    """Add the identity columns and the corrections table to a data dir made before them."""
    conn.execute(CORRECTIONS_SCHEMA)
    present = database.columns(conn, "documents")
    for column, sql_type in IDENTITY_COLUMNS.items():
        if column not in present:
            conn.execute(f"ALTER TABLE documents ADD COLUMN {column} {sql_type}")


def read_corrections(conn: Connection, sha256: str | None = None) -> dict[str, dict[str, str]]:
    sql, args = "SELECT sha256, field, value FROM identity_corrections", tuple[str, ...]()
    if sha256 is not None:
        sql, args = sql + " WHERE sha256 = ?", (sha256,)
    out: dict[str, dict[str, str]] = {}
    for file_sha, field, value in conn.execute(sql, args):
        out.setdefault(file_sha, {})[field] = value
    return out


def write_corrections(conn: Connection, sha256: str, changes: dict[str, str | None]) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for field, value in changes.items():
        if value is None:
            conn.execute("DELETE FROM identity_corrections WHERE sha256 = ? AND field = ?", (sha256, field))
        else:
            conn.execute(
                "INSERT INTO identity_corrections VALUES (?,?,?,?) ON CONFLICT(sha256, field) "
                "DO UPDATE SET value = excluded.value, corrected_at = excluded.corrected_at",
                (sha256, field, value, now),
            )


# The catalogue holds every document's record (10,000: 60 MB), so records are built lean. Pydantic keeps per
# instance the set of fields it was given (2.2 KB of a record's 6): records read from the same columns share
# one (a field set later is in it already). Publishers, places and kinds repeat across documents: one string each.
_GIVEN: dict[frozenset[str], set[str]] = {}
SHARED_TEXT = ("status", "department", "short_name", "region", "kind", "group_name", "parent", "level", "province",
               "city", "district")


def record_from_row(r: Any, corrections: dict[str, str]) -> DocumentRecord:
    data = dict(r)
    data["aliases"] = json.loads(data["aliases"] or "[]")
    data["warnings"] = json.loads(data["warnings"] or "[]")
    data["identity_sources"] = {k: sys.intern(v) for k, v in json.loads(data.get("identity_sources") or "{}").items()}
    data["identity_warnings"] = json.loads(data.get("identity_warnings") or "[]")
    for key in SHARED_TEXT:
        if isinstance(data.get(key), str):
            data[key] = sys.intern(data[key])
    record = DocumentRecord(**data)
    given = record.__pydantic_fields_set__
    object.__setattr__(record, "__pydantic_fields_set__", _GIVEN.setdefault(frozenset(given), given))
    if not corrections:
        return record
    fixed = apply_corrections(record.identity(), corrections)
    detected = {f: str(getattr(record, f)) for f in corrections if getattr(record, f) is not None}
    return record.model_copy(update={
        "department": fixed.department, "short_name": fixed.short_name, "aliases": fixed.aliases,
        "parent": fixed.parent, "level": fixed.level, "province": fixed.province, "city": fixed.city,
        "district": fixed.district, "region": fixed.region, "year": fixed.year, "kind": fixed.kind,
        "identity_sources": dict(fixed.sources), "identity_warnings": fixed.warnings, "detected": detected,
    })
