"""Ingestion into the facts store: idempotent, atomic per document, bad files refused with a reason."""

import shutil
from decimal import Decimal

from index.core.model import Cell, Document, Identity, Row, Table
from index.ingest import Ingestor, merge_group_identity
from index.read.parse import READER_VERSION
from index.store.facts import FactsStore
from tests.conftest import WAIBAN, ZFB


def test_reingesting_the_same_file_is_a_no_op(settings):
    ingestor = Ingestor(settings)
    first = ingestor.ingest([WAIBAN])
    assert first[0].status == "ingested" and first[0].facts > 300
    again = ingestor.ingest([WAIBAN])
    assert again[0].status == "unchanged" and again[0].doc_id == first[0].doc_id
    assert len(ingestor.store.documents()) == 1


def test_a_file_stored_by_an_older_reader_is_read_again(settings):
    ingestor = Ingestor(settings)
    first = ingestor.ingest([WAIBAN])[0]
    assert ingestor.store.reader_of(first.doc_id) == READER_VERSION
    with ingestor.store.transaction() as conn:  # as a version before rows carried their final values left it
        conn.execute("UPDATE document_models SET model = json_remove(model, '$.reader')")
    assert ingestor.store.reader_of(first.doc_id) is None
    again = ingestor.ingest([WAIBAN])[0]
    assert again.status == "ingested" and again.doc_id == first.doc_id
    assert ingestor.store.reader_of(first.doc_id) == READER_VERSION
    assert [d.doc_id for d in ingestor.store.documents()] == [first.doc_id]
    assert ingestor.ingest([WAIBAN])[0].status == "unchanged"


def test_changed_file_replaces_its_previous_version(settings, tmp_path):
    path = tmp_path / "disclosure.pdf"
    shutil.copyfile(WAIBAN, path)
    ingestor = Ingestor(settings)
    old = ingestor.ingest([path])[0]
    shutil.copyfile(ZFB, path)  # same file name, new content
    new = ingestor.ingest([path])[0]
    assert new.status == "ingested" and new.doc_id != old.doc_id
    docs = ingestor.store.documents()
    assert [(d.file_name, d.department) for d in docs] == [("disclosure.pdf", "北京市西城区人民政府办公室")]
    assert {f.doc_id for f in ingestor.store.facts()} == {new.doc_id}


def test_facts_carry_everything_a_citation_needs(settings):
    Ingestor(settings).ingest([WAIBAN])
    store = FactsStore(settings.db_path)
    facts = store.facts(where="f.code = ? AND f.label = ?", params=("2010399", "表2"))
    total = next(f for f in facts if f.column == "合计")
    assert total.value == Decimal("2100000.00") and total.text == "2，100，000.00"
    assert total.file_name == "xicheng-waiban-2020.pdf" and total.page == 7
    assert total.title == "2020年部门收入总表" and total.unit == "元"
    assert total.name == "其他政府办公厅（室）及相关机构事务支出" and total.parent_code == "20103" and total.level == 3
    assert total.bbox is not None and total.bbox[0] < total.bbox[2]
    narrative = [n for n in store.narrative_facts() if n.measure == "收入预算"]
    by_relation = {n.relation: n for n in narrative}
    assert by_relation["value"].value == Decimal("7955559.34") and by_relation["value"].year == 2020
    assert by_relation["previous"].value == Decimal("7132122.63") and by_relation["previous"].year == 2019
    assert by_relation["increase"].value == Decimal("823436.71")
    assert by_relation["growth_rate"].value == Decimal("11.55") and by_relation["growth_rate"].unit == "%"
    assert "比2019年收入预算" in by_relation["value"].sentence


