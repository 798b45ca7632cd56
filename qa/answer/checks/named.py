"""Checks that every thing the question names is in the answer: nothing asked for is silently dropped,
no table named is swapped for another.

    北京市民政局本年财政拨款收入和本年其他资金收入合计  → only 财政拨款收入 bound: refused, not answered with a part
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from index.core.lexicon import BUDGET_FUND, TOTAL_COLUMNS
from index.core.text import compact
from qa.answer.checks.base import Check, Review, register
from qa.figures.figure import Figure
from qa.understand.items import ITEM_QUALIFIER
from qa.understand.operations import AGAINST_BUDGET, COMPLETION
from qa.understand.parse import ACTUALLY_SPENT
from qa.understand.scan import FUNDING_WORD

# "A和B": what follows a joining word up to the next one, and the words that make it a budget item.
JOINT = re.compile(r"[和与、]|(?<![涉普])及(?!时)|加上")  # 涉及 and 普及 join nothing
PHRASE = re.compile(r"[^，,。；;？?和与及、]*")
# 租赁费, 退休费, 用财政拨款, 服务类项目, 年初预算: what names an amount, a project or a column of one.
ITEM_END = re.compile(r"(费|支出|收入|收支|经费|金|拨款|补贴|补助|.{3}项目|年初预算|预算数|执行数|决算数)$")  # 金: 准备金, 资金
FIGURE_KIND = re.compile(rf"年初预算|调整预算|调整后预算|执行数|决算数|{ACTUALLY_SPENT.pattern}")
# What the source must say for the kind asked: 实际花了 is a 决算 or 执行 figure, never a 预算数.
KIND_SAID = {"实际": re.compile(r"决算|执行|实际"), "年初预算": re.compile(r"年初|预算数")}
YEAR_WORD = re.compile(r"20\d\d年")  # a dated column (2019年预算数) is the year check's
NUMBER_IN = re.compile(r"\d[\d,，]*(?:\.\d+)?")
# Words for the publisher itself or its year (本单位的, 今年全年的): they narrow nothing.
OWN_WORDS = re.compile(r"本单位|本部门|单位本级|部门本级|今年|本年|全年|年度|整体|全部")
# A word between an item and one of these is inside the item's name (政府采购|工程|预算).
MONEY_WORD = re.compile(r"预算|支出|经费|费用|资金|拨款|项目")
ADDS_UP = re.compile(r"合计|加起来|一共|总共|之和|共计|相加|两项|三项|几项")
# What follows a joining word up to the end of a table's name: "、会议费、培训费支出表中" joins words of a title.
IN_TABLE_NAME = re.compile(r"[^，,。；;？?]*?表(?:[（(][^（）()]{1,12}[)）])?(?:中|里|内|的)")
ITEM_IN = re.compile(r"收入|支出|经费|费用|费|资金|拨款|补贴|补助|基金|专项|项目")
APPOSITION = re.compile(r"(单位|部门|机构|项目|科目)$")
JOINT_BEFORE = re.compile(rf"(?:{JOINT.pattern})[“”\"]*$")
JOINT_AFTER = re.compile(rf"[“”\"]*(?:{JOINT.pattern})")
# 用财政拨款安排的…, …的财政拨款支出: the funding source the figure is paid from, which its table or column names.
FUNDED_BY = re.compile(rf"(?:用|由|以|从)?({FUNDING_WORD.pattern})(?:安排)?(支出|收入)?")


@register
class NamedItemsBound(Check):
    """A word that names a budget item (…收入, …经费, …项目) and matched nothing is not left out of the answer."""

    name = "named_items_bound"

    def problem(self, review: Review) -> str | None:
        parsed = review.parsed
        q = compact(parsed.text)
        spans = [(i.pos, i.pos + len(i.text)) for i in parsed.items] + [(pos, pos + len(c)) for c, pos in parsed.columns]
        if parsed.context_item is not None:
            spans.append((parsed.context_item.pos, parsed.context_item.pos + len(parsed.context_item.text)))
        bound = [a for a, _ in spans]
        sources = "".join(_says(f) for f in review.figures)
        for word in parsed.unbound:
            if len(word) >= 3 and ITEM_END.search(word) and not any(a <= q.find(word) < b for a, b in spans) \
                    and word not in sources and not _funded_by(word, _fund_before(q, word), review):
                # 整体支出绩效评价得分: the quoted sentence says 整体支出 itself
                return f"问题中的“{word}”在所检索的文件中没有对应的项目，答案不能只回答其余部分"
        for word in parsed.unbound:
            if word not in sources and _row_beside(review, word):
                # 电费水费合计 with 电费 unread: the table the answer read prints 电费 as a row of its own.
                return f"问题中的“{word}”是所读表格中的一行，答案没有包含它，不能只回答其余部分"
        for word in parsed.unbound:
            if re.match(r"[（(][类款][)）]", q[q.find(word) + len(word):]) and word not in sources:
                # 监狱（款）水体（项）: the 款 names which 水体 row; a row under another 款 is not it.
                return f"问题中的“{word}”（款）在所检索的文件中没有对应的科目，答案不能只回答其中的项"
        for word in parsed.unbound:
            at = q.find(word)
            # 住房公积金和无人机合计: a word listed beside an item (joined to it by 和/与/、) is asked for too.
            joined = JOINT_AFTER.match(word)  # 加上无人机: the joining word read with the word
            core = word[joined.end():] if joined else word
            listed = joined or JOINT_BEFORE.search(q[:at]) or JOINT_AFTER.match(q, at + len(word))
            if listed and _unread(core, sources) and not FUNDED_BY.fullmatch(core):
                return f"问题中“{core}”所问的项目在所检索的文件中没有找到，答案不能只回答其余部分"
        for word in parsed.unbound:
            # 住房公积金占无人机的比例: the whole named matched nothing; a default whole (支出合计) is not it.
            if q[:q.find(word)].endswith("占") and _unread(word, sources):
                return f"问题中占比的整体“{word}”在所检索的文件中没有找到，不能用其他数字代替"
        starts = {i.pos for i in [*parsed.items, parsed.context_item] if i is not None}
        if not parsed.items:  # 无人机人员经费: a column asked as the measure itself is narrowed as an item is
            starts |= {pos for c, pos in parsed.columns if c not in TOTAL_COLUMNS}
        for word in parsed.unbound:
            end = q.find(word) + len(word)
            # 无人机综合管理项目经费: a word written right before an item names which one; the item's figure alone
            # (综合管理 918.01万元) is not the answer unless its source says the word too. (下属单位广州市…中心: a word
            # ending in 单位 says what the name after it is.)
            if end in starts and not APPOSITION.search(word) and _unread(word, sources) and not FUNDED_BY.fullmatch(word):
                return f"问题中的“{word}”限定了所问项目，但在所检索的文件中没有对应的数字，不能用未限定的数字回答"
        for word in parsed.unbound:
            at = q.find(word)
            # 委托业务费涉及财拨资金: what the item 涉及 narrows it as much as a word written right after it.
            inside = any(q[b:at] in ("", "涉及") for a, b in spans if a < b <= at) \
                and MONEY_WORD.match(q, at + len(word)) is not None
            if len(word) >= 2 and inside and ITEM_QUALIFIER.fullmatch(word) is None and word not in sources:
                # 政府采购工程预算: 工程 narrows 政府采购, and the total of 政府采购 is not its 工程 part.
                return f"问题中的“{word}”限定了所问项目，但在所检索的文件中没有对应的数字，不能用未限定的数字回答"
        # 不动产登记的政府采购预算: the measure of something no table or sentence names is not the total of a table
        # that lists the measure line by line (请客吃饭的接待费用 describes the 接待费 row itself).
        totals = bool(review.figures) and all(f.source == "table" and f.is_total and _lists_lines(review, f)
                                              for f in review.figures)
        for word in parsed.unbound if totals else []:
            of = q.find(word) + len(word)
            if len(word) >= 3 and q.startswith("的", of) and any(a == of + 1 for a, _ in spans) and _unread(word, sources):
                return f"问题中的“{word}”限定了所问项目，但在所检索的文件中没有对应的数字，不能用未限定的数字回答"
        for joint in JOINT.finditer(q):
            if any(a <= joint.start() < b for a, b in spans) or IN_TABLE_NAME.match(q, joint.end()):
                continue  # 商品和服务支出, 三公经费、会议费、培训费支出表中: the joining word is inside a name
            end = joint.end() + len(PHRASE.match(q, joint.end()).group(0))  # type: ignore[union-attr]
            phrase = q[joint.end():end]
            if ITEM_IN.search(phrase) and not any(joint.end() <= pos < end for pos in bound):
                return f"问题中“{phrase}”所问的项目在所检索的文件中没有找到，答案不能只回答其余部分"
        return None


def _unread(word: str, sources: str) -> bool:
    """A word of the question that names something (not 总额, 本单位 …) which no figure's source says."""
    return len(word) >= 2 and ITEM_QUALIFIER.fullmatch(word) is None and not OWN_WORDS.search(word) and word not in sources


