"""CLI commands that manage documents: ingest, tables, documents, delete."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from index.store.facts import DocumentRecord
from qa.catalog import CORRECTABLE, BadCorrection, UnknownDocument, describe_identity, parse_assignments
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
    p.add_argument("--workers", type=int, help="同时解析的文件数（每个文件在独立进程中解析；默认 CPU 核数）")
    p.set_defaults(run=command_ingest)

    p = sub.add_parser("tables", help="列出抽取出的表格（JSON lines）")
    _document_arg(p)
    p.add_argument("--json", action="store_true", help="JSON lines 输出（默认）")
    p.set_defaults(run=command_tables)

    p = sub.add_parser(
        "documents", help="列出已导入的文档及其发布单位、地区、年份、类型（含识别来源与提示）；--set 更正",
        description="列出已导入的文档。每项身份信息后注明识别来源：封面、预算单位、标题、表格标题、正文、文件名（待核对）或用户更正。"
                    "用 --set 更正识别结果，如：budget-qa documents --set 3f2a9c department=广州市水务局 year=2025 kind=部门预算 "
                    "region=广东省广州市。更正随文件保存，重新导入同一文件后仍然有效；值留空（year=）撤销该项更正。",
    )
    p.add_argument("--json", action="store_true", help="每个文档输出一行 JSON")
    p.add_argument("--set", metavar="ID", help="更正这个文档（文档 ID、文件名或部门名称）的身份，后跟 字段=值")
    p.add_argument("assignments", nargs="*", metavar="字段=值",
                   help="department=（发布单位）parent=（上级部门）level=（部门/单位/本级/汇总）region= year= kind=")
    p.set_defaults(run=command_documents)

    p = sub.add_parser("delete", help="删除一个已导入的文档（事实、向量与关键词索引）")
    p.add_argument("document", help="文件名、部门名称或文档 ID")
    p.set_defaults(run=command_delete)


def command_ingest(services: Services, args: argparse.Namespace) -> int:
    from index.ingest import IngestBusy  # the reader (pdfplumber, numpy): not imported by `ask`

    ingestor = services.ingestor
    bar = None if args.no_progress else tqdm(total=0, unit="个", desc="导入", file=sys.stderr, leave=False)

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
            # Identity warnings come first in a result's warnings: they are never cut off below.
            for warning in result.warnings[:max(10, len(result.identity_warnings))]:
                print(f"    ! {warning}")
            shown = max(10, len(result.identity_warnings))
            if len(result.warnings) > shown:
                print(f"    ! …另有 {len(result.warnings) - shown} 条警告")
    failed = [r for r in results if r.status == "failed"]
    if not args.json:
        done = sum(1 for r in results if r.status == "ingested")
        same = sum(1 for r in results if r.status == "unchanged")
        flagged = sum(1 for r in results if r.identity_warnings)
        print(f"共 {len(results)} 个文件：导入 {done}，未变化 {same}，失败 {len(failed)}"
              + (f"；{flagged} 个需核对身份（budget-qa documents 查看，--set 更正）" if flagged else ""))
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
    if args.set or args.assignments:
        if not args.set:
            error("请用 --set 指定要更正的文档，如：budget-qa documents --set 3f2a9c year=2025")
            return 2
        return _correct(services, args.set, args.assignments, args.json)
    docs = services.catalog.documents()
    for doc in docs:
        if args.json:
            print_json_line(_as_json(doc))
        else:
            _print_document(doc)
    if not args.json:
        flagged = sum(1 for d in docs if d.identity_warnings)
        print(f"共 {len(docs)} 个文档" + (f"，{flagged} 个需核对身份（见 ! 提示；用 --set 更正）" if flagged else ""))
    return 0


def _as_json(doc: DocumentRecord) -> dict:
    return {**doc.model_dump(), "is_budget": doc.is_budget}


def _print_document(doc: DocumentRecord) -> None:
    print(f"{doc.doc_id}  {doc.file_name}")
    print(f"    {describe_identity(doc)}；{doc.pages} 页，{doc.n_tables} 表，{doc.n_facts} 数字")
    for warning in doc.identity_warnings:
        print(f"    ! {warning}")


def _correct(services: Services, name: str, assignments: list[str], as_json: bool) -> int:
    from index.ingest import IngestBusy  # the reader (pdfplumber, numpy): not imported by `ask`

    try:
        record = services.catalog.resolve_one(name)
        changes = parse_assignments(assignments)
        fixed = services.ingestor.correct(record.doc_id, changes)
    except (UnknownDocument, BadCorrection) as exc:
        error(str(exc))
        return 2
    except IngestBusy as exc:
        error(str(exc))
        return 3
    if as_json:
        print_json_line(_as_json(fixed))
        return 0
    undone = [CORRECTABLE[f] for f, v in changes.items() if v is None]
    print(f"已更正 {fixed.file_name}" + (f"（撤销：{'、'.join(undone)}）" if undone else ""))
    _print_document(fixed)
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
        error(f"匹配到多个文档：{names}；请用文件名或文档 ID 指定其中一个")
        return 2
    ingestor.delete(records[0].doc_id)
    print(f"已删除 {records[0].file_name}")
    return 0
