"""Searches off the GUI thread.

One QThread runs a SearchWorker that owns its own read-only connection (one
connection per worker thread, as datasette does). Every request carries a
generation number. Submitting a request bumps the number first; the worker's
SQLite progress handler notices the running query is stale and aborts it, a
queued stale request is skipped without touching SQLite, and a reply whose
number is not the latest is dropped twice over: in the worker and on arrival
in the GUI thread. So the GUI thread never waits on SQLite for a search and
never shows a result for a query the user has already changed.

A request is answered twice unless the first answer says it all. The first
answer is a search for at most FIRST_PAGE rows within FIRST_BUDGET_MS (see
paperdesk.search: the exact first page when it can be had in time, otherwise
the match's most recently stored rows, marked `partial`); the second is the
full, unbudgeted search for every row asked for. When the first answer is not
partial, the engine's order does not depend on the limit, so the second answer
only adds rows below it; a partial one is replaced. The full search starts only
once the GUI thread has dealt with the first answer, painting included (it
posts a low-priority event after the table's repaint request, see
Searcher.event), so that it never competes with that paint. The searcher
counts as busy until the last answer.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, Signal, Slot

from paperdesk.search import Scope, SearchCancelled, interrupt_on, search
from paperdesk.store import Store, StoreError
from paperdesk.userdata import UserDataError, attach

PROGRESS_STEPS = 1_000  # SQLite VM steps between staleness checks
FIRST_PAGE = 200  # rows of the first, quick answer
FIRST_BUDGET_MS = 30.0  # the first answer's time budget (paperdesk.search)
SHOWN_WAIT_S = 0.25  # the longest the full search waits for the first answer's paint
_SHOWN = QEvent.Type(QEvent.registerEventType())


class SearchWorker(QObject):
    """Lives in the search thread; runs one query at a time."""

    finished = Signal(int, object, bool)  # generation, SearchResult, last answer to it
    failed = Signal(int, str)  # generation, message for the user

    def __init__(self, db_path: Path, userdata_path: Path | None = None) -> None:
        super().__init__()
        self._path = db_path
        self._userdata_path = userdata_path
        self._store: Store | None = None
        self._latest = 0  # written by the GUI thread; an int store is atomic under the GIL
        self._shown = threading.Event()  # the GUI thread is done with the first answer
        self.cancelled = 0  # queries aborted or skipped as stale
        self.partial = 0  # first answers that ran out of budget (the bench looks)

    def supersede(self, generation: int) -> None:
        """Called from the GUI thread: every request older than `generation` is stale."""
        self._latest = generation
        self._shown.set()  # a worker waiting for a paint looks again: it is stale now

    def shown(self) -> None:
        """Called from the GUI thread once the first answer has been applied and painted."""
        self._shown.set()

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store(self._path)
            if self._userdata_path is not None:
                # The user's notes, read-only, for is:starred, tag:... (see search.py);
                # if they cannot be read, those filters match nothing.
                with suppress(UserDataError):
                    attach(self._store.conn, self._userdata_path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @Slot(int, str, object, object, object)
    def run(self, generation: int, text: str, scope: Any, sort: Any, limit: Any) -> None:
        if generation != self._latest:
            self.cancelled += 1
            return
        try:
            conn = self._open().conn
        except StoreError as exc:
            self.failed.emit(generation, str(exc))
            return
        scope = scope if scope is not None else Scope()
        page = FIRST_PAGE if limit is None else min(limit, FIRST_PAGE)
        try:
            with interrupt_on(conn, lambda: self._latest != generation, PROGRESS_STEPS):
                result = search(conn, text, scope, sort=sort, limit=page,
                                budget_ms=FIRST_BUDGET_MS)
                self.partial += result.partial
                whole = not result.partial and (
                    page == limit or len(result.rids) < page
                    or result.total == len(result.rids))
                if not whole:
                    if generation != self._latest:
                        raise SearchCancelled(text)
                    self._shown.clear()
                    self.finished.emit(generation, result, False)
                    self._shown.wait(SHOWN_WAIT_S)
                    if generation != self._latest:
                        raise SearchCancelled(text)
                    result = search(conn, text, scope, sort=sort, limit=limit)
        except SearchCancelled:
            self.cancelled += 1
            return
        except (sqlite3.Error, StoreError, ValueError) as exc:
            self.failed.emit(generation, f"search failed: {exc}")
            return
        if generation == self._latest:
            self.finished.emit(generation, result, True)
        else:
            self.cancelled += 1


class Searcher(QObject):
    """The GUI side: submit() returns at once; resultReady carries only the latest result."""

    resultReady = Signal(int, object)
    failed = Signal(int, str)
    _request = Signal(int, str, object, object, object)

    def __init__(self, db_path: Path, parent: QObject | None = None,
                 userdata_path: Path | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self.dropped = 0  # replies that arrived after a newer request was made
        self._answered = 0  # the generation last answered (result or failure)
        self._thread = QThread()
        self._thread.setObjectName("paperdesk-search")
        self._worker = SearchWorker(db_path, userdata_path)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._thread.start()

    @property
    def worker(self) -> SearchWorker:
        return self._worker

    def submit(self, text: str, scope: Any, sort: tuple[str, bool] | None,
               limit: int | None = None) -> int:
        """Queue a search; every earlier one becomes stale. Returns its generation."""
        self.generation += 1
        self._worker.supersede(self.generation)
        self._request.emit(self.generation, text, scope, sort, limit)
        return self.generation

    @property
    def busy(self) -> bool:
        return self._answered != self.generation

    def _finished(self, generation: int, result: object, last: bool = True) -> None:
        if generation != self.generation:
            self.dropped += 1
            return
        if last:
            self._answered = generation
        self.resultReady.emit(generation, result)
        if not last:
            # Posted at low priority after the views' repaint requests (also low, FIFO):
            # the worker's full search waits for it, so the first answer paints first.
            QCoreApplication.postEvent(self, QEvent(_SHOWN),
                                         int(Qt.EventPriority.LowEventPriority.value))

    def event(self, event: QEvent) -> bool:
        if event.type() == _SHOWN:
            self._worker.shown()
            return True
        return super().event(event)

    def _failed(self, generation: int, message: str) -> None:
        if generation != self.generation:
            self.dropped += 1
            return
        self._answered = generation
        self.failed.emit(generation, message)

    def stop(self) -> None:
        """Abort whatever runs, end the thread and close its connection."""
        if not self._thread.isRunning():
            return
        self._worker.supersede(-1)
        self._thread.quit()
        self._thread.wait()
        self._worker.close()
