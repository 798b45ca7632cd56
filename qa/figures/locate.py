"""Find one item's figure in one disclosure: the best source, the other sources, and disagreements."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from index.core.numbers import format_amount
from index.core.text import compact
from qa.figures.calculate import agrees, show
from qa.figures.fact_index import FactIndex
from qa.figures.figure import Candidate, Figure, narrative_figure
from qa.understand.concepts import AMOUNT_UNITS, synonym_table
from qa.understand.parse import ItemRef, ParsedQuestion, concept_of, query_terms
from qa.understand.scope import Disclosure
from qa.understand.vocabulary import Vocabulary

CORE_SCORE = 1.0  # tables at least this specific take part in the consistency check
_TOTALISH = {"合计", "总计", "预算数", "金额", "预算金额", "收入预算金额", "支出预算金额", "收入金额", "支出金额"}


@dataclass
class Located:
    item_label: str
    primary: Figure | None = None
    supporting: list[Figure] = field(default_factory=list)  # other sources that agree
    conflicting: list[Figure] = field(default_factory=list)  # other sources that disagree
    narrative: list[Figure] = field(default_factory=list)  # narrative figures for the item (value)
    notices: list[str] = field(default_factory=list)

    @property
    def citations(self):
        figures = [self.primary] + self.conflicting + self.supporting if self.primary else []
        return [f.citation() for f in figures]


def item_label(item: ItemRef | None, column: str | None) -> str:
    if item is None:
        return column or "合计"
    if item.kind == "code":
        return item.name
    label = item.name if item.kind in ("concept", "attribute") else item.text
    if column and item.kind != "concept" and column not in ("合计", "总计", "小计", "金额", "预算数"):
        return f"{label}（{column}）"
    return label


def locate(
    facts: FactIndex, disclosure: Disclosure, item: ItemRef | None, parsed: ParsedQuestion,
    column_year: int | None = None, column: str | None = "__parsed__",
) -> Located:
    column = parsed.column if column == "__parsed__" else column
    located = Located(item_label(item, column))
    if parsed.context_item is not None and item is not None and item is not parsed.context_item and parsed.operation == "lookup":
        located.item_label = f"{parsed.context_item.text}的{located.item_label}"
    units = parsed.count_units or (AMOUNT_UNITS if parsed.money else None)
    concept = concept_of(item) if item else None
    terms = query_terms(parsed.text, parsed.department_names)
    context = compact(parsed.context_item.name) if parsed.context_item is not None and item is not parsed.context_item else None
    tables: list[Candidate] = []
    if parsed.count_units is None and not (concept is not None and not concept.tables):
        args = (disclosure.doc_ids, item, column, column_year, disclosure.year, parsed.text, parsed.tables)
        tables = facts.table_candidates(*args, context=context)
        if not tables and column and item is not None:
            # 基本支出里的津贴补贴: the column names the table (基本支出表), not a column of the row.
            tables = facts.table_candidates(disclosure.doc_ids, item, None, column_year, disclosure.year,
                                            parsed.text, parsed.tables, title_hint=column, context=context)
            if tables:
                located.item_label = item_label(item, None)
        elif not tables and column and item is None:
            # 事业收入 is a column elsewhere and a row here (表1 收支总表): read it as the row.
            as_row = ItemRef(kind="row", name=column, text=column)
            tables = facts.table_candidates(disclosure.doc_ids, as_row, None, column_year, disclosure.year,
                                            parsed.text, parsed.tables, context=context)
    narrative = [] if parsed.tables else facts.narrative_candidates(disclosure.doc_ids, item, column, units, terms, context)
    if column_year is not None:
        narrative = _for_year(facts, narrative, column_year, disclosure.year)
    located.narrative = narrative
    if tables and narrative and concept is not None and not column and _more_specific(narrative[0], item, terms):
        # 政府采购服务预算: the narrative names exactly that; the 政府采购 table only has the total.
        tables = []
    if tables:
        best = tables[0]
        located.primary = best.figure
        if item is not None and item.kind == "code" and best.figure.row:
            located.item_label = best.figure.row
        for other in tables[1:]:
            if other.score < CORE_SCORE or other.figure.parts or other.figure.table_index == best.figure.table_index:
                continue
            if ("财政拨款" in (other.figure.title or "")) != ("财政拨款" in (best.figure.title or "")):
                continue  # 财政拨款 tables cover only part of the budget (上年结转 differs)
            if other.figure.doc_id == best.figure.doc_id and _same_sense(best.figure, other.figure):
                bucket = located.supporting if agrees(other.figure.value, other.figure.unit, best.figure.value, best.figure.unit) else located.conflicting
                bucket.append(other.figure)
        if narrative and not best.figure.parts:
            first = narrative[0]
            if agrees(first.value, first.unit, best.figure.value, best.figure.unit):
                located.supporting.append(first)
            elif concept is not None:
                located.conflicting.append(first)
    elif narrative:
        located.primary = narrative[0]
    _explain_conflicts(located)
    return located


def _more_specific(figure: Figure, item: ItemRef | None, terms: str) -> bool:
    measure = compact(figure.row or "").replace("预算", "")
    said = compact(item.text).replace("预算", "") if item else ""
    return bool(said) and len(measure) > len(said) and said in measure and measure in terms.replace("预算", "")


def _for_year(facts: FactIndex, narrative: list[Figure], year: int, doc_year: int | None) -> list[Figure]:
    """Figures for an earlier year: the 上年 figure stated next to the current one (比2019年收入预算
    7,132,122.63元), or a figure whose sentence is about that year only (截止2019年底…)."""
    stated = [narrative_figure(n) for f in narrative for n in facts.related(f) if n.relation == "previous" and n.year == year]
    dated = [f for f in narrative if f.year == year or (f"{year}年" in f.quote and f"{doc_year}年" not in f.quote)]
    return stated + dated


def _same_sense(a: Figure, b: Figure) -> bool:
    """Two cells say the same thing when both are the item's total (not, e.g., 基本支出 vs 合计)."""
    return (a.column or "").rsplit("/", 1)[-1] in _TOTALISH or (a.column == b.column)


def _explain_conflicts(located: Located) -> None:
    if not located.primary or not located.conflicting:
        return
    p = located.primary
    for c in located.conflicting:
        where = c.place() if c.source == "table" else f"正文（第{c.page}页）"
        located.notices.append(
            f"注意：{where}中“{located.item_label}”为{show(c.value, c.unit)}，与{p.place()}的{show(p.value, p.unit)}不一致，"
            "这是原文本身的不一致，请以原文核对。"
        )


def confusion_hint(item: ItemRef, vocab: Vocabulary) -> str | None:
    """Say which of two similar names was meant (行政运行经费 ≠ 行政运行 科目)."""
    if item.kind == "concept":
        for row in vocab.rows:
            if len(row) >= 3 and item.text.startswith(row) and item.text != row:
                return f"这里的“{item.text}”按正文口径的“{item.name}”理解，不是预算科目“{row}”。"
    elif item.kind in ("row", "code"):
        for synonym, concept in synonym_table():
            if synonym.startswith(item.name) and synonym != item.name and len(item.name) >= 3:
                return f"这里的“{item.text}”按预算科目理解；“{synonym}”（{concept.name}）是另一口径。"
    return None


def amount_text(figure: Figure, wants_wan: bool) -> str:
    """The figure as written in the answer; in 万元 as well when the user asked in 万元."""
    if wants_wan and figure.unit == "元":
        wan = (figure.value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{format_amount(wan)}万元（{show(figure.value, '元')}）"
    return show(figure.value, figure.unit)
