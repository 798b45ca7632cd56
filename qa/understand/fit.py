"""Which of a publisher's documents fit the question: a budget (not a notice), the level asked (本级 or
the whole department), the office named (not a sub-unit whose file names its parent).

Identity comes from the document reader (``DocumentRecord``: kind, level, parent); a field it could not
read is unknown, and an unknown never excludes a document:

    上海市交通运输局2026年三公经费  → the file is 上海交通职业技术学院's (parent 上海市交通运输局): not its parent's
    无锡市教育局（本级）项目个数     → the 本级 unit budget, not the department's 汇总 one
    北京市司法局与深圳市司法局（本级） → 本级 is asked of 深圳市司法局 only: 北京市司法局 is its 部门预算
    某局关于…的通知里的金额          → a 非预算公开 file supplies figures only when it alone is named
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from index.core.text import compact
from index.read.identity import derive_aliases
from index.store.facts import DocumentRecord
from qa.understand.vocabulary import Vocabulary

NOT_A_BUDGET = "非预算公开"
LEVEL_ASKED = re.compile(r"[（(]本级[)）]|单位本级|本级单位")
WHOLE_LEVELS = ("部门", "汇总")


@dataclass
class Fit:
    """The documents kept, and what was set aside (for the refusal when nothing is kept)."""

    kept: set[str]
    sub_units: list[str] = field(default_factory=list)  # publishers whose parent the question named
    not_budgets: list[str] = field(default_factory=list)
    other_levels: list[str] = field(default_factory=list)


def fit(doc_ids: set[str], vocab: Vocabulary, named: str | None, question: str, figures: bool,
        several: bool = False) -> Fit:
    """The documents of one named publisher (or of none) that fit the question; of ``several`` named, the
    level bracketed after a name is asked of that one alone."""
    records = {d: vocab.documents[d] for d in doc_ids if d in vocab.documents}
    result = Fit(set(records))
    if named:
        parents = {d for d, r in records.items() if _names_parent(named, r)}
        if parents and parents != set(records):
            result.kept -= parents  # the named office's own files are here: its sub-units' are not it
        elif parents:
            result.sub_units = sorted({r.department or r.file_name for r in records.values()})
            result.kept = set()
            return result
    if figures:
        budgets = {d for d in result.kept if records[d].kind != NOT_A_BUDGET}
        if budgets or not named:  # a notice gives figures only when it alone is what the question names
            result.not_budgets = sorted(records[d].file_name for d in result.kept - budgets)
            result.kept = budgets
    if _level_asked(question, named, several):
        wrong = {d for d in result.kept if (records[d].level or "") in WHOLE_LEVELS}
        if wrong:
            result.other_levels = sorted({records[d].department or records[d].file_name for d in wrong})
            result.kept -= wrong
    else:
        # 无锡市教育局 publishes its 部门预算 (汇总) and its 本级 单位预算: the publisher's name alone
        # means the whole department, and the 本级 file's 合计 is not the department's.
        by_publisher: dict[str, set[str]] = defaultdict(set)  # grouped once: a question over every publisher
        for d in result.kept:
            if records[d].department:
                by_publisher[records[d].department or ""].add(d)
        for mine in by_publisher.values():
            whole = {d for d in mine if (records[d].level or "") in WHOLE_LEVELS}
            if whole and mine - whole:
                same_year = {records[d].year for d in whole}
                result.kept -= {d for d in mine - whole if records[d].year in same_year}
    return result


def _level_asked(question: str, named: str | None, several: bool) -> bool:
    """The 本级 level is asked: anywhere in a question about one publisher; of several, in the name (as the
    question wrote it, 深圳市司法局（本级）) of the one it follows."""
    text = compact(question)
    if not several or not named:
        return bool(LEVEL_ASKED.search(text))
    key = compact(named)  # bracketed, the level is part of the name as bound (深圳市司法局（本级）)
    return bool(LEVEL_ASKED.search(key)) or any(
        text.startswith(("单位本级", "本级单位"), m.end()) for m in re.finditer(re.escape(key), text))


def _names_parent(named: str, record: DocumentRecord) -> bool:
    """The name the question used is the publisher's parent department's, not the publisher's own."""
    parent = getattr(record, "parent", None)
    if not parent or not record.department or compact(parent) == compact(record.department):
        return False
    mine = {compact(a) for a in derive_aliases(record.department, record.region, record.short_name)}
    theirs = {compact(a) for a in derive_aliases(parent, record.region, None)}
    return compact(named) in theirs and compact(named) not in mine
