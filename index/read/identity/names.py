"""A publisher's name: cleaned of what the layout glued to it, split into region and level, and the
shorter names people call it by.

    >>> clean_publisher("附件：北京市司法局")
    ('北京市司法局', None)
    >>> clean_publisher("西安市统计局（汇总）金额")
    ('西安市统计局', '汇总')
    >>> split_region("北京市西城区人民政府外事办公室")
    ('北京市', '北京市', '西城区')
    >>> derive_aliases("中国共产党北京市委员会宣传部", "北京市", None)[:3]
    ['中国共产党北京市委员会宣传部', '中共北京市委宣传部', '北京市委宣传部']
"""

from __future__ import annotations

import re

from index.core.lexicon import (
    CITY_PREFIX,
    DISTRICT_PREFIX,
    DROPPED_REGION_PREFIX,
    LEVEL_MARK,
    NAME_JUNK_PREFIX,
    NOT_A_DISTRICT,
    PARTY_NAME,
    PARTY_PREFIX,
    PROVINCE_PREFIX,
    PUBLISHER_NAME,
)
from index.core.text import compact

# Usual short forms of organisation names (…办 / …局 / …委): derived, not listed per department.
SUFFIX_SHORT = [
    ("人民政府办公室", "政府办"),
    ("政府办公室", "府办"),  # 普陀区府办
    ("人民政府办公厅", "政府办"),  # a city's 办公厅 goes by the same short forms (广州市府办)
    ("政府办公厅", "府办"),
    ("人民政府外事办公室", "政府外办"),
    ("外事办公室", "外办"),
    ("办公室", "办"),
    ("委员会", "委"),
    ("街道办事处", "街道"),
    ("办事处", "办"),
]
# The short forms people use for whole office names, the same across cities (西安市国资委, 无锡市人社局).
OFFICE_SHORT = [
    ("国有资产监督管理委员会", "国资委"),
    ("人力资源和社会保障局", "人社局"), ("人力资源社会保障局", "人社局"),
    ("卫生健康委员会", "卫健委"), ("卫生健康局", "卫健局"),
    ("自然资源和规划局", "资规局"), ("自然资源和规划局", "自然资源局"),
    ("规划和自然资源局", "规资局"), ("规划和自然资源局", "规划资源局"), ("规划和自然资源委员会", "规自委"),
    ("发展和改革委员会", "发改委"), ("经济和信息化委员会", "经信委"), ("工业和信息化局", "工信局"),
    ("住房和城乡建设局", "住建局"), ("住房和城乡建设委员会", "住建委"), ("住房和建设局", "住建局"),
    ("文化广电旅游体育局", "文旅局"), ("文化和旅游局", "文旅局"), ("市场监督管理局", "市场监管局"),
    ("应急管理局", "应急局"), ("交通运输局", "交通局"), ("交通运输委员会", "交通委"), ("科学技术局", "科技局"),
    ("政务服务和数据管理局", "政数局"), ("医疗保障局", "医保局"), ("城市管理和综合执法局", "城管局"),
    ("城市管理综合行政执法局", "城管执法局"), ("公安局交通管理局", "交管局"), ("生态环境局", "环境局"),
    ("教育委员会", "教委"), ("民族宗教事务委员会", "民宗委"), ("退役军人事务局", "退役军人局"),
]
# Forms too generic to name one department on their own.
GENERIC_NAMES = {"办", "委", "局", "街道", "办公室", "办事处", "委员会", "人民政府办", "人民政府办公室", "人民政府"}
# What may follow a name inside a title or caption and is not part of it.
_TRAILING = re.compile(r"(?:本部门|部门|金额|单位|年度|年)$")
_YEARS = re.compile(r"20\d\d\s*年?度?")
_BRACKETED = re.compile(r"[（(]([^（）()]{2,30})[)）]$")


def clean_publisher(text: str | None) -> tuple[str | None, str | None]:
    """(name, level mark) from a candidate: junk in front and behind dropped, （本级）/（汇总） split off.

    None when what is left is not an organisation's name (a region alone, a sentence, a number).
    "2026年度无锡市交通运输局（本级）" → ("无锡市交通运输局", "本级").
    """
    name = compact(text or "").strip("：:，,。；;、")
    level = None
    mark = LEVEL_MARK.search(name)
    if mark:
        level = mark.group(1)
        name = name[: mark.start()] + name[mark.end():]
    previous = None
    while previous != name:
        previous = name
        name = NAME_JUNK_PREFIX.sub("", _YEARS.sub("", name))
        name = re.sub(r"^(?:度|年度|年)", "", name)
        if not PUBLISHER_NAME.match(name):
            name = _TRAILING.sub("", name)
    if not name or not PUBLISHER_NAME.match(name) or len(name) < 3 or re.search(r"\d", name):
        return None, level
    return name, level


