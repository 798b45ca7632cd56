"""Prose retrieval in llama-index's shapes: a retriever over the disclosures in scope, then
``SentencePicker``, a node post-processor that keeps the sentences that answer the question.

The retriever is the search index's fused (vector + BM25) one; without a built index (a facts-only
data dir) it reads the documents' paragraphs. The picker scores each sentence by the share of the
question's character pairs it (and its neighbours) contains:

    区政府外办有哪些内设机构？ → 12 nodes → "内设机构：因公出入境管理科、国际交流科、涉外管理科。"（0.71）
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from llama_index.core.bridge.pydantic import Field
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle, TextNode

from index.core.lexicon import CN_DIGITS, SENTENCE_END
from index.core.model import Document
from index.core.recent import Recent
from index.core.text import compact
from index.store.facts import FactsStore
from qa.answer.verify import sentences_with_breaks
from qa.answer.wording import (
    AMOUNT,
    AMOUNT_LOSS,
    DEFINITION,
    DEFINITION_GAIN,
    DESCRIBE,
    MEANING_ASKED,
    PHRASE,
    PHRASE_GAIN,
    QUALIFIER,
    UNQUALIFIED,
    bigrams,
    heading_grams,
    in_text_words,
    longest_run,
    pair_score,
)
from qa.understand.parse import query_terms

# The thing a "哪些/什么 X" question asks for must be in the passage (去了哪些国家 → 国家).
FOCUS = re.compile(r"(?:哪些|哪个|哪几个|(?<![为干做])什么)([\u4e00-\u9fff]{2,4}?)(?:[？?呢吗。]|$)")
GENERIC_FOCUS = {"内容", "方面", "工作", "事项", "情况", "东西", "项目", "单位", "科室", "机构", "部门", "目标", "原因", "用途"}
TITLE_LIKE = re.compile(r"申报表|情况表|预算表|[表附][一二三四五六七八九十\d]+[：:]|^[（(]?20\d\d年度?[)）]?$")
# How the text says what a focus word asks: "在什么位置" is answered by "…工程，位于普陀区真金路…".
FOCUS_PRINTED = {"位置": ("位于", "坐落", "地址", "地点"), "地点": ("位于", "坐落", "地址", "位置")}
FOCUS_COVERAGE = 0.6  # for a 哪些 X question, the share of the question's pairs the sentence itself must hold
# A why-question is answered by a sentence that gives a reason; a table cell states a figure, never why.
WHY = re.compile(r"为什么|为何|什么原因|原因是什么|原因")
# What gives a reason (not what restates the change: 减少178,341.83万元 says how much, not why).
REASON = re.compile(r"原因|主要是|由于|因为|用于|未安排|无|没有|不涉及|全额|调整|不再|取消|撤销|合并|划转")


class Searcher(Protocol):
    """What prose needs of ``index.search.search_index.SearchIndex``: a llama-index retriever."""

    def retriever(self, k: int = ..., mode: str = ..., filters: dict[str, Any] | None = ...) -> BaseRetriever: ...
    def holding(self, phrase: str) -> set[str]: ...


class Documents:
    """Stored document models, the recently used ones kept (paragraphs without an index; pages of long nodes)."""

    def __init__(self, store: FactsStore, size: int = 32):
        self.store = store
        # A long-running app answers about every document in time: memory stays bounded. Sessions share it.
        self._models: Recent[str, Document] = Recent(size)

    def get(self, doc_id: str) -> Document:
        return self._models.load(doc_id, lambda: self.store.document_model(doc_id))

    def page_of(self, meta: dict[str, Any], piece: str) -> int:
        """The page of a node that prints the piece (nodes may span pages)."""
        start, end = int(meta.get("page_start") or 1), int(meta.get("page_end") or 1)
        if start == end:
            return start
        probe = compact(piece)[:16]
        for page in self.get(meta["doc_id"]).pages[start - 1 : end]:
            if probe and probe in compact(page.text):
                return page.number
        return start

    def list_after(self, meta: dict[str, Any], page: int, piece: str) -> list[str]:
        """The numbered items printed after a sentence that opens a list (a node may end before them):
        each item's line, and its wrapped lines, up to the first line that is no item; a list running to
        the page's end goes on at the top of the next page (its page number left out)."""
        pages = self.get(meta["doc_id"]).pages
        lines = [line for p in pages[page - 1 : page + 1] for line in p.text.split("\n") if not PAGE_NUMBER.match(line)]
        whole = compact(piece)
        # The piece's last printed line (or the line it ends), followed by the list's first item.
        at = next((k for k, line in enumerate(lines[:-1]) if len(w := compact(line)) >= 4 and len(whole) >= 4
                   and (whole.endswith(w) or w.endswith(whole)) and LIST_ITEM.match(lines[k + 1])), None)
        items: list[str] = []
        rest = lines[(at + 1) if at is not None else len(lines):]
        for k, line in enumerate(rest):
            if LIST_ITEM.match(line):
                items.append(line.strip())
            elif items and line.strip() and (not items[-1].endswith(tuple(SENTENCE_END))
                                             or any(LIST_ITEM.match(n) for n in rest[k + 1 : k + 3])):
                items[-1] += line.strip()  # an item wrapped onto the next line, or its next sentence before the next item
            else:
                break
        return items


