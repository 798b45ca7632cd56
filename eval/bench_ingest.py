"""Ingest speed per PDF (pages/s) next to bare pdfplumber ``extract_tables()`` over the same file, in one run.

    .venv/bin/python eval/bench_ingest.py [PDF ...]     (default: eval/corpus/*.pdf and ../shared/real/*.pdf)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.core.settings import Settings  # noqa: E402
from index.ingest import Ingestor  # noqa: E402
from index.read.parse import parse_pdf  # noqa: E402


def bare_pdfplumber(path: Path) -> int:
    tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.close()
    return tables


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs")
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "eval" / "corpus").glob("*.pdf")) + sorted((ROOT.parent / "shared" / "real").glob("*.pdf"))
    print(f"{'file':58} {'pages':>5} {'tables':>6} {'facts':>6} {'bare s':>7} {'bare p/s':>8} {'parse s':>7} {'parse p/s':>9} {'ingest s':>8} {'ratio':>5}")
    ratios = []
    for pdf in pdfs:
        with pdfplumber.open(pdf) as handle:
            pages = len(handle.pages)
        bare = best_of(lambda pdf=pdf: bare_pdfplumber(pdf), args.repeat)
        parse = best_of(lambda pdf=pdf: parse_pdf(pdf), args.repeat)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = Ingestor(Settings(data_dir=Path(tmp))).ingest([pdf])[0]  # facts store only
            ingest = time.perf_counter() - started
        ratios.append(parse / bare)
        print(f"{pdf.name[:58]:58} {pages:5d} {result.tables:6d} {result.facts:6d} {bare:7.2f} {pages / bare:8.1f} "
              f"{parse:7.2f} {pages / parse:9.1f} {ingest:8.2f} {parse / bare:5.2f}")
    print(f"median parse/bare time ratio: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
