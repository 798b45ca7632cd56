"""The tables a disclosure's own 目录 (table of contents) lists, to compare with the tables read.

A 目录 line names a table and a page, with leader dots between them:

    >>> listed_tables(["目  录\\n一、部门收支总表………………………6\\n二、部门收入总表……7\\n第一部分 部门概况……1"])
    ['部门收支总表', '部门收入总表']

Lines that are not tables (部分 headings, 说明 sections) are left out; a table listed twice counts once.
"""

from __future__ import annotations

import re

from index.core.lexicon import CN_DIGITS
from index.core.text import compact

TOC_PAGE = re.compile(r"目\s*录")
# Optional numbering (1. / 一、 / 表1 / 预算01表 / 附1-2), the title ending in 表, optional (注), then the page number.
ENTRY = re.compile(
    rf"^(?:(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})[.．、]|表[0-9{CN_DIGITS}]{{1,3}}|预算\d{{1,2}}表|附\d+(?:-\d+)?)?"
    r"[:：]?(?P<title>[\u4e00-\u9fff（）()“”\"、]{2,40}?表)(?:[（(][^）)]{0,20}[)）])?(?:\d{1,3})?$"
)
LEADERS = re.compile(r"[…\.·．_\-—]{2,}|\s+")
MAX_TOC_PAGES = 8  # a 目录 is at the front; later pages are the tables themselves


def listed_tables(page_texts: list[str]) -> list[str]:
    """Titles (compact, year prefix removed) of the tables the 目录 lists, in order."""
    titles: list[str] = []
    start = next((i for i, text in enumerate(page_texts[:MAX_TOC_PAGES]) if TOC_PAGE.search(text)), None)
    if start is None:
        return titles
    for text in page_texts[start:start + 3]:
        entries = [title_key(m["title"]) for line in text.splitlines() if (m := ENTRY.match(LEADERS.sub("", line)))]
        if not entries and titles:
            break  # the 目录 ended on the previous page
        titles += [t for t in entries if t not in titles]
    return titles


def title_key(title: str) -> str:
    """A table title as compared: no spaces, no leading year ("2026年部门收支总表" → "部门收支总表")."""
    return re.sub(r"^(?:20\d\d)?年度?", "", compact(title))
