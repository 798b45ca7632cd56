"""Every answer is checked before it is shown: registered checks, one small class each.

An answer that fails a check is not shown; the user gets a refusal that says why and offers readings
(``qa.answer.readings``). The modules below register their checks on import, so nothing else lists them:

    >>> sorted(CHECKS)[:3]
    ['cited_in_scope', 'distinct_operands', 'not_its_own_part']
"""

from __future__ import annotations

import importlib
import pkgutil

from qa.answer.checks.base import CHECKS, Check, Failure, Review, register, review

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["CHECKS", "Check", "Failure", "Review", "register", "review"]
