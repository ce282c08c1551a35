"""The user's own data: stars, read state, ratings, tags and notes.

Kept in a second SQLite file (default ``paths.data_dir()/"userdata.db"``), apart
from the store that pages build: a rebuild or a re-import replaces or rewrites
the store and never opens this file. Everything here is keyed by the stable
paper id (``papers.id``, ``records.paper_id(title)``) and the person key
(``people.key``, ``records.person_key(name)``), never by a rowid, so notes stay
attached to the same paper across rebuilds. A paper that leaves the store keeps
its notes here; they reappear if the paper comes back.

Tables (schema version in ``PRAGMA user_version``; see USER_VERSION)
--------------------------------------------------------------------

``paper_notes``: one row per annotated paper, tags included (a paper without a
row is unread, not starred, unrated, untagged, without a note)
    ``paper``       TEXT PRIMARY KEY   papers.id
    ``starred``     INTEGER 0/1
    ``read_state``  TEXT 'unread' | 'reading' | 'read'
    ``rating``      INTEGER 1..5 or NULL
    ``note``        TEXT ('' when none)
    ``category``    TEXT the full code chosen for the paper's ambiguous code, or NULL
    ``updated``     TEXT ISO timestamp (UTC) of the last change

``paper_tags``: ``paper`` TEXT (papers.id), ``tag`` TEXT COLLATE NOCASE;
primary key (paper, tag)

``person_notes``: ``person`` TEXT PRIMARY KEY (people.key), ``note`` TEXT,
``updated`` TEXT

``person_tags``: ``person`` TEXT (people.key), ``tag`` TEXT COLLATE NOCASE;
primary key (person, tag)

``identity_decisions`` and ``person_ids`` (version 2): the user's decisions about
people (merge, reject, split, rename, with undo) and the identifiers added to
them; see paperdesk.identity.decisions. A person's notes and tags stay under the
key they were written for; `person()` gathers those of every name merged in.

``corrections`` and ``page_owners`` (version 3): the user's corrections of an
entry's title/author boundary and names, and owners named for pages that do not
say theirs; see paperdesk.corrections.
``corrections.was_doubtful`` (version 5): whether the parser's own reading of the
entry was doubtful, so that undoing the correction puts it back in Needs review.

What an ambiguous category code means (version 4, paperdesk.categories): for one
paper, ``paper_notes.category`` (the full code chosen, ``math.NA``; NULL: no choice),
kept with the paper's other notes so that it follows the paper as they do; for
every paper of a profile, ``category_choices``: ``source`` (profiles.source, the
page's file name), ``code`` (as pages show it, ``NA``), ``meaning`` (``math.NA``);
primary key (source, code).

Searching the store with it
---------------------------

``attach(conn, path)`` ATTACHes this file read-only to a store connection as
schema ``user``. The search filters are then, on the store's ``papers`` table::

    is:starred    EXISTS (SELECT 1 FROM user.paper_notes n
                          WHERE n.paper = papers.id AND n.starred)
    is:unread     NOT EXISTS (SELECT 1 FROM user.paper_notes n
                              WHERE n.paper = papers.id AND n.read_state <> 'unread')
    is:reading    EXISTS (... AND n.read_state = 'reading')   (is:read likewise)
    rating:>=4    EXISTS (... AND n.rating >= 4)
    tag:x         EXISTS (SELECT 1 FROM user.paper_tags t
                          WHERE t.paper = papers.id AND t.tag = 'x')  -- NOCASE column
    note:word     EXISTS (... AND n.note LIKE '%word%')   (ASCII case-insensitive)

``UserData.papers_matching`` gives the same answers as sets of paper ids.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from paperdesk import categories, db, paths, schema
from paperdesk.identity import decisions as identity
from paperdesk.userfiles import UserFileError, read_text, written

log = logging.getLogger(__name__)
ReadState = Literal["unread", "reading", "read"]
READ_STATES: tuple[ReadState, ...] = get_args(ReadState)
EXPORT_FORMAT = "paperdesk-userdata"
USER_VERSION = 5
_PAPER_ID = re.compile(r"[0-9a-f]{16}")
_SPACE = re.compile(r"\s+")
MAX_TAG = 100
# A backup holds about 170 bytes an annotated paper (a note's text beside): notes on a
# million papers are some 170 MB. Beyond this it is no backup (a video, a disk image),
# and is refused before it is read (it was read whole: 848 MB of memory for a video,
# MemoryError for /dev/zero).
MAX_BACKUP_BYTES = 512 * 2**20

_V1 = (
    """CREATE TABLE paper_notes (
        paper      TEXT PRIMARY KEY,
        starred    INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
        read_state TEXT NOT NULL DEFAULT 'unread'
                   CHECK (read_state IN ('unread', 'reading', 'read')),
        rating     INTEGER CHECK (rating BETWEEN 1 AND 5),
        note       TEXT NOT NULL DEFAULT '',
        updated    TEXT NOT NULL
    )""",
    """CREATE TABLE paper_tags (
        paper TEXT NOT NULL,
        tag   TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (paper, tag)
    ) WITHOUT ROWID""",
    "CREATE INDEX paper_tags_tag ON paper_tags(tag, paper)",
    """CREATE TABLE person_notes (
        person  TEXT PRIMARY KEY,
        note    TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL
    )""",
    """CREATE TABLE person_tags (
        person TEXT NOT NULL,
        tag    TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (person, tag)
    ) WITHOUT ROWID""",
    "CREATE INDEX person_tags_tag ON person_tags(tag, person)",
)

Step = Callable[[sqlite3.Connection], None]


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)


# Version 3: the user's corrections of what the parser read (paperdesk.corrections).
# `corrections` is keyed by the entry as the page has it (records.entry_key: its title
# and authors with every non-word character removed, so the same line has the same key
# wherever the parser puts the title/author seam); `page_owners` by the page's file name.
_V3 = (
    """CREATE TABLE IF NOT EXISTS corrections (
        entry       TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        authors     TEXT NOT NULL,    -- JSON list of names
        was_title   TEXT NOT NULL,    -- as the parser read it
        was_authors TEXT NOT NULL,    -- JSON list
        was_id      TEXT NOT NULL,    -- the paper id before the correction
        paper       TEXT NOT NULL,    -- the paper id it gives
        updated     TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS corrections_paper ON corrections(paper)",
    """CREATE TABLE IF NOT EXISTS page_owners (
        source  TEXT PRIMARY KEY,     -- profiles.source: the page's file name
        name    TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
)


def _add_corrections_v3(conn: sqlite3.Connection) -> None:
    for statement in _V3:
        conn.execute(statement)


def _add_category_choices_v4(conn: sqlite3.Connection) -> None:
    """Version 4: what the user says an ambiguous category code means (see above)."""
    conn.execute("ALTER TABLE paper_notes ADD COLUMN category TEXT")
    conn.execute("""CREATE TABLE IF NOT EXISTS category_choices (
        source  TEXT NOT NULL,        -- profiles.source: the page's file name
        code    TEXT NOT NULL,        -- as pages show it: NA
        meaning TEXT NOT NULL,        -- the full code: math.NA
        updated TEXT NOT NULL,
        PRIMARY KEY (source, code)
    )""")


def _remember_doubt_v5(conn: sqlite3.Connection) -> None:
    """Version 5: whether the parser's reading of a corrected entry was doubtful, so
    that undoing the correction puts the paper back in Needs review (NULL: corrected
    before this was kept; an undo then leaves the mark as it is until the next build)."""
    conn.execute("ALTER TABLE corrections ADD COLUMN was_doubtful INTEGER")


# UPGRADES[n] takes user data at version n to version n + 1.
UPGRADES: dict[int, Step] = {0: _create_v1, 1: identity.create_tables,
                             2: _add_corrections_v3, 3: _add_category_choices_v4,
                             4: _remember_doubt_v5}


class UserDataError(Exception):
    """User data that cannot be read or saved; the message is for the user."""


def default_path() -> Path:
    return paths.data_dir() / paths.USERDATA_NAME


def restore_command(path: Path, backup: Path) -> str:
    """The command that restores `backup` into the notes file at `path` (paths.command)."""
    return paths.command("userdata", "import", "--replace", str(backup), userdata=path)


@dataclass(frozen=True)
class PaperNotes:
    """Everything the user said about one paper; the defaults when nothing."""

    id: str
    starred: bool = False
    read_state: ReadState = "unread"
    rating: int | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    category: str | None = None  # the full code chosen for the paper's ambiguous code

    @property
    def empty(self) -> bool:
        return self == PaperNotes(self.id)

    @property
    def annotated(self) -> bool:
        """Whether there is a star, read state, rating, tag or note (a category choice
        shows on the category itself)."""
        return self != PaperNotes(self.id, category=self.category)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "starred": self.starred, "read_state": self.read_state,
                "rating": self.rating, "tags": list(self.tags), "note": self.note,
                "category": self.category}


@dataclass(frozen=True)
class PersonNotes:
    key: str
    note: str = ""
    tags: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.note and not self.tags

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "note": self.note, "tags": list(self.tags)}


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def touch_papers(conn: sqlite3.Connection, ids: Sequence[str], now: str) -> None:
    """Stamp the papers' rows, or drop those that say nothing any more: two statements
    for any number of papers (paperdesk.paper_edits writes thousands at once)."""
    ids_json = json.dumps(list(ids))
    conn.execute("UPDATE paper_notes SET updated = ?"
                 " WHERE paper IN (SELECT value FROM json_each(?))", (now, ids_json))
    conn.execute(
        "DELETE FROM paper_notes WHERE paper IN (SELECT value FROM json_each(?))"
        " AND NOT starred AND read_state = 'unread' AND rating IS NULL AND note = ''"
        " AND category IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM paper_tags t WHERE t.paper = paper_notes.paper)",
        (ids_json,))


def _check_id(paper: str) -> str:
    if not isinstance(paper, str) or not _PAPER_ID.fullmatch(paper):
        raise ValueError(f"not a paper id (16 hex digits, papers.id): {paper!r}")
    return paper


def _check_person(person: str) -> str:
    if not isinstance(person, str) or not person.strip():
        raise ValueError(f"not a person key (people.key): {person!r}")
    return person


def clean_tag(tag: str) -> str:
    """A tag as stored: spacing collapsed; empty or very long tags are refused."""
    cleaned = _SPACE.sub(" ", tag).strip() if isinstance(tag, str) else ""
    if not cleaned:
        raise ValueError(f"a tag cannot be empty: {tag!r}")
    if len(cleaned) > MAX_TAG:
        raise ValueError(f"a tag is at most {MAX_TAG} characters: {cleaned[:20]!r}...")
    return cleaned


def _check_rating(rating: int | None) -> int | None:
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)
                               or not 1 <= rating <= 5):
        raise ValueError(f"a rating is 1 to 5 or none, not {rating!r}")
    return rating


def _check_state(state: str) -> ReadState:
    if state not in READ_STATES:
        raise ValueError(f"a read state is one of {', '.join(READ_STATES)}, not {state!r}")
    return cast(ReadState, state)


class CategoryChoices:
    """What the user says ambiguous category codes mean (`UserData.categories`): for a
    paper (its notes row) or for every paper of a profile (paperdesk.categories reads
    them through paperdesk.readings)."""

    def __init__(self, notes: UserData) -> None:
        self.notes = notes

    def set_paper(self, paper: str, meaning: str | None) -> None:
        """What the paper's ambiguous category code means (a full code, `math.NA`), or
        None to forget the choice."""
        if meaning is not None and not categories.taxonomy().get(meaning):
            raise ValueError(f"not an arXiv category: {meaning!r}")
        self.notes._set_paper(_check_id(paper), "category", meaning, "category choice")

    def papers(self) -> dict[str, str]:
        """Every paper's category choice: paper id -> full code."""
        return dict(self.notes._read("SELECT paper, category FROM paper_notes"
                                     " WHERE category IS NOT NULL"))

    def profiles(self) -> dict[str, dict[str, str]]:
        """Every profile's choices: page file name -> {code as shown: full code}."""
        found: dict[str, dict[str, str]] = {}
        for source, code, meaning in self.notes._read(
                "SELECT source, code, meaning FROM category_choices ORDER BY source, code"):
            found.setdefault(source, {})[code] = meaning
        return found

    def set_profile(self, source: str, code: str, meaning: str | None) -> None:
        """On the profile of page `source`, `code` means `meaning` on every paper (None:
        forget the choice)."""
        if meaning is not None and not categories.may_mean(code, meaning):
            raise ValueError(f"{meaning!r} is not a category {code!r} may be")
        with self.notes._write("category choice") as conn:
            if meaning is None:
                conn.execute("DELETE FROM category_choices WHERE source = ? AND code = ?",
                             (source, code))
            else:
                conn.execute("INSERT OR REPLACE INTO category_choices VALUES (?, ?, ?, ?)",
                             (source, code, meaning, _now()))


class UserData:
    """The user-data file. Every write is one transaction: it all happens, or,
    on any failure (locked file, disk full...), nothing changes and UserDataError
    says why. One instance per thread."""

    def __init__(self, path: Path | None = None, *, timeout: float = 2.0) -> None:
        self.path = path or default_path()
        self.unreadable: list[str] = []  # what the last export_json could not read
        self.categories = CategoryChoices(self)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = db.connect(self.path, readonly=False, create=True, autocommit=True,
                                   timeout=timeout)
        except (OSError, sqlite3.Error) as exc:
            raise UserDataError(f"{self.path}: cannot open the user data ({exc})") from None
        try:
            self.conn.execute("PRAGMA foreign_keys = OFF")
            _upgrade(self.conn, self.path)
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> UserData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction; any failure rolls it back and becomes UserDataError."""
        try:
            with db.transaction(self.conn):
                yield self.conn
        except sqlite3.Error as exc:
            raise UserDataError(self._message(what, exc)) from None

    def _message(self, what: str, exc: sqlite3.Error) -> str:
        why = {db.Kind.BUSY: "the file is in use by another program or PaperDesk window",
               db.Kind.FULL: "the disk is full",
               db.Kind.READONLY: "the file is read-only",
               db.Kind.DAMAGED: f"the file is damaged ({exc}); your daily backups are in "
                                f"{self.path.parent / 'backups'}"}.get(db.kind(exc), str(exc))
        return f"{self.path}: could not save ({what}): {why}; your previous notes are unchanged"

    def _read(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise UserDataError(f"{self.path}: cannot read the user data ({exc})") from None

    def _ensure_paper(self, conn: sqlite3.Connection, paper: str) -> None:
        conn.execute("INSERT OR IGNORE INTO paper_notes (paper, updated) VALUES (?, ?)",
                     (paper, _now()))

    def _touch_paper(self, conn: sqlite3.Connection, paper: str) -> None:
        touch_papers(conn, [paper], _now())

    def _set_paper(self, paper: str, column: str, value: object, what: str) -> None:
        with self._write(what) as conn:
            self._ensure_paper(conn, paper)
            conn.execute(f"UPDATE paper_notes SET {column} = ? WHERE paper = ?", (value, paper))
            self._touch_paper(conn, paper)

    # ------------------------------------------------------------ papers

    def paper(self, paper: str) -> PaperNotes:
        _check_id(paper)
        row = self._read("SELECT starred, read_state, rating, note, category FROM paper_notes"
                         " WHERE paper = ?", (paper,))
        tags = tuple(r[0] for r in self._read(
            "SELECT tag FROM paper_tags WHERE paper = ? ORDER BY tag", (paper,)))
        if not row:
            return PaperNotes(paper, tags=tags)
        starred, state, rating, note, category = row[0]
        return PaperNotes(paper, bool(starred), state, rating, tags, note, category)

    def papers(self, ids: Sequence[str]) -> dict[str, PaperNotes]:
        """Notes on many papers, two queries per 500 ids; only annotated ones come back.

        The paper table calls this once per batch of rows it shows."""
        found: dict[str, PaperNotes] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            tags: dict[str, list[str]] = {}
            for paper, tag in self._read(f"SELECT paper, tag FROM paper_tags WHERE paper IN"
                                         f" ({marks}) ORDER BY paper, tag", chunk):
                tags.setdefault(paper, []).append(tag)
            for paper, starred, state, rating, note, category in self._read(
                    "SELECT paper, starred, read_state, rating, note, category FROM paper_notes"
                    f" WHERE paper IN ({marks})", chunk):
                found[paper] = PaperNotes(paper, bool(starred), state, rating,
                                          tuple(tags.pop(paper, ())), note, category)
            for paper, names in tags.items():
                found[paper] = PaperNotes(paper, tags=tuple(names))
        return found

    def annotated_papers(self) -> list[PaperNotes]:
        """Every paper the user said something about, by id."""
        return [self.paper(r[0]) for r in self._read(
            "SELECT paper FROM paper_notes ORDER BY paper")]

    def starred(self, paper: str) -> bool:
        return self.paper(paper).starred

    def set_starred(self, paper: str, starred: bool = True) -> None:
        self._set_paper(_check_id(paper), "starred", int(bool(starred)), "star")

    def read_state(self, paper: str) -> ReadState:
        return self.paper(paper).read_state

    def set_read_state(self, paper: str, state: ReadState) -> None:
        self._set_paper(_check_id(paper), "read_state", _check_state(state), "read state")

    def rating(self, paper: str) -> int | None:
        return self.paper(paper).rating

    def set_rating(self, paper: str, rating: int | None) -> None:
        """1 to 5 stars, or None to clear."""
        self._set_paper(_check_id(paper), "rating", _check_rating(rating), "rating")

    def note(self, paper: str) -> str:
        return self.paper(paper).note

    def set_note(self, paper: str, note: str) -> None:
        """Free text; '' clears it."""
        self._set_paper(_check_id(paper), "note", str(note), "note")

    def tags(self, paper: str) -> tuple[str, ...]:
        return self.paper(paper).tags

    def set_tags(self, paper: str, tags: Iterable[str]) -> None:
        """Make the paper's tags exactly `tags`, in one transaction."""
        _check_id(paper)
        cleaned = list(dict.fromkeys(clean_tag(t) for t in tags))
        with self._write("tags") as conn:
            self._ensure_paper(conn, paper)
            conn.execute("DELETE FROM paper_tags WHERE paper = ?", (paper,))
            conn.executemany("INSERT OR IGNORE INTO paper_tags VALUES (?, ?)",
                             [(paper, t) for t in cleaned])
            self._touch_paper(conn, paper)

    # ------------------------------------------------------------ search helpers

    def papers_matching(self, *, starred: bool | None = None, read_state: ReadState | None = None,
                        min_rating: int | None = None, tag: str | None = None,
                        note_words: str | Iterable[str] | None = None,
                        among: Iterable[str] | None = None) -> set[str]:
        """Ids of papers meeting every filter given (the search box's is:starred,
        is:unread, rating:>=n, tag:x, note:words).

        Papers without notes are unread, so `read_state="unread"` needs `among`,
        the ids to choose from (the store's papers); other filters only ever match
        annotated papers and, with `among`, are restricted to it.
        Note words match anywhere in the note, case-insensitively, all of them.
        """
        where: list[str] = []
        params: list[object] = []
        if starred is not None:
            where.append("n.starred = ?")
            params.append(int(starred))
        if min_rating is not None:
            where.append("n.rating >= ?")
            params.append(min_rating)
        if read_state is not None and _check_state(read_state) != "unread":
            where.append("n.read_state = ?")
            params.append(read_state)
        if tag is not None:
            where.append("EXISTS (SELECT 1 FROM paper_tags t WHERE t.paper = n.paper"
                         " AND t.tag = ?)")
            params.append(clean_tag(tag))
        words: list[str] = []
        if note_words is not None:
            raw = note_words.split() if isinstance(note_words, str) else list(note_words)
            words = [w.casefold() for w in raw if w.strip()]
            if words:
                where.append("n.note <> ''")
        universe = None if among is None else set(among)
        if read_state == "unread":
            if universe is None:
                raise ValueError("papers_matching(read_state='unread') needs `among`: "
                                 "papers without notes are unread too")
            started = {r[0] for r in self._read(
                "SELECT paper FROM paper_notes WHERE read_state <> 'unread'")}
            if not where:
                return universe - started
        sql = "SELECT n.paper, n.note FROM paper_notes n"
        if where:
            sql += " WHERE " + " AND ".join(where)
        found = {pid for pid, note in self._read(sql, params)
                 if all(w in note.casefold() for w in words)}
        if read_state == "unread":
            found -= started
        return found if universe is None else found & universe

    # ------------------------------------------------------------ people

    def person(self, person: str) -> PersonNotes:
        """The notes and tags of a person: those of every name merged into them too, and
        as each split said (stay, move, both). They stay under each name's own key and
        are picked by the decisions in force, so an undo gives each back its own."""
        _check_person(person)
        shown = self.note_keys(person)
        keys = [k for k in [person, *sorted(shown - {person})] if k in shown]
        note = ""
        for key in keys:
            row = self._read("SELECT note FROM person_notes WHERE person = ?", (key,))
            note = _merge_notes(note, row[0][0]) if row else note
        tags = tuple(dict.fromkeys(r[0] for r in self._read(
            "SELECT tag FROM person_tags WHERE person IN (SELECT value FROM json_each(?))"
            " ORDER BY tag", (json.dumps(keys),))))
        return PersonNotes(person, note, tags)

    def note_keys(self, person: str) -> set[str]:
        """The keys whose notes and tags the decisions in force show on `person`."""
        try:
            return identity.state(self.conn).note_keys(person)
        except sqlite3.Error as exc:
            raise UserDataError(f"{self.path}: cannot read the user data ({exc})") from None

    def annotated_people_keys(self) -> set[str]:
        return {r[0] for r in self._read(
            "SELECT person FROM person_notes UNION SELECT person FROM person_tags")}

    def annotated_people(self) -> list[PersonNotes]:
        """Each annotated person key's own notes and tags (what a backup holds)."""
        return [self._own_person(k) for k in sorted(self.annotated_people_keys())]

    def _own_person(self, person: str) -> PersonNotes:
        row = self._read("SELECT note FROM person_notes WHERE person = ?", (person,))
        tags = tuple(r[0] for r in self._read(
            "SELECT tag FROM person_tags WHERE person = ? ORDER BY tag", (person,)))
        return PersonNotes(person, row[0][0] if row else "", tags)

    def set_person_note(self, person: str, note: str) -> None:
        _check_person(person)
        with self._write("person note") as conn:
            if note:
                conn.execute("INSERT INTO person_notes VALUES (?, ?, ?) ON CONFLICT (person)"
                             " DO UPDATE SET note = excluded.note, updated = excluded.updated",
                             (person, str(note), _now()))
            else:
                conn.execute("DELETE FROM person_notes WHERE person = ?", (person,))

    def set_person_tags(self, person: str, tags: Iterable[str]) -> None:
        """Make the person's tags exactly `tags`, in one transaction."""
        _check_person(person)
        cleaned = list(dict.fromkeys(clean_tag(t) for t in tags))
        with self._write("person tags") as conn:
            conn.execute("DELETE FROM person_tags WHERE person = ?", (person,))
            conn.executemany("INSERT OR IGNORE INTO person_tags VALUES (?, ?)",
                             [(person, t) for t in cleaned])

    # ------------------------------------------------------------ backup

    def export_json(self) -> dict[str, object]:
        """Everything, as plain JSON data (see import_json).

        A damaged file gives what can still be read (see `salvage`); `unreadable`
        then says what could not be, and is empty otherwise."""
        papers, people, self.unreadable = salvage(self.conn, str(self.path))
        corrected = {table: _salvage_table(self.conn, table, self.unreadable)
                     for table in CORRECTIONS}
        try:
            people_data = identity.export_json(self.conn)
        except sqlite3.DatabaseError as exc:
            self.unreadable.append(f"identity_decisions, person_ids: {exc}")
            people_data = {"decisions": [], "identifiers": []}
        return {
            "format": EXPORT_FORMAT, "version": USER_VERSION,
            "papers": [p.to_json() for p in papers],
            "people": [p.to_json() for p in people],
            **{table: [dict(zip(columns, row, strict=True)) for row in corrected[table]]
               for table, columns in CORRECTIONS.items()},
            **people_data,
        }

    def check(self) -> str | None:
        """None when the file is sound; else what SQLite's quick_check found."""
        try:
            found = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None if found == ["ok"] else "; ".join(found)

    def export_file(self, path: Path, data: dict[str, object] | None = None) -> None:
        """Write `data` (default: export_json()) to `path`, whole or not at all."""
        text = json.dumps(self.export_json() if data is None else data, ensure_ascii=False,
                          indent=1)
        try:
            written(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        except UserFileError as exc:
            raise UserDataError(str(exc)) from None

    def import_json(self, data: object, merge: bool, source: str = "backup") -> tuple[int, int]:
        """Restore a backup made by export_json. `merge=False` replaces all user
        data with the backup's; `merge=True` keeps what is here and adds the
        backup's without losing either side: stars and tags are united, the
        further read state and the backup's rating win, differing notes are both
        kept. The file is checked whole before anything is written; a bad one
        raises UserDataError naming `source` and what is wrong.
        Returns (papers, people) taken from the backup."""
        papers, people = _parse_backup(data, source)
        assert isinstance(data, dict)
        decided, ids = identity.parse_backup(data, UserDataError, source)
        corrected = _parse_corrections(data, source)
        with self._write(f"restore from {source}") as conn:
            identity.restore(conn, decided, ids, merge)
            if not merge:
                for table in ("paper_notes", "paper_tags", "person_notes", "person_tags",
                              *CORRECTIONS):
                    conn.execute(f"DELETE FROM {table}")
            for table, rows in corrected.items():  # merging keeps the corrections made here
                columns = CORRECTIONS[table]
                conn.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)},"
                                 f" updated) VALUES ({', '.join('?' * len(columns))}, ?)",
                                 [(*row, _now()) for row in rows])
            for new in papers:
                self._restore_paper(conn, self.paper(new.id) if merge else None, new)
            for person in people:
                self._restore_person(conn, self._own_person(person.key) if merge else None,
                                     person)
        return len(papers), len(people)

    def _restore_paper(self, conn: sqlite3.Connection, old: PaperNotes | None,
                       new: PaperNotes) -> None:
        if old is not None:
            new = PaperNotes(
                new.id, old.starred or new.starred,
                max(old.read_state, new.read_state, key=READ_STATES.index),
                new.rating if new.rating is not None else old.rating,
                tuple(sorted(set(old.tags) | set(new.tags), key=str.casefold)),
                _merge_notes(old.note, new.note),
                new.category if new.category is not None else old.category)
        conn.execute(
            "INSERT OR REPLACE INTO paper_notes (paper, starred, read_state, rating, note,"
            " category, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (new.id, int(new.starred), new.read_state, new.rating, new.note, new.category,
             _now()))
        conn.executemany("INSERT OR IGNORE INTO paper_tags VALUES (?, ?)",
                         [(new.id, t) for t in new.tags])
        self._touch_paper(conn, new.id)

    def _restore_person(self, conn: sqlite3.Connection, old: PersonNotes | None,
                        new: PersonNotes) -> None:
        note = _merge_notes(old.note, new.note) if old else new.note
        conn.execute("DELETE FROM person_notes WHERE person = ?", (new.key,))
        if note:
            conn.execute("INSERT INTO person_notes VALUES (?, ?, ?)", (new.key, note, _now()))
        conn.executemany("INSERT OR IGNORE INTO person_tags VALUES (?, ?)",
                         [(new.key, t) for t in new.tags])


