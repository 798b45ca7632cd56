"""SIGKILL of an ingest worker mid-write leaves the stores consistent, embedded or on servers (``make
test-servers``: PostgreSQL + a Chroma server); a re-run completes. Embedded ingests serialize on a lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.core.settings import Settings
from index.ingest import IngestBusy, Ingestor
from index.store.facts import FactsStore
from qa.services import Services
from tests.bad_files import many_pages_pdf
from tests.conftest import WAIBAN, ZFB
from tests.e2e.answerer import Answerer

pytestmark = pytest.mark.slow

# Questions about the document indexed before the crash: table lookups, a calculation, prose (retrieval).
QUESTIONS = [
    "西城区政府办2020年收入预算是多少？",
    "西城区政府办2020年三公经费预算多少？",
    "西城区政府办基本支出占支出合计的比例是多少？",
    "西城区政府办的主要职责是什么？",
]


def cli(*args: str, data_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa.cli.main", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=600, **kwargs)


def facts_store(data_dir: Path) -> FactsStore:
    """The data dir's facts store, wherever the settings (the environment) put it."""
    return FactsStore(Settings(data_dir=data_dir).facts_target)


def snapshot(data_dir: Path, app: Answerer) -> dict:
    """What users of the already indexed document see: its facts, and a running app's answers about it."""
    store = facts_store(data_dir)
    facts = [(f.file_name, f.label, f.code, f.name, f.column, str(f.value), f.page) for f in store.facts()]
    store.close()
    answers = [app.ask(question) for question in QUESTIONS]
    for answer in answers:
        answer.pop("elapsed_ms")
    return {"facts": facts, "answers": answers}


@pytest.fixture
def seeded(tmp_path, stores) -> Path:
    data_dir = tmp_path / "data"
    services = Services(Settings(data_dir=data_dir))
    assert [r.status for r in services.ingestor.ingest([ZFB])] == ["ingested"]
    services.store.close()
    return data_dir


def kill_mid_write(data_dir: Path, files: list[Path], nth: int) -> bool:
    """Start an ingest of ``files`` and SIGKILL it while the ``nth`` of them is being written: its facts stored
    as pending, its vectors and keyword rows going in. True if the kill left that version half-written."""
    child = subprocess.Popen([sys.executable, "-m", "qa.cli.main", "ingest", *map(str, files), "--no-progress",
                              "--data-dir", str(data_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = facts_store(data_dir)
    deadline = time.monotonic() + 300
    try:
        while child.poll() is None and time.monotonic() < deadline:
            names = {d.file_name: d.status for d in store.documents(include_pending=True)}
            if names.get(files[nth].name) == "pending":
                os.kill(child.pid, signal.SIGKILL)
                child.wait(timeout=60)
                return any(d.file_name == files[nth].name for d in store.documents(include_pending=True)
                           if d.status == "pending")
            time.sleep(0.02)
        return False
    finally:
        store.close()
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)


@pytest.fixture
def app(seeded):
    """An answering process that keeps running through the kills."""
    with Answerer(seeded) as running:
        yield running


@pytest.mark.servers
def test_sigkill_mid_write_loses_nothing_and_rerun_completes(seeded, app, tmp_path):
    before = snapshot(seeded, app)
    assert all(a["status"] == "answered" for a in before["answers"]), before["answers"]
    big = many_pages_pdf(tmp_path / "long.pdf", pages=30)
    files = [WAIBAN, big]
    # Killed while the first file is written; then, the next run having swept that and stored the first file
    # again, while the second is.
    outcomes = [kill_mid_write(seeded, files, nth) for nth in (0, 1)]
    print("kills that left a version half-written:", outcomes)
    assert any(outcomes), "every kill came too late: no document was half-written"
    # The document indexed before answers exactly as before, and no half-written document is visible.
    after = snapshot(seeded, app)
    assert [f for f in after["facts"] if f[0] == ZFB.name] == [f for f in before["facts"] if f[0] == ZFB.name]
    assert after["answers"] == before["answers"]
    store = facts_store(seeded)
    for doc in store.documents():
        assert doc.status == "ready" and doc.n_facts == len(store.facts([doc.doc_id]))
    store.close()
    proc = cli("ingest", *map(str, files), "--no-progress", data_dir=seeded)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    store = facts_store(seeded)
    assert {d.file_name for d in store.documents()} == {ZFB.name, WAIBAN.name, big.name}
    assert store.pending_ids() == []
    ready = {d.doc_id for d in store.documents()}
    store.close()
    assert snapshot(seeded, app)["answers"] == before["answers"]
    # The vector/keyword side holds exactly the ready documents after recovery.
    from index.search.search_index import SearchIndex

    assert SearchIndex(Settings(data_dir=seeded)).indexed_doc_ids() == ready


def test_a_held_lock_refuses_with_a_clear_message(settings):
    holder = Ingestor(settings)
    lock = holder.lock()
    try:
        with pytest.raises(IngestBusy, match="另一个导入"):
            Ingestor(settings).ingest([WAIBAN], wait_s=0.2)
    finally:
        lock.release()
