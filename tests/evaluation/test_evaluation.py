"""The known Q&A sets, the scoring of answers against them, and the CI gate on sample figure accuracy."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from index.core.text import normalize
from qa.contract import Answer, Citation
from qa.evaluation.run import DEFAULT_MIN_ACCURACY, QA_DIR, QAFileError, load_qa, plan
from qa.evaluation.scoring import (
    CATEGORIES,
    ItemResult,
    QAItem,
    citation_correct,
    convert,
    figure_correct,
    figure_on_page,
    summarize,
    text_contains,
    text_key,
    unsupported_numbers,
)
from tests.conftest import SAMPLE_DIR, WAIBAN, real_pdf

SAMPLES = QA_DIR / "samples.jsonl"
REAL = QA_DIR / "real.jsonl"
# CI gate: sample figure accuracy with only the two samples loaded (measured 0.995 on 2026-11-22, after the
# stated-figure, form-table and count work; the margin absorbs one or two regressions, not a category).
CI_SAMPLE_THRESHOLD = 0.97


def item(**kw) -> QAItem:
    base = {"id": "t", "question": "?", "category": "table_lookup"}
    return QAItem(**{**base, **kw})


def answer(value=None, unit=None, status="answered", citations=(), text="", method="lookup") -> Answer:
    return Answer(question="?", status=status, answer=text, value=value, unit=unit, method=method,
                  citations=list(citations))


# --- the Q&A sets --------------------------------------------------------------------------------


def test_qa_sets_are_complete_and_well_formed():
    samples, real = load_qa(SAMPLES), load_qa(REAL)
    assert len(samples) >= 110 and len(samples) + len(real) >= 200
    ids = [i.id for i in samples + real]
    assert len(ids) == len(set(ids))
    for items in (samples, real):
        assert {i.category for i in items} == set(CATEGORIES)
        for i in items:
            if i.category == "refusal":
                assert i.answer_value is None and i.document is None, i.id
            if i.category == "prose":
                assert i.answer_value is None and i.answer_text_contains, i.id
            if i.answer_value is not None:
                assert i.unit and i.expected is not None, i.id
            if i.document is not None:
                assert i.page and i.page >= 1, i.id
    assert {i.document for i in samples if i.document} == {p.name for p in SAMPLE_DIR.glob("*.pdf")}


def _page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [normalize(p.extract_text() or "") for p in pdf.pages]


def _check_against_pdf(items: list[QAItem], pages_of) -> list[str]:
    """Each printed figure (not calculations) is on its page; each prose key phrase too."""
    wrong = []
    for i in items:
        if i.document is None or i.page is None:
            continue
        text = pages_of(i.document)[i.page - 1]
        if i.expected is not None and i.category != "calculation":
            if not figure_on_page(i.expected, i.unit, text):
                wrong.append(f"{i.id}: {i.answer_value}{i.unit} not on {i.document} p{i.page}")
        if i.category == "prose":
            wrong += [f"{i.id}: {s!r} not on p{i.page}" for s in i.answer_text_contains if text_key(s) not in text_key(text)]
    return wrong


def test_sample_expected_answers_are_printed_where_the_set_says():
    cache = {p.name: _page_texts(p) for p in SAMPLE_DIR.glob("*.pdf")}
    assert _check_against_pdf(load_qa(SAMPLES), cache.__getitem__) == []


@pytest.mark.real
def test_real_expected_answers_are_printed_where_the_set_says():
    items = load_qa(REAL)
    cache: dict[str, list[str]] = {}

    def pages_of(name: str) -> list[str]:
        if name not in cache:
            cache[name] = _page_texts(real_pdf(name))
        return cache[name]

    assert _check_against_pdf(items, pages_of) == []


def test_plan_skips_questions_whose_document_is_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGET_QA_REAL_DIR", str(tmp_path / "no_real_here"))
    (qa_set,) = plan([REAL])
    assert qa_set.corpus == "real" and qa_set.runnable == []
    assert any("putuo_justice_2026_dept_budget.pdf" in line for line in qa_set.skipped)
    (sample_set,) = plan([SAMPLES])
    assert sample_set.corpus == "samples" and len(sample_set.runnable) == len(sample_set.items)


def test_malformed_qa_line_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "?", "category": "table_lookup"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(QAFileError, match=r"bad.jsonl:2"):
        load_qa(bad)


# --- scoring ---------------------------------------------------------------------------------------


def test_units_convert_between_yuan_and_wan_only():
    assert convert(Decimal("570500.00"), "元", "万元") == Decimal("57.05")
    assert convert(Decimal("795.56"), "万元", "元") == Decimal("7955600")
    assert convert(Decimal("11.55"), "%", "元") is None
    assert convert(Decimal("3"), "家", "个") == 3  # count units are interchangeable
    assert convert(Decimal("15"), "人", "万元") is None


def test_figure_accuracy_converts_units_and_allows_rounding():
    expected_wan = item(answer_value="57.05", unit="万元")
    assert figure_correct(expected_wan, answer("570,500.00", "元"))
    assert not figure_correct(expected_wan, answer("570500", "万元"))
    assert not figure_correct(expected_wan, answer("570500.00", "元", status="refused"))
    growth = item(answer_value="11.55", unit="%")
    assert figure_correct(growth, answer("11.5454", "%"))
    assert not figure_correct(growth, answer("11.53", "%"))
    assert not figure_correct(growth, answer("11.55", "元"))
    assert figure_correct(item(answer_value="7955559.34", unit="元"), answer("795.555934", "万元"))
    assert figure_correct(item(category="prose", answer_text_contains=["良好"]), answer()) is None


def test_refusal_precision_and_recall():
    should, should_not = item(category="refusal"), item(answer_value="1", unit="个")
    results = [
        ItemResult(item=should, corpus="samples", answer=answer(status="refused")),  # true refusal
        ItemResult(item=should, corpus="samples", answer=answer("5", "元")),  # answered a refusal
        ItemResult(item=should_not, corpus="samples", answer=answer(status="refused")),  # false refusal
        ItemResult(item=should_not, corpus="samples", answer=answer("1", "个")),
        ItemResult(item=should_not, corpus="samples", answer=answer("1", "个")),
    ]
    m = summarize(results)
    assert m["refusal_precision"] == 0.5 and m["refusal_recall"] == 0.5
    assert m["refused"] == 2 and m["should_refuse"] == 2
    assert [r.misses() for r in results[:3]] == [[], ["应拒答却作答"], ["不应拒答却拒答"]]
    assert m["misses"] == 2


def test_latency_median_and_p95():
    results = [ItemResult(item=item(), corpus="samples", answer=answer(), latency_ms=float(ms)) for ms in range(1, 21)]
    m = summarize(results)
    assert m["latency_median_ms"] == 10.5 and m["latency_p95_ms"] == 19.0


def _stored_pages(data_dir: Path):
    from index.store.facts import FactsStore
    from qa.evaluation.run import page_text_reader

    return page_text_reader(FactsStore(data_dir / "facts.sqlite3"))


def test_citation_must_point_at_a_page_that_prints_the_figure(facts_only_data_dir):
    pages = _stored_pages(facts_only_data_dir)
    w = WAIBAN.name
    admin = item(answer_value="3556912.28", unit="元", document=w, page=9)  # 行政运行, 表3

    def cite(page, value=None):
        return answer("3556912.28", "元", citations=[Citation(document=w, page=page, value=value)])

    assert citation_correct(admin, cite(9), pages)  # the expected page
    assert citation_correct(admin, cite(12), pages)  # 表5 prints the same figure
    assert not citation_correct(admin, cite(7), pages)  # 表2 prints 3,573,232.28 instead
    assert not citation_correct(admin, answer("3556912.28", "元"), pages)  # no citation at all
    in_wan = item(answer_value="57.05", unit="万元", document=w, page=12)
    assert citation_correct(in_wan, cite(16), pages)  # 表7 prints 570,500.00 元
    share = item(answer_value="65.56", unit="%", document=w, page=9, category="calculation")
    assert citation_correct(share, cite(12, value="5215620.22"), pages)  # cites an input printed there
    assert not citation_correct(share, cite(1, value="5215620.22"), pages)
    prose = item(category="prose", answer_text_contains=["涉外管理科"], document=w, page=1)
    assert citation_correct(prose, cite(1), pages)
    assert not citation_correct(prose, cite(5), pages)
    assert citation_correct(item(category="refusal"), answer(status="refused"), pages) is None


def test_text_hits_ignore_thousands_separators_and_spaces():
    agree = item(category="confusable", answer_text_contains=["3573232.28", "3556912.28"])
    said = "表2 为 3,573,232.28 元，表3 为 3,556,912.28 元，两表不一致。"
    assert text_contains(agree, answer(text=said))
    assert not text_contains(agree, answer(text="表3 为 3,556,912.28 元"))
    assert text_contains(item(), answer(text=said)) is None


def test_faithfulness_flags_numbers_without_a_citation():
    quote = Citation(document="d.pdf", page=1, quote="2020 年收入预算 7,955,559.34 元，增长 11.55%")
    ok = answer("7955559.34", "元", citations=[quote], text="2020年收入预算为 7,955,559.34 元（约 795.56 万元），增长 11.55%。")
    assert unsupported_numbers(ok) == []
    made_up = answer("7955559.34", "元", citations=[quote], text="收入预算 7,955,559.34 元，比上年增加 823,436.71 元。")
    assert unsupported_numbers(made_up) == ["823,436.71"]
    computed = answer("65.56", "%", citations=[quote], text="占比 65.56%。", method="calculation")
    assert unsupported_numbers(computed) == []
    in_wan = Citation(document="d.pdf", page=6, table="表9", quote="收入预算 9,101.68 万元")
    marked = answer("91016775.35", "元", citations=[in_wan], text="收入预算 91,016,775.35 元[1]（见表9第6页）")
    assert unsupported_numbers(marked) == []


def test_a_miss_is_described_in_chinese():
    from qa.evaluation.report import _miss_markdown

    wrong = ItemResult(item=item(answer_value="2217.48", unit="元"), corpus="samples", answer=answer("2000", "元"))
    assert "- 实际：已回答；数字：2000 元；方法：lookup；引用：无" in _miss_markdown(wrong)
    refused = ItemResult(item=item(answer_value="2217.48", unit="元"), corpus="samples",
                         answer=answer(status="refused"))
    assert "- 实际：拒答；数字：—；方法：lookup；引用：无" in _miss_markdown(refused)


# --- the CI gate -------------------------------------------------------------------------------------


def test_sample_figure_accuracy_meets_the_threshold(sample_copy, tmp_path):
    """End to end: ``budget-qa eval samples.jsonl`` on the ingested samples; fails CI below the threshold."""
    from qa.cli.main import main

    reports = tmp_path / "reports"
    code = main(["eval", str(SAMPLES), "--data-dir", str(sample_copy), "--report-dir", str(reports),
                 "--min-accuracy", str(CI_SAMPLE_THRESHOLD), "--json"])
    data = json.loads((reports / "qa_report.json").read_text(encoding="utf-8"))
    samples = data["by_corpus"]["samples"]
    assert samples["questions"] == len(load_qa(SAMPLES))
    assert samples["figure_accuracy"] >= CI_SAMPLE_THRESHOLD >= DEFAULT_MIN_ACCURACY, (reports / "qa_report.md").read_text(encoding="utf-8")
    assert code == 0
    assert len(data["misses"]) == samples["misses"]
    assert "## 未命中" in (reports / "qa_report.md").read_text(encoding="utf-8")


def test_eval_with_missing_file_is_a_clear_error(settings, capsys):
    from qa.cli.main import main

    assert main(["eval", "no/such/set.jsonl", "--data-dir", str(settings.data_dir)]) == 2
    assert capsys.readouterr().err == "✗ 问答集不存在：no/such/set.jsonl\n"


def test_a_choice_between_same_named_departments_is_the_question_with_the_full_name():
    """The eval follows a "which 商务委?" refusal only through the reading that names the department asked
    about and changes nothing else; a rephrased reading is another question, and its answer is not this one's."""
    from qa.evaluation.run import _names_instead

    publisher = "上海市普陀区商务委员会"
    assert _names_instead("商务委项目支出多少", "上海市普陀区商务委员会项目支出多少", publisher)
    assert not _names_instead("商务委项目支出多少", "重庆市商务委员会项目支出多少", publisher)
    assert not _names_instead("商务委项目支出多少", "上海市普陀区商务委员会2025年项目支出是多少？", publisher)
    assert not _names_instead("深圳审计局2025年三公经费年初预算", "深圳市审计局2026年三公经费是多少？", "深圳市审计局")
    assert not _names_instead(f"{publisher}项目支出多少", f"{publisher}项目支出多少", publisher)  # nothing chosen