# Each table is read along several paths (the table in both directions, an index in
# both directions): rows on a damaged page are lost, the rows around it are not.
_SALVAGE = {
    "paper_notes": ("paper, starred, read_state, rating, note, category", 1,
                    ("rowid", "rowid DESC", "paper", "paper DESC")),
    "paper_tags": ("paper, tag", 2, ("paper, tag", "paper DESC, tag DESC", "tag, paper",
                                     "tag DESC, paper DESC")),
    "person_notes": ("person, note", 1, ("rowid", "rowid DESC", "person", "person DESC")),
    "person_tags": ("person, tag", 2, ("person, tag", "person DESC, tag DESC", "tag, person",
                                       "tag DESC, person DESC")),
    "corrections": ("entry, title, authors, was_title, was_authors, was_id, paper", 1,
                    ("rowid", "rowid DESC", "entry", "entry DESC")),
    "page_owners": ("source, name", 1, ("rowid", "rowid DESC", "source", "source DESC")),
    "category_choices": ("source, code, meaning", 2,
                         ("source, code", "source DESC, code DESC")),
}


def _salvage_table(conn: sqlite3.Connection, table: str, problems: list[str]) -> list[tuple]:  # type: ignore[type-arg]
    columns, key, orders = _SALVAGE[table]
    found: dict[tuple, tuple] = {}  # type: ignore[type-arg]
    for order in orders:
        try:
            for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY {order}"):
                found.setdefault(row[:key], row)
        except sqlite3.DatabaseError as exc:
            problems.append(f"{table}: {exc}")
            continue
        if not problems or not any(p.startswith(f"{table}:") for p in problems):
            break  # read whole at the first try: nothing else to find
    return sorted(found.values(), key=lambda row: [str(v).lower() for v in row[:key]])


