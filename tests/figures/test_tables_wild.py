"""Table questions on disclosures from ../shared/wild (skipped with a reason when the folder is absent),
ingested into a store of their own: what is read from which table, and what is refused and why.

    重庆市气象局 表二 (digits in a font whose boxes hang below their line) answers 行政运行 5,389.50万元;
    表一's bare "合计" is 收入合计 under 收入 and 支出合计 under 支出.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.core.settings import Settings
from index.ingest import Ingestor
from qa.answer.engine import AnswerEngine
from qa.services import Services
from tests.conftest import WILD_DIR, answered, real_pdf

pytestmark = pytest.mark.real
FILES = (
    "004_重庆__2026年重庆市气象局部门预算.pdf",  # 表二's digits hang below their line; 表一 bare 合计 rows
    "004_重庆__2026年重庆市人民政府办公厅部门预算.pdf",  # 表五 prints 2025年预算数 beside 2026年预算数
    "005_广州__2026年广州市人民政府办公厅部门预算.pdf",  # "[2010301]行政运行"; 一般公共预算基本支出情况表
    "025_烟台__2026年烟台市宣传部部门预算.pdf",  # 类 | 款 | 项 each printed on its own row
    "025_烟台__2026年烟台市司法局部门预算.pdf",  # 公开表7 prints 2025年 and 2026年 三公经费
    "005_广州__司法局_2026年部门预算.pdf",  # 车辆129辆 in the text
    "003_深圳__2026年深圳市人民政府口岸办公室部门预算.pdf",  # 收支总表 row 上年结余、结转
    "006_苏州__2026年苏州市应急管理局部门预算.pdf",  # 一般公共预算“三公”经费、会议费、培训费支出表
    "003_深圳__2026年深圳市审计局部门预算.pdf",  # 表9: a 2025年 row and a 2026年 row
    "020_西安__卫生健康委员会_2026年部门预算.pdf",  # a table row named "2022年底"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    paths = [WILD_DIR / name for name in FILES]
    missing = [p for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} is absent: the wild disclosures are third-party files, not committed")
    data_dir = tmp_path_factory.mktemp("wild_tables") / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest(paths)
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(Settings(data_dir=data_dir)).engine


def test_a_table_whose_digits_hang_below_their_line_is_read_and_answers(engine):
    """表二 was misread (its 3-line header hung into the 合计 row, "拨款收入" read as a row summing two 事业收入
    figures, 712.52) while its digits' font was taken for the page's: read on their baseline, it answers."""
    for question in ("重庆市气象局 财政拨款收入", "重庆市气象局 拨款收入"):
        assert engine.ask(question).value != "712.52"
    value, unit, text = answered(engine, "重庆市气象局2026年部门收入总体情况表中行政运行是多少万元？")
    assert (value, unit) == (Decimal("5389.50"), "万元") and "表二" in text


def test_a_fund_before_its_column_stays_a_qualifier_once_the_fund_is_a_column_too(engine):
    """Read right, 表四 prints 支出/一般公共预算: "一般公共预算基本支出比2025年增加" is still the 基本支出 the text
    states the change of (994.5万元), not 表二's 一般公共预算拨款收入 against 基本支出 (refused before)."""
    value, unit, text = answered(engine, "重庆市气象局2026年一般公共预算基本支出比2025年增加了多少万元？")
    assert (value, unit) == (Decimal("994.5"), "万元") and "比2025年增加994.5万元" in text


def test_a_bare_total_of_a_two_sided_table_is_each_sides_total(engine):
    value, unit, text = answered(engine, "重庆市气象局2026年部门收支总体情况表中收入合计是多少万元？")
    assert (value, unit) == (Decimal("14770.62"), "万元") and "“收入/预算数”列" in text
    value, unit, text = answered(engine, "重庆市气象局2026年部门收支总体情况表中支出合计是多少万元？")
    assert (value, unit) == (Decimal("14770.62"), "万元") and "“支出/预算数”列" in text


def test_a_column_named_with_its_year_is_read_whatever_the_documents_year(engine):
    value, unit, text = answered(engine, "重庆市人民政府办公厅2026年一般公共预算支出情况表中“行政运行”的2025年预算数是多少万元？")
    assert (value, unit) == (Decimal("6077.49"), "万元") and "“2025年预算数”列" in text
    value, _, _ = answered(engine, "重庆市人民政府办公厅2026年一般公共预算支出情况表中“行政运行”是多少万元？")
    assert value == Decimal("6342.71")  # unasked, the year's own column


