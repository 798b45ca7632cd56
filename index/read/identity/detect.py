"""Identity read from the document: each field taken from the most trusted place that states it.

Cover (封面) → the label 预算单位：/预算主管部门： → title lines, headings and the PDF's title (标题) →
table captions such as 部门名称：… (表格标题) → the body (正文) → the file name (文件名, flagged).

    >>> ident = read_identity(IdentityEvidence(pages=["2026年\\n广州市水务局部门预算\\n目录"], file_name="x_2025.pdf"))
    >>> (ident.department, ident.city, ident.year, ident.kind, ident.level, ident.sources["department"])
    ('广州市水务局', '广州市', 2026, '部门预算', '部门', '封面')
    >>> ident.warnings
    ['文档年份为 2026 年，与文件名中的 2025 年不同']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from index.core.lexicon import (
    BUDGET_TABLE_TITLE,
    DEPARTMENT_TAIL,
    HEADING_MARKERS,
    PARENT_IN_NAME,
    PARENT_LABELS,
    UNIT_LABELS,
)
from index.core.model import NOT_A_BUDGET, DocKind, Document, Identity, IdentitySource, PublisherLevel
from index.core.text import compact
from index.read.identity.cover import Title, cover_lines, read_title
from index.read.identity.evidence import body_publishers, file_name_hints, labelled_names, parent_in
from index.read.identity.names import derive_aliases, join_region, short_name, split_region

K = TypeVar("K")
SHORT_NAME = re.compile(r"[（(](?:以下)?简称[“\"]?([^）)”\"]{2,12})[”\"]?[）)]")
TITLE_PAGES = 3  # title lines are read from the first pages only
BODY_PAGES = 8  # the body is searched for a publisher and a parent in its first pages


@dataclass
class IdentityEvidence:
    """What identity is read from: the pages' text, table titles, headings, the PDF title, the file name."""

    pages: list[str]
    table_titles: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    metadata_title: str | None = None
    file_name: str | None = None


def evidence_of(document: Document) -> IdentityEvidence:
    """The evidence a stored document still holds: identity can be read again without the PDF."""
    return IdentityEvidence(
        pages=[p.text for p in document.pages],
        table_titles=[t.title for t in document.tables if t.title],
        headings=[b.text for b in document.blocks if b.kind == "heading"],
        metadata_title=document.identity.metadata_title,
        file_name=document.file_name,
    )


def read_identity(evidence: IdentityEvidence) -> Identity:
    """Every identity field from the most trusted place that states it, with that place in ``sources``,
    and the warnings a user should check (see ``identity_warnings``)."""
    cover = read_title("\n".join(cover_lines(evidence.pages[0]))) if evidence.pages else Title()
    meta = read_title(evidence.metadata_title or "")
    if not (meta.kind and (meta.publisher or meta.year)):
        meta = Title()  # a stray Title ("处领导：", "附件1") says nothing
    titles = [read_title(_unheaded(t)) for t in _title_lines(evidence)]
    tables = [read_title(_unheaded(t)) for t in evidence.table_titles]
    labels = labelled_names(evidence.pages)
    ident = Identity(metadata_title=evidence.metadata_title, cover=cover.text or None)
    sources: dict[str, IdentitySource] = {}
    file_publisher, file_year = file_name_hints(evidence.file_name)

    # Publisher: the first place that names one.
    level: str | None = cover.level
    label = cover.label
    picked = _first(
        (cover.publisher, "预算单位" if cover.label else "封面"),
        (meta.publisher, "标题"),
        (_vote([t.publisher for t in titles]), "标题"),
        (_vote([name for _, name, _ in labels]), "表格标题"),
        (_best_body(evidence.pages[:BODY_PAGES]), "正文"),
        (file_publisher, "文件名"),
    )
    if picked:
        ident.department, sources["department"] = picked
        marks = [mark for _, name, mark in labels if name == ident.department and mark]
        # A cover that names the publisher and its kind with no mark (2026年深圳市生态环境局部门预算) is the whole
        # department's: a unit's section title inside (深圳市生态环境局（本级）) marks that section, not the file.
        unmarked_cover = cover.publisher == ident.department and cover.kind is not None
        level = level or meta.level or (None if unmarked_cover else (
            _vote([t.level for t in titles if t.publisher == ident.department]) or (marks[0] if marks else None)))
        if sources["department"] == "表格标题":  # a caption's label (单位名称：…) names the level only then
            label = _vote([lab for lab, name, _ in labels if name == ident.department])

    # Year and kind: cover, then titles, then table titles, then the body, then the file name.
    year = _first(
        (cover.year, "封面"), (meta.year, "标题"), (_vote([t.year for t in titles if t.kind]), "标题"),
        (_vote([t.year for t in tables]), "表格标题"), (_body_year(evidence.pages), "正文"), (file_year, "文件名"),
    )
    if year:
        ident.year, sources["year"] = year
    ident.kind, sources["kind"] = _kind(cover, meta, titles, tables, evidence)
    _level_and_parent(ident, sources, level, label, cover.parent if cover.publisher == ident.department else None, evidence)
    _region(ident, sources, cover, titles)
    stated = SHORT_NAME.search("\n".join(evidence.pages[:BODY_PAGES]))
    given_short = compact(stated.group(1)) if stated else None
    ident.aliases = derive_aliases(ident.department, ident.region, given_short)
    ident.short_name = given_short or short_name(ident.department, ident.region, ident.aliases)
    ident.sources = sources
    ident.warnings = identity_warnings(ident, evidence.file_name)
    return ident


