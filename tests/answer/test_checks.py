"""Every answer check, each with an answer it must refuse and one it must let through.

The answers are made by hand (the figures an answerer would have used), so each check is tested on
exactly the mistake it guards against; the engine tests show the same refusals end to end.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.checks import CHECKS, review
from qa.answer.numeric.base import Asked, Worked
from qa.contract import Answer
from qa.figures.calculate import Calculation
from qa.figures.figure import Figure
from qa.figures.locate import Located
from qa.figures.query import FigureQuery
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.scope import Disclosure, Selection

D2026 = Disclosure("某局", 2026, ["d1"], ["d1.pdf"], "某局2026年")
OTHER = Disclosure("他局", 2026, ["d2"], ["d2.pdf"], "他局2026年")


def cell(value: str, row: str, *, doc: str = "d1", unit: str = "万元", column: str = "合计", title: str = "部门支出总表",
         table: int = 1, index: int = 1, code: str | None = None, total: bool = False) -> Figure:
    return Figure(value=Decimal(value), unit=unit, doc_id=doc, file_name=f"{doc}.pdf", page=3, quote=f"{row} {value}",
                  source="table", title=title, row=row, column=column, table_index=table, row_index=index, code=code,
                  is_total=total)


def used(figure: Figure, item: ItemRef | None, disclosure: Disclosure = D2026, label: str | None = None) -> Located:
    query = FigureQuery(question="", terms="", item=item)
    return Located(label or (item.name if item else "合计"), figure, query=query, disclosure=disclosure)


def row(name: str, kind: str = "row") -> ItemRef:
    return ItemRef(kind=kind, name=name, text=name)  # type: ignore[arg-type]


def failures(operation: str, located: list[Located], calc: Calculation | None = None, years: list[int] | None = None,
             groups: list[list[str]] | None = None, selection: Selection | None = None, text: str = "答",
             parsed: ParsedQuestion | None = None) -> list[str]:
    parsed = parsed or ParsedQuestion(text="问", operation=operation, years=years or [], department_groups=groups or [])
    selection = selection or Selection(disclosures=[D2026])
    asked = Asked(parsed, selection, FigureQuery(question="问", terms=""), Worked(used=located, calculation=calc))
    answer = Answer(question="问", status="answered", answer=text, method="calculation" if calc else "lookup",
                    citations=[loc.primary.citation() for loc in located])
    return [f.check for f in review(asked, answer)]


def calc(value: str, unit: str, *inputs: Located) -> Calculation:
    return Calculation(Decimal(value), unit, "公式", [loc.primary for loc in inputs])


def test_every_check_is_registered():
    assert {"cited_in_scope", "publisher_bound", "year_matches", "distinct_operands", "units_agree",
            "share_within_whole", "not_its_own_part", "total_is_total", "named_items_bound", "named_table_found",
            "figure_kind_named", "columns_used", "printed_unit_agrees", "text_agrees_with_table", "table_unit_agrees",
            "whole_of_row", "code_matches_name"} <= set(CHECKS)


def test_one_fact_twice_computes_nothing():
    budget = cell("120.00", "财政拨款收入")
    a, b = used(budget, row("财政拨款收入")), used(budget, ItemRef(kind="concept", name="支出预算", text="预算"))
    assert failures("change", [a, b], calc("0.00", "万元", a, b)) == ["distinct_operands"]
    other = used(cell("100.00", "财政拨款收入", index=2, column="2025年预算数"), row("财政拨款收入"))
    assert failures("change", [a, other], calc("20.00", "万元", a, other)) == []


def test_a_head_count_and_an_amount_are_not_compared():
    people = used(cell("15", "编制人数", unit="人", index=5), ItemRef(kind="concept", name="编制人数", text="编制人数"))
    money = used(cell("7955.56", "支出合计", index=6), ItemRef(kind="concept", name="支出预算", text="支出"))
    assert "units_agree" in failures("growth_rate", [people, money], calc("53000.00", "%", people, money))


def test_a_share_over_the_whole_is_refused():
    part = used(cell("240.00", "项目支出", index=2), row("项目支出"))
    whole = used(cell("100.00", "基本支出", index=3), row("基本支出"))
    assert failures("share", [part, whole], calc("240.00", "%", part, whole)) == ["share_within_whole"]
    assert failures("share", [whole, part], calc("41.67", "%", whole, part)) == []


def test_a_share_of_a_whole_that_matched_nothing_is_refused():
    """住房公积金占无人机的比例: the whole named matched nothing; 支出合计, taken by default, is not it."""
    part = used(cell("363276.72", "住房公积金", index=2), row("住房公积金"))
    whole = used(cell("7955559.34", "合计", index=3), row("支出预算", "concept"))
    named = ParsedQuestion(text="某局住房公积金占无人机的比例", unbound=["无人机"], operation="share",
                           items=[ItemRef(kind="row", name="住房公积金", text="住房公积金", pos=2)])
    assert failures("share", [part, whole], calc("4.57", "%", part, whole), parsed=named) == ["named_items_bound"]
    default = ParsedQuestion(text="某局住房公积金占比多少", operation="share",
                             items=[ItemRef(kind="row", name="住房公积金", text="住房公积金", pos=2)])
    assert failures("share", [part, whole], calc("4.57", "%", part, whole), parsed=default) == []


def test_a_class_and_its_own_line_are_not_summed():
    whole = used(cell("50.00", "商品和服务支出", code="302", index=2), row("商品和服务支出"))
    line = used(cell("10.00", "办公费", code="30201", index=3), row("30201", "code"))
    assert failures("sum", [whole, line], calc("60.00", "万元", whole, line)) == ["not_its_own_part"]
    by_name = used(cell("10.00", "办公费", code="30201", index=4, table=2), row("办公费"))
    assert failures("sum", [by_name, line], calc("20.00", "万元", by_name, line)) == ["not_its_own_part"]
    fee = used(cell("5.00", "印刷费", code="30202", index=5), row("印刷费"))
    assert failures("sum", [line, fee], calc("15.00", "万元", line, fee)) == []


def test_a_total_is_not_a_units_own_row():
    own = used(cell("30.00", "广州市人民政府办公厅（本级）", title="三公经费表"),
               ItemRef(kind="concept", name="三公经费", text="三公经费"))
    assert failures("lookup", [own]) == ["total_is_total"]
    total = used(cell("45.00", "合计", title="三公经费表", total=True), ItemRef(kind="concept", name="三公经费", text="三公经费"))
    assert failures("lookup", [total]) == []


def test_the_year_asked_is_the_year_found():
    mislabelled = used(cell("88.00", "行政运行", title="2022年部门支出总表"), row("行政运行"))
    assert failures("lookup", [mislabelled], years=[2026]) == ["year_matches"]
    assert failures("lookup", [mislabelled]) == ["year_matches"]  # unasked, the file's year would be claimed
    said = failures("lookup", [mislabelled], years=[2026], text="某局“行政运行”（2022年数，见2026年公开材料）为88.00万元")
    assert said == []
    column = used(cell("70.00", "行政运行", column="2025年预算数"), row("行政运行"))
    assert failures("lookup", [column], years=[2025], selection=Selection(disclosures=[D2026], column_year=2025)) == []


def test_cited_facts_belong_to_the_scoped_documents():
    stray = used(cell("10.00", "行政运行", doc="d2"), row("行政运行"), disclosure=OTHER)
    assert failures("lookup", [stray]) == ["cited_in_scope"]
    assert failures("lookup", [stray], groups=[["d1"]], selection=Selection(disclosures=[D2026, OTHER])) == [
        "publisher_bound"]


@pytest.mark.parametrize("status", ["refused"])
def test_refusals_are_not_reviewed(status):
    parsed = ParsedQuestion(text="问")
    asked = Asked(parsed, Selection(), FigureQuery(question="问", terms=""))
    assert review(asked, Answer(question="问", status=status, answer="未找到", method="lookup")) == []


# --- end to end, on synthetic disclosures ---------------------------------------------------------

def test_a_figure_from_a_table_of_another_year_is_refused(tmp_path):
    from tests.answer.synthetic import disclosure, engine_of, table

    old = table("2022年部门支出总表", [(None, None, "90.00", "60.00", "30.00"), ("行政运行", "2010101", "50.00", "50.00", "0.00")])
    engine = engine_of(tmp_path, [disclosure("d-old", "某市卫生健康委员会", "某市", 2026, ["卫健委"], [old])])
    answer = engine.ask("某市卫生健康委员会2026年行政运行是多少")
    assert answer.status == "refused" and answer.checks == ["year_matches"], answer.answer
    assert "2022年" in answer.answer  # says what it found


def test_a_units_own_row_is_not_the_total(tmp_path):
    """The rule reads the total row; the check (test_a_total_is_not_a_units_own_row) stops any other."""
    from tests.answer.synthetic import disclosure, engine_of, table

    rows = [("某市人民政府办公厅（本级）", None, "30.00", "20.00", "10.00"), ("某市机关事务中心", None, "15.00", "5.00", "10.00"),
            (None, None, "45.00", "25.00", "20.00")]
    units = table("2026年一般公共预算“三公”经费支出表", rows, columns=("合计", "因公出国（境）费", "公务接待费"))
    engine = engine_of(tmp_path, [disclosure("d-units", "某市人民政府办公厅", "某市", 2026, ["市政府办公厅"], [units])])
    answer = engine.ask("某市人民政府办公厅2026年三公经费是多少")
    assert (answer.status, answer.value) == ("answered", "45.00"), answer.answer  # the total row, not the 本级 row's


def test_a_part_of_the_question_left_unbound_is_not_dropped():
    income = used(cell("67005.95", "财政拨款收入"), row("财政拨款收入"))
    q = "某局本年财政拨款收入和本年其他资金收入合计是多少"
    parsed = ParsedQuestion(text=q, items=[ItemRef(kind="row", name="财政拨款收入", text="财政拨款收入", pos=4)])
    assert failures("lookup", [income], parsed=parsed) == ["named_items_bound"]
    rent = ParsedQuestion(text="某局信息化建设的租赁费是多少", unbound=["租赁费"],
                          items=[ItemRef(kind="row", name="信息化建设", text="信息化建设", pos=2)])
    assert failures("lookup", [used(cell("3613.40", "信息化建设"), row("信息化建设"))], parsed=rent) == ["named_items_bound"]


def test_a_row_of_the_table_read_left_unbound_is_not_dropped(tmp_path):
    """电费水费合计 with 电费 unread: the table the answer read prints 电费 as a row of its own, so answering 水费 alone
    drops half the sum; a word the table does not print (合计 aside) is another check's."""
    from tests.answer.synthetic import disclosure, engine_of, table

    lines = [("水费", "30205", "4.56", "0.00", "4.56"), ("电费", "30206", "30.78", "0.00", "30.78")]
    engine = engine_of(tmp_path, [disclosure("d1", "某局", "某市", 2026, ["某局"], [table("2026年一般公共预算基本支出表", lines)])])
    water = used(cell("4.56", "水费", table=0, index=0, code="30205"), row("水费"))
    q = "某局2026年电费水费合计多少元"
    dropped = ParsedQuestion(text=q, unbound=["电费"], items=[ItemRef(kind="row", name="水费", text="水费", pos=9)])
    asked = Asked(dropped, Selection(disclosures=[D2026]), FigureQuery(question=q, terms=""), Worked(used=[water]))
    answer = Answer(question=q, status="answered", answer="答", method="lookup", citations=[water.primary.citation()])
    assert [f.check for f in review(asked, answer, engine.facts)] == ["named_items_bound"]
    other = ParsedQuestion(text="某局2026年燃气水费合计多少元", unbound=["燃气"],
                           items=[ItemRef(kind="row", name="水费", text="水费", pos=9)])
    asked = Asked(other, Selection(disclosures=[D2026]), FigureQuery(question=q, terms=""), Worked(used=[water]))
    # (燃气 written right before 水费 narrows it: refused as such, not as a row of the table)
    assert [f.problem for f in review(asked, answer, engine.facts)] == [
        "问题中的“燃气”限定了所问项目，但在所检索的文件中没有对应的数字，不能用未限定的数字回答"]


