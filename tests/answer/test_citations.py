"""One number per cited place: duplicate citations merged and the answer's markers renumbered."""

from __future__ import annotations

from index.core.settings import AnswerSettings
from qa.answer.citations import merge_citations
from qa.answer.passages import Passage
from qa.answer.synthesize import ExtractiveSynthesizer
from qa.contract import Answer, Citation

SENTENCE = "设3个内设机构：因公出入境管理科，国际交流科，涉外管理科。"


def cite(page: int, quote: str, doc_id: str = "d1") -> Citation:
    return Citation(document="外办.pdf", page=page, quote=quote, doc_id=doc_id)


def test_same_passage_cited_three_times_becomes_one_number():
    answer = Answer(
        question="外办有哪些内设机构？", status="answered", method="llm",
        answer=f"根据原文：\n{SENTENCE}[1]\n负责外事工作。[2]\n{SENTENCE}[3]\n编制9名[4][5]。",
        # 3 is 1 as printed (spaces and quote marks aside); 5 is 1 again; 4 is the same text on another page.
        citations=[cite(1, SENTENCE), cite(1, "负责外事工作。"), cite(1, f" {SENTENCE} "), cite(2, SENTENCE), cite(1, SENTENCE)],
    )
    merged = merge_citations(answer)
    assert [c.page for c in merged.citations] == [1, 1, 2]
    assert merged.answer == f"根据原文：\n{SENTENCE}[1]\n负责外事工作。[2]\n编制9名[3][1]。"


def test_distinct_places_are_left_alone():
    answer = Answer(question="q", status="answered", method="retrieval", answer="甲[1]\n\n乙[2]",
                    citations=[cite(1, "甲"), cite(1, "甲", doc_id="d2")])
    assert merge_citations(answer) is answer


def test_a_sentence_retrieved_twice_is_quoted_once():
    def passage(text: str, score: float) -> Passage:
        return Passage(text=text, doc_id="d1", file_name="外办.pdf", page=1, table=None, score=score, context=text)

    answer = ExtractiveSynthesizer(AnswerSettings()).synthesize(
        "外办有哪些内设机构？", [passage(SENTENCE, 0.9), passage(SENTENCE, 0.8), passage("内设机构另有说明。", 0.7)], "", [],
    )
    assert answer.answer.count(SENTENCE) == 1 and len(answer.citations) == 2
    assert answer.answer.endswith("内设机构另有说明。[2]")