def _lists_lines(review: Review, figure: Figure) -> bool:
    """The figure's table prints named lines beside its total (a 政府采购预算表 by 科目), not one line of measures."""
    if review.facts is None or figure.table_index is None:
        return False
    rows = review.facts.doc(figure.doc_id).rows.get(figure.table_index, {})
    return any(cells and not cells[0].is_total and cells[0].name for cells in rows.values())


def _funded_by(word: str, fund: str | None, review: Review) -> bool:
    """The word names only the funding source, and every figure read is a cell of a table or column of that source
    (财政拨款支出表（功能科目）'s 水利工程建设 is 用财政拨款安排的水利工程建设支出); 一般公共预算财政拨款 is the
    fund's 拨款, which its own table (一般公共预算支出情况表) holds whole. A figure stated beside one read (its
    change) shares its source."""
    m = FUNDED_BY.fullmatch(word)
    figures = [loc.primary for loc in review.used]
    if m is None or not figures:
        return False
    sources = {m.group(1), *([fund] if fund and m.group(1) == "财政拨款" else [])}
    return all(f.source == "table" and any(s in compact(f"{f.title or ''}{f.column or ''}") for s in sources)
               and (m.group(2) is None or m.group(2) in compact(f"{f.title or ''}{f.column or ''}{f.row or ''}"))
               for f in figures)


