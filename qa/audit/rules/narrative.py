"""Rules over the narrative, against itself and against the tables.

- narrative_table (正文与表格): a named figure (收入预算, 基本支出, 三公经费 …) equals its table figure,
  allowing a unit of the last printed decimal (万元 with two decimals is rounded, and often adjusted so
  that parts add up: 尾差); a 科目 line ("公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元")
  equals the row 2040601.
- narrative_arithmetic (正文算术): "X，比2019年Y增加D，增长R%" → X − Y = D and D / Y = R% (within the
  rounding of every printed figure), and the direction word matches the sign; "X，与上年Y持平" → X = Y.
- narrative_consistency (正文前后): the sentence after a 科目 line ("2026年预算安排B万元") repeats its figure.
- narrative_name (正文名称): a 科目 line uses the tables' names for its codes.

    "2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%"
    → narrative_arithmetic: 「其他司法支出」3,845.49万元 比 43,269.3万元 减少 91.11%，正文却写增加 17.62%（方向相反；
      所写增长率与上年数 3,269.3万元 相符，所写上年数疑多印一位数字）
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.core.text import compact
from index.core.units import Amount, from_yuan, is_money, show
from qa.audit.model import Disclosure, Figure, Finding, Location, TableView, differs, mismatch
from qa.audit.reading.anchors import disclosure_anchors
from qa.audit.reading.arithmetic import change_rate, rate_fits
from qa.audit.reading.items import Item, function_names, key, narrative_reading, table_figures
from qa.audit.reading.statements import Reading, Statement, figure_of, readings
from qa.audit.reading.subjects import WHOLES, publisher_names, subject_of
from qa.audit.registry import rule

# "与上年持平": the sentence says the figure did not change.
UNCHANGED = re.compile(r"持平|相同|一致|无变化|不变")


@rule("narrative_table", "正文与表格", "error", family="a", explanation="正文所述部门收支、三公等数字应与表中相同")
def check_against_tables(disclosure: Disclosure) -> list[Finding]:
    anchors = disclosure.shared(disclosure_anchors)
    publisher = disclosure.shared(publisher_names)
    sub_units = any(v.grouped for v in disclosure.views)
    findings: list[Finding] = []
    head: str | None = None  # what the sentence before was about: "其中：X" at a sentence start is its part
    for sentence in disclosure.shared(narrative_reading):
        if sentence.item is not None:
            findings += item_against_tables(sentence.statement, sentence.item, disclosure)
            head = None
            continue
        found, head = figures_against_anchors(sentence.statement, anchors, publisher, sub_units, head)
        findings += found
    return findings


def figures_against_anchors(
    st: Statement, anchors: dict[str, list[Figure]], publisher: list[str], sub_units: bool, head: str | None
) -> tuple[list[Finding], str | None]:
    """Each figure whose words name a whole-budget measure (``reading.subjects``) against its table figures;
    and the measure of the sentence's first figure, for a "其中" in the next sentence."""
    findings = []
    keys: list[str | None] = []  # what each money figure of the sentence so far is
    for fact in st.facts:
        if not is_money(fact.unit) or st.roles.get(id(fact)) not in ("current", "other") or fact.relation != "value":
            continue
        prefix = st.sentence[:st.positions.get(id(fact), len(st.befores.get(id(fact), "")))]
        subject = subject_of(st.befores.get(id(fact), ""), prefix, fact.section_path[-2:], publisher, sub_units)
        whole = keys[0] if keys else head
        keys.append(subject.key if subject else None)
        if subject is None or (len(keys) > 1 and keys[-2] is None and not subject.share):
            continue  # "项目A 2,520.00万元，上年结转122.31万元": a figure after an unknown one is its detail
        if subject.part and whole not in WHOLES:
            continue  # "预算资金…，其中财政拨款…": a part of something the tables do not print
        candidates = anchors.get(subject.key, [])
        said = figure_of(fact, st.record)
        # A whole unit of the narrative's last decimal: 尾差 adjustments keep parts adding up.
        if not candidates or any(not differs(said.yuan, c.yuan, 2 * said.slack + c.slack) for c in candidates):
            continue
        table = min(candidates, key=lambda c: abs(said.yuan - c.yuan))
        where = table.location
        findings.append(mismatch(
            "narrative_table", said.amount, f"正文「{compact(fact.measure)}」",
            table.amount, f"{where.table}「{where.row}」{where.column}",
            locations=[said.location, where], doc_id=st.record.doc_id, units=True,
            severity="warning" if subject.share else "error",
        ))
    return findings, (keys[0] if keys else None)


