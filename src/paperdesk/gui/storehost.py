"""The open store: opening it read-only, upgrading an older one, waiting for a busy
one, building one from a folder of pages or the bundled seeds, and the threads that
read it.

`StoreHost` owns the search worker and the reader (gui/worker.py, gui/reader.py),
each with its own read-only connection (browsing never writes to the store), and
the page shown instead of the browser when there is no store to show (`stack`
holds both). The GUI thread holds no connection: opening checks the store (its
connection, a hot journal rolled back, the schema version, a busy writer, meta) on
a thread of its own, and the outcome comes back as a call on the GUI thread
(`_outcome`): then the threads start, or the upgrade, the busy page or the problem
page shows. An outcome that a close or a newer open has made void is dropped (its
`Cancel`, gui/threads.py). `is_open` is the state the window asks.

It relays the threads' answers as its own signals, so that the window connects them
once: `resultReady`, `searchFailed`, `rowsReady`, `paneReady`, `readFailed`. It says
what the window should offer with `availability(can_search, status)` and
`opened(location)` once a store is open (None: show the last place saved for it).

A store can open and still be damaged further in (a few pages of the file
overwritten). Whichever read meets the damage says so (gui/damage.py), and the page
with the build buttons shows instead of the browser, as at open, once. A store of up
to `store.CHECKED_BYTES` is also checked whole once it is open (`store.find_damage`,
SQLite's quick_check, on the opener thread once the first answer is shown, so that it
delays nothing the user sees; cancelled by a close), so that its damage is said before
a read meets it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
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
from paperdesk import follow, paths
from paperdesk.gui import damage
from paperdesk.gui.history import Location
from paperdesk.gui.pane import PaneRequest
from paperdesk.gui.reader import Reader
from paperdesk.gui.tasks import Task
from paperdesk.gui.threads import Cancel, WorkThread
from paperdesk.gui.worker import Answer, Searcher
from paperdesk.identity import apply as identities
from paperdesk.importer import plural, skipped
from paperdesk.pages import has_pages, no_pages_why
from paperdesk.store import (
    NotAStoreFile,
    Store,
    StoreBusy,
    StoreError,
    UpgradeNeeded,
    build_store,
    check_store_path,
    find_damage,
    there,
    upgrade_store,
)
from paperdesk.userdata import UserData

log = logging.getLogger(__name__)
T = TypeVar("T")
STORE_TIMEOUT = 0.25  # seconds opening the store waits for another writer; then retried
BUSY_RETRY_MS = 1000
STORE_PROBLEM = "<h2>The paper store cannot be opened</h2>"
STORE_BUSY = "<h2>The paper store is in use</h2>"
STORE_DAMAGED = "<h2>The paper store is damaged</h2>"


@dataclass(frozen=True)
class Outcome:
    """What opening found: "opened", "upgrade" (an older version), "busy" (another
    writer holds it), "problem" (missing, damaged, unreadable: `message` says why) or
    "not a file" (a folder, a device: no store can ever be there)."""

    kind: Literal["opened", "upgrade", "busy", "problem", "not a file"]
    message: str = ""


def check_store(db_path: Path) -> Outcome:
    """Open the store read-only, check that it can be read (its meta), close it.

    Run off the GUI thread: at a million papers, on a slow disk or behind another
    writer's lock (up to STORE_TIMEOUT) this takes a while."""
    try:
        with Store(db_path, upgrade=False, timeout=STORE_TIMEOUT) as store:
            store.paper_total()
    except UpgradeNeeded:
        return Outcome("upgrade")
    except StoreBusy as exc:
        return Outcome("busy", str(exc))
    except NotAStoreFile as exc:
        return Outcome("not a file", str(exc))
    except (StoreError, sqlite3.Error, OSError) as exc:  # OSError: a path too long, a folder
        return Outcome("problem", str(exc))  # it may not read
    return Outcome("opened")


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
        # Building replaces the file: never the default, and it asks (StoreHost.build_from).
        self.folder_button = QPushButton("Build a new store from a folder of your pages…")
        self.folder_button.setObjectName("buildFolderButton")
        self.button = QPushButton("Build a new store from the bundled seed pages…")
        self.button.setObjectName("buildButton")
        for button in (self.folder_button, self.button):
            button.setAutoDefault(False)
        for widget in (title, self.message, self.note):
            inner.addWidget(widget)
        inner.addSpacing(8)
        inner.addWidget(self.folder_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def offer_builds(self, shown: bool) -> None:
        for button in (self.folder_button, self.button):
            button.setVisible(shown)


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
        self.searcher: Searcher | None = None
        self.reader: Reader | None = None
        self.task: Task | None = None  # an upgrade or a build under way
        self._opener = WorkThread("opener", self)  # where opening checks the store
        self._opening: Cancel | None = None  # the open under way, if any
        self._checking: Cancel | None = None  # the whole file's check (find_damage)
        self._unchecked = False  # the store open is still to be checked
        self._ended = False  # the window closed: nothing opens any more
        self.page = StorePage()
        self.page.button.clicked.connect(self.build_from_seeds)
        self.page.folder_button.clicked.connect(self.choose_folder)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.page)
        self.stack.addWidget(browser)
        self.stack.setCurrentWidget(browser)  # empty until the store opens
        # A store another program is writing to is opened again until it is free.
        self._busy_retry = QTimer(self)
        self._busy_retry.setSingleShot(True)
        self._busy_retry.setInterval(BUSY_RETRY_MS)
        self._busy_retry.timeout.connect(self.open)
        damage.bus().found.connect(self._damaged, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """An open, an upgrade, a build, a search or a read is under way."""
        return self._opening is not None or self.task is not None or (
            self.searcher is not None and self.searcher.busy) or (
            self.reader is not None and self.reader.busy)

    @property
    def is_open(self) -> bool:
        """A store is open: its reading threads run (no connection on this thread)."""
        return self.reader is not None

    def open(self, location: Location | None = None) -> None:
        """Open the store read-only, off the GUI thread; `opened(location)` says when it is
        open, else the message page shows, with the build button.

        Shows `location` (the last one saved in the settings when None). A store of an
        older version is upgraded first, off the GUI thread too; a busy one is tried
        again every BUSY_RETRY_MS."""
        if self.task is not None:  # an upgrade or a build: it opens the store when done
            return
        self.close()
        self._busy_retry.stop()
        if self._ended:
            return
        self._opening = self._opener.submit(
            lambda _job: check_store(self.db_path),
            lambda outcome: self._outcome(location, outcome),
            lambda exc: self._outcome(location, Outcome(  # a bug: said, never a blank window
                "problem", f"The store could not be checked ({type(exc).__name__}: {exc}).")))

    def open_with_notes(self, userdata_path: Path | None, notes_open: bool) -> None:
        """At start-up, once the notes file's open has ended: the store's threads read
        the notes at `userdata_path` if it opened. Then the store opens."""
        self.userdata_path = userdata_path
        self.notes_open = notes_open
        self.open()

    def _outcome(self, location: Location | None, outcome: Outcome) -> None:
        """The latest open's outcome (an older one was dropped on arrival)."""
        self._opening = None
        if outcome.kind == "upgrade":
            self._upgrade(location)
        elif outcome.kind == "busy":
            self._show_busy(outcome.message)
        elif outcome.kind == "problem":
            self.show_problem(outcome.message)
        elif outcome.kind == "not a file":
            self._show_not_a_file(outcome.message)
        else:
            self._start_threads()
            self.stack.setCurrentWidget(self._browser)
            self.availability.emit(True, "")
            self.opened.emit(location)

    def _start_threads(self) -> None:
        # the worker attaches the notes read-only for is:starred, rating:, tag:, note:
        self.searcher = Searcher(self.db_path, self, userdata_path=self.userdata_path)
        self.searcher.resultReady.connect(self.resultReady)
        self.searcher.resultReady.connect(self._check_once_shown)
        self.searcher.failed.connect(self.searchFailed)
        self._unchecked = True
        self.reader = Reader(self.db_path, self.userdata_path if self.notes_open else None,
                             self)
        self.reader.rowsReady.connect(self.rowsReady)
        self.reader.paneReady.connect(self.paneReady)
        self.reader.failed.connect(self.readFailed)

    def close(self) -> None:
        """Stop the reading threads; an open under way is void (its outcome dropped)."""
        for cancel in (self._opening, self._checking):
            if cancel is not None:
                cancel.set()
        self._opening = self._checking = None
        if self.searcher is not None:
            self.searcher.stop()
            self.searcher.deleteLater()
            self.searcher = None
        if self.reader is not None:
            self.reader.stop()
            self.reader.deleteLater()
            self.reader = None
        self.closed.emit()

    def _check_once_shown(self, _generation: int, answer: Answer) -> None:
        """Once the store's first final answer is shown, check the whole file (small
        stores only, see the module docstring) on the opener thread."""
        if not self._unchecked or not answer.final:
            return
        self._unchecked = False
        db_path = self.db_path
        self._checking = self._opener.submit(
            lambda job: find_damage(db_path, job.cancelled),
            lambda found: found is not None and damage.said(found))

    def _damaged(self, path: Path, message: str) -> None:
        """A read of the store open here met damage (gui/damage.py): the build page shows
        instead of the browser, once (the threads stop: no read says it again). Another
        window's store, or one closed already, is not this one's business."""
        if path != self.db_path or not self.is_open:
            return
        log.warning("%s", message)
        self.close()
        self.show_problem(message)
        self.page.title.setText(STORE_DAMAGED)

    def stop_waiting(self) -> None:
        """The window closes: no retry, no open (one under way is dropped and its thread
        ended); an upgrade under way is waited for."""
        self._ended = True
        self._busy_retry.stop()
        self._opening = None
        self._opener.stop()
        if self.task is not None:
            self.task.wait()

    def submit(self, text: str, scope: Any, sort: tuple[str, bool] | None,
               limit: int | None) -> bool:
        if self.searcher is None:
            return False
        self.searcher.submit(text, scope, sort, limit)
        return True

    def request_pane(self, request: PaneRequest) -> bool:
        if self.reader is None:
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
        minutes for a large one: new indexes, the author list), then open it at
        `location`."""
        self.stack.setCurrentWidget(self._browser)  # empty until the store opens
        self.availability.emit(False, "Upgrading the store…")
        self._run_task(Task(
            self._window, "Upgrading the store",
            f"Upgrading {self.db_path.name} for this version of PaperDesk. This happens "
            "once; a large store can take a minute or two (100,000 papers: about half "
            "a minute).",
            lambda cancelled, _progress: upgrade_store(self.db_path, cancelled),
            (StoreError,), cancellable=False), location, "")

    def _run_task(self, task: Task, location: Location | None, failed: str) -> None:
        """Run `task` (an upgrade, a build), then open the store at `location`; if it
        fails, the problem page says why, after `failed`."""
        task.finished.connect(lambda _: self._task_done(location, None))
        task.failed.connect(lambda message: self._task_done(location, failed + message))
        self.task = task
        task.start()

    def _task_done(self, location: Location | None, failure: str | None) -> None:
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
            "pages of a folder you pick (your annotations stay yours: they come back on "
            "the papers those pages list), or of the five bundled seed pages" + (
                "; the damaged file is kept beside it with '.damaged' added to its name."
                if there(self.db_path) else "."))
        page.offer_builds(True)
        page.title.setText(STORE_PROBLEM)
        self.stack.setCurrentWidget(page)
        self.availability.emit(False, "No store")

    def _show_not_a_file(self, message: str) -> None:
        """No store can be at the path (a folder, a device): nothing to build or replace
        there; the user opens PaperDesk on a file path instead."""
        self.show_problem(message)
        self.page.note.setText("Start PaperDesk on a store file: paperdesk --db FILE (a "
                               "file that does not exist yet is built).")
        self.page.offer_builds(False)

    def _show_busy(self, message: str) -> None:
        """Another program writes to the store: wait for it, offer nothing destructive."""
        self.show_problem(message)
        self.page.note.setText("PaperDesk opens it as soon as the other program is done.")
        self.page.offer_builds(False)
        self.page.title.setText(STORE_BUSY)
        self.availability.emit(False, "Waiting for the store…")
        self._busy_retry.start()

    def confirm_rebuild(self, what: str) -> bool:
        """Ask before a build replaces the store file with a store of `what`; Cancel is
        the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Replace the store?",
                          f"Building replaces {self.db_path} with a new store of {what}. "
                          f"The current file is kept as {self.db_path.name}.damaged.",
                          QMessageBox.StandardButton.Cancel, self._window)
        box.setObjectName("confirmRebuild")
        box.setTextFormat(Qt.TextFormat.PlainText)
        replace = box.addButton("Replace the store", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace

    def build_from_seeds(self) -> bool:
        """The store page's second button: a store of the bundled seeds (build_from)."""
        return self.build_from(paths.bundled_seeds(), "the five bundled seed pages")

    def choose_folder(self) -> QFileDialog:
        """The store page's first button: a folder of the user's pages, then build_from."""
        dialog = QFileDialog(self._window, "Build a store from a folder of pages")
        dialog.setObjectName("buildFolderDialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(
            lambda folder: self.build_from(Path(folder), f"the pages in {folder}"))
        dialog.open()
        return dialog

    def build_from(self, source: Path, what: str) -> bool:
        """Build from `source` (a folder of pages) off the GUI thread (a Task), then
        open the store: True when the build started (`opened` follows).

        An existing file is replaced only when the user says so, and is kept first,
        with its journal (db.copy), as NAME.damaged."""
        if there(self.db_path) and not self.confirm_rebuild(what):
            return False
        self.close()  # no thread reads the file while it is replaced
        self._busy_retry.stop()
        db_path = self.db_path

        def build(_cancelled: Callable[[], bool], _progress: object) -> list[str]:
            check_store_path(db_path)  # a folder, a device: never kept aside, never built
            if not has_pages([source]):  # a folder picked one level too high, or empty
                why = no_pages_why([source], "no page files (*.txt) here or in its folders")
                raise StoreError(f"{why}; {db_path} is as it was")
            if db_path.exists():
                dbfiles.copy(db_path, db_path.with_name(db_path.name + ".damaged"))
            report = build_store([source], db_path)
            moved = follow.reattach(db_path)  # annotations follow titles anchored earlier
            identities.reapply(db_path)  # the user's decisions about people
            if report.complete and not moved.problems():  # doubts: Needs review says
                return []
            return [f"{plural(report.pages, 'page')}, {plural(report.papers, 'paper')}; "
                    f"skipped {skipped(report.skipped_pages, report.skipped_entries)}",
                    *(str(p) for p in [*report.problems, *moved.problems()])]

        task = Task(self._window, "Building the store", f"Building {db_path.name} from {what}.",
                    build, (OSError, StoreError, sqlite3.Error), cancellable=False)
        task.finished.connect(lambda said: self._built(said, what))
        self._run_task(task, None, "Building failed: ")
        return True

    def _built(self, said: list[str], what: str) -> None:
        """What a build from the window skipped, or did to the user's annotations, said
        as the command line's build says it (every problem with its file and line): it
        was said nowhere. `said` empty: nothing skipped or moved."""
        if not said:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Store built — PaperDesk",
                          f"Built {self.db_path.name} from {what}: {said[0]}.",
                          QMessageBox.StandardButton.Close, self._window)
        box.setObjectName("buildSummary")
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and page text
        box.setInformativeText(f"{plural(len(said) - 1, 'problem')}: see the details.")
        box.setDetailedText("\n".join(said[1:]))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
