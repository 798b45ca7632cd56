"""What the web app works with, opened once per process and shared by every session.

One facts store, one retrieval index, one engine and one ingestor over the same data dir: the
ingestor writes through the same index objects the engine reads, and the engine's in-memory
vocabulary is rebuilt whenever the set of documents changes (here, or by ``budget-qa ingest``
in another process).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from index.facts_store import DocumentRecord, FactsStore
from index.ingest import Ingestor
from index.settings import Settings
from qa.engine import AnswerEngine
from qa.evidence import EvidenceRenderer
from qa.example_questions import example_questions


@dataclass
class Services:
    settings: Settings
    store: FactsStore
    engine: AnswerEngine
    ingestor: Ingestor
    renderer: EvidenceRenderer
    _examples: list[str] = field(default_factory=list)
    _known: frozenset[str] = frozenset()
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, settings: Settings) -> "Services":
        from index.search_index import SearchIndex  # heavy: Chroma, embeddings

        store = FactsStore(settings.db_path)
        index = SearchIndex(settings)
        engine = AnswerEngine(settings, store=store, search_index=index)
        ingestor = Ingestor(settings, store=store, indexer=index)
        services = cls(settings, store, engine, ingestor, EvidenceRenderer(settings, store))
        services.refresh(force=True)
        return services

    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def refresh(self, force: bool = False) -> bool:
        """Reload the engine and the example questions if the indexed documents changed."""
        with self._lock:
            current = frozenset(d.doc_id for d in self.store.documents())
            if not force and current == self._known:
                return False
            if not force:
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
                "（配置 BUDGET_QA_LLM_BASE_URL / BUDGET_QA_LLM_MODEL 后可由大模型组织语言，数字仍由程序核对。）"
            )
        return f"大模型：{self.settings.llm.model}。数字由程序从原文表格核对；大模型不可用时自动改为抽取式回答。"
