"""``budget-qa export`` and ``budget-qa tables --json``, in-process through ``main([...])`` over a real data dir."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from qa.cli.main import main
from qa.export import TIDY_SHEET
from tests.conftest import ZFB


def test_export_writes_a_workbook_and_a_csv(facts_only_data_dir, tmp_path, capsys):
    data = str(facts_only_data_dir)
    book = tmp_path / "政府办.xlsx"
    assert main(["export", "--document", ZFB.name, "--data-dir", data, str(book)]) == 0  # format from the suffix
    assert "已导出 1 个文档的" in capsys.readouterr().out
    sheets = load_workbook(book).sheetnames
    assert "表九 部门预算明细表" in sheets and sheets[-1] == TIDY_SHEET

    one = tmp_path / "表九.out"
    assert main(["export", "--document", ZFB.name, "--table", "表九", "--format", "csv", "--data-dir", data, str(one)]) == 0
    text = one.read_text(encoding="utf-8-sig")
    assert text.splitlines()[2] == "功能分类代码,功能分类名称,政府经济分类代码,政府经济分类名称,部门经济分类代码,部门经济分类名称,项目名称,预算金额"
    assert "2010301,行政运行,50101,工资奖金津补贴,30101,基本工资,人员支出（在职统发）_基本工资,4868040.00" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf", "{out}.pdf"], "不支持的导出格式：pdf"),
        (["{out}"], "不支持的导出格式：（无扩展名）"),
        ([], "请给出输出文件"),
        (["--document", "没有这个文档", "{out}.xlsx"], "未找到文档：没有这个文档"),
        (["--document", ZFB.name, "--table", "表九十九", "{out}.xlsx"], "没有找到表格「表九十九」"),
        (["{dir}/没有这个目录/x.xlsx"], "输出目录不存在"),
        (["--table", "部门收支总体情况表", "--format", "csv", "{out}.csv"], None),  # one match: allowed
    ],
)
def test_bad_arguments_are_refused_in_chinese(facts_only_data_dir, tmp_path, capsys, args, message):
    filled = [a.format(out=tmp_path / "out", dir=tmp_path) for a in args]
    code = main(["export", *filled, "--data-dir", str(facts_only_data_dir)])
    err = capsys.readouterr().err
    if message is None:
        assert code == 0, err
        return
    assert code == 2 and message in err, err
    assert not list(tmp_path.glob("out*")) and not list(tmp_path.glob(".out*"))  # nothing half-written is left


def test_a_title_matching_several_tables_needs_xlsx(facts_only_data_dir, tmp_path, capsys):
    # The sample prints three 项目支出绩效目标申报表 (one labelled 附1-1): one CSV cannot hold three tables.
    args = ["export", "--document", ZFB.name, "--table", "项目支出绩效目标申报表", "--data-dir", str(facts_only_data_dir)]
    assert main([*args, str(tmp_path / "t.csv")]) == 2 and "匹配到多张表" in capsys.readouterr().err
    assert main([*args, str(tmp_path / "t.xlsx")]) == 0
    sheets = load_workbook(tmp_path / "t.xlsx").sheetnames  # 目录, the three tables, 数据明细
    assert len(sheets) == 5 and len(set(sheets)) == 5, sheets


def test_tables_json_carries_every_key_column(facts_only_data_dir, capsys):
    assert main(["tables", "--document", ZFB.name, "--json", "--data-dir", str(facts_only_data_dir)]) == 0
    tables = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    nine = next(t for t in tables if t["label"] == "表九")
    assert nine["key_columns"][:3] == ["功能分类代码", "功能分类名称", "政府经济分类代码"]
    first, second = nine["rows"][0], nine["rows"][1]
    assert (first["code"], first["name"], first["cells"]) == ("2010301", "行政运行", ["4868040.00"])
    assert first["attributes"]["部门经济分类代码"] == "30101" and second["attributes"]["部门经济分类代码"] == "30102"
    assert first["attributes"]["项目名称"] == "人员支出（在职统发）_基本工资"
    assert first["printed"] == ["2010301", "行政运行", "50101", "工资奖金津补贴", "30101", "基本工资", "人员支出（在职统发）_基本工资"]
    assert {"level", "parent_code", "is_total", "is_subtotal", "unit", "parent_row", "page"} <= set(first)
    keys = [(r["code"], r["name"], json.dumps(r["attributes"], ensure_ascii=False)) for r in nine["rows"]]
    assert len(set(keys)) == len(keys)  # no two rows of 表九 read alike