def _kind(cover: Title, meta: Title, titles: list[Title], tables: list[Title],
          evidence: IdentityEvidence) -> tuple[DocKind, IdentitySource]:
    """The kind a title names; a file with budget tables but no such title is a 部门预算; a file
    with neither, or whose cover names another genre (通知, 公告 …), is not a budget disclosure."""
    title_kinds: list[DocKind | None] = [t.kind for t in titles]
    table_kinds: list[DocKind | None] = [t.kind for t in tables]
    kind: tuple[DocKind, IdentitySource] | None = _first(
        (cover.kind, "封面"), (meta.kind, "标题"), (_vote(title_kinds), "标题"),
        (_vote(table_kinds), "表格标题"), (_body_kind(evidence.pages), "正文"),
    )
    first_page = cover_lines(evidence.pages[0]) if evidence.pages else []
    budget_tables = sum(1 for t in [*evidence.table_titles, *_title_lines(evidence), *first_page]
                        if BUDGET_TABLE_TITLE.search(compact(t)))
    if cover.genre and not budget_tables and cover.kind is None:
        return NOT_A_BUDGET, "封面"
    if kind is None and budget_tables:
        return "部门预算", "表格标题"
    not_budget: tuple[DocKind, IdentitySource] = (NOT_A_BUDGET, "正文")
    return kind or not_budget


def _level_and_parent(ident: Identity, sources: dict[str, IdentitySource], level: str | None, label: str | None,
                      cover_parent: str | None, evidence: IdentityEvidence) -> None:
    """本级/汇总 as marked; else 单位 for a unit's label or a 单位 disclosure, 部门 for a department's."""
    if ident.department is None:
        return
    where = sources["department"]
    if level is None:
        if label in UNIT_LABELS:
            level = "单位"
        elif label in PARENT_LABELS:
            level = "部门"
        elif ident.kind and ident.kind.startswith("单位"):
            level, where = "单位", sources.get("kind", where)
        elif ident.kind and ident.kind.startswith("部门"):
            level, where = "部门", sources.get("kind", where)
    if level is None:
        return
    ident.level, sources["level"] = cast(PublisherLevel, level), where
    if level != "单位":
        ident.parent, sources["parent"] = ident.department, sources["department"]
        return
    stated = parent_in("\n".join(evidence.pages[:BODY_PAGES]))
    in_name = PARENT_IN_NAME.match(ident.department)
    if cover_parent:
        ident.parent, sources["parent"] = cover_parent, "预算单位"
    elif stated and stated != ident.department:
        ident.parent, sources["parent"] = stated, "正文"
    elif in_name:
        ident.parent, sources["parent"] = in_name.group(1), sources["department"]
    elif DEPARTMENT_TAIL.search(ident.department):
        # A 单位预算 published under a department's own name is that department's office.
        ident.parent, sources["parent"] = ident.department, sources["department"]


