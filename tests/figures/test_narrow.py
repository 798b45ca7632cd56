"""A question over many disclosures reads only the stated figures its item may name (``StatedFilter``), built
from a streamed SQL pass (``FactsStore.stated_values``) instead of every document's narrative.

The filter must let through every figure an answer can use: each sample question, answered on the narrow
path (over every document, as a question over many is), gets the same answer as when every stated figure
of the documents is read — while the narrow read builds far fewer.
"""

from __future__ import annotations

import json
from pathlib import Path

import qa.answer.numeric.answers as numeric_answers
from index.core.settings import Settings
from index.store.facts import FactsStore
from qa.figures.narrow import StatedBySql
from qa.figures.query import FigureQuery
from qa.figures.stated import StatedFigures, StatedFilter
from qa.services import Services
from qa.understand.model import ItemRef

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "eval" / "qa" / "samples.jsonl").read_text(encoding="utf-8").splitlines()]


def answers(data_dir: Path) -> list[tuple[str, str | None, str]]:
    engine = Services(Settings(data_dir=data_dir)).engine
    out = []
    for question in QUESTIONS:
        a = engine.ask(question)
        out.append((a.status, a.value, a.answer))
    return out


def test_the_narrow_read_answers_every_sample_question_as_reading_every_stated_figure(facts_only_data_dir, monkeypatch):
    monkeypatch.setattr(numeric_answers, "WIDE", 0)  # both samples read by SQL, as a year's thousand documents are
    seen = {"built": 0, "stated": 0}
    read = FactsStore.stated_values

    def counted(self, doc_ids, keep):
        seen["stated"] += sum(1 for _ in read(self, doc_ids, lambda *_: True))  # what reading every one would build
        for n in read(self, doc_ids, keep):
            seen["built"] += 1
            yield n

    monkeypatch.setattr(FactsStore, "stated_values", counted)
    narrow = answers(facts_only_data_dir)
    monkeypatch.setattr(StatedBySql, "values", StatedFigures.values)  # every stated figure of the documents
    whole = answers(facts_only_data_dir)
    differing = [(q, a, b) for q, a, b in zip(QUESTIONS, narrow, whole) if a != b]
    assert not differing, differing[:3]
    assert sum(s == "answered" for s, _, _ in narrow) > 150  # the narrow path answers, not refuses alike
    assert 0 < seen["built"] < seen["stated"] / 5, seen


def test_the_filter_passes_a_concept_by_its_pattern_and_a_name_by_its_characters():
    sangong = StatedFilter.of(FigureQuery("三公经费多少", "三公经费", item=ItemRef(kind="concept", name="三公经费", text="三公经费")))
    assert sangong is not None
    assert sangong("“三公”经费", "2020年“三公”经费预算231.43万元", "")
    assert sangong("", "合计231.43万元", "（三）“三公”经费预算情况")  # under its heading
    assert not sangong("政府采购预算", "政府采购预算57.05万元", "四、政府采购情况")

    term = StatedFilter.of(FigureQuery("新增了多少资金", "新增了资金", item=ItemRef(kind="term", name="新增了资金", text="新增了资金")))
    assert term is not None
    assert term("新增资金", "新增资金30万元", "")  # 了 dropped, as ``_names`` drops it
    assert term("支出", "比上年新增了资金30万元", "")
    assert not term("政府采购预算", "政府采购预算57.05万元", "")

    total = StatedFilter.of(FigureQuery("合计多少", "", item=None, column="合计"))
    assert total is None  # a table's total: no stated figure answers it
