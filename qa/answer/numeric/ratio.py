"""倍数: one figure as a multiple of another.

    外事工作经费是中外友好组织国际交流周活动支持经费的几倍 → 外事工作经费是…支持经费的2.00倍。
    计算：外事工作经费 ÷ …支持经费 = 1,400,000.00元 ÷ 700,000.00元 = 2.00倍
"""

from __future__ import annotations

from index.core.units import show
from qa.answer.numeric.base import Asked, OperationAnswerer, Unanswerable, register
from qa.contract import Answer
from qa.figures.calculate import Calculation, ratio


@register
class RatioAnswerer(OperationAnswerer):
    operation = "ratio"

    def headline(self, subject: str, calc: Calculation) -> str:
        return f"{subject}{show(calc.value, calc.unit)}。"

    def answer(self, asked: Asked) -> Answer:
        operands = self.operands(asked)
        if len(operands) < 2:
            raise Unanswerable("计算倍数需要两个数字（两个部门、两个项目或两列），问题中只找到一个。")
        (la, a), (lb, b) = operands[:2]
        return self.calculated(asked, ratio(a.primary, b.primary, la, lb), f"{la}是{lb}的", a, b)
