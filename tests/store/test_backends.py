"""The stores on whichever backend the environment names: SQLite files in the data dir (``make test``), or
PostgreSQL and a Chroma server (``make test-servers``). Same tests, same expectations."""

from __future__ import annotations

import pytest

from index.search.search_index import SearchIndex
from index.store.facts import MIGRATIONS, FactsStore, table_facts
from index.store.nodes import MIGRATIONS as NODE_MIGRATIONS
from tests.conftest import WAIBAN, ZFB

pytestmark = pytest.mark.servers


def stored_facts(document):
    return [(f.table_index, f.row_index, c_i, f.code, f.name, f.column, f.value, f.page, f.bbox, is_total, attrs)
            for f, c_i, is_total, attrs in table_facts(document)]


def test_facts_round_trip_exactly(settings, parsed_samples):
    from index.read.narrative import extract_narrative_facts

    store = FactsStore(settings.facts_target)
    document = parsed_samples[WAIBAN.name]
    narrative = extract_narrative_facts(document.blocks, document.identity.year)
    n = store.add_pending("waiban-1", document, settings.files_dir / "a.pdf", narrative)
    assert store.documents() == [] and store.pending_ids() == ["waiban-1"]  # pending: invisible
    assert store.promote("waiban-1") == []
    [record] = store.documents()
    assert (record.file_name, record.department, record.year, record.n_facts) == (
        WAIBAN.name, document.identity.department, document.identity.year, n)
    got = [(f.table_index, f.row_index, f.col_index, f.code, f.name, f.column, f.value, f.page, f.bbox, f.is_total,
            f.attributes) for f in store.facts(["waiban-1"])]
    assert got == stored_facts(document)  # Decimal values and float coordinates come back exactly
    assert [(x.measure, x.value, x.sentence, x.page) for x in store.narrative_facts(["waiban-1"])] == [
        (x.measure, x.value, x.sentence, x.page) for x in narrative]  # in the order read
    assert store.facts([]) == [] and store.narrative_facts([]) == []
    assert store.reader_of("waiban-1") == document.reader
    assert store.document_model("waiban-1") == document
    store.set_corrections(document.sha256, {"year": "2021"})
    assert store.get("waiban-1").year == 2021 and store.get("waiban-1").detected == {"year": "2020"}
    store.set_corrections(document.sha256, {"year": None})
    assert store.get("waiban-1").year == 2020
    # A new version of the same file retires the old one when it becomes ready, and only then.
    store.add_pending("waiban-2", document, settings.files_dir / "a.pdf", narrative)
    assert [d.doc_id for d in store.documents()] == ["waiban-1"]
    assert store.promote("waiban-2") == ["waiban-1"]
    assert [d.doc_id for d in store.documents()] == ["waiban-2"] and store.facts(["waiban-1"]) == []
    store.delete("waiban-2")
    assert store.documents(include_pending=True) == []


def test_schema_versions_are_recorded_and_opening_again_changes_nothing(settings):
    store = FactsStore(settings.facts_target)
    versions = {r[0]: r[1] for r in store._connect().execute("SELECT name, version FROM schema_version")}
    assert versions == {"facts": len(MIGRATIONS)}
    FactsStore(settings.facts_target).close()
    index = SearchIndex(settings)
    assert index.store._rows("SELECT version FROM schema_version WHERE name = 'nodes'") == [(len(NODE_MIGRATIONS),)]


def test_a_claim_holds_off_other_writers_until_its_holder_is_gone(settings):
    holder, other = FactsStore(settings.facts_target), FactsStore(settings.facts_target)
    held = holder.claim("doc-1")
    held.__enter__()
    with other.claim("doc-1", wait=False) as got:
        # On a server another worker must keep off; embedded, the ingest file lock already excludes it.
        assert got == (not holder.shared)
    with other.claim("doc-2", wait=False) as got:
        assert got
    holder.close()  # as a killed worker's connection ends
    with other.claim("doc-1", wait=False) as got:
        assert got


