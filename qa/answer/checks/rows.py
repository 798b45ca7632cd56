"""Checks that the row read is the one asked: a total asked for is a total row, not a unit's own row.

    广州市人民政府办公厅三公经费 → the 三公 table's “广州市人民政府办公厅（本级）” row: refused, the 合计 row exists
    外办收入预算 → 表1's “收入总计” row: accepted (a total by name)
    重庆某局三公经费 → 表八 207.46（read as 元）, the text 207.46万元: refused, the unit is in doubt
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.core.lexicon import ECONOMIC_NAMES, LEVEL_MARK
from index.core.terms import clean_name
from index.core.text import compact
from index.core.units import BRACKETED_UNIT, MONEY, show
from qa.answer.checks.base import Check, Review, register
from qa.figures.locate import CARRIED, Located, carried_heading

# Measures that are a disclosure's (or a table's) whole: read from a total row or column.
TOTAL_CONCEPTS = frozenset({"收入预算", "支出预算", "三公经费", "政府采购预算", "政府购买服务"})
TOTAL_NAME = re.compile(r"(合计|总计|总额|小计)$|^(收入|支出)总计|^本年(收入|支出)合计")


@register
class TotalIsTotal(Check):
    """A total asked for comes from the table's total row when the table has one."""

    name = "total_is_total"

    def problem(self, review: Review) -> str | None:
        for located in review.used:
            if not asks_total(located):
                continue
            figure = located.primary
            if figure.source != "table" or figure.parts or figure.table_index is None or figure.row_index is None:
                continue
            name = clean_name(figure.row)
            if LEVEL_MARK.search(figure.row or ""):
                return f"所问的是合计数，找到的是“{figure.row}”行（单位本级，不是合计）：{figure.place()}"
            if figure.is_total or TOTAL_NAME.search(name) or review.facts is None:
                continue
            rows = review.facts.doc(figure.doc_id).rows.get(figure.table_index, {})
            if any(c.is_total for cells in rows.values() for c in cells):
                return f"所问的是合计数，找到的是“{figure.row}”行（不是该表的合计行）：{figure.place()}"
        return None


def asks_total(located: Located) -> bool:
    query = located.query
    if query is None:
        return False
    if query.item is None:
        return True
    if query.context and query.context_item is not None and query.context_item.kind in ("row", "code"):
        return False  # 2200107…的政府采购: that row's line of the measure's table, not its total
    concept = query.concept
    return concept is not None and concept.name in TOTAL_CONCEPTS


@register
class CodeMatchesName(Check):
    """A 经济分类 row whose name is another code's national name was read a row off: its figures belong to
    the name printed next to them, not to this one (30101 is 基本工资; "30101 津贴补贴" pairs wrongly)."""

    name = "code_matches_name"

    def problem(self, review: Review) -> str | None:
        by_name = _economic_codes()
        for figure in review.figures:
            own = ECONOMIC_NAMES.get(figure.code or "")
            if figure.source != "table" or own is None:
                continue
            name = compact(clean_name(figure.row)).removeprefix(figure.code or "")
            other = by_name.get(name)
            if other is not None and other != figure.code and name != compact(own):
                return (f"“{name}”所在行的编码是{figure.code}（{own}），而“{name}”的编码应为{other}，"
                        f"该行的名称与数字可能错开了一行：{figure.place()}")
        return None


def _economic_codes() -> dict[str, str]:
    return {compact(name): code for code, name in ECONOMIC_NAMES.items()}


@register
class PrintedUnitAgrees(Check):
    """The table and the text print the same digits in units 10,000 apart (207.46元 vs 207.46万元): the
    table's unit was misread, and either figure may be the wrong one."""

    name = "printed_unit_agrees"

    def problem(self, review: Review) -> str | None:
        for located in review.used:
            figure = located.primary
            for other in located.conflicting + located.narrative[:1]:
                if other.value == figure.value and other.unit != figure.unit and {other.unit, figure.unit} <= set(MONEY):
                    return (f"“{located.item_label}”在{figure.place()}印为{show(figure.value, figure.unit)}，"
                            f"在{other.place()}为{show(other.value, other.unit)}：数字相同而单位不同，无法确定单位")
        return None


