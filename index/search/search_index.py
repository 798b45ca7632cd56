"""The retrieval index: Chroma vectors + BM25, one document at a time, searchable from many threads.

Implements the ingest ``DocumentIndexer`` protocol. Both stores live under ``settings.index_dir``, or on
servers when configured (the node store in PostgreSQL beside the facts, a schema per index; vectors in
a Chroma server), and are named after a hash of what shapes them (embedding model and dimension, chunking
and tokenizer versions): changing any of these starts a fresh index instead of mixing old and new nodes.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore

from index.core.model import Document
from index.core.settings import Settings
from index.core.text import compact
from index.search.chunking import CHUNKING_VERSION, chunk_document, node_id_of
from index.search.embeddings import build_embed_model, embed_fingerprint
from index.search.keyword import KeywordIndex
from index.search.retrievers import (
    MODES,
    EmptyRetriever,
    HybridRetriever,
    KeywordRetriever,
    ScopedRetriever,
    VectorRetriever,
    check_filters,
    matches_nothing,
)
from index.search.tokenizer import TOKENIZER_VERSION, BudgetTokenizer, document_vocabulary
from index.store.facts import DocumentRecord
from index.store.nodes import NodeStore
from index.store.sql import is_server_url, open_database

log = logging.getLogger(__name__)


@dataclass
class Hit:
    node_id: str
    text: str
    score: float
    metadata: dict  # doc_id, file_name, department, region, year, kind, page_start, page_end, section_path, …

    @classmethod
    def from_node(cls, item: NodeWithScore) -> Hit:
        return cls(item.node.node_id, item.node.get_content(MetadataMode.NONE), float(item.score or 0.0), dict(item.node.metadata))

    def to_dict(self) -> dict:
        return asdict(self)


def publisher_names(document: Document, record: DocumentRecord | None) -> set[str]:
    """The publisher's names and aliases (for scoping questions); region names alone don't qualify."""
    ident = document.identity
    names = {ident.department, ident.short_name, *ident.aliases, *(record.aliases if record else ())}
    return {compact(n) for n in names if n and len(compact(n)) >= 2 and n != ident.region}


STORE_VERSION = "store-v3"  # layout of the node store and of what Chroma holds


def index_key(settings: Settings) -> str:
    shape = f"{embed_fingerprint(settings.embed)}|{CHUNKING_VERSION}|{TOKENIZER_VERSION}|{STORE_VERSION}"
    return hashlib.sha256(shape.encode("utf-8")).hexdigest()[:16]


def chroma_client(settings: Settings) -> chromadb.ClientAPI:
    """The Chroma server's client when one is configured, else the embedded store in the data dir."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma.host:
        return chromadb.HttpClient(
            host=settings.chroma.host, port=settings.chroma.port, database=settings.chroma.database,
            settings=chroma_settings,
        )
    return chromadb.PersistentClient(path=str(settings.index_dir / "chroma"), settings=chroma_settings)


