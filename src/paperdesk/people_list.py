"""The author list's reads: profiles and people, filtered, a page at a time.

A million-paper store names some 2,000,000 people. The list shows them most papers
first, then by name; `people_list` holds them in that order with the position as
its rowid (`ord`, 1..n), so that any position is one index seek away (a scrollbar
dragged to the end reads the last page, not every page before it). A filter of
three characters or more is answered by a trigram index over the names (FTS5's
`trigram` tokenizer, which serves `LIKE '%...%'`); a shorter one matches so many
names that walking the list in order finds a page of them at once. Either way the
matching positions come in list order, so the first page is there before the
whole answer is, and the caller can stop reading.

The build and every import rewrite the list (schema.refresh_people_list: the order
depends on every count); schema version 7 fills it for an older store. Callers read
on their own thread's connection (gui/authorlist.py reads off the GUI thread).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

from paperdesk.store import PersonRow, ProfileRow, Store, like_pattern

TRIGRAM = 3  # the shortest filter the trigram index answers
SCAN_RANGE = 100_000  # positions scanned per call after the first page (a short filter)


def people_total(store: Store) -> int:
    row = store.conn.execute("SELECT max(ord) FROM people_list").fetchone()
    return int(row[0] or 0)


def people_matching(store: Store, text: str, first: int) -> Iterator[array[int]]:
    """Positions of the people whose name contains `text`, in list order: the first
    `first` of them, then the rest a range of positions at a time.

    The rest comes as one `group_concat` per range: one SQLite call that scans a range
    with Python's lock released, where fetching row by row would take and give back
    that lock for every row, starving the GUI thread of it (a progress handler on the
    connection still interrupts a long call)."""
    trigram = len(text) >= TRIGRAM and not set(text) & set("%_\\")
    if trigram:  # FTS5 serves LIKE only without ESCAPE, and folds the case of any letter
        source, where, pattern = "people_list_trigram", "name LIKE ?", f"%{text}%"
    else:
        source, where, pattern = "people_list", "name LIKE ? ESCAPE '\\'", like_pattern(text)
    conn = store.conn
    head = array("q", (r[0] for r in conn.execute(
        f"SELECT rowid FROM {source} WHERE {where} LIMIT ?", (pattern, first))))
    yield head
    if len(head) < first:
        return
    low, total = head[-1], people_total(store)
    sql = (f"SELECT group_concat(rowid) FROM {source} WHERE {where}"
           " AND rowid > ? AND rowid <= ?")
    while low < total:
        high = total if trigram else low + SCAN_RANGE
        found = conn.execute(sql, (pattern, low, high)).fetchone()[0]
        if found:
            yield array("q", map(int, found.split(",")))
        low = high


def people_at(store: Store, positions: Iterable[int]) -> dict[int, PersonRow]:
    """People by list position (one JSON array: one prepared statement)."""
    sql = ("SELECT ord, key, name, papers, profile FROM people_list"
           " WHERE ord IN (SELECT value FROM json_each(?))")
    return {r[0]: PersonRow(*r[1:]) for r in store.conn.execute(sql, (_json(positions),))}


def person_position(store: Store, key: str) -> int | None:
    """Where the person `key` stands in the unfiltered list."""
    row = store.conn.execute("SELECT ord FROM people_list WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else None


def profile_ids(store: Store, text: str) -> array[int]:
    """Ids of the profiles whose name (or file name) contains `text`, by name."""
    where = " WHERE coalesce(name, source) LIKE ? ESCAPE '\\'" if text else ""
    sql = f"SELECT id FROM profiles{where} ORDER BY name COLLATE NOCASE, id"
    return array("q", (r[0] for r in store.conn.execute(sql, (like_pattern(text),)
                                                         if text else ())))


def profiles_by_id(store: Store, ids: Iterable[int]) -> dict[int, ProfileRow]:
    return {p.id: p for p in store.profiles_by_id(_json(ids))}


def _json(values: Iterable[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"
