"""Deterministic fact lookup: the cell or stated figure a question item refers to, with its source.

All facts are loaded once per engine (a few thousand rows per document) and matched in memory.
Tables are preferred by how specific they are to the question (三公经费 → the 三公 table; a 科目 →
the 支出总表); every other table that carries the same figure is kept for the consistency check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from index.core.lexicon import TOTAL_COLUMNS
from index.core.text import compact
from index.store.facts import FactsStore, StoredFact, StoredNarrativeFact
from qa.figures.figure import Candidate, Figure, table_figure
from qa.figures.query import FigureQuery
from qa.figures.reading import FORM_ROW_BASE, Reading, form_facts, text_facts
from qa.figures.stated import StatedFigures
from qa.understand.concepts import Concept
from qa.understand.model import ItemRef
from qa.understand.vocabulary import YEAR_PREFIX, clean_name, column_leaf, unqualified

TableKey = tuple[str, int]  # (doc_id, table_index)
Rows = dict[int, list[StoredFact]]  # row_index → the row's cells
# Which table a 科目/经济分类 row is best read from, unless the question points elsewhere.
TITLE_PREFERENCE = [
    (re.compile(r"支出(预算)?总表|支出总体"), 3.0),
    (re.compile(r"一般公共预算支出|支出功能分类"), 2.5),
    (re.compile(r"基本支出"), 2.0),
    (re.compile(r"收入(预算)?总表|收入总体"), 1.5),
    (re.compile(r"收支"), 1.0),
]
QUESTION_TABLE_HINTS = [
    (re.compile(r"收入"), re.compile(r"收入(预算)?总表|收入总体")),
    (re.compile(r"财政拨款"), re.compile(r"财政拨款")),
    (re.compile(r"经济分类|人员经费|公用经费|基本支出表"), re.compile(r"基本支出")),
    (re.compile(r"一般公共预算"), re.compile(r"一般公共预算")),
]


class FactIndex:
    """Every table fact of the ready documents, grouped for matching; ``stated`` holds the stated figures."""

    def __init__(self, store: FactsStore):
        self.rows: dict[TableKey, Rows] = defaultdict(lambda: defaultdict(list))
        self.titles: dict[TableKey, str] = {}
        self.labels: dict[TableKey, str] = {}
        readings: dict[str, Reading] = {}
        table_text: dict[str, list[StoredNarrativeFact]] = defaultdict(list)  # sentences in form tables
        self.form_facts: list[StoredFact] = []
        for record in store.documents():
            document = store.document_model(record.doc_id)
            readings[record.doc_id] = Reading(document)
            self.form_facts += form_facts(record.doc_id, record.file_name, document)
            table_text[record.doc_id] = text_facts(record.doc_id, record.file_name, document)
        for fact in [*store.facts(), *self.form_facts]:
            key = (fact.doc_id, fact.table_index)
            self.rows[key][fact.row_index].append(fact)
            self.titles[key] = compact(fact.title or fact.label or "")
            self.labels[key] = compact(fact.label or "")
        narrative: dict[str, list[StoredNarrativeFact]] = defaultdict(list)
        for n in store.narrative_facts():
            reading = readings.get(n.doc_id)
            page = reading.page_of(n) if reading else n.page
            narrative[n.doc_id].append(n if page == n.page else n.model_copy(update={"page": page, "bbox": None}))
        self.stated = StatedFigures(narrative, table_text, readings)

    def tables(self, doc_ids: list[str], refs: Sequence[str] = ()) -> list[tuple[TableKey, Rows]]:
        """Tables of these documents; with ``refs`` (表2, 收入总表 …) only the tables they name."""
        wanted = set(doc_ids)
        out = [(key, rows) for key, rows in self.rows.items() if key[0] in wanted]
        if refs:
            out = [(key, rows) for key, rows in out if any(r == self.labels[key] or r in self.titles[key] for r in refs)]
        return out

    # --- table figures -----------------------------------------------------------------------

    def table_candidates(self, doc_ids: list[str], query: FigureQuery, doc_year: int | None) -> list[Candidate]:
        """Cells that may be the figure asked, the table most specific to the question first."""
        item, column, column_year, context = query.item, query.column, query.year, query.context
        concept = query.concept
        out: list[Candidate] = []
        if item is not None and item.kind == "term":
            return out  # a name no table row carries
        for key, rows in self.tables(doc_ids, query.tables):
            title = self.titles[key]
            if query.title_hint and query.title_hint not in title:
                continue
            if concept is not None:
                out += self._concept_in_table(concept, title, rows, column, column_year, doc_year)
                continue
            matched = [facts for facts in rows.values() if item is None and _is_total_row(facts)] if item is None \
                else [facts for facts in rows.values() if _row_matches(item, facts[0]) and _in_context(facts[0], context)]
            if item is None:
                matched = matched[:1]
            chosen = [(facts, f) for facts in matched
                      if (f := _choose_column(facts, column, column_year, doc_year)) is not None]
            if not chosen:
                continue
            score = _title_score(title, query.question) + (0.5 if column and column not in TOTAL_COLUMNS else 0)
            if item is not None and item.kind == "attribute":
                score -= 0.5
            values = {f.value for _, f in chosen}
            if len(values) == 1:
                # Same figure at several levels (20699 / 2069999): cite the broadest row.
                best = min(chosen, key=lambda c: (len(c[1].code or ""), c[1].row_index))[1]
                out.append(Candidate(table_figure(best), score))
            else:
                codes = {f.code for _, f in chosen}
                if len(codes) > 1 and item is not None and item.kind in ("row", "code") and any(
                    a.startswith(b) for a in codes for b in codes if a and b and a != b
                ):
                    best = min(chosen, key=lambda c: (len(c[1].code or ""), c[1].row_index))[1]
                    out.append(Candidate(table_figure(best), score))
                    continue
                # Detail rows (部门预算明细表): the item is the sum of its rows.
                parts = [table_figure(f) for _, f in chosen]
                total = sum((p.value for p in parts), Decimal(0))
                first = chosen[0][1]
                fig = table_figure(first, parts)
                fig.value = total
                fig.row = item.text if item else fig.row
                fig.quote = "；".join(p.quote for p in parts[:6]) + ("…" if len(parts) > 6 else "")
                out.append(Candidate(fig, score - 2.0))
        projects = {c.figure.table_index for c in out if _is_form(c.figure)}
        if context is None and not query.tables and len(projects) > 1:
            out = [c for c in out if not _is_form(c.figure)]  # 中期资金总额 of which project?
        out.sort(key=lambda c: -c.score)
        return out

    def _concept_in_table(self, concept: Concept, title: str, rows: Rows, column: str | None, column_year: int | None,
                          doc_year: int | None) -> list[Candidate]:
        out: list[Candidate] = []
        for rank, (title_re, item_re) in enumerate(concept.tables):
            if not re.search(title_re, title):
                continue
            score = 10.0 - rank
            ordered = [rows[i] for i in sorted(rows)]
            if item_re is None:
                totals = [facts for facts in ordered if _is_total_row(facts)]
                for facts in totals[:1]:
                    f = _choose_column(facts, column, column_year, doc_year)
                    if f is not None:
                        out.append(Candidate(table_figure(f), score))
                continue
            pattern = re.compile(item_re)
            for facts in ordered:
                if pattern.search(clean_name(facts[0].name)):
                    f = _choose_column(facts, column, column_year, doc_year)
                    if f is not None:
                        out.append(Candidate(table_figure(f), score))
                        break
            else:
                # Single-row tables carry measures as columns (预算09表: 因公出国（境）费用, 公务接待费 …).
                for facts in ordered:
                    if not _row_year_ok(facts, column_year, doc_year):
                        continue
                    cols = [f for f in facts if any(pattern.search(part) for part in [compact(f.column), *compact(f.column).split("/")])
                            and (_row_year(facts) or _year_ok(f.column, column_year, doc_year))]
                    if cols:
                        out.append(Candidate(table_figure(cols[0]), score - 0.1))
                        break
            if out:
                break
        return out

    # --- the whole a cell belongs to ----------------------------------------------------------

    def sibling(self, figure: Figure, year: int | None) -> Figure | None:
        """The whole a table cell is part of: its row's total column, or else its table's total row."""
        rows = self.rows.get((figure.doc_id, figure.table_index)) if figure.table_index is not None else None
        if not rows or figure.row_index is None:
            return None
        own = rows[figure.row_index]
        total_col = _choose_column(own, None, None, year)
        if total_col is not None and total_col.column != figure.column:
            return table_figure(total_col)
        for i in sorted(rows):
            if i != figure.row_index and _is_total_row(rows[i]):
                same = [f for f in rows[i] if f.column == figure.column]
                if same:
                    return table_figure(same[0])
        return None


def _row_matches(item: ItemRef, fact: StoredFact) -> bool:
    if item.kind == "code":
        return fact.code == item.name  # the reader's final code, also one printed inside the name
    name = clean_name(fact.name)
    if name == item.name or YEAR_PREFIX.sub("", name) == item.name or (item.kind == "row" and unqualified(name) == item.name):
        return True
    for key, value in (fact.attributes or {}).items():
        cleaned = clean_name(value)
        if cleaned == item.name or YEAR_PREFIX.sub("", cleaned) == item.name:
            return "名称" in key
    return False


def _is_form(figure: Figure) -> bool:
    return (figure.row_index or 0) >= FORM_ROW_BASE


def _in_context(fact: StoredFact, context: str | None) -> bool:
    """A form field belongs to the project the question names (外事工作经费的中期资金总额)."""
    if context is None or fact.row_index < FORM_ROW_BASE:
        return True
    project = compact((fact.attributes or {}).get("项目名称"))
    return bool(project) and (context in project or project in context)


def _is_total_row(facts: list[StoredFact]) -> bool:
    return any(f.is_total for f in facts)  # marked by the reader (合计, 一、合计, 其中：小计, a nameless row)


def _year_ok(column: str, column_year: int | None, doc_year: int | None) -> bool:
    years = {int(y) for y in re.findall(r"(20\d\d)年", column)}
    if column_year:
        return column_year in years
    return not years or (doc_year in years if doc_year else True)


def _row_year(facts: list[StoredFact]) -> set[int]:
    """The year a row is dated by a 年度 cell (深圳 表9: a 2025年 row and a 2026年 row)."""
    return {int(y) for v in (facts[0].attributes or {}).values() for y in re.findall(r"^(20\d\d)年?度?$", compact(v))}


def _row_year_ok(facts: list[StoredFact], column_year: int | None, doc_year: int | None) -> bool:
    years, wanted = _row_year(facts), column_year or doc_year
    return not years or not wanted or wanted in years


def _choose_column(facts: list[StoredFact], column: str | None, column_year: int | None,
                   doc_year: int | None) -> StoredFact | None:
    if not _row_year_ok(facts, column_year, doc_year):
        return None
    ordered = sorted(facts, key=lambda f: f.col_index)
    if not _row_year(facts):  # a dated row's columns carry no year
        ordered = [f for f in ordered if _year_ok(f.column, column_year, doc_year)]
    if column and column not in TOTAL_COLUMNS:
        exact = [f for f in ordered if column_leaf(f.column) == column]
        loose = [f for f in ordered if column in compact(f.column)]
        found = exact or loose
        return found[0] if found else None
    return ordered[0] if ordered else None


def _title_score(title: str, question: str) -> float:
    score = 0.0
    for pattern, value in TITLE_PREFERENCE:
        if pattern.search(title):
            score = max(score, value)
    q = compact(question)
    for q_pattern, t_pattern in QUESTION_TABLE_HINTS:
        if q_pattern.search(q) and t_pattern.search(title):
            score += 2.0
    if "明细" in title:
        score -= 0.5
    return score