class DisclosureRetriever(BaseRetriever):
    """The index's fused retriever restricted to the disclosures asked about; their paragraphs without one."""

    def __init__(self, searcher: Searcher | None, documents: Documents, doc_ids: list[str], k: int):
        super().__init__()
        self.searcher, self.documents, self.doc_ids, self.k = searcher, documents, doc_ids, k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        if self.searcher is not None:
            nodes = self.searcher.retriever(k=self.k, mode="fused", filters={"doc_id": self.doc_ids})
            found = nodes.retrieve(query_bundle)[: self.k]
            if found:
                return found
        return self._paragraphs()

    def _paragraphs(self) -> list[NodeWithScore]:
        out = []
        for doc_id in self.doc_ids:
            doc = self.documents.get(doc_id)
            for block in doc.blocks:
                if block.kind == "paragraph":
                    path = "/".join(block.section_path)
                    meta = {"doc_id": doc_id, "file_name": doc.file_name, "page_start": block.page,
                            "page_end": block.page, "node_type": "text", "section_path": path}
                    out.append(NodeWithScore(node=TextNode(text=f"\n{path}\n{block.text}", metadata=meta), score=0.0))
        return out


@dataclass
class Passage:
    """A picked sentence and where it is: the view synthesizers read of a picked node."""

    text: str
    doc_id: str
    file_name: str
    page: int
    table: str | None
    score: float
    context: str  # the whole retrieved node, for the LLM

    @classmethod
    def of(cls, node: NodeWithScore) -> Passage:
        meta = node.node.metadata
        return cls(text=node.node.get_content(MetadataMode.NONE), doc_id=meta["doc_id"], file_name=meta["file_name"],
                   page=meta["page"], table=meta["table"], score=float(node.score or 0.0), context=meta["context"])


# A form row whose value is only a heading (年度目标, 实施单位 …): what it heads is the next line of the node.
FORM_HEADER = re.compile(r" : [\u4e00-\u9fff（）()]{2,8}$")
# A list the sentence opens ("具体包括：1. 万里街道办事处（本部）。") and its later items ("2. …。"), which the
# sentence split cuts apart: the answer to "包括哪些单位" is the whole list.
# Duties are numbered （一）…（十）: "主要职责是：（一）贯彻执行…。" opens the list with its first item.
LIST_OPENS = re.compile(r"[：:]\s*(?:(1[.．、](?!\d)|（1）|\(1\)|[（(]一[)）]).*)?$")
LIST_ITEM = re.compile(rf"^\s*(\d{{1,2}}[.．、](?!\d)|（\d{{1,2}}）|\(\d{{1,2}}\)|[（(][{CN_DIGITS}]{{1,3}}[)）])")
PAGE_NUMBER = re.compile(r"^\s*[-—－]?\s*\d{1,3}\s*[-—－]?\s*$")  # "- 3 -", a page's printed number
# Table-of-contents lines ("三、名词解释 ……………… 5") name where an answer is, they are none; a sentence
# split glues the page's first paragraph to the last of them: that paragraph is what is kept.
TOC_LINES = re.compile(r"^.*[…．.·]{6,}\s*\d*")


