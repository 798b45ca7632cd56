"""Figures the text states: the narrative's sentences and the sentences inside form tables.

``StatedFigures`` is the narrative part of ``qa.figures.fact_index.FactIndex`` (its ``stated``): which
stated figure a question item means (a measure, a free-text term, a term within a project), what is
stated next to it (上年 figure, change, share), and where a project's own budget line is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

from index.core.lexicon import BUDGET_FUND, TOTAL_COLUMNS
from index.core.model import NIL
from index.core.numbers import try_parse_number
from index.core.text import compact
from index.store.facts import StoredNarrativeFact
from qa.figures.documents import DocumentFacts
from qa.figures.figure import Figure, narrative_figure
from qa.figures.query import FigureQuery
from qa.figures.reading import Reading, StoredTarget, first_after_mention
from qa.understand.concepts import AMOUNT_UNITS, BY_NAME, CONCEPTS
from qa.understand.items import ITEM_QUALIFIER
from qa.understand.parse import query_terms
from qa.understand.scan import FUNDING_WORD

# A question about a 绩效目标表's targets says so, or asks a count (几场, 多少项).
INDICATOR_WORD = re.compile(r"指标|绩效目标")
INDICATOR_TAIL = re.compile(r"(数量|次数|个数|总数|人数|数)$")
PROJECT_TAIL = re.compile(r"(专项资金|项目经费|经费|资金|项目|专项)$")


def _project_named(project: str, question: str) -> bool:
    """The question names the target's project: most of it, without its 经费/资金 (《北京审计》杂志 of
    《北京审计》杂志办刊经费)."""
    core = PROJECT_TAIL.sub("", compact(project))
    longest = SequenceMatcher(None, core, question, autojunk=False).find_longest_match(0, len(core), 0, len(question))
    return longest.size >= max(4, 0.6 * len(core))


class StatedFigures:
    """Narrative and form-table sentences per document, and each document's reading order, read from
    the document cache (``qa.figures.documents``)."""

    def __init__(self, doc: Callable[[str], DocumentFacts]):
        self.doc = doc

    def narrative(self, doc_id: str) -> list[StoredNarrativeFact]:
        return self.doc(doc_id).narrative

    def amounts(self, doc_id: str) -> set[tuple[Decimal, str]]:
        """(value, unit) of every figure the document states."""
        return {(n.value, n.unit) for n in self.narrative(doc_id)}

    def values(self, doc_ids: list[str], query: FigureQuery) -> list[StoredNarrativeFact]:
        """The stated figures ``narrative_candidates`` chooses from: all of these documents' (over documents read by
        SQL, only those ``StatedFilter`` lets through, ``qa.figures.narrow``)."""
        return [n for d in doc_ids for n in self.narrative(d)]

    def table_text(self, doc_id: str) -> list[StoredNarrativeFact]:
        """Sentences inside form tables ("尾款为69万") and the targets of 绩效目标表s."""
        facts = self.doc(doc_id)
        return [*facts.table_text, *facts.indicators]

    def indicator_candidates(self, doc_ids: list[str], query: FigureQuery) -> list[StoredTarget]:
        """The performance target the question names (…召开新闻发布会活动至少多少场 → 召开新闻发布会活动次数 ≥90场):
        its name written in the question (or the name without a trailing 数量/次数), in the unit asked, and, where
        several projects set a target of that name, the one whose project the question names. Targets of one
        name that differ and no project to tell them apart: none."""
        q = compact(query.question)
        units = query.count_units
        if units is None and not INDICATOR_WORD.search(q):
            return []
        tables = [compact(t) for t in query.tables]
        named = []
        for n in (n for d in doc_ids for n in self.doc(d).indicators):
            title = compact(n.section_path[0]) if n.section_path else ""
            if tables and not any(t in title or (title and title in t) for t in tables):
                continue  # …《2026年市级一般性项目绩效目标表》中…: that table's targets only
            name = compact(n.measure)
            core = INDICATOR_TAIL.sub("", name)
            if (name in q or (len(core) >= 4 and core in q)) and (units is None or n.unit[:1] in {u[:1] for u in units}):
                named.append(n)
        mentioned = [n for n in named if n.project and _project_named(n.project, q)]
        # No project named: the department's own target (部门整体支出绩效目标表, no project) is the one asked.
        named = mentioned or [n for n in named if n.project is None]
        if len({(n.value, n.unit) for n in named}) != 1 or len({n.project for n in named}) != 1:
            return []  # 12月底前支出进度 = 100 % set by every project: which one is not said
        # The longest name written wins over one it contains (完成审计项目数量 over 审计项目数量).
        return sorted(named, key=lambda n: -len(n.measure))

    def reading(self, doc_id: str) -> Reading:
        reading = self.doc(doc_id).reading
        if reading is None:  # a document deleted since the question was scoped
            raise KeyError(doc_id)
        return reading

    def readings(self, doc_ids: Iterable[str]) -> dict[str, Reading]:
        """The reading order of each document that has one: a document read by SQL for a question over
        many documents (``DocumentFacts.partial``) has none, and rules that need it pass it over."""
        return {d: r for d in dict.fromkeys(doc_ids) if (r := self.doc(d).reading) is not None}

    def narrative_candidates(self, doc_ids: list[str], query: FigureQuery) -> list[Figure]:
        """Figures stated in prose for the item, best match first (relation 'value' only).

        ``query.terms`` (the question without department, year and filler) picks the most specific
        measure: 工勤编制 over 行政编制 when the question says 工勤编制.
        """
        item, units, terms, context = query.item, query.units, query.terms, query.context
        concept = query.concept
        name = compact(item.name if item else query.column or "")
        if concept is not None:
            pattern = re.compile(concept.narrative or re.escape(concept.name))
            # 离退休人员有几个: the measure knows it counts people, whatever word the question used.
            if units and concept.units != AMOUNT_UNITS and not set(units) & set(concept.units):
                if not set(units) <= set(AMOUNT_UNITS):
                    return []  # 实有公务用车几辆 is not a head count
                # 车辆价值多少万元: the amount stated for the counted thing
            else:
                units = concept.units if concept.units != AMOUNT_UNITS or not units else units
        elif not name or name in TOTAL_COLUMNS:
            return []
        else:
            pattern = None
            units = units or (None if item is not None and item.kind == "term" else AMOUNT_UNITS)
        facts = self.values(doc_ids, query)
        levels: list[list[StoredNarrativeFact]]
        if item is not None and item.kind == "term":
            facts += [n for d in doc_ids for n in self.table_text(d)]  # "尾款为69万" in a form
        facts = [n for n in facts if _unit_ok(n.unit, units) and n.relation == "value"]
        # A nil amount ("本单位无…预算支出") answers only a question naming its measure; it has no figure to be
        # "right after" a name, and is no budget of a project mentioned nearby.
        printed = [n for n in facts if n.text != NIL]
        if pattern is not None:
            levels = [
                [n for n in facts if pattern.search(compact(n.measure))],
                [n for n in printed if n.section_path and pattern.search(compact(n.section_path[-1]))],
                # The sentence names the concept, but the figure may be another measure's: "三公经费预算231.43万元
                # …压减因公出国（境）及公务接待费用" does not make 231.43 the 公务接待费.
                [n for n in printed if pattern.search(compact(n.sentence)) and not _measures_other(n.measure, query.concept.name if query.concept else "")],
            ]
            # "三公经费支出预算593.46万元，支出决算587.55万元": a figure named only by its kind (决算, 执行数) goes on
            # with the measure its sentence states first; it is read when the question asks that kind, not 预算.
            kinds = [k for k in ("决算", "执行") if k in terms] if "预算" not in _kind_words(terms) else []
            sentences = {n.sentence for n in levels[0]}
            levels[0] += [n for n in facts if n.sentence in sentences and KIND_ONLY.fullmatch(compact(n.measure))
                          and any(k in n.measure for k in kinds) and n not in levels[0]]
        elif item is not None and item.kind == "term":
            # …专业署内设几个机构: the stated measure is the question's words before the counted noun + the noun.
            levels = [[n for n in facts if (_names(name, compact(n.measure)) and not _unsaid_rest(name, n)) or (
                compact(n.measure).endswith(name) and len(compact(n.measure)) - len(name) >= 2
                and compact(n.measure)[:-len(name)] in terms)]]
            if len(name) >= 4:
                # The extracted measure may be noise: accept a figure the term directly precedes in its
                # sentence, or the only figure of an explicitly asked unit (…自评，综合得分84.93分).
                grams = {name[i:i + 2] for i in range(len(name) - 1)}
                counted = units is not None and not set(units) & set(AMOUNT_UNITS)
                levels.append([n for n in printed if _right_before(name, n) or _counted(name, n) or (
                    counted and len(grams & _pairs(n.sentence)) >= 0.6 * len(grams)
                    and sum(m.sentence == n.sentence for m in facts) == 1)])
            levels = [_one_named(level, facts, name) for level in levels]
        else:
            levels = [[n for n in facts if name in compact(n.measure)
                       or (len(compact(n.measure)) >= 2 and compact(n.measure) in name)]]
            if item is not None and item.kind == "row":
                # "…（款）提租补贴（项）支出258万元，与上年相比…": a 科目 is stated by its name right before the
                # figure, under a measure as wide as "支出"; that sentence names it before any wider measure does.
                levels.insert(0, [n for n in printed if _right_before(name, n)])
                # "1、…财政事务（款）行政运行（项）。主要用于：…。年初预算为1560.05万元，支出决算为…": a 决算's
                # paragraph per 科目 states its figures in sentences after the one naming it.
                readings = self.readings(n.doc_id for n in printed)
                levels.append([n for n in printed if n.doc_id in readings and readings[n.doc_id].opens_item(n, name)])
        if units and not set(units) & set(AMOUNT_UNITS):
            # 下属几家: a count in the unit the question says (or printed without one) first, at any level
            said = [[n for n in level if n.unit in (units[0], "")] for level in levels]
            levels = said + levels if any(said) else levels
        for level in levels:
            if context and len({(n.value, n.unit) for n in level}) > 1:
                level = self._within(level, context)  # 商业创新专项中的…: the figure stated after its name
            if level:
                return [narrative_figure(n) for n in _most_specific(level, terms or name)]
        if item is not None and item.kind == "term" and len(name) >= 4 and (units is None or set(units) <= set(AMOUNT_UNITS)):
            # The question's words, unless the item is not among them (四个季度用款计划 read as each quarter's).
            words = compact(terms) if terms and name in compact(terms) else name
            return [narrative_figure(n) for n in self._project_budget(printed, name)
                    or self._subject_then_measure(printed, words)]
        return []

    def _subject_then_measure(self, facts: list[StoredNarrativeFact], terms: str) -> list[StoredNarrativeFact]:
        """城市道路挖掘修复费收入预计: the question is a subject and a measure the text states under it
        ("项目名称：城市道路挖掘修复费 … 收入预计：15000万元"): the measure's first figure after the subject."""
        kept = []
        for doc_id, reading in self.readings(n.doc_id for n in facts).items():
            by_measure: dict[str, list[StoredNarrativeFact]] = {}
            for n in facts:
                measure = query_terms(n.measure, [])  # read as the question's words are (涉及 loses 及 in both)
                if n.doc_id == doc_id and len(measure) >= 3 and terms.find(measure) >= 4:
                    by_measure.setdefault(measure, []).append(n)
            for measure, mine in by_measure.items():
                subject = terms[:terms.find(measure)]
                kept += first_after_mention(mine, reading.mentions(subject), max_pages=1)
        return kept

    def _project_budget(self, facts: list[StoredNarrativeFact], project: str) -> list[StoredNarrativeFact]:
        """人民调解项目预算: the budget line under the project's own title (…项目经费情况说明 / 六、年度预算安排)."""
        budgets = [n for n in facts if n.unit in AMOUNT_UNITS and (
            "预算" in n.measure or (n.section_path and "预算" in n.section_path[-1]) or "预算" in _just_before(n, 6))
            and not _other_measure(n.measure + n.sentence, project)]
        kept = []
        for doc_id, reading in self.readings(n.doc_id for n in budgets).items():
            mine = [n for n in budgets if n.doc_id == doc_id]
            kept += first_after_mention(mine, reading.mentions(project, max_len=40), max_pages=1)
        return kept

    def _within(self, facts: list[StoredNarrativeFact], context: str) -> list[StoredNarrativeFact]:
        kept = []
        for doc_id, reading in self.readings(n.doc_id for n in facts).items():
            mine = [n for n in facts if n.doc_id == doc_id]
            kept += first_after_mention(mine, reading.mentions(context))
        return kept

    def stated_share(self, figure: Figure, word: str = "占") -> Figure | None:
        """"基本支出预算25218.54万元，占本年支出预算76.76%": the share stated right after a figure (``word``
        between them: 占, or 完成 for "支出决算2940.05万元，完成年初预算的98.20%")."""
        if figure.source != "narrative":
            return None
        sentence = compact(figure.quote)
        start = sentence.find(compact(_printed(figure)))
        for n in self.narrative(figure.doc_id):
            if n.sentence == figure.quote and n.unit == "%":
                i = sentence.find(compact(n.text), start + 1)
                if start >= 0 and i > start and word in sentence[start:i] and "。" not in sentence[start:i]:
                    return narrative_figure(n)
        return None

    def budget_beside(self, figure: Figure) -> Figure | None:
        """"…支出年初预算为2993.92万元，支出决算为2940.05万元": the one 预算 a stated 决算 is set against in its
        sentence (before it); None when the figure is itself a 预算 or the sentence states no single 预算."""
        if figure.source != "narrative":
            return None
        same = [n for n in self.narrative(figure.doc_id)
                if n.sentence == figure.quote and n.relation == "value" and n.unit == figure.unit]
        mine = [n for n in same if n.value == figure.value and not _says_budget(n)]
        if not mine:
            return None
        sentence = compact(figure.quote)
        at = sentence.find(compact(mine[0].text))
        budgets = [n for n in same if _says_budget(n) and 0 <= sentence.find(compact(n.text)) < at]
        return narrative_figure(budgets[0]) if len(budgets) == 1 else None

    def budget_stated_with(self, doc_ids: Iterable[str], figure: Figure) -> Figure | None:
        """The 预算 a sentence sets against this very 决算 figure ("年初预算为1560.05万元，支出决算为1511.89万元"),
        whichever source the figure was read from (a table's cell and the text's sentence agree)."""
        stated = [narrative_figure(n) for doc_id in doc_ids for n in self.narrative(doc_id)
                  if n.relation == "value" and n.value == figure.value and n.unit == figure.unit]
        return next((b for b in map(self.budget_beside, stated) if b is not None), None)

    def budget_pair(self, figure: Figure) -> tuple[Figure, Figure] | None:
        """"年初预算10423.69万元，支出决算31,342.45万元": the (决算, 预算) one sentence states together, given either
        of them; None unless the sentence states exactly one of each, the 预算 first."""
        if figure.source != "narrative":
            return None
        same = [n for n in self.narrative(figure.doc_id)
                if n.sentence == figure.quote and n.relation == "value" and n.unit == figure.unit]
        budgets = [n for n in same if _says_budget(n)]
        finals = [n for n in same if not _says_budget(n) and "决算" in _kind_words(_just_before(n, 4))]
        if len(budgets) != 1 or len(finals) != 1 or figure.value not in (budgets[0].value, finals[0].value):
            return None
        sentence = compact(figure.quote)
        if not 0 <= sentence.find(compact(budgets[0].text)) < sentence.find(compact(finals[0].text)):
            return None
        return narrative_figure(finals[0]), narrative_figure(budgets[0])

    def related(self, figure: Figure) -> list[StoredNarrativeFact]:
        """What the narrative says next to a stated figure: its 上年 figure, increase, growth rate.

        Taken from the same section, after the figure, up to the next figure of another sentence
        (the change is often stated in the sentence after the amount).
        """
        facts = self.narrative(figure.doc_id)
        start = next((i for i, n in enumerate(facts) if n.sentence == figure.quote and n.value == figure.value
                      and n.relation == figure.relation), None)
        if start is None:
            return []
        out = []
        section = facts[start].section_path
        for n in facts[start + 1:]:
            if n.section_path != section and n.section_path[:-1] == section and n.section_path[-1] == figure.quote:
                # "2.…提租补贴（项）支出258万元，与上年" ended a line and was read as a heading: its sentence
                # goes on in the paragraph under it ("相比增加173.22万元，增长204.32%。").
                section = n.section_path
            if n.section_path != section or (n.relation == "value" and n.sentence != figure.quote):
                break
            out.append(n)
        return out


