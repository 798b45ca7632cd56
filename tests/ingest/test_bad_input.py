"""Bad input: every broken file gets a clear one-line reason, nothing crashes, good files beside them go in."""

import subprocess
import sys
from decimal import Decimal

from index.ingest import Ingestor
from index.read.parse import parse_pdf
from index.store.facts import FactsStore
from tests.bad_files import UNRULED_ROWS, make_bad_corpus, many_pages_pdf, unruled_table_pdf
from tests.conftest import WAIBAN, ZFB

EXPECTED_REASONS = {
    "zero.pdf": "空文件",
    "random.pdf": "不是 PDF",
    "truncated.pdf": "PDF",
    "encrypted.pdf": "加密",
    "scan.pdf": "OCR",
    "report.pdf": "docx",
}


def test_bad_corpus_reasons_and_good_files_survive(settings, tmp_path):
    Ingestor(settings).ingest([ZFB])
    bad = make_bad_corpus(tmp_path / "bad")
    results = {r.file_name: r for r in Ingestor(settings).ingest([tmp_path / "bad", WAIBAN])}
    for name, reason in EXPECTED_REASONS.items():
        assert results[name].status == "failed", name
        assert reason in results[name].reason, (name, results[name].reason)
        line = results[name].summary()
        assert "\n" not in line and name in line
    odd = results[bad["odd_name"].name]
    assert odd.status == "ingested"
    assert "\u202e" not in odd.summary() and "\n" not in odd.summary()  # no bidi trickery in messages
    assert results["xicheng-waiban-2020.pdf"].status == "ingested"
    docs = {d.file_name for d in FactsStore(settings.db_path).documents()}
    assert {"xicheng-zfb-2020.pdf", "xicheng-waiban-2020.pdf", bad["odd_name"].name} == docs


def test_cli_reports_each_bad_file_and_fails_overall(tmp_path):
    make_bad_corpus(tmp_path / "bad")
    proc = subprocess.run(
        [sys.executable, "-m", "qa.cli.main", "ingest", str(tmp_path / "bad"), "--data-dir", str(tmp_path / "data"), "--no-progress"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    for name in EXPECTED_REASONS:
        assert sum(1 for line in lines if line.startswith("✗") and name in line) == 1, proc.stdout
    assert "Traceback" not in proc.stderr


def test_same_content_twice_in_one_batch_is_stored_once(settings, tmp_path):
    import shutil

    shutil.copyfile(WAIBAN, tmp_path / "copy.pdf")
    results = Ingestor(settings).ingest([WAIBAN, tmp_path / "copy.pdf"])
    assert [r.status for r in results] == ["ingested", "unchanged"]
    assert "xicheng-waiban-2020.pdf" in results[1].reason
    assert len(FactsStore(settings.db_path).documents()) == 1


def test_table_without_ruling_lines_uses_text_alignment(tmp_path):
    doc = parse_pdf(unruled_table_pdf(tmp_path / "unruled.pdf"))
    table = next(t for t in doc.tables if t.label == "表3")
    assert table.title == "2020年部门支出总表" and table.unit == "元"
    assert table.columns == ["合计", "基本支出", "项目支出"]
    rows = {r.code: r for r in table.rows}
    assert set(rows) == {row[0] for row in UNRULED_ROWS[1:]}
    assert rows["2010302"].cells[2].value == Decimal("69439.12")
    assert rows["20103"].name == "政府办公厅（室）及相关机构事务"


def test_five_hundred_page_pdf_is_ingested(settings, tmp_path):
    result = Ingestor(settings).ingest([many_pages_pdf(tmp_path / "long.pdf")])[0]
    assert result.status == "ingested" and result.pages == 500


def test_page_limit_is_a_clear_refusal(tmp_path):
    from index.core.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    settings.ingest.max_pages = 100
    result = Ingestor(settings).ingest([many_pages_pdf(tmp_path / "long.pdf", pages=120)])[0]
    assert result.status == "failed" and "页数过多" in result.reason
