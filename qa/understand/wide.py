"""The names of many documents at once, from the facts store's name table (``index.store.names``).

A question naming no publisher is matched against the names of every document in scope. Merged document by
document (``Terms.merge``) that reads every document's facts and holds a set of documents per name: at
10,000 documents half a minute and hundreds of MB. Here the distinct names are read in one query and the
documents holding a name only when a question asks who holds it (``carriers``):

    >>> terms = Terms.stored(store, doc_ids)        # every document of 2020
    >>> "行政运行" in terms.rows, len(terms.rows["行政运行"])
    (True, 912)

The names are those ``Terms.of_facts`` reads from each document's tables (``index.core.terms`` is the one
home of both), without form fields: those are read only for a few documents at once (``FORMS_SCOPE``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from index.core.terms import Term


class NameSource(Protocol):
    """What stored names are read from (``FactsStore``)."""

    def names(self, doc_ids: list[str] | None = None) -> set[Term]: ...
    def name_holders(self, kind: str, name: str) -> set[str]: ...


class Holders(dict[str, set[str]]):
    """name → the documents in scope printing it. The names are held; each name's documents are read by
    SQL when first asked for. A name not held reads as no documents, as in a ``defaultdict`` (not added)."""

    def __init__(self, names: Iterable[str], lookup: Callable[[str], set[str]]):
        super().__init__(dict.fromkeys(names, None))  # type: ignore[arg-type]  # None: not read yet
        self._lookup = lookup

    def __getitem__(self, name: str) -> set[str]:
        if not dict.__contains__(self, name):
            return set()
        found = dict.__getitem__(self, name)
        if found is None:
            found = self._lookup(name)
            dict.__setitem__(self, name, found)
        return found

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if dict.__contains__(self, name) else default

    def items(self) -> Iterator[tuple[str, set[str]]]:  # type: ignore[override]
        return ((name, self[name]) for name in self)

    def values(self) -> Iterator[set[str]]:  # type: ignore[override]
        return (self[name] for name in self)
