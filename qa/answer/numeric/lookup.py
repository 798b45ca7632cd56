"""查数: the figure itself, per department and item, with its table and the sources that agree.

    外办三公经费是多少 → 北京市西城区人民政府外事办公室2020年“三公经费”为2,217.48元（表9《2020年一般公共
    预算三公经费支出情况表》第18页“总计”行“2020年预算数”列）。正文说明中同为2,217.48元（第3页）。

A year only a column or a stated 上年 figure has is read there; failing that, it is derived from the
change the narrative states (formula shown). Two named tables are compared (表2和表3的…一致吗).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from index.core.terms import clean_name
from index.core.text import compact
from index.core.units import CENT, WAN, YI, YUAN, agrees, from_yuan, show, to_yuan
from qa.answer.numeric.base import Asked, OperationAnswerer, Unanswerable, register
from qa.contract import Answer
from qa.figures.calculate import plain
from qa.figures.figure import Figure
from qa.figures.locate import Located
from qa.figures.years import Derivation
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.operations import LOOKUP
from qa.understand.scope import Disclosure

# Several items asked at once are joined so (外办住房公积金和购房补贴各是多少); otherwise they name one thing.
EACH = re.compile(r"分别|各")
JOINED = re.compile(rf"[和与及、]|以及|{EACH.pattern}")


def _joined(parsed: ParsedQuestion) -> bool:
    """The items are listed (A和B, A、B): a joining word between them, not in a name before them (深圳市住房和建设局)."""
    if len(parsed.items) < 2:
        return False
    if len({i.pos for i in parsed.items}) < len(parsed.items):
        return True  # 每个季度用款计划: one word read as several items (each quarter's)
    q = compact(parsed.text)
    start = min(i.pos for i in parsed.items)
    end = max(i.pos + len(i.text) for i in parsed.items)
    return bool(JOINED.search(q[start:end]) or EACH.search(q[end:]))


@register
class LookupAnswerer(OperationAnswerer):
    operation = LOOKUP

    def answer(self, asked: Asked) -> Answer:
        parsed, selection = asked.parsed, asked.selection
        if len(parsed.tables) >= 2:
            return self._tables_agree(asked)
        joined = _joined(parsed)
        if len(parsed.items) == 2 and not joined:
            path = self._classified(parsed.items, selection.disclosures) or self._part(parsed.items, selection.disclosures)
            if path is not None:
                parsed.items = [path]  # 污染防治（款）水体（项）: the 项 under that 款, one row
        if len(parsed.items) >= 2 and not joined:
            names = "、".join(i.text for i in parsed.items)
            raise Unanswerable(f"问题中的“{names}”指的是同一项还是几项不明确，未给出数字；请只写一个项目，或用“和”列出几项。")
        lines, cites, notices, misses = [], [], [], []
        headline: Figure | None = None
        items: list[ItemRef | None] = [*parsed.items] or [None]
        for d in selection.disclosures:
            for item in items:
                query = asked.query.but(item=item)
                try:
                    located = self.find(d, query)
                except Unanswerable as exc:
                    derived = self.years.derive_previous(d, query) if selection.column_year else None
                    if derived is not None and len(selection.disclosures) == 1 and len(parsed.items) <= 1:
                        return _derived(asked, d, derived)
                    misses.append(str(exc))
                    continue
                lines.append(self._sentence(d, located, asked))
                asked.worked.used.append(located)
                cites += located.citations
                notices += located.notices
                headline = headline or located.primary
        if headline is None:
            raise Unanswerable(misses[0] if misses else "未找到相关数字。")
        found = sorted({loc.disclosure.department for loc in asked.worked.used if loc.disclosure is not None})
        if selection.pick_one and len(found) > 1:
            # Several publishers fit the name and more than one states the figure: which one is a guess.
            selection.suggestions = found
            raise Unanswerable(f"“{'、'.join(parsed.department_names) or '问题'}”对应多个部门，{'、'.join(found)}都有这个数字，"
                               "请指明是哪一个。")
        value, unit = headline.value, headline.unit
        if unit == "" and parsed.count_units:
            unit = parsed.count_units[0]  # "实有公务用车数量为1": the count the question asked for
        if parsed.wants_wan and unit == YUAN:
            value, unit = from_yuan(value, WAN).normalize(), WAN
        text = "\n".join(lines)
        if len(lines) > 1 and not parsed.department_groups and len(found) > 1:
            text = "问题未指明部门，按已导入的各部门分别列出：\n" + text
        return Answer(question=asked.text, status="answered", answer=text, value=plain(value), unit=unit,
                      method="lookup", citations=cites, notices=notices)

    def _classified(self, items: list[ItemRef], disclosures: list[Disclosure]) -> ItemRef | None:
        """Two names written as a 科目 path (款 then 项: "强制隔离戒毒（款）行政运行（项）", "宣传事务一般行政管理
        事务"): the code of the one row named by the second under the first, when every scoped document agrees."""
        outer, inner = sorted(items, key=lambda i: i.pos)
        by_kind = {i.kind: i for i in items}
        if set(by_kind) == {"code", "row"}:
            # "行政运行（2010301）", "2010301行政运行": a row's name and its code, one row when a row has both.
            by_code, by_name = by_kind["code"], by_kind["row"]
            one_row = any(cells and cells[0].code == by_code.name and clean_name(cells[0].name) == by_name.name
                          for doc_id in (d for disclosure in disclosures for d in disclosure.doc_ids)
                          for rows in self.facts.doc(doc_id).rows.values() for cells in rows.values())
            return ItemRef(kind="code", name=by_code.name, text=f"{outer.text}{inner.text}", pos=outer.pos) \
                if one_row else None
        codes: set[str] = set()
        for doc_id in (d for disclosure in disclosures for d in disclosure.doc_ids):
            for rows in self.facts.doc(doc_id).rows.values():
                named = {cells[0].code: clean_name(cells[0].name) for cells in rows.values() if cells and cells[0].code}
                for code, name in named.items():
                    parent = code[:-2] if len(code) in (5, 7) else None
                    if name == inner.name and parent is not None and named.get(parent) == outer.name:
                        codes.add(code)
        if len(codes) != 1:
            return None
        code = codes.pop()
        return ItemRef(kind="code", name=code, text=f"{outer.text}{inner.text}", pos=outer.pos)

    def _part(self, items: list[ItemRef], disclosures: list[Disclosure]) -> ItemRef | None:
        """Two rows written together, one printed as a part of the other (市级支出当年预算: the form prints 市级支出
        beside 当年预算, as its part): the part, when every scoped document that prints both agrees."""
        if any(i.kind != "row" for i in items):
            return None
        names = {i.name: i for i in items}
        parts: set[str] = set()
        for doc_id in (d for disclosure in disclosures for d in disclosure.doc_ids):
            facts = self.facts.doc(doc_id)
            for t, parents in facts.parents.items():
                rows = facts.rows.get(t, {})
                for child, parent in parents.items():
                    pair = [clean_name(rows[r][0].name) if rows.get(r) else None for r in (child, parent)]
                    if set(pair) == set(names) and pair[0] != pair[1]:
                        parts.add(pair[0] or "")
        if len(parts) != 1:
            return None
        part = names[parts.pop()]
        outer = min(items, key=lambda i: i.pos)
        return ItemRef(kind="row", name=part.name, text="".join(i.text for i in sorted(items, key=lambda i: i.pos)),
                       pos=outer.pos)

    def _sentence(self, d: Disclosure, located: Located, asked: Asked) -> str:
        p = located.primary
        year = asked.selection.column_year
        year_note = f"（{year}年数，见{d.year}年公开材料）" if year else ""
        line = f"{d.label}“{located.item_label}”{year_note}为{amount_text(p, asked.parsed)}"
        if p.source == "narrative":
            return line + f"，见第{p.page}页：“{p.quote}”"
        line += f"（{p.place()}）。"
        if p.parts:
            line += f"该数为{len(p.parts)}行明细相加。"
        stated = [f for f in located.supporting if f.source == "narrative"]
        if stated:
            line += f"正文说明中同为{show(stated[0].value, stated[0].unit)}（第{stated[0].page}页）。"
        return line

    def _tables_agree(self, asked: Asked) -> Answer:
        """表2和表3的行政运行一致吗: the item in each named table, and whether they agree."""
        parsed = asked.parsed
        d = asked.selection.disclosures[0]
        item = parsed.items[0] if parsed.items else None
        found = [(ref, self.find(d, asked.query.but(item=item, tables=(ref,)))) for ref in parsed.tables]
        figures = [loc.primary for _, loc in found]
        asked.worked.used += [loc for _, loc in found]
        same = all(agrees(f.value, f.unit, figures[0].value, figures[0].unit) for f in figures)
        lines = [f"{ref}：{show(loc.primary.value, loc.primary.unit)}（{loc.primary.place()}）" for ref, loc in found]
        verdict = "一致" if same else "不一致（原文本身的数字不一致，请以原文核对）"
        label = found[0][1].item_label
        text = f"{d.label}“{label}”在{'与'.join(parsed.tables)}中{verdict}：\n" + "\n".join(lines)
        return Answer(question=asked.text, status="answered", answer=text, value=plain(figures[0].value) if same else None,
                      unit=figures[0].unit if same else None, method="lookup",
                      citations=[loc.primary.citation() for _, loc in found])


def amount_text(figure: Figure, parsed: ParsedQuestion) -> str:
    """The figure as written in the answer; in the unit the user asked as well (万元 of a 元 table, 元 of a 万元 one)."""
    if parsed.wants_wan and figure.unit == YUAN:
        wan = from_yuan(figure.value, WAN).quantize(CENT, ROUND_HALF_UP)
        return f"{show(wan, WAN)}（{show(figure.value, YUAN)}）"
    if parsed.wants_yuan and figure.unit in (WAN, YI):
        yuan = to_yuan(figure.value, figure.unit)
        yuan = yuan.quantize(Decimal(1)) if yuan == yuan.to_integral_value() else yuan.normalize()
        return f"{show(figure.value, figure.unit)}（{show(yuan, YUAN)}）"
    return show(figure.value, figure.unit)


def _derived(asked: Asked, d: Disclosure, derived: Derivation) -> Answer:
    """An earlier year's figure the document does not print, worked out from a stated change."""
    cur, stated = derived.current, derived.stated
    asked.worked.used.append(Located(derived.label, cur, disclosure=d))
    asked.worked.stated.append(stated)
    subject = d.label[:-5] if d.label.endswith(f"{d.year}年") else d.label
    text = (f"{subject}{asked.query.year}年“{derived.label}”约为{show(derived.value, derived.unit)}"
            f"（文档未直接列出，按{d.year}年公开材料推算）。\n计算：{derived.formula}\n"
            f"数据来源：{cur.place()}；正文第{stated.page}页：“{stated.quote}”")
    return Answer(question=asked.text, status="answered", answer=text, value=plain(derived.value), unit=derived.unit,
                  method="calculation", citations=[cur.citation(), stated.citation()], formula=derived.formula)
