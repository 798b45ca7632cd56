"""Arithmetic inside one narrative sentence: "X，比2019年Y增加D，增长R%".

X − Y must be D, and (X − Y) / Y must be R% with the direction word matching the sign. Every printed
figure may be off by half a unit of its last decimal; a rate is checked over that whole range and
may itself be truncated rather than rounded.
"""

from __future__ import annotations

from decimal import Decimal

from qa.audit.model import UNIT_SCALE, Figure, Finding, differs, show


def rate_bounds(current: Figure, previous: Figure) -> tuple[Decimal, Decimal] | None:
    """The range of (current − previous) / previous × 100 over the rounding of both figures."""
    lo_prev, hi_prev = previous.yuan - previous.slack, previous.yuan + previous.slack
    if lo_prev <= 0:
        return None  # growth from nothing has no rate ("增加100%" is a convention)
    lo_cur, hi_cur = current.yuan - current.slack, current.yuan + current.slack
    candidates = [(c - p) / p * 100 for c in (lo_cur, hi_cur) for p in (lo_prev, hi_prev)]
    return min(candidates), max(candidates)


def rate_finding(st, current: Figure, previous: Figure, rate: Figure) -> Finding | None:
    bounds = rate_bounds(current, previous)
    if bounds is None:
        return None
    unit = rate.slack * 2  # a whole unit of the last decimal: rates are often truncated, not rounded
    if bounds[0] - unit <= rate.value <= bounds[1] + unit:
        return None
    actual = (current.yuan - previous.yuan) / previous.yuan * 100
    said = f"{'增加' if rate.value > 0 else '减少'} {abs(rate.value)}%"
    wrong_way = (actual > 0) != (rate.value > 0)
    message = (
        f"「{st.measure}」{current.shown()} 比 {previous.shown()} {'增加' if actual > 0 else '减少'} "
        f"{abs(actual):.2f}%，正文却写{said}" + ("（方向相反）" if wrong_way else "")
    )
    return Finding(
        kind="narrative_arithmetic", severity="error", message=message, doc_id=st.record.doc_id,
        figures=[str(current.value), str(previous.value), str(rate.value), f"{actual:.2f}"],
        locations=[current.location, previous.location, rate.location],
    )


def check_arithmetic(st) -> list[Finding]:
    findings = []
    current, previous, change, rate = st.current, st.previous, st.change, st.rate
    if current and previous and change:
        computed = current.yuan - previous.yuan
        if differs(computed, change.yuan, current.slack + previous.slack + change.slack):
            unit = change.unit
            findings.append(Finding(
                kind="narrative_arithmetic", severity="error", doc_id=st.record.doc_id,
                message=(f"「{st.measure}」{current.shown()} − {previous.shown()} = {show(computed / UNIT_SCALE[unit], unit, 2)}，"
                         f"正文却写{'增加' if change.value > 0 else '减少'} {show(abs(change.value), unit)}"),
                figures=[str(current.value), str(previous.value), str(change.value)],
                locations=[current.location, previous.location, change.location],
            ))
    if rate and current and previous is None and change:
        previous = Figure(
            (current.yuan - change.yuan) / UNIT_SCALE[current.unit or "元"], current.unit, "", current.location,
            summed_slack=current.slack + change.slack,
        )
    if rate and current and previous:
        if (finding := rate_finding(st, current, previous, rate)) is not None:
            findings.append(finding)
    return findings
