"""Retrievers over the two legs (Chroma vectors, BM25) and their reciprocal-rank fusion; ``budget-qa search``.

Both legs and the fused retriever are llama-index ``BaseRetriever``s, so the answering engine can
use them in a query engine; an optional reranker is any ``BaseNodePostprocessor``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from chromadb.api.models.Collection import Collection
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from index.search.chunking import node_id_of
from index.search.keyword import KeywordIndex
from index.store.nodes import METADATA_KEYS, NodeStore

MODES = ("fused", "vector", "bm25")
EXACT_LIMIT = 5000  # units searched exactly (≈ 60 documents); beyond that Chroma's HNSW


def check_filters(filters: dict | None) -> dict:
    """Filters are ``{metadata key: value or list of values}``; lists mean "any of"."""
    for key, value in (filters or {}).items():
        if key not in METADATA_KEYS:
            raise ValueError(f"未知的过滤字段：{key}（可用：{', '.join(METADATA_KEYS)}）")
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if not all(isinstance(v, (str, int, float, bool)) for v in values):
            raise ValueError(f"过滤值只能是文字、数字或布尔值：{key}={value!r}")
    return dict(filters or {})


def matches_nothing(filters: dict) -> bool:
    return any(isinstance(v, (list, tuple, set, frozenset)) and not v for v in filters.values())


def matches(metadata: dict, filters: dict) -> bool:
    return all(
        metadata.get(key) in value if isinstance(value, (list, tuple, set, frozenset)) else metadata.get(key) == value
        for key, value in filters.items()
    )


class VectorRetriever(BaseRetriever):
    """Nearest embedded units, resolved through the node store; a table part stands for its table node.

    Chroma's filtered HNSW search is slow when the filter is selective (at 1,000 documents: 140 ms
    for one document, 1.5 ms unfiltered), so Chroma is only ever asked unfiltered, for ids and
    distances (rebuilding candidates from stored JSON, as ``ChromaVectorStore.query`` does, costs
    more than the search):
    - filters matching at most ``EXACT_LIMIT`` units (a few documents): exact search over the
      store's copy of the vectors;
    - broader filters: Chroma, asked for enough neighbours to leave ``k`` after filtering;
    - no filter: Chroma.
    Each node appears once, at the rank of its best unit; a vector whose node is gone (deleted by
    another process while this one keeps Chroma's HNSW in memory) is skipped.
    """

    def __init__(self, collection: Collection, embed_model: BaseEmbedding, store: NodeStore, k: int, filters: dict):
        super().__init__()
        self._collection, self._embed, self._store, self._k, self._filters = collection, embed_model, store, k, filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        embedding = query_bundle.embedding or self._embed.get_query_embedding(query_bundle.query_str)
        if not self._filters:
            ranked = self._approximate(embedding, 2 * self._k)  # 2×: several parts of one table may come back
        else:
            allowed = self._store.unit_count(self._filters)
            if allowed <= EXACT_LIMIT:
                ranked = self._exact(embedding)
            else:
                share = allowed / max(1, self._store.unit_count())
                ranked = self._approximate(embedding, int(2 * self._k / share) + 10)
        best: dict[str, float] = {}
        for node_id, score in ranked:
            best.setdefault(node_id, score)
        nodes = self._store.nodes("node_id", list(best))
        kept = [(n, s) for n, s in best.items() if n in nodes and matches(nodes[n].metadata, self._filters)]
        return [NodeWithScore(node=nodes[n], score=s) for n, s in kept[: self._k]]

    def _exact(self, embedding: list[float]) -> list[tuple[str, float]]:
        node_ids, matrix = self._store.unit_vectors(self._filters)
        if not node_ids:
            return []
        sims = matrix @ np.asarray(embedding, dtype=np.float32)
        top = np.argsort(-sims)[: 4 * self._k]  # enough units for k distinct nodes
        return [(node_ids[i], float(sims[i])) for i in top]

    def _approximate(self, embedding: list[float], n: int) -> list[tuple[str, float]]:
        queries: list[Sequence[float] | Sequence[int]] = [embedding]
        got = self._collection.query(query_embeddings=queries, n_results=n, include=["distances"])
        distances = got["distances"]  # asked for, so present
        if distances is None:
            return []
        return [(node_id_of(u), 1.0 - d) for u, d in zip(got["ids"][0], distances[0])]  # cosine similarity


class KeywordRetriever(BaseRetriever):
    """BM25 over jieba tokens (see ``index.search.keyword``)."""

    def __init__(self, index: KeywordIndex, k: int, filters: dict | None = None):
        super().__init__()
        self._index, self._k, self._filters = index, k, filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [NodeWithScore(node=n, score=s) for n, s in self._index.search(query_bundle.query_str, self._k, self._filters)]


def reciprocal_rank_fusion(ranked_lists: list[list[NodeWithScore]], rrf_k: int) -> list[NodeWithScore]:
    """Score = Σ 1/(rrf_k + rank) over the lists a node appears in; a node appears once in the result."""
    scores: dict[str, float] = {}
    nodes: dict[str, NodeWithScore] = {}
    for ranked in ranked_lists:
        for rank, item in enumerate(ranked, start=1):
            node_id = item.node.node_id
            scores[node_id] = scores.get(node_id, 0.0) + 1.0 / (rrf_k + rank)
            nodes.setdefault(node_id, item)
    fused = sorted(scores, key=lambda n: -scores[n])
    return [NodeWithScore(node=nodes[n].node, score=scores[n]) for n in fused]


def drop_duplicate_text(nodes: list[NodeWithScore]) -> list[NodeWithScore]:
    """The same passage printed twice in one document (it happens) is shown once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for item in nodes:
        key = (item.node.metadata.get("doc_id", ""), item.node.get_content())
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


class HybridRetriever(BaseRetriever):
    """Vector and BM25 candidates (``leg_k`` each), fused by reciprocal rank, de-duplicated, reranked, top ``k``."""

    def __init__(
        self,
        legs: list[BaseRetriever],
        k: int,
        rrf_k: int,
        reranker: BaseNodePostprocessor | None = None,
    ):
        super().__init__()
        self._legs, self._k, self._rrf_k, self._reranker = legs, k, rrf_k, reranker

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranked = [leg.retrieve(query_bundle) for leg in self._legs]
        fused = drop_duplicate_text(reciprocal_rank_fusion(ranked, self._rrf_k))
        if self._reranker is not None:
            fused = self._reranker.postprocess_nodes(fused, query_bundle=query_bundle)
        return fused[: self._k]


class ScopedRetriever(BaseRetriever):
    """Restricts retrieval to the documents of the publisher a question names (see ``index.search.publisher_scope``)."""

    def __init__(self, make: Callable[[dict], BaseRetriever], scope: Callable[[str], tuple[set[str], str]], filters: dict):
        super().__init__()
        self._make, self._scope, self._filters = make, scope, filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        docs, rest = self._scope(query_bundle.query_str)
        if docs and rest:
            scoped = self._make({**self._filters, "doc_id": sorted(docs)}).retrieve(QueryBundle(rest))
            if scoped:
                return scoped
        # No publisher named, or nothing in its documents (a generic alias such as "办公室" misread).
        return self._make(self._filters).retrieve(query_bundle)


class EmptyRetriever(BaseRetriever):
    """What a filter that can match nothing (``{"doc_id": []}``) retrieves."""

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return []




