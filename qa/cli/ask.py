"""``budget-qa ask``: one question, or a file of questions answered one JSON object per line."""

from __future__ import annotations

import argparse
from pathlib import Path

from qa.cli.output import error, print_json_line, render_answer
from qa.services import Services


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="提问")
    p.add_argument("question", nargs="?", help="问题")
    p.add_argument("--questions", help="问题文件，每行一个问题")
    p.add_argument("--json", action="store_true", help="每个回答输出一行 JSON")
    p.set_defaults(run=command_ask)


def command_ask(services: Services, args: argparse.Namespace) -> int:
    settings = services.settings
    if bool(args.question) == bool(args.questions):
        error("请给出一个问题，或用 --questions 指定问题文件（二选一）")
        return 2
    if not settings.facts_url and not settings.db_path.exists():
        error(f"数据目录中没有已导入的文档：{settings.data_dir}（请先运行 budget-qa ingest）")
        return 2
    if args.questions:
        path = Path(args.questions)
        if not path.is_file():
            error(f"找不到问题文件：{path}")
            return 2
        questions = [q.strip() for q in path.read_text(encoding="utf-8").splitlines() if q.strip()]
    else:
        questions = [args.question]
    refused = 0
    for question in questions:
        answer = services.engine.ask(question)
        refused += answer.status == "refused"
        if args.json:
            print_json_line(answer.contract())
        else:
            print(render_answer(answer))
            if len(questions) > 1:
                print()
    return 0 if len(questions) > 1 or not refused else 1
