"""Scans read by OCR: the sample disclosures' table pages, rendered to images and wrapped as image-only
PDFs, must read back into the same tables as their text layer; OCR figures are marked as such in the
store, the citations and the audit; with OCR off a scan is refused as before.

The comparison uses a fixed subset of table pages (CI time: a page takes 5–15 s to read on a loaded
core); ``eval/ocr_check.py`` measures every page of both samples. The subset covers each way a table is
drawn in the samples: 外办 p6 (收支总表, income and spending side by side), p7–8 (收入总表 flowing onto
a second page, 12 columns with a three-row header), 政府办 p12 (一般公共预算支出情况表, codes and
names in one column) and p15 (三公经费 table with wrapped header cells).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from eval.ocr_check import compare_tables, only_pages, scan_copy
from index.core.model import Document, Page
from index.core.numbers import ocr_number_doubt
from index.core.text import cjk_punctuation
from index.ingest import Ingestor
from index.read.ocr import OcrOptions
from index.read.parse import parse_pdf
from index.read.pdf import IngestError
from index.read.supervised import TOO_COMPLEX, ParseLimits, parse_files
from index.store.facts import FactsStore
from qa.audit.model import Finding, Location
from qa.audit.run import mark_ocr
from qa.cli.output import render_answer
from qa.contract import OCR_NOTE, Answer
from qa.figures.figure import table_figure
from qa.web.conversation import where
from tests.conftest import WAIBAN, ZFB

pytestmark = pytest.mark.slow
SUBSET = {WAIBAN: [6, 7, 8], ZFB: [12, 15]}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[Path, tuple[Document, Document]]:
    """Each sample's subset: (text-layer parse, OCR parse of its scan)."""
    tmp = tmp_path_factory.mktemp("scans")
    out = {}
    for source, pages in SUBSET.items():
        text = parse_pdf(only_pages(source, tmp / f"{source.stem}-text.pdf", pages))
        scan = parse_pdf(scan_copy(source, tmp / f"{source.stem}-scan.pdf", pages), ocr=OcrOptions())
        out[source] = (text, scan)
    return out


def test_scanned_tables_read_like_their_text_layer(scans):
    total = None
    for text, scan in scans.values():
        assert all(p.ocr for p in scan.pages)
        assert [t.title for t in scan.tables] == [t.title for t in text.tables]
        result = compare_tables(text, scan)
        if total is None:
            total = result
        else:
            total.add(result)
    assert total is not None and total.cells >= 500  # 549 cells in the subset: a table lost would show
    assert total.share >= 0.99, f"{total.share:.2%} identical; differing: {total.differences}"


def test_scanned_figures_are_marked_and_flagged(scans):
    text, scan = scans[WAIBAN]
    ocr_cells = [c for t in scan.tables for r in t.rows for c in r.cells if c.value is not None]
    assert ocr_cells and all(c.ocr for c in ocr_cells)
    assert not any(c.ocr for t in text.tables for r in t.rows for c in r.cells)
    assert any("OCR 识别" in w and "第 1–3 页" in w for w in scan.warnings)


def test_ambiguous_ocr_figures_stay_text():
    # Clean forms, as the samples print them (full-width commas and a missing comma included).
    for clean in ("3,573,232.28", "623， 473.44", "310349.78", "0.00", "12", "0.125"):
        assert ocr_number_doubt(clean) is None, clean
    assert ocr_number_doubt("16.320") is not None  # a thousands comma read as a point would be 16.32
    assert ocr_number_doubt("473 44") is not None  # a lost point would make it 47344
    assert ocr_number_doubt("行政运行") is None  # not a figure: text anyway
    assert cjk_punctuation("事业收入(不含预算外资金)") == "事业收入（不含预算外资金）"
    assert cjk_punctuation("其中:(12.50)") == "其中：(12.50)"
    assert cjk_punctuation("指标1:") == "指标1：" and cjk_punctuation("目标3:......") == "目标3：……"
    assert cjk_punctuation("时间2:30") == "时间2:30" and cjk_punctuation("1.5") == "1.5"


def test_ingested_scan_marks_facts_citations_and_audit(settings, tmp_path):
    scan = scan_copy(WAIBAN, tmp_path / "waiban-scan.pdf", [1, 7])  # the 概况 page's narrative, 收入总表
    [result] = Ingestor(settings).ingest([scan])
    assert result.status == "ingested", result.reason
    store = FactsStore(settings.db_path)
    facts = store.facts()
    assert len(facts) > 30 and all(f.ocr for f in facts)
    row = next(f for f in facts if f.code == "2010301" and f.column.endswith("合计"))
    assert row.value == Decimal("3573232.28")
    citation = table_figure(row).citation()
    assert citation.ocr and OCR_NOTE in where(citation)
    answer = Answer(question="q", status="answered", answer="a", method="lookup", citations=[citation])
    assert OCR_NOTE in render_answer(answer)
    narrative = store.narrative_facts()
    assert narrative and all(n.ocr for n in narrative)
    assert Decimal("7955559.34") in {n.value for n in narrative if n.measure == "收入预算"}
    # Text-layer facts of the same store are not marked.
    Ingestor(settings).ingest([ZFB])
    assert not any(f.ocr for f in store.facts() if f.file_name == ZFB.name)


