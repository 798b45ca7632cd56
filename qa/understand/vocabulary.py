"""The words a question can use, built from what was indexed: departments, rows, codes, columns.

Identity (who published which document, where, which year) is read for every document at start-up;
the names of a document's rows, codes and columns only when a question is scoped to it, and those of many
documents at once (a question naming no publisher) from the facts store's name table (``qa.understand.wide``). Nothing here
is a hand list of budget items: every row name, 项目名称, code and column comes from the facts store. Only narrative measures (三公经费, 机关运行经费 …) are concepts, see ``qa.understand.concepts``.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Protocol

from index.core.lexicon import TOTAL_WORDS
from index.core.recent import Recent
from index.core.terms import Term, fact_terms, title_terms
from index.core.text import compact
from index.read.identity import derive_aliases
from index.store.facts import DocumentRecord, FactsStore
from qa.understand.names import NameIndex, TermKind
from qa.understand.wide import Holders, NameSource


class NamedFact(Protocol):
    """What a document's names are read from: a stored fact, or its names alone (``FactNames``)."""

    @property
    def name(self) -> str | None: ...
    @property
    def code(self) -> str | None: ...
    @property
    def column(self) -> str: ...
    @property
    def attributes(self) -> dict[str, str]: ...
    @property
    def title(self) -> str | None: ...


class FactNames(NamedTuple):
    """A row's or a column's names, as ``FactsStore.fact_names`` reads them (no cell values)."""

    name: str | None
    code: str | None
    column: str
    attributes: dict[str, str]
    title: str | None


