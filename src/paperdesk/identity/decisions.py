"""The user's decisions about people, and the identifiers they add: kept in user data.

Decisions are a history (table `identity_decisions`, oldest first): merge, reject,
split, rename, each with its JSON data; undo marks the latest one still in force
as undone (and `redo` brings back the latest undone one). What is in force is the
fold of the decisions not undone, in order (`State`). Everything is keyed by
*name keys* (`records.person_key` of a written name: the same in every build and
import) and, for a split, by paper ids (`records.paper_id`): nothing here names a
rowid, so every decision survives a rebuild from scratch and a re-import.

* merge  {"keys": [person keys], "into": person key}
* reject {"a": [name keys], "b": [name keys]}: never suggest a name of `a` with one of `b`
* split  {"person": person key, "papers": [paper ids], "into": new person key `key#n`,
          "notes": "stay" | "move" | "both"}: where the person's notes and tags show
          (no "notes", as in decisions made before it was asked: "both")
* rename {"person": person key, "name": shown name}

Identifiers (table `person_ids`): ORCID (checksum checked, ISO 7064 11,2),
OpenAlex, DBLP, Google Scholar, homepage; shown as http(s) links.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, cast, get_args

Kind = Literal["merge", "reject", "split", "rename"]
KINDS: tuple[Kind, ...] = get_args(Kind)
NotesGo = Literal["stay", "move", "both"]
NOTES_GO: tuple[NotesGo, ...] = get_args(NotesGo)
IdKind = Literal["orcid", "openalex", "dblp", "scholar", "homepage"]
ID_KINDS: tuple[IdKind, ...] = get_args(IdKind)
SPLIT_MARK = "#"  # a split-off person's key: `wei wang#2` (no written name holds `#`)

TABLES = (
    """CREATE TABLE identity_decisions (
        id     INTEGER PRIMARY KEY,
        kind   TEXT NOT NULL CHECK (kind IN ('merge', 'reject', 'split', 'rename')),
        data   TEXT NOT NULL,               -- JSON, see paperdesk.identity.decisions
        made   TEXT NOT NULL,               -- ISO timestamp (UTC)
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
    )""",
    """CREATE TABLE person_ids (
        person TEXT NOT NULL,               -- person key
        kind   TEXT NOT NULL CHECK (kind IN ('orcid', 'openalex', 'dblp', 'scholar',
                                             'homepage')),
        value  TEXT NOT NULL,
        PRIMARY KEY (person, kind, value)
    ) WITHOUT ROWID""",
    "CREATE INDEX person_ids_value ON person_ids(value COLLATE NOCASE, person)",
)


def create_tables(conn: sqlite3.Connection) -> None:
    """User data version 2 (paperdesk.userdata.UPGRADES[1])."""
    for statement in TABLES:
        conn.execute(statement)


class DecisionError(ValueError):
    """A decision or identifier that cannot be taken; the message is for the user."""


# ------------------------------------------------------------------ identifiers

_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])",
                    re.IGNORECASE)
_OPENALEX = re.compile(r"(?:https?://openalex\.org/)?(A\d{4,12})", re.IGNORECASE)
_SCHOLAR = re.compile(r"(?:https?://scholar\.google\.[a-z.]+/citations\?(?:.*&)?user=)?"
                      r"([\w-]{12})(?:&.*)?")
_DBLP = re.compile(r"(?:https?://dblp\.org/pid/)?(\d+/[\w-]+|[a-z]/[\w-]+)(?:\.html)?")


def orcid_checksum_ok(digits: str) -> bool:
    """ISO 7064 MOD 11-2 over the first 15 digits; the 16th is the check (0-9 or X)."""
    total = 0
    for d in digits[:15]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    return digits[15].upper() == ("X" if check == 10 else str(check))


def clean_identifier(kind: str, value: str) -> str:
    """The identifier as stored (ORCID `0000-0002-1825-0097`, OpenAlex `A5023888391`...),
    or DecisionError saying what is wrong with it."""
    if kind not in ID_KINDS:
        raise DecisionError(f"an identifier is one of {', '.join(ID_KINDS)}, not {kind!r}")
    text = value.strip() if isinstance(value, str) else ""
    if kind == "orcid":
        match = _ORCID.fullmatch(text)
        if not match:
            raise DecisionError(f"not an ORCID (16 digits, 0000-0002-1825-0097): {text!r}")
        digits = "".join(match.groups())
        if not orcid_checksum_ok(digits):
            raise DecisionError(f"not an ORCID: the check digit of {text!r} is wrong")
        return "-".join(digits[i:i + 4] for i in range(0, 16, 4)).upper()
    if kind == "homepage":
        if not re.fullmatch(r"https?://[^\s/]+\.[^\s]*", text, re.IGNORECASE):
            raise DecisionError(f"a homepage is an http(s) address, not {text!r}")
        return text
    pattern = {"openalex": _OPENALEX, "scholar": _SCHOLAR, "dblp": _DBLP}[kind]
    match = pattern.fullmatch(text)
    if not match:
        raise DecisionError(f"not a {kind} identifier: {text!r}")
    return match.group(1).upper() if kind == "openalex" else match.group(1)


def identifier_url(kind: str, value: str) -> str:
    """The http(s) page of an identifier."""
    return {"orcid": f"https://orcid.org/{value}",
            "openalex": f"https://openalex.org/{value}",
            "dblp": f"https://dblp.org/pid/{value}.html",
            "scholar": f"https://scholar.google.com/citations?user={value}",
            "homepage": value}[kind]


# ------------------------------------------------------------------ the fold


@dataclass
class State:
    """What the decisions in force say (see module doc)."""

    owner: dict[str, str] = field(default_factory=dict)   # name key -> person key
    moved: dict[tuple[str, str], str] = field(default_factory=dict)  # (name key, paper id)
    names: dict[str, str] = field(default_factory=dict)   # person key -> shown name
    rejected: set[frozenset[str]] = field(default_factory=set)  # pairs of name keys
    # notes follow splits: keys whose notes a split moved away from their own person,
    # and (key, person) when a split gave `person` the notes of `key` (move or both),
    # or a merge gave it a split-off person's own
    notes_away: set[str] = field(default_factory=set)
    notes_with: set[tuple[str, str]] = field(default_factory=set)

    def person(self, name_key: str, paper: str | None = None) -> str:
        """The person a name key stands for (on `paper`, when given)."""
        if paper is not None and (name_key, paper) in self.moved:
            return self.moved[(name_key, paper)]
        return self.owner.get(name_key, name_key)

    def members(self, person: str) -> set[str]:
        """The name keys the person is written as (on all or some papers)."""
        found = {n for n, p in self.owner.items() if p == person}
        found |= {n for (n, _), p in self.moved.items() if p == person}
        if person not in self.owner and SPLIT_MARK not in person:
            found.add(person)
        return found

    def note_keys(self, person: str) -> set[str]:
        """The keys whose notes and tags the person shows: its own names' (unless a split
        moved them away) and those a split gave it."""
        given = {k for k, p in self.notes_with if p == person}
        return given | {k for k in self.members(person) | {person}
                        if (self.owner.get(k, k) == person and k not in self.notes_away)
                        or (k, person) in self.notes_with}

    def is_rejected(self, a: Iterable[str], b: Iterable[str]) -> bool:
        b = set(b)
        return any(frozenset((x, y)) in self.rejected for x in a for y in b)

    def touched(self) -> set[str]:
        """Every key a decision changes: applying them rewrites only these."""
        keys = set(self.owner) | set(self.owner.values()) | set(self.names)
        keys |= {n for n, _ in self.moved} | set(self.moved.values())
        return keys

    def take(self, kind: str, data: dict[str, object]) -> None:
        if kind == "merge":
            into = str(data["into"])
            keys = {str(k) for k in cast(list[object], data["keys"])} | {into}
            for name in [n for n, p in self.owner.items() if p in keys]:
                self.owner[name] = into
            for spot in [s for s, p in self.moved.items() if p in keys]:
                self.moved[spot] = into
            self.notes_with = {(k, into if p in keys else p) for k, p in self.notes_with}
            self.notes_with |= {(k, into) for k in keys if SPLIT_MARK in k}  # its own notes
            for key in keys:
                if SPLIT_MARK not in key and key not in self.owner:
                    self.owner[key] = into
            shown = [self.names[k] for k in sorted(keys) if k in self.names]
            if shown and into not in self.names:
                self.names[into] = shown[0]
        elif kind == "split":
            person, into = str(data["person"]), str(data["into"])
            self._split_notes(person, into, str(data.get("notes", "both")))
            for name in self.members(person):
                for paper in cast(list[object], data["papers"]):
                    self.moved[(name, str(paper))] = into
        elif kind == "rename":
            self.names[str(data["person"])] = str(data["name"])
        elif kind == "reject":
            self.rejected.update(frozenset((str(x), str(y)))
                                 for x in cast(list[object], data["a"])
                                 for y in cast(list[object], data["b"]) if x != y)
        self.owner = {n: p for n, p in self.owner.items() if n != p}

    def _split_notes(self, person: str, into: str, notes: str) -> None:
        if notes == "stay":
            return
        for key in self.note_keys(person):
            if notes == "move":
                self.notes_with.discard((key, person))
                if self.owner.get(key, key) == person:
                    self.notes_away.add(key)
            self.notes_with.add((key, into))


# ------------------------------------------------------------------ the history


@dataclass(frozen=True)
class Decision:
    id: int
    kind: Kind
    data: dict[str, object]
    made: str
    undone: bool

    def people(self) -> list[str]:
        """Every person key the decision names."""
        d = self.data
        named = [*cast(list[str], d.get("keys", [])), *cast(list[str], d.get("a", [])),
                 *cast(list[str], d.get("b", []))]
        return named + [str(d[k]) for k in ("into", "person") if k in d]

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """One line; people by key (what the command line takes), or by the shown name
        `names` gives a key (what the window's history shows)."""
        d, shown = self.data, names or {}

        def who(key: object) -> str:
            return shown.get(str(key), str(key))

        def all_of(field: str) -> str:
            return ", ".join(map(who, cast(list[object], d[field])))

        papers = len(cast(list[object], d.get("papers", [])))
        split_off = who(d.get("into", ""))
        if self.kind == "split" and split_off == who(d["person"]):
            split_off += f" ({d['into']})"  # a split keeps the name: tell them apart
        text = {
            "merge": lambda: f"merge {all_of('keys')} with {who(d['into'])}",  # one person,
            # named by the fullest form of all (apply._merged_names), not the kept key's
            "reject": lambda: f"never suggest {all_of('a')} with {all_of('b')}",
            "split": lambda: f"split {papers} paper{'' if papers == 1 else 's'} of "
                             f"{who(d['person'])} off as {split_off}"
                             f" (notes: {d.get('notes', 'both')})",
            "rename": lambda: f"show {who(d['person'])} as {d['name']!r}",
        }[self.kind]()
        return text + (" (undone)" if self.undone else "")

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "data": self.data, "made": self.made, "undone": self.undone}


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def history(conn: sqlite3.Connection) -> list[Decision]:
    """Every decision, oldest first (undone ones too)."""
    return [Decision(i, cast(Kind, k), json.loads(d), m, bool(u)) for i, k, d, m, u in
            conn.execute("SELECT id, kind, data, made, undone FROM identity_decisions"
                         " ORDER BY id")]


