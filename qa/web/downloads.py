"""The download buttons: the table shown in the 文档 tab, the whole selected document, and the tables an
answer's figures come from, each as an Excel workbook (``qa.export``: tables as printed plus 数据明细).

Files are written under ``data/cache/exports`` (a path the server allows Gradio to serve), one folder per
export, named for what they hold (xicheng-zfb-2020-表九.xlsx), and rewritten in place when asked again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import gradio as gr

from index.core.settings import Settings
from qa.export import ExportError, SourceTable, cited_tables, document_tables, write_xlsx
from qa.services import Services
from qa.web.conversation import Conversation

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def exports_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "exports"


class Downloads:
    def __init__(self, services: Services):
        self.services = services

    def table(self, doc_id: str | None, table_index: str | None) -> dict:
        """The shown table of the 文档 tab; hidden while none is shown."""
        if not doc_id or table_index is None:
            return _hidden()
        try:
            sources = [s for s in document_tables(self.services.store, doc_id) if str(s.index) == table_index]
        except (ExportError, KeyError):
            return _hidden()
        return self._button(sources, sources[0].table.label or sources[0].name if sources else "")

    def document(self, doc_id: str | None) -> dict:
        """Every table of the selected document."""
        if not doc_id:
            return _hidden()
        try:
            sources = document_tables(self.services.store, doc_id)
        except (ExportError, KeyError):
            return _hidden()
        return self._button(sources, "全部表格")

    def evidence(self, choice: str | None, conversation: Conversation) -> dict:
        """The tables the cited figures of the selected citation's answer come from; hidden for an answer
        cited from the narrative only."""
        found = conversation.lookup(choice)
        if found is None:
            return _hidden()
        answer, _ = found
        sources = cited_tables(self.services.store, answer.citations)
        return self._button(sources, "依据表格")

    def _button(self, sources: list[SourceTable], what: str) -> dict:
        if not sources:
            return _hidden()
        path = self.write(sources, what)
        return gr.update(value=str(path), visible=True)

    def write(self, sources: list[SourceTable], what: str) -> Path:
        """The workbook of ``sources``, named after their document and ``what`` it holds."""
        keys = sorted({(s.record.doc_id, s.index) for s in sources})
        folder = exports_dir(self.services.settings) / hashlib.sha1(repr(keys).encode()).hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        stems = list(dict.fromkeys(Path(s.record.file_name).stem for s in sources))
        name = _UNSAFE.sub("_", f"{stems[0] if len(stems) == 1 else '多个文档'}-{what}")[:80]
        path = folder / f"{name}.xlsx"
        write_xlsx(sources, path)
        return path


def _hidden() -> dict:
    return gr.update(value=None, visible=False)
