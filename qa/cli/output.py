"""How the CLI prints: JSON lines, readable answers, one-line errors."""

from __future__ import annotations

import json
import sys

from qa.contract import OCR_NOTE, Answer


def print_json_line(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)


def error(message: str) -> None:
    print(f"✗ {message}", file=sys.stderr)


def render_answer(answer: Answer) -> str:
    """A readable Chinese answer with numbered citations, for the terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("引用：")
        for i, c in enumerate(answer.citations, 1):
            parts = (c.table, f"“{c.row}”行" if c.row else None, f"“{c.column}”列" if c.column else None)
            where = "，".join(x for x in parts if x)
            quote = f"：{c.quote}" if c.quote and not c.row else ""
            note = f"（{OCR_NOTE}）" if c.ocr else ""
            lines.append(f"  [{i}] {c.document} 第{c.page}页" + (f"，{where}" if where else "") + quote + note)
    status = "已回答" if answer.status == "answered" else "未回答"
    lines.append(f"（{status}；方法：{answer.method}；{answer.elapsed_ms:.0f} ms）")
    return "\n".join(lines)
