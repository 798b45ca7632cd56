"""Question operations, registered: what a question asks to do with the figures it names.

One row per operation: the name answerers register under (``qa.answer.numeric``), the question words
that ask for it, the label the interpretation shows, and whether it compares with an earlier year's
disclosure. Rows are tried by ``rank``; the first cue that matches wins. A question no cue claims is a
lookup when it names a figure, else a prose question. Each row carries examples, which the tests parse:

    >>> OPERATIONS["growth_rate"].label
    '增长率'
    >>> OPERATIONS["growth_rate"].examples[0]
    '外办收入预算增长率是多少'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from index.core.text import compact


class ParsedQuestion(Protocol):
    """What a cue's condition reads of ``qa.understand.model.ParsedQuestion`` (which imports this module)."""

    @property
    def items(self) -> Sequence[Any]: ...
    @property
    def department_groups(self) -> Sequence[Sequence[str]]: ...
    @property
    def years(self) -> Sequence[int]: ...
    @property
    def columns(self) -> Sequence[tuple[str, int]]: ...
    @property
    def text(self) -> str: ...


LOOKUP = "lookup"
SUM = "sum"
PROSE = "prose"
# A number asked for: 有几个内设机构 counts, 内设机构有哪些 lists.
COUNTING = re.compile(r"几|多少")
# A share of a 决算 in its own 预算 (执行率): "支出完成年初预算的百分之几" — above 100% when more was spent.
COMPLETION = re.compile(r"完成(年初|全年|调整)?预算")
# A 决算 against its own year's 预算 (增减额): "行政运行决算比年初预算少多少" — not against the year before.
AGAINST_BUDGET = re.compile(r"决算数?(?:比|较)(?:年初|全年|调整后?)?预算数?")


@dataclass(frozen=True)
class Cue:
    """Question words that ask for an operation, unless ``unless`` is written too or ``when`` fails."""

    words: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    when: Callable[[ParsedQuestion], bool] | None = None

    def matches(self, question: str, parsed: ParsedQuestion) -> bool:
        if not self.words.search(question) or (self.unless is not None and self.unless.search(question)):
            return False
        return self.when is None or self.when(parsed)


@dataclass(frozen=True)
class Operation:
    name: str
    label: str  # how the interpretation names it (运算=增长率)
    cues: tuple[Cue, ...] = ()
    rank: int = 100  # cues of a lower rank are tried first: 增长率 before 倍 before 占比 …
    needs_previous: bool = False  # two years asked: the older year's disclosure is the base
    numeric: bool = True  # answered from figures; a prose question is answered from retrieved sentences
    calculates: bool = True  # more than reading one figure: a follow-up that names a new subject repeats it
    single_figure: bool = False  # about one item's own figure: "部门预算" with nothing narrower is its total
    examples: tuple[str, ...] = ()  # questions that ask for it (parsed by the tests)


def _several(parsed: ParsedQuestion) -> bool:
    """Two things to combine: two items, two departments, or an item listed with columns (三公经费、会议费和培训费)."""
    return len(parsed.items) >= 2 or len(parsed.department_groups) != 1 or listed_columns(parsed)


EACH_ASKED = re.compile(r"分别|各自|各是|各为")  # 合计分别是多少: each figure, not their sum
LIST_JOINT = re.compile(r"[“”\"]*(?:、|和|与|及|以及|加上)[“”\"]*")


def listed_columns(parsed: ParsedQuestion) -> bool:
    """One item and columns of its table named as a list, each joined to the one before by 、/和/与
    (“三公”经费、会议费和培训费): several figures, the item's own and each column's total."""
    if len(parsed.items) != 1 or not parsed.columns:
        return False
    item = parsed.items[0]
    names = sorted([(item.pos, item.pos + len(item.text)), *((pos, pos + len(c)) for c, pos in parsed.columns)])
    q = compact(parsed.text)
    return all(LIST_JOINT.fullmatch(q[a_end:b_start]) for (_, a_end), (b_start, _) in zip(names, names[1:]))


def _ranked(parsed: ParsedQuestion) -> bool:
    """Something to rank: two departments, two items or two years."""
    return len(parsed.department_groups) != 1 or len(parsed.items) >= 2 or len(parsed.years) >= 2


