"""Performance-target tables (绩效目标表) against the budget tables whose figures they restate.

A 部门整体支出绩效目标表 prints the department's 资金总额, 基本支出 and 项目支出; a 项目支出绩效目标表 prints one
project's 年度资金总额. These tables are text grids the audit does not view as budget tables: a label
cell ("资金总额：") is read with the first amount to its right in the same row, in the unit printed with
the amount ("178.4万元") or in the nearest "（万元）" above it (else the table's unit).

    表11 「资金总额：」795.56 (under "部门（单位）总体资金情况（万元）") vs 表1 收入总计 7,955,559.34 元 → agrees
    表11 「项目支出：」275.00 → 绩效目标表 表11「项目支出」275.00万元 ≠ 表3「合计」项目支出 2,739,939.12元

A project is compared only when the table names exactly one project a budget table lists under exactly
that name (summed over its rows in a 明细表).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from index.core.lexicon import WHOLE_AMOUNT_SEGMENT
from index.core.model import Table
from index.core.numbers import format_amount, try_parse_number
from index.core.text import compact
from index.core.units import Amount
from qa.audit.model import Disclosure, Figure, Finding, Location, differs, places_of
from qa.audit.model import mismatch as mismatch_finding
from qa.audit.reading.anchors import disclosure_anchors
from qa.audit.registry import rule

PERFORMANCE_TITLE = re.compile(r"绩效")
DEPARTMENT_WIDE = re.compile(r"整体|总体资金")
# A department's label and the anchors (``reading.anchors``) it may restate.
DEPARTMENT_LABELS = {"资金总额": ("收入", "支出", "财政拨款收入"), "基本支出": ("基本支出",), "项目支出": ("项目支出",)}
PROJECT_LABELS = {"年度资金总额", "年度预算资金总额"}
AMOUNT = re.compile(r"^(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)?$")
UNIT_NOTE = re.compile(r"[（(](万元|元)[)）]")
MIN_NAME = 6


@dataclass(frozen=True)
class Restated:
    label: str
    figure: Figure


def label_of(text: str) -> str:
    return compact(text).rstrip("：:")


def grid(table: Table) -> list[tuple[int | None, list[str]]]:
    """The table as rows of text (its header first): the row's page and its cells, name and other text first."""
    rows: list[tuple[int | None, list[str]]] = [(table.pages[0] if table.pages else None, list(table.columns))]
    rows += [(row.page, [row.name or "", *row.attributes.values()] + [c.text or "" for c in row.cells])
             for row in table.rows]
    return rows


def restated(table: Table, document: str, labels: set[str], unit_of_document: str | None) -> list[Restated]:
    """Each labelled amount of a performance table, in the unit printed with it or nearest above it
    (else the table's unit, else the one unit of the document's budget tables)."""
    found = []
    unit_above: str | None = None
    for page, cells in grid(table):
        for text in cells:
            if m := UNIT_NOTE.search(compact(text)):
                unit_above = m.group(1)
        for i, text in enumerate(cells):
            label = label_of(text)
            if label not in labels:
                continue
            value = next((m for t in cells[i + 1:] if (m := AMOUNT.match(compact(t).replace("，", ",")))), None)
            unit = (value.group(2) if value else None) or unit_above or table.unit or unit_of_document
            parsed = try_parse_number(value.group(1)) if value else None
            if parsed is None or parsed.value is None or unit is None:
                continue
            where = Location(document=document, page=page, table=table.label or table.title, row=label, column=None,
                             value=value.group(0) if value else None)
            found.append(Restated(label, Figure(Amount(parsed.value, unit, value.group(1) if value else None), where)))
            break  # one amount per row: a second label in the row repeats the first
    return found


def project_name(table: Table, known: set[str]) -> str | None:
    """The one budget project a table names in its header or first rows (several: None). A name matches
    a budget project's exactly, or contains it or is contained in it (six characters at least, one
    project only: "服务联络办工作经费" is "区服务联络办工作经费"); "2020年度" and "2020年" are one year."""
    cells = {project_key(c.removeprefix("项目名称").lstrip("：:"))
             for _, row in grid(table)[:4] for text in row for c in compact(text).split("/")}
    keys = {project_key(k): k for k in known}
    exact = {keys[c] for c in cells if c in keys}
    if exact:
        return exact.pop() if len(exact) == 1 else None
    near = {keys[k] for c in cells if len(c) >= MIN_NAME for k in keys if len(k) >= MIN_NAME and (c in k or k in c)}
    return near.pop() if len(near) == 1 else None


def project_key(name: str) -> str:
    return re.sub(r"(20\d\d)年度", r"\1年", compact(name))


