"""``budget-qa audit``: figures that do not add up, per document; ``--report DIR`` writes them for review.

    budget-qa audit --all --report out/   → out/summary.md|html and one report per document
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from qa.audit import SEVERITY_LABEL, Finding, Location, registered_rules
from qa.audit.report import write_report
from qa.audit.run import audit_store
from qa.catalog import UnknownDocument
from qa.cli.output import error
from qa.services import Services


def add_parser(sub: argparse._SubParsersAction) -> None:
    checks = "；".join(f"{r.kind}：{r.label}（{SEVERITY_LABEL[r.severity]}）" for r in registered_rules())
    p = sub.add_parser("audit", help="核对：数字不一致之处", description=f"核对各项：{checks}")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--document", help="文件名、部门名称或文档 ID")
    target.add_argument("--all", action="store_true", help="核对全部已导入的文档（不指定 --document 时亦然）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出全部发现")
    p.add_argument("--report", metavar="DIR", type=Path, help="把每份文档的核对报告（Markdown 与 HTML）和汇总表写入此目录")
    p.set_defaults(run=command_audit)


def command_audit(services: Services, args: argparse.Namespace) -> int:
    try:
        records = services.catalog.resolve(None if args.all else args.document)
    except UnknownDocument as exc:
        error(str(exc))
        return 2
    if not records:
        error("没有已导入的文档，请先运行 budget-qa ingest")
        return 2
    run = audit_store(services.store, [r.doc_id for r in records])
    if args.report:
        written = write_report(run, args.report)
        if not args.json:
            print(f"核对报告已写入 {args.report}（{len(written)} 个文件，汇总：{args.report / 'summary.md'}）")
    if args.json:
        print(json.dumps([f.contract() for f in run.findings], ensure_ascii=False, indent=2))
        return 0
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in run.findings:
        by_doc[f.doc_id or ""].append(f)
    skipped = Counter(s.document for s in run.skips)
    for record in records:
        found = by_doc.get(record.doc_id, [])
        errors = sum(1 for f in found if f.severity == "error")
        skips = f"；跳过 {skipped[record.file_name]} 项检查" if skipped[record.file_name] else ""
        print(f"{record.file_name}：{len(found)} 条（错误 {errors}，提示 {len(found) - errors}{skips}）")
        for f in found:
            where = page_of(f.locations[0]) if f.locations else ""
            print(f"  [{SEVERITY_LABEL[f.severity]}][{f.kind}] {f.message}{where}")
    return 0


def page_of(location: Location) -> str:
    return f" — 第{location.page}页" if location.page else ""