@dataclass(frozen=True)
class StatedFilter:
    """Which stated figures ``narrative_candidates`` can take for a query from documents without a reading order
    (read by SQL, ``DocumentFacts.partial``): a superset, tested on a figure's measure, sentence and section, so a
    question over thousands of documents builds only those (a sentence's every figure when one passes: its
    决算 beside a 预算, its figures counted). Its levels, in step with ``narrative_candidates``:

    - a concept: its pattern in the measure, the section or the sentence;
    - a name (row, term, column): the name in the measure or sentence, the measure in the name (two characters
      and more), the name right before or after a figure, 60 % of its character pairs in the sentence — each
      shares a pair of characters with the name (``_names``' generic-suffix match is tested as it is).

        >>> StatedFilter.of(query)("三公经费", "2020年“三公”经费预算231.43万元", "三、三公经费")
        True
    """

    pattern: str | None  # a concept's stated pattern
    name: str  # the compacted item name (or column) asked

    @classmethod
    def of(cls, query: FigureQuery) -> StatedFilter | None:
        """None: no stated figure can answer the query (a nameless or total column)."""
        if query.concept is not None:
            return cls(query.concept.narrative or re.escape(query.concept.name), "")
        name = compact(query.item.name if query.item else query.column or "")
        return None if not name or name in TOTAL_COLUMNS else cls(None, name)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(self.pattern or "")

    def __call__(self, measure: str, sentence: str, heading: str) -> bool:
        """``heading``: the last of the figure's section path ("" when none)."""
        measure, sentence = compact(measure), compact(sentence)
        if self.pattern is not None:
            return any(self._pattern.search(text) for text in (measure, sentence, compact(heading)))
        if _names(self.name, measure):
            return True
        texts = (measure, sentence, PARTICLE.sub("", measure), PARTICLE.sub("", sentence))
        return any(pair in text for pair in _name_pairs(self.name) for text in texts)


