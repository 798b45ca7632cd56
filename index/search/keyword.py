"""The BM25 leg: inverted indexes over the term counts kept in the node store.

Why not rank_bm25/bm25s: both build their statistics for a whole corpus at once, so adding or
deleting one document means rebuilding everything. Here nothing is re-tokenised: a search scoped to
a few documents (a question names its publisher; prose answers always are) reads only their term
counts, kept in a bounded cache, and ranks their nodes by the statistics of those documents, so
start-up and memory do not grow with the corpus. A search over more documents than the cache holds
uses one inverted index of every document, built on its first use, to which a document's postings
are appended or from which they are masked out; idf and average length come from live nodes at
query time. Writes by another process (``budget-qa ingest`` while the app runs) are picked up
before each search by comparing the store's generation counter.
"""

from __future__ import annotations

import json
import math
import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from llama_index.core.schema import TextNode

from index.core.recent import Recent
from index.search.publisher_scope import match_names
from index.search.tokenizer import BudgetTokenizer
from index.store.nodes import METADATA_KEYS, NodeRow, NodeStore

K1, B = 1.2, 0.75
DOCUMENTS_CACHED = 64  # documents whose term counts stay in memory for scoped searches


@dataclass
class DocTerms:
    """One document's nodes for BM25: store slots, lengths, and term → (positions among them, counts)."""

    slots: np.ndarray
    lengths: np.ndarray
    postings: dict[str, tuple[np.ndarray, np.ndarray]]

    @classmethod
    def load(cls, rows: list[tuple[int, int, str]]) -> DocTerms:
        collected: dict[str, tuple[array, array]] = {}
        for i, (_, _, terms) in enumerate(rows):
            for term, tf in json.loads(terms).items():
                posting = collected.get(term)
                if posting is None:
                    posting = collected[term] = (array("i"), array("f"))
                posting[0].append(i)
                posting[1].append(tf)
        postings = {t: (np.frombuffer(p, dtype=np.int32), np.frombuffer(f, dtype=np.float32)) for t, (p, f) in collected.items()}
        return cls(np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.float32), postings)


def idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def term_scores(tfs: np.ndarray, lengths: np.ndarray, idf_value: float, avgdl: float) -> np.ndarray:
    """Okapi BM25 (k1=1.2, b=0.75) of one term in the nodes it occurs in."""
    return idf_value * tfs * (K1 + 1.0) / (tfs + K1 * (1.0 - B + B * lengths / avgdl))


