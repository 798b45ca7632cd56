"""A part of a measure only the text states (政府采购货物类项目, 政府采购项目中服务类项目, 政府采购货物预算), on
disclosures of ../shared/wild (skipped with a reason when absent): answered with the part's own figure, never
with the measure's total; and a measure stated after its subject. Every expected value was read off the PDF page named beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import ingested, wild_pdfs

pytestmark = pytest.mark.real

FILES = ("003_深圳__2026年深圳市统计局部门预算.pdf", "001_上海__2026年上海市政府办公厅_部门预算.pdf")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs(*FILES), "purchase_wild").engine


@pytest.mark.parametrize("question, value, page", [
    # p9: "…政府采购项目共有94.28万元，其中：货物类项目8.00万元、工程类项目0.00万元、服务类项目86.28万元。"
    ("深圳市统计局（本级）2026年政府采购项目中服务类项目是多少万元？", "86.28", 9),
    ("深圳市统计局2026年政府采购货物类项目是多少万元？", "8.00", 9),
    # p16: "政府采购预算120.00万元，其中：政府采购货物预算120.00万元、…服务预算0万元" — part and total print alike.
    ("上海市人民政府办公厅文印中心2026年政府采购货物预算是多少万元？", "120.00", 16),
    ("上海市人民政府办公厅文印中心2026年政府采购服务预算是多少万元？", "0", 16),
])
def test_part_of_a_stated_measure(engine, question, value, page):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "万元")
    assert [c.page for c in answer.citations][:1] == [page]


def test_a_measure_stated_after_its_subject_in_one_sentence(engine):
    # p16: "项目绩效目标1个，涉及项目预算资金120.00万元。" — the subject's count stands between it and the measure.
    answer = engine.ask("上海市人民政府办公厅文印中心2026年项目绩效目标涉及项目预算资金多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("120.00"), "万元")
    assert [c.page for c in answer.citations][:1] == [16]

