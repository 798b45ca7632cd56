"""The names a stored fact lends a question: its row name, 项目名称, code, column leaf and table title, as people
write them. One home for both readers of them: the vocabulary a question is matched against
(``qa.understand.vocabulary.Terms``) and the corpus-wide name table the facts store keeps
(``index.store.names``), so a question over every document finds the same names either way.

    >>> sorted(fact_terms("2020年行政运行", "2010101", "2020年预算数", {"项目名称": "（一）外事工作经费"}))
    [('attribute', '外事工作经费', ''), ('code', '2010101', ''), ('column', '2020年预算', '2020年预算数'), ('column', '2020年预算数', '2020年预算数'), ('row', '2020年行政运行', ''), ('row', '行政运行', '')]
    >>> sorted(title_terms("2020年部门收入总表"))
    [('table', '2020年部门收入总表', '2020年部门收入总表'), ('table', '收入总表', '2020年部门收入总表'), ('table', '部门收入总表', '2020年部门收入总表')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from index.core.lexicon import plain_name
from index.core.text import compact

# What a stored name is: a row's name, a text column's (项目名称), a code, a column's leaf, a table's title.
NameKind = Literal["row", "attribute", "code", "column", "table"]
Term = tuple[NameKind, str, str]  # (kind, name, target): a column's or title's full text; "" for the others

# Columns naming what a row is about; 北京's 部门支出经济分类科目 prints "30302-退休费" beside the row's 功能科目.
ATTRIBUTE_KEYS = re.compile(r"(项目名称|经济分类名称|科目名称|功能分类名称|名称|经济分类科目)$")
YEAR_PREFIX = re.compile(r"^(?:20\d\d年度?)")
BRACKETED_TAIL = re.compile(r"(?<=表)[（(][^（）()]{1,16}[)）]$")


@lru_cache(maxsize=1 << 16)  # pure and called per fact per question
def clean_name(name: str | None) -> str:
    """A row or item name as people say it: no enumerator, no 其中, no trailing colon (``lexicon.plain_name``).

    Row names come without their code (the reader moves it to ``Row.code``); other text columns and
    column paths may still print one in front, which this drops too."""
    return plain_name(name)


@lru_cache(maxsize=1 << 16)  # pure and called per fact per question
def column_leaf(path: str) -> str:
    return clean_name(path.rsplit("/", 1)[-1])


def fact_terms(name: str | None, code: str | None, column: str, attributes: dict[str, str] | None) -> Iterator[Term]:
    """The names one fact (or one row, or one column: ``FactsStore.fact_names``) lends."""
    for form in _forms(clean_name(name)):
        yield "row", form, ""
    if code:  # the reader's final code, also when it was printed inside the name ("2010801-行政运行")
        yield "code", code, ""
    leaf = column_leaf(column)
    if is_term(leaf):
        yield "column", leaf, column
        if leaf.endswith("数") and len(leaf) > 3:
            yield "column", leaf[:-1], column  # 年初预算 for 年初预算数
    for key, value in (attributes or {}).items():
        if ATTRIBUTE_KEYS.search(key):
            for form in _forms(clean_name(value)):
                yield "attribute", form, ""


def title_terms(title: str) -> Iterator[Term]:
    """收入总表 names 2020年部门收入总表: people drop the year and 部门 (and a bracketed 按经济分类)."""
    full = compact(title)
    variants = {full, YEAR_PREFIX.sub("", full)}
    variants |= {re.sub(r"^(部门|单位)", "", v) for v in variants}
    variants |= {BRACKETED_TAIL.sub("", v) for v in variants}  # 一般公共预算支出表（按经济分类）
    for v in sorted(variants):
        if len(v) >= 4 and (v.endswith("表") or BRACKETED_TAIL.search(v)):
            yield "table", v, full


def is_term(text: str) -> bool:
    # Sentences from performance tables are not names anyone types; digits-only cells are not names.
    return 2 <= len(text) <= 40 and bool(re.search(r"[\u4e00-\u9fff]", text)) and not text.startswith("指标")


def _forms(cleaned: str) -> list[str]:
    """A name, and the name without its year prefix ("2020年…"), as words a question may use."""
    if not is_term(cleaned):
        return []
    stripped = YEAR_PREFIX.sub("", cleaned)
    return [cleaned, stripped] if stripped != cleaned and is_term(stripped) else [cleaned]