@register
class TableUnitAgrees(Check):
    """A table whose figures the text repeats only in another money unit (表三 154,304.22 “元”, the text
    154,304.22万元) had its unit misread: none of its figures is answered."""

    name = "table_unit_agrees"

    def problem(self, review: Review) -> str | None:
        if review.facts is None:
            return None
        for located in review.used:
            figure = located.primary
            if figure.source != "table" or figure.table_index is None or figure.unit not in MONEY:
                continue
            loaded = review.facts.doc(figure.doc_id)
            stated = {(v, u) for v, u in review.facts.stated.amounts(figure.doc_id) if u in MONEY and _telling(v)}
            cells = {c.value for cells in loaded.rows.get(figure.table_index, {}).values() for c in cells if _telling(c.value)}
            # Tables printed in 万元 are read as 元 when their unit line is missed; the reverse is the text's slip.
            other = {v for v in cells for unit in MONEY if MONEY[unit] > MONEY[figure.unit] and (v, unit) in stated}
            same = {v for v in cells if (v, figure.unit) in stated}
            if other and not same:
                example = sorted(other)[-1]
                return (f"{figure.place().split('第')[0]}的数字在正文中以另一单位出现（如{show(example, figure.unit)}在正文为"
                        f"{next(show(example, u) for u in MONEY if (example, u) in stated)}），表格单位可能读错")
        return None


@register
class ColumnUnitAgrees(Check):
    """A row or column whose header prints its own unit (西安 表14 "资金金额（万元）") read in another unit (the
    table's 元): which one the figures are in is not known, so none is answered or converted."""

    name = "column_unit_agrees"

    def problem(self, review: Review) -> str | None:
        for located in review.used:
            figure = located.primary
            said = BRACKETED_UNIT.findall(f"{figure.row or ''}{figure.column or ''}") if figure.source == "table" else []
            if figure.unit in MONEY and said and said[-1] != figure.unit:
                return (f"{figure.place()}的行列名标明单位为{said[-1]}，表格单位读作{figure.unit}：无法确定单位，"
                        f"不给出数字")
        return None


def _telling(value: Decimal) -> bool:
    """A figure specific enough that the same digits elsewhere are the same figure (not 0, 1, 10 …)."""
    return value >= 100 and value != value.to_integral_value() or value >= 10000


@register
class TextAgreesWithTable(Check):
    """A measure the text states (三公经费, 机关运行经费 …) that its table prints otherwise: which one is
    right cannot be told from the document, so neither is given as the answer."""

    name = "text_agrees_with_table"

    def problem(self, review: Review) -> str | None:
        for located in review.used:
            if located.query is None or located.query.concept is None:
                continue
            stated = [f for f in located.conflicting if f.source == "narrative"]
            if stated and located.primary.source == "table":
                p, t = located.primary, stated[0]
                return (f"“{located.item_label}”在{p.place()}为{show(p.value, p.unit)}，正文第{t.page}页为"
                        f"{show(t.value, t.unit)}，文件自身不一致")
        return None


@register
class WholeOfRow(Check):
    """A line's figure, no column asked, is its whole amount: not one of its parts (气象事业机构 read in
    its 人员经费支出 column while the row's 合计 is elsewhere, or is not printed at all)."""

    name = "whole_of_row"

    def problem(self, review: Review) -> str | None:
        if review.facts is None:
            return None
        for located in review.used:
            query, figure = located.query, located.primary
            if query is None or query.column or query.concept is not None or figure.source != "table" or figure.parts:
                continue
            if figure.table_index is None or figure.row_index is None or WHOLE_LEAF.search(_leaf(figure.column)):
                continue
            row = review.facts.doc(figure.doc_id).rows.get(figure.table_index, {}).get(figure.row_index, [])
            bigger = [c for c in row if c.value > figure.value and not PREVIOUS.search(compact(c.column))]
            if bigger:
                return (f"“{located.item_label}”取的是“{_leaf(figure.column)}”列，只是该行的一部分"
                        f"（同一行另有{show(bigger[0].value, bigger[0].unit or figure.unit)}）：{figure.place()}")
        return None


