"""Ingest speed next to bare pdfplumber over the same files, measured in one run.

    .venv/bin/python eval/bench_ingest.py [PDF ...]     (default: eval/corpus/*.pdf and shared/real/*.pdf when present)

Three measures, each the best of ``--repeat`` rounds, the rounds interleaved so a machine loaded by other
jobs weighs on all of them alike:

- bare: pdfplumber alone, every page's ``extract_text()`` and ``find_tables()`` with each table extracted;
- parse: ``index.read.parse.parse_pdf`` in this process;
- ingest: ``budget-qa ingest`` as a real process into a fresh data dir (facts, chunks, index), with
  ``--workers 1`` and then ``--workers 2``.

Per file: bare and parse seconds and parse/bare. For the whole set: bare, parse, ingest with 1 and 2
workers, each ingest / bare, and the speed-up of 2 workers over 1. Next to each wall time stands the CPU time
of the same round (user + sys; for ingest, of the process and every process under it): on a machine shared
with other jobs the wall time says what a user waits, the CPU time what the work costs.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.read.parse import parse_pdf  # noqa: E402


def bare_pdfplumber(path: Path) -> int:
    """What any pdfplumber reader has to do: every page's text, and every table's cells."""
    tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            for table in page.find_tables():
                table.extract()
                tables += 1
            page.close()
    return tables


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall, CPU) seconds of ``fn()`` in this process."""
    started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    fn()
    return time.perf_counter() - started, cpu_seconds(resource.RUSAGE_SELF) - cpu


def adopt_orphans() -> None:
    """Linux: processes whose parent exits before them (the ingest's forkserver outlives the ingest by a
    moment) are handed to this process rather than to init, so that their CPU time is counted here."""
    PR_SET_CHILD_SUBREAPER = 36
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1) != 0:
        raise SystemExit("无法统计子进程的 CPU 时间（prctl PR_SET_CHILD_SUBREAPER 失败）")


def reap_all() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def ingest_cli(pdfs: list[Path], workers: int) -> tuple[float, float, list[dict]]:
    """``budget-qa ingest`` into a fresh data dir; (wall seconds, CPU seconds of it and every process under
    it, one JSON result per file)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "qa.cli.main", "ingest", *map(str, pdfs), "--data-dir", tmp,
                   "--workers", str(workers), "--json", "--no-progress"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        reap_all()
        started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        reap_all()  # what the ingest left running (its forkserver) ends with it: its time counts
        cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    if done.returncode != 0:
        raise SystemExit(f"导入失败（退出码 {done.returncode}）：{done.stderr[-2000:]}")
    return seconds, cpu, [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each figure is the best round")
    args = parser.parse_args()
    real = next((d for d in (ROOT.parent / "shared" / "real", Path("/work/shared/real")) if d.is_dir()), None)
    pdfs = args.pdfs or sorted((ROOT / "eval" / "corpus").glob("*.pdf")) + (sorted(real.glob("*.pdf")) if real else [])
    adopt_orphans()
    pages = {}
    for pdf in pdfs:
        with pdfplumber.open(pdf) as handle:
            pages[pdf] = len(handle.pages)
    bare: dict[Path, tuple[float, float]] = {}  # (wall, CPU) of the best round
    parse: dict[Path, tuple[float, float]] = {}
    ingest: dict[int, tuple[float, float]] = {}
    results: list[dict] = []
    worst = (float("inf"), float("inf"))
    for _ in range(max(1, args.repeat)):
        for pdf in pdfs:  # bare and parse alternate file by file
            bare[pdf] = min(bare.get(pdf, worst), timed(lambda pdf=pdf: bare_pdfplumber(pdf)))
            parse[pdf] = min(parse.get(pdf, worst), timed(lambda pdf=pdf: parse_pdf(pdf)))
        for workers in (1, 2):
            seconds, cpu, found = ingest_cli(pdfs, workers)
            ingest[workers] = min(ingest.get(workers, worst), (seconds, cpu))
            results = results or found
    by_name = {r["file_name"]: r for r in results}

    print(f"{'file':52} {'pages':>5} {'tables':>6} {'facts':>6} {'bare s':>7} {'parse s':>7} {'parse/bare':>10}")
    for pdf in pdfs:
        r = by_name.get(pdf.name, {})
        print(f"{pdf.name[:52]:52} {pages[pdf]:5d} {r.get('tables', 0):6d} {r.get('facts', 0):6d} "
              f"{bare[pdf][0]:7.2f} {parse[pdf][0]:7.2f} {parse[pdf][0] / bare[pdf][0]:10.2f}")
    n_pages = sum(pages.values())
    wall_bare, cpu_bare = (sum(t[i] for t in bare.values()) for i in (0, 1))
    wall_parse, cpu_parse = (sum(t[i] for t in parse.values()) for i in (0, 1))
    print(f"\n{len(pdfs)} files, {n_pages} pages, best of {args.repeat} interleaved rounds (wall; CPU = user + sys)")
    print(f"  bare pdfplumber          {wall_bare:7.2f} s  {n_pages / wall_bare:5.1f} pages/s   CPU {cpu_bare:7.2f} s")
    print(f"  parse_pdf                {wall_parse:7.2f} s  {wall_parse / wall_bare:5.2f} × bare   "
          f"CPU {cpu_parse:7.2f} s  {cpu_parse / cpu_bare:5.2f} × bare")
    for workers, (seconds, cpu) in ingest.items():
        print(f"  budget-qa ingest -w {workers}    {seconds:7.2f} s  {seconds / wall_bare:5.2f} × bare   "
              f"CPU {cpu:7.2f} s  {cpu / cpu_bare:5.2f} × bare")
    print(f"  speed-up of 2 workers over 1: {ingest[1][0] / ingest[2][0]:.2f}×")


if __name__ == "__main__":
    main()
