"""CLI commands that manage documents: ingest, tables, documents, delete."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from index.ingest import IngestBusy
from qa.catalog import UnknownDocument
from qa.cli.output import error, print_json_line
from qa.services import Services


def _document_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--document", help="文件名、部门名称或文档 ID")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="导入 PDF（文件或文件夹）")
    p.add_argument("paths", nargs="+", help="PDF 文件或包含 PDF 的文件夹")
    p.add_argument("--group", help="把这些文件作为同一份公开材料（如说明 + 报表两个文件）")
    p.add_argument("--json", action="store_true", help="每个文件输出一行 JSON 结果")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.add_argument("--workers", type=int, help="同时解析的文件数（每个文件在独立进程中解析；默认 CPU 核数，最多 4）")
    p.set_defaults(run=command_ingest)

    p = sub.add_parser("tables", help="列出抽取出的表格（JSON lines）")
    _document_arg(p)
    p.add_argument("--json", action="store_true", help="JSON lines 输出（默认）")
    p.set_defaults(run=command_tables)

    p = sub.add_parser("documents", help="列出已导入的文档")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=command_documents)

    p = sub.add_parser("delete", help="删除一个已导入的文档（事实、向量与关键词索引）")
    p.add_argument("document", help="文件名、部门名称或文档 ID")
    p.set_defaults(run=command_delete)


def command_ingest(services: Services, args: argparse.Namespace) -> int:
    ingestor = services.ingestor
    bar = None if args.no_progress else tqdm(total=0, unit="file", desc="导入", file=sys.stderr, leave=False)

    def progress(done: int, total: int, name: str) -> None:
        if bar is None:
            return
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[:40])
        bar.refresh()

    try:
        results = ingestor.ingest(args.paths, group=args.group, progress=progress, workers=args.workers)
    except IngestBusy as exc:
        error(str(exc))
        return 3
    finally:
        if bar is not None:
            bar.close()
    for result in results:
        if args.json:
            print_json_line(result.__dict__)
        else:
            print(result.summary())
            for warning in result.warnings[:10]:
                print(f"    ! {warning}")
            if len(result.warnings) > 10:
                print(f"    ! …另有 {len(result.warnings) - 10} 条警告")
    failed = [r for r in results if r.status == "failed"]
    if not args.json:
        done = sum(1 for r in results if r.status == "ingested")
        same = sum(1 for r in results if r.status == "unchanged")
        print(f"共 {len(results)} 个文件：导入 {done}，未变化 {same}，失败 {len(failed)}")
    return 1 if failed else 0






def command_tables(services: Services, args: argparse.Namespace) -> int:
    try:
        records = services.catalog.resolve(args.document)
    except UnknownDocument as exc:
        error(str(exc))
        return 2
    for record in records:
        for table in services.catalog.tables(record):
            print_json_line(table)
    return 0


def command_documents(services: Services, args: argparse.Namespace) -> int:
    for doc in services.catalog.documents():
        if args.json:
            print_json_line(doc.model_dump())
        else:
            print(f"{doc.doc_id}  {doc.file_name}  {doc.department or '?'}  {doc.region or ''}  {doc.year or '?'}  "
                  f"{doc.kind or ''}  {doc.pages} 页  {doc.n_tables} 表  {doc.n_facts} 数字")
    return 0


def command_delete(services: Services, args: argparse.Namespace) -> int:
    ingestor = services.ingestor
    try:
        records = services.catalog.resolve(args.document)
    except UnknownDocument as exc:
        error(str(exc))
        return 2
    if len(records) > 1:
        names = "、".join(r.file_name for r in records)
        error(f"匹配到多个文档：{names}；请用文件名或文档 ID / ambiguous")
        return 2
    ingestor.delete(records[0].doc_id)
    print(f"已删除 {records[0].file_name}")
    return 0
