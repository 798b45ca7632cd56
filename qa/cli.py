"""``budget-qa``: ingest | tables | documents | delete | search | ask | eval | audit | serve.

Settings are built here, once, and handed down. Each command's work lives in its own module;
this file only parses arguments and dispatches.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from importlib import import_module

from index.settings import Settings, load_settings


def _add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="数据目录（默认 ./data 或 BUDGET_QA_DATA_DIR）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budget-qa", description="预算问答：政府部门预算/决算公开的问答、核对与评测")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="导入 PDF（文件或文件夹）")
    p.add_argument("paths", nargs="+", help="PDF 文件或包含 PDF 的文件夹")
    p.add_argument("--group", help="把这些文件作为同一份公开材料（如说明 + 报表两个文件）")
    p.add_argument("--json", action="store_true", help="每个文件输出一行 JSON 结果")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    _add_data_dir(p)

    p = sub.add_parser("tables", help="列出抽取出的表格（JSON lines）")
    p.add_argument("--document", help="文件名、部门名称或文档 ID")
    p.add_argument("--json", action="store_true", help="JSON lines 输出（默认）")
    _add_data_dir(p)

    p = sub.add_parser("documents", help="列出已导入的文档")
    p.add_argument("--json", action="store_true")
    _add_data_dir(p)

    p = sub.add_parser("delete", help="删除一个已导入的文档（事实、向量与关键词索引）")
    p.add_argument("document", help="文件名、部门名称或文档 ID")
    _add_data_dir(p)

    p = sub.add_parser("search", help="混合检索（向量 + BM25）")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=8, help="返回条数")
    p.add_argument("--mode", choices=["fused", "vector", "bm25"], default="fused")
    p.add_argument("--document", help="只在该文档中检索")
    p.add_argument("--json", action="store_true")
    _add_data_dir(p)

    p = sub.add_parser("ask", help="提问")
    p.add_argument("question", nargs="?", help="问题")
    p.add_argument("--questions", help="问题文件，每行一个问题")
    p.add_argument("--json", action="store_true")
    _add_data_dir(p)

    p = sub.add_parser("eval", help="评测：问答集或检索")
    p.add_argument("files", nargs="*", help="问答集（JSON lines），默认 eval/qa/*.jsonl")
    p.add_argument("--retrieval", action="store_true", help="检索评测（hit@1/hit@5/MRR）")
    p.add_argument("--report-dir", help="报告输出目录（默认 eval/reports）")
    p.add_argument("--min-accuracy", type=float, default=None, help="数字准确率低于该值时退出码非零")
    p.add_argument("--json", action="store_true")
    _add_data_dir(p)

    p = sub.add_parser("audit", help="核对：数字不一致之处")
    p.add_argument("--document", help="文件名、部门名称或文档 ID")
    p.add_argument("--json", action="store_true")
    _add_data_dir(p)

    p = sub.add_parser("serve", help="启动网页界面")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    _add_data_dir(p)
    return parser


# command → "module:function"; the function takes (settings, args) and returns an exit code.
COMMANDS = {
    "ingest": "qa.cli_documents:command_ingest",
    "tables": "qa.cli_documents:command_tables",
    "documents": "qa.cli_documents:command_documents",
    "delete": "qa.cli_documents:command_delete",
    "search": "index.retrieval:command_search",
    "ask": "qa.engine:command_ask",
    "eval": "qa.evaluation:command_eval",
    "audit": "qa.audit:command_audit",
    "serve": "app:command_serve",
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    settings: Settings = load_settings(getattr(args, "data_dir", None))
    module_name, func_name = COMMANDS[args.command].split(":")
    func = getattr(import_module(module_name), func_name)
    try:
        return int(func(settings, args) or 0)
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def print_json_line(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    sys.exit(main())
