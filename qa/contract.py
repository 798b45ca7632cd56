"""What an answer is: the stable JSON contract of ``budget-qa ask --json`` and the UI's evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["answered", "refused"]
# Said wherever a figure read by OCR from a scanned page is shown: it may be misread.
OCR_NOTE = "OCR 识别，请核对原文"
Method = Literal["lookup", "calculation", "retrieval", "llm"]


class Citation(BaseModel):
    document: str  # file name
    page: int  # 1-based
    table: str | None = None  # table label (or title when unlabelled)
    row: str | None = None
    column: str | None = None
    quote: str = ""
    # Extra evidence for the UI (not part of the CLI contract):
    doc_id: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    value: str | None = None  # the figure this citation supports, as a decimal string
    table_index: int | None = None  # the cited table's position in its document (exports its evidence table)
    ocr: bool = False  # the figure was read by OCR from a scanned page (``OCR_NOTE``)

    def contract(self) -> dict:
        return {
            "document": self.document,
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "quote": self.quote,
        }


class Answer(BaseModel):
    question: str
    status: Status
    answer: str
    value: str | None = None  # headline figure as a decimal string
    unit: str | None = None
    method: Method
    citations: list[Citation] = Field(default_factory=list)  # first = source of the headline figure
    elapsed_ms: float = 0.0
    # Extra, for the UI and eval (not part of the CLI contract):
    formula: str | None = None
    notices: list[str] = Field(default_factory=list)  # e.g. 表与正文不一致, LLM 不可用
    interpretation: str | None = None  # how the question was read, e.g. 部门=…；年份=…；项目=…
    readings: list[str] = Field(default_factory=list)  # 您是否想问：questions the user may have meant (clickable)
    checks: list[str] = Field(default_factory=list)  # the answer checks that failed (a refusal says why)

    def contract(self) -> dict:
        """Exactly the keys documented for ``budget-qa ask --json``."""
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "value": self.value,
            "unit": self.unit,
            "method": self.method,
            "citations": [c.contract() for c in self.citations],
            "elapsed_ms": round(self.elapsed_ms, 2),
        }
