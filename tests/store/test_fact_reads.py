"""Facts as the stores read them, on whichever backend the environment names. Stated figures read narrow
(``FactsStore.stated_values``, ``stated_amounts``): a question over thousands of documents builds only the
figures its filter keeps, each kept sentence whole and each document's in reading order, the same figures the
whole read gives. Facts and records built lean (not validated again, one shared set of given fields) are
what validating them builds: same values, same types."""

from __future__ import annotations

import pytest

from index.read.narrative import extract_narrative_facts
from index.store.facts import FactsStore, StoredFact, StoredNarrativeFact
from index.store.records import DocumentRecord
from tests.conftest import WAIBAN, ZFB

pytestmark = pytest.mark.servers


@pytest.fixture
def two_stored(settings, parsed_samples) -> FactsStore:
    store = FactsStore(settings.facts_target)
    for doc_id, sample in (("waiban", WAIBAN), ("zfb", ZFB)):
        document = parsed_samples[sample.name]
        store.add_pending(doc_id, document, settings.files_dir / sample.name,
                          extract_narrative_facts(document.blocks, document.identity.year))
        store.promote(doc_id)
    return store


def test_kept_sentences_come_whole_in_each_documents_reading_order(two_stored):
    store = two_stored
    every = [n for n in store.narrative_facts(["waiban", "zfb"]) if n.relation == "value"]
    asked: list[tuple[str, str, str]] = []

    def wanted(measure: str, sentence: str, heading: str) -> bool:
        asked.append((measure, sentence, heading))
        return "三公" in measure or "编制" in measure  # "行政编制15人，实际16人": 实际 comes with its sentence

    kept = list(store.stated_values(["zfb", "waiban"], wanted))
    sentences = {(n.doc_id, n.sentence) for n in every if "三公" in n.measure or "编制" in n.measure}
    assert kept and len(kept) < len(every) / 5
    for doc_id in ("waiban", "zfb"):
        assert [n for n in kept if n.doc_id == doc_id] == [n for n in every if n.doc_id == doc_id and (doc_id, n.sentence) in sentences]
    assert any("“三公”经费" in heading for _, _, heading in asked), "the heading a figure stands under is passed"
    assert any(n.measure == "实际" for n in kept), "a kept sentence's other figures come with it"

    everything = list(store.stated_values(["waiban", "zfb"], lambda *_: True))
    assert sorted(everything, key=lambda n: n.doc_id) == sorted(every, key=lambda n: n.doc_id)
    assert list(store.stated_values([], lambda *_: True)) == []


def test_a_documents_amounts_are_its_stated_values_and_units(two_stored):
    store = two_stored
    facts = store.narrative_facts(["waiban"])
    assert store.stated_amounts("waiban") == {(n.value, n.unit) for n in facts} != set()
    store.delete("waiban")
    assert store.stated_amounts("waiban") == set()


def test_facts_and_records_built_lean_are_what_validation_builds(two_stored):
    store = two_stored
    facts, stated, records = store.facts(["waiban", "zfb"]), store.narrative_facts(["waiban", "zfb"]), store.documents()
    assert facts and stated and len(records) == 2
    for model, built in ((StoredFact, facts), (StoredNarrativeFact, stated), (DocumentRecord, records)):
        for item in built:
            validated = model.model_validate(item.model_dump())
            assert validated == item, item
            assert all(type(getattr(validated, f)) is type(getattr(item, f)) for f in model.model_fields), item
    assert facts[0].__pydantic_fields_set__ is facts[1].__pydantic_fields_set__, "one set of given fields for all"
    records[0].year = 2021  # a field set later: the shared set holds it already, the other record keeps its year
    assert records[1].year == 2020 and records[1].model_fields_set == records[0].model_fields_set