def split_region(name: str | None) -> tuple[str | None, str | None, str | None]:
    """(province, city, district) named at the start of a name (after a Party prefix); a municipality
    (北京市, 上海市 …) is both province and city. "中共烟台市委宣传部" → (None, "烟台市", None)."""
    text = PARTY_PREFIX.sub("", compact(name or ""))
    province = city = district = None
    m = PROVINCE_PREFIX.match(text)
    if m:
        province = m.group(0)
        text = text[m.end():]
        if province.endswith("市"):
            city = province
    if city is None:
        m = CITY_PREFIX.match(text)
        if m and m.group(0) not in ("城市", "都市"):  # "城市管理局" starts like a city
            city = m.group(0)
            text = text[m.end():]
    m = DISTRICT_PREFIX.match(text)
    if m and m.group(0) not in NOT_A_DISTRICT:
        district = m.group(0)
    return province, city, district


def join_region(province: str | None, city: str | None, district: str | None) -> str | None:
    parts: list[str] = []
    for part in (province, city, district):
        if part and part not in parts:
            parts.append(part)
    return "".join(parts) or None


def region_prefix(name: str | None) -> str | None:
    """The region a name starts with, as printed ("北京市西城区人民政府外事办公室" → "北京市西城区")."""
    province, city, district = split_region(name)
    region = join_region(province, city, district)
    return region if region and compact(name or "").startswith(region) else None


def derive_aliases(department: str | None, region: str | None, short: str | None) -> list[str]:
    """The names people use: full, without region, without 人民, common short forms, a Party organ's
    usual form (中共北京市委宣传部, 市委宣传部), and a unit's other name in brackets."""
    if not department:
        return [short] if short else []
    names = [department]
    for other in _other_names(department):
        names.extend(_derived(other, region))
    if short:
        names.append(short)
    local = DROPPED_REGION_PREFIX.sub("", region) if region else ""
    seen: list[str] = []
    for n in names:
        if n and n not in seen and n not in GENERIC_NAMES and not (local and n in (local, local.rstrip("区县"))):
            seen.append(n)
    return seen


def _other_names(department: str) -> list[str]:
    """The name itself, without a bracketed other name, the bracketed name, and a Party organ's forms."""
    out = [department]
    bracket = _BRACKETED.search(department)
    if bracket and PUBLISHER_NAME.match(bracket.group(1)):
        out += [department[: bracket.start()], bracket.group(1)]
    party = PARTY_NAME.match(department)
    if party:
        place, organ = party.groups()
        level_char = place[-1]
        out += [f"中共{place}委{organ}", f"{place}委{organ}", f"{level_char}委{organ}"]
    return out


def _derived(name: str, region: str | None) -> list[str]:
    out = [name]
    bare = name[len(region):] if region and name.startswith(region) else name
    local = ""
    if region:
        # 北京市西城区 → 西城区, 西城: people drop the city and the 区 suffix.
        local = DROPPED_REGION_PREFIX.sub("", region)
    forms = {bare, bare.replace("人民政府", "政府"), bare.replace("人民政府", "")}
    for full, abbr in OFFICE_SHORT + SUFFIX_SHORT:
        for form in list(forms):
            if form.endswith(full) and len(form) > len(full):
                forms.add(form[: -len(full)] + abbr)
            elif form == full:
                forms.add(abbr)
    for form in sorted(forms, key=lambda f: (-len(f), f)):  # longest first; ties by text, not by set order
        if len(form) < 2:
            continue
        out.append(form)
        if local and not form.startswith(local):
            out.append(local + form)
            out.append(local.rstrip("区县") + form)
    return out


def short_name(department: str | None, region: str | None, aliases: list[str]) -> str | None:
    """The shortest usual form without the region (政府办, 商务委, 司法局, 万里街道)."""
    if not department:
        return None
    local = re.sub(r"(省|市|区|县)$", "", region[-3:]) if region else ""
    bare = [a for a in aliases[1:] if len(a) >= 3 and not (local and local in a)]
    return min(bare, key=len) if bare else department
