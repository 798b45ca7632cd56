"""``budget-qa``: ingest | tables | documents | delete | export | search | ask | eval | audit | check | serve.

Settings and services are built here, once, and handed to the command; each command module
declares its own sub-parser and the function that runs it.
"""

from __future__ import annotations

import argparse
import logging
import sys

from index.core.settings import load_settings
from qa.cli import ask, audit, check, chinese, documents, evaluate, export, search, serve
from qa.services import Services


def build_parser() -> argparse.ArgumentParser:
    chinese.install()
    parser = argparse.ArgumentParser(prog="budget-qa", description="预算问答：政府部门预算/决算公开的问答、核对与评测")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    documents.add_parsers(sub)
    export.add_parser(sub)
    search.add_parser(sub)
    ask.add_parser(sub)
    evaluate.add_parser(sub)
    audit.add_parser(sub)
    check.add_parser(sub)
    serve.add_parser(sub)
    for command in sub.choices.values():
        command.add_argument("--data-dir", help="数据目录（默认 ./data 或 BUDGET_QA_DATA_DIR）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    services = Services(load_settings(args.data_dir))
    try:
        return int(args.run(services, args) or 0)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
