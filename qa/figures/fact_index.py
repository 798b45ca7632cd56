"""Deterministic fact lookup: the cell or stated figure a question item refers to, with its source.

Only the documents a question is scoped to are read (``qa.figures.documents``, a few thousand rows
each, cached) and matched in memory.
Tables are preferred by how specific they are to the question (三公经费 → the 三公 table; a 科目 →
the 支出总表); every other table that carries the same figure is kept for the consistency check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from index.core.lexicon import TOTAL_COLUMNS
from index.core.terms import ATTRIBUTE_KEYS, YEAR_PREFIX, clean_name, column_leaf
from index.core.text import compact
from index.store.facts import FactsStore, StoredFact
from qa.figures.documents import DocumentCache, DocumentFacts, Rows
from qa.figures.figure import Candidate, Figure, table_figure
from qa.figures.query import FigureQuery
from qa.figures.reading import FORM_ROW_BASE
from qa.figures.stated import StatedFigures
from qa.understand.concepts import Concept
from qa.understand.model import ItemRef
from qa.understand.vocabulary import unqualified

TableKey = tuple[str, int]  # (doc_id, table_index)
# Columns that are not this year's whole amount of a row: last year's (not 上年结转, this year's carry-over) and counts.
PREVIOUS_YEAR_COLUMN = re.compile(r"(上年|去年|上一年|前一年)(?!结转|结余)")
COUNT_COLUMN = re.compile(r"人数|人次|天数|次数|个数|数量|辆数|台数")
SIDES = ("收入", "支出")  # the two sides of a 收支总表, as its column paths begin
SIDE_TOTAL_WORDS = ("合计", "总计")
YEAR_IN_COLUMN = re.compile(r"20\d\d年")
FINAL_COLUMNS = ("决算数", "决算")
WHOLE_COLUMN = re.compile(r"(合计|总计|小计)$|^(金额|预算数|预算金额|本年预算|年初预算数?)$")
# Which table a 科目/经济分类 row is best read from, unless the question points elsewhere.
TITLE_PREFERENCE = [
    (re.compile(r"支出(预算)?总表|支出总体|^支出决算表$"), 3.0),  # 支出决算表: a 决算's 支出总表
    (re.compile(r"一般公共预算支出|支出功能分类|功能科目"), 2.5),  # 财政拨款支出表（功能科目）
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
    """The table facts and stated figures of the documents a question is about, loaded per document
    on first use (``qa.figures.documents``); ``stated`` reads the stated figures of the same cache."""

    def __init__(self, store: FactsStore, cache_size: int = 64):
        self.store = store
        self.documents = DocumentCache(store, cache_size)
        self.doc: Callable[[str], DocumentFacts] = self.documents
        self.stated = StatedFigures(self.doc)

    def tables(self, doc_ids: list[str], refs: Sequence[str] = (), withheld: bool = False) -> list[tuple[TableKey, Rows]]:
        """Tables of these documents; with ``refs`` (表2, 收入总表 …) only the tables they name; ``withheld``: the
        misread tables instead, which answers never read (``DocumentFacts.withheld``)."""
        out = []
        for doc_id in dict.fromkeys(doc_ids):
            loaded = self.doc(doc_id)
            for t, rows in (loaded.withheld if withheld else loaded.rows).items():
                if refs and not any(names_table(r, loaded.labels[t], loaded.titles[t]) for r in refs):
                    continue
                out.append(((doc_id, t), rows))
        return out

    def title(self, key: TableKey) -> str:
        return self.doc(key[0]).titles.get(key[1], "")

    # --- table figures -----------------------------------------------------------------------

    def table_candidates(self, doc_ids: list[str], query: FigureQuery, doc_year: int | None,
                         withheld: bool = False) -> list[Candidate]:
        """Cells that may be the figure asked, the table most specific to the question first; ``withheld``: those
        of the misread tables, only to say why none was answered."""
        item, column, column_year, context = query.item, query.column, query.year, query.context
        concept = query.concept
        out: list[Candidate] = []
        if item is not None and item.kind == "term":
            return out  # a name no table row carries
        for key, rows in self.tables(doc_ids, query.tables, withheld):
            title = self.title(key)
            final = "决算" in (self.doc(key[0]).kind or "")
            if query.title_hint and query.title_hint not in title:
                continue
            if concept is not None:
                # 2200107自然资源社会公益服务的政府采购: the row's line of the table whose total is the measure.
                within = query.context_item if context and query.context_item and query.context_item.kind in ("row", "code") else None
                written = compact(item.text) if item is not None and item.kind == "concept" else ""
                out += self._concept_in_table(concept, title, rows, column, column_year, doc_year, query.money, final,
                                              within, written)
                continue
            matched = [facts for facts in rows.values() if item is None and _is_total_row(facts)] if item is None \
                else [facts for facts in rows.values() if _row_matches(item, facts[0]) and _in_context(facts[0], context, rows)]
            if item is not None and item.kind == "row" and len(matched) > 1:
                # 资本性支出 printed beside 资本性支出（基本建设）: the row of that very name, not the two added up.
                matched = [facts for facts in matched if _named(item, facts[0])] or matched
            if item is not None and not matched and item.kind in ("row", "concept"):
                matched = [cells for name, cells in _side_totals(rows).items() if name == item.name][:1]
            if item is None:
                matched = matched[:1]
            chosen = [(facts, f) for facts in matched
                      if (f := _choose_column(facts, column, column_year, doc_year, query.money, final,
                                              named_row=item is not None)) is not None]
            if not chosen:
                continue
            score = _title_score(title, query.question) + (0.5 if column and column not in TOTAL_COLUMNS else 0)
            if item is not None and item.kind == "attribute":
                score -= 0.5
            if any(f.row_index >= FORM_ROW_BASE for _, f in chosen):
                score -= 1.0  # a form's field is the last resort: its unit header may not be its figures' unit
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
                          doc_year: int | None, money: bool = False, final: bool = False,
                          within: ItemRef | None = None, written: str = "") -> list[Candidate]:
        """``within``: a row the measure is asked of (A的政府采购); only that row's line of a table whose total is
        the measure, never the total. ``written``: the measure as the question wrote it; a line the table prints
        under that very name is that line (本年收入 154,023.82 beside 收入合计 154,304.22, which adds 上年结转)."""
        out: list[Candidate] = []
        for rank, (title_re, item_re) in enumerate(concept.tables):
            if not re.search(title_re, title):
                continue
            score = 10.0 - rank
            ordered = [rows[i] for i in sorted(rows)]
            if item_re is None:
                totals = [facts for facts in ordered if _is_total_row(facts)] if within is None \
                    else [facts for facts in ordered if _row_matches(within, facts[0])]
                for facts in totals[:1]:
                    f = _choose_column(facts, column, column_year, doc_year, money, final)
                    if f is not None:
                        out.append(Candidate(table_figure(f), score))
                continue
            pattern = re.compile(item_re)
            named = [facts for facts in ordered if len(written) >= 4 and clean_name(facts[0].name) in (written, f"{written}合计")]
            for facts in named[:1] or ordered:
                if named or pattern.search(clean_name(facts[0].name)):
                    f = _choose_column(facts, column, column_year, doc_year, money, final)
                    if f is not None and column is None and clean_name(facts[0].name) in TOTAL_COLUMNS:
                        f = _own_subtotal(facts, f, title_re, title)
                    if f is not None:
                        out.append(Candidate(table_figure(f), score))
                        break
            else:
                side = next((cells for name, cells in _side_totals(ordered).items() if pattern.search(name)), None)
                f = _choose_column(side, column, column_year, doc_year, money, final) if side else None
                if f is not None:
                    out.append(Candidate(table_figure(f), score))
                    break
                # Single-row tables carry measures as columns (预算09表: 因公出国（境）费用, 公务接待费 …);
                # a table with a row per unit carries the whole in its total row, not in the first unit's.
                # A 决算 printing 预算数 and 决算数 as rows (西安 公开09表): its own figure is the 决算数 row, as for columns.
                for facts in sorted(ordered, key=lambda cells: (final and "决算" not in clean_name(cells[0].name),
                                                                 not _is_total_row(cells))):
                    if not _row_year_ok(facts, column_year, doc_year):
                        continue
                    cols = [f for f in facts if any(pattern.search(part) for part in [compact(f.column), *compact(f.column).split("/")])
                            and (_row_year(facts) or _year_ok(f.column, column_year, doc_year))
                            and (column_year is not None or not PREVIOUS_YEAR_COLUMN.search(compact(f.column)))]
                    if cols:
                        out.append(Candidate(table_figure(cols[0]), score - 0.1))
                        break
            if out:
                break
        return out

    # --- the whole a cell belongs to ----------------------------------------------------------

    def sibling(self, figure: Figure, year: int | None) -> Figure | None:
        """The whole a table cell is part of: its row's total column, or else its table's total row."""
        rows = self.doc(figure.doc_id).rows.get(figure.table_index) if figure.table_index is not None else None
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


def names_table(ref: str, label: str, title: str) -> bool:
    """Whether a table named in a question (表7, 收入总表) is this one (compacted label and title): its label,
    also with a prefix the question leaves out (公开表7), or a part of its title."""
    return ref == label or (label.endswith(ref) and ref.startswith("表") and not label[-len(ref) - 1].isdigit()) \
        or ref in title


def _named(item: ItemRef, fact: StoredFact) -> bool:
    """The row prints the item's name itself (with or without a year in front), not a qualified form of it."""
    name = clean_name(fact.name)
    return name == item.name or YEAR_PREFIX.sub("", name) == item.name


