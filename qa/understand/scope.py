"""Which disclosures a question is about: department, year, kind, and the user's chosen scope.

A question about a department or year that is not indexed is refused here, before any lookup,
so it can never be answered from another document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from pydantic import BaseModel

from index.core.text import compact
from index.store.facts import DocumentRecord
from qa.understand.fit import Fit, fit
from qa.understand.model import ParsedQuestion
from qa.understand.operations import LOOKUP
from qa.understand.publishers import closest_publishers, indexed_regions
from qa.understand.scan import CONCEPTS
from qa.understand.vocabulary import Vocabulary

# Words asking about several publishers at once (两个部门…加起来, 各部门分别): each is listed, none guessed.
SEVERAL = re.compile(r"两个部门|两部门|两家|各部门|各个部门|各单位|分别|哪个部门|哪些部门|哪家|所有部门|几个部门|都是")
MAX_SUGGESTIONS = 5
LEVEL_WRITTEN = re.compile(r"[（(](本级|汇总|部门|单位)[)）]$")
PICK_ONE_AMONG = 3  # candidate publishers tried for a figure only the text states


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
    suggestions: list[str] = field(default_factory=list)  # publishers the question may have meant (refusals)
    pick_one: bool = False  # several publishers fit: answer only if exactly one of them states the figure
    unnamed: bool = False  # refused for naming no publisher (a name its text holds may still say which)

    @property
    def doc_ids(self) -> set[str]:
        return {d for disclosure in self.disclosures for d in disclosure.doc_ids}


def _disclosures(doc_ids: set[str], vocab: Vocabulary) -> dict[str, dict[int | None, Disclosure]]:
    by_dept: dict[str, dict[int | None, Disclosure]] = defaultdict(dict)
    for doc_id in sorted(doc_ids):
        doc = vocab.documents[doc_id]
        dept = _department_of(doc)
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


def allowed_documents(vocab: Vocabulary, scope: Scope | None) -> set[str]:
    """The documents the user's scope (UI filters) lets a question use."""
    allowed = set(vocab.documents)
    if scope is not None:
        if scope.doc_ids:
            allowed &= set(scope.doc_ids)
        if scope.departments:
            allowed = {d for d in allowed if vocab.documents[d].department in scope.departments}
        if scope.years:
            allowed = {d for d in allowed if vocab.documents[d].year in scope.years}
    return allowed


