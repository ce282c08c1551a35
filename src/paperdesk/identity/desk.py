"""People as the user decides them: reading the store's people with their variants,
co-authors and identifiers, and taking a decision (user data first, then the store,
each in one transaction: a store that cannot be written leaves the decision unmade).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from paperdesk import people_list, userdata
from paperdesk.identity import decisions
from paperdesk.identity.apply import apply, writing
from paperdesk.identity.decisions import Decision, DecisionError, State
from paperdesk.records import name_pieces, person_key


@dataclass(frozen=True)
class PersonSheet:
    """One person for the list and the CSV."""

    key: str
    name: str
    papers: int
    variants: tuple[tuple[str, int], ...]   # written forms and how many papers each
    coauthors: tuple[tuple[str, int], ...]  # names and shared papers, most first
    profile: str | None                     # their page file, when they have one
    listed: int                             # papers that page lists
    identifiers: tuple[tuple[str, str], ...]


def resolve(conn: sqlite3.Connection, now: State, text: str) -> str:
    """The people.key a name or key given by the user stands for, or DecisionError."""
    for key in (text, person_key(text)):
        for candidate in (key, now.person(key)):
            if conn.execute("SELECT 1 FROM people WHERE key = ?", (candidate,)).fetchone():
                return candidate
    raise DecisionError(f"no person named {text!r} in the store")


def sheet(conn: sqlite3.Connection, notes: sqlite3.Connection, key: str, now: State,
          coauthors: int = 10) -> PersonSheet | None:
    row = conn.execute("SELECT name, papers, profile FROM people WHERE key = ?",
                       (key,)).fetchone()
    if row is None:
        return None
    name, papers, profile = row
    variants = tuple(conn.execute(
        "SELECT name, count(DISTINCT paper) AS n FROM paper_authors WHERE person = ?"
        " GROUP BY name ORDER BY n DESC, name", (key,)))
    shared = tuple(conn.execute(
        "SELECT people.name, count(DISTINCT b.paper) AS n FROM paper_authors a"
        " JOIN paper_authors b ON b.paper = a.paper AND b.person <> a.person"
        " JOIN people ON people.key = b.person WHERE a.person = ?"
        " GROUP BY b.person ORDER BY n DESC, people.name LIMIT ?", (key, coauthors)))
    page = conn.execute("SELECT source, entries FROM profiles WHERE id = ?",
                        (profile,)).fetchone() if profile else None
    ids = tuple(decisions.identifiers(notes, now.members(key) | {key}))
    return PersonSheet(key, name, papers, variants, shared, page[0] if page else None,
                       page[1] if page else 0, ids)


def people_keys(conn: sqlite3.Connection, notes: sqlite3.Connection, text: str,
                limit: int) -> list[str]:
    """Keys of people whose name's words start with `text`'s, as the author list's
    filter finds them (people_list.people_matching), or with an identifier holding
    `text`, in the author list's order (most papers first, then by name: people_order)."""
    keys = [r[0] for r in conn.execute(
        f"SELECT key FROM people_list WHERE {people_list.WORDS_LIKE} ORDER BY ord LIMIT ?",
        (people_list.words_like(name_pieces(text)), limit))]
    if text:
        for key in sorted(decisions.people_with_identifier(notes, text)):
            person = decisions.state(notes).person(key)
            if person not in keys:
                keys.append(person)
    return keys[:limit] if limit >= 0 else keys


def decide(db_path: Path, notes_path: Path | None, kind: str,
           data: dict[str, object]) -> Decision:
    """Record a decision in the user data and apply it to the store, at once; one the
    store contradicts (`in_store`) is refused with neither written."""
    with userdata.UserData(notes_path) as notes, notes._write(f"{kind} people") as conn:
        decision = decisions.record(conn, kind, data)
        with writing(db_path) as store:
            in_store(store, decision)
            apply(store, decisions.state(conn))
    return decision


def in_store(conn: sqlite3.Connection, decision: Decision) -> None:
    """DecisionError when a decision the user takes names what the store does not hold:
    a split's paper that is not in it, or not the person's (the split would move
    nothing, yet stand in the history), or a reject of one person with themselves.
    (`decisions.check` sees the data's shape only: a backup's decisions may name papers
    a store no longer holds, and stay.)"""
    data = decision.data
    if decision.kind == "reject" and set(cast(list[str], data["a"])) & set(
            cast(list[str], data["b"])):
        raise DecisionError("reject: name two different people")
    if decision.kind != "split":
        return
    problems = []
    for paper in dict.fromkeys(cast(list[str], data["papers"])):
        row = conn.execute("SELECT rid, title FROM papers WHERE id = ?", (paper,)).fetchone()
        if row is None:
            problems.append(f"no paper with id {paper} in the store")
        elif not conn.execute("SELECT 1 FROM paper_authors WHERE paper = ? AND person = ?",
                              (row[0], data["person"])).fetchone():
            problems.append(f"{data['person']} is not an author of {paper} ({row[1]})")
    if problems:
        raise DecisionError("split: " + "; ".join(problems) + "; nothing was split")


def undo(db_path: Path, notes_path: Path | None, redo: bool = False) -> Decision | None:
    """Undo the latest decision in force (or redo the latest undone), store included."""
    with userdata.UserData(notes_path) as notes, notes._write("undo") as conn:
        decision = decisions.redo(conn) if redo else decisions.undo(conn)
        if decision is not None:
            with writing(db_path) as store:
                apply(store, decisions.state(conn))
    return decision


def add_identifier(notes_path: Path | None, person: str, kind: str, value: str,
                   remove: bool = False) -> str:
    """Add (or remove) an identifier of a person; returns it as stored."""
    with userdata.UserData(notes_path) as notes:
        return store_identifier(notes, person, kind, value, remove)


def store_identifier(notes: userdata.UserData, person: str, kind: str, value: str,
                     remove: bool = False) -> str:
    """`add_identifier` on an open user-data file (the window's notes thread): checked
    by `decisions.clean_identifier` (DecisionError), written in one transaction."""
    clean = decisions.clean_identifier(kind, value)
    with notes._write("identifier") as conn:
        if remove:
            conn.execute("DELETE FROM person_ids WHERE person = ? AND kind = ? AND value = ?",
                         (person, kind, clean))
        else:
            conn.execute("INSERT OR IGNORE INTO person_ids VALUES (?, ?, ?)",
                         (person, kind, clean))
    return clean



def shown_names(conn: sqlite3.Connection, history: list[Decision], now: State
                ) -> dict[str, str]:
    """A name for each person key the decisions name, as the pages write it: the key's
    most frequent written form among the papers of the person it now belongs to (so a
    merged or renamed name reads as written), else the person's shown name (a person a
    split made)."""
    names: dict[str, str] = {}
    for key in {k for d in history for k in d.people()}:
        written = conn.execute(
            "SELECT name, count(*) AS n FROM paper_authors WHERE person = ?"
            " GROUP BY name ORDER BY n DESC, name", (now.person(key),))
        forms = [name for name, _ in written if person_key(name) == key]
        shown = forms[:1] or [r[0] for r in conn.execute(
            "SELECT name FROM people WHERE key = ?", (key,))]
        if shown:
            names[key] = shown[0]
    return names
