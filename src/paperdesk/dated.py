"""Rowids that follow the date: a paper's rowid (`papers.rid`, also its full-text
rowid) is its date's day number shifted left SEQ_BITS, plus its place among the
papers of that day (the order they were stored in).

So walking the full-text index in descending rowid order *is* "newest first"
(`ORDER BY date DESC, rid DESC`), exactly, over every match: the search reads the
first page of a relevance tier off the index without sorting the whole tier, and
an import keeps the order by giving a paper the next free rowid of its own day,
wherever that is. The build records this in meta (`rid_order` = `date`); a store
built before has rowids in page order, and the search sorts its matches instead.
"""

from __future__ import annotations

import sqlite3

SEQ_BITS = 20  # up to 2**20 papers share one date
META_KEY, META_VALUE = "rid_order", "date"


def day(date: str) -> int:
    """`yyyy-mm-dd` as yyyymmdd: a number that orders as the dates do."""
    return int(date[0:4]) * 10_000 + int(date[5:7]) * 100 + int(date[8:10])


def first_rid(date: str) -> int:
    """The lowest rowid a paper of `date` can have."""
    return day(date) << SEQ_BITS


class DatedRids:
    """Hands out the rowids of a build: per date, one after the other."""

    def __init__(self) -> None:
        self._used: dict[int, int] = {}

    def rid(self, date: str) -> int:
        key = day(date)
        n = self._used.get(key, 0)
        if n >> SEQ_BITS:
            raise ValueError(f"more than {1 << SEQ_BITS:,} papers dated {date}")
        self._used[key] = n + 1
        return (key << SEQ_BITS) | n


def next_rid(conn: sqlite3.Connection, date: str) -> int:
    """The rowid for one more paper of `date` in a built store (an import): after the
    papers of that date already stored. One lookup in the rowid B-tree."""
    low = first_rid(date)
    high = low + (1 << SEQ_BITS)
    top = conn.execute("SELECT max(rid) FROM papers WHERE rid >= ? AND rid < ?",
                       (low, high)).fetchone()[0]
    if top is not None and top + 1 >= high:
        raise ValueError(f"more than {1 << SEQ_BITS:,} papers dated {date}")
    return low if top is None else int(top) + 1


def follows_dates(conn: sqlite3.Connection) -> bool:
    """Whether this store's rowids follow the date (see the module doc)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None and row[0] == META_VALUE
