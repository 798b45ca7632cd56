"""占比 over third-party disclosures (skipped with a reason when ../shared/wild or ../shared/real is absent):
a part only the text names, a whole named as the context ("三公经费中，…"), two sentences of one page, and a
whole that is a table column; and a measure printed with 和 for 及. Every expected value was read off the PDF
page named beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.core.settings import Settings
from index.ingest import Ingestor
from qa.answer.engine import AnswerEngine
from qa.services import Services
from tests.conftest import REAL_DIR, WILD_DIR

pytestmark = pytest.mark.real

FILES = (WILD_DIR / "002_北京__2026年北京市司法局部门预算.pdf",  # narrative only: 支出预算, 三公经费 in prose
         WILD_DIR / "002_北京__2026年北京市宣传部部门预算.pdf",
         REAL_DIR / "beijing_audit_bureau_2026_dept_budget_TABLES.pdf")  # tables only


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    missing = [p for p in FILES if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} is absent: third-party disclosures are not committed")
    data_dir = tmp_path_factory.mktemp("share_wild") / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest(list(FILES))
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(Settings(data_dir=data_dir)).engine


@pytest.mark.parametrize("question, value, pages", [
    # p7: "基本支出预算19170.50万元，占本年支出预算63.99%" — 基本支出预算 is no table's name here.
    ("北京市司法局2026年基本支出预算占本年支出预算的比重？", "63.99", {7}),
    # p8: 三公经费 102.11万元, 因公出国（境）费用 48.24万元; the whole is named before the part.
    ("北京市司法局2026年“三公”经费中，因公出国（境）费用占三公经费总额的比例是多少？", "47.24", {8}),
    # p6: 三公经费 231.43万元 and 因公出国（境）费用 218.57万元 are two sentences of one page.
    ("中国共产党北京市委员会宣传部2026年因公出国（境）费用占“三公”经费预算的比例是多少？", "94.44", {6}),
    # 预算09表 p9: 公务接待费 6 of the column "“三公”经费财政拨款预算总额" 244.848.
    ("北京市审计局2026年公务接待费占“三公”经费财政拨款预算总额的百分比", "2.45", {9}),
])
def test_share(engine, question, value, pages):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "%")
    assert {c.page for c in answer.citations} == pages
    assert answer.formula and "÷" in answer.formula


def test_a_measure_printed_with_he_for_ji(engine):
    # p8: "（三）公务用车购置和运行维护费。2026年预算数51.06万元，包括：公务用车购置费预算15.42万元、…运行维护费35.64万元"
    answer = engine.ask("北京市司法局2026年公务用车购置和运行维护费预算数是多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("51.06"), "万元")
    answer = engine.ask("北京市司法局2026年公务用车运行维护费预算是多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("35.64"), "万元")
