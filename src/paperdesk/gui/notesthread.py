"""The user's notes file, on a thread of its own.

Every read and write of the notes that the window asks for (a star, a rating, tags,
a note, the author list's marks, a dialog's text) runs here, one at a time in the
order asked, on this thread's own connection (paperdesk.userdata owns the SQL), so
that a locked file's wait (`USERDATA_TIMEOUT`) never freezes the window. Answers
come back on the GUI thread: `done(result)` or `failed(message)`, a
UserDataError's or a ValueError's text for the user.

Opening the file is the one request the GUI thread waits for: at start-up, before
the window shows, because the store's threads must know whether there are notes
to read. It makes the day's backup and checks the file (see `Opened`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from paperdesk import backups
from paperdesk.gui.threads import join_on_destroy
from paperdesk.userdata import UserData, UserDataError

T = TypeVar("T")
USERDATA_TIMEOUT = 0.25  # seconds a write waits for a locked user-data file


@dataclass
class Opened:
    """What opening the notes file found."""

    path: Path | None = None  # None: it could not be opened
    error: str = ""  # why it could not be opened
    problem: str | None = None  # the file opened but is damaged: what check() found
    backup: Path | None = None  # the backup made (of a damaged file: what could be read)
    backup_error: str = ""  # no backup could be made: why


class _Worker(QObject):
    """Lives on the notes thread, with the one connection to the notes file."""

    answered = Signal(int, object, str)  # token, result, "" or the message of a failure

    def __init__(self) -> None:
        super().__init__()
        self.userdata: UserData | None = None

    @Slot(object, object)
    def open(self, path: Path | None, opened: Opened) -> None:
        try:
            self.userdata = UserData(path, timeout=USERDATA_TIMEOUT)
        except UserDataError as exc:
            opened.error = str(exc)
            return
        opened.path = self.userdata.path
        opened.problem = self.userdata.check()
        try:
            opened.backup = backups.backup(
                self.userdata, "damaged" if opened.problem else backups.DAILY)
        except UserDataError as exc:
            opened.backup_error = str(exc)

    @Slot(int, object)
    def run(self, token: int, work: Callable[[UserData], Any]) -> None:
        if self.userdata is None:
            self.answered.emit(token, None, "No user-data file is open.")
            return
        try:
            result = work(self.userdata)
        except (UserDataError, ValueError) as exc:
            self.answered.emit(token, None, str(exc))
            return
        self.answered.emit(token, result, "")

    @Slot()
    def finish(self) -> None:
        """Queued behind every write asked for: they all run before the thread ends."""
        self.thread().quit()

    def close(self) -> None:
        if self.userdata is not None:
            self.userdata.close()
            self.userdata = None


class NotesThread(QObject):
    """The GUI side: `run()` returns at once; the answer comes back by callback."""

    _open = Signal(object, object)
    _run = Signal(int, object)
    _finish = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("paperdesk-notes")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._open.connect(self._worker.open, Qt.ConnectionType.BlockingQueuedConnection)
        self._run.connect(self._worker.run)
        self._finish.connect(self._worker.finish)
        self._worker.answered.connect(self._answered)
        self._calls: dict[int, tuple[Callable[[Any], object], Callable[[str], object]]] = {}
        self._token = 0
        join_on_destroy(self, self._thread)
        self._thread.start()

    def open(self, path: Path | None) -> Opened:
        """Open the notes file on the thread and wait for it (see the module doc)."""
        opened = Opened()
        self._open.emit(path, opened)
        return opened

    @property
    def busy(self) -> bool:
        return bool(self._calls)

    def run(self, work: Callable[[UserData], T], done: Callable[[T], object],
            failed: Callable[[str], object]) -> None:
        """`work(userdata)` on the thread, then `done(result)` or `failed(message)` here."""
        self._token += 1
        self._calls[self._token] = (done, failed)
        self._run.emit(self._token, work)

    def _answered(self, token: int, result: object, error: str) -> None:
        done, failed = self._calls.pop(token)
        if error:
            failed(error)
        else:
            done(result)

    def stop(self) -> None:
        """Finish the writes asked for, end the thread and close its connection (answers
        not yet delivered are dropped: the window is closing)."""
        if not self._thread.isRunning():
            return
        self._finish.emit()
        self._thread.wait()
        self._worker.close()
        self._calls.clear()
