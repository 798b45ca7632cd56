"""A question on its way through the engine, what an answerer is, and the events a turn streams.

The engine parses and scopes a question once into a ``ScopedQuestion`` and routes it to one ``Answerer``. An
answerer streams ``Delta`` text and returns its ``Answer``; the engine then yields ``Final`` with the
answer and the parsed question, so a UI never parses the question again:

    >>> [type(e).__name__ for e in engine.ask_stream("外办基本支出占比")]
    ['Delta', 'Final']
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator
from dataclasses import dataclass
from typing import Protocol

from qa.contract import Answer
from qa.understand.model import ParsedQuestion
from qa.understand.scope import Disclosure, Selection


@dataclass(frozen=True)
class ScopedQuestion:
    """A question as parsed and scoped: what every answerer reads."""

    question: str
    parsed: ParsedQuestion
    selection: Selection

    @property
    def doc_ids(self) -> list[str]:
        return [d for disclosure in self.selection.disclosures for d in disclosure.doc_ids]

    @property
    def searched(self) -> str:
        return searched(self.selection.disclosures)


@dataclass(frozen=True)
class Delta:
    """Answer text as it is written (verified sentences when a model writes)."""

    text: str


@dataclass(frozen=True)
class Final:
    """The authoritative answer (a UI replaces the streamed text with it) and the parsed question,
    which is the next turn's ``context``; None only for an empty question."""

    answer: Answer
    parsed: ParsedQuestion | None


Event = Delta | Final
# What an answerer streams: text deltas, then its Answer as the generator's return value.
Stream = Generator[Delta, None, Answer]


class Answerer(Protocol):
    def stream(self, scoped: ScopedQuestion) -> Stream: ...


class Immediate(ABC):
    """An answerer that answers at once (lookups, calculations, quotes): no deltas of its own."""

    def stream(self, scoped: ScopedQuestion) -> Stream:
        yield from ()
        return self.answer(scoped)

    @abstractmethod
    def answer(self, scoped: ScopedQuestion) -> Answer: ...


class Refuse(Immediate):
    """The scope already refused (a department or year not indexed): say so, look nothing up."""

    def answer(self, scoped: ScopedQuestion) -> Answer:
        return Answer(question=scoped.question, status="refused", answer=scoped.selection.refusal or "", method="lookup")


def searched(disclosures: list[Disclosure]) -> str:
    """What a refusal says was searched: 已检索：a.pdf、b.pdf（表格与正文说明）。"""
    files = sorted({f for d in disclosures for f in d.file_names})
    return "已检索：" + "、".join(files) + "（表格与正文说明）。"
