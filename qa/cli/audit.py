"""``budget-qa audit``: figures that do not add up, per document."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

from qa.audit import SEVERITY_LABEL, Finding, Location, registered_rules, run_audit
from qa.catalog import UnknownDocument
from qa.cli.output import error
from qa.services import Services


def add_parser(sub: argparse._SubParsersAction) -> None:
    checks = "；".join(f"{r.kind}：{r.label}（{SEVERITY_LABEL[r.severity]}）" for r in registered_rules())
    p = sub.add_parser("audit", help="核对：数字不一致之处", description=f"核对各项：{checks}")
    p.add_argument("--document", help="文件名、部门名称或文档 ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=command_audit)


def command_audit(services: Services, args: argparse.Namespace) -> int:
    try:
        records = services.catalog.resolve(args.document)
    except UnknownDocument as exc:
        error(str(exc))
        return 2
    if not records:
        error("没有已导入的文档，请先运行 budget-qa ingest / nothing ingested yet")
        return 2
    findings = run_audit(services.store, [r.doc_id for r in records])
    if args.json:
        print(json.dumps([f.contract() for f in findings], ensure_ascii=False, indent=2))
        return 0
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_doc[f.doc_id or ""].append(f)
    for record in records:
        found = by_doc.get(record.doc_id, [])
        errors = sum(1 for f in found if f.severity == "error")
        print(f"{record.file_name}：{len(found)} 条（错误 {errors}，提示 {len(found) - errors}）")
        for f in found:
            where = page_of(f.locations[0]) if f.locations else ""
            print(f"  [{SEVERITY_LABEL[f.severity]}][{f.kind}] {f.message}{where}")
    return 0


def page_of(location: Location) -> str:
    return f" — 第{location.page}页" if location.page else ""
