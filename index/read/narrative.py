"""Figures stated in the narrative, attached to what they measure, quoting their sentence.

"2020年收入预算7,955,559.34元，比2019年收入预算7,132,122.63元增加823,436.71元，增长11.55%"
→ 收入预算 (2020) 7955559.34 元; 收入预算 (2019, previous) 7132122.63 元;
  收入预算 increase 823436.71 元; 收入预算 growth_rate 11.55 %.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from index.core.lexicon import RUN_IN_HEADING, SENTENCE_ORG_PREFIX, YEAR_WORD, split_sentences
from index.core.model import NIL, Block, NarrativeFact
from index.core.numbers import try_parse_number
from index.core.text import compact
from index.core.units import PERCENT, WAN

Relation = Literal["value", "previous", "increase", "decrease", "growth_rate", "decline_rate", "same"]

FIGURE = re.compile(
    r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>万元|万(?![\u4e00-\u9fff])|亿元|元|%|％|个百分点|人次|人|个|分|台\(套\)|台（套）|台|辆|套|项|家|次|册)"
)
# A count printed without its unit ("实有公务用车数量为1", "申报绩效目标的项目有16涉及…"): unit "".
BARE_COUNT = re.compile(r"(?:(?<=数量为)|(?<=数量是)|(?<=[^没]有))(?P<num>\d{1,4})(?![\d.]|[,，]\d|\s*[年月日号万亿元%％个人台辆套项家次册分])")
# A figure that only says which year's number follows, attached to the previous sentence's item:
# "…专项普查活动（项）”25.77万元。2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，…"
GENERIC_MEASURE = re.compile(r"^(?:当年)?(?:预算)?(?:执行数|执行|安排|预算数|决算数|年初预算数?)$")
# A comma between digit groups (7,955,559.34) is a thousands separator, not a clause break.
CLAUSE = re.compile(r"(?:(?<=\d)[,，](?=\d{3})|[^，,：:])+[，,：:]?")
INCREASE = re.compile(r"(增加|增长|上升|提高|多)")
DECREASE = re.compile(r"(减少|下降|降低|压减|少)")
# Words around a figure that say nothing about what it measures.
FILLER = re.compile(
    r"(20\d\d\s*年度?|年初预算数?|当年|本年度?|本单位|本部门|单位|部门预算中?|部门|其中[:：]?|主要是|共计|合计为?|总额为?|为|是|安排了?|预算安排|约|达|"
    r"比|较|与|同比|上年|增加|减少|增长|下降|持平|一致|[“”\"'‘’（）()、，,：:。\s])"
)
MEASURE_HINT = re.compile(r"[\u4e00-\u9fff]{2,}")
COUNT_UNITS = {"个", "人", "台", "辆", "套", "项", "家", "次", "人次", "册", ""}
AFTER_NOUN = re.compile(r"^[\u4e00-\u9fff]{2,10}")


def extract_narrative_facts(blocks: list[Block], doc_year: int | None) -> list[NarrativeFact]:
    facts: list[NarrativeFact] = []
    for block in blocks:
        if block.kind != "paragraph" and not (len(block.text) > 12 and FIGURE.search(block.text)):
            continue  # a numbered sentence may be parsed as a heading ("1.…（本级）内设机构13个，包括：…")
        carried: NarrativeFact | None = None  # the item the previous sentence of the block stated
        lead: str | None = None  # "（一）收入预算。2026年年初预算数19,230.18万元…": the run-in heading names the figures
        as_of: int | None = None  # "截至2025年12月，…；单价100万元以上设备21台（套）。": the date runs to the 。
        run: list[NarrativeFact] = []  # the facts of the dated sentence, quoted whole (with its date)
        parts: list[str] = []
        for sentence in split_sentences(block.text):
            dated = AS_OF.match(compact(sentence))
            if dated:
                as_of, run, parts = int(dated.group(1)), [], []
            if not (FIGURE.search(sentence) or BARE_COUNT.search(sentence)):
                heading = RUN_IN_HEADING.match(compact(sentence))
                lead = _lead(heading.group(1)) if heading else lead
                facts.extend(_absent(sentence, block, doc_year))
            else:
                found = _both_sides(_sentence_facts(sentence, block, doc_year, lead), sentence)
                if found and carried is not None and GENERIC_MEASURE.match(found[0].measure):
                    found = _continuation(found, carried, doc_year)
                if as_of is not None and not dated and not YEAR_WORD.search(sentence):
                    found = [f.model_copy(update={"year": as_of}) for f in found]
                facts.extend(found)
                run += found if as_of is not None else []
                carried = next((f for f in found if f.relation == "value"), carried)
            parts += [sentence] if as_of is not None else []
            if as_of is not None and not sentence.endswith(("；", ";")):
                _quote_whole(facts, run, "".join(parts))
                as_of, run, parts = None, [], []
        if as_of is not None:
            _quote_whole(facts, run, "".join(parts))
    return facts


def _quote_whole(facts: list[NarrativeFact], run: list[NarrativeFact], whole: str) -> None:
    """The facts of a dated sentence cut at its ；s quote it whole, so the date is read with each figure."""
    ids = {id(f) for f in run}
    facts[:] = [f.model_copy(update={"sentence": whole}) if id(f) in ids else f for f in facts]


# A sentence that dates what it states: "截至2025年12月，…" (holdings, counts) — the date, not the disclosure's year.
AS_OF = re.compile(r"^截[至止](20\d\d)年(?:\d{1,2}月|底|末)")


# "本单位无机关运行经费。", "本单位无政府性基金预算支出、国有资本经营预算支出。", "本部门2024年无三公经费和机关运行
#经费预算，故本表为空表。": the disclosure states each amount is nil, which answers "是多少" with 0, quoted. Only
# money measures said of the unit itself ("无独立核算下属单位", "无新增采购大型设备计划" are no amounts).
ABSENT = re.compile(r"^(?:本单位|本部门|我单位|我部门|单位|部门)(?:20\d\d年度?)?(?:无|没有)(?P<list>[^，,。；;]{2,60}?)"
                    r"(?:[，,]故(?:此|本)表(?:无数据|为空表?))?[。；;]?$")
NIL_MEASURE = re.compile(r"^[\u4e00-\u9fff“”\"]{2,16}(?:经费|预算|支出|收入)$")


def _absent(sentence: str, block: Block, doc_year: int | None) -> list[NarrativeFact]:
    m = ABSENT.match(compact(sentence))
    if m is None:
        return []
    measures = [re.sub(r"[“”\"]", "", part) for part in re.split(r"、|和|及", m.group("list"))]
    if not measures or not all(NIL_MEASURE.match(x) for x in measures):
        return []  # one part not an amount: the sentence says something else
    return [NarrativeFact(measure=x, year=doc_year, value=Decimal(0), unit=WAN, text=NIL, sentence=sentence,
                          page=block.page, bbox=block.bbox, section_path=block.section_path) for x in measures]


# "收入、支出预算总计92,596.24万元，与上年相比收、支预算总计各增加…": one figure for both sides.
BOTH_SIDES = re.compile(r"收入、支出((?:预算)?总计|预算)")
# "财政拨款收入总计、支出总计均为864,177.93万元": each side named whole, with the fund written once before them.
EACH_SIDE = re.compile(r"(财政拨款|一般公共预算财政拨款|政府性基金预算财政拨款)?收入((?:预算)?(?:总计|合计))、支出\2(均|各)?")


# "财政拨款收、支总预算64,092.25万元", "…财政拨款收、支总计各减少2,087.49万元": 收、支 is one word (收支), not a list.
SHORT_SIDES = re.compile(r"(财政拨款|一般公共预算财政拨款|政府性基金预算财政拨款)?收、支((?:预算)?(?:总预算|总计|合计)|预算)(均|各)?")


def _short_sides(found: list[NarrativeFact], sentence: str) -> list[NarrativeFact]:
    """A figure read as the measure "支总预算" (收、支 split at its 、) is stated for 收支 whole, the fund kept."""
    m = SHORT_SIDES.search(compact(sentence))
    if m is None:
        return found
    read = {f"支{m.group(2)}{m.group(3) or ''}", f"支{m.group(2)}"}
    whole = f"{m.group(1) or ''}收支{m.group(2)}"
    return [f.model_copy(update={"measure": whole}) if f.measure in read else f for f in found]


def _both_sides(found: list[NarrativeFact], sentence: str) -> list[NarrativeFact]:
    """The facts of a sentence that states 收入 and 支出 together, stated for 收入 too."""
    found = _short_sides(found, sentence)
    m = BOTH_SIDES.search(compact(sentence))
    if m is None:
        return _each_side(found, sentence)
    spending = "支出" + m.group(1)
    income = [f.model_copy(update={"measure": "收入" + m.group(1)}) for f in found if f.measure == spending]
    return found + income


def _each_side(found: list[NarrativeFact], sentence: str) -> list[NarrativeFact]:
    """"收入总计、支出总计均为…" was read as the measure "支出总计均": stated for each side, the fund kept."""
    m = EACH_SIDE.search(compact(sentence))
    if m is None:
        return _joint_sides(found)
    fund, total = m.group(1) or "", m.group(2)
    read = {f"支出{total}{m.group(3) or ''}", f"支出{total}"}
    out = []
    for f in found:
        if f.measure in read:
            out += [f.model_copy(update={"measure": f"{fund}{side}{total}"}) for side in ("收入", "支出")]
        else:
            out.append(f)
    return out


# "2024年度收入支出总计2995.39万元" (决算 narratives): one total, the same on each side of the 收支 table.
JOINT_SIDES = re.compile(r"(.*?)收入支出((?:预算|决算)?(?:总计|合计))")


def _joint_sides(found: list[NarrativeFact]) -> list[NarrativeFact]:
    """A figure stated for "收入支出总计" is each side's total, the fund before it kept."""
    out = []
    for f in found:
        m = JOINT_SIDES.fullmatch(f.measure)
        out += [f.model_copy(update={"measure": f"{m.group(1)}{side}{m.group(2)}"}) for side in ("收入", "支出")] if m else [f]
    return out


