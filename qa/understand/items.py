"""The items a question names that no indexed name covers, and how its items relate ("A里的B").

Leftover words become a near-exact 项目名称, a project named after its department, or a free-text
term for the stated figures; "A的B" / "A里B" makes A the context of B.
"""

from __future__ import annotations

import re

from index.core.lexicon import BUDGET_FUND, TOTAL_WORDS
from index.core.text import compact
from qa.understand.model import ItemKind, ItemRef, ParsedQuestion
from qa.understand.names import Match
from qa.understand.scan import FUNDING_WORD
from qa.understand.vocabulary import Vocabulary

# Words around the item in a question; what is left between them may be an item name. 中 in 中心, 中期, 中央,
# 中小企业 … is part of a name, not "within".
FUNCTION_WORDS = re.compile(
    r"是多少|多少钱|(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本|所|场)|多少|是否|一致吗|一致|分别|是|的|了|吗|呢|之和|和|与|及|跟|同|比|占|里|中(?![心期央小学医级])|在|为|有|几|倍|百分之|百分比|比例|比重|"
    r"增加|减少|增长|下降|合计|加起来|一共|总预算|预算数|预算|计划(?=安排)|安排|预计|金额|资金|请问|多|少|万元|元|上年|去年|同比|较|"
    r"相差|差(?!旅)|总额|总数|到底|对吗|这个|这|该|此|分别|各(?!个?季度)|两个|部门|什么|哪些|哪一?个|哪项|主要|包括|今年|本年度|本年|明年|[？?，,。！!、\s　（）()]|20\d\d年?度?"
)
# A fund's own measures: 政府性基金预算支出 is stated in the text (财政拨款三公经费 is the 三公 table's 财政拨款 column).
FUND_MEASURES = frozenset({"支出预算", "收入预算"})
TOTAL_CONCEPTS = ("收入预算", "支出预算")  # a document's own totals
APPROPRIATION = "财政拨款"
# What a share's part is followed by: 占 (after 预算 / 预算数, which the part's name may carry).
SHARE_OF = re.compile(r"(?:预算数?|费用|经费)?占")
NUMERIC = re.compile(r"多少|几|金额|数额|是否一致|预算数|元|%|占比|比例|比重|增长|减少|增加|倍|合计|总额|总计")


def _fund_qualifies(q: str, parsed: ParsedQuestion, vocab: Vocabulary) -> None:
    """A budget fund named right before its spending or income, or before a column, qualifies it, though a table
    of the scope prints the fund as a column (财政拨款收支总表 支出/政府性基金预算): 政府性基金预算支出 is that
    fund's measure, which the text states; 一般公共预算基本支出 the 基本支出 column of the fund's table."""
    for m in BUDGET_FUND.finditer(q):
        fund = (m.group(0), m.start())
        if fund not in parsed.columns:
            continue
        # "一般公共预算财政拨款项目支出": the fund's 拨款 written out is still the fund before its column.
        end = m.end() + len(APPROPRIATION) if q.startswith(APPROPRIATION, m.end()) else m.end()
        concept = next((i for i in parsed.items if i.kind == "concept" and i.pos == m.end() and i.name in FUND_MEASURES), None)
        if concept is None and (fund[0] in vocab.rows or not any(pos == end for _, pos in parsed.columns)):
            continue  # a fund that is a row too names, with the column, a table (parse: 一般公共预算基本支出情况表)
        parsed.columns.remove(fund)
        if concept is not None:
            text = q[m.start():concept.pos + len(concept.text)]
            parsed.items[parsed.items.index(concept)] = ItemRef(kind="term", name=text, text=text, pos=m.start())
        parsed.column, parsed.column_pos = parsed.columns[-1] if parsed.columns else (None, 0)


