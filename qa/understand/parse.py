"""Question understanding: which department, year, item, column and operation a Chinese question asks for.

Pure functions over a ``Vocabulary``: no model. Scope first: the publishers and regions the question
names (``qa.understand.publishers``) decide which documents' names its items are matched against, so
one document's odd rows never reach another's questions. Longest-match scanning keeps similar names
apart (行政运行经费 is a narrative measure, 行政运行 a 科目):

    >>> parse_question("外办2020年行政运行是多少", vocab).items[0].name
    '行政运行'
"""

from __future__ import annotations

import re
from collections.abc import Collection

from index.core.lexicon import CODE, TABLE_LABEL_IN_TEXT, TOTAL_WORDS, YEAR
from index.core.text import compact
from index.core.units import WAN
from qa.understand.concepts import BY_NAME, Concept, requested_units, synonym_table
from qa.understand.items import NUMERIC, containment, leftover_items, wants_figure
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.names import Match, NameIndex
from qa.understand.operations import LOOKUP, PROSE, asked_operation
from qa.understand.publishers import bind_publishers, identity_matches, unknown_org
from qa.understand.vocabulary import FORMS_SCOPE, Vocabulary

__all__ = ["ItemRef", "ParsedQuestion", "parse_question", "query_terms", "wants_figure", "concept_of"]
# Order decides ties between equally long matches: 基本支出 is a column before it is a row.
KIND_PRIORITY = {"department": 0, "region": 1, "table": 2, "concept": 3, "column": 4, "row": 5, "attribute": 6, "code": 7}

PREVIOUS_YEAR = re.compile(r"上年|去年|上一年|前一年|同比|上年度")
FINAL_ACCOUNT = re.compile(r"决算")

FOLLOW_UP = re.compile(r"^(那|那么|它|其|这个|该|这项|此项)|呢[？?]?$")
CONCEPTS = NameIndex((compact(s), "concept", c.name) for s, c in synonym_table())


def _scan(q: str, vocab: Vocabulary, who: list[Match]) -> list[Match]:
    """Longest non-overlapping matches of the names in scope: (start, end, kind, text, key).

    The publishers and regions (``who``) were found first; a name of the scoped documents may not
    cut into them, nor into a year ("6年" in 2026年), nor cut a code out of a longer number."""
    found = [*who, *vocab.terms().name_index().find(q), *CONCEPTS.find(q)]
    for m in CODE.finditer(q):
        if m.group(1) in vocab.codes and not YEAR.fullmatch(m.group(1) + "年"):
            found.append((m.start(1), m.end(1), "code", m.group(1), m.group(1)))
    years = [m.span() for m in YEAR.finditer(q)]
    found = [f for f in found if f[2] in ("department", "region") or not any(_cuts(f, span) for span in years)]
    found = [f for f in found if f[2] in ("department", "region") or not any(_cuts(f, w[:2]) for w in who)]
    # 支出预算 inside 公用支出预算 is not the total: a 支出…/收入… measure must start a word.
    ends = {f[1] for f in found if f[2] != "concept"}
    found = [f for f in found if not (f[2] == "concept" and f[3][:2] in ("支出", "收入") and f[0] > 0
                                      and re.match(r"[\u4e00-\u9fff]", q[f[0] - 1]) and q[f[0] - 1] not in "年的总及和与"
                                      and f[0] not in ends)]
    # A two-character row name (服务, 奖金) counts only as a whole word, not inside 服务联络办.
    starts = {f[0] for f in found if f[2] != "concept"}
    # Bare 收入/支出 is the total only as a whole word: not in 支出单位, 收入增长 is fine.
    found = [f for f in found if not (f[2] == "concept" and f[3] in ("收入", "支出")
                                      and not _boundary(q, f[1], starts, extra="增减较"))]
    found = [f for f in found if f[2] not in ("row", "attribute") or f[1] - f[0] > 2
             or (_boundary(q, f[0] - 1, ends) and _boundary(q, f[1], starts))]
    found.sort(key=lambda f: (-(f[1] - f[0]), 0 if f in who else 1, KIND_PRIORITY[f[2]], f[0]))
    taken: list[Match] = []
    for f in found:
        if all(f[1] <= t[0] or f[0] >= t[1] for t in taken):
            taken.append(f)
    return sorted(taken)


def _cuts(f: Match, span: tuple[int, int]) -> bool:
    """The match overlaps the span without containing it whole (2020年机要…运维费 contains its year)."""
    a, b = span
    overlaps = f[0] < b and a < f[1]
    return overlaps and not (f[0] <= a and b <= f[1] and f[1] - f[0] > b - a)


def _boundary(q: str, i: int, marks: set[int], extra: str = "") -> bool:
    """Position ``i`` of ``q`` is outside any word: the text's edge, a non-Chinese character, a
    function word, or where another known name starts/ends."""
    if i < 0 or i >= len(q) or i in marks or (i + 1) in marks:
        return True
    return not re.match(r"[\u4e00-\u9fff]", q[i]) or q[i] in "的和与及、是在里中为有占比跟同或多少几预合共加呢吗总一分安" + extra


