"""Checks that an answer comes from the documents the question is about, for the year it asks.

    上海市浦东新区外办2020年收入预算  → answered from 西城外办's table: refused (cited_in_scope / publisher_bound)
    某局2026年基本支出 → the cell's table is titled 2022年… : refused (year_matches), unless the answer says so
"""

from __future__ import annotations

import re

from index.core.text import compact
from qa.answer.checks.base import Check, Review, register
from qa.figures.figure import Figure
from qa.figures.locate import Located

YEAR_IN = re.compile(r"(20\d\d)年")
PREVIOUS_COLUMN = re.compile(r"(上年|去年|上一年|前一年)(?!结转|结余)")


@register
class CitedInScope(Check):
    """Every cited fact belongs to a document the question was scoped to."""

    name = "cited_in_scope"

    def problem(self, review: Review) -> str | None:
        selection = review.selection
        allowed = selection.doc_ids | {d for p in selection.previous.values() for d in p.doc_ids}
        outside = sorted({c.document for c in review.answer.citations if c.doc_id and c.doc_id not in allowed})
        return f"答案引用了问题范围以外的文件（{'、'.join(outside)}）" if outside else None


@register
class PublisherBound(Check):
    """Each publisher the question names is answered from its own documents, not a namesake's."""

    name = "publisher_bound"

    def problem(self, review: Review) -> str | None:
        groups = review.parsed.department_groups
        if not groups:
            return None
        named = {d for g in groups for d in g}
        strays = sorted({f.file_name for f in review.figures if f.doc_id not in named})
        if strays:
            return f"所用数字出自其他单位的文件（{'、'.join(strays)}），不是问题所问的“{'、'.join(review.parsed.department_names)}”"
        return None


@register
class YearMatches(Check):
    """The figure is of the year asked (or the answer says which year's figure it is)."""

    name = "year_matches"

    def problem(self, review: Review) -> str | None:
        asked = set(review.parsed.years)
        if review.parsed.operation_row.needs_previous:
            # A change compares two years: each year asked is one of them, the current one is its file's year.
            used = {figure_year(loc) for loc in review.used} | {review.selection.column_year}
            used |= {int(y) for f in review.worked.stated for y in YEAR_IN.findall(f.quote)}  # 较2025年…下降6.58%
            missing = sorted(y for y in asked if y not in used)
            if missing and review.used:
                return f"问的是{'、'.join(f'{y}年' for y in missing)}，但所用数字不是该年的"
            asked = set()
            checked = review.used[:1]
        else:
            checked = review.used
        for located in checked:
            year = figure_year(located)
            if year is None or _quoted(located, asked) or _holding_at_start(located, asked):
                continue
            if asked and year not in asked and not _said(review, year) and not _column_named(review, located, year):
                return f"问的是{'、'.join(f'{y}年' for y in sorted(asked))}，找到的数字是{year}年的（{located.primary.place()}）"
            disclosure = located.disclosure
            # Unasked, a stated figure's sentence is quoted and says its date (截至2019年底…); a table is not.
            if not asked and located.primary.source == "table" and disclosure is not None and disclosure.year \
                    and year != disclosure.year and not _said(review, year) and not _column_named(review, located, year):
                return (f"“{located.item_label}”所在表格标明是{year}年的，与文件年份{disclosure.year}年不一致"
                        f"（{located.primary.place()}）")
        return None


def figure_year(located: Located) -> int | None:
    """The year a figure is of: its column's (2019年预算数), else its table title's, else its disclosure's."""
    figure: Figure = located.primary
    disclosure = located.disclosure
    if figure.source == "table" and PREVIOUS_COLUMN.search(figure.column or "") and disclosure and disclosure.year:
        return disclosure.year - 1  # 上年/合计: last year's figure, whatever the file's year
    if figure.source == "table":
        dated = {int(m.group(1)) for part in figure.context.split("；") if (m := DATED_ROW.match(part))}
        if len(dated) == 1:
            return dated.pop()  # a row dated by its 年度 cell (深圳 表9: a 2025年 row, a 2026年 row)
        for text in ((figure.column or "").rsplit("/", 1)[-1], figure.column or "", figure.title or ""):
            years = {int(y) for y in YEAR_IN.findall(text)}
            if len(years) == 1:
                return years.pop()
            if years:
                return None  # a column spanning years (2019年与2020年对比): not one year's figure
    if figure.source == "narrative":
        if figure.year:
            return figure.year  # the year the sentence dates the figure by (截至2019年底…)
        years = {int(y) for y in YEAR_IN.findall(figure.quote)}
        if len(years) == 1:
            return years.pop()
    return disclosure.year if disclosure is not None else None


DATED_ROW = re.compile(r"^(20\d\d)年?度?$")


def _quoted(located: Located, asked: set[int]) -> bool:
    """A stated figure whose sentence names the year asked (2019年…开展2018年…自评，得分86.03分): the
    sentence is quoted with the answer, so the reader sees which year it is of."""
    figure = located.primary
    return figure.source == "narrative" and any(f"{y}年" in figure.quote for y in asked)


def _holding_at_start(located: Located, asked: set[int]) -> bool:
    """"截至2025年底，所属各预算单位共有车辆9辆" in the 2026 budget: what is held when the year asked begins,
    as that year's budget reports it (the sentence is quoted with its date)."""
    figure, disclosure = located.primary, located.disclosure
    if figure.source != "narrative" or disclosure is None or disclosure.year not in asked:
        return False
    return re.search(rf"截[至止]{disclosure.year - 1}年(?:底|末|12月)", compact(figure.quote)) is not None


def _column_named(review: Review, located: Located, year: int) -> bool:
    """The question names the figure's column with its year ("…中“行政运行”的2025年预算数"): that year was asked."""
    column = compact(located.primary.column)
    return any(f"{year}年" in name and compact(name) in column for name, _ in review.parsed.columns)


def _said(review: Review, year: int) -> bool:
    """The answer names the year it used (2019年数，见2020年公开材料) or the question asked it."""
    answer = review.answer.answer
    return review.selection.column_year == year or f"（{year}年数" in answer or f"{year}年公开材料" in answer
