"""Messages users see are Chinese only: no string literal in ``index/``, ``qa/`` or ``app.py`` carries an English
half beside its Chinese, as in ``"报告 / reports: …"`` or ``"没有已导入的文档（…）/ nothing ingested"``.

Docstrings are for developers and are not scanned; an f-string is read whole, its fields standing in as ``{}``,
and adjacent literals joined as Python joins them, so a message split over lines is still one message.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for pkg in ("index", "qa") for p in (ROOT / pkg).rglob("*.py")] + [ROOT / "app.py"]

CHINESE = r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]"
# Chinese, then "/ " and English words (one lowercase letter at least, so BUDGET_QA_X / BUDGET_QA_Y and
# paths such as 数据目录/reports stay allowed) — or the same the other way round.
BILINGUAL = re.compile(rf"{CHINESE}[^/\n]*/\s+[A-Za-z0-9_ ]*?[a-z]|[a-z][A-Za-z]*:?\s*/\s+[^/\n]*{CHINESE}")


def bilingual(text: str) -> bool:
    return bool(BILINGUAL.search(text))


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal that is not a docstring; an f-string counts once, as a whole."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    inside_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skip and id(node) not in inside_fstrings:
                found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("text", [
    "报告 / reports: {}  {}",
    "未知的过滤字段 / unknown filter field: {}",
    "没有已导入的文档（请先运行 budget-qa ingest）/ nothing ingested",
    "检索索引为空，请先导入：budget-qa ingest PDF --data-dir {} / index is empty",
    "嵌入模型需要设置 BUDGET_QA_EMBED__BASE_URL / embeddings base_url is not set",
    "# 问答评测报告 / QA evaluation report",
    "no results / 没有找到相关内容",
])
def test_a_bilingual_message_is_recognised(text):
    assert bilingual(text)


@pytest.mark.parametrize("text", [
    "报告：{}  {}",
    "报告目录（Markdown + JSON），默认 数据目录/reports/check",
    "（建议同时设置 BUDGET_QA_APP__AUTH_USER / BUDGET_QA_APP__AUTH_PASSWORD）",
    "department=（部门/单位/本级/汇总）",
    "预算 / 决算",
    "检索评测（hit@1/hit@5/MRR）",
    "every file / all of them",
])
def test_chinese_alone_and_english_alone_pass(text):
    assert not bilingual(text)


def test_no_message_carries_an_english_half():
    found = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
             for path in SOURCES for line, text in literals(path) if bilingual(text)]
    assert not found, "用户可见的消息只用中文：\n" + "\n".join(found)


def test_the_cli_speaks_chinese_in_its_help_and_its_argument_errors():
    """argparse's own words (usage, options, -h, "the following arguments are required") are shown in Chinese."""
    from qa.cli.main import build_parser

    parser = build_parser()
    text = parser.format_help() + parser._subparsers._group_actions[0].choices["ask"].format_help()  # type: ignore[union-attr]
    for english in ("usage", "positional arguments", "options:", "show this help"):
        assert english not in text, english
    assert "用法" in text and "显示本帮助并退出" in text
    done = subprocess.run([sys.executable, "-m", "qa.cli.main", "ask", "--no-such-option"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert "错误" in done.stderr and "无法识别的参数：--no-such-option" in done.stderr, done.stderr
    assert "error" not in done.stderr and "unrecognized" not in done.stderr, done.stderr
