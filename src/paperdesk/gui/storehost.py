"""The open store: opening it read-only, upgrading an older one, waiting for a busy
one, building one from the bundled seeds, and the threads that read it.

`StoreHost` owns the `Store` (read-only; browsing never writes to it), the search
worker and the reader (gui/worker.py, gui/reader.py) and the page shown instead of
the browser when there is no store to show (`stack` holds both). It relays the
threads' answers as its own signals, so that the window connects them once:
`resultReady`, `searchFailed`, `rowsReady`, `paneReady`, `readFailed`. It says what
the window should offer with `availability(can_search, status)` and `opened(location)`
once a store is open (None: show the last place saved for it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from paperdesk import db as dbfiles
from paperdesk import paths
from paperdesk.gui.history import Location
from paperdesk.gui.pane import PaneRequest
from paperdesk.gui.reader import Reader
from paperdesk.gui.tasks import Task
from paperdesk.gui.worker import Searcher
from paperdesk.store import (
    SMALL_CACHE_KIB,
    Store,
    StoreBusy,
    StoreError,
    UpgradeNeeded,
    build_store,
    upgrade_store,
)
from paperdesk.userdata import UserData

T = TypeVar("T")
STORE_TIMEOUT = 0.25  # seconds opening the store waits for another writer; then retried
BUSY_RETRY_MS = 1000
STORE_PROBLEM = "<h2>The paper store cannot be opened</h2>"
STORE_BUSY = "<h2>The paper store is in use</h2>"


class StorePage(QWidget):
    """Shown instead of the browser when the store is missing, empty or damaged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QWidget()
        box.setObjectName("storeBox")
        box.setMinimumWidth(320)
        box.setMaximumWidth(640)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        inner = QVBoxLayout(box)
        self.title = title = QLabel(STORE_PROBLEM)
        self.message = QLabel()
        self.message.setObjectName("storeMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        # Building replaces the file: never the default, and it asks (build_from_seeds).
        self.button = QPushButton("Build a new store from the bundled seed pages…")
        self.button.setObjectName("buildButton")
        self.button.setAutoDefault(False)
        for widget in (title, self.message, self.note):
            inner.addWidget(widget)
        inner.addSpacing(8)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)


