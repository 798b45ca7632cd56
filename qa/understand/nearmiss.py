"""Near misses: everyday wording and typos that probably mean a budget name.

Nothing is bound silently. The fixed everyday words of ``EVERYDAY`` (招待 → 接待, 一共花多少钱 → 支出总计) are
answered in budget words, checked like any answer, and the answer says how the question was read. A name one
character off ("公务接侍费") is only a reading: the question is refused with "您是否想问：…公务接待费…" and
the user (or the LLM reading, checked like any other) decides.

    >>> near_misses("公务招待费", NearMissIndex(["公务接待费", "行政运行"]))
    [('公务招待费', '公务接待费')]
    >>> everyday("西城外办20年一共花多少钱")
    '西城外办2020年支出总计是多少'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Everyday words and common slips → the budget words disclosures print. Each is a reading, not a parse.
EVERYDAY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"招待"), "接待"),
    (re.compile(r"欲算|预箅|予算"), "预算"),
    # What a trip abroad or a meeting costs is its own item, not the total spent: these go first.
    (re.compile(r"出国(?:要)?花(?:了|掉)?(?:多少钱|多少)"), "因公出国（境）费是多少"),
    (re.compile(r"出国的(?:钱|费用)"), "因公出国（境）费"),
    (re.compile(r"开会的(?:钱|费用)"), "会议费"),
    (re.compile(r"(?:总共|一共|总计|合计)?(?:要|需要)?花(?:了|掉)?(?:多少钱|多少|几多钱)"), "支出总计是多少"),
    (re.compile(r"(?:总共|一共)(?:有|收入|收了)?(?:多少钱|多少资金)"), "收入总计是多少"),
    (re.compile(r"(?<![\d年])([012]\d)年"), r"20\1年"),
    (re.compile(r"三公费(?!用)"), "三公经费"),
    (re.compile(r"出国经费|出国费用"), "因公出国（境）费"),
)


def everyday(question: str) -> str:
    """The question with everyday words replaced by budget words (unchanged when none applies)."""
    text = question
    for pattern, replacement in EVERYDAY:
        text = pattern.sub(replacement, text)
    return text


class NearMissIndex:
    """Names of 4 or more characters, found again from a word one character away (symmetric deletes:
    a word and a name one edit apart share a key, so a look-up costs the word's length, not the names')."""

    def __init__(self, names: Iterable[str]):
        self.by_key: dict[str, set[str]] = {}
        for name in names:
            if len(name) >= 4:
                for key in _deletes(name):
                    self.by_key.setdefault(key, set()).add(name)

    def near(self, word: str) -> list[str]:
        found = {name for key in _deletes(word) for name in self.by_key.get(key, ())}
        return sorted(n for n in found if _one_off(word, n))


def near_misses(text: str, index: NearMissIndex) -> list[tuple[str, str]]:
    """(written, meant) for the pieces of ``text`` one character away from a known name, longest first."""
    found: list[tuple[str, str]] = []
    for size in range(min(len(text), 41), 2, -1):
        for start in range(0, len(text) - size + 1):
            piece = text[start:start + size]
            if not re.fullmatch(r"[\u4e00-\u9fff（）()]+", piece) or any(piece in w for w, _ in found):
                continue
            for name in index.near(piece):
                if name not in text and (piece, name) not in found:
                    found.append((piece, name))
    return found[:3]


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_off(a: str, b: str) -> bool:
    """One substitution, insertion or deletion apart (and not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