WHOLE_LEAF = re.compile(r"合计|总计|小计|金额|预算数|决算数|预算$|总额|本年|全年|年初")
PREVIOUS = re.compile(r"(上年|去年|上一年|前一年)(?!结转|结余)")


def _leaf(column: str | None) -> str:
    return compact((column or "").rsplit("/", 1)[-1])


@register
class UnderItsHeading(Check):
    """A line numbered （二） under 二、上年结转 is part of the carry-over, not the year's own figure of that name:
    重庆's 财政拨款收支总体情况表 prints 政府性基金预算拨款 under both 一、本年收入 and 二、上年结转."""

    name = "under_its_heading"

    def problem(self, review: Review) -> str | None:
        if review.facts is None or CARRIED.search(compact(review.parsed.text)):
            return None
        for located in review.used:
            heading = carried_heading(review.facts, located.primary)
            if heading:
                return f"“{located.primary.row}”是“{heading}”下的一项，不是本年的数字：{located.primary.place()}"
        return None


@register
class ProjectOrClass(Check):
    """"公共法律服务项目支出": a 科目's 项目支出 column, or the project of that name in the 项目支出 table. When the
    disclosure prints both, with different figures, which one is asked is not said."""

    name = "project_or_class"

    def problem(self, review: Review) -> str | None:
        if review.facts is None:
            return None
        for located in review.used:
            figure = located.primary
            if figure.source != "table" or not figure.code or "项目支出" not in (figure.column or "") \
                    or figure.code in compact(review.parsed.text):
                continue  # 2040607公共法律服务的项目支出: the code says which
            name = clean_name(figure.row).removeprefix(figure.code)
            doc = review.facts.doc(figure.doc_id)
            for t, rows in doc.rows.items():
                if t == figure.table_index or "项目" not in doc.titles.get(t, ""):
                    continue
                for cells in rows.values():
                    first = cells[0]
                    if not first.code and clean_name(first.name) == name and first.value != figure.value:
                        return (f"“{name}”既是功能科目（{figure.code}，项目支出{show(figure.value, figure.unit)}），"
                                f"又是《{first.title or doc.titles.get(t, '')}》中的项目（{show(first.value, first.unit)}），"
                                "不清楚问的是哪一个")
        return None


@register
class OwnLevelAsked(Check):
    """"深圳市生态环境局（本级）…上年结余、结转": the 本级 asked is the unit's own row where the table prints one, not
    the department's line above its units."""

    name = "own_level_asked"

    def problem(self, review: Review) -> str | None:
        asked = [n for n in review.parsed.department_names if "本级" in n and LEVEL_MARK.search(n)]
        if not asked or review.facts is None:
            return None
        department = compact(LEVEL_MARK.sub("", asked[0]))
        for located in review.used:
            figure = located.primary
            if figure.source != "table" or figure.table_index is None or compact(clean_name(figure.row)) != department:
                continue  # only the department's own line above its units (深圳市生态环境局) is not its 本级
            rows = review.facts.doc(figure.doc_id).rows.get(figure.table_index, {})
            own = next((c for cells in rows.values() if "本级" in (cells[0].name or "") and LEVEL_MARK.search(cells[0].name or "")
                        for c in cells if c.column == figure.column), None)
            if own is not None and own.value != figure.value:  # a unit with no others: its line is the total
                return f"问的是“{asked[0]}”，找到的是“{figure.row or '合计'}”行，该表另印有“{own.name}”行：{figure.place()}"
        return None
