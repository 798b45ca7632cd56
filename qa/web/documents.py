"""The 文档 and 核对 tabs: upload and ingest PDFs, browse the indexed disclosures and their extracted
tables, delete a document, and list the audit findings of a document.

``DocumentHandlers`` holds the event functions (tested without a browser); ``build_documents_tabs``
lays out the components.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import gradio as gr
import pandas as pd

from index.ingest import IngestBusy
from index.store.facts import DocumentRecord
from qa.audit import SEVERITY_LABEL, label_of
from qa.audit.model import Location
from qa.audit.run import audit_store
from qa.catalog import CORRECTABLE, BadCorrection, describe_identity, parse_assignments
from qa.contract import Citation
from qa.evidence import EvidenceError
from qa.services import Services
from qa.web.chat import hidden_image, page_image
from qa.web.conversation import md_escape
from qa.web.downloads import Downloads
from qa.web.uploads import UploadRefused, stage_uploads

log = logging.getLogger(__name__)

DOC_COLUMNS = ["文件", "部门", "地区", "年份", "类型", "层级", "识别来源", "提示", "页数", "表格", "数字", "导入时间"]
AUDIT_COLUMNS = ["级别", "位置", "说明", "类型"]
INGEST_WAIT_S = 30  # another ingest holding the data dir longer than this is reported as busy


def unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


class DocumentHandlers:
    def __init__(self, services: Services):
        self.services = services

    # --- listing -----------------------------------------------------------------------------
    def documents_frame(self) -> pd.DataFrame:
        rows = [
            [d.file_name, d.department or "", d.region or "", d.year or "", d.kind or "", d.level or "",
             _sources(d), "；".join(d.identity_warnings), d.pages, d.n_tables, d.n_facts, d.ingested_at.replace("T", " ")[:16]]
            for d in self.services.documents()
        ]
        return pd.DataFrame(rows, columns=DOC_COLUMNS)

    # --- identity: shown with its sources, corrected by the user ---------------------------------
    def identity_card(self, doc_id: str | None) -> str:
        record = self.services.store.get(doc_id) if doc_id else None
        if record is None:
            return ""
        lines = [f"**{md_escape(record.file_name)}**：{md_escape(describe_identity(record))}"]
        lines += [f"　　! {md_escape(w)}" for w in record.identity_warnings]
        return "\n\n".join(lines)

    def correct(self, doc_id: str | None, field: str | None, value: str | None) -> tuple:
        """Correct one identity field of the selected document (an empty value undoes the correction).
        Returns (message, documents table, selectors…); the engine is reloaded so answers re-scope."""
        record = self.services.store.get(doc_id) if doc_id else None
        if record is None:
            return ("请先在“查看或删除文档”中选择要更正的文档。", *self.refreshed())
        if not field:
            return ("请选择要更正的项目。", *self.refreshed())
        try:
            changes = parse_assignments([f"{field}={value or ''}"])
            fixed = self.services.ingestor.correct(record.doc_id, changes)
        except BadCorrection as exc:
            return (f"✗ {md_escape(str(exc))}", *self.refreshed())
        except IngestBusy as exc:
            return (f"✗ {md_escape(str(exc))}", *self.refreshed())
        self.services.refresh(force=True)
        done = "已撤销更正" if changes[field] is None else "已更正"
        return (f"{done} {md_escape(fixed.file_name)}：{md_escape(describe_identity(fixed))}", *self.refreshed())

    def document_choices(self) -> list[tuple[str, str]]:
        return [(f"{d.file_name}（{d.short_name or d.department or '?'} {d.year or ''}）", d.doc_id) for d in self.services.documents()]

    def refreshed(self) -> tuple:
        """(documents table, document selector, audit selector) after a change."""
        choices = self.document_choices()
        return self.documents_frame(), gr.update(choices=choices, value=None), gr.update(choices=choices, value=None)

    # --- tables of one document ----------------------------------------------------------------
    def table_choices(self, doc_id: str | None) -> dict:
        record = self.services.store.get(doc_id) if doc_id else None
        if record is None:
            return gr.update(choices=[], value=None)
        tables = self.services.catalog.tables(record)
        choices = [
            (f"{t['label'] or ''}《{t['title'] or '无标题'}》 第{t['pages'][0]}页，{len(t['rows'])} 行", str(i))
            for i, t in enumerate(tables)
        ]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def table_frame(self, doc_id: str | None, table_index: str | None) -> tuple[pd.DataFrame, str]:
        record = self.services.store.get(doc_id) if doc_id else None
        if record is None or table_index is None:
            return pd.DataFrame(), ""
        tables = self.services.catalog.tables(record)
        i = int(table_index)
        if not 0 <= i < len(tables):
            return pd.DataFrame(), ""
        table = tables[i]
        width = max([len(table["columns"])] + [len(r["cells"]) for r in table["rows"]])
        columns = [c.rsplit("/", 1)[-1] for c in table["columns"]] + [f"列{j + 1}" for j in range(len(table["columns"]), width)]
        rows = [[r["code"] or "", r["name"] or ""] + r["cells"] + [""] * (width - len(r["cells"])) for r in table["rows"]]
        frame = pd.DataFrame(rows, columns=unique_headers(["编码", "名称"] + columns))
        caption = f"**{md_escape(table['label'] or '')}《{md_escape(table['title'] or '')}》** 单位：{md_escape(table['unit'] or '未注明')}；第{table['pages'][0]}–{table['pages'][1]}页"
        return frame, caption

    # --- changing the index --------------------------------------------------------------------
    def upload(self, files: list[str] | None, progress: Callable = gr.Progress()) -> tuple:
        """Validate, stage and ingest an upload. Returns (report, documents table, selectors…)."""
        report = self._ingest(list(files or []), progress)
        return (report, *self.refreshed())

    def _ingest(self, files: list[str], progress: Callable) -> str:
        settings = self.services.settings
        try:
            staged = stage_uploads(files, settings)
        except UploadRefused as exc:
            return f"✗ {exc}"
        lines = [f"✗ {md_escape(r.file_name)}：{md_escape(r.reason)}" for r in staged.refused]
        try:
            if staged.paths:
                def step(done: int, total: int, name: str) -> None:
                    progress((done, total), desc=f"正在导入 {name}" if name else "完成", unit="个文件")

                results = self.services.ingestor.ingest(staged.paths, progress=step, wait_s=INGEST_WAIT_S)
                for result in results:
                    lines.append(md_escape(result.summary()))
                    lines += [f"　　! {md_escape(w)}" for w in result.warnings[:5]]
                    if len(result.warnings) > 5:
                        lines.append(f"　　! …另有 {len(result.warnings) - 5} 条警告")
                self.services.refresh()
        except IngestBusy as exc:
            lines.append(f"✗ {md_escape(str(exc))}")
        finally:
            staged.cleanup()
        return "\n\n".join(lines) or "没有可导入的文件。"

    def delete(self, doc_id: str | None, confirmed: bool) -> tuple:
        record = self.services.store.get(doc_id) if doc_id else None
        if record is None:
            message = "请先选择要删除的文档。"
        elif not confirmed:
            message = "请勾选“确认删除”后再删除。"
        else:
            try:
                self.services.ingestor.delete(record.doc_id)
            except IngestBusy as exc:
                return (f"✗ {md_escape(str(exc))}", *self.refreshed(), False)
            self.services.refresh()
            message = f"已删除 {md_escape(record.file_name)}（表格、数字与检索索引）。"
        return (message, *self.refreshed(), False)

    # --- audit ---------------------------------------------------------------------------------
    def audit(self, doc_id: str | None) -> tuple[pd.DataFrame, str, list]:
        record = self.services.store.get(doc_id) if doc_id else None
        if record is None:
            return pd.DataFrame(columns=AUDIT_COLUMNS), "请选择一个文档。", []
        run = audit_store(self.services.store, [record.doc_id])
        findings = run.findings
        rows = []
        for f in findings:
            loc = f.locations[0] if f.locations else None
            place = " ".join(x for x in (loc and loc.page and f"第{loc.page}页", loc and loc.table, loc and loc.row) if x) if loc else ""
            rows.append([SEVERITY_LABEL.get(f.severity, f.severity), place, f.message, label_of(f.kind)])
        errors = sum(f.severity == "error" for f in findings)
        # Checks whose table structure could not be trusted are counted, never shown as errors.
        skipped = f"；{len(run.skips)} 项检查因表格结构不可信而跳过" if run.skips else ""
        summary = f"**{md_escape(record.file_name)}**：{len(findings)} 条（错误 {errors}，提示 {len(findings) - errors}{skipped}）。" + (
            "点击一行，并排查看所涉数字及其原文。" if findings else "未发现数字不一致之处。"
        )
        doc_ids = {r.file_name: r.doc_id for r in self.services.store.documents()}
        cited = [[_cited(loc, doc_ids.get(loc.document) or f.doc_id or record.doc_id) for loc in f.locations] for f in findings]
        return pd.DataFrame(rows, columns=AUDIT_COLUMNS), summary, cited

    def audit_page(self, cited: list, event: gr.SelectData) -> tuple[str, dict, dict]:
        """The clicked finding's cited figures side by side — each one's close-up on its page, with its
        document, page, table, row and column — and the first one's whole page: (list, close-ups, page)."""
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not isinstance(row, int) or not 0 <= row < len(cited) or not cited[row]:
            return "", hidden_gallery(), hidden_image()
        places = cited[row]
        crops, page = [], hidden_image()
        for n, place in enumerate(places[:MAX_CLOSE_UPS], 1):
            if not place["page"]:
                continue
            try:
                images = self.services.renderer.render(Citation(**{k: place[k] for k in CITATION_KEYS}))
            except EvidenceError as exc:
                gr.Warning(str(exc))
                continue
            crops.append((str(images.zoom or images.page), f"{_circled(n)} {_place_line(place)}"))
            if page.get("visible") is False:
                page = page_image(images.page, images.landscape)
        gallery = gr.update(value=crops, visible=bool(crops))
        return cited_table(places), gallery, page

    def audit_cleared(self) -> tuple:
        """Another document chosen: the previous one's findings and pages go
        (findings, summary, cited, cited list, close-ups, page)."""
        return pd.DataFrame(columns=AUDIT_COLUMNS), "", [], "", hidden_gallery(), hidden_image()