def _continuation(found: list[NarrativeFact], item: NarrativeFact, doc_year: int | None) -> list[NarrativeFact]:
    """A sentence that states another year's figure of the previous sentence's item: the earlier
    year's figure is that item's ``previous``, its restated current figure stays the item's value
    (kept: when it differs from the first statement, that is an error the audit must see), and
    the change is the item's."""
    out = []
    for f in found:
        if not GENERIC_MEASURE.match(f.measure):
            out.append(f)
            continue
        if f.relation == "value" and f.unit not in ("%", "个百分点") and f.year is not None and doc_year is not None \
                and f.year < doc_year:
            f = f.model_copy(update={"relation": "previous"})
        out.append(f.model_copy(update={"measure": item.measure}))
    return out


def _sentence_facts(sentence: str, block: Block, doc_year: int | None, lead: str | None = None) -> list[NarrativeFact]:
    out: list[NarrativeFact] = []
    main_measure: str | None = None
    pending_measure: str | None = None  # from a clause without figures ("…的行政运行经费，合计326,480.46元")
    sentence_year = doc_year
    m = YEAR_WORD.search(sentence)
    if m and (m.start() <= 3 or doc_year is None or int(m.group(1)) >= doc_year):
        sentence_year = int(m.group(1))
    for clause in CLAUSE.findall(sentence):
        cursor = 0
        figures = _figures(clause)
        if not figures:
            pending_measure = _measure(clause) or pending_measure
            continue
        for fig in figures:
            before = clause[cursor:fig.start()]
            after = clause[fig.end():]
            if re.search(r"[（(]$", before) and re.match(r"[)）]", after) and unit_of(fig) in COUNT_UNITS:
                continue  # a code in brackets ("行政运行（01项）"), not a count: it stays in the next figure's words
            cursor = fig.end()
            if after.startswith(("以上", "以下")):
                continue  # a threshold ("单位价值50万元以上"), not a figure of this budget
            parsed = try_parse_number(fig.group("num"))
            if parsed is None or parsed.value is None:
                continue
            unit = unit_of(fig)
            relation, year = _relation(before, clause, unit, sentence_year)
            measure = _measure(before)
            if lead and measure is not None and GENERIC_MEASURE.match(measure):
                measure = lead  # "（二）公务接待费。2026年预算数2.81万元": the run-in heading says what the 预算数 is of
            if unit in COUNT_UNITS:
                noun = AFTER_NOUN.match(after)
                if noun and (measure is None or len(before.strip()) <= 2):
                    measure = noun.group(0)
            if relation == "value" and measure:
                main_measure = main_measure or measure
            elif relation == "previous" and not measure:
                measure = main_measure or pending_measure
            if relation == "value" and not measure and unit not in COUNT_UNITS and out and out[-1].unit in COUNT_UNITS \
                    and out[-1].sentence == sentence and not before.strip("，,；; "):
                measure = out[-1].measure  # "车辆5辆，182.83万元": the amount of what was just counted
            if relation in ("increase", "decrease", "growth_rate", "decline_rate") or not measure:
                measure = main_measure or measure or pending_measure
            if not measure:
                measure = lead
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


