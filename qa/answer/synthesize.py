"""Picked sentences → a cited answer: quoted as they are, or written by a model and checked.

``ExtractiveSynthesizer`` quotes the best sentences with [n] markers. ``VerifiedLLMSynthesizer``
streams a model's answer sentence by sentence, keeping only sentences whose citations point at real
sources and whose numbers the sources or the facts store contain; when the model is unavailable or
nothing survives, it answers extractively. Both follow llama-index's synthesizer step (query + nodes →
response) without its base class, which would fall back to the global ``Settings.llm``.

    根据原文：
    内设机构：因公出入境管理科、国际交流科、涉外管理科。[1]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from llama_index.core.schema import NodeWithScore

import prompts
from index.core.settings import AnswerSettings
from index.core.text import compact
from qa.answer.answerer import Delta, Stream
from qa.answer.llm import ChatModel, LLMUnavailable
from qa.answer.passages import Passage
from qa.answer.verify import (
    LabelledFigure,
    NumberPool,
    contradicted,
    parse_citations,
    sentences_with_breaks,
    verify_numbers,
)
from qa.contract import Answer, Citation

LIST_QUESTION = re.compile(r"哪些|有什么|包括什么|分别")
MAX_SOURCES = 6  # retrieved nodes shown to the model
FigureValues = Callable[[str], list[LabelledFigure]]  # doc_id → every figure it gives, with its item


class Synthesizer(Protocol):
    def stream(self, question: str, nodes: list[NodeWithScore], searched: str, notices: list[str]) -> Stream: ...


class ExtractiveSynthesizer:
    def __init__(self, settings: AnswerSettings):
        self.settings = settings

    def stream(self, question: str, nodes: list[NodeWithScore], searched: str, notices: list[str]) -> Stream:
        yield from ()
        return self.synthesize(question, [Passage.of(n) for n in nodes], searched, notices)

    def synthesize(self, question: str, passages: list[Passage], searched: str, notices: list[str]) -> Answer:
        limit = self.settings.max_list_quotes if LIST_QUESTION.search(question) else self.settings.max_quotes
        # Overlapping nodes give one sentence more than once: it is quoted (and numbered) once.
        best: list[Passage] = []
        for p in passages:
            if p.score >= self.settings.min_score and all((q.doc_id, q.page, compact(q.text)) != (p.doc_id, p.page, compact(p.text)) for q in best):
                best.append(p)
        best = best[:limit]
        if not best:
            return Answer(question=question, status="refused", method="retrieval",
                          answer=f"未找到与问题相关的内容。{searched}", notices=notices)
        lines = [f"{p.text}[{i + 1}]" for i, p in enumerate(best)]
        text = "根据原文：\n" + "\n".join(lines)
        if notices:
            text += "\n" + "\n".join(notices)
        return Answer(question=question, status="answered", answer=text, method="retrieval",
                      citations=[citation(p) for p in best], notices=notices)


class VerifiedLLMSynthesizer:
    def __init__(self, chat: ChatModel, fallback: ExtractiveSynthesizer, figure_values: FigureValues):
        self.chat = chat
        self.fallback = fallback
        self.figure_values = figure_values

    def stream(self, question: str, nodes: list[NodeWithScore], searched: str, notices: list[str]) -> Stream:
        """Verified sentences as they complete, then the final Answer (or the extractive fallback)."""
        passages = [Passage.of(n) for n in nodes]
        sources = _sources(passages)
        if not sources or passages[0].score < self.fallback.settings.min_score:
            return self.fallback.synthesize(question, passages, searched, notices)
        system = prompts.load("answer_system")
        user = prompts.load("answer_user").format(question=question, sources=source_blocks(sources))
        check = _Checker(sources, self.figure_values)
        kept, buffer = [], ""
        try:
            for delta in self.chat.stream(system, user):
                buffer += delta
                complete = sentences_with_breaks(buffer)
                if complete and not re.search(r"[。！？；\n]$", buffer):
                    buffer = complete.pop()
                else:
                    buffer = ""
                for sentence in complete:
                    shown = check(sentence)
                    if shown:
                        kept.append(shown)
                        yield Delta(shown)
            if buffer.strip():
                shown = check(buffer)
                if shown:
                    kept.append(shown)
                    yield Delta(shown)
        except LLMUnavailable as exc:
            return self.fallback.synthesize(question, passages, searched, [*notices, f"{exc}，以下为原文摘录（未使用大模型）。"])
        text = "".join(kept).strip()
        if not text or not check.used or re.search(r"未找到相关内容", text):
            checked_out = bool(text) or bool(check.removed)
            notice = "大模型的回答未通过核对（无有效引用或数字无法核实），以下为原文摘录。" if checked_out else ""
            return self.fallback.synthesize(question, passages, searched, [*notices, notice] if notice else notices)
        notices = [*notices, *(f"已删除一句含有无法在原文中核对的数字（{'、'.join(nums)}）的内容。" for _, nums in check.removed)]
        notices += [f"已删除一句与原文数字不一致的内容（{'、'.join(claims)}）。" for _, claims in check.contradicted]
        # Renumber the markers in order of first use so [1] is the first citation.
        mapping = {old: new + 1 for new, old in enumerate(check.used)}
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{mapping[int(m.group(1))]}]", text)
        if notices:
            text += "\n" + "\n".join(notices)
        return Answer(question=question, status="answered", answer=text, method="llm",
                      citations=[citation(sources[i - 1]) for i in check.used], notices=notices)


class _Checker:
    """One answer's sentences checked one by one: citations to real sources; every number held by the
    sources that sentence cites (or their documents' figures); no claim the cited documents contradict."""

    def __init__(self, sources: list[Passage], figure_values: FigureValues):
        self.sources = sources
        self.figure_values = figure_values
        self.removed: list[tuple[str, list[str]]] = []  # (sentence, its unsupported numbers)
        self.contradicted: list[tuple[str, list[str]]] = []  # (sentence, the claims the documents contradict)
        self.used: list[int] = []  # source ids in order of first use

    def __call__(self, sentence: str) -> str:
        cited = parse_citations(sentence, len(self.sources))
        cited_sources = [self.sources[i - 1] for i in cited.source_ids] or self.sources
        figures = [f for doc_id in {p.doc_id for p in cited_sources} for f in self.figure_values(doc_id)]
        wrong = contradicted(cited.text, figures)
        if wrong:
            self.contradicted.append((sentence.strip(), wrong))
            return ""
        pool = NumberPool.from_texts([p.context for p in cited_sources], [(f.value, f.unit) for f in figures])
        verified = verify_numbers(cited.text, pool)
        self.removed.extend(verified.removed)
        if not verified.text:
            return ""
        for i in parse_citations(verified.text, len(self.sources)).source_ids:
            if i not in self.used:
                self.used.append(i)
        return verified.text + ("\n" if sentence.endswith("\n") else "")


def source_blocks(sources: list[Passage]) -> str:
    """Each source in its own delimited block; the document's text cannot close a block or open another."""
    return "\n".join(
        f'<资料 编号="{i + 1}" 文件="{_data(p.file_name)}" 页="{p.page}">\n{_data(p.context)}\n</资料>'
        for i, p in enumerate(sources)
    )


def _data(text: str) -> str:
    return text.replace("<", "＜").replace(">", "＞").replace('"', "＂")


def _sources(passages: list[Passage]) -> list[Passage]:
    """One source per retrieved node (several sentences of a node share its context), best first."""
    out, seen = [], set()
    for p in passages:
        if p.context not in seen:
            seen.add(p.context)
            out.append(p)
    return out[:MAX_SOURCES]


def citation(p: Passage) -> Citation:
    return Citation(document=p.file_name, page=p.page, table=p.table, quote=p.text[:300], doc_id=p.doc_id)