def salvage(conn: sqlite3.Connection, source: str
            ) -> tuple[list[PaperNotes], list[PersonNotes], list[str]]:
    """Every paper's and person's notes that can be read, and what could not be.

    Values that do not make sense (a damaged row) are left out and said too."""
    problems: list[str] = []
    tables = {name: _salvage_table(conn, name, problems) for name in _SALVAGE}
    tags: dict[str, list[str]] = {}
    for paper, tag in tables["paper_tags"]:
        tags.setdefault(paper, []).append(tag)
    papers: dict[str, PaperNotes] = {}
    for paper, starred, state, rating, note, category in tables["paper_notes"]:
        try:
            papers[paper] = PaperNotes(_check_id(paper), bool(starred), _check_state(state),
                                       _check_rating(rating), tuple(tags.pop(paper, ())),
                                       str(note), _check_category(category))
        except ValueError as exc:
            problems.append(f"paper_notes: {exc}")
    for paper, names in tags.items():  # tags whose paper row was lost
        papers[paper] = PaperNotes(paper, tags=tuple(names))
    person_tags: dict[str, list[str]] = {}
    for person, tag in tables["person_tags"]:
        person_tags.setdefault(person, []).append(tag)
    notes = {person: str(note) for person, note in tables["person_notes"]}
    people = [PersonNotes(key, notes.get(key, ""), tuple(person_tags.get(key, ())))
              for key in sorted(set(notes) | set(person_tags))]
    if problems:
        log.warning("%s: damaged; salvaged %d papers and %d people: %s", source, len(papers),
                    len(people), "; ".join(problems))
    return sorted(papers.values(), key=lambda p: p.id), people, list(dict.fromkeys(problems))


