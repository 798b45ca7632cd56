"""Duplicate glyphs ("fake bold": each glyph printed several times at one spot) are read once, exactly as
pdfplumber's ``dedupe_chars`` keeps them — the reader's own version only drops its quadratic cost."""

from __future__ import annotations

import pdfplumber
import pytest

from index.read.pdf import _read_page, dedupe_chars
from tests.conftest import WAIBAN, ZFB
from tests.hostile_pdfs import _one_page, _pdf, _stream

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def fake_bold_pdf(path):
    """A title printed three times, 0.3 pt apart, above two plain lines (one repeats the title's words)."""
    copies = b"".join(b"BT /F1 14 Tf %.1f 800 Td (Table 1 Budget) Tj ET\n" % (72 + 0.3 * i) for i in range(3))
    plain = b"BT /F1 10 Tf 72 760 Td (Income 1,234.50) Tj ET\nBT /F1 10 Tf 72 740 Td (Table 1 Budget) Tj ET\n"
    objects = _one_page(_stream(copies + plain), b"<< /Font << /F1 5 0 R >> >>")
    path.write_bytes(_pdf([*objects, HELVETICA]))
    return path


def assert_same_as_pdfplumber(page):
    ours, theirs = dedupe_chars(page, tolerance=1), page.dedupe_chars(tolerance=1)
    assert [id(c) for c in ours.chars] == [id(c) for c in theirs.chars]  # the same glyphs, in the same order
    assert {k: len(v) for k, v in ours.objects.items()} == {k: len(v) for k, v in theirs.objects.items()}


def test_fake_bold_title_is_read_once_and_as_pdfplumber_keeps_it(tmp_path):
    with pdfplumber.open(fake_bold_pdf(tmp_path / "bold.pdf")) as pdf:
        page = pdf.pages[0]
        assert_same_as_pdfplumber(page)
        assert len(page.chars) - len(dedupe_chars(page).chars) == 2 * len("Table1Budget") + 4  # two copies, spaces too
        raw = _read_page(page, 1)
    assert raw.text.splitlines() == ["Table 1 Budget", "Income 1,234.50", "Table 1 Budget"]


@pytest.mark.parametrize("pdf_path", [WAIBAN, ZFB], ids=lambda p: p.stem)
def test_sample_pages_keep_what_pdfplumber_keeps(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            assert_same_as_pdfplumber(page)
            page.close()
