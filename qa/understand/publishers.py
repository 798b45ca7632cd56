"""Who a question is about, read before anything else: the publishers, regions and places it names.

Only identity names are looked up here (every document's publisher aliases and regions). A place or
organisation the question names that no document has is kept as *unknown*, so the question is refused
rather than answered from another city's office of the same name:

    烟台市医疗保障局2026年支出预算总计   → unknown_region "烟台市" (深圳's 医疗保障局 is not taken)
    广州市政府办公厅三公经费              → unknown_department "广州市政府办公厅" when 广州 has no such office
"""

from __future__ import annotations

import re

from index.core.text import compact
from qa.understand.model import ParsedQuestion
from qa.understand.names import Match, longest_first
from qa.understand.vocabulary import Vocabulary

# A place written right before a publisher, or opening the question: 烟台市…, 浦东新区…, 河北省….
PLACE = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:自治区|新区|省|市|区|县))$")
PLACE_SUFFIX = "省市区县"
NOT_PLACE = {"地区", "城区", "辖区", "本区", "全区", "园区", "社区", "街区", "该区", "市区", "各区", "区县", "全市", "本市",
             "城市", "各市", "省市", "全省", "本省", "本县", "全县", "直辖市", "市县"}
# An organisation named but not indexed (after known names are removed).
UNKNOWN_ORG = re.compile(
    r"((?:中国共产党|中共)?[\u4e00-\u9fff]{1,12}?(?:委员会|办公室|办公厅|办事处|街道|研究院|研究所|学院|学校|医院|中心|总队|支队|大队|宣传部|组织部"
    r"|统战部|局|厅|署|科协|协会|联合会|总工会|委(?!托|员)|办(?=[的和与及、，,？?单]|$|\d)))"
)
# A publisher's level written after its name: 深圳市统计局（本级） is the publisher, not a row of its tables.
LEVEL_AFTER = re.compile(r"^[（(](本级|汇总|部门|单位)[)）]")
UNKNOWN_REGION = re.compile(r"([\u4e00-\u9fff]{2}(?:区|县))(?=[\u4e00-\u9fff])")
JOINED = re.compile(r"[和与及、跟同]|以及|比|较")  # between two names: two publishers, not one written twice


def identity_matches(q: str, vocab: Vocabulary) -> list[Match]:
    """Publisher and region names the question spells: longest first, no overlaps, 《书名》 excluded."""
    found = vocab.identity_index().find(q)
    titles = [m.span() for m in re.finditer(r"《[^》]*》", q)]  # 《北京审计》杂志 is a title, not the publisher
    found = [f for f in found if not any(a < f[0] < b for a, b in titles)]
    found = [_with_level(q, f) for f in found]
    return longest_first(found, lambda f: (-(f[1] - f[0]), 0 if f[2] == "department" else 1, f[0]))


def _with_level(q: str, f: Match) -> Match:
    level = LEVEL_AFTER.match(q[f[1]:]) if f[2] == "department" else None
    return (f[0], f[1] + level.end(), f[2], f[3], f[4]) if level else f