def test_a_table_named_but_not_found_is_not_replaced_by_another():
    parsed = ParsedQuestion(text="某局培训费明细表里值班培训是多少", unknown_table="培训费明细表")
    assert failures("lookup", [used(cell("9.00", "值班培训"), row("值班培训"))], parsed=parsed) == ["named_table_found"]


def test_the_kind_of_figure_asked_is_the_one_found():
    planned = used(cell("0.95", "合计", column="三公经费/合计/预算数", title="三公经费支出决算表", total=True),
                   ItemRef(kind="concept", name="三公经费", text="三公经费"))
    parsed = ParsedQuestion(text="财政局2024年三公经费实际花了多少")
    assert failures("lookup", [planned], parsed=parsed) == ["figure_kind_named"]
    spent = used(cell("0.00", "合计", column="三公经费/合计/决算数", title="三公经费支出决算表", total=True),
                 ItemRef(kind="concept", name="三公经费", text="三公经费"))
    assert failures("lookup", [spent], parsed=parsed) == []


def test_every_column_named_is_read():
    total = used(cell("2946.25", "本年收入合计", column="收入/决算数", total=True), None)
    parsed = ParsedQuestion(text="财政局2024年财政拨款收入决算数", columns=[("财政拨款收入", 7), ("决算数", 13)])
    assert failures("lookup", [total], parsed=parsed) == ["columns_used"]