@lru_cache(maxsize=64)
def _name_pairs(name: str) -> frozenset[str]:
    """The name's pairs of characters, with and without 了 (``_names`` drops it); a one-character name itself."""
    bare = PARTICLE.sub("", name)
    return frozenset(t[i:i + 2] for t in (name, bare) for i in range(len(t) - 1)) or frozenset({name})


def stated_as(figure: Figure, kind: str) -> bool:
    """A stated figure is printed right after ``kind`` ("年初预算为1560.05万元")."""
    quote = compact(figure.quote)
    at = quote.find(compact(_printed(figure)))
    return figure.source == "narrative" and at >= 0 and kind in quote[max(0, at - len(kind) - 2):at]


def _other_measure(text: str, project: str) -> bool:
    """The sentence states a measure of its own (机关运行经费, 三公经费, 政府采购 …), not the project's budget."""
    return any(not re.search(BY_NAME[name].narrative or "", project) for name in _measures_named(text))


def _measures_other(measure: str, name: str) -> bool:
    """A stated figure's measure names a narrative concept other than ``name`` (the totals aside)."""
    return bool(_measures_named(measure) - {name})


@lru_cache(maxsize=1 << 14)  # per question, over every stated figure of the scoped documents
def _measures_named(text: str) -> frozenset[str]:
    """The narrative concepts (the totals aside) whose pattern the text matches."""
    plain = compact(text)
    return frozenset(c.name for c in CONCEPTS if c.narrative and c.name not in ("收入预算", "支出预算")
                     and re.search(c.narrative, plain))