def bind_publishers(q: str, parsed: ParsedQuestion, matches: list[Match], vocab: Vocabulary) -> None:
    """Department groups (one per publisher named), narrowed by the regions named; unknown places kept."""
    regions = [key for _, _, kind, _, key in matches if kind == "region"]
    restated = _restated(q, matches)
    for start, end, kind, text, key in matches:
        if kind != "department" or start in restated:
            continue
        group = sorted(vocab.departments[key])
        # 无锡市教育局…比无锡市教育局（本级）…: the level written after a name is part of what it names.
        level = q[start + len(text):end] if q[start:start + len(text)] == text else ""
        place = _unknown_place(q[:start], matches, start)
        if place is None and text[:1] in PLACE_SUFFIX:
            # 成都市审计局 matched as "市审计局" (an alias of 深圳市审计局): the place is 成都市, not 成都.
            others = [m for m in matches if m[0] != start]
            place = _unknown_place(q[:start + 1], others, start + 1)
            place = place[:-1] if place else None
        if place is not None and not _names_place(place, group, vocab):
            parsed.unknown_region = place + text  # 烟台市医疗保障局: said whole in the refusal and the readings
            continue
        bound = list(zip(parsed.department_groups, parsed.department_names))
        if (group, text + level) not in bound and (level or all(g != group for g, _ in bound)):
            parsed.department_groups.append(group)
            parsed.department_names.append(text + level)
    _carry_region(q, parsed, matches, vocab)
    if parsed.unknown_region is None and matches and not any(m[2] == "department" for m in matches):
        first = min(m[0] for m in matches)
        parsed.unknown_region = _unknown_place(q[:first], matches, first)
    if not regions:
        return
    region_docs = set.intersection(*(set(vocab.regions[r]) for r in regions))
    if len(parsed.department_groups) == 1 and len(regions) > 1:
        # 北京和深圳两个审计局: one name, one department per region.
        named = set(parsed.department_groups[0])
        split = [sorted(named & vocab.regions[r]) for r in regions]
        if all(split):
            parsed.department_groups = split
            return
    if parsed.department_groups:
        narrowed = [sorted(set(g) & region_docs) for g in parsed.department_groups]
        for group, name in zip(narrowed, parsed.department_names):
            if not group:
                # The region has no such office: never another region's office of the same name.
                parsed.unknown_department = "".join(dict.fromkeys(regions)) + name
                parsed.department_groups, parsed.department_names = [], []
                parsed.region_docs = sorted(region_docs)
                return
        parsed.department_groups = narrowed
    else:
        parsed.department_groups = [sorted(region_docs)]
        parsed.department_names = regions
        parsed.region_only = True
    parsed.region_docs = sorted(region_docs)


def _carry_region(q: str, parsed: ParsedQuestion, matches: list[Match], vocab: Vocabulary) -> None:
    """普陀司法局和商务委: the region written in the first of two publishers joined by 和/与 is the second's too,
    when the second alone names several departments (普陀's and 重庆's 商务委) and exactly one is in that region;
    never when the second names its own region (普陀司法局和重庆商务委)."""
    departments = sorted((m for m in matches if m[2] == "department"), key=lambda m: m[0])
    for a, b in zip(departments, departments[1:]):
        if not PAIR_JOINT.fullmatch(q[a[1]:b[0]]) or _region_written(b, matches, vocab) is not None:
            continue
        region = _region_written(a, matches, vocab)
        names = list(zip(parsed.department_groups, parsed.department_names))
        i = next((i for i, (_, name) in enumerate(names) if name == b[3]), None)
        a_docs = next((g for g, name in names if name == a[3]), [])
        if region is None or i is None or not a_docs or not set(a_docs) <= vocab.regions[region]:
            continue
        group = parsed.department_groups[i]
        inside = [d for d in group if d in vocab.regions[region]]
        publishers = {vocab.documents[d].department for d in inside}
        if len({vocab.documents[d].department for d in group}) > 1 and len(publishers) == 1:
            parsed.department_groups[i] = inside


# Two publishers written one after the other, joined: 普陀司法局和商务委.
PAIR_JOINT = re.compile(r"[和与及、跟同]|以及")


def _region_written(name: Match, matches: list[Match], vocab: Vocabulary) -> str | None:
    """The region a publisher is written with: a region name right before it, or one its own name opens with
    (普陀司法局)."""
    before = next((m[4] for m in matches if m[2] == "region" and m[1] == name[0]), None)
    if before is not None:
        return before
    return next((r for r in sorted(vocab.regions, key=len, reverse=True) if name[3].startswith(r) and len(name[3]) > len(r)), None)


