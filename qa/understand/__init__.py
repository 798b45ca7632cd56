"""Understanding a question: which department, year, items, column and operation it asks for, and
which indexed disclosures it is about. Pure functions over a ``Vocabulary`` built from the facts store."""

from qa.understand.model import ItemRef, ParsedQuestion
from qa.understand.operations import OPERATIONS, Cue, Operation
from qa.understand.parse import parse_question, query_terms
from qa.understand.scope import Disclosure, Scope, Selection, select
from qa.understand.vocabulary import Vocabulary

__all__ = [
    "OPERATIONS", "Cue", "Disclosure", "ItemRef", "Operation", "ParsedQuestion", "Scope", "Selection", "Vocabulary",
    "parse_question", "query_terms", "select",
]