def test_audit_findings_on_scanned_pages_say_so():
    page = Page(number=7, width=842, height=595, text="", ocr=True)
    doc = Document(file_name="scan.pdf", sha256="x", identity={}, pages=[page], blocks=[], tables=[])
    on_scan = Finding(kind="sums", severity="error", message="a ≠ b", locations=[Location(document="scan.pdf", page=7)])
    elsewhere = Finding(kind="sums", severity="error", message="c ≠ d", locations=[Location(document="other.pdf", page=7)])
    mark_ocr([on_scan, elsewhere], {"scan.pdf": doc})
    assert OCR_NOTE in on_scan.message and "可信度较低" in on_scan.message
    assert elsewhere.message == "c ≠ d"


def test_ocr_off_refuses_a_scan_as_before(settings, tmp_path, monkeypatch):
    scan = scan_copy(WAIBAN, tmp_path / "scan.pdf", [7])
    with pytest.raises(IngestError, match="需要先做 OCR"):
        parse_pdf(scan)
    monkeypatch.setenv("BUDGET_QA_INGEST__OCR", "false")
    from index.core.settings import Settings

    off = Settings(data_dir=tmp_path / "off")
    assert off.ingest.ocr is False
    [result] = Ingestor(off).ingest([scan])
    assert result.status == "failed" and "需要先做 OCR" in result.reason


def test_each_ocr_page_brings_its_own_time_budget(tmp_path):
    """A budget too short for one OCR page passes with the per-OCR-page allowance and fails without it."""
    scan = scan_copy(WAIBAN, tmp_path / "scan.pdf", [6, 7, 8])  # well over 3 s of OCR on any machine
    tight = dict(timeout_s=3.0, timeout_per_page_s=0.0, ocr=OcrOptions())
    [(_, outcome, _)] = parse_files([(scan, None)], ParseLimits(**tight, timeout_per_ocr_page_s=120.0))
    assert isinstance(outcome, Document) and outcome.tables, outcome
    [(_, outcome, _)] = parse_files([(scan, None)], ParseLimits(**tight, timeout_per_ocr_page_s=0.0))
    assert isinstance(outcome, IngestError) and TOO_COMPLEX in outcome.reason


def test_facts_store_made_before_ocr_is_migrated(tmp_path):
    db = tmp_path / "facts.sqlite3"
    FactsStore(db).close()
    with sqlite3.connect(db) as conn:  # the facts table as it was before OCR (and before schema versions)
        conn.execute("DROP TABLE schema_version")
        for table in ("facts", "narrative_facts"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN ocr")
            assert "ocr" not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    FactsStore(db).close()
    with sqlite3.connect(db) as conn:
        for table in ("facts", "narrative_facts"):
            assert "ocr" in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def _ruled_frame_pdf(path: Path, text_page: bool = True) -> Path:
    """A text page, then a page of an empty ruled table frame (rectangles and lines only, no text)."""
    from tests.bad_files import _canvas

    c = _canvas(path)
    if text_page:
        c.drawString(72, 800, "北京市西城区测试办公室2020年部门预算")
        c.showPage()
    for row in range(6):
        for col in range(4):
            c.rect(72 + col * 110, 700 - row * 24, 110, 24)
    c.line(72, 500, 512, 500)
    c.showPage()
    c.save()
    return path


def test_a_page_of_rulings_only_is_not_read_by_ocr(tmp_path):
    """OCR reads what is drawn as an image or as glyph outlines (curves); a page of straight rulings has no
    text to read, and reading it would load the OCR models for nothing (seconds per file)."""
    told: list[int] = []
    document = parse_pdf(_ruled_frame_pdf(tmp_path / "frame.pdf"), ocr=OcrOptions(), on_ocr_page=told.append)
    assert told == [] and not any(p.ocr for p in document.pages)
    assert not any("OCR" in w for w in document.warnings)
    with pytest.raises(IngestError, match="空白文件"):
        parse_pdf(_ruled_frame_pdf(tmp_path / "blank.pdf", text_page=False), ocr=OcrOptions())


def test_a_blank_page_of_a_real_disclosure_is_not_read_by_ocr():
    import pdfplumber

    from index.read.pdf import needs_ocr
    from tests.conftest import REAL_DIR

    path = REAL_DIR / "putuo_justice_2026_dept_budget.pdf"
    if not path.is_file():
        pytest.skip(f"{path} 不存在（真实公开文件不随仓库提供）")
    with pdfplumber.open(path) as pdf:  # p.3: no characters, only the boxes of an empty frame
        assert not pdf.pages[2].chars and not needs_ocr(pdf.pages[2])
        assert not needs_ocr(pdf.pages[3])
