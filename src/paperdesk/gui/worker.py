"""Searches off the GUI thread.

A gui/threads.WorkThread runs a SearchWorker's requests on its own read-only
connection (one connection per worker thread, as datasette does). Submitting a
request cancels the one before (its `Cancel`, see gui/threads.py): SQLite's
progress handler notices the running query is cancelled and aborts it, a queued
cancelled request is skipped without touching SQLite, and a reply to it is
dropped on arrival; the Searcher also drops a reply whose generation number is
not the latest. So the GUI thread never waits on SQLite for a search and never
shows a result for a query the user has already changed.

A request is answered once or twice, and the rows painted first are the final top
rows (the engine's order is exact and does not depend on the limit). The first
answer is the first FIRST_PAGE rows, not counted; when that is not the whole
answer, the second lists up to LISTED rows and counts the matches (exactly up to
paperdesk.search's COUNT_CAP within its time, "more than" beyond): only rows below the first page
and the count are added, nothing shown moves, and no answer is ever an empty
table while there are matches. The second search starts as soon as the first
answer is sent, and reads on from where the first one's scans stopped
(search.ReadOn). (It used to wait for the table to paint the first answer, so as
not to compete with that paint for the GIL: on a busy machine a paint of the table
takes 70-200 ms, which every final answer then waited for; bench/search_bench.py
at 100k, typing: final p50 521 -> 281 ms.) When the final answer comes within
QUICK_FINAL_S of the first page, it is sent alone: one answer, applied and painted
once (a final answer of a few ms otherwise waited for the first page's paint on the
GUI thread). The searcher counts as busy until the last answer.

Each answer carries the rows (and the user's notes on them) of its first
SHIPPED_ROWS papers, read here, so that the GUI thread paints them without a
query of its own (see gui/reader.py for the rows further down); and the highlight
of its words is compiled here (render.term_pattern keeps it), not on the GUI thread,
where it took 0.5-5 ms of each answer.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from paperdesk import categories, db, logs, readings
from paperdesk.gui import damage, render
from paperdesk.gui.reader import Connections, Rows
from paperdesk.gui.threads import Cancel, Job, WorkThread
from paperdesk.search import (
    ReadOn,
    Scope,
    SearchCancelled,
    SearchResult,
    has_phrase,
    search,
)
from paperdesk.search.clock import Clock, cancelling
from paperdesk.store import Store, StoreDamaged, StoreError
from paperdesk.userdata import UserData, UserDataError, attach

log = logging.getLogger(__name__)

PROGRESS_STEPS = 1_000  # SQLite VM steps between staleness checks
FIRST_PAGE = 200  # rows of the first, quick answer
# Rows listed by the final answer at most: scrolling past them asks for a narrower
# query ("more than 10,000 papers (showing the first 1,000)"). Listing 100,000 rows
# of a common word costs 150-250 ms at a million papers, 10,000 still 130-450 ms
# (bench/search_bench.py at 100k on a busy machine); 1,000 fits the 150 ms goal.
LISTED = 1_000
SHIPPED_ROWS = FIRST_PAGE  # rows read for the GUI with each answer
# The final answer is tried for this long right after the first page: when it comes
# in time (most keystrokes at 1M), it is the only answer, so the window applies and
# paints once, and its final answer is its first paint. Else the first page is sent
# and the final answer follows (what the attempt read is read on from, ReadOn).
# Without it, a final answer that took 5 ms still waited for the first page's paint
# (30-110 ms on the GUI thread) before it could be applied. Not tried for a phrase
# (search.has_phrase): FTS5 reads one in steps that the deadline cannot cut, and the
# first page would wait for the whole final search.
QUICK_FINAL_S = 0.025


@dataclass(frozen=True)
class Answer:
    """A search result and the rows of its first papers."""

    result: SearchResult
    rows: Rows
    final: bool = True  # False: the first page, whose count is still to come
    scope: Scope = field(default_factory=Scope)  # the scope searched
    name: str | None = None  # its profile's or person's name (None: gone, or neither)
    # its profile's choices and field, which read ambiguous category codes
    reading: categories.Reading = field(default_factory=categories.Reading)


def scope_name(store: Store, scope: Scope) -> str | None:
    """The name of the profile or person `scope` is, read here so that the GUI thread
    needs no query to title the window."""
    if scope.kind == "profile" and isinstance(scope.value, int):
        profile = store.profile(scope.value)
        return render.profile_name(profile) if profile is not None else None
    if scope.kind == "person" and isinstance(scope.value, str):
        person = store.person(scope.value)
        return person.name if person is not None else None
    return None


def scope_reading(store: Store, userdata: UserData | None, scope: Scope) -> categories.Reading:
    """How the profile `scope` is reads ambiguous category codes (the user's choices
    for it, its field: paperdesk.readings), read here for the table's category column."""
    if scope.kind == "profile" and isinstance(scope.value, int):
        profile = store.profile(scope.value)
        if profile is not None:
            return readings.profile_reading(store, profile, readings.user_choices(userdata))
    return categories.Reading()


