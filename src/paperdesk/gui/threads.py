"""Threads that end with their owner.

Qt aborts the process when a QThread is destroyed while it runs. The objects that
start threads (the searcher, the reader, a task) stop them in their `stop()`; if
their owner is destroyed without that (a window deleted without being closed),
`join_on_destroy` still ends the thread first.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QThread


def join_on_destroy(owner: QObject, thread: QThread,
                    interrupt: Callable[[], None] | None = None) -> None:
    """When `owner` is destroyed, run `interrupt` (to abort long work), then end `thread`.

    The handler holds the thread and the interrupt, never the owner, so that it can
    run while the owner is being destroyed."""

    def join(_: object = None) -> None:
        if shiboken6.isValid(thread) and thread.isRunning():
            if interrupt is not None:
                interrupt()
            thread.quit()
            thread.wait()

    owner.destroyed.connect(join)
