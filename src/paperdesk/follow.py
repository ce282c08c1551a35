"""The user's annotations follow their paper when its id changes.

Paper ids come from normalised titles (records.paper_id) and user data is keyed
by them. A better parser changes some titles (a seam it used to cut wrongly, an
entry it used to glue onto the previous abstract), so a rebuild can give an
annotated paper a new id. To keep the stars, ratings, tags and notes on it:

* before a store is rebuilt or re-imported, `remember` writes an anchor for
  every annotated paper the store holds: each page (file name) that lists it,
  with the paper's date, title and authors, in the user-data file
  (table `paper_anchors`, created here when missing; it is a cache of the store,
  never the only copy of anything the user typed);
* after, `reattach` looks up every annotated id the new store lacks: the paper
  that the same page lists with the same date and a near-identical title (or
  the same authors) gets the annotations, merged into any it already has. An
  annotation with no such paper, or with two, stays where it is, untouched, and
  is reported: nothing is dropped or moved silently. One whose paper no page of
  this store ever listed belongs to another store (one notes file serves them
  all): those are counted in one line (`FollowReport.elsewhere`), the first few named.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperdesk import db as dbfiles
from paperdesk import userdata
from paperdesk.records import Problem, title_key

TITLE_SIMILARITY = 0.85  # difflib ratio of normalised titles counted as near-identical
MIN_PREFIX = 12  # a title cut short (or run on) still matches when this much is shared
NAMED = 5  # ids named in the line that counts another store's annotated papers

_ANCHORS = """CREATE TABLE IF NOT EXISTS paper_anchors (
    paper   TEXT NOT NULL,   -- papers.id the annotations are stored under
    source  TEXT NOT NULL,   -- profiles.source: a page that listed the paper
    date    TEXT NOT NULL,
    title   TEXT NOT NULL,
    authors TEXT NOT NULL,
    PRIMARY KEY (paper, source)
) WITHOUT ROWID"""

_LISTED = """SELECT p.id, pr.source, p.date, p.title, p.authors
  FROM papers p JOIN profile_papers pp ON pp.paper = p.rid
  JOIN profiles pr ON pr.id = pp.profile
 WHERE p.id IN (SELECT value FROM json_each(?))"""

_ON_PAGE = """SELECT p.id, p.title, p.authors
  FROM profiles pr JOIN profile_papers pp ON pp.profile = pr.id
  JOIN papers p ON p.rid = pp.paper
 WHERE pr.source = ? AND p.date = ?"""


@dataclass
class FollowReport:
    """What `reattach` did. A paper no page of this store ever listed is another
    store's (the notes file serves every store the user opens): those are counted in
    one line, not warned about one by one at every build of every other store."""

    moved: list[tuple[str, str, str]] = field(default_factory=list)  # old id, new id, title
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # old id, why
    elsewhere: list[str] = field(default_factory=list)  # ids no page of it ever listed
    # (page, title as the parser read it, as corrected, the corrected paper's id) of
    # corrections no entry matches
    stale: list[tuple[str, str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What the command line prints: each message, a warning said so."""
        return [f"warning: {text}" if warning else text for warning, text in self._messages()]

    def problems(self) -> list[Problem]:
        """The same messages as an import's report lists them: the user data's."""
        return [Problem("user data", None, text, "warning") for _, text in self._messages()]

    def _messages(self) -> list[tuple[bool, str]]:
        """(a warning, the text) of each thing done or not done."""
        out = [(False, f"annotations of {old} moved to {new} ({title!r}): its title changed")
               for old, new, title in self.moved]
        out += [(True, f"annotations of paper {old} are kept but not shown: {why}")
                for old, why in self.unplaced]
        out += [(True, f"your correction of {was!r} (to {title!r}, paper {paper}) matches "
                       f"no entry of {source} now: its entry changed or left the page; the "
                       "correction is kept, not applied (correct the paper again, or "
                       f"forget it: paperdesk correct {paper} --undo)")
                for source, was, title, paper in self.stale]
        if self.elsewhere:
            count = len(self.elsewhere)
            named = ", ".join(self.elsewhere[:NAMED])
            more = f" and {count - NAMED} more" if count > NAMED else ""
            papers = "paper is" if count == 1 else "papers are"
            out.append((False, f"{count} annotated {papers} on no page this store has "
                               f"listed (another store's, or never built here), their "
                               f"annotations kept: {named}{more}"))
        return out


