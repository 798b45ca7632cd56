"""CLI commands that manage documents: ingest, tables, documents, delete."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from index.facts_store import DocumentRecord, FactsStore
from index.ingest import IngestBusy, Ingestor
from index.settings import Settings
from qa.cli import print_json_line


def open_ingestor(settings: Settings) -> Ingestor:
    from index.search_index import SearchIndex  # heavy imports only for commands that index

    store = FactsStore(settings.db_path)
    return Ingestor(settings, store=store, indexer_factory=lambda: SearchIndex(settings))


def command_ingest(settings: Settings, args: argparse.Namespace) -> int:
    ingestor = open_ingestor(settings)
    bar = None if args.no_progress else tqdm(total=0, unit="file", desc="导入", file=sys.stderr, leave=False)

    def progress(done: int, total: int, name: str) -> None:
        if bar is None:
            return
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[:40])
        bar.refresh()

    try:
        results = ingestor.ingest(args.paths, group=args.group, progress=progress)
    except IngestBusy as exc:
        print(f"✗ {exc}", file=sys.stderr)
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


def resolve_documents(store: FactsStore, name: str | None) -> list[DocumentRecord]:
    if name is None:
        return store.documents()
    found = store.find(name)
    if not found:
        raise SystemExit(f"未找到文档 / no document matches: {name}")
    return found


def table_rows_json(store: FactsStore, record: DocumentRecord) -> list[dict]:
    document = store.document_model(record.doc_id)
    out = []
    for table in document.tables:
        out.append(
            {
                "document": record.file_name,
                "label": table.label,
                "title": table.title,
                "unit": table.unit,
                "pages": [table.pages[0], table.pages[-1]],
                "columns": table.columns,
                "rows": [
                    {"code": row.code, "name": row.name, "cells": [c.text for c in row.cells]}
                    for row in table.rows
                ],
            }
        )
    return out


def command_tables(settings: Settings, args: argparse.Namespace) -> int:
    store = FactsStore(settings.db_path)
    for record in resolve_documents(store, args.document):
        for table in table_rows_json(store, record):
            print_json_line(table)
    return 0


def command_documents(settings: Settings, args: argparse.Namespace) -> int:
    store = FactsStore(settings.db_path)
    for doc in store.documents():
        if args.json:
            print_json_line(doc.model_dump())
        else:
            print(f"{doc.doc_id}  {doc.file_name}  {doc.department or '?'}  {doc.region or ''}  {doc.year or '?'}  "
                  f"{doc.kind or ''}  {doc.pages} 页  {doc.n_tables} 表  {doc.n_facts} 数字")
    return 0


def command_delete(settings: Settings, args: argparse.Namespace) -> int:
    ingestor = open_ingestor(settings)
    records = resolve_documents(ingestor.store, args.document)
    if len(records) > 1:
        names = "、".join(r.file_name for r in records)
        print(f"✗ 匹配到多个文档：{names}；请用文件名或文档 ID / ambiguous", file=sys.stderr)
        return 2
    ingestor.delete(records[0].doc_id)
    print(f"已删除 {records[0].file_name}")
    return 0
