"""The figure audit: findings where a disclosure's figures do not add up or do not agree.

``run_audit(store)`` runs every registered rule (``qa.audit.rules``) over each disclosure in the facts
store; ``audit_store`` also returns the checks skipped (structure not trusted) and the time per
document, and ``qa.audit.report`` writes it all for review. A rule is registered with its kind, Chinese
label, severity and class of check (``qa.audit.registry``), and the CLI and the 核对 tab show its label:

    >>> from qa.audit import label_of
    >>> label_of("cross_table")
    '表间核对'
"""

from qa.audit.model import SEVERITY_LABEL, Disclosure, Figure, Finding, Location, Skip, mismatch
from qa.audit.registry import (
    FAMILIES,
    Rule,
    label_of,
    register,
    registered_rules,
    rule,
    rule_for,
    table_rule,
    unregister,
)
from qa.audit.run import AuditRun, audit_disclosure, audit_store, run_audit

__all__ = [
    "FAMILIES",
    "SEVERITY_LABEL",
    "AuditRun",
    "Disclosure",
    "Figure",
    "Finding",
    "Location",
    "Rule",
    "Skip",
    "audit_disclosure",
    "audit_store",
    "label_of",
    "mismatch",
    "register",
    "rule",
    "rule_for",
    "registered_rules",
    "run_audit",
    "table_rule",
    "unregister",
]
