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

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from index.core.recent import keep
from index.core.settings import Settings
from index.store.facts import FactsStore
from qa.answer.answerer import Answerer, Delta, Event, Final, Refuse, ScopedQuestion
from qa.answer.citations import merge_citations
from qa.answer.llm import ChatModel, LLMUnavailable
from qa.answer.numeric import NumericAnswers
from qa.answer.reader import LLMReader, Rejected, confirmed
from qa.answer.readings import everyday_reading, readings_for, with_readings
from qa.answer.verify import LabelledFigure
from qa.contract import Answer
from qa.figures.fact_index import FactIndex
from qa.figures.locate import Locator
from qa.understand.held import held_name
from qa.understand.items import wants_figure
from qa.understand.model import ParsedQuestion
from qa.understand.parse import parse_question, scope_documents
from qa.understand.scope import (
    Scope,
    Selection,
    allowed_documents,
    disclosure_documents,
    held_by_several,
    select,
    settle,
)
from qa.understand.vocabulary import Vocabulary

if TYPE_CHECKING:
    from qa.answer.passages import Searcher
    from qa.answer.prose import ProseAnswerer, QuotedFigure

log = logging.getLogger(__name__)

# Documents whose facts stay in memory between questions (a city's disclosures for one year fit).
DOCUMENTS_CACHED = 64


