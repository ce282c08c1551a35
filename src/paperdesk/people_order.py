"""The author list's people kept in list order, a few people at a time.

`people_list` holds the people in list order (most papers first, then by name as
the paper table sorts authors, family name first, accents and case folded (`sort`:
records.name_sort, so that Álvaro sorts with the a's, not after Z), then key) under
a sortable integer `ord` (its rowid), so that the list's trigram index (whose rowids
are those ords) answers a filter in list order. The ords are sparse: a full rewrite
(the build, a schema upgrade) puts them GAP apart, and a person whose count or name
changed (an import, a decision, a correction) is taken out and put back between their
new neighbours at the midpoint of the gap, so one change writes a few rows, never the
two million behind it. A gap used up (after some twenty insertions
at one spot) spreads a small window of neighbours evenly again (`_respread`).

A position in the list (its rank, 1..n) is not stored: `people_list_buckets` counts
the rows under each `ord >> BUCKET_SHIFT` (about a thousand after a full rewrite), so
that rank k is found by adding up bucket counts and an OFFSET inside one bucket
(paperdesk/people_list.py reads it that way).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from paperdesk.records import NAME_WORDS_SQL, name_order, name_sort, words_of_order

GAP = 1 << 24  # between neighbours after a full rewrite: 24 halvings at one spot
FORMS = "|"  # between the words of a person's names in people_list.words (see `forms`)
BASE = 1 << 52  # the first ord of a full rewrite: room for 2**28 people before it
BUCKET_SHIFT = 34  # 2**34 / GAP = 1024 rows per bucket after a full rewrite
FULL_SHARE = 20  # more touched people than 1/FULL_SHARE of the list: rewrite it whole
RESPREAD_WINDOW = 16  # neighbours on each side respread first when a gap is used up

# Version 8 made the table (dense ords then); version 10 its buckets and order index;
# version 13 the `sort` column the order reads (names had sorted by SQLite's NOCASE,
# which folds A-Z alone: every accented initial came after Z); version 14 the `words`
# column and the trigram index over it (over `name` before): a filter finds where a
# name's words start, accents and case folded (paperdesk.people_list.people_matching);
# version 15 `sort` as records.name_sort, family name first (records.name_order before).
# The trigram index is filled in `ord` order, not by FTS5's 'rebuild': its unordered
# read of the list may be served by the key index, in key order, and FTS5 took rowids
# out of order at 1.7 G instructions more for the real pages' 13,115 people.
CREATE = """
CREATE TABLE IF NOT EXISTS people_list (
    ord     INTEGER PRIMARY KEY,            -- sorts as the list does; sparse (people_order)
    key     TEXT NOT NULL,                  -- people.key
    name    TEXT NOT NULL,
    sort    TEXT NOT NULL,                  -- records.name_sort(name)
    words   TEXT NOT NULL,                  -- records.name_words of each name: `forms`
    papers  INTEGER NOT NULL,
    profile INTEGER
);
CREATE INDEX IF NOT EXISTS people_list_key ON people_list(key);
CREATE INDEX IF NOT EXISTS people_list_order ON people_list(papers DESC, sort, key);
CREATE TABLE IF NOT EXISTS people_list_buckets (
    bucket INTEGER PRIMARY KEY,             -- ord >> BUCKET_SHIFT
    n      INTEGER NOT NULL                 -- rows of people_list under it
);
CREATE VIRTUAL TABLE IF NOT EXISTS people_list_trigram USING fts5(
    words, content='people_list', content_rowid='ord', tokenize='trigram', detail='none'
)
"""

_FILL = """
DELETE FROM people_list;
DELETE FROM people_list_buckets;
INSERT INTO people_list (ord, key, name, sort, words, papers, profile)
  WITH sorted AS MATERIALIZED (
    SELECT key, name, paperdesk_name_sort(name) AS sort, papers, profile FROM people)
  SELECT :base + (row_number() OVER (ORDER BY papers DESC, sort, key) - 1) * :gap,
         key, name, sort, {words}, papers, profile FROM sorted;