def test_a_column_named_after_the_figure_in_its_sentence_is_not_the_figures():
    """西安市工业和信息化局 p7: "预算收入105946.48万元，其中一般公共预算拨款收入105364.27万元" — the first figure is
    not the 一般公共预算拨款 asked; the second, written after that column's name, is."""
    sentence = "2022年本部门预算收入105946.48万元，其中一般公共预算拨款收入105364.27万元、事业收入243.00万元。"
    parsed = ParsedQuestion(text="工信局2022年一般公共预算拨款收入多少", columns=[("一般公共预算拨款", 8)],
                            items=[ItemRef(kind="concept", name="收入预算", text="收入", pos=16)])

    def stated(value: str, measure: str) -> Located:
        return used(Figure(value=Decimal(value), unit="万元", doc_id="d1", file_name="d1.pdf", page=7, quote=sentence,
                           source="narrative", row=measure), parsed.items[0])

    assert failures("lookup", [stated("105946.48", "本部门预算收入")], parsed=parsed) == ["columns_used"]
    assert failures("lookup", [stated("105364.27", "一般公共预算拨款收入")], parsed=parsed) == []


def test_a_header_printing_another_unit_than_the_tables_leaves_the_unit_in_doubt():
    """西安市公安局 表14: the row "资金金额（万元）" of a table read as 元 (3,361.96 元 was answered as 0.34 万元)."""
    form = cell("3361.96", "资金金额（万元）", unit="元", column="办公场所租赁/西安市公安局", title="部门专项业务经费绩效目标表")
    assert failures("lookup", [used(form, row("资金金额"))]) == ["column_unit_agrees"]
    agreed = cell("3361.96", "资金金额（万元）", unit="万元", column="办公场所租赁/西安市公安局", title="部门专项业务经费绩效目标表")
    assert failures("lookup", [used(agreed, row("资金金额"))]) == []


