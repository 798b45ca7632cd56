"""An amount the disclosure states is nil ("本单位无机关运行经费。") is answered 0, quoting the sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.core.model import Block
from index.read.narrative import extract_narrative_facts
from qa.cli.main import main
from qa.services import Services
from tests.conftest import REAL_DIR, WILD_DIR, make_settings

# 表9 prints 机关运行经费预算数 blank; the text says "二、机关运行经费预算 本单位无机关运行经费。"
SHANGHAI_UNIT = "001_上海__2026年上海市交通运输局_部门预算.pdf"


def nil(text: str) -> list[tuple[str, Decimal]]:
    block = Block(kind="paragraph", text=text, page=1, bbox=(0, 0, 1, 1))
    return [(f.measure, f.value) for f in extract_narrative_facts([block], 2026) if f.text == "无"]


def test_each_amount_a_sentence_says_is_nil_is_read():
    assert nil("本单位无机关运行经费。") == [("机关运行经费", 0)]
    assert nil("本单位无政府性基金预算支出、国有资本经营预算支出。") == [("政府性基金预算支出", 0), ("国有资本经营预算支出", 0)]
    assert nil("本部门2024年无三公经费和机关运行经费预算，故本表为空表。") == [("三公经费", 0), ("机关运行经费预算", 0)]


def test_what_is_no_amount_is_not_read_as_nil():
    assert nil("本部门无独立核算下属单位，部门预算为本级预算。") == []
    assert nil("本部门2026年无重点行政事业性收费。") == []
    assert nil("主要是2026年无新增采购大型设备计划。") == []


@pytest.mark.real
def test_a_nil_amount_is_answered_from_the_sentence(tmp_path):
    path = WILD_DIR / SHANGHAI_UNIT
    if not path.exists():
        pytest.skip(f"{WILD_DIR} is absent: the wild disclosures are third-party files, not committed")
    assert main(["ingest", str(path), "--data-dir", str(tmp_path), "--no-progress"]) == 0
    answer = Services(make_settings(tmp_path)).engine.ask("上海交通职业技术学院2026年机关运行经费是多少？")
    assert answer.status == "answered" and Decimal(answer.value) == 0, answer.answer
    assert "本单位无机关运行经费" in answer.answer and answer.citations[0].page == 21


@pytest.mark.real
def test_a_nil_amount_answers_no_other_name_mentioned_near_it(tmp_path):
    """深圳审计局 p15: "涉密项目按要求不予公开" then "本单位无政府性基金预算支出、…预算支出。": the nil amounts are
    no budget of the 涉密项目."""
    path = REAL_DIR / "shenzhen_audit_bureau_2026_dept_budget.pdf"
    if not path.exists():
        pytest.skip(f"{REAL_DIR} is absent: the real disclosures are third-party files, not committed")
    assert main(["ingest", str(path), "--data-dir", str(tmp_path), "--no-progress"]) == 0
    engine = Services(make_settings(tmp_path)).engine
    assert engine.ask("深圳审计局涉密项目预算是多少").value is None
    answer = engine.ask("深圳市审计局2026年政府性基金预算支出是多少？")
    assert answer.value is None or Decimal(answer.value) == 0, answer.answer


@pytest.mark.real
def test_a_word_written_before_a_stated_measure_narrows_it(tmp_path):
    """深圳审计局 p11: "5.综合管理918.01万元…". A word before the measure that the text never says (无人机) names
    another thing: 918.01 was answered for "无人机综合管理项目经费"."""
    path = REAL_DIR / "shenzhen_audit_bureau_2026_dept_budget.pdf"
    if not path.exists():
        pytest.skip(f"{REAL_DIR} is absent: the real disclosures are third-party files, not committed")
    assert main(["ingest", str(path), "--data-dir", str(tmp_path), "--no-progress"]) == 0
    engine = Services(make_settings(tmp_path)).engine
    assert Decimal(engine.ask("深圳审计局综合管理项目经费").value) == Decimal("918.01")
    answer = engine.ask("深圳审计局无人机综合管理项目经费")
    assert answer.status == "refused" and answer.value is None and "无人机" in answer.answer, answer.answer
