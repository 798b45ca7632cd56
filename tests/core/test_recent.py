"""The bounded caches: what they keep is put out of the cyclic collector's reach after an answer, and what they
drop is freed."""

from __future__ import annotations

import gc
import weakref

from index.core.recent import Recent, keep


class Value:
    """A cached value holding objects of its own, as a document's facts do."""

    def __init__(self, n: int):
        self.cells = [{"row": i} for i in range(n)]


def test_kept_values_are_frozen_and_evicted_ones_are_freed():
    gc.unfreeze()  # what earlier tests' caches froze goes back to the collector
    cache: Recent[str, Value] = Recent(2)
    first = cache.load("a", lambda: Value(1000))
    keep()
    assert gc.get_freeze_count() >= 1000  # the value and its cells
    frozen = gc.get_freeze_count()
    gone = weakref.ref(first)
    del first
    cache.load("b", lambda: Value(10))
    cache.load("c", lambda: Value(10))  # "a" is dropped
    keep()
    assert "a" not in cache
    assert gone() is None  # freed by reference counting, frozen or not
    assert gc.get_freeze_count() < frozen + 100  # its 1,000 cells left the frozen generation with it


def test_garbage_cycles_of_the_moment_are_collected_not_frozen():
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle only the collector frees
    gone = weakref.ref(a)
    del a, b
    Recent(1).load("x", lambda: Value(1))
    keep()
    assert gone() is None
