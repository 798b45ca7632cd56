"""Every audit rule on small tables and sentences built in code: a clean disclosure gives no finding,
one planted error gives exactly the finding of its rule (kind, severity, message, figures).

No PDF, no store: ``Table``/``Row``/``Cell`` from ``index.core.model`` go through ``table_view`` into a
``Disclosure`` (``tests/audit/synthetic.py``), and ``audit_disclosure`` runs every registered rule
over it. A new rule adds its case to ``CASES`` (``test_every_rule_has_a_case`` fails until it does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from index.core.model import Table
from index.core.units import Amount
from index.store.facts import StoredNarrativeFact
from qa.audit import Disclosure, Location, audit_disclosure, mismatch, registered_rules, rule_for
from tests.audit.synthetic import DOC_ID, FILE, disclosure, fact, row, table

# --- one case per rule kind ----------------------------------------------------------------------

FUNCTION_NAMES = ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行")


def coded_hierarchy(planted: bool) -> Disclosure:
    """201 = 20103 = 2010301 + 2010350 in one amount column; planted: 事业运行 41.00 instead of 40.00."""
    return disclosure([table("表1", "支出预算表", ["金额"], [
        row("一般公共服务支出", "100.00", code="201"),
        row("政府办公厅（室）及相关机构事务", "100.00", code="20103"),
        row("行政运行", "60.00", code="2010301"),
        row("事业运行", "41.00" if planted else "40.00", code="2010350"),
    ])])


def coded_total(planted: bool) -> Disclosure:
    """合计 = 201 + 205; planted: 合计 101.00."""
    return disclosure([table("表1", "支出预算表", ["金额"], [
        row("合计", "101.00" if planted else "100.00", is_total=True),
        row("一般公共服务支出", "60.00", code="201"),
        row("教育支出", "40.00", code="205"),
    ])])


def row_sum(planted: bool) -> Disclosure:
    """合计 = 基本支出 + 项目支出 across the row; planted: 合计 101.00."""
    return disclosure([table("表1", "支出预算表", ["合计", "基本支出", "项目支出"], [
        row("一般公共服务支出", "101.00" if planted else "100.00", "60.00", "40.00", code="201"),
    ])])


def summary(income_part: str = "20.00", spending_total: str = "120.00") -> Disclosure:
    """A 收支总表 read by its outline: 一、= its （一）（二）; 收入总计 = 一、+ 二、; 收入总计 = 支出总计."""
    return disclosure([table("表1", "部门收支总表", ["收入/预算数", "支出/预算数"], [
        row("一、财政拨款收入", "100.00", None),
        row("（一）一般公共预算", "80.00", None),
        row("（二）政府性基金", income_part, None),
        row("二、事业收入", "20.00", None),
        row("收入总计", "120.00", None, is_total=True),
        row("一、一般公共服务支出", None, spending_total),
        row("支出总计", None, spending_total, is_total=True),
    ])])


def cross(planted: bool) -> Disclosure:
    """The same 科目 in 收入总表 and 支出总表; planted: 支出总表 101.00."""
    return disclosure([
        table("表1", "部门收入总表", ["合计"], [row("一般公共服务支出", "100.00", code="201")]),
        table("表2", "部门支出总表", ["合计"], [row("一般公共服务支出", "101.00" if planted else "100.00", code="201")]),
    ])


def narrative_against_table(planted: bool) -> Disclosure:
    said = "121.00" if planted else "120.00"
    sentence = f"2026年收入预算{said}万元。"
    return disclosure(
        [table("表1", "部门收入总表", ["合计"], [row("合计", "1,200,000.00", is_total=True)])],
        [fact(sentence, said, "万元", "收入预算")],
    )


def arithmetic(planted: bool) -> Disclosure:
    change = "11.00" if planted else "10.00"
    sentence = f"2026年基本支出70.00万元，比2025年60.00万元增加{change}万元，增长16.67%。"
    return disclosure([], [
        fact(sentence, "70.00", "万元", "基本支出"),
        fact(sentence, "60.00", "万元", "基本支出", "previous", 2025),
        fact(sentence, change, "万元", "基本支出", "increase"),
        fact(sentence, "16.67%", "%", "基本支出", "growth_rate"),
    ])


def item_tables() -> list[Table]:
    return [table("表1", "一般公共预算支出表", ["合计"], [
        row(FUNCTION_NAMES[0], "700,000.00", code="201"),
        row(FUNCTION_NAMES[1], "700,000.00", code="20103"),
        row(FUNCTION_NAMES[2], "700,000.00", code="2010301"),
    ])]


def item_line(kuan: str = FUNCTION_NAMES[1]) -> StoredNarrativeFact:
    sentence = f"一般公共服务支出（201类）{kuan}（03款）行政运行（01项）70.00万元。"
    return fact(sentence, "70.00", "万元", "行政运行")


def restated(planted: bool) -> Disclosure:
    """A 科目 line and the sentence after it, which gives its 本年预算 again; planted: 71.00 there."""
    again = "71.00" if planted else "70.00"
    sentence = f"2025年当年预算执行数为60.00万元，2026年预算安排{again}万元，比2025年预算执行数增加16.67%。"
    return disclosure(item_tables(), [
        item_line(),
        fact(sentence, "60.00", "万元", "当年预算执行数", "previous", 2025),
        fact(sentence, again, "万元", "预算安排", "value", 2026),
        fact(sentence, "16.67%", "%", "预算安排", "growth_rate"),
    ])


def names(planted: bool) -> Disclosure:
    return disclosure(item_tables(), [item_line("政府办公室事务" if planted else FUNCTION_NAMES[1])])


def same_year(planted: bool) -> Disclosure:
    compared = "2026" if planted else "2025"
    sentence = f"2026年基本支出70.00万元，比{compared}年预算增加10.00万元。"
    return disclosure([], [
        fact(sentence, "70.00", "万元", "基本支出"),
        fact(sentence, "10.00", "万元", "基本支出", "increase"),
    ])


def performance(planted: bool) -> Disclosure:
    """部门整体支出绩效目标表 restates the budget's total in 万元; planted: 121.00."""
    said = "121.00" if planted else "120.00"
    targets = table(None, "部门整体支出绩效目标表", ["部门（单位）名称", "某某局", "某某局"], [
        row("部门（单位）总体资金情况（万元）", "部门（单位）总体资金情况（万元）", "资金总额：", said),
    ], unit=None)
    return disclosure([table("表1", "部门收入总表", ["合计"], [row("合计", "1,200,000.00", is_total=True)])],
                      unviewed=[targets])