def test_text_and_table_that_disagree_give_no_answer():
    table_fig = cell("91.39", "合计", title="三公经费及会议费培训费表", total=True)
    stated = Figure(value=Decimal("8.10"), unit="万元", doc_id="d1", file_name="d1.pdf", page=20, quote="三公经费8.10万元",
                    source="narrative", row="三公经费")
    located = used(table_fig, ItemRef(kind="concept", name="三公经费", text="三公经费"))
    located.conflicting.append(stated)
    assert failures("lookup", [located]) == ["text_agrees_with_table"]


def test_the_same_digits_in_another_unit_leave_the_unit_in_doubt():
    located = used(cell("207.46", "合计", unit="元", title="三公经费表", total=True),
                   ItemRef(kind="concept", name="三公经费", text="三公经费"))
    located.narrative.append(Figure(value=Decimal("207.46"), unit="万元", doc_id="d1", file_name="d1.pdf", page=3,
                                    quote="三公经费207.46万元", source="narrative", row="三公经费"))
    assert "printed_unit_agrees" in failures("lookup", [located])


def test_a_row_read_in_one_of_its_parts_is_refused(tmp_path):
    from tests.answer.synthetic import disclosure, engine_of, table

    parts = table("2026年一般公共预算支出明细表", [("气象服务", "2200509", "20.00", "30.00", "0.00")],
                  columns=("人员经费支出", "公用经费支出", "对个人和家庭的补助"))
    engine = engine_of(tmp_path, [disclosure("d-parts", "某市气象局", "某市", 2026, ["气象局"], [parts])])
    answer = engine.ask("某市气象局2026年气象服务是多少")
    assert answer.status == "refused" and "whole_of_row" in answer.checks, answer.answer


