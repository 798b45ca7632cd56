"""A one-project form printed as label | value pairs (重庆's 表十一《市级重点专项资金绩效目标表》), on a disclosure of
../shared/wild (skipped with a reason when absent). p26 prints:

    项目名称 | 市商务发展专项 | 主管部门 | 重庆市商务委员会
    当年预算 | 46,794.00     | 市级支出 | 40,624.00
             |               | 补助区县 | 6,170.00

Read by columns, 当年预算 was answered with 40,624.00 (the 市级支出 printed in its line) and 补助区县 with nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import answered, ingested, wild_pdfs

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs("004_重庆__2026年重庆市商务委员会部门预算.pdf"), "forms_wild").engine


@pytest.mark.parametrize("question, value", [
    ("重庆市商务委员会2026年市商务发展专项当年预算是多少万元？", "46794.00"),
    ("重庆市商务委员会2026年市商务发展专项市级支出是多少万元？", "40624.00"),
    ("重庆市商务委员会2026年市商务发展专项补助区县多少万元？", "6170.00"),
    # 市级支出 written with the line it is printed as a part of: that part, not "同一项还是几项不明确".
    ("重庆市商务委员会2026年市商务发展专项市级支出当年预算是多少万元？", "40624.00"),
])
def test_each_figure_of_a_pair_form_is_its_own_labels(engine, question, value):
    got, unit, text = answered(engine, question)
    assert (got, unit) == (Decimal(value), "万元") and "表十一" in text and "第26页" in text


def test_a_pair_forms_targets_are_no_amounts(engine):
    """The same form's 指标名称 | 指标值 lines (重要商品储备数量 ≥ 7500 吨) are text after the pairs: never 7,500 万元."""
    answer = engine.ask("重庆市商务委员会2026年市商务发展专项重要商品储备数量是多少万元？")
    assert not (answer.value is not None and Decimal(answer.value) == 7500 and answer.unit == "万元"), answer.answer


def test_a_line_and_its_printed_part_are_not_added(engine):
    """市级支出 and 补助区县 are printed as parts of 当年预算: their sum is 当年预算 (46,794.00); 当年预算 + 补助区县 counts
    6,170.00 twice."""
    got, _, _ = answered(engine, "重庆市商务委员会2026年市商务发展专项市级支出和补助区县合计")
    assert got == Decimal("46794.00")
    answer = engine.ask("重庆市商务委员会2026年市商务发展专项当年预算和补助区县合计")
    assert answer.status == "refused" and answer.value is None and "not_its_own_part" in answer.checks, answer.answer


def test_an_amount_asked_in_元_of_a_万元_table_is_given_in_both(engine):
    got, unit, text = answered(engine, "重庆市商务委员会2026年市商务发展专项当年预算是多少元？")
    assert (got, unit) == (Decimal("46794.00"), "万元") and "46,794.00万元（467,940,000元）" in text
