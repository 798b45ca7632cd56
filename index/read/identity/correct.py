"""A user's corrections of identity: checked, then laid over what was read, each marked 用户更正.

    >>> ident = Identity(department="广州市水务局", city="广州市", region="广州市", year=2026, kind="部门预算")
    >>> fixed = apply_corrections(ident, {"year": "2025", "department": "广州市水务局（本级）"})
    >>> (fixed.department, fixed.level, fixed.year, fixed.sources["year"])
    ('广州市水务局', '本级', 2025, '用户更正')
    >>> normalize_correction("kind", "决算")
    Traceback (most recent call last):
    ...
    ValueError: 类型只能是：部门预算、单位预算、部门决算、单位决算、非预算公开
"""

from __future__ import annotations

import re
from typing import cast, get_args

from index.core.lexicon import LEVEL_MARK
from index.core.model import IDENTITY_FIELDS, DocKind, Identity, PublisherLevel
from index.core.text import compact
from index.read.identity.names import derive_aliases, join_region, short_name, split_region

FIELD_LABEL = {"department": "发布单位", "parent": "上级部门", "level": "层级", "region": "地区", "year": "年份", "kind": "类型"}
# What users type for a field, in Chinese or English.
FIELD_NAMES = {**{f: f for f in IDENTITY_FIELDS}, "publisher": "department", **{v: k for k, v in FIELD_LABEL.items()},
               "部门": "department", "单位": "department"}
KINDS: tuple[str, ...] = get_args(DocKind)
LEVELS: tuple[str, ...] = get_args(PublisherLevel)


def field_of(name: str) -> str:
    """The identity field a user names ("年份", "year", "publisher" …); ValueError for anything else."""
    found = FIELD_NAMES.get(name.strip())
    if found is None:
        raise ValueError(f"不能更正「{name}」：可更正 {'、'.join(f'{k}（{v}）' for k, v in FIELD_LABEL.items())}")
    return found


def normalize_correction(field: str, value: str) -> str:
    """The value as stored; ValueError (in Chinese) for a value the field cannot hold."""
    value = compact(value)
    if not value:
        raise ValueError(f"{FIELD_LABEL.get(field, field)}不能为空")
    if field == "year":
        m = re.fullmatch(r"(\d{4})年?度?", value)
        if not m or not 1990 <= int(m.group(1)) <= 2100:
            raise ValueError(f"年份应为四位数字，如 2026，而不是「{value}」")
        return m.group(1)
    if field == "kind" and value not in KINDS:
        raise ValueError(f"类型只能是：{'、'.join(KINDS)}")
    if field == "level" and value not in LEVELS:
        raise ValueError(f"层级只能是：{'、'.join(LEVELS)}")
    return value


def apply_corrections(identity: Identity, corrections: dict[str, str]) -> Identity:
    """The identity with each corrected field replaced and its source 用户更正; names people use are
    derived again from a corrected publisher, and its region taken from the name unless corrected too."""
    if not corrections:
        return identity
    ident = identity.model_copy(deep=True)
    sources = dict(ident.sources)
    if "department" in corrections:
        name = corrections["department"]
        mark = LEVEL_MARK.search(name)
        ident.department = (name[: mark.start()] + name[mark.end():]) if mark else name
        if mark and "level" not in corrections:
            ident.level, sources["level"] = cast(PublisherLevel, mark.group(1)), "用户更正"
        if "region" not in corrections and any(split_region(ident.department)):
            _set_region(ident, ident.department)
            sources["region"] = "用户更正"
    if "region" in corrections:
        _set_region(ident, corrections["region"])
    if "parent" in corrections:
        ident.parent = corrections["parent"]
    if "level" in corrections:
        ident.level = cast(PublisherLevel, corrections["level"])
    if "year" in corrections:
        ident.year = int(corrections["year"])
    if "kind" in corrections:
        ident.kind = cast(DocKind, corrections["kind"])
    for field in corrections:
        sources[field] = "用户更正"
    ident.sources = sources
    if "department" in corrections or "region" in corrections:
        ident.aliases = derive_aliases(ident.department, ident.region, None)
        ident.short_name = short_name(ident.department, ident.region, ident.aliases)
    # A warning a correction settles no longer stands: the user has checked that field.
    settled = {"year": "年份", "kind": "不是预算", "department": "发布单位只在文件名"}  # field → words of its warning
    ident.warnings = [w for w in ident.warnings if not any(f in corrections and word in w for f, word in settled.items())]
    return ident


def _set_region(ident: Identity, text: str) -> None:
    province, city, district = split_region(text)
    if not (province or city or district):
        ident.province = ident.city = ident.district = None
        ident.region = compact(text)
        return
    ident.province, ident.city, ident.district = province, city, district
    ident.region = join_region(province, city, district)
