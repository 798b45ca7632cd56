"""What the narrative's named figures should equal in the tables ("anchors").

收入预算 ↔ 收支总表 收入总计 / 收入总表 合计; 基本支出 ↔ the 基本支出 totals; 三公经费 and its parts ↔
the 三公 table; 机关运行经费 ↔ its column … A narrative figure is compared with every anchor of its
measure and is fine when it matches any of them (tables of one scope may legitimately differ from
another's; the cross-table check is where tables are held to each other).
"""

from __future__ import annotations

import re
from collections import defaultdict

from index.core.lexicon import (
    AMOUNT_GROUP_TOTAL_SEGMENT,
    BUDGET_FUNDS,
    ITEM_MARKERS,
    MEASURE_ORG_PREFIX,
    WHOLE_AMOUNT_SEGMENT,
)
from index.core.text import compact
from qa.audit.model import Disclosure, Figure, TableView
from qa.audit.reading.measures import TOTAL_KEY, measure_values
from qa.audit.reading.outline import sides


def three_public_item(text: str | None) -> str | None:
    t = compact(text or "")
    if "因公出国" in t:
        return "因公出国（境）费"
    if "公务接待" in t:
        return "公务接待费"
    # "公务用车购置预算支出" is the 购置费 alone; only a name with both words is the pair.
    buys, runs = "购置" in t, "运行" in t
    if "公务用车" in t or t.startswith(("购置", "运行")):
        if buys and not runs:
            return "公务用车购置费"
        if runs and not buys:
            return "公务用车运行费"
        return "公务用车购置及运行费"
    if "三公" in t:
        return "三公经费"
    return None


def strip_marker(name: str) -> str:
    name = compact(name)
    for _, pattern in ITEM_MARKERS:
        name = pattern.sub("", name)
    return name


def disclosure_anchors(disclosure: Disclosure) -> dict[str, list[Figure]]:
    return build_anchors(disclosure.views, disclosure.year)


def build_anchors(views: list[TableView], year: int | None) -> dict[str, list[Figure]]:
    anchors: dict[str, list[Figure]] = defaultdict(list)
    for view in views:
        title = view.title
        for j in view.numeric:
            if any("机关运行经费" in s for s in view.segments[j]):  # a column of the 三公 table in Shanghai
                anchors["机关运行经费"] += [f for rv in view.rows[:1] if (f := view.figure(rv, j))]
        if "三公" in title:
            three_public_anchors(view, year, anchors)
            continue
        if "采购" in title:
            # The amount column (金额 / 预算数 / 合计), never a 数量 or 单价 column beside it.
            amount = [j for j in view.numeric if WHOLE_AMOUNT_SEGMENT.search(view.segments[j][-1])
                      and not re.search(r"数量|单价|规格", "".join(view.segments[j]))]
            anchors["政府采购"] += [f for rv in view.rows if rv.is_total and amount and (f := view.figure(rv, amount[0]))]
            continue
        if view.is_summary:
            summary_anchors(view, "财政拨款" in title, anchors)
            continue
        values = measure_values(view)
        for measure in ("基本支出", "项目支出", "人员经费", "公用经费"):
            if (fig := values.get((TOTAL_KEY, measure))) is not None:
                anchors[measure].append(fig)
        total = values.get((TOTAL_KEY, "total"))
        if total is not None:
            if re.search(r"收入(预算)?总", title):
                anchors["收入"].append(total)
            elif re.search(r"支出(预算)?总", title):
                anchors["支出"].append(total)
            if "一般公共预算" in title and "基本" not in title:
                anchors["一般公共预算支出"].append(total)
        if re.search(r"收入(预算)?总", title):
            totals = [rv for rv in view.rows if rv.is_total][:1]
            for j in view.numeric:
                if "财政拨款" in view.segments[j][-1]:
                    anchors["财政拨款收入"] += [f for rv in totals if (f := view.figure(rv, j))]
    return anchors


