"""Numeric questions, routed by operation to the registered answerer, checked, refusals and hints added.

Every answer passes the registered checks (``qa.answer.checks``) before it is returned; one that fails
becomes a refusal saying why:

    NumericAnswers(vocab, locator).answer(scoped)   # scoped.parsed.operation == "share" → ShareAnswerer
"""

from __future__ import annotations

import logging

from qa.answer.answerer import Immediate, ScopedQuestion, searched
from qa.answer.checks import review
from qa.answer.numeric.base import ANSWERERS, Asked, Unanswerable
from qa.contract import Answer
from qa.figures.calculate import CalculationError
from qa.figures.locate import Locator
from qa.figures.narrow import WIDE
from qa.understand.concepts import synonym_table
from qa.understand.model import ItemRef
from qa.understand.scan import FUNDING_WORD
from qa.understand.vocabulary import Vocabulary

log = logging.getLogger(__name__)


class NumericAnswers(Immediate):
    def __init__(self, vocab: Vocabulary, locator: Locator):
        self.vocab = vocab
        self.locator = locator

    def answer(self, scoped: ScopedQuestion) -> Answer:
        parsed, selection = scoped.parsed, scoped.selection
        answerer = ANSWERERS.get(parsed.operation)
        if answerer is None:  # an operation registered without its answerer: a programming error, said plainly
            log.error("no answerer registered for operation %r", parsed.operation)
            return Answer(question=parsed.text, status="refused", method="calculation",
                          answer=f"暂不支持“{parsed.operation_row.label}”这类计算。")
        asked = Asked.of(parsed, selection)
        locator = self._locator(asked)
        try:
            answer = answerer(locator).answer(asked)
        except Unanswerable as exc:
            return Answer(question=parsed.text, status="refused", answer=str(exc), method="lookup", notices=selection.notices)
        except CalculationError as exc:
            return Answer(question=parsed.text, status="refused", answer=f"无法计算：{exc}。", method="calculation")
        failures = review(asked, answer, locator.facts)
        if failures:
            log.info("answer to %r withheld: %s", parsed.text, "; ".join(f.check for f in failures))
            return Answer(question=parsed.text, status="refused", method=answer.method, checks=[f.check for f in failures],
                          answer="未给出答案：核对未通过（" + "；".join(f.problem for f in failures) + "）。"
                                 + searched(selection.disclosures))
        answer.notices = selection.notices + answer.notices
        in_scope = self.vocab.scoped(selection.doc_ids)  # the rows of the documents answered from, not every one
        hints = [h for h in (confusion_hint(i, in_scope) for i in parsed.items) if h]
        if hints:
            answer.answer += "" if answer.answer.endswith(("。", "\n")) else "。"
            answer.answer += "".join(hints)
        extra = [n for n in answer.notices if n not in answer.answer]
        if extra:
            answer.answer += "\n" + "\n".join(extra)
        return answer


    def _locator(self, asked: Asked) -> Locator:
        """Over many disclosures ("哪个部门三公经费最高": every department of a year) only the tables the
        question's items can be read from, found and read by SQL (``qa.figures.narrow``); over a few, whole
        documents from the cache (their form fields and reading order too)."""
        selection = asked.selection
        if len(selection.doc_ids) <= WIDE:
            return self.locator
        items = [*asked.parsed.items, *([asked.parsed.context_item] if asked.parsed.context_item else [])]
        queries = [asked.query.but(item=i) for i in items] or [asked.query]
        doc_ids = sorted(selection.doc_ids | {d for p in selection.previous.values() for d in p.doc_ids})
        return self.locator.narrowed(doc_ids, queries)


def confusion_hint(item: ItemRef, vocab: Vocabulary) -> str | None:
    """Say which of two similar names was meant (行政运行经费 ≠ 行政运行 科目)."""
    if item.kind == "concept":
        for row in vocab.rows:
            if len(row) >= 3 and item.text.startswith(row) and item.text != row:
                return f"这里的“{item.text}”按正文口径的“{item.name}”理解，不是预算科目“{row}”。"
    elif item.kind in ("row", "code") and not FUNDING_WORD.fullmatch(item.name):  # a fund is no 科目 of its own
        for synonym, concept in synonym_table():
            if synonym.startswith(item.name) and synonym != item.name and len(item.name) >= 3:
                return f"这里的“{item.text}”按预算科目理解；“{synonym}”（{concept.name}）是另一口径。"
    return None