def read_backup(path: Path) -> object:
    """The JSON of the backup file `path`, read before anything is asked or changed (a
    missing file is said as one, not as a restore to confirm); UserDataError names
    the file and what is wrong with it. A backup is UTF-8, as export_file writes it,
    a regular file (a FIFO or a device is refused unopened) of at most
    MAX_BACKUP_BYTES (a larger file is refused unread)."""
    try:
        text, problems = read_text(path, "the backup", MAX_BACKUP_BYTES, stream=False)
    except UserFileError as exc:
        raise UserDataError(str(exc)) from None
    if problems:
        raise UserDataError(f"{path}: cannot read the backup: not UTF-8 text")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise UserDataError(f"{path}: not a PaperDesk notes backup: invalid JSON at line "
                            f"{exc.lineno}, column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise UserDataError(f"{path}: not a PaperDesk notes backup: its JSON is nested "
                            "too deeply to read") from None
    except ValueError as exc:
        raise UserDataError(f"{path}: not a PaperDesk notes backup: {exc}") from None


def _bounded_int(digits: str) -> int:
    """JSON integers as a backup has them (a rating, a version): a number of thousands
    of digits is refused with a message instead of Python's conversion limit."""
    if len(digits.lstrip("-")) > 20:
        raise ValueError(f"a number of {len(digits)} digits is not a PaperDesk value")
    return int(digits)


