"""Example questions for the chat, made from what is indexed and kept only if the engine answers them.

Names, years and the table item come from the facts store; the measures are the headline figures
every 部门预算/决算 discloses. Each candidate is asked once (deterministic lookups take
milliseconds) and kept only when answered from the tables, so an example never leads to a refusal
or to a slow model call.
"""

from __future__ import annotations

from index.core.terms import clean_name
from index.store.facts import DocumentRecord
from qa.answer.engine import AnswerEngine

MEASURES = ("收入预算", "支出预算", "基本支出", "项目支出", "“三公”经费")
CALCULATION = "基本支出占支出预算的比例是多少？"


def _subject(doc: DocumentRecord) -> str | None:
    """The publisher as its identity names it (short name first) and the year; None when the publisher is
    unknown: a file name is no way to ask (it reads "005_广州__2026年…部门预算2026年收入预算是多少？")."""
    name = doc.short_name or doc.department
    if not name:
        return None
    return f"{name}{doc.year}年" if doc.year else name


def _largest_item(engine: AnswerEngine, doc: DocumentRecord) -> str | None:
    """The document's largest budget line that has a classification code, by its cleaned name."""
    coded = [f for f in engine.store.facts([doc.doc_id]) if f.code and len(f.code) >= 5 and f.value > 0]
    if not coded:
        return None
    return clean_name(max(coded, key=lambda f: f.value).name) or None


def candidates(engine: AnswerEngine, docs: list[DocumentRecord]) -> list[str]:
    out: list[str] = []
    latest = sorted(docs, key=lambda d: (d.year or 0, d.file_name), reverse=True)
    for doc in [d for d in latest if _subject(d)][:4]:
        subject = _subject(doc)
        item = _largest_item(engine, doc)
        out += [f"{subject}{MEASURES[0]}是多少？", f"{subject}{CALCULATION}"]
        if item:
            out.append(f"{subject}“{item}”是多少？")
        out += [f"{subject}{m}是多少？" for m in MEASURES[1:]]
    return out


def example_questions(engine: AnswerEngine, limit: int = 6) -> list[str]:
    docs = engine.store.documents()
    chosen: list[str] = []
    per_doc: dict[str, int] = {}
    for question in candidates(engine, docs):
        if len(chosen) >= limit:
            break
        subject = question.split("年", 1)[0]
        if per_doc.get(subject, 0) >= max(2, limit // max(1, min(len(docs), 4))):
            continue  # spread the examples over the documents
        parsed = engine.parse(question)
        if not parsed.operation_row.numeric or not parsed.items:
            continue  # only table answers: no model call at start-up
        answer = engine.ask(question)
        if answer.status == "answered" and answer.method in ("lookup", "calculation"):
            chosen.append(question)
            per_doc[subject] = per_doc.get(subject, 0) + 1
    return chosen
