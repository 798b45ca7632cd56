"""您是否想问：the questions a refused one may have meant, built from what did bind.

A refusal is more useful with a way forward. Readings come from (best first) the near misses of the
words nothing bound (公务招待费 → 公务接待费), everyday wording (欲算 → 预算, 一共花多少钱 → 支出总计),
the closest publishers when the one named is not indexed, and the items that did bind, asked plainly
of each disclosure found. The UI shows them as clickable questions.

    >>> readings_for(scoped)            # 外办2020年公务招待费是多少
    ['外办2020年公务接待费是多少']
"""

from __future__ import annotations

import re

from index.core.text import compact
from qa.answer.answerer import ScopedQuestion
from qa.contract import Answer
from qa.understand.concepts import synonym_table
from qa.understand.nearmiss import NearMissIndex, everyday, near_misses
from qa.understand.vocabulary import Terms, Vocabulary

MAX_READINGS = 5
THIS_YEAR = re.compile(r"今年")  # 本年 is a budget word (本年收入合计), 今年 the speaker's year


def readings_for(scoped: ScopedQuestion, vocab: Vocabulary) -> list[str]:
    q = compact(scoped.question)
    parsed, selection = scoped.parsed, scoped.selection
    out: list[str] = []
    in_scope = selection.doc_ids or {d for group in parsed.department_groups for d in group}
    if in_scope:
        index = near_index(vocab.terms(in_scope))
        for word in parsed.unbound:
            for written, meant in near_misses(word, index):
                out.append(q.replace(written, meant))
    rewritten = everyday_reading(scoped)
    if rewritten is not None:
        out.append(rewritten)
    named = next((n for n in (parsed.unknown_region, parsed.unknown_department, *parsed.department_names) if n), None)
    for publisher in selection.suggestions[:MAX_READINGS]:
        if named and compact(named) in q:
            out.append(q.replace(compact(named), publisher, 1))  # 司法局… → 深圳市司法局…
        elif not named:
            out.append(publisher + q)  # no publisher named: each one that carries what was asked
    subjects = [f"{d.department}{d.year}年" if d.year else d.department for d in selection.disclosures[:2]]
    for subject in subjects:
        for item in [i for i in parsed.items if i.kind != "term"][:2]:
            out.append(f"{subject}{item.name}是多少？")
        if parsed.column and not parsed.items:
            out.append(f"{subject}{parsed.column}是多少？")
    seen: list[str] = []
    for reading in out:
        if compact(reading).rstrip("？?") != q.rstrip("？?") and reading not in seen:
            seen.append(reading)
    return seen[:MAX_READINGS]


def everyday_reading(scoped: ScopedQuestion) -> str | None:
    """The question in budget words (欲算 → 预算, 一共花多少钱 → 支出总计是多少, 今年 → the year), or None
    when it has no everyday word to replace."""
    q = compact(scoped.question)
    rewritten = everyday(q)
    years = sorted({d.year for d in scoped.selection.disclosures if d.year})
    if THIS_YEAR.search(rewritten):
        if scoped.parsed.years:
            rewritten = THIS_YEAR.sub("", rewritten)  # 2026年今年…: the year is already said
        elif years:
            rewritten = THIS_YEAR.sub(f"{years[-1]}年", rewritten)  # 今年: the latest year indexed for it, said
    return rewritten if rewritten != q else None


def near_index(terms: Terms) -> NearMissIndex:
    """The near-miss index of a set of documents' names and the measures' names (built once per set)."""
    index = terms.__dict__.get("_near")
    if index is None:
        names = [*terms.rows, *terms.attributes, *(compact(s) for s, _ in synonym_table())]
        index = NearMissIndex(names)
        terms.__dict__["_near"] = index
    return index


def with_readings(answer: Answer, readings: list[str]) -> Answer:
    """A refusal that offers its readings (kept on the answer for the UI, and said in the text)."""
    if not readings or answer.status != "refused":
        return answer
    answer.readings = readings
    if "您是否想问" not in answer.answer:
        answer.answer = answer.answer.rstrip() + "\n您是否想问：" + "；".join(f"“{r}”" for r in readings)
    return answer