class SearchIndex:
    def __init__(self, settings: Settings, embed_model: BaseEmbedding | None = None):
        self.settings = settings
        self.key = index_key(settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        self.embed_model = embed_model or build_embed_model(settings.embed)
        self._client = chroma_client(settings)
        # We always pass embeddings; embedding_function=None keeps Chroma from loading its own model.
        self.collection = self._client.get_or_create_collection(
            f"budget_qa_{self.key}", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        target: str | Path = settings.index_dir / f"nodes-{self.key}.sqlite3"
        if settings.facts_url and is_server_url(settings.facts_url):
            target = settings.facts_url
        self.store = NodeStore(open_database(target, schema=f"nodes_{self.key}"))
        self.keyword = KeywordIndex(self.store, BudgetTokenizer())

    # -- DocumentIndexer ---------------------------------------------------------------------
    def add_document(self, doc_id: str, record: DocumentRecord | None, document: Document) -> int:
        """Index one document in both legs; re-adding replaces it; on failure nothing of it remains."""
        chunks = chunk_document(doc_id, document, self.settings.retrieval)
        units = chunks.vector_units
        embeddings = self.embed_model.get_text_embedding_batch([u.get_content(MetadataMode.NONE) for u in units]) if units else []
        vectors = [(u.node_id, node_id_of(u.node_id), np.asarray(e, dtype=np.float16).tobytes()) for u, e in zip(units, embeddings)]
        vocabulary = sorted(document_vocabulary(document, record.aliases if record else ()))
        rows = self.keyword.rows(chunks.nodes, vocabulary)
        self.store.mark_pending(doc_id)  # committed first: a crash from here on leaves doc_id for the sweep
        self._delete_vectors(doc_id)  # re-adding leaves one copy
        try:
            self._add_vectors(doc_id, [u.node_id for u in units], embeddings)
            self.store.write(doc_id, rows, vocabulary, sorted(publisher_names(document, record)), vectors)
        except BaseException:
            log.warning("indexing %s failed; removing what was written", doc_id)
            self.delete_document(doc_id)
            raise
        self.keyword.refresh()
        return len(chunks.nodes)

    def _add_vectors(self, doc_id: str, unit_ids: list[str], embeddings: list[list[float]]) -> None:
        """Vectors and their document only: search asks Chroma for ids and distances, and a unit's text and
        metadata live once, in the node store (Chroma's copies of them made the index twice its size)."""
        step = self._client.get_max_batch_size()
        for start in range(0, len(unit_ids), step):
            ids = unit_ids[start : start + step]
            self.collection.add(ids=ids, embeddings=embeddings[start : start + step],  # type: ignore[arg-type]
                                metadatas=[{"document_id": doc_id}] * len(ids))  # fmt: skip

    def _delete_vectors(self, doc_id: str) -> None:
        # "document_id" is also what llama-index's Chroma store wrote, so vectors of older indexes go too.
        self.collection.delete(where={"document_id": doc_id})

    def delete_document(self, doc_id: str) -> None:
        self.store.mark_pending(doc_id)
        self._delete_vectors(doc_id)
        self.store.delete(doc_id)
        self.keyword.refresh()

    def indexed_doc_ids(self) -> set[str]:
        """Documents with nodes, and any whose write or delete was interrupted (vectors may remain).

        Answered from SQLite: every vector write is preceded by a committed pending mark, so
        scanning the whole Chroma collection is never needed.
        """
        return self.store.doc_ids()

    def holding(self, phrase: str) -> set[str]:
        """The documents whose text holds ``phrase`` (``NodeStore.holding``)."""
        return self.store.holding(phrase)

    # -- retrieval -----------------------------------------------------------------------------
    def retriever(
        self,
        k: int | None = None,
        mode: str = "fused",
        filters: dict | None = None,
        reranker: BaseNodePostprocessor | None = None,
        auto_scope: bool = True,
    ) -> BaseRetriever:
        """A llama-index retriever: ``vector``, ``bm25`` or ``fused`` (both, by reciprocal rank).

        With ``auto_scope`` and no ``doc_id``/``department`` filter, a question naming a publisher
        ("外办…") is answered from that publisher's documents only. ``k`` defaults to ``retrieval.top_k``.
        """
        k = k or self.settings.retrieval.top_k
        if mode not in MODES:
            raise ValueError(f"未知的检索模式：{mode}（可用：{' | '.join(MODES)}）")
        filters = check_filters(filters)
        if auto_scope and not {"doc_id", "department"} & set(filters):
            return ScopedRetriever(lambda f: self._retriever(k, mode, f, reranker), self.keyword.scope, filters)
        return self._retriever(k, mode, filters, reranker)

    def _retriever(self, k: int, mode: str, filters: dict, reranker: BaseNodePostprocessor | None) -> BaseRetriever:
        if matches_nothing(filters):
            return EmptyRetriever()
        leg_k = k if mode != "fused" else max(k, self.settings.retrieval.leg_k)
        vector = VectorRetriever(self.collection, self.embed_model, self.store, leg_k, filters)
        keyword = KeywordRetriever(self.keyword, leg_k, filters)
        if mode == "vector":
            return vector
        if mode == "bm25":
            return keyword
        return HybridRetriever([vector, keyword], k=k, rrf_k=self.settings.retrieval.rrf_k, reranker=reranker)

    def search(
        self, query: str, k: int | None = None, mode: str = "fused", filters: dict | None = None, auto_scope: bool = True
    ) -> list[Hit]:
        """Ranked nodes for ``query``; ``filters`` like ``{"doc_id": [..]}`` or ``{"department": .., "year": 2020}``."""
        if not query.strip():
            return []
        k = k or self.settings.retrieval.top_k
        retriever = self.retriever(k, mode, filters, auto_scope=auto_scope)
        return [Hit.from_node(item) for item in retriever.retrieve(query)[:k]]
