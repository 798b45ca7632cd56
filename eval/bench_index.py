"""Benchmark the retrieval index on N synthetic disclosures derived from the two samples.

    .venv/bin/python eval/bench_index.py --n 100
    .venv/bin/python eval/bench_index.py --n 1000 --json eval/reports/bench_index_1000.json

The samples are parsed once; every other document is a copy whose department, region and year
are rewritten in the Document model (identity, paragraphs, page text, table titles and rows).
The two unmodified samples stay in the corpus, so the retrieval eval questions can also be scored
against N documents: the right passage must win over near-identical copies of other departments.
Reports parse cost, index time (chunk + embed + store) and pages/s, disk size, peak memory,
start-up time of a new index instance, and retrieval latency p50/p95 (sequential and 4 threads).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.synthetic import current_rss_mb, dir_size, percentile, synthetic  # noqa: E402
from index.core.settings import Settings  # noqa: E402
from index.read.parse import parse_pdf  # noqa: E402
from index.search.search_index import SearchIndex  # noqa: E402
from qa.evaluation.retrieval import first_hit_rank, load_questions  # noqa: E402


def timed_search(index: SearchIndex, query: str, mode: str, filters: dict | None = None, scope: bool = True) -> tuple[float, list]:
    started = time.perf_counter()
    hits = index.search(query, k=8, mode=mode, filters=filters, auto_scope=scope)
    return (time.perf_counter() - started) * 1000, hits


def run(n: int, data_dir: Path) -> dict:
    started = time.perf_counter()
    samples = [parse_pdf(ROOT / "eval" / "corpus" / name) for name in ("xicheng-waiban-2020.pdf", "xicheng-zfb-2020.pdf")]
    parse_s = time.perf_counter() - started
    sample_pages = sum(len(d.pages) for d in samples)

    settings = Settings(data_dir=data_dir)
    started = time.perf_counter()
    index = SearchIndex(settings)
    open_empty_s = time.perf_counter() - started
    pages = nodes = 0
    index_s = index_cpu_s = 0.0
    for i in range(n):
        doc = samples[i] if i < 2 else synthetic(samples[i % 2], i)
        t0, c0 = time.perf_counter(), time.process_time()
        nodes += index.add_document(doc.sha256[:16], None, doc)
        index_s += time.perf_counter() - t0
        index_cpu_s += time.process_time() - c0
        pages += len(doc.pages)
        if (i + 1) % 100 == 0:
            print(f"  indexed {i + 1}/{n} ({pages / index_s:.0f} pages/s)", file=sys.stderr, flush=True)

    questions = load_questions()
    del index  # what a restarted app pays: open the persisted index and answer a first query
    started = time.perf_counter()
    index = SearchIndex(settings)
    open_s = time.perf_counter() - started
    first_ms, _ = timed_search(index, questions[0].question, "fused")
    rss_open_mb = current_rss_mb()

    latency: dict[str, dict] = {}
    quality: dict[str, float] = {}
    for mode in ("vector", "bm25", "fused"):
        times, ranks = [], []
        for q in questions:
            ms, hits = timed_search(index, q.question, mode)
            times.append(ms)
            ranks.append(first_hit_rank(hits, q))
        latency[mode] = {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}
        quality[mode] = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
    variants = {
        "fused+department filter": ({"department": samples[0].identity.department, "year": 2020}, True),
        "fused, not scoped": (None, False),
        "fused, node_type=table": ({"node_type": "table"}, False),
    }
    for name, (filters, scope) in variants.items():
        times = [timed_search(index, q.question, "fused", filters, scope)[0] for q in questions]
        latency[name] = {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda q: timed_search(index, q.question, "fused")[0], questions * 2))
    latency["fused, 4 threads"] = {"p50_ms": percentile(threaded, 0.5), "p95_ms": percentile(threaded, 0.95)}

    return {
        "documents": n,
        "pages": pages,
        "nodes": nodes,
        "vectors": index.collection.count(),
        "parse_s_two_samples": round(parse_s, 2),
        "parse_pages_per_s": round(sample_pages / parse_s, 1),
        "index_s": round(index_s, 1),
        "index_pages_per_s": round(pages / index_s, 1),
        "index_docs_per_s": round(n / index_s, 2),
        "index_cpu_s": round(index_cpu_s, 1),
        "index_pages_per_cpu_s": round(pages / index_cpu_s, 1),
        "disk_mb": round(dir_size(settings.index_dir) / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_after_reopen_mb": rss_open_mb,
        "load_average": [round(x, 1) for x in os.getloadavg()],  # the machine is shared: context for the timings
        "open_empty_index_s": round(open_empty_s, 2),
        "open_index_s": round(open_s, 2),
        "first_query_ms": round(first_ms, 1),
        "latency": {k: {kk: round(vv, 1) for kk, vv in v.items()} for k, v in latency.items()},
        "eval_hit@5_among_n": quality,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="检索索引基准测试 / retrieval index benchmark")
    parser.add_argument("--n", type=int, default=100, help="number of disclosures")
    parser.add_argument("--data-dir", help="where to build the index (default: a temporary dir, removed afterwards)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        report = run(args.n, data_dir)
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"documents {report['documents']}, pages {report['pages']}, nodes {report['nodes']}, vectors {report['vectors']}")
    print(f"parse (2 samples, once): {report['parse_s_two_samples']} s = {report['parse_pages_per_s']} pages/s")
    print(f"index (chunk+embed+store): {report['index_s']} s = {report['index_pages_per_s']} pages/s, "
          f"{report['index_docs_per_s']} docs/s; CPU {report['index_cpu_s']} s = {report['index_pages_per_cpu_s']} pages/CPU-s")  # fmt: skip
    print(f"disk {report['disk_mb']} MB; peak RSS {report['peak_rss_mb']} MB; RSS after reopening {report['rss_after_reopen_mb']} MB")
    print(f"open persisted index {report['open_index_s']} s; first query {report['first_query_ms']} ms; "
          f"load average {report['load_average']}")  # fmt: skip
    for name, v in report["latency"].items():
        print(f"latency {name:<24} p50 {v['p50_ms']:7.1f} ms   p95 {v['p95_ms']:7.1f} ms")
    print("eval hit@5 among N documents: " + ", ".join(f"{m} {v:.1%}" for m, v in report["eval_hit@5_among_n"].items()))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