def _region(ident: Identity, sources: dict[str, IdentitySource], cover: Title, titles: list[Title]) -> None:
    """From the publisher's name; else the region the cover names; else the parent's."""
    for name, where in (
        (ident.department, sources.get("department")), (cover.region, "封面"),
        (ident.parent, sources.get("parent")), (_vote([t.region for t in titles]), "标题"),
    ):
        province, city, district = split_region(name)
        if (province or city or district) and where:
            ident.province, ident.city, ident.district = province, city, district
            ident.region, sources["region"] = join_region(province, city, district), where
            return


def identity_warnings(ident: Identity, file_name: str | None) -> list[str]:
    """What a user should check: a year unlike the file name's, a file that is not a budget, a
    publisher found only in the file name.

        >>> identity_warnings(Identity(department="水务局", year=2025, sources={"department": "文件名"}), "水务局_2026.pdf")
        ['文档年份为 2025 年，与文件名中的 2026 年不同', '发布单位只在文件名中找到（水务局），请核对或更正']
        >>> identity_warnings(Identity(year=2026, sources={"year": "文件名"}), "水务局_2026.pdf")
        ['年份只在文件名中找到（2026 年），请核对或更正']
    """
    _, file_year = file_name_hints(file_name)
    out = []
    if ident.year and file_year and ident.year != file_year:
        out.append(f"文档年份为 {ident.year} 年，与文件名中的 {file_year} 年不同")
    if ident.kind == NOT_A_BUDGET:
        reason = f"封面为「{ident.cover}」" if ident.sources.get("kind") == "封面" and ident.cover else "封面、标题与表格中没有预算或决算"
        out.append(f"不是预算或决算公开文件（{reason}）：可检索其文字，但不用于回答数字")
    if ident.sources.get("department") == "文件名":
        out.append(f"发布单位只在文件名中找到（{ident.department}），请核对或更正")
    if ident.sources.get("year") == "文件名":
        out.append(f"年份只在文件名中找到（{ident.year} 年），请核对或更正")
    return out


def _title_lines(evidence: IdentityEvidence) -> list[str]:
    """Headings, and the top lines of the first pages after the cover (a title repeated above the
    table of contents: "苏州市交通运输局2026年度部门预算公开")."""
    lines = list(evidence.headings)
    for page in evidence.pages[1:TITLE_PAGES]:
        top = cover_lines(page)
        if top:
            lines.append("\n".join(top))
    return lines


def _unheaded(text: str) -> str:
    """A heading's text without its marker ("第一部分2026年度部门预算情况说明" → "2026年度部门预算情况说明")."""
    text = compact(text)
    for _, marker in HEADING_MARKERS:
        text = marker.sub("", text)
    return text


def _best_body(pages: list[str]) -> str | None:
    """The name the body introduces most often; a longer name holding a shorter one adds its count."""
    found = body_publishers(pages)
    if not found:
        return None

    def support(name: str) -> tuple[int, int]:
        return sum(n for other, n in found.items() if other == name or name.startswith(other)), -len(name)

    return max(found, key=support)


def _body_year(pages: list[str]) -> int | None:
    text = compact("".join(pages))
    return _vote([int(y) for y in re.findall(r"(20\d\d)年度?(?:部门|单位)?(?:综合)?(?:预算|决算)(?!单位|表)", text)])


def _body_kind(pages: list[str]) -> DocKind | None:
    text = compact("".join(pages))
    counts = Counter(re.findall(r"(部门|单位)(?:综合)?(预算|决算)(?!单位|表|编制|执行)", text))
    if not counts:
        return None
    (scope, family), _ = counts.most_common(1)[0]
    return cast(DocKind, f"{scope}{family}")


def _first(*options: tuple[K | None, IdentitySource]) -> tuple[K, IdentitySource] | None:
    for value, where in options:
        if value:
            return value, where
    return None


def _vote(values: Sequence[K | None]) -> K | None:
    """The most frequent value; on a tie the one seen first."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v and counts[v] == best)
