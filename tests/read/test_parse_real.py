"""Third-party disclosures from ../shared/real (skipped with a reason when absent): other layouts, 元 and 万元."""

from decimal import Decimal

import pytest

from tests.conftest import real_pdf

pytestmark = pytest.mark.real

SHANGHAI_TITLES = [
    "部门财务收支预算总表", "部门收入预算总表", "部门支出预算总表", "部门财政拨款收支预算总表",
    "部门一般公共预算支出功能分类预算表", "部门政府性基金预算支出功能分类预算表",
    "部门国有资本经营预算支出功能分类预算表", "部门一般公共预算基本支出部门预算经济分类预算表",
    "部门三公经费和机关运行经费预算表",
]


@pytest.fixture(scope="module")
def parse():
    from index.read.parse import parse_pdf

    cache = {}

    def _parse(name):
        if name not in cache:
            cache[name] = parse_pdf(real_pdf(name))
        return cache[name]

    return _parse


def value(doc, label, column, code=None, name=None):
    table = next(t for t in doc.tables if t.label == label)
    row = next(r for r in table.rows if (code is None or r.code == code) and (name is None or r.name == name))
    return row.cells[table.columns.index(column)].value


@pytest.mark.parametrize(
    "name, year",
    [
        ("putuo_gov_office_2025_dept_budget.pdf", 2025),
        ("putuo_justice_2026_dept_budget.pdf", 2026),
        ("putuo_commerce_2025_dept_budget.pdf", 2025),
        ("putuo_wanli_street_2024_dept_budget.pdf", 2024),
        ("putuo_wanli_street_2025_dept_budget.pdf", 2025),
    ],
)
def test_every_shanghai_table_found_with_label_title_and_unit(parse, name, year):
    doc = parse(name)
    numbered = [t for t in doc.tables if t.label]
    assert [t.label for t in numbered] == [f"表{i}" for i in range(1, 10)]
    for table, title in zip(numbered, SHANGHAI_TITLES):
        assert table.title.endswith(title)
    assert [t.unit for t in numbered] == ["元"] * 8 + ["万元"]  # 三公 table is in 万元
    assert doc.identity.year == year and doc.identity.region == "上海市普陀区"


def test_shanghai_gov_office_cells(parse):
    doc = parse("putuo_gov_office_2025_dept_budget.pdf")
    assert doc.identity.department == "上海市普陀区人民政府办公室"
    assert "普陀区政府办" in doc.identity.aliases
    assert value(doc, "表2", "收入预算/合计", code="2010301") == Decimal("12029501.84")  # 201 03 01 joined
    assert value(doc, "表1", "本年收入/预算数", name="收入总计") == Decimal("91016775.35")
    assert value(doc, "表9", "“三公”经费预算数/合计") == Decimal("867.50")
    assert value(doc, "表9", "机关运行经费预算数") == Decimal("213.28")
    assert value(doc, "表8", "一般公共预算基本支出/人员经费", code="30101") == Decimal("2540192.00")


def test_shanghai_justice_and_multi_page_tables(parse):
    doc = parse("putuo_justice_2026_dept_budget.pdf")
    assert value(doc, "表2", "收入预算/合计", name="合计") == Decimal("96282213.44")
    assert value(doc, "表2", "收入预算/财政拨款收入", code="2210201") == Decimal("2087959.00")
    assert value(doc, "表9", "“三公”经费预算数/合计") == Decimal("10.81")
    street = parse("putuo_wanli_street_2024_dept_budget.pdf")
    t2 = next(t for t in street.tables if t.label == "表2")
    assert t2.pages == [11, 12, 13, 14, 15]  # stitched over five pages, last page holds only 合计
    assert value(street, "表2", "收入预算/合计", name="合计") == Decimal("156211123")


def test_commerce_identity_and_short_name(parse):
    doc = parse("putuo_commerce_2025_dept_budget.pdf")
    assert doc.identity.department == "上海市普陀区商务委员会"
    assert doc.identity.short_name == "商务委"
    assert value(doc, "表1", "本年收入/预算数", name="一、财政拨款收入") == Decimal("371514655.00")


def test_beijing_tables_file(parse):
    doc = parse("beijing_audit_bureau_2026_dept_budget_TABLES.pdf")
    labels = [t.label for t in doc.tables if t.label]
    assert labels == [f"预算{i:02d}表" for i in range(1, 14)]  # 预算表12 printed that way, normalised
    assert doc.identity.department == "北京市审计局" and doc.identity.year == 2026
    assert all(t.unit == "万元" for t in doc.tables if t.label)
    assert value(doc, "预算01表", "收入/预算数", name="一、一般公共预算拨款收入") == Decimal("32365.090089")
    assert value(doc, "预算05表", "预算数/合计", code="2010801") == Decimal("4952.850016")
    assert value(doc, "预算05表", "预算数/基本支出/人员经费", code="2010801") == Decimal("4032.021156")
    assert value(doc, "预算09表", "“三公”经费财政拨款预算总额") == Decimal("244.848000")


def test_beijing_narrative_file_identity(parse):
    doc = parse("beijing_audit_bureau_2026_dept_budget_NARRATIVE.pdf")
    assert doc.identity.department == "北京市审计局" and doc.identity.year == 2026
    assert any("32852.05万元" in b.text for b in doc.blocks if b.kind == "paragraph")


def test_shenzhen_layout(parse):
    doc = parse("shenzhen_audit_bureau_2026_dept_budget.pdf")
    assert [t.label for t in doc.tables if t.label] == [f"表{i}" for i in range(1, 12)]
    assert doc.identity.department == "深圳市审计局" and doc.identity.region == "深圳市"
    assert value(doc, "表7", "支出总计", code="2010801") == Decimal("5466.52")
    assert value(doc, "表2", "收入总计", name="深圳市审计局") == Decimal("10737.69")
    t1 = next(t for t in doc.tables if t.label == "表1")
    assert t1.pages == [17, 18]  # the title repeats on the continuation page


def test_final_account_hard_case(parse):
    doc = parse("putuo_finance_bureau_2024_dept_final_account.pdf")
    assert doc.identity.kind == "部门决算" and doc.identity.year == 2024
    assert doc.identity.department == "上海市普陀区财政局"
    assert [t.label for t in doc.tables if t.label] == [f"表{n}" for n in "一二三四五六七八九"]
    assert value(doc, "表二", "本年收入合计", code="2010601") == Decimal("1511.90")
    assert value(doc, "表五", "基本支出", code="2010601") == Decimal("1503.52")