def _figures(clause: str) -> list[re.Match[str]]:
    """Figures with a unit, and counts printed without one where they do not overlap."""
    found = list(FIGURE.finditer(clause))
    taken = [(m.start(), m.end()) for m in found]
    for m in BARE_COUNT.finditer(clause):
        if all(m.end() <= a or m.start() >= b for a, b in taken):
            found.append(m)
    return sorted(found, key=lambda m: m.start())


def unit_of(fig: re.Match[str]) -> str:
    unit = fig.groupdict().get("unit") or ""
    if unit == "万":
        return WAN  # "870.00万，": 万 alone is 万元 in a budget
    return unit.replace("％", PERCENT).replace("台（套）", "台").replace("台(套)", "台")


def _relation(before: str, clause: str, unit: str, sentence_year: int | None) -> tuple[Relation, int | None]:
    years = YEAR_WORD.findall(before)
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


def _lead(heading: str) -> str | None:
    """What a run-in heading names: "因公出国（境）费用" whole (its bracket is part of the name), else its measure."""
    if re.search(r"[（(][\u4e00-\u9fff]{1,2}[)）]", heading):
        return re.sub(r"费用$", "费", heading)
    return _measure(heading)


def _measure(before: str) -> str | None:
    text = re.sub(r"[“”\"'‘’「」]", "", before)
    text = re.sub(r"[（(]\d{1,3}[类款项][)）]", " ", text)  # 科目 codes: "司法（06款）行政运行（01项）"
    text = re.sub(r"[（(]以[^（()）]{1,12}为准[)）]", "", text)  # "政府采购金额（以合同签订为准）为…": a remark, not the measure
    text = SENTENCE_ORG_PREFIX.sub("", text)
    text = FILLER.sub(" ", text)
    words = MEASURE_HINT.findall(text)
    if not words:
        return None
    measure = re.sub(r"^.*的", "", words[-1])  # "…安排的行政运行经费" → 行政运行经费
    measure = re.sub(r"(?<=[\u4e00-\u9fff]{2})(共有|有)$", "", measure)  # "…的项目有16" → 项目
    return measure if len(measure) >= 2 else None