def leftover_items(q: str, remaining: str, parsed: ParsedQuestion, vocab: Vocabulary, matches: list[Match]) -> None:
    """Words no known name covered: a near-exact 项目名称 (…活动支持经费), else a term for the narrative.

    "A的B" / "A里B" with B unknown asks for B within A: B is the item, A (a known item or another
    leftover) its context, so B is never answered with A's own figure.
    """
    _fund_qualifies(q, parsed, vocab)
    for i, item in enumerate(parsed.items):
        for m in FUNDING_WORD.finditer(q):
            straddles = m.start() < item.pos < m.end() < item.pos + len(item.text)
            # 财政拨款收支总预算: the fund's own 收支 total (its 收支总表's), never the department's.
            both_sides = m.end() == item.pos and item.text.startswith("收支")
            if item.kind == "concept" and (straddles or both_sides):
                # 政府性基金预算支出: the measure of that fund, which the text states, not the 预算支出 total.
                text = q[m.start():item.pos + len(item.text)]
                parsed.items[i] = ItemRef(kind="term", name=text, text=text, pos=m.start())
                remaining = remaining[:m.start()] + "　" * (item.pos - m.start()) + remaining[item.pos:]
    remaining = _fund_income(remaining, parsed, vocab)
    blanked = FUNCTION_WORDS.sub(lambda m: "　" * len(m.group(0)), remaining)
    chunks = _rejoined([(m.group(0), m.start()) for m in re.finditer(r"[^　]+", blanked)], remaining)
    chunks = [(c, p) for c, p in chunks if len(c) >= 2 and re.search(r"[\u4e00-\u9fff]", c)]
    unmatched = []
    for chunk, pos in chunks:
        if _joined_with_neighbour(chunk, pos, parsed, vocab):
            continue
        match = _near_name(chunk, vocab) or _department_project(q, pos, chunk, matches, vocab)
        if match is not None:
            parsed.items.append(ItemRef(kind=match[0], name=match[1], text=chunk, pos=pos))
        else:
            unmatched.append((chunk, pos))
    for chunk, pos in list(unmatched):
        fund = chunk.removesuffix("支出")
        if fund in FUNDING and any(i.kind in ("row", "code") and i.pos < pos for i in parsed.items) \
                and not q.startswith("预算", pos + len(chunk)):
            _fund_as_column(q, parsed, fund, pos)  # 12328电话运行维护费项目支出财政拨款, 财政拨款 printed as no row
            unmatched.remove((chunk, pos))
    parsed.unbound = [chunk for chunk, _ in unmatched]
    for chunk, pos in unmatched:
        glued = next((i for i in parsed.items if i.kind == "concept" and i.pos + len(i.text) == pos), None)
        money = MONEY_AFTER.match(q, pos + len(chunk))
        if glued is not None and (money or PART_NOUN.search(chunk)) and not GENERIC.fullmatch(chunk) \
                and not ITEM_QUALIFIER.fullmatch(chunk):
            # 政府采购货物预算, 政府采购货物类项目: the word inside the measure's name names a part of it, which
            # only the text states ("其中：政府采购货物预算120.00万元"); the whole measure is not the answer.
            # 政府采购工程类采购预算: the measure said again after the part is part of the same name.
            again = next((i for i in parsed.items if i.name == glued.name and i.pos == pos + len(chunk)), None)
            text = glued.text + chunk + (again.text if again else money.group(0) if money else "")
            parsed.items = [ItemRef(kind="term", name=text, text=text, pos=glued.pos) if i is glued else i
                            for i in parsed.items if i is not again]
            return
    for chunk, pos in unmatched:
        owner = _owner(q, pos, parsed.items, unmatched)
        if owner is not None and (wants_figure(remaining) or parsed.count_units):
            parsed.items = [i for i in parsed.items if i is not owner]
            parsed.items.append(ItemRef(kind="term", name=chunk, text=chunk, pos=pos))
            parsed.context_item = owner
            return
    part = next(((c, p) for c, p in unmatched if SHARE_OF.match(q, p + len(c))), None)
    if part is not None and not any(i.pos < part[1] for i in parsed.items) and not any(p < part[1] for _, p in parsed.columns):
        # 项目支出预算占本年支出预算的比例: the part is what is named before 占, though only the text states it.
        parsed.items.append(ItemRef(kind="term", name=part[0], text=part[0], pos=part[1]))
        return
    noun = COUNT_NOUN.search(q) if parsed.count_units else None
    if not parsed.items and noun is not None and any(noun.start(1) <= p < noun.end(1) for _, p in parsed.columns):
        # 多少个二级预算单位: the noun counted holds a column's word (预算); it is what is counted, not that column.
        parsed.columns = [c for c in parsed.columns if not noun.start(1) <= c[1] < noun.end(1)]
        parsed.column, parsed.column_pos = parsed.columns[-1] if parsed.columns else (None, 0)
        parsed.items.append(ItemRef(kind="term", name=noun.group(1), text=noun.group(1), pos=noun.start(1)))
        return
    # 一般公共预算安排委托业务费: a funding source named as a column qualifies the item; it is not the item.
    # 项目数合计多少个: a count's 合计 adds the counts up (no table column counts projects); so does the 合计 of
    # words no table prints (第一季度用款计划和第二季度用款计划合计 is no table's 合计 column).
    adds_up = [(c, p) for c, p in parsed.columns if c in ADDING and all(p > at for _, at in unmatched)]
    funding_only = all(c in FUNDING or (parsed.count_units and c in TOTAL_WORDS) or (c, p) in adds_up
                       for c, p in parsed.columns)
    if not parsed.items and funding_only and unmatched and (wants_figure(remaining) or parsed.count_units or adds_up):
        # 内设几个科室: the noun after the count word is what is counted; else the longest word.
        noun = COUNT_NOUN.search(q) if parsed.count_units else None
        expanded = [(name, chunk, pos) for chunk, pos in unmatched for name in _each_period(chunk) or [chunk]]
        if noun is None and (_listed(q, unmatched) or len(expanded) > len(unmatched)):
            # 本年财政拨款收入和本年其他资金收入合计: each word of the list is an item (the check sees every one);
            # 四个季度用款计划合计: each quarter's.
            parsed.items += [ItemRef(kind="term", name=name, text=chunk, pos=pos) for name, chunk, pos in expanded]
            _drop_columns(parsed, adds_up)
            return
        # 道路改造工程合计: the 合计 of a word no name covers is that word's figure, never the table's 合计.
        _drop_columns(parsed, adds_up)
        chunk, pos = (noun.group(1), noun.start(1)) if noun else max(unmatched, key=lambda c: len(c[0]))
        parsed.items.append(ItemRef(kind="term", name=chunk, text=chunk, pos=pos))


