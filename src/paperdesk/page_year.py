"""The year of a page's dates shown without one.

The site drops the year for its current year, so a date without a year means the
year the page was saved in: one year for all of a page's undated entries. What a
page and the build know of that year:

* The page's explicit years. The site shows a year only for earlier years, so the
  page's own year comes after the latest year it shows (the seeds show 2025 at the
  latest: their year is 2026, as SEED-FORMAT says). That is the earliest year the
  page can be of, and the one taken when nothing bounds it from above: it depends
  on the page alone, so a rebuild next year gives every paper the same date.
* The clock. A page is saved before it is read, so its year is never later than
  the year the build (or import) runs in; a page with no explicit year is of it.
* The order, on a page whose dates run newest first. Pages list papers "newest
  first but in no guaranteed order" (the seeds' undated entries sit anywhere among
  2019-2025 ones), so the order is evidence only when every dated entry follows the
  one above it (or shares its date) and the undated entries, too, run newest first
  by month and day. On such a page an undated entry below a dated one of year Y is
  not later than Y (Y - 1 when its month and day come after that entry's); one
  above a dated entry of year Y is not earlier than Y (Y + 1 likewise). When these
  bounds cross, the order is not trusted.

The year is the earliest the page allows, never later than the latest it allows: a
page that breaks the site's rule (a year shown for some of the newest year's
entries, not others) keeps the year its order pins down. Not the rest of the build:
pages from other people, saved at other times (a build's latest explicit year plus
one, the rule before this one, gave 2027 on real pages that show 2026). On pages
rendered from real arXiv metadata (bench/realpages.py, which drops the year on some
of a page's newest entries) 93.9 % of the 2,537 undated entries get their real year
this way, against 0 % with the old rule and 6.5 % with the clock alone
(bench/year_bench.py). An undated Feb 29 says more: the site's year was a leap year
(`_leap`). The store records that the year was inferred (the app says "assumed"),
whatever gave it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Protocol

from paperdesk.records import Entry

YearOf = Callable[[Sequence[Entry]], int]  # a page's entries -> the year of its undated ones


class Dated(Protocol):
    """What the rule reads of an entry (records.Entry; paperdesk.redate's stored ones)."""

    @property
    def year(self) -> int | None: ...
    @property
    def month(self) -> int: ...
    @property
    def day(self) -> int: ...


def clock_year() -> int:
    """The year the build runs in, by the computer's clock."""
    return datetime.date.today().year


def year_rule(given: int | None, this_year: int) -> YearOf:
    """The year of each page's undated entries: `given` (the user's --year) for every
    page, or each page's own (`page_year`) with `this_year` as the clock's year."""
    if given:  # a page showing an undated Feb 29 still needs a leap year (`_leap`)
        return lambda entries: _leap(given, given) if _feb_29(entries) else given
    return lambda entries: page_year(entries, this_year)


def page_year(entries: Sequence[Dated], this_year: int) -> int:
    """The year of the undated ones of a page's `entries` (page order); see the module
    doc. `this_year`: the year the build runs in."""
    explicit = [e.year for e in entries if e.year]
    earliest, latest = (max(explicit) + 1 if explicit else this_year), this_year
    if _newest_first(entries):
        low = max([0, *_bounds(reversed(entries), below=True)])
        high = min([this_year, *_bounds(entries, below=False)])
        if low <= high:
            earliest, latest = max(earliest, low), high
    if _feb_29(entries):
        return _leap(earliest, latest)
    return min(earliest, latest)


def _feb_29(entries: Sequence[Dated]) -> bool:
    return any(not e.year and (e.month, e.day) == (2, 29) for e in entries)


def _leap(earliest: int, latest: int) -> int:
    """The year of a page that shows Feb 29 without a year: the site's year was a leap
    year. The earliest leap year the page allows, or, when none fits its bounds (its
    years shown say otherwise), the latest leap year not after `latest`: a date that
    exists (2026-02-29 went into the store and every export)."""
    fitting = next((y for y in range(earliest, latest + 1) if calendar.isleap(y)), None)
    if fitting is not None:
        return fitting
    year = latest
    while not calendar.isleap(year):
        year -= 1
    return year


def _newest_first(entries: Sequence[Dated]) -> bool:
    """Whether the dated entries run newest first, and the undated ones too."""
    dated = [(e.year, e.month, e.day) for e in entries if e.year]
    undated = [(0, e.month, e.day) for e in entries if not e.year]
    return all(a >= b for run in (dated, undated) for a, b in pairwise(run))


def _bounds(entries: Iterable[Dated], below: bool) -> list[int]:
    """Walking down the page (or up it, `below`: from the bottom), what the nearest
    dated entry passed says of each undated one's year: at most (at least) its year,
    one less (more) when the undated entry's day is later (earlier) in the year."""
    bounds = []
    dated: Dated | None = None
    for entry in entries:
        if entry.year:
            dated = entry
        elif dated is not None and dated.year:
            after = (entry.month, entry.day) > (dated.month, dated.day)
            before = (entry.month, entry.day) < (dated.month, dated.day)
            shift = int(before) if below else -int(after)
            bounds.append(dated.year + shift)
    return bounds