def summary_anchors(view: TableView, fiscal: bool, anchors: dict[str, list[Figure]]) -> None:
    halves = sides(view)
    if len(halves) != 2:
        return
    (income_cols, income), (spending_cols, spending) = halves
    for rv in income:
        fig = view.figure(rv, income_cols[0])
        name = strip_marker(rv.name)
        if fig is None:
            continue
        if rv.is_total:
            anchors["财政拨款收入" if fiscal else "收入"].append(fig)
        elif "一般公共预算" in name:
            anchors["一般公共预算收入"].append(fig)
        elif "财政拨款" in name and not fiscal:
            anchors["财政拨款收入"].append(fig)
        elif "上年结转" in name or "上年结余" in name:
            anchors["上年结转"].append(fig)
        elif name in ("事业收入", "其他收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入"):
            anchors[name].append(fig)
    for rv in spending:
        if not rv.is_total:
            continue
        for j in spending_cols:
            fig = view.figure(rv, j)
            last = view.segments[j][-1]
            if fig is None:
                continue
            if j == spending_cols[0]:
                anchors["财政拨款支出" if fiscal else "支出"].append(fig)
            elif last == "一般公共预算":
                anchors["一般公共预算支出"].append(fig)


def three_public_anchors(view: TableView, year: int | None, anchors: dict[str, list[Figure]]) -> None:
    """Row-wise (1、因公出国… / 2020年预算数) or column-wise (合计 | 因公出国 | … ; a row per year) tables."""
    year_text = f"{year}年" if year else None
    year_columns = [j for j in view.numeric if year_text and any(year_text in s for s in view.segments[j])]
    current = year_columns[:1] or view.numeric[:1]
    row_items = {rv.index: three_public_item(rv.name) or ("三公经费" if rv.is_total else None) for rv in view.rows}
    if any(item and item != "三公经费" for item in row_items.values()):
        for rv in view.rows:
            if (item := row_items[rv.index]) and (fig := view.figure(rv, current[0])):
                anchors[item].append(fig)
        return
    year_rows = [rv for rv in view.rows if year_text and year_text in "".join(rv.row.attributes.values())]
    row = (year_rows or [rv for rv in view.rows if rv.is_total] or view.rows)[0]
    for j in view.numeric:
        if view.segments[j][-1] in BUDGET_FUNDS[1:] or any("机关运行经费" in s for s in view.segments[j]):
            continue  # 政府性基金 / 国有资本 shares of a fund-split table; 机关运行经费 is read elsewhere
        segments = [s for s in view.segments[j] if s not in BUDGET_FUNDS]
        # A column is named by its deepest segment; a group's 小计 stands for the group.
        name = segments[-1]
        if AMOUNT_GROUP_TOTAL_SEGMENT.search(name):
            name = segments[-2] if len(segments) >= 2 else "三公"
        item = three_public_item(name)
        if item and (fig := view.figure(row, j)):
            anchors[item].append(fig)


def narrative_key(measure: str, before: str, section: list[str], sentence: str) -> str | None:
    """The anchor a narrative measure refers to, or None when its wording is not specific enough."""
    m = MEASURE_ORG_PREFIX.sub("", compact(measure))
    if "机关运行经费" in m or "行政运行经费" in m:
        return "机关运行经费"
    if "三公" in "".join(section[-2:]) + sentence or three_public_item(m):
        # Only the words of the sentence name a 三公 item: headings are not reliably attached to paragraphs.
        return three_public_item(m) or three_public_item(before)
    if m.startswith("政府采购预算"):
        return "政府采购"
    for word in ("基本支出", "项目支出", "人员经费", "公用经费"):
        if word in m:
            return word
    if m in ("公用支出",):
        return "公用经费"
    if "财政拨款支出" in m:
        return "财政拨款支出"
    if "一般公共预算拨款支出" in m or "一般公共预算支出" in m:
        return "一般公共预算支出"
    if "一般公共预算拨款收入" in m:
        return "一般公共预算收入"
    if "财政拨款收入" in m or m == "财政拨款":
        return "财政拨款收入"
    if m in ("收入预算", "收入", "收入总计", "部门预算收入"):
        return "收入"
    if m in ("支出预算", "支出", "支出总计", "部门预算支出"):
        return "支出"
    if m in ("上年结转结余", "结转结余", "上年结转"):
        return "上年结转"
    if m in ("事业收入", "其他收入"):
        return m
    return None
