"""Evidence images: the cited page rendered from the data dir's own copy, the cited box highlighted."""

from __future__ import annotations

import shutil
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pdfplumber
import pytest
from PIL import Image

from index.core.text import compact
from index.store.facts import FactsStore
from qa.contract import Citation
from qa.evidence import FILL, RESOLUTION, EvidenceError, EvidenceRenderer, cache_dir, passage_boxes
from tests.conftest import make_settings


@pytest.fixture
def data(facts_only_data_dir, tmp_path):
    """A private copy of the facts-only sample data dir (stored paths still name the original)."""
    target = tmp_path / "data"
    shutil.copytree(facts_only_data_dir, target)
    settings = make_settings(target)
    store = FactsStore(settings.db_path)
    return settings, store, EvidenceRenderer(settings, store)


def income_citation(store: FactsStore) -> Citation:
    fact = next(
        f for f in store.facts(where="f.value = ? AND f.name = ?", params=("7955559.34", "本年收入合计"))
        if f.file_name == "xicheng-waiban-2020.pdf"
    )
    return Citation(document=fact.file_name, page=fact.page, table=fact.label, row=fact.name, column=fact.column,
                    doc_id=fact.doc_id, bbox=fact.bbox, value=str(fact.value))


def test_page_rendered_with_the_cited_cell_highlighted(data):
    settings, store, renderer = data
    citation = income_citation(store)
    images = renderer.render(citation)
    assert images.page.parent == cache_dir(settings) and images.page.is_file()
    page = Image.open(images.page).convert("RGB")
    assert page.width == pytest.approx(595 * RESOLUTION / 72, abs=3)  # A4 width at RESOLUTION dpi
    # Inside the cited box the background is tinted with the highlight colour; on the plain page it is not.
    plain = Image.open(renderer.render(citation.model_copy(update={"bbox": None})).page).convert("RGB")
    assert tinted_share(page, citation.bbox) > 0.5
    assert tinted_share(plain, citation.bbox) == 0
    assert page.getpixel((5, 5)) == (255, 255, 255)
    zoom = Image.open(images.zoom)
    assert zoom.width < page.width * 2 and zoom.height < page.height / 2  # a close-up band, not the page
    assert FILL[:3] != (255, 255, 255)


def tinted_share(image: Image.Image, bbox) -> float:
    """Share of the box's inner pixels that are highlight-yellow (the red stroke and text excluded)."""
    scale = RESOLUTION / 72
    x0, top, x1, bottom = (int(v * scale) for v in bbox)
    pixels = [image.getpixel((x, y)) for x in range(x0 + 5, x1 - 5) for y in range(top + 5, bottom - 5)]
    return sum(1 for r, g, b in pixels if r > 235 and g > 190 and b < 200) / len(pixels)


def test_renders_are_cached(data):
    _, store, renderer = data
    citation = income_citation(store)
    first = renderer.render(citation)
    stamp = first.page.stat().st_mtime_ns
    started = time.perf_counter()
    again = renderer.render(citation)
    assert again == first and first.page.stat().st_mtime_ns == stamp
    assert time.perf_counter() - started < 0.05


def test_narrative_sentence_and_citation_without_box(data):
    _, store, renderer = data
    sentence = next(n for n in store.narrative_facts() if n.bbox and n.value == Decimal("7955559.34"))
    images = renderer.render(Citation(document=sentence.file_name, page=sentence.page, doc_id=sentence.doc_id, bbox=sentence.bbox))
    assert images.page.is_file() and images.zoom is not None
    plain = renderer.render(Citation(document=sentence.file_name, page=sentence.page, doc_id=sentence.doc_id))
    assert plain.page.is_file() and plain.zoom is None and plain.page != images.page


def test_refuses_unknown_documents_and_pages(data):
    _, store, renderer = data
    citation = income_citation(store)
    with pytest.raises(EvidenceError, match="文档不存在"):
        renderer.render(citation.model_copy(update={"doc_id": "0000000000000000"}))
    with pytest.raises(EvidenceError, match="文档不存在"):
        renderer.render(citation.model_copy(update={"doc_id": None}))
    with pytest.raises(EvidenceError, match="页码超出范围"):
        renderer.render(citation.model_copy(update={"page": 999}))


