"""Scanning a question for the names it spells: longest matches, no overlaps, words kept whole.

The publishers and regions are found first (``qa.understand.publishers``); the names of the documents
in scope then fill the rest, never cutting into a publisher's name or a year ("6年" in 2026年):

    >>> [m[2] for m in scan("外办2020年行政运行是多少", vocab, who)]
    ['department', 'row']
"""

from __future__ import annotations

import re

from index.core.lexicon import BUDGET_FUND, CODE, PUBLISHER_NAME, YEAR
from index.core.text import compact
from qa.understand.concepts import NOT_BEFORE, synonym_table
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.names import Match, NameIndex, longest_first
from qa.understand.vocabulary import Vocabulary

YEAR_QUALIFIER = re.compile(r"本年|上年|当年|年初")
FUNDING_WORD = re.compile(f"{BUDGET_FUND.pattern}|财政拨款")
# Order decides ties between equally long matches: 基本支出 is a column before it is a row.
KIND_PRIORITY = {"department": 0, "region": 1, "table": 2, "concept": 3, "column": 4, "row": 5, "attribute": 6, "code": 7}

CONCEPTS = NameIndex((compact(s), "concept", c.name) for s, c in synonym_table())


def scan(q: str, vocab: Vocabulary, who: list[Match]) -> list[Match]:
    """Longest non-overlapping matches of the names in scope: (start, end, kind, text, key).

    The publishers and regions (``who``) were found first; a name of the scoped documents may not
    cut into them, nor into a year ("6年" in 2026年), nor cut a code out of a longer number."""
    found = [*who, *vocab.terms().name_index().find(q), *CONCEPTS.find(q)]
    for m in CODE.finditer(q):
        amount = AMOUNT_AFTER.match(q, m.end(1)) or (m.start(1) > 0 and q[m.start(1) - 1] in ".．")
        if m.group(1) in vocab.codes and not YEAR.fullmatch(m.group(1) + "年") and not amount:
            found.append((m.start(1), m.end(1), "code", m.group(1), m.group(1)))
    years = [m.span() for m in YEAR.finditer(q)]
    found = [f for f in found if f[2] in ("department", "region") or not any(_cuts(f, span) for span in years)]
    found = [f for f in found if f[2] in ("department", "region") or not any(_cuts(f, w[:2]) for w in who)]
    # 广州市生态环境局2026年项目支出绩效目标表: a title that prints its publisher's name names the publisher too;
    # the table is matched from where the name ends.
    found = [_after_publisher(f, who, q) if f[2] == "table" else f for f in found]
    # 一般 or 公共预算 (a column some table prints) inside 一般公共预算: a funding source is one word.
    funding = [m.span() for m in FUNDING_WORD.finditer(q)]
    found = [f for f in found if not any(a <= f[0] and f[1] <= b and f[1] - f[0] < b - a for a, b in funding)]
    # A unit's own row (广州市司法局, 深圳市统计局（本级）) holding a publisher's or region's name is that
    # organisation, not an item: it never outranks the publisher.
    # A sub-unit's row that holds the region's or publisher's name whole and says more (江苏省无锡技师学院
    # in 无锡市人社局's 收入总表) names that sub-unit: it is kept, and outranks the shorter name.
    found = [f for f in found if f[2] not in ("row", "attribute") or not PUBLISHER_NAME.match(f[3])
             or not any(f[0] < w[1] and w[0] < f[1] and not _holds(f, w) for w in who)]
    # 支出预算 inside 公用支出预算 is not the total: a 支出…/收入… measure must start a word (部门预算中支出预算,
    # 年初收入预算数 start one).
    # A year written is a word of its own: 2020年水费 names 水费 as a whole word.
    ends = {f[1] for f in found if f[2] != "concept"} | {b for _, b in years}
    found = [f for f in found if not (f[2] == "concept" and f[3][:2] in ("支出", "收入") and f[0] > 0
                                      and re.match(r"[\u4e00-\u9fff]", q[f[0] - 1]) and q[f[0] - 1] not in "年度的总及和与中里初"
                                      and f[0] not in ends)]
    # A two-character row name (服务, 奖金) counts only as a whole word, not inside 服务联络办.
    # A fund or a year's qualifier starts a word too: 奖金本年财政拨款基本支出 names 奖金.
    starts = {f[0] for f in found if f[2] != "concept"} | {a for a, _ in years} | {a for a, _ in funding} \
        | {m.start() for m in YEAR_QUALIFIER.finditer(q)}
    # Bare 收入/支出 is the total only as a whole word: not in 支出单位, 收入增长 is fine.
    found = [f for f in found if not (f[2] == "concept" and f[3] in ("收入", "支出")
                                      and not _boundary(q, f[1], starts, extra="增减较"))]
    found = [f for f in found if f[2] not in ("row", "attribute") or f[1] - f[0] > 2
             or (_boundary(q, f[0] - 1, ends) and _boundary(q, f[1], starts))]
    found = [f for f in found if not (f[2] == "concept" and f[3] in NOT_BEFORE and NOT_BEFORE[f[3]].match(q, f[1]))]
    # A name that starts with a year (a column 2026年预算数) is as long as its words: the year is a word of its own,
    # and 2026年预算准备金 names 预算准备金, not the 2026年预算 column.
    def words(f: Match) -> int:
        year = YEAR.match(q, f[0]) if f[2] not in ("department", "region") else None
        return f[1] - f[0] - (year.end() - year.start() if year else 0)

    return longest_first(found, lambda f: (-words(f), 0 if f in who else 1, KIND_PRIORITY[f[2]], f[0]))