def _printed(figure: Figure) -> str:
    """How a stated figure was printed, as far as its quote shows (7,633.52万元 or 7633.52万元)."""
    for printed in re.findall(r"\d[\d,，]*(?:\.\d+)?(?=\s*(?:万元|亿元|元|万))", figure.quote):
        number = try_parse_number(printed)
        if number is not None and number.value == figure.value:
            return printed
    return str(figure.value)


def _unit_ok(unit: str, units: tuple[str, ...] | None) -> bool:
    """A count printed without its unit ("数量为1") answers any count question, never an amount."""
    if units is None or unit in units:
        return True
    return unit == "" and not set(units) & {*AMOUNT_UNITS, "%", "分"}


PARTICLE = re.compile(r"了")
KIND_ONLY = re.compile(r"(?:支出|收入)?(?:决算|执行)数?")
GENERIC_SUFFIX = re.compile(r"(的?人数|人员|数量|个数|总数)$")


def _names(term: str, measure: str) -> bool:
    """A free-text term names a stated measure: one contains the other, and neither is a fragment."""
    term, measure = PARTICLE.sub("", term), PARTICLE.sub("", measure)  # 新增了…资金 names 新增…资金
    if term == measure or GENERIC_SUFFIX.sub("", term) == GENERIC_SUFFIX.sub("", measure):
        return True
    if len(term) >= 3 and term in measure:
        if FUNDING_WORD.fullmatch(measure[:measure.index(term)]):
            return False  # 一般公共预算财政拨款收入 is one fund's part of 财政拨款收入, not its name
        return len(term) >= 0.5 * len(measure)
    return len(measure) >= 3 and measure in term and len(measure) >= 0.5 * len(term)