def select(parsed: ParsedQuestion, vocab: Vocabulary, scope: Scope | None = None) -> Selection:
    """The disclosures the question is about, or a refusal naming what matched nothing (never another
    city's office of the same name) with the closest publishers."""
    selection = Selection()
    allowed = allowed_documents(vocab, scope)
    if not allowed:
        selection.refusal = "未找到可检索的文档：当前范围内没有已导入的预算/决算公开材料。"
        return selection
    unknown = parsed.unknown_region or parsed.unknown_department
    if unknown:
        selection.suggestions = closest_publishers(unknown, vocab, allowed)
        selection.refusal = f"未找到“{unknown}”的公开材料，无法回答。" + _closest(selection.suggestions, vocab, allowed)
        return selection
    named_docs = {d for g in parsed.department_groups for d in g} & allowed or allowed
    if parsed.department_groups:  # the years the answer can come from: their names are the ones parsed
        named_docs = within_years(named_docs, vocab, parsed.years)
    named_carriers = set(parsed.item_docs) or carriers(parsed, vocab.scoped(named_docs))
    if not parsed.department_groups and named_carriers:
        allowed = (allowed & named_carriers) or allowed  # 外事工作经费 names its department
    guessable = bool(parsed.department_groups) or bool(named_carriers)  # something named says whose it may be
    # Of several offices of one name, only a name of their own tells which (机要信息中心运维费), not the wording
    # of a measure every disclosure reports (公务接待费支出 is one office's row, 公务接待费 everyone's).
    telling = carriers(parsed, vocab.scoped(named_docs), specific=True) if parsed.department_groups else named_carriers
    groups = [set(g) & allowed for g in parsed.department_groups] or [allowed]
    if any(not g for g in groups):
        named = "、".join(parsed.department_names)
        selection.suggestions = closest_publishers(named, vocab, allowed)
        selection.refusal = f"未找到“{named}”在当前范围内的公开材料。" + _closest(selection.suggestions, vocab, allowed)
        return selection
    figures = parsed.operation_row.numeric
    for i, group in enumerate(groups):
        asked = parsed.department_names[i] if i < len(parsed.department_names) and not parsed.region_only else None
        fitting = fit(group, vocab, asked, parsed.text, figures, several=len(groups) > 1)
        if not fitting.kept:
            selection.refusal = _unfit(asked or "所问部门", fitting)
            selection.suggestions = fitting.sub_units[:MAX_SUGGESTIONS]
            return selection
        groups[i] = fitting.kept
    if parsed.unit_budget:
        # Of several publishers, the 单位预算 is the one named with its level (无锡市教育局（本级）单位预算).
        levelled = [len(groups) > 1 and LEVEL_WRITTEN.search(n) is not None for n in parsed.department_names]
        unit_asked = [i >= len(levelled) or levelled[i] or not any(levelled) for i in range(len(groups))]
        groups = [{d for d in g if "单位" in (vocab.documents[d].kind or "")} if a else g
                  for g, a in zip(groups, unit_asked)]
        if not all(groups):
            named = "、".join(parsed.department_names) or "所问单位"
            selection.refusal = f"未找到{named}的单位预算（已导入的是部门预算，其中的数字是整个部门的），无法回答。"
            return selection
    if parsed.final_account:
        groups = [{d for d in g if "决算" in (vocab.documents[d].kind or "")} for g in groups]
        if not all(groups):
            selection.refusal = f"未找到决算公开材料（已导入的是：{indexed_summary(vocab, allowed)}），无法回答决算数。"
            return selection
    several = parsed.operation == "compare" or bool(SEVERAL.search(parsed.text))
    for group in groups:
        by_dept = _disclosures(group, vocab)
        if len(by_dept) > 1 and parsed.years:
            # 政府办 names several departments: the year asked tells which one is meant.
            dated = {dept: by_year for dept, by_year in by_dept.items() if any(y in by_year for y in parsed.years)}
            by_dept = dated or by_dept
        if len(by_dept) > 1 and telling:
            # 政府办…机要信息中心运维费: only one 政府办 prints that name.
            held = {dept: by_year for dept, by_year in by_dept.items()
                    if any(set(d.doc_ids) & telling for d in by_year.values())}
            by_dept = held or by_dept
        if len(by_dept) > 1 and not several and len(by_dept) <= PICK_ONE_AMONG and _states_only(parsed):
            # 西城区开了多少次视频会议: a figure only some of them state; the answer must find exactly one.
            selection.pick_one = True
        elif len(by_dept) > 1 and not several:
            # 司法局 in three cities, or no publisher at all: which one is a guess, and a guess is not an answer.
            named_depts = sorted(d for d, by_year in by_dept.items() if _has_publisher(by_year, vocab))
            selection.suggestions = named_depts[:MAX_SUGGESTIONS] if guessable else []
            shown = ("、".join(named_depts[:MAX_SUGGESTIONS]) or "多个未识别发布单位的文件") + \
                ("等" if len(by_dept) > MAX_SUGGESTIONS else "")
            named = "、".join(parsed.department_names)
            if named and not parsed.region_only:
                selection.refusal = f"“{named}”对应多个部门（{shown}），请指明是哪一个。"
            elif guessable:
                selection.refusal = f"问题没有指明是哪个部门（单位）；{named or '已导入'}的相关部门有：{shown}。"
            else:
                selection.refusal = f"问题没有指明是哪个部门（单位）的数字（已导入{len(by_dept)}个部门的公开材料），请写明部门名称。"
                selection.unnamed = True
            selection.disclosures = []
            return selection
        for dept, by_year in by_dept.items():
            chosen = _choose_year(parsed, by_year, selection, vocab)
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
    _distinct_labels(selection.disclosures, vocab)
    return selection


