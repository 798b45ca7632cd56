"""The budget words every layer reads by: total names, 科目 codes and levels, outline markers,
organisation suffixes, region prefixes, table labels, years and sentence ends.

Readers use these to finish rows at ingest; the question side and the audit use the same ones, so
"合计" means the same thing in a table, a question and a finding. Add a city's new wording here.

    >>> bool(TOTAL_ROW.match("本年支出合计"))
    True
    >>> code_level("2010301")
    3
"""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十"

# --- totals -------------------------------------------------------------------------------------
# Row names that are the table's (or a section's) total; spaces inside (合 计) are printed by some cities.
TOTAL_ROW = re.compile(r"^(合\s*计|总\s*计|小\s*计|本年收入合计|本年支出合计|收入总计|支出总计)[:：]?$")
TOTAL_ROW_NAMES = frozenset({"合计", "总计", "小计", "本年收入合计", "本年支出合计", "收入总计", "支出总计"})
# A total named anywhere at the end of a cell ("三公经费合计", "支出合计：").
TOTAL_SUFFIX = re.compile(r"(合计|总计|小计)[:：]?$")
# Column leaves that hold a row's whole amount rather than one of its parts.
TOTAL_COLUMNS = frozenset({"合计", "总计", "小计", "预算数", "金额", "预算金额"})
# Column leaves that are "the amount" of a one-value table (a question naming no column means these).
AMOUNT_COLUMNS = TOTAL_COLUMNS | {"收入预算金额", "支出预算金额", "收入金额", "支出金额"}
# Words a question uses for "the total" that are never item names.
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总额", "预算数", "金额", "预算金额", "预算内", "项目", "科目"})


def is_total_name(name: str | None) -> bool:
    return bool(name) and bool(TOTAL_ROW.match(re.sub(r"\s+", "", name or "")))


# --- 科目 codes ------------------------------------------------------------------------------------
# 功能分类: 类 3 digits, 款 5, 项 7 (201 / 20103 / 2010301); 经济分类: 类 3, 款 5 (301 / 30101).
CODE = re.compile(r"(?<!\d)(\d{3}|\d{5}|\d{7})(?!\d)")
FULL_CODE = re.compile(r"^\d{3}(?:\d{2}){0,3}$")
CODE_PART = re.compile(r"^\d{1,7}$")
CODE_PREFIX = re.compile(r"^(\d{3,7})\s*[-－—]\s*")  # "2010801-行政运行", "50101-工资奖金津补贴"


def is_code(text: str | None) -> bool:
    return bool(text) and bool(re.fullmatch(r"\d{3}|\d{5}|\d{7}", text or ""))


def code_level(code: str) -> int:
    """1 for 类 (3 digits), 2 for 款 (5), 3 for 项 (7)."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


def parent_code(code: str) -> str | None:
    return code[:-2] if len(code) in (5, 7) else None


# --- outline markers ----------------------------------------------------------------------------
# Document headings by level: 第一部分 / 一、 / （一） / 1.
HEADING_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{CN_DIGITS}]+部分")),
    (2, re.compile(rf"^[{CN_DIGITS}]+[、.．]")),
    (3, re.compile(rf"^[（(][{CN_DIGITS}]+[)）]")),
    (4, re.compile(r"^\d{1,2}[.．、](?!\d)")),
]
# Enumerated items inside a table or a paragraph: 一、 / （一） / 1、 / （1）.
ITEM_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^[{CN_DIGITS}]+、")),
    (2, re.compile(rf"^[（(][{CN_DIGITS}]+[)）]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
]
# "其中：" opens the children of the row above.
PART_OF = re.compile(r"^其中")
# Any enumerator in front of a row name: "1、公务接待费", "（一）一般公共服务支出", "其中：…", "①".
ENUMERATOR = re.compile(
    rf"^(?:其中[:：；;]?|[（(][{CN_DIGITS}\d]{{1,3}}[)）][、.．]?|[{CN_DIGITS}]{{1,3}}[、.．]|"
    r"\d{1,2}[、.．](?!\d)|[①-⑳]|[A-Z]-|\d{2}-(?=[\u4e00-\u9fff]))"
)

# --- organisations and regions ------------------------------------------------------------------
ORG_TAIL = r"(?:办公室|办事处|委员会|局|委|办|厅|院|会|中心|署|处|部)"
# A leading organisation name before a measure ("区政府外办三公经费" → "三公经费").
ORG_PREFIX = re.compile(r"^.*?(办公室|办事处|委员会|局|委|院|中心)(?=[\u4e00-\u9fff]{2,})")
PROVINCE_LEVEL = r"(?:北京市|上海市|天津市|重庆市|[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,5}自治区)"
REGION = re.compile(
    rf"^({PROVINCE_LEVEL}?(?:[\u4e00-\u9fff]{{2,3}}?市)?(?:[\u4e00-\u9fff]{{1,3}}?(?:区|县))?)"
)
PROVINCE_PREFIX = re.compile(rf"^{PROVINCE_LEVEL}")

# --- tables, years, sentences --------------------------------------------------------------------
# A table's label as printed: 表1, 表一, 预算01表, 预算表12, 附1-2.
TABLE_LABEL = re.compile(
    rf"(预算\s*\d{{1,2}}\s*表|预算表\s*\d{{1,2}}|^表\s*[0-9{CN_DIGITS}]{{1,3}}(?=[：:\s]|$|[^0-9{CN_DIGITS}])|^附\s*\d+-\d+)"
)
# A table label named inside a question ("表3的合计").
TABLE_LABEL_IN_TEXT = re.compile(rf"(表[0-9{CN_DIGITS}]{{1,3}}|预算\d{{2}}表)")
TABLE_UNIT = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?:年度?|(?!\d))")
SENTENCE_END = "。！？；"
SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?")


def split_sentences(text: str) -> list[str]:
    """Sentences with their closing mark; a clause without one is a sentence too."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]