def item_against_tables(st: Statement, item: Item, disclosure: Disclosure) -> list[Finding]:
    figures = table_figures(item.code, disclosure.views)
    said = item.figure
    if not figures or any(not differs(said.yuan, f.yuan, 2 * said.slack + f.slack) for f in figures):
        return []
    table = figures[0]
    return [mismatch(
        "narrative_table", said.amount, f"正文「{item.name}」({item.code})",
        table.amount, f"{table.location.table} {table.location.column}",
        locations=[said.location, table.location], doc_id=st.record.doc_id, units=True, difference=False,
    )]


@rule("narrative_arithmetic", "正文算术", "error", family="d", explanation="正文所述增减额、增长率应由所比较的两个数算得")
def check_arithmetic(disclosure: Disclosure) -> list[Finding]:
    """Every sentence but a 科目 line, and but a restatement whose rate fits the 科目 line (正文前后 reports it)."""
    findings: list[Finding] = []
    for sentence in disclosure.shared(narrative_reading):
        if sentence.item is None and not sentence.rate_explained:
            findings += sentence_arithmetic(sentence.statement)
    return findings


def sentence_arithmetic(st: Statement) -> list[Finding]:
    """The change and the rate against every reading of what they compare (``reading.statements.readings``):
    a finding only when no reading fits, reported for the nearest."""
    per_reading = [reading_arithmetic(st, r) for r in readings(st)]
    return [] if not per_reading or any(not found for found in per_reading) else per_reading[0]


def reading_arithmetic(st: Statement, reading: Reading) -> list[Finding]:
    findings = []
    current, previous, change, rate = reading.current, reading.previous, st.change, st.rate
    if current and previous and change:
        computed = current.yuan - previous.yuan
        if differs(computed, change.yuan, current.slack + previous.slack + change.slack):
            unit = change.unit
            findings.append(Finding(
                kind="narrative_arithmetic", severity="error", doc_id=st.record.doc_id,
                message=(f"「{reading.measure}」{current.shown()} − {previous.shown()} = {show(from_yuan(computed, unit), unit, 2)}，"
                         f"正文却写{'增加' if change.value > 0 else '减少'} {show(abs(change.value), unit)}"),
                figures=[str(current.value), str(previous.value), str(change.value)],
                locations=[current.location, previous.location, change.location],
            ))
    if current and previous and not change and not rate and UNCHANGED.search(st.sentence[st.positions.get(id(st.facts[-1]), 0):]):
        if differs(current.yuan, previous.yuan, current.slack + previous.slack):
            findings.append(Finding(
                kind="narrative_arithmetic", severity="error", doc_id=st.record.doc_id,
                message=f"「{reading.measure}」{current.shown()} 与 {previous.shown()} 不同，正文却写与上年持平",
                figures=[str(current.value), str(previous.value)], locations=[current.location, previous.location],
            ))
    if rate and current and previous is None and change:
        implied = from_yuan(current.yuan - change.yuan, current.unit)
        previous = Figure(Amount(implied, current.unit, ""), current.location, summed_slack=current.slack + change.slack)
    if rate and current and previous and not rate_fits(current, previous, rate):
        findings.append(rate_finding(st, reading.measure, current, previous, rate))
    return findings


def rate_finding(st: Statement, measure: str, current: Figure, previous: Figure, rate: Figure) -> Finding:
    actual = change_rate(current, previous)
    said = f"{'增加' if rate.value > 0 else '减少'} {abs(rate.value)}%"
    wrong_way = (actual > 0) != (rate.value > 0)
    notes = ["方向相反"] if wrong_way else []
    misprint = one_digit_off(current, previous, rate)
    if misprint is not None:
        notes.append(f"所写增长率与上年数 {misprint.shown()} 相符，所写上年数疑多印一位数字")
    message = (
        f"「{measure}」{current.shown()} 比 {previous.shown()} {'增加' if actual > 0 else '减少'} "
        f"{abs(actual):.2f}%，正文却写{said}" + (f"（{'；'.join(notes)}）" if notes else "")
    )
    return Finding(
        kind="narrative_arithmetic", severity="error", message=message, doc_id=st.record.doc_id,
        figures=[str(current.value), str(previous.value), str(rate.value), f"{actual:.2f}"],
        locations=[current.location, previous.location, rate.location],
    )


