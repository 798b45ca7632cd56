"""The figure audit: findings where a disclosure's figures do not add up or do not agree.

``run_audit(store)`` runs every registered rule (``qa.audit.rules``) over each disclosure in the facts
store; a rule is registered with its kind, Chinese label and severity (``qa.audit.registry``), and
the CLI and the 核对 tab show its label:

    >>> from qa.audit import label_of
    >>> label_of("cross_table")
    '表间核对'
"""

from qa.audit.model import SEVERITY_LABEL, Disclosure, Figure, Finding, Location, mismatch
from qa.audit.registry import Rule, label_of, register, registered_rules, rule, rule_for, table_rule, unregister
from qa.audit.run import audit_disclosure, run_audit

__all__ = [
    "SEVERITY_LABEL",
    "Disclosure",
    "Figure",
    "Finding",
    "Location",
    "Rule",
    "audit_disclosure",
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
