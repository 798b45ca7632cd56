"""The false alarms of issue 13, each rebuilt in code: same quantity or no comparison, and a skip counted
where the structure cannot be trusted.

    表3 grouped by 预算单位: "合计 ≠ 各科目之和" is not reported; the skip says "表格按预算单位分组"
"""

from __future__ import annotations

from qa.audit import audit_disclosure
from tests.audit.synthetic import disclosure, fact, row, table


def skipped(d, kind):
    return {s.reason for s in d.skips if s.kind == kind}


def grouped_rows(unit_line: str = "100.00", grand: str = "300.00"):
    """深圳's 支出总表 as the reader marks it: the total over units, each unit's line, its 科目."""
    def unit_row(name, figure, unit, code=None, line=False, total=False):
        r = row(name, figure, code=code, is_total=total, attributes={"预算单位": unit} if (line or total) else {})
        r.unit, r.is_unit_total, r.is_subtotal = unit, line, line
        return r
    return [
        unit_row("", grand, "某某局", total=True),
        unit_row("", unit_line, "某某局（本级）", line=True),
        unit_row("教育支出", "100.00", "某某局（本级）", code="205"),
        unit_row("进修及培训", "100.00", "某某局（本级）", code="20508"),
        unit_row("", "200.00", "某某中心", line=True),
        unit_row("教育支出", "200.00", "某某中心", code="205"),
        unit_row("进修及培训", "200.00", "某某中心", code="20508"),
    ]


def test_table_grouped_by_budget_unit_is_summed_within_each_unit():
    """The same 科目 in two units, each unit's line its subtotal, the total over both: nothing is wrong."""
    d = disclosure([table("表3", "支出总表", ["支出总计"], grouped_rows())])
    assert d.views[0].grouped and audit_disclosure(d) == []
    assert not {s.reason for s in d.skips} & {"表格按预算单位分组，分组不明"}


def test_a_unit_line_that_is_not_its_rows_sum_is_found():
    """某某局（本级） prints 110.00 over 科目 adding up to 100.00: found in its unit, and the total over
    units (300.00) no longer equals the units' lines (310.00)."""
    d = disclosure([table("表3", "支出总表", ["支出总计"], grouped_rows(unit_line="110.00"))])
    messages = sorted(f.message for f in audit_disclosure(d))
    assert messages == [
        "表3「合计」支出总计 300.00 ≠ 各单位之和 310.00（差 -10.00）",
        "表3「某某局（本级）」支出总计 110.00 ≠ 各科目之和 100.00（差 10.00）",
    ]


def test_grouped_rows_whose_units_are_not_known_are_skipped():
    """Two 预算单位 named beside the rows but no unit lines the reader could mark: counted, not summed."""
    rows = [
        row("", "300.00", is_total=True, attributes={"预算单位": "某某局"}),
        row("", "100.00", is_total=True, attributes={"预算单位": "某某局（本级）"}),
        row("教育支出", "100.00", code="205"),
        row("", "250.00", is_total=True, attributes={"预算单位": "某某中心"}),
        row("教育支出", "200.00", code="205"),
    ]
    d = disclosure([table("表3", "支出总表", ["支出总计"], rows)])
    assert audit_disclosure(d) == [] and "表格按预算单位分组，分组不明" in skipped(d, "total_row")


def test_one_row_per_unit_adds_up_to_the_total():
    """广州's 收入总体情况表: a row per unit under 合计; the department's own line (= 合计) is not a part."""
    def unit_row(name, figure, code=None):
        r = row(name, figure, code=code)
        r.unit = name
        return r
    rows = [row("合计", "300.00", is_total=True), unit_row("西山市交通局", "300.00", "153"),
            unit_row("西山市交通局（本级）", "100.00", "153001"), unit_row("西山市交通管理中心", "190.00", "153002")]
    d = disclosure([table("表2", "收入总表", ["合计"], rows)])
    [finding] = audit_disclosure(d)
    assert finding.message == "表2「合计」合计 300.00 ≠ 各单位之和 290.00（差 10.00）"