def test_a_table_whose_unit_was_misread_is_refused(tmp_path):
    from tests.answer.synthetic import disclosure, engine_of, table

    misread = table("2026年部门支出总体情况表", [(None, None, "168441.81", "10000.00", "158441.81"),
                                               ("自然科学基金", "2060203", "15500.00", "0.00", "15500.00")], unit="元")
    text = ["2026年收入预算168441.81万元，比上年增加。"]
    engine = engine_of(tmp_path, [disclosure("d-cq", "某市科学技术局", "某市", 2026, ["科技局"], [misread], text)])
    answer = engine.ask("某市科学技术局2026年自然科学基金是多少")
    assert answer.status == "refused" and "table_unit_agrees" in answer.checks, answer.answer


def test_a_qualifier_next_to_the_item_that_matched_nothing_is_not_dropped():
    """政府采购工程预算: 工程 narrows 政府采购; its total is not the 工程 part."""
    total = used(cell("6546.82", "合计", title="政府采购预算明细表"), row("政府采购预算", "concept"))
    q = "某局2026年政府采购工程预算是多少万元"
    parsed = ParsedQuestion(text=q, unbound=["工程"], items=[ItemRef(kind="concept", name="政府采购预算", text="政府采购", pos=7)])
    assert failures("lookup", [total], parsed=parsed) == ["named_items_bound"]
    plain = ParsedQuestion(text="某局2026年政府采购预算总额是多少万元", unbound=["总额"],
                           items=[ItemRef(kind="concept", name="政府采购预算", text="政府采购预算", pos=7)])
    assert failures("lookup", [total], parsed=plain) == []  # 总额 narrows nothing


def test_a_word_listed_beside_the_item_that_matched_nothing_is_not_dropped():
    """住房公积金和无人机合计: 无人机 is asked for as much as 住房公积金; the latter alone is no answer."""
    fund = used(cell("363276.72", "住房公积金"), row("住房公积金"))
    for q, pos in (("某局住房公积金和无人机合计多少", 2), ("某局无人机和住房公积金合计多少", 6)):
        parsed = ParsedQuestion(text=q, unbound=["无人机"], items=[ItemRef(kind="row", name="住房公积金", text="住房公积金", pos=pos)])
        assert failures("lookup", [fund], parsed=parsed) == ["named_items_bound"], q
    joined = ParsedQuestion(text="某局住房公积金加上无人机一共多少", unbound=["加上无人机"],
                            items=[ItemRef(kind="row", name="住房公积金", text="住房公积金", pos=2)])
    assert failures("lookup", [fund], parsed=joined) == ["named_items_bound"]
    alone = ParsedQuestion(text="某局住房公积金合计多少", unbound=[],
                           items=[ItemRef(kind="row", name="住房公积金", text="住房公积金", pos=2)])
    assert failures("lookup", [fund], parsed=alone) == []


def test_a_word_written_right_before_the_item_narrows_it():
    """无人机综合管理项目经费: the text's "综合管理918.01万元" is not the 无人机 one; 下属单位 before a unit's name says
    what the name is and narrows nothing."""
    stated = used(cell("918.01", "综合管理项目经费"), row("综合管理项目经费", "term"))
    parsed = ParsedQuestion(text="某局无人机综合管理项目经费", unbound=["无人机"],
                            items=[ItemRef(kind="term", name="综合管理项目经费", text="综合管理项目经费", pos=5)])
    assert failures("lookup", [stated], parsed=parsed) == ["named_items_bound"]
    staff = used(cell("2058.18", "合计", column="基本支出/人员经费"), row("合计"))
    column = ParsedQuestion(text="某局无人机人员经费是多少", unbound=["无人机"], columns=[("人员经费", 5)], column="人员经费",
                            column_pos=5)
    assert failures("lookup", [staff], parsed=column) == ["named_items_bound"]  # the column asked as the measure
    unit = used(cell("1200.00", "某信息中心"), row("某信息中心"))
    described = ParsedQuestion(text="某局下属单位某信息中心的收入是多少", unbound=["下属单位"],
                               items=[ItemRef(kind="row", name="某信息中心", text="某信息中心", pos=6)])
    assert failures("lookup", [unit], parsed=described) == []


