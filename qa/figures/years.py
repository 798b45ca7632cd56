"""Year over year: the previous year's figure of an item, and the change the narrative states.

The previous figure comes from the same table (a 2019年预算数 column), from the 上年 figure the
narrative states next to the current one, or from the previous year's disclosure when indexed;
failing those, a stated change lets the previous figure be derived, with the formula shown.
"""

from __future__ import annotations

from qa.contract import Answer
from qa.figures.calculate import plain, show
from qa.figures.fact_index import FactIndex
from qa.figures.figure import Figure, narrative_figure
from qa.figures.locate import Located, locate
from qa.understand.parse import ParsedQuestion
from qa.understand.scope import Disclosure, Selection


class YearOverYear:
    def __init__(self, facts: FactIndex):
        self.facts = facts

    def derive_previous(self, d: Disclosure, item, parsed: ParsedQuestion, selection: Selection) -> Answer | None:
        """2024年收入预算 from a 2025 disclosure that states only the change: current − increase."""
        year = selection.column_year
        current = locate(self.facts, d, item, parsed, None)
        stated = self.stated_change(current, rate=False) if current.primary is not None else None
        if stated is None or f"{year}年" not in stated.quote:
            return None
        cur = current.narrative[0]  # the figure the change was stated against, in its own unit
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
        text = (f"{d.label[:-5] if d.label.endswith(f'{d.year}年') else d.label}{year}年“{label}”约为{show(value, cur.unit)}"
                f"（文档未直接列出，按{d.year}年公开材料推算）。\n计算：{formula}\n数据来源：{cur.place()}；正文第{stated.page}页：“{stated.quote}”")
        return Answer(question=parsed.text, status="answered", answer=text, value=plain(value), unit=cur.unit,
                      method="calculation", citations=[cur.citation(), stated.citation()], formula=formula)

    def previous(self, d: Disclosure, item, parsed, selection: Selection, prev_year: int | None) -> Located | None:
        if prev_year is None:
            return None
        located = locate(self.facts, d, item, parsed, column_year=prev_year)
        if located.primary is not None:
            return located
        older = selection.previous.get(d.department)
        if older is not None and older.year == prev_year:
            located = locate(self.facts, older, item, parsed)
            if located.primary is not None:
                return located
        return None

    def stated_change(self, current: Located, rate: bool) -> Figure | None:
        """The increase (or growth rate) the narrative states next to the current figure, signed."""
        wanted = {"growth_rate": 1, "decline_rate": -1} if rate else {"increase": 1, "decrease": -1}
        for figure in current.narrative[:1]:
            for n in self.facts.related(figure):
                if n.relation in wanted:
                    stated = narrative_figure(n)
                    stated.value = stated.value * wanted[n.relation]
                    return stated
        return None
