"""Prose questions (职责, 内设机构, 绩效目标, reasons for a change), composed as in llama-index's
``RetrieverQueryEngine``: retriever → ``SentencePicker`` → synthesizer (extractive, or a model checked).

Also the answers that quote prose for a figure no table or measure carries ("外事工作经费中期资金总额"):
the same retriever and picker, then only the sentences that print a number for the name.

    区政府外办有哪些内设机构？ → 根据原文：内设机构：因公出入境管理科、国际交流科、涉外管理科。[1]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from llama_index.core.schema import NodeWithScore

from index.core.settings import AnswerSettings
from index.core.text import compact
from qa.answer.answerer import Immediate, ScopedQuestion, Stream
from qa.answer.passages import (
    DisclosureRetriever,
    Documents,
    Passage,
    Searcher,
    SentencePicker,
    StatesTerm,
)
from qa.answer.stated import counted_before, stated_after
from qa.answer.synthesize import ExtractiveSynthesizer, Synthesizer
from qa.answer.wording import in_text_words
from qa.contract import Answer
from qa.figures.calculate import plain
from qa.understand.concepts import AMOUNT_UNITS
from qa.understand.model import ParsedQuestion
from qa.understand.parse import query_terms

FIGURE_WORDS = re.compile(r"多少钱|多少|几|金额|数额|安排|资金|是|为|钱|万元|元")


class ProseAnswerer:
    def __init__(self, searcher: Searcher | None, documents: Documents, synthesizer: Synthesizer,
                 settings: AnswerSettings):
        self.searcher = searcher  # None when no retrieval index was built (a facts-only data dir)
        self.documents = documents
        self.synthesizer = synthesizer
        self.settings = settings

    def sentences(self, scoped: ScopedQuestion) -> list[NodeWithScore]:
        """The retrieved sentences that answer the question, best first."""
        retriever = DisclosureRetriever(self.searcher, self.documents, scoped.doc_ids, self.settings.prose_k)
        picker = SentencePicker(remove=scoped.parsed.department_names, min_score=self.settings.min_score,
                                documents=self.documents)
        nodes = retriever.retrieve(scoped.question)
        bare = _without_publishers(scoped)
        # The publishers' names are in every passage of their documents and may outweigh the words that say
        # what is asked: the passages found without them are read too, after those found with them; and those
        # found by the text's own word for what is asked (职能 → 职责).
        for again in dict.fromkeys((bare, in_text_words(bare))):
            if again != scoped.question:
                seen = {n.node.node_id for n in nodes}
                nodes += [n for n in retriever.retrieve(again) if n.node.node_id not in seen]
        return picker.postprocess_nodes(nodes, query_str=scoped.question)

    def stream(self, scoped: ScopedQuestion) -> Stream:
        nodes = self.sentences(scoped)
        return (yield from self.synthesizer.stream(scoped.question, nodes, scoped.searched, scoped.selection.notices))


def _without_publishers(scoped: ScopedQuestion) -> str:
    """The question without the publishers' names (the search is restricted to their documents already)."""
    text = scoped.question
    for name in sorted(scoped.parsed.department_names, key=len, reverse=True):
        text = text.replace(name, "")
    return text if len(text.strip()) >= 2 else scoped.question


class QuotedFigure(Immediate):
    """A figure for a name no table or measure carries: quote the prose that states it, or refuse."""

    def __init__(self, prose: ProseAnswerer, extractive: ExtractiveSynthesizer, departments: list[str]):
        self.prose = prose
        self.extractive = extractive
        self.departments = departments  # every known department name, left out of the term

    def answer(self, scoped: ScopedQuestion) -> Answer:
        term = FIGURE_WORDS.sub("", query_terms(scoped.question, scoped.parsed.department_names + self.departments))
        quoted = self.quote(scoped, term)
        if quoted is not None:
            return quoted
        label = "、".join(disc.label for disc in scoped.selection.disclosures)
        what = f"“{term}”" if term else "所问项目"
        return Answer(question=scoped.question, status="refused", method="lookup",
                      answer=f"未找到{label}{what}的数据，文档中没有披露该数字。{scoped.searched}")

    def quote(self, scoped: ScopedQuestion, term: str) -> Answer | None:
        """The sentences that print a number for ``term``, quoted; None when there are none."""
        if len(term) < 2:
            return None
        nodes = StatesTerm(term=term).postprocess_nodes(self.prose.sentences(scoped))
        if not nodes:
            return None
        passages = [Passage.of(n) for n in nodes]
        if scoped.selection.pick_one:
            # Several publishers fit the name: quote only when the figure is stated by exactly one of them.
            by_department = {d.department for d in scoped.selection.disclosures for p in passages if p.doc_id in d.doc_ids}
            if len(by_department) != 1:
                return None
            passages = [p for p in passages if any(p.doc_id in d.doc_ids for d in scoped.selection.disclosures
                                                   if d.department in by_department)]
        quoted = self.extractive.synthesize(scoped.question, passages, scoped.searched, scoped.selection.notices)
        quoted = pinned(quoted, term, passages, scoped.parsed)
        return other_year(quoted, scoped) or quoted