def state(conn: sqlite3.Connection) -> State:
    """The fold of the decisions in force."""
    folded = State()
    for decision in history(conn):
        if not decision.undone:
            folded.take(decision.kind, decision.data)
    return folded


def check(kind: str, data: dict[str, object], now: State) -> dict[str, object]:
    """The decision's data as stored, or DecisionError."""
    def keys(value: object, what: str) -> list[str]:
        if not isinstance(value, list) or not value or not all(
                isinstance(k, str) and k.strip() for k in value):
            raise DecisionError(f"{kind}: '{what}' should be a list of person keys")
        return [str(k) for k in value]

    if kind == "merge":
        merged = list(dict.fromkeys(keys(data.get("keys"), "keys")))
        into = str(data.get("into") or merged[0])
        if len({into, *merged}) < 2:
            raise DecisionError("merge: name two different people")
        return {"keys": [k for k in merged if k != into], "into": into}
    if kind == "reject":
        return {"a": keys(data.get("a"), "a"), "b": keys(data.get("b"), "b")}
    if kind == "split":
        person = keys([data.get("person")], "person")[0]
        papers = list(dict.fromkeys(keys(data.get("papers"), "papers")))
        into = str(data.get("into") or _split_key(person, now))
        notes = data.get("notes", "both")
        if notes not in NOTES_GO:
            raise DecisionError(f"split: 'notes' is one of {', '.join(NOTES_GO)}, not {notes!r}")
        return {"person": person, "papers": papers, "into": into, "notes": notes}
    if kind == "rename":
        person = keys([data.get("person")], "person")[0]
        name = " ".join(str(data.get("name") or "").split())
        if not name:
            raise DecisionError("rename: the new name is empty")
        return {"person": person, "name": name}
    raise DecisionError(f"a decision is one of {', '.join(KINDS)}, not {kind!r}")


