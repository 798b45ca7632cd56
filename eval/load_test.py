"""Load test: N concurrent users asking through the running Gradio app (127.0.0.1 only), for a bounded time.

    .venv/bin/python eval/load_test.py --users 50 --seconds 60
    .venv/bin/python eval/load_test.py --url http://127.0.0.1:7860/ --users 20 --seconds 30   # a server already running

Without ``--url`` it starts ``budget-qa serve`` on a free loopback port over a data dir holding the sample corpus (ingested
into a temporary dir unless ``--data-dir`` is given), then each user loops: pick a question from
``eval/qa/samples.jsonl`` (figure questions only), ask it through the app's queue (the ``ask`` event's REST route), check the
expected figure is in the answer. Prints throughput, latency p50/p95/max, errors (failed requests)
and wrong figures (counted apart: accuracy is the eval suite's job).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from eval.app_process import running_app  # noqa: E402
from index.core.numbers import format_amount  # noqa: E402
from index.core.settings import Settings  # noqa: E402
from qa.services import Services  # noqa: E402

FIGURE_CATEGORIES = {"table_lookup", "narrative_figure", "calculation"}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # failed requests
    wrong: list[str] = field(default_factory=list)  # answered, but without the expected figure


def questions() -> list[dict]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "qa" / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["category"] in FIGURE_CATEGORIES and r["answer_value"] and r["unit"] == "元"]


def expected_texts(case: dict) -> set[str]:
    """The figure as the answer may print it: two decimals, or as the source printed it."""
    value = Decimal(case["answer_value"])
    return {format_amount(value, 2) + "元", format_amount(value) + "元"}


async def ask(client: httpx.AsyncClient, question: str) -> str:
    """One question through the app's queue (Gradio's REST route for the ``ask`` event)."""
    posted = await client.post("gradio_api/call/ask", json={"data": [question, [], []]})
    posted.raise_for_status()
    event_id = posted.json()["event_id"]
    body = ""
    async with client.stream("GET", f"gradio_api/call/ask/{event_id}") as stream:
        stream.raise_for_status()
        async for chunk in stream.aiter_text():
            body += chunk
    if "event: error" in body:
        raise RuntimeError(body[-200:])
    data = [line[len("data:"):].strip() for line in body.splitlines() if line.startswith("data:")]
    return json.dumps(json.loads(data[-1]), ensure_ascii=False)  # the final outputs, readable


async def user_loop(client: httpx.AsyncClient, cases: list[dict], deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        case = rng.choice(cases)
        started = time.perf_counter()
        try:
            body = await ask(client, case["question"])
            if not any(text in body for text in expected_texts(case)):
                tally.wrong.append(f"{case['id']}: expected {min(expected_texts(case))}")
        except Exception as exc:  # a load test counts every failure, whatever its type
            tally.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        tally.latencies.append(time.perf_counter() - started)


async def run_async(url: str, users: int, seconds: float) -> dict:
    cases = questions()
    tally = Tally()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=2 * users)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await asyncio.gather(*(user_loop(client, cases, deadline, tally, i) for i in range(users)))
    wall = time.perf_counter() - started
    lat = sorted(tally.latencies)
    return {
        "users": users,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "throughput_per_s": round(len(lat) / wall, 2) if wall else 0.0,
        "p50_s": round(statistics.median(lat), 3) if lat else None,
        "p95_s": round(lat[int(0.95 * (len(lat) - 1))], 3) if lat else None,
        "max_s": round(lat[-1], 3) if lat else None,
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "wrong_figures": len(tally.wrong),
        "wrong_samples": sorted(set(tally.wrong))[:5],
    }


def run(url: str, users: int, seconds: float) -> dict:
    return asyncio.run(run_async(url, users, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description="Load test of the running app on 127.0.0.1")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, help="the app's queue concurrency (default: its setting)")
    parser.add_argument("--data-dir", type=Path, help="a data dir with the samples ingested (default: ingest into a temp dir)")
    parser.add_argument("--url", help="a running app on this machine (loopback only) holding the sample corpus")
    args = parser.parse_args()
    if args.url:
        host = httpx.URL(args.url).host
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("只对本机（127.0.0.1 / localhost）上的服务做负载测试")
        print(json.dumps(run(args.url.rstrip("/") + "/", args.users, args.seconds), ensure_ascii=False, indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "data"
            Services(Settings(data_dir=data_dir)).ingestor.ingest([ROOT / "eval" / "corpus"])
        env = {"BUDGET_QA_APP__CONCURRENCY": str(args.concurrency)} if args.concurrency else None
        with running_app(data_dir, Path(tmp) / "serve.log", env) as url:
            print(json.dumps(run(url, args.users, args.seconds), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
