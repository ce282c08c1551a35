"""The author list's reads: profiles and people, filtered, a page at a time.

A million-paper store names some 2,000,000 people. The list shows them most papers
first, then by name; `people_list` holds them in that order under a sortable, sparse
`ord` (its rowid; paperdesk.people_order keeps it a few people at a time). A person
is addressed two ways: by `ord` (a filter's answer, a person located) and by rank,
the position 1..n in the whole list, which the unfiltered list is paged by: rank k
is found through the per-bucket counts (`people_list_buckets`) and an OFFSET inside
one bucket of about a thousand rows, so a scrollbar dragged to the end reads the
last page, not every page before it. A filter finds the names with a word that starts
with it, accents and case folded (`people_list.words`, records.name_words); one of two
letters or more is answered by a trigram index over those words (FTS5's `trigram`
tokenizer, which serves `LIKE '%...%'`, here `'% wa%'`); a one-letter filter matches so
many names that walking the list in order finds a page of them at once. Either way
the matching ords come in list order, so the first page is there before the whole
answer is, and the caller can stop reading.

Callers read on their own thread's connection (gui/authorlist.py reads off the GUI
thread).
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from weakref import WeakKeyDictionary

from paperdesk.people_order import BUCKET_SHIFT, FORMS, GAP
from paperdesk.records import name_matches, name_pieces, name_sort, name_words
from paperdesk.store import PersonRow, ProfileRow, Store, like_escaped

TRIGRAM = 3  # the shortest filter the trigram index answers
SCAN_RANGE = 100_000  # rows (at a full rewrite's spacing) scanned per call after the first page
_PERSON = ("SELECT l.ord, l.key, l.name, l.papers, l.profile, p.entries"
           " FROM people_list l LEFT JOIN profiles p ON p.id = l.profile")


@dataclass(frozen=True)
class ListedPerson(PersonRow):
    """A person as the list shows them: with the papers their profile page lists."""

    listed: int | None = None  # None: no profile page


@dataclass(frozen=True)
class ListedProfile(ProfileRow):
    """A profile as the list shows it: with the papers naming its owner."""

    named: int | None = None  # None: the owner is named on no paper


def _listed(row: tuple[int, str, str, int, int | None, int | None]) -> ListedPerson:
    return ListedPerson(*row[1:5], listed=row[5])


def people_total(store: Store) -> int:
    row = store.conn.execute("SELECT total(n) FROM people_list_buckets").fetchone()
    return int(row[0] or 0)


WORDS_LIKE = "words LIKE ? ESCAPE '\\'"  # with words_like(name_pieces(text))
_GRAMS = "temp.people_list_grams"  # the trigram index's vocabulary (fts5vocab)
# The people a filter of one-letter words finds: with _initials_match(pieces) and
# words_like(pieces).
_BY_INITIALS = ("people_list_trigram f CROSS JOIN people_list l ON l.ord = f.rowid"
                f" WHERE people_list_trigram MATCH ? AND l.{WORDS_LIKE}")


def words_like(pieces: list[str]) -> str:
    """The WORDS_LIKE pattern of records.name_pieces: each piece in order."""
    return "%" + "%".join(map(like_escaped, pieces)) + "%"


def people_matching(store: Store, text: str, first: int) -> Iterator[array[int]]:
    """Ords of the people whose name's words start with `text`'s words in order
    (records.name_pieces in `people_list.words`), in list order: the first `first` of
    them, then the rest a range of ords at a time.

    A filter with a word of two letters or more (three characters with its leading
    space) is found through the trigram index over `words`; a one-letter one matches
    so many names that walking the list in order finds a page of them at once. The
    rest comes as one `group_concat` per range: one SQLite call that scans a range with
    Python's lock released, where fetching row by row would take and give back that
    lock for every row, starving the GUI thread of it (a progress handler on the
    connection still interrupts a long call); its text is hex, unpacked in C (`_ords`).
    Initials alone (`j l`, `w m l`: few names, none of them near the list's top) are
    found off the trigram index at once (`_initials_match`), where walking the list for
    a page took 0.3-0.8 s at 2,139,700 people."""
    pieces = name_pieces(text)
    conn = store.conn
    if len(pieces) > 1 and _initials_only(pieces):
        match = _initials_match(conn, pieces)
        found = match and conn.execute(
            f"SELECT group_concat(printf('%016x', f.rowid), '') FROM {_BY_INITIALS}",
            (match, words_like(pieces))).fetchone()[0]
        ords = _ords(found) if found else array("q")
        yield ords[:first]
        if len(ords) >= first:
            yield ords[first:]
        return
    source, where, pattern = _filter(pieces)
    trigram = source == "people_list_trigram"
    head = array("q", (r[0] for r in conn.execute(
        f"SELECT rowid FROM {source} WHERE {where} ORDER BY rowid LIMIT ?",  # list order,
        (pattern, first))))  # whatever index SQLite reads the words off
    yield head
    if len(head) < first:
        return
    low = head[-1]
    last = int(conn.execute("SELECT max(ord) FROM people_list").fetchone()[0])
    sql = (f"SELECT group_concat(printf('%016x', rowid), '') FROM {source} WHERE {where}"
           " AND rowid > ? AND rowid <= ?")
    while low < last:
        high = last if trigram else low + SCAN_RANGE * GAP
        found = conn.execute(sql, (pattern, low, high)).fetchone()[0]
        if found:
            yield _ords(found)
        low = high


def _filter(pieces: list[str]) -> tuple[str, str, str]:
    """Where the people whose words hold `pieces` are found: (table, condition, pattern).
    The trigram index when a piece has two letters or more; else the list itself."""
    if (max((len(p.rstrip()) for p in pieces), default=0) >= TRIGRAM
            and not set("".join(pieces)) & set("%_\\")):  # FTS5 serves LIKE only without ESCAPE
        return "people_list_trigram", "words LIKE ?", "%" + "%".join(pieces) + "%"
    return "people_list", WORDS_LIKE, words_like(pieces)


def few_named(conn: sqlite3.Connection, pieces: list[str],
              papers: int) -> tuple[list[str], int] | None:
    """Keys of the people whose name's words hold `pieces` (as `people_matching` finds
    them), in list order, and the papers naming each summed; None as soon as that sum
    passes `papers` (the list's most prolific come first, so a common name stops early)."""
    if _initials_only(pieces):
        match = _initials_match(conn, pieces)
        if match is None:
            return [], 0
        cursor = conn.execute(f"SELECT l.key, l.papers FROM {_BY_INITIALS} ORDER BY f.rowid",
                              (match, words_like(pieces)))
    else:
        source, where, pattern = _filter(pieces)
        cursor = conn.execute(f"SELECT l.key, l.papers FROM {source} f CROSS JOIN people_list l"
                              f" ON l.ord = f.rowid WHERE f.{where} ORDER BY f.rowid", (pattern,))
    keys, named = [], 0
    with contextlib.closing(cursor):
        for key, count in cursor:
            named += count
            if named > papers:
                return None
            keys.append(key)
    return keys, named


def _initials_only(pieces: list[str]) -> bool:
    """Every word of the filter is one letter: no trigram of its own (_initials_match)."""
    return bool(pieces) and all(len(p.rstrip()) < TRIGRAM for p in pieces)


def _initials_match(conn: sqlite3.Connection, pieces: list[str]) -> str | None:
    """An FTS5 query over the trigram index for names with a word starting with each
    one-letter piece (` j`): any of the index's trigrams that begin with it (` ja OR
    ` je` ...), read off its vocabulary, so no name is missed whatever letters follow.
    None when a piece starts no word. The candidates are then held to the order of the
    pieces by WORDS_LIKE. Where the list walked (`author:"j. l`, 110 ms over 438,000
    people: every name tested) this reads the index's few posting lists (10-20 ms)."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_GRAMS} USING"
                 " fts5vocab(main, people_list_trigram, row)")
    groups = []
    for piece in dict.fromkeys(pieces):
        above = piece[:-1] + chr(ord(piece[-1]) + 1)
        grams = [term for (term,) in conn.execute(
            f"SELECT term FROM {_GRAMS} WHERE term >= ? AND term < ?", (piece, above))]
        if not grams:
            return None
        groups.append("(" + " OR ".join('"' + g.replace('"', '""') + '"' for g in grams) + ")")
    return " AND ".join(groups)


def keys_named(conn: sqlite3.Connection, name: str) -> list[str]:
    """Keys of the people whose name reads as `name` does with accents, case and `-.'`
    aside (records.name_words equal: `Dieter Lust` is Dieter Lüst), in list order."""
    words = name_words(name)
    whole = f"instr('{FORMS}' || words || '{FORMS}', ?)"  # any of the person's names
    if len(words) < TRIGRAM or set(words) & set("%_\\"):
        where, params = whole, [FORMS + words + FORMS]
    else:  # the trigram index finds them (FTS5's own `=` would be a MATCH: not on it)
        where = f"ord IN (SELECT rowid FROM people_list_trigram WHERE words LIKE ?) AND {whole}"
        params = [f"%{words}%", FORMS + words + FORMS]
    return [r[0] for r in conn.execute(
        f"SELECT key FROM people_list WHERE {where} ORDER BY ord", params)]


def _ords(packed: str) -> array[int]:
    """Ords from one string of 16 hex digits each (big-endian, positive): two C calls,
    no Python object per ord. Parsing `1,2,3` with int() held Python's lock for tens of
    milliseconds per answer on the list's thread, and the GUI thread waited for it."""
    found = array("q")
    found.frombytes(bytes.fromhex(packed))
    if sys.byteorder == "little":
        found.byteswap()
    return found


class Ranks:
    """Where the list's ranks are: the bucket counts, read once (a few thousand rows)."""

    def __init__(self, store: Store) -> None:
        rows = store.conn.execute(
            "SELECT bucket, n FROM people_list_buckets WHERE n > 0 ORDER BY bucket").fetchall()
        self._buckets = [r[0] for r in rows]
        self._before = [0, *accumulate(r[1] for r in rows)]  # ranks before each bucket
        self._store = store

    @property
    def total(self) -> int:
        return self._before[-1]

    def people(self, first: int, count: int) -> dict[int, ListedPerson]:
        """The people at ranks first..first+count-1 (1-based), by rank."""
        if first < 1 or first > self.total or count < 1:
            return {}
        i = bisect_right(self._before, first - 1) - 1
        sql = f"{_PERSON} WHERE l.ord >= ? ORDER BY l.ord LIMIT ? OFFSET ?"
        rows = self._store.conn.execute(
            sql, (self._buckets[i] << BUCKET_SHIFT, count, first - 1 - self._before[i]))
        return {first + n: _listed(r) for n, r in enumerate(rows)}

    def rank(self, ord_: int) -> int:
        """The rank of the person at `ord_`."""
        i = bisect_right(self._buckets, ord_ >> BUCKET_SHIFT) - 1
        ahead = self._store.conn.execute(
            "SELECT count(*) FROM people_list WHERE ord >= ? AND ord < ?",
            (self._buckets[i] << BUCKET_SHIFT, ord_)).fetchone()[0]
        return self._before[i] + int(ahead) + 1


def people_ranked(store: Store, ranks: Iterable[int]) -> dict[int, ListedPerson]:
    """People by rank (1..n in the whole list), a run of consecutive ranks per read."""
    wanted = sorted(set(ranks))
    found: dict[int, ListedPerson] = {}
    if not wanted:
        return found
    where = Ranks(store)
    start = previous = wanted[0]
    for rank in [*wanted[1:], None]:
        if rank is not None and rank == previous + 1:
            previous = rank
            continue
        found.update(where.people(start, previous - start + 1))
        if rank is not None:
            start = previous = rank
    return found


def rank_of(store: Store, key: str) -> int | None:
    """Where the person `key` stands in the unfiltered list (1..n)."""
    position = person_position(store, key)
    return None if position is None else Ranks(store).rank(position)


def people_at(store: Store, positions: Iterable[int]) -> dict[int, ListedPerson]:
    """People by ord (one JSON array: one prepared statement)."""
    sql = f"{_PERSON} WHERE l.ord IN (SELECT value FROM json_each(?))"
    return {r[0]: _listed(r) for r in store.conn.execute(sql, (_json(positions),))}


def person_position(store: Store, key: str) -> int | None:
    """The person `key`'s ord (its place among a filter's answers)."""
    row = store.conn.execute("SELECT ord FROM people_list WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else None


def profile_ids(store: Store, text: str) -> array[int]:
    """Ids of the profiles whose name (or file name) has a word starting with `text`, as
    people_matching reads it, by name as the people are (records.name_sort: family
    name first)."""
    order = _profile_order(store)
    if not text:
        return array("q", order.ids)  # the caller's own: the order stays as read
    pieces = name_pieces(text)
    return array("q", (i for i, words in zip(order.ids, order.words, strict=True)
                       if name_matches(words, pieces)))


@dataclass(frozen=True)
class _ProfileOrder:
    version: tuple[int, int]  # the connection's data_version and total_changes when read
    ids: array[int]  # every profile, in list order
    words: list[str]  # records.name_words of each one's name (or file name), as `ids`


_ORDERS: WeakKeyDictionary[Store, _ProfileOrder] = WeakKeyDictionary()


def _profile_order(store: Store) -> _ProfileOrder:
    """Every profile in list order, sorted once while the store stays as it is: each
    filter typed sorted them again (30,545 profiles of the 1M
    store: 80-100 ms a keystroke on the list's thread, against 1-5 ms looked up)."""
    version = (int(store.conn.execute("PRAGMA data_version").fetchone()[0]),
               store.conn.total_changes)
    order = _ORDERS.get(store)
    if order is None or order.version != version:
        rows = store.conn.execute("SELECT id, name, source FROM profiles").fetchall()
        rows.sort(key=lambda row: (row[1] is not None, name_sort(row[1] or ""), row[0]))
        order = _ORDERS[store] = _ProfileOrder(
            version, array("q", (row[0] for row in rows)),
            [name_words(row[1] or row[2]) for row in rows])
    return order


def profiles_by_id(store: Store, ids: Iterable[int]) -> dict[int, ListedProfile]:
    """Profiles by id, each with the papers naming its owner."""
    wanted = _json(ids)
    named = dict(store.conn.execute(
        "SELECT pr.id, pe.papers FROM profiles pr JOIN people pe ON pe.key = pr.person"
        " WHERE pr.id IN (SELECT value FROM json_each(?))", (wanted,)).fetchall())
    return {p.id: ListedProfile(**vars(p), named=named.get(p.id))
            for p in store.profiles_by_id(wanted)}


def _json(values: Iterable[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"