def _row_matches(item: ItemRef, fact: StoredFact) -> bool:
    if item.kind == "code":
        return fact.code == item.name  # the reader's final code, also one printed inside the name
    if _named(item, fact) or (item.kind == "row" and unqualified(clean_name(fact.name)) == item.name):
        return True
    for key, value in (fact.attributes or {}).items():
        cleaned = clean_name(value)
        if cleaned == item.name or YEAR_PREFIX.sub("", cleaned) == item.name:
            return ATTRIBUTE_KEYS.search(key) is not None
    return False


def _side_totals(rows: Rows | list[list[StoredFact]]) -> dict[str, list[StoredFact]]:
    """A two-sided table (收入 | 支出) whose total row is printed as a bare "合计" on each side (重庆's 收支总体
    情况表): the cells under each side, as the rows "收入合计"/"收入总计" and "支出合计"/"支出总计" they stand for."""
    out: dict[str, list[StoredFact]] = {}
    for facts in rows.values() if isinstance(rows, dict) else rows:
        if not _is_total_row(facts) or clean_name(facts[0].name) not in ("", *SIDE_TOTAL_WORDS):
            continue
        for f in facts:
            side, _, rest = compact(f.column).partition("/")
            if side in SIDES and rest:
                for word in SIDE_TOTAL_WORDS:
                    out.setdefault(side + word, []).append(f)
    return out


