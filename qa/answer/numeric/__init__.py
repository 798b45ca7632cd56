"""Numeric answers: one module per operation, each registering the answerer class of its operation.

Adding an operation is a row in ``qa.understand.operations``, a module here with a class that declares
``operation`` and is decorated with ``@register``, and its formula in ``qa.figures.calculate``: every
module of this package is imported below, so nothing else lists the answerers.
"""

from __future__ import annotations

import importlib
import pkgutil

from qa.answer.numeric.answers import NumericAnswers, confusion_hint
from qa.answer.numeric.base import ANSWERERS, Asked, OperationAnswerer, Unanswerable, register

# Importing a module registers its answerer (datasette's default plugins, without a list to keep).
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["ANSWERERS", "Asked", "NumericAnswers", "OperationAnswerer", "Unanswerable", "confusion_hint", "register"]
