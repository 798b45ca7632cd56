"""Scope a question to the documents of the publisher it names.

Among hundreds of disclosures, "外办2020年公务接待费" is about one publisher's documents: the
name picks the documents, the rest of the question picks the passage. Publisher names and aliases
are matched greedily, longest first, so "外事办公室" is not read as the alias "办公室" of another
office. The matched names are removed from the question used for ranking: within the right
documents they would only favour passages that repeat the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from index.core.text import normalize

MIN_NAME = 2


def match_names(query: str, names: Mapping[str, AbstractSet[str]], longest: int) -> tuple[set[str], str]:
    """Documents of every publisher named in ``query`` and the query without those names."""
    text = normalize(query)
    docs: set[str] = set()
    rest: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), MIN_NAME - 1, -1):
            found = names.get(text[i : i + size])
            if found:
                docs.update(found)
                rest.append(" ")
                i += size
                break
        else:
            rest.append(text[i])
            i += 1
    return docs, "".join(rest).strip() if docs else query
