"""A build's full-text indexes and vocabulary, made beside the rest of its end.

At the end of a build (`writer.Writer`'s bulk mode) the papers wait in the stage
file, and two things remain that need nothing of each other: the papers' table, its
indexes, the people and the author list on one side; both full-text indexes
(`papers_fts`, `titles_fts`) and the vocabulary, which read only the papers' text,
on the other. So a second process (`Side`) fills the indexes into a file of its own,
from the stage, while the writer does the rest; the writer then copies their rows in
(`copy_into`: FTS5 keeps an index in ordinary shadow tables, `%_data`, `%_idx`,
`%_docsize`, and those rows are the index). On two cores the end takes the longer
of the two halves instead of their sum. `start` chooses where, on two cores or more:
a large fill (SIDE_FROM papers) in a spawned process, whose start (Python and its
imports, about 0.3 s) is small beside it; forked, it would hold the writer's pages,
shared until written but counted twice in the processes' summed RSS, which is how
issue 12's 400 MB is read (a 100,000-paper build's end: 316 MB forked against 277 MB
spawned; PSS 268 against 261 MB). A smaller fill in a process forked from the
writer's when that runs no other thread (page_pool.start_method: a few milliseconds to
start), else, or on one core, in a thread of the writer's own process (`InThread`),
through the same copy. A thread's SQL runs beside the writer's, but its Python (the
vocabulary's ranking) and the writer's (the name blocks, the author list's functions)
take turns on the GIL: for the real sample's 7,762 papers the end took 1.5-1.6 s in a
thread, 1.3-1.35 s in a forked process, with 8,600 voluntary context switches against
1,100.

Filling: in rowid order (FTS5 writes its pending terms out as a new segment whenever
a rowid is lower than the one before) with automerge off, so that every 16 MiB of
pending terms (`hashsize`; FTS5's default is 1 MiB) becomes a segment that is never
merged while filling, then one 'optimize' merges them all at once into one segment.
FTS5's default (merging as segments pile up, level by level) rewrote the same
postings again and again: 24.8 s CPU for 300,000 papers against 19.0 s this way, and
more than linear in the papers. The pending terms of a few thousand papers (the real
sample's 7,762) fit in one segment, which 'optimize' leaves as it is: at 1 MiB they
were 11 segments, read and written again, 1.6 G of the build's 18.6 G instructions.
Each index's own settings (`%_config`) are not copied: the store keeps FTS5's
defaults for what imports add later.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from paperdesk import db, page_pool, schema

INDEXES = ("papers_fts", "titles_fts")
VOCABULARY = ("vocab", "vocab_top")
# Pending terms written out as a segment at this many bytes (FTS5's `hashsize`).
_PENDING = 16 << 20
# FTS5 allows at most 2000 segments in all; with automerge off, a level that reaches
# 'crisismerge' segments is still merged. 16 MiB of pending terms a segment: a million
# papers make about 100, far from a crisis.
_CRISIS = 1900
# This many staged papers or more (on two cores or more): the indexes are filled in a
# spawned process; fewer, in a forked one or a thread (`start`).
SIDE_FROM = 20_000
# A thread's fill looks whether it was stopped every this many SQLite instructions.
_POLL = 100_000

_COLUMNS = {"papers_fts": "title, authors, affiliations, abstract", "titles_fts": "title"}


def declarations(conn: sqlite3.Connection) -> list[str]:
    """The store's own CREATE statements of the full-text indexes and the vocabulary
    tables, so that the side file's are exactly the same."""
    names = (*INDEXES, *VOCABULARY)
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN"
                        f" ({','.join('?' * len(names))})", names).fetchall()
    found = dict(rows)
    return [found[name] for name in names]


