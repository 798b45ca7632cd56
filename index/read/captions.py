"""A table's label, title and unit, read from the lines above it (or its in-grid caption rows).

    "表3"  "2020年部门支出总表"  "单位：元"   →   Caption(label="表3", title="2020年部门支出总表", unit="元")
    "预算表5 一般公共预算财政拨款支出表"      →   label "预算05表"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.core.lexicon import CN_DIGITS, TABLE_LABEL, TABLE_TITLE, TABLE_UNIT
from index.core.text import compact
from index.core.units import Unit, money_unit
from index.read.pdf import Line

OUTLINE_NUMBER = re.compile(rf"^(?:[{CN_DIGITS}]{{1,3}}、|[（(][{CN_DIGITS}]{{1,3}}[)）])")
# A 目录 line naming a table: "3．一般公共预算支出情况表………7" (Shanghai numbers tables only here).
TOC_ENTRY = re.compile(rf"^(\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*[.．、]\s*(.+?表)")


@dataclass
class Caption:
    label: str | None = None
    title: str | None = None
    unit: Unit | None = None

    @property
    def empty(self) -> bool:
        return self.label is None and self.title is None


def normalize_label(text: str) -> str:
    text = compact(text).rstrip("：:")
    m = re.match(r"预算表(\d+)", text)
    if m:
        return f"预算{int(m.group(1)):02d}表"
    return text


def read_caption(lines: list[Line], in_grid: list[str]) -> Caption:
    """``lines``: the text between the previous table (or page top) and this table, top to bottom."""
    cap = Caption()
    candidates = [line.text for line in lines[-6:]] + in_grid
    for text in candidates:
        unit = TABLE_UNIT.search(text)
        if unit:
            cap.unit = money_unit(unit.group(1))
        rest = TABLE_UNIT.sub("", text).strip()
        rest = re.sub(r"(编制部门|部门名称|编制单位|单位名称)[:：]\S*", "", rest).strip()
        label = TABLE_LABEL.search(rest)
        if label:
            cap.label = normalize_label(label.group(1))
            rest = (rest[: label.start()] + rest[label.end():]).strip(" ：:")
        if rest and TABLE_TITLE.search(rest) and len(rest) <= 60 and not rest.startswith("注"):
            # A section heading over the table ("七、重点项目预算绩效目标情况"): its number is no title.
            cap.title = OUTLINE_NUMBER.sub("", compact(rest)) or compact(rest)
    return cap


def toc_labels(page_texts: list[str]) -> dict[str, str]:
    """Shanghai-style disclosures number their tables only in the table of contents: title → 表N."""
    labels: dict[str, str] = {}
    for text in page_texts[:5]:
        for line in text.splitlines():
            m = TOC_ENTRY.match(compact(line.replace("…", " ")))
            if m:
                number = m.group(1)
                labels.setdefault(_title_key(m.group(2)), f"表{int(number)}" if number.isdigit() else f"表{number}")
    return labels


def _title_key(title: str) -> str:
    return re.sub(r"^(20\d\d)?年度?", "", compact(title))


def label_from_toc(title: str | None, labels: dict[str, str]) -> str | None:
    return labels.get(_title_key(title)) if title else None
