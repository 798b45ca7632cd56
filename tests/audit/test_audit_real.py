"""The figure audit on third-party disclosures (../shared/real, skipped when absent).

putuo_justice_2026: its reviewer's check sheet lists real errors; the audit must reproduce the
numeric ones and nothing it reports may be a false alarm. The other disclosures (Shanghai, the
Beijing 说明 + 报表 pair as one group, Shenzhen, a 决算) must not drown users in false alarms:
each finding below was checked by hand against the PDF.
"""

from __future__ import annotations

import pytest

from index.core.settings import Settings
from index.ingest import Ingestor
from index.store.facts import FactsStore
from qa.audit.run import run_audit
from tests.conftest import real_pdf

pytestmark = pytest.mark.real

JUSTICE = "putuo_justice_2026_dept_budget.pdf"
BEIJING = ["beijing_audit_bureau_2026_dept_budget_NARRATIVE.pdf", "beijing_audit_bureau_2026_dept_budget_TABLES.pdf"]
OTHERS = [
    "putuo_commerce_2025_dept_budget.pdf",
    "putuo_gov_office_2025_dept_budget.pdf",
    "putuo_wanli_street_2024_dept_budget.pdf",
    "putuo_wanli_street_2025_dept_budget.pdf",
    "shenzhen_audit_bureau_2026_dept_budget.pdf",
    "putuo_finance_bureau_2024_dept_final_account.pdf",
]


def audited(tmp_path_factory, names, group=None):
    data_dir = tmp_path_factory.mktemp("audit_real") / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest([real_pdf(n) for n in names], group=group)
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    findings = run_audit(FactsStore(data_dir / "facts.sqlite3"))
    return {name: [f for f in findings if f.locations[0].document == name] for name in names}


@pytest.fixture(scope="module")
def justice(tmp_path_factory):
    return audited(tmp_path_factory, [JUSTICE])[JUSTICE]


def test_check_sheet_item_4_increase_that_is_a_fall(justice):
    """"2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%"."""
    [f] = [f for f in justice if f.kind == "narrative_arithmetic" and "17.62" in f.figures]
    assert f.severity == "error" and "方向相反" in f.message and "「其他司法支出」" in f.message
    assert f.figures[:2] == ["3845.49", "43269.3"] and f.locations[0].page == 9
    # The printed rate fits 3845.49 over 3269.3: the base, not the direction, is what was misprinted.
    assert "所写增长率与上年数 3,269.3万元 相符" in f.message


def test_check_sheet_item_6_housing_fund_stated_twice(justice):
    """"住房公积金（01项）208.8万元" but "2026年预算安排201.50万元" (表 2,087,959 元 and the 5.27% fit 208.8)."""
    [f] = [f for f in justice if f.kind == "narrative_consistency"]
    assert f.figures == ["208.8", "201.50"] and "(2210201)" in f.message and "5.27% 与 208.8万元 相符" in f.message
    assert not [g for g in justice if g.kind == "narrative_arithmetic" and "5.27" in g.figures]  # one finding, not two


def test_check_sheet_item_1_five_comparisons_with_the_same_year(justice):
    years = [f for f in justice if f.kind == "narrative_year"]
    assert len(years) == 5 and all("2026年预算" in f.message for f in years)
    assert sorted(f.locations[0].page for f in years) == [7, 8, 8, 8, 8]


def test_check_sheet_item_5_class_name(justice):
    [f] = [f for f in justice if f.kind == "narrative_name"]
    assert "「医疗卫生与计划生育支出」(210)" in f.message and "「卫生健康支出」" in f.message


def test_justice_also_finds_a_copied_growth_rate_and_nothing_else(justice):
    """职业年金: (91.97 − 77.99) / 77.99 = 17.93%, the text repeats 养老保险's 17.66% — a real error."""
    [f] = [f for f in justice if f.kind == "narrative_arithmetic" and "17.66" in f.figures]
    assert "「机关事业单位职业年金缴费支出」" in f.message and "17.93%" in f.message
    assert len(justice) == 9  # the 4 check-sheet items (5 year findings) + this one


@pytest.fixture(scope="module")
def others(tmp_path_factory):
    found = audited(tmp_path_factory, OTHERS)
    found.update(audited(tmp_path_factory, BEIJING, group="北京市审计局2026年部门预算"))
    return found


def test_other_disclosures_have_only_their_real_errors(others):
    counts = {name: len(found) for name, found in others.items()}
    assert counts == {name: 0 for name in OTHERS + BEIJING} | {
        "putuo_wanli_street_2024_dept_budget.pdf": 1,
        "putuo_wanli_street_2025_dept_budget.pdf": 1,
    }


def test_wanli_2024_housing_fund_stated_twice(others):
    """"住房公积金（项）”350.35万元" then "2024年预算安排352.67万元"; 0.53% fits 350.35 (表 3,503,499 元)."""
    [f] = others["putuo_wanli_street_2024_dept_budget.pdf"]
    assert f.kind == "narrative_consistency" and f.figures == ["350.35", "352.67"]


def test_wanli_2025_item_named_at_the_wrong_level(others):
    """"卫生健康支出（类）卫生健康支出（款）计划生育事务（项）" — in the tables 计划生育事务 is 款 21007."""
    [f] = others["putuo_wanli_street_2025_dept_budget.pdf"]
    assert f.kind == "narrative_name" and f.severity == "warning" and "21007" in f.message