@dataclass(frozen=True)
class Router:
    """Picks the one answerer of a question, by what was parsed (llama-index's ``RouterQueryEngine``, by rule).

    The prose side (retrieval, llama-index) is built when a question first needs it: a process that
    only answers figures never imports it."""

    numeric: NumericAnswers
    prose_side: Callable[[], tuple[ProseAnswerer, QuotedFigure]]
    refuse: Refuse

    @cached_property
    def _prose(self) -> tuple[ProseAnswerer, QuotedFigure]:
        return self.prose_side()

    @property
    def prose(self) -> ProseAnswerer:
        return self._prose[0]

    @property
    def quoted(self) -> QuotedFigure:
        return self._prose[1]

    def choose(self, scoped: ScopedQuestion) -> Answerer:
        parsed = scoped.parsed
        if scoped.selection.refusal:
            return self.refuse
        if parsed.names_no_figure:
            # A figure asked for by a name nothing indexed carries: prose may state it; a calculation
            # over such names (…占部门预算的比例) has no operands, and is refused by the numeric answerer.
            if parsed.operation_row.calculates:
                return self.numeric
            return self.quoted if parsed.operation_row.numeric and wants_figure(scoped.question) else self.prose
        if not parsed.operation_row.numeric:
            return self.prose
        if any(i.kind == "term" for i in parsed.items):
            from qa.answer.prose import OrQuotedFigure

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
        """``search_index`` may open itself on first use (``qa.services``): figure questions never search."""
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
        """Re-read who published what (after documents were added, deleted or corrected); each document's
        facts and names are read again when a question is first scoped to it."""
        with self._lock:
            facts = FactIndex(self.store, DOCUMENTS_CACHED)
            # Names come from each document's table facts and, for the documents in scope, its form fields
            # (中期资金总额), read with the rest of the document when it is answered from.
            vocab = Vocabulary.build(self.store, forms=facts.documents.form_facts)
            # Swap all at once: a question answered meanwhile sees either the old or the new state.
            self._state = _State(vocab, facts, self._router(vocab, facts))

    def _router(self, vocab: Vocabulary, facts: FactIndex) -> Router:
        return Router(NumericAnswers(vocab, Locator(facts, self.settings.answer.core_score)),
                      lambda: self._prose_side(vocab, facts), Refuse())

    def _prose_side(self, vocab: Vocabulary, facts: FactIndex) -> tuple[ProseAnswerer, QuotedFigure]:
        from qa.answer.passages import Documents
        from qa.answer.prose import ProseAnswerer, QuotedFigure
        from qa.answer.synthesize import ExtractiveSynthesizer, Synthesizer, VerifiedLLMSynthesizer

        tuning = self.settings.answer
        extractive = ExtractiveSynthesizer(tuning)
        synthesizer: Synthesizer = extractive
        if self.chat.available:
            synthesizer = VerifiedLLMSynthesizer(self.chat, extractive, lambda doc_id: _figure_values(facts, doc_id))
        prose = ProseAnswerer(self.search_index, Documents(self.store), synthesizer, tuning)
        return prose, QuotedFigure(prose, extractive, list(vocab.departments))

    @property
    def reader(self) -> LLMReader | None:
        return LLMReader(self.chat) if self.chat.available else None

    def _read(self, scoped: ScopedQuestion, state: _State, scope: Scope | None,
              refusal: Answer) -> tuple[Answer, ParsedQuestion] | None:
        """The question as the model reads it, answered and checked like any other; None keeps the refusal."""
        reader = self.reader
        if reader is None:
            return None
        vocab = state.vocab
        allowed = allowed_documents(vocab, scope) if scope is not None else None
        doc_ids = scoped.selection.doc_ids or scope_documents(scoped.parsed, vocab, allowed)
        try:
            reading = reader.read(scoped.question, vocab, doc_ids)
            text = reader.rewrite(reading, scoped.question, vocab, doc_ids)
        except LLMUnavailable as exc:
            refusal.notices.append(f"大模型不可用（{exc}），未能进一步理解问题。")
            return None
        except Rejected as exc:
            log.info("LLM reading of %r rejected: %s", scoped.question, exc)
            return None
        parsed = parse_question(text, vocab, None, allowed)
        if not confirmed(parsed, reading):
            log.info("LLM reading %r of %r not confirmed by the rules", text, scoped.question)
            return None
        rescoped = ScopedQuestion(scoped.question, parsed, select(parsed, vocab, scope))
        if rescoped.selection.refusal:
            return None
        answer = state.router.numeric.answer(rescoped)  # checked like every numeric answer
        if answer.status != "answered":
            return None
        note = f"按大模型对问题的理解“{text}”作答（所用名称均为文件原名，数字取自原文并已核对）。"
        answer.answer = note + "\n" + answer.answer
        answer.notices.append(note)
        return answer, parsed

    def _in_budget_words(self, scoped: ScopedQuestion, state: _State, context: ParsedQuestion | dict | None,
                         scope: Scope | None) -> tuple[Answer, ParsedQuestion] | None:
        """The question with its everyday words in budget words (招待费 → 接待费, 欲算 → 预算, 一共花多少钱 →
        支出总计), answered and checked like any other and saying how it was read; None keeps the refusal.

        Only the curated everyday table is applied (qa.understand.nearmiss.EVERYDAY): a name one character
        off stays a reading the user picks, since it may be another item."""
        text = everyday_reading(scoped)
        if text is None:
            return None
        parsed = self.parse(text, context, scope)
        if parsed.unbound:
            return None
        rescoped = ScopedQuestion(scoped.question, parsed, select(parsed, state.vocab, scope))
        if rescoped.selection.refusal or parsed.names_no_figure or not parsed.operation_row.numeric:
            return None
        settle(parsed, rescoped.selection, state.vocab)
        answer = state.router.numeric.answer(rescoped)  # checked like every numeric answer
        if answer.status != "answered" or answer.value is None:
            return None
        note = f"按“{text}”理解作答。"
        answer.answer = note + "\n" + answer.answer
        answer.notices.append(note)
        return answer, parsed

    # --- asking ------------------------------------------------------------------------------

    def _by_held_name(self, question: str, parsed: ParsedQuestion, selection: Selection,
                      context: ParsedQuestion | dict | None, scope: Scope | None) -> tuple[ParsedQuestion, Selection]:
        """No publisher named, but a name only some disclosures' text holds (贸易高质量发展专项): the question is
        read within them and says so; held by several, the refusal lists them (``qa.understand.held``)."""
        vocab = self.vocab
        allowed = scope_documents(parsed, vocab, allowed_documents(vocab, scope) if scope is not None else None)
        held = held_name(parsed, self.search_index.holding, allowed) if self.search_index is not None else None
        if held is None:
            return parsed, selection
        name, docs = held
        several = held_by_several(name, docs, vocab)
        if several is not None:
            return parsed, several
        docs = disclosure_documents(docs, vocab, allowed)
        within = (scope or Scope()).model_copy(update={"doc_ids": sorted(docs)})
        narrowed = self.parse(question, context, within)
        narrowed.item_docs = sorted(docs)
        chosen = select(narrowed, vocab, within)
        if chosen.disclosures and not chosen.refusal:
            where = "、".join(f"{d.label}（{'、'.join(d.file_names)}）" for d in chosen.disclosures)
            chosen.notices.append(f"问题未写明部门；“{name}”只见于{where}，以下按该文件回答。")
        return narrowed, chosen

    def parse(self, question: str, context: ParsedQuestion | dict | None = None,
              scope: Scope | None = None) -> ParsedQuestion:
        if isinstance(context, dict):
            context = ParsedQuestion.model_validate(context)
        vocab = self.vocab
        allowed = allowed_documents(vocab, scope) if scope is not None else None
        return parse_question(question, vocab, context, allowed)

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
        parsed = self.parse(question, context, scope)
        selection = select(parsed, state.vocab, scope)
        if selection.unnamed:
            parsed, selection = self._by_held_name(question, parsed, selection, context, scope)
        scoped = ScopedQuestion(question, parsed, selection)
        settle(parsed, scoped.selection, state.vocab)
        answer = yield from state.router.choose(scoped).stream(scoped)
        if answer.status == "refused" and not scoped.selection.refusal:
            said = self._in_budget_words(scoped, state, context, scope)
            if said is not None:
                answer, parsed = said
        if answer.status == "refused" and self.reader is not None and worth_reading(scoped):
            read = self._read(scoped, state, scope, answer)
            if read is not None:
                answer, parsed = read
        if answer.status == "refused":
            answer = with_readings(answer, readings_for(scoped, state.vocab))
        answer = merge_citations(answer)
        answer.question = question
        answer.interpretation = parsed.describe(state.vocab.documents)
        keep()  # what this answer loaded into the caches stays out of later collections' walks
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        if answer.method != "llm":
            yield Delta(answer.answer)
        yield Final(answer, parsed)


def worth_reading(scoped: ScopedQuestion) -> bool:
    """A refused question asking for a figure, its publisher found (or none named): the model may help."""
    parsed = scoped.parsed
    wants = parsed.operation_row.numeric or wants_figure(scoped.question)
    return wants and not scoped.selection.suggestions and not parsed.unknown_region and not parsed.unknown_department


def _figure_values(facts: FactIndex, doc_id: str) -> list[LabelledFigure]:
    """Every figure of a document with what it measures (row name or narrative measure), to check the
    numbers a model writes against the figure the document gives for the same item."""
    loaded = facts.doc(doc_id)
    values = [LabelledFigure(f.name or "", f.value, f.unit or "", in_table=True) for f in loaded.facts()]
    values += [LabelledFigure(n.measure, n.value, n.unit) for n in facts.stated.narrative(doc_id) if n.relation == "value"]
    return values
