"""占比: a part as a percentage of its whole.

The part is what the question names before 占, the whole what it names after; with no whole named,
the context (三公经费里的因公出国费), the department's budget (占部门预算) or the table's own total:

    外办基本支出占支出总额的比例是多少？ → …“基本支出”占“支出合计”的比例为65.56%。
    计算：基本支出占比 = 基本支出 ÷ 支出合计 = 5,215,620.22元 ÷ 7,955,559.34元 = 65.56%
"""

from __future__ import annotations

import re

from index.core.text import compact
from index.core.units import rate_agrees
from qa.answer.numeric.base import Asked, OperationAnswerer, Unanswerable, register, whole_label
from qa.contract import Answer
from qa.figures.calculate import share
from qa.figures.locate import Located
from qa.understand.concepts import BY_NAME
from qa.understand.model import ItemRef
from qa.understand.operations import COMPLETION
from qa.understand.scope import Disclosure

WHOLE_BUDGET = re.compile(r"占(本年)?(部门预算|总预算|预算总额|部门总预算|全部预算)")


@register
class ShareAnswerer(OperationAnswerer):
    operation = "share"

    def answer(self, asked: Asked) -> Answer:
        parsed, query = asked.parsed, asked.query
        if len(asked.selection.disclosures) >= 2:  # 深圳审计局收入预算是北京审计局的百分之几
            (la, a), (lb, b) = self.operands(asked)[:2]
            return self.calculated(asked, share(a.primary, b.primary, la, lb), f"{la}占{lb}的比例", a, b)
        d = asked.selection.disclosures[0]
        cut = compact(parsed.text).find("占")
        items = sorted(parsed.items, key=lambda i: i.pos)
        before = [i for i in items if i.pos < cut] if cut >= 0 else items[:1]
        after = [i for i in items if cut >= 0 and i.pos > cut]
        cols_before = [c for c, p in parsed.columns if cut < 0 or p < cut]
        cols_after = [c for c, p in parsed.columns if cut >= 0 and p > cut]
        part_item = before[0] if before else (None if cols_before else (items[0] if items else None))
        if cut < 0 and COMPLETION.search(compact(parsed.text)):
            return self._completion(asked, d, part_item)
        part = self.find(d, query.but(item=part_item, column=cols_before[-1] if cols_before else None))
        if not after and not cols_after and parsed.context_item is not None:
            after = [parsed.context_item]  # 三公经费里因公出国费占多少: the context is the whole
        if after or cols_after:
            whole_item = after[0] if after else (part_item if cols_after and not after else None)
            whole = self.find(d, query.but(item=whole_item, column=cols_after[-1] if cols_after else None))
            if whole_item is part_item and whole.primary.key == part.primary.key:
                # 公务接待费占“三公”经费财政拨款预算总额: the column is the whole itself, not the part's cell in it.
                whole = self.find(d, query.but(item=None, column=cols_after[-1]))
            whole_name, whole_fig = whole.item_label, whole.primary
        elif WHOLE_BUDGET.search(compact(parsed.text)[cut:]):
            # 在职人员经费占部门预算的比例: the department's whole budget
            budget = ItemRef(kind="concept", name="支出预算", text="支出预算")
            whole = self.find(d, query.but(item=budget, column=None))
            whole_name, whole_fig = whole.item_label, whole.primary
        else:
            sibling = self.facts.sibling(part.primary, d.year)
            if sibling is None:
                raise Unanswerable(f"问题没有说明“{part.item_label}”占什么的比例，表中也找不到对应的合计。")
            whole_name, whole_fig = whole_label(sibling), sibling
        p = part.primary
        if whole_fig.key == p.key:  # two sentences of one page are two figures
            raise Unanswerable(f"问题中的部分与整体都对应“{part.item_label}”这同一个数字，无法计算占比；请写明占什么的比例。")
        calc = share(p, whole_fig, part.item_label, whole_name)
        whole_loc = Located(whole_name, primary=whole_fig)
        answer = self.calculated(asked, calc, f"{d.label}“{part.item_label}”占“{whole_name}”的比例", part, whole_loc)
        stated = self.facts.stated.stated_share(part.narrative[0]) if part.narrative else None
        if stated is not None and rate_agrees(calc.value, stated.value):
            # The narrative states the share itself: cite its sentence first.
            answer.citations.insert(0, stated.citation())
            answer.answer += f"\n正文第{stated.page}页载明：“{stated.quote}”，与计算结果一致。"
        return answer

    def _completion(self, asked: Asked, d: Disclosure, item: ItemRef | None) -> Answer:
        """决算 ÷ 预算 of one measure, both from the sentence stating them ("年初预算为2993.92万元，支出决算为
        2940.05万元，完成年初预算的98.20%"): the rate computed, and checked against the one stated."""
        # The measure's own figure is its 决算: read with the words before 完成 (not 年初预算), as a 决算.
        terms = (asked.query.terms or "").split("完成")[0]
        if item is not None and item.kind == "term" and "完成" in item.name:
            name = item.name.split("完成")[0]
            item = ItemRef(kind="concept" if name in BY_NAME else "term", name=name, text=name, pos=item.pos)
        part = self.find(d, asked.query.but(item=item, column=None, terms=terms if "决算" in terms else terms + "决算"))
        p = part.primary
        budget = self.facts.stated.budget_stated_with(d.doc_ids, p)
        if budget is None:
            raise Unanswerable(f"未找到与{d.label}“{part.item_label}”决算数同句载明的预算数，无法计算完成预算的比例。")
        label = part.item_label
        calc = share(p, budget, f"{label}决算", f"{label}预算")
        rate = self.facts.stated.stated_share(budget, "完成")
        if rate is not None and not rate_agrees(calc.value, rate.value):
            raise Unanswerable(f"计算的完成比例{calc.value}%与正文第{rate.page}页所载{rate.value}%不一致，未给出答案。")
        answer = self.calculated(asked, calc, f"{d.label}“{label}”决算完成预算的比例", part,
                                 Located(f"{label}预算", primary=budget))
        if rate is not None:
            answer.citations.insert(0, rate.citation())
            answer.answer += f"\n正文第{rate.page}页载明：“{rate.quote}”，与计算结果一致。"
        return answer
