"""A question naming no publisher but a name only one disclosure's text holds.

"贸易高质量发展专项总预算多少" names no department, and no table prints 贸易高质量发展专项: only the heading of
one 部门预算's project page does. A user typing a project's, special fund's or publication's own name means the
disclosure that holds it. The retrieval index answers which documents' text holds a phrase (``NodeStore.holding``,
a trigram index: no document is read), so only questions otherwise refused for naming no publisher ask it:

    >>> held_name(parsed, index.holding, allowed)          # parsed.unbound == ['贸易高质量发展专项总']
    ('贸易高质量发展专项', {'b067184912969b73'})

Standard items (基本支出, 行政运行, 三公经费, a 科目 name) are bound to table rows or concepts when the question
is read, never left unbound; and most documents print them, so they are never held by one only.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from index.core.text import compact
from qa.understand.model import ParsedQuestion

MIN_NAME = 4  # characters: shorter prefixes (人民调解 → 人民) name a topic, not one thing


def _phrases(parsed: ParsedQuestion) -> list[str]:
    """The question's own words no indexed name covered, and the free-text terms it was read by."""
    terms = [i.name for i in [*parsed.items, parsed.context_item] if i is not None and i.kind == "term"]
    return list(dict.fromkeys(compact(w) for w in [*parsed.unbound, *terms] if len(compact(w)) >= MIN_NAME))


def held_name(parsed: ParsedQuestion, holding: Callable[[str], set[str]],
              allowed: Collection[str]) -> tuple[str, set[str]] | None:
    """The longest name the question writes that some documents in ``allowed`` hold in their text, and the
    documents that hold every such name. A phrase is tried as written, then without its last characters
    (贸易高质量发展专项总 → 贸易高质量发展专项: the question goes on with 总预算), down to ``MIN_NAME``."""
    found: list[tuple[str, set[str]]] = []
    for phrase in _phrases(parsed):
        for end in range(len(phrase), MIN_NAME - 1, -1):
            holders = holding(phrase[:end]) & set(allowed)
            if holders:
                found.append((phrase[:end], holders))
                break
    if not found:
        return None
    common = set.intersection(*(h for _, h in found))
    if not common:  # its names are in different documents: nothing says which one is meant
        return None
    return max(found, key=lambda f: (len(f[0]), -len(f[1])))[0], common