def _split_key(person: str, now: State) -> str:
    base = person.split(SPLIT_MARK)[0]
    taken = now.touched()
    n = 2
    while f"{base}{SPLIT_MARK}{n}" in taken:
        n += 1
    return f"{base}{SPLIT_MARK}{n}"


def record(conn: sqlite3.Connection, kind: str, data: dict[str, object]) -> Decision:
    """Add a decision (in the caller's transaction); it replaces any undone ones after it
    being redone, as an editor's undo stack does."""
    cleaned = check(kind, data, state(conn))
    conn.execute("DELETE FROM identity_decisions WHERE undone")
    made = _now()
    row = conn.execute("INSERT INTO identity_decisions (kind, data, made) VALUES (?, ?, ?)",
                       (kind, json.dumps(cleaned, ensure_ascii=False), made))
    return Decision(int(row.lastrowid or 0), cast(Kind, kind), cleaned, made, False)


def undo(conn: sqlite3.Connection) -> Decision | None:
    """Mark the latest decision in force undone (in the caller's transaction)."""
    row = conn.execute("SELECT max(id) FROM identity_decisions WHERE NOT undone").fetchone()
    if row[0] is None:
        return None
    conn.execute("UPDATE identity_decisions SET undone = 1 WHERE id = ?", (row[0],))
    return next(d for d in history(conn) if d.id == row[0])


