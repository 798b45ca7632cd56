"""Year over year: the previous year's figure of an item, and the change the narrative states.

The previous figure comes from the same table (a 2019年预算数 column), from the 上年 figure the
narrative states next to the current one, or from the previous year's disclosure when indexed;
failing those, a stated change lets the previous figure be derived, with the formula shown:

    2025年三公经费 = 2026年三公经费 − 比2025年增加额 = 244.85万元 − 16.03万元 = 228.82万元
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.core.units import agrees, show
from qa.figures.figure import Figure, narrative_figure
from qa.figures.locate import Located, Locator
from qa.figures.query import FigureQuery
from qa.understand.scope import Disclosure


@dataclass
class Derivation:
    """An earlier year's figure worked out from the current one and the change stated next to it."""

    value: Decimal
    unit: str
    label: str
    formula: str
    current: Figure
    stated: Figure


# "比上年预算减少20.78万元" in a 2026 disclosure is against 2025; "比年初预算增加" (a 决算) is not a year.
LAST_YEAR = re.compile(r"(?:比|较|与|同)(?:上年|去年|上一年)")


def _against_year(sentence: str, year: int, doc_year: int | None) -> bool:
    """The change in ``sentence`` is stated against ``year``: it names it, or says 上年 of a disclosure a year later."""
    return f"{year}年" in sentence or (doc_year == year + 1 and LAST_YEAR.search(sentence) is not None)


class YearOverYear:
    def __init__(self, locator: Locator):
        self.locator = locator

    def derive_previous(self, d: Disclosure, query: FigureQuery) -> Derivation | None:
        """``query.year``'s figure (2024年收入预算) from a later disclosure that states only the change."""
        year = query.year
        current = self.locator.locate(d, query.but(year=None))
        found = self.stated_against(current, rate=False) if current is not None else None
        if current is None or found is None or year is None or not _against_year(found[1].quote, year, d.year):
            return None
        cur, stated = found  # the figure the change was stated against, in its own unit
        if cur.unit != stated.unit:
            return None
        value = cur.value - stated.value
        label = current.item_label
        if stated.value < 0:
            formula = (f"{year}年{label} = {d.year}年{label} + 比{year}年减少额 = {show(cur.value, cur.unit)} + "
                       f"{show(-stated.value, stated.unit)} = {show(value, cur.unit)}")
        else:
            formula = (f"{year}年{label} = {d.year}年{label} − 比{year}年增加额 = {show(cur.value, cur.unit)} − "
                       f"{show(stated.value, stated.unit)} = {show(value, cur.unit)}")
        return Derivation(value, cur.unit, label, formula, cur, stated)

    def previous(self, d: Disclosure, query: FigureQuery, prev_year: int | None,
                 older: Disclosure | None) -> Located | None:
        """The item in ``prev_year``: a column or stated figure of ``d``, else ``older``'s own figure."""
        if prev_year is None:
            return None
        located = self.locator.locate(d, query.but(year=prev_year))
        if located is not None:
            return located
        if older is not None and older.year == prev_year:
            return self.locator.locate(older, query.but(year=None))
        return None

    def stated_change(self, current: Located, rate: bool) -> Figure | None:
        """The increase (or growth rate) the narrative states next to the current figure, signed."""
        found = self.stated_against(current, rate)
        return found[1] if found else None

    def stated_against(self, current: Located, rate: bool) -> tuple[Figure, Figure] | None:
        """The stated figure of the current value and the change stated next to it.

        The text may state the same figure twice ("收入预算合计186,241万元" and "收入、支出预算总计186,241万元，
        与上年相比…各减少…"), the change next to only one: every statement of the value the answer uses is
        read, and a change is taken only when all the changes stated agree."""
        wanted = {"growth_rate": 1, "decline_rate": -1} if rate else {"increase": 1, "decrease": -1}
        base = current.primary
        statements = [f for f in current.narrative if agrees(f.value, f.unit, base.value, base.unit)]
        found: list[tuple[Figure, Figure]] = []
        for figure in statements:
            n = next((n for n in self.locator.facts.stated.related(figure) if n.relation in wanted), None)
            if n is not None:
                stated = narrative_figure(n)
                stated.value = stated.value * wanted[n.relation]
                found.append((figure, stated))
        if len({(s.value, s.unit) for _, s in found}) != 1:
            return None
        return found[0]
