"""The store's `name_blocks`: every name key under its cheap blocking keys.

A block is a family name's folded core and the first initial of the given name
(paperdesk.identity.forms): the candidates of a name are the other names of its
blocks, found through the table's primary key, never by a scan of the people.
Written at the end of a build (from `people`, before any decision is applied)
and by an import for the names it adds. A key whose last paper left stays: a
candidate is only ever shown with papers (paperdesk.identity.evidence).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from paperdesk.identity.forms import blocks

CREATE = """CREATE TABLE IF NOT EXISTS name_blocks (
    block TEXT NOT NULL,                    -- family core | first initial
    key   TEXT NOT NULL,                    -- records.person_key of the name
    name  TEXT NOT NULL,                    -- a written form of it
    PRIMARY KEY (block, key)
) WITHOUT ROWID"""

_BATCH = 20_000


def add(conn: sqlite3.Connection, names: Iterable[tuple[str, str]]) -> int:
    """Put each (key, written name) under its blocks; returns rows written."""
    rows: list[tuple[str, str, str]] = []
    written = 0
    for key, name in names:
        rows.extend((block, key, name) for block in blocks(name))
        if len(rows) >= _BATCH:
            written += _insert(conn, rows)
    return written + _insert(conn, rows)


def _insert(conn: sqlite3.Connection, rows: list[tuple[str, str, str]]) -> int:
    conn.executemany("INSERT OR IGNORE INTO name_blocks VALUES (?, ?, ?)", rows)
    count = len(rows)
    rows.clear()
    return count


def fill(conn: sqlite3.Connection) -> int:
    """Every person of a store whose decisions are not applied yet (a build, an upgrade)."""
    conn.execute("DELETE FROM name_blocks")
    return add(conn, conn.execute("SELECT key, name FROM people"))
