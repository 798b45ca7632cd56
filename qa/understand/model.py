"""What a parsed question is: the department, year, items, column and operation it asks for.

    >>> ParsedQuestion(text="外办收入预算增长率是多少", operation="growth_rate").operation_row.label
    '增长率'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from index.store.facts import DocumentRecord
from qa.understand.operations import LOOKUP, OPERATIONS, Operation

ItemKind = Literal["row", "attribute", "code", "concept", "term"]


class ItemRef(BaseModel):
    kind: ItemKind  # term: a name only the narrative may use
    name: str  # cleaned row name, attribute value, code, or concept name
    text: str  # as written in the question
    pos: int = 0  # where it was written (占比: what comes before 占 is the part)


class ParsedQuestion(BaseModel):
    text: str
    department_groups: list[list[str]] = Field(default_factory=list)  # per named department: its doc_ids
    department_names: list[str] = Field(default_factory=list)
    region_only: bool = False  # departments narrowed by a region name only (西城区…)
    unknown_department: str | None = None
    unknown_region: str | None = None  # a place no document is from, with what follows it (烟台市医疗保障局)
    region_docs: list[str] = Field(default_factory=list)  # documents of the regions named
    item_docs: list[str] = Field(default_factory=list)  # no publisher named: the documents that print the items
    years: list[int] = Field(default_factory=list)
    previous_year: bool = False  # 比上年 / 同比
    final_account: bool = False  # asks for 决算
    unit_budget: bool = False  # asks for a 单位预算 (a unit's own budget, not its department's)
    items: list[ItemRef] = Field(default_factory=list)
    column: str | None = None  # the column asked for (the last one named)
    column_pos: int = 0
    columns: list[tuple[str, int]] = Field(default_factory=list)  # every column named, with its position
    tables: list[str] = Field(default_factory=list)  # tables the question points at: 表2, 收入总表 …
    unknown_table: str | None = None  # a table the question names that no scoped document has
    operation: str = LOOKUP  # a name registered in ``qa.understand.operations``
    wants_wan: bool = False  # asked in 万元
    wants_yuan: bool = False  # asked in 元 (多少元), not 万元 or 亿元
    money: bool = False  # asked for an amount (元, 万元, 多少钱)
    count_units: tuple[str, ...] | None = None
    context_item: ItemRef | None = None  # 三公经费里的公务接待费: the whole the item belongs to
    inherited: list[str] = Field(default_factory=list)  # what came from the previous turn
    unbound: list[str] = Field(default_factory=list)  # words no indexed name covered (near misses are sought here)

    @field_validator("operation")
    @classmethod
    def _registered(cls, name: str) -> str:
        if name not in OPERATIONS:
            raise ValueError(f"unknown operation {name!r}")
        return name

    @property
    def operation_row(self) -> Operation:
        return OPERATIONS[self.operation]

    @property
    def names_no_figure(self) -> bool:
        """Nothing a figure could be looked up by: no item, no column, no count."""
        return not self.items and not self.column and self.count_units is None

    def describe(self, documents: Mapping[str, DocumentRecord]) -> str:
        """How the question was read, for the answer's footer: 部门=…；年份=…；项目=…；运算=…."""
        parts = []
        if self.department_groups:
            names = []
            for group in self.department_groups:
                depts = {documents[d].department or documents[d].file_name for d in group if d in documents}
                names.append("、".join(sorted(depts)))
            parts.append("部门=" + "；".join(names))
        if self.years:
            parts.append("年份=" + "、".join(str(y) for y in self.years))
        if self.context_item is not None:
            parts.append("范围=" + self.context_item.name)
        if self.items:
            parts.append("项目=" + "、".join(i.name for i in self.items))
        if self.column:
            parts.append("列=" + self.column)
        parts.append("运算=" + self.operation_row.label)
        if self.inherited:
            parts.append("沿用上一问的" + "、".join(self.inherited))
        return "；".join(parts)