# 政府性基金预算拨款收入: one fund's income, which disclosures print under several names (表二's column
# 政府性基金预算拨款收入, 表一's row 二、政府性基金预算资金); the last is also a carry-over's row (二、上年结转).
FUND_INCOME = re.compile(rf"({BUDGET_FUND.pattern})(?:拨款)?(?:收入|资金)")
FUND_INCOME_NAMES = ("{}拨款收入", "{}资金", "{}收入", "{}拨款")


def _fund_income(remaining: str, parsed: ParsedQuestion, vocab: Vocabulary) -> str:
    """A fund's income written as no scoped row is named: the row that prints it under another of its names."""
    for m in FUND_INCOME.finditer(remaining):
        name = next((n.format(m.group(1)) for n in FUND_INCOME_NAMES if n.format(m.group(1)) in vocab.rows), None)
        if name is not None:
            parsed.items.append(ItemRef(kind="row", name=name, text=m.group(0), pos=m.start()))
            remaining = remaining[:m.start()] + "　" * len(m.group(0)) + remaining[m.end():]
    return remaining


# 本年其他资金收入: 资金 between two words no name covered is inside one name, not filler around it.
INNER_FILLER = re.compile(r"资金")
SIDE_END = re.compile(r"(收入|支出)$")


def _rejoined(chunks: list[tuple[str, int]], remaining: str) -> list[tuple[str, int]]:
    """Leftover words split by a filler word inside a 收入/支出 name, joined again (其他 + 资金 + 收入)."""
    out: list[tuple[str, int]] = []
    for chunk, pos in chunks:
        if out:
            last, start = out[-1]
            gap = remaining[start + len(last):pos]
            if INNER_FILLER.fullmatch(gap) and SIDE_END.search(chunk) and re.fullmatch(r"[\u4e00-\u9fff]+", last):
                out[-1] = (remaining[start:pos + len(chunk)], start)
                continue
        out.append((chunk, pos))
    return out


# 四个季度用款计划, 各季度用款计划: the measure of each quarter, as the text states it (第一季度用款计划158.05万元).
EACH_QUARTER = re.compile(r"(?:四个|各个?|每个|全年各)季度")
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
ADDING = frozenset({"合计", "总计"})