class KeywordIndex:
    def __init__(self, store: NodeStore, tokenizer: BudgetTokenizer, cache_size: int = DOCUMENTS_CACHED):
        self.store, self.tokenizer = store, tokenizer
        self._lock = threading.RLock()
        self._generation = -1
        self._names: dict[str, set[str]] = {}  # publisher name or alias → doc_ids (every document: small)
        self._longest_name = 0
        self._docs: Recent[str, DocTerms] = Recent(cache_size)  # recently searched documents
        self._corpus: CorpusPostings | None = None  # every document, once a search needed them all
        self.refresh()

    def rows(self, nodes: list[TextNode], vocabulary: Iterable[str]) -> list[NodeRow]:
        """Node rows for the store, tokenised after the document's own words were learnt (so they stay whole)."""
        self.tokenizer.add_words(vocabulary)
        rows = []
        for node in nodes:
            terms = Counter(self.tokenizer.tokenize(node.text))
            meta = tuple(node.metadata[k] for k in METADATA_KEYS)
            rows.append(NodeRow(node.node_id, node.text, sum(terms.values()), json.dumps(terms, ensure_ascii=False), meta))
        return rows

    # -- keeping up with the store ----------------------------------------------------------------
    def refresh(self) -> None:
        """After a write (ours or another process's): publisher names read again, cached documents dropped
        (read again when next searched), the corpus index brought in line."""
        with self._lock:
            generation = self.store.generation()
            if generation == self._generation:
                return
            names: dict[str, set[str]] = {}
            for doc_id, name in self.store.all_names():
                names.setdefault(name, set()).add(doc_id)
            self._names, self._longest_name = names, max(map(len, names), default=0)
            self._docs.clear()
            if self._corpus is not None:
                self._corpus.refresh()
            self._generation = generation

    def _doc(self, doc_id: str) -> DocTerms:
        return self._docs.load(doc_id, lambda: self._read_doc(doc_id))

    def _read_doc(self, doc_id: str) -> DocTerms:
        self.tokenizer.add_words(self.store.doc_words(doc_id))  # a query about it is cut as its nodes were
        return DocTerms.load(self.store.doc_terms(doc_id))

    # -- reads ----------------------------------------------------------------------------------------
    def scope(self, query: str) -> tuple[set[str], str]:
        """Documents whose publisher the query names, and the query without the names (see ``index.search.publisher_scope``)."""
        self.refresh()
        with self._lock:
            return match_names(query, self._names, self._longest_name)

    def search(self, query: str, k: int, filters: dict | None = None) -> list[tuple[TextNode, float]]:
        """Top ``k`` nodes by Okapi BM25, restricted to nodes matching ``filters``."""
        self.refresh()
        doc_ids = (filters or {}).get("doc_id")
        if isinstance(doc_ids, str):
            doc_ids = [doc_ids]
        if doc_ids is not None and len(set(doc_ids)) <= self._docs.size:
            ranked = self._search_documents(query, k, sorted(set(doc_ids)), filters or {})
        else:
            ranked = self._search_corpus(query, k, filters)
        by_slot = self.store.nodes("slot", [s for s, _ in ranked])
        return [(by_slot[s], score) for s, score in ranked if s in by_slot]

    def _search_documents(self, query: str, k: int, doc_ids: list[str], filters: dict) -> list[tuple[int, float]]:
        """BM25 over these documents' nodes, with these documents' statistics."""
        docs = [self._doc(d) for d in doc_ids]
        terms = set(self.tokenizer.tokenize(query))
        terms |= {s for s in self.tokenizer.spans(query) if any(s in d.postings for d in docs)}
        n = sum(len(d.slots) for d in docs)
        if not terms or not n:
            return []
        avgdl = float(sum(d.lengths.sum() for d in docs)) / n
        allowed = self.store.slots(filters) if set(filters) - {"doc_id"} else None
        slots, scores = [], []
        for term in sorted(terms):  # one order of float sums: the same terms score the same
            df = sum(len(d.postings[term][0]) for d in docs if term in d.postings)
            if not df:
                continue
            weight = idf(n, df)
            for d in docs:
                posting = d.postings.get(term)
                if posting is not None:
                    slots.append(d.slots[posting[0]])
                    scores.append(term_scores(posting[1], d.lengths[posting[0]], weight, avgdl))
        if not slots:
            return []
        by_slot = Counter[int]()
        for s, v in zip(np.concatenate(slots).tolist(), np.concatenate(scores).tolist()):
            by_slot[s] += v
        if allowed is not None:
            keep = set(allowed.tolist())
            by_slot = Counter({s: v for s, v in by_slot.items() if s in keep})
        return sorted(((s, float(v)) for s, v in by_slot.items() if v > 0), key=lambda x: (-x[1], x[0]))[:k]

    def _search_corpus(self, query: str, k: int, filters: dict | None) -> list[tuple[int, float]]:
        with self._lock:
            if self._corpus is None:
                self._corpus = CorpusPostings(self.store, self.tokenizer)
            corpus = self._corpus
        return corpus.search(corpus.terms(query), k, self.store.slots(filters) if filters else None)


