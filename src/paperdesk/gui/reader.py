"""Reads for the paper table and the detail pane, off the GUI thread.

The GUI thread never runs an SQL statement while the user types, scrolls or
opens papers. A search's answer arrives with the rows of its first page (the
search worker reads them, see gui/worker.py); rows further down, read when the
table first shows them, the detail pane's content and any other read the window
needs (`read()`: the insights dialogs) come from the Reader: a
QThread with its own read-only store connection and user-data connection (one
connection per thread, as datasette does). The table shows empty cells for the
moment a batch is on its way, then repaints. A pane request that a newer one
has replaced is skipped without touching SQLite, and its answer, were it already
on its way, is dropped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from paperdesk.gui.pane import PaneData, PaneRequest, build_pane
from paperdesk.gui.threads import join_on_destroy
from paperdesk.store import SMALL_CACHE_KIB, PaperRow, Store, StoreError
from paperdesk.userdata import PaperNotes, UserData, UserDataError

T = TypeVar("T")


@dataclass(frozen=True)
class Rows:
    """Papers by rowid, and the user's notes on them (None: no notes to show)."""

    papers: dict[int, PaperRow] = field(default_factory=dict)
    notes: dict[int, PaperNotes | None] | None = None


class Connections:
    """One thread's store and user-data connections, opened on first use."""

    def __init__(self, db_path: Path, userdata_path: Path | None, *,
                 cache_kib: int | None = None) -> None:
        self._db_path = db_path
        self._userdata_path = userdata_path
        self._cache_kib = cache_kib
        self._store: Store | None = None
        self._userdata: UserData | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self._db_path, cache_kib=self._cache_kib)
        return self._store

    @property
    def userdata(self) -> UserData | None:
        """None when there is no notes file or it cannot be read (the window says why)."""
        if self._userdata is None and self._userdata_path is not None:
            with suppress(UserDataError):
                self._userdata = UserData(self._userdata_path)
        return self._userdata

    def rows(self, rids: Sequence[int]) -> Rows:
        papers = self.store.papers(rids)
        userdata = self.userdata
        if userdata is None:
            return Rows(papers)
        try:
            found = userdata.papers([p.id for p in papers.values()])
        except UserDataError:
            return Rows(papers)
        return Rows(papers, {rid: found.get(p.id) for rid, p in papers.items()})

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._userdata is not None:
            self._userdata.close()
            self._userdata = None


class ReaderWorker(QObject):
    """Lives in the reader thread."""

    rowsReady = Signal(object)  # Rows
    paneReady = Signal(int, object)  # generation, PaneData
    called = Signal(int, object)  # token, what the work returned (None: it failed)
    failed = Signal(str)

    def __init__(self, db_path: Path, userdata_path: Path | None) -> None:
        super().__init__()
        self.connections = Connections(db_path, userdata_path, cache_kib=SMALL_CACHE_KIB)
        self.latest_pane = 0  # written by the GUI thread; an int store is atomic

    @Slot(object)
    def rows(self, rids: list[int]) -> None:
        try:
            self.rowsReady.emit(self.connections.rows(rids))
        except (sqlite3.Error, StoreError) as exc:
            self.rowsReady.emit(Rows())
            self.failed.emit(f"Cannot read the store: {exc}")

    @Slot(int, object)
    def call(self, token: int, work: Callable[[Store], object]) -> None:
        try:
            result: object = work(self.connections.store)
        except (sqlite3.Error, StoreError) as exc:
            result = None
            self.failed.emit(f"Cannot read the store: {exc}")
        self.called.emit(token, result)

    @Slot(int, object)
    def pane(self, generation: int, request: PaneRequest) -> None:
        if generation != self.latest_pane:
            self.paneReady.emit(generation, None)  # skipped: only the count goes down
            return
        try:
            data = build_pane(self.connections.store, self.connections.userdata, request)
        except StoreError as exc:
            data = PaneData(request, f"<p>{exc}</p>")
        self.paneReady.emit(generation, data)

    def close(self) -> None:
        self.connections.close()


class Reader(QObject):
    """The GUI side: requests return at once; answers come back as signals."""

    rowsReady = Signal(object)  # Rows
    paneReady = Signal(object)  # PaneData, the latest request's only
    failed = Signal(str)
    _rows = Signal(object)
    _pane = Signal(int, object)
    _call = Signal(int, object)

    def __init__(self, db_path: Path, userdata_path: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = 0  # requests sent and not yet answered
        self._pane_generation = 0
        self._thread = QThread()
        self._thread.setObjectName("paperdesk-reader")
        self._worker = ReaderWorker(db_path, userdata_path)
        self._worker.moveToThread(self._thread)
        self._rows.connect(self._worker.rows)
        self._pane.connect(self._worker.pane)
        self._call.connect(self._worker.call)
        self._worker.called.connect(self._called)
        self._calls: dict[int, Callable[[Any], None]] = {}  # token -> what takes the answer
        self._token = 0
        self._worker.rowsReady.connect(self._rows_ready)
        self._worker.paneReady.connect(self._pane_ready)
        self._worker.failed.connect(self.failed)
        join_on_destroy(self, self._thread)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def request_rows(self, rids: list[int]) -> None:
        self._pending += 1
        self._rows.emit(rids)

    def request_pane(self, request: PaneRequest) -> None:
        self._pane_generation += 1
        self._worker.latest_pane = self._pane_generation
        self._pending += 1
        self._pane.emit(self._pane_generation, request)

    def read(self, work: Callable[[Store], T], done: Callable[[T], None]) -> None:
        """Run `work` on the reader's store connection; `done(result)` on this thread
        (not called when the work failed: `failed` says why)."""
        self._token += 1
        self._calls[self._token] = done
        self._pending += 1
        self._call.emit(self._token, work)

    def _called(self, token: int, result: object) -> None:
        self._pending -= 1
        done = self._calls.pop(token, None)
        if done is not None and result is not None:
            done(result)

    def _rows_ready(self, rows: Rows) -> None:
        self._pending -= 1
        self.rowsReady.emit(rows)

    def _pane_ready(self, generation: int, data: PaneData | None) -> None:
        self._pending -= 1
        if data is not None and generation == self._pane_generation:
            self.paneReady.emit(data)

    def stop(self) -> None:
        """End the thread (what is queued is dropped) and close its connections."""
        if not self._thread.isRunning():
            return
        self._worker.latest_pane = -1
        self._thread.quit()
        self._thread.wait()
        self._worker.close()
