"""``budget-qa eval``: run the known Q&A pairs through the answering engine and score them.

Loads ``eval/qa/*.jsonl``, ingests the documents they need (sample corpus from ``eval/corpus``,
third-party disclosures from ``../shared/real`` or ``BUDGET_QA_REAL_DIR`` when present), asks every
question once, scores figures, citations, refusals and key phrases per category, and writes a
Markdown and a JSON report. ``--retrieval`` runs the retrieval evaluation instead.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from index.store.facts import FactsStore
from qa.evaluation.scoring import (
    CATEGORIES,
    ItemResult,
    PageText,
    QAItem,
    citation_correct,
    figure_correct,
    summarize,
    text_contains,
    unsupported_numbers,
)
from qa.services import Services

if TYPE_CHECKING:
    from qa.answer.engine import AnswerEngine

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
QA_DIR = ROOT / "eval" / "qa"
CORPUS_DIR = ROOT / "eval" / "corpus"
REPORT_DIR = ROOT / "eval" / "reports"
# Figure accuracy on the sample corpus below this fails the run: a floor set from measurement (0.995 both with
# only the samples and with every disclosure loaded, where names such as 政府办 are ambiguous across regions;
# 2026-11-22, see eval/reports/qa_report.md), less a small margin.
DEFAULT_MIN_ACCURACY = 0.97
_GROUP_SUFFIX = re.compile(r"_(NARRATIVE|TABLES)$")


def real_dir() -> Path:
    return Path(os.environ.get("BUDGET_QA_REAL_DIR") or ROOT.parent / "shared" / "real")


def wild_dir() -> Path:
    return Path(os.environ.get("BUDGET_QA_WILD_DIR") or ROOT.parent / "shared" / "wild")


_WILD_CITY = re.compile(r"^\d{3}_([\u4e00-\u9fff]{2,4})__")  # the crawler's names: 005_广州__…


def city_of(document: str | None, corpus: str) -> str:
    m = _WILD_CITY.match(document or "")
    return m.group(1) if m else corpus


@dataclass
class QASet:
    """The questions of one file, which of them can run here, and why the others cannot."""

    path: Path
    items: list[QAItem]
    corpus: str  # samples (every document is in eval/corpus) | real
    runnable: list[QAItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class QAFileError(ValueError):
    """A Q&A file that cannot be read; the message names the file and line."""


def load_qa(path: Path) -> list[QAItem]:
    """Parse a JSON-lines Q&A file; a malformed line is an error naming the file and line."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(QAItem.model_validate_json(line))
        except ValueError as exc:
            raise QAFileError(f"{path}:{number}: 问答格式错误：{exc}") from exc
    return items


def locate(document: str) -> Path | None:
    for folder in (CORPUS_DIR, real_dir(), wild_dir()):
        if (folder / document).is_file():
            return folder / document
    return None


def plan(paths: list[Path]) -> list[QASet]:
    """Decide what runs: items whose document is absent are skipped, and so are the file's
    document-less items (refusals, comparisons) unless every document the file uses is present."""
    sets = []
    for path in paths:
        items = load_qa(path)
        documents = {i.document for i in items if i.document}
        present = {d for d in documents if locate(d) is not None}
        corpus = ("samples" if all((CORPUS_DIR / d).is_file() for d in documents)
                  else "wild" if any((wild_dir() / d).is_file() for d in documents) else "real")
        qa_set = QASet(path, items, corpus)
        for item in items:
            if item.document in present or (item.document is None and present == documents):
                qa_set.runnable.append(item)
        for missing in sorted(documents - present):
            count = sum(1 for i in items if i.document == missing)
            qa_set.skipped.append(f"{path.name}: 缺少文档 {missing}，跳过 {count} 题")
        if present != documents:
            count = sum(1 for i in items if i.document is None)
            qa_set.skipped.append(f"{path.name}: 部分文档缺失，跳过 {count} 道拒答/跨文档题")
        sets.append(qa_set)
    return sets


def ingest_needed(services: Services, sets: list[QASet]) -> list[str]:
    """Ingest every document the runnable questions need (unchanged files are a no-op)."""
    paths = sorted({p for s in sets for i in s.runnable if i.document and (p := locate(i.document)) is not None})
    if not paths:
        return []
    # A narrative file and its tables file are one disclosure: they are ingested together as a group.
    groups: dict[str | None, list[Path]] = {}
    for p in paths:
        key = _GROUP_SUFFIX.sub("", p.stem) if _GROUP_SUFFIX.search(p.stem) else None
        groups.setdefault(key, []).append(p)
    ingestor = services.ingestor
    lines = []
    for group, members in groups.items():
        for result in ingestor.ingest(members, group=group):
            lines.append(result.summary())
    return lines


