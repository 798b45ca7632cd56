"""Two ingest processes at once and an answering process that was running before either: it answers about
both documents without a restart. On servers (``make test-servers``) the two write at the same time, with
no file lock; embedded they take turns on the data dir's lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.core.settings import Settings
from index.store.facts import FactsStore
from tests.conftest import ROOT, SERVERS, WAIBAN, ZFB

pytestmark = [pytest.mark.slow, pytest.mark.servers]

# (question, file the answer must come from, value when it is a figure)
QUESTIONS = [
    ("西城区外办2020年收入预算是多少？", WAIBAN.name, "7955559.34"),
    ("西城区政府办2020年收入预算是多少？", ZFB.name, "124945150.26"),
    ("西城区政府办的主要职责是什么？", ZFB.name, None),  # prose: the keyword and vector legs, on the servers too
]


class Answerer:
    """``tests/e2e/answerer.py`` in its own process: a question in, a JSON answer out."""

    def __init__(self, data_dir: Path):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.e2e.answerer", "--data-dir", str(data_dir)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert json.loads(self.readline()) == {"ready": True}

    def readline(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the answering process ended (exit code {self.proc.poll()})"
        return line

    def ask(self, question: str) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        return json.loads(self.readline())

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_two_ingests_at_once_and_a_running_app_answers_about_both(tmp_path, stores):
    data_dir = tmp_path / "data"
    app = Answerer(data_dir)
    try:
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
    finally:
        app.close()
