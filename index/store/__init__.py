"""Persistence: ``FactsStore`` (documents, tables, every numeric cell, narrative figures; SQLite) and
``NodeStore`` (retrieval nodes and their metadata schema, ``METADATA_KEYS``)."""

from index.store.facts import DocumentRecord, FactsStore, StoredFact, StoredNarrativeFact
from index.store.nodes import METADATA_KEYS, NodeStore

__all__ = ["METADATA_KEYS", "DocumentRecord", "FactsStore", "NodeStore", "StoredFact", "StoredNarrativeFact"]
