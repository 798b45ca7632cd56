"""Ingest PDFs into the stores: parse, store facts, index chunks; one document at a time, all or nothing.

Order of writes for one file (so a crash at any point loses nothing already indexed):
copy the file into the data dir → facts as *pending* → vectors and BM25 → one transaction makes
the new version *ready* and retires the old one → old vectors removed. On start-up, pending
versions and vectors of unknown documents are swept away.

Embedded stores have one writer: an ingest holds a file lock on the data dir. With every store on a
server (``Settings.shared_stores``) ingest processes on any machine write at once: each document is
written in its own transactions while its writer holds a claim on it in the database, and the sweep
leaves alone what another live writer holds (a killed writer's claim ends with its connection).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout

from index.core.model import Document
from index.core.settings import Settings
from index.read.identity import identity_warnings
from index.read.narrative import extract_narrative_facts
from index.read.ocr import OcrOptions
from index.read.parse import READER_VERSION, file_sha256
from index.read.pdf import IngestError
from index.read.rows import mark_publisher_lines
from index.read.supervised import ParseLimits, parse_files
from index.store.facts import DocumentRecord, FactsStore

log = logging.getLogger(__name__)


class DocumentIndexer(Protocol):
    """The retrieval side of a document (vectors + BM25)."""

    def add_document(self, doc_id: str, record: DocumentRecord | None, document: Document) -> int: ...

    def delete_document(self, doc_id: str) -> None: ...

    def indexed_doc_ids(self) -> set[str]: ...


@dataclass
class IngestResult:
    path: str
    file_name: str
    status: str  # ingested | unchanged | failed
    doc_id: str | None = None
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    identity_warnings: list[str] = field(default_factory=list)  # year unlike the file name's, not a budget …
    pages: int = 0
    tables: int = 0
    facts: int = 0
    narrative: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        name = safe_name(self.file_name)
        if self.status == "failed":
            return f"✗ {name}: {self.reason}"
        if self.status == "unchanged":
            return f"= {name}: {self.reason or '未变化，跳过'}"
        pps = self.pages / self.seconds if self.seconds else 0.0
        return (
            f"✓ {name}: {self.department or '?'} {self.year or '?'} {self.kind or ''}；{self.pages} 页，{self.tables} 张表，"
            f"{self.facts} 个表格数字，{self.narrative} 个正文数字，{self.chunks} 个检索块，"
            f"{len(self.warnings)} 条警告（{self.seconds:.1f} 秒，{pps:.1f} 页/秒）"
        )


def safe_name(name: str) -> str:
    """A file name fit for a one-line message: control and bidi-override characters made visible."""
    return "".join(ch if ch.isprintable() and not ("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069") else "�" for ch in name)


class IngestBusy(Exception):
    pass


def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[IngestResult]]:
    """Expand folders to the PDFs inside them; missing paths become failed results."""
    files: list[Path] = []
    missing: list[IngestResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(IngestResult(str(path), path.name, "failed", reason="文件不存在"))
    return files, missing


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        store: FactsStore | None = None,
        indexer: DocumentIndexer | None = None,
        indexer_factory: Callable[[], DocumentIndexer] | None = None,
    ):
        """``indexer_factory`` opens the retrieval index only once the ingest lock is held: two
        processes must not initialise the same on-disk index at the same moment."""
        self.settings = settings
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = store or FactsStore(settings.facts_target)
        self.indexer = indexer
        self._indexer_factory = indexer_factory

    def lock(self, wait_s: float = 600, open_index: bool = True) -> AbstractContextManager:
        if self.settings.shared_stores:  # documents are claimed one by one instead
            if open_index:
                self._open_index()
            return nullcontext()
        lock = FileLock(str(self.settings.lock_path), timeout=wait_s)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IngestBusy(
                f"另一个导入正在使用数据目录 {self.settings.data_dir}，请稍后再试"
            ) from exc
        if open_index:
            self._open_index()
        return lock

    def _open_index(self) -> None:
        if self.indexer is None and self._indexer_factory is not None:
            self.indexer = self._indexer_factory()

    def recover(self) -> list[str]:
        """Sweep what a crashed ingest left: pending versions and vectors of unknown documents.

        Each is claimed first and looked at again once claimed: what a live writer holds, or finished
        meanwhile, is not crash debris."""
        swept = []
        for doc_id in self.store.pending_ids():
            with self.store.claim(doc_id, wait=False) as mine:
                if mine and (record := self.store.get(doc_id)) is not None and record.status == "pending":
                    if self.indexer:
                        self.indexer.delete_document(doc_id)
                    self.store.delete(doc_id)
                    swept.append(doc_id)
        if self.indexer:
            ready = {d.doc_id: d for d in self.store.documents()}
            indexed = self.indexer.indexed_doc_ids()
            for doc_id in indexed - set(ready):
                with self.store.claim(doc_id, wait=False) as mine:
                    if mine and not self._is_ready(doc_id):
                        self.indexer.delete_document(doc_id)
                        swept.append(doc_id)
            # A ready document the index lacks (a new embedding model or chunking version opened a
            # fresh collection): index it again from its stored model, no re-parse needed.
            for doc_id in set(ready) - indexed:
                with self.store.claim(doc_id, wait=False) as mine:
                    if mine and self._is_ready(doc_id) and doc_id not in self.indexer.indexed_doc_ids():
                        self.indexer.add_document(doc_id, ready[doc_id], self.store.document_model(doc_id))
        return swept

    def _is_ready(self, doc_id: str) -> bool:
        record = self.store.get(doc_id)
        return record is not None and record.status == "ready"

    def housekeeping(self) -> list[str]:
        """At start-up: sweep pending versions and orphan vectors, and stored PDFs no document refers to
        (a crash between copying a file and recording it). Skipped, not waited for, while an ingest runs."""
        try:
            lock = self.lock(wait_s=0)
        except IngestBusy:
            return []
        with lock:
            swept = self.recover()
            known = {Path(d.stored_path).name for d in self.store.documents(include_pending=True)}
            files = self.settings.files_dir
            for path in files.glob("*") if files.is_dir() else []:
                if path.name in known:
                    continue
                # A stored file is named by its sha256; its document's id is the first 16 characters.
                with self.store.claim(path.name[:16], wait=False) as mine:
                    if mine and self.store.get(path.name[:16]) is None:
                        path.unlink(missing_ok=True)
                        swept.append(path.name)
        return swept

    def ingest(
        self,
        paths: Iterable[str | os.PathLike],
        group: str | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        wait_s: float = 600,
        workers: int | None = None,
    ) -> list[IngestResult]:
        """Every file gets its own result: a file that cannot be read never stops the others.

        Files are parsed in child processes (``index.read.supervised``), ``workers`` at a time, each within
        the time and memory budget of ``settings.ingest``; they are stored one by one, in the order given
        (a group once all its files are parsed: they settle their identity together).
        """
        files, results = discover(paths)
        # Opening the retrieval index (Chroma, the embedding model, jieba's dictionary: seconds) runs in a
        # thread while the first file parses in its child process; the sweep of what a crashed ingest left
        # waits for it and for the first parse. Screening before them sees the same: it reads ready
        # documents only, which neither touches.
        with self.lock(wait_s, open_index=False), ThreadPoolExecutor(1, thread_name_prefix="open-index") as opener:
            opening = opener.submit(self._open_index)
            todo: list[tuple[Path, str]] = []
            batch: dict[str, str] = {}  # sha256 → file name, for copies within one batch
            for path in files:
                result, sha = self._screen(path, batch)
                results.append(result)
                if result.status == "pending":
                    batch[sha] = path.name
                    todo.append((path, sha))
            by_path = {r.path: r for r in results}
            parsed: dict[Path, Document | None] = {}  # None: the file failed
            unstored = list(todo)  # in the order given
            done = 0
            for path, outcome, seconds in parse_files(todo, self.limits(), workers or self.settings.ingest.workers):
                if done == 0:
                    opening.result()  # raises here what opening the index raised
                    self.recover()
                result = by_path[str(path)]
                result.seconds = seconds
                if isinstance(outcome, IngestError):
                    result.status, result.reason = "failed", outcome.reason
                parsed[path] = None if isinstance(outcome, IngestError) else outcome
                done += 1
                if progress:
                    progress(done, len(todo), path.name)
                # Without a group, each file is stored as soon as it and those before it are parsed, while
                # the next ones parse: storing and indexing overlap the parse instead of following it.
                while not group and unstored and unstored[0][0] in parsed:
                    first, sha = unstored.pop(0)
                    if (document := parsed.pop(first)) is not None:
                        self._store_one(first, sha, document, group, by_path[str(first)])
            if done == 0:  # nothing to parse
                opening.result()
                self.recover()
            ordered = [(path, sha, document) for path, sha in unstored if (document := parsed[path]) is not None]
            if group:
                merge_group_identity([d for _, _, d in ordered])
            for path, sha, document in ordered:
                self._store_one(path, sha, document, group, by_path[str(path)])
            if progress:
                progress(len(todo), len(todo), "")
        return results

    def limits(self) -> ParseLimits:
        ingest = self.settings.ingest
        return ParseLimits(timeout_s=ingest.parse_timeout_s, timeout_per_page_s=ingest.parse_timeout_per_page_s,
                           memory_mb=ingest.parse_memory_mb, max_pages=ingest.max_pages,
                           ocr=OcrOptions(dpi=ingest.ocr_dpi) if ingest.ocr else None,
                           timeout_per_ocr_page_s=ingest.parse_timeout_per_ocr_page_s)

    def _screen(self, path: Path, batch: dict[str, str]) -> tuple[IngestResult, str]:
        """Before parsing: too large, already stored unchanged, or a copy of a file earlier in the batch.
        A file to parse comes back with status ``pending``."""
        result = IngestResult(str(path), path.name, "failed")
        try:
            size = path.stat().st_size
            if size > self.settings.ingest.max_file_mb * 1024 * 1024:
                result.reason = f"文件过大（{size / 1048576:.0f} MiB，上限 {self.settings.ingest.max_file_mb} MiB）"
                return result, ""
            sha = file_sha256(path)
        except OSError as exc:
            result.reason = f"无法读取文件（{exc.strerror or type(exc).__name__}）"
            return result, ""
        existing = self.store.by_sha(sha)
        # The same file stored by an older reader is read again: its rows lack their final values.
        current = existing is not None and self.store.reader_of(existing.doc_id) == READER_VERSION
        if existing is not None and (current or existing.file_name != path.name):
            result.status, result.doc_id = "unchanged", existing.doc_id
            result.department, result.year, result.kind = existing.department, existing.year, existing.kind
            result.identity_warnings = existing.identity_warnings
            if existing.file_name != path.name:
                result.reason = f"与已导入的 {existing.file_name} 内容相同"
            return result, sha
        if sha in batch:
            result.status, result.reason = "unchanged", f"与 {batch[sha]} 内容相同"
            return result, sha
        result.status = "pending"
        return result, sha

    def add_parsed(self, path: Path, document: Document, group: str | None = None) -> IngestResult:
        """Store and index a document already read from ``path`` (``document.sha256`` names its version),
        as ``ingest`` does once a file is parsed; the caller holds ``lock()``. For documents read elsewhere
        (the scale benchmark's synthetic copies)."""
        result = IngestResult(str(path), document.file_name, "failed")
        self._store_one(path, document.sha256, document, group, result)
        return result

    def _store_one(self, path: Path, sha: str, document: Document, group: str | None, result: IngestResult) -> None:
        with self.store.claim(sha[:16]):
            if self.store.shared:  # another worker may have stored the same file while this one parsed it
                again, _ = self._screen(path, {})
                if again.status == "unchanged":
                    for f in fields(again):
                        if f.name != "seconds":
                            setattr(result, f.name, getattr(again, f.name))
                    return
            self._store_claimed(path, sha, document, group, result)

    def _store_claimed(self, path: Path, sha: str, document: Document, group: str | None, result: IngestResult) -> None:
        started = time.perf_counter()
        doc_id = sha[:16]
        stored = self._copy_into_data_dir(path, sha)
        # The store keeps identity as read; what is indexed and dated carries the user's corrections of
        # this file, which outlive every re-ingest of it.
        ident = self.store.corrected_identity(sha, document.identity)
        corrected = document.model_copy(update={"identity": ident})
        narrative = extract_narrative_facts(document.blocks, ident.year)
        n_facts = self.store.add_pending(doc_id, document, stored, narrative, group_name=group)
        record = self.store.get(doc_id)
        chunks = 0
        try:
            if self.indexer:
                chunks = self.indexer.add_document(doc_id, record, corrected)
            retired = self.store.promote(doc_id)
        except BaseException:
            if self.indexer:
                self.indexer.delete_document(doc_id)
            self.store.delete(doc_id)
            raise
        for old in retired:
            if self.indexer:
                self.indexer.delete_document(old)
        result.status, result.doc_id = "ingested", doc_id
        result.department, result.year, result.kind = ident.department, ident.year, ident.kind
        result.identity_warnings = ident.warnings
        settled = set(document.identity.warnings) - set(ident.warnings)  # a correction answered them
        result.pages, result.tables, result.facts = len(document.pages), len(document.tables), n_facts
        result.narrative, result.chunks = len(narrative), chunks
        result.warnings = [w for w in document.warnings if w not in settled]
        result.seconds += time.perf_counter() - started

    def _copy_into_data_dir(self, path: Path, sha: str) -> Path:
        """Keep our own copy: the UI renders pages from it and never reads outside the data dir."""
        target = self.settings.files_dir / f"{sha}.pdf"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        return target

    def correct(self, doc_id: str, changes: dict[str, str | None]) -> DocumentRecord:
        """Record a user's corrections of a document's identity (field → value, None to undo one) and
        index the document again under its corrected name, year and kind. Returns the corrected record."""
        # A facts-only data dir (no retrieval index yet) stays one: a correction never creates an index.
        with self.lock(open_index=self.settings.has_index), self.store.claim(doc_id):
            record = self.store.get(doc_id)
            if record is None:
                raise KeyError(doc_id)
            self.store.set_corrections(record.sha256, changes)
            if self.indexer:
                document = self.store.document_model(doc_id)
                corrected = document.model_copy(update={"identity": self.store.corrected_identity(record.sha256, document.identity)})
                self.indexer.add_document(doc_id, self.store.get(doc_id), corrected)
            fixed = self.store.get(doc_id)
            assert fixed is not None
            return fixed

    def delete(self, doc_id: str) -> None:
        with self.lock(), self.store.claim(doc_id):
            if self.indexer:
                self.indexer.delete_document(doc_id)
            self.store.delete(doc_id)


def merge_group_identity(documents: list[Document]) -> None:
    """Files published together (narrative + tables) share department, region, year and kind; a
    tables file learns its publisher here, and with it which of its rows are the publisher's line."""
    for attr in ("department", "short_name", "parent", "level", "province", "city", "district", "region", "year", "kind"):
        values = [getattr(d.identity, attr) for d in documents if getattr(d.identity, attr)]
        if values:
            best = max(values, key=values.count)  # on a tie the first file's, not the set order's
            for d in documents:
                if getattr(d.identity, attr) is None or _weak(d, attr):
                    setattr(d.identity, attr, best)
                    donor = next(o for o in documents if getattr(o.identity, attr) == best)
                    if attr in donor.identity.sources:
                        d.identity.sources[attr] = donor.identity.sources[attr]
    aliases = sorted({a for d in documents for a in d.identity.aliases}, key=lambda a: (-len(a), a))
    for d in documents:
        d.identity.aliases = d.identity.aliases or aliases
        mark_publisher_lines(d.tables, d.identity.department)
        before = d.identity.warnings
        d.identity.warnings = identity_warnings(d.identity, d.file_name)  # what the group settled is no warning
        d.warnings = d.identity.warnings + [w for w in d.warnings if w not in before]


def _weak(document: Document, attr: str) -> bool:
    """A field read only from the file name gives way to what a sibling file of the group prints."""
    source_of = {"short_name": "department", "province": "region", "city": "region", "district": "region"}
    return document.identity.sources.get(source_of.get(attr, attr)) == "文件名"
