"""The user's notes file, on a thread of its own.

Every read and write of the notes that the window asks for (a star, a rating, tags,
a note, the author list's marks, a dialog's text) runs here, one at a time in the
order asked, on this thread's own connection (paperdesk.userdata owns the SQL), so
that a locked file's wait (`USERDATA_TIMEOUT`) never freezes the window. Answers
come back on the GUI thread: `done(result)` or `failed(message)`, a
UserDataError's or a ValueError's text for the user.

Opening the file makes the day's backup and checks the file (see `Opened`); at
start-up the window opens the store only once it is done, because the store's
threads must know whether there are notes to read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject

from paperdesk import backups
from paperdesk.gui.threads import Job, WorkThread
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


class NotesThread(QObject):
    """The notes file's thread (a gui/threads.WorkThread) and its one connection."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.userdata: UserData | None = None  # used on the thread only
        self._thread = WorkThread("notes", self, close=self._close)

    def open(self, path: Path | None, done: Callable[[Opened], object]) -> None:
        """Open the notes file on the thread, then `done(opened)` here; an error nobody
        foresaw (a bug) is an error of the opening too,
        so that the notes are said to be off and the store still opens."""
        self._thread.submit(lambda _job: self._open(path), done, lambda exc: done(
            Opened(error=f"the notes file could not be opened ({type(exc).__name__}: {exc})")))

    def _open(self, path: Path | None) -> Opened:
        opened = Opened()
        try:
            self.userdata = UserData(path, timeout=USERDATA_TIMEOUT)
        except UserDataError as exc:
            opened.error = str(exc)
            return opened
        opened.path = self.userdata.path
        opened.problem = self.userdata.check()
        try:
            opened.backup = backups.backup(
                self.userdata, "damaged" if opened.problem else backups.DAILY)
        except (UserDataError, OSError) as exc:  # OSError: an old backup not removed
            opened.backup_error = str(exc)
        return opened

    @property
    def busy(self) -> bool:
        return self._thread.busy

    def run(self, work: Callable[[UserData], T], done: Callable[[T], object],
            failed: Callable[[str], object]) -> None:
        """`work(userdata)` on the thread, then `done(result)` or `failed(message)` here
        (a UserDataError's or ValueError's; anything else is a bug and is raised)."""
        def job(_job: Job) -> T:
            if self.userdata is None:
                raise UserDataError("No user-data file is open.")
            return work(self.userdata)

        def refused(exc: Exception) -> None:
            if not isinstance(exc, UserDataError | ValueError):
                raise exc
            failed(str(exc))
        self._thread.submit(job, done, refused)

    def _close(self) -> None:
        if self.userdata is not None:
            self.userdata.close()
            self.userdata = None

    def stop(self) -> None:
        """Finish the writes asked for, end the thread and close its connection."""
        self._thread.stop(finish=True)
