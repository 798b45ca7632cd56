"""The audit on table structures of ../shared/wild (skipped with a reason when the folder is absent):
tables grouped by 预算单位 summed unit by unit, and tables continued over pages read whole.

Each disclosure is read with the reader and audited as the store would hand it over; errors are planted
into a copy of its model to show that the grouped sums are checked, not merely skipped.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from index.core.model import Document, Table
from index.read import parse_pdf
from qa.audit import Disclosure, audit_disclosure
from qa.audit.model import TableView
from qa.audit.reading.groups import unit_groups
from qa.audit.rules.tables import GROUPS_UNKNOWN
from qa.audit.run import document_views
from tests.audit.synthetic import record
from tests.conftest import wild_pdfs

pytestmark = pytest.mark.real

SHENZHEN = "003_深圳__2026年深圳市生态环境局部门预算.pdf"  # 支出总表 etc. in blocks by 18 units
GUANGZHOU = "005_广州__2026年广州市人民政府办公厅部门预算.pdf"  # 收入总体情况表: one row per unit
SUZHOU_TRANSPORT = "006_苏州__2026年苏州市交通运输局部门预算.pdf"  # 政府采购支出表 over five pages
SUZHOU_LAND = "006_苏州__2026年苏州市自然资源和规划局部门预算.pdf"  # 财政拨款支出表 continued without header


@cache
def parsed(name: str) -> Document:
    return parse_pdf(wild_pdfs(name)[0])


def shenzhen() -> Document:
    return parsed(SHENZHEN)  # 241 pages, 18 units: the longest read of these tests


def audited(document: Document) -> Disclosure:
    rec = record().model_copy(update={"file_name": document.file_name})
    return Disclosure([rec], document_views(document, rec), [], {document.file_name: document})


def table(document: Document, label: str) -> Table:
    [found] = [t for t in document.tables if t.label == label]
    return found


def view(d: Disclosure, label: str) -> TableView:
    [found] = [v for v in d.views if v.label == label]
    return found


def test_shenzhen_tables_grouped_by_unit_add_up_unit_by_unit():
    d = audited(shenzhen())
    findings = audit_disclosure(d)
    for label, units in (("表3", 18), ("表4", 17), ("表7", 18), ("表8", 18)):
        v = view(d, label)
        groups = unit_groups(v)
        assert v.grouped and groups is not None and groups.total is not None and len(groups.lines) == units
        assert sum(len(b) for b in groups.blocks) > 300  # every unit's 科目 rows are in a block
        assert not [f for f in findings if f.kind in ("hierarchy", "total_row") and f.locations[0].table == label]
        assert not [s for s in d.skips if s.table == label and s.reason == GROUPS_UNKNOWN]


def test_a_wrong_unit_line_in_a_grouped_table_is_found_in_its_unit():
    document = shenzhen().model_copy(deep=True)
    rows = table(document, "表3").rows
    [line] = [r for r in rows if r.is_unit_total and r.unit == "深圳市饮用水源保护管理办公室"]
    assert line.cells[0].text == "4,291.51"
    line.cells[0].value, line.cells[0].text = line.cells[0].value + 10, "4,301.51"
    messages = [f.message for f in audit_disclosure(audited(document)) if f.kind == "total_row"]
    # The parts are rounded figures: 各科目之和 4,291.52 (as printed), the lines 190,291.95.
    assert messages == [
        "表3「深圳市饮用水源保护管理办公室」支出总计 4,301.51 ≠ 各科目之和 4,291.52（差 9.99）",
        "表3「合计」支出总计 190,281.97 ≠ 各单位之和 190,291.95（差 -9.98）",
    ]


def test_a_wrong_subject_inside_one_unit_is_found_there():
    document = shenzhen().model_copy(deep=True)
    rows = table(document, "表3").rows
    start = next(i for i, r in enumerate(rows) if r.is_unit_total and r.unit == "深圳市饮用水源保护管理办公室")
    row = next(r for r in rows[start:] if r.code == "2110302")  # 水体, the unit's only 项 under 21103
    row.cells[0].value += 1
    found = {(f.kind, f.message.split(" ≠ ")[0]) for f in audit_disclosure(audited(document))}
    assert ("hierarchy", "表3「污染防治」(21103) 支出总计 2,609.86") in found
    assert not any(kind == "total_row" for kind, _ in found)  # the unit's line still equals its 类 rows


def test_one_row_per_unit_adds_up_to_the_total():
    document = parsed(GUANGZHOU)
    d = audited(document)
    groups = unit_groups(view(d, "表2"))
    assert groups is not None and len(groups.lines) == 3 and not any(groups.blocks)
    assert not [f for f in audit_disclosure(d) if f.locations[0].table == "表2"]
    copy = document.model_copy(deep=True)
    unit = table(copy, "表2").rows[2]
    unit.cells[0].value += 1
    [finding] = [f for f in audit_disclosure(audited(copy)) if f.kind == "total_row"]
    # 16,410.71 printed; the units' lines add up to 16,410.70 as printed, 16,411.70 with one raised by 1.
    assert finding.message == "表2「合计」合计 16,410.71 ≠ 各单位之和 16,411.70（差 -0.99）"


def test_units_heading_their_items_are_summed_unit_by_unit():
    """广州 基本支出预算表 (表11): 合计, then each unit's line over its 经济分类 items; 项目支出预算表 (表12)
    the same over projects. The reader marks no unit: the audit reads the lines by their names, trusted
    because the 合计 is their sum, and holds each line to its items."""
    document = parsed(GUANGZHOU)
    d = audited(document)
    findings = audit_disclosure(d)
    for label in ("表11", "表12"):
        groups = unit_groups(view(d, label))
        assert groups is not None and groups.items and [rv.name for rv in groups.lines] == [
            "广州市人民政府办公厅（本级）" if label == "表11" else "广州市人民政府办公厅",
            "广州市政府政务信息系统管理中心", "广州地区公文交换站（广州市人民政府公报编辑部）"]
        assert not [f for f in findings if f.locations[0].table == label]
        assert not [s for s in d.skips if s.table == label]
    copy = document.model_copy(deep=True)
    item = table(copy, "表11").rows[7]
    assert (item.name, [c.text for c in item.cells[:3]]) == ("商品和服务支出", ["70.68"] * 3)
    for cell in item.cells[:3]:  # 总计 = 财政拨款 = 一般公共预算: raised together, as a misprint would be
        cell.value, cell.text = Decimal("71.68"), "71.68"
    found = [f for f in audit_disclosure(audited(copy)) if f.locations[0].table == "表11"]
    assert [(f.kind, f.message) for f in found] == [(
        "total_row", "表11「广州市政府政务信息系统管理中心」总计、财政拨款/合计、财政拨款/一般公共预算 889.61 ≠ 各项之和 890.61（差 -1.00）")]


def test_a_table_continued_over_pages_is_read_whole():
    """苏州 政府采购支出表: p.30 opens with the tails of two cells cut at the foot of p.29."""
    document = parsed(SUZHOU_TRANSPORT)
    procurement = table(document, "公开13表")
    assert procurement.pages == [26, 27, 28, 29, 30]
    assert document.tables[-1] is procurement  # no headerless fragment left after it
    assert any(r.attributes.get("经济科目") == "其他商品和服务支出" and r.attributes.get("采购品目名称") == "车辆加油、添加燃料服务"
               for r in procurement.rows if r.page == 29)
    d = audited(document)
    assert not view(d, "公开13表").continued


def test_a_continuation_without_header_is_summed_with_its_table():
    """苏州 财政拨款支出表 (公开05表) runs from p.17 onto p.18 without its header: its 合计 is checked
    against all its 类, and a 类 dropped from p.18 is found missing."""
    document = parsed(SUZHOU_LAND)
    spending = table(document, "公开05表")
    assert spending.pages == [17, 18] and any(r.page == 18 and r.code for r in spending.rows)
    d = audited(document)
    assert not view(d, "公开05表").continued and not [s for s in d.skips if s.table == "公开05表"]
    assert not [f for f in audit_disclosure(d) if f.locations[0].table == "公开05表"]
    copy = document.model_copy(deep=True)
    rows = table(copy, "公开05表").rows
    last_class = max(i for i, r in enumerate(rows) if r.level == 1 and r.page == 18)
    rows[last_class:] = [r for r in rows[last_class:] if not (r.code or "").startswith(rows[last_class].code or "-")]
    found = [f for f in audit_disclosure(audited(copy)) if f.kind == "total_row" and f.locations[0].table == "公开05表"]
    assert found and "各科目之和" in found[0].message
