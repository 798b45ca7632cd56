"""What the figure audit works with: findings, located figures, rounding slack, and table views.

A ``Figure`` is a printed amount with its location. Comparisons happen in 元 and allow each figure
half a unit of its last printed decimal (``slack``): 795.56 万元 may stand for 7,955,559.34 元, and a
sum of k rounded figures may drift by k half-units. Nothing here decides what is wrong; the check
modules do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from index.core.model import Row, Table
from index.core.numbers import format_amount
from index.core.text import compact

UNIT_SCALE = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
FUNCTION_OR_ECONOMIC_CODE = re.compile(r"\d{3}|\d{5}|\d{7}")
SHORT_LAST_SEGMENT = re.compile(r"\d{4}|\d{6}")
CODE_IN_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*[-－—]\s*(\S.*)$")
CODE_ATTRIBUTES = ("科目编码", "功能分类科目编码", "科目代码")
TOTAL_NAME = re.compile(r"(合计|总计|小计)[:：]?$")
# 收支总表 / 收入支出决算总表: income rows on the left, spending rows on the right.
SUMMARY_TITLE = re.compile(r"收支|收入支出")
# Tables whose numbers are targets, indicators or free text rather than budget amounts.
SKIPPED_TITLE = re.compile(r"绩效|申报表")


class Location(BaseModel):
    document: str
    page: int | None = None
    table: str | None = None  # 表2 / 预算03表 / 正文
    row: str | None = None
    column: str | None = None


class Finding(BaseModel):
    # hierarchy | row_sum | total_row | balance | cross_table
    # | narrative_table | narrative_arithmetic | narrative_consistency | narrative_name | narrative_year
    kind: str
    severity: Literal["error", "warning"]
    message: str  # one line, Chinese
    figures: list[str] = Field(default_factory=list)  # decimal strings, as printed or computed
    locations: list[Location] = Field(default_factory=list)
    doc_id: str | None = None

    def contract(self) -> dict:
        """The stable JSON shape of ``budget-qa audit --json``."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "figures": self.figures,
            "locations": [loc.model_dump() for loc in self.locations],
        }


@dataclass(frozen=True)
class Figure:
    """An amount as printed (``value`` in ``unit``) and where it is printed."""

    value: Decimal
    unit: str | None
    text: str
    location: Location
    summed_slack: Decimal | None = None  # for a sum of printed figures: their slacks together

    @property
    def yuan(self) -> Decimal:
        return self.value * UNIT_SCALE.get(self.unit or "元", Decimal(1))

    @property
    def slack(self) -> Decimal:
        if self.summed_slack is not None:
            return self.summed_slack
        return half_unit(self.text, self.value) * UNIT_SCALE.get(self.unit or "元", Decimal(1))

    def shown(self) -> str:
        return show(self.value, self.unit)


def printed_places(text: str | None, value: Decimal) -> int:
    digits = re.sub(r"[^\d.．]", "", (text or "").replace("．", "."))
    if "." in digits:
        return len(digits.rsplit(".", 1)[1])
    return max(0, -value.as_tuple().exponent) if text is None else 0


def half_unit(text: str | None, value: Decimal) -> Decimal:
    return Decimal(5).scaleb(-(printed_places(text, value) + 1))


def show(value: Decimal, unit: str | None, places: int | None = None) -> str:
    return format_amount(value, places) + (unit or "")


def headed(subject: str, column: str | None) -> str:
    """「行政运行」合计, 「行政运行」(2010301) 合计: a row and a column in one phrase."""
    return subject + ("" if subject.endswith("」") else " ") + (column or "")


def total_of(figures: list[Figure]) -> Decimal:
    return sum((f.yuan for f in figures), Decimal(0))


def slack_of(figures: list[Figure]) -> Decimal:
    return sum((f.slack for f in figures), Decimal(0))


def places_of(figures: list[Figure]) -> int:
    return max((printed_places(f.text, f.value) for f in figures), default=2)


