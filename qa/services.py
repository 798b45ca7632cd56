"""The composition root: every store, index, model and engine of one data dir, opened once.

CLI commands, the web app and the evaluation all start from ``Services(settings)``; nothing else
opens a facts store, a search index or an engine. Members are opened on first use, so a command
that only lists documents never loads Chroma or the embedding model, and the web app shares one
set between every session: the ingestor writes through the same index objects the engine reads.
The answer side (engine, chat model, evidence pages) is imported on first use too: ``budget-qa ingest``
starts its first parse ~0.5 s sooner without it; and the ingest side (the reader, numpy) only when a process
ingests, so ``budget-qa ask`` starts without it.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from index.core.settings import Settings
from index.store.facts import DocumentRecord, FactsStore
from qa.catalog import Catalog

if TYPE_CHECKING:
    from llama_index.core.retrievers import BaseRetriever

    from index.ingest import Ingestor
    from index.search.search_index import SearchIndex
    from qa.answer.engine import AnswerEngine
    from qa.answer.llm import ChatModel
    from qa.evidence import EvidenceRenderer


class IndexOnFirstSearch:
    """The engine's searcher: opens the retrieval index (Chroma, the embedding model, the BM25 leg) when a
    question first searches, so a process answering figures starts without it."""

    def __init__(self, services: Services):
        self._services = services
        self._lock = threading.Lock()  # two sessions' first prose questions open one index, not two

    def retriever(self, *args: Any, **kwargs: Any) -> BaseRetriever:
        with self._lock:
            index = self._services.search_index
        return index.retriever(*args, **kwargs)

    def holding(self, phrase: str) -> set[str]:
        with self._lock:
            index = self._services.search_index
        return index.holding(phrase)


class Services:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._examples: list[str] = []
        self._known: frozenset[str] | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> Services:
        """Everything opened now (the web app: the first question should not pay for it)."""
        services = cls(settings)
        services.refresh(force=True)
        if settings.index_dir.exists():  # opened on first search otherwise (figure-only CLI processes)
            _ = services.search_index
        return services

    @cached_property
    def store(self) -> FactsStore:
        return FactsStore(self.settings.facts_target)

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.store)

    @cached_property
    def search_index(self) -> SearchIndex:
        from index.search.search_index import SearchIndex  # Chroma and the embedding model: only when searched

        return SearchIndex(self.settings)

    @cached_property
    def chat(self) -> ChatModel:
        from qa.answer.llm import ChatModel

        return ChatModel(self.settings.llm)

    @cached_property
    def engine(self) -> AnswerEngine:
        from qa.answer.engine import AnswerEngine

        # Without a built retrieval index (facts-only data dirs) the engine answers figures only.
        index = IndexOnFirstSearch(self) if self.settings.has_index else None
        return AnswerEngine(self.settings, store=self.store, search_index=index, chat=self.chat)

    @cached_property
    def ingestor(self) -> Ingestor:
        from index.ingest import Ingestor  # the reader (pdfplumber, numpy, OCR): not for a process that only answers

        if "search_index" in self.__dict__:  # already open in this process (the web app): write through it
            return Ingestor(self.settings, store=self.store, indexer=self.search_index)
        # Opened only once the ingest lock is held: two processes must not initialise one index at once.
        return Ingestor(self.settings, store=self.store, indexer_factory=lambda: self.search_index)

    @cached_property
    def renderer(self) -> EvidenceRenderer:
        from qa.evidence import EvidenceRenderer

        return EvidenceRenderer(self.settings, self.store)

    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def refresh(self, force: bool = False) -> bool:
        """Reload the engine and the example questions if the indexed documents changed."""
        from qa.examples import example_questions

        with self._lock:
            current = frozenset(d.doc_id for d in self.store.documents())
            if not force and current == self._known:
                return False
            if self._known is not None:
                if self.engine.search_index is None and self.settings.has_index:  # the first ingest built it
                    self.engine.search_index = IndexOnFirstSearch(self)
                self.engine.reload()
            self._known = current
            self._examples = example_questions(self.engine)
            return True

    @property
    def examples(self) -> list[str]:
        return list(self._examples)

    def llm_notice(self) -> str:
        if not self.settings.llm.configured:
            return (
                "ℹ️ 未配置大模型：回答为**抽取式**，数字和句子直接摘自原文表格与正文，并附出处。"
                "管理员按使用说明配置大模型后，可由大模型组织语言，数字仍由程序核对。"
            )
        return f"大模型：{self.settings.llm.model}。数字由程序从原文表格核对；大模型不可用时自动改为抽取式回答。"
