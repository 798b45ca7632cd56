"""合计: two or more figures added up (two items, two departments or two columns).

    外办住房公积金和购房补贴加起来是多少 → 住房公积金与购房补贴合计为708,564.72元。
    计算：住房公积金 + 购房补贴 = 363,276.72元 + 345,288.00元 = 708,564.72元
"""

from __future__ import annotations

from index.core.units import show
from qa.answer.answerer import searched
from qa.answer.numeric.base import Asked, OperationAnswerer, Unanswerable, register
from qa.contract import Answer
from qa.figures.calculate import Calculation, total


@register
class SumAnswerer(OperationAnswerer):
    operation = "sum"

    def headline(self, subject: str, calc: Calculation) -> str:
        return f"{subject}合计为{show(calc.value, calc.unit)}。"

    def answer(self, asked: Asked) -> Answer:
        operands = self.operands(asked)
        if len(operands) < 2:
            raise Unanswerable("要合计的项目不足两个。" + searched(asked.selection.disclosures))
        labels = [label for label, _ in operands]
        calc = total([loc.primary for _, loc in operands], labels)
        return self.calculated(asked, calc, "与".join(labels), *[loc for _, loc in operands])