INSERT INTO people_list_buckets (bucket, n)
  SELECT ord >> :shift, count(*) FROM people_list GROUP BY 1;
INSERT INTO people_list_trigram (people_list_trigram) VALUES ('delete-all');
INSERT INTO people_list_trigram (rowid, words) SELECT ord, words FROM people_list ORDER BY ord
""".replace("{words}", NAME_WORDS_SQL.format("paperdesk_name_order(name)"))

# The last row that sorts before (papers, sort, key): first among the same count...
_BEFORE_SAME = """SELECT ord FROM people_list INDEXED BY people_list_order
 WHERE papers = :papers AND sort <= :sort AND (sort < :sort OR key < :key)
 ORDER BY papers DESC, sort DESC, key DESC LIMIT 1"""
# ... else the last row of a higher count.
_BEFORE_MORE = """SELECT ord FROM people_list INDEXED BY people_list_order
 WHERE papers > :papers ORDER BY papers, sort DESC, key DESC LIMIT 1"""
_ROW = "SELECT ord, key, name, sort, words, papers, profile FROM people_list"

Row = tuple[int, str, str, str, str, int, int | None]  # as _ROW reads them


def _statements(script: str) -> list[str]:
    return [s for s in script.split(";\n") if s.strip()]


def create(conn: sqlite3.Connection) -> None:
    for statement in _statements(CREATE):
        conn.execute(statement)


def rewrite(conn: sqlite3.Connection) -> None:
    """The whole list from `people` (the build's bulk path)."""
    create(conn)
    conn.create_function("paperdesk_name_order", 1, name_order, deterministic=True)
    conn.create_function("paperdesk_name_sort", 1, name_sort, deterministic=True)
    spacing = {"base": BASE, "gap": GAP, "shift": BUCKET_SHIFT}
    for statement in _statements(_FILL):
        conn.execute(statement, spacing)


def total(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT total(n) FROM people_list_buckets").fetchone()[0])


def refresh(conn: sqlite3.Connection, keys: Collection[str]) -> None:
    """Put the people `keys` where `people` now says they go (or take them out)."""
    if not keys:
        return
    if len(keys) > max(1000, total(conn) // FULL_SHARE):
        rewrite(conn)  # an import of most of the store: one pass is cheaper
        _reword(conn, keys)
        return
    params = (json.dumps(sorted(keys)),)
    _remove(conn, conn.execute(
        f"{_ROW} WHERE key IN (SELECT value FROM json_each(?))", params).fetchall())
    people = conn.execute("SELECT key, name, papers, profile FROM people"
                          " WHERE key IN (SELECT value FROM json_each(?))", params).fetchall()
    words = forms(conn, {key: name for key, name, _, _ in people})
    for key, name, papers, profile in people:
        sort = name_sort(name)
        _insert(conn, [(_slot(conn, key, sort, papers), key, name, sort, words[key], papers,
                        profile)])


def _reword(conn: sqlite3.Connection, keys: Collection[str]) -> None:
    """The words of those of `keys` whose papers name them otherwise too (`forms`),
    after a rewrite that read the shown names alone."""
    rows = conn.execute(f"{_ROW} WHERE key IN (SELECT value FROM json_each(?))",
                        (json.dumps(sorted(keys)),)).fetchall()
    words = forms(conn, {row[1]: row[2] for row in rows})
    changed = [row for row in rows if words[row[1]] != row[4]]
    _remove(conn, changed)
    _insert(conn, [(*row[:4], words[row[1]], *row[5:]) for row in changed])


def forms(conn: sqlite3.Connection, shown: dict[str, str]) -> dict[str, str]:
    """people_list.words of each person of `shown` (key: the name the list shows): that
    name's words (records.name_words), then, after FORMS, those of each other name
    their papers write them by. Only the user's decisions give a person such names (a
    merged `Qin Qi` beside `Qi Qin`; `Hou Peng` of one renamed `Peng Hou Senior`):
    the names of one key have the same words. So the filter finds a person by every
    name on their papers, as `author:` does."""
    words = {key: words_of_order(name_order(name)) for key, name in shown.items()}
    for person, name in conn.execute(
            "SELECT DISTINCT person, name FROM paper_authors"
            " WHERE person IN (SELECT value FROM json_each(?))", (json.dumps(sorted(shown)),)):
        written = words_of_order(name_order(name))
        if written not in words[person].split(FORMS):
            words[person] += FORMS + written
    return words


def _slot(conn: sqlite3.Connection, key: str, sort: str, papers: int) -> int:
    """A free ord between the rows this person sorts after and before."""
    where = {"papers": papers, "sort": sort, "key": key}
    row = (conn.execute(_BEFORE_SAME, where).fetchone()
           or conn.execute(_BEFORE_MORE, where).fetchone())
    before = None if row is None else int(row[0])
    after_sql = ("SELECT min(ord) FROM people_list" if before is None
                 else "SELECT min(ord) FROM people_list WHERE ord > ?")
    found = conn.execute(after_sql, () if before is None else (before,)).fetchone()[0]
    after = None if found is None else int(found)
    if before is None:
        return BASE if after is None else after - GAP
    if after is None:
        return before + GAP
    if after - before >= 2:
        return (before + after) // 2
    return _respread(conn, before)


def _respread(conn: sqlite3.Connection, before: int) -> int:
    """The gap after `before` is used up: spread the rows of a window around it evenly
    over the ords the window spans (widened until it spans enough), and return the
    free ord left right after `before`'s row."""
    window, step = RESPREAD_WINDOW, 0
    while step < 2:  # ends: a window past the list's ends spans window * GAP beyond them
        low = conn.execute(f"{_ROW} WHERE ord <= ? ORDER BY ord DESC LIMIT ?",
                           (before, window + 1)).fetchall()[::-1]
        high = conn.execute(f"{_ROW} WHERE ord > ? ORDER BY ord LIMIT ?",
                            (before, window + 1)).fetchall()
        # the bounds stay; the rows strictly between them move
        floor = low.pop(0)[0] if len(low) > window else low[0][0] - window * GAP
        ceiling = high.pop()[0] if len(high) > window else high[-1][0] + window * GAP
        moving = [*low, *high]
        step = (ceiling - floor) // (len(moving) + 2)
        window *= 4
    _remove(conn, moving)
    placed = [floor + step * (i + 1 + (i >= len(low))) for i in range(len(moving))]
    _insert(conn, [(o, *row[1:]) for o, row in zip(placed, moving, strict=True)])
    return floor + step * (len(low) + 1)


def _remove(conn: sqlite3.Connection, rows: list[Row]) -> None:
    """Take rows out of the list, its trigram index and its bucket counts."""
    conn.executemany("INSERT INTO people_list_trigram (people_list_trigram, rowid, words)"
                     " VALUES ('delete', ?, ?)", [(r[0], r[4]) for r in rows])
    conn.executemany("DELETE FROM people_list WHERE ord = ?", [(r[0],) for r in rows])
    conn.executemany("UPDATE people_list_buckets SET n = n - 1 WHERE bucket = ?",
                     [(r[0] >> BUCKET_SHIFT,) for r in rows])


def _insert(conn: sqlite3.Connection, rows: list[Row]) -> None:
    conn.executemany("INSERT INTO people_list (ord, key, name, sort, words, papers, profile)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO people_list_trigram (rowid, words) VALUES (?, ?)",
                     [(r[0], r[4]) for r in rows])
    conn.executemany("INSERT INTO people_list_buckets (bucket, n) VALUES (?, 1)"
                     " ON CONFLICT (bucket) DO UPDATE SET n = n + 1",
                     [(r[0] >> BUCKET_SHIFT,) for r in rows])
