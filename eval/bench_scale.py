"""How start-up, memory, latency, ingest and disk grow with the corpus: N synthetic disclosures, end to end.

    .venv/bin/python eval/bench_scale.py --n 100 1000
    .venv/bin/python eval/bench_scale.py --n 100 1000 --workers 1 2 --json eval/reports/bench_scale.json

Corpora are nested (the 1,000 include the 100): copies of the two samples and of a few real and wild
disclosures (when /work/shared/real, /work/shared/wild exist) under other departments, regions and
years (``eval/synthetic.py``). Of each size's new copies the first ``--real-sample`` are stored and
indexed through the ingest path (``Ingestor.add_parsed``: facts, retrieval index, the PDF copy), and
their rate is the store+index throughput reported; the rest are written in bulk (``eval/bulk.py``: the
same rows, vectors reused from the base's first copy), which makes 10,000 buildable here. Parsing is per
file and does not grow with N: it is measured once, by ingesting the real base files with each
``--workers`` count.

Per N: store+index docs/s and pages/s (ingest path) and the bulk rate; then a NEW ``budget-qa ask --questions`` process answers a mix
of lookups, calculations (增减额/增长率/占比), prose and cross-document questions about the copies of
the samples (their figures are the samples', so answers are checked): seconds from process start to the
first answer, the process's RSS after the mix, ``elapsed_ms`` p50/p95 by question type; data-dir bytes
per page (with and without the stored PDFs). Settings come from the environment (``BUDGET_QA_…``), so
the same run measures other storage backends; only the data dir is set per run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.bulk import BulkCopies  # noqa: E402
from eval.synthetic import SAMPLES, derive, dir_size, percentile, publisher  # noqa: E402
from index.core.model import Document  # noqa: E402
from index.core.settings import Settings  # noqa: E402
from index.read.parse import parse_pdf  # noqa: E402
from qa.services import Services  # noqa: E402

REAL_DIRS = (Path("/work/shared/real"), Path("/work/shared/wild"))
REAL_BASES = 2  # from each of real and wild: the smallest files (parsing is measured, not the point)
TYPES = {"table_lookup": "lookup", "calculation": "calculation", "prose": "prose"}
REAL_SAMPLE = 100  # copies per corpus size stored and indexed through the ingest path (its throughput is reported)
BULK_BATCH = 200  # the rest are written in bulk, this many at a time (eval/bulk.py)
PER_TYPE = {"lookup": 24, "calculation": 12, "prose": 8, "cross": 8}


@dataclass
class Base:
    path: Path
    document: Document
    sample: str | None  # the sample's file name when its questions apply to its copies


def load_bases() -> list[Base]:
    bases = [Base(ROOT / "eval" / "corpus" / name, parse_pdf(ROOT / "eval" / "corpus" / name), name) for name in SAMPLES]
    for folder in REAL_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_size)[:REAL_BASES]:
            document = parse_pdf(path)
            if document.identity.department and document.tables:  # a copy must have a publisher to rename
                bases.append(Base(path, document, None))
    return bases


def real_files() -> list[Path]:
    return [b for folder in REAL_DIRS if folder.is_dir() for b in sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_size)[:REAL_BASES]]


def measure_parse(workers: list[int], env_settings: Settings) -> dict[int, dict]:
    """Real ingest (parse in child processes + store + index) of the real base files, per worker count."""
    files = real_files() or [ROOT / "eval" / "corpus" / name for name in SAMPLES]
    out = {}
    for w in workers:
        with tempfile.TemporaryDirectory(prefix="bench-scale-parse-") as tmp:
            services = Services(env_settings.model_copy(update={"data_dir": Path(tmp)}))
            started = time.perf_counter()
            results = services.ingestor.ingest(files, workers=w)
            seconds = time.perf_counter() - started
            pages = sum(r.pages for r in results)
            out[w] = {"files": len(files), "pages": pages, "s": round(seconds, 1), "docs_per_s": round(len(files) / seconds, 2),
                      "pages_per_s": round(pages / seconds, 1)}  # fmt: skip
    return out


# --- questions ---------------------------------------------------------------------------------------

def sample_questions() -> dict[str, list[dict]]:
    """Sample file name → its eval questions (lookup, calculation, prose)."""
    out: dict[str, list[dict]] = {}
    for line in (ROOT / "eval" / "qa" / "samples.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("document") in SAMPLES and row["category"] in TYPES:
            out.setdefault(row["document"], []).append(row)
    return out


def question_mix(bases: list[Base], n: int, seed: int = 15) -> list[dict]:
    """Questions about copies of the samples among the first ``n`` documents, each with its type and expected value."""
    rng = random.Random(seed)
    by_sample = sample_questions()
    copies = [i for i in range(n) if bases[i % len(bases)].sample]
    mix: list[dict] = []
    for kind, count in PER_TYPE.items():
        if kind == "cross":
            continue
        for _ in range(count):
            i = rng.choice(copies)
            base = bases[i % len(bases)]
            row = rng.choice([r for r in by_sample[base.sample or ""] if TYPES[r["category"]] == kind])
            mix.append({"type": kind, "question": ask_copy(base.document, i, row["question"]), "expected": row.get("answer_value")})
    for _ in range(PER_TYPE["cross"] // 2):  # two departments compared; the highest of a year, of a region's year
        a, b = rng.sample(copies, 2)
        _, _, year = publisher(a)
        dep_a, dep_b = (f"{publisher(x)[0]}{publisher(x)[1]}" for x in (a, b))
        mix.append({"type": "cross", "question": f"{dep_a}和{dep_b}{year}年三公经费合计多少", "expected": None})
        region = publisher(a)[0]
        mix.append({"type": "cross", "question": rng.choice([f"{year}年哪个部门三公经费最高", f"{region}{year}年哪个部门三公经费最高"]),
                    "expected": None})  # fmt: skip
    lookups = [q for q in mix if q["type"] == "lookup"]
    rng.shuffle(mix)
    first = lookups[0]  # a lookup first: "start-up to first answer" is the common case
    mix.remove(first)
    return [first, *mix]


def ask_copy(base: Document, i: int, question: str) -> str:
    """The sample's question asked of copy ``i``: its publisher by full name, and its year when none is named."""
    copy, rewrite = derive(base, i)
    department, year = copy.identity.department or "", copy.identity.year
    names = sorted({*base.identity.aliases, base.identity.department or "", base.identity.short_name or "", "区政府"} - {""},
                   key=len, reverse=True)  # fmt: skip
    named = next((question.replace(n, "\0", 1) for n in names if n in question), "\0" + question)
    for prefix in ("西城区", "西城", "北京市"):  # the sample's region before its short name
        named = named.replace(prefix + "\0", "\0")
    named = rewrite(named)  # its years, and names inside item names (…西城区支持经费), as in the copy
    # The copy's year unless the question names it (or the year before): "2018年无线网络租赁费" is an item.
    has_year = year is not None and (f"{year}年" in named or f"{year - 1}年" in named)
    return named.replace("\0", department if has_year else f"{department}{year}年")


