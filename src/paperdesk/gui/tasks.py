"""Long operations off the GUI thread, with a progress dialog and a Cancel button.

A Task runs ``work(cancelled, progress)`` on its own QThread. ``cancelled()``
says whether the user pressed Cancel (the work checks it between steps and
stops cleanly: the importer rolls its transaction back); ``progress(done,
total)`` moves the bar. The outcome comes back on the GUI thread as
``finished(result)`` or ``failed(message)``. The window stays responsive
throughout: the dialog is window-modal, so the window repaints but takes no
input that could touch the store mid-way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from paperdesk.gui.threads import join_on_destroy

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]
# What a task may raise that is the user's business (a message), not a bug.
EXPECTED = (OSError, ValueError)


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work, expected: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self._work = work
        self._expected = expected
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self.cancel_event.is_set,
                                lambda done, total: self.progressed.emit(done, total))
        except self._expected as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: still end the task, say what happened
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.succeeded.emit(result)


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
        self._thread = QThread()
        self._thread.setObjectName(f"paperdesk-{title.lower().replace(' ', '-')}")
        self._worker = _Worker(work, expected)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        join_on_destroy(self, self._thread, self._worker.cancel_event.set)

    def start(self) -> Task:
        self.dialog.show()
        self._thread.start()
        return self

    @Slot()
    def cancel(self) -> None:
        """The Cancel button: the work stops at its next check."""
        self.cancel_requested = True
        self._worker.cancel_event.set()
        if not self.done:
            self.dialog.setLabelText("Cancelling…")
            self.dialog.show()  # QProgressDialog hides itself on cancel; keep it until done

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if total > 0 and not self.done:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)

    def _end(self) -> None:
        self.done = True
        self._thread.quit()
        self._thread.wait()
        self.dialog.close()
        self.dialog.deleteLater()

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._end()
        self.finished.emit(result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def wait(self) -> None:
        """Block until the thread ends (closing the window mid-task)."""
        self._worker.cancel_event.set()
        self._thread.quit()
        self._thread.wait()
