"""Every answer check, each with an answer it must refuse and one it must let through.

The answers are made by hand (the figures an answerer would have used), so each check is tested on
exactly the mistake it guards against; the engine tests show the same refusals end to end.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.checks import CHECKS, review
from qa.answer.numeric.base import Asked, Worked
from qa.contract import Answer
from qa.figures.calculate import Calculation
from qa.figures.figure import Figure
from qa.figures.locate import Located
from qa.figures.query import FigureQuery
from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.scope import Disclosure, Selection

D2026 = Disclosure("某局", 2026, ["d1"], ["d1.pdf"], "某局2026年")
OTHER = Disclosure("他局", 2026, ["d2"], ["d2.pdf"], "他局2026年")


def cell(value: str, row: str, *, doc: str = "d1", unit: str = "万元", column: str = "合计", title: str = "部门支出总表",
         table: int = 1, index: int = 1, code: str | None = None, total: bool = False) -> Figure:
    return Figure(value=Decimal(value), unit=unit, doc_id=doc, file_name=f"{doc}.pdf", page=3, quote=f"{row} {value}",
                  source="table", title=title, row=row, column=column, table_index=table, row_index=index, code=code,
                  is_total=total)


def used(figure: Figure, item: ItemRef | None, disclosure: Disclosure = D2026, label: str | None = None) -> Located:
    query = FigureQuery(question="", terms="", item=item)
    return Located(label or (item.name if item else "合计"), figure, query=query, disclosure=disclosure)


def row(name: str, kind: str = "row") -> ItemRef:
    return ItemRef(kind=kind, name=name, text=name)  # type: ignore[arg-type]


def failures(operation: str, located: list[Located], calc: Calculation | None = None, years: list[int] | None = None,
             groups: list[list[str]] | None = None, selection: Selection | None = None, text: str = "答") -> list[str]:
    parsed = ParsedQuestion(text="问", operation=operation, years=years or [], department_groups=groups or [])
    selection = selection or Selection(disclosures=[D2026])
    asked = Asked(parsed, selection, FigureQuery(question="问", terms=""), Worked(used=located, calculation=calc))
    answer = Answer(question="问", status="answered", answer=text, method="calculation" if calc else "lookup",
                    citations=[loc.primary.citation() for loc in located])
    return [f.check for f in review(asked, answer)]


def calc(value: str, unit: str, *inputs: Located) -> Calculation:
    return Calculation(Decimal(value), unit, "公式", [loc.primary for loc in inputs])


def test_every_check_is_registered():
    assert {"cited_in_scope", "publisher_bound", "year_matches", "distinct_operands", "units_agree",
            "share_within_whole", "not_its_own_part", "total_is_total"} <= set(CHECKS)


def test_one_fact_twice_computes_nothing():
    budget = cell("120.00", "财政拨款收入")
    a, b = used(budget, row("财政拨款收入")), used(budget, ItemRef(kind="concept", name="支出预算", text="预算"))
    assert failures("change", [a, b], calc("0.00", "万元", a, b)) == ["distinct_operands"]
    other = used(cell("100.00", "财政拨款收入", index=2, column="2025年预算数"), row("财政拨款收入"))
    assert failures("change", [a, other], calc("20.00", "万元", a, other)) == []


def test_a_head_count_and_an_amount_are_not_compared():
    people = used(cell("15", "编制人数", unit="人", index=5), ItemRef(kind="concept", name="编制人数", text="编制人数"))
    money = used(cell("7955.56", "支出合计", index=6), ItemRef(kind="concept", name="支出预算", text="支出"))
    assert "units_agree" in failures("growth_rate", [people, money], calc("53000.00", "%", people, money))


def test_a_share_over_the_whole_is_refused():
    part = used(cell("240.00", "项目支出", index=2), row("项目支出"))
    whole = used(cell("100.00", "基本支出", index=3), row("基本支出"))
    assert failures("share", [part, whole], calc("240.00", "%", part, whole)) == ["share_within_whole"]
    assert failures("share", [whole, part], calc("41.67", "%", whole, part)) == []


def test_a_class_and_its_own_line_are_not_summed():
    whole = used(cell("50.00", "商品和服务支出", code="302", index=2), row("商品和服务支出"))
    line = used(cell("10.00", "办公费", code="30201", index=3), row("30201", "code"))
    assert failures("sum", [whole, line], calc("60.00", "万元", whole, line)) == ["not_its_own_part"]
    by_name = used(cell("10.00", "办公费", code="30201", index=4, table=2), row("办公费"))
    assert failures("sum", [by_name, line], calc("20.00", "万元", by_name, line)) == ["not_its_own_part"]
    fee = used(cell("5.00", "印刷费", code="30202", index=5), row("印刷费"))
    assert failures("sum", [line, fee], calc("15.00", "万元", line, fee)) == []


def test_a_total_is_not_a_units_own_row():
    own = used(cell("30.00", "广州市人民政府办公厅（本级）", title="三公经费表"),
               ItemRef(kind="concept", name="三公经费", text="三公经费"))
    assert failures("lookup", [own]) == ["total_is_total"]
    total = used(cell("45.00", "合计", title="三公经费表", total=True), ItemRef(kind="concept", name="三公经费", text="三公经费"))
    assert failures("lookup", [total]) == []


def test_the_year_asked_is_the_year_found():
    mislabelled = used(cell("88.00", "行政运行", title="2022年部门支出总表"), row("行政运行"))
    assert failures("lookup", [mislabelled], years=[2026]) == ["year_matches"]
    assert failures("lookup", [mislabelled]) == ["year_matches"]  # unasked, the file's year would be claimed
    said = failures("lookup", [mislabelled], years=[2026], text="某局“行政运行”（2022年数，见2026年公开材料）为88.00万元")
    assert said == []
    column = used(cell("70.00", "行政运行", column="2025年预算数"), row("行政运行"))
    assert failures("lookup", [column], years=[2025], selection=Selection(disclosures=[D2026], column_year=2025)) == []


def test_cited_facts_belong_to_the_scoped_documents():
    stray = used(cell("10.00", "行政运行", doc="d2"), row("行政运行"), disclosure=OTHER)
    assert failures("lookup", [stray]) == ["cited_in_scope"]
    assert failures("lookup", [stray], groups=[["d1"]], selection=Selection(disclosures=[D2026, OTHER])) == [
        "publisher_bound"]


@pytest.mark.parametrize("status", ["refused"])
def test_refusals_are_not_reviewed(status):
    parsed = ParsedQuestion(text="问")
    asked = Asked(parsed, Selection(), FigureQuery(question="问", terms=""))
    assert review(asked, Answer(question="问", status=status, answer="未找到", method="lookup")) == []


# --- end to end, on synthetic disclosures ---------------------------------------------------------

def test_a_figure_from_a_table_of_another_year_is_refused(tmp_path):
    from tests.answer.synthetic import disclosure, engine_of, table

    old = table("2022年部门支出总表", [(None, None, "90.00", "60.00", "30.00"), ("行政运行", "2010101", "50.00", "50.00", "0.00")])
    engine = engine_of(tmp_path, [disclosure("d-old", "某市卫生健康委员会", "某市", 2026, ["卫健委"], [old])])
    answer = engine.ask("某市卫生健康委员会2026年行政运行是多少")
    assert answer.status == "refused" and answer.checks == ["year_matches"], answer.answer
    assert "2022年" in answer.answer  # says what it found


def test_a_units_own_row_is_not_the_total(tmp_path):
    """The rule reads the total row; the check (test_a_total_is_not_a_units_own_row) stops any other."""
    from tests.answer.synthetic import disclosure, engine_of, table

    rows = [("某市人民政府办公厅（本级）", None, "30.00", "20.00", "10.00"), ("某市机关事务中心", None, "15.00", "5.00", "10.00"),
            (None, None, "45.00", "25.00", "20.00")]
    units = table("2026年一般公共预算“三公”经费支出表", rows, columns=("合计", "因公出国（境）费", "公务接待费"))
    engine = engine_of(tmp_path, [disclosure("d-units", "某市人民政府办公厅", "某市", 2026, ["市政府办公厅"], [units])])
    answer = engine.ask("某市人民政府办公厅2026年三公经费是多少")
    assert (answer.status, answer.value) == ("answered", "45.00"), answer.answer  # the total row, not the 本级 row's
