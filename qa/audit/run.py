"""``budget-qa audit``: find figures that do not add up, from the facts store alone.

``run_audit(store, doc_ids)`` reads each document's stored model (tables, with codes and printed
figures) and its narrative facts, runs every registered rule (``qa.audit.rules``) and returns the
findings; the CLI prints them per document (text or JSON). Documents ingested as one group (说明 + 报表
in two files) are audited together, so the narrative of one file is checked against the tables of the
other. Findings are the product: the command exits 0 when it finds some, non-zero only on errors.

    run_audit(store, ["…waiban…"]) → [Finding(kind="cross_table", severity="error",
        message="表2「行政运行」(2010301) 合计 3,573,232.28 ≠ 表3、表5、表7 3,556,912.28（差 16,320.00）", …), …]
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import qa.audit.rules  # noqa: F401  (registers the built-in rules)
from index.core.lexicon import TABLE_TOTAL_ROW
from index.core.model import Document
from index.core.text import compact
from index.store.facts import DocumentRecord, FactsStore
from qa.audit.model import Disclosure, Finding, Skip, TableView, table_view
from qa.audit.reading.structure import continues_on_next
from qa.audit.registry import registered_rules
from qa.contract import OCR_NOTE


@dataclass
class AuditRun:
    """What one audit found, what it could not check, and how long each document took."""

    records: list[DocumentRecord]  # the documents audited, in store order
    findings: list[Finding] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)  # one per (rule, reason, document, table)
    seconds: dict[str, float] = field(default_factory=dict)  # doc_id → seconds (a group's time, shared)


def run_audit(store: FactsStore, doc_ids: list[str] | None = None) -> list[Finding]:
    """Findings for the given documents (all ready documents when None), in document order."""
    return audit_store(store, doc_ids).findings


def audit_store(store: FactsStore, doc_ids: list[str] | None = None) -> AuditRun:
    """Findings, skips and timings for the given documents (all ready documents when None)."""
    records = store.documents()
    wanted = {r.doc_id for r in records} if doc_ids is None else set(doc_ids)
    run = AuditRun([r for r in records if r.doc_id in wanted])
    for unit in audit_units(records, wanted):
        started = time.perf_counter()
        models = {r.file_name: store.document_model(r.doc_id) for r in unit}
        views = [v for record in unit for v in document_views(models[record.file_name], record)]
        disclosure = Disclosure(unit, views, store.narrative_facts([r.doc_id for r in unit]), models)
        names = {r.file_name: r.doc_id for r in unit if r.doc_id in wanted}
        for finding in audit_disclosure(disclosure):
            document = finding.locations[0].document if finding.locations else None
            if document in names:
                finding.doc_id = names[document]
                run.findings.append(finding)
        run.skips += [s for s in unique_skips(disclosure.skips) if s.document in names]
        elapsed = time.perf_counter() - started
        run.seconds.update({doc_id: elapsed / len(unit) for doc_id in names.values()})
    order = {r.doc_id: i for i, r in enumerate(records)}
    run.findings.sort(key=lambda f: order.get(f.doc_id or "", 0))
    return run


def unique_skips(skips: list[Skip]) -> list[Skip]:
    """A table skipped by one rule for one reason counts once, however many of its columns were skipped."""
    return list(dict.fromkeys(skips))


def audit_disclosure(disclosure: Disclosure) -> list[Finding]:
    """Every registered rule over one disclosure, one finding per discrepancy."""
    registered = registered_rules()
    found = [f for rule in registered for f in rule.check(disclosure)]
    findings = dedupe(found, {rule.kind for rule in registered if rule.merge_tables})
    mark_ocr(findings, disclosure.documents)
    return findings


def mark_ocr(findings: list[Finding], documents: dict[str, Document]) -> None:
    """A finding on a page read by OCR says so: the discrepancy may be the reading's, not the publisher's."""
    scanned = {(name, p.number) for name, doc in documents.items() for p in doc.pages if p.ocr}
    for finding in findings:
        if any((loc.document, loc.page) in scanned for loc in finding.locations):
            finding.message += f"（所涉数字为扫描件 {OCR_NOTE}，来源可信度较低）"


def audit_units(records: list[DocumentRecord], wanted: set[str]) -> list[list[DocumentRecord]]:
    """Documents audited together: a group's members, or a document alone."""
    groups: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in records:
        groups[record.group_name or record.doc_id].append(record)
    return [members for members in groups.values() if any(r.doc_id in wanted for r in members)]


def document_views(document: Document, record: DocumentRecord) -> list[TableView]:
    views = []
    units = frozenset(compact(row.unit) for table in document.tables for row in table.rows if row.unit)
    for i, table in enumerate(document.tables):
        view = table_view(record.file_name, record.doc_id, i, table, record.department, record.kind, record.year)
        if view is not None:
            view.continued = continues_on_next(document.tables, i)
            view.units = units
            views.append(view)
    return views


def dedupe(findings: list[Finding], merge_tables: set[str]) -> list[Finding]:
    """One finding per discrepancy.

    A paragraph printed twice (under two headings) gives the same finding twice; a table printed
    twice (支出总表 and 一般公共预算支出表 of a department with one source of funds) shows the same
    discrepancy in both: for the kinds in ``merge_tables``, one finding naming both tables.
    """
    seen: set[tuple] = set()
    by_discrepancy: dict[tuple, Finding] = {}
    out = []
    for f in findings:
        first = f.locations[0] if f.locations else None
        key = (f.kind, f.message, first.row if first else None, first.page if first else None)
        if key in seen:
            continue
        seen.add(key)
        if f.kind in merge_tables and first is not None:
            same = (f.kind, tuple(f.figures), TABLE_TOTAL_ROW.sub("合计", first.row or ""), first.document)
            if same in by_discrepancy and by_discrepancy[same].locations[0].table != first.table:
                merged = by_discrepancy[same]
                table = merged.locations[0].table or ""
                merged.message = merged.message.replace(table, f"{table}、{first.table}", 1)
                merged.locations += f.locations[:1]
                continue
            by_discrepancy[same] = f
        out.append(f)
    return out