def _distinct_labels(disclosures: list[Disclosure], vocab: Vocabulary) -> None:
    """One publisher's 部门预算 and its 本级 单位预算 of one year, both asked: each is named with its level."""
    labels = [d.label for d in disclosures]
    for d in disclosures:
        levels = {vocab.documents[i].level for i in d.doc_ids} - {None}
        if labels.count(d.label) > 1 and len(levels) == 1:
            d.label = f"{d.department}（{levels.pop()}）{d.year}年" if d.year else f"{d.department}（{levels.pop()}）"


def disclosure_documents(doc_ids: Collection[str], vocab: Vocabulary, allowed: Collection[str]) -> set[str]:
    """These documents and the other files of their disclosures (a 说明 and its 报表: one publisher, one year)."""
    wanted = {(_department_of(vocab.documents[d]), vocab.documents[d].year) for d in doc_ids}
    return {d for d in allowed if (_department_of(vocab.documents[d]), vocab.documents[d].year) in wanted}


def held_by_several(name: str, doc_ids: set[str], vocab: Vocabulary) -> Selection | None:
    """A name the question writes, held by several publishers' text (立项依据 heads every project page of a
    city's 部门预算): which one is meant is a guess, so each is listed, none answered (not even the only one
    that states a figure, as ``pick_one`` would: the name was not theirs to tell apart)."""
    by_dept = _disclosures(doc_ids, vocab)
    if len(by_dept) <= 1:
        return None
    depts = sorted(by_dept)
    shown = "、".join(depts[:MAX_SUGGESTIONS]) + ("等" if len(depts) > MAX_SUGGESTIONS else "")
    return Selection(refusal=f"问题没有指明是哪个部门（单位）；“{name}”见于{len(depts)}个部门的公开材料（{shown}），请指明是哪一个。",
                     suggestions=depts[:MAX_SUGGESTIONS])


def within_years(doc_ids: set[str], vocab: Vocabulary, years: Collection[int], latest: bool = False) -> set[str]:
    """Of each publisher's documents, those a question naming ``years`` can be answered from, as ``select``
    chooses them (among all its documents or those of one kind, 决算 or 单位预算): the years asked that are
    indexed, else the next later one (the year read as a column), none asked (or ``latest``) the latest; and
    the year before each (增长率's previous). A department's other years are not read for the names a
    question is matched against (at ten years, ten document models)."""
    by_publisher: dict[str, list[DocumentRecord]] = defaultdict(list)
    for doc_id in doc_ids:
        doc = vocab.documents[doc_id]
        by_publisher[_department_of(doc)].append(doc)
    kept: set[str] = set()
    for docs in by_publisher.values():
        chosen: set[int] = set()
        for kind in {None, *(d.kind for d in docs)}:  # None: every kind
            known = sorted({d.year for d in docs if d.year is not None and kind in (None, d.kind)})
            asked = {y if y in known else next((k for k in known if k > y), None) for y in years} - {None}
            chosen |= {y for y in asked if y is not None}
            if (latest or not asked) and known:
                chosen.add(known[-1])  # none asked, or none answerable (refused, by the latest's names)
        chosen |= {y - 1 for y in chosen}
        kept |= {d.doc_id for d in docs if d.year is None or d.year in chosen}
    return kept