OPERATIONS: dict[str, Operation] = {op.name: op for op in (
    Operation(PROSE, "文字检索", rank=0, numeric=False, calculates=False, cues=(
        Cue(re.compile(r"是什么[？?]?$|指什么|什么是|职责|职能|为什么|原因|目标|用途|用于|介绍|做什么|干什么|任务|怎么|如何"
                       r"|哪些(?!部门)|是指|含义|定义|是谁|负责人|级别|等级"), unless=COUNTING),
        Cue(re.compile(r"内设机构|内设科室"), unless=COUNTING),
    ), examples=("区政府外办有哪些内设机构？", "外办项目支出为什么增加了")),
    Operation("growth_rate", "增长率", rank=10, needs_previous=True, single_figure=True, cues=(
        Cue(re.compile(r"增长率|增幅|降幅|增速|下降率|减少率|变化率|(增长|增加|减少|上升|降低)(了)?百分之|增长(了)?(多少|几)%"
                       r"|增长比例|增减比例|下降(了)?百分之|同比增长")),
        # Disclosures write "增加…万元，增长…%": 增长/下降 without a money word asks the rate, 增加/减少 the amount.
        Cue(re.compile(r"(增长|下降|上升)(了)?多少"), unless=re.compile(r"元|金额|额")),
    ), examples=("外办收入预算增长率是多少", "三公经费比上年增长了多少")),
    Operation("ratio", "倍数", rank=20, cues=(Cue(re.compile(r"倍")),), examples=("政府办收入预算是外办的多少倍",)),
    Operation("share", "占比", rank=30, cues=(
        Cue(re.compile(r"占比|占.{0,20}(比例|比重|百分之|百分比|多少|几成|%)|比重|所占|是.{0,20}的百分之几|完成.{0,12}百分之几")),
    ), examples=("外办基本支出占支出合计的比例", "外办项目支出占总支出的百分比")),
    Operation("change", "增减额", rank=40, needs_previous=True, single_figure=True, cues=(
        # 至少/至多 (a target's bound: "至少召开多少场") asks no change.
        Cue(re.compile(r"(?<![至最])(?:多几|少几)|增加(了)?多少|减少(了)?多少|增减|变化(了)?多少|(?<![至最])(?:多|少)(了)?多少"
                       r"|差额|相差|差(了)?多少"
                       r"|增长(了)?多少|下降(了)?多少|高(出)?多少|低多少")),
    ), examples=("外办收入预算比2019年增加多少",)),
    Operation("compare", "比较", rank=50, needs_previous=True, cues=(
        Cue(re.compile(r"哪个|哪一个|哪家|哪些部门|谁的|谁更|比较|对比|排序|排名|最高|最多|最大|最少|最低|更高|更多|更少|更低|相比"),
            when=_ranked),
    ), examples=("外办和政府办哪个三公经费更多",)),
    Operation(SUM, "合计", rank=60, cues=(
        # …基本支出合计 (at the end, no 多少) adds up too; 合计分别是多少 asks each, not the sum.
        Cue(re.compile(r"加起来|总和|之和|一共|共计|合起来|加总|两个部门.*合计|合计.*多少|合计[？?。]?$"), when=_several,
            unless=EACH_ASKED),
        # 基本支出与项目支出之和: two columns of one line added up.
        Cue(re.compile(r"加起来|总和|之和|合起来|加总"), when=lambda parsed: len(parsed.columns) >= 2 and not parsed.items),
        Cue(re.compile(r"合计|总共|和.*共"), when=lambda parsed: len(parsed.items) >= 2, unless=EACH_ASKED),
    ), examples=("外办住房公积金和购房补贴合计多少",)),
    Operation(LOOKUP, "查数", calculates=False, single_figure=True, examples=("外办2020年收入预算是多少？", "区政府外办有几个内设机构？")),
)}


def operation(name: str) -> Operation:
    """The registered row of an operation name (a ``ParsedQuestion`` only holds registered names)."""
    return OPERATIONS[name]


def asked_operation(question: str, parsed: ParsedQuestion) -> str | None:
    """The operation the question's words ask for, the lowest rank first; None when no cue matches."""
    for op in sorted(OPERATIONS.values(), key=lambda o: o.rank):
        if any(cue.matches(question, parsed) for cue in op.cues):
            return op.name
    return None