def differs(a: Decimal, b: Decimal, slack: Decimal) -> bool:
    return abs(a - b) > slack


def in_unit(yuan: Decimal, unit: str | None) -> Decimal:
    return yuan / UNIT_SCALE.get(unit or "元", Decimal(1))


# --- tables --------------------------------------------------------------------------------------

@dataclass
class RowView:
    index: int
    row: Row
    code: str | None
    name: str
    is_total: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip() if self.code else self.name


@dataclass
class TableView:
    """A table of one document as the audit reads it: effective codes, totals, numeric columns."""

    document: str
    doc_id: str
    index: int
    table: Table
    rows: list[RowView]
    numeric: list[int]  # indices of amount columns
    label: str
    segments: list[list[str]] = field(default_factory=list)  # column paths split on "/"
    kind: str | None = None  # the document's kind: 部门预算, 部门决算 …

    def figure(self, rv: RowView, j: int) -> Figure | None:
        if j >= len(rv.row.cells):
            return None
        cell = rv.row.cells[j]
        if cell.value is None:
            return None
        loc = Location(document=self.document, page=cell.page, table=self.label, row=rv.label, column=self.table.columns[j])
        return Figure(cell.value, self.table.unit, cell.text or str(cell.value), loc)

    @property
    def title(self) -> str:
        return self.table.title or ""

    @property
    def is_summary(self) -> bool:
        return bool(SUMMARY_TITLE.search(self.title))

    @property
    def coded(self) -> bool:
        return any(rv.code for rv in self.rows)


def effective_code_and_name(row: Row) -> tuple[str | None, str]:
    """科目编码 from the code column, a 科目编码 attribute, or a "2010801-行政运行" name."""
    name = (row.name or "").strip()
    code = row.code if row.code and FUNCTION_OR_ECONOMIC_CODE.fullmatch(row.code) else None
    if row.code and SHORT_LAST_SEGMENT.fullmatch(row.code):
        code = row.code[:-1] + "0" + row.code[-1]  # "301 2" printed for 款 02: 3012 → 30102
    for key in CODE_ATTRIBUTES:
        value = (row.attributes.get(key) or "").strip()
        if code is None and FUNCTION_OR_ECONOMIC_CODE.fullmatch(value):
            code = value
            name = name or row.attributes.get("科目名称", "")
    m = CODE_IN_NAME.match(name)
    if m and FUNCTION_OR_ECONOMIC_CODE.fullmatch(m.group(1)):
        code = code or m.group(1)
        name = m.group(2).strip()
    if not name:
        name = next((v for v in row.attributes.values() if v and TOTAL_NAME.search(v)), "")
    return code, name


def table_view(
    document: str, doc_id: str, index: int, table: Table, department: str | None, kind: str | None = None
) -> TableView | None:
    """None for tables the audit does not read: no unit, performance targets, unlabelled fragments."""
    if table.unit is None or SKIPPED_TITLE.search(table.title or "") or not (table.label or table.title):
        return None
    rows = []
    for r_i, row in enumerate(table.rows):
        code, name = effective_code_and_name(row)
        name = name.rstrip("：:")
        plain = compact(name)
        is_total = code is None and (
            bool(TOTAL_NAME.search(plain)) or (row.is_total and not plain) or bool(department and plain == compact(department))
        )
        rows.append(RowView(r_i, row, code, name or ("合计" if is_total else ""), is_total))
    numeric = [
        j for j in range(len(table.columns))
        if sum(1 for r in table.rows if j < len(r.cells) and r.cells[j].value is not None)
        >= max(1, sum(1 for r in table.rows if j < len(r.cells) and r.cells[j].text) // 2)
    ]
    if not numeric:
        return None
    label = table.label or table.title or f"表格{index + 1}"
    segments = [[compact(s) for s in col.split("/")] for col in table.columns]
    return TableView(document, doc_id, index, table, rows, numeric, label, segments, kind)
