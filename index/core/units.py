"""Money units and "the same figure": the only table of 元 / 万元 / 亿元 in the project.

Every conversion, display and rounding tolerance goes through here. A printed figure carries the
precision it was printed with: ``1,234.5`` 万元 is only known to ±0.05 万元 (±500 元), so two figures
agree when they differ by no more than half a unit in the last printed place of the coarser one.

    >>> to_yuan(Decimal("12.5"), "万元")
    Decimal('125000.0')
    >>> agrees(Decimal("244.848"), "万元", Decimal("244.85"), "万元")
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, cast

from index.core.numbers import format_amount

# The money unit of a table (the document model's ``Table.unit``).
Unit = Literal["元", "万元", "亿元"]
YUAN: Unit = "元"
WAN: Unit = "万元"
YI: Unit = "亿元"
# How many 元 one of each money unit is.
MONEY: dict[str, Decimal] = {YUAN: Decimal(1), WAN: Decimal(10000), YI: Decimal(100000000)}
PERCENT = "%"
CENT = Decimal("0.01")
# Rounding noise of Decimal division, far below any printed precision.
EPSILON = Decimal("0.000001")


# A unit a header prints for its own column: "资金金额（万元）".
BRACKETED_UNIT = re.compile(r"[（(]\s*(元|万元|亿元)\s*[)）]")


def is_money(unit: str | None) -> bool:
    return unit in MONEY


def money_unit(text: str | None) -> Unit | None:
    """``text`` as a table's money unit, or None when it is not one."""
    return cast(Unit, text) if text in MONEY else None


def factor(unit: str | None) -> Decimal:
    """元 per unit; a table that prints no unit is in 元 (the readers inherit units before this)."""
    return MONEY.get(unit or YUAN, Decimal(1))


def to_yuan(value: Decimal, unit: str | None) -> Decimal:
    return value * factor(unit)


def from_yuan(yuan: Decimal, unit: str | None) -> Decimal:
    return yuan / factor(unit)


def convert(value: Decimal, unit: str | None, to: str | None) -> Decimal | None:
    """``value`` in ``unit`` expressed in ``to``; None when the two are not both money units."""
    if unit == to:
        return value
    if not is_money(unit) or not is_money(to):
        return None
    return (value * factor(unit) / factor(to)).normalize() if value else Decimal(0)


def printed_places(text: str | None, value: Decimal) -> int:
    """Decimal places as printed (``1,234.50`` → 2); without the printed text, the value's own."""
    digits = re.sub(r"[^\d.．]", "", (text or "").replace("．", "."))
    if "." in digits:
        return len(digits.rsplit(".", 1)[1])
    return max(0, -int(value.as_tuple().exponent)) if text is None else 0


def half_unit(text: str | None, value: Decimal) -> Decimal:
    """Half a unit in the last printed place: how far the true figure may be from the printed one."""
    return Decimal(5).scaleb(-(printed_places(text, value) + 1))


def resolution(value: Decimal, unit: str | None) -> Decimal:
    """The last place of ``value`` in 元 (0.01 万元 → 100 元)."""
    exponent = int(value.as_tuple().exponent)
    return Decimal(1).scaleb(min(exponent, 0)) * factor(unit)


def agrees(a: Decimal, unit_a: str | None, b: Decimal, unit_b: str | None) -> bool:
    """Same amount up to the rounding of the less precise one (244.848000万元 ≈ 244.85万元)."""
    ya, yb = convert(a, unit_a, YUAN), convert(b, unit_b, YUAN)
    if ya is None or yb is None:
        return a == b and unit_a == unit_b
    step = max(resolution(a, unit_a), resolution(b, unit_b))
    return abs(ya - yb) <= step / 2 + EPSILON


def rate_agrees(computed: Decimal, stated: Decimal) -> bool:
    """A stated rate (8.29%, 4.5%) agrees when the computed one rounds to it."""
    places = max(-int(stated.as_tuple().exponent), 0)
    rounded = computed.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return rounded == stated or abs(computed - stated) <= CENT


def show(value: Decimal, unit: str | None, places: int | None = None) -> str:
    """A figure as we print it: 7,955,559.34元, 11.55%, 15.71倍, 16人 (rates and multiples to the cent)."""
    if unit in (PERCENT, "倍") and places is None:
        return f"{format_amount(value.quantize(CENT, ROUND_HALF_UP))}{unit}"
    return format_amount(value, places) + (unit or "")


@dataclass(frozen=True)
class Amount:
    """A figure as printed: ``value`` in ``unit``, with the printed text that fixes its precision."""

    value: Decimal
    unit: str | None
    text: str | None = None

    @property
    def yuan(self) -> Decimal:
        return to_yuan(self.value, self.unit)

    @property
    def slack(self) -> Decimal:
        """Half a unit in the last printed place, in 元."""
        return half_unit(self.text, self.value) * factor(self.unit)

    def shown(self, places: int | None = None) -> str:
        return show(self.value, self.unit, places)

    def agrees(self, other: Amount) -> bool:
        return agrees(self.value, self.unit, other.value, other.unit)
