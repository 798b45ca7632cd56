"""Shares the narrative states, recomputed: "X万元，占Y%" is X divided by the whole it is a share of.

The whole is what the sentence names, read strictly:
- a figure printed after 占: "占项目支出8691.03万元的95.8%";
- the total the sentence opens with, before 其中: "支出预算合计87,404.9万元，其中：基本支出11,554.72万元，占13.22%";
- a whole named after 占 ("占本年支出预算63.99%") or not named at all ("本年事业收入0万元，占0%"): a figure
  the narrative states under exactly those words, a 收入 / 支出 total of the same section (when the name is
  such a total, or there is none), or the sum of the parts whose shares of it add up to 100%.
A share is reported only when it fits none of these; rounding of every printed figure and a whole unit of
the share's last decimal are allowed. Nothing named, nothing found: the share is not checked.

    "基本支出预算19170.50万元，占本年支出预算63.99%" and "项目支出预算10785.77万元，占本年支出预算36.01%"
    → the whole is 19170.50 + 10785.77 (shares add up to 100%): both fit
    "基本支出11,554.72万元，占13.32%" after "支出预算合计87,404.9万元，其中：" → 13.22%，正文却写 13.32%
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from index.core.lexicon import ENUMERATOR, YEAR_WORD
from index.core.text import compact
from index.core.units import PERCENT, Amount, from_yuan, is_money
from qa.audit.model import Disclosure, Figure, Finding, slack_of, total_of
from qa.audit.reading.anchors import disclosure_anchors
from qa.audit.reading.items import narrative_reading
from qa.audit.reading.statements import Statement, figure_of
from qa.audit.reading.subjects import publisher_names, subject_of
from qa.audit.registry import rule

SHARE_FILLER = re.compile(r"的|比例为?|比重为?|为")
CLAUSE_BREAK = re.compile(r"[，,；;：:。、]")
# A whole named like a side's total: "本年支出预算", "支出总额", "收入预算合计".
FAMILY_TOTAL = re.compile(r"(本年|部门)?(支出|收入)(预算)?(合计|总计|总额)?")


@dataclass
class Share:
    statement: Statement
    part: Figure
    measure: str
    share: Decimal
    text: str  # the share as printed: "13.22%"
    where: Figure  # the share's own location
    wholes: list[Figure]  # what the sentence itself says the whole is
    base: tuple[str, str, str]  # (document, section or "", words naming the whole or the part's family)
    section: str  # the heading the share is under


def words_before(st: Statement, position: int) -> str:
    """The clause before a figure, without enumerator and year: "（一）2026年本年支出预算" → "本年支出预算"."""
    clause = CLAUSE_BREAK.split(compact(st.sentence[:position]))[-1]
    previous = None
    while previous != clause:
        previous, clause = clause, ENUMERATOR.sub("", clause)
    return YEAR_WORD.sub("", clause)


def family_of(words: str) -> str | None:
    return "收入" if "收入" in words else "支出" if "支出" in words or "经费" in words else None


def shares_of(st: Statement, section: str) -> list[Share]:
    values = [f for f in st.facts if is_money(f.unit) and f.relation == "value" and id(f) in st.positions]
    found = []
    for pct in (f for f in st.facts if f.unit == PERCENT and f.relation == "value" and id(f) in st.positions):
        at = st.positions[id(pct)]
        occupies = st.sentence.rfind("占", 0, at)
        before = [f for f in values if st.positions[id(f)] < occupies]
        if occupies < 0 or not before or occupies < st.positions[id(before[-1])]:
            continue
        inside = [f for f in values if occupies < st.positions[id(f)] < at]
        named = SHARE_FILLER.sub("", compact(st.sentence[occupies + 1:at]))
        wholes = [figure_of(inside[0], st.record)] if inside else []
        if not inside and not named and len(before) > 1 and "其中" in st.sentence[:occupies]:
            wholes = [figure_of(before[0], st.record)]  # the total the sentence opens with
        part_words = words_before(st, st.positions[id(before[-1])])
        base = named if not inside else ""
        key = (st.record.file_name, "" if named else section, base or (family_of(part_words) or ""))
        found.append(Share(st, figure_of(before[-1], st.record), part_words or before[-1].measure,
                           Decimal(pct.value), pct.text, figure_of(pct, st.record), wholes, key, section))
    return found


@rule("narrative_share", "正文占比", "error", family="d", explanation="正文所述占比应等于该数除以其所占的总数")
def check_shares(disclosure: Disclosure) -> list[Finding]:
    anchors = disclosure.shared(disclosure_anchors)
    publisher = disclosure.shared(publisher_names)
    sub_units = any(v.grouped for v in disclosure.views)
    stated: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)  # the figures stated under a whole's name
    shares: list[Share] = []
    for sentence in disclosure.shared(narrative_reading):
        st = sentence.statement
        section = st.facts[0].section_path[-1] if st.facts[0].section_path else ""
        for f in st.facts:
            if is_money(f.unit) and f.relation == "value" and id(f) in st.positions:
                at = st.positions[id(f)]
                stated[(st.record.file_name, "", words_before(st, at))].append(figure_of(f, st.record))
                subject = subject_of(st.befores.get(id(f), ""), st.sentence[:at], f.section_path[-2:], publisher, sub_units)
                if subject and subject.key in ("收入", "支出") and not subject.part:
                    stated[(st.record.file_name, section, subject.key)].append(figure_of(f, st.record))
        shares += shares_of(st, section)
    siblings: dict[tuple[str, str, str], list[Share]] = defaultdict(list)
    for s in shares:
        # Unnamed wholes: every share of the section, whatever side its part names ("财政专户管理资金").
        siblings[s.base if not s.base[1] else s.base[:2] + ("",)].append(s)
    findings = []
    for s in shares:
        group = siblings[s.base if not s.base[1] else s.base[:2] + ("",)]
        wholes = s.wholes or stated.get(s.base, []) + summed_siblings(group)
        if not s.wholes and FAMILY_TOTAL.fullmatch(s.base[2]) and (family := family_of(s.base[2])):
            wholes += stated.get((s.base[0], s.section, family), [])  # "占本年支出预算": the section's 支出 total
        if "三公" in s.base[2]:
            wholes += anchors.get("三公经费", [])
        wholes = [w for w in wholes if w.yuan > 0]
        if wholes and not any(fits(s.part, w, s.share, s.text) for w in wholes):
            findings.append(finding(s, wholes[0]))
    return findings


def summed_siblings(group: list[Share]) -> list[Figure]:
    """The whole as the sum of its parts, when their stated shares add up to 100%."""
    # Each printed share is rounded to half a unit of its last decimal: so is their sum.
    if len(group) < 2 or abs(sum((s.share for s in group), Decimal(0)) - 100) > Decimal("0.005") * len(group):
        return []
    parts = [s.part for s in group]
    unit = parts[0].unit
    return [Figure(Amount(from_yuan(total_of(parts), unit), unit, None), parts[0].location, slack_of(parts))]


def fits(part: Figure, whole: Figure, share: Decimal, text: str) -> bool:
    """The printed share lies in the range part / whole takes over the rounding of both figures."""
    unit = Decimal(1).scaleb(-len(text.rstrip("%").partition(".")[2]))
    low = (part.yuan - part.slack) / (whole.yuan + whole.slack) * 100
    high = (part.yuan + part.slack) / max(whole.yuan - whole.slack, Decimal("0.01")) * 100
    return low - unit <= share <= high + unit


def finding(s: Share, whole: Figure) -> Finding:
    actual = s.part.yuan / whole.yuan * 100
    return Finding(
        kind="narrative_share", severity="error", doc_id=s.statement.record.doc_id,
        message=f"「{s.measure}」{s.part.shown()} 占 {whole.shown()} 的 {actual:.2f}%，正文却写 {s.text}",
        figures=[str(s.part.value), str(whole.value), str(s.share), f"{actual:.2f}"],
        locations=[s.part.location, whole.location, s.where.location],
    )