def _each_period(chunk: str) -> list[str]:
    """The chunk's measure once per quarter, when it names every quarter's; [] otherwise."""
    m = EACH_QUARTER.search(chunk)
    if m is None or len(chunk) - m.end() < 2:
        return []
    return [f"{chunk[:m.start()]}{quarter}{chunk[m.end():]}" for quarter in QUARTERS]


def _drop_columns(parsed: ParsedQuestion, columns: list[tuple[str, int]]) -> None:
    parsed.columns = [c for c in parsed.columns if c not in columns]
    parsed.column, parsed.column_pos = parsed.columns[-1] if parsed.columns else (None, 0)


def _listed(q: str, chunks: list[tuple[str, int]]) -> bool:
    """Several leftover words, each joined to the one before by 和/与/及/、 (only filler besides)."""
    gaps = [q[a + len(chunk):b] for (chunk, a), (_, b) in zip(chunks, chunks[1:])]
    return bool(gaps) and all(re.search(r"[和与及、]|加上", gap) for gap in gaps)


def _joined_with_neighbour(chunk: str, pos: int, parsed: ParsedQuestion, vocab: Vocabulary) -> bool:
    """"服务联络办" + the row "工作经费" written next to it: together they abbreviate one 项目名称
    (区服务联络办工作经费), which replaces the shorter name."""
    for i, item in enumerate(parsed.items):
        if item.kind not in ("row", "attribute"):
            continue
        if item.pos == pos + len(chunk):
            text, start = chunk + item.text, pos
        elif item.pos + len(item.text) == pos:
            text, start = item.text + chunk, item.pos
        else:
            continue
        found = vocab.fuzzy_name(text)
        if found is not None:
            parsed.items[i] = ItemRef(kind="attribute" if found[0] == "attribute" else "row", name=found[1], text=text,
                                      pos=start)
            return True
        if start == item.pos and ITEM_TAIL.search(chunk):
            # 综合管理 + 项目经费: a project named after a row, which only the text may state (a term).
            parsed.items[i] = ItemRef(kind="term", name=text, text=text, pos=start)
            return True
    return False


def _near_name(chunk: str, vocab: Vocabulary) -> tuple[ItemKind, str] | None:
    found = vocab.fuzzy_name(chunk)
    if found is None:
        return None
    return ("attribute" if found[0] == "attribute" else "row"), found[1]


COUNT_NOUN = re.compile(r"(?:多少|几)(?:个|家|项|名|位|辆|台|次|册|本|所|场)([\u4e00-\u9fff]{2,8}?)(?:[呢吗？?。，,]|$)")
# 政府采购项目中服务类项目: a generic noun may close the owner's name before 中.
OWNED = re.compile(r"^(?:项目|预算|经费)?(的|里|中|里的|中的|之)$")
MONEY_AFTER = re.compile(r"预算|经费|资金")
PART_NOUN = re.compile(r"类项目$|类$")
GENERIC = re.compile(r"项目|预算|经费|资金|支出|收入")
# Words next to an item that do not narrow it (总额, 合计, 单位 of 单位预算 …).
ITEM_QUALIFIER = re.compile(r"总额|总计|合计|小计|总数|金额|数额|单位|部门|本级|全年|年度|全部|整体|资金|情况|总体|一共|共计|总共|分别|具体"
                            r"|[两三四几各]项|科目|年初|调整后?|执行")


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


