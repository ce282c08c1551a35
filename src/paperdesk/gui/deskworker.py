"""The chair's desk off the GUI thread: one job at a time, a newer one wins.

A DeskRunner owns a QThread whose worker has its own read-only store connection.
`submit(job)` bumps the generation first: SQLite's progress handler aborts a
running job that is no longer the latest, a queued stale job is skipped without
touching SQLite, and an answer that is not the latest is dropped on arrival. So
the dialogs never wait on SQLite and never show the answer to a question the
user has already changed (the pattern of gui/worker.py and gui/reader.py).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from paperdesk.gui.threads import join_on_destroy
from paperdesk.store import StoreError

Job = Callable[[sqlite3.Connection], Any]
PROGRESS_STEPS = 1_000  # SQLite VM steps between staleness checks


class _Generation:
    """The latest generation, read by the worker thread, bumped by the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = 0

    def bump(self) -> int:
        with self._lock:
            self._value += 1
            return self._value

    def latest(self, generation: int) -> bool:
        with self._lock:
            return generation == self._value


class _Worker(QObject):
    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, db_path: Path, generation: _Generation) -> None:
        super().__init__()
        self._db_path = db_path
        self._generation = generation
        self.conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self.conn is None:
            self.conn = sqlite3.connect(f"{self._db_path.resolve().as_uri()}?mode=ro", uri=True,
                                        check_same_thread=False)
        return self.conn

    @Slot(int, object)
    def run(self, generation: int, job: Job) -> None:
        if not self._generation.latest(generation):
            return  # a newer question is queued: skip without touching SQLite
        try:
            conn = self._connection()
            conn.set_progress_handler(lambda: not self._generation.latest(generation),
                                      PROGRESS_STEPS)
            try:
                result = job(conn)
            finally:
                conn.set_progress_handler(None, 0)
        except (sqlite3.Error, StoreError, OSError) as exc:
            if self._generation.latest(generation):
                self.failed.emit(generation, f"{self._db_path}: {exc}")
            return
        if self._generation.latest(generation):
            self.finished.emit(generation, result)


class DeskRunner(QObject):
    """Runs jobs for one dialog; `ready(result)` or `failed(message)` for the latest."""

    ready = Signal(object)
    failed = Signal(str)
    _request = Signal(int, object)

    def __init__(self, parent: QObject, db_path: Path) -> None:
        super().__init__(parent)
        self._generation = _Generation()
        self._current = 0
        self.busy = False
        self._thread = QThread()
        self._thread.setObjectName("paperdesk-desk")
        self._worker = _Worker(db_path, self._generation)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        join_on_destroy(self, self._thread, self.cancel)
        self._thread.start()

    def submit(self, job: Job) -> None:
        self._current = self._generation.bump()
        self.busy = True
        self._request.emit(self._current, job)

    def cancel(self) -> None:
        """Abandon the job under way: its answer is never shown."""
        self._current = self._generation.bump()
        self.busy = False

    def stop(self) -> None:
        self.cancel()
        self._thread.quit()
        self._thread.wait()
        if self._worker.conn is not None:
            self._worker.conn.close()
            self._worker.conn = None

    @Slot(int, object)
    def _finished(self, generation: int, result: object) -> None:
        if generation == self._current:  # dropped twice over: in the worker and here
            self.busy = False
            self.ready.emit(result)

    @Slot(int, str)
    def _failed(self, generation: int, message: str) -> None:
        if generation == self._current:
            self.busy = False
            self.failed.emit(message)
