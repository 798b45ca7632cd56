"""Parse children start lean: the program's main module (for ``budget-qa``, the whole CLI with the search
index and the answer engine) is not run again in each of them; and files are parsed one per core by default."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from index.core.settings import Settings
from tests.conftest import ROOT, WAIBAN, ZFB

PROGRAM = textwrap.dedent('''
    import sys
    from pathlib import Path

    if __name__ != "__main__":  # run again by a child as __mp_main__
        Path(sys.argv[1], f"main-run-by-{__name__}").touch()

    from index.read.supervised import ParseLimits, parse_files

    if __name__ == "__main__":
        files = [(Path(p), None) for p in sys.argv[2:]]
        for path, outcome, seconds in parse_files(files, ParseLimits(), workers=2):
            print(path.name, type(outcome).__name__, len(getattr(outcome, "tables", [])))
''')


def test_children_parse_without_running_the_main_module_again(tmp_path):
    program = tmp_path / "program.py"
    program.write_text(PROGRAM)
    marks = tmp_path / "marks"
    marks.mkdir()
    done = subprocess.run(
        [sys.executable, str(program), str(marks), str(WAIBAN), str(ZFB)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    outcomes = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()}
    assert outcomes[WAIBAN.name][0] == outcomes[ZFB.name][0] == "Document", done.stdout
    assert all(int(o[1]) > 0 for o in outcomes.values()), done.stdout
    assert list(marks.iterdir()) == []  # no child ran program.py


def test_workers_default_to_the_usable_cores():
    assert Settings().ingest.workers == len(os.sched_getaffinity(0))
