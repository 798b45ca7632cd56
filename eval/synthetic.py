"""Synthetic disclosures for the benchmarks: parsed documents copied under other departments, regions, years.

    >>> doc, rewrite = derive(sample, 7)
    >>> doc.identity.department, rewrite("外办2020年三公经费预算是多少")
    ('北京市东城区审计局', '区审计局2015年三公经费预算是多少')

A copy's department, region and year are rewritten in the Document model (identity, paragraphs,
page text, table titles and rows); its figures stay those of the document it copies, so a
question about the original, rewritten the same way, has the same answer. Shared by
``eval/bench_index.py`` and ``eval/bench_scale.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from index.core.model import Document, Identity
from index.store.facts import DocumentRecord

REGIONS = ["北京市东城区", "北京市朝阳区", "北京市海淀区", "北京市丰台区", "上海市普陀区", "上海市徐汇区", "上海市静安区",
           "深圳市福田区", "深圳市南山区", "广州市天河区", "杭州市西湖区", "成都市武侯区", "武汉市江汉区"]  # fmt: skip
UNITS = ["财政局", "审计局", "司法局", "商务委员会", "教育委员会", "卫生健康委员会", "民政局", "生态环境局", "统计局",
         "文化和旅游局", "人力资源和社会保障局", "市场监督管理局", "应急管理局", "住房和城乡建设委员会", "体育局",
         "退役军人事务局", "档案馆", "科学技术委员会", "城市管理委员会", "发展和改革委员会"]  # fmt: skip
# Past every (region, unit, year) of REGIONS (2,860 copies) the copies move on to other regions, so a
# corpus of 10,000 names each department and year once (up to 11,440).
MORE_REGIONS = [
    ["天津市和平区", "天津市河西区", "天津市南开区", "重庆市渝中区", "重庆市江北区", "重庆市沙坪坝区", "南京市鼓楼区",
     "南京市玄武区", "苏州市姑苏区", "西安市雁塔区", "长沙市岳麓区", "青岛市崂山区", "厦门市思明区"],
    ["郑州市金水区", "济南市历下区", "合肥市蜀山区", "福州市台江区", "昆明市五华区", "南宁市青秀区", "沈阳市皇姑区",
     "大连市中山区", "长春市南关区", "太原市小店区", "兰州市城关区", "贵阳市云岩区", "南昌市东湖区"],
    ["宁波市海曙区", "无锡市梁溪区", "佛山市禅城区", "珠海市香洲区", "温州市鹿城区", "绍兴市越城区", "嘉兴市南湖区",
     "常州市天宁区", "徐州市云龙区", "烟台市芝罘区", "洛阳市西工区", "桂林市秀峰区", "泉州市鲤城区"],
]  # fmt: skip
YEARS = 11  # 2015 … 2025
SAMPLES = ("xicheng-waiban-2020.pdf", "xicheng-zfb-2020.pdf")

Rewrite = Callable[[str], str]


def publisher(i: int) -> tuple[str, str, int]:
    """Copy ``i``'s region, department unit and year: every (region, unit) pair before the year moves on."""
    cycle = i // (len(REGIONS) * len(UNITS) * YEARS)
    regions = MORE_REGIONS[(cycle - 1) % len(MORE_REGIONS)] if cycle else REGIONS
    region = regions[i % len(regions)]
    unit = UNITS[(i // len(regions)) % len(UNITS)]
    year = 2015 + (i // (len(regions) * len(UNITS))) % YEARS
    return region, unit, year


def renaming(old: Identity | DocumentRecord, i: int) -> tuple[dict, Rewrite]:
    """Copy ``i``'s identity fields and the rewrite of a text from ``old``'s publisher, region and year to its."""
    region, unit, year = publisher(i)
    district = region[3:]  # 北京市东城区 → 东城区
    department = f"{region}{unit}"
    short = f"区{unit}"
    names = sorted({*old.aliases, old.department or "", old.short_name or ""} - {""}, key=len, reverse=True)
    swaps = {n: (department if len(n) > 5 else short) for n in names}
    old_district = (old.region or "")[3:] if len(old.region or "") > 5 else ""
    swaps |= {old.region or "": region, old_district: district, old_district[:-1]: district[:-1]}
    if old.year:
        swaps |= {str(old.year): str(year), str(old.year - 1): str(year - 1)}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True) if len(k) >= 2))

    def rewrite(text: str) -> str:
        return pattern.sub(lambda m: swaps[m.group(0)], text) if text else text

    identity = {"department": department, "short_name": short, "region": region, "year": year,
                "aliases": [department, f"{district}{unit}", unit, short]}  # fmt: skip
    return identity, rewrite


def file_name(i: int) -> str:
    _, unit, year = publisher(i)
    return f"synthetic-{i:05d}-{unit}-{year}.pdf"


def copy_sha(i: int, base_sha: str) -> str:
    """Copy ``i``'s version id: a hash of its file name and its base's."""
    return hashlib.sha256(f"{file_name(i)}|{base_sha}".encode()).hexdigest()


def derive(base: Document, i: int) -> tuple[Document, Rewrite]:
    """A copy of ``base`` published by another department, region and year, and the rewrite that made it."""
    identity, rewrite = renaming(base.identity, i)
    old = base.identity

    def rewrite_optional(text: str | None) -> str | None:
        return rewrite(text) if text else text

    doc = type(base).model_validate(base.model_dump())  # a deep copy, 8× faster than model_copy(deep=True)
    doc.file_name = file_name(i)
    doc.sha256 = copy_sha(i, base.sha256)
    doc.identity = old.model_copy(update=identity)
    for block in doc.blocks:
        block.text = rewrite(block.text)
        block.section_path = [rewrite(s) for s in block.section_path]
    for page in doc.pages:
        page.text = rewrite(page.text)
    for table in doc.tables:
        table.title = rewrite_optional(table.title)
        for row in table.rows:
            row.name = rewrite_optional(row.name)
            row.attributes = {k: rewrite(v) for k, v in row.attributes.items()}
            for cell in row.cells:
                cell.text = rewrite(cell.text)
    return doc, rewrite


def synthetic(base: Document, i: int) -> Document:
    """A copy of ``base`` published by another department, region and year."""
    return derive(base, i)[0]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0
