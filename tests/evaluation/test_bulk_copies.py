"""The scale bench's bulk copies hold what the ingest path stores for the same copy.

A clone made in SQL from a stored copy (``eval/bulk.py``) is compared with the same copy derived from the
sample and stored through ``Ingestor.add_parsed``: its document row, facts, stated figures and retrieval
nodes, and the answers a question about it gets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.bulk import BulkCopies
from eval.synthetic import derive, publisher
from index.core.settings import Settings
from qa.services import Services
from tests.conftest import WAIBAN

TEMPLATE, COPY = 0, 6  # same year and unit, another region: only names differ


def _identity(services: Services, doc_id: str) -> tuple:
    r = services.store.get(doc_id)
    assert r is not None
    return r.file_name, r.sha256, r.department, r.short_name, r.aliases, r.region, r.year, r.pages, r.n_facts


def _facts(services: Services, doc_id: str) -> list[tuple]:
    return [(f.table_index, f.row_index, f.col_index, f.name, f.column, f.value, f.code, f.text, f.attributes)
            for f in services.store.facts([doc_id])]  # fmt: skip


def _nodes(services: Services, doc_id: str) -> list[tuple]:
    store = services.search_index.store
    return sorted(store._rows("SELECT n.node_id, n.department, b.text, b.terms FROM nodes n JOIN bodies b ON b.slot = n.slot "
                              "WHERE n.doc_id = ?", (doc_id,)))  # fmt: skip


@pytest.fixture(scope="module")
def both(tmp_path_factory, parsed_samples) -> tuple[Services, Services, str]:
    base = parsed_samples[WAIBAN.name]
    assert publisher(TEMPLATE)[1:] == publisher(COPY)[1:] and publisher(TEMPLATE)[0] != publisher(COPY)[0]
    cloned = Services(Settings(data_dir=tmp_path_factory.mktemp("bulk") / "data"))
    template = derive(base, TEMPLATE)[0]
    bulk = BulkCopies(cloned)
    with cloned.ingestor.lock():
        bulk.add([(WAIBAN, template)])
        bulk.clone([(template.sha256[:16], COPY, WAIBAN, base.sha256)])
    ingested = Services(Settings(data_dir=tmp_path_factory.mktemp("ingested") / "data"))
    copy = derive(base, COPY)[0]
    with ingested.ingestor.lock():
        assert ingested.ingestor.add_parsed(WAIBAN, copy).status == "ingested"
    return cloned, ingested, copy.sha256[:16]


def test_a_clone_stores_what_ingest_stores(both):
    cloned, ingested, doc_id = both
    assert _identity(cloned, doc_id) == _identity(ingested, doc_id)
    assert _facts(cloned, doc_id) == _facts(ingested, doc_id)
    narrative = [(n.measure, n.value, n.sentence, n.page) for n in cloned.store.narrative_facts([doc_id])]
    assert narrative and narrative == [(n.measure, n.value, n.sentence, n.page) for n in ingested.store.narrative_facts([doc_id])]
    assert cloned.store.document_model(doc_id) == ingested.store.document_model(doc_id)
    assert Path(cloned.store.get(doc_id).stored_path).read_bytes() == WAIBAN.read_bytes()


def test_a_clone_is_indexed_as_ingest_indexes_it(both):
    cloned, ingested, doc_id = both
    mine, theirs = _nodes(cloned, doc_id), _nodes(ingested, doc_id)
    assert [n[:3] for n in mine] == [n[:3] for n in theirs]  # node ids, publisher, text
    # Term counts are the template's with its names rewritten: the full name's count is kept, while pieces
    # jieba cut from the old name (北京, 京市, 动静 of 活动静安) stay as they were. Every other term's count is the same.
    department, old = (publisher(i)[0] + publisher(i)[1] for i in (COPY, TEMPLATE))
    for (*_, got), (*_, want) in zip(mine, theirs):
        got, want = json.loads(got), json.loads(want)
        assert got.get(department) == want.get(department)
        differing = {t for t in got.keys() | want.keys() if got.get(t) != want.get(t)}
        assert all(set(t) & set(department + old) for t in differing), sorted(differing)
    assert cloned.search_index.collection.count() == 2 * ingested.search_index.collection.count()
    department = publisher(COPY)[0] + publisher(COPY)[1]
    for services in (cloned, ingested):
        hits = services.search_index.search(f"{department}的主要职能", k=3)
        assert hits and all(h.metadata["doc_id"] == doc_id for h in hits), hits


@pytest.mark.parametrize("question", ["2015年三公经费预算是多少", "2015年一般公共预算财政拨款支出是多少"])
def test_a_clone_answers_as_the_ingested_copy(both, question):
    cloned, ingested, _ = both
    department = publisher(COPY)[0] + publisher(COPY)[1]
    got, want = (s.engine.ask(department + question) for s in (cloned, ingested))
    assert want.status == "answered", want.answer
    assert (got.value, got.answer) == (want.value, want.answer)
