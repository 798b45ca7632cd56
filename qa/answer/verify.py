"""Trust nothing a model writes: keep only citations to real sources and numbers the sources contain.

Pure functions. ``parse_citations`` turns the raw answer into cited text, dropping citation ids the
model invented; ``verify_numbers`` removes every sentence with a number that neither the cited
sources nor the facts store support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from qa.figures.calculate import agrees

CITATION = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(万元|亿元|元|%|％|个百分点|人次|人|个|分|倍|台|辆|项|家|批次|场|期|次|本|条)?"
)
YEAR_OR_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d(?=\s*(?:年|-|—|–|\.|/|$))|(?<!\d)\d{1,2}(?=\s*(?:月|日|时))")
ENUMERATOR = re.compile(r"(?:^|(?<=[\n。；;：:]))\s*(?:\d{1,2}|[（(]\d{1,2}[)）])\s*[、.．)）]")
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?\n?")
AMOUNT_UNITS = {"元", "万元", "亿元"}


@dataclass
class CitedText:
    text: str
    source_ids: list[int]  # valid ids in order of first use (1-based, as shown to the model)
    dropped_ids: list[int] = field(default_factory=list)  # ids the model invented


def parse_citations(raw: str, n_sources: int) -> CitedText:
    used: list[int] = []
    dropped: list[int] = []

    def replace(match: re.Match) -> str:
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
    def from_texts(cls, texts: list[str], facts: list[tuple[Decimal, str]] = ()) -> NumberPool:
        pool = cls(list(facts))
        for text in texts:
            pool.values.extend(numbers_in(text))
        return pool

    def supports(self, value: Decimal, unit: str) -> bool:
        for known, known_unit in self.values:
            if known == value and (not unit or not known_unit or unit == known_unit or unit not in AMOUNT_UNITS):
                return True
            if unit in AMOUNT_UNITS and known_unit in AMOUNT_UNITS and agrees(value, unit, known, known_unit):
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


def split_sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.findall(text) if s.strip()]