def _restated(q: str, matches: list[Match]) -> set[int]:
    """Where names start that the next name, in brackets right after, writes out in full: "应急局执法总队
    （上海市应急管理局执法总队）" names one publisher, the bracketed one, not every 应急局."""
    departments = sorted((m for m in matches if m[2] == "department"), key=lambda m: m[0])
    out = set()
    for a, b in zip(departments, departments[1:]):
        opens, closes = q[b[0] - 1:b[0]], q[b[1]:b[1] + 1]
        if opens in "（(" and opens and closes in "）)" and closes and not JOINED.search(q[a[1]:b[0] - 1]):
            out.add(a[0])
    return out


def _unknown_place(before: str, matches: list[Match], end: int) -> str | None:
    """A place written right before position ``end`` (or opening the question) that no document has."""
    covered = {i for m in matches for i in range(m[0], m[1])}
    text = "".join("　" if i in covered else ch for i, ch in enumerate(before))
    m = PLACE.search(text)
    if m is None or m.group(1) in NOT_PLACE or m.end() != end:
        return None
    return m.group(1)


def _names_place(place: str, doc_ids: list[str], vocab: Vocabulary) -> bool:
    """The publisher's own name or region includes the place (a region the reader did not record)."""
    stem = re.sub(r"(自治区|新区|省|市|区|县)$", "", place)
    for doc_id in doc_ids:
        record = vocab.documents[doc_id]
        if any(stem in compact(n) for n in (record.department or "", record.region or "", *record.aliases)):
            return True
    return False


def unknown_org(remaining: str) -> str | None:
    """An organisation or district the question names that no indexed name covered."""
    for m in UNKNOWN_ORG.finditer(remaining):
        name = re.sub(r"^(那么|那|还有|再问|请问|和|与|及|跟|同|、)+", "", m.group(1).strip("　"))
        if len(name) >= 2 and not re.search(r"[其该本各我你贵]", name[0]):
            return name
    for m in UNKNOWN_REGION.finditer(remaining):
        if m.group(1) not in NOT_PLACE:
            return m.group(1)
    return None


def closest_publishers(name: str, vocab: Vocabulary, within: set[str] | None = None, n: int = 5) -> list[str]:
    """Indexed publishers most like ``name``: mostly by the office (审计局 ~ 北京市审计局), a little by
    the place (普陀区… ~ 上海市普陀区…). Character pairs in common, best first; none below a third."""
    place_match = LEADING_PLACE.match(compact(name))
    place = re.sub(r"(省|市|区|县)$", "", place_match.group(0)) if place_match else ""
    office = _pairs(compact(name)[place_match.end():] if place_match else name)
    scores: dict[str, float] = {}
    for doc_id in within if within is not None else vocab.documents:
        record = vocab.documents[doc_id]
        if not record.department:
            continue  # a file whose publisher was not read is no publisher to suggest
        full = record.department
        core = compact(full)
        for prefix in sorted({compact(record.region or ""), *(_prefixes(core))}, key=len, reverse=True):
            if prefix and core.startswith(prefix) and len(core) > len(prefix) + 1:
                core = core[len(prefix):]
                break
        score = 0.7 * len(office & _pairs(core)) / max(1, len(office))
        if place and place in compact(f"{record.region or ''}{full}"):
            score += 0.3
        scores[full] = max(scores.get(full, 0.0), score)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [full for full, score in ranked if score >= 0.3][:n]


LEADING_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?省)?(?:[\u4e00-\u9fff]{2,3}?市)?(?:[\u4e00-\u9fff]{2,4}?(?:新区|区|县))?")


def _prefixes(name: str) -> list[str]:
    m = LEADING_PLACE.match(name)
    return [m.group(0)] if m and m.group(0) else []


def indexed_regions(vocab: Vocabulary, within: set[str] | None = None) -> list[str]:
    """The cities and districts documents are from (for a refusal that found no similar publisher)."""
    regions = {vocab.documents[d].region for d in (within or vocab.documents) if vocab.documents[d].region}
    return sorted(r for r in regions if r)


def _pairs(text: str) -> set[str]:
    text = compact(text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}
