"""Decimal calculations over located figures, each with the formula that shows its inputs.

    >>> difference(this_year, last_year, "2020年项目支出", "2019年项目支出").formula
    '2020年项目支出 − 2019年项目支出 = 87,408,947.32元 − 77,533,327.03元 = 9,875,620.29元'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from index.core.units import CENT, MONEY, YUAN, convert, show
from qa.figures.figure import Figure

HUNDRED = Decimal(100)


class CalculationError(ValueError):
    """Inputs that cannot be combined (different kinds of unit, division by zero)."""


@dataclass
class Calculation:
    value: Decimal
    unit: str
    formula: str
    inputs: list[Figure]


def plain(value: Decimal) -> str:
    """The contract's decimal string: 7955559.34, 11.55 (never exponent notation)."""
    return format(value, "f")


def _common_unit(figures: list[Figure]) -> str:
    units = {f.unit for f in figures}
    if len(units) == 1:
        return units.pop()
    if units <= set(MONEY):
        return YUAN
    raise CalculationError("单位不同，无法计算：" + "、".join(sorted(units)))


def _aligned(figures: list[Figure]) -> tuple[list[Decimal], str]:
    unit = _common_unit(figures)
    values = []
    for f in figures:
        value = convert(f.value, f.unit, unit)
        if value is None:
            raise CalculationError(f"单位不同，无法换算：{f.unit} → {unit}")
        values.append(value)
    return values, unit


def _quantize_like(value: Decimal, inputs: list[Decimal]) -> Decimal:
    places = max((-int(v.as_tuple().exponent) for v in inputs if int(v.as_tuple().exponent) < 0), default=0)
    return value.quantize(Decimal(1).scaleb(-places)) if places else value


def difference(a: Figure, b: Figure, label_a: str, label_b: str) -> Calculation:
    (va, vb), unit = _aligned([a, b])
    value = _quantize_like(va - vb, [va, vb])
    formula = f"{label_a} − {label_b} = {show(va, unit)} − {show(vb, unit)} = {show(value, unit)}"
    return Calculation(value, unit, formula, [a, b])


def growth_rate(current: Figure, previous: Figure, label_current: str, label_previous: str) -> Calculation:
    (vc, vp), unit = _aligned([current, previous])
    if vp == 0:
        raise CalculationError(f"{label_previous}为0，增长率无意义")
    rate = ((vc - vp) / vp * HUNDRED).quantize(CENT, ROUND_HALF_UP)
    formula = (
        f"增长率 = （{label_current} − {label_previous}）÷ {label_previous} = "
        f"（{show(vc, unit)} − {show(vp, unit)}）÷ {show(vp, unit)} = {show(rate, '%')}"
    )
    return Calculation(rate, "%", formula, [current, previous])


def share(part: Figure, whole: Figure, label_part: str, label_whole: str) -> Calculation:
    (vp, vw), unit = _aligned([part, whole])
    if vw == 0:
        raise CalculationError(f"{label_whole}为0，无法计算占比")
    rate = (vp / vw * HUNDRED).quantize(CENT, ROUND_HALF_UP)
    formula = f"{label_part}占比 = {label_part} ÷ {label_whole} = {show(vp, unit)} ÷ {show(vw, unit)} = {show(rate, '%')}"
    return Calculation(rate, "%", formula, [part, whole])


def total(figures: list[Figure], labels: list[str]) -> Calculation:
    values, unit = _aligned(figures)
    value = _quantize_like(sum(values, Decimal(0)), values)
    formula = " + ".join(labels) + " = " + " + ".join(show(v, unit) for v in values) + f" = {show(value, unit)}"
    return Calculation(value, unit, formula, list(figures))


def ratio(a: Figure, b: Figure, label_a: str, label_b: str) -> Calculation:
    (va, vb), unit = _aligned([a, b])
    if vb == 0:
        raise CalculationError(f"{label_b}为0，无法计算倍数")
    value = (va / vb).quantize(CENT, ROUND_HALF_UP)
    formula = f"{label_a} ÷ {label_b} = {show(va, unit)} ÷ {show(vb, unit)} = {show(value, '倍')}"
    return Calculation(value, "倍", formula, [a, b])