class SearchFailed(Exception):
    """A search could not be answered: the message for the user."""


class SearchWorker:
    """The search thread's connections and the work of one request (`run`)."""

    def __init__(self, db_path: Path, userdata_path: Path | None = None) -> None:
        self._userdata_path = userdata_path
        self._connections = Connections(db_path, userdata_path)
        self._attached = False

    def _open(self) -> Store:
        store = self._connections.store
        if not self._attached and self._userdata_path is not None:
            self._attached = True
            # The user's notes, read-only, for is:starred, tag:... (see search.py);
            # if they cannot be read, those filters match nothing.
            with suppress(UserDataError):
                attach(store.conn, self._userdata_path)
        return store

    def _answer(self, conn: sqlite3.Connection, stale: Callable[[], bool],
                result: SearchResult, shipped: set[int], scope: Scope,
                final: bool = True) -> Answer:
        """The result with the rows of its first papers, but those already `shipped`,
        and the scope's name (read on `conn`, which a newer request interrupts)."""
        wanted = [r for r in result.rids[:SHIPPED_ROWS] if r not in shipped]
        shipped.update(wanted)
        # the title column's highlight, compiled here (and kept there)
        render.term_pattern(render.searched(result.highlights, "title"))
        with cancelling(conn, Clock(stale, PROGRESS_STEPS)):
            rows = self._connections.rows(wanted) if wanted else Rows()
            store = self._connections.store
            return Answer(result, rows, final, scope, scope_name(store, scope),
                          scope_reading(store, self._connections.userdata, scope))

    def close(self) -> None:
        self._connections.close()
        self._attached = False

    def run(self, job: Job, text: str, scope: Scope | None, sort: Any,
            limit: int | None) -> Answer:
        """The work of one request, on the search thread: the final Answer; the first
        page, when it is not the whole answer, goes to `job.report` first. Raises
        SearchCancelled (or SQLite's interrupt) when the job is cancelled, StoreDamaged
        when a read met a damaged page of the store (gui/damage.py), SearchFailed with a
        message for the user."""
        try:
            return self._connections.run(
                lambda: self._run(job, text, scope or Scope(), sort, limit))
        except (SearchCancelled, SearchFailed, StoreDamaged):
            raise
        except StoreError as exc:
            raise SearchFailed(str(exc)) from None
        except (sqlite3.Error, ValueError) as exc:
            if db.kind(exc) is db.Kind.INTERRUPTED:
                raise SearchCancelled(text) from None  # reading the rows when a newer came
            raise SearchFailed(f"search failed: {exc}") from None
        except Exception as exc:  # a bug, not the user's doing: said, never "Searching…"
            log.exception("search %r failed", text)
            raise SearchFailed(f"search failed ({type(exc).__name__}); "
                               f"the details are in {logs.log_file()}") from None

    def _run(self, job: Job, text: str, scope: Scope, sort: Any,
             limit: int | None) -> Answer:
        conn = self._open().conn
        stale = job.cancelled
        page = FIRST_PAGE if limit is None else min(limit, FIRST_PAGE)
        listed = None if limit is None else min(limit, LISTED)
        shipped: set[int] = set()
        read_on = ReadOn()  # the final answer's scans read on from the first page's
        result = search(conn, text, scope, sort=sort, limit=page, count=page == listed,
                        cancelled=stale, every=PROGRESS_STEPS, read_on=read_on)
        if page != listed and result.total is None:
            quick = 0.0 if has_phrase(text) else QUICK_FINAL_S  # not cut at its deadline
            final = _within(quick, stale, lambda cancelled: search(
                conn, text, scope, sort=sort, limit=listed, cancelled=cancelled,
                every=PROGRESS_STEPS, read_on=read_on))
            if final is not None:  # one answer: one paint, nothing added after it
                return self._answer(conn, stale, final, shipped, scope)
            first = self._answer(conn, stale, result, shipped, scope, final=False)
            if stale():
                raise SearchCancelled(text)
            job.report(first)
            result = search(conn, text, scope, sort=sort, limit=listed, cancelled=stale,
                            every=PROGRESS_STEPS, read_on=read_on)
        return self._answer(conn, stale, result, shipped, scope)


