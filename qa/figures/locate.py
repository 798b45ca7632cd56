"""Find one item's figure in one disclosure: the best source, the other sources, and disagreements.

The most specific table wins (三公经费 → the 三公 table); other tables specific enough to the question
(``core_score``) and the narrative are compared with it up to rounding, so a disagreement inside the
document is reported rather than hidden:

    >>> located = Locator(facts, core_score=1.0).locate(disclosure, FigureQuery.from_question(parsed, None))
    >>> located.primary.place(), located.supporting[0].place()     # 外办三公经费是多少
    ('表9《2020年一般公共预算三公经费支出情况表》第18页“总计”行“2020年预算数”列', '正文第3页')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from index.core.lexicon import ITEM_MARKERS, TOTAL_COLUMNS, WHOLE_AMOUNT_COLUMNS
from index.core.terms import column_leaf
from index.core.text import compact
from index.core.units import agrees, show
from qa.contract import Citation
from qa.figures.counted import counted_figure
from qa.figures.fact_index import FactIndex, names_table
from qa.figures.figure import Candidate, Figure, narrative_figure
from qa.figures.narrow import narrowed
from qa.figures.query import FigureQuery
from qa.figures.reading import StoredTarget
from qa.figures.stated import stated_as
from qa.understand.items import ITEM_TAIL
from qa.understand.model import ItemRef
from qa.understand.parse import query_terms
from qa.understand.scan import FUNDING_WORD
from qa.understand.scope import Disclosure


@dataclass
class Located:
    item_label: str
    primary: Figure
    supporting: list[Figure] = field(default_factory=list)  # other sources that agree
    conflicting: list[Figure] = field(default_factory=list)  # other sources that disagree
    narrative: list[Figure] = field(default_factory=list)  # narrative figures for the item (value)
    notices: list[str] = field(default_factory=list)
    query: FigureQuery | None = None  # what was looked up (the checks compare it with what was found)
    disclosure: Disclosure | None = None  # where it was looked up

    @property
    def citations(self) -> list[Citation]:
        return [f.citation() for f in [self.primary, *self.conflicting, *self.supporting]]


# Which figure of a line is asked, when the text states it by that word and the tables may not print it.
STATED_KIND = re.compile(r"年初预算|调整预算|决算")
# The parts every 支出 measure splits into, by kind (基本/项目) and by economic nature (人员/公用): a column so
# named is a part of the measure asked, not the measure.
PART_COLUMN = re.compile(r"^(?:基本支出|项目支出|人员经费|公用经费)$")


SUBJECT_FUNDS = re.compile(r"^(.{2,})经费$")


def _subject_row(item: ItemRef | None) -> ItemRef | None:
    """"城管执法经费", a free-text term: the row its name before 经费 may be (a 科目's)."""
    m = SUBJECT_FUNDS.match(compact(item.name)) if item is not None and item.kind == "term" else None
    return ItemRef(kind="row", name=m.group(1), text=m.group(1), pos=item.pos) if m and item else None


def _of_kind(figure: Figure, kind: str, final_account: bool) -> bool:
    """A table's cell is that figure of its line: its column says so, or (决算) a column naming no 预算 of a 决算
    (the disclosure or the table's title)."""
    column = compact(figure.column or "")
    if kind == "决算" and (final_account or "决算" in compact(figure.title or "")):
        return "预算" not in column or "决算" in column
    return kind in column


def item_label(item: ItemRef | None, column: str | None) -> str:
    if item is None:
        return column or "合计"
    if item.kind == "code":
        return item.name
    # A term's name is the words looked up (四个季度用款计划 looks up 第一季度用款计划 …); a row is named as written.
    label = item.name if item.kind in ("concept", "attribute", "term") else item.text
    if column and item.kind != "concept" and column not in TOTAL_COLUMNS:
        return f"{label}（{column}）"
    if column and item.kind == "concept" and PART_COLUMN.match(compact(column)):
        return f"{label}中的{column}"  # a part of the measure, not the measure
    return label


BOUND_WORDS = {"≥": "不低于", "≤": "不高于", ">": "高于", "<": "低于"}


def indicator_label(target: StoredTarget) -> str:
    """A 绩效目标表 target named as its line prints it: 审计业务绩效指标完成审计项目数量（目标值不低于）."""
    bound = BOUND_WORDS.get(target.bound)
    return f"{target.project or ''}绩效指标{target.measure}" + (f"（目标值{bound}）" if bound else "")


def query_label(query: FigureQuery) -> str:
    """How answers name what the query asks for; a lookup of "A的B" names A too."""
    label = item_label(query.item, query.column)
    if query.label_context and query.item is not None and query.context_item is not None and query.context:
        return f"{query.context_item.text}的{label}"
    return label


class Locator:
    """Locates figures in the fact index; ``core_score`` is how specific a table must be to corroborate."""

    def __init__(self, facts: FactIndex, core_score: float):
        self.facts = facts
        self.core_score = core_score

    def narrowed(self, doc_ids: list[str], queries: list[FigureQuery]) -> Locator:
        """A locator over only the tables of these documents the queries can be read from (``qa.figures.narrow``)."""
        return Locator(narrowed(self.facts, doc_ids, queries), self.core_score)

    def locate(self, disclosure: Disclosure, query: FigureQuery) -> Located | None:
        """The item's figure in this disclosure with its other sources, or None when none is printed."""
        located = self._locate(disclosure, query)
        row = _subject_row(query.item)
        if located is None and row is not None:
            # 城管执法经费, which no sentence states: the 经费 of the 科目 so named is its spending (2120104 城管执法).
            reading = query.but(item=row)
            found = self._locate(disclosure, reading)
            if found is not None and found.primary.source == "table" and found.primary.code \
                    and compact(found.primary.row or "").removeprefix(found.primary.code) == row.name:
                located, located.query = found, reading
        if located is not None:
            located.query, located.disclosure = located.query or query, disclosure
        return located

    def _locate(self, disclosure: Disclosure, query: FigureQuery) -> Located | None:
        label = query_label(query)
        counted = self._counted(disclosure, query)
        if counted is not None:
            return Located(label, counted)
        targets = self.facts.stated.indicator_candidates(disclosure.doc_ids, query)
        if targets:
            figures = [narrative_figure(t) for t in targets]
            return Located(indicator_label(targets[0]), figures[0], narrative=figures)
        tables, answered = self._tables(disclosure, query)
        if tables and answered.title_hint is not None and query.title_hint is None:
            # The column named the table, not a column of the row; with the row, the table whose total is asked.
            label = item_label(query.item, None) if answered.item is not None else answered.title_hint + (
                f"的{column_leaf(answered.column)}" if answered.column else "")  # 一般公共预算的人员经费
        narrative = [] if query.tables else self.facts.stated.narrative_candidates(disclosure.doc_ids, query)
        if query.year is not None:
            narrative = self._for_year(narrative, query.year, disclosure.year)
        if query.context and query.item is not None and query.item.kind in ("row", "code"):
            # 社会保障和就业支出里的行政运行: a sentence on 行政运行经费 that never names the context is not it.
            narrative = [n for n in narrative if query.context in compact(f"{n.quote}{n.row or ''}")]
        if query.column and query.concept is not None and PART_COLUMN.match(compact(query.column)):
            # 一般公共预算财政拨款支出中项目支出: a part of the measure is asked, and the sentence's 18,417.70 is
            # its whole; only a figure stated under the part's own name is that column's.
            narrative = [n for n in narrative if compact(query.column) in compact(n.row)]
        row_money = _row_money(query) if not tables and not narrative else None
        if row_money is not None:
            # 归口管理的行政单位离退休经费: no project of that name is stated; the row 归口管理的行政单位离退休 is printed.
            tables = self.facts.table_candidates(disclosure.doc_ids, row_money, disclosure.year)
            answered = row_money
        concept = query.concept
        if tables and narrative and not query.column and _more_specific(narrative[0], query.item, query.terms):
            # 政府采购服务预算 / 委托业务费涉及财拨资金: the narrative names exactly that; the table only has
            # the item's whole amount.
            tables = []
        kind = STATED_KIND.search(query.terms or "")
        if tables and narrative and not query.column and kind and stated_as(narrative[0], kind.group(0)) \
                and not any(_of_kind(c.figure, kind.group(0), "决算" in (self.facts.doc(c.figure.doc_id).kind or ""))
                            for c in tables):
            # 行政运行年初预算 in a 决算: its tables print what was spent, the text the 年初预算 ("年初预算为1560.05万元");
            # 三公经费决算 where the 三公 table's 决算数 cells are blank: the text's "支出决算为0.00万元".
            tables = []
        if not tables:
            return Located(label, narrative[0], narrative=narrative) if narrative else None
        best = tables[0].figure
        other_part = _other_part(best, tables, query.terms)
        if other_part is not None:
            # 委托业务费 in the 基本支出 table and in the 项目支出 table: each holds a part, the item is both.
            if other_part.unit != best.unit:
                return None
            whole = replace(best, value=best.value + other_part.value, parts=[best, other_part],
                            quote=f"{best.quote}；{other_part.quote}")
            if narrative and agrees(narrative[0].value, narrative[0].unit, whole.value, whole.unit):
                return Located(label, narrative[0], supporting=[best, other_part], narrative=narrative)
            best = whole
        if narrative and narrative[0].value == best.value and narrative[0].unit != best.unit:
            # 表二 10,885.00 read as 元, the text's 10,885万元: the table's unit line was missed; the text says it.
            note = f"注意：{best.place()}印的是同一数字，但单位读作{best.unit}，按正文的{narrative[0].unit}作答。"
            return Located(label, narrative[0], narrative=narrative, notices=[note])
        # What was looked up is the reading the table answered (上年结余、结转, no row of that name asked: the row).
        located = Located(label, best, narrative=narrative, query=answered)
        if query.item is not None and query.item.kind == "code" and best.row:
            located.item_label = best.row
        for other in tables[1:]:
            if other.score < self.core_score or other.figure.parts or other.figure.table_index == best.table_index:
                continue
            if ("财政拨款" in (other.figure.title or "")) != ("财政拨款" in (best.title or "")):
                continue  # 财政拨款 tables cover only part of the budget (上年结转 differs)
            if other.figure.doc_id == best.doc_id and _same_sense(best, other.figure):
                same = agrees(other.figure.value, other.figure.unit, best.value, best.unit)
                (located.supporting if same else located.conflicting).append(other.figure)
        if narrative and not best.parts:
            first = narrative[0]
            if agrees(first.value, first.unit, best.value, best.unit):
                located.supporting.append(first)
            elif concept is not None:
                located.conflicting.append(first)
        _explain_conflicts(located)
        return located

    def _counted(self, disclosure: Disclosure, query: FigureQuery) -> Figure | None:
        """会议费明细表中列了几个会议: a count of what one named table lists (its title names the thing counted),
        read as its body rows (``qa.figures.counted``)."""
        item = query.item
        if query.count_units is None or not query.tables or item is None or item.kind != "term":
            return None
        found = [(doc_id, t, listed) for doc_id in disclosure.doc_ids for t, listed in self.facts.doc(doc_id).lists.items()
                 if any(names_table(compact(r), listed.label, listed.title) for r in query.tables)]
        if len(found) != 1 or compact(item.name) not in found[0][2].title:
            return None
        doc_id, t, listed = found[0]
        return counted_figure(listed, doc_id, self.facts.doc(doc_id).file_name, t, query.count_units[0])

    def passed_over(self, disclosure: Disclosure, query: FigureQuery) -> str | None:
        """Why a table that prints the item was not read, when the reader found it misread (said when nothing
        else answers): "表二《2026年部门收入总体情况表》（第7页）未能正确读出（…），未从中取数。"."""
        tables, _ = self._tables(disclosure, query, withheld=True)
        if not tables:
            return None
        figure = tables[0].figure
        why = self.facts.doc(figure.doc_id).misread.get(figure.table_index or 0, "")
        name = (figure.label or "") + (f"《{figure.title}》" if figure.title else "")
        return f"{name}（第{figure.page}页）印有此项，但该表未能正确读出（{why}），未从中取数，请查看原文。"

    def _tables(self, disclosure: Disclosure, query: FigureQuery,
                withheld: bool = False) -> tuple[list[Candidate], FigureQuery]:
        """Table cells for the query, best first, and the reading of the query they answer; ``withheld``: in the
        tables the reader found misread."""
        concept = query.concept
        if query.count_units is not None or (concept is not None and not concept.tables):
            return [], query  # a count, or a measure only the narrative states
        doc_ids, year = disclosure.doc_ids, disclosure.year
        tables = self.facts.table_candidates(doc_ids, query, year, withheld)
        if tables and query.item is not None and query.item.kind == "row" and not CARRIED.search(compact(query.question)) \
                and all(carried_heading(self.facts, c.figure) for c in tables):
            # 政府性基金预算拨款, printed as a row only under 二、上年结转 (重庆's 财政拨款收支总体情况表): the year's
            # own is the 收入 column of that name (表二 “合计”行“政府性基金预算拨款收入”列).
            reading = query.but(item=None, column=f"{query.item.name}收入")
            found = self.facts.table_candidates(doc_ids, reading, year, withheld)
            if found:
                return found, reading
        if not tables:
            for reading in _fund_readings(query):
                found = self.facts.table_candidates(doc_ids, reading, year, withheld)
                if found:
                    return found, reading
        if tables or not query.column:
            return tables, query
        if query.item is None:
            # 事业收入 is a column elsewhere and a row here (表1 收支总表): read it as the row.
            reading = query.but(item=ItemRef(kind="row", name=query.column, text=query.column), column=None)
            return self.facts.table_candidates(doc_ids, reading, year, withheld), reading
        # 基本支出里的津贴补贴: the column names the table (基本支出表), not a column of the row.
        readings = [query.but(column=None, title_hint=query.column)]
        if query.item.kind == "row":
            readings += [
                # 一般公共预算基本支出: row and column together name a table (一般公共预算基本支出情况表): its total.
                query.but(item=None, column=None, title_hint=compact(query.item.text + query.column)),
                # 上年结转结余的单位资金: a column group and one of its columns (上年结转结余/单位资金): the total's.
                query.but(item=None, column=f"{query.item.name}/{query.column}"),
            ]
        if query.item.kind == "row" and FUNDING_WORD.fullmatch(query.item.name):
            # 一般公共预算基本支出中人员经费: the fund names the table (一般公共预算基本支出…表), the column its total's.
            readings.append(query.but(item=None, title_hint=query.item.name))
        for reading in readings:
            found = self.facts.table_candidates(doc_ids, reading, year, withheld)
            if found:
                return found, reading
        return [], readings[0]

    def _for_year(self, narrative: list[Figure], year: int, doc_year: int | None) -> list[Figure]:
        """Figures for an earlier year: the 上年 figure stated next to the current one (比2019年收入预算
        7,132,122.63元), or a figure whose sentence is about that year only (截止2019年底…)."""
        stated = [narrative_figure(n) for f in narrative for n in self.facts.stated.related(f)
                  if n.relation == "previous" and n.year == year]
        dated = [f for f in narrative if f.year == year or (_dated_by(f.quote, year) and f"{doc_year}年" not in f.quote)]
        return stated + dated


CARRIED = re.compile(r"结转|结余")


def carried_heading(facts: FactIndex, figure: Figure) -> str | None:
    """The heading (二、上年结转) a cell's row numbered （二） stands under, when that heading is a carry-over:
    the row is part of last year's money carried over, not the year's own figure of its name."""
    if figure.source != "table" or figure.table_index is None or figure.row_index is None or not _marked(figure.row, 2):
        return None
    rows = facts.doc(figure.doc_id).rows.get(figure.table_index, {})
    heading = None
    for index in sorted(i for i in rows if i < figure.row_index):
        name = rows[index][0].name if rows[index] else None
        if _marked(name, 1):
            heading = name
    return heading if heading and CARRIED.search(compact(heading)) else None


def _marked(name: str | None, level: int) -> bool:
    """The row name opens with the enumerator of ``level`` (1: 一、, 2: （一）)."""
    return any(lvl == level and pattern.match(compact(name or "")) for lvl, pattern in ITEM_MARKERS)


# 财政拨款收入 where no row or column carries that name (苏州, 广州): the 财政拨款收支总表 is the 财政拨款's own
# table, and its 本年收入 line is the figure (its 收入总计 adds 上年结转, which is no 收入 of the year).
FUND_SIDE = re.compile(r"^财政拨款(收入|支出)(预算)?$")
FUND_TABLE = "财政拨款收支"


def _fund_readings(query: FigureQuery) -> list[FigureQuery]:
    item = query.item
    if item is None or item.kind not in ("term", "row") or query.tables:
        return []
    m = FUND_SIDE.match(compact(item.name))
    if m is None:
        return []
    side = m.group(1)
    return [query.but(item=ItemRef(kind="row", name=name, text=item.text, pos=item.pos), title_hint=FUND_TABLE)
            for name in (f"本年{side}合计", f"本年{side}")]


# A row's name and 经费 ("归口管理的行政单位离退休经费"): read as a project the text may state (a term, see
# ``qa.understand.items``); failing that, it is the money of the row of that name, which is what 经费 says.
MONEY_OF_ROW = re.compile(r"^(.{2,})经费$")


def _row_money(query: FigureQuery) -> FigureQuery | None:
    item = query.item
    m = MONEY_OF_ROW.match(compact(item.name)) if item is not None and item.kind == "term" and not query.tables else None
    if item is None or m is None or ITEM_TAIL.search(m.group(1)):
        return None  # 综合管理项目经费 names a project, never the row 综合管理
    return query.but(item=ItemRef(kind="row", name=m.group(1), text=item.text, pos=item.pos))


BASIC_PART, PROJECT_PART = re.compile(r"基本支出"), re.compile(r"项目支出")


def _other_part(best: Figure, tables: list[Candidate], terms: str) -> Figure | None:
    """The same row in the table of the other part of spending, when ``best`` is read from a table of one part
    only (基本支出 or 项目支出) and the question names neither part."""
    if best.source != "table" or best.parts or "基本" in terms or PROJECT_PART.search(terms):
        return None
    title = best.title or ""
    parts = [p for p in (BASIC_PART, PROJECT_PART) if p.search(title)]
    if len(parts) != 1:
        return None
    other = PROJECT_PART if parts[0] is BASIC_PART else BASIC_PART
    # Twin tables only: the same title but for the part (一般公共预算基本支出情况表 | 一般公共预算项目支出情况表).
    twin = other.pattern.join(parts[0].split(compact(title)))
    for candidate in tables[1:]:
        f = candidate.figure
        if f.doc_id == best.doc_id and f.table_index != best.table_index and not f.parts \
                and compact(f.title) == twin and (f.code, f.row) == (best.code, best.row):
            return f
    return None


def _dated_by(sentence: str, year: int) -> bool:
    """The sentence is about ``year``: it names the year other than as the base of a comparison
    (“…37,151.47万元，比2024年预算增加…” is this year's figure, not 2024's)."""
    return any(not re.search(r"(比|较|同比|与|和|对比)$", sentence[:m.start()])
               for m in re.finditer(f"{year}年", sentence))


def _more_specific(figure: Figure, item: ItemRef | None, terms: str) -> bool:
    measure = compact(figure.row or "").replace("预算", "")
    said = compact(item.text).replace("预算", "") if item else ""
    # The measure read with the question's own filter (涉及 loses 及 in both), so its words are compared.
    return bool(said) and len(measure) > len(said) and said in measure \
        and query_terms(measure, []) in terms.replace("预算", "")


def _same_sense(a: Figure, b: Figure) -> bool:
    """Two cells say the same thing when both are the item's total (not, e.g., 基本支出 vs 合计)."""
    return (a.column or "").rsplit("/", 1)[-1] in WHOLE_AMOUNT_COLUMNS or (a.column == b.column)


def _explain_conflicts(located: Located) -> None:
    p = located.primary
    for c in located.conflicting:
        where = c.place() if c.source == "table" else f"正文（第{c.page}页）"
        located.notices.append(
            f"注意：{where}中“{located.item_label}”为{show(c.value, c.unit)}，与{p.place()}的{show(p.value, p.unit)}不一致，"
            "这是原文本身的不一致，请以原文核对。"
        )
