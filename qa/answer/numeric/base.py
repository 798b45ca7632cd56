"""What every operation's answerer shares: the question it answers, finding operands, and the registry.

An answerer is a class that declares the ``operation`` it serves (a name registered in
``qa.understand.operations``) and is registered with ``@register``; it answers from an ``Asked``, the
per-question value that holds the parsed question, its disclosures and the figure query built once:

    @register
    class RatioAnswerer(OperationAnswerer):
        operation = "ratio"

        def answer(self, asked: Asked) -> Answer:
            (la, a), (lb, b) = self.operands(asked)[:2]
            return self.calculated(asked, ratio(a.primary, b.primary, la, lb), f"{la}是{lb}的", a, b)
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, TypeVar

from index.core.text import compact
from index.core.units import show
from qa.answer.answerer import searched
from qa.contract import Answer
from qa.figures.calculate import Calculation, plain
from qa.figures.figure import Figure
from qa.figures.locate import Located, Locator, item_label, query_label
from qa.figures.query import FigureQuery
from qa.figures.years import YearOverYear
from qa.understand.model import ParsedQuestion
from qa.understand.operations import listed_columns
from qa.understand.scope import Disclosure, Selection

DOWNWARD = re.compile(r"下降|减少|降幅|少了|少多少|压减|降低")
MAGNITUDE = re.compile(r"相差|差多少|差额|差了|差距")


class Unanswerable(Exception):
    """No figure in the documents answers this; the message says what was searched."""


@dataclass
class Worked:
    """What an answer was made of, for the checks (``qa.answer.checks``): the figures used in order,
    the calculation over them, and the figures the narrative states for the result."""

    used: list[Located] = field(default_factory=list)
    calculation: Calculation | None = None
    stated: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class Asked:
    """One numeric question: what was parsed, the disclosures it is about, and its figure query
    (the first item, in the column and the year asked). ``worked`` records what the answer used."""

    parsed: ParsedQuestion
    selection: Selection
    query: FigureQuery
    worked: Worked = field(default_factory=Worked)

    @classmethod
    def of(cls, parsed: ParsedQuestion, selection: Selection) -> Asked:
        return cls(parsed, selection, FigureQuery.from_question(parsed, selection.column_year))

    @property
    def text(self) -> str:
        return self.parsed.text


class OperationAnswerer(ABC):
    """Answers the questions of one operation; raises ``Unanswerable`` when a figure is not printed."""

    operation: ClassVar[str]

    def __init__(self, locator: Locator):
        self.locator = locator
        self.facts = locator.facts
        self.years = YearOverYear(locator)

    @abstractmethod
    def answer(self, asked: Asked) -> Answer: ...

    # --- finding figures -------------------------------------------------------------------

    def find(self, d: Disclosure, query: FigureQuery) -> Located:
        """The query's figure in ``d``, or ``Unanswerable`` naming what was searched."""
        located = self.locator.locate(d, query)
        if located is None:
            what = f"{query.year}年的" if query.year and query.year != d.year else ""
            where = "、".join(query.tables) + "中" if query.tables else ""
            passed_over = self.locator.passed_over(d, query)
            if passed_over is not None:
                raise Unanswerable(f"未从{d.label}{where}取得{what}“{query_label(query)}”的数字：{passed_over}")
            raise Unanswerable(f"未找到{d.label}{where}{what}“{query_label(query)}”的数据，文档中没有披露该数字。"
                               f"{searched([d])}")
        return located

    def operands(self, asked: Asked) -> list[tuple[str, Located]]:
        """What a calculation combines: departments, else items, else columns, in the order asked."""
        parsed, query = asked.parsed, asked.query
        items = sorted(parsed.items, key=lambda i: i.pos)
        disclosures = asked.selection.disclosures
        if len(disclosures) >= 2:
            return [(d.label + item_label(query.item, parsed.column), self.find(d, query)) for d in disclosures]
        d = disclosures[0]
        if len(items) >= 2:
            found = [self.find(d, query.but(item=i)) for i in items]
            return [(loc.item_label, loc) for loc in found]
        if listed_columns(parsed):
            # “三公”经费、会议费和培训费: the item's own figure, then each column's total.
            own = self.find(d, query.but(column=None))
            found = [self.find(d, query.but(item=None, column=col)) for col, _ in sorted(parsed.columns, key=lambda c: c[1])]
            return [(own.item_label, own), *((loc.item_label, loc) for loc in found)]
        if len(parsed.columns) >= 2:
            return [(item_label(query.item, col), self.find(d, query.but(column=col)))
                    for col, _ in sorted(parsed.columns, key=lambda c: c[1])]
        located = self.find(d, query)
        return [(located.item_label, located)]

    # --- wording ---------------------------------------------------------------------------

    def headline(self, subject: str, calc: Calculation) -> str:
        return f"{subject}为{show(calc.value, calc.unit)}。"

    def reported(self, asked: Asked, value: Decimal) -> Decimal:
        """The value the answer reports for a calculated one (a change may be asked as a magnitude)."""
        return value

    def calculated(self, asked: Asked, calc: Calculation, subject: str, *inputs: Located) -> Answer:
        asked.worked.used += inputs
        asked.worked.calculation = calc
        sources = "；".join(f"{loc.item_label}：{loc.primary.place()}" for loc in inputs)
        text = f"{self.headline(subject, calc)}\n计算：{calc.formula}\n数据来源：{sources}。"
        notices = [n for loc in inputs for n in loc.notices]
        cites = [c for loc in inputs for c in loc.citations]
        return Answer(question=asked.text, status="answered", answer=text, value=plain(self.reported(asked, calc.value)),
                      unit=calc.unit, method="calculation", citations=cites, formula=calc.formula, notices=notices)


def signed(question: str, value: Decimal) -> Decimal:
    """减少了多少 / 相差多少 ask for a magnitude; 增加多少 keeps the sign."""
    text = compact(question)
    if MAGNITUDE.search(text):
        return abs(value)
    return -value if DOWNWARD.search(text) else value


def whole_label(figure: Figure) -> str:
    """How a table's total reads as the whole of a share: 支出合计, 一般公共服务支出合计 …"""
    leaf = (figure.column or "").rsplit("/", 1)[-1]
    if figure.row and figure.row != "合计":
        return f"{figure.row}{leaf}" if leaf in ("合计", "总计") else figure.row
    title = figure.title or ""
    prefix = "支出" if "支出" in title else "收入" if "收入" in title else ""
    return prefix + (leaf if leaf in ("合计", "总计") else "合计")


ANSWERERS: dict[str, type[OperationAnswerer]] = {}
A = TypeVar("A", bound=type[OperationAnswerer])


def register(cls: A) -> A:
    """Register an answerer class under the operation it declares (one answerer per operation)."""
    ANSWERERS[cls.operation] = cls
    return cls
