"""The chair's desk off the GUI thread: one question at a time, a newer one wins.

A DeskRunner runs its jobs on a `WorkThread` (gui/threads.py, the one way the window
works off the GUI thread) with a read-only store connection of its own. Asking a
new question cancels the one before: SQLite's progress handler aborts it if it is
running, it is skipped if it has not started, and its answer is dropped on arrival.
So the dialogs never wait on SQLite and never show the answer to a question the
user has already changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel

from paperdesk.gui import damage
from paperdesk.gui.threads import Cancel, Job, WorkThread
from paperdesk.store import StoreDamaged, reading

Question = Callable[[sqlite3.Connection], Any]
PROGRESS_STEPS = 1_000  # SQLite VM steps between cancellation checks


class DeskRunner(QObject):
    """Runs questions for one dialog; `ready(answer)` or `failed(message)` for the latest."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject, db_path: Path) -> None:
        super().__init__(parent)
        self._db_path = db_path
        self._conn: sqlite3.Connection | None = None
        self._cancel: Cancel | None = None
        self._thread = WorkThread("desk", self, close=self._close)
        self._controls: tuple[QAbstractButton, QLabel] | None = None

    def control(self, cancel_button: QAbstractButton, status: QLabel) -> None:
        """Let a dialog's Cancel button drop the question under way, enabled only while
        one runs; the status line then says "Cancelled." or why the question failed."""
        self._controls = (cancel_button, status)
        cancel_button.setEnabled(False)
        cancel_button.clicked.connect(self._cancelled_by_user)
        self.ready.connect(lambda _answer: cancel_button.setEnabled(False))
        self.failed.connect(self._show_failure)

    @property
    def busy(self) -> bool:
        return self._thread.busy

    def submit(self, question: Question) -> None:
        self.cancel()
        if self._controls is not None:
            self._controls[0].setEnabled(True)
        self._cancel = self._thread.submit(partial(self._run, question), self.ready.emit,
                                           self._failed)

    def cancel(self) -> None:
        """Abandon the question under way: its answer is never shown."""
        if self._cancel is not None:
            self._cancel.set()

    def stop(self) -> None:
        self._thread.stop()

    def _cancelled_by_user(self) -> None:
        self.cancel()
        self._show_failure("Cancelled.")

    def _show_failure(self, message: str) -> None:
        if self._controls is not None:
            button, status = self._controls
            button.setEnabled(False)
            status.setText(message)

    def _run(self, question: Question, job: Job) -> Any:
        if self._conn is None:
            self._conn = sqlite3.connect(f"{self._db_path.resolve().as_uri()}?mode=ro",
                                         uri=True, check_same_thread=False)
        self._conn.set_progress_handler(job.cancelled, PROGRESS_STEPS)
        try:
            with reading(self._db_path):
                return question(self._conn)
        finally:
            self._conn.set_progress_handler(None, 0)

    def _failed(self, error: Exception) -> None:
        """Say why; a damaged store, the window's store page too (gui/damage.py)."""
        damage.said(error)
        self.failed.emit(str(error) if isinstance(error, StoreDamaged)
                         else f"{self._db_path}: {error}")

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
