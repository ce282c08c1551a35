"""One way to open PaperDesk's SQLite files, and SQLite's errors told apart by code.

The store and the user data are both opened with `connect`. A process killed in
the middle of a write (or a write that met a full disk) leaves a *hot journal*
beside the file: the pages as they were before the write. Any read-write
connection rolls it back on its first read, restoring the file exactly; a
read-only connection cannot, and fails with SQLITE_READONLY_ROLLBACK. So
`connect` first lets `recover` open the file read-write once whenever a journal
is there. A file and its journal belong together: `copy` copies both, and
`replace` replaces a file only under its write lock, so that no journal of the
old file can ever be played back onto the new one.

Errors are classified by SQLite's result code (`exc.sqlite_errorcode`), never by
their text: see `kind`.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 5.0  # seconds a connection waits for another process's lock
# The page size of a build's scratch files (the stage, the full-text side file): each is
# written once and read through in order, by another process too, so each page is a
# system call; at 64 KiB (SQLite's largest) the real pages' build makes 1,030 of them
# where 4 KiB pages made 20,980. The store keeps SQLite's 4 KiB: the app reads it at
# random.
SCRATCH_PAGE = 65536
_SIDE_FILES = ("-journal", "-wal", "-shm")


class Kind(enum.Enum):
    """What went wrong, as far as the user is concerned."""

    BUSY = "busy"                # another connection holds a lock: wait, never rebuild
    FULL = "full"                # the disk is full
    READONLY = "readonly"        # the file or folder cannot be written
    DAMAGED = "damaged"          # not a database, or a corrupt one
    CANTOPEN = "cantopen"        # missing, a folder, no permission
    INTERRUPTED = "interrupted"  # stopped on purpose (progress handler, interrupt())
    OTHER = "other"


_KINDS = {
    sqlite3.SQLITE_BUSY: Kind.BUSY, sqlite3.SQLITE_LOCKED: Kind.BUSY,
    sqlite3.SQLITE_FULL: Kind.FULL,
    sqlite3.SQLITE_READONLY: Kind.READONLY, sqlite3.SQLITE_PERM: Kind.READONLY,
    sqlite3.SQLITE_CORRUPT: Kind.DAMAGED, sqlite3.SQLITE_NOTADB: Kind.DAMAGED,
    sqlite3.SQLITE_CANTOPEN: Kind.CANTOPEN,
    sqlite3.SQLITE_INTERRUPT: Kind.INTERRUPTED,
}


def change_counter(path: Path) -> int:
    """The file change counter of a database in rollback-journal mode (the header's
    bytes 24-27): one more for every transaction that wrote to it, whoever wrote.
    0 when the file cannot be read."""
    try:
        with path.open("rb") as handle:
            handle.seek(24)
            return int.from_bytes(handle.read(4), "big")
    except OSError:
        return 0


def kind(exc: BaseException) -> Kind:
    """The kind of an sqlite3 error, from its primary result code."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return Kind.OTHER
    return _KINDS.get(code & 0xFF, Kind.OTHER)


def why(exc: BaseException) -> str:
    """A short reason for the user, by kind; SQLite's own text for the rest."""
    return {
        Kind.BUSY: "another PaperDesk or program is using it",
        Kind.FULL: "the disk is full",
        Kind.READONLY: "it cannot be written (read-only file or folder)",
        Kind.DAMAGED: f"the file is damaged or not an SQLite database ({exc})",
        Kind.CANTOPEN: "it cannot be opened (a folder, a missing folder, or no permission)",
        Kind.INTERRUPTED: "stopped",
    }.get(kind(exc), str(exc))


def journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def companions(path: Path) -> list[Path]:
    """The journal and WAL files that exist beside `path`."""
    return [p for p in (path.with_name(path.name + s) for s in _SIDE_FILES) if p.exists()]


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def recover(path: Path, timeout: float = BUSY_TIMEOUT) -> bool:
    """Roll back a hot journal left by a killed or failed write; True when none is left.

    A journal another connection is still writing is not hot: then the lock makes
    this wait up to `timeout`, and a busy answer leaves everything as it is."""
    if not journal(path).exists():
        return True
    try:
        conn = sqlite3.connect(_uri(path, "rw"), uri=True, timeout=timeout)
    except sqlite3.Error as exc:
        log.warning("%s: cannot open read-write to roll back its journal: %s", path, exc)
        return False
    try:
        conn.execute("PRAGMA user_version").fetchone()  # the first read plays a hot journal back
    except sqlite3.Error as exc:
        log.warning("%s: journal not rolled back: %s", path, exc)
        return False
    finally:
        conn.close()
    recovered = not journal(path).exists()
    if recovered:
        log.info("%s: rolled back the journal an interrupted write left", path)
    return recovered


def connect(path: Path, *, readonly: bool = True, create: bool = False,
            autocommit: bool = False, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """A connection to the SQLite file at `path`, after rolling back a hot journal.

    `readonly`: mode=ro (nothing this connection does can change the file);
    `create`: make the file when missing; `autocommit`: no implicit transactions
    (the caller writes its transactions with `transaction`). Raises sqlite3.Error
    (see `kind`)."""
    recover(path, timeout)
    mode = "ro" if readonly else ("rwc" if create else "rw")
    conn = sqlite3.connect(_uri(path, mode), uri=True, timeout=timeout,
                           isolation_level=None if autocommit else "DEFERRED",
                           check_same_thread=False)
    return conn


def sound(path: Path) -> bool:
    """False when SQLite's quick_check finds the file at `path` damaged (read-only, on a
    connection of its own); a file that is missing, busy or unreadable for another
    reason is not said to be damaged."""
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT)
        try:
            return [row[0] for row in conn.execute("PRAGMA quick_check(1)")] == ["ok"]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return kind(exc) is not Kind.DAMAGED


def tables(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over an open connection: what the code uses to create and look at
    tables, indexes and the full-text index. Its writes join a transaction under way
    (sqlite-utils 4 runs scripts statement by statement inside one, and nests its own
    as savepoints); no plugin runs on our connection, no pragma is changed.

    Imported here, when first asked: sqlite-utils loads click, dateutil and pluggy
    (0.26 G instructions, about 0.1 s), which a build pays while its parsing processes
    already run (page_pool.Parsing) and a command that only reads a store never pays."""
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


@contextmanager
def transaction(conn: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    """BEGIN `mode` ... COMMIT on a connection that leaves transactions to its caller
    (`connect(autocommit=True)`, or isolation_level None): the one way PaperDesk
    writes a transaction. Whatever is raised inside, or by the COMMIT, rolls it back
    and is raised again."""
    conn.execute(f"BEGIN {mode}")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back whatever is under way; when even that fails (the disk went away),
    the journal stays hot and the next open of the file rolls it back (`recover`)."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        log.warning("rollback failed, the journal will be rolled back on next open: %s", exc)


def copy(source: Path, target: Path) -> None:
    """Copy a database file together with its journal (and WAL files), so that the
    copy opens as the original would; a stale side file of `target` is removed."""
    for suffix in _SIDE_FILES:
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    for side in companions(source):
        shutil.copyfile(side, target.with_name(target.name + side.name[len(source.name):]))


def replace(new: Path, path: Path, timeout: float = BUSY_TIMEOUT) -> None:
    """Move the finished file `new` onto `path`, under `path`'s exclusive lock.

    Waiting for the lock means no other writer is half-way through a transaction
    (StoreBusy-worthy sqlite3.Error when it does not end within `timeout`); taking it
    rolls back a hot journal first. A journal that is left (the old file was not a
    database at all) belonged to the old file and is removed with it."""
    if not path.exists() or path.is_dir():
        os.replace(new, path)  # a folder: os.replace raises the OSError the user sees
        return
    conn = sqlite3.connect(_uri(path, "rw"), uri=True, timeout=timeout, isolation_level=None)
    try:
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.Error as exc:
            if kind(exc) is not Kind.DAMAGED:
                raise
            log.warning("%s: replacing a file that is not a readable database: %s", path, exc)
        os.replace(new, path)
        for side in _SIDE_FILES:
            path.with_name(path.name + side).unlink(missing_ok=True)
    finally:
        conn.close()
