"""One document's figures, loaded when a question first needs them and kept in a bounded cache.

A question is scoped to a few documents before anything is matched (``qa.understand.scope``), so the
engine never needs every document's facts at once: start-up reads only the documents table, and the
cost of a question depends on the documents it is about, not on how many are indexed.

    >>> documents = DocumentCache(store, size=64)
    >>> documents("d-waiban").rows[8][3][0].name          # table 8, row 3, first cell
    '公务接待费'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from index.core.model import Document
from index.core.recent import Recent
from index.core.text import compact
from index.store.facts import FactsStore, StoredFact, StoredNarrativeFact
from qa.figures.counted import ListedTable, listed_tables
from qa.figures.reading import Reading, StoredTarget, form_facts, indicator_facts, text_facts

Rows = dict[int, list[StoredFact]]  # row_index → the row's cells
MODELS_KEPT = 16  # document models read for their form fields, kept for the load that may follow


@dataclass
class DocumentFacts:
    """Every table fact (form fields included), stated figure and passage of one document."""

    doc_id: str
    kind: str | None = None  # 部门预算, 部门决算 …: a 决算's own figure is its 决算数 column
    rows: dict[int, Rows] = field(default_factory=dict)  # table_index → rows
    titles: dict[int, str] = field(default_factory=dict)  # table_index → compacted title (or label)
    labels: dict[int, str] = field(default_factory=dict)  # table_index → compacted label (表2)
    form_facts: list[StoredFact] = field(default_factory=list)  # "中期资金总额：| 420" read as cells
    narrative: list[StoredNarrativeFact] = field(default_factory=list)
    table_text: list[StoredNarrativeFact] = field(default_factory=list)  # sentences inside form tables
    indicators: list[StoredTarget] = field(default_factory=list)  # 绩效目标表 targets (每期印刷数量 = 900 册)
    reading: Reading | None = None
    file_name: str = ""
    lists: dict[int, ListedTable] = field(default_factory=dict)  # flat tables' body rows (几个会议: counted)
    # Tables the reader found misread (``Table.misread``): why, and their rows, kept out of ``rows`` so no
    # answer takes a figure from them, and kept here so a refusal can say which table it passed over.
    misread: dict[int, str] = field(default_factory=dict)
    withheld: dict[int, Rows] = field(default_factory=dict)
    # table_index → row_index → the row it is printed as a part of ("其中：" lines; a form's 市级支出 beside 当年预算)
    parents: dict[int, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: FactsStore, doc_id: str, document: Document | None = None) -> DocumentFacts:
        """``document``: its model when already read."""
        record = store.get(doc_id)
        if record is None:
            return cls(doc_id)
        document = document or store.document_model(doc_id)
        reading = Reading(document)
        loaded = cls(doc_id, kind=record.kind, reading=reading, file_name=record.file_name, lists=listed_tables(document),
                     form_facts=form_facts(doc_id, record.file_name, document),
                     table_text=text_facts(doc_id, record.file_name, document),
                     indicators=indicator_facts(doc_id, record.file_name, document),
                     misread={t: why for (_, t), why in store.misread_tables([doc_id]).items()},
                     parents={t: {r: row.parent_row for r, row in enumerate(table.rows) if row.parent_row is not None}
                              for t, table in enumerate(document.tables)})
        loaded._add_rows([*store.facts([doc_id]), *loaded.form_facts])
        for n in store.narrative_facts([doc_id]):
            # A paragraph that runs over a page break is stored on its first page: cite the page that prints it.
            page = reading.page_of(n)
            loaded.narrative.append(n if page == n.page else n.model_copy(update={"page": page, "bbox": None}))
        return loaded

    @classmethod
    def partial(cls, doc_id: str, kind: str | None, facts: Iterable[StoredFact], misread: dict[int, str]) -> DocumentFacts:
        """Some of a document's tables, read by SQL without its document model (no form fields, no reading order):
        what a comparison across many documents reads of each. Its stated figures are not held here: they are
        read through ``StatedFigures`` (``qa.figures.narrow.StatedBySql``), as every reader of them does."""
        loaded = cls(doc_id, kind=kind, misread=misread)
        loaded._add_rows(facts)
        return loaded

    def _add_rows(self, facts: Iterable[StoredFact]) -> None:
        rows: dict[int, Rows] = defaultdict(lambda: defaultdict(list))
        for fact in facts:
            rows[fact.table_index][fact.row_index].append(fact)
            self.titles[fact.table_index] = compact(fact.title or fact.label or "")
            self.labels[fact.table_index] = compact(fact.label or "")
        self.rows = {t: dict(r) for t, r in rows.items() if t not in self.misread}
        self.withheld = {t: dict(r) for t, r in rows.items() if t in self.misread}

    def facts(self) -> list[StoredFact]:
        return [f for rows in self.rows.values() for cells in rows.values() for f in cells]


class DocumentCache:
    """``cache(doc_id)`` → that document's facts, loaded once while it stays among the recent ones."""

    def __init__(self, store: FactsStore, size: int):
        self.store = store
        self._loaded: Recent[str, DocumentFacts] = Recent(size)
        self._models: Recent[str, Document] = Recent(MODELS_KEPT)  # read for form fields, not yet loaded

    def __call__(self, doc_id: str) -> DocumentFacts:
        return self._loaded.load(doc_id, lambda: DocumentFacts.load(self.store, doc_id, self._models.pop(doc_id)))

    def __len__(self) -> int:
        return len(self._loaded)

    def form_facts(self, doc_id: str) -> list[StoredFact]:
        """A document's form fields (中期资金总额): from its cached facts, else read from its model alone, which
        costs a quarter of loading it (the vocabulary of a department names every year's; one is answered)."""
        found = self._loaded.get(doc_id)
        if found is not None:
            return found.form_facts
        record = self.store.get(doc_id)
        if record is None:
            return []
        model = self.store.document_model(doc_id)
        self._models.put(doc_id, model)  # kept a while: the question is likely answered from one of them next
        return form_facts(doc_id, record.file_name, model)
