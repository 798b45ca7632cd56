"""增长率: the change of a figure as a percentage of its previous year (or of the other operand).

    外办收入预算增长率是多少 → …“收入预算”比2019年增长11.55%。
    计算：增长率 = （2020年收入预算 − 2019年收入预算）÷ 2019年收入预算
               = （7,955,559.34元 − 7,132,122.63元）÷ 7,132,122.63元 = 11.55%
"""

from __future__ import annotations

from qa.answer.numeric.base import register
from qa.answer.numeric.year_change import YearChange
from qa.figures.calculate import Calculation, growth_rate
from qa.figures.figure import Figure


@register
class GrowthAnswerer(YearChange):
    operation = "growth_rate"
    rate = True

    def calculate(self, a: Figure, b: Figure, label_a: str, label_b: str) -> Calculation:
        return growth_rate(a, b, label_a, label_b)
