"""The tables a disclosure's own 目录 (table of contents) lists, to compare with the tables read.

A 目录 line names a table, with leader dots and a page number or not, numbered in any of the ways
cities number them (一、 / 1. / （七） / 表1 / 预算01表 / 公开02表), a year before the title or not:

    >>> listed_tables(["目  录\\n一、部门收支总表………………………6\\n二、部门收入总表……7\\n第一部分 部门概况……1",
    ...                "表1 部门收支总表\\n项目 预算数\\n合计 9.00", "表2 部门收入总表\\n项目 合计\\n合计 9.00"])
    ['部门收支总表', '部门收入总表']

Lines that are not tables (部分 headings, 说明 sections, "五、单位预算表" heading the list) are left
out; a table listed twice counts once; a qualifier stays in the title ("一般公共预算支出表（按功能分类）"
and "…（按经济分类）" are two tables). A 目录 printed as a grid before the tables (西安: 表1 | title |
是否空表) counts too.

A 目录 may list tables the file does not contain: 北京's narrative files list the 13 tables published
as a separate attachment. When most listed titles are printed nowhere after the 目录, the file holds
the narrative only and its unprinted entries are ``attachments``, not tables to find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.core.lexicon import CN_DIGITS
from index.core.text import compact

TOC_LINE = re.compile(r"^目\s*录$")
NUMBER = rf"(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
# Optional numbering, an optional year, the title ending in 表, an optional qualifier in brackets,
# an optional 是否空表 remark (西安's grid), then the page number or nothing.
ENTRY = re.compile(
    rf"^(?:{NUMBER}[.．、]|[（(]{NUMBER}[)）]|(?P<label>表{NUMBER}|(?:预算|公开)\d{{1,2}}表|公开表\d{{1,2}})|附\d+(?:-\d+)?)?"
    r"[:：]?(?:20\d\d年度?)?(?P<title>[\u4e00-\u9fff“”\"、]{2,40}?表(?:[（(][^）)]{1,20}[)）])?)"
    r"(?:[是否](?:不涉及|空表)?)?(?:\d{1,3})?$"
)
# Not a table: a part heading ("第四部分公开报表") or the heading over the list ("五、单位预算表").
# A note saying a table is empty ("…决算表是本部门不涉及故公开空表") is no 目录 line either.
PART_HEADING = re.compile(r"^第.{1,3}部分")
NOT_A_TABLE = re.compile(r"^(?:部门|单位)?(?:综合)?(?:预算|决算)?(?:公开)?报?表$|不涉及|空表")
PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")
LEADERS = re.compile(r"[…\.·．_\-—]{2,}|\s+")
MAX_TOC_PAGES = 8  # the first 目录 is at the front; a later one must head its page
TOC_FOLLOW = 3  # a 目录 runs over at most this many pages


@dataclass
class TocEntry:
    title: str  # compact, year removed (``title_key``)
    printed: bool  # the title is printed after the 目录 (the table is in this file)
    label: str | None = None  # the label the 目录 gives it (表5, 公开02表), when it gives one


def toc_entries(page_texts: list[str]) -> list[TocEntry]:
    """Every table the 目录 pages list, in order, with whether the file prints its title elsewhere."""
    titles: dict[str, str | None] = {}  # title → label, in order
    toc_pages: set[int] = set()
    for start in _toc_pages(page_texts):
        for i in range(start, min(start + TOC_FOLLOW, len(page_texts))):
            lines = [line for line in page_texts[i].splitlines() if line.strip() and not PAGE_NUMBER.match(line)]
            entries = [e for line in lines if (e := _entry(line))]
            if i > start and len(entries) * 2 < len(lines):
                break  # the 目录 ended on the previous page: this one is a caption over a table
            for title, label in entries:
                titles.setdefault(title, label)
            toc_pages.add(i)
    first = min(toc_pages, default=0)
    body = compact("".join(t for i, t in enumerate(page_texts) if i > first and i not in toc_pages))
    return [TocEntry(t, _printed(t, body), label) for t, label in titles.items()]


def listed_tables(page_texts: list[str]) -> list[str]:
    """Titles (compact, year removed) of the tables the 目录 lists and the file contains."""
    entries = toc_entries(page_texts)
    if sum(e.printed for e in entries) * 2 < len(entries):
        return [e.title for e in entries if e.printed]  # narrative only: the rest are attachments
    return [e.title for e in entries]


def attachments(page_texts: list[str]) -> list[str]:
    """Tables the 目录 lists that the file does not contain (published as a separate attachment)."""
    listed = set(listed_tables(page_texts))
    return [e.title for e in toc_entries(page_texts) if e.title not in listed]


def _toc_pages(page_texts: list[str]) -> list[int]:
    """The first 目录 in the front pages, and any later page headed 目录 (a list before the tables)."""
    pages: list[int] = []
    for i, text in enumerate(page_texts):
        head = [line.strip() for line in text.splitlines()[:4]]
        if any(TOC_LINE.match(line) for line in head) or (i < MAX_TOC_PAGES and not pages and re.search(r"目\s*录", text)):
            pages.append(i)
    return pages


def _entry(line: str) -> tuple[str, str | None] | None:
    """(title, label) of a 目录 line naming a table."""
    m = ENTRY.match(LEADERS.sub("", line))
    if m is None:
        return None
    title = title_key(m["title"])
    if NOT_A_TABLE.search(title) or PART_HEADING.search(compact(line)):
        return None
    return title, m["label"]


def _printed(title: str, body: str) -> bool:
    bare = re.sub(r"[（(][^）)]*[)）]$", "", title)  # a qualifier may be printed on its own line
    return title in body or bare in body


def title_key(title: str) -> str:
    """A table title as compared: no spaces, no leading year ("2026年部门收支总表" → "部门收支总表")."""
    return re.sub(r"^(?:20\d\d)?年度?", "", compact(title))