class CorpusPostings:
    """One inverted index of every document, for searches no few documents narrow."""

    def __init__(self, store: NodeStore, tokenizer: BudgetTokenizer):
        self.store, self.tokenizer = store, tokenizer
        self._lock = threading.RLock()  # guards the in-memory index
        self._postings: dict[str, tuple[array, array]] = {}  # term → (slots, term counts)
        self._doc_slots: dict[str, list[int]] = {}
        self._lengths = np.zeros(1024, dtype=np.float32)
        self._alive = np.zeros(1024, dtype=bool)
        self._n_live = 0
        self._total_length = 0.0
        self._dead_slots = 0
        self.refresh()

    def refresh(self) -> None:
        """Bring the in-memory index in line with the store (our writes or another process's)."""
        with self._lock:
            spans = self.store.doc_spans()
            for doc_id in list(self._doc_slots):
                slots = self._doc_slots[doc_id]
                if spans.get(doc_id) != (slots[0], len(slots)):
                    self._drop(doc_id)
            for doc_id in sorted(set(spans) - set(self._doc_slots)):
                self.tokenizer.add_words(self.store.doc_words(doc_id))
                self._load(doc_id)
            if self._dead_slots > max(10_000, self._n_live):
                self._compact()

    def _load(self, doc_id: str) -> None:
        slots = []
        for slot, length, terms in self.store.doc_terms(doc_id):
            self._ensure_size(slot + 1)
            for term, tf in json.loads(terms).items():
                posting = self._postings.get(term)
                if posting is None:
                    posting = self._postings[term] = (array("i"), array("f"))
                posting[0].append(slot)
                posting[1].append(tf)
            self._lengths[slot] = length
            self._alive[slot] = True
            self._n_live += 1
            self._total_length += length
            slots.append(slot)
        if slots:
            self._doc_slots[doc_id] = slots

    def _drop(self, doc_id: str) -> None:
        for slot in self._doc_slots.pop(doc_id):
            if self._alive[slot]:
                self._alive[slot] = False
                self._n_live -= 1
                self._total_length -= float(self._lengths[slot])
                self._dead_slots += 1  # dead slots' postings stay (masked) until the next compaction

    def _compact(self) -> None:
        for term, (slots, tfs) in list(self._postings.items()):
            s = np.frombuffer(slots, dtype=np.int32)
            keep = self._alive[s]
            if keep.all():
                continue
            if not keep.any():
                del self._postings[term]
                continue
            self._postings[term] = (array("i", s[keep].tobytes()), array("f", np.frombuffer(tfs, np.float32)[keep].tobytes()))
        self._dead_slots = 0

    def _ensure_size(self, size: int) -> None:
        if size > len(self._alive):
            new = max(size, 2 * len(self._alive))
            self._alive = np.concatenate([self._alive, np.zeros(new - len(self._alive), dtype=bool)])
            self._lengths = np.concatenate([self._lengths, np.zeros(new - len(self._lengths), dtype=np.float32)])

    def terms(self, query: str) -> set[str]:
        """The query's tokens and its pieces that are terms of the index (``BudgetTokenizer.spans``)."""
        with self._lock:
            return set(self.tokenizer.tokenize(query)) | {s for s in self.tokenizer.spans(query) if s in self._postings}

    def search(self, terms: set[str], k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        with self._lock:
            if not terms or not self._n_live:
                return []
            scores = self._scores(terms)
            if allowed is not None:
                mask = np.zeros(len(scores), dtype=bool)
                mask[allowed[allowed < len(scores)]] = True
                scores[~mask] = 0.0
            candidates = np.flatnonzero(scores > 0)
            if len(candidates) > k:
                candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
            best = sorted(candidates.tolist(), key=lambda s: (-scores[s], s))
            return [(s, float(scores[s])) for s in best]

    def _scores(self, terms: set[str]) -> np.ndarray:
        scores = np.zeros(len(self._alive), dtype=np.float32)
        avgdl = self._total_length / self._n_live
        for term in sorted(terms):  # one order of float sums: the same terms score the same
            posting = self._postings.get(term)
            if posting is None:
                continue
            slots = np.frombuffer(posting[0], dtype=np.int32).copy()  # copies: appends must not meet a live view
            tfs = np.frombuffer(posting[1], dtype=np.float32).copy()
            live = self._alive[slots]
            df = int(np.count_nonzero(live))
            if not df:
                continue
            slots, tfs = slots[live], tfs[live]
            scores[slots] += term_scores(tfs, self._lengths[slots], idf(self._n_live, df), avgdl)
        return scores
