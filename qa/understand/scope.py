"""Which disclosures a question is about: department, year, kind, and the user's chosen scope.

A question about a department or year that is not indexed is refused here, before any lookup,
so it can never be answered from another document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel

from qa.understand.model import ParsedQuestion
from qa.understand.vocabulary import Vocabulary


class Scope(BaseModel):
    """What the user restricted the conversation to (UI filters). Empty lists mean everything."""

    doc_ids: list[str] = []
    departments: list[str] = []
    years: list[int] = []


@dataclass
class Disclosure:
    """One department's disclosure for one year (one or several files, e.g. 说明 + 报表)."""

    department: str
    year: int | None
    doc_ids: list[str]
    file_names: list[str]
    label: str  # how answers name it, e.g. 北京市西城区人民政府外事办公室2020年


@dataclass
class Selection:
    disclosures: list[Disclosure] = field(default_factory=list)
    column_year: int | None = None  # a year asked that only exists as a column or a 上年 figure
    previous: dict[str, Disclosure] = field(default_factory=dict)  # department → previous-year disclosure
    refusal: str | None = None
    notices: list[str] = field(default_factory=list)


def _disclosures(doc_ids: set[str], vocab: Vocabulary) -> dict[str, dict[int | None, Disclosure]]:
    by_dept: dict[str, dict[int | None, Disclosure]] = defaultdict(dict)
    for doc_id in sorted(doc_ids):
        doc = vocab.documents[doc_id]
        dept = doc.department or doc.group_name or doc.file_name
        entry = by_dept[dept].get(doc.year)
        if entry is None:
            label = f"{dept}{doc.year}年" if doc.year else dept
            by_dept[dept][doc.year] = Disclosure(dept, doc.year, [doc_id], [doc.file_name], label)
        else:
            entry.doc_ids.append(doc_id)
            entry.file_names.append(doc.file_name)
    return by_dept


def indexed_summary(vocab: Vocabulary, doc_ids: set[str] | None = None) -> str:
    items = sorted(
        {f"{d.department or d.file_name}（{d.year or '年份不详'}年）" for i, d in vocab.documents.items() if doc_ids is None or i in doc_ids}
    )
    return "、".join(items) if items else "（尚未导入任何文档）"


def select(parsed: ParsedQuestion, vocab: Vocabulary, scope: Scope | None = None) -> Selection:
    selection = Selection()
    allowed = set(vocab.documents)
    if scope is not None:
        if scope.doc_ids:
            allowed &= set(scope.doc_ids)
        if scope.departments:
            allowed = {d for d in allowed if vocab.documents[d].department in scope.departments}
        if scope.years:
            allowed = {d for d in allowed if vocab.documents[d].year in scope.years}
    if not allowed:
        selection.refusal = "未找到可检索的文档：当前范围内没有已导入的预算/决算公开材料。"
        return selection
    if parsed.unknown_department and (not parsed.department_groups or parsed.region_only):
        selection.refusal = (
            f"未找到“{parsed.unknown_department}”的公开材料，无法回答。已检索的部门：{indexed_summary(vocab, allowed)}。"
        )
        return selection
    if parsed.unknown_department:
        selection.notices.append(f"未找到“{parsed.unknown_department}”的公开材料，只回答已导入的部门。")
    if not parsed.department_groups:
        # 外事工作经费 names its department: only documents that carry every named row/项目.
        holder_sets = []
        for item in parsed.items + ([parsed.context_item] if parsed.context_item is not None else []):
            holders = {"row": vocab.rows, "attribute": vocab.attributes, "code": vocab.codes}.get(item.kind)
            if holders is not None and holders.get(item.name):
                holder_sets.append(set(holders[item.name]))
        if holder_sets:
            carriers = set.intersection(*holder_sets) or set.union(*holder_sets)
            allowed = (allowed & carriers) or allowed
    groups = [set(g) & allowed for g in parsed.department_groups] or [allowed]
    if any(not g for g in groups):
        named = "、".join(parsed.department_names)
        selection.refusal = f"未找到“{named}”在当前范围内的公开材料。已检索：{indexed_summary(vocab, allowed)}。"
        return selection
    if parsed.final_account:
        groups = [{d for d in g if "决算" in (vocab.documents[d].kind or "")} for g in groups]
        if not all(groups):
            selection.refusal = f"未找到决算公开材料（已导入的是：{indexed_summary(vocab, allowed)}），无法回答决算数。"
            return selection
    ambiguous = []
    for group in groups:
        by_dept = _disclosures(group, vocab)
        if len(by_dept) > 1 and parsed.years:
            # 政府办 names several departments: the year asked tells which one is meant.
            dated = {dept: by_year for dept, by_year in by_dept.items() if any(y in by_year for y in parsed.years)}
            by_dept = dated or by_dept
        if len(by_dept) > 1 and parsed.department_groups:
            ambiguous.append(f"“{'、'.join(parsed.department_names)}”对应多个部门（{'、'.join(by_dept)}），分别列出。")
        for dept, by_year in by_dept.items():
            chosen = _choose_year(parsed, by_year, selection)
            if selection.refusal:
                return selection
            selection.disclosures.append(chosen)
            previous = by_year.get(chosen.year - 1) if chosen.year else None
            if previous is not None:
                selection.previous[dept] = previous
            elif selection.column_year is None and parsed.operation_row.needs_previous and len(parsed.years) >= 2:
                older = [by_year[y] for y in parsed.years if y in by_year and y != chosen.year]
                if older:
                    selection.previous[dept] = older[0]
    selection.notices += ambiguous[:1]
    return selection


def _choose_year(parsed: ParsedQuestion, by_year: dict[int | None, Disclosure], selection: Selection) -> Disclosure:
    years = sorted((y for y in by_year if y is not None), reverse=True)
    latest = by_year[years[0]] if years else next(iter(by_year.values()))
    if not parsed.years:
        return latest
    indexed = [y for y in parsed.years if y in by_year]
    if indexed:
        return by_year[max(indexed)]
    asked = max(parsed.years)
    later = [y for y in years if y > asked]
    if later:
        # 2019 in a 2020 disclosure: only as a column (2019年预算数) or a stated 上年 figure.
        selection.column_year = asked
        return by_year[min(later)]
    label = latest.department
    selection.refusal = (
        f"未找到{label}{asked}年的预算/决算公开材料，无法回答。已导入该部门的年份："
        + ("、".join(f"{y}年" for y in years) if years else "不详")
        + "。"
    )
    return latest
