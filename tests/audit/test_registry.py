"""The rule registry: every rule is labelled for people, and what is registered is what runs.

    @table_rule("probe_table", "探针", "warning") → its findings appear in ``run_audit``, labelled 探针.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from index.core.model import Document, Identity
from index.store.facts import FactsStore
from qa.audit import (
    Disclosure,
    Finding,
    Location,
    Rule,
    audit_disclosure,
    label_of,
    register,
    registered_rules,
    rule_for,
    run_audit,
    table_rule,
    unregister,
)
from qa.audit.model import TableView
from tests.audit.synthetic import DOC_ID, FILE, YEAR, disclosure, row, table


def two_tables(spending: str = "100.00") -> Disclosure:
    """收入总表 and 支出总表 printing one 科目; 101.00 in the second is a 表间核对 finding."""
    return disclosure([
        table("表1", "部门收入总表", ["合计"], [row("一般公共服务支出", "100.00", code="201")]),
        table("表2", "部门支出总表", ["合计"], [row("一般公共服务支出", spending, code="201")]),
    ])


def test_every_rule_has_a_chinese_label_and_a_severity() -> None:
    rules = registered_rules()
    assert len({r.kind for r in rules}) == len(rules) >= 10
    for r in rules:
        assert re.fullmatch(r"[a-z_]+", r.kind), r.kind
        assert re.search(r"[\u4e00-\u9fff]", r.label) and label_of(r.kind) == r.label
        assert r.severity in ("error", "warning") and callable(r.check)


@pytest.fixture
def probe() -> Iterator[Rule]:
    """A test rule: one 提示 per table, registered for the test only."""

    @table_rule("probe_table", "探针", "warning", merge_tables=False)
    def check(view: TableView) -> list[Finding]:
        where = Location(document=view.document, table=view.label)
        return [Finding(kind="probe_table", severity="warning", message=f"{view.label} 已读", locations=[where])]

    registered = rule_for("probe_table")
    assert registered is not None
    yield registered
    unregister("probe_table")


def test_a_registered_rule_runs_and_is_labelled(probe: Rule) -> None:
    found = audit_disclosure(two_tables())
    assert [(f.kind, f.message) for f in found] == [("probe_table", "表1 已读"), ("probe_table", "表2 已读")]
    assert label_of("probe_table") == "探针"


def test_run_audit_runs_every_registered_rule(probe: Rule, tmp_path) -> None:
    store = FactsStore(tmp_path / "facts.sqlite3")
    document = Document(
        file_name=FILE, sha256="0", identity=Identity(department="某某局", year=YEAR, kind="部门预算"), pages=[],
        blocks=[], tables=[t.table for t in two_tables("101.00").views],
    )
    store.add_pending(DOC_ID, document, tmp_path / FILE, [])
    store.promote(DOC_ID)
    found = {(f.kind, f.doc_id) for f in run_audit(store)}
    assert found == {("probe_table", DOC_ID), ("cross_table", DOC_ID)}


def test_a_rule_cannot_be_registered_twice() -> None:
    existing = registered_rules()[0]
    with pytest.raises(ValueError, match="registered twice"):
        register(Rule(existing.kind, "重复", "error", existing.check))
