"""The user's corrections of what the parser read, kept in user data.

Two kinds, both in the user-data file (version 3, see paperdesk.userdata), so
that they survive every rebuild and re-import of the store:

* an entry's title/author boundary and its names (`corrections`), keyed by
  `records.entry_key` of the entry as the parser read it: its title and authors run
  together without punctuation, the same wherever the seam was put, so a better
  parser still finds the user's correction;
* the owner of a page that does not say it (`page_owners`, by the page's file name).

The parser stays pure: `fixes.Fixes.apply` turns a parsed page into the corrected one
in the data layer, where the build and the import call it. `correct`, `undo` and `name_owner`
record a decision and bring the open store up to date in place (one transaction), so
the window shows it at once. A corrected title gives the paper a new id
(records.paper_id): the user's annotations move with it in the same user-data
transaction that records the correction, and move back on undo (follow.py).
Both change or neither, as a decision about people does (identity.desk.decide): the
store is written inside the user-data transaction, which commits only after the
store's has, so a store that cannot be written (another program's lock, a read-only
file) leaves the notes as they were, annotations on the old id.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from paperdesk import latex, store
from paperdesk.fixes import COLUMNS as _COLUMNS
from paperdesk.fixes import Correction, correction_row, one_spaced
from paperdesk.follow import move_annotations
from paperdesk.identity import decisions
from paperdesk.identity.apply import apply as apply_decisions
from paperdesk.identity.apply import writing
from paperdesk.identity.decisions import State
from paperdesk.records import author_sort, entry_key, paper_id, person_key
from paperdesk.userdata import UserData, UserDataError, default_path
from paperdesk.vocab_delta import VocabDelta
from paperdesk.writer import people_changed, reindex, set_authors


class CorrectionError(Exception):
    """A correction that cannot be made; the message is for the user."""


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def split_authors(text: str) -> tuple[str, ...]:
    """An author list as typed: names separated by commas."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


# ---------------------------------------------------------------- deciding


def correct(db: Path, paper: str, title: str | None = None,
            authors: Sequence[str] | None = None,
            userdata_path: Path | None = None) -> Correction:
    """Correct paper `paper` of the store at `db` (its title, its authors or both)."""
    with store.Store(db) as reader:
        row = reader.paper_by_id(paper)
    if row is None:
        raise CorrectionError(f"{db}: no paper with id {paper}")
    new_title = " ".join((title if title is not None else row.page_title).split())
    new_authors = one_spaced(authors if authors is not None else row.author_list)
    if not new_title:
        raise CorrectionError("a title cannot be empty")
    if not new_authors and row.author_list:  # a page's entry without names may stay so
        raise CorrectionError("an author list cannot be empty: give at least one name "
                              "(to read the page's authors again, undo the correction)")
    with UserData(userdata_path) as notes, notes._write("correct a paper") as conn:
        earlier = conn.execute(f"SELECT {_COLUMNS}, was_doubtful FROM corrections"
                               " WHERE paper = ?", (paper,)).fetchone()
        if earlier is not None:
            base = correction_row(earlier[:-1])
            key, was_title, was_authors, was_id = (base.entry, base.was_title,
                                                   base.was_authors, base.was_id)
            was_doubtful = earlier[-1]
        else:
            was_authors = tuple(row.author_list)
            key, was_title, was_id = (entry_key(row.page_title, was_authors),
                                      row.page_title, paper)
            was_doubtful = int(row.doubtful)
        fix = Correction(key, new_title, new_authors, was_title, was_authors, was_id,
                         paper_id(new_title))
        conn.execute(f"INSERT OR REPLACE INTO corrections ({_COLUMNS}, updated, was_doubtful)"
                     " VALUES (?,?,?,?,?,?,?,?,?)",
                     (key, new_title, json.dumps(new_authors), was_title,
                      json.dumps(was_authors), was_id, fix.paper, _now(), was_doubtful))
        if fix.paper != paper:
            move_annotations(conn, paper, fix.paper)
        later = _rewrite(db, paper, fix.paper, new_title, new_authors, decisions.state(conn),
                         doubtful=False)
    if later:
        raise CorrectionError(later)
    return fix


def undo(db: Path, paper: str, userdata_path: Path | None = None) -> Correction:
    """Forget the correction that gave paper `paper`; the parser's reading comes back."""
    with UserData(userdata_path) as notes, notes._write("undo a correction") as conn:
        row = conn.execute(f"SELECT {_COLUMNS}, was_doubtful FROM corrections"
                           " WHERE paper = ?", (paper,)).fetchone()
        if row is None:
            raise CorrectionError(f"paper {paper} has no correction to undo")
        fix, was_doubtful = correction_row(row[:-1]), row[-1]
        conn.execute("DELETE FROM corrections WHERE entry = ?", (fix.entry,))
        if fix.was_id != paper:
            move_annotations(conn, paper, fix.was_id)
        later = _rewrite(db, paper, fix.was_id, fix.was_title, fix.was_authors,
                         decisions.state(conn),
                         doubtful=None if was_doubtful is None else bool(was_doubtful))
    if later:
        raise CorrectionError(later)
    return fix


