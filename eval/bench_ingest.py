"""Ingest speed next to bare pdfplumber over the same files, measured in one run.

    .venv/bin/python eval/bench_ingest.py [PDF ...]     (default: eval/corpus/*.pdf and shared/real/*.pdf when present)

Three measures, each the best of ``--repeat`` rounds, the rounds interleaved so a machine loaded by other
jobs weighs on all of them alike:

- bare: pdfplumber alone, every page's ``extract_text()`` and ``find_tables()`` with each table extracted;
- parse: ``index.read.parse.parse_pdf`` in this process;
- ingest: ``budget-qa ingest`` as a real process into a fresh data dir (facts, chunks, index), with
  ``--workers 1`` and then ``--workers 2``.

Per file: bare and parse seconds and parse/bare. For the whole set: bare, parse, ingest with 1 and 2
workers, each ingest / bare, and the speed-up of 2 workers over 1.
"""

from __future__ import annotations

import argparse
import json
import os
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


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def ingest_cli(pdfs: list[Path], workers: int) -> tuple[float, list[dict]]:
    """``budget-qa ingest`` into a fresh data dir; (wall seconds, one JSON result per file)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "qa.cli.main", "ingest", *map(str, pdfs), "--data-dir", tmp,
                   "--workers", str(workers), "--json", "--no-progress"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"导入失败（退出码 {done.returncode}）：{done.stderr[-2000:]}")
    return seconds, [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each figure is the best round")
    args = parser.parse_args()
    real = next((d for d in (ROOT.parent / "shared" / "real", Path("/work/shared/real")) if d.is_dir()), None)
    pdfs = args.pdfs or sorted((ROOT / "eval" / "corpus").glob("*.pdf")) + (sorted(real.glob("*.pdf")) if real else [])
    pages = {}
    for pdf in pdfs:
        with pdfplumber.open(pdf) as handle:
            pages[pdf] = len(handle.pages)
    bare: dict[Path, float] = {}
    parse: dict[Path, float] = {}
    ingest: dict[int, float] = {}
    results: list[dict] = []
    for _ in range(max(1, args.repeat)):
        for pdf in pdfs:  # bare and parse alternate file by file
            bare[pdf] = min(bare.get(pdf, float("inf")), timed(lambda pdf=pdf: bare_pdfplumber(pdf)))
            parse[pdf] = min(parse.get(pdf, float("inf")), timed(lambda pdf=pdf: parse_pdf(pdf)))
        for workers in (1, 2):
            seconds, found = ingest_cli(pdfs, workers)
            ingest[workers] = min(ingest.get(workers, float("inf")), seconds)
            results = results or found
    by_name = {r["file_name"]: r for r in results}

    print(f"{'file':52} {'pages':>5} {'tables':>6} {'facts':>6} {'bare s':>7} {'parse s':>7} {'parse/bare':>10}")
    for pdf in pdfs:
        r = by_name.get(pdf.name, {})
        print(f"{pdf.name[:52]:52} {pages[pdf]:5d} {r.get('tables', 0):6d} {r.get('facts', 0):6d} "
              f"{bare[pdf]:7.2f} {parse[pdf]:7.2f} {parse[pdf] / bare[pdf]:10.2f}")
    total_bare, total_parse, n_pages = sum(bare.values()), sum(parse.values()), sum(pages.values())
    print(f"\n{len(pdfs)} files, {n_pages} pages, best of {args.repeat} interleaved rounds")
    print(f"  bare pdfplumber          {total_bare:7.2f} s  {n_pages / total_bare:5.1f} pages/s")
    print(f"  parse_pdf                {total_parse:7.2f} s  {total_parse / total_bare:5.2f} × bare")
    for workers, seconds in ingest.items():
        print(f"  budget-qa ingest -w {workers}    {seconds:7.2f} s  {seconds / total_bare:5.2f} × bare")
    print(f"  speed-up of 2 workers over 1: {ingest[1] / ingest[2]:.2f}×")


if __name__ == "__main__":
    main()