def test_a_change_against_a_year_whose_column_is_named_reads_the_current_figure_without_it(engine):
    """表五 p15 合计: 2025年预算数 15,635.80, 2026年预算数/总计 18,417.70 → 17.79%, never 2025 against itself."""
    answer = engine.ask("重庆市人民政府办公厅2026年一般公共预算支出比2025年预算数增长了百分之几？（按一般公共预算支出情况表合计计算）")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("17.79"), "%")
    assert "18,417.70万元 − 15,635.80万元" in answer.answer


@pytest.mark.parametrize("question, value, unit", [
    # p5: "…以及1个法制教育管理所等17个二级预算单位。" — the count before its noun; 预算 in the noun is no column.
    ("广州市司法局2026年有多少个二级预算单位？", "17", "个"),
    # p5: "下属共有3所监狱，分别是…" — 几所 asks a count in 所.
    ("广州市司法局2026年下属有几所监狱？", "3", "所"),
])
def test_a_count_written_before_what_it_counts(engine, question, value, unit):
    found, found_unit, _ = answered(engine, question)
    assert (found, found_unit) == (Decimal(value), unit)


def test_a_code_printed_in_brackets_is_matched(engine):
    value, unit, text = answered(engine, "广州市人民政府办公厅2026年一般公共预算支出情况表（按功能分类科目）中2010301行政运行的金额是多少？")
    assert (value, unit) == (Decimal("6853.85"), "万元") and "2010301 行政运行" in text
    value, _, text = answered(engine, "广州市司法局2026年一般公共预算支出情况表中监狱“行政运行”（2040701）是多少万元？")
    assert value == Decimal("33703.50") and "2040701 行政运行" in text  # the 行政运行 under 监狱, not 司法's


def test_a_row_and_column_that_name_a_table_ask_for_its_total(engine):
    value, unit, text = answered(engine, "广州市人民政府办公厅2026年一般公共预算基本支出是多少元？")
    assert (value, unit) == (Decimal("14913.65"), "万元") and "表6" in text and "“合计”行" in text


def test_general_public_budget_spending_is_the_total_of_its_own_table(engine):
    """一般公共预算支出 of a department is its 一般公共预算财政拨款支出: 表5's total, not a 一般公共预算 column elsewhere."""
    value, unit, text = answered(engine, "广州市人民政府办公厅2026年一般公共预算支出合计是多少万元？")
    assert (value, unit) == (Decimal("16410.71"), "万元") and "表5《一般公共预算支出情况表（按功能分类科目）》" in text


def test_an_item_in_the_basic_and_the_project_table_is_both_parts(engine):
    """委托业务费: 39.03 in 表6 (基本支出), 130.85 in 表7 (项目支出); the text states the whole, 169.88."""
    value, unit, text = answered(engine, "广州市人民政府办公厅2026年一般公共预算安排委托业务费多少万元？")
    assert (value, unit) == (Decimal("169.88"), "万元") and "第26页" in text
    value, _, text = answered(engine, "广州市人民政府办公厅2026年一般公共预算基本支出中委托业务费多少万元？")
    assert value == Decimal("39.03") and "表6" in text  # the basic part, when it is what is asked


def test_a_subject_path_of_kuan_and_xiang_is_one_row(engine):
    """"宣传事务一般行政管理事务": the 项 一般行政管理事务 under the 款 宣传事务 (2013302), one row."""
    value, unit, text = answered(engine, "中共烟台市委宣传部2026年宣传事务一般行政管理事务支出是多少万元")
    assert (value, unit) == (Decimal("1303.00"), "万元") and "2013302" in text


def test_a_label_without_its_prefix_and_a_year_beside_the_disclosures_name_the_column(engine):
    """"2026年部门预算公开表7中2025年…": 公开表7, and 2025 is the year asked (2026 names the disclosure)."""
    value, unit, text = answered(engine, "烟台市司法局2026年部门预算公开表7中2025年“三公”经费预算数合计是多少")
    assert (value, unit) == (Decimal("107.05"), "万元") and "“2025年预算数/合计”列" in text
    value, _, text = answered(engine, "烟台市司法局2026年部门预算公开表7中“三公”经费预算数合计是多少")
    assert value == Decimal("42.26") and "“2026年预算数/合计”列" in text