def other_year(quoted: Answer, scoped: ScopedQuestion) -> Answer | None:
    """A figure quoted for a year the question asks but neither its disclosure nor its sentence is about (2024年…
    asked of a 2026 disclosure) is refused: the text states this year's, not that year's."""
    asked = set(scoped.parsed.years)
    if quoted.value is None or not asked or not quoted.citations:
        return None
    first = quoted.citations[0]
    years = {d.year for d in scoped.selection.disclosures if first.doc_id in d.doc_ids}
    if years & asked or any(f"{y}年" in first.quote for y in asked):
        return None
    said = "、".join(f"{y}年" for y in sorted(asked))
    return Answer(question=scoped.question, status="refused", method=quoted.method,
                  answer=f"未找到{said}的数字：原文所述不是{said}的。{scoped.searched}")


def pinned(quoted: Answer, term: str, passages: list[Passage], parsed: ParsedQuestion) -> Answer:
    """A figure asked for is answered only when the quoted text states exactly one for the term
    ("单价100万元以上设备21台（套）"); several or none leave the quotes as the closest readings, refused."""
    if quoted.status != "answered":
        return quoted
    units = parsed.count_units or (AMOUNT_UNITS if parsed.money else None)
    # "17个二级预算单位": a count written right before the whole noun asked names it best.
    # 对个人和家庭补助的财政拨款: only a passage about the context (the row it is named in) states its figure.
    within = compact(parsed.context_item.text) if parsed.context_item is not None else ""
    texts = [p.text if within in compact(p.text) else "" for p in passages]

    def counted(words: str, sentences: list[str]) -> list[tuple[Decimal, str, int]]:
        return counted_before(words, sentences, parsed.count_units) if parsed.count_units else []

    finder: Callable[[str, list[str]], list[tuple[Decimal, str, int]]] = counted
    found = counted(term, texts)
    # The words written last before 多少 name the figure best (…涉及一般公共预算当年拨款多少万元 → 当年拨款).
    for words in [*reversed([w for w in parsed.unbound if len(w) >= 2]), term] if not found else []:
        found, finder = stated_after(words, texts, units), lambda w, ss: stated_after(w, ss, units)
        if found:
            term = words
            break
    # The figure is cited by the quote that states it, or not given (a passage found but not quoted proves nothing).
    citing = next((i for i, c in enumerate(quoted.citations)
                   if len(found) == 1 and any(f[:2] == found[0][:2] for f in finder(term, [c.quote]))), None)
    if citing is not None:
        value, unit, _ = found[0]
        quoted.value, quoted.unit = plain(value), unit
        quoted.citations.insert(0, quoted.citations.pop(citing))
        return quoted
    quoted.status, quoted.value, quoted.unit = "refused", None, None
    what = "多个不同的数字" if found else "可确定的数字"
    quoted.answer = f"原文中“{term}”没有{what}可作为答案，未给出数字。以下原文供参考：\n" + quoted.answer.removeprefix("根据原文：\n")
    return quoted


class OrQuotedFigure(Immediate):
    """A numeric answer; when it is refused for a free-text term, the prose that states the term."""

    def __init__(self, numeric: Immediate, quoted: QuotedFigure):
        self.numeric = numeric
        self.quoted = quoted

    def answer(self, scoped: ScopedQuestion) -> Answer:
        answer = self.numeric.answer(scoped)
        terms = [i.name for i in scoped.parsed.items if i.kind == "term"]
        # An answer a check stopped is not looked for again in the prose; nor a calculation (第一季度用款计划和第五季度
        # 用款计划合计: the figure stated for one term is not the sum, or change, asked).
        if answer.status != "refused" or not terms or answer.checks or scoped.parsed.operation_row.calculates:
            return answer
        return self.quoted.quote(scoped, terms[0]) or answer
