"""The one place Chinese text is normalised: full-width forms, spaces, wrapped lines."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’《》（）【】、，。：；！？"
# Full-width ASCII variants that should read as ASCII. Chinese punctuation such as
# （）：，。 is kept where it is prose; numbers are normalised separately (see numbers.py).
_FULLWIDTH_DIGITS = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"}
_FULLWIDTH_LATIN = {
    ord(c): ord(c) - 0xFEE0
    for c in "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％．"
}
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u3000\u00a0]+(?=[{_CJK}{_CJK_PUNCT}])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=[0-9])|(?<=[0-9%])[ \t\u3000\u00a0]+(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"[ \t\u3000\u00a0]+")
# "总额9 4 7万元": single digits set apart by letter-spaced layout are one number when a unit follows.
_SPACED_DIGITS = re.compile(r"(?<![\d.,])\d(?:[ \u00a0]\d)+(?=[ \u00a0]?[万亿元%个人辆家项])")


def normalize(text: str | None) -> str:
    """Normalise extracted text: unify width of digits/Latin, drop layout spaces inside Chinese.

    "2020 年收入预算" → "2020年收入预算"; "其 他 政 府" → "其他政府"; "１２" → "12".
    Line breaks inside a cell/paragraph are joined (wrapped text), keeping a space only
    between two Latin/digit runs.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_DIGITS).translate(_FULLWIDTH_LATIN)
    text = join_wrapped(text)
    text = _SPACED_DIGITS.sub(lambda m: re.sub(r"\s", "", m.group(0)), text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_CJK_DIGIT.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def join_wrapped(text: str) -> str:
    """Join lines that were wrapped by the layout (no newline carries meaning inside a cell)."""
    parts = [p.strip() for p in text.splitlines()]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " " + part
        else:
            out += part
    return out


@lru_cache(maxsize=1 << 16)  # pure; the answering hot path compacts the same names again and again
def compact(text: str | None) -> str:
    """A key for matching names: normalised, with every space and quote mark removed."""
    return re.sub(r"[\s\"“”‘’「」『』]", "", normalize(text))


_PAREN_AROUND_CJK = re.compile(rf"[(（]([^()（）]*[{_CJK}][^()（）]*)[)）]")
_OPEN_BEFORE_CJK = re.compile(rf"\((?=[{_CJK}])")
_CLOSE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])\)")
_COLON_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])\s*:|:(?=[{_CJK}])|(?<=[{_CJK}]\d):(?=$|\.\.\.|…)")
_SEMICOLON_AFTER_CJK = re.compile(rf"(?<=[{_CJK}]);")
_COMMA_IN_CJK = re.compile(rf"(?<=[{_CJK}]),(?=[{_CJK}])")
_DOTS = re.compile(r"\.{3,}")


def cjk_punctuation(text: str) -> str:
    """Chinese punctuation where OCR reads it as ASCII: "事业收入(不含预算外资金)" → "事业收入（不含预算外资金）",
    "其中:" → "其中：", "指标1:" → "指标1：", "运行;2020年" → "运行；2020年", "......" → "……". Figures keep theirs: "(12.50)" stays a negative amount.
    Run it on normalised text, so a comma at the end of a wrapped line meets the word after it."""
    text = _PAREN_AROUND_CJK.sub(r"（\1）", text)
    text = _OPEN_BEFORE_CJK.sub("（", text)
    text = _CLOSE_AFTER_CJK.sub("）", text)
    text = _COLON_AFTER_CJK.sub("：", text)
    text = _SEMICOLON_AFTER_CJK.sub("；", text)
    text = _DOTS.sub(lambda m: "…" * -(-len(m.group()) // 3), text)  # "......" is the ellipsis "……"
    return _COMMA_IN_CJK.sub("，", text)


def ocr_text(text: str) -> str:
    """What OCR read, as the text layer would give it: normalised, with Chinese punctuation."""
    return normalize(cjk_punctuation(normalize(text)))
