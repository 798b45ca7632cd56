"""SIGKILL during ingest leaves the stores consistent; concurrent ingests serialize on a lock."""

from __future__ import annotations

import json
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
from tests.bad_files import many_pages_pdf
from tests.conftest import WAIBAN, ZFB

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


def snapshot(data_dir: Path, questions_file: Path) -> dict:
    """What users of the already indexed document see: its facts, and the answers to questions about it."""
    store = FactsStore(data_dir / "facts.sqlite3")
    facts = [(f.file_name, f.label, f.code, f.name, f.column, str(f.value), f.page) for f in store.facts()]
    store.close()
    proc = cli("ask", "--questions", str(questions_file), "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    for answer in answers:
        answer.pop("elapsed_ms")
    return {"facts": facts, "answers": answers}


@pytest.fixture
def seeded(tmp_path) -> Path:
    data_dir = tmp_path / "data"
    proc = cli("ingest", str(ZFB), "--no-progress", data_dir=data_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return data_dir


def test_sigkill_at_several_points_loses_nothing_and_rerun_completes(seeded, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(QUESTIONS), encoding="utf-8")
    before = snapshot(seeded, questions)
    assert all(a["status"] == "answered" for a in before["answers"]), before["answers"]
    big = many_pages_pdf(tmp_path / "long.pdf", pages=60)  # a longer ingest widens the window
    started = time.perf_counter()
    proc = cli("ingest", str(WAIBAN), str(big), "--no-progress", data_dir=tmp_path / "timing")
    full = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    outcomes = []
    for fraction in (0.25, 0.5, 0.7, 0.9):
        child = subprocess.Popen(
            [sys.executable, "-m", "qa.cli.main", "ingest", str(WAIBAN), str(big), "--no-progress", "--data-dir", str(seeded)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(full * fraction)
        killed = child.poll() is None
        if killed:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        store = FactsStore(seeded / "facts.sqlite3")
        left_pending = len(store.pending_ids())  # a version the kill left half-written (swept at next start)
        store.close()
        outcomes.append((fraction, killed, left_pending))
        # Whatever the moment, the document indexed before answers exactly as before …
        after = snapshot(seeded, questions)
        assert [f for f in after["facts"] if f[0] == ZFB.name] == [f for f in before["facts"] if f[0] == ZFB.name]
        assert after["answers"] == before["answers"]
        # … and no half-written document is visible: every visible document has all its facts.
        store = FactsStore(seeded / "facts.sqlite3")
        for doc in store.documents():
            assert doc.n_facts == len(store.facts([doc.doc_id]))
        store.close()
    print("kill outcomes (fraction of a full ingest, killed, pending versions left):", outcomes)
    assert any(killed for _, killed, _ in outcomes), outcomes
    proc = cli("ingest", str(WAIBAN), str(big), "--no-progress", data_dir=seeded)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {d.file_name for d in FactsStore(seeded / "facts.sqlite3").documents()} == {ZFB.name, WAIBAN.name, big.name}
    assert snapshot(seeded, questions)["answers"] == before["answers"]
    # The vector/keyword side holds exactly the ready documents after recovery.
    from index.search.search_index import SearchIndex

    settings = Settings(data_dir=seeded)
    ready = {d.doc_id for d in FactsStore(settings.db_path).documents()}
    assert SearchIndex(settings).indexed_doc_ids() == ready


def test_two_ingests_at_once_serialize(tmp_path):
    data_dir = tmp_path / "data"
    procs = [
        subprocess.Popen([sys.executable, "-m", "qa.cli.main", "ingest", str(path), "--no-progress", "--data-dir", str(data_dir)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for path in (WAIBAN, ZFB)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
    docs = FactsStore(data_dir / "facts.sqlite3").documents()
    assert {d.file_name for d in docs} == {WAIBAN.name, ZFB.name}


def test_a_held_lock_refuses_with_a_clear_message(settings):
    holder = Ingestor(settings)
    lock = holder.lock()
    try:
        with pytest.raises(IngestBusy, match="另一个导入"):
            Ingestor(settings).ingest([WAIBAN], wait_s=0.2)
    finally:
        lock.release()
