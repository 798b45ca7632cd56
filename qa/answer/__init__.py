"""Answering: ``AnswerEngine`` routes each parsed question to one answerer (an operation's registered
numeric answerer, prose retrieval, or a quote for a figure no table carries) and streams ``Delta`` text
then ``Final(answer, parsed)``."""

from qa.answer.answerer import Delta, Event, Final, ScopedQuestion
from qa.answer.engine import AnswerEngine

__all__ = ["AnswerEngine", "Delta", "Event", "Final", "ScopedQuestion"]