def test_a_row_whose_code_is_another_items_is_refused():
    """表六 printed each name half a row above its code and figures: read as "30101 津贴补贴 110.24", the
    110.24 is 基本工资's (30101), so 津贴补贴 (30102) is refused; a row whose code and name agree passes."""
    off = used(cell("110.24", "津贴补贴", code="30101", column="基本支出/总计", title="一般公共预算基本支出情况表"),
               row("津贴补贴"))
    assert failures("lookup", [off]) == ["code_matches_name"]
    right = used(cell("4890.66", "津贴补贴", code="30102", column="基本支出/总计"), row("津贴补贴"))
    assert failures("lookup", [right]) == []
    local = used(cell("12.00", "机关工会经费", code="30228", column="基本支出/总计"), row("机关工会经费"))
    assert failures("lookup", [local]) == []  # a local name that is no other code's: not a misreading


def test_a_holding_at_the_years_start_is_that_years_budgets_figure():
    """The 2026 budget says "截至2025年12月31日…共有车辆9辆": asked of 2026, that is the figure it reports; a
    sentence dated by another year (截至2023年底) is still refused."""
    def stated(quote: str, year: int) -> Located:
        figure = Figure(value=Decimal("9"), unit="辆", doc_id="d1", file_name="d1.pdf", page=4, source="narrative",
                        quote=quote, row="车辆", year=year)
        return used(figure, row("车辆数", "concept"))

    held = stated("截至2025年12月31日，所属各预算单位共有车辆9辆，其中：一般公务用车3辆。", 2025)
    assert failures("lookup", [held], years=[2026]) == []
    older = stated("截至2023年底，所属各预算单位共有车辆9辆。", 2023)
    assert failures("lookup", [older], years=[2026]) == ["year_matches"]


@pytest.mark.parametrize("question, other", [
    ("某局2026年部门预算收入总计比某局（本级）单位预算收入总计多多少万元", True),
    ("某局2026年收入预算比上年增长了百分之几", False),
    ("某局机关运行经费下降了百分之几", False),
    ("某局2026年三公经费较2025年减少多少", False),
    ("某局2026年三公经费下降比例是多少", False),
])
def test_a_stated_change_answers_only_a_comparison_with_the_year_before(question, other):
    from qa.answer.numeric.year_change import OTHER_BASE

    assert (OTHER_BASE.search(question) is not None) is other


def test_what_an_item_involves_narrows_it_and_is_no_second_item():
    """委托业务费涉及财拨资金: 财拨 narrows the item (the whole 委托业务费 row is not it), and 涉及 joins nothing."""
    row_total = used(cell("1.20", "委托业务费", column="基本支出/总计", title="一般公共预算基本支出情况表"), row("委托业务费"))
    q = "某局2026年委托业务费涉及财拨资金多少万元"
    parsed = ParsedQuestion(text=q, unbound=["财拨"], items=[ItemRef(kind="row", name="委托业务费", text="委托业务费", pos=7)])
    assert failures("lookup", [row_total], parsed=parsed) == ["named_items_bound"]
    stated = Figure(value=Decimal("6265.73"), unit="万元", doc_id="d1", file_name="d1.pdf", page=5, source="narrative",
                    quote="2026年委托业务费涉及财拨资金6,265.73万元，主要用于…", row="委托业务费涉及财拨资金")
    assert failures("lookup", [used(stated, row("委托业务费"))], parsed=parsed) == []


def test_a_sum_uses_every_item_it_names():
    """三公经费、会议费和培训费三项合计 is not 三公经费 alone."""
    three = used(cell("20.00", "合计", column="三公经费合计", title="三公经费、会议费、培训费支出表"), row("三公经费", "concept"))
    parsed = ParsedQuestion(text="某局2026年三公经费、会议费和培训费三项合计多少万元", operation="sum",
                            items=[ItemRef(kind="concept", name="三公经费", text="三公经费", pos=7)],
                            columns=[("会议费", 12), ("培训费", 16)])
    assert failures("lookup", [three], parsed=parsed.model_copy(update={"operation": "lookup"})) == ["columns_used"]
    other = used(cell("12.00", "合计", column="会议费", title="会议费支出表"), row("会议费", "concept"))
    parsed = parsed.model_copy(update={"columns": [], "items": parsed.items + [ItemRef(kind="concept", name="会议费", text="会议费", pos=12),
                                                                                 ItemRef(kind="concept", name="培训费", text="培训费", pos=16)]})
    assert "every_operand_used" in failures("sum", [three, other], calc("32.00", "万元", three, other), parsed=parsed)


