"""When a search must stop: the caller's cancelling.

Cancelling is an argument of `search` (`cancelled`, a callable polled every `every`
SQLite VM steps on the searching thread); the Clock carries it, and `cancelling`
installs it as the connection's progress handler for as long as the search runs.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# SQLite VM steps between two looks at `cancelled`, by default.
CANCEL_STEPS = 10_000
# SQLite VM steps between two looks at the clock within a `budget` (a few microseconds).
BUDGET_STEPS = 1_000


class SearchCancelled(Exception):
    """The search was interrupted (its `cancelled()` became true) before it finished."""


def never() -> bool:
    return False


@dataclass(frozen=True)
class Clock:
    """How to tell that the search under way is stale, and how often to ask."""

    stale: Callable[[], bool] = never
    every: int = CANCEL_STEPS  # VM steps between two looks at `stale`


@contextmanager
def cancelling(conn: sqlite3.Connection, clock: Clock) -> Iterator[None]:
    """Within the block, statements on `conn` stop once `clock.stale()` is true
    (sqlite3.OperationalError, SQLITE_INTERRUPT); the handler is removed after."""
    if clock.stale is never:
        yield
        return
    conn.set_progress_handler(lambda: int(clock.stale()), clock.every)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


class OverBudget(Exception):
    """A statement run within `budget` took longer than it was given."""


@contextmanager
def budget(conn: sqlite3.Connection, clock: Clock, seconds: float) -> Iterator[None]:
    """Within the block, a statement on `conn` also stops once `seconds` have passed:
    OverBudget (a stale search still raises SQLITE_INTERRUPT). The clock's own handler
    is put back after."""
    end = time.perf_counter() + seconds
    late = False

    def check() -> int:
        nonlocal late
        late = time.perf_counter() > end
        return int(late or clock.stale())

    conn.set_progress_handler(check, BUDGET_STEPS)
    try:
        yield
    except sqlite3.OperationalError as error:
        if late and error.sqlite_errorname == "SQLITE_INTERRUPT":
            raise OverBudget from error
        raise
    finally:
        if clock.stale is never:
            conn.set_progress_handler(None, 0)
        else:
            conn.set_progress_handler(lambda: int(clock.stale()), clock.every)
