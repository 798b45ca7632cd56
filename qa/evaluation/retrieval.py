"""Retrieval eval: hit@1, hit@5 and MRR of vector-only, BM25-only and fused retrieval on the sample corpus.

A question names the document and the page(s) or table label(s) holding its answer; a hit is a
returned node of that document whose page range covers one of those pages or whose table label
is one of those labels. Backs ``budget-qa eval --retrieval``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from index.core.settings import Settings
from qa.services import Services

if TYPE_CHECKING:  # Chroma and llama-index: imported when the index is opened, not with every CLI command
    from index.search.search_index import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "retrieval_questions.jsonl"
SAMPLE_DIR = ROOT / "eval" / "corpus"
# label → (search mode, auto_scope); "fused-unscoped" shows what naming the publisher is worth.
MODES = {"vector": ("vector", True), "bm25": ("bm25", True), "fused": ("fused", True), "fused-unscoped": ("fused", False)}
DEPTH = 10  # ranks looked at for MRR


@dataclass
class Question:
    id: str
    question: str
    file_name: str
    pages: list[int] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    style: str = ""


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                questions.append(Question(**json.loads(line)))
            except (json.JSONDecodeError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: 无法读取的问题：{exc}") from exc
    return questions


def is_hit(metadata: dict, q: Question) -> bool:
    if metadata.get("file_name") != q.file_name:
        return False
    if metadata.get("table_label") and metadata["table_label"] in q.tables:
        return True
    return any(metadata["page_start"] <= p <= metadata["page_end"] for p in q.pages)


def first_hit_rank(hits: list, q: Question) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if is_hit(hit.metadata, q):
            return rank
    return None


def run_retrieval_eval(index: SearchIndex, questions: list[Question], modes: dict[str, tuple[str, bool]] = MODES) -> dict:
    """Search every question in every mode; returns metrics per mode and the rank of each question."""
    report: dict = {"n_questions": len(questions), "modes": {}, "questions": []}
    ranks: dict[str, list[int | None]] = {m: [] for m in modes}
    timings: dict[str, list[float]] = {m: [] for m in modes}
    for q in questions:
        row: dict = {"id": q.id, "question": q.question, "file_name": q.file_name}
        for mode, (search_mode, auto_scope) in modes.items():
            started = time.perf_counter()
            hits = index.search(q.question, k=DEPTH, mode=search_mode, auto_scope=auto_scope)
            timings[mode].append((time.perf_counter() - started) * 1000)
            rank = first_hit_rank(hits, q)
            ranks[mode].append(rank)
            row[mode] = rank
            if mode == "fused" and hits:
                top = hits[0].metadata
                row["fused_top"] = f"{top['file_name']} p{top['page_start']}-{top['page_end']} {top['table_label']}".strip()
        report["questions"].append(row)
    n = max(1, len(questions))
    for mode in modes:
        r = ranks[mode]
        ms = sorted(timings[mode])
        report["modes"][mode] = {
            "hit@1": sum(1 for x in r if x == 1) / n,
            "hit@5": sum(1 for x in r if x is not None and x <= 5) / n,
            "mrr": sum(1.0 / x for x in r if x is not None) / n,
            "p50_ms": ms[len(ms) // 2] if ms else 0.0,
            "p95_ms": ms[min(len(ms) - 1, int(0.95 * len(ms)))] if ms else 0.0,
        }
    return report


def ensure_samples_indexed(services: Services) -> list[str]:
    """Ingest the sample corpus if absent, and index any ready document the search index lacks
    (e.g. after switching the embedding model, which starts a new collection)."""
    store, index = services.store, services.search_index
    have = {d.file_name for d in store.documents()}
    samples = sorted(SAMPLE_DIR.glob("*.pdf"))
    if any(p.name not in have for p in samples):
        services.ingestor.ingest([p for p in samples if p.name not in have])
    indexed = index.indexed_doc_ids()
    added = []
    for record in store.documents():
        if record.doc_id not in indexed:
            index.add_document(record.doc_id, record, store.document_model(record.doc_id))
            added.append(record.file_name)
    return added


def render_markdown(report: dict, settings: Settings) -> str:
    lines = [
        "# 检索评测",
        "",
        f"{report['n_questions']} 个问题（`eval/retrieval_questions.jsonl`），样例语料 `eval/corpus/`；"
        f"嵌入模型 `{settings.embed.model}`，RRF k={settings.retrieval.rrf_k}，每路候选 {settings.retrieval.leg_k}。",
        "命中 = 返回的节点属于正确文档，且页码范围覆盖答案页或表号一致。问题点名的部门（别名）先把检索限定到该部门的文档；",
        "`fused-unscoped` 为不做这一步的融合检索。",
        "",
        "| 模式 | hit@1 | hit@5 | MRR@10 | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for mode, m in report["modes"].items():
        lines.append(f"| {mode} | {m['hit@1']:.1%} | {m['hit@5']:.1%} | {m['mrr']:.3f} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} |")
    missed = [q for q in report["questions"] if q.get("fused") is None or q["fused"] > 5]
    lines += ["", f"## 融合检索前 5 未命中（{len(missed)}）", ""]
    lines += [f"- {q['id']} {q['question']}（{q['file_name']}；第一名：{q.get('fused_top', '无')}）" for q in missed] or ["无"]
    lines += ["", f"## 每题名次（{' / '.join(report['modes'])}；— = 前 10 未命中）", ""]
    for q in report["questions"]:
        ranks = " / ".join(str(q.get(m) or "—") for m in report["modes"])
        lines.append(f"- {q['id']} {ranks} {q['question']}")
    return "\n".join(lines) + "\n"