ITEM_TAIL = re.compile(r"(项目经费|项目|经费|专项|资金)$")
ASIDE = re.compile(r"[（(][^（）()]{1,30}[）)]")
METHOD_ASIDE = re.compile(r"[（(](?:按|根据|依据)[^（）()]*(?:计算|推算)[）)]")
SOURCE_ASIDE = re.compile(r"[（(](?:20\d\d年度?)?(?:部门|单位)?(?:预算|决算)(?:公开|说明|公开说明)?[）)]")
ASIDE_WORDS = re.compile(r"[（(](?:不含|不包括|含|包括|包含|其中)")
NOT_ASIDE = re.compile(r"[（(](?:不是|并非|而非|非)")  # （不是决算数）: what is not asked
# 行政运行科目的支出, 口岸管理（2010907）支出, 水利工程建设（项）支出: the row's own spending.
OF_ITSELF = re.compile(r"(科目|项目|项|款)?的?|[（(][^（）()]{1,12}[)）]")
SOURCE_AFTER = re.compile(r"(说明|公开材料|文件|材料)(中|里|内|的)")  # 部门预算说明中…: where, not what
FUNDING = frozenset({"财政拨款", "一般公共预算", "政府性基金", "财政拨款预算", "一般公共预算拨款"})
QUALIFIER_GAP = re.compile(r"[“”\"'「」]*")
# A fund's spending named after a row: the fund is the row's column (一般公共预算支出/小计 of 表5).
FUND_SPENDING = re.compile(rf"({BUDGET_FUND.pattern}|财政拨款)(?:财政拨款|拨款)?(?:支出)?(?:预算)?")
FUND_GAP = re.compile(r"的?")
# "三公经费中，因公出国费…": the comma after 中 still makes A the whole that B is within.
INSIDE = re.compile(r"^(的|里|中|里的|中的|下的|之中|当中|里面的?|中间的?|(?:里|中|之中|当中)[，,])$|(经济分类|明细|表)(里|中)的?$")


def _fund_as_column(q: str, parsed: ParsedQuestion, fund: str, pos: int) -> None:
    """12328电话运行维护费项目支出财政拨款: the fund written after a row's 支出 is the row's column of that fund (9.95),
    not its 合计 (10.00). After another word (委托业务费财政拨款) it names a measure the text may state whole, of
    which one table's column is a part: left to the reading of the text."""
    # 《项目支出预算情况表》中运转保障的财政拨款: in a table named, the row's column of that fund.
    after_row = q[:pos].endswith("支出") or (bool(parsed.tables) and q[:pos].endswith("的"))
    if after_row and not any(c in FUNDING for c, _ in parsed.columns):
        parsed.columns = sorted([*parsed.columns, (fund, pos)], key=lambda c: c[1])
        parsed.column, parsed.column_pos = parsed.columns[-1]


