"""One browser session's conversation, and how answers and citations read in the chat.

The session keeps its turns (question + final ``Answer``) and the parsed previous question that
the engine takes as ``context`` for follow-ups ("那2019年呢？"). Everything here is plain data and
text, so the chat's behaviour is tested without a browser. Text that comes from documents is
Markdown-escaped: a PDF cannot inject links or remote images into the page.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field, ValidationError

from index.core.numbers import format_amount
from index.core.units import show
from qa.contract import OCR_NOTE, Answer, Citation
from qa.understand.model import ParsedQuestion

MAX_TURNS = 50  # per session; older turns are dropped (bounded memory for many sessions)
METHOD_LABEL = {"lookup": "查表", "calculation": "计算", "retrieval": "原文检索", "llm": "大模型归纳（数字已核对）"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~{}])")


def md_escape(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text or "")


class Turn(BaseModel):
    question: str
    answer: Answer | None = None  # None while the answer is streaming
    partial: str = ""


class Conversation(BaseModel):
    turns: list[Turn] = Field(default_factory=list)
    context: ParsedQuestion | None = None  # the previous turn's question as parsed, for follow-ups

    @classmethod
    def restored(cls, stored: object) -> Conversation:
        """The conversation a browser kept (``stored()``); a fresh one when there is none or it no longer
        reads (saved by an older version, or altered)."""
        try:
            return cls.model_validate(stored) if stored else cls()
        except ValidationError:
            return cls()

    def stored(self) -> dict:
        """What the browser keeps across a reload: the finished turns and the follow-up context."""
        return self.model_copy(update={"turns": [t for t in self.turns if t.answer is not None]}).model_dump(mode="json")

    def start(self, question: str) -> Turn:
        self.turns.append(Turn(question=question))
        del self.turns[:-MAX_TURNS]
        return self.turns[-1]

    def messages(self) -> list[dict]:
        """The chat as Gradio ``Chatbot`` messages."""
        out: list[dict] = []
        for _number, turn in enumerate(self.turns):
            out.append({"role": "user", "content": md_escape(turn.question)})
            if turn.answer is not None:
                text = format_answer(turn.answer)
            else:
                text = md_escape(turn.partial) or "正在查找……"
            out.append({"role": "assistant", "content": text})
        return out

    def readings(self) -> list[str]:
        """您是否想问：the questions the last refusal offers, for the clickable readings under the chat."""
        answer = self.turns[-1].answer if self.turns else None
        return list(answer.readings) if answer is not None and answer.status == "refused" else []

    def citation_choices(self, turn_index: int | None = None) -> list[tuple[str, str]]:
        """(label, value) pairs for the citation selector; value is ``"turn:citation"``."""
        if not self.turns:
            return []
        index = len(self.turns) - 1 if turn_index is None else turn_index
        answer = self.turns[index].answer if 0 <= index < len(self.turns) else None
        if answer is None:
            return []
        return [(citation_label(i, c), f"{index}:{i}") for i, c in enumerate(answer.citations)]

    def lookup(self, choice: str | None) -> tuple[Answer, Citation] | None:
        """The answer and citation a selector value points at (None for stale or malformed values)."""
        if not choice or not re.fullmatch(r"\d+:\d+", choice):
            return None
        turn_i, cite_i = (int(x) for x in choice.split(":"))
        answer = self.turns[turn_i].answer if turn_i < len(self.turns) else None
        if answer is None or cite_i >= len(answer.citations):
            return None
        return answer, answer.citations[cite_i]


def where(citation: Citation) -> str:
    parts = [f"第{citation.page}页"]
    if citation.table:
        parts.append(citation.table)
    if citation.row:
        parts.append(f"“{citation.row}”行")
    if citation.column:
        parts.append(f"“{citation.column.rsplit('/', 1)[-1]}”列")
    if citation.ocr:
        parts.append(f"（{OCR_NOTE}）")
    return " ".join(parts)


def citation_label(index: int, citation: Citation) -> str:
    """A short, plain-text label for the selector: ``[1] 第7页 表2 “合计”行 “合计”列``."""
    label = f"[{index + 1}] {where(citation)}"
    if not citation.row and citation.quote:
        quote = citation.quote.replace("\n", " ")
        label += f"：{quote[:24]}{'…' if len(quote) > 24 else ''}"
    return label


def headline(answer: Answer) -> str | None:
    """The figure an answer gives, as printed in its first line: ``7,955,559.34元``, ``30.04%``."""
    if answer.status != "answered" or answer.value is None:
        return None
    try:
        return show(Decimal(answer.value), answer.unit)
    except InvalidOperation:
        return None


def format_answer(answer: Answer) -> str:
    """The assistant message, short enough that its start stays in view: the figure first, then the
    answer, formula and notices; the numbered sources folded (the evidence panel shows each one)."""
    figure = headline(answer)
    lines = [f"### {md_escape(figure)}"] if figure else []
    lines.append(md_escape(answer.answer).replace("\n", "\n\n"))
    if answer.formula:
        lines.append(f"**计算**：{md_escape(answer.formula)}")
    for notice in answer.notices:
        if notice not in answer.answer:
            lines.append(f"> ⚠️ {md_escape(notice)}")
    if answer.citations:
        sources = "\n".join(f"- [{i}] {md_escape(c.document)} {md_escape(where(c))}" for i, c in enumerate(answer.citations, 1))
        lines.append(f"<details><summary>依据（{len(answer.citations)} 处，点击“引用”查看原文）</summary>\n\n{sources}\n\n</details>")
    footer = [METHOD_LABEL.get(answer.method, answer.method)]
    if answer.interpretation:
        footer.insert(0, f"理解为：{md_escape(answer.interpretation)}")
    footer.append(f"{answer.elapsed_ms:.0f} 毫秒")
    lines.append(f"<sub>{' · '.join(footer)}</sub>")
    return "\n\n".join(lines)


def format_evidence(answer: Answer, citation: Citation, index: int) -> str:
    """The evidence panel's text: where the figure is, the row as extracted, and the formula."""
    lines = [f"### 引用 [{index + 1}]", f"**文件**：{md_escape(citation.document)}　**页码**：第{citation.page}页"]
    if citation.table:
        lines.append(f"**表格**：{md_escape(citation.table)}")
    if citation.row:
        lines.append(f"**行**：{md_escape(citation.row)}")
    if citation.column:
        lines.append(f"**列**：{md_escape(citation.column)}")
    if citation.value is not None:
        try:
            shown = format_amount(Decimal(citation.value))
        except InvalidOperation:
            shown = citation.value
        unit = answer.unit if citation.value == answer.value and answer.unit != "%" else ""
        lines.append(f"**数值**：{md_escape(shown)} {md_escape(unit or '')}".rstrip())
    if citation.quote:
        lines.append(f"**原文**：{md_escape(citation.quote)}")
    if citation.ocr:
        lines.append(f"> ⚠️ 此页是扫描件，数字由 {OCR_NOTE}。")
    if answer.formula:
        lines.append(f"**计算公式**：{md_escape(answer.formula)}")
    return "\n\n".join(lines)
