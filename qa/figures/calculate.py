"""Decimal calculations over located figures, each with the formula that shows its inputs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from index.core.numbers import format_amount
from qa.figures.figure import Figure

UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class CalculationError(ValueError):
    """Inputs that cannot be combined (different kinds of unit, division by zero)."""


@dataclass
class Calculation:
    value: Decimal
    unit: str
    formula: str
    inputs: list[Figure]


def show(value: Decimal, unit: str) -> str:
    """A figure as the answer prints it: 7,955,559.34元, 11.55%, 15.71倍, 16人."""
    if unit == "%":
        return f"{format_amount(value.quantize(CENT, ROUND_HALF_UP))}%"
    if unit == "倍":
        return f"{format_amount(value.quantize(CENT, ROUND_HALF_UP))}倍"
    return f"{format_amount(value)}{unit}"


def plain(value: Decimal) -> str:
    """The contract's decimal string: 7955559.34, 11.55 (never exponent notation)."""
    return format(value, "f")


def convert(value: Decimal, unit: str, to: str) -> Decimal:
    if unit == to:
        return value
    if unit not in UNIT_FACTOR or to not in UNIT_FACTOR:
        raise CalculationError(f"单位不同，无法换算：{unit} → {to}")
    return (value * UNIT_FACTOR[unit] / UNIT_FACTOR[to]).normalize() if value else Decimal(0)


def _common_unit(figures: list[Figure]) -> str:
    units = {f.unit for f in figures}
    if len(units) == 1:
        return units.pop()
    if units <= set(UNIT_FACTOR):
        return "元"
    raise CalculationError("单位不同，无法计算：" + "、".join(sorted(units)))


def _aligned(figures: list[Figure]) -> tuple[list[Decimal], str]:
    unit = _common_unit(figures)
    return [convert(f.value, f.unit, unit) for f in figures], unit


def _quantize_like(value: Decimal, inputs: list[Decimal]) -> Decimal:
    places = max((-v.as_tuple().exponent for v in inputs if v.as_tuple().exponent < 0), default=0)
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


def agrees(a: Decimal, unit_a: str, b: Decimal, unit_b: str) -> bool:
    """Same amount up to the rounding of the less precise one (244.848000万元 ≈ 244.85万元)."""
    try:
        va, vb = convert(a, unit_a, "元"), convert(b, unit_b, "元")
    except CalculationError:
        return a == b and unit_a == unit_b
    step = max(_resolution(a, unit_a), _resolution(b, unit_b))
    return abs(va - vb) <= step / 2 + Decimal("0.000001")


def _resolution(value: Decimal, unit: str) -> Decimal:
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(min(exponent, 0)) * UNIT_FACTOR.get(unit, Decimal(1))


def rate_agrees(computed: Decimal, stated: Decimal) -> bool:
    """A stated rate (8.29%, 4.5%) agrees when the computed one rounds to it."""
    places = max(-stated.as_tuple().exponent, 0)
    return computed.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) == stated or abs(computed - stated) <= Decimal("0.01")
