"""Who published a disclosure, for which year and of which kind: read from the cover and titles.

    "北京市西城区人民政府外事办公室2020年部门预算" → department 北京市西城区人民政府外事办公室,
    region 北京市西城区, year 2020, kind 部门预算, aliases 西城区政府外办, 区政府外办, 外事办公室 …
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TypeVar, cast

from index.core.lexicon import DROPPED_REGION_PREFIX, HEADING_MARKERS, REGION
from index.core.lexicon import ORG_TAIL as _ORG_TAIL
from index.core.model import DocKind, Identity
from index.core.text import compact

K = TypeVar("K")

DEPARTMENT_PATTERNS = [
    re.compile(r"预算主管部门[:：]\s*([^\s，,]{3,40})"),
    re.compile(r"编制部门[:：]\s*([^\s，,]{3,40}?)(?=单位|$|\s)"),
    re.compile(r"部门名称[:：]?\s*([^\s，,:：]{3,40}" + _ORG_TAIL + ")"),
    re.compile(r"部门（单位）名称\s*([^\s，,]{3,40})"),
    re.compile(r"^([^\s，,]{3,30}?" + _ORG_TAIL + r")\s*20\d\d\s*年度?部门(?:预算|决算)"),
    re.compile(r"20\d\d\s*年度?([^\s，,]{3,30}?" + _ORG_TAIL + r")部门(?:预算|决算)"),
    re.compile(r"^([^\s，,]{3,30}?" + _ORG_TAIL + r")\s*(?:20\d\d\s*)?年度部门(?:预算|决算)"),
]
SHORT_NAME = re.compile(r"[（(]简称[“\"]?([^）)”\"]{2,12})[”\"]?[）)]")
YEAR_TITLE = re.compile(r"(20\d\d)\s*年度?\s*(?:区级|市级)?\s*(?:部门|单位)?(?:预算|决算)")
KIND = re.compile(r"(部门预算|单位预算|部门决算|单位决算)")
PART_HEADING = HEADING_MARKERS[0][1]  # 第一部分: a heading run into the department's name on a cover

# Usual short forms of organisation names (…办 / …局 / …委): derived, not listed per department.
SUFFIX_SHORT = [
    ("人民政府办公室", "政府办"),
    ("政府办公室", "府办"),  # 普陀区府办
    ("人民政府外事办公室", "政府外办"),
    ("外事办公室", "外办"),
    ("办公室", "办"),
    ("委员会", "委"),
    ("街道办事处", "街道"),
    ("办事处", "办"),
]


# Forms too generic to name one department on their own.
GENERIC_NAMES = {"办", "委", "局", "街道", "办公室", "办事处", "委员会", "人民政府办", "人民政府办公室", "人民政府"}


def detect_identity(first_pages: list[str], titles: list[str], metadata_title: str | None, all_text: str) -> Identity:
    text_lines = [line for page in first_pages for line in page.splitlines()]
    if metadata_title:
        text_lines.insert(0, compact(metadata_title))
    candidates: Counter[str] = Counter()
    for line in text_lines + [compact(t) for t in all_text.splitlines()]:
        line = compact(line)
        for pattern in DEPARTMENT_PATTERNS:
            for m in pattern.finditer(line):
                name = PART_HEADING.sub("", m.group(1).strip("：:"))
                if 3 <= len(name) <= 40 and not re.search(r"\d", name):
                    candidates[name] += 1
    department = _best_department(candidates)
    region = None
    if department:
        in_region = REGION.match(department)
        region = in_region.group(1) if in_region and in_region.group(1) and len(in_region.group(1)) < len(department) else None
    short = None
    stated = SHORT_NAME.search(all_text)
    if stated:
        short = compact(stated.group(1))
    aliases = derive_aliases(department, region, short)
    if not short and department:
        # The shortest usual form without the region (政府办, 商务委, 司法局, 万里街道).
        local = re.sub(r"(省|市|区|县)$", "", region[-3:]) if region else ""
        bare = [a for a in aliases[1:] if len(a) >= 3 and not (local and local in a)]
        short = min(bare, key=len) if bare else department
    return Identity(
        department=department,
        short_name=short,
        aliases=aliases,
        region=region,
        year=_year(first_pages + [all_text], titles, metadata_title),
        kind=_kind(first_pages, titles, metadata_title),
    )


def _best_department(candidates: Counter[str]) -> str | None:
    if not candidates:
        return None
    # Prefer the fully qualified name (with its region) that other candidates are suffixes of.
    def score(name: str) -> tuple[int, int]:
        support = sum(n for other, n in candidates.items() if name.endswith(other) or other.endswith(name))
        in_region = REGION.match(name)
        qualified = 1 if in_region and in_region.group(1) else 0
        return (qualified * 1000 + support, len(name))

    return max(candidates, key=score)


def derive_aliases(department: str | None, region: str | None, short: str | None) -> list[str]:
    """The names people use: full, without region, without 人民, common short forms."""
    if not department:
        return [short] if short else []
    names = [department]
    bare = department[len(region):] if region and department.startswith(region) else department
    local = ""
    if region:
        # 北京市西城区 → 西城区, 西城: people drop the city and the 区 suffix.
        local = DROPPED_REGION_PREFIX.sub("", region)
    forms = {bare, bare.replace("人民政府", "政府"), bare.replace("人民政府", "")}
    for full, abbr in SUFFIX_SHORT:
        for form in list(forms):
            if form.endswith(full) and len(form) > len(full):
                forms.add(form[: -len(full)] + abbr)
            elif form == full:
                forms.add(abbr)
    for form in sorted(forms, key=lambda f: (-len(f), f)):  # longest first; ties by text, not by set order
        if len(form) < 2:
            continue
        names.append(form)
        if local:
            names.append(local + form)
            names.append(local.rstrip("区县") + form)
    if short:
        names.append(short)
    seen: list[str] = []
    for n in names:
        if n and n not in seen and n not in GENERIC_NAMES and not (local and n in (local, local.rstrip("区县"))):
            seen.append(n)
    return seen


def _year(first_pages: list[str], titles: list[str], metadata_title: str | None) -> int | None:
    """Vote: years in titles (20XX年部门预算) count most; a bare （20XX年度） next; any 20XX年 barely."""
    votes: dict[int, float] = {}
    sources = ([metadata_title] if metadata_title else []) + titles + first_pages[:2]
    for text in sources:
        for m in YEAR_TITLE.finditer(compact(text or "")):
            _vote(votes, int(m.group(1)), 1)
    for text in sources + first_pages:
        compacted = compact(text or "")
        for m in re.finditer(r"[（(](20\d\d)年度[)）]", compacted):
            _vote(votes, int(m.group(1)), 0.5)
        for m in re.finditer(r"(20\d\d)年", compacted):
            _vote(votes, int(m.group(1)), 0.01)
    return _winner(votes)


def _kind(first_pages: list[str], titles: list[str], metadata_title: str | None) -> DocKind:
    votes: dict[DocKind, float] = {}
    for text in ([metadata_title] if metadata_title else []) + first_pages[:2] + titles:
        for m in KIND.finditer(compact(text or "")):
            _vote(votes, cast(DocKind, m.group(1)), 1)
        if "决算" in (text or "") and not KIND.search(compact(text or "")):
            _vote(votes, "部门决算", 0.5)
    return _winner(votes) or "部门预算"


def _vote(votes: dict[K, float], key: K, weight: float) -> None:
    votes[key] = votes.get(key, 0) + weight


def _winner(votes: dict[K, float]) -> K | None:
    """The key with the most votes; on a tie the one voted for first (as ``Counter.most_common``)."""
    return max(votes, key=lambda k: votes[k]) if votes else None