@dataclass
class Terms:
    """The names of the rows, 项目名称, codes, columns and tables of some documents: what a question
    about those documents can name. One document's terms are built once; several are merged."""

    rows: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # cleaned row name → doc_ids
    attributes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # 项目名称 … → doc_ids
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    columns: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # leaf → full paths
    table_titles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # title variant → titles

    @classmethod
    def of_facts(cls, doc_id: str, facts: Iterable[NamedFact]) -> Terms:
        terms = cls()
        titles: set[str] = set()  # each table's title once, not once per cell
        for fact in facts:
            terms.add_fact_names(doc_id, fact.name, fact.code, fact.column, fact.attributes)
            if fact.title:
                titles.add(fact.title)
        for title in sorted(titles):
            terms.add_table_title(title)
        return terms

    @classmethod
    def stored(cls, source: NameSource, doc_ids: Collection[str], every: bool = False) -> Terms:
        """These documents' names from the facts store's name table (``qa.understand.wide``), each name's
        documents read when first asked for (``every``: they are all the ready documents, not listed)."""
        scope = frozenset(doc_ids)
        by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for kind, name, target in source.names(None if every else sorted(scope)):
            by_kind[kind][name].add(target)

        def holders(kind: str) -> Holders:
            return Holders(sorted(by_kind[kind]), lambda name: source.name_holders(kind, name) & scope)

        return cls(rows=holders("row"), attributes=holders("attribute"), codes=holders("code"),
                   columns=by_kind["column"], table_titles=by_kind["table"])  # fmt: skip

    @classmethod
    def merge(cls, parts: Iterable[Terms]) -> Terms:
        merged = cls()
        for part in parts:
            for mine, theirs in ((merged.rows, part.rows), (merged.attributes, part.attributes), (merged.codes, part.codes),
                                 (merged.columns, part.columns), (merged.table_titles, part.table_titles)):
                for key, values in theirs.items():
                    mine[key] |= values
        return merged

    def name_index(self) -> NameIndex:
        """Every name these terms hold, for scanning a question (built once per set of documents)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = NameIndex()
            kinds: tuple[tuple[dict[str, set[str]], TermKind], ...] = (
                (self.table_titles, "table"), (self.columns, "column"), (self.rows, "row"), (self.attributes, "attribute"))
            for names, kind in kinds:
                for name in names:
                    if name not in UNSCANNED.get(kind, ()):
                        index.add(name, kind, name)
            self.__dict__["_index"] = index
        return index

    def add_table_title(self, title: str) -> None:
        self.add_terms("", title_terms(title))

    def add_fact_names(self, doc_id: str, name: str | None, code: str | None, column: str, attributes: dict) -> None:
        self.add_terms(doc_id, fact_terms(name, code, column, attributes))

    def add_terms(self, doc_id: str, terms: Iterable[Term]) -> None:
        """Names (``index.core.terms``): a row's, 项目名称's or code's held by ``doc_id``, a column's or title's
        standing for its full text."""
        self.__dict__.pop("_index", None)
        for kind, name, target in terms:
            if kind == "column":
                self.columns[name].add(target)
            elif kind == "table":
                self.table_titles[name].add(target)
            else:
                {"row": self.rows, "attribute": self.attributes, "code": self.codes}[kind][name].add(doc_id)


TermLoader = Callable[[str], Iterable[NamedFact]]  # doc_id → its facts (form fields included) or their names


class Vocabulary:
    """Who published what (every document's identity, always loaded) and, per document, the names its
    tables use (``Terms``, loaded on first use). ``scoped(doc_ids)`` is the vocabulary a question about
    those documents is matched against: one document's odd rows ("6年") never reach another's questions.

        >>> vocab.scoped(vocab.departments["外办"]).rows["行政运行"]
        {'d-waiban'}
    """

    def __init__(self, loader: TermLoader | None = None, forms: TermLoader | None = None):
        self.documents: dict[str, DocumentRecord] = {}
        self.departments: dict[str, set[str]] = defaultdict(set)  # name → doc_ids
        self.regions: dict[str, set[str]] = defaultdict(set)
        self.years: dict[int, set[str]] = defaultdict(set)
        self._loader = loader  # a document's table facts (cheap: one query)
        self._forms = forms  # its form fields (中期资金总额; dearer: read from the document model)
        self._terms: Recent[tuple[str, bool], Terms] = Recent(TERMS_KEPT)  # (doc_id, with forms) → terms
        self._merged: dict[frozenset[str], Terms] = {}  # recent unions, bounded
        self._view: Terms | None = None  # set on a scoped vocabulary
        self._names: NameSource | None = None  # the store's name table: many documents' names without reading each
        self._wide: Recent[frozenset[str], Terms] = Recent(WIDE_KEPT)
        self._lock = threading.Lock()

    @classmethod
    def build(cls, store: FactsStore, loader: TermLoader | None = None, forms: TermLoader | None = None) -> Vocabulary:
        """Identity of every ready document now; each document's terms when a question first needs them."""
        vocab = cls(loader or (lambda doc_id: [FactNames(*names) for names in store.fact_names(doc_id)]), forms)
        vocab._names = store if loader is None else None  # the name table holds what the default loader reads
        for doc in store.documents():
            vocab.add_document(doc)
        return vocab

    # --- per-document terms -----------------------------------------------------------------

    def doc_terms(self, doc_id: str, forms: bool = True) -> Terms:
        """One document's names; with ``forms`` its form fields' too (read only for a few documents at once)."""
        forms = forms and self._forms is not None
        return self._terms.load((doc_id, forms), lambda: self._read_terms(doc_id, forms))

    def _read_terms(self, doc_id: str, forms: bool) -> Terms:
        known = doc_id in self.documents
        if forms:
            extra = Terms.of_facts(doc_id, self._forms(doc_id) if known and self._forms is not None else [])
            return Terms.merge([self.doc_terms(doc_id, forms=False), extra])
        return Terms.of_facts(doc_id, self._loader(doc_id) if self._loader is not None and known else [])

    def terms(self, doc_ids: Iterable[str] | None = None) -> Terms:
        """The union of these documents' terms (every document's when None), cached for the next question.

        A few documents (one publisher's) bring their form fields too; many (a question naming no
        publisher) only their tables' names, read from the store's name table when there is one, so such a
        question never reads every document's facts, nor any document model."""
        if doc_ids is None and self._view is not None:
            return self._view
        key = frozenset(self.documents if doc_ids is None else doc_ids)
        if len(key) > FORMS_SCOPE and self._names is not None:
            names = self._names
            return self._wide.load(key, lambda: Terms.stored(names, key, every=key == self.documents.keys()))
        found = self._merged.get(key)
        if found is None:
            forms = len(key) <= FORMS_SCOPE
            found = Terms.merge(self.doc_terms(d, forms) for d in sorted(key))
            with self._lock:
                if len(self._merged) >= MERGED_KEPT:
                    self._merged.pop(next(iter(self._merged)))
                self._merged[key] = found
        return found

    def scoped(self, doc_ids: Iterable[str]) -> Vocabulary:
        """This vocabulary with only these documents' terms (their identity is shared, not copied)."""
        view = Vocabulary.__new__(Vocabulary)
        view.__dict__.update(self.__dict__)
        view._view = self.terms(doc_ids)
        return view

    def add_fact_names(self, doc_id: str, name: str | None, code: str | None, column: str, attributes: dict) -> None:
        """Add one fact's names to its document's terms (tests and synthetic stores build vocabularies so)."""
        with self._lock:
            for forms in (False, True):
                self._terms.put((doc_id, forms), Terms()).add_fact_names(doc_id, name, code, column, attributes)
            self._merged.clear()
            self._wide.clear()
            self._names = None  # names added here are in no store's table

    @property
    def rows(self) -> dict[str, set[str]]:
        return self.terms().rows

    @property
    def attributes(self) -> dict[str, set[str]]:
        return self.terms().attributes

    @property
    def codes(self) -> dict[str, set[str]]:
        return self.terms().codes

    @property
    def columns(self) -> dict[str, set[str]]:
        return self.terms().columns

    @property
    def table_titles(self) -> dict[str, set[str]]:
        return self.terms().table_titles

    def fuzzy_name(self, chunk: str) -> tuple[str, str] | None:
        """A row or 项目名称 the chunk abbreviates (a few characters left out), the most specific one."""
        if len(chunk) < 4:
            return None
        found = []
        for kind, names in (("attribute", self.attributes), ("row", self.rows)):
            for name in names:
                if unqualified(name) == chunk and name != chunk:
                    found.append((0, kind, name))  # 事业收入 is 事业收入（不含事业单位预算外资金）
                    continue
                if len(name) < len(chunk):
                    continue
                ratio = len(chunk) / len(name)
                # A long name shortened is an abbreviation; a short one missing a character may be a slip, which
                # is offered as a reading (``qa.understand.nearmiss``), never bound here.
                if (chunk in name and (len(chunk) >= 6 or ratio >= 0.7)) or \
                        (len(chunk) >= 6 and ratio >= 0.75 and _subsequence(chunk, name)):
                    found.append((len(name), kind, name))
        if not found:
            return None
        _, kind, name = min(found)
        return kind, name

    # --- identity ----------------------------------------------------------------------------

    def identity_index(self) -> NameIndex:
        """Every publisher and region name, for finding who a question is about before anything else."""
        index = self.__dict__.get("_identity")
        if index is None:
            index = NameIndex([(n, "department", n) for n in self.departments] + [(n, "region", n) for n in self.regions])
            self.__dict__["_identity"] = index
        return index

    def add_document(self, doc: DocumentRecord) -> None:
        self.__dict__.pop("_identity", None)
        self.documents[doc.doc_id] = doc
        for key in publisher_keys(doc.department, doc.region, doc.short_name, tuple(doc.aliases)):
            self.departments[key].add(doc.doc_id)
        if doc.region:
            for form in region_forms(doc.region):
                self.regions[form].add(doc.doc_id)
        if doc.year:
            self.years[doc.year].add(doc.doc_id)

    def department_names(self) -> list[str]:
        return sorted(self.departments, key=len, reverse=True)

    def doc_years(self, doc_ids: set[str] | None = None) -> set[int]:
        return {d.year for i, d in self.documents.items() if d.year and (doc_ids is None or i in doc_ids)}


# Words no question means as a row or column name: the totals and the bare header words.
UNSCANNED = {"row": TOTAL_WORDS, "attribute": TOTAL_WORDS, "column": frozenset({"项目", "科目"})}
MERGED_KEPT = 256  # unions of terms kept for the next questions about the same documents
TERMS_KEPT = 1024  # documents whose own terms stay read (a wide question's many are merged, then mostly dropped)
FORMS_SCOPE = 24  # documents whose form fields are read with their tables' names (a publisher's, a city's few)
WIDE_KEPT = 8  # names of many documents (a year's, a region's, all) kept for the next question about them


@lru_cache(maxsize=1 << 14)  # a publisher's every year, every file: read once at start-up, not once a document
def publisher_keys(department: str | None, region: str | None, short_name: str | None, aliases: tuple[str, ...]) -> frozenset[str]:
    """Every name a question may call this publisher by (``derive_aliases``), as written in a compacted question."""
    names = {*aliases, department or "", short_name or "", *derive_aliases(department, region, short_name)}
    return frozenset(key for name in names if len(key := compact(name)) >= 2)


@lru_cache(maxsize=1 << 12)  # few regions, many documents
def region_forms(region: str) -> frozenset[str]:
    """How people name a region: 北京市西城区 → 北京市西城区, 西城区, 西城, 北京市, 北京."""
    region = compact(region)
    local = re.sub(r"^(北京市|上海市|天津市|重庆市|[\u4e00-\u9fff]{2,3}省)", "", region)
    city = re.match(r"^(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,3}?)市", region)
    forms = {region, local, local.rstrip("区县") if len(local) > 2 else local}
    if city:
        forms |= {city.group(0), city.group(1)}  # 北京市审计局 is 北京审计局 too
    return frozenset(f for f in forms if len(f) >= 2)


@lru_cache(maxsize=1 << 16)  # pure and called per fact per question
def unqualified(name: str) -> str:
    """A name without its bracketed qualifier: 事业收入（不含事业单位预算外资金） → 事业收入."""
    return re.sub(r"[（(][^）)]*[）)]$", "", name)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)
