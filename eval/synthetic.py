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

from index.core.model import Document

REGIONS = ["北京市东城区", "北京市朝阳区", "北京市海淀区", "北京市丰台区", "上海市普陀区", "上海市徐汇区", "上海市静安区",
           "深圳市福田区", "深圳市南山区", "广州市天河区", "杭州市西湖区", "成都市武侯区", "武汉市江汉区"]  # fmt: skip
UNITS = ["财政局", "审计局", "司法局", "商务委员会", "教育委员会", "卫生健康委员会", "民政局", "生态环境局", "统计局",
         "文化和旅游局", "人力资源和社会保障局", "市场监督管理局", "应急管理局", "住房和城乡建设委员会", "体育局",
         "退役军人事务局", "档案馆", "科学技术委员会", "城市管理委员会", "发展和改革委员会"]  # fmt: skip
SAMPLES = ("xicheng-waiban-2020.pdf", "xicheng-zfb-2020.pdf")

Rewrite = Callable[[str], str]


def publisher(i: int) -> tuple[str, str, int]:
    """Copy ``i``'s region, department unit and year: every (region, unit) pair before the year moves on."""
    region = REGIONS[i % len(REGIONS)]
    unit = UNITS[(i // len(REGIONS)) % len(UNITS)]
    year = 2015 + (i // (len(REGIONS) * len(UNITS))) % 11
    return region, unit, year


def derive(base: Document, i: int) -> tuple[Document, Rewrite]:
    """A copy of ``base`` published by another department, region and year, and the rewrite that made it."""
    region, unit, year = publisher(i)
    district = region[3:]  # 北京市东城区 → 东城区
    department = f"{region}{unit}"
    short = f"区{unit}"
    old = base.identity
    names = sorted({*old.aliases, old.department or "", old.short_name or ""} - {""}, key=len, reverse=True)
    swaps = {n: (department if len(n) > 5 else short) for n in names}
    old_district = (old.region or "")[3:] if len(old.region or "") > 5 else ""
    swaps |= {old.region or "": region, old_district: district, old_district[:-1]: district[:-1]}
    if old.year:
        swaps |= {str(old.year): str(year), str(old.year - 1): str(year - 1)}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True) if len(k) >= 2))

    def rewrite(text: str) -> str:
        return pattern.sub(lambda m: swaps[m.group(0)], text) if text else text

    def rewrite_optional(text: str | None) -> str | None:
        return rewrite(text) if text else text

    doc = base.model_copy(deep=True)
    doc.file_name = f"synthetic-{i:05d}-{unit}-{year}.pdf"
    doc.sha256 = hashlib.sha256(f"{doc.file_name}|{base.sha256}".encode()).hexdigest()
    doc.identity = old.model_copy(update={"department": department, "short_name": short, "region": region, "year": year,
                                          "aliases": [department, f"{district}{unit}", unit, short]})  # fmt: skip
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