def test_index_writes_are_seen_by_another_reader_without_reopening(settings, parsed_samples):
    writer, reader = SearchIndex(settings), SearchIndex(settings)
    assert reader.search("外办公务接待费", mode="bm25") == []
    for doc_id, name in (("w", WAIBAN.name), ("z", ZFB.name)):
        writer.add_document(doc_id, None, parsed_samples[name])
    assert reader.indexed_doc_ids() == {"w", "z"}
    for mode in ("bm25", "vector", "fused"):
        hits = reader.search("外办2020年公务接待费预算", k=5, mode=mode, filters={"doc_id": "w"})
        assert hits and {h.metadata["doc_id"] for h in hits} == {"w"}, mode
        assert reader.search("公务接待费", mode=mode, filters={"doc_id": []}) == []
    assert reader.keyword.scope("西城区外办的职责")[0] == {"w"}  # publisher names, from the other writer
    assert isinstance(reader.store.unit_count(), int) and reader.store.unit_count({"doc_id": "w"}) > 0
    writer.delete_document("w")
    assert reader.indexed_doc_ids() == {"z"}
    assert {h.metadata["doc_id"] for h in reader.search("外办公务接待费", k=20, mode="fused")} == {"z"}


def test_a_store_made_before_tables_said_misread_gets_the_column_and_keeps_the_flag(settings, parsed_samples):
    """Version 1 stores have no ``tables.misread``: opening one adds it; a flagged table reads back with its reason."""
    from index.store.sql import migrate, open_database

    database = open_database(settings.facts_target)
    conn = database.connect()
    migrate(database, conn, "facts", MIGRATIONS[:1])
    assert "misread" not in database.columns(conn, "tables")
    conn.close()
    store = FactsStore(settings.facts_target)
    document = parsed_samples[WAIBAN.name].model_copy(deep=True)
    assert not any(t.misread for t in document.tables)  # the sample's tables are read right
    document.tables[2].misread = "数值列中文字与数字连在一起（“收入12.00”），表头或列未能正确读出"
    store.add_pending("waiban-1", document, settings.files_dir / "a.pdf", [])
    store.promote("waiban-1")
    assert store.misread_tables(["waiban-1"]) == {("waiban-1", 2): document.tables[2].misread}
    assert store.document_model("waiban-1").tables[2].misread == document.tables[2].misread


def test_a_node_store_made_before_the_text_index_finds_its_documents_text(settings):
    """Version 1 node stores have no trigram index over their bodies: opening one builds it from what they hold,
    and later writes and deletes keep it in step (the phrases a question naming no publisher is scoped by)."""
    from index.store.nodes import METADATA_KEYS, NodeRow, NodeStore
    from index.store.sql import migrate, open_database

    settings.index_dir.mkdir(parents=True, exist_ok=True)
    database = open_database(settings.facts_url or settings.index_dir / "nodes-old.sqlite3", schema="nodes_old")
    conn = database.connect(named_rows=False)
    migrate(database, conn, "nodes", NODE_MIGRATIONS[:1])
    conn.execute("INSERT INTO nodes (node_id, units, doc_id) VALUES ('c1', 1, 'commerce')")
    slot = conn.execute("SELECT slot FROM nodes WHERE node_id = 'c1'").fetchone()[0]
    conn.execute("INSERT INTO bodies VALUES (?, ?, ?, ?, ?)", (slot, "commerce", "贸易高质量发展专项（政策资金）经费情况说明", 1, "{}"))
    conn.close()
    store = NodeStore(database)
    assert store.holding("贸易高质量发展专项") == {"commerce"}
    meta = {"doc_id": "justice", "file_name": "justice.pdf", "year": 2026, "page_start": 23, "page_end": 23}
    text = "人民调解项目经费情况说明；贸易高质量发展专项"
    store.write("justice", [NodeRow("j1", text, 1, "{}", tuple(meta.get(k, "") for k in METADATA_KEYS))], [], [], [])
    assert store.holding("贸易高质量发展专项") == {"commerce", "justice"}
    store.delete("commerce")
    assert store.holding("贸易高质量发展专项") == {"justice"}
    assert store.holding("人民调解项目") == {"justice"}
