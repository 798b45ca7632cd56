"""Questions on 绩效目标表 targets over real disclosures of ../shared (skipped with a reason when absent): the
target the question names, in the unit it asks, of the project it names; several projects' targets of one name
and no project named: refused. Every expected value was read off the PDF page named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import answered, ingested, real_pdf, wild_pdfs

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    paths = [real_pdf("beijing_audit_bureau_2026_dept_budget_TABLES.pdf"), *wild_pdfs("025_烟台__2026年烟台市宣传部部门预算.pdf")]
    return ingested(tmp_path_factory, paths, "indicators_wild").engine


def test_a_projects_target_named_in_the_question(engine):
    """预算12表 p12: 《北京审计》杂志办刊经费 | 产出指标 | 数量指标 | 每期印刷数量 | ＝ | 900 | 册."""
    value, unit, text = answered(engine, "北京市审计局2026年《北京审计》杂志每期印刷多少册")
    assert (value, unit) == (Decimal("900"), "册") and "每期印刷数量｜＝900｜册" in text


def test_a_target_asked_with_至少_is_its_bound_not_a_change(engine):
    """p29: 召开新闻发布会活动次数 | ≥90场; "至少多少场" asks the bound (it was read as 少多少, a decrease)."""
    question = "中共烟台市委宣传部2026年城市综合营销和对外宣传专项资金绩效目标要求召开新闻发布会活动至少多少场"
    value, unit, text = answered(engine, question)
    assert (value, unit) == (Decimal("90"), "场") and "不低于" in text


def test_a_count_asked_of_a_fund_named_is_never_the_funds_amount(engine):
    """The project's 2,890.00 万元 (公开表11) was answered to "…专项资金…有几场": 资金 inside a name asks no amount."""
    value, unit, _ = answered(engine, "中共烟台市委宣传部2026年城市综合营销和对外宣传专项资金召开新闻发布会活动有几场")
    assert (value, unit) == (Decimal("90"), "场")
    answer = engine.ask("中共烟台市委宣传部2026年城市综合营销和对外宣传专项资金召开座谈会有几场")
    assert answer.status == "refused" and answer.value is None


def test_the_department_tables_target_of_an_activity(engine):
    """预算13表 p20: 审计业务 | 产出指标数量指标完成审计项目数量 | ≥ | 77 | 项."""
    value, unit, _ = answered(engine, "北京市审计局2026年部门整体支出绩效目标表中审计业务完成审计项目数量指标是多少项")
    assert (value, unit) == (Decimal("77"), "项")


def test_a_target_every_project_sets_is_refused_without_the_project(engine):
    """12月底前支出进度 = 100 % is set by 《北京审计》杂志办刊经费 and others: which one is not said."""
    answer = engine.ask("北京市审计局2026年12月底前支出进度指标是多少")
    assert answer.status == "refused" and answer.value is None
    value, unit, _ = answered(engine, "北京市审计局2026年《北京审计》杂志办刊经费12月底前支出进度指标是多少")
    assert (value, unit) == (Decimal("100"), "%")