def _after_publisher(f: Match, who: list[Match], q: str) -> Match:
    held = [w for w in who if w[2] in ("department", "region") and f[0] <= w[0] and w[1] < f[1]]
    if not held:
        return f
    start = max(w[1] for w in held)
    return (start, f[1], f[2], q[start:f[1]], f[4])


def _holds(f: Match, w: Match) -> bool:
    """``f`` spans ``w`` whole and is longer: 江苏省无锡技师学院 holds 无锡."""
    return f[0] <= w[0] and w[1] <= f[1] and f[1] - f[0] > w[1] - w[0]


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


def carriers(items: list[ItemRef], vocab: Vocabulary) -> set[str]:
    """The documents that print every row, 项目 or code named (else those of any of them)."""
    holders = []
    for item in items:
        bucket = {"row": vocab.rows, "attribute": vocab.attributes, "code": vocab.codes}.get(item.kind)
        if bucket is not None and bucket.get(item.name):
            holders.append(set(bucket[item.name]))
    return (set.intersection(*holders) or set.union(*holders)) if holders else set()


def blank(q: str, matches: list[Match]) -> str:
    """The question with the matched names blanked out (full-width spaces keep the positions)."""
    for start, end, *_ in matches:
        q = q[:start] + "　" * (end - start) + q[end:]
    return q


def inside_a_name(q: str, name: str, matches: list[Match], items: list[ItemRef]) -> bool:
    """The name is written inside a longer item or table name the question spells (机关服务中心运维费).
    A row named just like the organisation is a unit's row in some table, not what is asked."""
    start = q.find(name)
    spans = [(m[0], m[1]) for m in matches if m[2] not in ("department", "region")]
    spans += [(i.pos, i.pos + len(i.text)) for i in items]
    return start >= 0 and any(a <= start and start + len(name) <= b and b - a > len(name) for a, b in spans)


# What follows a number that makes it an amount (208.8万元, 201个), not a classification code.
AMOUNT_AFTER = re.compile(r"[.．]\d|万|亿|元|%|个|人|辆|次")
# "…一般公共预算支出表（按经济分类）中劳务费": a table the question names, as written.
TABLE_MENTION = re.compile(r"([\u4e00-\u9fff“”]{3,40}?表(?:[（(][^（）()]{1,12}[)）])?)(?=中|里|内|的|上|，|,)")


def named_table(q: str, matches: list[Match], parsed: ParsedQuestion, vocab: Vocabulary) -> None:
    """The table a question names in words of its own: the scoped title sharing most of its character
    pairs (at least 60%); none that close, and the question names a table the documents do not have."""
    text = blank(q, [m for m in matches if m[2] in ("department", "region")])
    text = YEAR.sub(lambda m: "　" * len(m.group(0)), text)
    found = TABLE_MENTION.search(text)
    if found is None:
        return
    said = re.sub(r"^[　]*|^(在|从|按|据)", "", found.group(1)).replace("“", "").replace("”", "")
    wanted = _pairs(said)
    best, score = None, 0.0
    for variant, titles in vocab.table_titles.items():
        theirs = _pairs(variant)
        overlap = 0.8 * len(wanted & theirs) / max(1, len(wanted)) + 0.2 * len(wanted & theirs) / max(1, len(theirs))
        if overlap > score:
            best, score = sorted(titles)[0], overlap
    if best is not None and score >= 0.65:
        parsed.tables.append(best)
        # Names inside the table's own name name the table, not what is asked of it
        # ("…一般公共预算基本支出部门预算经济分类预算表中，基本支出合计": the 基本支出 after it is asked).
        start, end = found.span(1)
        parsed.items = [i for i in parsed.items if not start <= i.pos < end]
        parsed.columns = [c for c in parsed.columns if not start <= c[1] < end]
    else:
        parsed.unknown_table = said


def _pairs(text: str) -> set[str]:
    text = compact(text)
    return {text[i:i + 2] for i in range(len(text) - 1)}
