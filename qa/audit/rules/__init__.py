"""The built-in audit rules: importing this package registers every rule of the modules below.

Each rule is declared next to its check with its kind, Chinese label and severity; ``run_audit`` runs
every registered rule and the CLI and the 核对 tab print ``rule.label``. Adding a rule is one function in
one file, the module of what it reads (``tables``: inside one table, ``cross``: across tables,
``names``: a 科目's name in every table, ``performance``: the 绩效目标表 against the budget tables,
``narrative``: the text, ``shares``: the shares it states, ``years``: the years named); a rule on a new topic is a new module here plus its name in ``BUILT_IN``.
Nothing else lists rules. For example, in ``tables.py``:

    @table_rule("negative_amount", "负数金额", "warning")
    def check_negative(view: TableView) -> list[Finding]:
        return [
            Finding(kind="negative_amount", severity="warning", doc_id=view.doc_id,
                    message=f"{view.label}「{rv.name}」{f.shown()} 为负数", figures=[str(f.value)],
                    locations=[f.location])
            for rv in view.rows for j in view.numeric if (f := view.figure(rv, j)) and f.value < 0
        ]

Rules read a ``Disclosure`` (``@rule``) or one ``TableView`` at a time (``@table_rule``); what several
rules read (the narrative's statements, the anchors) comes from ``qa.audit.reading`` through
``disclosure.shared(...)``. Two figures that should be equal are reported with ``model.mismatch``.
"""

from __future__ import annotations

# Registered in the order their findings are listed for a document: inside tables, across tables, the text.
# isort: off
from qa.audit.rules import tables, cross, names, performance, narrative, shares, years
# isort: on

BUILT_IN = (tables, cross, names, performance, narrative, shares, years)
