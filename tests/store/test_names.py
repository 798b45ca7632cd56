"""The corpus-wide name table (``index.store.names``) on whichever backend the environment names: written when a
document becomes ready, the same names a question reads document by document, gone with the document, and
filled by the migration for a store made before it."""

from __future__ import annotations

import pytest

from index.store.facts import MIGRATIONS, FactsStore
from qa.understand.vocabulary import FactNames, Terms
from tests.conftest import WAIBAN, ZFB

pytestmark = pytest.mark.servers


def read_one_by_one(store: FactsStore, doc_ids: list[str]) -> Terms:
    """What a question's vocabulary reads without the table: each document's facts' names, merged."""
    return Terms.merge(Terms.of_facts(d, [FactNames(*n) for n in store.fact_names(d)]) for d in doc_ids)


def same_terms(got: Terms, want: Terms) -> None:
    for kind in ("rows", "attributes", "codes"):
        mine, theirs = getattr(got, kind), getattr(want, kind)
        assert set(mine) == set(theirs), kind
        assert all(mine[name] == theirs[name] for name in theirs), kind
    assert dict(got.columns) == dict(want.columns) and dict(got.table_titles) == dict(want.table_titles)


@pytest.fixture
def two_stored(settings, parsed_samples) -> FactsStore:
    store = FactsStore(settings.facts_target)
    for doc_id, sample in (("waiban", WAIBAN), ("zfb", ZFB)):
        store.add_pending(doc_id, parsed_samples[sample.name], settings.files_dir / sample.name, [])
        assert store.names([doc_id]) == set(), "a pending document lends no names"
        store.promote(doc_id)
    return store


def test_the_table_holds_the_names_each_document_lends(two_stored):
    store = two_stored
    for doc_ids in (["waiban"], ["zfb"], ["waiban", "zfb"]):
        same_terms(Terms.stored(store, doc_ids), read_one_by_one(store, doc_ids))
    every = Terms.stored(store, ["waiban", "zfb"], every=True)
    same_terms(every, read_one_by_one(store, ["waiban", "zfb"]))
    assert every.rows["行政运行"] == {"waiban", "zfb"} and every.rows["没有这一行"] == set()
    only_waiban = Terms.stored(store, ["waiban"])
    assert only_waiban.rows["行政运行"] == {"waiban"}, "holders outside the scope are not the scope's"
    assert "外事工作经费" in only_waiban.attributes.keys() - Terms.stored(store, ["zfb"]).attributes.keys()


def test_a_deleted_or_replaced_document_takes_its_names_with_it(two_stored, settings, parsed_samples):
    store = two_stored
    waiban_only = {t for t in store.names(["waiban"]) if t not in store.names(["zfb"])}
    assert waiban_only
    store.delete("waiban")
    assert not waiban_only & store.names(), "no ready document holds them"
    assert store.name_holders("row", "行政运行") == {"zfb"}
    # A new version of a file: its names are there once it is ready, the old version's gone with it.
    store.add_pending("zfb-2", parsed_samples[ZFB.name], settings.files_dir / ZFB.name, [])
    assert store.name_holders("row", "行政运行") == {"zfb"}
    assert store.promote("zfb-2") == ["zfb"]
    assert store.name_holders("row", "行政运行") == {"zfb-2"}


def test_the_migration_fills_the_table_for_a_store_made_before_it(two_stored, settings):
    """A store at version 2 (no name table) gets it on open, holding every ready document's names."""
    store = two_stored
    before = store.names()
    conn = store._connect()
    conn.execute("DROP TABLE document_names")
    conn.execute("DROP TABLE names")
    conn.execute("UPDATE schema_version SET version = 2 WHERE name = 'facts'")
    store.close()
    again = FactsStore(settings.facts_target)
    assert again._connect().execute("SELECT version FROM schema_version WHERE name = 'facts'").fetchone()[0] == len(MIGRATIONS)
    assert again.names() == before and len(before) > 100
    same_terms(Terms.stored(again, ["waiban", "zfb"]), read_one_by_one(again, ["waiban", "zfb"]))


def test_a_column_path_of_hundreds_of_characters_is_stored(settings, parsed_samples):
    """A performance table's header may hold a paragraph: its path still goes in (a PostgreSQL index entry holds
    ~2,700 bytes; the names are keyed by hash)."""
    document = parsed_samples[WAIBAN.name].model_copy(deep=True)
    table = next(t for t in document.tables if t.columns and not t.misread)
    long_path = "目标实际完成情况/" + "持续用力，党的全面领导持续加强。" * 80 + "/得分"
    table.columns[0] = long_path
    store = FactsStore(settings.facts_target)
    store.add_pending("long", document, settings.files_dir / WAIBAN.name, [])
    store.promote("long")
    assert ("column", "得分", long_path) in store.names(["long"]) and len(long_path.encode()) > 3000
    same_terms(Terms.stored(store, ["long"]), read_one_by_one(store, ["long"]))