def test_a_sub_units_row_and_its_total_are_one_lookup(tmp_path):
    """执法支队的收入合计 / 江苏省某技师学院的收入: the sub-unit's row, not the table's 合计 plus or instead of it."""
    from tests.answer.synthetic import disclosure, engine_of, table

    rows = [("某市交通运输局（本级）", "123001", "300.00", "200.00", "100.00"),
            ("某市交通运输综合行政执法支队", "123002", "242.75", "200.00", "42.75"),
            ("江苏省某市技师学院", "123003", "158.03", "100.00", "58.03"),
            (None, None, "700.78", "500.00", "200.78")]
    income = table("2026年部门收入总表", rows, label="公开02表")
    engine = engine_of(tmp_path, [disclosure("d-jt", "某市交通运输局", "江苏省某市", 2026, ["交通运输局"], [income])])
    answer = engine.ask("2026年某市交通运输局部门预算收入总表中某市交通运输综合行政执法支队的收入合计是多少")
    assert (answer.status, answer.value) == ("answered", "242.75"), answer.answer
    answer = engine.ask("2026年某市交通运输局收入总表中江苏省某市技师学院的收入是多少")
    assert (answer.status, answer.value) == ("answered", "158.03"), answer.answer
    answer = engine.ask("某市交通运输局2026年行政执法支队的收入合计是多少")  # a name no row prints: not the total
    assert answer.value != "700.78", answer.answer


def test_a_line_under_the_carry_over_is_not_the_years_own(tmp_path):
    """重庆's 财政拨款收支总体情况表: 政府性基金预算拨款 printed only under 二、上年结转 is the carry-over's."""
    from tests.answer.synthetic import disclosure, engine_of, table

    rows = [("一、本年收入", None, "392.38", "0", "0"), ("（一）一般公共预算资金", None, "362.08", "0", "0"),
            ("（二）政府性基金预算资金", None, "30.30", "0", "0"), ("二、上年结转", None, "27.19", "0", "0"),
            ("（一）一般公共预算拨款", None, "16.83", "0", "0"), ("（二）政府性基金预算拨款", None, "10.36", "0", "0"),
            ("收入合计", None, "419.58", "0", "0")]
    carried = table("2026年财政拨款收支总体情况表", rows, label="表四")
    engine = engine_of(tmp_path, [disclosure("d-cq", "某市某局", "某市", 2026, ["某局"], [carried])])
    answer = engine.ask("某市某局2026年政府性基金预算拨款是多少万元？")
    assert answer.status != "answered" or answer.value != "10.36", answer.answer
    answer = engine.ask("某市某局2026年上年结转的政府性基金预算拨款是多少万元？")
    assert (answer.status, answer.value) == ("answered", "10.36"), answer.answer


def test_a_funding_row_followed_by_income_is_that_row(tmp_path):
    """收支总表 prints "一、财政拨款" on its 收入 side: 财政拨款收入 is that row, not the 收入 total."""
    from tests.answer.synthetic import disclosure, engine_of, table

    rows = [("一、财政拨款", None, "551.31", "0", "0"), ("二、单位资金", None, "7.53", "0", "0"), ("收入总计", None, "558.84", "0", "0")]
    totals = table("收支总表", rows, label="表1")
    engine = engine_of(tmp_path, [disclosure("d-ka", "某市口岸办公室", "某市", 2026, ["口岸办"], [totals])])
    answer = engine.ask("某市口岸办公室2026年收支总表中的财政拨款收入是多少万元？")
    assert (answer.status, answer.value) == ("answered", "551.31"), answer.answer


def test_a_kuan_and_xiang_path_is_the_one_row_under_that_kuan(tmp_path):
    """"强制隔离戒毒（款）行政运行（项）": two 行政运行 rows, the one under 20408 is asked; a path the table
    does not hold (监狱（款）水体（项）) stays ambiguous and is refused."""
    from tests.answer.synthetic import disclosure, engine_of, table

    lines = [(None, None, "90.00", "60.00", "30.00"),
             ("监狱", "20407", "40.00", "30.00", "10.00"), ("行政运行", "2040701", "30.00", "30.00", "0.00"),
             ("强制隔离戒毒", "20408", "50.00", "30.00", "20.00"), ("行政运行", "2040801", "24.99", "24.99", "0.00"),
             ("水体", "2110302", "1.00", "0.00", "1.00")]
    engine = engine_of(tmp_path, [disclosure("d-sf", "某市司法局", "某市", 2026, ["司法局"], [table("部门支出总表", lines)])])
    answer = engine.ask("某市司法局2026年强制隔离戒毒（款）行政运行（项）是多少")
    assert answer.status == "answered" and answer.value == "24.99", answer.answer
    assert engine.ask("某市司法局2026年监狱（款）水体（项）是多少").status == "refused"