def test_bad_files_get_a_reason_and_the_rest_go_on(settings, tmp_path):
    good_before = Ingestor(settings).ingest([ZFB])[0]
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "random.pdf").write_bytes(bytes(range(256)) * 40)
    (folder / "report.pdf").write_bytes(b"PK\x03\x04" + b"\0" * 200)  # a .docx renamed .pdf
    data = WAIBAN.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    shutil.copyfile(WAIBAN, folder / "good.pdf")
    results = {r.file_name: r for r in Ingestor(settings).ingest([folder, tmp_path / "missing.pdf"])}
    assert results["good.pdf"].status == "ingested"
    assert "空文件" in results["empty.pdf"].reason
    assert "不是 PDF" in results["random.pdf"].reason
    assert "docx" in results["report.pdf"].reason
    assert results["truncated.pdf"].status == "failed" and "PDF" in results["truncated.pdf"].reason
    assert "不存在" in results["missing.pdf"].reason
    for r in results.values():
        if r.status == "failed":
            assert "\n" not in r.summary() and r.file_name in r.summary()
    names = {d.file_name for d in FactsStore(settings.db_path).documents()}
    assert names == {"xicheng-zfb-2020.pdf", "good.pdf"}  # nothing already indexed was lost
    assert FactsStore(settings.db_path).get(good_before.doc_id).status == "ready"


def test_group_shares_identity_between_narrative_and_tables(settings, tmp_path):
    from tests.conftest import real_pdf

    narrative = real_pdf("beijing_audit_bureau_2026_dept_budget_NARRATIVE.pdf")
    tables = real_pdf("beijing_audit_bureau_2026_dept_budget_TABLES.pdf")
    results = Ingestor(settings).ingest([narrative, tables], group="北京市审计局2026")
    assert [r.status for r in results] == ["ingested", "ingested"]
    docs = FactsStore(settings.db_path).documents()
    assert {(d.department, d.year, d.group_name) for d in docs} == {("北京市审计局", 2026, "北京市审计局2026")}


def test_a_fresh_retrieval_index_is_filled_from_stored_documents(tmp_path):
    """New embedding settings open an empty collection: ready documents are re-indexed, not skipped."""
    from index.core.settings import Settings
    from index.search.search_index import SearchIndex

    first = Settings(data_dir=tmp_path / "data")
    [done] = Ingestor(first, indexer_factory=lambda: SearchIndex(first)).ingest([ZFB])
    second = Settings(data_dir=tmp_path / "data")
    second.embed.dim = 512  # shapes the vectors: a different collection
    index = SearchIndex(second)
    assert index.indexed_doc_ids() == set()
    [again] = Ingestor(second, indexer=index).ingest([ZFB])
    assert again.status == "unchanged" and index.indexed_doc_ids() == {done.doc_id}
    assert index.search("三公经费", k=3)


def test_a_tables_file_learns_its_publisher_and_its_publishers_line_from_its_group():
    def document(name: str, department: str | None, rows: list[Row]) -> Document:
        table = Table(label="表1", title="部门预算单位表", unit="万元", pages=[1], bbox=(0, 0, 1, 1), columns=["合计"], rows=rows)
        return Document(file_name=name, sha256=name, identity=Identity(department=department), pages=[], blocks=[], tables=[table])

    line = Row(name="北京市某某局", cells=[Cell(text="9.00", value=Decimal("9.00"), page=1)], page=1)
    unit = Row(name="北京市某某局机关服务中心", cells=[Cell(text="2.00", value=Decimal("2.00"), page=1)], page=1)
    narrative, tables = document("说明.pdf", "北京市某某局", []), document("报表.pdf", None, [line, unit])
    merge_group_identity([narrative, tables])
    assert tables.identity.department == "北京市某某局"
    assert [r.is_subtotal for r in tables.tables[0].rows] == [True, False]


def test_housekeeping_sweeps_orphan_files_and_stale_uploads(settings):
    import os
    import time

    from qa.web.uploads import sweep_stale_uploads

    ingestor = Ingestor(settings)
    [done] = ingestor.ingest([WAIBAN])
    orphan = settings.files_dir / ("0" * 64 + ".pdf")
    orphan.write_bytes(b"%PDF-1.4 left by a crash")
    stale = settings.data_dir / "uploads" / "batch-old"
    fresh = settings.data_dir / "uploads" / "batch-new"
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "a.pdf").write_bytes(b"%PDF")
    past = time.time() - 7200
    os.utime(stale, (past, past))
    assert orphan.name in ingestor.housekeeping()
    assert not orphan.exists() and any(settings.files_dir.iterdir()), "the stored file of a document stays"
    assert sweep_stale_uploads(settings) == 1 and not stale.exists() and fresh.exists()
    assert FactsStore(settings.db_path).get(done.doc_id).status == "ready"
