"""Question understanding: which department, year, item, column and operation a Chinese question asks for.

Pure functions over a ``Vocabulary``: no store access, no model. Longest-match scanning over the
indexed names keeps similar names apart (行政运行经费 is a narrative measure, 行政运行 a 科目).
"""

from __future__ import annotations

import re
from typing import Literal

from index.core.text import compact
from qa.understand.concepts import BY_NAME, requested_units, synonym_table
from qa.understand.items import NUMERIC, _containment, _leftover_items, wants_figure
from qa.understand.model import OPERATION_NAMES, ItemRef, Operation, ParsedQuestion
from qa.understand.vocabulary import Vocabulary

__all__ = ["ItemRef", "ParsedQuestion", "OPERATION_NAMES", "parse_question", "query_terms", "wants_figure", "concept_of"]
TermKind = Literal["department", "region", "table", "column", "concept", "row", "attribute", "code"]
# Order decides ties between equally long matches: 基本支出 is a column before it is a row.
KIND_PRIORITY = {"department": 0, "region": 1, "table": 2, "concept": 3, "column": 4, "row": 5, "attribute": 6, "code": 7}
TOTAL_WORDS = {"合计", "总计", "小计", "总额", "预算数", "金额", "预算金额", "预算内", "项目", "科目"}

YEAR = re.compile(r"(?<!\d)(20\d\d)(?:年度?|(?!\d))")
CODE = re.compile(r"(?<!\d)(\d{3}|\d{5}|\d{7})(?!\d)")
PREVIOUS_YEAR = re.compile(r"上年|去年|上一年|前一年|同比|上年度")
# An organisation named in the question but not indexed (after known names are removed).
UNKNOWN_ORG = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:委员会|办公室|办事处|街道|局|厅|署|科协|协会|联合会|总工会|委(?!托|员)|办(?=[的和与及、，,？?单]|$|\d)))"
)
TABLE_LABEL = re.compile(r"(表[0-9一二三四五六七八九十]{1,3}|预算\d{2}表)")
UNKNOWN_REGION = re.compile(r"([\u4e00-\u9fff]{2}(?:区|县))(?=[\u4e00-\u9fff])")
NOT_REGION = {"地区", "城区", "辖区", "本区", "全区", "园区", "社区", "街区", "该区", "市区", "各区", "区县"}
FINAL_ACCOUNT = re.compile(r"决算")

OPERATIONS: list[tuple[Operation, re.Pattern]] = [
    ("growth_rate", re.compile(r"增长率|增幅|降幅|增速|下降率|减少率|变化率|(增长|增加|减少|上升|降低)(了)?百分之|增长(了)?(多少|几)%|增长比例|增减比例|下降(了)?百分之|同比增长")),
    ("ratio", re.compile(r"倍")),
    ("share", re.compile(r"占比|占.{0,20}(比例|比重|百分之|百分比|多少|几成|%)|比重|所占|是.{0,20}的百分之几|完成.{0,12}百分之几")),
    ("change", re.compile(r"多几|少几|增加(了)?多少|减少(了)?多少|增减|变化(了)?多少|多(了)?多少|少(了)?多少|差额|相差|差(了)?多少|增长(了)?多少|下降(了)?多少|高(出)?多少|低多少")),
    ("compare", re.compile(r"哪个|哪一个|哪家|哪些部门|谁的|谁更|比较|对比|排序|排名|最高|最多|最大|最少|最低|更高|更多|更少|更低|相比")),
    ("sum", re.compile(r"加起来|总和|之和|一共|共计|合起来|加总|两个部门.*合计|合计.*多少")),
]
STRONG_PROSE = re.compile(r"是什么[？?]?$|指什么|什么是|职责|职能|为什么|原因|目标|用途|用于|介绍|做什么|干什么|任务|怎么|如何|哪些(?!部门)|是指|含义|定义|是谁|负责人|级别|等级")
WEAK_PROSE = re.compile(r"什么|说明|情况")
FOLLOW_UP = re.compile(r"^(那|那么|它|其|这个|该|这项|此项)|呢[？?]?$")