def _fund_before(q: str, word: str) -> str | None:
    """The fund written right before the word (一般公共预算 in 一般公共预算财政拨款)."""
    at = q.find(word)
    found = [m.group(0) for m in BUDGET_FUND.finditer(q) if m.end() == at]
    return found[0] if found else None


def _says(figure: Figure) -> str:
    """What the source says of its figure: a cell's row, column, table and row attributes; a sentence up
    to the figure (“…政府采购项目共有94.28万元，其中：…服务类项目86.28万元” does not make 94.28 the 服务类项目)."""
    if figure.source == "table":
        return compact(f"{figure.quote}{figure.row or ''}{figure.column or ''}{figure.title or ''}{figure.context}")
    quote = compact(figure.quote)
    # "政府采购预算120.00万元，其中：政府采购货物预算120.00万元": the figure is the one after its own measure.
    measure = compact(figure.row or "")
    start = max(quote.find(measure), 0) if measure else 0
    for m in NUMBER_IN.finditer(quote, start):
        try:
            if Decimal(m.group(0).replace(",", "").replace("，", "")) == figure.value:
                return quote[:m.start()]
        except InvalidOperation:
            continue
    return quote


def _kind_of(figure: Figure) -> str:
    """Where a figure says which figure of its line it is: a cell's column (…/预算数 in a 决算表), a sentence."""
    return compact(f"{figure.column or ''}{figure.row or ''}") + _final(figure) if figure.source == "table" \
        else compact(figure.quote)


def _row_beside(review: Review, word: str) -> bool:
    """A table an answer's figure was read from prints ``word`` as a row name of its own."""
    if review.facts is None:
        return False
    for figure in (loc.primary for loc in review.used):
        if figure.source == "table" and figure.table_index is not None:
            rows = review.facts.doc(figure.doc_id).rows.get(figure.table_index, {})
            if any(compact(cells[0].name or "") == word for cells in rows.values() if cells):
                return True
    return False


def _beside(review: Review, figure: Figure, name: str) -> bool:
    """The table ``figure`` was read from has a column ``name`` (its leaf) and the figure is not in it."""
    if figure.source != "table" or figure.table_index is None or review.facts is None:
        return False
    rows = review.facts.doc(figure.doc_id).rows.get(figure.table_index, {})
    leaves = {compact(f.column).rsplit("/", 1)[-1] for cells in rows.values() for f in cells}
    return compact(name) in leaves and compact(figure.column or "").rsplit("/", 1)[-1] != compact(name)


def _budgeted(review: Review, figure: Figure) -> bool:
    """A cell of a 预算 disclosure's table under no 决算/执行 column is a 年初预算: 深圳 表9's 2025年 row is 2025's."""
    if figure.source != "table" or review.facts is None or re.search(r"决算|执行|调整", compact(figure.column or "")):
        return False
    kind = review.facts.doc(figure.doc_id).kind or ""
    return "预算" in kind and "决算" not in kind