def project_amounts(disclosure: Disclosure) -> dict[str, list[Figure]]:
    """A project's figure in the budget tables: rows of a 项目 table, or a 明细表's rows summed by 项目名称."""
    found: dict[str, list[Figure]] = defaultdict(list)
    for view in disclosure.views:
        amount = next((j for j in view.numeric if WHOLE_AMOUNT_SEGMENT.search(view.segments[j][-1])), None)
        if amount is None or view.grouped:
            continue
        by_name: dict[str, list[Figure]] = defaultdict(list)
        for rv in view.rows:
            name = rv.row.attributes.get("项目名称") or (rv.name if "项目" in view.title and not rv.code else None)
            if name and not rv.is_total and (fig := view.figure(rv, amount)):
                # Cited by the project's name: the 科目 row it is paid from says less.
                where = fig.location.model_copy(update={"row": compact(name)})
                by_name[compact(name)].append(Figure(fig.amount, where))
        for name, figures in by_name.items():
            # A project on several rows (one per unit): its target table may restate the sum or one unit's part.
            found[name] += [summed(figures)] + (figures if len(figures) > 1 else [])
    return found


def summed(figures: list[Figure]) -> Figure:
    if len(figures) == 1:
        return figures[0]
    value = sum((f.value for f in figures), Decimal(0))
    first = figures[0]
    where = first.location.model_copy(update={"row": f"{first.location.row}（{len(figures)}行之和）"})
    slack = sum((f.slack for f in figures), Decimal(0))
    return Figure(Amount(value, first.unit, format_amount(value, places_of(figures))), where, slack)


@rule("performance_target", "绩效目标表", "error", family="e", explanation="绩效目标表所列资金应与预算表中的同一数字相同")
def check_performance_tables(disclosure: Disclosure) -> list[Finding]:
    anchors = disclosure.shared(disclosure_anchors)
    projects = disclosure.shared(project_amounts)
    findings = []
    for document, model in disclosure.documents.items():
        units = {t.unit for t in model.tables if t.unit and not PERFORMANCE_TITLE.search(t.title or "")}
        unit = units.pop() if len(units) == 1 else None  # a table printing no unit is in the document's one unit
        by_project: dict[str, list[Restated]] = defaultdict(list)
        for table in model.tables:
            if not PERFORMANCE_TITLE.search(table.title or ""):
                continue
            texts = " ".join(c for _, cells in grid(table) for c in cells)
            if DEPARTMENT_WIDE.search((table.title or "") + texts):
                for item in restated(table, document, set(DEPARTMENT_LABELS), unit):
                    candidates = [f for key in DEPARTMENT_LABELS[item.label] for f in anchors.get(key, [])]
                    findings += disagreement(disclosure, item, candidates)
            name = project_name(table, set(projects))
            if name:
                by_project[name] += restated(table, document, PROJECT_LABELS, unit)[:1]
        for name, items in by_project.items():
            findings += project_disagreement(disclosure, name, items, projects[name])
    return findings


def project_disagreement(disclosure: Disclosure, name: str, items: list[Restated], figures: list[Figure]) -> list[Finding]:
    """One target table per project: its amount. Several (one per unit carrying it out, or a table printed
    twice): a finding only when neither any one of them nor their sum is the project's figure."""
    if len(items) == 1:
        return disagreement(disclosure, items[0], figures, f"「{name}」")
    readings = [*items, together(items)]
    if any(not disagreement(disclosure, r, figures) for r in readings):
        return []
    first = items[0].figure.location
    disclosure.skip("performance_target", "同一项目有多张绩效目标表，金额归属不明", first.document, first.table)
    return []


def together(items: list[Restated]) -> Restated:
    if len(items) == 1:
        return items[0]
    figures = [i.figure for i in items]
    first = summed([Figure(Amount(f.yuan, "元", None), f.location, f.slack) for f in figures])
    where = figures[0].location.model_copy(update={"table": "、".join(dict.fromkeys(f.location.table or "" for f in figures))})
    return Restated(items[0].label, Figure(first.amount, where, first.summed_slack))


def disagreement(disclosure: Disclosure, item: Restated, candidates: list[Figure], project: str = "") -> list[Finding]:
    said = item.figure
    # A whole unit of the restated figure's last decimal: 万元 with two decimals is rounded and adjusted.
    if not candidates or any(not differs(said.yuan, c.yuan, 2 * said.slack + c.slack) for c in candidates):
        return []
    table = min(candidates, key=lambda c: abs(said.yuan - c.yuan))
    where = table.location
    # 1,610,000 printed under "（万元）" for 1,610,000 元: the figure is right, its unit is not.
    unit_slip = table.yuan and not differs(said.yuan, table.yuan * 10000, 2 * said.slack * 10000 + table.slack * 10000)
    return [mismatch_finding(
        "performance_target", said.amount, f"{said.location.table}{project}「{item.label}」",
        table.amount, f"{where.table}「{where.row}」{where.column or ''}".rstrip(),
        locations=[said.location, where], doc_id=disclosure_doc_id(disclosure, said.location.document), units=True,
        note="，数字相同而单位不同（元与万元）" if unit_slip else "",
    )]


def disclosure_doc_id(disclosure: Disclosure, document: str) -> str | None:
    return next((r.doc_id for r in disclosure.records if r.file_name == document), None)
