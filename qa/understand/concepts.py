"""Narrative measures: budget concepts that disclosures state in prose and in dedicated tables.

Rows, codes and columns come from the indexed facts (``qa.understand.vocabulary``). These few measures are
different: they have a standard meaning across disclosures (三公经费, 机关运行经费, 编制人数 …), several
names, and a preferred source table when one exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.core.units import MONEY

AMOUNT_UNITS: tuple[str, ...] = tuple(MONEY)  # 元, 万元, 亿元


@dataclass(frozen=True)
class Concept:
    name: str
    synonyms: tuple[str, ...]
    # Preferred tables, best first: (regex on the compacted table title, regex on a row name or column
    # path inside it; None = the table's total).
    tables: tuple[tuple[str, str | None], ...] = ()
    narrative: str | None = None  # regex on a narrative fact's measure + sentence
    units: tuple[str, ...] = AMOUNT_UNITS


CONCEPTS: tuple[Concept, ...] = (
    # 收支预算 (烟台: "2026年收支预算7,370.46万元，比上年减少…") is the balanced total: 收入总计 = 支出总计.
    Concept("收入预算", ("收入预算", "预算收入", "收入总计", "收入合计", "本年收入", "总收入", "部门收入", "收入总额", "收入",
                     "收支预算", "收支总预算", "收支总计"),
            ((r"收入(预算)?总表|收入总体", None), (r"收支", r"^收入总计$|^收入合计$"), (r"收支", r"^本年收入合计$")),
            r"收入预算|^收入$|^预算收入$|收支(总)?预算|^收入总计$"),
    Concept("支出预算", ("支出预算", "预算支出", "支出总计", "支出合计", "本年支出", "总支出", "部门支出", "支出总额", "支出"),
            ((r"支出(预算)?总表|支出总体", None), (r"收支", r"^支出总计$|^支出合计$"), (r"收支", r"^本年支出合计$")),
            r"^支出预算|[，。；]支出预算|年支出预算|^支出$|^预算支出$|^支出总计$"),
    # The 一般公共预算 part of what is spent from 财政拨款: the total of its own table (一般公共预算支出情况表,
    # not the 基本支出 one), as the narrative says it ("一般公共预算财政拨款支出9,399.23万元").
    Concept("一般公共预算财政拨款支出", ("一般公共预算财政拨款支出", "一般公共预算拨款支出", "一般公共预算支出"),
            ((r"^(?!.*基本支出)(?!.*项目支出).*一般公共预算(财政拨款)?支出", None),),
            r"一般公共预算(财政)?拨款支出(?!.*(基本|项目)支出)"),
    Concept("三公经费", ("三公经费预算", "三公经费", "三公"), ((r"三公", r"三公.*(合计|总额|总计)|^[“\"]?三公[”\"]?经费(支出|预算)?$|^合计$|^总计$"),), r"三公"),
    Concept("因公出国（境）费", ("因公出国（境）费用", "因公出国（境）费", "因公出国(境)费", "因公出国境费", "因公出国费", "出国（境）费", "出国费"),
            ((r"三公", r"因公出国"),), r"因公出国"),
    Concept("公务接待费", ("公务接待费", "接待费"), ((r"三公", r"公务接待"),), r"公务接待"),
    # Printed with 及 or 和 (北京: "公务用车购置和运行维护费").
    Concept("公务用车购置及运行维护费", ("公务用车购置及运行维护费", "公务用车购置和运行维护费", "公务用车购置及运行费",
                                "公务用车购置和运行费", "车辆购置及运行费", "公务用车费", "公车费用"),
            ((r"三公", r"公务用车购置[及和]运行(维护)?费(/小计)?$"),), r"公务用车购置[及和]运行"),
    Concept("公务用车购置费", ("公务用车购置费", "购车费"), ((r"三公", r"公务用车购置费$"),), r"公务用车购置费"),
    Concept("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "公车运行费"), ((r"三公", r"(?<!购置及)(?<!购置和)运行(维护)?费$"),), r"公务用车运行"),
    Concept("机关运行经费", ("机关运行经费", "行政运行经费", "机构运行经费", "运行经费"), ((r"机关运行经费", r"机关运行经费"),), r"运行经费"),
    Concept("政府采购预算", ("政府采购预算", "政府采购", "采购预算"), ((r"政府采购", None),), r"采购"),
    Concept("政府购买服务", ("政府购买服务预算", "政府购买服务"), ((r"购买服务", None),), r"购买服务"),
    Concept("固定资产", ("固定资产总额", "固定资产原值", "固定资产", "资产总额"), (), r"固定资产"),
    Concept("编制人数", ("编制人数", "编制数", "行政编制", "事业编制", "编制"), (), r"编制", ("人",)),
    Concept("实有人数", ("实有人数", "实际人数", "在职人数", "实有人员", "实有", "实际有"), (), r"实际|实有", ("人",)),
    Concept("离退休人数", ("离退休人员", "离退休人数"), (), r"离退休人员", ("人",)),
    Concept("绩效得分", ("绩效评价得分", "绩效自评得分", "绩效得分", "自评得分", "评价得分", "综合得分", "绩效评分"),
            (), r"得分", ("分",)),
    Concept("车辆数", ("车辆数", "公务用车数量", "实有公务用车", "公务用车数", "车辆", "辆车", "台车", "公车"), (), r"车辆|用车", ("辆", "台")),
    Concept("内设机构数", ("内设机构", "内设科室"), (), r"内设", ("个",)),
)

BY_NAME = {c.name: c for c in CONCEPTS}
# Bare synonyms that are another word when followed by these: 纳入决算编制范围的单位 is no head count.
NOT_BEFORE: dict[str, re.Pattern[str]] = {"编制": re.compile(r"范围|口径|单位|部门|说明|依据")}

# Question words that ask for a count of people / units / points rather than money.
COUNT_UNIT: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"多少人|几人|几个人|人数|多少[\u4e00-\u9fff]{0,6}人员"), ("人",)),
    (re.compile(r"几个|多少个|几家|多少家|个数|数量"), ("个", "家", "项", "人")),
    (re.compile(r"几辆|多少辆|几台|多少台"), ("辆", "台")),
    (re.compile(r"多少分|几分|得分|评分"), ("分",)),
    (re.compile(r"多少次|几次"), ("次", "人次")),
    (re.compile(r"多少册|几册|多少本|几本"), ("册", "本")),
    (re.compile(r"多少所|几所"), ("所",)),  # 下属有几所监狱
    (re.compile(r"多少场|几场"), ("场",)),  # 召开新闻发布会活动至少多少场
)


def synonym_table() -> list[tuple[str, Concept]]:
    return [(s, c) for c in CONCEPTS for s in c.synonyms]


def requested_units(question: str) -> tuple[str, ...] | None:
    """The units a count question accepts, the one it says first (几家 → 家, then 个 …)."""
    said = re.search(r"(?:多少|几)(个|家|项|人|辆|台|次|册|本|所|场)", question)
    for pattern, units in COUNT_UNIT:
        if pattern.search(question):
            if said and said.group(1) in units:
                units = (said.group(1),) + tuple(u for u in units if u != said.group(1))
            return units
    return None
