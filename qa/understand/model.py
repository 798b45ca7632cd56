"""What a parsed question is: the department, year, items, column and operation it asks for."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from qa.understand.vocabulary import Vocabulary

Operation = Literal["lookup", "change", "growth_rate", "share", "sum", "ratio", "compare", "prose"]


class ItemRef(BaseModel):
    kind: Literal["row", "attribute", "code", "concept", "term"]  # term: a name only the narrative may use
    name: str  # cleaned row name, attribute value, code, or concept name
    text: str  # as written in the question
    pos: int = 0  # where it was written (占比: what comes before 占 is the part)


class ParsedQuestion(BaseModel):
    text: str
    department_groups: list[list[str]] = Field(default_factory=list)  # per named department: its doc_ids
    department_names: list[str] = Field(default_factory=list)
    region_only: bool = False  # departments narrowed by a region name only (西城区…)
    unknown_department: str | None = None
    years: list[int] = Field(default_factory=list)
    previous_year: bool = False  # 比上年 / 同比
    final_account: bool = False  # asks for 决算
    items: list[ItemRef] = Field(default_factory=list)
    column: str | None = None  # the column asked for (the last one named)
    column_pos: int = 0
    columns: list[tuple[str, int]] = Field(default_factory=list)  # every column named, with its position
    tables: list[str] = Field(default_factory=list)  # tables the question points at: 表2, 收入总表 …
    operation: Operation = "lookup"
    wants_wan: bool = False  # asked in 万元
    money: bool = False  # asked for an amount (元, 万元, 多少钱)
    count_units: tuple[str, ...] | None = None
    context_item: ItemRef | None = None  # 三公经费里的公务接待费: the whole the item belongs to
    inherited: list[str] = Field(default_factory=list)  # what came from the previous turn

    def describe(self, vocab: Vocabulary) -> str:
        parts = []
        if self.department_groups:
            names = []
            for group in self.department_groups:
                depts = {vocab.documents[d].department or vocab.documents[d].file_name for d in group if d in vocab.documents}
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
        parts.append("运算=" + OPERATION_NAMES[self.operation])
        if self.inherited:
            parts.append("沿用上一问的" + "、".join(self.inherited))
        return "；".join(parts)


OPERATION_NAMES = {
    "lookup": "查数", "change": "增减额", "growth_rate": "增长率", "share": "占比", "sum": "合计",
    "ratio": "倍数", "compare": "比较", "prose": "文字检索",
}
