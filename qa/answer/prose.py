"""Prose questions (职责, 内设机构, 绩效目标, reasons for a change): hybrid retrieval, then either the
best-matching sentences with citations (no LLM) or an LLM answer whose citations and numbers are checked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import prompts
from index.core.text import compact
from index.store.facts import FactsStore
from qa.answer.llm import ChatModel, LLMUnavailable
from qa.answer.verify import NumberPool, parse_citations, split_sentences, verify_numbers
from qa.contract import Answer, Citation
from qa.understand.parse import query_terms

log = logging.getLogger(__name__)

# The thing a "哪些/什么 X" question asks for must be in the passage (去了哪些国家 → 国家).
FOCUS = re.compile(r"(?:哪些|哪个|哪几个|(?<![为干做])什么)([\u4e00-\u9fff]{2,4}?)(?:[？?呢吗。]|$)")
GENERIC_FOCUS = {"内容", "方面", "工作", "事项", "情况", "东西", "项目", "单位", "科室", "机构", "部门", "目标", "原因", "用途"}
TITLE_LIKE = re.compile(r"申报表|情况表|预算表|[表附][一二三四五六七八九十\d]+[：:]|^[（(]?20\d\d年度?[)）]?$")
MIN_SCORE = 0.34  # share of the question's character pairs a sentence must contain
FOCUS_COVERAGE = 0.6  # …and, for a 哪些 X question, of the sentence itself
MAX_QUOTES = 3
MAX_LIST_QUOTES = 8  # 有哪些 / 包括哪些: a list answer
LIST_QUESTION = re.compile(r"哪些|有什么|包括什么|分别")


@dataclass
class Passage:
    text: str
    doc_id: str
    file_name: str
    page: int
    section: str
    table: str | None
    score: float
    context: str  # the whole retrieved node, for the LLM


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def focus_word(question: str) -> str | None:
    m = FOCUS.search(compact(question))
    if m and m.group(1) not in GENERIC_FOCUS:
        return m.group(1)
    return None


class ProseAnswerer:
    def __init__(self, store: FactsStore, search_index, chat: ChatModel, fact_values: dict[str, list]):
        self.store = store
        self.search_index = search_index  # index.search.search_index.SearchIndex, or None when not built
        self.chat = chat
        self.fact_values = fact_values  # doc_id → [(Decimal, unit)] for number verification
        self._documents: dict[str, object] = {}

    # --- retrieval ---------------------------------------------------------------------------

    def passages(self, question: str, doc_ids: list[str], remove: list[str], k: int = 12) -> list[Passage]:
        terms = query_terms(question, remove)
        grams = _bigrams(terms) or _bigrams(compact(question))
        focus = focus_word(question)
        candidates: list[Passage] = []
        for rank, (text, meta) in enumerate(self._retrieve(question, doc_ids, k)):
            section, pieces, is_table = _node_parts(text, meta)
            context = text.split("\n", 1)[-1][:900]
            for i, piece in enumerate(pieces):
                if len(piece) < 4 or (focus and focus not in compact(piece)):
                    continue
                if focus and len(grams & _bigrams(compact(piece))) < FOCUS_COVERAGE * len(grams):
                    continue  # 去了哪些国家: naming 国家 is not enough, the passage must be about the question
                own = _bigrams(compact(piece)) | _bigrams(compact(section))
                near = _bigrams(compact("".join(pieces[max(i - 1, 0): i + 2])))
                score = (len(grams & own) + 0.5 * len((grams & near) - own)) / max(len(grams), 1)
                if TITLE_LIKE.search(piece):
                    score -= 0.3
                if score < MIN_SCORE:
                    continue
                score += 0.1 / (rank + 1)  # ties go to the better-ranked node
                if re.match(r"主要(原因|是)|原因", piece) and i > 0:
                    piece = pieces[i - 1] + piece
                candidates.append(Passage(
                    text=piece, doc_id=meta["doc_id"], file_name=meta["file_name"], page=self._page(meta, piece),
                    section=section, table=(meta.get("table_label") or None) if is_table else None,
                    score=score, context=context,
                ))
        candidates.sort(key=lambda p: -p.score)
        seen, out = set(), []
        for p in candidates:
            if p.text not in seen:
                seen.add(p.text)
                out.append(p)
        return out

    def _retrieve(self, question: str, doc_ids: list[str], k: int) -> list[tuple[str, dict]]:
        if self.search_index is not None:
            hits = self.search_index.search(question, k=k, mode="fused", filters={"doc_id": doc_ids})
            if hits:
                return [(h.text, h.metadata) for h in hits]
        return self._block_nodes(doc_ids)  # no retrieval index (facts-only data dir): scan the narrative

    def _document(self, doc_id: str):
        if doc_id not in self._documents:
            self._documents[doc_id] = self.store.document_model(doc_id)
        return self._documents[doc_id]

    def _block_nodes(self, doc_ids: list[str]) -> list[tuple[str, dict]]:
        out = []
        for doc_id in doc_ids:
            doc = self._document(doc_id)
            for block in doc.blocks:
                if block.kind == "paragraph":
                    path = "/".join(block.section_path)
                    meta = {"doc_id": doc_id, "file_name": doc.file_name, "page_start": block.page,
                            "page_end": block.page, "node_type": "text", "section_path": path}
                    out.append((f"\n{path}\n{block.text}", meta))
        return out

    def _page(self, meta: dict, piece: str) -> int:
        start, end = int(meta.get("page_start") or 1), int(meta.get("page_end") or 1)
        if start == end:
            return start
        probe = compact(piece)[:16]
        for page in self._document(meta["doc_id"]).pages[start - 1 : end]:
            if probe and probe in compact(page.text):
                return page.number
        return start

    # --- answers -----------------------------------------------------------------------------

    def extractive(self, question: str, passages: list[Passage], searched: str, notices: list[str]) -> Answer:
        limit = MAX_LIST_QUOTES if LIST_QUESTION.search(question) else MAX_QUOTES
        best = [p for p in passages if p.score >= MIN_SCORE][:limit]
        if not best:
            return Answer(question=question, status="refused", method="retrieval",
                          answer=f"未找到与问题相关的内容。{searched}", notices=notices)
        lines = [f"{p.text}[{i + 1}]" for i, p in enumerate(best)]
        text = "根据原文：\n" + "\n".join(lines)
        if notices:
            text += "\n" + "\n".join(notices)
        return Answer(question=question, status="answered", answer=text, method="retrieval",
                      citations=[_citation(p) for p in best], notices=notices)

    def llm_stream(self, question: str, passages: list[Passage], searched: str) -> Iterator[str | Answer]:
        """Verified sentences as they complete, then the final Answer (or the extractive fallback)."""
        sources = _sources(passages)
        if not sources or passages[0].score < MIN_SCORE:
            yield self.extractive(question, passages, searched, [])
            return
        listing = "\n\n".join(f"[{i + 1}] （{p.file_name} 第{p.page}页）\n{p.context}" for i, p in enumerate(sources))
        system = prompts.load("answer_system")
        user = prompts.load("answer_user").format(question=question, sources=listing)
        pool = NumberPool.from_texts([p.context for p in sources], self._values(sources))
        kept, removed, buffer, used = [], [], "", []
        try:
            for delta in self.chat.stream(system, user):
                buffer += delta
                complete = split_sentences(buffer)
                if complete and not re.search(r"[。！？；\n]$", buffer):
                    buffer = complete.pop()
                else:
                    buffer = ""
                for sentence in complete:
                    shown = self._check(sentence, len(sources), pool, removed, used)
                    if shown:
                        kept.append(shown)
                        yield shown
            if buffer.strip():
                shown = self._check(buffer, len(sources), pool, removed, used)
                if shown:
                    kept.append(shown)
                    yield shown
        except LLMUnavailable as exc:
            fallback = self.extractive(question, passages, searched, [f"{exc}，以下为原文摘录（未使用大模型）。"])
            yield fallback
            return
        text = "".join(kept).strip()
        if not text or not used or re.search(r"未找到相关内容", text):
            checked_out = bool(text) or bool(removed)
            notice = "大模型的回答未通过核对（无有效引用或数字无法核实），以下为原文摘录。" if checked_out else ""
            yield self.extractive(question, passages, searched, [notice] if notice else [])
            return
        notices = [f"已删除一句含有无法在原文中核对的数字（{'、'.join(nums)}）的内容。" for _, nums in removed]
        # Renumber the markers in order of first use so [1] is the first citation.
        mapping = {old: new + 1 for new, old in enumerate(used)}
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{mapping[int(m.group(1))]}]", text)
        if notices:
            text += "\n" + "\n".join(notices)
        yield Answer(question=question, status="answered", answer=text, method="llm",
                     citations=[_citation(sources[i - 1]) for i in used], notices=notices)

    def _check(self, sentence: str, n_sources: int, pool: NumberPool, removed: list, used: list[int]) -> str:
        cited = parse_citations(sentence, n_sources)
        verified = verify_numbers(cited.text, pool)
        removed.extend(verified.removed)
        if not verified.text:
            return ""
        for i in parse_citations(verified.text, n_sources).source_ids:
            if i not in used:
                used.append(i)
        return verified.text + ("\n" if sentence.endswith("\n") else "")

    def _values(self, sources: list[Passage]) -> list:
        return [v for doc_id in {p.doc_id for p in sources} for v in self.fact_values.get(doc_id, [])]


def _node_parts(text: str, meta: dict) -> tuple[str, list[str], bool]:
    """A retrieved node as (section, pieces): table rows, or the sentences of a text node's body.

    Node text is: identity line, heading path (which may itself wrap), body. A long last heading
    is kept as a piece: parsers take numbered duties (一、协助区政府领导…) for headings.
    """
    rest = text.split("\n", 1)[-1]
    if meta.get("node_type") == "table":
        lines = rest.split("\n")
        return meta.get("table_label") or "", [line.strip() for line in lines[2:] if line.strip()], True
    parts = (meta.get("section_path") or "").split("/")
    section, body = "", rest
    for k in range(len(parts)):
        shown = "/".join(parts[k:])
        if shown and rest.startswith(shown):
            section, body = shown, rest[len(shown):]
            break
    pieces = [p.strip() for p in split_sentences(body.replace("\n", "")) if p.strip()]
    heading = compact(parts[-1]) if parts else ""
    if len(heading) > 15:
        pieces.insert(0, heading)
    return section, pieces, False


def _sources(passages: list[Passage]) -> list[Passage]:
    """One source per retrieved node (several sentences of a node share its context), best first."""
    out, seen = [], set()
    for p in passages:
        if p.context not in seen:
            seen.add(p.context)
            out.append(p)
    return out[:6]


def _citation(p: Passage) -> Citation:
    return Citation(document=p.file_name, page=p.page, table=p.table, quote=p.text[:300], doc_id=p.doc_id)
