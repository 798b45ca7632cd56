"""The BM25 leg: an in-memory inverted index over the term counts kept in the node store.

Why not rank_bm25/bm25s: both build their statistics for a whole corpus at once, so adding or
deleting one document means rebuilding everything. Here a document's postings are appended to,
or masked out of, the in-memory index (nothing is re-tokenised); idf and average length are
computed from live nodes at query time. Writes by another process (``budget-qa ingest`` while
the app runs) are picked up before each search by comparing the store's generation counter.
"""

from __future__ import annotations

import json
import math
import threading
from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np
from llama_index.core.schema import TextNode

from index.search.publisher_scope import match_names
from index.search.tokenizer import BudgetTokenizer
from index.store.nodes import METADATA_KEYS, NodeRow, NodeStore

K1, B = 1.2, 0.75


class KeywordIndex:
    def __init__(self, store: NodeStore, tokenizer: BudgetTokenizer):
        self.store, self.tokenizer = store, tokenizer
        self._lock = threading.RLock()  # guards the in-memory index
        self._postings: dict[str, tuple[array, array]] = {}  # term → (slots, term counts)
        self._doc_slots: dict[str, list[int]] = {}
        self._doc_names: dict[str, list[str]] = {}
        self._names: dict[str, set[str]] = {}  # publisher name or alias → doc_ids
        self._longest_name = 0
        self._lengths = np.zeros(1024, dtype=np.float32)
        self._alive = np.zeros(1024, dtype=bool)
        self._n_live = 0
        self._total_length = 0.0
        self._dead_slots = 0
        self._generation = -1
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
        """Bring the in-memory index in line with the store (our writes or another process's)."""
        with self._lock:
            generation = self.store.generation()
            if generation == self._generation:
                return
            spans = self.store.doc_spans()
            for doc_id in list(self._doc_slots):
                slots = self._doc_slots[doc_id]
                if spans.get(doc_id) != (slots[0], len(slots)):
                    self._drop(doc_id)
            for doc_id in sorted(set(spans) - set(self._doc_slots)):
                self.tokenizer.add_words(self.store.doc_words(doc_id))
                self._load(doc_id)
            self._generation = generation
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
        if not slots:
            return
        self._doc_slots[doc_id] = slots
        self._doc_names[doc_id] = self.store.doc_names(doc_id)
        for name in self._doc_names[doc_id]:
            self._names.setdefault(name, set()).add(doc_id)
            self._longest_name = max(self._longest_name, len(name))

    def _drop(self, doc_id: str) -> None:
        for name in self._doc_names.pop(doc_id, []):
            self._names[name].discard(doc_id)
            if not self._names[name]:
                del self._names[name]
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

    # -- reads ----------------------------------------------------------------------------------------
    def scope(self, query: str) -> tuple[set[str], str]:
        """Documents whose publisher the query names, and the query without the names (see ``index.search.publisher_scope``)."""
        self.refresh()
        with self._lock:
            return match_names(query, self._names, self._longest_name)

    def search(self, query: str, k: int, filters: dict | None = None) -> list[tuple[TextNode, float]]:
        """Top ``k`` nodes by Okapi BM25 (k1=1.2, b=0.75), restricted to nodes matching ``filters``."""
        terms = set(self.tokenizer.tokenize(query))
        allowed = self.store.slots(filters) if filters else None
        self.refresh()
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
        by_slot = self.store.nodes("slot", best)
        return [(by_slot[s], float(scores[s])) for s in best if s in by_slot]

    def _scores(self, terms: set[str]) -> np.ndarray:
        scores = np.zeros(len(self._alive), dtype=np.float32)
        avgdl = self._total_length / self._n_live
        for term in terms:
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
            idf = math.log(1.0 + (self._n_live - df + 0.5) / (df + 0.5))
            norm = K1 * (1.0 - B + B * self._lengths[slots] / avgdl)
            scores[slots] += idf * tfs * (K1 + 1.0) / (tfs + norm)
        return scores
