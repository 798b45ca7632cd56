"""Narrative lines about one 功能分类科目, as Shanghai budgets write them, held to the tables.

"6、公共安全支出（204类）司法（06款）其他司法支出（99项）3845.49万元。" names code 2040699; other
layouts give only names: "“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元" or
"“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元", resolved through the
tables' names. The figure must equal the row's total, the names must be the row's names, and the
follow-up "2025年当年预算执行数为A万元，2026年预算安排B万元，比…增加R%" must repeat the figure as B.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.core.numbers import try_parse_number
from index.core.text import compact
from qa.audit.model import UNIT_SCALE, Figure, Finding, Location, TableView, differs, show
from qa.audit.rules.arithmetic import rate_finding
from qa.audit.rules.cross import measure_values, scope_of

NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
BY_CODE = re.compile(
    rf"(?P<lei>[\u4e00-\u9fff]+)[（(](?P<c1>\d{{3}})类[)）](?P<kuan>[^，。；]+?)[（(](?P<c2>\d{{2}})款[)）]"
    rf"(?P<xiang>[^，。；]+?)[（(](?P<c3>\d{{2}})项[)）](?P<num>{NUM})\s*(?P<unit>万元|元)"
)
BY_LEVEL_WORDS = re.compile(
    rf"[“\"](?P<lei>[^“”\"]+?)[（(]类[)）](?P<kuan>[^“”\"]+?)[（(]款[)）](?P<xiang>[^“”\"]+?)[（(]项[)）][”\"]"
    rf"(?:科目)?(?P<num>{NUM})\s*(?P<unit>万元|元)"
)
BY_DASHES = re.compile(
    rf"[“\"](?P<lei>[^“”\"\-]+)-(?P<kuan>[^“”\"\-]+)-(?P<xiang>[^“”\"]+)[”\"](?:科目)?(?P<num>{NUM})\s*(?P<unit>万元|元)"
)


@dataclass
class Item:
    code: str
    name: str
    figure: Figure
    findings: list[Finding] = field(default_factory=list)


def key(name: str) -> str:
    return compact(name).replace("(", "（").replace(")", "）")


def function_names(views: list[TableView]) -> dict[str, str]:
    names: dict[str, str] = {}
    for view in views:
        for rv in view.rows:
            if rv.code and rv.code.startswith("2") and rv.name:
                names.setdefault(rv.code, rv.name)
    return names


def item_in_sentence(st, views: list[TableView], names: dict[str, str]) -> Item | None:
    """The 科目 line in this sentence, checked against the tables (``names``: code → 科目名称)."""
    m = BY_CODE.search(st.sentence) or BY_LEVEL_WORDS.search(st.sentence) or BY_DASHES.search(st.sentence)
    if not m or not names:
        return None
    stated = [m.group("lei"), m.group("kuan"), m.group("xiang")]
    parsed = try_parse_number(m.group("num"))
    if parsed is None or parsed.value is None:
        return None
    loc = Location(document=st.record.file_name, page=st.page, table="正文", row=st.sentence, column=stated[-1])
    figure = Figure(parsed.value, m.group("unit"), m.group("num"), loc)
    misplaced = False
    if "c1" in m.groupdict():
        code = m.group("c1") + m.group("c2") + m.group("c3")
    else:
        code = resolve(stated, names)
        if code is None:
            code, misplaced = misplaced_item(stated, names, figure, views), True
            if code is None:
                return None
    item = Item(code, key(stated[-1]), figure)
    item.findings += compare_with_tables(st, item, views)
    if "c1" in m.groupdict():
        item.findings += compare_names(st, item, stated, names)
    elif misplaced:
        path = "／".join(names.get(code[:n], "") for n in (3, 5, 7) if n <= len(code))
        item.findings.append(Finding(
            kind="narrative_name", severity="warning", doc_id=st.record.doc_id,
            message=f"正文科目「{'／'.join(stated)}」与表中不符：表中「{stated[-1]}」是 {code}「{path}」",
            figures=[code, str(figure.value)], locations=[loc],
        ))
    return item


def resolve(stated: list[str], names: dict[str, str]) -> str | None:
    lei, kuan, xiang = (key(s) for s in stated)
    found = [c for c, n in names.items() if len(c) == 7 and key(n) == xiang and key(names.get(c[:5], "")) == kuan
             and key(names.get(c[:3], "")) == lei]
    return found[0] if len(found) == 1 else None


def misplaced_item(stated: list[str], names: dict[str, str], figure: Figure, views: list[TableView]) -> str | None:
    """The one row of the stated 类 named like the stated 项 at another level, and printing the same amount."""
    lei, xiang = key(stated[0]), key(stated[-1])
    found = [c for c, n in names.items() if key(n) == xiang and key(names.get(c[:3], "")) == lei]
    if len(found) != 1:
        return None
    same = any(not differs(figure.yuan, f.yuan, 2 * figure.slack + f.slack) for f in table_figures(found[0], views))
    return found[0] if same else None


def table_figures(code: str, views: list[TableView]) -> list[Figure]:
    ordered = sorted(views, key=lambda v: scope_of(v) != "一般公共预算")  # the narrative speaks of 一般公共预算
    return [fig for v in ordered if scope_of(v) and (fig := measure_values(v).get((code, "total"))) is not None]


def compare_with_tables(st, item: Item, views: list[TableView]) -> list[Finding]:
    figures = table_figures(item.code, views)
    said = item.figure
    if not figures or any(not differs(said.yuan, f.yuan, 2 * said.slack + f.slack) for f in figures):
        return []
    table = figures[0]
    return [Finding(
        kind="narrative_table", severity="error", doc_id=st.record.doc_id,
        message=(f"正文「{item.name}」({item.code}) {said.shown()} ≠ {table.location.table} {table.location.column} "
                 f"{table.shown()}"),
        figures=[str(said.value), str(table.value)], locations=[said.location, table.location],
    )]


def compare_names(st, item: Item, stated: list[str], names: dict[str, str]) -> list[Finding]:
    findings = []
    for name, code in zip(stated, (item.code[:3], item.code[:5], item.code)):
        printed = names.get(code)
        if printed and key(printed) != key(name):
            findings.append(Finding(
                kind="narrative_name", severity="warning", doc_id=st.record.doc_id,
                message=f"正文科目名称「{name}」({code}) 与表中「{printed}」不一致",
                figures=[code], locations=[item.figure.location],
            ))
    return findings


def check_item_sentence(st, item: Item | None, views: list[TableView]) -> tuple[list[Finding], bool]:
    """The sentence after an item line repeats its figure as 本年预算安排; returns (findings, rate explained)."""
    if item is None or st.current is None or st.previous is None:
        return [], False
    said = st.current
    if not differs(said.yuan, item.figure.yuan, 2 * said.slack + 2 * item.figure.slack):
        return [], False
    note = ""
    explained = False
    if st.rate is not None and rate_finding(st, said, st.previous, st.rate) is not None:
        if rate_finding(st, item.figure, st.previous, st.rate) is None:
            note = f"；文中增长率 {abs(st.rate.value)}% 与 {item.figure.shown()} 相符"
            explained = True
    diff = show((said.yuan - item.figure.yuan) / UNIT_SCALE[said.unit or "元"], said.unit, 2)
    finding = Finding(
        kind="narrative_consistency", severity="error", doc_id=st.record.doc_id,
        message=f"「{item.name}」({item.code}) 正文先写 {item.figure.shown()}，随后写本年预算安排 {said.shown()}（差 {diff}）{note}",
        figures=[str(item.figure.value), str(said.value)], locations=[item.figure.location, said.location],
    )
    return [finding], explained
