"""Parse each PDF in a child process with a wall-clock and a memory budget, several files at once.

pdfminer can be made to spin forever (objects that refer to each other in a loop), to expand a few
kilobytes into gigabytes (Flate bombs, millions of drawing operators) or to recurse past the stack
(5,000-deep page trees). None of that may stall or take down the process that holds the ingest lock
and serves answers: the child is killed when it exceeds its budget and the file gets a Chinese reason,
while the other files go on.

    >>> limits = ParseLimits(timeout_s=120, timeout_per_page_s=2, memory_mb=2048)
    >>> for path, outcome, seconds in parse_files([(Path("a.pdf"), None)], limits, workers=2):  # doctest: +SKIP
    ...     print(path.name, outcome if isinstance(outcome, IngestError) else len(outcome.tables))

The budget starts at ``timeout_s`` and grows by ``timeout_per_page_s`` for each page once the child has
counted them, so a genuine 300-page disclosure is not cut short while a 1-page bomb is; each page the
child reads by OCR (a scan) adds ``timeout_per_ocr_page_s`` as it starts.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing as mp
import os
import resource
import signal
import sys
import threading
import time
import traceback
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from index.core.model import Document
from index.read.ocr import OcrOptions
from index.read.parse import parse_pdf
from index.read.pdf import IngestError

log = logging.getLogger(__name__)
TOO_COMPLEX = "PDF 结构异常或过于复杂，已跳过"
POLL_S = 0.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ParseLimits:
    timeout_s: float = 120.0
    timeout_per_page_s: float = 2.0
    memory_mb: int = 2048
    max_pages: int = 2000
    ocr: OcrOptions | None = None  # None: a scan is refused, as before OCR
    timeout_per_ocr_page_s: float = 60.0


def _child(conn: Connection, path: str, sha256: str | None, limits: ParseLimits) -> None:
    """Runs in the child: a hard address-space cap as a backstop to the parent's RSS watch, then parse."""
    _die_with_parent()
    cap = (limits.memory_mb + 1024) * 1024 * 1024  # the interpreter's own mappings come on top of the data
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        document = parse_pdf(
            Path(path), max_pages=limits.max_pages, sha256=sha256, ocr=limits.ocr,
            on_ocr_page=lambda number: conn.send(("ocr_page", number)),
            on_pages=lambda count: conn.send(("pages", count)),  # counted from the open file: no second open
        )
        conn.send(("ok", document.model_dump_json()))
    except IngestError as exc:
        conn.send(("error", exc.reason))
    except MemoryError:
        conn.send(("error", f"{TOO_COMPLEX}（内存超过 {limits.memory_mb} MB）"))
    except RecursionError:
        conn.send(("error", f"{TOO_COMPLEX}（对象嵌套过深）"))
    except Exception as exc:  # pdfminer raises a zoo of errors on broken files: each is this file's failure
        log.debug("parse failed: %s", traceback.format_exc(limit=5))
        conn.send(("error", f"无法解析 PDF（{type(exc).__name__}: {_last_line(exc)[:80]}）"))
    finally:
        conn.close()


def _last_line(exc: BaseException) -> str:
    """What went wrong, in one line: some libraries (RapidOCR's onnxruntime session) put a whole formatted
    traceback in their message, whose last line is the error itself."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _die_with_parent() -> None:
    """Linux: the kernel kills this child when its parent (the fork server) dies, e.g. after kill -9 of the
    ingest: no orphan goes on parsing a hostile file with nobody left to watch its budget."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's kill on timeout still applies
        pass


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class _Job:
    path: Path
    sha256: str | None
    process: BaseProcess
    conn: Connection
    deadline: float
    started: float
    pages: int | None = None
    ocr_pages: int = 0

    def budget(self, limits: ParseLimits) -> float:
        base = max(limits.timeout_s, limits.timeout_per_page_s * (self.pages or 0))
        return base + limits.timeout_per_ocr_page_s * self.ocr_pages