def test_a_second_classification_is_not_a_unit_grouping():
    """烟台's 基本支出表 prints 301 once under 政府经济分类 501 and again under 505: not grouped by unit."""
    rows = [
        row("合计", "30.00", is_total=True),
        row("工资福利支出", "20.00", code="301", attributes={"政府经济分类": "501"}),
        row("基本工资", "20.00", code="30101", attributes={"政府经济分类": "501"}),
        row("工资福利支出", "10.00", code="301", attributes={"政府经济分类": "505"}),
        row("基本工资", "10.00", code="30101", attributes={"政府经济分类": "505"}),
    ]
    d = disclosure([table("公开表6", "一般公共预算基本支出情况表", ["合计"], rows)])
    assert not d.views[0].grouped and audit_disclosure(d) == []
    rows[0].cells[0].value = rows[0].cells[0].value + 5  # and a wrong 合计 is found
    assert [f.kind for f in audit_disclosure(disclosure([table("公开表6", "一般公共预算基本支出情况表", ["合计"], rows)]))] == ["total_row"]


def test_table_continued_on_the_next_page_is_not_summed():
    first = table("表三", "支出总表", ["合计"], [row("合计", "150.00", is_total=True), row("教育支出", "100.00", code="205")])
    rest = table(None, None, ["列3"], [row("科学技术支出", "50.00", code="206")], page=2)
    d = disclosure([first], unviewed=[rest])
    d.views[0].continued = True  # as run.document_views finds it: an untitled fragment on the next page
    assert audit_disclosure(d) == [] and "表格疑似跨页续表，后续行未读入" in skipped(d, "total_row")


def test_children_after_qizhong_are_children():
    """"其中：（一）因公出国（境）支出 215.60" is the first of the 三公 parts (广州 表8)."""
    d = disclosure([table("表8", "财政拨款安排的行政经费及三公经费预算表", ["合计"], [
        row("三公经费", "226.86"),
        row("其中：（一）因公出国（境）支出", "215.60"),
        row("（二）公务用车购置及运行维护支出", "0.00"),
        row("（三）公务接待费支出", "11.26"),
    ], unit="万元")])
    assert audit_disclosure(d) == []


def test_line_numbers_are_not_amounts():
    d = disclosure([table("表1", "部门收入总表", ["行次", "合计"], [
        row("合计", "1", "300.00", is_total=True),
        row("一般公共服务支出", "2", "300.00", code="201"),
    ])])
    assert d.views[0].numeric == [1] and audit_disclosure(d) == []


def test_three_public_total_counts_only_three_public_columns():
    """“三公”经费合计 = 出国 + 公务用车 + 接待; 会议费 and 培训费 are printed beside them."""
    d = disclosure([table("表九", "一般公共预算三公经费、会议费、培训费支出表",
                          ["“三公”经费合计", "因公出国（境）费", "公务接待费", "会议费", "培训费"],
                          [row("合计", "15.00", "5.00", "10.00", "3.00", "7.00", is_total=True)], unit="万元")])
    assert audit_disclosure(d) == []


def test_three_public_table_is_not_compared_with_income():
    d = disclosure([
        table("表1", "部门收入总表", ["合计"], [row("合计", "1,000.00", is_total=True)]),
        table("表9", "一般公共预算三公经费、会议费、培训费支出表", ["合计"], [row("合计", "15.00", is_total=True)]),
    ])
    assert audit_disclosure(d) == []


def test_last_years_column_is_not_this_years_figure():
    d = disclosure([
        table("表1", "部门支出总表", ["合计"], [row("教育支出", "100.00", code="205")]),
        table("表2", "一般公共预算支出表", ["2025年预算数", "2026年预算数"], [row("教育支出", "90.00", "100.00", code="205")]),
    ])
    assert audit_disclosure(d) == []


def test_narrative_about_one_category_is_not_a_total():
    sentence = "（1）城乡社区支出（类）支出66,107.38万元，主要用于城市建设。"
    d = disclosure([table("表一", "收支总表", ["收入/预算数", "支出/预算数"], [
        row("本年支出合计", None, "90,000.00", is_total=True)], unit="万元")],
        [fact(sentence, "66,107.38", "万元", "支出")])
    assert audit_disclosure(d) == []


def test_part_of_an_unknown_whole_is_not_compared():
    """"涉及预算资金800万元，其中财政拨款800万元": a project's funds, not the department's 财政拨款."""
    sentence = "拟对某项目开展重点绩效评价，涉及预算资金800万元，其中财政拨款800万元。"
    d = disclosure([table("表一", "部门收入总表", ["合计", "财政拨款"], [row("合计", "9,000.00", "9,000.00", is_total=True)],
                          unit="万元")],
                   [fact(sentence, "800", "万元", "预算资金"), fact(sentence, "800", "万元", "财政拨款")])
    assert audit_disclosure(d) == []