# What a term may say beyond its measure and narrow nothing: what is asked of it (价值, 增幅) or generic words.
ASKED_OF = re.compile(r"价值|增幅|降幅|增长率|增速|变化|项目|预算|经费|资金|支出|收入|费用|的")


def _one_named(level: list[StoredNarrativeFact], facts: list[StoredNarrativeFact], term: str) -> list[StoredNarrativeFact]:
    """Leave out the figures of a sentence that states several measures the term is only part of: 季度用款计划 is
    neither the 第一季度用款计划 nor the 第二季度用款计划 of "第一季度用款计划15万元，第二季度用款计划15万元…"."""
    sentences = {n.sentence for n in level}
    partial: dict[str, set[str]] = {}
    for n in facts:
        measure = compact(n.measure)
        if n.sentence in sentences and term in measure and measure != term:
            partial.setdefault(n.sentence, set()).add(measure)
    return [n for n in level if compact(n.measure) == term or len(partial.get(n.sentence, ())) < 2]


def _unsaid_rest(term: str, n: StoredNarrativeFact) -> str:
    """What a term says beyond the stated measure it contains, where its sentence does not say it either:
    道路改造工程第一季度用款计划 is not the "第一季度用款计划158.05万元" of a page about another project."""
    measure = PARTICLE.sub("", compact(n.measure))
    term = PARTICLE.sub("", term)
    if not measure or measure not in term:
        return ""
    rest = ASKED_OF.sub("", ITEM_QUALIFIER.sub("", term.replace(measure, "　", 1)))
    sentence = compact(n.sentence)
    return next((w for w in rest.split("　") if len(w) >= 2 and w not in sentence), "")


