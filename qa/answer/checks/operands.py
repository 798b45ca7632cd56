"""Checks on what a calculation combines: distinct facts, of one kind of unit, each the item asked.

    财政拨款收入比上年预算减少了多少 → 预算 − 财政拨款收入 = X − X           refused: one fact twice
    编制人数增长率 (人 against 万元)                                      refused: a head count and an amount
    基本支出占项目支出的比例 = 240%                                        refused: the part exceeds the whole
    办公费 + 30201办公费                                                  refused: one line counted twice
"""

from __future__ import annotations

from index.core.lexicon import TOTAL_COLUMNS
from index.core.terms import clean_name
from index.core.text import compact
from index.core.units import MONEY, PERCENT
from qa.answer.checks.base import Check, Review, register
from qa.figures.figure import Figure
from qa.figures.locate import Located
from qa.understand.operations import COMPLETION
from qa.understand.vocabulary import unqualified


def unit_kind(unit: str) -> str:
    """Money in any unit is one kind; a rate another; each count unit (人, 个, 辆 …) its own."""
    if unit in MONEY:
        return "金额"
    if unit == PERCENT:
        return "比率"
    return unit or "数量"


@register
class DistinctOperands(Check):
    """A calculation's inputs are different facts: X − X = 0 computes nothing."""

    name = "distinct_operands"

    def problem(self, review: Review) -> str | None:
        if not review.calculates:
            return None
        seen: dict[tuple, str] = {}
        for located in review.used:
            key = located.primary.key
            if key in seen:
                return (f"计算的两个数字是同一个数（“{seen[key]}”与“{located.item_label}”都取自"
                        f"{located.primary.place()}），计算没有意义")
            seen[key] = located.item_label
        return None


@register
class UnitsAgree(Check):
    """Inputs of one kind: amounts with amounts, head counts with head counts."""

    name = "units_agree"

    def problem(self, review: Review) -> str | None:
        figures = [loc.primary for loc in review.used] if review.calculates else []
        kinds = {unit_kind(f.unit) for f in figures}
        if len(kinds) > 1:
            shown = "、".join(f"“{loc.item_label}”（{unit_kind(loc.primary.unit)}）" for loc in review.used)
            return f"参与计算的数字不是同一类（{shown}），不能相互计算"
        operation = review.parsed.operation
        stated = review.worked.stated
        if operation in ("change", "growth_rate") and figures and stated:
            wanted = "比率" if operation == "growth_rate" else unit_kind(figures[0].unit)
            if any(unit_kind(f.unit) != wanted for f in stated if f.unit):
                return "正文所列的变化与所问的量不是同一类数字"
        return None


@register
class ShareWithinWhole(Check):
    """A share is of a part within its whole: never above 100% nor below 0."""

    name = "share_within_whole"

    def problem(self, review: Review) -> str | None:
        calc = review.worked.calculation
        if review.parsed.operation != "share" or calc is None or calc.unit != PERCENT:
            return None
        if COMPLETION.search(compact(review.parsed.text)):
            return None  # 决算 ÷ its own 预算: spending more than budgeted is above 100%
        if calc.value > 100 or calc.value < 0:
            part, whole = (review.used + [None, None])[:2]
            names = f"“{part.item_label}”不是“{whole.item_label}”的一部分" if part and whole else "部分大于整体"
            return f"占比算得{calc.value}%，{names}"
        return None


@register
class NotItsOwnPart(Check):
    """Figures added up are separate lines: not one line twice, nor a line and the class that holds it."""

    name = "not_its_own_part"

    def problem(self, review: Review) -> str | None:
        if review.parsed.operation not in ("sum", "compare", "ratio", "share"):
            return None
        figures = [loc.primary for loc in review.used]
        for i, a in enumerate(figures):
            for j, b in enumerate(figures[i + 1:], i + 1):
                if a.doc_id != b.doc_id or a.source != "table" or b.source != "table":
                    continue
                same = _same_line(review.used[i], review.used[j])
                if same and review.parsed.operation in ("sum", "compare", "ratio"):
                    return f"“{review.used[i].item_label}”与另一个所问项目是同一行（{same}），不能当作两项"
                if same is None and review.parsed.operation == "sum" and _contains(a, b):
                    whole, part = sorted((a, b), key=lambda f: len(f.code or ""))
                    return f"“{whole.row}”已包含“{part.row}”（科目编码{whole.code}⊃{part.code}），相加会重复计算"
                printed = _printed_part(review, a, b) if review.parsed.operation == "sum" else None
                if printed is not None:
                    whole, part = printed
                    return f"“{whole.row}”已包含“{part.row}”（表中列为其组成部分），相加会重复计算"
        return None


def _printed_part(review: Review, a: Figure, b: Figure) -> tuple[Figure, Figure] | None:
    """(whole, part) when the table prints one line as a part of the other (当年预算 | 市级支出, 补助区县 beside it;
    "其中：" lines)."""
    if review.facts is None or a.table_index != b.table_index or a.table_index is None:
        return None
    parents = review.facts.doc(a.doc_id).parents.get(a.table_index, {})
    if b.row_index is not None and parents.get(b.row_index) == a.row_index:
        return a, b
    if a.row_index is not None and parents.get(a.row_index) == b.row_index:
        return b, a
    return None


def _same_line(x: Located, y: Located) -> str | None:
    """Two cells of one budget line: the same name at the same value, or the same code asked once by
    code (30201) and once by name (办公费). Projects of one 科目 share its code but not their names."""
    a, b = x.primary, y.primary
    if any(loc.query is not None and loc.query.item is not None and loc.query.item.kind == "attribute" for loc in (x, y)):
        return None  # projects (项目名称) of one 科目 row name and code: told apart by their own names
    name_a, name_b = unqualified(clean_name(a.row)), unqualified(clean_name(b.row))
    if name_a and name_a == name_b and a.value == b.value and a.unit == b.unit:
        return f"同为“{name_a}”"
    by_code = any(loc.query is not None and loc.query.item is not None and loc.query.item.kind == "code" for loc in (x, y))
    if a.code and a.code == b.code and (by_code or name_a == name_b):
        return f"科目编码{a.code}"
    return None


def _contains(a: Figure, b: Figure) -> bool:
    return bool(a.code and b.code and a.code != b.code and (b.code.startswith(a.code) or a.code.startswith(b.code)))


@register
class EveryOperandUsed(Check):
    """A sum of the things named adds every one of them: 三公经费、会议费和培训费三项合计 is not 三公经费 alone."""

    name = "every_operand_used"

    def problem(self, review: Review) -> str | None:
        parsed = review.parsed
        if parsed.operation != "sum" or not review.figures:
            return None
        # A column the figures were read within (项目支出中的…) is where they are, not one more thing to add.
        within = "".join(f"{f.title or ''}{f.column or ''}" for f in review.figures)
        named = [i.text for i in parsed.items] + [name for name, _ in parsed.columns
                                                  if name not in TOTAL_COLUMNS and name not in within]
        if len(named) >= 2 and len(review.used) < len(named):
            return f"问题要求把{'、'.join(f'“{n}”' for n in named)}相加，答案只用到了{len(review.used)}个数字"
        return None