def _is_form(figure: Figure) -> bool:
    return (figure.row_index or 0) >= FORM_ROW_BASE


def _in_context(fact: StoredFact, context: str | None, rows: Rows) -> bool:
    """The cell is within what the question names it in: a form field of the project (外事工作经费的中期资金
    总额); a table's cell under a row of that name (its 类 or 款), or in a table, column or unit group that names
    it (三公经费里的公务接待费), or the row itself when the item is one of its attributes (信息化建设的租赁费). A row of
    the same name elsewhere is not it (某局治安管理局的部门预算)."""
    if context is None:
        return True
    if fact.row_index >= FORM_ROW_BASE:
        project = compact((fact.attributes or {}).get("项目名称"))
        return bool(project) and (context in project or project in context)
    if context in compact(f"{fact.name or ''}{fact.title or ''}{fact.column}{''.join((fact.attributes or {}).values())}"):
        return True
    named = [cells[0] for cells in rows.values() if cells and clean_name(cells[0].name) == context]
    if fact.code and any(r.code for r in named):
        # Coded rows: under it is within its code (2010301 under 201), wherever printed.
        return any(r.code and r.code != fact.code and fact.code.startswith(r.code) for r in named)
    # Rows without codes (二、上年结转 / （二）政府性基金预算拨款): printed after it in the same table.
    return any(r.row_index < fact.row_index for r in named)



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


