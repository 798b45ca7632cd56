"""Known errors planted into the sample disclosures, one class of check at a time: each is found, and
nothing else is (``tests.audit.planting`` plants them; the unplanted samples' own findings are the
baseline, pinned in ``test_audit``).

    (a) 表3「2010301 行政运行」合计 +35,569.12 with its parents and total → a 表间核对 finding at that row
"""

from __future__ import annotations

import pytest

from index.store.facts import FactsStore
from tests.audit.planting import CLASSES, load, score

# Plants per class per disclosure, spread evenly over every plant the samples allow.
PER_CLASS = 25


@pytest.fixture(scope="module")
def scores(facts_only_data_dir):
    return score(load(FactsStore(facts_only_data_dir / "facts.sqlite3")), PER_CLASS)


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_planted_errors_are_found(scores, cls):
    s = scores[cls]
    assert s.planted > 0, f"no plant of class {cls} in the samples"
    assert s.found >= 0.95 * s.planted, "\n".join(s.missed)


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_nothing_else_is_found(scores, cls):
    assert scores[cls].false == 0, "\n".join(scores[cls].stray)
