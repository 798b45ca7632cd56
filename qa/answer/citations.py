"""One number per passage: citations of the same place merged, the answer's [n] markers renumbered.

Retrieved nodes overlap, so one sentence can reach an answer several times; a reader should see it once,
as one number:

    根据原文：设3个内设机构。[1]\\n设3个内设机构。[2]\\n编制9名。[3]   (citations 1 and 2: page 1, same sentence)
    → 根据原文：设3个内设机构。[1]\\n编制9名。[2]
"""

from __future__ import annotations

import re

from index.core.text import compact
from qa.answer.verify import CITATION
from qa.contract import Answer, Citation


def place_key(c: Citation) -> tuple:
    """What makes two citations the same: document, page, table cell and the passage as printed."""
    return (c.doc_id or c.document, c.page, c.table, c.row, c.column, compact(c.quote))


def merge_citations(answer: Answer) -> Answer:
    """``answer`` with duplicate citations merged (first occurrence kept, so [1] stays the headline's
    source); markers renumbered, a marker repeated in a row written once, a line repeated verbatim kept once."""
    kept: list[Citation] = []
    number: dict[int, int] = {}  # old 1-based → new 1-based
    index: dict[tuple, int] = {}
    for old, c in enumerate(answer.citations, 1):
        key = place_key(c)
        if key not in index:
            kept.append(c)
            index[key] = len(kept)
        number[old] = index[key]
    if len(kept) == len(answer.citations):
        return answer

    def renumber(match: re.Match[str]) -> str:
        ids = [int(x) for x in re.split(r"\s*[,，、]\s*", match.group(1))]
        return "".join(f"[{n}]" for n in dict.fromkeys(number.get(i, i) for i in ids))

    text = CITATION.sub(renumber, answer.answer)
    text = re.sub(r"(\[\d+\])(?:\1)+", r"\1", text)
    lines: list[str] = []
    for line in text.split("\n"):  # the same sentence under merged numbers is now one line
        if not line.strip() or line not in lines:
            lines.append(line)
    return answer.model_copy(update={"answer": "\n".join(lines), "citations": kept})
