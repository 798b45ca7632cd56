"""Parse printed amounts into Decimal, keeping what was printed. Never float, never a silent 0."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

# Characters that are only formatting around a number.
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－（）％＋　", "0123456789,.-()%+ ")
_DASHES = {"-", "—", "–", "－", "——", "--", "/", "…"}
_NUMBER = re.compile(
    r"""^(?P<neg_open>\()?\s*(?P<sign>[-+])?\s*
        (?P<int>\d+(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?
        \s*(?P<neg_close>\))?\s*(?P<pct>%)?$""",
    re.VERBOSE,
)
# Looks numeric: mostly digits and separators. Used to decide whether a failed parse is worth a warning.
_LOOKS_NUMERIC = re.compile(r"^[\d\s,.，．%％()（）\-－+]+$")


# Two amounts of adjacent cells extracted without a space ("39,969,215.0031,351,500.00"): a 2-decimal amount
# directly followed by a grouped amount.
_GLUED = re.compile(r"(\.\d{2})(?=-?\d{1,3}(?:,\d{3})+\.\d{2})")


def unglue(text: str) -> str:
    """Page text with glued table amounts set apart, so each is read as printed."""
    return _GLUED.sub(r"\1 ", text)


class ParsedNumber(BaseModel):
    """A cell's value: ``value`` is None for blanks and dashes; ``text`` is always what was printed."""

    text: str
    value: Decimal | None = None
    is_percent: bool = False
    blank: bool = False
    # Grouped with more than three digits before the first comma ("125360,898", as one 上海 file prints every
    # amount): still thousands, the only reading a 元 amount has; callers say so in a warning.
    regrouped: bool = False


class NumberParseError(ValueError):
    """A cell that looks numeric but is not a well-formed number (kept as text by callers)."""


def parse_number(text: str | None) -> ParsedNumber:
    """Parse a printed amount.

    Accepts ``7,955,559.34``, ``2，100，000.00``, ``310349.78``, ``16，320.00``, ``（12.50）``,
    ``-12.50``, ``11.55%``, ``125360,898`` (``regrouped``); ``-``/blank give ``value=None`` with ``blank=True``.
    Raises NumberParseError for text that is not a number (callers keep it as text).
    """
    printed = "" if text is None else str(text)
    cleaned = printed.translate(_FULLWIDTH).replace("\n", "").strip()
    cleaned = re.sub(r"(?<=\d)\s+(?=[\d,.])|(?<=[,.])\s+(?=\d)", "", cleaned)
    if cleaned == "" or cleaned in _DASHES:
        return ParsedNumber(text=printed, blank=True)
    match = _NUMBER.match(cleaned)
    if not match or bool(match["neg_open"]) != bool(match["neg_close"]):
        raise NumberParseError(f"不是数字：{printed!r}")
    digits = match["int"].replace(",", "") + ("." + match["frac"] if match["frac"] is not None else "")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid digits
        raise NumberParseError(f"不是数字：{printed!r}") from exc
    if match["neg_open"] or match["sign"] == "-":
        value = -value
    regrouped = "," in match["int"] and len(match["int"].split(",")[0]) > 3
    return ParsedNumber(text=printed, value=value, is_percent=bool(match["pct"]), regrouped=regrouped)


def try_parse_number(text: str | None) -> ParsedNumber | None:
    """Like parse_number but returns None instead of raising."""
    try:
        return parse_number(text)
    except NumberParseError:
        return None


def looks_numeric(text: str | None) -> bool:
    """True when a cell is made of digits and separators only (a failed parse then deserves a warning)."""
    if not text:
        return False
    stripped = text.strip()
    return bool(stripped) and bool(_LOOKS_NUMERIC.match(stripped)) and any(c.isdigit() for c in stripped)


def is_amount_text(text: str | None) -> bool:
    """A cell that reads as an amount rather than a code: has a decimal point or thousands separator."""
    parsed = try_parse_number(text)
    if parsed is None or parsed.value is None:
        return False
    cleaned = (text or "").translate(_FULLWIDTH)
    return "." in cleaned or "," in cleaned or parsed.is_percent


def format_amount(value: Decimal, places: int | None = None) -> str:
    """Chinese-report style: thousands separators, fixed decimals (default: as many as the value has)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}"
    return sign + whole + ("." + frac if frac else "")


def spreadsheet_format(places: int, percent: bool = False) -> str:
    """The Excel number format that shows a figure as printed: ``#,##0.00`` for 2 places; a printed rate keeps its
    value (11.55 stays 11.55, shown ``11.55%``) rather than becoming 0.1155.

        >>> spreadsheet_format(2), spreadsheet_format(0), spreadsheet_format(1, percent=True)
        ('#,##0.00', '#,##0', '#,##0.0"%"')
    """
    return "#,##0" + ("." + "0" * places if places > 0 else "") + ('"%"' if percent else "")


# Read by OCR, these forms may not be what was printed: "16.320" may be 16,320 with its comma read as a
# point; "473 44" may be 473.44 with its point lost. A wrong figure is worse than none.
_OCR_POINT_FOR_COMMA = re.compile(r"^[-(]?[1-9]\d{0,2}\.\d{3}\)?%?$")
_OCR_GAP = re.compile(r"\d\s+\d")


def ocr_number_doubt(text: str | None) -> str | None:
    """Why a figure read by OCR cannot be trusted as a number, or None when its form is unambiguous.

    >>> ocr_number_doubt("3,573,232.28") is None, ocr_number_doubt("623， 473.44") is None
    (True, True)
    >>> ocr_number_doubt("16.320")
    '小数点后恰好三位，可能是误识的千分位逗号'
    >>> ocr_number_doubt("473 44")
    '数字中间有空格，可能漏识了小数点或逗号'
    """
    parsed = try_parse_number(text)
    if parsed is None or parsed.value is None:
        return None  # not a figure: the reader keeps it as text anyway
    cleaned = (text or "").translate(_FULLWIDTH).strip()
    if _OCR_POINT_FOR_COMMA.match(cleaned):
        return "小数点后恰好三位，可能是误识的千分位逗号"
    if _OCR_GAP.search(cleaned):
        return "数字中间有空格，可能漏识了小数点或逗号"
    return None
