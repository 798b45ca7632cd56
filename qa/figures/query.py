"""Which figure one lookup wants: the item, column, year, tables, context and units, as one value.

Built once per question from what was parsed, then varied per operand (another item, another column,
the previous year, one named table), so nothing downstream reads the question again:

    >>> base = FigureQuery.from_question(parsed, year=None)      # 外办基本支出占比
    >>> base.but(item=None, column="合计").column
    '合计'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from index.core.text import compact
from qa.understand.concepts import AMOUNT_UNITS, Concept
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.operations import LOOKUP
from qa.understand.parse import ACTUALLY_SPENT, concept_of, query_terms


@dataclass(frozen=True)
class FigureQuery:
    question: str  # as asked: its words point at tables (收入 → 收入总表)
    terms: str  # its content words: the most specific stated measure (工勤编制 over 行政编制)
    item: ItemRef | None = None  # None: the table's total
    column: str | None = None
    year: int | None = None  # a year only a column or a stated 上年 figure has; None: the disclosure's own
    tables: tuple[str, ...] = ()  # tables the question points at (表2, 收入总表)
    context_item: ItemRef | None = None  # "A里的B": A
    count_units: tuple[str, ...] | None = None  # 几个/多少人: a count, never a table amount
    money: bool = False  # asked for an amount
    label_context: bool = False  # name the item within its context (政府办三公经费里的公务接待费)
    title_hint: str | None = None  # only tables whose title holds this (基本支出 → 基本支出表)

    @classmethod
    def from_question(cls, parsed: ParsedQuestion, year: int | None) -> FigureQuery:
        """The first item asked, in the column asked, in the year asked."""
        first = min(parsed.items, key=lambda i: i.pos) if parsed.items else None
        return cls(
            # 实际花了 asks the 决算 figure: the terms say so, as "决算" would (the stated 决算 before the 预算 beside it).
            question=parsed.text, terms=ACTUALLY_SPENT.sub("决算", query_terms(parsed.text, parsed.department_names)), item=first,
            column=parsed.column, year=year, tables=tuple(parsed.tables), context_item=parsed.context_item,
            count_units=parsed.count_units, money=parsed.money, label_context=parsed.operation == LOOKUP,
        )

    def but(self, **changes: Any) -> FigureQuery:
        return replace(self, **changes)

    @property
    def concept(self) -> Concept | None:
        return concept_of(self.item) if self.item is not None else None

    @property
    def units(self) -> tuple[str, ...] | None:
        """The units the figure may be in: the count asked for, money, or any."""
        return self.count_units or (AMOUNT_UNITS if self.money else None)

    @property
    def context(self) -> str | None:
        """The whole the item is part of ("A里的B": A), unless the item is that whole itself."""
        if self.context_item is None or self.item == self.context_item:
            return None
        return compact(self.context_item.name)
