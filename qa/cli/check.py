"""``budget-qa check``: ingest a batch (unchanged files are skipped) and report how well it was understood."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from index.store.facts import DocumentRecord
from qa.cli.output import error
from qa.services import Services

MANIFEST_NAME = "MANIFEST.tsv"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="核查一批文档：身份、目录表格、标准问题逐项核实")
    p.add_argument("paths", nargs="*", help="PDF 文件或文件夹（先导入，未变化的文件跳过）")
    p.add_argument("--all", action="store_true", help="核查所有已导入的文档")
    p.add_argument("--manifest", type=Path, help=f"清单（TSV：文件、类别、发布单位、年份、城市）；文件夹中的 {MANIFEST_NAME} 自动使用")
    p.add_argument("--report", type=Path, help="报告目录（Markdown + JSON），默认 数据目录/reports/check")
    p.add_argument("--json", action="store_true", help="输出 JSON 汇总")
    p.set_defaults(run=command_check)


def command_check(services: Services, args: argparse.Namespace) -> int:
    # Imported when the command runs: the check (and pdfplumber) cost every other command's start 0.1 s.
    from qa.evaluation.check import read_manifest, report_json, report_markdown, run_check, summary_lines

    if bool(args.paths) == bool(args.all):
        error("请给出要核查的文件或文件夹，或用 --all 核查全部已导入文档（二选一）")
        return 2
    manifest_paths = [args.manifest] if args.manifest else [
        Path(p) / MANIFEST_NAME for p in args.paths if (Path(p) / MANIFEST_NAME).is_file()
    ]
    manifest = {}
    for path in manifest_paths:
        if not path.is_file():
            error(f"找不到清单文件：{path}")
            return 2
        manifest.update(read_manifest(path))
    records = batch_records(services, args.paths) if args.paths else services.store.documents()
    if not records:
        error("没有可核查的文档")
        return 2
    bar = tqdm(total=len(records), unit="份", desc="核查", file=sys.stderr, leave=False, disable=args.json)

    def step(record: DocumentRecord) -> None:
        bar.set_postfix_str(record.file_name[:30])
        bar.update()

    checks = run_check(services, records, manifest, progress=step)
    bar.close()
    report = report_json(checks)
    report_dir = args.report or services.settings.data_dir / "reports" / "check"
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "check.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    (report_dir / "check.md").write_text(report_markdown(checks), encoding="utf-8")
    if args.json:
        print(json.dumps(report["summary"], ensure_ascii=False, default=str))
    else:
        print("\n".join(summary_lines(report["summary"])))
        print(f"报告：{report_dir / 'check.md'}  {report_dir / 'check.json'}")
    return 0


def batch_records(services: Services, paths: list[str]) -> list[DocumentRecord]:
    """The documents of these files: ingested first (a no-op for files already indexed unchanged)."""
    results = services.ingestor.ingest(paths)
    for r in results:
        if r.status == "failed":
            print(f"✗ {r.file_name}：{r.reason}", file=sys.stderr)
    services.engine.reload()
    wanted = {r.doc_id for r in results if r.doc_id}
    return [d for d in services.store.documents() if d.doc_id in wanted]
