"""Plants in the narrative, the performance-target tables and the years (see ``tests.audit.planting``).

    (d) "比2019年4,816,324.10元增加399,296.12元" → "…增加403,289.08元": the change no longer fits
    (e) 表11「资金总额：」795.56 → 803.52 (万元): no longer the budget's total
    (f) "比2019年收入预算…" → "比2020年收入预算…" in the 2020 budget
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from index.core.numbers import format_amount
from index.core.units import PERCENT, is_money
from qa.audit.reading.anchors import disclosure_anchors
from qa.audit.reading.items import narrative_reading
from qa.audit.reading.subjects import publisher_names, subject_of
from qa.audit.rules.performance import (
    DEPARTMENT_LABELS,
    DEPARTMENT_WIDE,
    PERFORMANCE_TITLE,
    PROJECT_LABELS,
    grid,
    label_of,
)
from qa.audit.rules.years import COMPARED_YEAR, confirmed_years

MakePlant = Callable[..., Any]


def changed_text(text: str, value: Decimal) -> str:
    """``value`` printed like ``text``: same decimals, thousands separators and unit."""
    number = re.search(r"[\d,，]+(?:\.\d+)?", text)
    assert number is not None
    places = len(number.group(0).partition(".")[2])
    printed = format_amount(value, places)
    if "," not in number.group(0):
        printed = printed.replace(",", "")
    return text[:number.start()] + printed + text[number.end():]


def retell(unit: Any, sentence: str, old: str, new: str) -> str:
    """Rewrite a sentence in every fact that quotes it; the new sentence."""
    rewritten = sentence.replace(old, new, 1)
    for fact in unit.facts:
        if fact.sentence == sentence:
            fact.sentence = rewritten
    return rewritten


def runs(facts: list[Any], sentence: str) -> list[list[int]]:
    """The facts of each printing of a sentence (a paragraph printed twice is two runs)."""
    out: list[list[int]] = []
    for i, f in enumerate(facts):
        if f.sentence != sentence:
            continue
        if out and out[-1][-1] == i - 1 and facts[i - 1].page == f.page:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def plant_fact(unit: Any, index: int, value: Decimal, cls: str, make: MakePlant, why: str) -> Any:
    """A narrative figure changed where it stands in its sentence, in every printing of the sentence."""
    copy = unit.copy()
    fact = copy.facts[index]
    new_text = changed_text(fact.text, value)
    printings = runs(copy.facts, fact.sentence)
    mine = next(run for run in printings if index in run)
    offset = mine.index(index)
    nth = sum(1 for i in mine[:offset] if copy.facts[i].text == fact.text)  # its text before it in the sentence
    at = -1
    for _ in range(nth + 1):
        at = fact.sentence.find(fact.text, at + 1)
    old_sentence = fact.sentence
    sentence = old_sentence[:at] + new_text + old_sentence[at + len(fact.text):]
    for run in printings:
        if offset < len(run) and copy.facts[run[offset]].text == fact.text:
            copy.facts[run[offset]].text, copy.facts[run[offset]].value = new_text, value
        for i in run:
            copy.facts[i].sentence = sentence
    return make(cls, f"{fact.file_name} p{fact.page} {why}: {new_text}", copy, {(fact.file_name, "正文", sentence)})


def step(value: Decimal) -> Decimal:
    places = max(0, -int(value.as_tuple().exponent))
    return Decimal(1).scaleb(-places)


def narrative_plants(unit: Any, make: MakePlant) -> Iterator[Any]:
    disclosure = unit.disclosure()
    anchors = disclosure_anchors(disclosure)
    publisher = publisher_names(disclosure)
    index = {id(f): i for i, f in enumerate(unit.facts)}
    for sentence in narrative_reading(disclosure):
        st = sentence.statement
        for fact in st.facts:
            i = index[id(fact)]
            if is_money(fact.unit) and fact.relation == "value" and id(fact) in st.positions:
                subject = subject_of(st.befores[id(fact)], st.sentence[:st.positions[id(fact)]],
                                     fact.section_path[-2:], publisher, False)
                figure = next(iter(anchors.get(subject.key, [])), None) if subject else None
                if subject is not None and figure is not None and fact.value:
                    bigger = max((fact.value / 100).quantize(step(fact.value)), step(fact.value) * 10)
                    yield plant_fact(unit, i, fact.value + bigger, "a", make, f"正文「{subject.key}」")
            elif fact.relation in ("increase", "decrease") and st.previous is not None and st.current is not None:
                yield plant_fact(unit, i, fact.value + max(fact.value / 10, step(fact.value) * 100).quantize(
                    step(fact.value)), "d", make, "增减额")
            elif fact.unit == PERCENT and "占" in st.befores[id(fact)]:
                yield plant_fact(unit, i, fact.value + points(fact.value), "d", make, "占比")
            elif fact.relation in ("growth_rate", "decline_rate") and grows_from_something(st):
                yield plant_fact(unit, i, fact.value + points(fact.value), "d", make, "增长率")


def points(rate: Decimal) -> Decimal:
    """One percentage point, or five units of a coarser last decimal ("28%" is only known to ±1%)."""
    return max(Decimal(1), step(rate) * 5)


def grows_from_something(st: Any) -> bool:
    """A rate is a rate of something: from nothing, "增加100%" is a convention, not arithmetic."""
    if st.current is None:
        return False
    if st.previous is not None:
        return st.previous.value != 0
    return st.change is not None and st.current.yuan != st.change.yuan


def performance_plants(unit: Any, make: MakePlant) -> Iterator[Any]:
    """(e): each labelled amount of a performance-target table, +1%."""
    for document, model in unit.documents.items():
        for t, table in enumerate(model.tables):
            if not PERFORMANCE_TITLE.search(table.title or ""):
                continue
            whole = " ".join(c for _, cells in grid(table) for c in cells)
            labels = set(PROJECT_LABELS) | (set(DEPARTMENT_LABELS) if DEPARTMENT_WIDE.search((table.title or "") + whole) else set())
            for r, row in enumerate(table.rows):
                texts: list[str] = [row.name or "", *row.attributes.values()]
                cells = texts + [c.text or "" for c in row.cells]
                at = next((i for i, c in enumerate(cells) if label_of(c) in labels), None)
                label = label_of(cells[at]) if at is not None else None
                j = next((j for j, c in enumerate(row.cells) if at is not None and len(texts) + j > at
                          and re.fullmatch(r"\d[\d,.]*(万元|元)?", (c.text or "").strip())), None)
                if label is None or j is None:
                    continue
                copy = unit.copy(document, t)
                cell = copy.documents[document].tables[t].rows[r].cells[j]
                assert cell.text is not None
                printed = Decimal(re.sub(r"[^\d.]", "", cell.text))
                cell.value = printed + max((printed / 100).quantize(step(printed)), step(printed) * 10)
                cell.text = changed_text(cell.text, cell.value)
                yield make("e", f"{document} {table.label or table.title}「{label}」→ {cell.text}", copy,
                           {(document, table.label or table.title, label)})


def year_plants(unit: Any, make: MakePlant) -> Iterator[Any]:
    """(f): "比{上年}年" compared with the document's own year; a table titled for the year before."""
    years = confirmed_years(unit.disclosure())
    seen = set()
    for fact in unit.facts:
        year = years.get(fact.file_name)
        m = COMPARED_YEAR.search(fact.sentence)
        if year is None or m is None or int(m.group(1)) != year - 1 or fact.sentence in seen:
            continue
        seen.add(fact.sentence)
        copy = unit.copy()
        old = m.group(0)
        sentence = retell(copy, fact.sentence, old, old.replace(str(year - 1), str(year)))
        yield make("f", f"{fact.file_name} p{fact.page}「{old}」→ {year}年", copy, {(fact.file_name, "正文", sentence)})
    for view in unit.disclosure().views:
        year = years.get(view.document)
        if year is None or f"{year}年" not in view.title or PERFORMANCE_TITLE.search(view.title):
            continue
        copy = unit.copy(view.document, view.index)
        table = copy.documents[view.document].tables[view.index]
        table.title = view.title.replace(f"{year}年", f"{year - 1}年")
        yield make("f", f"{view.document} {view.label}《{table.title}》", copy, {(view.document, view.label, None)})
