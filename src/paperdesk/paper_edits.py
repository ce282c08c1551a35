"""One edit of the user's notes on one paper or on many, in one transaction, and what
undoes it.

The paper table's annotation keys act on every paper picked (gui/paperedits.py): a
pick may be thousands of papers (Ctrl+A over a million rows), so an edit is one
transaction for all of them, its reads and writes a few statements over the ids
(json_each, executemany), never a transaction per paper. What a key does to a mixed
pick reads what is stored inside that same transaction (a key pressed twice quickly
sees the first press):

- `star`: when any paper is not starred, all are starred; else all are unstarred.
- `cycle_read`: all take the read state that follows the `anchor` paper's (the one
  the pane shows): unread → reading → read → unread.
- `rate(n)`: when every paper already has n stars, the rating is cleared; else all
  get n (0 clears).
- `add_tags`: the tags are added to each paper's own.

Each returns an `Edit`: the field it changed and each paper's value before, which
`restore` writes back (the undo), returning the Edit that writes the undone values
again (the redo).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from paperdesk.userdata import (
    ReadState,
    UserData,
    _check_id,
    _check_rating,
    _check_state,
    _now,
    clean_tag,
    touch_papers,
)

Value = Any  # a column's value, or a paper's tags (a tuple)
New = Callable[[dict[str, Value]], dict[str, Value]]
_DEFAULTS: dict[str, Value] = {"starred": 0, "read_state": "unread", "rating": None,
                               "note": "", "tags": ()}
_IN = "paper IN (SELECT value FROM json_each(?))"
_NEXT_STATE: dict[ReadState, ReadState] = {"unread": "reading", "reading": "read",
                                           "read": "unread"}


@dataclass(frozen=True)
class Edit:
    """What one edit changed: `field` of each paper (by id), its value `before`."""

    what: str  # in words, for the status bar: "star", "read state", "rating", "tags", "note"
    field: str  # a paper_notes column, or "tags"
    before: dict[str, Value]

    def said(self) -> str:
        return said(self.what, len(self.before))


def said(what: str, count: int) -> str:
    """'star' (one paper), or 'star on 12 papers'."""
    return what if count == 1 else f"{what} on {count:,} papers"


def _ids(ids: Sequence[str]) -> list[str]:
    return [_check_id(pid) for pid in dict.fromkeys(ids)]


def _read(conn: sqlite3.Connection, field: str, ids: list[str]) -> dict[str, Value]:
    """Each paper's `field` as stored (a paper without a row: the default)."""
    found: dict[str, Value] = {pid: _DEFAULTS[field] for pid in ids}
    ids_json = json.dumps(ids)
    if field == "tags":
        tags: dict[str, list[str]] = {}
        for pid, tag in conn.execute(f"SELECT paper, tag FROM paper_tags WHERE {_IN}"
                                     " ORDER BY paper, tag", (ids_json,)):
            tags.setdefault(pid, []).append(tag)
        found.update((pid, tuple(names)) for pid, names in tags.items())
    else:
        found.update(conn.execute(f"SELECT paper, {field} FROM paper_notes WHERE {_IN}",
                                  (ids_json,)))
    return found


def _write(conn: sqlite3.Connection, field: str, values: dict[str, Value]) -> None:
    """Make each paper's `field` its value in `values` (in the caller's transaction).
    The rows go to SQLite from generators: a pick's 100,000 tuples are never all
    held at once."""
    now = _now()
    conn.executemany("INSERT OR IGNORE INTO paper_notes (paper, updated) VALUES (?, ?)",
                     ((pid, now) for pid in values))
    if field == "tags":
        conn.execute(f"DELETE FROM paper_tags WHERE {_IN}", (json.dumps(list(values)),))
        conn.executemany("INSERT OR IGNORE INTO paper_tags VALUES (?, ?)",
                         ((pid, tag) for pid, tags in values.items() for tag in tags))
    else:
        conn.executemany(f"UPDATE paper_notes SET {field} = ? WHERE paper = ?",
                         ((value, pid) for pid, value in values.items()))
    touch_papers(conn, list(values), now)


def _edit(userdata: UserData, what: str, field: str, ids: Sequence[str], new: New) -> Edit:
    """Read `field` of the papers `ids` and give them the values `new(before)`, in one
    transaction."""
    checked = _ids(ids)
    with userdata._write(what) as conn:
        before = _read(conn, field, checked)
        _write(conn, field, new(before))
    return Edit(what, field, before)


def star(userdata: UserData, ids: Sequence[str]) -> Edit:
    """Star them all when any is not starred; else unstar them all."""
    return _edit(userdata, "star", "starred", ids,
                 lambda before: dict.fromkeys(before, int(not all(before.values()))))


def cycle_read(userdata: UserData, ids: Sequence[str], anchor: str) -> Edit:
    """All take the read state that follows the `anchor` paper's."""
    def new(before: dict[str, Value]) -> dict[str, Value]:
        state = before[anchor] if anchor in before else userdata.read_state(anchor)
        return dict.fromkeys(before, _NEXT_STATE[_check_state(str(state))])
    return _edit(userdata, "read state", "read_state", ids, new)


def rate(userdata: UserData, ids: Sequence[str], stars: int) -> Edit:
    """All get `stars` (0: none), or none when every one has `stars` already."""
    rating = _check_rating(stars or None)
    return _edit(userdata, "rating", "rating", ids, lambda before: dict.fromkeys(
        before, None if all(v == rating for v in before.values()) else rating))


def set_field(userdata: UserData, ids: Sequence[str], field: str, value: object) -> Edit:
    """Give every paper the same `field`: "starred" (bool), "read_state", "rating"
    (1-5 or None), "note" or "tags" (an iterable of tags: exactly those)."""
    checks: dict[str, Callable[[Any], Value]] = {
        "starred": lambda v: int(bool(v)), "read_state": _check_state,
        "rating": _check_rating, "note": str,
        "tags": lambda v: tuple(dict.fromkeys(map(clean_tag, v)))}
    checked = checks[field](value)
    what = {"starred": "star", "read_state": "read state"}.get(field, field)
    return _edit(userdata, what, field, ids, lambda before: dict.fromkeys(before, checked))


def add_tags(userdata: UserData, ids: Sequence[str], tags: Iterable[str]) -> Edit:
    """Add `tags` to each paper's own (a tag it has already, in any case, stays as it is)."""
    added = list(dict.fromkeys(map(clean_tag, tags)))

    def new(before: dict[str, Value]) -> dict[str, Value]:
        values: dict[str, Value] = {}
        for pid, old in before.items():
            have = {tag.casefold() for tag in old}
            values[pid] = (*old, *(t for t in added if t.casefold() not in have))
        return values
    return _edit(userdata, "tags", "tags", ids, new)


def restore(userdata: UserData, edit: Edit) -> Edit:
    """Write back the values `edit` replaced, in one transaction; the Edit returned
    writes the replaced ones again (undo, then redo)."""
    return _edit(userdata, edit.what, edit.field, list(edit.before),
                 lambda _before: edit.before)