def test_the_disclosure_named_in_brackets_is_no_column(engine):
    value, unit, text = answered(engine, "截至2026年1月31日，广州市司法局有多少辆车？（2026年部门预算）")
    assert (value, unit) == (Decimal("129"), "辆") and "第49页" in text


def test_a_column_read_as_a_row_is_that_row_not_a_total_asked(engine):
    value, unit, text = answered(engine, "深圳市人民政府口岸办公室2026年上年结余、结转是多少万元？")
    assert (value, unit) == (Decimal("753.13"), "万元") and "“上年结余、结转”行" in text


def test_words_joined_inside_a_tables_name_are_not_items_asked(engine):
    value, unit, text = answered(engine, "2026年苏州市应急管理局一般公共预算“三公”经费、会议费、培训费支出表中培训费是多少")
    assert (value, unit) == (Decimal("105.00"), "万元") and "“培训费”列" in text


def test_a_row_dated_by_its_year_cell_is_that_years_figure(engine):
    value, unit, text = answered(engine, "深圳市审计局2026年三公经费中公务用车购置及运行维护费比2025年减少了多少万元？")
    assert (abs(value), unit) == (Decimal("32.40"), "万元") and "3.60万元 − 36.00万元" in text



def test_a_date_is_no_item_even_where_a_row_is_named_so(engine):
    value, unit, text = answered(engine, "西安市卫生健康委员会2022年度决算中截至2022年底人员编制多少人")
    assert (value, unit) == (Decimal("10964"), "人") and "第7页" in text


@pytest.fixture(scope="module")
def wanli(tmp_path_factory) -> AnswerEngine:
    """万里街道's 2024 and 2025 budgets (../shared/real), one index."""
    paths = [real_pdf(f"putuo_wanli_street_{year}_dept_budget.pdf") for year in (2024, 2025)]
    data_dir = tmp_path_factory.mktemp("wanli") / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest(paths)
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(Settings(data_dir=data_dir)).engine


def test_the_year_of_a_table_named_is_the_year_asked(wanli):
    value, unit, text = answered(wanli, "普陀区万里街道2024年部门支出预算总表中项目支出合计是多少元")
    assert (value, unit) == (Decimal("56505103"), "元") and "《2024年部门支出预算总表》第20页" in text


def test_a_holding_dated_before_a_year_is_read_from_that_years_budget(wanli):
    """The 2025 budget p30: "截至2024年8月31日，…共有车辆8辆"; the 2024 budget states 截至2023年8月31日's 7辆."""
    value, unit, text = answered(wanli, "万里街道截至2024年8月底有几辆车")
    assert (value, unit) == (Decimal("8"), "辆") and "第30页" in text


@pytest.fixture(scope="module")
def beijing_audit(tmp_path_factory) -> AnswerEngine:
    """北京市审计局's budget (../shared/real): its narrative and its tables, two files of one disclosure."""
    paths = [real_pdf(f"beijing_audit_bureau_2026_dept_budget_{part}.pdf") for part in ("NARRATIVE", "TABLES")]
    data_dir = tmp_path_factory.mktemp("beijing_audit") / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest(paths, group="北京市审计局2026年部门预算")
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(Settings(data_dir=data_dir)).engine


def test_a_column_group_and_its_column_name_a_column_of_the_total(beijing_audit):
    """预算02表 heads 上年结转结余 over 小计 … 单位资金: "上年结转结余的单位资金" is that column of the 合计 row."""
    value, unit, text = answered(beijing_audit, "北京市审计局2026年收入总表中上年结转结余的单位资金是多少")
    assert (value, unit) == (Decimal("35.117193"), "万元") and "“上年结转结余/单位资金”列" in text


def test_an_economic_classification_column_names_the_rows_items(beijing_audit):
    """预算03表/06表 key rows by 功能科目 or 政府经济分类 and print the 部门经济分类 ("30214-租赁费", "30302-退休费")
    beside them: p3 "2010806-信息化建设 50201-办公经费 30214-租赁费 2,180.712320"; p6 "30302-退休费 332.893000"."""
    value, unit, text = answered(beijing_audit, "北京市审计局2026年信息化建设（2010806）的租赁费预算是多少万元")
    assert (value, unit) == (Decimal("2180.712320"), "万元") and "2010806 信息化建设" in text
    value, unit, text = answered(beijing_audit, "北京市审计局2026年一般公共预算基本支出表中退休费（30302）合计是多少")
    assert (value, unit) == (Decimal("332.893000"), "万元") and "预算06表" in text