# --- the answering process -----------------------------------------------------------------------------

def answer_in_new_process(data_dir: Path, mix: list[dict], code: Path = ROOT) -> dict:
    """``budget-qa ask --questions`` in a new process: start-up to first answer, RSS after the mix, latencies."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(q["question"] for q in mix) + "\n")
        questions_file = f.name
    env = {**os.environ, "BUDGET_QA_DATA_DIR": str(data_dir), "PYTHONPATH": str(code)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qa.cli.main", "ask", "--questions", questions_file, "--json"],
                            cwd=code, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    rss: dict[str, int] = {}

    def watch() -> None:
        while proc.poll() is None:
            try:
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                    if line.startswith(("VmRSS:", "VmHWM:")):
                        rss[line.split(":")[0]] = int(line.split()[1])
            except OSError:
                return
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()
    answers, first_s, first_cpu_s, cpu_ms = [], None, None, []
    assert proc.stdout is not None
    last_cpu = None
    for line in proc.stdout:
        # The machine is shared: CPU seconds say what start-up and each answer cost whatever the load
        # (the process answers one question at a time, so the CPU between two answers is the second's).
        cpu = cpu_seconds(proc.pid)
        if first_s is None:
            first_s, first_cpu_s = time.perf_counter() - started, cpu
        elif cpu is not None and last_cpu is not None:
            cpu_ms.append((cpu - last_cpu) * 1000)
        last_cpu = cpu
        answers.append(json.loads(line))
    _, stderr = proc.communicate()
    os.unlink(questions_file)
    if len(answers) != len(mix):
        raise RuntimeError(f"answering process gave {len(answers)} answers for {len(mix)} questions:\n{stderr[-2000:]}")
    by_type: dict[str, dict] = {}
    for i, (q, a) in enumerate(zip(mix, answers)):
        t = by_type.setdefault(q["type"], {"ms": [], "cpu_ms": [], "answered": 0, "checked": 0, "correct": 0})
        t["ms"].append(a["elapsed_ms"])
        if 0 < i <= len(cpu_ms):
            t["cpu_ms"].append(cpu_ms[i - 1])
        t["answered"] += a["status"] == "answered"
        if q["expected"] is not None:
            t["checked"] += 1
            t["correct"] += same_value(a["value"], q["expected"])
    return {
        "first_answer_s": round(first_s or 0.0, 2),
        "first_answer_cpu_s": round(first_cpu_s or 0.0, 2),
        "rss_mb": round(rss.get("VmRSS", 0) / 1024, 1),
        "peak_rss_mb": round(rss.get("VmHWM", 0) / 1024, 1),
        "latency": {k: {"n": len(v["ms"]), "p50_ms": round(percentile(v["ms"], 0.5), 1), "p95_ms": round(percentile(v["ms"], 0.95), 1),
                        "cpu_p50_ms": round(percentile(v["cpu_ms"], 0.5)), "cpu_p95_ms": round(percentile(v["cpu_ms"], 0.95)),
                        "answered": v["answered"], "correct": f"{v['correct']}/{v['checked']}"} for k, v in by_type.items()},  # fmt: skip
        "answers": [{"question": q["question"], "status": a["status"], "value": a["value"], "ms": a["elapsed_ms"]} for q, a in zip(mix, answers)],
    }


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU a running process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def same_value(got: str | None, expected: str) -> bool:
    try:
        return got is not None and abs(Decimal(got) - Decimal(expected)) <= Decimal("0.01")
    except InvalidOperation:
        return False


def template_key(bases: list[Base], i: int) -> tuple[int, int]:
    """Copies of one base and year are clones of one stored copy (eval/bulk.py): only names differ."""
    return i % len(bases), publisher(i)[2]


# --- the run -----------------------------------------------------------------------------------------

def run(sizes: list[int], workers: list[int], data_dir: Path, code: Path = ROOT, real_sample: int = REAL_SAMPLE) -> dict:
    env_settings = Settings()  # storage backends etc. from the environment; the data dir is ours
    settings = env_settings.model_copy(update={"data_dir": data_dir})
    started = time.perf_counter()
    bases = load_bases()
    parse_s = time.perf_counter() - started
    report: dict = {"bases": [b.path.name for b in bases], "parse_bases_s": round(parse_s, 1),
                    "ingest_real_files": {str(w): v for w, v in measure_parse(workers, env_settings).items()}, "runs": []}  # fmt: skip
    services = Services(settings)
    ingestor = services.ingestor
    bulk = BulkCopies(services)
    # A kept data dir (--data-dir) is continued: its documents are the first ones of the sequence.
    stored = services.store.documents()
    done, pages = len(stored), sum(d.pages or 0 for d in stored)
    templates = {template_key(bases, int(m.group(1))): d.doc_id for d in stored if (m := re.match(r"synthetic-(\d+)-", d.file_name))}
    if not bulk.can_clone:
        templates.clear()  # on servers every bulk copy is built from its base
    for n in sorted(sizes):
        if n < done:
            print(f"N={n}: skipped, the data dir already holds {done} documents", file=sys.stderr)
            continue
        step_pages, store_s, bulk_s, real = 0, 0.0, 0.0, min(n - done, real_sample)
        with ingestor.lock():
            for i in range(done, done + real):  # through the ingest path: its throughput is what is reported
                base = bases[i % len(bases)]
                document = derive(base.document, i)[0]
                t0 = time.perf_counter()
                result = ingestor.add_parsed(base.path, document)
                store_s += time.perf_counter() - t0
                if result.status != "ingested":
                    raise RuntimeError(f"{document.file_name}: {result.reason}")
                step_pages += len(document.pages)
            for start in range(done + real, n, BULK_BATCH):  # the rest in bulk (eval/bulk.py)
                t0 = time.perf_counter()
                batch = range(start, min(n, start + BULK_BATCH))
                # Each base's first copy of a year is built from the base; the others are clones of it (SQL).
                first: dict[tuple[int, int], int] = {}
                for i in batch:
                    if template_key(bases, i) not in templates:
                        first.setdefault(template_key(bases, i) if bulk.can_clone else (i, 0), i)
                built = [(bases[i % len(bases)].path, derive(bases[i % len(bases)].document, i)[0]) for i in first.values()]
                bulk.add(built)
                if bulk.can_clone:
                    templates.update({k: d.sha256[:16] for k, (_, d) in zip(first, built)})
                bulk.clone([(templates[template_key(bases, i)], i, bases[i % len(bases)].path, bases[i % len(bases)].document.sha256)
                            for i in batch if i not in first.values()])  # fmt: skip
                bulk_s += time.perf_counter() - t0
                step_pages += sum(len(bases[i % len(bases)].document.pages) for i in batch)
                print(f"  stored {batch[-1] + 1}/{n} in bulk ({(batch[-1] + 1 - done - real) / bulk_s:.1f} docs/s)",
                      file=sys.stderr, flush=True)  # fmt: skip
        real_pages = sum(len(bases[i % len(bases)].document.pages) for i in range(done, done + real))
        pages += step_pages
        added = n - done
        done = n
        answering = answer_in_new_process(data_dir, question_mix(bases, n), code)
        pdf_bytes = dir_size(settings.files_dir)
        total = dir_size(data_dir)
        run_report = {
            "documents": n, "pages": pages,
            "ingest_path_docs": real,
            "store_index_docs_per_s": round(real / store_s, 2) if real else None,
            "store_index_pages_per_s": round(real_pages / store_s, 1) if real else None,
            "bulk_docs": added - real, "bulk_docs_per_s": round((added - real) / bulk_s, 1) if added > real else None,
            **{k: v for k, v in answering.items() if k != "answers"},
            "bytes_per_page": round(total / pages), "bytes_per_page_without_pdfs": round((total - pdf_bytes) / pages),
            "data_dir_mb": round(total / 1e6, 1), "pdfs_mb": round(pdf_bytes / 1e6, 1),
            "parts_mb": {p.name: round(dir_size(p) / 1e6, 1) if p.is_dir() else round(p.stat().st_size / 1e6, 1)
                         for p in sorted(data_dir.iterdir())},
            "load_average": [round(x, 1) for x in os.getloadavg()],  # the machine is shared: context for the timings
            "answers": answering["answers"],
        }  # fmt: skip
        report["runs"].append(run_report)
        print_run(run_report)
    return report


def print_run(r: dict) -> None:
    lat = r["latency"]
    print(f"N={r['documents']}: pages {r['pages']}, store+index {r['store_index_docs_per_s']} docs/s "
          f"{r['store_index_pages_per_s']} pages/s ({r.get('ingest_path_docs')} copies; {r.get('bulk_docs')} in bulk at "
          f"{r.get('bulk_docs_per_s')} docs/s), first answer {r['first_answer_s']} s ({r['first_answer_cpu_s']} CPU s), RSS {r['rss_mb']} MB "
          f"(peak {r['peak_rss_mb']}), {r['bytes_per_page']} B/page ({r['bytes_per_page_without_pdfs']} without PDFs); "
          + "; ".join(f"{k} p50 {v['p50_ms']} p95 {v['p95_ms']} ms ({v['answered']}/{v['n']} answered, {v['correct']} correct)"
                      for k, v in lat.items()), file=sys.stderr, flush=True)  # fmt: skip


def table(report: dict) -> str:
    types = ["lookup", "calculation", "prose", "cross"]
    head = ["N", "pages", "docs/s", "pages/s", "bulk docs/s", "first answer s (CPU s)", "RSS MB", *(f"{t} p50/p95 ms (CPU)" for t in types), "B/page", "B/page w/o PDFs"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in report["runs"]:
        lat = r["latency"]
        first = f"{r['first_answer_s']} ({r['first_answer_cpu_s']})" if "first_answer_cpu_s" in r else r["first_answer_s"]
        cells = [r["documents"], r["pages"], r["store_index_docs_per_s"], r["store_index_pages_per_s"], r.get("bulk_docs_per_s"), first, r["rss_mb"],
                 *(f"{lat[t]['p50_ms']:.0f}/{lat[t]['p95_ms']:.0f} ({lat[t]['cpu_p50_ms']}/{lat[t]['cpu_p95_ms']})" if t in lat else "-"
                   for t in types),
                 r["bytes_per_page"], r["bytes_per_page_without_pdfs"]]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    ingest = "; ".join(f"{w} worker(s): {v['docs_per_s']} docs/s, {v['pages_per_s']} pages/s ({v['files']} files, {v['pages']} pages)"
                       for w, v in report["ingest_real_files"].items())  # fmt: skip
    return "\n".join(lines) + f"\n\nreal ingest (parse + store + index, per file): {ingest}"


def main() -> int:
    parser = argparse.ArgumentParser(description="规模基准测试 / scale benchmark: start-up, memory, latency, ingest, disk by N")
    parser.add_argument("--n", type=int, nargs="+", default=[100], help="corpus sizes (nested: the larger include the smaller)")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="parse workers for the real-file ingest (none: skip it)")
    parser.add_argument("--data-dir", help="where to build the corpus, kept and continued by the next run "
                                           "(default: a temporary dir, removed afterwards)")
    parser.add_argument("--real-sample", type=int, default=REAL_SAMPLE,
                        help="copies per size stored through the ingest path (the throughput reported); the rest in bulk")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="source tree the answering process runs (another version, over the same corpus)")
    args = parser.parse_args()
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        report = run(args.n, args.workers, data_dir, args.code.resolve(), args.real_sample)
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(table(report))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
