"""A long-running answering process, as the web app runs one: opened once, it answers each question read from
stdin (one JSON line out per line in), catching up with whatever other processes stored meanwhile the way the
app's chat does before every question (``Services.refresh``).

    python -m tests.e2e.answerer --data-dir DIR

``Answerer`` starts one and asks it (the stores are wherever this process's environment puts them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from index.core.settings import load_settings
from qa.services import Services

ROOT = Path(__file__).resolve().parents[2]


class Answerer:
    """This module in its own process: a question in, the answer's JSON contract out."""

    def __init__(self, data_dir: Path):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.e2e.answerer", "--data-dir", str(data_dir)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        if json.loads(self._readline()) != {"ready": True}:
            raise RuntimeError("the answering process did not start")

    def _readline(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the answering process ended (exit code {self.proc.poll()})")
        return line

    def ask(self, question: str) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        return json.loads(self._readline())

    def __enter__(self) -> Answerer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main() -> None:
    services = Services.open(load_settings(sys.argv[sys.argv.index("--data-dir") + 1]))
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        services.refresh()
        answer = services.engine.ask(line.strip())
        print(json.dumps(answer.contract(), ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    main()
