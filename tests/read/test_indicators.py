"""Performance targets read from 绩效目标表s, one per printed line: the bundled sample, and real layouts from
../shared (skipped with a reason when absent). Every expected figure was read off the PDF page named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.read.parse import parse_pdf
from tests.conftest import real_pdf, wild_pdfs


def targets(document) -> dict[tuple[str | None, str], tuple[str, Decimal, str, int]]:
    return {(i.project, i.name): (i.relation, i.value, i.unit, i.page) for i in document.indicators}


def test_a_sample_target_with_its_relation_and_unit_in_one_cell(parsed_samples):
    """xicheng-waiban-2020 p24: 外事工作经费 | 效果指标 | 服务对象满意度指标 | 指标2：区内居民对工作的满意度 | ≥90%."""
    found = targets(parsed_samples["xicheng-waiban-2020.pdf"])
    assert found[("外事工作经费", "区内居民对工作的满意度")] == ("≥", Decimal("90"), "%", 24)
    assert targets(parsed_samples["xicheng-zfb-2020.pdf"]) == {}  # no 绩效目标表: nothing read


@pytest.mark.real
def test_targets_per_project_over_pages_and_in_a_department_table():
    """北京市审计局 预算12表 (p12–19, header on p12 only) and 预算13表 (p20, levels glued into one column)."""
    document = parse_pdf(real_pdf("beijing_audit_bureau_2026_dept_budget_TABLES.pdf"))
    found = targets(document)
    assert found[("《北京审计》杂志办刊经费", "每期印刷数量")] == ("=", Decimal("900"), "册", 12)
    assert found[("《北京审计》杂志办刊经费", "刊物印刷频率")] == ("=", Decimal("4"), "期/年", 12)
    # p13 continues the table without its header: the columns and the project carry on
    assert found[("审计质量管理经费", "检查档案数量")] == ("≥", Decimal("30"), "套", 13)
    assert found[("审计业务", "完成审计项目数量")] == ("≥", Decimal("77"), "项", 20)
    # 定性 | 优: no figure, not a target read
    assert not any(name == "保障部门稳定运行" for _, name in found)
    line = next(i.line for i in document.indicators if i.name == "每期印刷数量")
    assert line == "《北京审计》杂志办刊经费｜产出指标｜数量指标｜每期印刷数量｜＝900｜册"


@pytest.mark.real
def test_a_one_project_form_with_the_bound_in_the_value():
    """烟台市委宣传部 p29: 项目名称 | 城市综合营销和对外宣传专项资金 above; 召开新闻发布会活动次数 | ≥90场
    (the file prints the project's form again on p37)."""
    document = parse_pdf(wild_pdfs("025_烟台__2026年烟台市宣传部部门预算.pdf")[0])
    found = {(i.project, i.name, i.relation, i.value, i.unit, i.page) for i in document.indicators}
    project = "城市综合营销和对外宣传专项资金"
    assert (project, "召开新闻发布会活动次数", "≥", Decimal("90"), "场", 29) in found
    assert (project, "项目总成本控制", "≤", Decimal("2890"), "万元", 29) in found


@pytest.mark.real
def test_a_target_column_under_a_money_unit_holds_no_amounts():
    """重庆市科学技术局 表十二 (万元) p28: 指标名称/指标值 prints 365 (天), 2900 (人): targets, never 365 万元."""
    from index.store.facts import table_facts

    document = parse_pdf(wild_pdfs("004_重庆__2026年重庆市科学技术局部门预算.pdf")[0])
    assert not [f for f, *_ in table_facts(document) if "指标值" in f.column]
    found = targets(document)
    assert found[("科学事务管理", "保障机关运行天数")] == ("≥", Decimal("365"), "天", 28)
    assert found[("科学事务管理", "转改制院所保障经费发放人数")] == ("≥", Decimal("2900"), "人", 28)