def carriers(parsed: ParsedQuestion, vocab: Vocabulary, specific: bool = False) -> set[str]:
    """The documents that print every row, 项目 or code the question names; when none prints them all,
    those of its most specific name (printed by the fewest documents, the longest). ``specific``: only names
    that hold no measure every disclosure reports (a concept's name of three characters or more)."""
    holder_sets = []
    for item in parsed.items + ([parsed.context_item] if parsed.context_item is not None else []):
        if specific and any(end - start >= 3 for start, end, *_ in CONCEPTS.find(compact(item.name))):
            continue
        holders = {"row": vocab.rows, "attribute": vocab.attributes, "code": vocab.codes}.get(item.kind)
        if holders is not None and holders.get(item.name):
            holder_sets.append((len(holders[item.name]), -len(item.name), set(holders[item.name])))
    if not holder_sets:
        return set()
    common = set.intersection(*(h for _, _, h in holder_sets))
    return common or min(holder_sets, key=lambda h: (h[0], h[1]))[2]


def _states_only(parsed: ParsedQuestion) -> bool:
    """Asked by a name no table prints (a term the text may state), or a count: found in few documents."""
    return parsed.operation == LOOKUP and (
        any(i.kind == "term" for i in parsed.items) or parsed.count_units is not None or parsed.names_no_figure)


def settle(parsed: ParsedQuestion, selection: Selection, vocab: Vocabulary) -> None:
    """Narrow the question's publishers to those its answer was about, so a follow-up (那2019年呢？)
    continues with the same office, not every office of the same short name."""
    chosen = {d.department for d in selection.disclosures}
    if not chosen or not parsed.department_groups:
        return
    narrowed = []
    for group in parsed.department_groups:
        mine = [d for d in group if _department_of(vocab.documents[d]) in chosen] if all(d in vocab.documents for d in group) else []
        narrowed.append(mine or group)
    parsed.department_groups = narrowed


def _has_publisher(by_year: dict[int | None, Disclosure], vocab: Vocabulary) -> bool:
    """A disclosure whose publisher was read (a file name is no publisher to suggest)."""
    return any(vocab.documents[d].department for disclosure in by_year.values() for d in disclosure.doc_ids)


def _department_of(doc: DocumentRecord) -> str:
    return doc.department or doc.group_name or doc.file_name


def _unfit(named: str, fitting: Fit) -> str:
    if fitting.sub_units:
        return (f"已导入的“{named}”相关文件是其下属单位（{'、'.join(fitting.sub_units)}）的预算，不是{named}本身的，"
                "不能当作其数字回答。")
    if fitting.other_levels:
        own = LEVEL_WRITTEN.sub("", named)
        return f"未找到{own}本级的公开材料（已导入的是部门汇总的：{'、'.join(fitting.other_levels)}），无法回答本级数字。"
    return f"{named}已导入的文件不是预算/决算公开材料（{'、'.join(fitting.not_budgets)}），不能从中给出预算数字。"


def _closest(publishers: list[str], vocab: Vocabulary, within: set[str]) -> str:
    if publishers:
        return f"最接近的已导入部门：{'、'.join(publishers)}。"
    regions = indexed_regions(vocab, within)
    return f"已导入的部门中没有名称相近的；已导入的地区：{'、'.join(regions[:12])}。" if regions else "当前没有已导入的部门。"


AS_OF = re.compile(r"(?:截至|截止|截止到)(20\d\d)年(?:\d{1,2}月|底|末)")


def _budget(disclosure: Disclosure | None, vocab: Vocabulary) -> bool:
    return disclosure is not None and all("预算" in (vocab.documents[d].kind or "") and "决算" not in (vocab.documents[d].kind or "")
                                          for d in disclosure.doc_ids)


def _choose_year(parsed: ParsedQuestion, by_year: dict[int | None, Disclosure], selection: Selection,
                 vocab: Vocabulary) -> Disclosure:
    years = sorted((y for y in by_year if y is not None), reverse=True)
    latest = by_year[years[0]] if years else next(iter(by_year.values()))
    if not parsed.years:
        return latest
    as_of = AS_OF.search(compact(parsed.text))
    if as_of and parsed.years == [int(as_of.group(1))] and _budget(by_year.get(parsed.years[0] + 1), vocab):
        # 截至2024年8月底有几辆车: what is held before a year begins is stated in that year's budget (the 2025 one).
        return by_year[parsed.years[0] + 1]
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