def test_reads_only_the_data_dirs_own_copy(data, tmp_path):
    settings, store, renderer = data
    citation = income_citation(store)
    record = store.get(citation.doc_id)
    own_copy = settings.files_dir / f"{record.sha256}.pdf"
    assert own_copy.is_file() and not record.stored_path.startswith(str(settings.data_dir))  # the copy's store names the original
    renderer.render(citation)
    # Without its own copy the page is not shown, although the original path still exists.
    own_copy.rename(tmp_path / "moved.pdf")
    with pytest.raises(EvidenceError, match="不在数据目录"):
        renderer.render(citation.model_copy(update={"page": citation.page + 1}))
    # A stored path pointing elsewhere, or a symlink out of files_dir, is never followed.
    for stored in ("/etc/passwd", "../../../../etc/passwd"):
        with sqlite3.connect(settings.db_path) as db:
            db.execute("UPDATE documents SET stored_path = ? WHERE doc_id = ?", (stored, citation.doc_id))
        with pytest.raises(EvidenceError):
            renderer.render(citation.model_copy(update={"page": 2}))
    (settings.files_dir / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(EvidenceError, match="不在数据目录"):
        renderer.render(citation.model_copy(update={"page": 2}))


def test_concurrent_renders(data):
    _, store, renderer = data
    facts = [f for f in store.facts() if f.bbox][:400:60]
    citations = [Citation(document=f.file_name, page=f.page, doc_id=f.doc_id, bbox=f.bbox) for f in facts] * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(renderer.render, citations))
    assert all(r.page.is_file() and r.zoom.is_file() for r in results)
    assert not list(renderer.cache.glob(".*.tmp"))  # every temporary render was renamed into place


def test_prose_citation_is_boxed_where_its_sentence_is_printed(data):
    """A sentence quoted without a box (prose retrieval) is found on its page and highlighted like a cell."""
    _, store, renderer = data
    sentence = next(n for n in store.narrative_facts() if n.value == Decimal("7955559.34"))
    quoted = Citation(document=sentence.file_name, page=sentence.page, doc_id=sentence.doc_id, quote=sentence.sentence)
    images = renderer.render(quoted)
    assert images.zoom is not None and not images.landscape
    page = Image.open(images.page).convert("RGB")
    with pdfplumber.open(renderer.stored_pdf(sentence.doc_id)) as pdf:
        boxes = passage_boxes(pdf.pages[sentence.page - 1], compact(sentence.sentence))
        # The same sentence on another page is not there: nothing is boxed, no close-up.
        assert passage_boxes(pdf.pages[sentence.page], compact(sentence.sentence)) == []
    assert boxes and all(tinted_share(page, box) > 0.3 for box in boxes if box[3] - box[1] > 12)
    # The boxes sit inside the paragraph the reader stored for that sentence.
    x0, top, x1, bottom = sentence.bbox
    assert all(x0 - 2 <= b[0] and b[2] <= x1 + 2 and top - 2 <= b[1] and b[3] <= bottom + 2 for b in boxes)
    elsewhere = renderer.render(quoted.model_copy(update={"page": sentence.page + 1}))
    assert elsewhere.zoom is None


def test_landscape_pages_are_reported_as_such(data):
    _, store, renderer = data
    citation = income_citation(store).model_copy(update={"bbox": None})
    with pdfplumber.open(renderer.stored_pdf(citation.doc_id)) as pdf:
        wide = {p.page_number for p in pdf.pages if p.width > p.height}
        tall = {p.page_number for p in pdf.pages} - wide
    assert wide and tall  # the sample prints its tables on landscape pages, its text on portrait ones
    assert renderer.render(citation.model_copy(update={"page": min(wide)})).landscape
    assert not renderer.render(citation.model_copy(update={"page": min(tall)})).landscape
