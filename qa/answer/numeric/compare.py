"""比较 / 排序: figures ranked, most first (or least first when the question asks for the least).

    外办和政府办哪个三公经费更多 → 最多的是北京市西城区人民政府办公室2020年三公经费，为47,320.24元。
    1. …  2. …
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from index.core.units import is_money, show, to_yuan
from qa.answer.answerer import searched
from qa.answer.numeric.base import Asked, OperationAnswerer, Unanswerable, register
from qa.contract import Answer
from qa.figures.calculate import plain
from qa.figures.locate import Located

LEAST = re.compile(r"最少|最低|更少|更低|最小|较少")


@register
class CompareAnswerer(OperationAnswerer):
    operation = "compare"

    def answer(self, asked: Asked) -> Answer:
        rows = list(self._operands(asked))
        if len(rows) < 2:
            raise Unanswerable("可比较的数字不足两个。" + searched(asked.selection.disclosures))
        lowest = bool(LEAST.search(asked.text))
        ranked = sorted(rows, key=lambda r: _amount(r[1]), reverse=not lowest)
        asked.worked.used += [loc for _, loc in ranked]
        lines = [f"{i + 1}. {name}：{show(loc.primary.value, loc.primary.unit)}（{loc.primary.place()}）"
                 for i, (name, loc) in enumerate(ranked)]
        top_name, top = ranked[0]
        head = f"{'最少' if lowest else '最多'}的是{top_name}，为{show(top.primary.value, top.primary.unit)}。"
        cites = [c for _, loc in ranked for c in loc.citations[:1]]
        return Answer(question=asked.text, status="answered", answer=head + "\n" + "\n".join(lines),
                      value=plain(top.primary.value), unit=top.primary.unit, method="lookup", citations=cites)

    def _operands(self, asked: Asked) -> Iterator[tuple[str, Located]]:
        """Each department that prints the figure (one may not), else the items or columns asked."""
        if len(asked.selection.disclosures) >= 2:
            for d in asked.selection.disclosures:
                located = self.locator.locate(d, asked.query)
                if located is not None:
                    yield d.label + located.item_label, located
            return
        yield from self.operands(asked)


def _amount(loc: Located) -> Decimal:
    """Money compared in 元 whatever unit each table prints; counts as they are."""
    p = loc.primary
    return to_yuan(p.value, p.unit) if is_money(p.unit) else p.value
