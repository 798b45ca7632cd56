"""PDF → ``Document``, pure functions, no store: ``parse_pdf`` (pdfplumber boundary in ``pdf``; table
structure in ``grid``/``roles``/``rows``/``stitch``/``tables``; ``captions``, ``headings``, ``identity``,
``narrative``, ``toc``), and ``supervised.parse_files``, which runs it in child processes with limits."""

from index.read.parse import READER_VERSION, parse_pdf
from index.read.pdf import IngestError

__all__ = ["READER_VERSION", "IngestError", "parse_pdf"]
