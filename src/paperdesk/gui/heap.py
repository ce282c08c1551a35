"""Python's cyclic garbage collector and the GUI thread.

A full collection walks every tracked object with Python's lock held, on whichever
thread's allocations set it off, and the GUI thread stands still meanwhile (see
app.settle_heap). A read on a task thread that makes millions of objects sets off
several, each walking the whole heap: People's identities' first read of a 100,000-paper
store (its name caches fill, 170,000 objects stay) froze the window three times for
0.8-1.9 s on a busy machine (the read alone: three collections, 2.2 s in all; the read
took 226 s, and 104 s and 170 s in two runs without collections).

`collection_paused()` holds collections off while such a read runs; once the last
pause ends, what is left (the caches and the answer; the read leaves no garbage cycles:
a full collection after it found none) is put out of the collector's reach (gc.freeze),
so that no later collection walks it either.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # reads under way with collections held off


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the block runs (nor while another thread's
    pause does); its survivors frozen after the last one."""
    global _paused
    with _lock:
        _paused += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.freeze()
                gc.enable()