def _text(value: object, what: str) -> str:
    """A backup's text value, as SQLite can store it (UTF-8: no lone surrogate)."""
    if not isinstance(value, str):
        raise ValueError(f"{what} should be text, not {value!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{what} holds a character that is not text (a lone surrogate, "
                         f"U+{ord(value[exc.start]):04X}, at position {exc.start})") from None
    return value


def _merge_notes(old: str, new: str) -> str:
    if not old or new == old or old in new:
        return new or old
    if not new or new in old:
        return old
    return f"{old}\n\n{new}"


def _parse_backup(data: object, source: str) -> tuple[list[PaperNotes], list[PersonNotes]]:
    def bad(where: str, what: str) -> UserDataError:
        return UserDataError(f"{source}: not a usable PaperDesk notes backup: {where}{what}")

    if not isinstance(data, dict):
        raise bad("", f"expected a JSON object at the top, found {type(data).__name__}")
    if data.get("format") != EXPORT_FORMAT:
        raise bad("", f"'format' should be {EXPORT_FORMAT!r}, found {data.get('format')!r}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad("", f"'version' should be a whole number, found {version!r}")
    if version > USER_VERSION:
        raise bad("", f"made by a newer PaperDesk (version {version}; this one reads up "
                      f"to {USER_VERSION})")
    papers: list[PaperNotes] = []
    people: list[PersonNotes] = []
    for key in ("papers", "people"):
        if not isinstance(data.get(key, []), list):
            raise bad("", f"'{key}' should be a list")
    for i, item in enumerate(data.get("papers", [])):
        where = f"papers[{i}]: "
        if not isinstance(item, dict):
            raise bad(where, "expected an object")
        try:
            pid = _check_id(item.get("id"))  # type: ignore[arg-type]
            starred = item.get("starred", False)
            if not isinstance(starred, bool):
                raise ValueError(f"'starred' should be true or false, not {starred!r}")
            state = _check_state(item.get("read_state", "unread"))
            rating = _check_rating(item.get("rating"))
            note = _text(item.get("note", ""), "'note'")
            tags = _tag_list(item.get("tags", []))
            category = _check_category(item.get("category"))
        except ValueError as exc:
            raise bad(where, str(exc)) from None
        papers.append(PaperNotes(pid, starred, state, rating, tags, note, category))
    for i, item in enumerate(data.get("people", [])):
        where = f"people[{i}]: "
        if not isinstance(item, dict):
            raise bad(where, "expected an object")
        try:
            person = _check_person(_text(item.get("key"), "'key'"))
            note = _text(item.get("note", ""), "'note'")
            tags = _tag_list(item.get("tags", []))
        except ValueError as exc:
            raise bad(where, str(exc)) from None
        people.append(PersonNotes(person, note, tags))
    return papers, people


def _check_category(category: object) -> str | None:
    if category is not None and (not isinstance(category, str)
                                 or category not in categories.taxonomy()):
        raise ValueError(f"'category' should be an arXiv category or null, not {category!r}")
    return category


# The user's corrections of what pages say (version 3, paperdesk.corrections) and
# their choices of what a profile's ambiguous codes mean (version 4): in a backup as
# lists of objects with these keys (authors as JSON text, as stored).
CORRECTIONS: dict[str, tuple[str, ...]] = {
    "corrections": ("entry", "title", "authors", "was_title", "was_authors", "was_id",
                    "paper"),
    "page_owners": ("source", "name"),
    "category_choices": ("source", "code", "meaning"),
}


def _parse_corrections(data: object, source: str) -> dict[str, list[tuple[str, ...]]]:
    """The backup's corrections and page owners (none in a version 1 backup), checked."""
    assert isinstance(data, dict)  # _parse_backup said so
    found: dict[str, list[tuple[str, ...]]] = {}
    for table, columns in CORRECTIONS.items():
        items = data.get(table, [])
        if not isinstance(items, list):
            raise UserDataError(f"{source}: not a usable PaperDesk notes backup: "
                                f"'{table}' should be a list")
        found[table] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not all(isinstance(item.get(c), str)
                                                     for c in columns):
                raise UserDataError(f"{source}: not a usable PaperDesk notes backup: "
                                    f"{table}[{i}]: expected an object with the text "
                                    f"fields {', '.join(columns)}")
            if table == "category_choices" and not categories.may_mean(item["code"],
                                                                        item["meaning"]):
                raise UserDataError(f"{source}: not a usable PaperDesk notes backup: "
                                    f"{table}[{i}]: {item['meaning']!r} is not a category "
                                    f"{item['code']!r} may be")
            found[table].append(tuple(item[c] for c in columns))
    return found


def _tag_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"'tags' should be a list of text, not {value!r}")
    return tuple(clean_tag(_text(t, "a tag")) for t in value)


