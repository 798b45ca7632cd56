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

from index.core.lexicon import TABLE_LABEL_IN_TEXT, TOTAL_WORDS, YEAR
from index.core.text import compact
from index.core.units import WAN
from qa.understand.concepts import BY_NAME, Concept, requested_units
from qa.understand.items import NUMERIC, TOTAL_CONCEPTS, containment, leftover_items, wants_figure
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.names import Match
from qa.understand.operations import LOOKUP, PROSE, SUM, asked_operation
from qa.understand.publishers import bind_publishers, identity_matches, unknown_org
from qa.understand.scan import blank, carriers, inside_a_name, named_table, scan
from qa.understand.scope import within_years
from qa.understand.vocabulary import FORMS_SCOPE, Vocabulary

__all__ = ["ACTUALLY_SPENT", "ItemRef", "ParsedQuestion", "parse_question", "query_terms", "wants_figure", "concept_of"]
PREVIOUS_YEAR = re.compile(r"上年|去年|上一年|前一年|同比|上年度")
FINAL_ACCOUNT = re.compile(r"决算")
# 三公经费实际花了多少: what was spent is the 决算 figure of a line, asked in other words.
ACTUALLY_SPENT = re.compile(r"实际(?=花|支出|发生|使用|用)")
SOURCE_YEAR = re.compile(r"(?:根据|按照?|依据|据|见)\s*20\d\d年度?(?:部门|单位)?(?:预算|决算)?(?:说明|公开材料|材料|文件)?(?:推算|计算)?"
                         r"|[（(]20\d\d年度?(?:部门|单位)?(?:预算|决算)(?:说明)?[)）]")
DATE_ONLY = re.compile(r"20\d\d年(底|末|初|\d{1,2}月(\d{1,2}日)?)?")  # a row named 2022年底 dates, it names no item
DOCUMENT_YEAR = re.compile(r"(20\d\d)年度?(?:部门|单位)(?:预算|决算)")  # 2026年部门预算: a disclosure named
FOLLOW_UP = re.compile(r"^(那|那么|它|其|这个|该|这项|此项)|呢[？?]?$")


# A money threshold that says which things are counted ("单位价值100万元（含）以上的设备"), not what is asked.
THRESHOLD = re.compile(r"\d+(?:\.\d+)?\s*万?元\s*(?:[（(]含[)）])?以[上下]")

