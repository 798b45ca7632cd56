"""AnswerEngine: a Chinese question in, an ``Answer`` with the figure, its sources and its formula out.

Stores, vocabulary and the retrieval index are opened once per engine; each question is then
parsed (``qa.understand.parse``), scoped to the disclosures it is about (``qa.understand.scope``) and
routed once to one answerer: the registered answerer of its operation (``qa.answer.numeric``), prose
retrieval (``qa.answer.prose``), or a quote for a figure no table carries:

    >>> answer, parsed = engine.ask_turn("外办2020年三公经费是多少？")
    >>> answer.value, engine.ask("那2019年呢？", context=parsed).value
    ('2217.48', '2217.48')
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from index.core.settings import Settings
from index.store.facts import FactsStore
from qa.answer.answerer import Answerer, Delta, Event, Final, Refuse, ScopedQuestion
from qa.answer.llm import ChatModel
from qa.answer.numeric import NumericAnswers
from qa.answer.passages import Documents, Searcher
from qa.answer.prose import OrQuotedFigure, ProseAnswerer, QuotedFigure
from qa.answer.synthesize import ExtractiveSynthesizer, Synthesizer, VerifiedLLMSynthesizer
from qa.answer.verify import LabelledFigure
from qa.contract import Answer
from qa.figures.fact_index import FactIndex
from qa.figures.locate import Locator
from qa.understand.items import wants_figure
from qa.understand.model import ParsedQuestion
from qa.understand.parse import parse_question
from qa.understand.scope import Scope, select
from qa.understand.vocabulary import Vocabulary


@dataclass(frozen=True)
class Router:
    """Picks the one answerer of a question, by what was parsed (llama-index's ``RouterQueryEngine``, by rule)."""

    numeric: NumericAnswers
    prose: ProseAnswerer
    quoted: QuotedFigure
    refuse: Refuse

    def choose(self, scoped: ScopedQuestion) -> Answerer:
        parsed = scoped.parsed
        if scoped.selection.refusal:
            return self.refuse
        if parsed.names_no_figure:
            # A figure asked for by a name nothing indexed carries: prose may state it.
            return self.quoted if parsed.operation_row.numeric and wants_figure(scoped.question) else self.prose
        if not parsed.operation_row.numeric:
            return self.prose
        if any(i.kind == "term" for i in parsed.items):
            return OrQuotedFigure(self.numeric, self.quoted)
        return self.numeric


@dataclass(frozen=True)
class _State:
    """What one reload builds; swapped in whole."""

    vocab: Vocabulary
    facts: FactIndex
    router: Router


class AnswerEngine:
    """Answers over one facts store (and, when built, one search index).

    Nothing is scanned at construction: the vocabulary and fact index are built at the first
    question (or ``reload()``), so opening the engine costs nothing for commands that never ask.
    """

    def __init__(self, settings: Settings, store: FactsStore, search_index: Searcher | None, chat: ChatModel):
        self.settings = settings
        self.store = store
        self.search_index = search_index
        self.chat = chat
        self._lock = threading.Lock()
        self._state: _State | None = None

    @property
    def vocab(self) -> Vocabulary:
        return self._loaded().vocab

    @property
    def facts(self) -> FactIndex:
        return self._loaded().facts

    def _loaded(self) -> _State:
        state = self._state
        if state is None:
            self.reload()
            state = self._state
            if state is None:  # reload always sets it; this keeps the type checker honest
                raise RuntimeError("engine state missing after reload")
        return state

    def reload(self) -> None:
        """Rebuild the in-memory vocabulary and fact index (after documents were added or deleted)."""
        with self._lock:
            vocab, facts = Vocabulary.build(self.store), FactIndex(self.store)
            for f in facts.form_facts:  # form fields (中期资金总额) are names a question can use
                vocab.add_fact_names(f.doc_id, f.name, None, f.column, f.attributes)
            # Swap all at once: a question answered meanwhile sees either the old or the new state.
            self._state = _State(vocab, facts, self._router(vocab, facts))

    def _router(self, vocab: Vocabulary, facts: FactIndex) -> Router:
        tuning = self.settings.answer
        extractive = ExtractiveSynthesizer(tuning)
        synthesizer: Synthesizer = extractive
        if self.chat.available:
            values = _figure_values(facts)
            synthesizer = VerifiedLLMSynthesizer(self.chat, extractive, lambda doc_id: values.get(doc_id, []))
        prose = ProseAnswerer(self.search_index, Documents(self.store), synthesizer, tuning)
        quoted = QuotedFigure(prose, extractive, list(vocab.departments))
        return Router(NumericAnswers(vocab, Locator(facts, tuning.core_score)), prose, quoted, Refuse())

    # --- asking ------------------------------------------------------------------------------

    def parse(self, question: str, context: ParsedQuestion | dict | None = None) -> ParsedQuestion:
        if isinstance(context, dict):
            context = ParsedQuestion.model_validate(context)
        return parse_question(question, self.vocab, context)

    def ask(self, question: str, context: ParsedQuestion | dict | None = None,
            scope: Scope | dict | None = None) -> Answer:
        return self.ask_turn(question, context, scope)[0]

    def ask_turn(self, question: str, context: ParsedQuestion | dict | None = None,
                 scope: Scope | dict | None = None) -> tuple[Answer, ParsedQuestion | None]:
        """One conversation turn: the answer and the parsed question to pass as the next turn's context."""
        for event in self.ask_stream(question, context, scope):
            if isinstance(event, Final):
                return event.answer, event.parsed
        raise RuntimeError("the answer stream ended without its final answer")

    def ask_stream(self, question: str, context: ParsedQuestion | dict | None = None,
                   scope: Scope | dict | None = None) -> Iterator[Event]:
        """``Delta`` text (verified sentences when an LLM writes), then ``Final(answer, parsed)``.

        The final Answer is authoritative: a UI replaces the streamed text with ``answer.answer``.
        ``context`` is the previous turn's ``Final.parsed`` (or its ``model_dump()``): the engine keeps
        no conversation state.
        """
        started = time.perf_counter()
        if isinstance(scope, dict):
            scope = Scope.model_validate(scope)
        question = (question or "").strip()
        if not question:
            yield Final(Answer(question=question, status="refused", answer="请输入问题。", method="lookup"), None)
            return
        state = self._loaded()
        parsed = self.parse(question, context)
        scoped = ScopedQuestion(question, parsed, select(parsed, state.vocab, scope))
        answer = yield from state.router.choose(scoped).stream(scoped)
        answer.question = question
        answer.interpretation = parsed.describe(state.vocab.documents)
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        if answer.method != "llm":
            yield Delta(answer.answer)
        yield Final(answer, parsed)


def _figure_values(facts: FactIndex) -> dict[str, list[LabelledFigure]]:
    """Every figure of each document with what it measures (row name or narrative measure), to check
    the numbers a model writes against the figure the document gives for the same item."""
    values: dict[str, list[LabelledFigure]] = defaultdict(list)
    for key, rows in facts.rows.items():
        values[key[0]].extend(LabelledFigure(f.name or "", f.value, f.unit or "", in_table=True)
                              for cells in rows.values() for f in cells)
    for doc_id, narrative in facts.stated.narrative.items():
        values[doc_id].extend(LabelledFigure(n.measure, n.value, n.unit) for n in narrative if n.relation == "value")
    return values
