"""Known errors, planted one at a time into copies of stored disclosures (the document model and the
narrative facts the audit reads), so that each class of check is measured: found, and nothing else.

A plant changes printed figures *consistently* — text and value together, and the figures the changed
one feeds in its own table (its parent 科目, the 合计 column) — so that the class it stands for finds it;
a finding of another class counts only if it cites a changed figure. ``planted(unit)`` yields every plant of every class the unit allows;
``score(unit)`` runs each and counts, per class, the plants found and the findings that touch nothing
planted.

    (a) a 项 and its parents in one table +1%: 表3「行政运行」(2010301) 合计 3,592,481.40 ≠ 表2、表5、表7 …
    (b) a parent 科目 +1%: 表3「政府办公厅（室）及相关机构事务」(20103) 合计 … ≠ 下级科目之和 …
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from index.core.model import Document, Table
from index.core.numbers import format_amount
from index.core.text import compact
from index.store.facts import DocumentRecord, FactsStore, StoredNarrativeFact
from qa.audit import Disclosure, Finding, Location, audit_disclosure
from qa.audit.model import TableView
from qa.audit.reading.measures import measure_values, scope_of
from qa.audit.rules.cross import canonical_scopes
from qa.audit.rules.names import normalised
from qa.audit.rules.sums import column_components
from qa.audit.run import audit_units, document_views
from tests.audit.planting_text import narrative_plants, performance_plants, year_plants

CLASSES = {
    "a": ("同一数字多处一致", {"cross_table", "narrative_table"}),
    "b": ("小计等于下级之和", {"hierarchy", "total_row", "row_sum"}),
    "c": ("收支平衡", {"balance"}),
    "d": ("正文增减、增长率、占比", {"narrative_arithmetic", "narrative_share"}),
    "e": ("绩效目标表与预算表", {"performance_target"}),
    "f": ("比较年份与文档年份", {"narrative_year", "table_year"}),
    "g": ("科目名称与编码", {"code_name", "narrative_name"}),
}


@dataclass
class Unit:
    """Documents audited together, as stored: what a plant copies and changes."""

    records: list[DocumentRecord]
    documents: dict[str, Document]
    facts: list[StoredNarrativeFact]

    def copy(self, document: str | None = None, table: int | None = None) -> Unit:
        """A copy to change: every fact, and the one table (or document) named; the rest is shared."""
        documents = dict(self.documents)
        for name in [document] if document else list(documents):
            if table is None:
                documents[name] = documents[name].model_copy(deep=True)
            else:
                tables = list(documents[name].tables)
                tables[table] = tables[table].model_copy(deep=True)
                documents[name] = documents[name].model_copy(update={"tables": tables})
        return Unit(self.records, documents, [f.model_copy() for f in self.facts])

    def disclosure(self) -> Disclosure:
        views = [v for r in self.records for v in document_views(self.documents[r.file_name], r)]
        return Disclosure(self.records, views, self.facts, self.documents)


@dataclass
class Plant:
    cls: str
    what: str  # one line: where and what was changed
    unit: Unit  # the changed copy
    touched: set[tuple[str, str | None, str | None]] = field(default_factory=set)  # (document, table, row)

    def involves(self, finding: Finding) -> bool:
        return any(touches(loc, t) for loc in finding.locations for t in self.touched)


def touches(loc: Location, touched: tuple[str, str | None, str | None]) -> bool:
    document, table, row = touched
    if loc.document != document or (table is not None and loc.table != table):
        return False
    return row is None or (loc.row or "").startswith(row)


def load(store: FactsStore) -> list[Unit]:
    records = store.documents()
    return [
        Unit(unit, {r.file_name: store.document_model(r.doc_id) for r in unit},
             store.narrative_facts([r.doc_id for r in unit]))
        for unit in audit_units(records, {r.doc_id for r in records})
    ]


# --- changing a table figure consistently ----------------------------------------------------------

def bump(table: Table, r: int, j: int, delta: Decimal) -> None:
    cell = table.rows[r].cells[j]
    assert cell.value is not None
    places = max(0, -int(cell.value.as_tuple().exponent))
    cell.value = cell.value + delta
    cell.text = format_amount(cell.value, places)


def delta_for(value: Decimal) -> Decimal:
    """1% of the figure, at least one unit of its last printed decimal, printed at its precision."""
    places = max(0, -int(value.as_tuple().exponent))
    step = Decimal(1).scaleb(-places)
    return max((abs(value) / 100).quantize(step), step * 10)


def feeding(view: TableView, r: int) -> list[int]:
    """The rows a figure of row ``r`` feeds in its table: its parent codes (not the grand total: a figure
    printed wrong in one table leaves that table's total as the other tables print it)."""
    code = view.rows[r].code
    rows = []
    for parent in ([code[:5], code[:3]] if code and len(code) == 7 else [code[:3]] if code and len(code) == 5 else []):
        same = [rv.index for rv in view.rows if rv.code == parent]
        if len(same) > 1:
            return []  # a 明细表 repeats codes: which row a sum lands in is not known
        rows += same
    return rows


def partner(view: TableView, r: int, j: int) -> int | None:
    """A column that must move with column ``j`` for its row to add up (-1: none; None: no single one)."""
    components = column_components(view, j)
    if components:  # a total column: one of its parts moves with it
        return next((g[0] for _, g in components if len(g) == 1 and (f := view.figure(view.rows[r], g[0])) and f.value),
                    None)
    for k in view.numeric:  # a part: its total column moves with it
        if (c := column_components(view, k)) and any(j in group for _, group in c):
            return k if any(group == [j] for _, group in c) else None
    return -1


def shift(view: TableView, rows: list[int], columns: list[int], delta: Decimal) -> set[str]:
    labels = set()
    for r in rows:
        for j in columns:
            if view.figure(view.rows[r], j) is not None:
                bump(view.table, r, j, delta)
        labels.add(view.rows[r].label)
        if project := view.rows[r].row.attributes.get("项目名称"):
            labels.add(compact(project))  # a project's figure is cited by its name
    return labels


def table_plant(unit: Unit, cls: str, pick: Callable[[TableView], Iterator[tuple[int, int, bool]]]) -> Iterator[Plant]:
    """Plants at the cells ``pick`` chooses: (row, column, whether its parents and totals move with it)."""
    for view in unit.disclosure().views:
        for r, j, consistent in pick(view):
            copy = unit.copy(view.document, view.index)
            target = next(v for v in copy.disclosure().views if v.document == view.document and v.index == view.index)
            figure = target.figure(target.rows[r], j)
            mate = partner(target, r, j)
            if figure is None or mate is None:
                continue
            delta = delta_for(figure.value)
            rows = [r] + (feeding(target, r) if consistent else [])
            labels = shift(target, rows, [j] + ([mate] if mate >= 0 else []), delta)
            what = f"{view.document} {view.label}「{target.rows[r].label}」{target.table.columns[j]} +{delta}"
            yield Plant(cls, what, copy, {(view.document, view.label, label) for label in labels})


def cross_cells(view: TableView, printed_elsewhere: set[tuple[str, int, str]]) -> Iterator[tuple[int, int, bool]]:
    """(a): each 项 of a budget table that another table of its scope prints too, in its first amount
    column, with its parents and totals (a figure printed once has nothing to disagree with)."""
    if scope_of(view) is None or view.grouped or sum(1 for rv in view.rows if rv.is_total) > 1:
        return
    for rv in view.rows:
        if rv.code and len(rv.code) == 7 and (view.document, view.index, rv.code) in printed_elsewhere \
                and view.figure(rv, view.numeric[0]):
            yield rv.index, view.numeric[0], True


def shared_codes(unit: Unit) -> set[tuple[str, int, str]]:
    """(table, code) where another table of the same money (``cross.canonical_scopes``) prints the code's total."""
    views = unit.disclosure().views
    tables = [(v, s, measure_values(v)) for v in views if (s := scope_of(v))]
    scopes = canonical_scopes(tables)
    holders: dict[tuple[str, str], set[int]] = {}
    for view, scope, values in tables:
        for code, measure in values:
            if measure == "total":
                holders.setdefault((scopes[scope], code), set()).add(view.index)
    return {(view.document, view.index, code) for view, scope, values in tables for code, measure in values
            if measure == "total" and len(holders[(scopes[scope], code)]) > 1}


def subtotal_cells(view: TableView) -> Iterator[tuple[int, int, bool]]:
    """(b): each parent 科目 or marked outline row, each total row over printed parts, alone."""
    if view.grouped or view.continued:
        return
    j = view.numeric[0]
    codes = {rv.code for rv in view.rows if rv.code}
    parts = sum(1 for rv in view.rows if not rv.is_total and view.figure(rv, j) is not None)
    for rv in view.rows:
        parent = rv.code and any(c != rv.code and c.startswith(rv.code) for c in codes)
        marked = not view.coded and re.match(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]", rv.name)
        total = rv.is_total and parts >= 2  # a one-row 三公 table, rows per year: no parts to add up
        if (parent or marked or total) and (f := view.figure(rv, j)) and f.value:
            yield rv.index, j, False


def balance_cells(view: TableView) -> Iterator[tuple[int, int, bool]]:
    """(c): the 收入总计 of a 收支总表."""
    if view.is_summary:
        for rv in view.rows:
            if rv.is_total and "总计" in rv.name and "收入" in rv.name and view.figure(rv, view.numeric[0]):
                yield rv.index, view.numeric[0], False


def name_plants(unit: Unit) -> Iterator[Plant]:
    """(g): one 科目 renamed in one table ("行政运行" → "另列行运政行"), of the codes printed in two tables or more
    (a code printed once carries one name however it is spelled)."""
    views = [v for v in unit.disclosure().views if scope_of(v) is not None]
    tables_of: dict[str, set[int]] = {}
    for view in views:
        for rv in view.rows:
            if rv.code:
                tables_of.setdefault(rv.code, set()).add(id(view))
    for view in views:
        for rv in view.rows:
            if not (rv.code and rv.name and len(rv.name) >= 4 and len(tables_of[rv.code]) >= 2):
                continue
            renamed = "另列" + rv.name[::-1]
            if normalised(renamed) in normalised(rv.name) or normalised(rv.name) in normalised(renamed):
                continue
            copy = unit.copy(view.document, view.index)
            row = copy.documents[view.document].tables[view.index].rows[rv.index]
            row.name = renamed
            label = f"{rv.code} {row.name}"
            yield Plant("g", f"{view.document} {view.label}「{rv.label}」→「{row.name}」", copy,
                        {(view.document, view.label, label)})


def planted(unit: Unit) -> Iterator[Plant]:
    elsewhere = shared_codes(unit)
    yield from table_plant(unit, "a", lambda view: cross_cells(view, elsewhere))
    yield from narrative_plants(unit, Plant)
    yield from table_plant(unit, "b", subtotal_cells)
    yield from table_plant(unit, "c", balance_cells)
    yield from performance_plants(unit, Plant)
    yield from year_plants(unit, Plant)
    yield from name_plants(unit)


def spread(plants: Iterator[Plant], per_class: int) -> list[Plant]:
    """At most ``per_class`` plants of each class, taken evenly from first to last."""
    by_class: dict[str, list[Plant]] = {}
    for plant in plants:
        by_class.setdefault(plant.cls, []).append(plant)
    chosen = []
    for group in by_class.values():
        every = max(1, -(-len(group) // per_class))
        chosen += group[::every]
    return chosen


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    false: int = 0  # findings of a planted copy that touch nothing planted
    missed: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)


def keys(finding: Finding) -> set[tuple]:
    """A finding as its rule, figures and each place it cites: the same discrepancy, however its tables are merged."""
    return {(finding.kind, tuple(finding.figures), loc.document, loc.table, loc.row) for loc in finding.locations}


def score(units: list[Unit], per_class: int = 40) -> dict[str, Score]:
    """Plants of each class (at most ``per_class`` per unit, spread evenly), found or not, and stray findings."""
    scores = {cls: Score() for cls in CLASSES}
    for unit in units:
        baseline = set().union(*(keys(f) for f in audit_disclosure(unit.disclosure())))
        for plant in spread(planted(unit), per_class):
            found = audit_disclosure(plant.unit.disclosure())
            new = [f for f in found if not keys(f) & baseline or not any(k[0] == f.kind for k in baseline & keys(f))]
            s = scores[plant.cls]
            s.planted += 1
            if any(f.kind in CLASSES[plant.cls][1] and plant.involves(f) for f in new):
                s.found += 1
            else:
                s.missed.append(plant.what)
            stray = [f for f in new if not plant.involves(f)]
            s.false += len(stray)
            s.stray += [f"{plant.what} → [{f.kind}] {f.message}" for f in stray]
    return scores
