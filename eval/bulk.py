"""Synthetic copies written into the stores many at a time, for corpora the ingest path would take hours to build.

Through ``Ingestor.add_parsed`` a copy costs about a second here, so 10,000 would take three hours. Most of
that is the retrieval index: each copy's new publisher words reset the tokenizer's cache of cuts, each copy
is embedded, added to Chroma alone, and after each write the keyword index reads every publisher name
again. ``BulkCopies.add`` writes what ``add_parsed`` writes — the document row, its model, tables, facts and
stated figures through ``FactsStore``; nodes, term counts, words, names and vectors through ``NodeStore``
and Chroma — with three differences, all in the retrieval index:

- the tokenizer learns a whole batch's words before cutting any of it (cuts stay cached across copies);
- a copy's vectors are the first copy's of its base, unit for unit, when the two chunk alike (the n-grams of the swapped
  publisher and years are then not in them); otherwise the copy is embedded as ingest does;
- Chroma gets a batch's vectors in one call, and the keyword index is refreshed once per batch.

The stored PDF is a hard link to the base file (it counts the same in the data dir's size). The scale
bench measures ingest throughput on a sample of copies through ``add_parsed`` and says which path built
the rest.

    >>> BulkCopies(services).add([(base.path, derive(base.document, i)[0]) for i in range(100, 200)])
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from llama_index.core.schema import MetadataMode

from eval.synthetic import Rewrite, copy_sha, file_name, renaming
from index.core.model import Document
from index.read.narrative import extract_narrative_facts
from index.search.chunking import chunk_document, node_id_of
from index.search.search_index import publisher_names
from index.search.tokenizer import document_vocabulary
from index.store.facts import FACT_COLUMNS, NARRATIVE_COLUMNS, TABLE_COLUMNS, DocumentRecord
from qa.services import Services


class BulkCopies:
    def __init__(self, services: Services):
        self.settings = services.settings
        self.store = services.store
        self.index = services.search_index
        self._vectors: dict[str, tuple[int, list[list[float]]]] = {}  # base file → its unit count and vectors
        self.embedded = 0  # copies embedded because they chunked unlike their base
        self._rewrite: Rewrite = str
        self.can_clone = not services.store.shared  # clones are made in SQLite's own SQL (a function of ours)
        self._templates: dict[str, tuple[DocumentRecord, str, list[tuple[str, list[float]]]]] = {}

    def add(self, copies: list[tuple[Path, Document]]) -> None:
        """Store and index these copies (``path``: the base file each copies), the caller holding the ingest lock."""
        keyword = self.index.keyword
        keyword.tokenizer.add_words({w for _, d in copies for w in document_vocabulary(d, d.identity.aliases)})
        ids: list[str] = []
        vectors: list[list[float]] = []
        metadata: list[dict] = []
        for path, document in copies:
            doc_id = document.sha256[:16]
            stored = self._link(path, document.sha256)
            narrative = extract_narrative_facts(document.blocks, document.identity.year)
            self.store.add_pending(doc_id, document, stored, narrative)
            record = self.store.get(doc_id)
            chunks = chunk_document(doc_id, document, self.settings.retrieval)
            units = chunks.vector_units
            embeddings = self._embeddings(path, units)
            aliases = record.aliases if record else ()
            words = sorted(document_vocabulary(document, aliases))
            rows = keyword.rows(chunks.nodes, words)
            blobs = [(u.node_id, node_id_of(u.node_id), np.asarray(e, dtype=np.float16).tobytes()) for u, e in zip(units, embeddings)]
            self.index.store.mark_pending(doc_id)
            self.index.store.write(doc_id, rows, words, sorted(publisher_names(document, record)), blobs)
            self.store.promote(doc_id)
            ids += [u.node_id for u in units]
            vectors += embeddings
            metadata += [{"document_id": doc_id}] * len(units)
        self._add_vectors(ids, vectors, metadata)
        keyword.refresh()

    def clone(self, copies: list[tuple[str, int, Path, str]]) -> None:
        """Copies of stored copies, row by row in SQL (embedded stores only): each ``(template doc_id, i, base
        file, base sha256)`` becomes copy ``i`` of the template (``derive(template, i)``: its names, region and
        year rewritten in every stored text by a SQL function), with the template's vectors."""
        if not copies:
            return
        facts = sqlite3.connect(self.settings.db_path, isolation_level=None)
        nodes = sqlite3.connect(self.index.store.database.path, isolation_level=None)
        for conn in (facts, nodes):
            conn.create_function("rw", 1, lambda text: self._rewrite(text) if isinstance(text, str) else text, deterministic=False)
        ids: list[str] = []
        vectors: list[list[float]] = []
        facts.execute("BEGIN IMMEDIATE")
        nodes.execute("BEGIN IMMEDIATE")
        try:
            for template, i, path, base_sha in copies:
                record, model, units = self._template(template, nodes)
                identity, self._rewrite = renaming(record, i)
                sha = copy_sha(i, base_sha)
                doc_id, name = sha[:16], file_name(i)
                self._clone_facts(facts, template, doc_id, name, sha, self._link(path, sha), identity, model)
                self._clone_nodes(nodes, template, doc_id, name)
                ids += [doc_id + suffix for suffix, _ in units]
                vectors += [v for _, v in units]
            nodes.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            facts.execute("COMMIT")
            nodes.execute("COMMIT")
        except BaseException:
            facts.execute("ROLLBACK")
            nodes.execute("ROLLBACK")
            raise
        finally:
            facts.close()
            nodes.close()
        # Written ready in SQL, not promoted: their names for the corpus-wide name table are stored here.
        self.store.record_names([copy_sha(i, base_sha)[:16] for _, i, _, base_sha in copies])
        self._add_vectors(ids, vectors, [{"document_id": i[:16]} for i in ids])
        self.index.keyword.refresh()

    def _template(self, doc_id: str, nodes: sqlite3.Connection) -> tuple[DocumentRecord, str, list[tuple[str, list[float]]]]:
        found = self._templates.get(doc_id)
        if found is None:
            record = self.store.get(doc_id)
            if record is None:
                raise KeyError(doc_id)
            (model,) = self.store._connect().execute("SELECT model FROM document_models WHERE doc_id = ?", (doc_id,)).fetchone()
            units = [(unit_id[len(doc_id):], np.frombuffer(blob, dtype=np.float16).astype(np.float32).tolist())
                     for unit_id, blob in nodes.execute("SELECT unit_id, vector FROM units WHERE doc_id = ?", (doc_id,))]  # fmt: skip
            found = self._templates[doc_id] = (record, model, units)
        return found

    def _clone_facts(self, conn: sqlite3.Connection, template: str, doc_id: str, name: str, sha: str, stored: Path,
                     identity: dict, model: str) -> None:
        conn.execute(
            "INSERT INTO documents SELECT ?, ?, ?, ?, 'ready', ?, ?, ?, ?, ?, kind, group_name, pages, n_tables, n_facts, "
            "n_narrative, warnings, ?, parent, level, province, city, district, identity_sources, identity_warnings, cover "
            "FROM documents WHERE doc_id = ?",
            (doc_id, name, sha, str(stored), identity["department"], identity["short_name"],
             json.dumps(identity["aliases"], ensure_ascii=False), identity["region"], identity["year"],
             datetime.now(UTC).isoformat(timespec="seconds"), template),
        )  # fmt: skip
        document = json.loads(self._rewrite(model))
        document.update(file_name=name, sha256=sha)
        document["identity"].update(identity)
        conn.execute("INSERT INTO document_models VALUES (?, ?)", (doc_id, json.dumps(document, ensure_ascii=False)))
        conn.execute(f"INSERT INTO tables ({TABLE_COLUMNS}) SELECT ?, table_index, rw(label), rw(title), unit, page_first, "
                     "page_last, rw(columns), rw(section_path), misread FROM tables WHERE doc_id = ?", (doc_id, template))  # fmt: skip
        conn.execute(f"INSERT INTO facts ({FACT_COLUMNS}) SELECT ?, table_index, row_index, col_index, rw(label), rw(title), "
                     "unit, code, rw(name), level, parent_code, is_total, rw(attributes), column_path, value, rw(text), page, "
                     "x0, top, x1, bottom, ocr FROM facts WHERE doc_id = ? ORDER BY rowid", (doc_id, template))  # fmt: skip
        conn.execute(f"INSERT INTO narrative_facts ({NARRATIVE_COLUMNS}) SELECT ?, measure, relation, year, value, unit, "
                     "rw(text), rw(sentence), page, x0, top, x1, bottom, rw(section_path), ocr FROM narrative_facts "
                     "WHERE doc_id = ? ORDER BY seq", (doc_id, template))  # fmt: skip

    def _clone_nodes(self, conn: sqlite3.Connection, template: str, doc_id: str, name: str) -> None:
        conn.execute("INSERT INTO nodes (node_id, units, doc_id, file_name, department, region, year, kind, page_start, "
                     "page_end, section_path, table_label, table_title, node_type) SELECT replace(node_id, ?1, ?2), units, "
                     "?2, ?3, rw(department), rw(region), year, kind, page_start, page_end, rw(section_path), table_label, "
                     "rw(table_title), node_type FROM nodes WHERE doc_id = ?1 ORDER BY slot", (template, doc_id, name))  # fmt: skip
        conn.execute("INSERT INTO bodies SELECT n2.slot, ?2, rw(b.text), b.length, rw(b.terms) FROM bodies b "
                     "JOIN nodes n1 ON n1.slot = b.slot JOIN nodes n2 ON n2.node_id = replace(n1.node_id, ?1, ?2) "
                     "WHERE b.doc_id = ?1", (template, doc_id))  # fmt: skip
        conn.execute("INSERT INTO units SELECT replace(unit_id, ?1, ?2), ?2, replace(node_id, ?1, ?2), vector FROM units "
                     "WHERE doc_id = ?1", (template, doc_id))  # fmt: skip
        for table, column in (("vocabulary", "word"), ("names", "name")):
            conn.execute(f"INSERT INTO {table} SELECT ?2, rw({column}) FROM {table} WHERE doc_id = ?1 ON CONFLICT DO NOTHING",
                         (template, doc_id))  # fmt: skip

    def _add_vectors(self, ids: list[str], vectors: list[list[float]], metadata: list) -> None:
        step = self.index._client.get_max_batch_size()
        for start in range(0, len(ids), step):
            self.index.collection.add(ids=ids[start : start + step], embeddings=vectors[start : start + step],  # type: ignore[arg-type]
                                      metadatas=metadata[start : start + step])  # fmt: skip

    def _embeddings(self, path: Path, units: list) -> list[list[float]]:
        known = self._vectors.get(str(path))
        if known is not None and known[0] == len(units):
            return known[1]
        texts = [u.get_content(MetadataMode.NONE) for u in units]
        embeddings = self.index.embed_model.get_text_embedding_batch(texts) if units else []
        if known is None:
            self._vectors[str(path)] = (len(units), embeddings)
        else:
            self.embedded += 1
        return embeddings

    def _link(self, path: Path, sha: str) -> Path:
        target = self.settings.files_dir / f"{sha}.pdf"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:  # another file system: a copy, as ingest makes
                shutil.copyfile(path, target)
        return target
