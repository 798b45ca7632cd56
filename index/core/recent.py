"""The most recently used values of a bounded cache, shared by threads: documents' facts, models, terms.

A miss is loaded outside the lock, so a thread loading one document never holds up another asking about
a different one; if two load the same key at once, the first stored is kept and both get it.

What a cache keeps lives until it is evicted, so after each answer it is taken out of the cyclic
collector's reach (``keep``): a full collection walked every cached fact again, ~200 ms landing in whichever
question tripped it and a third of all answering CPU over 1,000 documents. Frozen values are still freed
by reference counting when evicted (they hold no cycles).

    >>> cache = Recent(2)
    >>> cache.load("a", lambda: 1), cache.load("b", lambda: 2), cache.load("a", lambda: 9)
    (1, 2, 1)
    >>> cache.load("c", lambda: 3), "b" in cache   # "b" was the least recently used
    (3, False)
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    def __init__(self, size: int):
        self.size = max(1, size)
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` (or the one another thread stored first) as the most recent; the oldest beyond
        ``size`` are dropped."""
        with self._lock:
            value = self._values.setdefault(key, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
            return value

    def load(self, key: K, loader: Callable[[], V]) -> V:
        found = self.get(key)
        return found if found is not None else self.put(key, loader())

    def pop(self, key: K) -> V | None:
        with self._lock:
            return self._values.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._values

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)


def keep() -> None:
    """Move what the caches hold now out of the cyclic collector's reach. Called when an answer is done, where
    no lock is held (a collection runs finalizers in the calling thread); the young generations are collected
    first so that no cyclic garbage of the moment is frozen with what is kept."""
    gc.collect(1)
    gc.freeze()