def parse_question(question: str, vocab: Vocabulary, context: ParsedQuestion | None = None,
                   allowed: Collection[str] | None = None) -> ParsedQuestion:
    """Scope first: the publishers, regions and years named (or inherited), then the items, columns and
    operation, matched against the names of the documents in scope only (``allowed``: the user's scope)."""
    q = compact(question)
    parsed = ParsedQuestion(text=question)
    who = identity_matches(q, vocab)
    bind_publishers(q, parsed, who, vocab)
    # An organisation named but not indexed, read before items can eat into it (烟台市医疗保障局 ⊃ 医疗保障).
    unknown = unknown_org(_blank(q, who))
    if unknown:
        # 北京市医疗保障局: the region named in front belongs to the name not found.
        at = _blank(q, who).find(unknown)
        unknown = next((q[m[0]:at] for m in who if m[2] == "region" and m[1] == at), "") + unknown
    if unknown and parsed.unknown_department is None:
        parsed.unknown_department = unknown
    if context is not None and not parsed.department_groups and not parsed.unknown_region \
            and not _names_other(q, who, parsed):
        _inherit_scope(parsed, context)
    scope = scope_documents(parsed, vocab, allowed)
    scoped = vocab.scoped(scope)
    matches = _scan(q, scoped, who)
    kept = [m for m in matches if m in who]
    if len(kept) < len(who):
        # A longer name of the scoped documents holds a publisher's name (其他政府办公厅（室）…支出 holds
        # 政府办公厅): it names an item, not a publisher. Bind again without it, and match in the new scope.
        parsed = ParsedQuestion(text=question)
        who = kept
        bind_publishers(q, parsed, who, vocab)
        if unknown and parsed.unknown_department is None:
            parsed.unknown_department = unknown
        if context is not None and not parsed.department_groups and not parsed.unknown_region \
                and not _names_other(q, who, parsed):
            _inherit_scope(parsed, context)
        scope = scope_documents(parsed, vocab, allowed)
        scoped = vocab.scoped(scope)
        matches = _scan(q, scoped, who)
    if not parsed.department_groups:
        # No publisher named: the items named tell which documents (外事工作经费 → 外办's); their own
        # names, form fields included, are then matched again.
        carriers = _carriers(matches, scoped)
        if carriers and len(carriers) <= FORMS_SCOPE and carriers != set(scope):
            scoped = vocab.scoped(carriers)
            matches = _scan(q, scoped, who)
    remaining = q
    for start, end, kind, text, key in matches:
        remaining = remaining[:start] + "　" * (end - start) + remaining[end:]
        if kind in ("department", "region"):
            continue  # bound above
        if kind == "column":
            parsed.columns.append((key, start))
            parsed.column, parsed.column_pos = key, start
        elif kind == "table":
            parsed.tables.append(key)
        elif kind in ("concept", "row", "attribute", "code"):
            parsed.items.append(ItemRef(kind=kind, name=key, text=text, pos=start))
    for label in TABLE_LABEL_IN_TEXT.findall(remaining):
        parsed.tables.append(label)
    remaining = TABLE_LABEL_IN_TEXT.sub(lambda m: "　" * len(m.group(0)), remaining)
    parsed.count_units = None if re.search(r"万元|元|钱|金额|资金", q) else requested_units(q)
    parsed.money = parsed.count_units is None and bool(re.search(r"万元|元|钱|金额|资金|预算|经费|支出|收入", q))
    if len(parsed.columns) > 1:
        parsed.columns = [c for c in parsed.columns if c[0] not in TOTAL_WORDS] or parsed.columns[:1]
    if parsed.columns:
        parsed.column, parsed.column_pos = parsed.columns[-1]
    leftover_items(q, remaining, parsed, scoped, matches)
    containment(q, parsed, scoped)
    if unknown and _inside_a_name(q, unknown, matches):
        parsed.unknown_department = None  # 机关服务中心运维费 names an item, not an organisation
    if parsed.unknown_department is None:
        parsed.unknown_department = unknown_org(remaining)
        if parsed.unknown_department and "部门" in parsed.inherited:
            # 那教委呢？ names a publisher of its own, one not indexed: the previous one does not carry over.
            parsed.department_groups, parsed.department_names = [], []
            parsed.inherited.remove("部门")
    parsed.years = sorted({int(y) for y in YEAR.findall(remaining)})
    parsed.previous_year = bool(PREVIOUS_YEAR.search(q))
    parsed.final_account = bool(FINAL_ACCOUNT.search(q))
    parsed.wants_wan = WAN in q
    asked = asked_operation(q, parsed)
    parsed.operation = asked or (LOOKUP if parsed.items or parsed.column or NUMERIC.search(q) else PROSE)
    if not parsed.items and not parsed.columns and parsed.department_groups and parsed.count_units is None \
            and parsed.operation_row.single_figure and "预算" in q:
        # 深圳审计局预算比上年减少多少: a department's budget, nothing narrower named, is its total.
        parsed.items.append(ItemRef(kind="concept", name="支出预算", text="预算", pos=q.find("预算")))
    if context is not None and _is_follow_up(q, parsed) and asked != PROSE:
        _inherit(parsed, context)  # 它的职能是什么 keeps the publisher only, not the previous item
    return parsed


