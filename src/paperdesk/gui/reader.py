"""Reads for the paper table and the detail pane, off the GUI thread.

The GUI thread never runs an SQL statement while the user types, scrolls or
opens papers. A search's answer arrives with the rows of its first page (the
search worker reads them, see gui/worker.py); rows further down, read when the
table first shows them, the detail pane's content and any other read the window
needs (`read()`: the insights dialogs) come from the Reader: a
gui/threads.WorkThread with its own read-only store connection and user-data
connection (one connection per thread, as datasette does). The table shows empty
cells for the moment a batch is on its way, then repaints. A pane request that a
newer one has replaced is cancelled: skipped without touching SQLite, and its
answer, were it already on its way, dropped.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from paperdesk.gui import damage
from paperdesk.gui.pane import PaneData, PaneRequest, build_pane
from paperdesk.gui.threads import Cancel, Job, WorkThread
from paperdesk.store import SMALL_CACHE_KIB, PaperRow, Store, StoreDamaged, StoreError, reading
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
        self.db_path = db_path
        self.userdata_path = userdata_path
        self._cache_kib = cache_kib
        self._store: Store | None = None
        self._userdata: UserData | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_path, cache_kib=self._cache_kib)
        return self._store

    @property
    def userdata(self) -> UserData | None:
        """None when there is no notes file or it cannot be read (the window says why)."""
        if self._userdata is None and self.userdata_path is not None:
            with suppress(UserDataError):
                self._userdata = UserData(self.userdata_path)
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

    def run(self, work: Callable[[], T]) -> T:
        """`work()`, whose reads of a damaged store raise StoreDamaged (store.reading)."""
        with reading(self.db_path, self.userdata_path):
            return work()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._userdata is not None:
            self._userdata.close()
            self._userdata = None


class Reader(QObject):
    """The GUI side: requests return at once; answers come back as signals."""

    rowsReady = Signal(object)  # Rows
    paneReady = Signal(object)  # PaneData, the latest request's only
    failed = Signal(str)

    def __init__(self, db_path: Path, userdata_path: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connections = Connections(db_path, userdata_path, cache_kib=SMALL_CACHE_KIB)
        self._pane = Cancel()  # the latest pane request's
        self._thread = WorkThread("reader", self, close=self.connections.close)

    @property
    def busy(self) -> bool:
        return self._thread.busy

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, sqlite3.Error | StoreError):
            raise exc
        if not damage.said(exc):  # else the store page says it
            self.failed.emit(f"Cannot read the store: {exc}")

    def request_rows(self, rids: list[int]) -> None:
        def failed(exc: Exception) -> None:
            self.rowsReady.emit(Rows())  # the model stops waiting for them
            self._failed(exc)
        self._thread.submit(lambda _job: self.connections.run(lambda: self.connections.rows(rids)),
                            self.rowsReady.emit, failed)

    def request_pane(self, request: PaneRequest) -> None:
        """Read what the pane shows; an earlier request still waiting is skipped."""
        self._pane.set()
        self._pane = self._thread.submit(self._build_pane(request), self.paneReady.emit,
                                         self._failed)

    def _build_pane(self, request: PaneRequest) -> Callable[[Job], PaneData]:
        def work(_job: Job) -> PaneData:
            try:
                return self.connections.run(lambda: build_pane(
                    self.connections.store, self.connections.userdata, request))
            except StoreDamaged:
                raise  # the store page says it (`_failed`)
            except StoreError as exc:
                return PaneData(request, f"<p>{html.escape(str(exc))}</p>")
        return work

    def read(self, work: Callable[[Store], T], done: Callable[[T], None]) -> None:
        """Run `work` on the reader's store connection; `done(result)` on this thread
        (not called when the work failed: `failed` says why)."""
        self._thread.submit(lambda _job: self.connections.run(lambda: work(self.connections.store)),
                            done, self._failed)

    def read_noted(self, work: Callable[[Store, UserData | None], T],
                   done: Callable[[T], None]) -> None:
        """`read`, with the reader's user-data connection too (None: no notes file)."""
        self._thread.submit(lambda _job: self.connections.run(
            lambda: work(self.connections.store, self.connections.userdata)), done, self._failed)

    def stop(self) -> None:
        """End the thread (what is queued is dropped) and close its connections."""
        self._thread.stop()
