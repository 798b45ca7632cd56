"""AnswerEngine: a Chinese question in, an ``Answer`` with the figure, its sources and its formula out.

Stores, vocabulary and the retrieval index are opened once per engine; each question is then
parsed (``qa.understand.parse``), scoped to the disclosures it is about (``qa.understand.scope``) and answered by
deterministic lookup/calculation (``qa.answer.numeric``) or by retrieval (``qa.answer.prose``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from index.core.settings import Settings
from index.core.text import compact
from index.store.facts import FactsStore
from qa.answer.llm import ChatModel
from qa.answer.numeric import NumericAnswerer, searched
from qa.answer.prose import ProseAnswerer
from qa.contract import Answer
from qa.figures.fact_index import FactIndex
from qa.understand.parse import ParsedQuestion, parse_question, query_terms, wants_figure
from qa.understand.scope import Scope, select
from qa.understand.vocabulary import Vocabulary

if TYPE_CHECKING:
    from index.search.search_index import SearchIndex

log = logging.getLogger(__name__)
FIGURE_WORDS = re.compile(r"多少钱|多少|几|金额|数额|安排|资金|是|为|钱|万元|元")


@dataclass(frozen=True)
class _State:
    """What one reload builds; swapped in whole."""

    vocab: Vocabulary
    facts: FactIndex
    numeric: NumericAnswerer
    prose: ProseAnswerer


class AnswerEngine:
    """Answers over one facts store (and, when built, one search index).

    Nothing is scanned at construction: the vocabulary and fact index are built at the first
    question (or ``reload()``), so opening the engine costs nothing for commands that never ask.
    """

    def __init__(self, settings: Settings, store: FactsStore, search_index: SearchIndex | None, chat: ChatModel):
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
            values: dict[str, list] = defaultdict(list)  # every figure of a document, to check LLM numbers
            for key, rows in facts.rows.items():
                values[key[0]].extend((f.value, f.unit or "") for cells in rows.values() for f in cells)
            for doc_id, narrative in facts.narrative.items():
                values[doc_id].extend((n.value, n.unit) for n in narrative)
            # Swap all at once: a question answered meanwhile sees either the old or the new state.
            self._state = _State(vocab, facts, NumericAnswerer(vocab, facts),
                                 ProseAnswerer(self.store, self.search_index, self.chat, values))

    # --- asking ------------------------------------------------------------------------------

    def parse(self, question: str, context: ParsedQuestion | dict | None = None) -> ParsedQuestion:
        if isinstance(context, dict):
            context = ParsedQuestion.model_validate(context)
        return parse_question(question, self.vocab, context)

    def ask(self, question: str, context: ParsedQuestion | dict | None = None, scope: Scope | dict | None = None) -> Answer:
        answer = None
        for event in self.ask_stream(question, context, scope):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def ask_stream(self, question: str, context=None, scope=None) -> Iterator[str | Answer]:
        """Text deltas (verified sentences when an LLM writes), then the final ``Answer``.

        The final Answer is authoritative: a UI replaces the streamed text with ``answer.answer``.
        ``context`` is the previous turn's ``ParsedQuestion`` (or its ``model_dump()``), i.e.
        ``engine.parse(previous_question, previous_context)``: parsing is deterministic and cheap, so
        the engine keeps no conversation state.
        """
        started = time.perf_counter()
        if isinstance(scope, dict):
            scope = Scope.model_validate(scope)
        question = (question or "").strip()
        if not question:
            yield Answer(question=question, status="refused", answer="请输入问题。", method="lookup")
            return
        state = self._loaded()
        parsed = self.parse(question, context)
        selection = select(parsed, state.vocab, scope)
        interpretation = parsed.describe(state.vocab)
        if selection.refusal:
            answer = Answer(question=question, status="refused", answer=selection.refusal, method="lookup")
        elif not parsed.items and not parsed.column and parsed.count_units is None and parsed.operation != "prose" \
                and wants_figure(question):
            answer = self._unmatched_figure(question, parsed, selection, None)
        elif parsed.operation == "prose" or (not parsed.items and not parsed.column and parsed.count_units is None):
            answer = None
            doc_ids = [d for disc in selection.disclosures for d in disc.doc_ids]
            passages = state.prose.passages(question, doc_ids, parsed.department_names)
            where = searched(selection.disclosures)
            if self.chat.available:
                for event in state.prose.llm_stream(question, passages, where):
                    if isinstance(event, Answer):
                        answer = event
                    else:
                        yield event
            else:
                answer = state.prose.extractive(question, passages, where, selection.notices)
        else:
            answer = state.numeric.answer(parsed, selection)
            terms = [i.name for i in parsed.items if i.kind == "term"]
            if answer.status == "refused" and terms and not selection.refusal:
                answer = self._unmatched_figure(question, parsed, selection, terms[0], answer)
        answer.question = question
        answer.interpretation = interpretation
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        if answer.method != "llm":
            yield answer.answer
        yield answer

    def _unmatched_figure(self, question: str, parsed: ParsedQuestion, selection, term: str | None,
                          refusal: Answer | None = None) -> Answer:
        """A figure for a name no table or measure carries: quote prose that states it, or refuse."""
        state = self._loaded()
        if term is None:
            term = FIGURE_WORDS.sub("", query_terms(question, parsed.department_names + list(state.vocab.departments)))
        where = searched(selection.disclosures)
        doc_ids = [d for disc in selection.disclosures for d in disc.doc_ids]
        if len(term) >= 2:
            passages = [p for p in state.prose.passages(question, doc_ids, parsed.department_names)
                        if term in compact(p.text) and re.search(r"\d", p.text)]
            if passages:
                return state.prose.extractive(question, [replace(p, score=1.0) for p in passages], where, selection.notices)
        if refusal is not None:
            return refusal
        label = "、".join(disc.label for disc in selection.disclosures)
        what = f"“{term}”" if term else "所问项目"
        return Answer(question=question, status="refused", method="lookup",
                      answer=f"未找到{label}{what}的数据，文档中没有披露该数字。{where}")

    def ask_turn(self, question: str, context=None, scope=None) -> tuple[Answer, ParsedQuestion]:
        """One conversation turn: the answer and the parsed question to pass as the next turn's context."""
        return self.ask(question, context, scope), self.parse(question, context)





