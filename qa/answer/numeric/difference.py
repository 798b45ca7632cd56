"""增减额: how much a figure went up or down, against its previous year or another operand.

    西城政府办项目支出比2019年增加多少 → …“项目支出”比2019年增加9,875,620.29元。
    计算：2020年项目支出 − 2019年项目支出 = 87,408,947.32元 − 77,533,327.03元 = 9,875,620.29元
"""

from __future__ import annotations

from qa.answer.numeric.base import register
from qa.answer.numeric.year_change import YearChange
from qa.figures.calculate import Calculation, difference
from qa.figures.figure import Figure


@register
class DifferenceAnswerer(YearChange):
    operation = "change"
    rate = False

    def calculate(self, a: Figure, b: Figure, label_a: str, label_b: str) -> Calculation:
        return difference(a, b, label_a, label_b)