def _final(figure: Figure) -> str:
    """"决算数" for a cell of a 决算 table under no 预算 column (表五 一般公共预算财政拨款支出决算表's 合计: every
    figure it prints is a 决算数); "" otherwise."""
    table = figure.source == "table" and "决算" in compact(figure.title or "")
    return "决算数" if table and "预算" not in compact(figure.column or "") else ""


@register
class NamedTableFound(Check):
    """A table the question names is the table answered from; one the documents do not have is said so."""

    name = "named_table_found"

    def problem(self, review: Review) -> str | None:
        said = review.parsed.unknown_table
        if said:
            return f"问题所说的“{said}”在所检索的文件中没有找到，不能用其他表格的数字代替"
        return None


@register
class FigureKindNamed(Check):
    """Which figure of a line the question asks (年初预算, 调整预算, 执行数, 决算数) is the one answered."""

    name = "figure_kind_named"

    def problem(self, review: Review) -> str | None:
        q = compact(review.parsed.text)
        for m in FIGURE_KIND.finditer(q):
            kind = m.group(0)
            said = KIND_SAID.get(kind, re.compile(re.escape(kind)))
            if kind == "年初预算" and review.figures and all(_budgeted(review, f) for f in review.figures):
                continue
            if review.figures and not any(said.search(_kind_of(f)) for f in review.figures):
                return f"问的是“{kind}”，找到的数字不是{kind}（{review.figures[0].place()}）"
        # 决算完成预算的百分之几, 决算比年初预算少多少: both are read
        if "决算" in q and "预算数" not in q and not COMPLETION.search(q) and not AGAINST_BUDGET.search(q):
            # "三公经费支出预算593.46万元，支出决算587.55万元": the words right before a stated figure say which it is.
            for f in review.figures:
                before = _says(f)[-8:] if f.source != "table" else ""
                if "预算" in before and "决算" not in before:
                    return f"问的是决算数，找到的数字是预算数（{f.place()}）"
        return None


# 收入总计 = 本年收入合计 + 上年结转 (and 支出总计 likewise): the year's own 合计 is not the 总计 asked.
GRAND_TOTAL_ASKED = re.compile(r"(收入|支出)总计")


@register
class GrandTotalNotYearsOwn(Check):
    """收入总计 asked, 本年收入合计 stated ("2022年度本年收入合计2,015,094.22万元" beside "收入总计…均为
    2,480,372.7万元"): the year's own total leaves the carry-over out, so it is not the figure asked."""

    name = "grand_total_not_years_own"

    def problem(self, review: Review) -> str | None:
        asked = {m.group(1) for m in GRAND_TOTAL_ASKED.finditer(compact(review.parsed.text))}
        for f in review.figures:
            said = _says(f)[-12:] if f.source != "table" else compact(f.row or "")
            for side in asked:
                if re.search(f"本年{side}(合计|小计)", said):
                    return f"问的是{side}总计，找到的数字是本年{side}合计（不含上年结转，{f.place()}）"
        return None


@register
class ColumnsUsed(Check):
    """Every column the question names is one the answer read (财政拨款收入决算数: not just the 决算数 of a total)."""

    name = "columns_used"

    def problem(self, review: Review) -> str | None:
        if not review.figures or review.calculates:
            return None  # a calculation reads each column it names as an operand of its own
        # The table's title qualifies its cells (基本支出表's 人员经费), except when the question adds named things up:
        # the 三公经费、会议费、培训费 table's 三公 column does not answer 会议费 because the title names it.
        adds = ADDS_UP.search(compact(review.parsed.text)) is not None
        # A sentence says of its figure what is written before it: "收入105946.48万元，其中一般公共预算拨款收入
        # 105364.27万元" does not make the first the 一般公共预算拨款's.
        said = "".join((compact(f"{f.row or ''}{f.column or ''}") if adds and f.source == "table" else
                        _says(f) + (compact(f.quote) if f.source == "table" else "")) + _final(f) for f in review.figures)
        missing = [name for name, _ in review.parsed.columns
                   if compact(name) not in said and name not in TOTAL_COLUMNS and not YEAR_WORD.search(name)]
        # 三公经费中的会议费: a column of the figure's own table other than the one read is never said by its title.
        missing += [name for name, _ in review.parsed.columns if name not in missing and review.facts is not None
                    and any(_beside(review, f, name) for f in review.figures)]
        if missing:
            return f"问题中的“{'、'.join(missing)}”不在所用的数字中（{review.figures[0].place()}）"
        return None
