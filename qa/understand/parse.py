"""Question understanding: which department, year, item, column and operation a Chinese question asks for.

Pure functions over a ``Vocabulary``: no store access, no model. Longest-match scanning over the
indexed names keeps similar names apart (行政运行经费 is a narrative measure, 行政运行 a 科目).
"""

from __future__ import annotations

import re

from index.core.lexicon import CODE, TABLE_LABEL_IN_TEXT, TOTAL_WORDS, YEAR
from index.core.text import compact
from index.core.units import WAN
from qa.understand.concepts import BY_NAME, Concept, requested_units, synonym_table
from qa.understand.items import NUMERIC, Match, TermKind, containment, leftover_items, wants_figure
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.operations import LOOKUP, PROSE, asked_operation
from qa.understand.vocabulary import Vocabulary

__all__ = ["ItemRef", "ParsedQuestion", "parse_question", "query_terms", "wants_figure", "concept_of"]
# Order decides ties between equally long matches: 基本支出 is a column before it is a row.
KIND_PRIORITY = {"department": 0, "region": 1, "table": 2, "concept": 3, "column": 4, "row": 5, "attribute": 6, "code": 7}

PREVIOUS_YEAR = re.compile(r"上年|去年|上一年|前一年|同比|上年度")
# An organisation named in the question but not indexed (after known names are removed).
UNKNOWN_ORG = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:委员会|办公室|办事处|街道|局|厅|署|科协|协会|联合会|总工会|委(?!托|员)|办(?=[的和与及、，,？?单]|$|\d)))"
)
UNKNOWN_REGION = re.compile(r"([\u4e00-\u9fff]{2}(?:区|县))(?=[\u4e00-\u9fff])")
NOT_REGION = {"地区", "城区", "辖区", "本区", "全区", "园区", "社区", "街区", "该区", "市区", "各区", "区县"}
FINAL_ACCOUNT = re.compile(r"决算")

FOLLOW_UP = re.compile(r"^(那|那么|它|其|这个|该|这项|此项)|呢[？?]?$")


def _scan(q: str, vocab: Vocabulary) -> list[Match]:
    """Longest non-overlapping matches of every known term: (start, end, kind, text, key)."""
    candidates: list[tuple[str, TermKind, str]] = []
    candidates += [(n, "department", n) for n in vocab.departments]
    candidates += [(n, "table", n) for n in vocab.table_titles]
    candidates += [(n, "region", n) for n in vocab.regions]
    candidates += [(n, "column", n) for n in vocab.columns if n not in ("项目", "科目")]
    candidates += [(compact(s), "concept", c.name) for s, c in synonym_table()]
    candidates += [(n, "row", n) for n in vocab.rows if n not in TOTAL_WORDS]
    candidates += [(n, "attribute", n) for n in vocab.attributes if n not in TOTAL_WORDS]
    found = []
    for text, kind, key in candidates:
        start = q.find(text)
        while start >= 0:
            found.append((start, start + len(text), kind, text, key))
            start = q.find(text, start + 1)
    # 《北京审计》杂志 is a title, not the department or the region.
    titles = [m.span() for m in re.finditer(r"《[^》]*》", q)]
    found = [f for f in found if f[2] not in ("department", "region") or not any(a < f[0] < b for a, b in titles)]
    for m in CODE.finditer(q):
        if m.group(1) in vocab.codes and not YEAR.fullmatch(m.group(1) + "年"):
            found.append((m.start(1), m.end(1), "code", m.group(1), m.group(1)))
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
    found.sort(key=lambda f: (-(f[1] - f[0]), KIND_PRIORITY[f[2]], f[0]))
    taken: list[Match] = []
    for f in found:
        if all(f[1] <= t[0] or f[0] >= t[1] for t in taken):
            taken.append(f)
    return sorted(taken)


def _boundary(q: str, i: int, marks: set[int], extra: str = "") -> bool:
    """Position ``i`` of ``q`` is outside any word: the text's edge, a non-Chinese character, a
    function word, or where another known name starts/ends."""
    if i < 0 or i >= len(q) or i in marks or (i + 1) in marks:
        return True
    return not re.match(r"[\u4e00-\u9fff]", q[i]) or q[i] in "的和与及、是在里中为有占比跟同或多少几预合共加呢吗总一分安" + extra