class SentencePicker(BaseNodePostprocessor):
    """Retrieved nodes → the sentences (or table rows) that answer, best first, each once."""

    remove: list[str] = Field(default_factory=list, description="Names left out of the question's words.")
    min_score: float = Field(0.34, description="Share of the question's character pairs a sentence must hold.")
    documents: Documents = Field(description="Where the page of a sentence in a multi-page node is found.")

    @classmethod
    def class_name(cls) -> str:
        return "SentencePicker"

    def _postprocess_nodes(self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        question = query_bundle.query_str if query_bundle is not None else ""
        terms = in_text_words(query_terms(question, self.remove))
        grams = bigrams(terms) or bigrams(compact(question))
        bare = bigrams(QUALIFIER.sub("", terms))
        focus = focus_word(question)
        why = WHY.search(question) is not None
        describe = not why and DESCRIBE.search(question) is not None
        defines = MEANING_ASKED.search(question) is not None
        candidates: list[NodeWithScore] = []
        for rank, retrieved in enumerate(nodes):
            text, meta = retrieved.node.get_content(MetadataMode.NONE), dict(retrieved.node.metadata)
            section, pieces, is_table = _node_parts(text, meta)
            if why and is_table:
                continue
            context = text.split("\n", 1)[-1][:900]
            for i, piece in enumerate(pieces):
                if why and i > 0 and re.match(r"主要(原因|是)|原因", piece):
                    piece = pieces[i - 1] + piece  # the reason is scored with the change it explains
                piece = TOC_LINES.sub("", piece).strip()
                if len(piece) < 4 or (focus and not any(w in compact(piece) for w in (focus, *FOCUS_PRINTED.get(focus, ())))):
                    continue
                if focus and len(grams & bigrams(compact(piece))) < FOCUS_COVERAGE * len(grams):
                    continue  # 去了哪些国家: naming 国家 is not enough, the passage must be about the question
                own = bigrams(compact(piece)) | heading_grams(compact(section), compact(piece))
                near = bigrams(compact("".join(pieces[max(i - 1, 0): i + 2])))
                score = pair_score(grams, own, near)
                if bare and bare != grams:
                    score = max(score, UNQUALIFIED * pair_score(bare, own, near))
                if TITLE_LIKE.search(piece):
                    score -= 0.3
                if describe and AMOUNT.search(piece):
                    score -= AMOUNT_LOSS
                if defines and DEFINITION.search(piece):
                    score += DEFINITION_GAIN
                if longest_run(terms, compact(piece)) >= PHRASE:
                    score += PHRASE_GAIN
                if score < self.min_score:
                    continue
                if why:
                    if not REASON.search(piece):
                        continue
                    score += 0.3
                score += 0.1 / (rank + 1)  # ties go to the better-ranked node
                if not why and re.match(r"主要(原因|是)|原因", piece) and i > 0:
                    piece = pieces[i - 1] + piece
                if not is_table and (opens := LIST_OPENS.search(piece)):
                    # The list as its page prints it (an item of several sentences, wrapped over lines, is
                    # one item), else as far as this node holds it (a list running onto the next page).
                    opener = piece[: opens.start() + 1]
                    items = _list_items(pieces, i + 1)
                    readings = [piece + "".join(items)]
                    if i + 1 + len(items) == len(pieces):  # the node ends where the list begins, or inside it
                        last = items[-1] if items else piece
                        readings.append(readings[0] + "".join(self.documents.list_after(meta, self.documents.page_of(meta, last), last)))
                    readings.append(opener + "".join(self.documents.list_after(meta, self.documents.page_of(meta, opener), opener)))
                    piece = max(readings, key=lambda t: len(compact(t)))
                    if piece.endswith(("：", ":")):
                        continue  # an opener whose list is nowhere to be read answers nothing
                if is_table and i + 1 < len(pieces) and FORM_HEADER.search(piece) and " : " not in pieces[i + 1]:
                    # "总体目标 / 服务联络办工作经费 : 年度目标": a form's heading cell, its text on the next line.
                    piece = piece + "：" + pieces[i + 1]
                picked = {"doc_id": meta["doc_id"], "file_name": meta["file_name"],
                          "page": self.documents.page_of(meta, piece), "section": section,
                          "table": (meta.get("table_label") or None) if is_table else None, "context": context}
                candidates.append(NodeWithScore(node=TextNode(text=piece, metadata=picked), score=score))
        candidates.sort(key=lambda n: -(n.score or 0.0))
        seen: set[str] = set()
        out = []
        for n in candidates:
            text = n.node.get_content(MetadataMode.NONE)
            if not any(text in earlier for earlier in seen):  # an item already quoted within its whole list
                seen.add(text)
                out.append(n)
        return out


class StatesTerm(BaseNodePostprocessor):
    """Sentences that print a figure for ``term`` (a name no table or measure carries), all kept."""

    term: str

    @classmethod
    def class_name(cls) -> str:
        return "StatesTerm"

    def _postprocess_nodes(self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        kept = []
        for n in nodes:
            text = n.node.get_content(MetadataMode.NONE)
            if self.term in compact(text) and re.search(r"\d", text):
                kept.append(NodeWithScore(node=n.node, score=1.0))
        return kept


def focus_word(question: str) -> str | None:
    m = FOCUS.search(compact(question))
    if m and m.group(1) not in GENERIC_FOCUS:
        return m.group(1)
    return None


def _list_items(pieces: list[str], start: int) -> list[str]:
    """The numbered items that follow a sentence opening a list, up to the first piece that is none."""
    items = []
    for piece in pieces[start:]:
        if not LIST_ITEM.match(piece):
            break
        items.append(piece)
    return items


def _node_parts(text: str, meta: dict[str, Any]) -> tuple[str, list[str], bool]:
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
    pieces = [p.strip() for p in sentences_with_breaks(body.replace("\n", "")) if p.strip()]
    heading = compact(parts[-1]) if parts else ""
    if len(heading) > 15:
        pieces.insert(0, heading)
    return section, pieces, False
