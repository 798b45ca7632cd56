"""Embedding models for the vector leg, built from ``EmbedSettings`` by one factory.

The default, ``ngram``, works offline with nothing to download: Chinese character uni-, bi- and
trigrams are hashed into a fixed-size vector (signed feature hashing), weighted by sub-linear term
frequency times a background idf, and L2-normalised. The idf is jieba's own table (shipped with
the package, for its TF-IDF keyword extraction): n-grams that are common words ("部门", "政府")
weigh less than rare ones ("公积金", "接待费"), and n-grams spanning two words weigh least. The hash
is arithmetic on code points, so a text embeds the same in every process (Python's ``hash()`` is
salted per process and would scramble a persisted index). Digits are left out: amounts and years
say little about what a passage is about and would dominate table nodes.

This module is the only one that imports embedding provider packages.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import jieba
import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.core.settings import EmbedSettings
from index.core.text import normalize

NGRAM_VERSION = "ngram-idf-v2"
_NGRAM_SIZES = (1, 2, 3)
_NGRAM_WEIGHTS = {1: 0.3, 2: 1.0, 3: 1.0}  # single characters say least about a passage
_UNKNOWN_IDF = 2.0  # an n-gram that is no word (e.g. "算支" across 预算|支出) is mostly noise
# Question phrasing that no passage contains; dropped from queries before embedding.
_QUERY_FILLERS = sorted(
    "请问 多少 是多少 有多少 什么 是什么 为什么 为啥 哪些 哪个 怎么 怎样 如何 是否 有没有 一共 总共 告诉 一下 意思".split(),
    key=len,
    reverse=True,
)
_IDF_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaffa-z]{1,3}")
# Odd 64-bit multipliers, one per position in the window, and a finaliser (splitmix64).
_POSITION_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_SIZE_SALT = {n: np.uint64(0x27D4EB2F165667C5 * n & 0xFFFFFFFFFFFFFFFF) for n in _NGRAM_SIZES}


def _is_token_char(codes: np.ndarray) -> np.ndarray:
    """CJK ideographs and ASCII letters (the text is lower-cased and normalised first)."""
    return (
        ((codes >= 0x3400) & (codes <= 0x9FFF))
        | ((codes >= 0xF900) & (codes <= 0xFAFF))
        | ((codes >= 0x61) & (codes <= 0x7A))
    )


def _mix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _gram_hashes(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every n-gram of ``codes`` and whether it lies within a run of token characters."""
    m = len(codes) - n + 1
    h = np.full(m, _SIZE_SALT[n], dtype=np.uint64)
    valid = np.ones(m, dtype=bool)
    keep = _is_token_char(codes)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps by design
        for j in range(n):
            h = h + codes[j : j + m] * _POSITION_MULT[j]
            valid &= keep[j : j + m]
    return _mix(h), valid


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


class BackgroundIdf:
    """jieba's idf table (words of 1–3 characters), keyed by the same n-gram hash as the text."""

    def __init__(self) -> None:
        path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
        by_size: dict[int, tuple[list[str], list[float]]] = {n: ([], []) for n in _NGRAM_SIZES}
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, idf = line.partition(" ")
            word = word.lower()
            if _IDF_WORD.fullmatch(word):
                by_size[len(word)][0].append(word)
                by_size[len(word)][1].append(float(idf))
        self.tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, (words, idfs) in by_size.items():
            hashes = _gram_hashes(_codes("".join(words)), n)[0][::n] if words else np.zeros(0, np.uint64)
            order = np.argsort(hashes)
            self.tables[n] = (hashes[order], np.asarray(idfs)[order])

    def lookup(self, n: int, grams: np.ndarray) -> np.ndarray:
        hashes, idfs = self.tables[n]
        if not len(hashes):
            return np.full(len(grams), _UNKNOWN_IDF)
        pos = np.minimum(np.searchsorted(hashes, grams), len(hashes) - 1)
        return np.where(hashes[pos] == grams, idfs[pos], _UNKNOWN_IDF)


