"""Persistence: ``FactsStore`` (documents, tables, every numeric cell, narrative figures) and ``NodeStore``
(retrieval nodes and their metadata schema, ``METADATA_KEYS``); SQLite files, or PostgreSQL (``index.store.sql``)."""

from index.store.facts import DocumentRecord, FactsStore, StoredFact, StoredNarrativeFact
from index.store.nodes import METADATA_KEYS, NodeStore

__all__ = ["METADATA_KEYS", "DocumentRecord", "FactsStore", "NodeStore", "StoredFact", "StoredNarrativeFact"]