def test_change_after_a_part_is_the_parts():
    """"…支出9,216.51万元，其中：（1）工资福利支出5,641.33万元，较上年增加297.07万元，增长5.56%": the part's."""
    sentence = "本部门一般公共预算支出9,216.51万元，其中：（1）工资福利支出5,641.33万元，较上年增加297.07万元，增长5.56%。"
    d = disclosure([], [
        fact(sentence, "9,216.51", "万元", "一般公共预算支出"),
        fact(sentence, "5,641.33", "万元", "工资福利支出"),
        fact(sentence, "297.07", "万元", "工资福利支出", "increase"),
        fact(sentence, "5.56%", "%", "工资福利支出", "growth_rate"),
    ])
    assert audit_disclosure(d) == []


def test_a_misread_table_is_skipped():
    """A column shifted by a row: every row fails, so the table, not the document, is wrong."""
    rows = [row("合计", "100.00", "60.00", "40.00", is_total=True)] + [
        row(f"科目{i}", "10.00", "7.00", f"{i}.00", code=f"2010{i}") for i in range(1, 7)]
    d = disclosure([table("表3", "部门支出总表", ["合计", "基本支出", "项目支出"], rows)])
    assert audit_disclosure(d) == [] and "多行不平，疑似读表错位" in skipped(d, "row_sum")


def test_a_gap_that_is_the_carry_over_is_two_quantities():
    """项目支出 9,798.66 including 上年结转 54.24 against 项目支出 9,744.42 without it (烟台 表十一, 表三)."""
    d = disclosure([
        table("表三", "支出总体情况表", ["合计", "基本支出", "项目支出"], [row("合计", "9,744.42", "0.00", "9,744.42", is_total=True)],
              unit="万元"),
        table("表十一", "项目支出预算情况表", ["合计", "财政拨款", "上年结转"], [row("合计", "9,798.66", "9,744.42", "54.24", is_total=True)],
              unit="万元"),
    ])
    assert audit_disclosure(d) == [] and "差额等于结转资金，两表口径不同" in skipped(d, "cross_table")


def test_unchanged_is_recomputed():
    """"公务接待费12.00万元，与上年11.00万元持平" says two different figures are the same."""
    def said(previous):
        sentence = f"2026年公务接待费12.00万元，与上年{previous}万元持平。"
        return disclosure([], [fact(sentence, "12.00", "万元", "公务接待费"),
                               fact(sentence, previous, "万元", "公务接待费", "previous", 2025)])
    [found] = audit_disclosure(said("11.00"))
    assert found.kind == "narrative_arithmetic" and "持平" in found.message
    assert audit_disclosure(said("12.00")) == []


def test_words_run_into_a_figure_mark_the_table_misread():
    """重庆 表二: "收入154,304.22" in an amount column — cells merged by the reader, the sums are not the table's."""
    rows = [row("合计", "168,441.81", "收入154,304.22", is_total=True), row("一般公共服务支出", "5,183.00", "5,183.00", code="201"),
            row("发展与改革事务", "183.00", "183.00", code="20104")]
    d = disclosure([table("表二", "部门收入总体情况表", ["总计", "一般公共预算拨款"], rows, unit="万元")])
    assert audit_disclosure(d) == [] and "多行不平，疑似读表错位" in skipped(d, "total_row")


def test_figures_a_row_off_their_names_mark_the_table_misread():
    """重庆 表四: "支出合计" prints nothing and a row with no name prints 1,811.88 (the last 类's figure)."""
    rows = [row("（一）一般公共服务支出", "143,368.57"), row("（二）住房保障支出", "16,604.23"),
            row(None, "1,811.88", is_total=True), row("支出合计", None)]
    rows[-1].is_subtotal = True
    d = disclosure([table("表四", "财政拨款收支总体情况表", ["支出/合计"], rows, unit="万元")])
    assert audit_disclosure(d) == [] and "多行不平，疑似读表错位" in skipped(d, "total_row")


def test_subject_blocks_side_by_side_are_not_totalled():
    """西安's 基本支出决算表 prints 科目 | 决算数 three times across the page: "公用经费合计" under the
    third block adds up the second and third, which the reader cannot tell."""
    rows = [row("工资福利支出", "92.00", "2.00", "7.00", code="301"), row("基本工资", "92.00", None, None, code="30101"),
            row("公用经费合计", None, None, "9.00", is_total=True)]
    d = disclosure([table("公开06表", "一般公共预算财政拨款基本支出决算表", ["决算数", "决算数#2", "决算数#3"], rows, unit="万元")])
    assert audit_disclosure(d) == [] and "表内并列多组行，行的归属不明" in skipped(d, "total_row")