def test_the_general_budget_spending_is_its_tables_total_and_a_spelled_out_count_wins(tmp_path):
    """一般公共预算财政拨款支出 is the total of the 一般公共预算支出 table (not of the 基本支出 one); "截至年末共有车辆"
    is the 共有车辆 sentence, not an earlier purchase of 5 cars."""
    from tests.answer.synthetic import disclosure, engine_of, table

    general = table("2026年一般公共预算支出情况表", [(None, None, "154304.22", "30000.00", "124304.22"),
                                                   ("行政运行", "2010101", "30000.00", "30000.00", "0.00")], label="表五")
    basic = table("2026年一般公共预算基本支出情况表", [(None, None, "30000.00", "30000.00", "0.00")], label="表六")
    text = ["2026年度财政拨款安排为下属单位购置公务用车5辆，预算136.48万元。",
            "截至2025年末，本部门共有车辆517辆，其中机要通信用车57辆。"]
    engine = engine_of(tmp_path, [disclosure("d-kj", "某市科学技术局", "某市", 2026, ["科技局"], [basic, general], text)])
    answer = engine.ask("某市科学技术局2026年一般公共预算财政拨款支出是多少万元")
    assert answer.status == "answered" and answer.value == "154304.22", answer.answer
    cars = engine.ask("某市科学技术局2026年截至2025年末共有车辆多少辆")
    assert cars.status == "answered" and cars.value == "517", cars.answer


def test_a_budgets_own_table_figure_is_its_years_opening_budget(tmp_path):
    """深圳审计局 表9 p34 prints a 2025年 row of 三公经费 in the 2026 budget: a 预算 disclosure's figures are 年初预算
    (sz-07 "深圳审计局2025年三公经费年初预算" → 40.31); a 决算 or 执行 column is never one."""
    from tests.answer.synthetic import disclosure, engine_of, table

    spending = table("2026年部门支出总表", [(None, None, "90.00", "60.00", "30.00"), ("行政运行", "2010101", "50.00", "50.00", "0.00")])
    engine = engine_of(tmp_path, [disclosure("d-plan", "某市某局", "某市", 2026, ["某局"], [spending])])
    answer = engine.ask("某市某局2026年行政运行年初预算是多少")
    assert (answer.status, answer.value) == ("answered", "50.00"), answer.answer
    spent = used(cell("0.00", "合计", column="三公经费/合计/决算数", title="三公经费支出表", total=True),
                 ItemRef(kind="concept", name="三公经费", text="三公经费"))
    assert failures("lookup", [spent], parsed=ParsedQuestion(text="某局2025年三公经费年初预算")) == ["figure_kind_named"]


def test_the_departments_line_is_not_its_own_level(tmp_path):
    """深圳市生态环境局 收入总表: the department's line (12,727.46) above its units was answered to "…（本级）…"; the
    table prints the 本级's own line (10,846.63)."""
    from index.core.model import Cell, Row
    from tests.answer.synthetic import disclosure, engine_of, table

    income = table("收入总表", [], columns=("上年结余、结转",))

    def line(name: str, value: str, total: bool = False) -> Row:
        return Row(name=name, is_total=total, cells=[Cell(text=value, value=Decimal(value), page=2)], page=2)

    income.rows = [line("某市生态环境局", "12727.46", total=True), line("某市生态环境局（本级）", "10846.63"),
                   line("某市环境监测站", "1880.83")]
    engine = engine_of(tmp_path, [disclosure("d-eco", "某市生态环境局", "某市", 2026, ["生态环境局"], [income])])
    answer = engine.ask("某市生态环境局（本级）2026年上年结余、结转是多少")
    assert answer.value != "12727.46", answer.answer
    assert answer.status == "refused" and "own_level_asked" in answer.checks or answer.value == "10846.63", answer.answer
    assert engine.ask("某市生态环境局2026年上年结余、结转是多少").value == "12727.46"
