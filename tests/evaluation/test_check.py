"""``budget-qa check``: the battery verified against the documents, identity against a manifest, no gold."""

from __future__ import annotations

import json
from decimal import Decimal

from index.core.settings import Settings
from qa.cli.main import main
from qa.contract import Answer, Citation
from qa.evaluation.check import (
    check_document,
    manifest_agreement,
    printed_on,
    prints_figure,
    read_manifest,
    summarize,
    verify,
)
from qa.services import Services
from tests.conftest import WAIBAN


def test_printed_on_accepts_the_printed_figure_in_any_money_unit():
    page = "2020年收入预算 7,955,559.34 元，其中财政拨款 795.56 万元；编制 16 人。"
    assert printed_on(Decimal("7955559.34"), "元", page)
    assert printed_on(Decimal("795.555934"), "万元", page)  # printed in 元 on the page
    assert printed_on(Decimal("7955600"), "元", page)  # printed as 795.56 万元
    assert not printed_on(Decimal("7955559.35"), "元", page)
    assert not printed_on(Decimal("7955.56"), "人", page)


def test_printed_on_reads_an_amount_grouped_irregularly():
    """001_上海…人力资源和社会保障局 p10 prints "125360, 898" (元), which the reader reads as 125,360,898; a list
    ("2026，100") still prints its first number."""
    page = "208 社会保障和就业支出 125360,898 23051,310 102309,588；分别为2026，100"
    assert printed_on(Decimal("125360898"), "元", page) and printed_on(Decimal("23051310"), "元", page)
    assert printed_on(Decimal("2026"), "元", page)
    assert not printed_on(Decimal("23051311"), "元", page)


def test_printed_on_reads_amounts_of_adjacent_cells_extracted_without_a_space():
    """表13's text "39,969,215.0031,351,500.00" is two cells: 31,351,500.00 is printed there; the glued
    string is no third figure."""
    page = "合计 57,232,550.0039,358,500.00 183,500.00 39,969,215.0031,351,500.00 193,500.00"
    assert printed_on(Decimal("31351500.00"), "元", page)
    assert printed_on(Decimal("39969215.00"), "元", page)
    assert not printed_on(Decimal("39969215.0031"), "元", page)


def test_verify_rejects_other_documents_and_figures_not_on_the_page():
    pages = {("a", 3): "支出总计 1,234.50"}

    def page_text(doc_id, page):
        return pages.get((doc_id, page))

    cited = Citation(document="a.pdf", page=3, doc_id="a", value="1234.50")
    good = Answer(question="q", status="answered", answer="…", value="1234.50", unit="元", method="lookup", citations=[cited])
    assert verify(good, {"a"}, page_text) == ""
    assert "其他文档" in verify(good, {"b"}, page_text)
    wrong = good.model_copy(update={"value": "1234.60"})
    assert "没有印着" in verify(wrong, {"a"}, page_text)
    uncited = good.model_copy(update={"citations": []})
    assert verify(uncited, {"a"}, page_text) == "回答没有引用"


def test_verify_reads_the_cited_cell_when_the_page_text_runs_two_cells_together():
    """西安 表13's text prints "1005250126300" for two cells (1005250 | 126300): the cited cell's own
    characters show 126300; a figure in neither place is still not printed."""
    cited = Citation(document="a.pdf", page=61, doc_id="a", value="126300", bbox=(400.7, 181.7, 421.8, 198.0))
    answer = Answer(question="q", status="answered", answer="…", value="126300", unit="元", method="lookup",
                    citations=[cited])

    def page_text(doc_id, page):
        return "1 合计 746130 119390 0 104390 15000 0 15000 306185 320555 1005250126300 0 51300"

    assert "没有印着" in verify(answer, {"a"}, page_text)
    assert verify(answer, {"a"}, page_text, lambda c: "126300" if c.bbox else None) == ""
    other = answer.model_copy(update={"value": "126301"})
    assert "没有印着" in verify(other, {"a"}, page_text, lambda c: "126300")


def test_a_name_only_in_the_contents_or_a_definition_is_not_disclosed():
    contents = "目录五、一般公共预算支出表六、一般公共预算基本支出表……12"
    assert not prints_figure(["一般公共预算支出"], contents, "")
    assert prints_figure(["一般公共预算支出"], contents, "一般公共预算支出表|合计")  # a table's title prints it
    assert prints_figure(["一般公共预算支出"], "2026年一般公共预算支出预算1,234.56万元", "")


def test_battery_on_the_samples_is_verified(facts_only_data_dir):
    services = Services(Settings(data_dir=facts_only_data_dir))
    records = services.store.documents()
    waiban = next(r for r in records if r.file_name == WAIBAN.name)
    result = check_document(services, waiban, records, {})
    verdicts = {i.item: i.verdict for i in result.items}
    assert verdicts["收入总计"] == verdicts["支出总计"] == "verified"
    assert verdicts["三公经费"] == "verified"
    assert result.totals_balance is True
    assert result.verified == result.disclosed >= 7
    summary = summarize([result])["overall"]
    assert summary["foreign_citations"] == 0 and summary["verdicts"]["wrong"] == 0


def test_manifest_comparison(tmp_path, facts_only_data_dir):
    manifest = tmp_path / "MANIFEST.tsv"
    manifest.write_text(
        "# comment\n# file\tclass\tpublisher\tyear\tcity\n"
        f"{WAIBAN.name}\tbudget\t北京市西城区人民政府外事办公室\t2020\t北京\n"
        "other.pdf\tfinal account (决算)\t某局\t2022\t西安\n",
        encoding="utf-8",
    )
    rows = read_manifest(manifest)
    services = Services(Settings(data_dir=facts_only_data_dir))
    record = next(r for r in services.store.documents() if r.file_name == WAIBAN.name)
    assert manifest_agreement(record, rows[WAIBAN.name]) == {"publisher": True, "year": True, "kind": True}
    wrong_year = rows[WAIBAN.name].__class__(WAIBAN.name, "budget", "北京市西城区人民政府外事办公室", 2021, "北京")
    assert manifest_agreement(record, wrong_year)["year"] is False
    as_final = rows["other.pdf"].__class__(WAIBAN.name, "final account (决算)", "北京市西城区人民政府外事办公室", 2020, "北京")
    assert manifest_agreement(record, as_final)["kind"] is False


def test_check_command_writes_reports(tmp_path, capsys):
    data_dir, report = tmp_path / "data", tmp_path / "report"
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / WAIBAN.name).write_bytes(WAIBAN.read_bytes())
    (folder / "MANIFEST.tsv").write_text(f"{WAIBAN.name}\tbudget\t北京市西城区人民政府外事办公室\t2020\t北京\n",
                                         encoding="utf-8")
    assert main(["check", str(folder), "--data-dir", str(data_dir), "--report", str(report), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["overall"]
    assert summary["documents"] == 1 and summary["manifest_all"] == 1 and summary["verdicts"]["wrong"] == 0
    assert "北京市西城区人民政府外事办公室" in (report / "check.md").read_text(encoding="utf-8")
    assert main(["check", "--data-dir", str(data_dir)]) == 2  # neither files nor --all
