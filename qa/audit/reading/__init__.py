"""How the audit reads a disclosure before any rule compares anything: the outline of tables without
codes, each table's measures and scope, the narrative's statements and 科目 lines, the table figures a
narrative figure refers to ("anchors"), the range a growth rate may take. Nothing here reports a
finding; the rules in ``qa.audit.rules`` do.

    >>> from qa.audit.reading.outline import MARKER_LEVELS
    >>> [lv for lv, pattern in MARKER_LEVELS if pattern.match("（一）科学技术支出")]
    [2]
"""
