"""Long operations off the GUI thread, with a progress dialog and a Cancel button.

A Task runs ``work(cancelled, progress)`` on its own gui/threads.WorkThread.
``cancelled`` is the task's Cancel: calling it says whether the user pressed
Cancel or closed the window (the work checks it between steps and stops
cleanly: the importer rolls its transaction back); ``progress(done, total)``
moves the bar. The outcome comes back on the GUI thread as
``finished(result)`` or ``failed(message)``. The window stays responsive
throughout: the dialog is window-modal, so the window repaints but takes no
input that could touch the store mid-way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from paperdesk.gui import damage
from paperdesk.gui.threads import Cancel, WorkThread

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]
# What a task may raise that is the user's business (a message), not a bug.
EXPECTED = (OSError, ValueError)


class Task(QObject):
    """One background operation with its progress dialog (see module doc)."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, title: str, label: str, work: Work,
                 expected: tuple[type[BaseException], ...] = EXPECTED, *,
                 cancellable: bool = True) -> None:
        """`cancellable=False`: no Cancel button (closing the window still cancels)."""
        super().__init__(parent)
        self.title = title
        self.done = False
        self.cancel_requested = False
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setObjectName("progressDialog")
        text = QLabel()  # file and folder names are text, never markup
        text.setTextFormat(Qt.TextFormat.PlainText)
        self.dialog.setLabel(text)
        self.dialog.setLabelText(label)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0)
        if cancellable:
            self.dialog.canceled.connect(self.cancel)
        else:
            self.dialog.setCancelButton(None)
        self._work = work
        self._expected = expected
        self._cancel = Cancel()
        self._thread = WorkThread(title.lower().replace(" ", "-"), self)

    def start(self) -> Task:
        self.dialog.show()
        self._thread.submit(
            lambda job: self._work(job.cancelled, lambda done, total: job.report((done, total))),
            self._succeeded, self._failed, progress=lambda step: self._progressed(*step),
            cancel=self._cancel, keep_cancelled=True)
        return self

    @Slot()
    def cancel(self) -> None:
        """The Cancel button: the work stops at its next check."""
        self.cancel_requested = True
        self._cancel.set()
        if not self.done:
            self.dialog.setLabelText("Cancelling…")
            self.dialog.show()  # QProgressDialog hides itself on cancel; keep it until done

    def _progressed(self, done: int, total: int) -> None:
        if total > 0 and not self.done:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)

    def _end(self) -> None:
        self.done = True
        self._thread.stop(finish=True)
        self.dialog.close()
        self.dialog.deleteLater()

    def _succeeded(self, result: object) -> None:
        self._end()
        self.finished.emit(result)

    def _failed(self, exc: Exception) -> None:
        """Say why; a damaged store (its reads run in `store.reading`), the window's store
        page too (gui/damage.py)."""
        self._end()
        damage.said(exc)
        if isinstance(exc, self._expected):
            self.failed.emit(str(exc))
        else:  # a bug: still end the task, say what happened
            self.failed.emit(f"{type(exc).__name__}: {exc}")

    def wait(self) -> None:
        """Cancel, and block until the thread ends (closing the window mid-task)."""
        self._cancel.set()
        self._thread.stop(finish=True)
