"""A row's final key, decided once while reading: 科目编码, name, level, parent and whether it is a total.

Nothing downstream (answering, audit, search) works these out again; they read them off the ``Row``.

    >>> row_key(["301", "2"], "津贴补贴", {})            # 款 printed without its leading zero
    RowKey(code='30102', name='津贴补贴')
    >>> row_key([], "2010801-行政运行", {})              # the code printed inside the name cell
    RowKey(code='2010801', name='行政运行')
    >>> row_key([], "[2010301]行政运行", {})             # … or in brackets before it (广州)
    RowKey(code='2010301', name='行政运行')
    >>> levels("2010801")
    (3, '20108')
    >>> totals("人员经费合计", code=None, has_value=True)
    (False, True)

A row is a *total* when it is named only by a total word (合计, 其中：小计, 本年支出合计) or prints
figures under no name and no code; it is a *subtotal* when its name says what it totals (人员经费合计,
收入合计) or it is the publisher's own line above its units (深圳市审计局 | 1,234.00 in a table of
the department's units). Neither ever carries a 科目编码.
"""

from __future__ import annotations

from typing import NamedTuple, TypeGuard

from index.core.lexicon import (
    CODE_AND_NAME,
    CODE_ATTRIBUTES,
    CODE_PART,
    TOTAL_ROW,
    code_level,
    is_code,
    join_code,
    names_a_total,
    parent_code,
    plain_name,
)
from index.core.model import Table
from index.core.text import compact

# A longer name is a sentence (a performance target, a note), kept as printed.
MAX_NAME = 40


class RowKey(NamedTuple):
    code: str | None
    name: str | None


def row_key(code_parts: list[str], name: str | None, attributes: dict[str, str], unit_codes: bool = False) -> RowKey:
    """The row's code and name from its code cells, its name cell and its other text cells.

    The code is the code cells joined (a 单位编码 or 项目编码 printed there stays the code, with no
    level); a 科目编码 printed in a 科目编码 text column or in front of the name ("2010801-行政运行")
    is the code when the code cells hold none, or hold a 单位编码 (``unit_codes``: even one of 3
    digits such as 263 is no 类). 合计 written across the code cells, or in another text column of a
    row with no name, is the name.
    """
    code = None
    if code_parts and all(CODE_PART.match(p) for p in code_parts):
        code = join_code(code_parts)
    elif code_parts and name is None:
        name = " ".join(code_parts)  # 合计 written across the code columns
    if name is None:
        # 合计 printed under another text column (功能科目代码, 部门支出经济分类科目) names the row.
        name = next((compact(v) for v in attributes.values() if TOTAL_ROW.match(compact(v))), None)
    if name is not None:
        name = compact(name) if len(compact(name)) <= MAX_NAME else name
    subject = _is_subject_code(code) and not unit_codes
    if not subject:
        for column in CODE_ATTRIBUTES:
            value = (attributes.get(column) or "").strip()
            if is_code(value):
                code, name, subject = value, name or attributes.get("科目名称") or None, True
                break
    m = CODE_AND_NAME.match((name or "").strip())
    if m and is_code(m.group(1)):
        code = code if subject else m.group(1)
        name = m.group(2).strip()
    return RowKey(code, name)


def levels(code: str | None) -> tuple[int | None, str | None]:
    """类 / 款 / 项 (1 / 2 / 3) and the parent code of a 科目编码; (None, None) for any other code."""
    if not _is_subject_code(code):
        return None, None
    return code_level(code), parent_code(code)


def totals(name: str | None, code: str | None, has_value: bool) -> tuple[bool, bool]:
    """(is_total, is_subtotal) of a row, see the module docstring; the publisher's line is marked
    later, by ``mark_publisher_lines``, once the document's publisher is known."""
    if _is_subject_code(code):
        return False, False
    if name is None:
        return code is None and has_value, False
    is_total = bool(TOTAL_ROW.match(plain_name(name)))
    return is_total, not is_total and names_a_total(name)


def mark_publisher_lines(tables: list[Table], department: str | None) -> None:
    """A row named after the publisher, with no code, is its own line above its units: a subtotal.

    Run again when the publisher becomes known later (files ingested as one group)."""
    publisher = compact(department) if department else ""
    for table in tables:
        for row in table.rows:
            if row.code is None and not row.is_total and not row.is_unit_total and not names_a_total(row.name):
                row.is_subtotal = bool(publisher) and compact(row.name).rstrip("：:") == publisher


def _is_subject_code(code: str | None) -> TypeGuard[str]:
    return code is not None and code_level(code) > 0