def _within(seconds: float, stale: Callable[[], bool],
            work: Callable[[Callable[[], bool]], SearchResult]) -> SearchResult | None:
    """`work(cancelled)` if it ends within `seconds`, else None (it was stopped then);
    SearchCancelled when `stale` (a newer request) stopped it."""
    if seconds <= 0:
        return None
    end = time.perf_counter() + seconds
    try:
        return work(lambda: stale() or time.perf_counter() > end)
    except SearchCancelled:
        if stale():
            raise
        return None


class Searcher(QObject):
    """The GUI side: submit() returns at once; resultReady carries only the latest Answer."""

    resultReady = Signal(int, object)  # generation, Answer
    failed = Signal(int, str)

    def __init__(self, db_path: Path, parent: QObject | None = None,
                 userdata_path: Path | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self.dropped = 0  # replies that arrived after a newer request was made
        self._answered = 0  # the generation last answered (result or failure)
        self._worker = SearchWorker(db_path, userdata_path)
        self._cancel = Cancel()  # the latest request's
        self._thread = WorkThread("search", self, close=self._worker.close)

    @property
    def worker(self) -> SearchWorker:
        return self._worker

    @property
    def cancelled(self) -> int:
        """Requests skipped or aborted as stale."""
        return self._thread.cancelled

    def submit(self, text: str, scope: Any, sort: tuple[str, bool] | None,
               limit: int | None = None) -> int:
        """Queue a search; every earlier one is cancelled. Returns its generation."""
        self.generation += 1
        generation = self.generation
        self._cancel.set()
        self._cancel = self._thread.submit(
            lambda job: self._worker.run(job, text, scope, sort, limit),
            lambda answer: self._finished(generation, answer, True),
            lambda exc: self._failed(generation, exc),
            progress=lambda first: self._finished(generation, first, False))
        return generation

    @property
    def busy(self) -> bool:
        return self._answered != self.generation

    def _finished(self, generation: int, answer: Answer, last: bool = True) -> None:
        if generation != self.generation:
            self.dropped += 1
            return
        if last:
            self._answered = generation
        self.resultReady.emit(generation, answer)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self.generation:
            self.dropped += 1
            return
        self._answered = generation
        damage.said(exc)  # the store page says it too, once
        self.failed.emit(generation, str(exc))

    def stop(self) -> None:
        """Cancel whatever runs, end the thread and close its connection."""
        self._cancel.set()
        self._thread.stop()