def _carriers(matches: list[Match], scoped: Vocabulary) -> set[str]:
    """The documents that carry every row, 项目 or code named (else any of them)."""
    holders = []
    for _, _, kind, _, key in matches:
        bucket = {"row": scoped.rows, "attribute": scoped.attributes, "code": scoped.codes}.get(kind)
        if bucket is not None and bucket.get(key):
            holders.append(set(bucket[key]))
    return (set.intersection(*holders) or set.union(*holders)) if holders else set()


def _blank(q: str, matches: list[Match]) -> str:
    for start, end, *_ in matches:
        q = q[:start] + "　" * (end - start) + q[end:]
    return q


def _inside_a_name(q: str, name: str, matches: list[Match]) -> bool:
    """The name is written inside an item or table name the question spells."""
    start = q.find(name)
    return start >= 0 and any(m[0] <= start and start + len(name) <= m[1] for m in matches
                              if m[2] not in ("department", "region"))


def scope_documents(parsed: ParsedQuestion, vocab: Vocabulary, allowed: Collection[str] | None) -> set[str]:
    """The documents whose names the question's items are matched against: those of the publishers or
    regions named (or inherited), else every document the user's scope allows."""
    docs = set(vocab.documents if allowed is None else allowed)
    if parsed.department_groups:
        return docs & {d for g in parsed.department_groups for d in g}
    if parsed.unknown_department or parsed.unknown_region:
        return docs & set(parsed.region_docs)  # refused anyway: nothing else is read
    return docs


def _names_other(q: str, who: list[Match], parsed: ParsedQuestion) -> bool:
    """The question names a publisher of its own (one not indexed): it does not inherit the previous one."""
    return bool(parsed.unknown_department) or any(kind == "region" for _, _, kind, _, _ in who)


def _inherit_scope(parsed: ParsedQuestion, context: ParsedQuestion) -> None:
    """A question naming no publisher continues the previous one's (那2019年呢？ / 它的基本支出呢？)."""
    if context.department_groups:
        parsed.department_groups = context.department_groups
        parsed.department_names = context.department_names
        parsed.region_only = context.region_only
        parsed.inherited.append("部门")


def _is_follow_up(q: str, parsed: ParsedQuestion) -> bool:
    return bool(FOLLOW_UP.search(q)) or (not parsed.items and not parsed.column) or "部门" in parsed.inherited


def _inherit(parsed: ParsedQuestion, context: ParsedQuestion) -> None:
    """An elliptical follow-up keeps the previous item and year (那2019年呢？ / 它的基本支出呢？)."""
    elliptical = bool(FOLLOW_UP.search(compact(parsed.text))) or (not parsed.items and not parsed.column)
    if not elliptical:
        return
    new_year = bool(parsed.years)
    if not parsed.items and context.items:
        parsed.items = context.items
        parsed.context_item = parsed.context_item or context.context_item
        parsed.inherited.append("项目")
        if not parsed.column and context.column:
            parsed.column, parsed.column_pos, parsed.columns = context.column, context.column_pos, context.columns
    elif not parsed.items and not parsed.column and context.column:
        # 政府办2020年基本支出是多少？ → 那2019年呢？: the column was the item.
        parsed.column, parsed.column_pos, parsed.columns = context.column, context.column_pos, context.columns
        parsed.inherited.append("项目")
    if not parsed.years and context.years:
        parsed.years = context.years
        parsed.inherited.append("年份")
    if not parsed.operation_row.calculates and (parsed.items or parsed.column):
        # 那政府办呢 repeats the calculation for another department; 那2019年呢 asks for that year's figure.
        keep = context.operation_row.numeric and not new_year
        parsed.operation = context.operation if keep else LOOKUP


STOP = re.compile(r"请问|请|一下|是什么|什么|(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本)|哪些|哪个|哪几个|哪两个|有哪些|多少|怎么样|如何|为什么|的|了|吗|呢|是|有|和|及|与|[？?！!。，,、\s]")


def query_terms(question: str, remove: list[str]) -> str:
    """The question's content words: without the department names, years and filler."""
    q = compact(question)
    for name in sorted(remove, key=len, reverse=True):
        q = q.replace(name, "")
    q = re.sub(r"20\d\d年?度?", "", q)
    return STOP.sub("", q)


def concept_of(item: ItemRef) -> Concept | None:
    return BY_NAME.get(item.name) if item.kind == "concept" else None
