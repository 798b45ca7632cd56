"""``budget-qa search``: hybrid retrieval (vectors + BM25), as the answering engine sees it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from qa.catalog import UnknownDocument
from qa.cli.output import error, print_json_line
from qa.services import Services

if TYPE_CHECKING:  # Chroma and llama-index: imported when the index is opened, not with every CLI command
    from index.search.search_index import Hit


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="混合检索（向量 + BM25）")
    p.add_argument("query", help="要检索的问题或关键词")
    p.add_argument("-k", type=int, default=8, help="返回条数")
    p.add_argument("--mode", choices=["fused", "vector", "bm25"], default="fused",
                   help="fused：向量与关键词融合（默认）；vector：仅向量；bm25：仅关键词")
    p.add_argument("--document", help="只在该文档中检索")
    p.add_argument("--json", action="store_true", help="每条结果输出一行 JSON")
    p.set_defaults(run=command_search)


def describe(hit: Hit) -> str:
    m = hit.metadata
    pages = f"第{m['page_start']}页" if m["page_start"] == m["page_end"] else f"第{m['page_start']}–{m['page_end']}页"
    where = f"{m['table_label']} {m['table_title']}".strip() if m["node_type"] == "table" else m["section_path"]
    return f"{m['file_name']} {pages} {where}"


def command_search(services: Services, args: argparse.Namespace) -> int:
    settings = services.settings
    empty = f"检索索引为空，请先导入：budget-qa ingest PDF --data-dir {settings.data_dir}"
    if not settings.has_index:
        error(empty)
        return 1
    filters = None
    if args.document:
        try:
            filters = {"doc_id": [r.doc_id for r in services.catalog.resolve(args.document)]}
        except UnknownDocument as exc:
            error(str(exc))
            return 2
    index = services.search_index
    if not index.indexed_doc_ids():
        error(empty)
        return 1
    hits = index.search(args.query, k=args.k, mode=args.mode, filters=filters)
    for rank, hit in enumerate(hits, start=1):
        if args.json:
            print_json_line({"rank": rank, "node_id": hit.node_id, "score": hit.score, "metadata": hit.metadata,
                             "text": hit.text})
        else:
            print(f"{rank}. [{hit.score:.4f}] {describe(hit)}")
            body = hit.text.split("\n", 1)[-1].replace("\n", " ")
            print(f"   {body[:160]}{'…' if len(body) > 160 else ''}")
    if not hits and not args.json:
        print("没有找到相关内容")
    return 0
