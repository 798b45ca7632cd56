"""What each column of a table holds (code, name, value, other text), and the row key of each side.

A two-sided 收支总表 has a key and values per side:

    收入项目 | 预算数 | 支出项目       | 预算数
    财政拨款 | 90.00  | 一般公共服务支出 | 80.00

→ two segments: name column 0 with value column 1, name column 2 with value column 3.
A 支出表 keyed by 科目编码 (类 | 款 | 项) and 科目名称 gets code columns [0, 1, 2] and name column 3.
A 行次 / 序号 column (1, 2, 3 …) is a "line" column: an attribute of its row, never its key or an amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from index.core.lexicon import (
    CODE_HEADER_WORDS,
    CODE_LEVEL_HEADERS,
    CODE_PART,
    LINE_NUMBER_SEGMENT,
    TARGET_COLUMN,
    TOTAL_ROW,
    UNIT_CODE_HEADER,
)
from index.core.numbers import is_amount_text, try_parse_number
from index.core.text import compact
from index.read.grid import Grid

# "line": a 行次 / 序号 column numbering the rows, kept as a row attribute, never a key or an amount;
# "blank": a 名称 column printed empty (深圳 prints the unit under 预算单位, nothing under 科目名称).
Role = Literal["code", "text", "value", "line", "blank"]


@dataclass
class Segment:
    code_cols: list[int]
    name_col: int | None
    value_cols: list[int]
    other_cols: list[int]
    # The code columns hold 单位编码 (263, 263001), not 科目编码: a 3-digit unit code is no 类.
    unit_codes: bool = False
    line_cols: list[int] = field(default_factory=list)  # 行次 / 序号 columns, among ``other_cols``


def column_role(grid: Grid, n_header: int, j: int, path: str) -> Role:
    body = [cell.text for r in grid.rows[n_header:] if (cell := r[j]) is not None and cell.text]
    last = path.split("/")[-1] if path else ""
    # A 栏次 row (1 | 2 | 3 … across) under 项目 ends the first column's heading: there its body of words
    # (预算数 / 决算数) names the rows; it numbers nothing.
    worded = compact(last) == "栏次" and bool(body) and all(try_parse_number(t) is None for t in body)
    if LINE_NUMBER_SEGMENT.match(compact(last)) and compact(last) != "编号" and not worded:
        return "line"  # 行次 / 栏次 / 序号: line numbers, whatever digits they print
    header_says_code = last in CODE_LEVEL_HEADERS or any(k in last for k in CODE_HEADER_WORDS)
    if body and all(CODE_PART.match(t) or TOTAL_ROW.match(t) for t in body):
        codes = [t for t in body if CODE_PART.match(t)]
        if header_says_code or (
            codes and not any(is_amount_text(t) for t in body) and all(len(t) in (2, 3, 5, 7) for t in codes)
            and "金额" not in last and "数" not in last
        ):
            return "code"
    if header_says_code and not any(is_amount_text(t) for t in body):
        return "code"
    if compact(last) == "编号" or (not last.strip() and _counts_rows(body)):
        return "line"  # 编号 1, 2, 3 … or an unheaded column counting the rows: never amounts
    if TARGET_COLUMN.search(compact(path)):
        return "text"  # 指标名称/指标值 under a 万元 unit line: 365 (天) is a target, not 365 万元
    if not body:
        return "blank" if "名称" in last else "value"  # an empty 科目名称 column: no key, no amount
    numeric = [t for t in body if try_parse_number(t) is not None]
    if len(numeric) == len(body) or (len(numeric) >= max(1, len(body) - 2) and any(is_amount_text(t) for t in numeric)):
        return "value"
    return "text"


def _counts_rows(body: list[str]) -> bool:
    """1, 2, 3 … down the rows: a column numbering them."""
    if len(body) < 3 or not all(t.isdigit() for t in body):
        return False
    first = int(body[0])
    return [int(t) for t in body] == list(range(first, first + len(body)))


def segments(grid: Grid, n_header: int, paths: list[str]) -> list[Segment]:
    """Split columns into segments (a two-sided 收入 | 支出 table has two) and pick each one's row key."""
    roles = [column_role(grid, n_header, j, p) for j, p in enumerate(paths)]
    groups: list[list[int]] = [[]]
    seen_value = False
    for j, role in enumerate(roles):
        if role in ("code", "text") and seen_value:
            groups.append([])
            seen_value = False
        groups[-1].append(j)
        seen_value = seen_value or role == "value"
    # Text after the amounts with no amounts of its own (绩效目标, 备注) describes the rows: not a side.
    merged: list[list[int]] = []
    for cols in groups:
        if merged and not any(roles[j] == "value" for j in cols):
            merged[-1] += cols
        else:
            merged.append(cols)
    segs = [_key_columns(cols, roles, paths) for cols in merged]
    return [s for s in segs if s.value_cols or s.name_col is not None]


def _key_columns(cols: list[int], roles: list[Role], paths: list[str]) -> Segment:
    """Row key = the name column (one saying 名称 wins) and the run of code columns just before it."""
    texts = [j for j in cols if roles[j] == "text"]
    codes = [j for j in cols if roles[j] == "code"]
    named = [j for j in texts if "名称" in paths[j]]
    # 部门经济分类 is finer than 政府经济分类: when a table carries both, key rows by the former.
    preferred = [j for j in named if "部门经济分类" in paths[j] and j - 1 in codes] if named and "政府经济分类" in paths[named[0]] else []
    name_col = next(iter(preferred or named or texts), None)
    code_cols: list[int] = []
    if name_col is not None and name_col - 1 in codes:
        j = name_col - 1
        while j in codes:
            code_cols.insert(0, j)
            j -= 1
    elif codes:
        j = codes[0]
        while j in codes:
            code_cols.append(j)
            j += 1
    values = [j for j in cols if roles[j] == "value"]
    others = [j for j in cols if j not in values and j not in code_cols and j != name_col]
    unit_codes = any(UNIT_CODE_HEADER.search(compact(paths[j])) for j in code_cols)
    lines = [j for j in others if roles[j] == "line"]
    return Segment(code_cols=code_cols, name_col=name_col, value_cols=values, other_cols=others, unit_codes=unit_codes,
                   line_cols=lines)


def side_name(paths: list[str], seg: Segment) -> str | None:
    """The heading over a two-sided table's half (收入/支出), taken from its value columns' paths."""
    firsts = {paths[j].split("/")[0] for j in seg.value_cols if paths[j]}
    if len(firsts) == 1:
        (first,) = firsts
        if first and len(paths[seg.value_cols[0]].split("/")) > 1:
            return None  # the path already starts with the side's heading
    if seg.name_col is not None and paths[seg.name_col]:
        return paths[seg.name_col].split("/")[0]
    return None
