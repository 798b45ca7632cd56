"""Numeric answers: a figure looked up, or computed from looked-up figures, with sources and formula."""

from __future__ import annotations

import re
from decimal import Decimal

from index.core.text import compact
from qa.contract import Answer
from qa.figures.calculate import (
    Calculation,
    CalculationError,
    agrees,
    convert,
    difference,
    growth_rate,
    plain,
    rate_agrees,
    ratio,
    share,
    show,
    total,
)
from qa.figures.fact_index import FactIndex
from qa.figures.figure import Figure
from qa.figures.locate import Located, amount_text, confusion_hint, item_label, locate
from qa.figures.years import YearOverYear
from qa.understand.parse import ItemRef, ParsedQuestion
from qa.understand.scope import Disclosure, Selection
from qa.understand.vocabulary import Vocabulary

DOWNWARD = re.compile(r"下降|减少|降幅|少了|少多少|压减|降低")
MAGNITUDE = re.compile(r"相差|差多少|差额|差了|差距")
WHOLE_BUDGET = re.compile(r"占(本年)?(部门预算|总预算|预算总额|部门总预算|全部预算)")


class Refusal(Exception):
    """No figure in the documents answers this; the message says what was searched."""


def searched(disclosures: list[Disclosure]) -> str:
    files = sorted({f for d in disclosures for f in d.file_names})
    return "已检索：" + "、".join(files) + "（表格与正文说明）。"


