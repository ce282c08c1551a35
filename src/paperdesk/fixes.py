"""The user's corrections as the build and the import apply them (paperdesk.corrections
records them): a parsed page in, the corrected page out. Apart from corrections.py so
that the store can use it without importing what writes the store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from paperdesk.records import Entry, Page, entry_key
from paperdesk.userdata import UserData, default_path


@dataclass(frozen=True)
class Correction:
    entry: str  # records.entry_key of the entry as the parser read it
    title: str
    authors: tuple[str, ...]
    was_title: str
    was_authors: tuple[str, ...]
    was_id: str
    paper: str  # the id the corrected title gives


@dataclass(frozen=True)
class Fixes:
    """Every correction and owner the user decided, as the build applies them."""

    entries: dict[str, Correction]
    owners: dict[str, str]  # page file name -> owner's name

    def apply(self, page: Page) -> Page:
        """`page` with the user's corrections; the parser's own reading otherwise."""
        if not self.entries and not self.owners:
            return page
        entries = tuple(self._entry(e) for e in page.entries)
        owner = self.owners.get(page.source)
        if owner is not None and (page.name is None or page.name_inferred):
            return replace(page, entries=entries, name=owner, name_inferred=False)
        return replace(page, entries=entries)

    def _entry(self, entry: Entry) -> Entry:
        fix = self.entries.get(entry_key(entry.title, entry.authors))
        if fix is None:
            return entry
        return replace(entry, title=fix.title, authors=fix.authors, confidence=1.0,
                       doubtful=False)


NO_FIXES = Fixes({}, {})


def load(userdata_path: Path | None = None) -> Fixes:
    """The user's corrections (none when there is no user-data file yet)."""
    path = userdata_path or default_path()
    if not path.is_file():
        return NO_FIXES
    with UserData(path) as notes:
        rows = notes.conn.execute(f"SELECT {COLUMNS} FROM corrections").fetchall()
        owners = dict(notes.conn.execute("SELECT source, name FROM page_owners").fetchall())
    return Fixes({r[0]: correction_row(r) for r in rows}, owners)


COLUMNS = "entry, title, authors, was_title, was_authors, was_id, paper"


def correction_row(row: Sequence[str]) -> Correction:
    entry, title, authors, was_title, was_authors, was_id, paper = row
    return Correction(entry, title, one_spaced(json.loads(authors)), was_title,
                      tuple(json.loads(was_authors)), was_id, paper)


def one_spaced(names: Sequence[str]) -> tuple[str, ...]:
    """Names as the parser writes them (names.clean_name): words one space apart, none
    empty. A tab pasted into a corrected name kept one person key (records.person_key
    folds any space) whose written form `author:` read otherwise (search.people.NAMING);
    corrections recorded before are read so too."""
    return tuple(spaced for spaced in (" ".join(name.split()) for name in names) if spaced)


