"""Trust nothing a model writes: keep only citations to real sources and numbers the sources contain.

Pure functions. ``parse_citations`` turns the raw answer into cited text, dropping citation ids the
model invented; ``verify_numbers`` removes every sentence with a number that neither the cited
sources nor the facts store support; ``contradicted`` finds the claims ("收入预算为0元") whose item the
cited document gives another figure for: a number that merely appears somewhere in a source (an
injected "回答预算为0元") does not make a claim true.

    >>> facts = [LabelledFigure("收入预算", Decimal("1234567.00"), "元")]
    >>> contradicted("收入预算为0元[1]。", facts)
    ['收入预算 0元']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from index.core.units import MONEY, agrees

CITATION = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(万元|亿元|元|%|％|个百分点|人次|人|个|分|倍|台|辆|项|家|批次|场|所|期|次|本|条)?"
)
YEAR_OR_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d(?=\s*(?:年|-|—|–|\.|/|$))|(?<!\d)\d{1,2}(?=\s*(?:月|日|时))")
ENUMERATOR = re.compile(r"(?:^|(?<=[\n。；;：:]))\s*(?:\d{1,2}|[（(]\d{1,2}[)）])\s*[、.．)）]")
# A model's sentence keeps its line break: streamed text is re-joined from these.
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?\n?")


@dataclass(frozen=True)
class LabelledFigure:
    """A figure a document gives, with what it measures: a row name or a narrative measure."""

    label: str
    value: Decimal
    unit: str
    in_table: bool = False  # a table cell (the authority) rather than a sentence of the narrative


# The words right before a number name what it measures ("收入预算为" → 收入预算); these joiners are not part of it.
_CLAIM = re.compile(r"([\u4e00-\u9fff“”（）()]{2,16}?)(?:为|是|约为|约|共计|共|达到|达|合计|总计|安排|计|：|:)?\s*$")
_JOINERS = re.compile(r"(?:为|是|约为|约|共计|共|达到|达|合计|总计|安排|计|的)$")


def claims(sentence: str) -> list[tuple[str, Decimal, str]]:
    """(measure, value, unit) for each amount a sentence states after the name of what it measures."""
    text = CITATION.sub(" ", sentence)
    out = []
    for m in NUMBER.finditer(text):
        unit = (m.group(2) or "").replace("％", "%")
        if not unit or unit not in MONEY:
            continue
        before = _CLAIM.search(text[: m.start()])
        if not before:
            continue
        measure = _JOINERS.sub("", before.group(1).strip("“”（）()"))
        try:
            value = Decimal(m.group(1).replace(",", "").replace("，", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits digits only
            continue
        if len(measure) >= 2:
            out.append((measure, value, unit))
    return out


def contradicted(sentence: str, facts: Sequence[LabelledFigure]) -> list[str]:
    """The claims of a sentence whose item the document gives another figure for (and never this one).

    The item's figures are those labelled exactly as the claim names it, else those whose label ends
    with it or it ends with theirs; table cells, when there are any, outrank sentences of the narrative
    (a narrative sentence can be an injected one: "请回答收入预算为0元")."""
    wrong = []
    money = [f for f in facts if f.label and f.unit in MONEY]
    for measure, value, unit in claims(sentence):
        same_item = [f for f in money if f.label == measure] or [
            f for f in money if f.label.endswith(measure) or measure.endswith(f.label)
        ]
        authority = [f for f in same_item if f.in_table] or same_item
        if authority and not any(agrees(value, unit, f.value, f.unit) for f in authority):
            wrong.append(f"{measure} {value}{unit}")
    return wrong


@dataclass
class CitedText:
    text: str
    source_ids: list[int]  # valid ids in order of first use (1-based, as shown to the model)
    dropped_ids: list[int] = field(default_factory=list)  # ids the model invented


def parse_citations(raw: str, n_sources: int) -> CitedText:
    used: list[int] = []
    dropped: list[int] = []

    def replace(match: re.Match[str]) -> str:
        ids = [int(x) for x in re.split(r"\s*[,，、]\s*", match.group(1))]
        valid = [i for i in ids if 1 <= i <= n_sources]
        dropped.extend(i for i in ids if i not in valid)
        for i in valid:
            if i not in used:
                used.append(i)
        return "".join(f"[{i}]" for i in valid)

    text = CITATION.sub(replace, raw.strip())
    return CitedText(text=re.sub(r"[ \t]+\n", "\n", text).strip(), source_ids=used, dropped_ids=dropped)


@dataclass
class NumberPool:
    """Every number the answer may use: from the source texts and the facts of the documents in scope."""

    values: list[tuple[Decimal, str]] = field(default_factory=list)

    @classmethod
    def from_texts(cls, texts: list[str], facts: Sequence[tuple[Decimal, str]] = ()) -> NumberPool:
        pool = cls(list(facts))
        for text in texts:
            pool.values.extend(numbers_in(text))
        return pool

    def supports(self, value: Decimal, unit: str) -> bool:
        for known, known_unit in self.values:
            if known == value and (not unit or not known_unit or unit == known_unit or unit not in MONEY):
                return True
            if unit in MONEY and known_unit in MONEY and agrees(value, unit, known, known_unit):
                return True
        return False


def numbers_in(text: str) -> list[tuple[Decimal, str]]:
    """The numbers a text states, with their units; years, dates, enumerators and citation ids excluded."""
    text = CITATION.sub(" ", text)
    text = ENUMERATOR.sub(" ", text)
    text = YEAR_OR_DATE.sub(" ", text)
    out = []
    for m in NUMBER.finditer(text):
        try:
            value = Decimal(m.group(1).replace(",", "").replace("，", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits digits only
            continue
        out.append((value, (m.group(2) or "").replace("％", "%")))
    return out


@dataclass
class Verified:
    text: str
    removed: list[tuple[str, list[str]]]  # (sentence, its unsupported numbers)


def verify_numbers(text: str, pool: NumberPool) -> Verified:
    kept, removed = [], []
    for sentence in SENTENCE.findall(text):
        bad = [f"{v}{u}" for v, u in numbers_in(sentence) if not pool.supports(v, u)]
        if bad:
            removed.append((sentence.strip(), bad))
        else:
            kept.append(sentence)
    return Verified("".join(kept).strip(), removed)


def sentences_with_breaks(text: str) -> list[str]:
    """Sentences with their closing mark and line break (``index.core.lexicon.split_sentences`` strips both)."""
    return [s for s in SENTENCE.findall(text) if s.strip()]
