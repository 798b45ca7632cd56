"""Identity at ingest and after: stored with where each field was read, warnings in the ingest results
and in ``budget-qa documents``, corrections through the CLI that persist across re-ingest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from index.ingest import Ingestor
from index.store.facts import FactsStore
from qa.cli.main import main
from tests.bad_files import _canvas
from tests.conftest import WAIBAN


def notice_pdf(path: Path) -> Path:
    """A notice about budgets, not a budget: searchable, never a source of figures."""
    c = _canvas(path)
    c.drawString(72, 780, "关于做好2026年部门预算公开工作的通知")
    c.drawString(72, 750, "各区、各部门：现将有关事项通知如下，请按时公开部门预算。")
    c.save()
    return path


def guangzhou_cover_pdf(path: Path) -> Path:
    c = _canvas(path)
    c.drawString(200, 500, "2026年")
    c.drawString(150, 470, "广州市水务局部门预算")
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(72, 780, "目录")
    c.drawString(72, 760, "第一部分广州市水务局概况")
    c.save()
    return path


def test_identity_is_stored_with_level_region_parts_and_sources(settings):
    [result] = Ingestor(settings).ingest([WAIBAN])
    record = FactsStore(settings.db_path).get(result.doc_id)
    assert (record.department, record.level, record.parent) == ("北京市西城区人民政府外事办公室", "部门", record.department)
    assert (record.province, record.city, record.district, record.region) == ("北京市", "北京市", "西城区", "北京市西城区")
    assert record.identity_sources["year"] in ("标题", "封面") and record.is_budget
    assert record.identity_warnings == [] and result.identity_warnings == [] and result.kind == "部门预算"


def test_a_cover_on_two_lines_is_read_at_ingest(settings, tmp_path):
    path = guangzhou_cover_pdf(tmp_path / "005_广州__水务局_2026年部门预算.pdf")
    [result] = Ingestor(settings).ingest([path])
    record = FactsStore(settings.db_path).get(result.doc_id)
    assert (record.department, record.city, record.year, record.kind) == ("广州市水务局", "广州市", 2026, "部门预算")
    assert record.identity_sources["department"] == "封面" and record.cover == "2026年广州市水务局部门预算"


def test_warnings_at_ingest_and_in_documents(tmp_path, capsys):
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copyfile(WAIBAN, folder / "xicheng-waiban-2019.pdf")  # the crawler's name says another year
    notice_pdf(folder / "2026年预算公开通知.pdf")
    data = str(tmp_path / "data")
    assert main(["ingest", str(folder), "--data-dir", data, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "! 文档年份为 2020 年，与文件名中的 2019 年不同" in out
    assert "不是预算或决算公开文件" in out and "2 个需核对身份" in out

    assert main(["documents", "--data-dir", data]) == 0
    listing = capsys.readouterr().out
    assert "北京市西城区人民政府外事办公室〔标题〕" in listing and "2020年〔标题〕" in listing
    assert "! 文档年份为 2020 年，与文件名中的 2019 年不同" in listing and "非预算公开" in listing

    assert main(["documents", "--json", "--data-dir", data]) == 0
    rows = {r["file_name"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["2026年预算公开通知.pdf"]["is_budget"] is False and rows["xicheng-waiban-2019.pdf"]["is_budget"] is True
    assert rows["2026年预算公开通知.pdf"]["kind"] == "非预算公开"


def test_correction_round_trip_through_the_cli_survives_reingest(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "data")
    assert main(["ingest", str(WAIBAN), "--data-dir", data, "--no-progress"]) == 0
    store = FactsStore(Path(data) / "facts.sqlite3")
    doc_id = store.documents()[0].doc_id
    capsys.readouterr()

    assert main(["documents", "--set", doc_id, "year=2021", "类型=部门决算", "region=北京市东城区", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "已更正 xicheng-waiban-2020.pdf" in out and "2021年〔用户更正，原为 2020〕" in out
    record = store.get(doc_id)
    assert (record.year, record.kind, record.region, record.district) == (2021, "部门决算", "北京市东城区", "东城区")
    assert record.identity_sources["year"] == record.identity_sources["kind"] == "用户更正"
    assert record.detected == {"year": "2020", "kind": "部门预算", "region": "北京市西城区"}
    assert store.find("北京市西城区人民政府外事办公室")[0].year == 2021  # what the answer side reads

    assert main(["documents", "--set", doc_id, "year=明年", "--data-dir", data]) == 2
    assert "年份应为四位数字" in capsys.readouterr().err
    assert main(["documents", "--set", "没有这个文件", "year=2021", "--data-dir", data]) == 2
    assert "未找到文档" in capsys.readouterr().err
    assert main(["documents", "--set", doc_id, "颜色=红", "--data-dir", data]) == 2

    # A new reader reads the file again: the document is re-read, the corrections still hold.
    monkeypatch.setattr("index.ingest.READER_VERSION", "a-newer-reader")
    assert main(["ingest", str(WAIBAN), "--data-dir", data, "--no-progress"]) == 0
    assert "✓ xicheng-waiban-2020.pdf" in capsys.readouterr().out
    record = store.get(doc_id)
    assert (record.year, record.kind, record.identity_sources["year"]) == (2021, "部门决算", "用户更正")
    assert store.document_model(doc_id).identity.year == 2020  # the model keeps what the document says

    assert main(["documents", "--set", doc_id, "year=", "kind=", "region=", "--data-dir", data]) == 0
    assert "撤销" in capsys.readouterr().out
    record = store.get(doc_id)
    assert (record.year, record.kind, record.region) == (2020, "部门预算", "北京市西城区")
    assert "用户更正" not in record.identity_sources.values() and record.detected == {}


def test_a_correction_settles_the_warning_it_answers(settings, tmp_path):
    path = tmp_path / "xicheng-waiban-2019.pdf"
    shutil.copyfile(WAIBAN, path)
    ingestor = Ingestor(settings)
    [result] = ingestor.ingest([path])
    assert result.identity_warnings == ["文档年份为 2020 年，与文件名中的 2019 年不同"]
    fixed = ingestor.correct(result.doc_id, {"year": "2020"})
    assert fixed.identity_warnings == [] and fixed.identity_sources["year"] == "用户更正"


def test_a_data_dir_made_before_identity_columns_is_migrated(tmp_path):
    import sqlite3

    db = tmp_path / "facts.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, "
                 "stored_path TEXT NOT NULL, status TEXT NOT NULL, department TEXT, short_name TEXT, aliases TEXT, "
                 "region TEXT, year INTEGER, kind TEXT, group_name TEXT, pages INTEGER, n_tables INTEGER, "
                 "n_facts INTEGER, n_narrative INTEGER, warnings TEXT, ingested_at TEXT NOT NULL)")
    conn.execute("INSERT INTO documents VALUES ('d1','a.pdf','s1','/x','ready','北京市某局',NULL,'[]','北京市',2020,"
                 "'部门预算',NULL,1,0,0,0,'[]','2020-01-01')")
    conn.commit()
    conn.close()
    store = FactsStore(db)
    [record] = store.documents()
    assert record.department == "北京市某局" and record.level is None and record.identity_sources == {}
    store.set_corrections("s1", {"level": "本级"})
    assert store.get("d1").level == "本级"
