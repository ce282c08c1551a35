"""When a search must stop: the caller's cancelling, and the first answer's deadline.

Cancelling is an argument of `search` (`cancelled`, a callable polled every `every`
SQLite VM steps on the searching thread): the Clock carries it to every plan, and
`deadlines` installs one progress handler that watches both it and the deadline.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# SQLite VM steps between two looks at the deadline.
DEADLINE_STEPS = 1_000
# SQLite VM steps between two looks at `cancelled` when no deadline runs.
CANCEL_STEPS = 10_000


class SearchCancelled(Exception):
    """The search was interrupted (its `cancelled()` became true) before it finished."""


class OutOfTime(Exception):
    """The first answer's budget ran out before the plan finished."""


def never() -> bool:
    return False


@dataclass
class Clock:
    """When the running plan must stop (None: never), and how to tell a stale search."""

    stale: Callable[[], bool] = never
    every: int = CANCEL_STEPS  # VM steps between two looks at `stale`
    deadline: float | None = None
    count_s: float = 0.0  # counting row by row stops after this long (0: the default)

    def left(self) -> float:
        return math.inf if self.deadline is None else self.deadline - time.perf_counter()

    def over(self) -> bool:
        return self.stale() or (self.deadline is not None and time.perf_counter() > self.deadline)

    def check(self) -> None:
        if self.stale():
            raise SearchCancelled
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise OutOfTime


@contextmanager
def cancelling(conn: sqlite3.Connection, clock: Clock) -> Iterator[None]:
    """Within the block, statements on `conn` stop once `clock.stale()` is true."""
    if clock.stale is never:
        yield
        return
    conn.set_progress_handler(lambda: int(clock.stale()), clock.every)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


@contextmanager
def deadlines(conn: sqlite3.Connection, clock: Clock) -> Iterator[None]:
    """Statements stop at clock.deadline (read at each look, so it may move) or when
    the search is stale; the handler of `cancelling` (if any) is put back after."""
    conn.set_progress_handler(lambda: int(clock.over()), min(clock.every, DEADLINE_STEPS))
    try:
        yield
    finally:
        if clock.stale is never:
            conn.set_progress_handler(None, 0)
        else:
            conn.set_progress_handler(lambda: int(clock.stale()), clock.every)


@contextmanager
def stopping(clock: Clock) -> Iterator[None]:
    """An interrupted statement becomes SearchCancelled (stale) or OutOfTime (deadline)."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if error.sqlite_errorname != "SQLITE_INTERRUPT":
            raise
        if clock.stale():
            raise SearchCancelled from error
        if clock.deadline is not None and time.perf_counter() > clock.deadline:
            raise OutOfTime from error
        raise
