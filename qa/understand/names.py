"""Finding known names in a question by dictionary look-up of its substrings.

A question is short (tens of characters) and the names are many (every row of every document in
scope), so each substring of the question is looked up instead of each name searched for: the cost
of a question does not grow with the number of names.

    >>> index = NameIndex([("外办", "department", "外办"), ("行政运行", "row", "行政运行")])
    >>> [(m[0], m[1], m[2]) for m in index.find("外办行政运行是多少")]
    [(0, 2, 'department'), (2, 6, 'row')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Literal

TermKind = Literal["department", "region", "table", "column", "concept", "row", "attribute", "code"]
# A known name the question spells: (start, end, kind, text as written, key).
Match = tuple[int, int, TermKind, str, str]


class NameIndex:
    """Names (as written) → what they name; ``find`` lists every occurrence in a text, overlaps included."""

    def __init__(self, entries: Iterable[tuple[str, TermKind, str]] = ()):
        self.by_text: dict[str, list[tuple[TermKind, str]]] = defaultdict(list)
        self.longest = 0
        for text, kind, key in entries:
            self.add(text, kind, key)

    def add(self, text: str, kind: TermKind, key: str) -> None:
        if text and (kind, key) not in self.by_text[text]:
            self.by_text[text].append((kind, key))
            self.longest = max(self.longest, len(text))

    def find(self, text: str) -> list[Match]:
        found: list[Match] = []
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + self.longest) + 1):
                piece = text[start:end]
                for kind, key in self.by_text.get(piece, ()):
                    found.append((start, end, kind, piece, key))
        return found


def longest_first(found: list[Match], rank: Callable[[Match], tuple]) -> list[Match]:
    """The matches kept when the better-ranked (longest first) is taken and whatever overlaps it dropped,
    in the order they appear."""
    taken: list[Match] = []
    for f in sorted(found, key=rank):
        if all(f[1] <= t[0] or f[0] >= t[1] for t in taken):
            taken.append(f)
    return sorted(taken)