class _Running:
    """One child per file; the parent polls its pipe, its clock and its memory."""

    def __init__(self, limits: ParseLimits):
        self.limits = limits
        self.context = mp.get_context("forkserver")
        # Children start from a server that has already imported the parser: cheap to start.
        self.context.set_forkserver_preload(["index.read.parse"])

    def start(self, path: Path, sha256: str | None) -> _Job:
        parent, child = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_child, args=(child, str(path), sha256, self.limits), daemon=True)
        with _main_left_behind():
            process.start()
        child.close()
        now = time.monotonic()
        return _Job(path, sha256, process, parent, now + self.limits.timeout_s, now)

    def poll(self, job: _Job) -> str | IngestError | None:
        """The outcome once there is one (a document as the child's JSON); None while the child is still
        within its budget. A child that reported is left to exit: ``stop`` reaps it once the next has started."""
        limits = self.limits
        try:
            while job.conn.poll():
                message = job.conn.recv()
                if message[0] == "pages":
                    job.pages = int(message[1])
                    job.deadline = max(job.deadline, time.monotonic() + limits.timeout_per_page_s * job.pages)
                    continue
                if message[0] == "ocr_page":
                    # Reading a page from its image takes far longer than from its text layer: each one
                    # brings its own allowance, so a scan is not cut short while a text bomb still is.
                    job.ocr_pages += 1
                    job.deadline += limits.timeout_per_ocr_page_s
                    continue
                return str(message[1]) if message[0] == "ok" else IngestError(message[1])
        except (EOFError, OSError):  # the child died without a word: judged below by its exit code
            job.process.join(POLL_S)  # its pipe closed as it exits: a moment to exit, not a busy wait
        if not job.process.is_alive():
            self.stop(job)
            code = job.process.exitcode
            return IngestError(f"{TOO_COMPLEX}（解析进程异常退出，代码 {code}）")
        if _rss_bytes(job.process.pid or 0) > limits.memory_mb * 1024 * 1024:
            self.stop(job)
            return IngestError(f"{TOO_COMPLEX}（内存超过 {limits.memory_mb} MB）")
        if time.monotonic() > job.deadline:
            self.stop(job)
            return IngestError(f"{TOO_COMPLEX}（解析超过 {job.budget(limits):.0f} 秒）")
        return None

    @staticmethod
    def stop(job: _Job) -> None:
        if job.process.is_alive():
            job.process.kill()
        job.process.join(timeout=5)
        job.conn.close()


_MAIN_SWAP = threading.Lock()


@contextmanager
def _main_left_behind() -> Iterator[None]:
    """Start a child without the program's main module.

    multiprocessing tells each forkserver child to run the parent's ``__main__`` again (as ``__mp_main__``)
    before its target. For ``budget-qa`` that is the whole CLI with the search index and the answer
    engine: ~7 s and ~250 MB per file, several times the parse itself. ``_child`` needs none of it, so
    while the child is described the main module is an empty one: nothing is named for it to import."""
    with _MAIN_SWAP:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def parse_files(
    files: Sequence[tuple[Path, str | None]], limits: ParseLimits, workers: int = 1
) -> Iterator[tuple[Path, Document | IngestError, float]]:
    """Parse ``(path, sha256)`` pairs, ``workers`` at a time; yields (path, outcome, seconds) as each is ready."""
    runner = _Running(limits)
    queue = list(files)
    running: list[_Job] = []
    try:
        while queue or running:
            finished = []
            for job in list(running):
                outcome = runner.poll(job)
                if outcome is not None:
                    running.remove(job)
                    finished.append((job, outcome, time.monotonic() - job.started))
            # The next files start before anything else is done with these (reaping their children, reading
            # their documents, the caller's storing): a single worker's next parse waits for none of it.
            while queue and len(running) < max(1, workers):
                path, sha = queue.pop(0)
                running.append(runner.start(path, sha))
            for job, _, _ in finished:
                runner.stop(job)
            for job, outcome, seconds in finished:
                yield job.path, Document.model_validate_json(outcome) if isinstance(outcome, str) else outcome, seconds
            # Woken as soon as a child reports or dies, at the latest after POLL_S for the clock and memory.
            if running:
                wait([w for job in running for w in (job.conn, job.process.sentinel)], timeout=POLL_S)
    finally:
        for job in running:  # the caller stopped early (or was interrupted): no child outlives it
            runner.stop(job)
