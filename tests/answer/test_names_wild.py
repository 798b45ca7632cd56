"""Publishers and measures named the way people write them, and a column named under both years, on
disclosures of ../shared/wild (skipped with a reason when absent). Every expected value was read off the PDF
page named.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.engine import AnswerEngine
from tests.conftest import ingested, wild_pdfs

pytestmark = pytest.mark.real

FILES = ("004_重庆__2026年重庆市人民政府办公厅部门预算.pdf", "005_广州__2026年广州市人民政府办公厅部门预算.pdf",
         "020_西安__2026年西安市统计局部门预算.pdf", "002_北京__2026年北京市民政局部门预算.pdf",
         "004_重庆__2026年重庆市科学技术局部门预算.pdf")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    return ingested(tmp_path_factory, wild_pdfs(*FILES), "names_wild").engine


def test_a_city_office_by_its_everyday_short_name(engine):
    # p17 表8: （三）公务接待费支出 11.26万元. 府办 is how 人民政府办公厅 is said, as for 办公室.
    answer = engine.ask("广州市府办2026年公务接待费多少钱？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("11.26"), "万元")
    assert "广州市人民政府办公厅" in answer.answer


def test_a_publisher_written_out_in_brackets_is_one_publisher(engine):
    # 表八 p20: 2025年预算数/合计 396.97, 2026年预算数/合计 394.49; p3 states 较2025年减少2.48万元.
    answer = engine.ask("重庆市政府办公厅（重庆市人民政府办公厅）2026年三公经费比2025年减少了多少？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("2.48"), "万元")
    assert "394.49万元 − 396.97万元" in answer.answer


def test_a_column_printed_under_last_year_and_this_year_is_this_years(engine):
    # 表13 p39 prints 上年/培训费 29.54万元 before 当年/培训费 77.5万元; p21 states 增长162.36%.
    answer = engine.ask("西安市统计局2026年培训费预算是多少万元")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("77.5"), "万元")
    answer = engine.ask("西安市统计局2026年培训费预算比上年增长百分之几")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("162.36"), "%")


@pytest.mark.parametrize("question, value, page", [
    # p2: "2026年年初预算数19,230.18万元" (表二 p10 总计 the same): 收入预算 starts a word after 年初.
    ("重庆市人民政府办公厅2026年年初收入预算数是多少万元？", "19230.18", 10),
    # p6: "2026年支出预算71094.17万元，比2025年年初预算数69043.50万元增加…": …部门预算中 then 支出预算.
    ("北京市民政局2026年度部门预算中支出预算是多少万元？", "71094.17", 6),
])
def test_a_total_measure_written_after_another_word(engine, question, value, page):
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal(value), "万元")
    assert page in [c.page for c in answer.citations]


def test_a_part_of_a_stated_measure_is_not_held_against_its_whole(engine):
    # 表五 p15 合计 2026年预算数/项目支出 9,399.23; p3 states 一般公共预算财政拨款支出 18,417.70万元 (the whole)
    # and, later, 项目支出 9,399.23万元: the whole is no conflict with the part.
    answer = engine.ask("2026年重庆市人民政府办公厅一般公共预算财政拨款支出中项目支出是多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("9399.23"), "万元")
    assert "中的项目支出" in answer.answer


def test_the_region_of_the_first_of_two_publishers_is_the_seconds(engine):
    # 政府办公厅 alone is 重庆's or 广州's; written after 重庆市科学技术局 and joined by 和, it is 重庆's, the one
    # office of that name in the region (科学技术局 表八 p24 合计 207.46; 政府办公厅 表八 p20 394.49).
    answer = engine.ask("重庆市科学技术局和政府办公厅2026年的三公经费相差多少")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("187.03"), "万元"), answer.answer
    assert "重庆市人民政府办公厅" in answer.answer
    # The second names its own region: never 重庆's office.
    assert "重庆市人民政府办公厅" not in engine.ask("重庆市科学技术局和广州市政府办公厅2026年的三公经费相差多少").answer


def test_a_funds_own_appropriation_is_read_from_the_funds_own_table(engine):
    # p3: "一般公共预算财政拨款支出…其中：…项目支出148,941.8万元，…。比2025年增加8,385.34万元" (表五《2026年一般公共
    # 预算支出情况表》p16 合计/项目支出 148,941.80): 财政拨款 after 一般公共预算 is that fund's 拨款, which its own table
    # holds whole; was refused as "财政拨款" unbound.
    answer = engine.ask("重庆市科学技术局2026年一般公共预算财政拨款项目支出比2025年增加了多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("8385.34"), "万元"), answer.answer
    assert 3 in {c.page for c in answer.citations}


def test_two_stated_measures_listed_and_added_up(engine):
    # p5: "（一）本年财政拨款收入 67005.95 万元" and "（二）本年其他资金收入 532.42 万元": 资金 inside 其他资金收入 is part
    # of its name, and each word of the list is an item; was refused with only 财政拨款收入 bound.
    answer = engine.ask("北京市民政局2026年本年财政拨款收入和本年其他资金收入合计是多少万元？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("67538.37"), "万元"), answer.answer
    assert "67,005.95万元 + 532.42万元" in answer.answer


def test_a_count_of_what_a_named_table_lists_is_its_body_rows(engine):
    # p21 会议费明细表: 试点工作部署动员会, 农普领导小组普查工作推进会, 经济运行分析会, 清查摸底布置会 (no 合计 row)
    answer = engine.ask("西安市统计局2026年会议费明细表中列了几个会议")
    assert answer.status == "answered", answer.answer
    assert (answer.value, answer.unit) == ("4", "个")
    assert (answer.citations[0].page, answer.citations[0].table) == (21, "会议费明细表")
    assert "清查摸底布置会" in answer.citations[0].quote
    # What the title does not list is not its rows: 培训 are not what a 会议费 table counts.
    other = engine.ask("西安市统计局2026年会议费明细表中列了几个培训")
    assert other.value != "4", other.answer


def test_a_measure_written_as_a_line_the_named_table_prints_is_that_line(engine):
    """表四《财政拨款收支总体情况表》p15 prints "一、本年收入 154,023.82" and "收入合计 154,304.22" (which adds 二、上年结转
    280.40): 本年收入 asked of that table is its line, not the 收入合计 (the cell check's one wrong answer, seed 7)."""
    answer = engine.ask("重庆市科学技术局2026年《2026年财政拨款收支总体情况表》中本年收入的收入是多少？")
    assert answer.status == "answered", answer.answer
    assert (Decimal(answer.value), answer.unit) == (Decimal("154023.82"), "万元") and "一、本年收入" in answer.answer
    answer = engine.ask("重庆市科学技术局2026年《2026年财政拨款收支总体情况表》中收入合计是多少？")
    assert Decimal(answer.value) == Decimal("154304.22")
