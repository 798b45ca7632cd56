"""The years a disclosure names: the comparison year and the document year agree.

- narrative_year (正文年份): "比2026年预算增加…" in the 2026 budget compares the year with itself (or a
  later one); the comparison is with the year before.
- table_year (表格年份): a budget table titled for another year ("2025年部门收支总表" in the 2026 budget),
  or a column headed with a year after the document's.

The document's year is the reader's, unless the first year the first page prints (the title) is another:
then only a sentence comparing its own year with itself is reported, and other skips are counted.

    2026年预算, "财政拨款收入9628.22万元，比2026年预算增加793.14万元"
    → 正文“财政拨款收入9628.22万元，比2026年预算增加793.14万元”：2026年预算与2026年预算相比，比较年份应为上一年
"""

from __future__ import annotations

import re

from index.core.lexicon import YEAR_WORD
from qa.audit.model import Disclosure, Finding, Location
from qa.audit.reading.items import narrative_reading
from qa.audit.reading.structure import column_years
from qa.audit.registry import rule

COMPARED_YEAR = re.compile(r"(?:比|较|与|同)\s*(20\d\d)\s*年度?(?:年初)?(?:预算|预算数|执行数)?(?!\d)")
FIRST_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)")
# Titles of tables about another year by nature: a self-assessment of last year, carry-overs, 决算.
OTHER_YEAR_TITLE = re.compile(r"绩效|自评|上年|结转|决算|执行")


def confirmed_years(disclosure: Disclosure) -> dict[str, int | None]:
    """Each document's year, when the first year its first page prints (the title) does not contradict it."""
    years: dict[str, int | None] = {}
    for record in disclosure.records:
        document = disclosure.documents.get(record.file_name)
        first_page = document.pages[0].text[:400] if document and document.pages else ""
        cover = FIRST_YEAR.search(first_page)
        agrees = cover is None or int(cover.group(1)) == record.year
        years[record.file_name] = record.year if agrees else None
    return years


@rule("narrative_year", "正文年份", "warning", family="f", explanation="正文与之比较的应是上一年，而不是本年或以后")
def check_compared_year(disclosure: Disclosure) -> list[Finding]:
    years = disclosure.shared(confirmed_years)
    findings = []
    for sentence in disclosure.shared(narrative_reading):
        st = sentence.statement
        m = COMPARED_YEAR.search(st.sentence)
        if not m:
            continue
        # "2025年三公经费预算…，比2025年减少…": the sentence compares its own year with itself.
        own = [int(y) for y in YEAR_WORD.findall(st.sentence[:m.start()])]
        year = own[-1] if own and own[-1] == int(m.group(1)) else years.get(st.record.file_name)
        if year is None:
            disclosure.skip("narrative_year", "文档年份不能确认", st.record.file_name, "正文")
            continue
        if int(m.group(1)) < year:
            continue
        # The clause with the comparison and the one before it: what is compared with what.
        clause_start = max(st.sentence.rfind(p, 0, m.start()) for p in "，,；：")
        context_start = max(st.sentence.rfind(p, 0, max(clause_start, 0)) for p in "，,；：") + 1
        quoted = st.sentence[context_start:m.end()] + re.split(r"[，,；。]", st.sentence[m.end():])[0]
        findings.append(Finding(
            kind="narrative_year", severity="warning", doc_id=st.record.doc_id,
            message=f"正文“{quoted}”：{year}年预算与{m.group(1)}年预算相比，比较年份应为上一年",
            figures=[m.group(1)],
            locations=[Location(document=st.record.file_name, page=st.page, table="正文", row=st.sentence)],
        ))
    return findings


@rule("table_year", "表格年份", "warning", family="f", explanation="预算表标题与表头的年份应与文档年份一致")
def check_table_years(disclosure: Disclosure) -> list[Finding]:
    years = disclosure.shared(confirmed_years)
    findings = []
    for view in disclosure.views:
        year = years.get(view.document)
        if year is None or OTHER_YEAR_TITLE.search(view.title):
            continue
        titled = {int(y) for y in YEAR_WORD.findall(view.title)} - {year}
        where = Location(document=view.document, page=view.table.pages[0] if view.table.pages else None,
                         table=view.label, row=None, column=None)
        if titled:
            findings.append(Finding(
                kind="table_year", severity="warning", doc_id=view.doc_id, figures=[str(min(titled))],
                message=f"{view.label}《{view.title}》标题年份{min(titled)}年与文档年份{year}年不一致",
                locations=[where],
            ))
        for j in view.numeric:
            later = {y for y in column_years(view.table.columns[j]) if y > year}
            if later:
                findings.append(Finding(
                    kind="table_year", severity="warning", doc_id=view.doc_id, figures=[str(min(later))],
                    message=f"{view.label}列「{view.table.columns[j]}」年份{min(later)}年晚于文档年份{year}年",
                    locations=[where.model_copy(update={"column": view.table.columns[j]})],
                ))
    return findings