MAX_CLOSE_UPS = 6  # a sum of thirty parts shows its total and first parts; the list below names them all
MAX_LISTED = 40
CITATION_KEYS = ("document", "page", "table", "row", "column", "quote", "doc_id", "bbox", "value")


def _cited(loc: Location, doc_id: str) -> dict:
    """A finding's cited place as the UI keeps it (JSON-safe); a sentence is found on its page by its text."""
    return {
        "document": loc.document, "page": loc.page, "table": loc.table, "row": loc.row, "column": loc.column,
        "value": loc.value, "bbox": list(loc.bbox) if loc.bbox else None, "doc_id": doc_id,
        "quote": loc.row or "" if loc.table == "正文" and not loc.bbox else "",
    }


def _circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def _place_line(place: dict) -> str:
    """"3,573,232.28 · 第7页 表2「2010301 行政运行」合计" (a sentence shortened)."""
    row = place["row"] or ""
    row = row if len(row) <= 24 else row[:23] + "…"
    page = f"第{place['page']}页 " if place["page"] else ""
    where = f"{page}{place['table'] or ''}" + (f"「{row}」" if row else " ") + (place["column"] or "")
    return f"{place['value']} · {where.strip()}" if place["value"] else where.strip()


def cited_table(places: list[dict]) -> str:
    """Every cited figure of a finding, one line each: the number as printed and where it is."""
    lines = ["| | 数字 | 文档 | 页 | 表 | 行 | 列 |", "|---|---|---|---|---|---|---|"]
    for n, p in enumerate(places[:MAX_LISTED], 1):
        cells = [_circled(n), p["value"] or "", p["document"], p["page"] or "", p["table"] or "", p["row"] or "", p["column"] or ""]
        lines.append("| " + " | ".join(md_escape(str(c)) for c in cells) + " |")  # md_escape escapes "|" too
    if len(places) > MAX_LISTED:
        lines.append(f"\n另有 {len(places) - MAX_LISTED} 处未列出。")
    return "\n".join(lines)