def _scan(q: str, vocab: Vocabulary) -> list[tuple[int, int, TermKind, str, str]]:
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
    taken: list[tuple[int, int, TermKind, str, str]] = []
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
            group = set(parsed.department_groups[0])
            split = [sorted(group & vocab.regions[r]) for r in regions]
            if all(split):
                parsed.department_groups = split
        elif parsed.department_groups:
            parsed.department_groups = [sorted(set(g) & region_docs) or g for g in parsed.department_groups]
        else:
            parsed.department_groups = [sorted(region_docs)]
            parsed.department_names = regions
            parsed.region_only = True
    for label in TABLE_LABEL.findall(remaining):
        parsed.tables.append(label)
    remaining = TABLE_LABEL.sub(lambda m: "　" * len(m.group(0)), remaining)
    parsed.count_units = None if re.search(r"万元|元|钱|金额|资金", q) else requested_units(q)
    parsed.money = parsed.count_units is None and bool(re.search(r"万元|元|钱|金额|资金|预算|经费|支出|收入", q))
    if len(parsed.columns) > 1:
        parsed.columns = [c for c in parsed.columns if c[0] not in TOTAL_WORDS] or parsed.columns[:1]
    if parsed.columns:
        parsed.column, parsed.column_pos = parsed.columns[-1]
    _leftover_items(q, remaining, parsed, vocab, matches)
    _containment(q, parsed, vocab)
    parsed.unknown_department = _unknown_org(remaining)
    parsed.years = sorted({int(y) for y in YEAR.findall(remaining)})
    parsed.previous_year = bool(PREVIOUS_YEAR.search(q))
    parsed.final_account = bool(FINAL_ACCOUNT.search(q))
    parsed.wants_wan = "万元" in q
    parsed.operation = _operation(q, parsed)
    if not parsed.items and not parsed.columns and parsed.department_groups and parsed.count_units is None \
            and parsed.operation in ("lookup", "change", "growth_rate") and "预算" in q:
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


def _operation(q: str, parsed: ParsedQuestion) -> Operation:
    if STRONG_PROSE.search(q) and not re.search(r"几|多少", q):
        return "prose"
    if re.search(r"内设机构|内设科室", q) and not re.search(r"几|多少", q):
        return "prose"
    for op, pattern in OPERATIONS:
        if pattern.search(q):
            if op == "sum" and len(parsed.items) < 2 and len(parsed.department_groups) == 1:
                continue
            if op == "compare" and len(parsed.department_groups) == 1 and len(parsed.items) < 2 and len(parsed.years) < 2:
                continue
            return op
    if len(parsed.items) >= 2 and re.search(r"合计|总共|和.*共", q):
        return "sum"
    if WEAK_PROSE.search(q) and not (parsed.items or parsed.column) and not NUMERIC.search(q):
        return "prose"
    if not parsed.items and not parsed.column and not NUMERIC.search(q):
        return "prose"
    return "lookup"


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
    if parsed.operation in ("lookup", "prose") and (parsed.items or parsed.column):
        # 那政府办呢 repeats the calculation for another department; 那2019年呢 asks for that year's figure.
        keep = context.operation != "prose" and not new_year
        parsed.operation = context.operation if keep else "lookup"


STOP = re.compile(r"请问|请|一下|是什么|什么|(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本)|哪些|哪个|哪几个|哪两个|有哪些|多少|怎么样|如何|为什么|的|了|吗|呢|是|有|和|及|与|[？?！!。，,、\s]")


def query_terms(question: str, remove: list[str]) -> str:
    """The question's content words: without the department names, years and filler."""
    q = compact(question)
    for name in sorted(remove, key=len, reverse=True):
        q = q.replace(name, "")
    q = re.sub(r"20\d\d年?度?", "", q)
    return STOP.sub("", q)


def concept_of(item: ItemRef):
    return BY_NAME.get(item.name) if item.kind == "concept" else None
