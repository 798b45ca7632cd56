"""What the figure audit works with: findings, located figures, table views, the disclosure a rule reads.

A ``Figure`` is a printed amount (``index.core.units.Amount``) with its location. Comparisons happen in
元 and allow each figure half a unit of its last printed decimal (``slack``): 795.56 万元 may stand for
7,955,559.34 元, and a sum of k rounded figures may drift by k half-units. Nothing here decides what is
wrong; the rules in ``qa.audit.rules`` do, and every rule that holds two figures to each other says so
through ``mismatch``:

    >>> where = Location(document="x.pdf", table="表2", row="行政运行", column="合计")
    >>> stated = Figure(Amount(Decimal("3573232.28"), "元", "3,573,232.28"), where)
    >>> mismatch("cross_table", stated.amount, "表2「行政运行」合计", Amount(Decimal("3556912.28"), "元"),
    ...          "表3", locations=[where], doc_id=None, places=2).message
    '表2「行政运行」合计 3,573,232.28 ≠ 表3 3,556,912.28（差 16,320.00）'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel, Field

from index.core.lexicon import TOTAL_SUFFIX
from index.core.model import BBox, Document, Row, Table
from index.core.numbers import format_amount
from index.core.text import compact
from index.core.units import Amount, from_yuan, printed_places, show
from index.store.facts import DocumentRecord, StoredNarrativeFact
from qa.audit.reading.structure import grouped_by_unit, is_line_number_column, names_an_organisation

Severity = Literal["error", "warning"]
SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "提示"}
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
    value: str | None = None  # the figure printed here, as printed ("3,573,232.28", "29956.27万元")
    # Where the cell is printed on its page (PDF points), for the 核对 tab's close-up; not in ``--json``.
    bbox: BBox | None = None


class Finding(BaseModel):
    kind: str  # the rule that found it (``registered_rules()`` gives its label and severity)
    severity: Severity
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
            "locations": [loc.model_dump(exclude={"bbox"}) for loc in self.locations],
        }


@dataclass(frozen=True)
class Skip:
    """A check not made because the structure it needs cannot be trusted: counted, never a finding."""

    kind: str  # the rule that skipped
    reason: str  # Chinese, one phrase: "表格按预算单位分组"
    document: str
    table: str | None = None


@dataclass(frozen=True)
class Figure:
    """An amount as printed and where it is printed."""

    amount: Amount
    location: Location
    summed_slack: Decimal | None = None  # for a sum of printed figures: their slacks together

    @property
    def value(self) -> Decimal:
        return self.amount.value

    @property
    def unit(self) -> str | None:
        return self.amount.unit

    @property
    def text(self) -> str | None:
        return self.amount.text

    @property
    def yuan(self) -> Decimal:
        return self.amount.yuan

    @property
    def slack(self) -> Decimal:
        return self.amount.slack if self.summed_slack is None else self.summed_slack

    def shown(self) -> str:
        return self.amount.shown()


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


# --- findings ------------------------------------------------------------------------------------

def mismatch(
    kind: str,
    stated: Amount,
    said: str,
    expected: Amount,
    against: str,
    *,
    locations: list[Location],
    doc_id: str | None,
    places: int | None = None,
    units: bool = False,
    difference: bool = True,
    severity: Severity = "error",
    note: str = "",
) -> Finding:
    """The one way a finding says two figures disagree: "{said} X ≠ {against} Y（差 X − Y）{note}".

    ``said`` and ``against`` name the two figures ("表2「行政运行」(2010301) 合计", "下级科目之和"); a name
    closed by 」 runs into its figure, any other takes a space. Table findings print bare amounts in the
    stated figure's unit, which the table header names, with ``places`` decimals; narrative findings
    (``units``) print each figure in its own unit and the difference to the cent, in the stated unit.
    ``figures`` are the stated value, the expected value and the difference, as decimal strings.
    """
    gap = from_yuan(stated.yuan - expected.yuan, stated.unit)
    if units:
        texts = stated.shown(), expected.shown(), show(gap, stated.unit, 2)
    else:
        texts = (format_amount(stated.value, places), format_amount(from_yuan(expected.yuan, stated.unit), places),
                 format_amount(gap, places))
    message = f"{_joined(said, texts[0])} ≠ {_joined(against, texts[1])}"
    message += (f"（差 {texts[2]}）" if difference else "") + note
    figures = [str(stated.value), str(expected.value)] + ([str(gap)] if difference else [])
    return Finding(kind=kind, severity=severity, message=message, figures=figures, locations=locations, doc_id=doc_id)


def _joined(name: str, amount: str) -> str:
    return name + ("" if name.endswith("」") else " ") + amount


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
    grouped: bool = False  # rows in blocks by 预算单位 (``reading.structure``)
    # The 预算单位 the reader marked on any table of the document (``Row.unit``): what a unit's line
    # is named where its name reads like no organisation (中共广州市委讲师团).
    units: frozenset[str] = frozenset()
    continued: bool = False  # the next table looks like its continuation without a header
    misread: bool | None = None  # so many rows fail their sums that it was misread (``rules.sums.misread``)
    year: int | None = None  # the document's year
    sink: list[Skip] = field(default_factory=list, repr=False)  # where ``skip`` counts (the disclosure's)
    # Each cell's Figure, built once: every rule reads the same cells (shared with the table's block views).
    _figures: dict[tuple[int, int, str], Figure | None] = field(default_factory=dict, repr=False, compare=False)

    def skip(self, kind: str, reason: str) -> None:
        self.sink.append(Skip(kind, reason, self.document, self.label))

    def figure(self, rv: RowView, j: int) -> Figure | None:
        key = (rv.index, j, rv.label)
        if key not in self._figures:
            self._figures[key] = self._read_figure(rv, j)
        return self._figures[key]

    def _read_figure(self, rv: RowView, j: int) -> Figure | None:
        if j >= len(rv.row.cells):
            return None
        cell = rv.row.cells[j]
        if cell.value is None:
            return None
        loc = Location(document=self.document, page=cell.page, table=self.label, row=rv.label, column=self.table.columns[j],
                       value=cell.text or str(cell.value), bbox=cell.bbox)
        return Figure(Amount(cell.value, self.table.unit, cell.text or str(cell.value)), loc)

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
    """The row's 科目编码 as the reader finished it (None for a 单位编码) and the name to show: a total
    printed in another text column stands in for a missing name."""
    name = (row.name or "").strip()
    if not name:
        name = next((v for v in row.attributes.values() if v and TOTAL_SUFFIX.search(v)), "")
    return (row.code if row.level else None), name


def table_view(
    document: str, doc_id: str, index: int, table: Table, department: str | None, kind: str | None = None,
    year: int | None = None,
) -> TableView | None:
    """None for tables the audit does not read: no unit, performance targets, unlabelled fragments."""
    if table.unit is None or SKIPPED_TITLE.search(table.title or "") or not (table.label or table.title):
        return None
    rows = []
    for r_i, row in enumerate(table.rows):
        code, name = effective_code_and_name(row)
        if names_an_organisation(row):
            code = None  # 222 西安市交通运输局: a unit code, not the 类 222
        name = name.rstrip("：:")
        # The reader marks totals, named subtotals and the publisher's own line (``department``).
        is_total = row.is_total or row.is_subtotal
        # A unit's own line (深圳's 支出总表) is named by its unit, never "合计": it totals one unit only.
        rows.append(RowView(r_i, row, code, name or (row.unit if row.is_unit_total else None) or ("合计" if is_total else ""),
                            is_total))
    numeric = [
        j for j in range(len(table.columns))
        if sum(1 for r in table.rows if j < len(r.cells) and r.cells[j].value is not None)
        >= max(1, sum(1 for r in table.rows if j < len(r.cells) and r.cells[j].text) // 2)
        and not is_line_number_column(table, j)
    ]
    if not numeric:
        return None
    label = table.label or table.title or f"表格{index + 1}"
    segments = [[compact(s) for s in col.split("/")] for col in table.columns]
    return TableView(document, doc_id, index, table, rows, numeric, label, segments, kind,
                     grouped=grouped_by_unit(table), year=year)


# --- what a rule reads ---------------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class Disclosure:
    """The documents audited together (a group's 说明 and 报表, or one file): their tables as the audit
    reads them and their narrative facts. A rule reads this and nothing else."""

    records: list[DocumentRecord]
    views: list[TableView]
    facts: list[StoredNarrativeFact] = field(default_factory=list)
    # The documents' models by file name: tables the audit does not view (绩效目标表), cover pages.
    documents: dict[str, Document] = field(default_factory=dict)
    skips: list[Skip] = field(default_factory=list)
    _shared: dict[Callable[..., Any], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for view in self.views:
            view.sink = self.skips

    def skip(self, kind: str, reason: str, document: str, table: str | None = None) -> None:
        self.skips.append(Skip(kind, reason, document, table))

    @property
    def year(self) -> int | None:
        return next((r.year for r in self.records if r.year), None)

    def shared(self, build: Callable[[Disclosure], T]) -> T:
        """What several rules read, worked out once per disclosure: ``disclosure.shared(narrative_reading)``."""
        if build not in self._shared:
            self._shared[build] = build(self)
        return cast(T, self._shared[build])