def redo(conn: sqlite3.Connection) -> Decision | None:
    row = conn.execute("SELECT min(id) FROM identity_decisions WHERE undone").fetchone()
    if row[0] is None:
        return None
    conn.execute("UPDATE identity_decisions SET undone = 0 WHERE id = ?", (row[0],))
    return next(d for d in history(conn) if d.id == row[0])


# ------------------------------------------------------------------ identifiers


def identifiers(conn: sqlite3.Connection, keys: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, value) of the people `keys`, by kind then value, each once."""
    found = conn.execute(
        "SELECT DISTINCT kind, value FROM person_ids WHERE person IN"
        " (SELECT value FROM json_each(?)) ORDER BY kind, value", (json.dumps(list(keys)),))
    return [(k, v) for k, v in found]


def people_with_identifier(conn: sqlite3.Connection, text: str) -> set[str]:
    """Person keys holding an identifier equal to `text` (any case), ORCID spelled any way."""
    values = {text.strip()}
    with contextlib.suppress(DecisionError):
        values.add(clean_identifier("orcid", text))
    return {r[0] for v in values for r in conn.execute(
        "SELECT person FROM person_ids WHERE value = ? COLLATE NOCASE", (v,))}


# ------------------------------------------------------------------ backup


def export_json(conn: sqlite3.Connection) -> dict[str, object]:
    return {"decisions": [d.to_json() for d in history(conn)],
            "identifiers": [{"person": p, "kind": k, "value": v} for p, k, v in conn.execute(
                "SELECT person, kind, value FROM person_ids ORDER BY person, kind, value")]}


def parse_backup(data: dict[str, object], bad: type[Exception], source: str
                 ) -> tuple[list[tuple[str, dict[str, object], str, bool]],
                            list[tuple[str, str, str]]]:
    """The backup's decisions and identifiers, checked; `bad` is raised naming what."""
    decisions: list[tuple[str, dict[str, object], str, bool]] = []
    ids: list[tuple[str, str, str]] = []
    for i, item in enumerate(_items(data, "decisions", bad, source)):
        try:
            kind, made = str(item.get("kind")), item.get("made")
            raw = item.get("data")
            if not isinstance(raw, dict) or not isinstance(made, str):
                raise DecisionError("'data' should be an object and 'made' a timestamp")
            decisions.append((kind, check(kind, raw, State()), made, bool(item.get("undone"))))
        except DecisionError as exc:
            raise bad(f"{source}: not a usable PaperDesk notes backup: decisions[{i}]: {exc}"
                      ) from None
    for i, item in enumerate(_items(data, "identifiers", bad, source)):
        try:
            person = item.get("person")
            if not isinstance(person, str) or not person.strip():
                raise DecisionError("'person' should be a person key")
            kind = str(item.get("kind"))
            ids.append((person, kind, clean_identifier(kind, str(item.get("value")))))
        except DecisionError as exc:
            raise bad(f"{source}: not a usable PaperDesk notes backup: identifiers[{i}]: "
                      f"{exc}") from None
    return decisions, ids


def _items(data: dict[str, object], key: str, bad: type[Exception],
           source: str) -> list[dict[str, object]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise bad(f"{source}: not a usable PaperDesk notes backup: '{key}' should be a list "
                  "of objects")
    return cast(list[dict[str, object]], value)


def restore(conn: sqlite3.Connection, decisions: list[tuple[str, dict[str, object], str, bool]],
            ids: list[tuple[str, str, str]], merge: bool) -> None:
    """Write a backup's decisions and identifiers (in the caller's transaction).
    `merge`: the backup's decisions not already here come after the ones here."""
    if not merge:
        conn.execute("DELETE FROM identity_decisions")
        conn.execute("DELETE FROM person_ids")
    have = {(d.kind, json.dumps(d.data, sort_keys=True), d.made) for d in history(conn)}
    for kind, data, made, undone in decisions:
        if (kind, json.dumps(data, sort_keys=True), made) in have:
            continue
        conn.execute("INSERT INTO identity_decisions (kind, data, made, undone)"
                     " VALUES (?, ?, ?, ?)",
                     (kind, json.dumps(data, ensure_ascii=False), made, int(undone)))
    conn.executemany("INSERT OR IGNORE INTO person_ids VALUES (?, ?, ?)", ids)
