"""The one figure a sentence states for a term: the number written right after it, with its unit.

    >>> stated_after("单价100万元以上设备", ["单价100万元以上设备21台（套）。"], ("台",))
    [(Decimal('21'), '台', 0)]

A count is also written before what it counts ("以及1个法制教育管理所等17个二级预算单位"):

    >>> counted_before("二级预算单位", ["以及1个法制教育管理所等17个二级预算单位。"], ("个",))
    [(Decimal('17'), '个', 0)]
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.core.text import compact
from index.core.units import MONEY, to_yuan
from qa.answer.verify import NUMBER

ORDINAL = re.compile(r"第[一二三四五六七八九十]|[上下]半")  # 第一季度, 上半年: one of a numbered series
WITHIN = 12  # characters between the term and its figure ("设备21台", "预算安排为126万元")


def stated_after(term: str, sentences: list[str], units: tuple[str, ...] | None) -> list[tuple[Decimal, str, int]]:
    """Distinct (value, unit, sentence index) written within a few characters after ``term``, in the
    units asked (an amount in any money unit is one figure however printed)."""
    key = compact(term)
    found: dict[tuple[Decimal, str], tuple[Decimal, str, int]] = {}
    for index, sentence in enumerate(sentences):
        text = compact(sentence)
        if _shared_tail(key, text):
            continue
        at = text.find(key)
        while at >= 0:
            tail = text[at + len(key): at + len(key) + WITHIN + 16]
            m = NUMBER.search(tail)
            if m is not None and m.start() <= WITHIN and m.group(2) and (units is None or _unit_ok(m.group(2), units)):
                value = Decimal(m.group(1).replace(",", "").replace("，", ""))
                unit = m.group(2)
                same = (to_yuan(value, unit), "元") if unit in MONEY else (value, unit)
                found.setdefault(same, (value, unit, index))
            at = text.find(key, at + 1)
    return list(found.values())


def _shared_tail(key: str, text: str) -> bool:
    """The term ends several numbered names of the sentence ("第一季度用款计划15万元，第二季度用款计划15万元"): it is
    none of them."""
    before = {text[max(0, m.start() - 2):m.start()] for m in re.finditer(re.escape(key), text)}
    return len(before) >= 2 and all(ORDINAL.fullmatch(b) for b in before)


def counted_before(noun: str, sentences: list[str], units: tuple[str, ...]) -> list[tuple[Decimal, str, int]]:
    """Distinct (count, unit, sentence index) written right before ``noun`` in one of the count units asked
    ("3所监狱", "17个二级预算单位"); a number with another unit, or words between, counts something else."""
    pattern = re.compile(rf"(?<![\d.])(\d+)({'|'.join(map(re.escape, units))}){re.escape(compact(noun))}")
    found: dict[tuple[Decimal, str], tuple[Decimal, str, int]] = {}
    for index, sentence in enumerate(sentences):
        for m in pattern.finditer(compact(sentence)):
            found.setdefault((Decimal(m.group(1)), m.group(2)), (Decimal(m.group(1)), m.group(2), index))
    return list(found.values())


def _unit_ok(unit: str, units: tuple[str, ...]) -> bool:
    return unit in units or (unit in MONEY and bool(set(units) & set(MONEY)))