def _upgrade(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file to USER_VERSION with the store's runner (schema.upgrade), each
    step in one transaction, given this file's own steps and version."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise UserDataError(f"{path}: not a PaperDesk user-data file ({exc})") from None
    if version == 0 and tables:
        raise UserDataError(f"{path}: an SQLite file, but not PaperDesk user data")
    try:
        schema.upgrade(conn, str(path), UPGRADES, USER_VERSION, "user data")
    except schema.SchemaError as exc:
        raise UserDataError(str(exc)) from None
    except sqlite3.Error as exc:
        raise UserDataError(f"{path}: cannot prepare the user data ({exc})") from None


def attach(conn: sqlite3.Connection, userdata_path: Path | None = None,
           name: str = "user") -> None:
    """ATTACH the user data read-only to a store connection as schema `name`.

    The file is created (empty) first if missing. `conn` must have been opened
    with ``uri=True`` (store.connect does). See the module doc for the tables.
    """
    path = (userdata_path or default_path()).resolve()
    UserData(path).close()  # create or upgrade; never done through the read-only attach
    if any(row[1] == name for row in conn.execute("PRAGMA database_list")):
        raise UserDataError(f"{path}: a database is already attached as {name!r}")
    try:
        conn.execute("ATTACH DATABASE ? AS " + name, (f"{path.as_uri()}?mode=ro",))
    except sqlite3.Error as exc:
        raise UserDataError(f"{path}: cannot attach the user data ({exc}); the store "
                            "connection must be opened with uri=True") from None
    files = {row[1]: row[2] for row in conn.execute("PRAGMA database_list")}
    if Path(files.get(name) or "").resolve() != path:
        conn.execute(f"DETACH DATABASE {name}")
        raise UserDataError(f"{path}: attached the wrong file ({files.get(name)}); the "
                            "store connection must be opened with uri=True")
