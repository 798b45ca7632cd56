"""Both sample disclosures parsed into the document model: identity, tables, and asserted figures."""

from decimal import Decimal

import pytest


def table(doc, label):
    matches = [t for t in doc.tables if t.label == label]
    assert len(matches) == 1, f"{label}: {[t.label for t in doc.tables]}"
    return matches[0]


def row(tbl, code=None, name=None):
    rows = [r for r in tbl.rows if (code is None or r.code == code) and (name is None or r.name == name)]
    assert rows, f"no row {code} {name} in {tbl.label}"
    return rows[0]


def cell(tbl, r, column):
    return r.cells[tbl.columns.index(column)]


@pytest.fixture(scope="module")
def waiban(parsed_samples):
    return parsed_samples["xicheng-waiban-2020.pdf"]


@pytest.fixture(scope="module")
def zfb(parsed_samples):
    return parsed_samples["xicheng-zfb-2020.pdf"]


def test_identity_is_read_from_cover_and_titles(waiban, zfb):
    assert waiban.identity.department == "北京市西城区人民政府外事办公室"
    assert waiban.identity.short_name == "区政府外办"  # the document's own （简称…）
    assert waiban.identity.region == "北京市西城区"
    assert waiban.identity.year == 2020 and waiban.identity.kind == "部门预算"
    assert zfb.identity.department == "北京市西城区人民政府办公室"
    assert zfb.identity.year == 2020  # despite its typo heading "2019 年度部门预算报表"
    assert "西城区政府办" in zfb.identity.aliases and "外办" in waiban.identity.aliases


def test_table_labels_units_and_pages(waiban, zfb):
    numbered = [t.label for t in waiban.tables if t.label]
    assert numbered == [f"表{i}" for i in range(1, 13)]
    assert [t.label for t in zfb.tables if t.label and t.label.startswith("表")][:12] == [
        "表一", "表二", "表三", "表四", "表五", "表六", "表七", "表八", "表九", "表十", "表十一", "表十二"
    ]
    assert table(waiban, "表2").title == "2020年部门收入总表"
    assert table(zfb, "表三").title == "部门支出总体情况表"
    assert all(table(waiban, f"表{i}").unit == "元" for i in range(1, 11))
    assert table(waiban, "表2").pages == [7, 8]  # flows across pages
    assert table(zfb, "表九").pages == [17, 18, 19]


def test_wrapped_cell_and_full_width_commas(waiban):
    t2 = table(waiban, "表2")
    r = row(t2, code="2010399")
    assert r.name == "其他政府办公厅（室）及相关机构事务支出"  # wrapped over two lines in the PDF
    total = cell(t2, r, "合计")
    assert total.value == Decimal("2100000.00") and total.text == "2，100，000.00"
    assert r.level == 3 and r.parent_code == "20103"


def test_missing_separator_and_blank_cells(waiban):
    t2 = table(waiban, "表2")
    r = row(t2, code="2101101")
    assert cell(t2, r, "合计").value == Decimal("310349.78") and cell(t2, r, "合计").text == "310349.78"
    blank = cell(t2, r, "上年结转")
    assert blank.text is None and blank.value is None  # blank, not zero


def test_cross_page_continuation_keeps_rows_and_drops_header_spill(waiban, zfb):
    t2 = table(waiban, "表2")
    housing = row(t2, code="2210201")
    assert housing.page == 8 and cell(t2, housing, "合计").value == Decimal("363276.72")
    # The header "政府性基金预算拨款收入" wrapped over the page break; its tail is not a value.
    assert cell(t2, housing, "政府性基金预算拨款收入").text is None
    assert any("款收入" in w for w in waiban.warnings)
    assert t2.columns == ["合计", "上年结转", "一般公共预算拨款收入", "政府性基金预算拨款收入", "上级补助收入",
                          "事业收入", "经营收入", "附属单位上缴收入", "其他收入", "用事业基金弥补收支差额"]
    t9 = table(zfb, "表九")
    assert {r.page for r in t9.rows} == {17, 18, 19}


def test_genuine_inconsistency_is_kept_not_fixed(waiban):
    # 行政运行 differs between 表2 (收入总表) and 表3/表5 (支出): surfacing this is the audit's job.
    assert cell(table(waiban, "表2"), row(table(waiban, "表2"), code="2010301"), "合计").value == Decimal("3573232.28")
    assert cell(table(waiban, "表3"), row(table(waiban, "表3"), code="2010301"), "合计").value == Decimal("3556912.28")


def test_two_sided_summary_table_is_split_into_income_and_expenditure(waiban):
    t1 = table(waiban, "表1")
    assert t1.columns == ["收入项目类别/收入预算金额", "支出项目类别/支出预算金额"]
    assert cell(t1, row(t1, name="进修及培训"), "支出项目类别/支出预算金额").value == Decimal("16320.00")
    assert cell(t1, row(t1, name="收入总计："), "收入项目类别/收入预算金额").value == Decimal("7955559.34")


def test_economic_classification_keys_and_attributes(waiban, zfb):
    t6 = table(waiban, "表6")
    r = row(t6, code="30217")
    assert r.name == "公务接待费" and cell(t6, r, "公用经费").value == Decimal("2217.48")
    assert r.attributes["政府经济分类代码"] == "50206"
    z6 = table(zfb, "表六")
    assert row(z6, code="30101").name == "基本工资"  # keyed by 部门经济分类 even when listed second


def test_three_public_table_rows_with_blank_amounts(zfb):
    t7 = table(zfb, "表七")
    assert t7.columns == ["2020年预算数", "2019年预算数"]
    assert [r.name for r in t7.rows][:2] == ["1、因公出国（境）费", "2、公务接待费"]
    assert cell(t7, row(t7, name="2、公务接待费"), "2019年预算数").value == Decimal("26268.00")
    assert cell(t7, row(t7, name="总计"), "2020年预算数").value == Decimal("47320.24")


def test_project_rows_in_detail_table_carry_project_names(waiban):
    t7 = table(waiban, "表7")
    projects = {r.attributes.get("项目名称"): r for r in t7.rows}
    assert cell(t7, projects["外事工作经费"], "预算金额").value == Decimal("1400000.00")
    assert projects["外事工作经费"].code == "2010399"


def test_headings_and_paragraphs_follow_document_numbering(waiban):
    headings = [(b.level, b.text) for b in waiban.blocks if b.kind == "heading"]
    assert (1, "第一部分2020年部门预算情况说明") in headings
    assert (2, "二、部门预算收支及增减变化情况说明") in headings
    assert (3, "（一）收入预算说明") in headings
    para = next(b for b in waiban.blocks if b.kind == "paragraph" and "收入预算7,955,559.34元" in b.text)
    assert para.section_path[-1] == "（一）收入预算说明" and para.page == 1
    assert para.text.endswith("项目有所增加。")  # wrapped lines joined into one paragraph