def fill(stage: Path, side: Path, created: list[str],
         stopped: threading.Event | None = None) -> None:
    """Into a new file `side`: the indexes and the vocabulary declared by `created`, of
    the papers staged in `stage` (table paper_rows), under their rowids. Once `stopped`
    is set, the statement running ends (sqlite3.OperationalError, "interrupted")."""
    side.unlink(missing_ok=True)
    conn = db.connect(side, readonly=False, create=True, autocommit=True)
    if stopped is not None:
        conn.set_progress_handler(stopped.is_set, _POLL)
    try:
        # 16 MiB of page cache: the fill reads the stage in order and appends segments,
        # so a larger cache buys no time; at 1M papers 64 MiB made this process 164 MB
        # beside the writer's 236 MB at the build's end (issue 12: under 400 MB at once).
        for pragma in (f"page_size = {db.SCRATCH_PAGE}", "journal_mode = OFF",
                       "synchronous = OFF", "cache_size = -16384"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("ATTACH ? AS stage", (str(stage),))
        # DEFERRED: only a read lock on the stage, which the writer reads at once
        with db.transaction(conn, "DEFERRED"):
            for statement in created:
                conn.execute(statement)
            for index in INDEXES:
                _setting(conn, index, "automerge", 0)
                _setting(conn, index, "crisismerge", _CRISIS)
                _setting(conn, index, "hashsize", _PENDING)
                conn.execute(f"INSERT INTO {index} (rowid, {_COLUMNS[index]})"
                             f" SELECT rid, {_COLUMNS[index]} FROM stage.paper_rows"
                             " ORDER BY rid")
                conn.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")
            schema.refresh_vocab(conn)
        conn.execute("DETACH stage")
    finally:
        conn.close()


def _setting(conn: sqlite3.Connection, index: str, name: str, value: int) -> None:
    conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES (?, ?)", (name, value))


def copy_into(conn: sqlite3.Connection, side: str) -> list[str]:
    """The indexes' rows and the vocabulary from the attached database `side` into the
    store's own (empty) tables; the tables copied."""
    shadows = [r[0] for r in conn.execute(
        f"SELECT name FROM {side}.sqlite_master WHERE type = 'table' AND name NOT LIKE"
        " '%\\_config' ESCAPE '\\' AND (name LIKE 'papers\\_fts\\_%' ESCAPE '\\'"
        " OR name LIKE 'titles\\_fts\\_%' ESCAPE '\\') ORDER BY name")]
    for table in [*shadows, *VOCABULARY]:
        conn.execute(f"DELETE FROM main.{table}")
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM {side}.{table}")
    return [*shadows, *VOCABULARY]


def start(staged: int, stage: Path, side: Path, created: list[str]) -> Side | InThread:
    """`fill` of `staged` papers started where it costs least (see the module doc);
    `wait` for it, `close` it whatever happened."""
    if page_pool.cores() < 2:
        return InThread(stage, side, created)
    if staged >= SIDE_FROM:
        return Side("spawn", stage, side, created)
    if page_pool.start_method() == "fork":
        return Side("fork", stage, side, created)
    return InThread(stage, side, created)


class InThread:
    """`fill` running in a thread of the writer's process; `close` stops it (its
    statement ends within `_POLL` SQLite instructions) and waits for it."""

    def __init__(self, stage: Path, side: Path, created: list[str]) -> None:
        self._failure: BaseException | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(stage, side, created),
                                        name="paperdesk-fulltext", daemon=True)
        self._thread.start()

    def _run(self, stage: Path, side: Path, created: list[str]) -> None:
        try:
            fill(stage, side, created, self._stopped)
        except BaseException as exc:  # raised again in the build's thread (wait)
            self._failure = exc

    def wait(self) -> None:
        """Until the indexes are filled; sqlite3.Error saying why when they were not,
        and anything else the fill raised as it was."""
        self._thread.join()
        failure, self._failure = self._failure, None
        if isinstance(failure, (sqlite3.Error, OSError)):
            raise sqlite3.OperationalError(f"filling the full-text index: {failure}")
        if failure is not None:
            raise failure

    def close(self) -> None:
        self._stopped.set()
        self._thread.join()


class Side:
    """`fill` running in a process of its own, started by `method` (multiprocessing's
    "fork" or "spawn"); it dies with this one, and `close` ends it when the build
    stops first. Forked, it never touches the writer's connection: it opens the stage
    and its own file anew."""

    def __init__(self, method: str, *args: object) -> None:
        context = (multiprocessing.get_context("fork") if method == "fork"
                   else multiprocessing.get_context("spawn"))
        self._answer, answer = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(answer, *args),
                                        name="paperdesk-fulltext", daemon=True)
        self._process.start()
        answer.close()

    def wait(self) -> None:
        """Until the indexes are filled; sqlite3.Error saying why when they were not."""
        try:
            failure = self._answer.recv()
        except EOFError:
            failure = f"the full-text process ended ({self._process.exitcode})"
        self._process.join()
        if failure is not None:
            raise sqlite3.OperationalError(f"filling the full-text index: {failure}")

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._answer.close()


def _run(answer: Connection, *args: Any) -> None:
    page_pool._die_with_parent()
    try:
        fill(*args)
    except (sqlite3.Error, OSError) as exc:
        answer.send(str(exc))
    else:
        answer.send(None)
