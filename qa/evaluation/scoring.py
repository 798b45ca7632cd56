"""Scoring of one answer against one known Q&A pair, and the per-category summary.

Pure functions over ``QAItem`` / ``Answer`` / page texts, so they can be tested on hand-made answers.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel, Field

from index.core.numbers import unglue
from index.core.text import normalize
from qa.contract import Answer

Category = Literal[
    "table_lookup", "narrative_figure", "calculation", "cross_document", "prose", "count", "refusal", "confusable"
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

MONEY = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
TOLERANCE = Decimal("0.01")  # in the expected unit: 1 分 of 元, 0.01 万元, 0.01 percentage point
_PRINTED_NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3})")

# (file name, 1-based page) → the stored text of that page, or None when unknown.
PageText = Callable[[str, int], "str | None"]


class QAItem(BaseModel):
    """One known question with its expected answer, as written in ``eval/qa/*.jsonl``."""

    id: str
    question: str
    answer_value: str | None = None  # decimal string in ``unit``
    unit: str | None = None
    answer_text_contains: list[str] = Field(default_factory=list)
    document: str | None = None
    page: int | None = None
    category: Category

    @property
    def expected(self) -> Decimal | None:
        return None if self.answer_value is None else Decimal(self.answer_value)

    @property
    def expects_refusal(self) -> bool:
        return self.category == "refusal"


def convert(value: Decimal, unit: str | None, target: str | None) -> Decimal | None:
    """``value`` expressed in ``target``; None when the units cannot be compared (e.g. 元 vs 人).

    An answer without a unit is taken at face value. Count units (个, 人, 辆, 家 …) are interchangeable:
    the number is what is scored.
    """
    if unit == target or unit is None or target is None:
        return value
    if unit in MONEY and target in MONEY:
        return value * MONEY[unit] / MONEY[target]
    if "%" in (unit, target) or unit in MONEY or target in MONEY:
        return None
    return value


def parse_value(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(_THOUSANDS.sub("", str(text)).strip())
    except InvalidOperation:
        return None


def figure_correct(item: QAItem, answer: Answer) -> bool | None:
    """The headline figure matches the expected one (after 元/万元 conversion); None when not applicable."""
    expected = item.expected
    if expected is None:
        return None
    if answer.status != "answered":
        return False
    actual = parse_value(answer.value)
    if actual is None:
        return False
    converted = convert(actual, answer.unit, item.unit)
    tolerance = TOLERANCE
    if item.unit == "%":  # a rate the document states as 12.7% is matched by a computed 12.74%
        tolerance = max(TOLERANCE, _half_ulp(expected))
    return converted is not None and abs(converted - expected) <= tolerance


def printed_numbers(text: str) -> list[Decimal]:
    """Every number printed in a page's text (thousands separators, ASCII or full-width, allowed)."""
    return [Decimal(_THOUSANDS.sub("", m.group())) for m in _PRINTED_NUMBER.finditer(unglue(text))]


def _half_ulp(d: Decimal) -> Decimal:
    """Half a unit in the last printed place: 9101.68 → 0.005, 420 → 0.5."""
    return Decimal(5).scaleb(int(d.as_tuple().exponent) - 1)


def _same_figure(printed: Decimal, value: Decimal, scale: Decimal) -> bool:
    """``printed`` × ``scale`` is ``value`` up to the rounding of either."""
    return abs(printed * scale - value) <= _half_ulp(printed) * scale + _half_ulp(value)


def figure_on_page(value: Decimal, unit: str | None, page_text: str) -> bool:
    """The figure is printed on the page, up to the rounding of either form.

    Money may be printed in 元 or in 万元 (e.g. 9,101.68 万元 for 91,016,775.35 元), so each printed
    number is read both ways.
    """
    scales = [MONEY["元"] / MONEY[unit], MONEY["万元"] / MONEY[unit]] if unit in MONEY else [Decimal(1)]
    return any(_same_figure(n, value, scale) for n in printed_numbers(page_text) for scale in scales)


def text_key(text: str | None) -> str:
    """Compare answer text loosely: normalised, no spaces, no thousands separators."""
    return re.sub(r"\s+", "", _THOUSANDS.sub("", normalize(text)))


def citation_correct(item: QAItem, answer: Answer, page_text: PageText) -> bool | None:
    """The first citation points at the page that holds the answer.

    Correct when it names the expected document and page, or when the figure (for a calculation: the
    input figure the citation supports; for prose: a key phrase) is printed on the cited page.
    None when the item has no expected page (refusals, cross-document questions).
    """
    if item.document is None or item.page is None:
        return None
    if answer.status != "answered" or not answer.citations:
        return False
    first = answer.citations[0]
    if first.document == item.document and first.page == item.page:
        return True
    text = page_text(first.document, first.page)
    if text is None:
        return False
    if item.category == "calculation":
        cited = parse_value(first.value)
        return first.document == item.document and cited is not None and figure_on_page(cited, None, text)
    if item.expected is not None:
        return figure_on_page(item.expected, item.unit, text)
    return first.document == item.document and any(text_key(s) in text_key(text) for s in item.answer_text_contains)


def text_contains(item: QAItem, answer: Answer) -> bool | None:
    if not item.answer_text_contains:
        return None
    if answer.status != "answered":
        return False
    said = text_key(answer.answer)
    return all(text_key(s) in said for s in item.answer_text_contains)


_NOT_A_FIGURE_BEFORE = re.compile(r"(?:表|第|预算|\[)\s*$")  # 表5, 第3页, 预算01表, [1]
_SCALES = (Decimal(1), Decimal(10000), Decimal(1) / Decimal(10000))


def unsupported_numbers(answer: Answer) -> list[str]:
    """Numbers in the answer text that no citation (quote, place or value) nor the computed headline supports.

    Years and dates (2020年), ordinals and labels (第3页, 表5, [1]) are not figures and are skipped;
    元 and 万元 renderings of the same amount support each other.
    """
    support: list[Decimal] = []
    for c in answer.citations:
        for text in (c.quote, c.table, c.row, c.column):
            support.extend(printed_numbers(normalize(text)))
        if (v := parse_value(c.value)) is not None:
            support.append(v)
    if answer.method == "calculation" and (v := parse_value(answer.value)) is not None:
        support.append(v)
    text = normalize(answer.answer)
    missing = []
    for m in _PRINTED_NUMBER.finditer(text):
        after, before = text[m.end() : m.end() + 1], text[max(0, m.start() - 3) : m.start()]
        if (after and after in "年月日") or _NOT_A_FIGURE_BEFORE.search(before):
            continue
        n = Decimal(_THOUSANDS.sub("", m.group()))
        if not any(_same_figure(s, n, scale) for s in support for scale in _SCALES):
            missing.append(m.group())
    return missing


class ItemResult(BaseModel):
    """What happened to one question."""

    item: QAItem
    corpus: str  # samples | real | wild
    city: str = ""  # the city of the document asked about (wild: from the crawler's file name; else the corpus)
    answer: Answer | None = None
    error: str | None = None  # the engine raised
    latency_ms: float = 0.0
    figure_ok: bool | None = None
    citation_ok: bool | None = None
    text_ok: bool | None = None
    faithful: bool | None = None
    unsupported: list[str] = Field(default_factory=list)
    # A refusal that asks which of several same-named departments is meant, offering the one asked about
    # as a reading: the reading a user would click, and what came of asking it (never counted as right).
    chosen: str | None = None
    chosen_outcome: str | None = None  # right | wrong | refused

    @property
    def refused(self) -> bool:
        return self.answer is None or self.answer.status == "refused"

    @property
    def outcome(self) -> str:
        """right | wrong | refused: a wrong answer is the one that must go to zero, a refusal is honest."""
        if self.item.expects_refusal:
            return "right" if self.refused else "wrong"
        if self.refused:
            return "refused"
        checks = [ok for ok in (self.figure_ok, self.text_ok) if ok is not None]
        return "right" if checks and all(checks) else "wrong" if checks else "right"

    @property
    def refusal_ok(self) -> bool:
        return self.refused == self.item.expects_refusal

    def misses(self) -> list[str]:
        """Why this item counts as a miss (empty when it does not)."""
        out = []
        if self.error:
            out.append(f"引擎报错：{self.error}")
        if not self.refusal_ok:
            out.append("应拒答却作答" if self.item.expects_refusal else "不应拒答却拒答")
        if self.figure_ok is False and self.refusal_ok:
            out.append("数字错误")
        if self.citation_ok is False and self.refusal_ok:
            out.append("引用页不含该数字")
        if self.text_ok is False and self.refusal_ok:
            out.append("答案缺少关键内容")
        if self.faithful is False:
            out.append("答案中的数字无引用支撑：" + "、".join(self.unsupported))
        return out


def _rate(flags: list[bool | None]) -> tuple[float | None, int, int]:
    applicable = [f for f in flags if f is not None]
    if not applicable:
        return None, 0, 0
    good = sum(1 for f in applicable if f)
    return good / len(applicable), good, len(applicable)


def summarize(results: list[ItemResult]) -> dict:
    """Figure/citation/text accuracy, refusal precision/recall and latency for a set of results."""
    figure, figure_ok, figure_n = _rate([r.figure_ok for r in results])
    citation, citation_ok, citation_n = _rate([r.citation_ok for r in results])
    text, text_ok, text_n = _rate([r.text_ok for r in results])
    faithful, faithful_ok, faithful_n = _rate([r.faithful for r in results])
    refused = [r for r in results if r.refused]
    should = [r for r in results if r.item.expects_refusal]
    true_refusals = sum(1 for r in refused if r.item.expects_refusal)
    latencies = sorted(r.latency_ms for r in results if r.answer is not None)
    return {
        "questions": len(results),
        "figure_accuracy": figure, "figure_correct": figure_ok, "figure_total": figure_n,
        "citation_accuracy": citation, "citation_correct": citation_ok, "citation_total": citation_n,
        "text_hits": text, "text_correct": text_ok, "text_total": text_n,
        "refusal_precision": true_refusals / len(refused) if refused else None,
        "refusal_recall": true_refusals / len(should) if should else None,
        "refused": len(refused), "should_refuse": len(should),
        "faithfulness": faithful, "faithful_total": faithful_n, "faithful_correct": faithful_ok,
        "latency_median_ms": statistics.median(latencies) if latencies else None,
        "latency_p95_ms": _percentile(latencies, 95) if latencies else None,
        "misses": sum(1 for r in results if r.misses()),
        "right": sum(1 for r in results if r.outcome == "right"),
        "wrong": sum(1 for r in results if r.outcome == "wrong"),
        "refused_outcome": sum(1 for r in results if r.outcome == "refused"),
        "chosen": sum(1 for r in results if r.chosen),
        **{f"chosen_{o}": sum(1 for r in results if r.chosen_outcome == o) for o in ("right", "wrong", "refused")},
        "errors": sum(1 for r in results if r.error),
    }


def _percentile(sorted_values: list[float], pct: int) -> float:
    """Nearest-rank percentile."""
    index = max(0, math.ceil(pct / 100 * len(sorted_values)) - 1)
    return sorted_values[index]
