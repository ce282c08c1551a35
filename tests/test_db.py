"""SQLite's errors told apart by their codes, from real errors on real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdesk import db


def _error(action) -> sqlite3.Error:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


def test_kinds_come_from_result_codes(tmp_path: Path, seed_db: Path) -> None:
    holder = sqlite3.connect(seed_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        busy = _error(lambda: db.connect(seed_db, timeout=0.05).execute(
            "SELECT count(*) FROM papers").fetchone())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert db.kind(busy) is db.Kind.BUSY
    assert "another PaperDesk or program" in db.why(busy)

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database, it is a thesis draft\n" * 200)
    damaged = _error(lambda: db.connect(garbage).execute("PRAGMA user_version").fetchone())
    assert db.kind(damaged) is db.Kind.DAMAGED

    folder = tmp_path / "folder"
    folder.mkdir()
    # an I/O error on a folder: never "damaged" (that would advise rebuilding) nor "busy"
    assert db.kind(_error(lambda: db.connect(folder).execute("PRAGMA user_version"))) not in (
        db.Kind.DAMAGED, db.Kind.BUSY)

    readonly = db.connect(seed_db)
    assert db.kind(_error(lambda: readonly.execute("DELETE FROM meta"))) is db.Kind.READONLY
    readonly.close()

    full = db.connect(seed_db, readonly=False, autocommit=True)
    pages = full.execute("PRAGMA page_count").fetchone()[0]
    full.execute(f"PRAGMA max_page_count = {pages}")
    error = _error(lambda: full.execute("INSERT INTO meta VALUES ('big', zeroblob(1000000))"))
    assert db.kind(error) is db.Kind.FULL and db.why(error) == "the disk is full"
    full.close()


def test_text_alone_never_decides(tmp_path: Path) -> None:
    """An error whose message says 'locked' but whose code does not is not BUSY."""
    error = sqlite3.OperationalError("database table is locked? no: a column named locked")
    assert db.kind(error) is db.Kind.OTHER


def test_a_transaction_commits_what_ends_well_and_rolls_back_what_raises(
        tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    conn = db.connect(path, readonly=False, create=True, autocommit=True)
    conn.execute("CREATE TABLE t (x INTEGER)")
    with db.transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(KeyError), db.transaction(conn):
        conn.execute("INSERT INTO t VALUES (2)")
        raise KeyError("stop")
    with pytest.raises(sqlite3.IntegrityError), db.transaction(conn):
        conn.execute("CREATE UNIQUE INDEX one ON t (x)")
        conn.execute("INSERT INTO t VALUES (1)")  # a duplicate: the index goes too
    assert not conn.in_transaction
    conn.close()
    other = sqlite3.connect(path)
    assert other.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert other.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall() == []
    other.close()