def name_owner(db: Path, source: str, name: str | None,
               userdata_path: Path | None = None) -> None:
    """Name the owner of the page `source` (None: let the page's entries say again).
    Only a page that does not say whose it is takes a name from the user."""
    with store.Store(db) as reader:
        profile = reader.profile_by_source(source)
    if profile is None:
        raise CorrectionError(f"{db}: no page {source!r} in the store")
    if profile.name and not profile.name_inferred:
        raise CorrectionError(f"{source}: the page names its owner ({profile.name})")
    with UserData(userdata_path) as notes, notes._write("name a page's owner") as conn:
        if name is None or not name.strip():
            conn.execute("DELETE FROM page_owners WHERE source = ?", (source,))
        else:
            conn.execute("INSERT OR REPLACE INTO page_owners VALUES (?, ?, ?)",
                         (source, " ".join(name.split()), _now()))
            _rename_owner(db, source, " ".join(name.split()), decisions.state(conn))


# ---------------------------------------------------------------- the open store


def _store(db: Path) -> AbstractContextManager[sqlite3.Connection]:
    """The store open for one write transaction, inside the caller's user-data one: a
    store that cannot be written is StoreError (not the sqlite3.Error the user-data
    transaction would blame on the notes file), and the notes roll back."""
    return writing(db, "nothing was changed: your notes are as they were")


def _rewrite(db: Path, old: str, new: str, title: str, authors: Sequence[str],
             now: State, doubtful: bool | None) -> str | None:
    """Paper `old` of the store becomes `new` with this title and these authors, its
    index entries, vocabulary and people counts with it; the decisions about people
    in force (`now`) applied again, since the rows written name each author's own key.
    `doubtful` None: left as it is. When another paper of the store has the new id,
    the store is left as it is and the message for the user is returned: the notes'
    change stands and applies at the next build."""
    with _store(db) as conn:
        found = conn.execute("SELECT rid, title, authors, affiliations, abstract"
                             " FROM papers WHERE id = ?", (old,)).fetchone()
        if found is None:  # not in this store: the next build applies the correction
            return None
        rid, *before = found
        if new != old and conn.execute("SELECT 1 FROM papers WHERE id = ?",
                                       (new,)).fetchone():
            return (f"{db}: another paper already has the title {title!r};"
                    " the change is kept and applies at the next build")
        vocab = VocabDelta(conn)
        vocab.deleted(*before)
        shown, tex = latex.stored(title)
        joined = ", ".join(authors)
        conn.execute("UPDATE papers SET id = ?, title = ?, title_tex = ?, authors = ?,"
                     " author_sort = ?, doubtful = coalesce(?, doubtful) WHERE rid = ?",
                     (new, shown, tex, joined, author_sort(authors),
                      None if doubtful is None else int(doubtful), rid))
        people = set_authors(conn, rid, authors)
        after = (shown, joined, before[2], before[3])
        reindex(conn, [(rid, False, before), (rid, True, after)])
        vocab.added(*after)
        people_changed(conn, people | {person_key(name) for name in authors}, authors)
        apply_decisions(conn, now)
        vocab.apply()
    return None


def _rename_owner(db: Path, source: str, name: str, now: State) -> None:
    with _store(db) as conn:
        before = conn.execute("SELECT person FROM profiles WHERE source = ?",
                              (source,)).fetchone()
        if before is None:
            return
        conn.execute("UPDATE profiles SET name = ?, name_inferred = 0, person = ?"
                     " WHERE source = ?", (name, person_key(name), source))
        people_changed(conn, {k for k in (before[0], person_key(name)) if k}, [name])
        apply_decisions(conn, now)  # the owner's key: a merge may have another


def corrected(userdata_path: Path | None, paper: str) -> Correction | None:
    """The correction that gave paper `paper`, if any (the dialog's Undo)."""
    path = userdata_path or default_path()
    if not path.is_file():
        return None
    try:
        with UserData(path) as notes:
            row = notes.conn.execute(f"SELECT {_COLUMNS} FROM corrections WHERE paper = ?",
                                     (paper,)).fetchone()
    except (sqlite3.Error, UserDataError):
        return None
    return correction_row(row) if row else None
