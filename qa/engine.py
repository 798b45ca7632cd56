"""AnswerEngine: a Chinese question in, an ``Answer`` with the figure, its sources and its formula out.

Stores, vocabulary and the retrieval index are opened once per engine; each question is then
parsed (``qa.question``), scoped to the disclosures it is about (``qa.scope``) and answered by
deterministic lookup/calculation (``qa.numeric``) or by retrieval (``qa.prose``).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import threading
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from index.text import compact

from index.facts_store import FactsStore
from index.settings import Settings
from qa.answer_model import Answer
from qa.llm import ChatModel
from qa.lookup import FactIndex
from qa.numeric import NumericAnswerer, searched
from qa.prose import ProseAnswerer
from qa.question import ParsedQuestion, parse_question, query_terms, wants_figure
from qa.scope import Scope, select
from qa.vocabulary import Vocabulary

log = logging.getLogger(__name__)
FIGURE_WORDS = re.compile(r"多少钱|多少|几|金额|数额|安排|资金|是|为|钱|万元|元")


def open_search_index(settings: Settings):
    """The retrieval index when one was built for this data dir, else None (facts-only answers)."""
    if not settings.index_dir.exists():
        return None
    from index.search_index import SearchIndex  # heavy: Chroma, embeddings

    return SearchIndex(settings)


class AnswerEngine:
    def __init__(self, settings: Settings, store: FactsStore | None = None, search_index=None, chat: ChatModel | None = None):
        self.settings = settings
        self.store = store or FactsStore(settings.db_path)
        self.search_index = search_index if search_index is not None else open_search_index(settings)
        self.chat = chat or ChatModel(settings.llm)
        self._lock = threading.Lock()
        self.reload()

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
            self.vocab, self.facts = vocab, facts
            self.numeric = NumericAnswerer(vocab, facts)
            self.prose = ProseAnswerer(self.store, self.search_index, self.chat, values)

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
        parsed = self.parse(question, context)
        selection = select(parsed, self.vocab, scope)
        interpretation = parsed.describe(self.vocab)
        if selection.refusal:
            answer = Answer(question=question, status="refused", answer=selection.refusal, method="lookup")
        elif not parsed.items and not parsed.column and parsed.count_units is None and parsed.operation != "prose" \
                and wants_figure(question):
            answer = self._unmatched_figure(question, parsed, selection, None)
        elif parsed.operation == "prose" or (not parsed.items and not parsed.column and parsed.count_units is None):
            answer = None
            doc_ids = [d for disc in selection.disclosures for d in disc.doc_ids]
            passages = self.prose.passages(question, doc_ids, parsed.department_names)
            where = searched(selection.disclosures)
            if self.chat.available:
                for event in self.prose.llm_stream(question, passages, where):
                    if isinstance(event, Answer):
                        answer = event
                    else:
                        yield event
            else:
                answer = self.prose.extractive(question, passages, where, selection.notices)
        else:
            answer = self.numeric.answer(parsed, selection)
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
        if term is None:
            term = FIGURE_WORDS.sub("", query_terms(question, parsed.department_names + list(self.vocab.departments)))
        where = searched(selection.disclosures)
        doc_ids = [d for disc in selection.disclosures for d in disc.doc_ids]
        if len(term) >= 2:
            passages = [p for p in self.prose.passages(question, doc_ids, parsed.department_names)
                        if term in compact(p.text) and re.search(r"\d", p.text)]
            if passages:
                return self.prose.extractive(question, [replace(p, score=1.0) for p in passages], where, selection.notices)
        if refusal is not None:
            return refusal
        label = "、".join(disc.label for disc in selection.disclosures)
        what = f"“{term}”" if term else "所问项目"
        return Answer(question=question, status="refused", method="lookup",
                      answer=f"未找到{label}{what}的数据，文档中没有披露该数字。{where}")

    def ask_turn(self, question: str, context=None, scope=None) -> tuple[Answer, ParsedQuestion]:
        """One conversation turn: the answer and the parsed question to pass as the next turn's context."""
        return self.ask(question, context, scope), self.parse(question, context)


# --- CLI --------------------------------------------------------------------------------------

def render(answer: Answer) -> str:
    """A readable Chinese answer with numbered citations, for the terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("引用：")
        for i, c in enumerate(answer.citations, 1):
            where = "，".join(x for x in (c.table, f"“{c.row}”行" if c.row else None, f"“{c.column}”列" if c.column else None) if x)
            lines.append(f"  [{i}] {c.document} 第{c.page}页" + (f"，{where}" if where else "") + (f"：{c.quote}" if c.quote and not c.row else ""))
    status = "已回答" if answer.status == "answered" else "未回答"
    lines.append(f"（{status}；方法：{answer.method}；{answer.elapsed_ms:.0f} ms）")
    return "\n".join(lines)


def command_ask(settings: Settings, args: argparse.Namespace) -> int:
    from qa.cli import print_json_line

    if bool(args.question) == bool(args.questions):
        print("请给出一个问题，或用 --questions 指定问题文件（二选一）/ give QUESTION or --questions FILE", file=sys.stderr)
        return 2
    if not settings.db_path.exists():
        print(f"数据目录中没有已导入的文档：{settings.data_dir}（请先运行 budget-qa ingest）/ nothing ingested", file=sys.stderr)
        return 2
    if args.questions:
        path = Path(args.questions)
        if not path.is_file():
            print(f"找不到问题文件 / no such file: {path}", file=sys.stderr)
            return 2
        questions = [q.strip() for q in path.read_text(encoding="utf-8").splitlines() if q.strip()]
    else:
        questions = [args.question]
    engine = AnswerEngine(settings)
    refused = 0
    for question in questions:
        answer = engine.ask(question)
        refused += answer.status == "refused"
        if args.json:
            print_json_line(answer.contract())
        else:
            print(render(answer))
            if len(questions) > 1:
                print()
    return 0 if len(questions) > 1 or not refused else 1
