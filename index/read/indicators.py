"""Performance indicators (绩效指标) of target tables, one per printed indicator line.

A 绩效目标表 lists, per project (or per 活动), indicator lines under 一级/二级/三级指标 with a target value:

    项目名称              | … | 一级指标 | 二级指标 | 三级指标     | 指标性质 | 指标值 | 度量单位
    …《北京审计》杂志办刊经费 |   | 产出指标 | 数量指标 | 每期印刷数量 | ＝       | 900    | 册
                          |   | 产出指标 | 时效指标 | 刊物印刷频率 | ＝       | 4      | 期/年

or, in a form with the project named above its indicators, the relation and unit printed in the value
(召开新闻发布会活动次数 | ≥90场). The table reader keeps one row per project (the amounts), so these lines
are read here from the raw grids: each numeric target becomes an ``Indicator`` quoting its line.
Qualitative targets (定性 | 优) have no figure and are not kept.
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.core.model import Indicator
from index.core.numbers import try_parse_number
from index.core.text import compact
from index.read.assemble import Placed
from index.read.grid import text_of
from index.read.pdf import RawCell

NAME_HEADER = re.compile(r"^\d*(三级指标|指标名称|绩效指标名称)$")
NAME_HEADER_LOOSE = re.compile(r"^绩效指标$")  # one column printing all three levels (北京's 部门整体支出绩效目标表)
VALUE_HEADER = re.compile(r"^(本年|年度)?(绩效)?(指标值|目标值)(（[^）]*）)?$")  # a TARGET_COLUMN
RELATION_HEADER = re.compile(r"^(绩效)?指标性质$")
UNIT_HEADER = re.compile(r"^(绩效)?(度量|计量)单位$")
LEVEL1_HEADER = re.compile(r"^一级指标$")
LEVEL2_HEADER = re.compile(r"^二级指标$")
PROJECT_HEADER = re.compile(r"^(项目名称|活动|项目)$")
# "≥90场", "=100%", "≤2890万元", "不少于5个": the relation and the unit printed in the value cell.
VALUE_TEXT = re.compile(
    r"^(?P<rel>[≥≤=＝><＞＜]|大于等于|小于等于|不低于|不高于|不少于|不多于|不超过|大于|小于|等于)?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>[^\d]{0,8})$"
)
RELATIONS = {"＝": "=", "＞": ">", "＜": "<", "大于等于": "≥", "不低于": "≥", "不少于": "≥", "小于等于": "≤",
             "不高于": "≤", "不多于": "≤", "不超过": "≤", "大于": ">", "小于": "<", "等于": "="}
# "产出指标数量指标完成审计项目数量": the levels glued in front of the name where one column prints all three.
GLUED_LEVELS = re.compile(r"^(?:产出|效益|成本|满意度)指标(?:[\u4e00-\u9fff]{2,8}?指标)?")
# "指标1：区内居民对工作的满意度": a number before the name.
NAME_NUMBER = re.compile(r"^指标\d+[：:]")
# "11000022T0000004602 16-《北京审计》杂志办刊经费": the project's code before its name.
PROJECT_CODE = re.compile(r"^[0-9A-Za-z]{8,}[\s\d]*[-－]")


def read_indicators(placed: list[Placed]) -> list[Indicator]:
    out: list[Indicator] = []
    layout: _Layout | None = None
    for item in placed:
        rows = [r for r in item.raw.grid if any(text_of(c) for c in r)]
        found = _header(rows)
        if found is not None:
            at, columns = found
            title = item.caption.title or _form_title(rows[:at])
            layout = _Layout(columns, title, _form_project(rows[:at]), item.raw.page)
            body = rows[at + 1:]
        elif layout is not None and item.caption.empty and item.raw.page == layout.page + 1:
            # The table runs on over the page, its header not repeated: its columns (by position) and the
            # project of its last line carry on.
            layout.page = item.raw.page
            body = rows
        else:
            layout = None
            continue
        for row in body:
            indicator = layout.read(row, item.raw.page)
            if indicator is not None:
                out.append(indicator)
    return out


class _Layout:
    """Where an indicator table prints each field (the x-range of its header cell), and what runs on."""

    def __init__(self, columns: dict[str, tuple[float, float]], title: str | None, project: str | None, page: int):
        self.columns, self.title, self.page = columns, title, page
        self.project = project
        self.level1: str | None = None
        self.level2: str | None = None

    def at(self, row: list, key: str) -> RawCell | None:
        """The row's cell under the header of ``key``: the one whose middle lies within the header's x-range."""
        span = self.columns.get(key)
        if span is None:
            return None
        return next((c for c in row if c is not None and span[0] - 2 <= (c.bbox[0] + c.bbox[2]) / 2 <= span[1] + 2),
                    None)

    def cell(self, row: list, key: str) -> str:
        return compact(text_of(self.at(row, key)))

    def read(self, row: list, page: int) -> Indicator | None:
        project = self.cell(row, "project")
        if project:
            self.project = PROJECT_CODE.sub("", project)
        self.level1 = self.cell(row, "level1") or self.level1
        self.level2 = self.cell(row, "level2") or self.level2
        name = NAME_NUMBER.sub("", GLUED_LEVELS.sub("", self.cell(row, "name")))
        value_cell = self.at(row, "value")
        printed = compact(text_of(value_cell))
        relation = self.cell(row, "relation")
        if "relation" in self.columns and not re.fullmatch(r"[≥≤=＝><＞＜]?", relation):
            return None  # 定性, or a line that is no indicator
        match = VALUE_TEXT.match(relation + printed) if printed else None
        if not name or match is None or value_cell is None:
            return None
        number = try_parse_number(match.group("num"))
        unit = match.group("unit") or self.cell(row, "unit")
        if number is None or number.value is None or len(unit) > 8:
            return None
        rel = match.group("rel") or "="
        line = "｜".join(t for t in (self.project, self.level1, self.level2, name, relation + printed,
                                    self.cell(row, "unit")) if t)
        return Indicator(title=self.title, project=self.project, level1=self.level1, level2=self.level2, name=name,
                         relation=RELATIONS.get(rel, rel), value=Decimal(number.value), unit=unit,
                         text=text_of(value_cell), line=line, page=page, bbox=value_cell.bbox)


def _header(rows: list) -> tuple[int, dict[str, tuple[float, float]]] | None:
    """The header row of an indicator table and the x-range of each field it names."""
    for i, row in enumerate(rows[:12]):
        columns: dict[str, tuple[float, float]] = {}
        for cell in row:
            text = compact(text_of(cell))
            for key, pattern in (("name", NAME_HEADER), ("value", VALUE_HEADER), ("relation", RELATION_HEADER),
                                 ("unit", UNIT_HEADER), ("level1", LEVEL1_HEADER), ("level2", LEVEL2_HEADER),
                                 ("project", PROJECT_HEADER)):
                if key not in columns and pattern.match(text):
                    columns[key] = (cell.bbox[0], cell.bbox[2])
        if "name" not in columns:
            loose = [c for c in row if c is not None and NAME_HEADER_LOOSE.match(compact(c.text))]
            if loose:
                columns["name"] = (loose[0].bbox[0], loose[0].bbox[2])
        if "name" in columns and "value" in columns and columns["name"][0] < columns["value"][0]:
            return i, columns
    return None


def _form_project(rows: list) -> str | None:
    """"项目名称 | 城市综合营销和对外宣传专项资金" above the indicators of a one-project form."""
    for row in rows:
        texts = [compact(text_of(c)) for c in row if text_of(c)]
        if len(texts) >= 2 and PROJECT_HEADER.match(texts[0]):
            return PROJECT_CODE.sub("", texts[1])
    return None


def _form_title(rows: list) -> str | None:
    for row in rows:
        texts = [compact(text_of(c)) for c in row if text_of(c)]
        if len(texts) == 1 and "绩效目标" in texts[0]:
            return texts[0]
    return None
