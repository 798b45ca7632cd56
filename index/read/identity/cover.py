"""A disclosure's title, read from its cover (or another title line): publisher, level, year, kind.

Covers print the title in one line or wrapped over several, with the year before or after the name:

    >>> t = read_title("2026年深圳市统计局（本级）部门预\\n算")
    >>> (t.publisher, t.level, t.year, t.kind)
    ('深圳市统计局', '本级', 2026, '部门预算')
    >>> t = read_title("2026年\\n广州市司法局部门预算")
    >>> (t.publisher, t.year, t.kind)
    ('广州市司法局', 2026, '部门预算')
    >>> t = read_title("上海市2026年市级单位预算\\n预算单位：上海市中医文献馆")
    >>> (t.publisher, t.label, t.region, t.kind)
    ('上海市中医文献馆', '预算单位', '上海市', '单位预算')
    >>> read_title("上海市普陀区2025年区级单位预算\\n预算主管部门：上海市普陀区司法局\\n预算单位：上海市普陀区公证处").parent
    '上海市普陀区司法局'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from index.core.lexicon import (
    DISCLOSURE_KIND,
    HEADING_MARKERS,
    NON_BUDGET_GENRE,
    PARENT_LABELS,
    PUBLICATION_DATE,
    PUBLISHER_LABEL,
    REGION,
    TABLE_LABEL,
    TABLE_TITLE,
    UNIT_LABELS,
)
from index.core.model import DocKind
from index.core.text import compact
from index.read.identity.names import clean_publisher, split_region

MAX_COVER_LINES = 6
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
_SENTENCE_MARKS = re.compile(r"[，。；,;]")
_AMOUNT = re.compile(r"\d[\d,]*\.\d")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# Lines a cover prints that are not the title: review stamps, "公开", a date, a page number.
_COVER_NOISE = re.compile(r"^(?:信息公开|公开|保密审查|部门主要负责人|审签|审核|[(（]?草案[)）]?)")


@dataclass
class Title:
    """What one title says; every field may be missing."""

    text: str = ""
    publisher: str | None = None
    label: str | None = None  # the label the publisher was printed after (预算单位, 预算主管部门), if any
    parent: str | None = None  # the department a cover names beside its unit (预算主管部门：…)
    labelled: list[tuple[str, str]] | None = None  # every (label, name) of the block
    level: str | None = None  # 本级 / 汇总, from the name's mark
    region: str | None = None  # a region the title names without a publisher (上海市2026年市级单位预算)
    year: int | None = None
    kind: DocKind | None = None
    genre: str | None = None  # 通知, 公告 … when the title names another kind of document

    @property
    def empty(self) -> bool:
        return not (self.publisher or self.year or self.kind or self.genre)


def cover_lines(page_text: str) -> list[str]:
    """The title lines at the top of a cover: up to the table of contents, a heading, a sentence or a
    table row. A first page that opens with a heading (第一部分…) or a table has no cover: []."""
    out: list[str] = []
    for raw in page_text.splitlines():
        line = compact(raw)
        if not line or _PAGE_NUMBER.match(line) or PUBLICATION_DATE.fullmatch(line) or _COVER_NOISE.match(line):
            if out and line.startswith("目录"):
                break
            continue
        labelled = PUBLISHER_LABEL.match(line)
        if TABLE_LABEL.search(line) or TABLE_TITLE.search(line) or line.startswith(("金额单位", "单位：")):
            break  # a page that opens with a table's caption has no cover
        if line.startswith("目录") or (any(p.match(line) for _, p in HEADING_MARKERS) and not labelled):
            break
        if not labelled and (_SENTENCE_MARKS.search(line) or _AMOUNT.search(line) or len(line) > 40):
            break
        out.append(line)
        if len(out) >= MAX_COVER_LINES:
            break
    return out


def read_title(text: str) -> Title:
    """Read one title (lines joined; labelled lines such as 预算单位：… read apart)."""
    lines = [compact(line) for line in text.splitlines() if compact(line)]
    labelled: list[tuple[str, str]] = []
    plain: list[str] = []
    for line in lines:
        m = PUBLISHER_LABEL.search(line)
        if m:
            labelled.append((m.group(1), line[m.end():]))
            if m.start():
                plain.append(line[: m.start()])
        else:
            plain.append(line)
    joined = PUBLICATION_DATE.sub("", "".join(plain))
    title = Title(text="".join(lines), labelled=labelled)
    # A title ending in another genre (…的通知, …统计公报) is that genre, whatever budget it mentions.
    genre = next((m.group(1) for m in (NON_BUDGET_GENRE.search(t) for t in [joined, *plain]) if m), None)
    kind = None if genre else _first_kind(joined)
    head = joined[: kind.start()] if kind else joined
    if genre and "关于" in joined:
        head = joined[: joined.index("关于")]  # "北京市财政局关于…的通知": the issuer comes before 关于
    if kind:
        title.kind = _kind_of(kind, joined)
        title.year = _year(head) or _year(joined[kind.end(): kind.end() + 12])
    else:
        title.genre = genre
        title.year = _year(head)
    name, level = clean_publisher(head)
    title.publisher, title.level = name, level
    if name is None:
        region = REGION.match(re.sub(r"20\d\d年?度?", "", head))
        title.region = region.group(1) if region and region.group(1) and any(split_region(region.group(1))) else None
    # A cover naming both a unit (预算单位：) and its department (预算主管部门：) is the unit's.
    named_labels = [(label, *clean_publisher(value)) for label, value in labelled]
    named_labels = sorted((x for x in named_labels if x[1]), key=lambda x: x[0] not in UNIT_LABELS)
    if named_labels:
        label, named, mark = named_labels[0]
        title.publisher, title.label, title.level = named, label, mark or title.level
        title.parent = next((n for lab, n, _ in named_labels if lab in PARENT_LABELS and n != named), None)
    return title


def _first_kind(text: str) -> re.Match[str] | None:
    """The first "…预算"/"…决算" naming the disclosure (not "预算单位", "预算主管部门" or "预算表")."""
    for m in DISCLOSURE_KIND.finditer(text):
        after = text[m.end(): m.end() + 2]
        if after.startswith(("单位", "主管", "表", "数", "执行", "编制", "收", "支")):
            continue
        return m
    return None


def _kind_of(m: re.Match[str], text: str) -> DocKind:
    """部门/单位 × 预算/决算; a title without 部门/单位 is a department's ("2026年深圳市审计局预算")."""
    scope = m.group(2) or "部门"
    return cast(DocKind, f"{scope}{m.group(3)}")


def _year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None