def code_names(planted: bool) -> Disclosure:
    """One code in two tables; planted: another name for it in the second."""
    name = "一般公共事务支出" if planted else "一般公共服务支出"
    return disclosure([
        table("表1", "部门收入总表", ["合计"], [row("一般公共服务支出", "100.00", code="201")]),
        table("表2", "部门支出总表", ["合计"], [row(name, "100.00", code="201")]),
    ])


def titled(planted: bool) -> Disclosure:
    return disclosure([table("表1", f"{2025 if planted else 2026}年部门收入总表", ["合计"], [row("合计", "1.00", is_total=True)])])


def share(planted: bool) -> Disclosure:
    said = "65%" if planted else "60%"
    sentence = f"支出预算合计100.00万元，其中：基本支出60.00万元，占{said}。"
    return disclosure([], [
        fact(sentence, "100.00", "万元", "支出预算合计"),
        fact(sentence, "60.00", "万元", "基本支出"),
        fact(sentence, said, "%", "基本支出"),
    ])


@dataclass(frozen=True)
class Case:
    kind: str
    build: Callable[[bool], Disclosure]
    severity: str
    message: str
    figures: list[str]


CASES = [
    Case("hierarchy", coded_hierarchy, "error",
         "表1「政府办公厅（室）及相关机构事务」(20103) 金额 100.00 ≠ 下级科目之和 101.00（差 -1.00）",
         ["100.00", "101.00", "-1.00"]),
    Case("hierarchy", lambda planted: summary(income_part="21.00" if planted else "20.00"), "error",
         "表1「一、财政拨款收入」收入/预算数 100.00 ≠ 下级各项之和 101.00（差 -1.00）", ["100.00", "101.00", "-1.00"]),
    Case("total_row", coded_total, "error", "表1「合计」金额 101.00 ≠ 各科目之和 100.00（差 1.00）",
         ["101.00", "100.00", "1.00"]),
    Case("row_sum", row_sum, "error",
         "表1「一般公共服务支出」(201) 合计 101.00 ≠ 基本支出＋项目支出 100.00（差 1.00）", ["101.00", "100.00", "1.00"]),
    Case("balance", lambda planted: summary(spending_total="121.00" if planted else "120.00"), "error",
         "表1「收入总计」收入/预算数 120.00 ≠ 支出总计 121.00（差 -1.00）", ["120.00", "121.00", "-1.00"]),
    Case("cross_table", cross, "error", "表2「一般公共服务支出」(201) 合计 101.00 ≠ 表1 100.00（差 1.00）",
         ["101.00", "100.00", "1.00"]),
    Case("narrative_table", narrative_against_table, "error",
         "正文「收入预算」121.00万元 ≠ 表1「合计」合计 1,200,000.00元（差 1.00万元）", ["121.00", "1200000.00", "1.00"]),
    Case("narrative_arithmetic", arithmetic, "error",
         "「基本支出」70.00万元 − 60.00万元 = 10.00万元，正文却写增加 11.00万元", ["70.00", "60.00", "11.00"]),
    Case("narrative_consistency", restated, "error",
         "「行政运行」(2010301) 正文先写 70.00万元，随后写本年预算安排 71.00万元（差 1.00万元）；文中增长率 16.67% 与 70.00万元 相符",
         ["70.00", "71.00"]),
    Case("narrative_name", names, "warning",
         "正文科目名称「政府办公室事务」(20103) 与表中「政府办公厅（室）及相关机构事务」不一致", ["20103"]),
    Case("performance_target", performance, "error",
         "部门整体支出绩效目标表「资金总额」121.00万元 ≠ 表1「合计」合计 1,200,000.00元（差 1.00万元）",
         ["121.00", "1200000.00", "1.00"]),
    Case("code_name", code_names, "warning", "表2「一般公共事务支出」(201) 与 表1「一般公共服务支出」名称不一致", ["201"]),
    Case("table_year", titled, "warning", "表1《2025年部门收入总表》标题年份2025年与文档年份2026年不一致", ["2025"]),
    Case("narrative_share", share, "error", "「基本支出」60.00万元 占 100.00万元 的 60.00%，正文却写 65%",
         ["60.00", "100.00", "65", "60.00"]),
    Case("narrative_year", same_year, "warning",
         "正文“2026年基本支出70.00万元，比2026年预算增加10.00万元”：2026年预算与2026年预算相比，比较年份应为上一年", ["2026"]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_clean_disclosure_has_no_finding(case: Case) -> None:
    assert audit_disclosure(case.build(False)) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_planted_error_gives_exactly_its_finding(case: Case) -> None:
    [found] = audit_disclosure(case.build(True))
    assert (found.kind, found.severity, found.message, found.figures) == (
        case.kind, case.severity, case.message, case.figures
    )
    assert all(loc.document == FILE for loc in found.locations) and found.doc_id == DOC_ID
    rule = rule_for(case.kind)
    assert rule is not None and [f.message for f in rule.check(case.build(True))] == [case.message]


def test_every_rule_has_a_case() -> None:
    assert {r.kind for r in registered_rules()} == {c.kind for c in CASES}


def test_each_case_reports_with_its_rule_severity() -> None:
    """A rule's findings carry its severity unless a part is printed blank (then a 提示, see below)."""
    severity = {r.kind: r.severity for r in registered_rules()}
    assert all(case.severity == severity[case.kind] for case in CASES)


# --- findings shared across tables and columns -----------------------------------------------------

def test_one_discrepancy_in_two_copies_of_a_table_is_one_finding() -> None:
    """支出总表 and 一般公共预算支出表 of a department with one source of funds print the same rows."""
    rows = [row("合计", "101.00", is_total=True), row("一般公共服务支出", "100.00", code="201")]
    both = disclosure([table("表1", "部门支出总表", ["合计"], rows), table("表2", "一般公共预算支出表", ["合计"], rows)])
    [found] = audit_disclosure(both)
    assert found.kind == "total_row" and found.message.startswith("表1、表2「合计」合计 101.00 ≠")
    assert [loc.table for loc in found.locations] == ["表1", "表1", "表2"]


def test_a_blank_part_makes_a_warning() -> None:
    """A part printed blank while its own parts are printed: more likely missing than wrong."""
    three_public = disclosure([table("表1", "“三公”经费支出表", ["预算数"], [
        row("1、因公出国（境）费", "10.00"),
        row("2、公务用车购置及运行费", None),
        row("其中：公务用车购置费", "5.00"),
        row("公务用车运行费", "15.00"),
        row("合计", "30.00", is_total=True),
    ])])
    [found] = audit_disclosure(three_public)
    assert (found.kind, found.severity) == ("total_row", "warning") and found.message.endswith("，其中有空白项")


def test_mismatch_names_each_side_and_the_difference() -> None:
    where = Location(document=FILE)
    table_side = mismatch("row_sum", Amount(Decimal("5726351.4"), "元", "5,726,351.4"), "表3「一般公共服务支出」(201) 合计",
                          Amount(Decimal("5710031.40"), "元"), "基本支出＋项目支出", locations=[where], doc_id=None, places=2)
    assert table_side.message == "表3「一般公共服务支出」(201) 合计 5,726,351.40 ≠ 基本支出＋项目支出 5,710,031.40（差 16,320.00）"
    text_side = mismatch("narrative_table", Amount(Decimal("8691.03"), "万元", "8691.03"), "正文「项目支出」",
                         Amount(Decimal("87408947.32"), "元", "87,408,947.32"), "表三「总计」项目支出",
                         locations=[where], doc_id=None, units=True)
    assert text_side.message == "正文「项目支出」8,691.03万元 ≠ 表三「总计」项目支出 87,408,947.32元（差 -49.86万元）"
    assert text_side.figures == ["8691.03", "87408947.32", "-49.864732"]
