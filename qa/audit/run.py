"""``budget-qa audit``: find figures that do not add up, from the facts store alone.

``run_audit(store, doc_ids)`` reads each document's stored model (tables, with codes and printed
figures) and its narrative facts, runs the checks and returns findings; the CLI prints them per
document (text or JSON). Documents ingested as one group (说明 + 报表 in two files) are audited
together, so the narrative of one file is checked against the tables of the other.
Findings are the product: the command exits 0 when it finds some, non-zero only on errors.
"""

from __future__ import annotations

import re
from collections import defaultdict

from index.store.facts import DocumentRecord, FactsStore
from qa.audit.model import Finding, Location, TableView, table_view
from qa.audit.rules.cross import check_cross_tables
from qa.audit.rules.narrative import check_narrative
from qa.audit.rules.outline import check_outline
from qa.audit.rules.tables import check_code_totals, check_hierarchy, check_row_sums

__all__ = ["Finding", "Location", "run_audit"]

SEVERITY_LABEL = {"error": "错误", "warning": "提示"}
TABLE_KINDS = {"hierarchy", "row_sum", "total_row"}
TOTAL_ROW = re.compile(r"^(合计|总计)$")


def run_audit(store: FactsStore, doc_ids: list[str] | None = None) -> list[Finding]:
    """Findings for the given documents (all ready documents when None), in document order."""
    records = store.documents()
    wanted = {r.doc_id for r in records} if doc_ids is None else set(doc_ids)
    findings: list[Finding] = []
    for unit in audit_units(records, wanted):
        views = [v for record in unit for v in document_views(store, record)]
        unit_findings: list[Finding] = []
        for view in views:
            unit_findings += check_hierarchy(view) + check_code_totals(view) + check_row_sums(view) + check_outline(view)
        unit_findings += check_cross_tables(views)
        unit_findings += check_narrative(unit, store.narrative_facts([r.doc_id for r in unit]), views)
        names = {r.file_name: r.doc_id for r in unit if r.doc_id in wanted}
        for finding in dedupe(unit_findings):
            document = finding.locations[0].document if finding.locations else None
            if document in names:
                finding.doc_id = names[document]
                findings.append(finding)
    order = {r.doc_id: i for i, r in enumerate(records)}
    return sorted(findings, key=lambda f: order.get(f.doc_id or "", 0))


def audit_units(records: list[DocumentRecord], wanted: set[str]) -> list[list[DocumentRecord]]:
    """Documents audited together: a group's members, or a document alone."""
    groups: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in records:
        groups[record.group_name or record.doc_id].append(record)
    return [members for members in groups.values() if any(r.doc_id in wanted for r in members)]


def document_views(store: FactsStore, record: DocumentRecord) -> list[TableView]:
    document = store.document_model(record.doc_id)
    views = (
        table_view(record.file_name, record.doc_id, i, t, record.department, record.kind)
        for i, t in enumerate(document.tables)
    )
    return [v for v in views if v is not None]


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per discrepancy.

    A paragraph printed twice (under two headings) gives the same finding twice; a table printed
    twice (支出总表 and 一般公共预算支出表 of a department with one source of funds) shows the same
    discrepancy in both: one finding naming both tables.
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
        if f.kind in TABLE_KINDS and first is not None:
            same = (f.kind, tuple(f.figures), TOTAL_ROW.sub("合计", first.row or ""), first.document)
            if same in by_discrepancy and by_discrepancy[same].locations[0].table != first.table:
                merged = by_discrepancy[same]
                merged.message = merged.message.replace(merged.locations[0].table or "", f"{merged.locations[0].table}、{first.table}", 1)
                merged.locations += f.locations[:1]
                continue
            by_discrepancy[same] = f
        out.append(f)
    return out





