"""What 增减额 and 增长率 share: the current figure, the one it is compared with, and the change stated.

Two operands asked (two departments, items, columns or years) are compared with each other; one item
is compared with its previous year (a column, a stated 上年 figure, or the previous disclosure). When
the narrative states the change itself, its sentence is cited first and checked against the tables.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from decimal import Decimal

from index.core.text import compact
from index.core.units import agrees, rate_agrees, show
from qa.answer.answerer import searched
from qa.answer.numeric.base import Asked, OperationAnswerer, Unanswerable, signed
from qa.contract import Answer
from qa.figures.calculate import Calculation, plain
from qa.figures.figure import Figure
from qa.figures.locate import Located
from qa.understand.operations import AGAINST_BUDGET
from qa.understand.scope import Disclosure

# "A比B多多少" with B not a year: the comparison is with another publisher or item, not the year before.
OTHER_BASE = re.compile(r"[比较](?!上年|去年|上一年|前一年|同期|年初|20\d\d|较|例|重|率)")


class YearChange(OperationAnswerer):
    """Base of the change answerers: ``calculate`` is the formula, ``rate`` says whether the change is a rate."""

    rate: bool

    @abstractmethod
    def calculate(self, a: Figure, b: Figure, label_a: str, label_b: str) -> Calculation: ...

    def headline(self, subject: str, calc: Calculation) -> str:
        up = calc.value >= 0
        verb = ("增长" if up else "下降") if calc.unit == "%" else ("增加" if up else "减少")
        return f"{subject}{verb}{show(abs(calc.value), calc.unit)}。"

    def reported(self, asked: Asked, value: Decimal) -> Decimal:
        return signed(asked.text, value)

    def answer(self, asked: Asked) -> Answer:
        parsed, selection = asked.parsed, asked.selection
        several = len(selection.disclosures) >= 2 or len(parsed.items) >= 2 or len(parsed.columns) >= 2
        if not several and AGAINST_BUDGET.search(compact(asked.text)):
            return self._against_budget(asked, selection.disclosures[0])
        operands = self.operands(asked) if several or selection.column_year is None else []
        if len(operands) >= 2:
            (la, a), (lb, b) = operands[:2]
            return self.calculated(asked, self.calculate(a.primary, b.primary, la, lb), f"{la}比{lb}", a, b)
        d = selection.disclosures[0]
        if selection.column_year is not None:
            prev_year: int | None = selection.column_year  # 比2019年: the asked year is the base year
        else:
            prev_year = min(parsed.years) if len(parsed.years) >= 2 else (d.year - 1 if d.year else None)
        column = asked.query.column
        if not several and column and prev_year is not None and f"{prev_year}年" in column:
            # 比2025年预算数增长: the column named is the base, not the current figure.
            current = self.find(d, asked.query.but(year=None, column=None))
        else:
            current = operands[0][1] if operands else self.find(d, asked.query.but(year=None))
        previous = self.years.previous(d, asked.query, prev_year, selection.previous.get(d.department))
        stated = self.years.stated_change(current, self.rate)
        label = current.item_label
        if previous is None:
            # The change the text states is against the previous year: it never answers "A比B多多少" whose B
            # (another publisher or item) went unresolved.
            if stated is None or OTHER_BASE.search(asked.text):
                raise Unanswerable(f"未找到{d.department}{prev_year}年“{label}”的数字，无法计算增减。{searched([d])}")
            asked.worked.used.append(current)
            asked.worked.stated.append(stated)
            text = (f"{d.label}“{label}”为{show(current.primary.value, current.primary.unit)}；"
                    f"正文第{stated.page}页载明：“{stated.quote}”")
            return Answer(question=asked.text, status="answered", answer=text, value=plain(signed(asked.text, stated.value)),
                          unit=stated.unit, method="lookup", citations=[stated.citation(), current.primary.citation()])
        calc = self.calculate(current.primary, previous.primary, f"{d.year}年{label}", f"{prev_year}年{label}")
        answer = self.calculated(asked, calc, f"{d.label}“{label}”比{prev_year}年", current, previous)
        if stated is not None:
            self._check_stated(asked, answer, calc, stated, f"{d.label}“{label}”比{prev_year}年")
        return answer

    def _against_budget(self, asked: Asked, d: Disclosure) -> Answer:
        """决算 − 预算 of one measure, both as one sentence states them ("年初预算10423.69万元，支出决算31,342.45万元"):
        never a 预算 found elsewhere, which may be another line's or another fund's (the 支出决算表 covers every
        fund, the sentence only 一般公共预算财政拨款)."""
        terms = (asked.query.terms or "").split("比")[0]  # the measure and 决算, without the base named after 比
        current = self.find(d, asked.query.but(year=None, column=None, terms=terms if "决算" in terms else terms + "决算"))
        label = current.item_label
        stated = self.facts.stated
        pair = next((p for n in current.narrative if (p := stated.budget_pair(n)) is not None), None)
        if pair is None and (budget := stated.budget_stated_with(d.doc_ids, current.primary)) is not None:
            pair = current.primary, budget
        if pair is None:
            raise Unanswerable(f"未找到与{d.label}“{label}”决算数同句载明的预算数，无法计算决算与预算之差。{searched([d])}")
        final, budget = pair
        calc = self.calculate(final, budget, f"{label}决算", f"{label}预算")
        # The located figure (a table's, the sentence beside it) when it is the sentence's 决算 itself.
        same = final.value == current.primary.value and final.unit == current.primary.unit
        used = current if same else Located(f"{label}决算", primary=final)
        return self.calculated(asked, calc, f"{d.label}“{label}”决算比预算", used, Located(f"{label}预算", primary=budget))

    def _check_stated(self, asked: Asked, answer: Answer, calc: Calculation, stated: Figure, subject: str) -> None:
        """The document states the change itself: its sentence is the first source, the tables corroborate."""
        ok = rate_agrees(calc.value, stated.value) if self.rate else agrees(stated.value, stated.unit, calc.value, calc.unit)
        verdict = "一致" if ok else "不一致，请以原文核对"
        answer.answer += (f"\n正文第{stated.page}页载明为{show(abs(stated.value), stated.unit)}：“{stated.quote}”，"
                          f"与计算结果{verdict}。")
        answer.citations.insert(0, stated.citation())
        asked.worked.stated.append(stated)
        answer.value = plain(signed(asked.text, stated.value))  # as published; the formula shows the computed one
        if ok:
            return
        answer.unit = stated.unit
        answer.method = "lookup"
        up = stated.value >= 0
        verb = ("增长" if up else "下降") if self.rate else ("增加" if up else "减少")
        _, rest = answer.answer.split("\n", 1)
        answer.answer = (f"{subject}{verb}{show(abs(stated.value), stated.unit)}（正文所列）；"
                         f"按表计算为{show(abs(calc.value), calc.unit)}，两者不一致，请以原文核对。\n{rest}")
        answer.notices.append(f"正文所列{show(stated.value, stated.unit)}与按表计算的{show(calc.value, calc.unit)}不一致。")