def parse_question(question: str, vocab: Vocabulary, context: ParsedQuestion | None = None,
                   allowed: Collection[str] | None = None) -> ParsedQuestion:
    """Scope first: the publishers, regions and years named (or inherited), then the items, columns and
    operation, matched against the names of the documents in scope only (``allowed``: the user's scope)."""
    q = compact(question)
    who = identity_matches(q, vocab)
    unknown = _unknown_named(q, who)
    parsed, scoped, matches = _read(question, q, who, unknown, vocab, context, allowed)
    if len([m for m in matches if m in who]) < len(who):
        # A longer name of the scoped documents holds a publisher's name (其他政府办公厅（室）…支出 holds
        # 政府办公厅): it names an item, not a publisher. Read again without it, in the scope that leaves.
        who = [m for m in matches if m in who]
        parsed, scoped, matches = _read(question, q, who, unknown, vocab, context, allowed)
    if not parsed.department_groups:
        # No publisher named: the items named tell which documents (外事工作经费 → 外办's); their own
        # names, form fields included, are then read again.
        held = carriers(parsed.items + ([parsed.context_item] if parsed.context_item else []), scoped)
        if held and len(held) <= FORMS_SCOPE and held < scope_documents(parsed, vocab, allowed):
            again = _read(question, q, who, unknown, vocab, context, held)
            if len(again[0].items) >= len(parsed.items):
                parsed, scoped, matches = again
                parsed.item_docs = sorted(held)
    remaining = blank(q, matches)
    remaining = blank(remaining, [(i.pos, i.pos + len(i.text), "row", i.text, i.name) for i in parsed.items])
    if unknown and inside_a_name(q, unknown, matches, parsed.items):
        parsed.unknown_department = None  # 机关服务中心运维费 names an item, not an organisation
    if unknown and parsed.department_groups and any(i.kind in ("row", "attribute") and i.text == unknown for i in parsed.items):
        # 苏州市土地储备中心…占苏州市自然资源和规划局部门收入合计: a sub-unit printed as a row of the tables of
        # the publisher also named, not a publisher of its own.
        parsed.unknown_department = None
    if parsed.unknown_department is None:
        later = unknown_org(remaining)
        parsed.unknown_department = None if later and _part_of_publisher(q, later, who) else later
        if parsed.unknown_department and "部门" in parsed.inherited:
            # 那教委呢？ names a publisher of its own, one not indexed: the previous one does not carry over.
            parsed.department_groups, parsed.department_names = [], []
            parsed.inherited.remove("部门")
    # （根据2026年预算说明推算）names the file the figure is read from, not the year asked.
    parsed.years = sorted({int(y) for y in YEAR.findall(SOURCE_YEAR.sub(lambda m: "　" * len(m.group(0)), remaining))}
                          # 万里街道2024年部门支出预算总表: the year of a table named is the year asked.
                          | {int(y) for _, _, kind, text, _ in matches if kind == "table" for y in YEAR.findall(text)})
    parsed.unit_budget = "单位预算" in q
    parsed.previous_year = bool(PREVIOUS_YEAR.search(q))
    parsed.final_account = bool(FINAL_ACCOUNT.search(q))
    parsed.wants_wan = WAN in q
    parsed.wants_yuan = re.search(r"(?<![万亿])元", q) is not None and not parsed.wants_wan
    asked = asked_operation(q, parsed)
    owner = parsed.context_item
    if asked in (SUM, None) and owner is not None and owner.kind in ("row", "code", "attribute") \
            and parsed.items and all(i.kind == "concept" and i.name in TOTAL_CONCEPTS for i in parsed.items):
        # 执法支队的收入合计: the sub-unit's row is what is asked (its 合计 column, below), not a part of the total.
        parsed.items, parsed.context_item = [owner, *parsed.items], None
    if asked in (SUM, None) and _row_total(parsed):
        # 行政运行（2240101）支出合计, 执法支队的收入合计: the row's 合计 column, not the row plus the table's total.
        parsed.items = [i for i in parsed.items if not (i.kind == "concept" and i.name in TOTAL_CONCEPTS)]
        asked = asked_operation(q, parsed)
    parsed.operation = asked or (LOOKUP if parsed.items or parsed.column or NUMERIC.search(q) else PROSE)
    if parsed.operation == LOOKUP and len(parsed.columns) > 1 and not parsed.items:
        # 财政拨款收入决算数: the first is a row of the table whose column the last one is (表一 收入支出决算总表).
        for name, pos in parsed.columns[:-1]:
            if name in scoped.rows:
                parsed.items.append(ItemRef(kind="row", name=name, text=name, pos=pos))
                parsed.columns = [c for c in parsed.columns if c != (name, pos)]
    if not parsed.items and not parsed.columns and parsed.department_groups and parsed.count_units is None \
            and parsed.operation_row.single_figure and "预算" in q:
        # 深圳审计局预算比上年减少多少: a department's budget, nothing narrower named, is its total.
        parsed.items.append(ItemRef(kind="concept", name="支出预算", text="预算", pos=q.find("预算")))
    if parsed.operation == LOOKUP and len(parsed.years) >= 2:
        # "2026年部门预算公开表7中2025年…预算数": the year of the disclosure named, and the year asked of it.
        named = {int(y) for y in DOCUMENT_YEAR.findall(remaining)}
        parsed.years = [y for y in parsed.years if y not in named] or parsed.years
    if context is not None and _is_follow_up(q, parsed) and asked != PROSE:
        _inherit(parsed, context)  # 它的职能是什么 keeps the publisher only, not the previous item
    return parsed


def _row_total(parsed: ParsedQuestion) -> bool:
    """One row named, and otherwise only the document's totals (收入合计, 支出合计)."""
    rows = [i for i in parsed.items if i.kind in ("row", "code", "attribute")]
    totals = [i for i in parsed.items if i.kind == "concept" and i.name in TOTAL_CONCEPTS]
    return len(rows) == 1 and bool(totals) and len(rows) + len(totals) == len(parsed.items)


def _part_of_publisher(q: str, name: str, who: list[Match]) -> bool:
    """An office written after the publisher named, not joined to it by 和/与/及/、, is part of it
    (深圳审计局经济责任审计专业署); 外办和教委 names a second publisher."""
    at = q.find(name)
    before = [m for m in who if m[2] == "department" and m[1] <= at]
    return bool(before) and not re.search(r"[和与及、跟同]|以及", q[max(m[1] for m in before):at])


def _unknown_named(q: str, who: list[Match]) -> str | None:
    """An organisation named but not indexed, read before items can eat into it (烟台市医疗保障局 ⊃ 医疗保障),
    with the region and Party prefix written in front of it (中国共产党北京市委员会宣传部)."""
    blanked = blank(q, who)
    unknown = unknown_org(blanked)
    if not unknown:
        return None
    at = blanked.find(unknown)
    start = next((m[0] for m in who if m[2] == "region" and m[1] == at), at)
    party = re.search(r"(中国共产党|中共)$", q[:start])
    return q[party.start() if party else start:at] + unknown