def _own_subtotal(facts: list[StoredFact], chosen: StoredFact, subject: str, title: str) -> StoredFact:
    """In a table of more than the measure ("三公经费及会议费、培训费支出表"), the total row's total column
    sums them all: the measure is its own subtotal column ("当年/…“三公”经费预算/小计"), of the same year group."""
    if not re.search(r"及|、|和", title) or column_leaf(chosen.column) not in TOTAL_COLUMNS:
        return chosen
    group = chosen.column.split("/")[0] if "/" in chosen.column else ""
    for f in facts:
        path = compact(f.column)
        if f is not chosen and re.search(subject, path) and column_leaf(f.column) in TOTAL_COLUMNS \
                and (f.column.split("/")[0] if "/" in f.column else "") == group and path.count("/") <= 2:
            return f
    return chosen


def _choose_column(facts: list[StoredFact], column: str | None, column_year: int | None,
                   doc_year: int | None, money: bool = False, final: bool = False, named_row: bool = False) -> StoredFact | None:
    """The row's cell in the column asked; none asked, its whole amount for this year: not a 上年 column
    (西安 表13 prints 上年 first), not a head count when money is asked (培训费明细表: 人数, 天数, 金额),
    the 决算数 of a 决算."""
    if not _row_year_ok(facts, column_year, doc_year):
        return None
    ordered = sorted(facts, key=lambda f: f.col_index)
    if column and YEAR_IN_COLUMN.search(column):
        # The question names the column with its year ("2025年预算数"): that column, whatever the document's year.
        named = [f for f in ordered if column_leaf(f.column) == column or compact(f.column) == compact(column)]
        if named:
            return named[0]
    if not _row_year(facts):  # a dated row's columns carry no year
        ordered = [f for f in ordered if _year_ok(f.column, column_year, doc_year)]
    if column and column not in TOTAL_COLUMNS:
        exact = [f for f in ordered if column_leaf(f.column) == column]
        loose = [f for f in ordered if column in compact(f.column)]
        found = exact or loose
        if column_year is None:  # 培训费 under both 上年 and 当年 (西安 表13): this year's, as with no column named
            found = [f for f in found if not PREVIOUS_YEAR_COLUMN.search(compact(f.column))] or found
        if found or not (final and named_row and column in FINAL_COLUMNS):
            return found[0] if found else None
        # 行政运行决算数 in a 决算 whose table prints no 决算数 column: the row's whole amount is its 决算数.
    if column_year is None:
        ordered = [f for f in ordered if not PREVIOUS_YEAR_COLUMN.search(compact(f.column))]
    if money:
        ordered = [f for f in ordered if not COUNT_COLUMN.search(column_leaf(f.column))]
    if final:  # a 决算's own figure: 决算数 before 预算数 (财政拨款“三公”经费/合计/预算数 | …/合计/决算数)
        ordered = [f for f in ordered if "决算" in column_leaf(f.column)] or ordered
    wholes = [f for f in ordered if WHOLE_COLUMN.search(column_leaf(f.column))]
    chosen = wholes or ordered
    return chosen[0] if chosen else None


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
    if "基本支出" in title and "基本" not in q:
        score -= 1.5  # a 基本支出 table holds only the basic part of an item (劳务费 of 基本支出, not all of it)
    return score
