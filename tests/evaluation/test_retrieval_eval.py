"""The retrieval eval: its questions point at real pages/tables, and fused retrieval finds ≥ 95% in the top 5."""

from __future__ import annotations

import argparse
import json

import pytest

from index.core.settings import Settings
from index.search.search_index import SearchIndex
from qa.cli.evaluate import command_retrieval_eval
from qa.evaluation.retrieval import Question, is_hit, load_questions, run_retrieval_eval
from qa.services import Services


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions()


def test_questions_point_at_pages_and_tables_that_exist(questions, parsed_samples):
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    assert {q.file_name for q in questions} == set(parsed_samples)
    for q in questions:
        document = parsed_samples[q.file_name]
        assert q.pages or q.tables, q.id
        assert all(1 <= p <= len(document.pages) for p in q.pages), q.id
        labels = {t.label for t in document.tables}
        assert set(q.tables) <= labels, f"{q.id}: {set(q.tables) - labels}"


def test_is_hit_needs_the_right_document_and_page_or_table():
    q = Question(id="x", question="?", file_name="a.pdf", pages=[3], tables=["表9"])
    meta = {"file_name": "a.pdf", "page_start": 2, "page_end": 4, "table_label": ""}
    assert is_hit(meta, q)
    assert not is_hit(meta | {"page_start": 4}, q)
    assert is_hit(meta | {"page_start": 18, "page_end": 18, "table_label": "表9"}, q)
    assert not is_hit(meta | {"file_name": "b.pdf"}, q)


def test_fused_retrieval_meets_the_bar(sample_data_dir, questions):
    index = SearchIndex(Settings(data_dir=sample_data_dir))
    report = run_retrieval_eval(index, questions)
    fused, vector, bm25 = (report["modes"][m] for m in ("fused", "vector", "bm25"))
    missed = [q["id"] for q in report["questions"] if not q["fused"] or q["fused"] > 5]
    assert fused["hit@5"] >= 0.95, f"fused hit@5 {fused['hit@5']:.1%}; missed {missed}"
    assert fused["mrr"] > vector["mrr"] and fused["hit@5"] >= max(vector["hit@5"], bm25["hit@5"]) - 0.02


def test_command_ingests_the_samples_into_an_empty_data_dir_and_writes_reports(settings, tmp_path, capsys):
    code = command_retrieval_eval(Services(settings), argparse.Namespace(report_dir=str(tmp_path / "reports"), json=False, min_accuracy=0.95))
    assert code == 0
    out = capsys.readouterr().out
    assert "fused" in out and "hit@5" in out
    report = json.loads((tmp_path / "reports" / "retrieval.json").read_text(encoding="utf-8"))
    assert set(report["modes"]) == {"vector", "bm25", "fused", "fused-unscoped"}
    assert "| fused |" in (tmp_path / "reports" / "retrieval.md").read_text(encoding="utf-8")
    assert report["modes"]["fused"]["hit@5"] >= 0.95
    assert len(SearchIndex(settings).indexed_doc_ids()) == 2