def _just_before(n: StoredNarrativeFact, width: int) -> str:
    """The words right before a stated figure ("本项目计划安排年初预算21384.60万元" → "安排年初预算")."""
    sentence = compact(n.sentence)
    i = sentence.find(compact(n.text))
    return sentence[max(0, i - width):i] if i >= 0 else ""


FUNDED_BY = re.compile(f"(?:{FUNDING_WORD.pattern})$")


def _right_before(term: str, n: StoredNarrativeFact) -> bool:
    sentence = compact(n.sentence)
    i = sentence.find(term)
    if i > 0 and FUNDED_BY.search(sentence[:i]):
        return False  # "一般公共预算财政拨款收入12,672.73万元" states one fund's part of 财政拨款收入
    j = sentence.find(compact(n.text), i + len(term)) if i >= 0 else -1
    return i >= 0 and 0 <= j - (i + len(term)) <= 8


def _counted(term: str, n: StoredNarrativeFact) -> bool:
    """"设置并编报5个项目绩效目标": a count names what it counts right after its unit."""
    if n.unit not in ("个", "家", "项", "人", "辆", "台", "次", "册"):
        return False
    sentence = compact(n.sentence)
    i = sentence.find(compact(n.text))
    return i >= 0 and sentence[i + len(compact(n.text)):].startswith(term)


def _says_budget(n: StoredNarrativeFact) -> bool:
    """The words right before a stated figure name it a 预算 (年初预算为…), not a 决算."""
    before = _kind_words(_just_before(n, 4))
    return "预算" in before and "决算" not in before


def _kind_words(text: str) -> str:
    """The text without its funds' names: the 预算 of 一般公共预算 says nothing of 预算 or 决算."""
    return BUDGET_FUND.sub("", text)


def _pairs(text: str) -> set[str]:
    text = compact(text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _most_specific(facts: list[StoredNarrativeFact], terms: str) -> list[StoredNarrativeFact]:
    """Facts whose measure the question spells out first (longest first), then the rest in document order."""
    def specific(measure: str) -> int:
        bare = measure.replace("预算", "")
        # Read with the question's own filter ("共有车辆" loses 有 in both), so a measure spelled out matches.
        filtered = query_terms(measure, [])
        if len(measure) >= 2 and (measure in terms or (len(filtered) >= 2 and filtered in terms)):
            return -len(measure)
        return -len(bare) if len(bare) >= 2 and bare in terms.replace("预算", "") else 0

    def key(n: StoredNarrativeFact) -> tuple[bool, int]:
        # "支出预算593.46万元，支出决算587.55万元": a 决算 question wants the 决算 figure, and the reverse.
        # "…支出年初预算139,217.01万元，支出决算296,047.75万元": the kind may be printed after the measure read.
        said = {w for w in ("预算", "决算") if w in _kind_words(compact(n.measure) + _just_before(n, 4))}
        other = bool(said) and "决算" in terms and "决算" not in said
        other = other or ("年初预算" in terms and "决算" in said and "预算" not in said)
        return other, specific(compact(n.measure))

    return sorted(facts, key=key)
