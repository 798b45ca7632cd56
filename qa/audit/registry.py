"""The audit's rules, registered where they are written: kind, Chinese label, severity, check.

A rule is declared next to its check with ``@rule`` (reads the whole disclosure) or ``@table_rule``
(reads one table at a time); ``run_audit`` runs every registered rule, and the CLI and the 核对 tab
show ``rule.label``. The built-in rules are the modules listed in ``qa.audit.rules``.

    >>> @table_rule("empty_table", "空表", "warning", merge_tables=False)
    ... def empty_table(view):
    ...     return []
    >>> rule_for("empty_table").label
    '空表'
    >>> unregister("empty_table")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa.audit.model import Disclosure, Finding, Severity, TableView

Check = Callable[[Disclosure], Iterable[Finding]]
TableCheck = Callable[[TableView], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    kind: str  # stable id in ``--json`` and in tests: "row_sum"
    label: str  # what people read in the CLI and the 核对 tab: "行内合计"
    # What its findings are: "error" (a figure is wrong) or "warning" (worth a look). A check may report
    # a finding of an error rule as a warning when a part is printed blank (missing rather than wrong).
    severity: Severity
    check: Check
    # A table printed twice (支出总表 and 一般公共预算支出表 of a department with one source of funds) shows
    # one discrepancy twice: one finding naming both tables.
    merge_tables: bool = False
    # Which class of check of issue 13 it makes (``FAMILIES``), and what it holds true, in one Chinese line.
    family: str = ""
    explanation: str = ""


# The classes of check a rule belongs to: the report counts findings and skips per class.
FAMILIES: dict[str, str] = {
    "a": "同一数字多处一致",
    "b": "小计等于下级之和",
    "c": "收支平衡",
    "d": "正文增减、增长率、占比",
    "e": "绩效目标表与预算表",
    "f": "比较年份与文档年份",
    "g": "科目名称与编码",
}


_RULES: dict[str, Rule] = {}


def register(new: Rule) -> Rule:
    if new.kind in _RULES:
        raise ValueError(f"audit rule {new.kind!r} is registered twice")
    _RULES[new.kind] = new
    return new


def unregister(kind: str) -> None:
    _RULES.pop(kind, None)


def rule(
    kind: str, label: str, severity: Severity, *, merge_tables: bool = False, family: str = "", explanation: str = ""
) -> Callable[[Check], Check]:
    """Register ``check(disclosure) -> findings`` as a rule."""

    def decorate(check: Check) -> Check:
        register(Rule(kind, label, severity, check, merge_tables, family, explanation))
        return check

    return decorate


def table_rule(
    kind: str, label: str, severity: Severity, *, merge_tables: bool = True, family: str = "", explanation: str = ""
) -> Callable[[TableCheck], TableCheck]:
    """Register ``check(view) -> findings``, run on every table of the disclosure in order."""

    def decorate(check: TableCheck) -> TableCheck:
        def over_tables(disclosure: Disclosure) -> list[Finding]:
            return [f for view in disclosure.views for f in check(view)]

        register(Rule(kind, label, severity, over_tables, merge_tables, family, explanation))
        return check

    return decorate


def registered_rules() -> list[Rule]:
    """Every registered rule, in the order registered (the built-ins: ``qa.audit.rules``)."""
    return list(_RULES.values())


def rule_for(kind: str) -> Rule | None:
    return _RULES.get(kind)


def label_of(kind: str) -> str:
    """The Chinese name of a finding's kind; the kind itself for a rule no longer registered."""
    found = _RULES.get(kind)
    return found.label if found else kind
