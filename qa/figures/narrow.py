"""A comparison across many disclosures reads only the tables it can be answered from, found by SQL.

"哪个部门三公经费最高" is about every department of a year: loading each document whole (its model,
every fact) would cost seconds per hundred documents and push every other document out of the cache.
Instead the facts store is asked which tables can hold the item — titles a concept's tables match
(三公经费 → 三公经费支出情况表), tables with a row of that name or code — and only those tables' rows
and the documents' stated figures are read. The ``Locator`` then picks each figure exactly as for
one document, so the answer is the one a single-document question gets from the same tables:

    >>> view = narrowed(facts, doc_ids, [query])          # a FactIndex over those tables only
    >>> Locator(view, core_score).locate(disclosure, query).primary.place()
    '表9《2020年一般公共预算三公经费支出情况表》第18页“总计”行“2020年预算数”列'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from index.core.recent import Recent
from index.core.text import compact
from index.store.facts import FactsStore, StoredFact, StoredNarrativeFact
from qa.figures.documents import DocumentFacts
from qa.figures.fact_index import FactIndex, names_table
from qa.figures.query import FigureQuery
from qa.figures.stated import StatedFigures, StatedFilter
from qa.understand.vocabulary import FORMS_SCOPE

# Documents beyond which a question reads tables by SQL rather than whole documents: where the
# vocabulary stops reading their form fields too (a publisher's, a city's few).
WIDE = FORMS_SCOPE
# Documents whose whole narrative (read for what is stated beside a figure found, and by the checks) is kept.
WHOLE_KEPT = 16


def narrowed(facts: FactIndex, doc_ids: list[str], queries: list[FigureQuery]) -> FactIndex:
    """A fact index over these documents holding only the tables one of ``queries`` can be read from."""
    store = facts.store
    doc_ids = list(dict.fromkeys(doc_ids))
    titles = store.table_titles(doc_ids)
    kinds = {doc_id: kind for doc_id, _, _, _, kind in titles}
    wanted = set().union(*(_by_title(titles, q) & _by_row(store, titles, doc_ids, q) for q in queries))
    by_doc: dict[str, list[int]] = defaultdict(list)
    for doc_id, table_index in sorted(wanted):
        by_doc[doc_id].append(table_index)
    rows: dict[str, list[StoredFact]] = defaultdict(list)
    for doc_id, tables in by_doc.items():
        rows[doc_id] = store.facts([doc_id], f"f.table_index IN ({','.join('?' * len(tables))})", tuple(tables))
    misread: dict[str, dict[int, str]] = defaultdict(dict)
    for (doc_id, table_index), why in store.misread_tables(doc_ids).items():
        misread[doc_id][table_index] = why
    loaded = {d: DocumentFacts.partial(d, kinds.get(d), rows.get(d, []), misread[d]) for d in doc_ids}

    view = FactIndex.__new__(FactIndex)
    view.store = store
    view.doc = lambda doc_id: loaded.get(doc_id) or DocumentFacts(doc_id)
    view.stated = StatedBySql(store, doc_ids, view.doc)
    return view


class StatedBySql(StatedFigures):
    """Stated figures of documents read by SQL. A question's candidates come from one pass over all the documents
    per ``StatedFilter``, which builds only the figures it lets through; a document's whole narrative (what is
    stated beside a figure found, what the checks compare) is read when asked, a few documents' kept."""

    def __init__(self, store: FactsStore, doc_ids: list[str], doc: Callable[[str], DocumentFacts]):
        super().__init__(doc)
        self.store, self.doc_ids, self._known = store, doc_ids, set(doc_ids)
        self._passes: dict[StatedFilter, dict[str, list[StoredNarrativeFact]]] = {}
        self._whole: Recent[str, list[StoredNarrativeFact]] = Recent(WHOLE_KEPT)

    def narrative(self, doc_id: str) -> list[StoredNarrativeFact]:
        return self._whole.load(doc_id, lambda: self.store.narrative_facts([doc_id]) if doc_id in self._known else [])

    def amounts(self, doc_id: str) -> set[tuple[Decimal, str]]:
        return self.store.stated_amounts(doc_id) if doc_id in self._known else set()

    def values(self, doc_ids: list[str], query: FigureQuery) -> list[StoredNarrativeFact]:
        wanted = StatedFilter.of(query)
        if wanted is None:
            return []
        found = self._passes.get(wanted)
        if found is None:
            found = self._passes[wanted] = defaultdict(list)
            for n in self.store.stated_values(self.doc_ids, wanted):
                found[n.doc_id].append(n)
        return [n for d in doc_ids for n in found.get(d, [])]


def _by_title(titles: list[tuple[str, int, str | None, str | None, str | None]], query: FigureQuery) -> set[tuple[str, int]]:
    """Tables whose label or title the query allows: those it names, its concept's tables, its title hint."""
    concept = query.concept
    out = set()
    for doc_id, table_index, label, title, _ in titles:
        shown = compact(title or label or "")
        if query.tables and not any(names_table(r, compact(label or ""), shown) for r in query.tables):
            continue
        if concept is not None and not any(re.search(title_re, shown) for title_re, _ in concept.tables):
            continue  # a measure only the narrative states has no tables at all
        out.add((doc_id, table_index))
    return out


def _by_row(store: FactsStore, titles: list[tuple[str, int, str | None, str | None, str | None]], doc_ids: list[str],
            query: FigureQuery) -> set[tuple[str, int]]:
    """Tables with a row the query's item (or, read as a row, its column) may name; every table when the
    query asks for a table's total or a concept (its tables are chosen by title)."""
    item = query.item
    if item is None or query.concept is not None:
        return {(d, t) for d, t, *_ in titles}
    if item.kind == "term":
        return set()  # a name no table row carries
    names = [item.name] + ([query.column] if query.column else [])
    # A superset of what the locator matches (it compares cleaned names): the name anywhere in the row's
    # name, text columns or code.
    where = " OR ".join("(REPLACE(f.name, ' ', '') LIKE ? OR f.attributes LIKE ? OR f.code = ?)" for _ in names)
    params = tuple(p for n in names for p in (f"%{n}%", f"%{n}%", n))
    return {(f.doc_id, f.table_index) for f in store.facts(doc_ids, f"({where})", params)}
