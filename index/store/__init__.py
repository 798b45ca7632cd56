"""Persistence: ``FactsStore`` (documents, tables, every numeric cell, narrative figures) and ``NodeStore``
(retrieval nodes and their metadata schema, ``METADATA_KEYS``); SQLite files, or PostgreSQL (``index.store.sql``)."""

from typing import Any

from index.store.facts import DocumentRecord, FactsStore, StoredFact, StoredNarrativeFact

__all__ = ["METADATA_KEYS", "DocumentRecord", "FactsStore", "NodeStore", "StoredFact", "StoredNarrativeFact"]


def __getattr__(name: str) -> Any:
    """The node store brings llama-index (seconds to import): loaded with retrieval, not with the facts."""
    if name in ("METADATA_KEYS", "NodeStore"):
        from index.store import nodes

        return getattr(nodes, name)
    raise AttributeError(name)