def _read(question: str, q: str, who: list[Match], unknown: str | None, vocab: Vocabulary,
          context: ParsedQuestion | None, allowed: Collection[str] | None) -> tuple[ParsedQuestion, Vocabulary, list[Match]]:
    """Publishers bound, scope settled, then the items, columns and tables named within that scope."""
    parsed = ParsedQuestion(text=question)
    bind_publishers(q, parsed, who, vocab)
    if unknown and parsed.unknown_department is None and not _part_of_publisher(q, unknown, who):
        parsed.unknown_department = unknown
    if context is not None and not parsed.department_groups and not parsed.unknown_region \
            and not _names_other(who, parsed):
        _inherit_scope(parsed, context)
    docs = scope_documents(parsed, vocab, allowed)
    if parsed.department_groups:
        # Only the years the answer can come from (every year written, any a follow-up carries on): a
        # department's other years' names are not read.
        written = {int(y) for y in YEAR.findall(q)}
        docs = within_years(docs, vocab, written | set(context.years if context is not None else []), latest=not written)
    scoped = vocab.scoped(docs)
    matches = scan(q, scoped, who)
    for start, _end, kind, text, key in matches:
        if kind == "column":
            parsed.columns.append((key, start))
        elif kind == "table":
            parsed.tables.append(key)
        elif kind in ("concept", "row", "attribute", "code") and not DATE_ONLY.fullmatch(key):
            parsed.items.append(ItemRef(kind=kind, name=key, text=text, pos=start))
    # （2026年部门预算）names the file the figure is read from, not a column of it.
    sources = [m.span() for m in SOURCE_YEAR.finditer(q)]
    parsed.columns = [c for c in parsed.columns if not any(start <= c[1] < end for start, end in sources)]
    remaining = blank(q, matches)
    parsed.tables += TABLE_LABEL_IN_TEXT.findall(remaining)
    if not parsed.tables:
        named_table(q, matches, parsed, scoped)
    remaining = TABLE_LABEL_IN_TEXT.sub(lambda m: "　" * len(m.group(0)), remaining)
    asks = THRESHOLD.sub("", q)  # 单价100万元以上的设备有多少台: the 万元 is the threshold, the question counts
    # …专项资金召开新闻发布会活动有几场: a money word inside a name read asks no amount.
    parsed.count_units = None if re.search(r"万元|元|钱|金额|资金", THRESHOLD.sub("", remaining)) else requested_units(asks)
    parsed.money = parsed.count_units is None and bool(re.search(r"万元|元|钱|金额|资金|预算|经费|支出|收入", asks))
    if len(parsed.columns) > 1:
        parsed.columns = [c for c in parsed.columns if c[0] not in TOTAL_WORDS] or parsed.columns[:1]

    if parsed.columns:
        parsed.column, parsed.column_pos = parsed.columns[-1]
    leftover_items(q, remaining, parsed, scoped, matches)
    containment(q, parsed, scoped)
    return parsed, scoped, matches


def scope_documents(parsed: ParsedQuestion, vocab: Vocabulary, allowed: Collection[str] | None) -> set[str]:
    """The documents whose names the question's items are matched against: those of the publishers or
    regions named (or inherited), else every document the user's scope allows."""
    docs = set(vocab.documents if allowed is None else allowed)
    if parsed.department_groups:
        return docs & {d for g in parsed.department_groups for d in g}
    if parsed.unknown_region:
        return docs & set(parsed.region_docs)  # refused anyway: nothing else is read
    return docs


def _names_other(who: list[Match], parsed: ParsedQuestion) -> bool:
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


STOP = re.compile(r"请问|请|一下|是什么|什么|(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本|所|场)|哪些|哪个|哪几个|哪两个|有哪些|多少|怎么样|如何|为什么|的|了|吗|呢|是|有|和|及|与|[？?！!。，,、\s]")


# "执法总队（2026年单位预算）设有哪些内设机构": the bracket says which disclosure, not what is asked.
DOCUMENT_NAMED = re.compile(r"[（(](?:20\d\d年?度?)?(?:单位|部门)?(?:预算|决算)[)）]")


def query_terms(question: str, remove: list[str]) -> str:
    """The question's content words: without the department names, years and filler."""
    q = compact(question)
    for name in sorted(remove, key=len, reverse=True):
        q = q.replace(name, "")
    q = DOCUMENT_NAMED.sub("", q)
    q = re.sub(r"20\d\d年?度?", "", q)
    return STOP.sub("", q)


def concept_of(item: ItemRef) -> Concept | None:
    return BY_NAME.get(item.name) if item.kind == "concept" else None
