"""The CLI starts without the web side: gradio (~2.5 s to import) is loaded by ``serve`` alone, so ``ingest``,
``ask`` and the rest do not pay for it; nor for the chat model's provider package (openai, ~1 s) when no model
is configured."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_cli_commands_start_without_gradio_or_the_llm_provider():
    probe = "import sys, qa.cli.main; print(sorted(m for m in sys.modules if m.split('.')[0] in ('gradio', 'openai')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
