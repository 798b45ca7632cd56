"""The CLI starts without the web side: gradio (~2.5 s to import) is loaded by ``serve`` alone, so ``ingest``,
``ask`` and the rest do not pay for it; nor for the chat model's provider package (openai, ~1 s) when no model
is configured. Nor does ``ingest`` wait for the answer side (engine, evidence pages) or for openpyxl before
its first file starts parsing: they are imported by the commands that use them. Nor does ``ask`` import the
eval suite or pdfplumber (0.1 s and 13 MB of a new answering process): ``eval`` and ``check`` do."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def loaded_by_the_cli(prefixes: tuple[str, ...]) -> str:
    """The modules under these names that ``import qa.cli.main`` loads, in a fresh interpreter."""
    probe = f"import sys, qa.cli.main; print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_cli_commands_start_without_gradio_or_the_llm_provider():
    assert loaded_by_the_cli(("gradio", "openai")) == "[]"


def test_ingest_starts_without_the_answer_side_or_openpyxl():
    assert loaded_by_the_cli(("qa.answer", "qa.evidence", "qa.examples", "openpyxl")) == "[]"


def test_ask_starts_without_the_eval_suite_or_pdfplumber():
    assert loaded_by_the_cli(("qa.evaluation", "pdfplumber", "pdfminer")) == "[]"
