"""The items a question names that no indexed name covers, and how its items relate ("A里的B").

Leftover words become a near-exact 项目名称, a project named after its department, or a free-text
term for the stated figures; "A的B" / "A里B" makes A the context of B.
"""

from __future__ import annotations

import re
from typing import Literal

from index.core.text import compact
from qa.understand.model import ItemKind, ItemRef, ParsedQuestion
from qa.understand.vocabulary import Vocabulary

# Words around the item in a question; what is left between them may be an item name.
FUNCTION_WORDS = re.compile(
    r"是多少|多少钱|(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本)|多少|是否|一致吗|一致|分别|是|的|了|吗|呢|和|与|及|跟|同|比|占|里|中|在|为|有|几|倍|百分之|百分比|比例|比重|"
    r"增加|减少|增长|下降|合计|加起来|一共|总预算|预算数|预算|安排|金额|资金|请问|多|少|万元|元|上年|去年|同比|较|"
    r"相差|差|总额|总数|到底|对吗|这个|这|该|此|分别|各|两个|部门|什么|哪些|主要|包括|[？?，,。！!、\s　（）()]|20\d\d年?度?"
)
TermKind = Literal["department", "region", "table", "column", "concept", "row", "attribute", "code"]
# A known name the question spells: (start, end, kind, text as written, key).
Match = tuple[int, int, TermKind, str, str]
NUMERIC = re.compile(r"多少|几|金额|数额|是否一致|预算数|元|%|占比|增长|减少|增加|倍|合计|总额")


def leftover_items(q: str, remaining: str, parsed: ParsedQuestion, vocab: Vocabulary, matches: list[Match]) -> None:
    """Words no known name covered: a near-exact 项目名称 (…活动支持经费), else a term for the narrative.

    "A的B" / "A里B" with B unknown asks for B within A: B is the item, A (a known item or another
    leftover) its context, so B is never answered with A's own figure.
    """
    blanked = FUNCTION_WORDS.sub(lambda m: "　" * len(m.group(0)), remaining)
    chunks = [(m.group(0), m.start()) for m in re.finditer(r"[^　]+", blanked)]
    chunks = [(c, p) for c, p in chunks if len(c) >= 2 and re.search(r"[\u4e00-\u9fff]", c)]
    unmatched = []
    for chunk, pos in chunks:
        match = _near_name(chunk, vocab) or _department_project(q, pos, chunk, matches, vocab)
        if match is not None:
            parsed.items.append(ItemRef(kind=match[0], name=match[1], text=chunk, pos=pos))
        else:
            unmatched.append((chunk, pos))
    for chunk, pos in unmatched:
        owner = _owner(q, pos, parsed.items, unmatched)
        if owner is not None and (wants_figure(remaining) or parsed.count_units):
            parsed.items = [i for i in parsed.items if i is not owner]
            parsed.items.append(ItemRef(kind="term", name=chunk, text=chunk, pos=pos))
            parsed.context_item = owner
            return
    if not parsed.items and not parsed.columns and unmatched and (wants_figure(remaining) or parsed.count_units):
        # 内设几个科室: the noun after the count word is what is counted; else the longest word.
        noun = COUNT_NOUN.search(q) if parsed.count_units else None
        chunk, pos = (noun.group(1), noun.start(1)) if noun else max(unmatched, key=lambda c: len(c[0]))
        parsed.items.append(ItemRef(kind="term", name=chunk, text=chunk, pos=pos))


def _near_name(chunk: str, vocab: Vocabulary) -> tuple[ItemKind, str] | None:
    found = vocab.fuzzy_name(chunk)
    if found is None:
        return None
    return ("attribute" if found[0] == "attribute" else "row"), found[1]


COUNT_NOUN = re.compile(r"(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本)([\u4e00-\u9fff]{2,8}?)(?:[呢吗？?。，,]|$)")
OWNED = re.compile(r"^(的|里|中|里的|中的|之)$")


def _owner(q: str, pos: int, items: list[ItemRef], chunks: list[tuple[str, int]]) -> ItemRef | None:
    """The item or leftover word written right before "的/里/中" in front of position ``pos``."""
    for item in items:
        end = item.pos + len(item.text)
        if end < pos and OWNED.match(q[end:pos]):
            return item
    for chunk, start in chunks:  # 生命健康专项里支持企业规模化发展 (not 编报绩效目标的项目: 的 only modifies)
        end = start + len(chunk)
        if end < pos and OWNED.match(q[end:pos]) and q[end:pos] != "的" and len(chunk) >= 4:
            return ItemRef(kind="term", name=chunk, text=chunk, pos=start)
    return None


def _department_project(q: str, pos: int, chunk: str, matches: list[Match], vocab: Vocabulary) -> tuple[ItemKind, str] | None:
    """"西城区人民政府办公室工作经费": a project named after its department (政府办工作经费)."""
    for _start, end, kind, _, key in matches:
        if kind != "department" or end != pos:
            continue
        docs = vocab.departments[key]
        for alias, alias_docs in vocab.departments.items():
            if alias_docs & docs:
                kinds: tuple[tuple[dict[str, set[str]], ItemKind], ...] = ((vocab.attributes, "attribute"), (vocab.rows, "row"))
                for names, kind_name in kinds:
                    if alias + chunk in names:
                        return kind_name, alias + chunk
    return None


INSIDE = re.compile(r"^(的|里|中|里的|中的|下的|之中|当中|里面的?|中间的?)$|(经济分类|明细|表)(里|中)的?$")


def containment(q: str, parsed: ParsedQuestion, vocab: Vocabulary) -> None:
    """"A里的B" asks for B within A: A becomes the context (the whole, for 占比), B the item."""
    items = sorted(parsed.items, key=lambda i: i.pos)
    for a, b in zip(items, items[1:]):
        between = q[a.pos + len(a.text): b.pos]
        if between == "的" and b.kind == "concept" and b.text in ("支出", "收入"):
            parsed.items = [i for i in parsed.items if i is not b]  # 支持中小企业的支出: A itself
            break
        if INSIDE.search(between):
            parsed.context_item = a
            parsed.items = [i for i in parsed.items if i is not a]
            break
    if parsed.column:
        # 基本支出经济分类里的公务接待费: the 经济分类 row, not the 三公经费 measure.
        for i, item in enumerate(parsed.items):
            between = q[parsed.column_pos + len(parsed.column): item.pos]
            if item.kind == "concept" and parsed.column_pos < item.pos and INSIDE.search(between) \
                    and compact(item.text) in vocab.rows:
                parsed.items[i] = ItemRef(kind="row", name=compact(item.text), text=item.text, pos=item.pos)


def wants_figure(question: str) -> bool:
    return bool(NUMERIC.search(compact(question)))
