"""The user's decisions about people, written into the store.

Why in the store: every reader (the author list and its counts, a person's papers,
co-authors, insights, the report, reviewers, exports) reads `paper_authors.person`,
`people` and `profiles.person`. Rewriting those few rows when a decision is made,
and again after every build and import, makes all of them follow at once without
any of them knowing about decisions.

A row's own name key is always `records.person_key(paper_authors.name)`, so a row
can be put back as built at any time: applying resets every row whose person is a
key touched by the decisions now or last time (kept in meta `identity_keys`), then
gives it the person the decisions in force say (`decisions.State.person`). The cost
is the rows of the touched names, found through the person index: never a scan.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperdesk import db, store
from paperdesk.identity.decisions import State
from paperdesk.identity.forms import fullest
from paperdesk.records import person_key
from paperdesk.writer import move_counts, people_changed

META_KEY = "identity_keys"

_ROWS = """SELECT pa.paper, pa.position, pa.name, pa.person, p.id
  FROM paper_authors pa JOIN papers p ON p.rid = pa.paper
 WHERE pa.person IN (SELECT value FROM json_each(?))"""


def apply(conn: sqlite3.Connection, now: State) -> int:
    """Make the store say what `now` says (in the caller's transaction); rows changed."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    before = set(json.loads(row[0])) if row and row[0] else set()
    keys = before | now.touched()
    if not keys:
        return 0
    affected = set(keys)
    changes: list[tuple[str, int, int]] = []
    for rid, position, name, person, pid in conn.execute(_ROWS, (json.dumps(sorted(keys)),)):
        want = now.person(person_key(name), pid)
        if want != person:
            changes.append((want, rid, position))
            affected.update((want, person))
    conn.executemany("UPDATE paper_authors SET person = ? WHERE paper = ? AND position = ?",
                     changes)
    owners = [(now.person(person_key(name)), pid) for pid, name in conn.execute(
        "SELECT id, name FROM profiles WHERE name IS NOT NULL AND person IN"
        " (SELECT value FROM json_each(?))", (json.dumps(sorted(keys)),))]
    conn.executemany("UPDATE profiles SET person = ? WHERE id = ?", owners)
    affected.update(owner for owner, _ in owners)
    shown = {**_merged_names(conn, now), **now.names}  # a user's Rename over all
    moved = people_changed(conn, affected, shown=shown)  # the author list follows
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                 (META_KEY, json.dumps(sorted(now.touched()))))
    move_counts(conn, {"people": moved})  # no count(*) over two million people
    return len(changes)


def _merged_names(conn: sqlite3.Connection, now: State) -> dict[str, str]:
    """The name of each person a merge made of several name keys: the fullest of its
    written forms (`forms.fullest`: `David Tskhakaya` over `D. Tskhakaya`, whichever
    more papers write), the merge having told that they are one person. A person of
    one name key keeps the form most papers write (the build's and `recount_people`'s
    rule, which `fullest` gives too); the rows read are the merged people's own."""
    written: dict[str, list[tuple[str, int]]] = {}
    people = set(now.owner.values()) | set(now.moved.values())
    for person, name, count in conn.execute(
            "SELECT person, name, count(*) FROM paper_authors WHERE person IN"
            " (SELECT value FROM json_each(?)) GROUP BY person, name",
            (json.dumps(sorted(people)),)):
        written.setdefault(person, []).append((name, count))
    return {person: fullest(names) for person, names in written.items()
            if len({person_key(name) for name, _ in names}) > 1}


@contextmanager
def writing(db_path: Path, doing: str = "applying decisions about people"
            ) -> Iterator[sqlite3.Connection]:
    """The store open for one write transaction; StoreError (saying what it was
    `doing`) when it cannot be."""
    conn = store.connect(db_path, readonly=False)
    conn.isolation_level = None
    try:
        with db.transaction(conn):
            yield conn
    except sqlite3.Error as exc:
        raise store.store_error(db_path, exc, doing) from None
    finally:
        conn.close()


def reapply(db_path: Path, userdata_path: Path | None = None) -> int:
    """After a build or an import: the decisions in the user data, applied to the store.
    No user-data file (nothing decided yet) changes nothing."""
    from paperdesk import userdata
    from paperdesk.identity import decisions

    path = userdata_path or userdata.default_path()
    if not path.is_file() or not db_path.is_file():
        return 0
    with userdata.UserData(path) as notes:
        now = decisions.state(notes.conn)
    if not now.touched() and not _applied(db_path):
        return 0  # nothing decided, nothing to undo: the store is not opened for writing
    with writing(db_path) as conn:
        return apply(conn, now)


def _applied(db_path: Path) -> bool:
    """Whether decisions were applied to the store (meta `identity_keys` not empty)."""
    with store.Store(db_path) as built:
        return built.meta(META_KEY) not in (None, "[]")