def _annotated(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT paper FROM paper_notes UNION SELECT paper FROM paper_tags ORDER BY 1")]


def _corrected(conn: sqlite3.Connection) -> list[str]:
    """The ids corrected titles gave: anchored too, so that a correction that no longer
    matches its page's entry is told (`_stale`)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT paper FROM corrections ORDER BY 1")]


def _store(db: Path) -> sqlite3.Connection | None:
    if not db.is_file():
        return None
    try:
        return dbfiles.connect(db)  # read-only, after rolling back a hot journal
    except (sqlite3.Error, OSError):
        return None


def _notes(path: Path | None) -> userdata.UserData | None:
    path = path or userdata.default_path()
    return userdata.UserData(path) if path.is_file() else None


def remember(db: Path, notes_path: Path | None = None) -> int:
    """Anchor every annotated paper the store at `db` lists; returns how many rows."""
    notes = _notes(notes_path)
    if notes is None:
        return 0
    with notes:
        return _remember(db, notes)


def _remember(db: Path, notes: userdata.UserData) -> int:
    store = _store(db)
    if store is None:
        return 0
    try:
        ids = sorted({*_annotated(notes.conn), *_corrected(notes.conn)})
        rows = store.execute(_LISTED, (json.dumps(ids),)).fetchall()
    except sqlite3.Error:
        return 0  # an unreadable old store: the anchors already kept stay
    finally:
        store.close()
    with notes._write("remember annotated papers") as conn:
        conn.execute(_ANCHORS)
        conn.executemany("INSERT OR REPLACE INTO paper_anchors VALUES (?,?,?,?,?)", rows)
    return len(rows)


def reattach(db: Path, notes_path: Path | None = None) -> FollowReport:
    """Move annotations of ids the store at `db` lacks to their paper (see module doc)."""
    report = FollowReport()
    notes = _notes(notes_path)
    store = _store(db)
    if notes is None or store is None:
        return report
    with notes:
        try:
            ids = _annotated(notes.conn)
            present = _present(store, ids)
            pages = {r[0] for r in store.execute("SELECT source FROM profiles")}
            with notes._write("move annotations to renamed papers") as conn:
                conn.execute(_ANCHORS)
                _stale(conn, store, pages, report)  # before anchors move with annotations
                for old in ids:
                    if old not in present:
                        _follow(conn, store, old, pages, report)
        finally:
            store.close()
        _remember(db, notes)
    return report


def _follow(conn: sqlite3.Connection, store: sqlite3.Connection, old: str,
            pages: set[str], report: FollowReport) -> None:
    """`pages`: the store's pages (profiles.source), read once for every paper."""
    anchors = _anchors(conn, old)
    if pages.isdisjoint(source for source, *_ in anchors):
        report.elsewhere.append(old)  # never seen, or only on another store's pages
        return
    found = _candidates(store, anchors)
    if len(found) != 1:
        what = anchors[0][2]
        why = ("no paper of the same page and date has a similar title" if not found
               else f"{len(found)} papers of the same page and date match it")
        report.unplaced.append((old, f"{what!r}: {why}"))
        return
    (new, title), = found.items()
    move_annotations(conn, old, new)
    report.moved.append((old, new, title))


def _anchors(conn: sqlite3.Connection, old: str) -> list[tuple[str, str, str, str]]:
    """(source, date, title, authors) paper `old` is found by: as the store last listed
    it, and, for a paper a correction made, as the parser read it before (the page's
    entry changed since, so the correction no longer applies and the paper is read
    as the page gives it)."""
    anchors = conn.execute("SELECT source, date, title, authors FROM paper_anchors"
                           " WHERE paper = ?", (old,)).fetchall()
    read = conn.execute("SELECT was_title, was_authors FROM corrections WHERE paper = ?",
                        (old,)).fetchall()
    return anchors + [(source, date, title, ", ".join(json.loads(authors)))
                      for source, date, _, _ in anchors for title, authors in read]


def _stale(conn: sqlite3.Connection, store: sqlite3.Connection, pages: set[str],
           report: FollowReport) -> None:
    """Each correction whose paper a page of this store listed and no longer does."""
    rows = conn.execute("SELECT c.paper, c.was_title, c.title, a.source FROM corrections c"
                        " JOIN paper_anchors a ON a.paper = c.paper ORDER BY 1, 4").fetchall()
    present = _present(store, sorted({row[0] for row in rows}))
    report.stale.extend(dict.fromkeys(
        (source, was, title, paper) for paper, was, title, source in rows
        if paper not in present and source in pages))


def _present(store: sqlite3.Connection, ids: list[str]) -> set[str]:
    """Those of the paper `ids` that `store` has."""
    return {r[0] for r in store.execute(
        "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),))}


def _candidates(store: sqlite3.Connection,
                anchors: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """Id -> title of each paper in `store` that one of a paper's `anchors` (source,
    date, title, authors) matches."""
    return {pid: title for source, date, title, authors in anchors
            for pid, title in _matches(store, source, date, title, authors)}


def anchor(db: Path, ids: Iterable[str]) -> list[tuple[str, str, str, str, str]]:
    """(id, source, date, title, authors) of the papers `ids` on each page of the store
    at `db` that lists them: what `renamed` finds them by once the store changed."""
    store = _store(db)
    if store is None:
        return []
    try:
        return store.execute(_LISTED, (json.dumps(sorted(ids)),)).fetchall()
    except sqlite3.Error:
        return []
    finally:
        store.close()


def renamed(db: Path, anchored: list[tuple[str, str, str, str, str]]) -> dict[str, str]:
    """Old id -> new id of each `anchored` paper (`anchor`) the store at `db` lacks now
    whose page lists one paper that matches it, as annotations follow (`reattach`)."""
    store = _store(db)
    if store is None:
        return {}
    moved: dict[str, str] = {}
    try:
        ids = sorted({row[0] for row in anchored})
        present = _present(store, ids)
        for old in ids:
            if old not in present:
                found = _candidates(store, (row[1:] for row in anchored if row[0] == old))
                if len(found) == 1:
                    moved[old] = next(iter(found))
    except sqlite3.Error:
        return moved
    finally:
        store.close()
    return moved


def _matches(store: sqlite3.Connection, source: str, date: str, title: str,
             authors: str) -> Iterable[tuple[str, str]]:
    want = title_key(title)
    for pid, got_title, got_authors in store.execute(_ON_PAGE, (source, date)):
        got = title_key(got_title)
        ratio = difflib.SequenceMatcher(None, want, got).ratio()
        cut = min(len(want), len(got)) >= MIN_PREFIX and (want.startswith(got)
                                                          or got.startswith(want))
        if ratio >= TITLE_SIMILARITY or cut or (authors == got_authors and ratio >= 0.5):
            yield pid, got_title


def move_annotations(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Annotations of `old` onto `new`, merged with any `new` already has."""
    conn.execute(_ANCHORS)  # a user-data file no build has anchored yet lacks it
    row = conn.execute("SELECT starred, read_state, rating, note, category FROM paper_notes"
                       " WHERE paper = ?", (old,)).fetchone()
    if row is not None:
        conn.execute("INSERT OR IGNORE INTO paper_notes (paper, starred, read_state, rating,"
                     " note, updated) VALUES (?, 0, 'unread', NULL, '', datetime('now'))",
                     (new,))
        starred, state, rating, note, category = row
        conn.execute(
            "UPDATE paper_notes SET starred = max(starred, ?),"
            " read_state = CASE WHEN read_state = 'unread' THEN ? ELSE read_state END,"
            " rating = coalesce(rating, ?),"
            " note = CASE WHEN note = '' THEN ? WHEN ? = '' OR note = ? THEN note"
            "             ELSE note || char(10) || char(10) || ? END,"
            " category = coalesce(category, ?)"
            " WHERE paper = ?",
            (starred, state, rating, note, note, note, note, category, new))
        conn.execute("DELETE FROM paper_notes WHERE paper = ?", (old,))
    conn.execute("INSERT OR IGNORE INTO paper_tags (paper, tag)"
                 " SELECT ?, tag FROM paper_tags WHERE paper = ?", (new, old))
    conn.execute("DELETE FROM paper_tags WHERE paper = ?", (old,))
    conn.execute("UPDATE OR REPLACE paper_anchors SET paper = ? WHERE paper = ?", (new, old))