class StoreHost(QObject):
    """The store and its reading threads; see the module docstring."""

    opened = Signal(object)  # Location or None
    closed = Signal()
    availability = Signal(bool, str)  # searching possible; status text ("": unchanged)
    taskEnded = Signal()
    resultReady = Signal(int, object)
    searchFailed = Signal(int, str)
    rowsReady = Signal(object)
    paneReady = Signal(object)
    readFailed = Signal(str)

    def __init__(self, window: QWidget, db_path: Path, browser: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.db_path = db_path
        self._browser = browser
        self.userdata_path: Path | None = None  # the notes the searches may read
        self.notes_open = False  # the reader reads notes only from a file that opened
        self.store: Store | None = None
        self.searcher: Searcher | None = None
        self.reader: Reader | None = None
        self.task: Task | None = None  # an upgrade under way
        self.page = StorePage()
        self.page.button.clicked.connect(self.build_from_seeds)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.page)
        self.stack.addWidget(browser)
        # A store another program is writing to is opened again until it is free.
        self._busy_retry = QTimer(self)
        self._busy_retry.setSingleShot(True)
        self._busy_retry.setInterval(BUSY_RETRY_MS)
        self._busy_retry.timeout.connect(self.open)

    @property
    def busy(self) -> bool:
        return (self.searcher is not None and self.searcher.busy) or (
            self.reader is not None and self.reader.busy)

    def open(self, location: Location | None = None) -> bool:
        """Open the store read-only; on failure show the message page with the build button.

        Shows `location` (the last one saved in the settings when None). A store of an
        older version is upgraded first, off the GUI thread: False until that is done."""
        self.close()
        self._busy_retry.stop()
        try:
            self.store = Store(self.db_path, cache_kib=SMALL_CACHE_KIB, upgrade=False,
                               timeout=STORE_TIMEOUT)
            self.store.paper_total()
        except UpgradeNeeded:
            self.store = None
            self._upgrade(location)
            return False
        except StoreBusy as exc:
            self.store = None
            self._show_busy(str(exc))
            return False
        except (StoreError, sqlite3.Error) as exc:
            self.store = None
            self.show_problem(str(exc))
            return False
        self._start_threads()
        self.stack.setCurrentWidget(self._browser)
        self.availability.emit(True, "")
        self.opened.emit(location)
        return True

    def _start_threads(self) -> None:
        # the worker attaches the notes read-only for is:starred, rating:, tag:, note:
        self.searcher = Searcher(self.db_path, self, userdata_path=self.userdata_path)
        self.searcher.resultReady.connect(self.resultReady)
        self.searcher.failed.connect(self.searchFailed)
        self.reader = Reader(self.db_path, self.userdata_path if self.notes_open else None,
                             self)
        self.reader.rowsReady.connect(self.rowsReady)
        self.reader.paneReady.connect(self.paneReady)
        self.reader.failed.connect(self.readFailed)

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.stop()
            self.searcher.deleteLater()
            self.searcher = None
        if self.reader is not None:
            self.reader.stop()
            self.reader.deleteLater()
            self.reader = None
        self.closed.emit()
        if self.store is not None:
            self.store.close()
            self.store = None

    def stop_waiting(self) -> None:
        """The window closes: no retry; an upgrade under way is waited for."""
        self._busy_retry.stop()
        if self.task is not None:
            self.task.wait()

    def submit(self, text: str, scope: Any, sort: tuple[str, bool] | None,
               limit: int | None) -> bool:
        if self.searcher is None:
            return False
        self.searcher.submit(text, scope, sort, limit)
        return True

    def request_pane(self, request: PaneRequest) -> bool:
        if self.store is None or self.reader is None:
            return False
        self.reader.request_pane(request)
        return True

    def read(self, work: Callable[[Store], T], done: Callable[[T], None]) -> bool:
        """Run `work` on the reader thread's store connection, then `done(result)` here."""
        if self.reader is None:
            return False
        self.reader.read(work, done)
        return True

    def read_noted(self, work: Callable[[Store, UserData | None], T],
                   done: Callable[[T], None]) -> bool:
        """`read`, with the reader thread's user-data connection too."""
        if self.reader is None:
            return False
        self.reader.read_noted(work, done)
        return True

    def request_rows(self, rids: list[int]) -> None:
        if self.reader is not None:
            self.reader.request_rows(rids)

    def _upgrade(self, location: Location | None) -> None:
        """Bring an older store to this version's schema in the background (it can take
        seconds for a large one: new indexes), then open it at `location`."""
        self.stack.setCurrentWidget(self._browser)  # empty until the store opens
        self.availability.emit(False, "Upgrading the store…")
        task = Task(self._window, "Upgrading the store",
                    f"Upgrading {self.db_path.name} for this version of PaperDesk. This "
                    "happens once; a large store takes a few seconds.",
                    lambda cancelled, _progress: upgrade_store(self.db_path, cancelled),
                    (StoreError,), cancellable=False)
        task.finished.connect(lambda _: self._upgrade_done(location, None))
        task.failed.connect(lambda message: self._upgrade_done(location, message))
        self.task = task
        task.start()

    def _upgrade_done(self, location: Location | None, failure: str | None) -> None:
        if self.task is not None:
            self.task.deleteLater()
        self.task = None
        self.taskEnded.emit()
        if failure is None:
            self.open(location)
        else:
            self.show_problem(failure)

    def show_problem(self, message: str) -> None:
        page = self.page
        page.message.setText(message)
        page.note.setText(
            f"The store file is {self.db_path}. Building replaces it with a store of the "
            "five bundled seed pages" + (
                "; the damaged file is kept beside it with '.damaged' added to its name."
                if self.db_path.exists() else "."))
        page.button.show()
        page.title.setText(STORE_PROBLEM)
        self.stack.setCurrentWidget(page)
        self.availability.emit(False, "No store")

    def _show_busy(self, message: str) -> None:
        """Another program writes to the store: wait for it, offer nothing destructive."""
        self.show_problem(message)
        self.page.note.setText("PaperDesk opens it as soon as the other program is done.")
        self.page.button.hide()
        self.page.title.setText(STORE_BUSY)
        self.availability.emit(False, "Waiting for the store…")
        self._busy_retry.start()

    def confirm_rebuild(self) -> bool:
        """Ask before a build replaces the store file; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Replace the store?",
                          f"Building replaces {self.db_path} with a new store of the five "
                          f"bundled seed pages. The current file is kept as "
                          f"{self.db_path.name}.damaged.", QMessageBox.StandardButton.Cancel,
                          self._window)
        box.setObjectName("confirmRebuild")
        box.setTextFormat(Qt.TextFormat.PlainText)
        replace = box.addButton("Replace the store", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace

    def build_from_seeds(self) -> bool:
        """The store page's button: build from the bundled seeds, then open it.

        An existing file is replaced only when the user says so, and is kept first,
        with its journal (db.copy), as NAME.damaged."""
        if self.db_path.exists() and not self.confirm_rebuild():
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.db_path.exists():
                dbfiles.copy(self.db_path, self.db_path.with_name(self.db_path.name + ".damaged"))
            build_store([paths.bundled_seeds()], self.db_path)
        except (OSError, StoreError, sqlite3.Error) as exc:
            self.show_problem(f"Building failed: {exc}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        return self.open()
