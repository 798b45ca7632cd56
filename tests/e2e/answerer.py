"""A long-running answering process, as the web app runs one: opened once, it answers each question read from
stdin (one JSON line out per line in), catching up with whatever other processes stored meanwhile the way the
app's chat does before every question (``Services.refresh``).

    python -m tests.e2e.answerer --data-dir DIR
"""

from __future__ import annotations

import json
import sys

from index.core.settings import load_settings
from qa.services import Services


def main() -> None:
    services = Services.open(load_settings(sys.argv[sys.argv.index("--data-dir") + 1]))
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        services.refresh()
        answer = services.engine.ask(line.strip())
        print(json.dumps(answer.contract(), ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    main()