def parse_question(question: str, vocab: Vocabulary, context: ParsedQuestion | None = None) -> ParsedQuestion:
    q = compact(question)
    parsed = ParsedQuestion(text=question)
    matches = _scan(q, vocab)
    remaining = q
    for start, end, kind, text, key in matches:
        remaining = remaining[:start] + "　" * (end - start) + remaining[end:]
        if kind == "department":
            group = sorted(vocab.departments[key])
            if group not in parsed.department_groups:
                parsed.department_groups.append(group)
                parsed.department_names.append(text)
        elif kind == "region":
            pass  # used below to narrow departments
        elif kind == "column":
            parsed.columns.append((key, start))
            parsed.column, parsed.column_pos = key, start
        elif kind == "table":
            parsed.tables.append(key)
        elif kind == "concept":
            parsed.items.append(ItemRef(kind="concept", name=key, text=text, pos=start))
        else:
            parsed.items.append(ItemRef(kind=kind, name=key, text=text, pos=start))
    regions = [key for _, _, kind, _, key in matches if kind == "region"]
    if regions:
        region_docs = set.intersection(*(vocab.regions[r] for r in regions))
        if len(parsed.department_groups) == 1 and len(regions) > 1:
            # 北京和深圳两个审计局: one name, one department per region.
            named = set(parsed.department_groups[0])
            split = [sorted(named & vocab.regions[r]) for r in regions]
            if all(split):
                parsed.department_groups = split
        elif parsed.department_groups:
            parsed.department_groups = [sorted(set(g) & region_docs) or g for g in parsed.department_groups]
        else:
            parsed.department_groups = [sorted(region_docs)]
            parsed.department_names = regions
            parsed.region_only = True
    for label in TABLE_LABEL_IN_TEXT.findall(remaining):
        parsed.tables.append(label)
    remaining = TABLE_LABEL_IN_TEXT.sub(lambda m: "　" * len(m.group(0)), remaining)
    parsed.count_units = None if re.search(r"万元|元|钱|金额|资金", q) else requested_units(q)
    parsed.money = parsed.count_units is None and bool(re.search(r"万元|元|钱|金额|资金|预算|经费|支出|收入", q))
    if len(parsed.columns) > 1:
        parsed.columns = [c for c in parsed.columns if c[0] not in TOTAL_WORDS] or parsed.columns[:1]
    if parsed.columns:
        parsed.column, parsed.column_pos = parsed.columns[-1]
    leftover_items(q, remaining, parsed, vocab, matches)
    containment(q, parsed, vocab)
    parsed.unknown_department = _unknown_org(remaining)
    parsed.years = sorted({int(y) for y in YEAR.findall(remaining)})
    parsed.previous_year = bool(PREVIOUS_YEAR.search(q))
    parsed.final_account = bool(FINAL_ACCOUNT.search(q))
    parsed.wants_wan = WAN in q
    parsed.operation = asked_operation(q, parsed) or (LOOKUP if parsed.items or parsed.column or NUMERIC.search(q) else PROSE)
    if not parsed.items and not parsed.columns and parsed.department_groups and parsed.count_units is None \
            and parsed.operation_row.single_figure and "预算" in q:
        # 深圳审计局预算比上年减少多少: a department's budget, nothing narrower named, is its total.
        parsed.items.append(ItemRef(kind="concept", name="支出预算", text="预算", pos=q.find("预算")))
    if context is not None and _is_follow_up(q, parsed):
        _inherit(parsed, context)
    return parsed


def _unknown_org(remaining: str) -> str | None:
    for m in UNKNOWN_ORG.finditer(remaining):
        name = m.group(1).strip("　")
        if len(name) >= 2 and not re.search(r"[其该本各我你贵]", name[0]):
            return name
    for m in UNKNOWN_REGION.finditer(remaining):
        if m.group(1) not in NOT_REGION:
            return m.group(1)
    return None


def _is_follow_up(q: str, parsed: ParsedQuestion) -> bool:
    return bool(FOLLOW_UP.search(q)) or (not parsed.items and not parsed.column) or not parsed.department_groups


def _inherit(parsed: ParsedQuestion, context: ParsedQuestion) -> None:
    elliptical = bool(FOLLOW_UP.search(compact(parsed.text))) or (not parsed.items and not parsed.column)
    if not parsed.department_groups and context.department_groups and not parsed.unknown_department:
        parsed.department_groups = context.department_groups
        parsed.department_names = context.department_names
        parsed.inherited.append("部门")
    if not elliptical:
        return
    new_year = bool(parsed.years)
    if not parsed.items and context.items:
        parsed.items = context.items
        parsed.context_item = parsed.context_item or context.context_item
        parsed.inherited.append("项目")
        if not parsed.column and context.column:
            parsed.column, parsed.column_pos, parsed.columns = context.column, context.column_pos, context.columns
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