def one_digit_off(current: Figure, previous: Figure, rate: Figure) -> Figure | None:
    """The base the printed rate fits when the printed base loses one digit, if exactly one such base does:
    "上年43269.3万元，本年3845.49万元，增加17.62%" fits 3269.3 (a stray 4), so the base is the misprint."""
    printed = re.match(r"[\d,.]+", previous.text or "")
    text = printed.group().replace(",", "") if printed else ""
    fitting: dict[Decimal, Figure] = {}
    for i, char in enumerate(text):
        shorter = text[:i] + text[i + 1:]
        if not char.isdigit() or not re.fullmatch(r"[1-9]\d*(\.\d+)?|0\.\d+", shorter):
            continue
        candidate = Figure(Amount(Decimal(shorter), previous.unit, shorter + (previous.unit or "")), previous.location)
        if rate_fits(current, candidate, rate):
            fitting[candidate.value] = candidate
    return next(iter(fitting.values())) if len(fitting) == 1 else None


@rule("narrative_consistency", "正文前后", "error", family="a", explanation="正文先后两处所写同一科目的本年预算应相同")
def check_restated_items(disclosure: Disclosure) -> list[Finding]:
    """The sentence after a 科目 line gives its 本年预算 again: the two must be one figure."""
    findings = []
    for sentence in disclosure.shared(narrative_reading):
        st, item = sentence.statement, sentence.after
        if item is None or st.current is None or not sentence.restates:
            continue
        said = st.current
        note = ""
        if sentence.rate_explained and st.rate is not None:
            note = f"；文中增长率 {abs(st.rate.value)}% 与 {item.figure.shown()} 相符"
        diff = show(from_yuan(said.yuan - item.figure.yuan, said.unit), said.unit, 2)
        findings.append(Finding(
            kind="narrative_consistency", severity="error", doc_id=st.record.doc_id,
            message=f"「{item.name}」({item.code}) 正文先写 {item.figure.shown()}，随后写本年预算安排 {said.shown()}（差 {diff}）{note}",
            figures=[str(item.figure.value), str(said.value)], locations=[item.figure.location, said.location],
        ))
    return findings


@rule("narrative_name", "正文名称", "warning", family="g", explanation="正文所写科目名称应与表中该编码的名称一致")
def check_item_names(disclosure: Disclosure) -> list[Finding]:
    """A 科目 line's names are the tables' names for its codes; one resolved at another level says where it is.
    Each finding cites the table rows whose names it compares, beside the sentence."""
    names = function_names(disclosure.views)
    rows = function_rows(disclosure.views)
    findings: list[Finding] = []
    for sentence in disclosure.shared(narrative_reading):
        item, st = sentence.item, sentence.statement
        if item is None:
            continue
        if item.by_code:
            findings += misnamed(st, item, names, rows)
        elif item.misplaced:
            path = "／".join(names.get(item.code[:n], "") for n in (3, 5, 7) if n <= len(item.code))
            cited = [rows[c] for c in (item.code[:3], item.code[:5], item.code) if c in rows]
            findings.append(Finding(
                kind="narrative_name", severity="warning", doc_id=st.record.doc_id,
                message=f"正文科目「{'／'.join(item.stated)}」与表中不符：表中「{item.stated[-1]}」是 {item.code}「{path}」",
                figures=[item.code, str(item.figure.value)], locations=[item.figure.location, *cited],
            ))
    return findings


def function_rows(views: list[TableView]) -> dict[str, Location]:
    """Where each 功能分类 code is first printed with its name (the row ``function_names`` reads)."""
    rows: dict[str, Location] = {}
    for view in views:
        for rv in view.rows:
            if rv.code and rv.code.startswith("2") and rv.name and rv.code not in rows:
                rows[rv.code] = Location(document=view.document, page=rv.row.page, table=view.label, row=rv.label)
    return rows


def misnamed(st: Statement, item: Item, names: dict[str, str], rows: dict[str, Location]) -> list[Finding]:
    findings = []
    for name, code in zip(item.stated, (item.code[:3], item.code[:5], item.code)):
        printed = names.get(code)
        if printed and key(printed) != key(name):
            findings.append(Finding(
                kind="narrative_name", severity="warning", doc_id=st.record.doc_id,
                message=f"正文科目名称「{name}」({code}) 与表中「{printed}」不一致",
                figures=[code], locations=[item.figure.location, *([rows[code]] if code in rows else [])],
            ))
    return findings
