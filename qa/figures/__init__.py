"""Finding figures, deterministically: a ``FigureQuery`` located in a disclosure's tables and narrative
(``Locator``), the previous year's figure (``YearOverYear``), and Decimal formulas (``calculate``)."""

from qa.figures.fact_index import FactIndex
from qa.figures.figure import Figure
from qa.figures.locate import Located, Locator
from qa.figures.query import FigureQuery
from qa.figures.years import YearOverYear

__all__ = ["FactIndex", "Figure", "FigureQuery", "Located", "Locator", "YearOverYear"]
