"""Deterministic figures on the two samples: every expected value below was read from the PDFs'
source texts (/work/shared/seeds/*.txt), not from the extraction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.core.settings import Settings
from qa.answer.engine import AnswerEngine
from qa.services import Services


@pytest.fixture(scope="module")
def engine(facts_only_data_dir) -> AnswerEngine:
    return Services(Settings(data_dir=facts_only_data_dir)).engine


def ask(engine, question):
    answer = engine.ask(question)
    assert answer.elapsed_ms > 0
    return answer


def figure(answer) -> tuple[Decimal | None, str | None]:
    return (Decimal(answer.value) if answer.value is not None else None), answer.unit


@pytest.mark.parametrize("question, value, unit, page, table", [
    # 科目名称 → the 支出总表 (表3), as the question asks about spending by 科目
    ("外办一般公共服务支出预算多少？", "5726351.40", "元", 9, "表3"),
    ("区政府外办购房补贴预算是多少？", "345288.00", "元", 10, "表3"),
    # code
    ("外办2010301科目的基本支出", "3556912.28", "元", 9, "表3"),
    # 项目名称 (a row attribute of 表7 部门预算明细表)
    ("外事工作经费预算多少", "1400000.00", "元", 16, "表7"),
    # a 科目 and 经费 (no project of that name is stated): the row's money, 2080501 on 表3
    ("外办归口管理的行政单位离退休经费多少", "50520.00", "元", 9, "表3"),
    # columns
    ("外办基本支出是多少", "5215620.22", "元", 9, "表3"),
    ("外办一般公共服务支出的项目支出", "2153119.12", "元", 9, "表3"),
    # a 科目's name and 经费, which no sentence states: the 科目 row (2080501)
    ("外办归口管理的行政单位离退休经费多少", "50520.00", "元", 9, "表3"),
    ("外办基本支出里人员经费是多少", "4815007.00", "元", 14, "表6"),
    # a row's spending from one fund: the row in that fund's spending table, not the fund's whole spending
    # (7,955,559.34) nor the row's income (表2 3,573,232.28)
    ("外办2020年行政运行一般公共预算支出是多少", "3556912.28", "元", 12, "表5"),
    ("外办2020年行政运行的一般公共预算支出是多少", "3556912.28", "元", 12, "表5"),
    # a code and the name that says it again: one item, not the two added up (or refused as two)
    ("外办2020年30217公务接待费是多少", "2217.48", "元", 13, "表6"),
    # a table the question names
    ("外办表2收入总表里行政运行是多少", "3573232.28", "元", 7, "表2"),
    # narrative measures, preferring their dedicated table
    ("外办2020年收入预算是多少？", "7955559.34", "元", 7, "表2"),
    ("外办三公经费是多少", "2217.48", "元", 18, "表9"),
    ("政府办公务接待费是多少", "22320.24", "元", 15, "表七"),
    ("外办行政运行经费是多少", "326480.46", "元", 3, None),
    ("外办政府采购预算多少", "570500.00", "元", 3, None),
    ("外办固定资产总额是多少", "511900.00", "元", 4, None),
    ("外办行政编制多少人", "15", "人", 1, None),
    ("政府办工勤编制多少人", "17", "人", 2, None),
    ("外办实际有多少人", "16", "人", 1, None),
    ("外办绩效自评得分是多少", "84.93", "分", 4, None),
    ("区政府外办有几个内设机构？", "3", "个", 1, None),
    # a year that is only a column of the 2020 disclosure (2019年预算数)
    ("外办2019年三公经费预算是多少", "2217.48", "元", 18, "表9"),
    ("政府办2019年公务接待费预算数", "26268.00", "元", 15, "表七"),
    # …or a 上年 figure the narrative states
    ("外办2019年收入预算是多少", "7132122.63", "元", 1, None),
])
def test_lookup(engine, question, value, unit, page, table):
    answer = ask(engine, question)
    assert answer.status == "answered", answer.answer
    assert figure(answer) == (Decimal(value), unit), answer.answer
    assert answer.method == "lookup"
    first = answer.citations[0]
    assert (first.page, first.table) == (page, table), answer.citations[0]
    assert first.document.startswith("xicheng-")


def test_lookup_in_wan_shows_both_units(engine):
    answer = ask(engine, "外办2020年收入预算是多少万元")
    assert figure(answer) == (Decimal("795.555934"), "万元")
    assert "795.56万元" in answer.answer and "7,955,559.34元" in answer.answer


def test_inconsistent_tables_are_reported_with_both_citations(engine):
    answer = ask(engine, "外办行政运行是多少")
    assert figure(answer) == (Decimal("3556912.28"), "元")  # 表3 支出总表, the most specific for a 科目
    assert "3,573,232.28" in answer.answer and "不一致" in answer.answer
    tables = [c.table for c in answer.citations]
    assert tables[0] == "表3" and "表2" in tables and "表5" in tables
    both = ask(engine, "外办表2和表3的行政运行金额一致吗？")
    assert "不一致" in both.answer and "3,573,232.28" in both.answer and "3,556,912.28" in both.answer
    assert [c.table for c in both.citations] == ["表2", "表3"]


def test_name_confusion_is_explained(engine):
    subject = ask(engine, "外办行政运行是多少")
    measure = ask(engine, "外办行政运行经费是多少")
    assert subject.value == "3556912.28" and measure.value == "326480.46"
    assert "不是预算科目“行政运行”" in measure.answer
    assert "按预算科目理解" in subject.answer


@pytest.mark.parametrize("question, value, unit, formula_part", [
    ("外办收入预算比2019年增加多少", "823436.71", "元", "7,955,559.34元 − 7,132,122.63元"),
    ("政府办三公经费比上年增加多少", "21052.24", "元", "47,320.24元 − 26,268.00元"),
    ("政府办基本支出比上年减少了多少", "4497127.42", "元", "37,536,202.94元 − 42,033,330.36元"),
    ("外办基本支出占支出合计的比例", "65.56", "%", "5,215,620.22元 ÷ 7,955,559.34元"),
    ("外办基本支出占比", "65.56", "%", "5,215,620.22元 ÷ 7,955,559.34元"),
    ("外办公用经费占基本支出的百分比", "7.68", "%", "400,613.22元 ÷ 5,215,620.22元"),
    ("外办住房公积金和购房补贴合计多少", "708564.72", "元", "363,276.72元 + 345,288.00元"),
    ("外办人员经费比公用经费多多少", "4414393.78", "元", "4,815,007.00元 − 400,613.22元"),
    ("政府办收入预算是外办的多少倍", "15.71", "倍", "124,945,150.26元 ÷ 7,955,559.34元"),
    ("外事工作经费是中外友好组织国际交流周活动支持经费的几倍", "2.00", "倍", "1,400,000.00元 ÷ 700,000.00元"),
    ("外办和政府办2020年三公经费差多少？", "45102.76", "元", "2,217.48元 − 47,320.24元"),
    ("两个部门2020年公务接待费加起来多少", "24537.72", "元", "+"),
])
def test_calculations_show_formula_and_inputs(engine, question, value, unit, formula_part):
    answer = ask(engine, question)
    assert answer.status == "answered", answer.answer
    assert figure(answer) == (Decimal(value), unit), answer.answer
    assert answer.method == "calculation"
    assert formula_part in answer.formula and formula_part in answer.answer
    assert len(answer.citations) >= 2 and all(c.page >= 1 for c in answer.citations)


def test_growth_rate_is_recomputed_and_compared_with_the_stated_one(engine):
    answer = ask(engine, "外办收入预算增长率是多少")
    assert figure(answer) == (Decimal("11.55"), "%")
    assert "（7,955,559.34元 − 7,132,122.63元）÷ 7,132,122.63元 = 11.55%" in answer.formula
    assert "载明为11.55%" in answer.answer and "一致" in answer.answer
    assert answer.citations[0].page == 1 and answer.citations[0].table is None  # the stated sentence first
    down = ask(engine, "政府办公务接待费增长率")
    assert figure(down) == (Decimal("-15.03"), "%") and "下降15.03%" in down.answer
    rounded = ask(engine, "政府办项目支出增长率")  # stated 12.7%, computed 12.74%: the published figure, both shown
    assert figure(rounded) == (Decimal("12.7"), "%") and "12.74%" in rounded.answer and "一致" in rounded.answer


def test_comparison_across_departments(engine):
    answer = ask(engine, "外办和政府办哪个三公经费更多")
    assert figure(answer) == (Decimal("47320.24"), "元")
    assert answer.answer.startswith("最多的是北京市西城区人民政府办公室")
    assert [c.table for c in answer.citations] == ["表七", "表9"]
    fewer = ask(engine, "外办和政府办哪个公务接待费更少")
    assert figure(fewer) == (Decimal("2217.48"), "元")


@pytest.mark.parametrize("question, says", [
    ("外办2021年三公经费是多少", "2021年"),  # year not indexed
    ("政府办2021年预算收入多少", "2021年"),
    ("区政府外办2018年三公经费是多少", "2018年"),  # older than any column or stated figure
    ("西城区教委2020年三公经费是多少", "教委"),  # department not indexed
    ("西城区财政局2020年三公经费是多少", "财政局"),
    ("外办物业管理费是多少", "物业管理费"),  # item not disclosed
    ("外办2020年的大型修缮费是多少", "大型修缮费"),
    ("外办2020年决算支出是多少", "决算"),  # kind not indexed
])
def test_refusals_say_what_was_searched(engine, question, says):
    answer = ask(engine, question)
    assert answer.status == "refused", answer.answer
    assert answer.value is None and answer.answer.startswith("未找到")
    assert says in answer.answer


def test_answers_are_fast_once_loaded(engine):
    import statistics

    questions = ["外办三公经费是多少", "外办行政运行是多少", "外事工作经费预算多少", "外办基本支出是多少",
                 "政府办公务接待费是多少", "外办行政编制多少人"] * 3
    times = [engine.ask(q).elapsed_ms for q in questions]
    assert statistics.median(times) <= 50, times


def test_narrative_amounts_keep_their_thousands_separators(facts_only_data_dir):
    """“7,955,559.34元” is one figure (a comma between digit groups is not a clause break)."""
    from index.store.facts import FactsStore

    store = FactsStore(Settings(data_dir=facts_only_data_dir).db_path)
    stated = {(n.measure, n.relation, n.value) for n in store.narrative_facts() if n.file_name == "xicheng-waiban-2020.pdf"}
    assert ("收入预算", "value", Decimal("7955559.34")) in stated
    assert ("收入预算", "previous", Decimal("7132122.63")) in stated
    assert ("收入预算", "increase", Decimal("823436.71")) in stated


@pytest.mark.parametrize("a, unit_a, b, unit_b, same", [
    ("244.848000", "万元", "244.85", "万元", True),  # the narrative rounds the table
    ("37536202.9", "元", "37536202.94", "元", True),  # a total printed with one decimal
    ("9101.68", "万元", "91016775.35", "元", True),
    ("3573232.28", "元", "3556912.28", "元", False),  # 外办 表2 vs 表3: a real inconsistency
    ("244.84", "万元", "244.85", "万元", False),
])
def test_agreement_allows_rounding_only(a, unit_a, b, unit_b, same):
    from index.core.units import agrees

    assert agrees(Decimal(a), unit_a, Decimal(b), unit_b) is same


# --- figures stated as text: form fields, sentences in form tables, counts, projects ---------------

@pytest.mark.parametrize("question, value, unit, page", [
    # 表11/表12 are forms ("中期资金总额：| 420"), not grids: the field, in the unit its row names
    ("外办部门整体支出绩效目标申报表里资金总额是多少万元", "795.56", "万元", 20),
    ("外事工作经费的中期资金总额是多少万元", "420", "万元", 22),
    # "A的B": B stated inside project A's form, never A's own budget (161万)
    ("政府绩效管理项目的尾款是多少万元", "69", "万元", 26),
    ("通讯指挥中心运维费里视频会议系统运行维护项目多少万元", "126", "万元", 29),
    # a project named after its department (政府办工作经费)
    ("西城区人民政府办公室工作经费这个项目安排了多少", "2300000.00", "元", 18),
    # counts inside sentences, with and without a printed unit
    ("西城区政府办内设几个科室？", "13", "个", 1),
    ("西城政府办申报绩效目标的项目有几个", "16", "个", 4),
    ("政府办2020年实有公务用车几辆", "1", "辆", 3),
    ("西城政府办退休人员有多少", "91", "人", 2),
    ("2019年西城区开了多少次视频会议", "380", "次", 29),
    ("西城政府办的车辆价值多少万元", "182.83", "万元", 4),
])
def test_figures_stated_as_text(engine, question, value, unit, page):
    answer = ask(engine, question)
    assert answer.status == "answered", answer.answer
    assert figure(answer) == (Decimal(value), unit), answer.answer
    assert answer.citations[0].page == page, answer.citations[0]


def test_a_stated_change_is_cited_before_the_tables(engine):
    answer = ask(engine, "外办收入预算比上年增加了多少钱")
    assert figure(answer) == (Decimal("823436.71"), "元")
    assert answer.citations[0].page == 1 and answer.citations[0].table is None
    assert any(c.table == "表2" for c in answer.citations)  # the tables corroborate
    assert "7,955,559.34元 − 7,132,122.63元" in answer.formula


def test_narrative_continuation_sentences_attach_to_their_item():
    """"…专项普查活动（项）”25.77万元。2023年当年预算执行数为60.13万元…减少57.14%": the 执行数 is the
    item's previous-year figure, the restated 2026 figure and the rate are the item's; "（01项）" is a code, not a count."""
    from index.core.model import Block
    from index.read.narrative import extract_narrative_facts

    text = ("1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。主要用于：行政单位的基本支出。"
            "2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。")
    facts = extract_narrative_facts([Block(kind="paragraph", text=text, page=8, bbox=(0, 0, 1, 1))], 2026)
    assert [(f.measure, f.relation, f.year, str(f.value), f.unit) for f in facts] == [
        ("行政运行", "value", 2026, "1672.67", "万元"),
        ("行政运行", "previous", 2025, "1690.69", "万元"),
        ("行政运行", "value", 2026, "1672.67", "万元"),  # restated: kept, the audit compares the two statements
        ("行政运行", "decline_rate", 2025, "1.07", "%"),
    ]
    counted = extract_narrative_facts([Block(kind="paragraph", text="2025年度项目总预算1170.00万，其中车辆5辆，182.83万元。",
                                             page=1, bbox=(0, 0, 1, 1))], 2025)
    assert [(f.measure, str(f.value), f.unit) for f in counted] == [
        ("项目总预算", "1170.00", "万元"), ("车辆", "5", "辆"), ("车辆", "182.83", "万元")]


def test_a_word_that_begins_with_an_organisation_character_keeps_it():
    """"2026年委托业务费涉及财拨资金997.4万元": 委 of 委托 begins the measure; "本局…" still loses the organisation."""
    from index.core.model import Block
    from index.read.narrative import extract_narrative_facts

    def measures(text: str) -> list[str]:
        return [f.measure for f in extract_narrative_facts([Block(kind="paragraph", text=text, page=3, bbox=(0, 0, 1, 1))], 2026)]

    assert measures("2026年委托业务费涉及财拨资金997.4万元，主要用于气象服务。") == ["委托业务费涉及财拨资金"]
    assert measures("2026年本部门委托业务费财政拨款预算为3,973.58万元。") == ["委托业务费财政拨款预算"]
    assert measures("市气象局2026年机关运行经费102.5万元。") == ["机关运行经费"]


def test_a_run_in_heading_says_what_a_bare_budget_figure_is_of():
    """"（二）公务接待费。2026年预算数2.81万元": the figure is the 公务接待费, not a "预算数" of nothing."""
    from index.core.model import Block
    from index.read.narrative import extract_narrative_facts

    def facts(text: str) -> list[tuple[str, str]]:
        block = Block(kind="paragraph", text=text, page=8, bbox=(0, 0, 1, 1))
        return [(f.measure, str(f.value)) for f in extract_narrative_facts([block], 2026)]

    assert facts("（二）公务接待费。2026年预算数2.81万元，主要用于业务交流工作。") == [("公务接待费", "2.81")]
    assert facts("（一）因公出国（境）费用。2026年预算数48.24万元，主要用于培训交流。") == [("因公出国（境）费", "48.24")]
    assert facts("2026年预算数2.81万元，主要用于业务交流工作。") == [("预算数", "2.81")]  # no heading: nothing to borrow


def test_income_and_spending_stated_together_are_each_stated():
    """"收入、支出预算总计92,596.24万元，与上年相比收、支预算总计各增加28,997.47万元，增长45.59%": the change
    is 收入's as much as 支出's, so "收入预算比上年增长百分之几" finds it."""
    from index.core.model import Block
    from index.read.narrative import extract_narrative_facts

    text = "某局2026年度收入、支出预算总计92,596.24万元，与上年相比收、支预算总计各增加28,997.47万元，增长45.59%。"
    facts = extract_narrative_facts([Block(kind="paragraph", text=text, page=28, bbox=(0, 0, 1, 1))], 2026)
    stated = {(f.measure, f.relation): str(f.value) for f in facts}
    for side in ("收入预算总计", "支出预算总计"):
        assert (stated[(side, "value")], stated[(side, "increase")], stated[(side, "growth_rate")]) == (
            "92596.24", "28997.47", "45.59")
    alone = extract_narrative_facts([Block(kind="paragraph", text="支出预算总计1,136.23万元。", page=1, bbox=(0, 0, 1, 1))], 2026)
    assert [f.measure for f in alone] == ["支出预算总计"]


def test_a_measures_own_subtotal_is_read_in_a_table_of_more_than_it():
    """表13 "三公经费及会议费、培训费支出预算表": its 合计 row's "当年/合计" (913,900) adds 会议费 and 培训费; the
    三公经费 is "当年/…“三公”经费预算/小计" (81,000). A table of 三公经费 alone keeps its total column."""
    from decimal import Decimal

    from index.store.facts import StoredFact
    from qa.figures.fact_index import _own_subtotal

    title = "部门综合预算一般公共预算拨款三公经费及会议费、培训费支出预算表"

    def fact(column: str, value: str, table_title: str = title) -> StoredFact:
        return StoredFact(doc_id="d", file_name="d.pdf", table_index=16, label="表13", title=table_title, unit="元",
                          row_index=3, code=None, name="合计", level=None, parent_code=None, column=column,
                          value=Decimal(value), text=value, page=39, bbox=None)

    row = [fact("上年/合计", "518400"), fact("上年/一般公共预算拨款安排的“三公”经费预算/小计", "93000"),
           fact("当年/合计", "913900"), fact("当年/一般公共预算拨款安排的“三公”经费预算/小计", "81000"),
           fact("当年/一般公共预算拨款安排的“三公”经费预算/公务用车购置及运行维护费/小计", "66000"), fact("当年/会议费", "57900")]
    assert _own_subtotal(row, row[2], "三公", title).value == Decimal("81000")
    alone = [fact("合计", "81000", "2026年三公经费预算表"), fact("“三公”经费/小计", "81000", "2026年三公经费预算表")]
    assert _own_subtotal(alone, alone[0], "三公", "2026年三公经费预算表") is alone[0]


def test_a_row_of_the_very_name_asked_is_read_not_added_to_its_qualified_namesake(tmp_path):
    """西安市科学技术局 表6 p50 prints 309 资本性支出（基本建设） 500,000 and 310 资本性支出 154,000 (the text: 15.40万元);
    资本性支出 is the 310 row, not the two added up as detail rows (654,000, printed nowhere)."""
    from tests.answer.synthetic import disclosure, engine_of, table

    lines = [("资本性支出（基本建设）", "309", "50.00", "0.00", "50.00"), ("资本性支出", "310", "15.40", "0.00", "15.40")]
    engine = engine_of(tmp_path, [disclosure("d-xa", "某市科学技术局", "某市", 2026, ["科技局"],
                                             [table("2026年一般公共预算支出明细表（按经济分类科目分）", lines)])])
    answer = engine.ask("某市科学技术局2026年资本性支出是多少")
    assert (answer.status, answer.value) == ("answered", "15.40"), answer.answer
    assert "明细相加" not in answer.answer


def test_a_year_before_a_column_does_not_eat_the_name_after_it(tmp_path):
    """深圳市卫生健康委员会 表5 p30 "预算准备金 2,398.72": "2026年预算准备金" names 预算准备金, not the 2026年预算数
    column (whose 本年收入合计 151,082.36 was answered)."""
    from tests.answer.synthetic import disclosure, engine_of, table

    lines = [(None, None, "151082.36", "140000.00", "11082.36"), ("预算准备金", None, "2398.72", "0.00", "2398.72")]
    engine = engine_of(tmp_path, [disclosure("d-sz", "某市卫生健康委员会", "某市", 2026, ["卫健委"], [
        table("项目支出总表", lines, columns=("2026年预算数", "基本支出", "项目支出"))])])
    answer = engine.ask("卫健委2026年预算准备金多少")
    assert (answer.status, answer.value) == ("answered", "2398.72"), answer.answer


def test_a_row_is_read_within_the_row_it_is_named_in(engine):
    """2010301 行政运行 is under 201 一般公共服务支出 (表3 p9, 3,556,912.28); under 社会保障和就业支出 (208) the
    外办 prints no 行政运行, and neither a row elsewhere nor the text's 行政运行经费 is that figure."""
    inside = ask(engine, "外办一般公共服务支出里的行政运行是多少")
    assert figure(inside) == (Decimal("3556912.28"), "元"), inside.answer
    outside = ask(engine, "外办社会保障和就业支出里的行政运行是多少")
    assert outside.status == "refused" and outside.value is None, outside.answer


def test_a_project_before_a_measure_is_not_answered_by_the_measures_total(engine):
    """外事工作经费政府采购: 外办's one 政府采购 project is 出入境业务管理系统升级改造 (570,500.00, p3); that total is not
    外事工作经费's part of it, so the question is refused with both readings."""
    answer = ask(engine, "外办2020年外事工作经费政府采购是多少")
    assert answer.status == "refused" and answer.value is None, answer.answer
    assert any("外事工作经费" in r for r in answer.readings)


def test_an_answer_leaves_what_it_cached_out_of_the_collectors_walks(engine):
    """After each answer the caches' contents are frozen (``index.core.recent.keep``): full collections, which
    walked every cached fact (~200 ms at 1,000 documents), no longer do."""
    import gc

    gc.unfreeze()
    ask(engine, "外办2020年水费多少")
    assert gc.get_freeze_count() > 0
