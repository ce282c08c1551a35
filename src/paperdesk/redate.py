"""Schema version 11: undated papers that a store built before dated after this year.

Builds before paperdesk.page_year gave a date without a year the year after the
latest explicit one in the whole build: 2027 on real pages that show 2026. A store
holds what the rule needs (each page's listing in page order, each paper's month and
day, whether its year was shown), so the upgrade gives those papers their page's year
as a build now would (the listing of the first page that lists the paper, whose text
the store kept), never after the year the upgrade runs in.

A paper that moves takes the next free rowid of its new date (paperdesk.dated), so it
comes after the papers of that day already stored, dated or not, and the rowid order
stays the date order; its authors, listings and both full-text indexes follow. Stores
with no undated paper dated after this year (the seeds' 2026 among them) are untouched:
one look at the papers_year index.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from paperdesk import dated, page_year

_FUTURE = "SELECT rid FROM papers WHERE year > ? AND year_inferred"
_LISTINGS = """
SELECT pp.profile, p.rid, p.date, p.year_inferred
  FROM profile_papers pp JOIN papers p ON p.rid = pp.paper
 WHERE pp.profile IN (SELECT profile FROM profile_papers
                       WHERE paper IN (SELECT value FROM json_each(?)))
 ORDER BY pp.profile, pp.position
"""


@dataclass(frozen=True)
class _Listed:
    """A paper as one of its pages lists it: what paperdesk.page_year reads."""

    rid: int
    year: int | None
    month: int
    day: int


def redate_v11(conn: sqlite3.Connection, this_year: int | None = None) -> int:
    """Give the undated papers dated after `this_year` (default the clock's) their page's
    year; returns how many moved."""
    this_year = this_year or page_year.clock_year()
    future = [rid for (rid,) in conn.execute(_FUTURE, (this_year,))]
    if not future:
        return 0
    moves = _new_years(conn, future, this_year)
    for old, date in sorted(moves.items(), key=lambda m: (m[1], m[0])):
        _move(conn, old, date)
    return len(moves)


def _new_years(conn: sqlite3.Connection, future: list[int], this_year: int) -> dict[int, str]:
    """Rowid -> new date of the `future` papers, by the first page listing each."""
    pages: dict[int, list[_Listed]] = {}
    for profile, rid, date, inferred in conn.execute(_LISTINGS, (json.dumps(future),)):
        year = None if inferred else int(date[0:4])
        pages.setdefault(profile, []).append(_Listed(rid, year, int(date[5:7]), int(date[8:10])))
    wanted = set(future)
    moves: dict[int, str] = {}
    for profile in sorted(pages):
        listing = pages[profile]
        year = page_year.page_year(listing, this_year)
        for paper in listing:
            if paper.rid in wanted and paper.rid not in moves:
                moves[paper.rid] = f"{year:04d}-{paper.month:02d}-{paper.day:02d}"
    for rid in wanted - set(moves):  # listed by no page: the year this one runs in
        date = conn.execute("SELECT date FROM papers WHERE rid = ?", (rid,)).fetchone()[0]
        moves[rid] = f"{this_year:04d}{date[4:]}"
    return moves


def _move(conn: sqlite3.Connection, old: int, date: str) -> None:
    """Paper `old` to `date`, under the next free rowid of that day, everywhere."""
    from paperdesk.writer import reindex

    new = dated.next_rid(conn, date)
    text = conn.execute("SELECT title, authors, affiliations, abstract FROM papers"
                        " WHERE rid = ?", (old,)).fetchone()
    conn.execute("UPDATE papers SET rid = ?, date = ?, year = ? WHERE rid = ?",
                 (new, date, int(date[0:4]), old))
    conn.execute("UPDATE paper_authors SET paper = ? WHERE paper = ?", (new, old))
    conn.execute("UPDATE profile_papers SET paper = ? WHERE paper = ?", (new, old))
    reindex(conn, [(old, False, tuple(text)), (new, True, tuple(text))])
