"""Figures only the text states, named as a list or as "each quarter's", on 万里街道's budgets in ../shared/real
(skipped with a reason when absent). p33 of the 2024 budget (p31 of 2025's) is one project's 项目经费情况说明:
"…万里街道社区公共服务中心新建工程…六、年度预算安排 第一季度用款计划158.05万元，第二季度用款计划158.05万元，
第三季度用款计划158.05万元，第四季度用款计划158.05万元。" (15万元 each in 2025). Each wrong case below was
answered with the 部门支出预算总表's 合计 (15,621.11万元) or one quarter's figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import answered, ingested, real_pdf

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    paths = [real_pdf("putuo_wanli_street_2024_dept_budget.pdf"), real_pdf("putuo_wanli_street_2025_dept_budget.pdf")]
    return ingested(tmp_path_factory, paths, "listed_terms_real").engine


def test_words_no_table_prints_added_up_are_each_stated_figure(engine):
    value, unit, text = answered(engine, "普陀区万里街道办事处2024年第一季度用款计划和第二季度用款计划合计多少万元")
    assert (value, unit) == (Decimal("316.10"), "万元") and "158.05万元 + 158.05万元" in text


def test_each_quarters_figure_added_up(engine):
    value, unit, text = answered(
        engine, "普陀区万里街道办事处2024年预算中，万里街道社区公共服务中心新建工程四个季度用款计划合计多少万元")
    assert (value, unit) == (Decimal("632.20"), "万元") and "第四季度用款计划" in text
    value, _, _ = answered(engine, "普陀区万里街道办事处2025年各季度用款计划合计多少万元")
    assert value == Decimal("60")
    # 合计 with no 多少 still asks the sum (the table's 合计 was answered)
    value, _, _ = answered(engine, "普陀区万里街道办事处2024年四个季度用款计划合计")
    assert value == Decimal("632.20")


def test_each_quarters_figure_listed(engine):
    answer = engine.ask("普陀区万里街道办事处2024年每个季度用款计划是多少")
    assert answer.status == "answered", answer.answer
    assert all(f"第{n}季度用款计划”为158.05万元" in answer.answer for n in "一二三四")


@pytest.mark.parametrize("question", [
    # No 道路改造工程 anywhere: the 合计 of a word no name covers is not the table's 合计.
    "普陀区万里街道办事处2024年道路改造工程合计多少万元",
    # …nor is another project's quarter its quarter.
    "普陀区万里街道办事处2024年道路改造工程第一季度用款计划是多少",
])
def test_a_name_the_documents_lack_is_refused(engine, question):
    answer = engine.ask(question)
    assert answer.status == "refused" and answer.value is None, answer.answer
    assert "道路改造工程" in answer.answer


@pytest.mark.parametrize("question", ["普陀区万里街道办事处2024年第一季度用款计划和第五季度用款计划合计",
                                      "普陀区万里街道办事处2024年第一季度用款计划和第五季度用款计划合计多少万元"])
def test_a_sum_with_one_word_unstated_is_refused(engine, question):
    """No 第五季度: neither the table's 合计 (156,211,123元) nor the one quarter the text states (158.05) is the sum."""
    answer = engine.ask(question)
    assert answer.status == "refused" and answer.value is None, answer.answer


def test_a_word_every_quarter_shares_is_no_one_quarters_figure(engine):
    """季度用款计划 is part of four measures of one sentence: neither of them, and their 合计 is not 15."""
    answer = engine.ask("普陀区万里街道办事处2025年季度用款计划合计多少万元")
    assert answer.value is None, answer.answer


def test_中心_is_part_of_a_name(engine):
    """中 of 中心 was read as "within": the project became 社区公共服务 and a term 心新建工程…."""
    value, _, text = answered(engine, "普陀区万里街道办事处2024年社区公共服务中心新建工程第一季度用款计划是多少")
    assert value == Decimal("158.05") and "社区公共服务中心新建工程" in text
