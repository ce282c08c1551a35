"""The one way the window runs work off the GUI thread.

A `WorkThread` owns a QThread and runs the work given to `submit()` there, one at
a time, in the order asked. Each submission has a `Cancel`, the one way to cancel:
the GUI thread sets it, the work asks it (`job.cancelled()`, between steps or from
SQLite's progress handler: `paperdesk.search` takes it as `cancelled=`). Work
whose Cancel is set before it starts is skipped without running, and what a
cancelled work returns, reports or raises is dropped on arrival: a stale answer
never reaches the window (a Task asks for its cancelled outcome with
`keep_cancelled`: a cancelled import still ends its dialog). Answers come back on
the GUI thread as calls of the `done`, `failed` and `progress` callables given.

Qt aborts the process when a QThread is destroyed while it runs. The owner ends
the thread with `stop()` (every window closes on quit, see app.py); were the
WorkThread destroyed without that, `join_on_destroy` still cancels its work and
ends the thread first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class Cancel:
    """One submission's cancellation: set on the GUI thread, asked by the work (call it)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


class Job:
    """What a work is given: `cancelled()` and `report(value)` (to `progress`, on the GUI
    thread)."""

    def __init__(self, cancelled: Cancel, report: Callable[[object], None]) -> None:
        self.cancelled = cancelled
        self.report = report


@dataclass
class _Submission:
    work: Callable[[Job], Any]
    done: Callable[[Any], object] | None
    failed: Callable[[Exception], object] | None
    progress: Callable[[Any], object] | None
    cancel: Cancel
    keep_cancelled: bool


class _Runner(QObject):
    """Lives on the thread; runs one submission at a time."""

    reported = Signal(int, object)  # token, value
    ended = Signal(int, object, object)  # token, result, the exception raised (or None)

    @Slot(int, object)
    def run(self, token: int, submission: _Submission) -> None:
        if submission.cancel() and not submission.keep_cancelled:
            self.ended.emit(token, None, None)  # skipped, never run
            return
        job = Job(submission.cancel, lambda value: self.reported.emit(token, value))
        try:
            result = submission.work(job)
        except Exception as exc:  # handed to `failed` on the GUI thread
            self.ended.emit(token, None, exc)
            return
        self.ended.emit(token, result, None)

    @Slot()
    def finish(self) -> None:
        """Queued behind every submission: they all end before the thread does."""
        self.thread().quit()


class WorkThread(QObject):
    """A thread for one owner's work; see the module docstring."""

    _run = Signal(int, object)
    _finish = Signal()

    def __init__(self, name: str, parent: QObject | None = None, *,
                 close: Callable[[], None] | None = None) -> None:
        """`close()` runs once the thread has ended (its connections)."""
        super().__init__(parent)
        self._close = close
        self._token = 0
        self.cancelled = 0  # submissions skipped, or whose answer was dropped, as cancelled
        self._submissions: dict[int, _Submission] = {}
        self._thread = QThread()
        self._thread.setObjectName(f"paperdesk-{name}")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._run.connect(self._runner.run)
        self._finish.connect(self._runner.finish)
        self._runner.reported.connect(self._reported)
        self._runner.ended.connect(self._ended)
        join_on_destroy(self, self._thread, partial(cancel_each, self._submissions))
        start_behind_the_gui(self._thread)

    @property
    def busy(self) -> bool:
        """Work submitted whose answer has not come back yet."""
        return bool(self._submissions)

    def submit(self, work: Callable[[Job], T], done: Callable[[T], object] | None = None,
               failed: Callable[[Exception], object] | None = None, *,
               progress: Callable[[Any], object] | None = None, cancel: Cancel | None = None,
               keep_cancelled: bool = False) -> Cancel:
        """Run `work(job)` on the thread; its Cancel is returned (or `cancel`, shared)."""
        self._token += 1
        submission = _Submission(work, done, failed, progress, cancel or Cancel(),
                                 keep_cancelled)
        self._submissions[self._token] = submission
        self._run.emit(self._token, submission)
        return submission.cancel

    def cancel_all(self) -> None:
        cancel_each(self._submissions)

    def _live(self, token: int) -> _Submission | None:
        submission = self._submissions.get(token)
        if submission is None or (submission.cancel() and not submission.keep_cancelled):
            return None
        return submission

    def _reported(self, token: int, value: object) -> None:
        submission = self._live(token)
        if submission is not None and submission.progress is not None:
            submission.progress(value)

    def _ended(self, token: int, result: object, error: Exception | None) -> None:
        submission = self._live(token)
        if self._submissions.pop(token, None) is not None and submission is None:
            self.cancelled += 1
        if submission is None:
            return
        if error is None:
            if submission.done is not None:
                submission.done(result)
        elif submission.failed is not None:
            submission.failed(error)
        else:
            log.error("work on a thread failed", exc_info=error)

    def stop(self, *, finish: bool = False) -> None:
        """End the thread and close what it holds. `finish`: what was submitted runs
        first (the user's writes); else it is cancelled. Answers still on their way
        are dropped."""
        if not self._thread.isRunning():
            return
        if not finish:
            self.cancel_all()
        self._finish.emit()
        self._thread.wait()
        self._submissions.clear()
        if self._close is not None:
            self._close()


# Nice steps a work thread stands behind the GUI thread in the scheduler (Linux).
BEHIND_GUI = 5


def start_behind_the_gui(thread: QThread) -> None:
    """Start `thread` a few nice steps behind the GUI thread (each Linux thread has its
    own nice value; elsewhere this is a plain start).

    The GUI thread needs a core for a few milliseconds at a time, to take an answer and
    paint it, just when the search and reader threads are busy with the next answer:
    three threads of one process on a 2-core machine. At equal priority it waited its
    turn: traced at a million papers (bench/search_bench.py typing, the thread's own
    /proc schedstat), 10-30 ms of a 25-37 ms stall were spent runnable, waiting for a
    core. Behind it, the work threads still get every core the GUI thread leaves idle."""
    thread.started.connect(_lower_priority, Qt.ConnectionType.DirectConnection)
    thread.start()


def _lower_priority() -> None:
    """Run on the new thread itself (`started` is emitted there)."""
    if not sys.platform.startswith("linux"):  # elsewhere a thread id is no process id
        return
    with contextlib.suppress(OSError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + BEHIND_GUI)


def cancel_each(submissions: dict[int, _Submission]) -> None:
    for submission in submissions.values():
        submission.cancel.set()


def join_on_destroy(owner: QObject, thread: QThread,
                    interrupt: Callable[[], None] | None = None) -> None:
    """When `owner` is destroyed, run `interrupt` (to cancel long work), then end `thread`.

    The handler holds the thread and the interrupt, never the owner, so that it can
    run while the owner is being destroyed."""

    def join(_: object = None) -> None:
        if shiboken6.isValid(thread) and thread.isRunning():
            if interrupt is not None:
                interrupt()
            thread.quit()
            thread.wait()

    owner.destroyed.connect(join)
