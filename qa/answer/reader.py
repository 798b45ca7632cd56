"""LLM-assisted understanding: a question the rules could not bind is read by the model, then checked.

The model sees the question and the names of the documents in scope (bounded: the publishers and the
names closest to the question), and returns a structured reading (JSON: publisher, year, items,
columns, operation). Nothing it says is trusted: every name must be one it was given, the reading is
written back as a plain question in those exact names and parsed by the rules, and the answer goes
through the same checks as any other. Figures still come only from the facts store.

    外办2020年公务招待费是多少  → {"publisher": "外办", "year": 2020, "items": ["公务接待费"], ...}
                               → 外办2020年公务接待费是多少 → answered from 表9, checked
    → {"items": ["接待住宿费"]}  (a name it was not given) → rejected, the rules' refusal stands
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection

from pydantic import BaseModel, Field, ValidationError

import prompts
from index.core.text import compact
from qa.answer.llm import ChatModel
from qa.understand.concepts import synonym_table
from qa.understand.model import ParsedQuestion
from qa.understand.operations import OPERATIONS, PROSE
from qa.understand.vocabulary import Vocabulary

log = logging.getLogger(__name__)

MAX_PUBLISHERS = 30
MAX_NAMES = 200  # items sent to the model: the question's nearest names, so the prompt stays small
MAX_COLUMNS = 40
TEMPLATES = {
    "lookup": "{p}{y}{a}{c}是多少",
    "change": "{p}{y}{a}{c}比上年增加多少",
    "growth_rate": "{p}{y}{a}{c}增长率是多少",
    "share": "{p}{y}{a}{c}占{b}的比例是多少",
    "sum": "{p}{y}{a}和{b}合计多少",
    "ratio": "{p}{y}{a}是{b}的多少倍",
    "compare": "{p}{y}{a}和{b}哪个更多",
}


class Reading(BaseModel):
    """The model's reading of a question, in names it was given."""

    publisher: str | None = None
    year: int | None = None
    items: list[str] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    operation: str = "lookup"


class Rejected(ValueError):
    """The model's reading uses a name it was not given, or cannot be read back: it is not used."""


class LLMReader:
    def __init__(self, chat: ChatModel):
        self.chat = chat

    def read(self, question: str, vocab: Vocabulary, doc_ids: Collection[str]) -> Reading:
        """The model's reading; ``LLMUnavailable`` on failure or timeout, ``Rejected`` when unusable."""
        publishers, items, columns = offered_names(question, vocab, doc_ids)
        user = prompts.load("reading_user").format(
            question=question, publishers="、".join(publishers), items="、".join(items), columns="、".join(columns))
        raw = self.chat.complete(prompts.load("reading_system"), user)
        return parse_reading(raw)

    def rewrite(self, reading: Reading, question: str, vocab: Vocabulary, doc_ids: Collection[str]) -> str:
        """The reading as a plain question in the offered names; ``Rejected`` for any name not offered."""
        publishers, items, columns = offered_names(question, vocab, doc_ids, limit=False)
        if reading.publisher and compact(reading.publisher) not in publishers:
            raise Rejected(f"部门“{reading.publisher}”不在已导入的部门中")
        for name in reading.items:
            if compact(name) not in items:
                raise Rejected(f"项目“{name}”不在这些文件的名称中")
        for name in reading.columns:
            if compact(name) not in columns:
                raise Rejected(f"列“{name}”不在这些文件的名称中")
        if reading.operation not in TEMPLATES:
            raise Rejected(f"运算“{reading.operation}”无法理解")
        if not reading.items and not reading.columns:
            raise Rejected("没有可查的项目")
        names = [compact(n) for n in reading.items] or [""]
        column = compact(reading.columns[0]) if reading.columns else ""
        return TEMPLATES[reading.operation].format(
            p=compact(reading.publisher or ""), y=f"{reading.year}年" if reading.year else "", a=names[0],
            b=names[1] if len(names) > 1 else "", c=(f"的{column}" if names[0] and column else column))


def confirmed(parsed: ParsedQuestion, reading: Reading) -> bool:
    """The rules read the rewritten question as the model meant it: the same items, nothing left unbound."""
    said = sorted(compact(n) for n in reading.items)
    bound = sorted(compact(i.text) for i in parsed.items)
    return parsed.operation != PROSE and not parsed.unbound and bound == said \
        and (not reading.columns or parsed.column is not None) and parsed.operation in OPERATIONS


def offered_names(question: str, vocab: Vocabulary, doc_ids: Collection[str],
                  limit: bool = True) -> tuple[list[str], list[str], list[str]]:
    """What the model may use: the publishers in scope, then the names closest to the question."""
    records = [vocab.documents[d] for d in doc_ids if d in vocab.documents]
    publishers = sorted({compact(n) for r in records for n in (r.department, r.short_name) if n}, key=len)
    if not limit:  # a reading may name the publisher by any of its indexed names
        publishers = sorted({alias for alias, docs in vocab.departments.items() if docs & set(doc_ids)}, key=len)
    terms = vocab.terms(doc_ids)
    items = list(dict.fromkeys([*terms.rows, *terms.attributes, *terms.codes, *(compact(s) for s, _ in synonym_table())]))
    columns = list(terms.columns)
    if not limit:
        return publishers, items, columns
    wanted = _pairs(question)
    items.sort(key=lambda n: (-len(_pairs(n) & wanted), n.isdigit(), len(n)))
    columns.sort(key=lambda n: (-len(_pairs(n) & wanted), len(n)))
    return publishers[:MAX_PUBLISHERS], items[:MAX_NAMES], columns[:MAX_COLUMNS]


def parse_reading(raw: str) -> Reading:
    found = re.search(r"\{.*\}", raw or "", re.S)
    if found is None:
        raise Rejected("大模型没有给出结构化的理解")
    try:
        return Reading.model_validate(json.loads(found.group(0)))
    except (ValueError, ValidationError) as exc:
        raise Rejected("大模型的理解无法解析") from exc


def _pairs(text: str) -> set[str]:
    text = compact(text)
    return {text[i:i + 2] for i in range(len(text) - 1)}
