"""Two ingest processes at once and an answering process that was running before either: it answers about
both documents without a restart. On servers (``make test-servers``) the two write at the same time, with
no file lock; embedded they take turns on the data dir's lock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from index.core.settings import Settings
from index.store.facts import FactsStore
from tests.conftest import SERVERS, WAIBAN, ZFB
from tests.e2e.answerer import Answerer

pytestmark = [pytest.mark.slow, pytest.mark.servers]

# (question, file the answer must come from, value when it is a figure)
QUESTIONS = [
    ("西城区外办2020年收入预算是多少？", WAIBAN.name, "7955559.34"),
    ("西城区政府办2020年收入预算是多少？", ZFB.name, "124945150.26"),
    ("西城区政府办的主要职责是什么？", ZFB.name, None),  # prose: the keyword and vector legs, on the servers too
]


def test_two_ingests_at_once_and_a_running_app_answers_about_both(tmp_path, stores):
    data_dir = tmp_path / "data"
    with Answerer(data_dir) as app:
        assert app.ask(QUESTIONS[0][0])["status"] != "answered"  # nothing stored yet
        procs = [
            subprocess.Popen([sys.executable, "-m", "qa.cli.main", "ingest", str(path), "--no-progress", "--data-dir",
                              str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for path in (WAIBAN, ZFB)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, out + err
        # On servers nobody locks the data dir; embedded the two took turns on its lock.
        assert (data_dir / ".ingest.lock").exists() == (not SERVERS)
        docs = FactsStore(Settings(data_dir=data_dir).facts_target).documents()
        assert {d.file_name for d in docs} == {WAIBAN.name, ZFB.name}
        for question, file_name, value in QUESTIONS:
            answer = app.ask(question)
            assert answer["status"] == "answered", (question, answer)
            assert answer["citations"] and answer["citations"][0]["document"] == file_name, (question, answer)
            if value is not None:
                assert answer["value"] == value, (question, answer)
