"""The figure audit on the sample corpus: the source's own inconsistencies, no false alarms, and
errors planted in otherwise clean tables and narrative (a copy of the real store, one figure changed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from index.core.units import Amount
from index.store.facts import FactsStore
from qa.audit.model import Figure, Location, differs
from qa.audit.run import run_audit

WAIBAN_NAME = "xicheng-waiban-2020.pdf"
ZFB_NAME = "xicheng-zfb-2020.pdf"


@pytest.fixture(scope="module")
def findings(facts_only_data_dir):
    return run_audit(FactsStore(facts_only_data_dir / "facts.sqlite3"))


def of(findings, document, kind=None):
    return [f for f in findings if f.locations[0].document == document and (kind is None or f.kind == kind)]


@pytest.fixture
def store_copy(facts_only_data_dir, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(facts_only_data_dir, target)
    return FactsStore(target / "facts.sqlite3")


def plant_cell(store, file_name, label, column, text, code=None, name=None):
    """Change one printed figure in the stored document model (the audit reads nothing else)."""
    record = next(r for r in store.documents() if r.file_name == file_name)
    document = store.document_model(record.doc_id)
    table = next(t for t in document.tables if t.label == label)
    row = next(r for r in table.rows if (code and r.code == code) or (name and r.name == name))
    cell = row.cells[table.columns.index(column)]
    cell.text, cell.value = text, Decimal(text.replace(",", ""))
    with store.transaction() as conn:
        conn.execute("UPDATE document_models SET model = ? WHERE doc_id = ?", (document.model_dump_json(), record.doc_id))


def plant_narrative(store, file_name, old_text, new_value, new_text):
    """Change one narrative figure, in its sentence too (the audit reads where a figure stands)."""
    record = next(r for r in store.documents() if r.file_name == file_name)
    with store.transaction() as conn:
        sentences = [r[0] for r in conn.execute(
            "SELECT sentence FROM narrative_facts WHERE doc_id = ? AND text = ?", (record.doc_id, old_text))]
        changed = conn.execute(
            "UPDATE narrative_facts SET value = ?, text = ? WHERE doc_id = ? AND text = ?",
            (new_value, new_text, record.doc_id, old_text),
        ).rowcount
        for sentence in sentences:  # every figure of the sentence quotes it
            conn.execute("UPDATE narrative_facts SET sentence = ? WHERE doc_id = ? AND sentence = ?",
                         (sentence.replace(old_text, new_text), record.doc_id, sentence))
    assert changed >= 1


# --- what the samples say ------------------------------------------------------------------------

def test_waiban_table2_administration_differs_from_tables_3_5_7(findings):
    cross = of(findings, WAIBAN_NAME, "cross_table")
    assert len(cross) == 1
    f = cross[0]
    assert f.message == "表2「行政运行」(2010301) 合计 3,573,232.28 ≠ 表3、表5、表7 3,556,912.28（差 16,320.00）"
    assert f.figures == ["3573232.28", "3556912.28", "16320.00"]
    assert (f.locations[0].table, f.locations[0].page, f.locations[0].column) == ("表2", 7, "合计")
    assert {(loc.table, loc.page) for loc in f.locations[1:]} == {("表3", 9), ("表5", 12), ("表7", 15)}
    assert f.locations[3].row.endswith("（19行之和）")  # 明细表 rows of one code are summed first


def test_waiban_findings_are_exactly_the_two_genuine_inconsistencies(findings):
    """表2 行政运行 carries 16,320.00 (培训费) that 表3/表5 moved to 205; 表3/表5 201/20103 项目支出
    2,153,119.12 is 16,320.00 short of its items (69,439.12 + 2,100,000.00) — checked against the seed text."""
    got = {(f.kind, f.message) for f in of(findings, WAIBAN_NAME)}
    assert got == {
        ("hierarchy", "表2「政府办公厅（室）及相关机构事务」(20103) 合计、一般公共预算拨款收入 5,726,351.40 ≠ 下级科目之和 5,742,671.40（差 -16,320.00）"),
        ("hierarchy", "表3、表5「政府办公厅（室）及相关机构事务」(20103) 项目支出 2,153,119.12 ≠ 下级科目之和 2,169,439.12（差 -16,320.00）"),
        ("total_row", "表3、表5「合计」项目支出 2,739,939.12 ≠ 各科目之和 2,723,619.12（差 16,320.00）"),
        ("row_sum", "表3、表5「一般公共服务支出」(201) 合计 5,726,351.40 ≠ 基本支出＋项目支出 5,710,031.40（差 16,320.00）"),
        ("row_sum", "表3、表5「政府办公厅（室）及相关机构事务」(20103) 合计 5,726,351.40 ≠ 基本支出＋项目支出 5,710,031.40（差 16,320.00）"),
        ("cross_table", "表2「行政运行」(2010301) 合计 3,573,232.28 ≠ 表3、表5、表7 3,556,912.28（差 16,320.00）"),
    }
    assert all(f.severity == "error" for f in of(findings, WAIBAN_NAME))


def test_zfb_findings_blank_three_public_row_and_project_total_in_text(findings):
    got = {(f.kind, f.severity, f.message) for f in of(findings, ZFB_NAME)}
    assert got == {
        # 表七 prints 3、公务用车购置及运行维护费 blank although its 运行维护费 is 25,000.00.
        ("total_row", "warning", "表七「总计」2020年预算数 47,320.24 ≠ 各项之和 22,320.24（差 25,000.00），其中有空白项"),
        # "占项目支出8691.03万元的95.8%" while 表三/表五 and the text say 87,408,947.32 元.
        ("narrative_table", "warning", "正文「占项目支出」8,691.03万元 ≠ 表三「总计」项目支出 87,408,947.32元（差 -49.86万元）"),
        # p25 and p27 print 年度资金总额 1610000 and 1500000 under "项目资金（万元）": 元 figures labelled 万元
        # (表九 and p29's "178.4万元" for 通讯指挥中心运维费 give the projects in 元).
        ("performance_target", "error", "项目支出绩效目标申报表「西城区2020年度政府绩效管理项目」「年度资金总额」1,610,000万元 ≠ "
                                        "表九「西城区2020年度政府绩效管理项目」预算金额 1,610,000.00元（差 1,609,839.00万元），"
                                        "数字相同而单位不同（元与万元）"),
        ("performance_target", "error", "项目支出绩效目标申报表「区服务联络办工作经费」「年度资金总额」1,500,000万元 ≠ "
                                        "表九「区服务联络办工作经费」预算金额 1,500,000.00元（差 1,499,850.00万元），"
                                        "数字相同而单位不同（元与万元）"),
    }


def test_clean_parts_raise_nothing(findings):
    """Narrative growth rates, 收支总表, 三公, 基本支出表 (30399 printed twice), 明细表: all consistent."""
    quiet_tables = {"表1", "表4", "表6", "表7", "表9", "表一", "表二", "表四", "表五", "表六", "表九"}
    assert not [f for f in findings if f.locations[0].table in quiet_tables]
    assert not of(findings, WAIBAN_NAME, "narrative_arithmetic") and not of(findings, ZFB_NAME, "narrative_arithmetic")


def test_rounding_is_not_a_finding():
    where = Location(document="x")
    wan = Figure(Amount(Decimal("795.56"), "万元", "795.56"), where)
    yuan = Figure(Amount(Decimal("7955559.34"), "元", "7,955,559.34"), where)
    assert not differs(wan.yuan, yuan.yuan, wan.slack + yuan.slack)  # 50 元 either way
    one_decimal = Figure(Amount(Decimal("37536202.9"), "元", "37536202.9"), where)  # zfb 表六 总计
    assert one_decimal.slack == Decimal("0.05")
    off = Figure(Amount(Decimal("795.57"), "万元", "795.57"), where)
    assert differs(off.yuan, yuan.yuan, off.slack + yuan.slack)


# --- planted errors in clean tables ----------------------------------------------------------------

def test_planted_item_error_breaks_its_parent_and_its_row(store_copy):
    plant_cell(store_copy, WAIBAN_NAME, "表6", "合计", "38,500.00", code="30201")
    new = {(f.kind, f.locations[0].table, f.locations[0].row) for f in run_audit(store_copy)}
    assert ("hierarchy", "表6", "302 商品和服务支出") in new
    assert ("row_sum", "表6", "30201 办公费") in new


def test_planted_outline_error_in_fiscal_summary(store_copy):
    plant_cell(store_copy, ZFB_NAME, "表四", "支出/预算金额", "76411871.98", name="（三）科学技术支出")
    found = [f for f in run_audit(store_copy) if f.locations[0].table == "表四"]
    assert [f.kind for f in found] == ["hierarchy"]
    assert "「一、本年支出」" in found[0].message and "（差 -100.00）" in found[0].message


def test_planted_summary_total_breaks_balance_and_meets_the_general_budget_table(store_copy):
    plant_cell(store_copy, ZFB_NAME, "表四", "支出/预算金额", "124945250.26", name="支出总计：")
    found = {(f.kind, f.severity, f.message) for f in run_audit(store_copy) if f.locations[0].table == "表四"}
    assert found == {
        ("total_row", "error", "表四「支出总计」支出/预算金额 124,945,250.26 ≠ 各项之和 124,945,150.26（差 100.00）"),
        ("balance", "error", "表四「收入总计」收入/预算金额 124,945,150.26 ≠ 支出总计 124,945,250.26（差 -100.00）"),
        ("cross_table", "error", "表四「支出总计」124,945,250.26 ≠ 表五合计 124,945,150.26（差 100.00）"),
    }


def test_planted_cross_table_error(store_copy):
    plant_cell(store_copy, ZFB_NAME, "表五", "合计", "116380.00", code="2050803")
    cross = [f for f in run_audit(store_copy) if f.kind == "cross_table"]
    assert any(f.message.startswith("表五「培训支出」(2050803) 合计 116,380.00 ≠ 表二、表三、表九 116,280.00") for f in cross)


def test_planted_narrative_errors(store_copy):
    plant_narrative(store_copy, WAIBAN_NAME, "8.29%", "8.39", "8.39%")
    plant_narrative(store_copy, ZFB_NAME, "37536202.94元", "37536302.94", "37536302.94元")
    new = run_audit(store_copy)
    rate = of(new, WAIBAN_NAME, "narrative_arithmetic")
    assert len(rate) == 1 and "8.29%" in rate[0].message and "8.39%" in rate[0].message
    basic = of(new, ZFB_NAME, "narrative_table")
    assert any("37,536,302.94元" in f.message and "基本支出" in f.message for f in basic)
    assert any("4,497,127.42" in f.message for f in of(new, ZFB_NAME, "narrative_arithmetic"))


# --- the command -----------------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "qa.cli.main", "audit", *args], capture_output=True, text=True, timeout=120)


def test_cli_json_and_text(facts_only_data_dir):
    done = run_cli("--data-dir", str(facts_only_data_dir), "--json")
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert len(items) == 10
    for item in items:
        assert set(item) == {"kind", "severity", "message", "figures", "locations"}
        assert all(Decimal(x) is not None for x in item["figures"])
        assert all(set(loc) == {"document", "page", "table", "row", "column", "value"} for loc in item["locations"])
    text = run_cli("--data-dir", str(facts_only_data_dir), "--document", "区政府外办")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[0] == "xicheng-waiban-2020.pdf：6 条（错误 6，提示 0）"
    assert "[错误][cross_table] 表2「行政运行」(2010301) 合计 3,573,232.28" in text.stdout and ZFB_NAME not in text.stdout


def test_cli_unknown_document_is_an_error(facts_only_data_dir):
    done = run_cli("--data-dir", str(facts_only_data_dir), "--document", "不存在的部门")
    assert done.returncode == 2 and "未找到文档" in done.stderr