class NumericAnswerer:
    def __init__(self, vocab: Vocabulary, facts: FactIndex):
        self.vocab = vocab
        self.facts = facts
        self.years = YearOverYear(facts)

    def answer(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        handler = {
            "lookup": self._lookup, "change": self._change, "growth_rate": self._change, "share": self._share,
            "sum": self._sum, "ratio": self._ratio, "compare": self._compare,
        }[parsed.operation]
        try:
            answer = handler(parsed, selection)
        except Refusal as exc:
            return Answer(question=parsed.text, status="refused", answer=str(exc), method="lookup", notices=selection.notices)
        except CalculationError as exc:
            return Answer(question=parsed.text, status="refused", answer=f"无法计算：{exc}。", method="calculation")
        answer.notices = selection.notices + answer.notices
        hints = [h for h in (confusion_hint(i, self.vocab) for i in parsed.items) if h]
        if hints:
            answer.answer += "" if answer.answer.endswith(("。", "\n")) else "。"
            answer.answer += "".join(hints)
        extra = [n for n in answer.notices if n not in answer.answer]
        if extra:
            answer.answer += "\n" + "\n".join(extra)
        return answer

    # --- finding figures -------------------------------------------------------------------

    def _find(self, d: Disclosure, item: ItemRef | None, parsed: ParsedQuestion, selection: Selection,
              column_year: int | None | str = "asked", column: str | None = "__parsed__") -> Located:
        """The item's figure, or a Refusal. ``column_year="asked"`` uses the year the question asked for."""
        year = selection.column_year if column_year == "asked" else column_year
        located = locate(self.facts, d, item, parsed, year, column=column)
        if located.primary is None:
            what = f"{year}年的" if year and year != d.year else ""
            where = "、".join(parsed.tables) + "中" if parsed.tables else ""
            raise Refusal(f"未找到{d.label}{where}{what}“{located.item_label}”的数据，文档中没有披露该数字。{searched([d])}")
        return located

    def _operands(self, parsed: ParsedQuestion, selection: Selection) -> list[tuple[str, Located]]:
        """What a calculation combines: departments, else items, else columns, in the order asked."""
        items = sorted(parsed.items, key=lambda i: i.pos) or [None]
        if len(selection.disclosures) >= 2:
            return [(d.label + item_label(items[0], parsed.column), self._find(d, items[0], parsed, selection))
                    for d in selection.disclosures]
        d = selection.disclosures[0]
        if len(items) >= 2:
            found = [self._find(d, i, parsed, selection) for i in items]
            return [(loc.item_label, loc) for loc in found]
        if len(parsed.columns) >= 2:
            return [(item_label(items[0], col), self._find(d, items[0], parsed, selection, column=col))
                    for col, _ in sorted(parsed.columns, key=lambda c: c[1])]
        located = self._find(d, items[0], parsed, selection)
        return [(located.item_label, located)]

    # --- lookup ------------------------------------------------------------------------------

    def _lookup(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        if len(parsed.tables) >= 2:
            return self._tables_agree(parsed, selection)
        lines, cites, notices, headline, misses = [], [], [], None, []
        for d in selection.disclosures:
            for item in parsed.items or [None]:
                try:
                    located = self._find(d, item, parsed, selection)
                except Refusal as exc:
                    derived = self.years.derive_previous(d, item, parsed, selection) if selection.column_year else None
                    if derived is not None and len(selection.disclosures) == 1 and len(parsed.items) <= 1:
                        return derived
                    misses.append(str(exc))
                    continue
                lines.append(self._sentence(d, located, parsed, selection))
                cites += located.citations
                notices += located.notices
                headline = headline or located.primary
        if headline is None:
            raise Refusal(misses[0] if misses else "未找到相关数字。")
        value, unit = headline.value, headline.unit
        if unit == "" and parsed.count_units:
            unit = parsed.count_units[0]  # "实有公务用车数量为1": the count the question asked for
        if parsed.wants_wan and unit == "元":
            value, unit = (value / 10000).normalize(), "万元"
        text = "\n".join(lines)
        if len(lines) > 1 and not parsed.department_groups and len(selection.disclosures) > 1:
            text = "问题未指明部门，按已导入的各部门分别列出：\n" + text
        return Answer(question=parsed.text, status="answered", answer=text, value=plain(value), unit=unit,
                      method="lookup", citations=cites, notices=notices)

    def _sentence(self, d: Disclosure, located: Located, parsed: ParsedQuestion, selection: Selection) -> str:
        p = located.primary
        year_note = f"（{selection.column_year}年数，见{d.year}年公开材料）" if selection.column_year else ""
        line = f"{d.label}“{located.item_label}”{year_note}为{amount_text(p, parsed.wants_wan)}"
        if p.source == "narrative":
            return line + f"，见第{p.page}页：“{p.quote}”"
        line += f"（{p.place()}）。"
        if p.parts:
            line += f"该数为{len(p.parts)}行明细相加。"
        stated = [f for f in located.supporting if f.source == "narrative"]
        if stated:
            line += f"正文说明中同为{show(stated[0].value, stated[0].unit)}（第{stated[0].page}页）。"
        return line

    def _tables_agree(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        """表2和表3的行政运行一致吗: the item in each named table, and whether they agree."""
        d = selection.disclosures[0]
        item = parsed.items[0] if parsed.items else None
        found = []
        for ref in parsed.tables:
            one = parsed.model_copy(update={"tables": [ref]})
            found.append((ref, self._find(d, item, one, selection)))
        figures = [loc.primary for _, loc in found]
        same = all(agrees(f.value, f.unit, figures[0].value, figures[0].unit) for f in figures)
        lines = [f"{ref}：{show(loc.primary.value, loc.primary.unit)}（{loc.primary.place()}）" for ref, loc in found]
        verdict = "一致" if same else "不一致（原文本身的数字不一致，请以原文核对）"
        label = found[0][1].item_label
        text = f"{d.label}“{label}”在{'与'.join(parsed.tables)}中{verdict}：\n" + "\n".join(lines)
        return Answer(question=parsed.text, status="answered", answer=text, value=plain(figures[0].value) if same else None,
                      unit=figures[0].unit if same else None, method="lookup",
                      citations=[loc.primary.citation() for _, loc in found])

    # --- calculations ------------------------------------------------------------------------

    def _change(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        rate = parsed.operation == "growth_rate"
        several = len(selection.disclosures) >= 2 or len(parsed.items) >= 2 or len(parsed.columns) >= 2
        operands = self._operands(parsed, selection) if several or selection.column_year is None else []
        if len(operands) >= 2:
            (la, a), (lb, b) = operands[:2]
            calc = (growth_rate if rate else difference)(a.primary, b.primary, la, lb)
            return self._calculated(parsed, calc, f"{la}比{lb}", a, b)
        d = selection.disclosures[0]
        current = operands[0][1] if operands else self._find(d, _first(parsed), parsed, selection, column_year=None)
        if selection.column_year is not None:
            prev_year = selection.column_year  # 比2019年: the asked year is the base year
        else:
            prev_year = min(parsed.years) if len(parsed.years) >= 2 else (d.year - 1 if d.year else None)
        previous = self.years.previous(d, _first(parsed), parsed, selection, prev_year)
        stated = self.years.stated_change(current, rate)
        label = current.item_label
        if previous is None:
            if stated is None:
                raise Refusal(f"未找到{d.department}{prev_year}年“{label}”的数字，无法计算增减。{searched([d])}")
            text = (f"{d.label}“{label}”为{show(current.primary.value, current.primary.unit)}；"
                    f"正文第{stated.page}页载明：“{stated.quote}”")
            value = self._signed(parsed, stated.value)
            return Answer(question=parsed.text, status="answered", answer=text, value=plain(value), unit=stated.unit,
                          method="lookup", citations=[stated.citation(), current.primary.citation()])
        fn = growth_rate if rate else difference
        calc = fn(current.primary, previous.primary, f"{d.year}年{label}", f"{prev_year}年{label}")
        answer = self._calculated(parsed, calc, f"{d.label}“{label}”比{prev_year}年", current, previous)
        if stated is not None:
            # The document states the change itself: its sentence is the first source, the tables corroborate.
            ok = rate_agrees(calc.value, stated.value) if rate else agrees(stated.value, stated.unit, calc.value, calc.unit)
            verdict = "一致" if ok else "不一致，请以原文核对"
            answer.answer += (f"\n正文第{stated.page}页载明为{show(abs(stated.value), stated.unit)}：“{stated.quote}”，"
                              f"与计算结果{verdict}。")
            answer.citations.insert(0, stated.citation())
            answer.value = plain(self._signed(parsed, stated.value))  # as published; the formula shows the computed one
            if not ok:
                answer.unit = stated.unit
                answer.method = "lookup"
                up = stated.value >= 0
                verb = ("增长" if up else "下降") if rate else ("增加" if up else "减少")
                first, rest = answer.answer.split("\n", 1)
                answer.answer = (f"{d.label}“{label}”比{prev_year}年{verb}{show(abs(stated.value), stated.unit)}（正文所列）；"
                                 f"按表计算为{show(abs(calc.value), calc.unit)}，两者不一致，请以原文核对。\n{rest}")
                answer.notices.append(f"正文所列{show(stated.value, stated.unit)}与按表计算的{show(calc.value, calc.unit)}不一致。")
        return answer

    def _signed(self, parsed: ParsedQuestion, value: Decimal) -> Decimal:
        """减少了多少 / 相差多少 ask for a magnitude; 增加多少 keeps the sign."""
        text = compact(parsed.text)
        if MAGNITUDE.search(text):
            return abs(value)
        return -value if DOWNWARD.search(text) else value

    def _share(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        if len(selection.disclosures) >= 2:  # 深圳审计局收入预算是北京审计局的百分之几
            (la, a), (lb, b) = self._operands(parsed, selection)[:2]
            return self._calculated(parsed, share(a.primary, b.primary, la, lb), f"{la}占{lb}的比例", a, b)
        d = selection.disclosures[0]
        cut = compact(parsed.text).find("占")
        items = sorted(parsed.items, key=lambda i: i.pos)
        before = [i for i in items if i.pos < cut] if cut >= 0 else items[:1]
        after = [i for i in items if cut >= 0 and i.pos > cut]
        cols_before = [c for c, p in parsed.columns if cut < 0 or p < cut]
        cols_after = [c for c, p in parsed.columns if cut >= 0 and p > cut]
        part_item = before[0] if before else (None if cols_before else (items[0] if items else None))
        part = self._find(d, part_item, parsed, selection, column=cols_before[-1] if cols_before else None)
        if not after and not cols_after and parsed.context_item is not None:
            after = [parsed.context_item]  # 三公经费里因公出国费占多少: the context is the whole
        if after or cols_after:
            whole_item = after[0] if after else (part_item if cols_after and not after else None)
            whole = self._find(d, whole_item, parsed, selection, column=cols_after[-1] if cols_after else None)
            whole_label, whole_fig = whole.item_label, whole.primary
        elif WHOLE_BUDGET.search(compact(parsed.text)[cut:]):
            # 在职人员经费占部门预算的比例: the department's whole budget
            whole = self._find(d, ItemRef(kind="concept", name="支出预算", text="支出预算"), parsed, selection, column=None)
            whole_label, whole_fig = whole.item_label, whole.primary
        else:
            whole_fig = self.facts.sibling(part.primary, d.year)
            if whole_fig is None:
                raise Refusal(f"问题没有说明“{part.item_label}”占什么的比例，表中也找不到对应的合计。")
            whole_label = _whole_label(whole_fig)
        if (whole_fig.doc_id, whole_fig.table_index, whole_fig.row_index, whole_fig.column, whole_fig.page) == (
                part.primary.doc_id, part.primary.table_index, part.primary.row_index, part.primary.column, part.primary.page):
            raise Refusal(f"问题中的部分与整体都对应“{part.item_label}”这同一个数字，无法计算占比；请写明占什么的比例。")
        calc = share(part.primary, whole_fig, part.item_label, whole_label)
        whole_loc = Located(whole_label, primary=whole_fig)
        answer = self._calculated(parsed, calc, f"{d.label}“{part.item_label}”占“{whole_label}”的比例", part, whole_loc)
        stated = self.facts.stated_share(part.narrative[0]) if part.narrative else None
        if stated is not None and rate_agrees(calc.value, stated.value):
            # The narrative states the share itself: cite its sentence first.
            answer.citations.insert(0, stated.citation())
            answer.answer += f"\n正文第{stated.page}页载明：“{stated.quote}”，与计算结果一致。"
        return answer

    def _sum(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        operands = self._operands(parsed, selection)
        if len(operands) < 2:
            raise Refusal("要合计的项目不足两个。" + searched(selection.disclosures))
        labels = [label for label, _ in operands]
        calc = total([loc.primary for _, loc in operands], labels)
        return self._calculated(parsed, calc, "与".join(labels), *[loc for _, loc in operands])

    def _ratio(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        operands = self._operands(parsed, selection)
        if len(operands) < 2:
            raise Refusal("计算倍数需要两个数字（两个部门、两个项目或两列），问题中只找到一个。")
        (la, a), (lb, b) = operands[:2]
        return self._calculated(parsed, ratio(a.primary, b.primary, la, lb), f"{la}是{lb}的", a, b)

    def _compare(self, parsed: ParsedQuestion, selection: Selection) -> Answer:
        rows = []
        for label, loc in self._compare_operands(parsed, selection):
            rows.append((label, loc))
        if len(rows) < 2:
            raise Refusal("可比较的数字不足两个。" + searched(selection.disclosures))
        lowest = bool(re.search(r"最少|最低|更少|更低|最小|较少", parsed.text))

        def amount(loc: Located) -> Decimal:
            p = loc.primary
            return convert(p.value, p.unit, "元") if p.unit in ("元", "万元", "亿元") else p.value

        ranked = sorted(rows, key=lambda r: amount(r[1]), reverse=not lowest)
        lines = [f"{i + 1}. {name}：{show(loc.primary.value, loc.primary.unit)}（{loc.primary.place()}）"
                 for i, (name, loc) in enumerate(ranked)]
        top_name, top = ranked[0]
        head = f"{'最少' if lowest else '最多'}的是{top_name}，为{show(top.primary.value, top.primary.unit)}。"
        cites = [c for _, loc in ranked for c in loc.citations[:1]]
        return Answer(question=parsed.text, status="answered", answer=head + "\n" + "\n".join(lines),
                      value=plain(top.primary.value), unit=top.primary.unit, method="lookup", citations=cites)

    def _compare_operands(self, parsed: ParsedQuestion, selection: Selection):
        if len(selection.disclosures) >= 2:
            item = _first(parsed)
            for d in selection.disclosures:
                located = locate(self.facts, d, item, parsed, selection.column_year)
                if located.primary is not None:
                    yield d.label + located.item_label, located
            return
        yield from self._operands(parsed, selection)

    def _calculated(self, parsed: ParsedQuestion, calc: Calculation, subject: str, *inputs: Located) -> Answer:
        sources = "；".join(f"{loc.item_label}：{loc.primary.place()}" for loc in inputs)
        value = calc.value
        if parsed.operation in ("change", "growth_rate"):
            up = calc.value >= 0
            verb = ("增长" if up else "下降") if calc.unit == "%" else ("增加" if up else "减少")
            head = f"{subject}{verb}{show(abs(calc.value), calc.unit)}。"
            value = self._signed(parsed, calc.value)
        elif parsed.operation == "ratio":
            head = f"{subject}{show(calc.value, calc.unit)}。"
        else:
            head = f"{subject}{'合计为' if parsed.operation == 'sum' else '为'}{show(calc.value, calc.unit)}。"
        text = f"{head}\n计算：{calc.formula}\n数据来源：{sources}。"
        notices = [n for loc in inputs for n in loc.notices]
        cites = [c for loc in inputs for c in loc.citations]
        return Answer(question=parsed.text, status="answered", answer=text, value=plain(value), unit=calc.unit,
                      method="calculation", citations=cites, formula=calc.formula, notices=notices)


def _first(parsed: ParsedQuestion) -> ItemRef | None:
    return min(parsed.items, key=lambda i: i.pos) if parsed.items else None


def _whole_label(figure: Figure) -> str:
    leaf = (figure.column or "").rsplit("/", 1)[-1]
    if figure.row and figure.row != "合计":
        return f"{figure.row}{leaf}" if leaf in ("合计", "总计") else figure.row
    title = figure.title or ""
    prefix = "支出" if "支出" in title else "收入" if "收入" in title else ""
    return prefix + (leaf if leaf in ("合计", "总计") else "合计")