def containment(q: str, parsed: ParsedQuestion, vocab: Vocabulary) -> None:
    """"A里的B" asks for B within A: A becomes the context (the whole, for 占比), B the item."""
    for aside in ASIDE.finditer(q):
        # 本年收入合计（不含上年结转结余）: what the brackets exclude or include is not asked for itself;
        # 住房公积金（功能科目2210201）, 行政运行经费（机关运行经费）: brackets after a name say it again.
        again = aside.group(0)[1:3] not in ("不含", "不包", "含上", "包括", "包含", "其中") and \
            any(i.pos + len(i.text) == aside.start() for i in parsed.items)
        if again or ASIDE_WORDS.match(aside.group(0)):
            parsed.items = [i for i in parsed.items if not aside.start() <= i.pos < aside.end()]
        inside = range(aside.start(), aside.end())
        if METHOD_ASIDE.fullmatch(aside.group(0)):
            # （按支出预算总表合计行计算）: how to compute, from which table; its words name nothing asked.
            parsed.unbound = [w for w in parsed.unbound if q.find(w) not in inside]
        if SOURCE_ASIDE.fullmatch(aside.group(0)) or NOT_ASIDE.match(aside.group(0)):
            # …固定资产金额是多少万元？（2026年部门预算）: which document, not a 预算 column of the figure; （不是决算数）:
            # the figure not asked.
            parsed.items = [i for i in parsed.items if not aside.start() <= i.pos < aside.end()]
            parsed.columns = [c for c in parsed.columns if not aside.start() <= c[1] < aside.end()]
            parsed.column, parsed.column_pos = parsed.columns[-1] if parsed.columns else (None, 0)
    seen: set[tuple[str, str]] = set()
    for item in sorted(parsed.items, key=lambda i: i.pos):
        after = q[item.pos + len(item.text):]
        # 财政拨款收入 is the row 财政拨款 of the 收入 side, not a funding qualifier of the 收入 total.
        # …社会保障和就业支出财政拨款支出: written right after a row, it is that row's fund, not a line.
        qualifies = any(i.kind in ("row", "code") and i.pos + len(i.text) == item.pos for i in parsed.items)
        names_a_line = item.kind == "row" and after.startswith(("收入", "支出", "的收入", "的支出")) and not qualifies
        if (item.kind, item.name) in seen or (SOURCE_AFTER.match(after) and len(parsed.items) > 1) or \
                (item.name in FUNDING and len(parsed.items) > 1 and not names_a_line):
            # 三公经费…三公经费: once; 部门预算说明中…: the source, not an item; 机关运行经费财政拨款预算:
            # the funding that pays for the other item, not an item of its own.
            parsed.items = [i for i in parsed.items if i is not item]
            if item.name in FUNDING and any(i.kind in ("row", "code") for i in parsed.items) \
                    and not after.startswith("预算"):
                # (委托业务费财政拨款预算 is a measure the text states whole; the 基本支出 table holds a part of it)
                _fund_as_column(q, parsed, item.name, item.pos)
        seen.add((item.kind, item.name))
    _fund_column(q, parsed)
    items = sorted(parsed.items, key=lambda i: i.pos)
    for a, b in zip(items, items[1:]):
        if a.kind == "code" and b.kind == "row" and a.pos + len(a.text) == b.pos \
                and vocab.codes.get(a.name, set()) & vocab.rows.get(b.name, set()):
            # 30113住房公积金: the code's row written out as printed; one item, not the two added up.
            parsed.items = [ItemRef(kind="code", name=a.name, text=q[a.pos: b.pos + len(b.text)], pos=a.pos)
                            if i is a else i for i in parsed.items if i is not b]
            return containment(q, parsed, vocab)
        if b.kind == "concept" and QUALIFIER_GAP.fullmatch(q[a.pos + len(a.text): b.pos]):
            if a.kind == "code":
                # 30231公务用车运行维护费: the name says the code again; one item, not the two added up.
                text = q[a.pos: b.pos + len(b.text)]
                parsed.items = [ItemRef(kind="code", name=a.name, text=text, pos=a.pos) if i is a else i
                                for i in parsed.items if i is not b]
                return containment(q, parsed, vocab)
            if a.kind in ("row", "attribute"):
                # 行政运行支出: the bare 支出 completes the row's name; 财政拨款“三公”经费: the row qualifies the
                # measure. 职业年金缴费支出预算: the row's own budget; 无锡市第六高级中学本年收入: a sub-unit's row
                # and its total. A project before a measure (暑期校舍维修修缮项目政府采购) keeps both: the measure's
                # total is not the project's part of it.
                if b.text.startswith(("支出", "收入")) or b.name in TOTAL_CONCEPTS:
                    drop: ItemRef | None = b
                elif a.name in FUNDING or FUNDING_WORD.fullmatch(a.name):
                    drop = a
                else:
                    drop = None
                if drop is not None:
                    parsed.items = [i for i in parsed.items if i is not drop]
                    return containment(q, parsed, vocab)
        between = q[a.pos + len(a.text): b.pos]
        if OF_ITSELF.fullmatch(between) and b.kind == "concept" and b.text in ("支出", "收入"):
            parsed.items = [i for i in parsed.items if i is not b]  # 支持中小企业的支出: A itself
            break
        if INSIDE.search(ASIDE.sub("", between)):  # 信息化建设（2010806）的租赁费: the code said again is no gap
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


def _fund_column(q: str, parsed: ParsedQuestion) -> None:
    """药品事务（的）一般公共预算支出, 行政运行的财政拨款支出: the row's figure in the fund's column (表5's
    一般公共预算支出/小计), not the fund's whole spending, nor a sentence about the fund."""
    named = sorted(parsed.items + ([parsed.context_item] if parsed.context_item else []), key=lambda i: i.pos)
    for a, b in zip(named, named[1:]):
        fund = FUND_SPENDING.fullmatch(compact(b.text)) if b.kind in ("concept", "term") else None
        if a.kind in ("row", "code") and fund and FUND_GAP.fullmatch(q[a.pos + len(a.text): b.pos]):
            parsed.items = [i if i is not parsed.context_item else a for i in parsed.items if i is not b]
            if a not in parsed.items:
                parsed.items.append(a)
            parsed.context_item = None if parsed.context_item is a else parsed.context_item
            parsed.unbound = [w for w in parsed.unbound if w != b.text]
            parsed.columns.append((compact(b.text), b.pos))
            parsed.column, parsed.column_pos = parsed.columns[-1]
            return


def wants_figure(question: str) -> bool:
    return bool(NUMERIC.search(compact(question)))
