"""Exports of a real disclosure ingested through the real path, opened with openpyxl and csv: 表九 cell by cell
against what pdfplumber reads off the printed pages, figures as numbers, the tidy sheet adding up to each
coded table's 合计, CSV round trips, valid sheet names, two-sided tables side by side again."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from index.core.text import compact
from index.core.units import Amount
from index.store.facts import FactsStore
from qa.catalog import Catalog
from qa.export import INDEX_SHEET, TIDY_SHEET, ExportError, select_tables, sheet_name, write_csv, write_xlsx
from qa.export.layout import header_rows
from tests.conftest import ZFB


@pytest.fixture(scope="module")
def catalog(facts_only_data_dir) -> Catalog:
    return Catalog(FactsStore(facts_only_data_dir / "facts.sqlite3"))


@pytest.fixture(scope="module")
def zfb_book(catalog, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "zfb.xlsx"
    write_xlsx(select_tables(catalog, ZFB.name), out)
    return out


def sheet_of(book, label: str):
    """The sheet the 目录 lists for a table label."""
    listed = list(book[INDEX_SHEET].iter_rows(min_row=2, values_only=True))
    names = [row[0] for row in listed if row[5] == label]
    assert len(names) == 1, listed
    return book[names[0]]


def printed_rows(pages: range) -> tuple[list[str], list[list[str]]]:
    """The header and body rows pdfplumber reads off the pages of one table (its header repeats on every page)."""
    header: list[str] = []
    body: list[list[str]] = []
    with pdfplumber.open(ZFB) as pdf:
        for n in pages:
            (grid,) = pdf.pages[n - 1].extract_tables()
            header = [compact(c) for c in grid[0]]
            body += [[compact(c) for c in row] for row in grid[1:] if any(row)]
    return header, body


def test_table_nine_is_the_printed_table_cell_by_cell(zfb_book):
    book = load_workbook(zfb_book)
    ws = sheet_of(book, "表九")
    assert ws["A1"].value == "表九 部门预算明细表"
    assert ws["A2"].value.startswith("单位：元") and "第17–19页" in ws["A2"].value
    header, body = printed_rows(range(17, 20))
    assert [c.value for c in ws[3]] == header  # 功能分类代码 … 项目名称, 预算金额: every key column kept
    rows = list(ws.iter_rows(min_row=4))
    assert len(rows) == len(body) == 61
    for cells, printed in zip(rows, body):
        *keys, amount = cells
        assert [compact(c.value) for c in keys] == printed[:-1]
        assert amount.data_type == "n" and amount.number_format == "#,##0.00", (amount.value, amount.number_format)
        assert Decimal(str(amount.value)).quantize(Decimal("0.01")) == Decimal(printed[-1])
    # Rows that read alike by 科目 alone differ by their economic class and project, as printed.
    assert len({tuple(c.value for c in r[:7]) for r in rows}) == len(rows)


def test_tidy_sheet_holds_every_stored_figure_with_its_provenance(zfb_book, catalog):
    book = load_workbook(zfb_book)
    ws = book[TIDY_SHEET]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    (record,) = catalog.resolve(ZFB.name)
    assert len(rows) == record.n_facts  # one row per fact the store holds
    for key in ("政府经济分类代码", "部门经济分类代码", "项目名称", "预算单位", "所属行", "上级编码"):
        assert key in header
    stored = {(f.table_index + 1, f.row_index + 1, f.column): f for f in catalog.store.facts([record.doc_id])}
    for row in rows:
        fact = stored[(row["表序"], row["行序"], row["列"])]
        assert isinstance(row["数值"], int | float)
        assert Decimal(str(row["数值"])) == fact.value
        assert (row["页码"], row["编码"], row["名称"], row["单位"]) == (fact.page, fact.code, fact.name, fact.unit)
        assert (row["文档"], row["发布单位"], row["年度"], row["类型"]) == (ZFB.name, record.department, 2020, "部门预算")
    detail = next(r for r in rows if r["表号"] == "表九" and r["项目名称"] == "人员支出（在职统发）_基本工资")
    assert (detail["编码"], detail["部门经济分类代码"], detail["政府经济分类代码"], detail["页码"]) == ("2010301", "30101", "50101", 17)


def test_tidy_values_add_up_to_each_coded_tables_total(zfb_book):
    """Per table and column: the rows no other row is part of add up to the 合计 row, within their printed
    rounding (表六 prints 37,536,202.90 over parts adding to 37,536,202.94). Tables keyed by 科目 code only:
    elsewhere which rows are parts of which is not printed as codes."""
    book = load_workbook(zfb_book)
    ws = book[TIDY_SHEET]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    tables: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        tables[row["表序"]].append(row)
    checked = set()
    for table_rows in tables.values():
        if not all(r["级次"] for r in table_rows if r["行类型"] != "合计"):
            continue
        parents = {r["上级编码"] for r in table_rows}
        columns: dict[str, list[dict]] = defaultdict(list)
        for row in table_rows:
            columns[row["列"]].append(row)
        for column, cells in columns.items():
            totals = [r for r in cells if r["行类型"] == "合计"]
            leaves = [r for r in cells if r["行类型"] == "明细" and r["编码"] not in parents]
            if not totals or not leaves:
                continue
            amounts = [Amount(Decimal(str(r["数值"])), r["单位"], r["原文"]) for r in leaves]
            total = Amount(Decimal(str(totals[0]["数值"])), totals[0]["单位"], totals[0]["原文"])
            gap = abs(sum((a.value for a in amounts), Decimal(0)) - total.value)
            assert gap <= total.slack + sum(a.slack for a in amounts), (totals[0]["表号"], column, gap)
            checked.add((totals[0]["表号"], column))
    assert {("表二", "合计"), ("表三", "项目支出"), ("表五", "基本支出"), ("表六", "公用经费"), ("表九", "预算金额")} <= checked
    assert len(checked) >= 12, checked


def test_csv_round_trips_the_tidy_rows_and_one_table(catalog, tmp_path, zfb_book):
    sources = select_tables(catalog, ZFB.name)
    tidy_csv = tmp_path / "tidy.csv"
    write_csv(sources, tidy_csv)
    assert tidy_csv.read_bytes().startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    with open(tidy_csv, encoding="utf-8-sig", newline="") as fh:
        from_csv = list(csv.DictReader(fh))
    ws = load_workbook(zfb_book)[TIDY_SHEET]
    header = [c.value for c in ws[1]]
    from_xlsx = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(from_csv) == len(from_xlsx)
    for a, b in zip(from_csv, from_xlsx):
        assert Decimal(a["数值"]) == Decimal(str(b["数值"])).quantize(Decimal(a["数值"]))
        assert (a["表号"], a["编码"] or None, a["项目名称"] or None, a["列"]) == (b["表号"], b["编码"], b["项目名称"], b["列"])

    table_csv = tmp_path / "表九.csv"
    write_csv(select_tables(catalog, ZFB.name, "表九"), table_csv, as_printed=True)
    with open(table_csv, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    header_row, body = printed_rows(range(17, 20))
    assert lines[0] == ["表九 部门预算明细表"] and lines[1][0].startswith("单位：元")
    assert lines[2] == header_row
    assert [[compact(c) for c in line[:-1]] + [line[-1]] for line in lines[3:]] == body


def test_two_sided_table_is_side_by_side_again(zfb_book):
    ws = sheet_of(load_workbook(zfb_book), "表四")
    assert [c.value for c in ws[3]] == ["收入", None, "支出", None]
    assert [c.value for c in ws[4]] == ["项目", "预算金额", "项目", "预算金额"]
    assert {str(m) for m in ws.merged_cells.ranges} >= {"A3:B3", "C3:D3"}
    lines = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert lines[0] == ["一、本年收入", 124945150.26, "一、本年支出", 124945150.26]
    assert lines[3] == [None, None, "（三）科学技术支出", 76411771.98]  # printed where 收入 has nothing
    assert lines[-1] == ["收入总计：", 124945150.26, "支出总计：", 124945150.26]


def test_merged_headers_and_sheet_names():
    header, merges = header_rows(["科目/科目编码", "科目/科目名称", "合计", "收入/财政拨款", "收入/事业收入"])
    assert header == [["科目", None, "合计", "收入", None], ["科目编码", "科目名称", None, "财政拨款", "事业收入"]]
    assert sorted(merges) == [(0, 0, 0, 1), (0, 2, 1, 2), (0, 3, 0, 4)]
    taken: set[str] = set()
    long = "表三 2020年一般公共预算财政拨款支出情况表[调整后]:*?/\\"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert first != second and len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first + second)
    assert sheet_name("'表一'", taken) == "表一"


def test_several_documents_get_one_sheet_per_table_each(catalog, tmp_path):
    out = tmp_path / "all.xlsx"
    sources = select_tables(catalog)
    write_xlsx(sources, out)
    book = load_workbook(out)
    assert book.sheetnames[0] == INDEX_SHEET and book.sheetnames[-1] == TIDY_SHEET
    assert len(book.sheetnames) == len(sources) + 2
    assert len({s.lower() for s in book.sheetnames}) == len(book.sheetnames)
    assert {r[1] for r in book[INDEX_SHEET].iter_rows(min_row=2, values_only=True)} == {s.record.file_name for s in sources}


def test_unknown_table_or_document_is_refused_in_chinese(catalog):
    with pytest.raises(ExportError, match="没有找到表格「表九十九」；可用的表格：.*表九"):
        select_tables(catalog, ZFB.name, "表九十九")
    with pytest.raises(ExportError, match="未找到文档"):
        select_tables(catalog, "没有这个文档.pdf")
