"""The narrative against itself and against the tables.

- narrative_arithmetic: "X，比2019年Y增加D，增长R%" → X − Y = D and D / Y = R% (within the rounding
  of every printed figure), and the direction word matches the sign.
- narrative_table: a named figure (收入预算, 基本支出, 三公经费 …) equals its table figure, allowing a
  unit of the last printed decimal (万元 with two decimals is rounded, and often adjusted so that
  parts add up: 尾差).
- narrative_item / narrative_name: "公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元" equals
  the table row 2040601 and uses its names; the follow-up "2026年预算安排B万元" repeats that figure.
- narrative_year: "比2026年预算增加…" in the 2026 budget compares the year with itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.core.text import compact
from index.store.facts import DocumentRecord, StoredNarrativeFact
from qa.audit.model import UNIT_SCALE, Figure, Finding, Location, TableView, differs, show
from qa.audit.rules.anchors import build_anchors, narrative_key
from qa.audit.rules.arithmetic import check_arithmetic
from qa.audit.rules.items import check_item_sentence, function_names, item_in_sentence

MONEY = set(UNIT_SCALE)
COMPARED = re.compile(r"(比|较|同比|与)")
CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低)")
SELF_YEAR = re.compile(r"(?:比|较|与)\s*(20\d\d)\s*年(?:年初)?预算")


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
    roles: dict[int, str] = field(default_factory=dict)  # id(fact) → current | previous | change | rate | other


def figure_of(fact: StoredNarrativeFact, record: DocumentRecord, sign: int = 1) -> Figure:
    loc = Location(document=record.file_name, page=fact.page, table="正文", row=fact.sentence, column=fact.measure)
    return Figure(fact.value * sign, fact.unit, fact.text, loc)


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
        if st.current is None and st.previous is not None and COMPARED.match(st.sentence) and i > 0:
            before = out[i - 1]  # "…合计2351333.1元。比2019年2,858,075.92元减少…"
            if before.record.doc_id == st.record.doc_id and before.current is not None and before.previous is None:
                st.current, st.measure = before.current, before.measure
    return out


def sort_figures(st: Statement) -> None:
    year = st.record.year
    cursor = 0
    for fact in st.facts:
        pos = st.sentence.find(fact.text, cursor)
        if pos < 0:
            pos = st.sentence.find(fact.text)
        before = st.sentence[cursor:pos] if pos >= cursor else ""
        st.befores[id(fact)] = before
        cursor = pos + len(fact.text) if pos >= 0 else cursor
        role = "other"
        if fact.unit == "%":
            if fact.relation in ("growth_rate", "decline_rate"):
                role = "rate"
                if st.rate is None:
                    st.rate = figure_of(fact, st.record, -1 if fact.relation == "decline_rate" else 1)
        elif fact.unit in MONEY:
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


def check_narrative(records: list[DocumentRecord], facts: list[StoredNarrativeFact], views: list[TableView]) -> list[Finding]:
    by_id = {r.doc_id: r for r in records}
    year = next((r.year for r in records if r.year), None)
    anchors = build_anchors(views, year)
    findings: list[Finding] = []
    names = function_names(views)
    item = None
    for st in statements(facts, by_id):
        findings += check_self_year(st)
        found_item = item_in_sentence(st, views, names)
        if found_item is not None:
            findings += found_item.findings
            item = found_item
            continue
        if item is not None and st.previous is not None:
            st.measure = item.name  # "2025年当年预算执行数为…" speaks of the item named just before
        item_findings, explained = check_item_sentence(st, item, views)
        findings += item_findings
        item = None
        if not explained:
            findings += check_arithmetic(st)
        findings += check_against_tables(st, anchors)
    return findings


def check_self_year(st: Statement) -> list[Finding]:
    m = SELF_YEAR.search(st.sentence)
    if not m or st.record.year is None or int(m.group(1)) != st.record.year:
        return []
    # The clause with the comparison and the one before it: what is compared with what.
    clause_start = max(st.sentence.rfind(p, 0, m.start()) for p in "，,；：")
    context_start = max(st.sentence.rfind(p, 0, max(clause_start, 0)) for p in "，,；：") + 1
    quoted = st.sentence[context_start:m.end()] + re.split(r"[，,；。]", st.sentence[m.end():])[0]
    return [Finding(
        kind="narrative_year", severity="warning", doc_id=st.record.doc_id,
        message=f"正文“{quoted}”：{st.record.year}年预算与{m.group(1)}年预算相比，比较年份应为上一年",
        figures=[m.group(1)], locations=[Location(document=st.record.file_name, page=st.page, table="正文", row=st.sentence)],
    )]


def check_against_tables(st: Statement, anchors: dict[str, list[Figure]]) -> list[Finding]:
    findings = []
    section = st.facts[0].section_path
    for fact in st.facts:
        if fact.unit not in MONEY or st.roles.get(id(fact)) not in ("current", "other") or fact.relation != "value":
            continue
        key = narrative_key(fact.measure, st.befores.get(id(fact), ""), section, st.sentence)
        candidates = anchors.get(key or "", [])
        if not candidates:
            continue
        said = figure_of(fact, st.record)
        # A whole unit of the narrative's last decimal: 尾差 adjustments keep parts adding up.
        if any(not differs(said.yuan, c.yuan, 2 * said.slack + c.slack) for c in candidates):
            continue
        table = min(candidates, key=lambda c: abs(said.yuan - c.yuan))
        diff = said.yuan - table.yuan
        share = "占" in st.befores.get(id(fact), "")
        findings.append(Finding(
            kind="narrative_table", severity="warning" if share else "error", doc_id=st.record.doc_id,
            message=(f"正文「{compact(fact.measure)}」{said.shown()} ≠ {table.location.table}「{table.location.row}」"
                     f"{table.location.column} {table.shown()}（差 {show(diff / UNIT_SCALE[said.unit], said.unit, 2)}）"),
            figures=[str(said.value), str(table.value), str(diff / UNIT_SCALE[said.unit])],
            locations=[said.location, table.location],
        ))
    return findings
