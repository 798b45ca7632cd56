"""The narrative's figures, one sentence at a time, sorted into what they say.

"基本支出3,753.62万元，比2019年3,100.00万元增加653.62万元，增长21.08%" → current 3,753.62 万元, previous
3,100.00 万元, change +653.62 万元, rate +21.08%, measure 基本支出. A sentence that opens with the
comparison ("比2019年…减少…") continues the figure of the sentence before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.core.units import PERCENT, Amount, is_money
from index.store.facts import DocumentRecord, StoredNarrativeFact
from qa.audit.model import Figure, Location

COMPARED = re.compile(r"(比|较|同比|与)")
CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低)")


@dataclass
class Statement:
    """The figures of one sentence, sorted into what they say."""

    record: DocumentRecord
    sentence: str
    page: int
    facts: list[StoredNarrativeFact]
    current: Figure | None = None
    previous: Figure | None = None
    change: Figure | None = None  # signed: negative for 减少
    rate: Figure | None = None  # signed percent
    measure: str = ""
    befores: dict[int, str] = field(default_factory=dict)  # id(fact) → text before its figure
    positions: dict[int, int] = field(default_factory=dict)  # id(fact) → where its figure starts, when found
    roles: dict[int, str] = field(default_factory=dict)  # id(fact) → current | previous | change | rate | other
    carried: bool = False  # the current figure is the sentence before's ("与上年相比增加…" opening a sentence)


def figure_of(fact: StoredNarrativeFact, record: DocumentRecord, sign: int = 1) -> Figure:
    loc = Location(document=record.file_name, page=fact.page, table="正文", row=fact.sentence, column=fact.measure,
                   value=fact.text)
    return Figure(Amount(fact.value * sign, fact.unit, fact.text), loc)


def statements(facts: list[StoredNarrativeFact], records: dict[str, DocumentRecord]) -> list[Statement]:
    out: list[Statement] = []
    for fact in facts:
        record = records[fact.doc_id]
        last = out[-1] if out else None
        if last and last.sentence == fact.sentence and last.page == fact.page and last.record.doc_id == fact.doc_id:
            last.facts.append(fact)
        else:
            out.append(Statement(record, fact.sentence, fact.page, [fact]))
    for i, st in enumerate(out):
        sort_figures(st)
        compared = st.previous is not None or st.change is not None or st.rate is not None
        if st.current is None and compared and COMPARED.match(st.sentence) and i > 0:
            # "…合计2351333.1元。比2019年2,858,075.92元减少…", "…（类）支出86,499.23万元。与上年相比增加…":
            # only a sentence with one figure, and no comparison of its own, is continued.
            before = out[i - 1]
            if (before.record.doc_id == st.record.doc_id and before.current is not None and before.previous is None
                    and before.change is None and before.rate is None and one_amount(before)):
                st.current, st.measure = before.current, before.measure
                st.carried = True
    return out


@dataclass(frozen=True)
class Reading:
    """One way to read which figures a sentence's change or rate compares."""

    current: Figure | None
    previous: Figure | None
    measure: str


def readings(st: Statement) -> list[Reading]:
    """The current and previous figures the sentence's change or rate may speak of, nearest first.

    "一般公共预算支出9,216.51万元，其中：工资福利支出5,641.33万元，较上年增加297.07万元，增长5.56%": the
    change follows 5,641.33, so that is its current figure; but in "预算收入344,447.70万元，其中：…、其他
    收入3,444.00万元，较上年减少…" it is the head's. Both are readings; a previous figure printed after
    the change ("主要原因是2025年度结转1,036.60万元") is the reason, never the base.
    """
    head = Reading(st.current, st.previous, st.measure)
    if st.carried or st.current is None or len(st.positions) < len(st.facts):
        return [head]  # a figure not found in its sentence: its place is unknown, read the sentence as a whole
    anchors = [st.positions[id(f)] for f in st.facts if st.roles.get(id(f)) in ("change", "rate")]
    if not anchors:
        return [head]
    first = min(anchors)
    values = [f for f in st.facts if st.roles.get(id(f)) in ("current", "other") and is_money(f.unit)
              and f.relation == "value" and st.positions[id(f)] < first]
    if not values:
        return []
    earlier = [f for f in st.facts if st.roles.get(id(f)) == "previous" and st.positions[id(f)] < first]
    head = Reading(st.current, figure_of(earlier[0], st.record) if earlier else None, st.measure)
    base = values[-1]
    if st.roles.get(id(base)) == "current":
        return [head]
    between = [f for f in earlier if st.positions[id(f)] > st.positions[id(base)]]
    nearest = Reading(figure_of(base, st.record), figure_of(between[0], st.record) if between else None, base.measure)
    return [nearest, head]


def one_amount(st: Statement) -> bool:
    return sum(1 for f in st.facts if is_money(f.unit)) == 1


def sort_figures(st: Statement) -> None:
    year = st.record.year
    cursor = 0
    for fact in st.facts:
        pos = st.sentence.find(fact.text, cursor)
        if pos < 0:
            pos = st.sentence.find(fact.text)
        before = st.sentence[cursor:pos] if pos >= cursor else ""
        st.befores[id(fact)] = before
        if pos >= 0:
            st.positions[id(fact)] = pos
        cursor = pos + len(fact.text) if pos >= 0 else cursor
        role = "other"
        if fact.unit == PERCENT:
            if fact.relation in ("growth_rate", "decline_rate"):
                role = "rate"
                if st.rate is None:
                    st.rate = figure_of(fact, st.record, -1 if fact.relation == "decline_rate" else 1)
        elif is_money(fact.unit):
            if fact.relation in ("increase", "decrease"):
                role = "change"
                if st.change is None:
                    st.change = figure_of(fact, st.record, -1 if fact.relation == "decrease" else 1)
            elif fact.relation == "previous" or (COMPARED.search(before) and not CHANGE_WORD.search(before)) or (
                fact.year and year and fact.year < year
            ):
                role = "previous"
                st.previous = st.previous or figure_of(fact, st.record)
            elif st.current is None and st.change is None:
                role = "current"
                st.current = figure_of(fact, st.record)
                st.measure = fact.measure
        st.roles[id(fact)] = role
