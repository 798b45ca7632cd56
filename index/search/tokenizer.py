"""jieba segmentation for the BM25 leg, with the budget vocabulary of the indexed documents.

A private ``jieba.Tokenizer()`` (never the global ``jieba.dt``) learns every 科目名称, 项目名称,
table title and department name/alias, so "其他政府办公厅" or "区政府外办" stay whole.
``cut_for_search`` also yields the dictionary words inside a long word, so a passage tokenised
before a word was learnt still shares terms with a query tokenised after.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import jieba

from index.core.model import Document
from index.core.text import normalize

TOKENIZER_VERSION = "jieba-search-v1"
# Words that only phrase a question; they would add noise to every query.
STOPWORDS = frozenset(
    "的 了 是 和 与 及 或 在 为 对 等 其 中 之 也 都 就 吗 呢 啊 吧 么 个 请 请问 一下 多少 什么 哪些 哪个 怎么 "
    "怎样 如何 是否 有没有 有 没有 几 多 少 给 我 我们 你 告诉 一共 总共 这个 那个 这 那 呀".split()
)
_WORD_PARTS = re.compile(r"[\u4e00-\u9fd5A-Za-z0-9]+")  # what jieba can keep in one token
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3})")
_HAS_WORD_CHAR = re.compile(r"[\u4e00-\u9fd5A-Za-z0-9]")
# jieba cuts each run of these characters on its own (its re_han_default), so runs can be cached.
_RUN = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
_CACHE_LIMIT = 200_000


def document_vocabulary(document: Document, aliases: Iterable[str] = ()) -> set[str]:
    """Row names, 项目名称 and other row text columns, table titles, department names and aliases."""
    ident = document.identity
    words: set[str] = {w for w in (ident.department, ident.short_name, ident.region) if w}
    words.update(ident.aliases)
    words.update(aliases)
    for table in document.tables:
        words.update(w for w in (table.title,) if w)
        for row in table.rows:
            if row.name:
                words.add(row.name)
            words.update(v for v in row.attributes.values() if v and not v.isdigit())
    return words


def vocabulary_parts(words: Iterable[str]) -> set[str]:
    """Split words at punctuation (jieba never keeps "（室）" inside a token) and keep useful pieces."""
    out = set()
    for word in words:
        for part in _WORD_PARTS.findall(normalize(word).lower()):
            if 2 <= len(part) <= 30 and not part.isdigit():
                out.add(part)
    return out


class BudgetTokenizer:
    """Thread-safe: words are added under a lock; segmentation only reads the dictionary."""

    def __init__(self) -> None:
        # jieba logs "Building prefix dict…" at DEBUG through its own stderr handler; keep CLI output clean.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._known: set[str] = set()
        self._lock = threading.Lock()
        # Row names, column names and amounts repeat in every table line: cut each run once.
        self._cache: dict[str, list[str]] = {}

    def add_words(self, words: Iterable[str]) -> int:
        """Teach the tokenizer new words; returns how many were new."""
        new = 0
        with self._lock:
            for word in vocabulary_parts(words):
                if word not in self._known:
                    self._known.add(word)
                    self._jieba.add_word(word)  # frequency high enough that the word is cut whole
                    new += 1
            if new:
                self._cache = {}  # cuts may differ with the new words
        return new

    @staticmethod
    def spans(text: str, longest: int = 12) -> set[str]:
        """Every piece of 2–``longest`` characters of the text's runs, as ``tokenize`` normalises them.

        A query's cut depends on the words learnt so far (every document searched adds its names), so a
        search also asks for the pieces of the query that are terms of the nodes searched: the same
        question finds the same passages whatever was asked before it."""
        text = _THOUSANDS.sub("", normalize(text).lower())
        out = set()
        for run in _RUN.findall(text):
            for i in range(len(run)):
                for j in range(i + 2, min(len(run), i + longest) + 1):
                    piece = run[i:j]
                    if piece not in STOPWORDS and _HAS_WORD_CHAR.search(piece):
                        out.add(piece)
        return out

    def tokenize(self, text: str) -> list[str]:
        text = _THOUSANDS.sub("", normalize(text).lower())
        cache = self._cache
        tokens: list[str] = []
        for run in _RUN.findall(text):
            cut = cache.get(run)
            if cut is None:
                cut = [t for t in self._jieba.cut_for_search(run, HMM=False) if t not in STOPWORDS and _HAS_WORD_CHAR.search(t)]
                if len(cache) < _CACHE_LIMIT:
                    cache[run] = cut
            tokens.extend(cut)
        return tokens
