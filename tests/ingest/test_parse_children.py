"""Parse children start lean: the program's main module (for ``budget-qa``, the whole CLI with the search
index and the answer engine) is not run again in each of them. The next file parses while one is stored,
and files are parsed one per core by default. A file is opened once: its page count, which scales the
child's time budget, comes from the same open as its pages."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import textwrap

import pdfplumber

from index.core.settings import Settings
from index.ingest import Ingestor
from index.read.parse import parse_pdf
from index.read.supervised import TOO_COMPLEX, ParseLimits, parse_files
from index.store.facts import FactsStore
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


def test_the_next_file_is_parsing_when_one_is_handed_over():
    running_at_handover = []
    for path, outcome, _ in parse_files([(WAIBAN, None), (ZFB, None)], ParseLimits(), workers=1):
        assert type(outcome).__name__ == "Document", outcome
        running_at_handover.append((path.name, len(mp.active_children())))
    # ZFB's child was started before WAIBAN's document came back
    assert running_at_handover == [(WAIBAN.name, 1), (ZFB.name, 0)]


def test_each_file_is_stored_while_the_next_parses_and_a_group_once_all_are_read(settings):
    stored_at_progress: dict[str, list[int]] = {"": [], "group": []}
    for group in stored_at_progress:
        data = settings.model_copy(update={"data_dir": settings.data_dir / (group or "single")})
        ingestor = Ingestor(data)

        def progress(done: int, total: int, name: str, group: str = group, ingestor: Ingestor = ingestor) -> None:
            if name:
                stored_at_progress[group].append(len(ingestor.store.documents()))

        results = ingestor.ingest([WAIBAN, ZFB], group=group or None, progress=progress, workers=1)
        assert [r.status for r in results] == ["ingested", "ingested"]
        assert sorted(d.file_name for d in FactsStore(data.db_path).documents()) == sorted([WAIBAN.name, ZFB.name])
    assert stored_at_progress == {"": [0, 1], "group": [0, 0]}


def test_a_file_is_opened_once_and_its_page_count_told_before_its_pages_are_read(monkeypatch):
    events: list[str] = []
    real_open, real_close = pdfplumber.open, pdfplumber.page.Page.close

    def counting_open(*args, **kwargs):  # the real open, counted
        events.append("open")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(pdfplumber, "open", counting_open)
    monkeypatch.setattr(pdfplumber.page.Page, "close", lambda page: (events.append("page"), real_close(page)))
    document = parse_pdf(WAIBAN, on_pages=lambda count: events.append(f"pages={count}"))
    # pdfplumber closes each page again with the file: the pages are read once the count is told
    assert events[:3] == ["open", f"pages={len(document.pages)}", "page"] and events.count("open") == 1
    assert events.count("page") >= len(document.pages)
    assert document.identity.department == "北京市西城区人民政府外事办公室"  # the title hint still read


def test_the_page_count_from_the_child_extends_its_time_budget():
    """A base budget far below the parse time: only the per-page allowance, known once the child has counted
    the pages, lets the file through."""
    [(_, generous, _)] = parse_files([(WAIBAN, None)], ParseLimits(timeout_s=0.3, timeout_per_page_s=10.0))
    assert type(generous).__name__ == "Document", generous
    [(_, tight, _)] = parse_files([(WAIBAN, None)], ParseLimits(timeout_s=0.3, timeout_per_page_s=0.0))
    assert type(tight).__name__ == "IngestError" and tight.reason.startswith(TOO_COMPLEX), tight
    assert "解析超过" in tight.reason


def test_a_library_error_carrying_a_whole_traceback_is_told_by_its_last_line():
    from index.read.supervised import _last_line

    formatted = RuntimeError('Traceback (most recent call last):\n  File "x.py", line 1, in run\nFail: bad allocation\n')
    assert _last_line(formatted) == "Fail: bad allocation"
    assert _last_line(ValueError("Unexpected EOF")) == "Unexpected EOF"
