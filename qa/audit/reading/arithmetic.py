"""The range a growth rate may take when its figures are rounded: "X，比上年Y增长R%".

Every printed figure may be off by half a unit of its last decimal, so (X − Y) / Y is a range, and a
printed rate fits when it lies within that range widened by a whole unit of its own last decimal
(rates are often truncated rather than rounded).

    X = 3,845.49 万元, Y = 43,269.3 万元 → (X − Y) / Y ≈ −91.11%: a printed "增加17.62%" does not fit.
"""

from __future__ import annotations

from decimal import Decimal

from qa.audit.model import Figure


def rate_bounds(current: Figure, previous: Figure) -> tuple[Decimal, Decimal] | None:
    """The range of (current − previous) / previous × 100 over the rounding of both figures."""
    lo_prev, hi_prev = previous.yuan - previous.slack, previous.yuan + previous.slack
    if lo_prev <= 0:
        return None  # growth from nothing has no rate ("增加100%" is a convention)
    lo_cur, hi_cur = current.yuan - current.slack, current.yuan + current.slack
    candidates = [(c - p) / p * 100 for c in (lo_cur, hi_cur) for p in (lo_prev, hi_prev)]
    return min(candidates), max(candidates)


def rate_fits(current: Figure, previous: Figure, rate: Figure) -> bool:
    """The printed rate is (current − previous) / previous, up to rounding; True when there is no rate to check."""
    bounds = rate_bounds(current, previous)
    if bounds is None:
        return True
    unit = rate.slack * 2  # a whole unit of the last decimal: rates are often truncated, not rounded
    return bounds[0] - unit <= rate.value <= bounds[1] + unit


def change_rate(current: Figure, previous: Figure) -> Decimal:
    return (current.yuan - previous.yuan) / previous.yuan * 100
