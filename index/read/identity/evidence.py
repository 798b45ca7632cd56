"""Where else a disclosure names its publisher, parent and year: labelled captions (部门名称：…), the
body text, and — last — the file name.

    >>> labelled_names(["部门名称：西安市统计局（汇总）金额单位：万元"])
    [('部门名称', '西安市统计局', '汇总')]
    >>> parent_in("上海市戒毒康复中心隶属于上海市司法局，机构级别为正处级。")
    '上海市司法局'
    >>> file_name_hints("005_广州__水务局_2026年部门预算.pdf")
    ('水务局', 2026)
"""

from __future__ import annotations

import re
from collections import Counter

from index.core.lexicon import (
    NAME_END,
    PARENT_SENTENCE,
    PROVINCE_LEVEL,
    PUBLISHER_LABEL,
    PUBLISHER_LABEL_BARE,
    PUBLISHER_TAIL,
)
from index.core.text import compact
from index.read.identity.names import clean_publisher, split_region

# Where a region-qualified organisation name may start in the body: "北京市…", "中共烟台市…".
_QUALIFIED_START = re.compile(rf"(?:中国共产党|中共)?(?:{PROVINCE_LEVEL}|[\u4e00-\u9fff]{{2,3}}市)")
MAX_NAME = 40
# What a body sentence says right after the publisher's own name: it introduces itself.
_SELF_INTRODUCTION = re.compile(r"^(?:（以下简称|\(以下简称|（简称|主要职责|的主要职责|是|为|有\d|共有|设|现行|贯彻|下设|内设|本级|部门预算|单位预算|部门决算)")
_FILE_ORG = re.compile(rf"[\u4e00-\u9fff（）()]{{2,40}}{PUBLISHER_TAIL}")  # greedy: the whole name
_FILE_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def labelled_names(pages: list[str]) -> list[tuple[str, str, str | None]]:
    """Every (label, name, level mark) printed after a publisher label (部门名称：, 单位名称：, 预算单位： …),
    the name cut where the caption's unit or date begins."""
    out = []
    for page in pages:
        for line in page.splitlines():
            line = compact(line)
            found = list(PUBLISHER_LABEL.finditer(line))
            bare = [] if found else [m for m in PUBLISHER_LABEL_BARE.finditer(line) if any(split_region(line[m.end():]))]
            for m in found + bare:
                rest = line[m.end():]
                end = NAME_END.search(rest)
                name, level = clean_publisher(rest[: end.start()] if end else rest)
                if name:
                    out.append((m.group(1), name, level))
    return out


def parent_in(text: str) -> str | None:
    """The department a unit says it belongs to ("…是上海市交通委员会下属事业单位")."""
    for m in PARENT_SENTENCE.finditer(compact(text)):
        name, _ = clean_publisher(m.group(1) or m.group(2))
        if name:
            return name
    return None


def body_publishers(pages: list[str]) -> Counter[str]:
    """Region-qualified names that introduce themselves in the body ("北京市人民政府办公厅主要职责包括"),
    or stand alone on a line (a table's publisher row), counted."""
    found: Counter[str] = Counter()
    for page in pages:
        for line in page.splitlines():
            line = compact(line)
            for m in _QUALIFIED_START.finditer(line):
                name = _introduced_name(line, m.start())
                if name:
                    found[name] += 1
    return found


def _introduced_name(line: str, start: int) -> str | None:
    """The longest name from ``start`` that fills the line or is followed by a self-introduction."""
    for end in range(min(len(line), start + MAX_NAME), start + 3, -1):
        if end < len(line) and not _SELF_INTRODUCTION.match(line[end:]):
            continue
        if end == len(line) and start != 0:
            continue
        name, _ = clean_publisher(line[start:end])
        if name and compact(line[start:end]).startswith(name):
            return name
    return None


def file_name_hints(file_name: str | None) -> tuple[str | None, int | None]:
    """(an organisation named in the file name, a year in it): a last resort, flagged when used."""
    stem = re.sub(r"\.pdf$", "", file_name or "", flags=re.IGNORECASE)
    year = _FILE_YEAR.search(stem)
    names = []
    for part in re.split(r"[_\s\-—]+", stem):
        part = re.sub(r"20\d\d\s*年度?", "", part)
        part = re.sub(r"(?:部门|单位)?(?:预算|决算).*$", "", part)
        m = _FILE_ORG.search(part)
        if m:
            name, _ = clean_publisher(m.group(0))
            if name:
                names.append(name)
    return (max(names, key=len) if names else None), (int(year.group(1)) if year else None)
