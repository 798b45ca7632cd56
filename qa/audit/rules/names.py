"""One 科目 code, one name: the tables of a disclosure name each code alike.

A code printed under two names in one disclosure (210 "卫生健康支出" in one table, "医疗卫生与计划生育
支出" in another) is a renamed 科目 left behind in one table. Names are compared without spaces and
punctuation; a name inside the other is the same name: cut short by a narrow cell ("其他社会保障和就业支"),
run into by a wrapped line ("费职业年金缴费"), or qualified ("归口管理的行政单位离退休"). Only tables by 科目
are read: a 采购 or project table lists its items under the code they are paid from.

    表2 2050803 培训费, 表3 2050803 培训支出 → 表2「培训费」(2050803) 与 表3「培训支出」名称不一致
"""

from __future__ import annotations

import re
from collections import defaultdict

from index.core.text import compact
from qa.audit.model import Disclosure, Finding, Location, RowView, TableView
from qa.audit.reading.measures import scope_of
from qa.audit.registry import rule
from qa.audit.rules.sums import misread

CJK = re.compile(r"[\u4e00-\u9fff]")
PUNCTUATION = re.compile(r"[\s（）()、，,.．:：;；\"“”'‘’\-－—_]")


def lists_items(view: TableView) -> bool:
    """A table naming one code three ways lists items (projects, purchases) under codes, not 科目."""
    names: dict[str, set[str]] = defaultdict(set)
    for rv in view.rows:
        if rv.code and rv.name:
            names[rv.code].add(normalised(rv.name))
    return any(len(n) >= 3 for n in names.values())


def normalised(name: str) -> str:
    return PUNCTUATION.sub("", compact(name)).removesuffix("支出")


def same_name(a: str, b: str) -> bool:
    x, y = normalised(a), normalised(b)
    return x in y or y in x


@rule("code_name", "科目名称", "warning", family="g", explanation="同一科目编码在各表中的名称应一致")
def check_code_names(disclosure: Disclosure) -> list[Finding]:
    printed: dict[str, list[tuple[TableView, RowView]]] = defaultdict(list)
    for view in disclosure.views:
        if scope_of(view) is None or lists_items(view):
            continue
        if misread(view):  # names shifted against their codes along with the figures
            view.skip("code_name", "多行不平，疑似读表错位")
            continue
        for rv in view.rows:
            if rv.code and rv.name and not rv.is_total and CJK.search(rv.name):
                printed[rv.code].append((view, rv))
    findings = []
    for code, rows in sorted(printed.items()):
        first_view, first = rows[0]
        others = [(v, rv) for v, rv in rows[1:] if not same_name(first.name, rv.name)]
        if not others:
            continue
        # Most tables may agree against the first: name the odd one out, against the most common name.
        names: dict[str, list[tuple[TableView, RowView]]] = defaultdict(list)
        for view, rv in rows:
            names[normalised(rv.name)].append((view, rv))
        common = max(names.values(), key=len)
        for group in names.values():
            if group is common or any(same_name(group[0][1].name, rv.name) for _, rv in common):
                continue
            view, rv = group[0]
            ref_view, ref = common[0]
            tables = "、".join(dict.fromkeys(v.label for v, _ in group))
            findings.append(Finding(
                kind="code_name", severity="warning", doc_id=view.doc_id,
                message=f"{tables}「{rv.name}」({code}) 与 {ref_view.label}「{ref.name}」名称不一致",
                figures=[code],
                locations=[where(view, rv), where(ref_view, ref)],
            ))
    return findings


def where(view: TableView, rv: RowView) -> Location:
    """The row's first printed figure, or the row itself."""
    figure = next((f for j in view.numeric if (f := view.figure(rv, j))), None)
    return figure.location if figure else Location(document=view.document, page=rv.row.page, table=view.label, row=rv.label)
