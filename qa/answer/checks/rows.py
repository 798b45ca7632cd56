"""Checks that the row read is the one asked: a total asked for is a total row, not a unit's own row.

    广州市人民政府办公厅三公经费 → the 三公 table's “广州市人民政府办公厅（本级）” row: refused, the 合计 row exists
    外办收入预算 → 表1's “收入总计” row: accepted (a total by name)
"""

from __future__ import annotations

import re

from index.core.lexicon import LEVEL_MARK
from qa.answer.checks.base import Check, Review, register
from qa.figures.locate import Located
from qa.understand.vocabulary import clean_name

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
    concept = query.concept
    return concept is not None and concept.name in TOTAL_CONCEPTS
