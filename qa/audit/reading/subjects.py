"""What a narrative figure is the figure *of*, read from the words just before it.

A narrative figure is held to a table only when those words name the publisher's whole budget
measure — 收入预算, 基本支出, “三公”经费, 机关运行经费 … — and nothing narrower: not a 科目
("城乡社区支出（类）支出"), not a project ("生态环境监测项目支出"), not another unit ("西安市社会科学院
公用经费"), not a part of an unnamed whole ("预算资金…，其中财政拨款…").

The clause is the text after the last comma before the figure; a clause of filler only ("，合计")
steps back to the one before. Years, the publisher's names and filler words are dropped, then the
rest must be one of ``SUBJECTS`` exactly.

    "2020年收入预算7,955,559.34元"                          → Subject(key="收入")
    "（1）社会保障和就业支出（类）支出3,061.29万元"          → None
    "…用于一般公共预算安排的行政运行经费，合计326,480.46元"  → Subject(key="机关运行经费")
    "…占项目支出8691.03万元的95.8%"                          → Subject(key="项目支出", share=True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.core.lexicon import CLASSIFICATION_MARK, ENUMERATOR, YEAR_WORD
from index.core.text import compact
from qa.audit.model import Disclosure
from qa.audit.reading.anchors import three_public_item

CLAUSE_BREAK = re.compile(r"[，,；;：:。、]")
# Words that say nothing about which money: dropped wherever they stand.
FILLER = re.compile(r"本部门|本单位|本机关|我局|本局|我委|本委|（含下属单位）|\(含下属单位\)|本年度|当年|全年|年度|本年|部门|单位")
TRAILING = re.compile(r"(为|是|共计|共|计|安排|达|数)+$")
# An organisation named with its place: 西安市社会科学院, 深圳市生态环境局（本级）.
ORGANISATION = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:市|区|县|省)[\u4e00-\u9fff]{1,16}?"
    r"(?:局|委员会|办公厅|办公室|中心|研究院|院|站|所|处|馆|队|学校|学院)(?:（本级）)?"
)
UNIT_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,24}?(?:管理局|局|委员会|办公室|中心|研究院|院|监测站|站|所|处|馆|队|学校|学院)(?:（本级）)?")
SUBJECTS: list[tuple[str, re.Pattern[str]]] = [
    (key, re.compile(rf"^(?:{pattern})$"))
    for key, pattern in [
        # A bare "收入" / "支出" is too often the tail of a 科目 cut off by a line break: a total word must qualify it.
        ("收入", r"(?=.*(预算|总计|合计|总额))(部门)?(预算)?收入(总)?(预算)?(总计|合计|总额)?|收支(总)?预算(总计|总额)?"
                 r"|收入、支出预算(总计|总额)?|收、支预算(总计|总额)?"),
        ("支出", r"(?=.*(预算|总计|合计|总额))(部门)?(预算)?支出(总)?(预算)?(总计|合计|总额)?"),
        ("基本支出", r"(一般公共预算)?(财政)?(拨款)?基本支出(预算)?"),
        ("项目支出", r"(一般公共预算)?(财政)?(拨款)?项目支出(预算)?"),
        ("人员经费", r"人员经费(支出)?(预算)?"),
        ("公用经费", r"(公用经费|公用支出)(预算)?"),
        ("财政拨款支出", r"财政拨款支出(预算)?"),
        ("财政拨款收入", r"财政拨款(收入)?(预算)?"),
        ("一般公共预算支出", r"一般公共预算(财政)?(拨款)?支出(预算)?"),
        ("一般公共预算收入", r"一般公共预算(财政)?(拨款)?收入"),
        ("上年结转", r"上年结转(结余)?|结转结余"),
        ("政府采购", r"政府采购(预算)?(总额)?"),
        ("事业收入", r"事业收入"),
        ("其他收入", r"其他收入"),
    ]
]
THREE_PUBLIC = re.compile(
    r"^(一般公共预算)?(财政)?(拨款)?(安排的?)?(“三公”经费|三公经费|\"三公\"经费|因公出国（境）费(用)?|公务接待费|"
    r"公务用车购置费|公务用车运行(维护)?费|公务用车购置及运行(维护)?费)(支出)?(预算)?(支出)?$"
)
RUNNING_COSTS = re.compile(r"机关运行经费|行政运行经费")
# A part named after 其中 is compared only under one of these wholes.
WHOLES = {"收入", "支出", "基本支出", "项目支出", "财政拨款收入", "三公经费", "公务用车购置及运行费"}


@dataclass(frozen=True)
class Subject:
    key: str  # the anchor it is compared with: 收入, 基本支出, 公务接待费 …
    share: bool = False  # "占项目支出X的Y%": a base quoted in passing (a 提示 when it differs)
    part: bool = False  # "其中：X": a part of the figure before it


def subject_of(
    before: str, prefix: str, headings: list[str], publisher: list[str], sub_units: bool
) -> Subject | None:
    """The measure the words ``before`` a figure name, or None when they name anything narrower.

    ``prefix`` is the sentence up to the figure and ``headings`` the two headings above it;
    ``publisher`` the publisher's names; ``sub_units`` whether the disclosure prints sub-units
    (then "本级" and any unit named in a heading are one of them, not the whole).
    """
    context = "".join(headings) + prefix
    if CLASSIFICATION_MARK.search(prefix) or "科目" in prefix:
        return None
    if ("本级" in context and sub_units) or other_organisation(context, publisher, sub_units):
        return None
    clauses = [c for c in CLAUSE_BREAK.split(compact(before))]
    while clauses:
        words, share, part = clean(clauses.pop(), publisher)
        if words:
            break
    else:
        return None
    if RUNNING_COSTS.search(words) and not CLASSIFICATION_MARK.search(words):
        return Subject("机关运行经费", share, part)
    if THREE_PUBLIC.match(words):
        item = three_public_item(words)
        return Subject(item, share, part) if item else None
    if "三公" in context or three_public_item(prefix):
        return None  # under a 三公 heading "财政拨款预算安排X元" is one 三公 item, named only in the heading
    for key, pattern in SUBJECTS:
        if pattern.match(words):
            return Subject(key, share, part)
    return None


def clean(clause: str, publisher: list[str]) -> tuple[str, bool, bool]:
    """The clause without enumerators, years, the publisher and filler; and whether it said 占 / 其中."""
    words = clause
    previous = None
    while previous != words:
        previous = words
        words = ENUMERATOR.sub("", words)
    part = "其中" in clause[:8]
    words = YEAR_WORD.sub("", words)
    for name in sorted(publisher, key=len, reverse=True):
        words = words.replace(name, "")
    share = words.startswith("占")
    words = FILLER.sub("", words.removeprefix("占"))
    words = TRAILING.sub("", words)
    return words, share, part


def other_organisation(text: str, publisher: list[str], sub_units: bool) -> bool:
    """The words name a unit that is not the publisher (a sub-unit, an affiliated institute); where the
    disclosure prints sub-units, any unit-like name counts, with or without its city."""
    pattern = UNIT_NAME if sub_units else ORGANISATION
    for m in pattern.finditer(compact(text)):
        name = m.group(0).removesuffix("（本级）")
        if not any(name in p or p in name for p in publisher if len(p) >= 3):
            return True
    return False


def publisher_names(disclosure: Disclosure) -> list[str]:
    """The publisher as the records name it, and the units its cover names (a 单位预算's own name)."""
    names = {n for r in disclosure.records for n in (r.department, r.short_name, *r.aliases) if n}
    for document in disclosure.documents.values():
        cover = compact(document.pages[0].text[:300]) if document.pages else ""
        names.update(m.group(0).removesuffix("（本级）") for m in ORGANISATION.finditer(cover))
    return sorted(names)
