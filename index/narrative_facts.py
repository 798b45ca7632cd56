"""Figures stated in the narrative, attached to what they measure, quoting their sentence.

"2020年收入预算7,955,559.34元，比2019年收入预算7,132,122.63元增加823,436.71元，增长11.55%"
→ 收入预算 (2020) 7955559.34 元; 收入预算 (2019, previous) 7132122.63 元;
  收入预算 increase 823436.71 元; 收入预算 growth_rate 11.55 %.
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.model import Block, NarrativeFact
from index.numbers import try_parse_number

FIGURE = re.compile(
    r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|%|％|个百分点|人|个|分|台\(套\)|台（套）|台|辆|套|项|家)"
)
SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?")
# A comma between digit groups (7,955,559.34) is a thousands separator, not a clause break.
CLAUSE = re.compile(r"(?:(?<=\d)[,，](?=\d{3})|[^，,：:])+[，,：:]?")
YEAR = re.compile(r"(20\d\d)\s*年度?")
INCREASE = re.compile(r"(增加|增长|上升|提高|多)")
DECREASE = re.compile(r"(减少|下降|降低|压减|少)")
# Words around a figure that say nothing about what it measures.
FILLER = re.compile(
    r"(20\d\d\s*年度?|年初预算数?|当年|本年度?|本单位|本部门|单位|部门预算中?|部门|其中[:：]?|主要是|共计|合计为?|总额为?|为|是|安排了?|预算安排|约|达|"
    r"比|较|与|同比|上年|增加|减少|增长|下降|持平|一致|[“”\"'‘’（）()、，,：:。\s])"
)
MEASURE_HINT = re.compile(r"[\u4e00-\u9fff]{2,}")
COUNT_UNITS = {"个", "人", "台", "辆", "套", "项", "家"}
AFTER_NOUN = re.compile(r"^[\u4e00-\u9fff]{2,10}")
ORG_PREFIX = re.compile(r"^.*?(办公室|办事处|委员会|局|委)(?=[\u4e00-\u9fff]{2,})")


def extract_narrative_facts(blocks: list[Block], doc_year: int | None) -> list[NarrativeFact]:
    facts: list[NarrativeFact] = []
    for block in blocks:
        if block.kind != "paragraph":
            continue
        for sentence in SENTENCE.findall(block.text):
            sentence = sentence.strip()
            if FIGURE.search(sentence):
                facts.extend(_sentence_facts(sentence, block, doc_year))
    return facts


def _sentence_facts(sentence: str, block: Block, doc_year: int | None) -> list[NarrativeFact]:
    out: list[NarrativeFact] = []
    main_measure: str | None = None
    pending_measure: str | None = None  # from a clause without figures ("…的行政运行经费，合计326,480.46元")
    sentence_year = doc_year
    m = YEAR.search(sentence)
    if m and (m.start() <= 3 or doc_year is None or int(m.group(1)) >= doc_year):
        sentence_year = int(m.group(1))
    for clause in CLAUSE.findall(sentence):
        cursor = 0
        figures = list(FIGURE.finditer(clause))
        if not figures:
            pending_measure = _measure(clause) or pending_measure
            continue
        for fig in figures:
            before = clause[cursor:fig.start()]
            cursor = fig.end()
            after = clause[fig.end():]
            if after.startswith(("以上", "以下")):
                continue  # a threshold ("单位价值50万元以上"), not a figure of this budget
            parsed = try_parse_number(fig.group("num"))
            if parsed is None or parsed.value is None:
                continue
            unit = fig.group("unit").replace("％", "%").replace("台（套）", "台").replace("台(套)", "台")
            relation, year = _relation(before, clause, unit, sentence_year)
            measure = _measure(before)
            if unit in COUNT_UNITS:
                noun = AFTER_NOUN.match(after)
                if noun and (measure is None or len(before.strip()) <= 2):
                    measure = noun.group(0)
            if relation == "value" and measure:
                main_measure = main_measure or measure
            elif relation == "previous" and not measure:
                measure = main_measure or pending_measure
            if relation in ("increase", "decrease", "growth_rate", "decline_rate") or not measure:
                measure = main_measure or measure or pending_measure
            if not measure:
                measure = _measure(re.sub(r"(情况)?说明$", "", block.section_path[-1])) if block.section_path else None
            if not measure:
                continue
            if relation == "value" and main_measure is None:
                main_measure = measure
            out.append(
                NarrativeFact(
                    measure=measure,
                    relation=relation,
                    year=year,
                    value=parsed.value,
                    unit=unit,
                    text=fig.group(0).strip(),
                    sentence=sentence,
                    page=block.page,
                    bbox=block.bbox,
                    section_path=block.section_path,
                )
            )
    return out


def _relation(before: str, clause: str, unit: str, sentence_year: int | None) -> tuple[str, int | None]:
    years = YEAR.findall(before)
    year = int(years[-1]) if years else sentence_year
    tail = before[-8:]
    if unit in ("%", "个百分点"):
        if DECREASE.search(before):
            return "decline_rate", sentence_year
        if INCREASE.search(before):
            return "growth_rate", sentence_year
        return "value", year
    if DECREASE.search(tail):
        return "decrease", sentence_year
    if INCREASE.search(tail):
        return "increase", sentence_year
    if re.search(r"(比|较|与|同比)", before) and years and sentence_year and int(years[-1]) < sentence_year:
        return "previous", int(years[-1])
    return "value", year


def _measure(before: str) -> str | None:
    text = re.sub(r"[“”\"'‘’「」]", "", before)
    text = ORG_PREFIX.sub("", text)
    text = FILLER.sub(" ", text)
    words = MEASURE_HINT.findall(text)
    if not words:
        return None
    measure = re.sub(r"^.*的", "", words[-1])  # "…安排的行政运行经费" → 行政运行经费
    return measure if len(measure) >= 2 else None


def total_of(facts: list[NarrativeFact]) -> Decimal:
    """Sum of figures (used by callers that add up 其中 parts)."""
    return sum((f.value for f in facts), Decimal(0))
