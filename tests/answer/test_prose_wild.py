"""Why-questions over a disclosure of ../shared/wild with its retrieval index (skipped with a reason when absent):
the passage giving the reason is found though the publisher's name, in every passage, outweighs the question's
own words in the search. The expected sentence was read off the PDF page named.
"""

from __future__ import annotations

import pytest

from index.core.settings import Settings
from index.ingest import Ingestor
from index.search.search_index import SearchIndex
from index.store.facts import FactsStore
from qa.answer.engine import AnswerEngine
from qa.services import Services
from tests.conftest import WILD_DIR

pytestmark = pytest.mark.real
PORT_OFFICE = WILD_DIR / "003_深圳__2026年深圳市人民政府口岸办公室部门预算.pdf"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> AnswerEngine:
    if not PORT_OFFICE.exists():
        pytest.skip(f"{PORT_OFFICE} is absent: the wild disclosures are third-party files, not committed")
    settings = Settings(data_dir=tmp_path_factory.mktemp("prose_wild") / "data")
    results = Ingestor(settings, store=FactsStore(settings.db_path), indexer=SearchIndex(settings)).ingest([PORT_OFFICE])
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(settings).engine


def test_reason_for_a_change_is_found(engine):
    # p5: "预算收支增加主要原因说明：1.皇岗口岸新联检楼预计2026年投入使用，相应追加口岸管养经费；…"
    answer = engine.ask("深圳市人民政府口岸办公室2026年预算收支增加的主要原因有哪些？")
    assert answer.status == "answered", answer.answer
    assert "皇岗口岸新联检楼" in answer.answer
    assert 5 in [c.page for c in answer.citations]