def strip_question(query: str) -> str:
    for filler in _QUERY_FILLERS:
        query = query.replace(filler, " ")
    return query


def ngram_vector(text: str, dim: int, idf: BackgroundIdf) -> np.ndarray:
    """Hash the character n-grams of ``text`` into a unit vector of length ``dim``."""
    text = normalize(text).lower()
    vec = np.zeros(dim, dtype=np.float64)
    codes = _codes(text)
    # Punctuation, digits and spaces end an n-gram: "收入。支出" has no n-gram "入支".
    for n in _NGRAM_SIZES:
        if len(codes) < n:
            continue
        h, valid = _gram_hashes(codes, n)
        h = h[valid]
        if not len(h):
            continue
        grams, counts = np.unique(h, return_counts=True)
        weights = _NGRAM_WEIGHTS[n] * idf.lookup(n, grams) * (1.0 + np.log(counts))
        signs = np.where((grams >> np.uint64(63)) == 1, -1.0, 1.0)
        np.add.at(vec, (grams % np.uint64(dim)).astype(np.int64), signs * weights)
    norm = np.linalg.norm(vec)
    if norm > 0:
        vec /= norm
    return vec.astype(np.float32)


class NgramEmbedding(BaseEmbedding):
    """Offline character n-gram hashing embedding (deterministic, no model weights)."""

    dim: int = 1024
    _idf: BackgroundIdf = PrivateAttr()

    def __init__(self, dim: int = 1024, **kwargs: Any) -> None:
        super().__init__(model_name=f"{NGRAM_VERSION}-{dim}", embed_batch_size=256, **kwargs)
        self.dim = dim
        self._idf = BackgroundIdf()

    @classmethod
    def class_name(cls) -> str:
        return "NgramEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return ngram_vector(strip_question(query), self.dim, self._idf).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return ngram_vector(text, self.dim, self._idf).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [ngram_vector(t, self.dim, self._idf).tolist() for t in texts]


class SentenceTransformerEmbedding(BaseEmbedding):
    """A sentence-transformers model that is already on this machine (path or cached name)."""

    _model: Any = PrivateAttr()

    def __init__(self, model: str, **kwargs: Any) -> None:
        super().__init__(model_name=model, embed_batch_size=32, **kwargs)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RuntimeError(
                f"嵌入模型 {model} 需要 sentence-transformers，尚未安装：pip install 'budget-qa[local-models]'"
            ) from exc
        try:
            # local_files_only: this machine has no internet and must never fetch weights at run time.
            self._model = SentenceTransformer(model, local_files_only=True)
        except OSError as exc:
            raise RuntimeError(f"本地找不到嵌入模型 {model}（不会联网下载；请先把模型放到本机，或改用 BUDGET_QA_EMBED_MODEL=ngram）") from exc

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)


def build_embed_model(settings: EmbedSettings) -> BaseEmbedding:
    """``ngram`` | ``openai:<model>`` (OpenAI-compatible endpoint) | a local sentence-transformers model."""
    name = settings.model.strip()
    if name == "ngram":
        return NgramEmbedding(dim=settings.dim)
    if name.startswith("openai:"):
        if not settings.base_url:
            raise RuntimeError("openai: 嵌入模型需要设置嵌入服务地址 BUDGET_QA_EMBED__BASE_URL")
        from llama_index.embeddings.openai_like import OpenAILikeEmbedding

        api_key = settings.api_key.get_secret_value() if settings.api_key else "none"
        return OpenAILikeEmbedding(model_name=name.removeprefix("openai:"), api_base=settings.base_url, api_key=api_key)
    return SentenceTransformerEmbedding(name)


def embed_fingerprint(settings: EmbedSettings) -> str:
    """What shapes the vectors: changing it must start a new collection, never mix vectors."""
    name = settings.model.strip()
    shape = f"{NGRAM_VERSION}:{settings.dim}" if name == "ngram" else f"{name}@{settings.base_url or ''}"
    return hashlib.sha256(shape.encode("utf-8")).hexdigest()[:12]
