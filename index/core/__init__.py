"""The leaf every layer reads: one ``Settings``, the document model, text normalisation, numbers, money
units (``units``) and budget words (``lexicon``). Imports nothing else from the project."""

from index.core.model import Block, Cell, Document, Identity, NarrativeFact, Row, Table, TableFact
from index.core.numbers import format_amount, parse_number, try_parse_number
from index.core.settings import Settings, load_settings
from index.core.text import compact, normalize
from index.core.units import Amount

__all__ = [
    "Amount", "Block", "Cell", "Document", "Identity", "NarrativeFact", "Row", "Settings", "Table", "TableFact",
    "compact", "format_amount", "load_settings", "normalize", "parse_number", "try_parse_number",
]
