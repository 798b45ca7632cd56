"""Narrative lines about one 功能分类科目, and the sentence after each that continues it.

"6、公共安全支出（204类）司法（06款）其他司法支出（99项）3845.49万元。" names code 2040699; other
layouts give only names: "“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元" or
"“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元", resolved through the
tables' names. The sentence after such a line ("2025年当年预算执行数为A万元，2026年预算安排B万元，
比…增加R%") speaks of that 科目: ``narrative_reading`` pairs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.core.numbers import try_parse_number
from index.core.text import compact
from index.core.units import Amount
from qa.audit.model import Disclosure, Figure, Location, TableView, differs
from qa.audit.reading.arithmetic import rate_fits
from qa.audit.reading.measures import measure_values, scope_of
from qa.audit.reading.statements import Statement, statements

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
    """A 科目 line: the code it resolves to, the names it prints (类, 款, 项) and its figure."""

    code: str
    name: str
    figure: Figure
    stated: list[str] = field(default_factory=list)
    by_code: bool = False  # printed with its codes ("（204类）…（06款）…（99项）")
    misplaced: bool = False  # resolved to a row named like its 项 at another level of the stated 类


@dataclass
class Sentence:
    """One narrative statement, with the 科目 line it prints or the one it continues."""

    statement: Statement
    item: Item | None = None  # the 科目 line this sentence is
    after: Item | None = None  # the 科目 line of the sentence before, which this one continues

    @property
    def restates(self) -> bool:
        """It gives the 科目's 本年预算 again, as a different figure (allowing a unit of either's last decimal)."""
        st, item = self.statement, self.after
        if item is None or st.current is None or st.previous is None:
            return False
        return differs(st.current.yuan, item.figure.yuan, 2 * st.current.slack + 2 * item.figure.slack)

    @property
    def rate_explained(self) -> bool:
        """Its growth rate fits the 科目 line's figure and not its own restatement: the restatement is the error."""
        st, item = self.statement, self.after
        if not self.restates or item is None or st.rate is None or st.current is None or st.previous is None:
            return False
        return not rate_fits(st.current, st.previous, st.rate) and rate_fits(item.figure, st.previous, st.rate)


def narrative_reading(disclosure: Disclosure) -> list[Sentence]:
    """The narrative's statements, each with its 科目 line (shared by the narrative rules)."""
    by_id = {r.doc_id: r for r in disclosure.records}
    names = function_names(disclosure.views)
    out = []
    item = None
    for st in statements(disclosure.facts, by_id):
        found = item_in_sentence(st, disclosure.views, names)
        if found is not None:
            out.append(Sentence(st, item=found))
            item = found
            continue
        if item is not None and st.previous is not None:
            st.measure = item.name  # "2025年当年预算执行数为…" speaks of the item named just before
        out.append(Sentence(st, after=item))
        item = None
    return out


def key(name: str) -> str:
    return compact(name).replace("(", "（").replace(")", "）")


def function_names(views: list[TableView]) -> dict[str, str]:
    names: dict[str, str] = {}
    for view in views:
        for rv in view.rows:
            if rv.code and rv.code.startswith("2") and rv.name:
                names.setdefault(rv.code, rv.name)
    return names


def item_in_sentence(st: Statement, views: list[TableView], names: dict[str, str]) -> Item | None:
    """The 科目 line in this sentence, resolved to a code of the tables (``names``: code → 科目名称)."""
    m = BY_CODE.search(st.sentence) or BY_LEVEL_WORDS.search(st.sentence) or BY_DASHES.search(st.sentence)
    if not m or not names:
        return None
    stated = [m.group("lei"), m.group("kuan"), m.group("xiang")]
    parsed = try_parse_number(m.group("num"))
    if parsed is None or parsed.value is None:
        return None
    loc = Location(document=st.record.file_name, page=st.page, table="正文", row=st.sentence, column=stated[-1],
                   value=m.group("num") + (m.group("unit") or ""))
    figure = Figure(Amount(parsed.value, m.group("unit"), m.group("num")), loc)
    by_code = "c1" in m.groupdict()
    misplaced = False
    if by_code:
        code = m.group("c1") + m.group("c2") + m.group("c3")
    else:
        resolved = resolve(stated, names)
        if resolved is None:
            resolved, misplaced = misplaced_item(stated, names, figure, views), True
            if resolved is None:
                return None
        code = resolved
    return Item(code, key(stated[-1]), figure, stated, by_code, misplaced)


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
    """The code's total in every table that has a scope, 一般公共预算 tables first (the narrative speaks of them)."""
    ordered = sorted(views, key=lambda v: scope_of(v) != "一般公共预算")
    return [fig for v in ordered if scope_of(v) and (fig := measure_values(v).get((code, "total"))) is not None]