def hidden_gallery() -> dict:
    return gr.update(value=None, visible=False)


def _sources(record: DocumentRecord) -> str:
    """Where publisher, year and kind were read: "封面" when all three agree, else each named."""
    found = [record.identity_sources.get(f, "") for f in ("department", "year", "kind")]
    if len(set(found)) == 1:
        return found[0]
    return " ".join(f"{label}:{src}" for label, src in zip(("单位", "年份", "类型"), found) if src)


def build_documents_tabs(services: Services) -> dict:
    """The 文档 and 核对 tabs; returns their refresh-on-load and the events that change the index."""
    handlers = DocumentHandlers(services)
    settings = services.settings
    with gr.Tab("文档", id="documents"):
        gr.Markdown(
            f"上传部门预算/决算公开 PDF（每次最多 {settings.app.max_uploads} 个，每个不超过 {settings.app.max_upload_mb} MiB）。"
            "导入失败的文件不会影响已导入的文档。"
        )
        # No ``file_types``: Gradio refuses other files in the browser with an English toast; ours are
        # refused on the server, each with its reason in Chinese, and the other files go on.
        files = gr.File(label="选择 PDF", file_count="multiple", type="filepath", elem_id="upload")
        upload = gr.Button("导入", variant="primary", elem_id="ingest")
        report = gr.Markdown(elem_id="ingest-report")
        table = gr.Dataframe(handlers.documents_frame(), label="已导入的文档", interactive=False, elem_id="documents")
        with gr.Row():
            document = gr.Dropdown(handlers.document_choices(), label="查看或删除文档", elem_id="document")
            confirm = gr.Checkbox(label="确认删除", value=False)
            delete = gr.Button("删除", variant="stop")
        identity = gr.Markdown(elem_id="identity")
        with gr.Row():
            field = gr.Dropdown([(label, key) for key, label in CORRECTABLE.items()], label="更正身份：项目", elem_id="identity-field")
            value = gr.Textbox(label="正确的值（留空则撤销更正）", placeholder="如 2025、部门决算、广州市水务局", elem_id="identity-value")
            correct = gr.Button("更正", elem_id="identity-correct")
        tables = gr.Dropdown([], label="表格", elem_id="tables")
        caption = gr.Markdown()
        rows = gr.Dataframe(pd.DataFrame(columns=["编码", "名称"]), label="抽取结果", interactive=False, wrap=True, elem_id="table-rows")
        with gr.Row():
            table_file = gr.DownloadButton("下载此表（电子表格）", visible=False, elem_id="download-table")
            document_file = gr.DownloadButton("下载整个文档的表格（电子表格）", visible=False, elem_id="download-document")
    with gr.Tab("核对", id="audit"):
        gr.Markdown("检查文档中的数字是否自洽：合计与明细、各表之间、正文与表格。")
        with gr.Row():
            audit_doc = gr.Dropdown(handlers.document_choices(), label="文档", elem_id="audit-document")
            run = gr.Button("核对", variant="primary")
        audit_summary = gr.Markdown()
        findings = gr.Dataframe(pd.DataFrame(columns=AUDIT_COLUMNS), label="核对结果", interactive=False, wrap=True, elem_id="findings")
        finding_pages = gr.State([])
        # The clicked finding's figures side by side: each one's close-up, then the list of every cited cell.
        finding_cells = gr.Gallery(label="所涉数字（原文局部）", columns=3, height="auto", object_fit="contain",
                                   visible=False, elem_id="finding-cells")
        finding_list = gr.Markdown(elem_id="finding-list")
        finding_page = gr.Image(label="原文页面", type="filepath", interactive=False, visible=False, buttons=[],
                                elem_id="finding-page", elem_classes=["page-portrait"])

    refreshed = [table, document, audit_doc]
    private: dict[str, Any] = {"api_visibility": "private"}
    uploaded = upload.click(
        handlers.upload, [files], [report, *refreshed], concurrency_id="ingest", concurrency_limit=1, **private
    )
    uploaded.then(lambda: None, None, files, queue=False, **private)
    document.change(handlers.table_choices, document, tables, queue=False, **private)
    document.change(handlers.identity_card, document, identity, queue=False, **private)
    corrected = correct.click(
        handlers.correct, [document, field, value], [report, *refreshed], concurrency_id="ingest", concurrency_limit=1, **private
    )
    tables.change(handlers.table_frame, [document, tables], [rows, caption], queue=False, **private)
    downloads = Downloads(services)
    tables.change(downloads.table, [document, tables], table_file, concurrency_id="export", **private)
    document.change(downloads.document, document, document_file, concurrency_id="export", **private)
    deleted = delete.click(
        handlers.delete, [document, confirm], [report, *refreshed, confirm], concurrency_id="ingest", concurrency_limit=1, **private
    )
    shown = [finding_list, finding_cells, finding_page]
    audit_doc.change(handlers.audit_cleared, None, [findings, audit_summary, finding_pages, *shown], queue=False, **private)
    run.click(handlers.audit, audit_doc, [findings, audit_summary, finding_pages], concurrency_id="audit", **private).then(
        lambda: ("", hidden_gallery(), hidden_image()), None, shown, queue=False, **private)
    findings.select(handlers.audit_page, finding_pages, shown, concurrency_id="evidence", **private)
    return {"load": (handlers.refreshed, refreshed), "changes": [uploaded, deleted, corrected]}
