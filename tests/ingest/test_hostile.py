"""Hostile PDFs beside a good one: each bad file refused with a Chinese reason within its limits, the good
file ingested, the ingesting process's own memory untouched, no traceback — by the CLI and through the app."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time

import pytest

from index.core.settings import Settings
from qa.services import Services
from qa.web.documents import DocumentHandlers
from tests.conftest import WAIBAN
from tests.hostile_pdfs import HOSTILE, make_hostile_corpus

pytestmark = pytest.mark.slow
LIMITS = {"parse_timeout_s": 10, "parse_timeout_per_page_s": 0.5, "parse_memory_mb": 768, "workers": 2}
ENV = {f"BUDGET_QA_INGEST__{k.upper()}": str(v) for k, v in LIMITS.items()}


def test_cli_refuses_each_hostile_file_and_ingests_the_good_one(tmp_path):
    folder = tmp_path / "batch"
    make_hostile_corpus(folder)
    shutil.copyfile(WAIBAN, folder / WAIBAN.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_QA_")} | ENV
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli.main", "ingest", str(folder), "--no-progress", "--json", "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=300, env=env,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr  # some files failed: the exit code says so
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    import json

    results = {r["file_name"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert results[WAIBAN.name]["status"] == "ingested"
    for name in HOSTILE:
        assert results[name]["status"] == "failed", (name, results[name])
        reason = results[name]["reason"]
        assert reason and any("\u4e00" <= ch <= "\u9fff" for ch in reason), (name, reason)
        assert results[name]["seconds"] <= LIMITS["parse_timeout_s"] + 5, (name, results[name]["seconds"])
    slow = [n for n in HOSTILE if "已跳过" in results[n]["reason"]]
    assert {"reference_cycle.pdf", "operator_bomb.pdf", "text_bomb.pdf"} <= set(slow), results
    # Two at a time: well under the sum of the budgets.
    assert elapsed < 4 * LIMITS["parse_timeout_s"] + 60, elapsed


def test_app_upload_of_hostile_files_reports_each_and_keeps_serving(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", ingest=LIMITS)
    services = Services.open(settings)
    docs = DocumentHandlers(services)
    upload = settings.data_dir / "cache" / "gradio" / "u"
    hostile = make_hostile_corpus(upload)
    chosen = [hostile["reference_cycle.pdf"], hostile["text_bomb.pdf"], hostile["deep_page_tree.pdf"]]
    shutil.copyfile(WAIBAN, upload / WAIBAN.name)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report, frame, *_ = docs.upload([str(p) for p in chosen] + [str(upload / WAIBAN.name)], progress=lambda *a, **k: None)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    for path in chosen:
        assert "✗ " + path.name.replace("_", "\\_") in report  # Markdown-escaped
    assert "PDF 结构异常或过于复杂" in report and f"✓ {WAIBAN.name}" in report
    assert list(frame["文件"]) == [WAIBAN.name]
    assert grown_mb < 300, f"the serving process grew by {grown_mb:.0f} MB"
    answer = services.engine.ask("区政府外办2020年收入预算是多少？")
    assert answer.status == "answered" and answer.value == "7955559.34"