def run_items(services: Services, sets: list[QASet], progress: bool = True) -> list[ItemResult]:
    engine = services.engine
    page_text = page_text_reader(services.store)
    judge_faithfulness = services.settings.llm.configured
    todo = [(s.corpus, item) for s in sets for item in s.runnable]
    publishers = {d.file_name: d.department for d in services.store.documents() if d.department}
    results = []
    for corpus, item in tqdm(todo, desc="评测", unit="题", file=sys.stderr, leave=False, disable=not progress):
        result = ItemResult(item=item, corpus=corpus, city=city_of(item.document, corpus))
        started = time.perf_counter()
        try:
            result.answer = engine.ask(item.question)
        except Exception as exc:  # one failing question must not hide the other results: record it as a miss
            log.exception("engine failed on %s", item.id)
            result.error = f"{type(exc).__name__}: {exc}"
        result.latency_ms = (time.perf_counter() - started) * 1000
        if result.answer is not None:
            result.figure_ok = figure_correct(item, result.answer)
            result.citation_ok = citation_correct(item, result.answer, page_text)
            result.text_ok = text_contains(item, result.answer)
            if judge_faithfulness and result.answer.status == "answered":
                result.unsupported = unsupported_numbers(result.answer)
                result.faithful = not result.unsupported
        else:
            result.figure_ok = False if item.expected is not None else None
        if result.outcome == "refused" and result.answer is not None:
            _choose(engine, result, publishers.get(item.document or ""))
        results.append(result)
    return results


def _names_instead(question: str, reading: str, publisher: str) -> bool:
    """The reading is the question with its short department name ("商务委") replaced by the full name of
    the publisher asked about, nothing else changed: the choice a refusal between same-named departments
    offers (other readings rephrase the question, and their answers are another question's)."""
    at = reading.find(publisher)
    if at < 0:
        return False
    before, after = reading[:at], reading[at + len(publisher) :]
    if not (question.startswith(before) and question.endswith(after)):
        return False
    named = question[len(before) : len(question) - len(after)]
    return 0 < len(named) < len(publisher) and set(named) <= set(publisher)


def _choose(engine: AnswerEngine, result: ItemResult, publisher: str | None) -> None:
    """A refusal asking which same-named department is meant: ask the reading that names the one the
    question is about, as a user clicking it would, and record what came of it beside the refusal."""
    assert result.answer is not None
    if not publisher or publisher in result.item.question:
        return
    offered = [r for r in result.answer.readings if _names_instead(result.item.question, r, publisher)]
    if len(offered) != 1:
        return
    result.chosen = offered[0]
    try:
        answer = engine.ask(result.chosen)
    except Exception:  # the first answer stands; the follow-up is only reported
        log.exception("engine failed on the chosen reading of %s", result.item.id)
        return
    second = ItemResult(item=result.item, corpus=result.corpus, answer=answer)
    second.figure_ok = figure_correct(result.item, answer)
    second.text_ok = text_contains(result.item, answer)
    result.chosen_outcome = second.outcome


def page_text_reader(store: FactsStore) -> PageText:
    """Stored page texts by (file name, page): what a citation's page really says."""
    by_name = {d.file_name: d.doc_id for d in store.documents()}
    cache: dict[str, list[str]] = {}

    def page_text(document: str, page: int) -> str | None:
        doc_id = by_name.get(document)
        if doc_id is None:
            return None
        if doc_id not in cache:
            cache[doc_id] = [p.text for p in store.document_model(doc_id).pages]
        pages = cache[doc_id]
        return pages[page - 1] if 1 <= page <= len(pages) else None

    return page_text


def evaluate(services: Services, files: list[Path], progress: bool = True) -> dict:
    """Plan, ingest, ask and score; returns the report dict (also what ``--json`` prints)."""
    sets = plan(files)
    ingested = ingest_needed(services, sets)
    services.engine.reload()  # the documents just ingested
    results = run_items(services, sets, progress=progress)
    by_corpus = {c: summarize([r for r in results if r.corpus == c]) for c in ("samples", "real", "wild")}
    cities = sorted({r.city for r in results})
    categories = [c for c in CATEGORIES if any(r.item.category == c for r in results)]
    return {
        "files": [str(s.path.relative_to(ROOT) if s.path.is_relative_to(ROOT) else s.path) for s in sets],
        "llm_configured": services.settings.llm.configured,
        "skipped": [line for s in sets for line in s.skipped],
        "ingest": ingested,
        "overall": summarize(results),
        "by_corpus": {c: m for c, m in by_corpus.items() if m["questions"]},
        "by_category": {c: summarize([r for r in results if r.item.category == c]) for c in categories},
        "by_city": {c: summarize([r for r in results if r.city == c]) for c in cities},
        "results": results,
    }




