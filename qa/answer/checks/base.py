"""What every answer check shares: the answer under review, the registry, and running them all.

A check is a small class with a ``name`` and a ``problem`` method that returns what is wrong with an
answer (in Chinese, for the user) or None. Checks are registered like the operations' answerers, so a
new one is one class:

    @register
    class ShareAtMostWhole(Check):
        name = "share_bounded"

        def problem(self, review: Review) -> str | None:
            calc = review.worked.calculation
            return "占比超过100%" if calc and calc.unit == "%" and calc.value > 100 else None
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from qa.answer.numeric.base import Asked, Worked
from qa.contract import Answer
from qa.figures.fact_index import FactIndex
from qa.figures.figure import Figure
from qa.figures.locate import Located
from qa.understand.model import ParsedQuestion
from qa.understand.scope import Selection


@dataclass(frozen=True)
class Review:
    """An answer and everything it was made from, as the checks read it."""

    asked: Asked
    answer: Answer
    facts: FactIndex | None = None  # the tables the figures were read from (a total row's neighbours)

    @property
    def parsed(self) -> ParsedQuestion:
        return self.asked.parsed

    @property
    def selection(self) -> Selection:
        return self.asked.selection

    @property
    def worked(self) -> Worked:
        return self.asked.worked

    @property
    def used(self) -> list[Located]:
        return self.asked.worked.used

    @property
    def figures(self) -> list[Figure]:
        """Every figure the answer rests on: each used figure and each stated one it cites."""
        return [loc.primary for loc in self.used] + list(self.worked.stated)

    @property
    def calculates(self) -> bool:
        return self.worked.calculation is not None


class Check(ABC):
    """One thing every answer must satisfy before it is shown."""

    name: ClassVar[str]

    @abstractmethod
    def problem(self, review: Review) -> str | None:
        """What is wrong with the answer, said to the user; None when the answer passes."""


CHECKS: dict[str, type[Check]] = {}
C = TypeVar("C", bound=type[Check])


def register(cls: C) -> C:
    CHECKS[cls.name] = cls
    return cls


@dataclass(frozen=True)
class Failure:
    check: str
    problem: str


def review(asked: Asked, answer: Answer, facts: FactIndex | None = None) -> list[Failure]:
    """Every registered check's complaint about an answered question (none: it may be shown)."""
    if answer.status != "answered":
        return []
    subject = Review(asked, answer, facts)
    failures = []
    for name, check in CHECKS.items():
        problem = check().problem(subject)
        if problem:
            failures.append(Failure(name, problem))
    return failures
