"""PDF → ``Document``, pure functions, no store: ``parse_pdf`` (pdfplumber boundary in ``pdf``; table
structure in ``grid``/``roles``/``rows``/``stitch``/``tables``; ``captions``, ``headings``, ``identity``,
``narrative``, ``toc``), and ``supervised.parse_files``, which runs it in child processes with limits.

The reader (pdfplumber, numpy, OCR) is imported when first used, not with the package: the store reads
identity helpers from ``index.read.identity``, and a process that only answers questions never parses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.read.parse import READER_VERSION, parse_pdf
    from index.read.pdf import IngestError

__all__ = ["READER_VERSION", "IngestError", "parse_pdf"]


def __getattr__(name: str) -> Any:
    if name in ("READER_VERSION", "parse_pdf"):
        from index.read import parse

        return getattr(parse, name)
    if name == "IngestError":
        from index.read.pdf import IngestError

        return IngestError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
