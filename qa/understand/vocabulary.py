"""The words a question can use, built from what was indexed: departments, rows, codes, columns.

Nothing here is a hand list of budget items: every row name, 项目名称, code and column comes from
the facts store. Only narrative measures (三公经费, 机关运行经费 …) are concepts, see ``qa.understand.concepts``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from index.core.lexicon import plain_name
from index.core.text import compact
from index.read.identity import derive_aliases
from index.store.facts import DocumentRecord, FactsStore

ATTRIBUTE_KEYS = re.compile(r"(项目名称|经济分类名称|科目名称|功能分类名称|名称)$")
YEAR_PREFIX = re.compile(r"^(?:20\d\d年度?)")


@lru_cache(maxsize=1 << 16)  # pure and called per fact per question
def clean_name(name: str | None) -> str:
    """A row or item name as people say it: no enumerator, no 其中, no trailing colon (``lexicon.plain_name``).

    Row names come without their code (the reader moves it to ``Row.code``); other text columns and
    column paths may still print one in front, which this drops too."""
    return plain_name(name)


@lru_cache(maxsize=1 << 16)  # pure and called per fact per question
def column_leaf(path: str) -> str:
    return clean_name(path.rsplit("/", 1)[-1])


@dataclass
class Vocabulary:
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    departments: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # name → doc_ids
    regions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    rows: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # cleaned row name → doc_ids
    attributes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # 项目名称 … → doc_ids
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    columns: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # leaf → full paths
    years: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    table_titles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # title variant → titles

    @classmethod
    def build(cls, store: FactsStore) -> Vocabulary:
        vocab = cls()
        for doc in store.documents():
            vocab.add_document(doc)
        for fact in store.facts():
            vocab.add_fact_names(fact.doc_id, fact.name, fact.code, fact.column, fact.attributes)
            if fact.title:
                vocab.add_table_title(fact.title)
        return vocab

    def add_table_title(self, title: str) -> None:
        """收入总表 names 2020年部门收入总表: people drop the year and 部门."""
        full = compact(title)
        variants = {full, YEAR_PREFIX.sub("", full)}
        variants |= {re.sub(r"^(部门|单位)", "", v) for v in variants}
        for v in variants:
            if len(v) >= 4 and v.endswith("表"):
                self.table_titles[v].add(full)

    def fuzzy_name(self, chunk: str) -> tuple[str, str] | None:
        """A row or 项目名称 the chunk nearly spells (a few characters left out), the most specific one."""
        if len(chunk) < 4:
            return None
        found = []
        for kind, names in (("attribute", self.attributes), ("row", self.rows)):
            for name in names:
                if unqualified(name) == chunk and name != chunk:
                    found.append((0, kind, name))  # 事业收入 is 事业收入（不含事业单位预算外资金）
                    continue
                if len(name) < len(chunk):
                    continue
                ratio = len(chunk) / len(name)
                if (chunk in name and (len(chunk) >= 6 or ratio >= 0.7)) or (ratio >= 0.75 and _subsequence(chunk, name)):
                    found.append((len(name), kind, name))
        if not found:
            return None
        _, kind, name = min(found)
        return kind, name

    def add_document(self, doc: DocumentRecord) -> None:
        self.documents[doc.doc_id] = doc
        names = set(doc.aliases) | {doc.department or "", doc.short_name or ""}
        names |= set(derive_aliases(doc.department, doc.region, doc.short_name))
        for name in names:
            key = compact(name)
            if len(key) >= 2:
                self.departments[key].add(doc.doc_id)
        if doc.region:
            region = compact(doc.region)
            local = re.sub(r"^(北京市|上海市|天津市|重庆市|[\u4e00-\u9fff]{2,3}省)", "", region)
            city = re.match(r"^(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,3}?)市", region)
            forms = {region, local, local.rstrip("区县") if len(local) > 2 else local}
            if city:
                forms |= {city.group(0), city.group(1)}  # 北京市审计局 is 北京审计局 too
            for form in forms:
                if len(form) >= 2:
                    self.regions[form].add(doc.doc_id)
        if doc.year:
            self.years[doc.year].add(doc.doc_id)

    def add_fact_names(self, doc_id: str, name: str | None, code: str | None, column: str, attributes: dict) -> None:
        _add_term(self.rows, clean_name(name), doc_id)
        if code:  # the reader's final code, also when it was printed inside the name ("2010801-行政运行")
            self.codes[code].add(doc_id)
        leaf = column_leaf(column)
        if _is_term(leaf):
            self.columns[leaf].add(column)
            if leaf.endswith("数") and len(leaf) > 3:
                self.columns[leaf[:-1]].add(column)  # 年初预算 for 年初预算数
        for key, value in (attributes or {}).items():
            if ATTRIBUTE_KEYS.search(key):
                _add_term(self.attributes, clean_name(value), doc_id)

    def department_names(self) -> list[str]:
        return sorted(self.departments, key=len, reverse=True)

    def doc_years(self, doc_ids: set[str] | None = None) -> set[int]:
        return {d.year for i, d in self.documents.items() if d.year and (doc_ids is None or i in doc_ids)}


@lru_cache(maxsize=1 << 16)  # pure and called per fact per question
def unqualified(name: str) -> str:
    """A name without its bracketed qualifier: 事业收入（不含事业单位预算外资金） → 事业收入."""
    return re.sub(r"[（(][^）)]*[）)]$", "", name)


def _is_term(text: str) -> bool:
    # Sentences from performance tables are not names anyone types; digits-only cells are not names.
    return 2 <= len(text) <= 40 and bool(re.search(r"[\u4e00-\u9fff]", text)) and not text.startswith("指标")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _add_term(bucket: dict[str, set[str]], cleaned: str, doc_id: str) -> None:
    """A name, and the name without its year prefix ("2020年…"), as words a question may use."""
    if _is_term(cleaned):
        bucket[cleaned].add(doc_id)
        stripped = YEAR_PREFIX.sub("", cleaned)
        if stripped != cleaned and _is_term(stripped):
            bucket[stripped].add(doc_id)
