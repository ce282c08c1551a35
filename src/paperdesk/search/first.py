"""The first answer (`budget_ms`, what the GUI shows while the user types).

The cheapest plan runs first, the match's rows in descending rowid order (the most
recently stored first) with the filters, LIMIT the page. The exact plan then gets
about as long again plus RANK_SLACK_MS (never past the budget); if it finishes, its
answer is returned, exactly what an unbudgeted search gives (a short page is still
a prefix of the full order). If not, the cheap rows are returned with `partial`
set: the caller shows them and runs the search again without a budget. SQLite's
progress handler enforces the deadline between rows, but it is not called inside
FTS5, which reads a whole doclist in one step when a match is sparse (a title tier
that no title fits, the few papers without "the"): the first answer does not start
such a step, judging from the cheap rows' titles and the vocabulary.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Callable

from paperdesk import query as q
from paperdesk.search.clock import Clock, OutOfTime, stopping
from paperdesk.search.compile import Filter, Params, title_test
from paperdesk.search.plans import (
    BY_ROWID,
    NEWEST,
    TITLE_FIRST,
    Plan,
    Rows,
    exact,
    from_where,
    ids,
    scan,
    to_json,
)
from paperdesk.search.vocabulary import docs_at_least, docs_at_most, paper_total

# The first answer's exact plan may take as long as the cheap plan took plus this...
RANK_SLACK_MS = 3.0
# ...and is tried only when at least this share of the cheap rows is in the title tier
# (a sparser tier makes FTS5 read the whole index in one uninterruptible step).
TITLE_SHARE = 0.05
# Exclusions only: when fewer than one paper in this many is left ("-the": x is in
# nearly every paper), the first answer does not walk the index to find them.
SPARSE_WALK = 1_000
# A match the vocabulary says has at most this many rows is read whole without worry.
SMALL_MATCH = 20_000
# The first answer counts row by row for this long at most (the full answer counts more).
FIRST_COUNT_S = 0.001


def first_answer(plan: Plan, deadline: float, root: q.Node | None,
                 expansions: dict[str, list[str]]) -> tuple[Rows, int | None, int, bool]:
    """The cheap rows first, then the exact plan for as long again plus RANK_SLACK_MS
    (or, when the cheap rows are every match, those rows put in order).

    SQLite's progress handler enforces the deadline, but it is not called inside
    FTS5, which can walk a whole doclist between two rows of a sparse match (a title
    tier nobody's title fits, "NOT the"). Such a step is not started: the match itself
    may be one (`sparse_exclusion`), and for relevance the title tier's share among the
    cheap rows (`title_test` on their titles) must be at least TITLE_SHARE. When the
    match is small (no full-text match, or one the vocabulary says is small), the exact
    plan runs at once. `root` is the query tree with its prefixes expanded as
    `expansions` says.
    """
    conn, clock, flt, title, limit = plan.conn, plan.clock, plan.flt, plan.title, plan.limit
    assert limit is not None
    test = title_test(plan.compiled.root, expansions)
    small = flt.match is None or docs_at_most(conn, root) <= SMALL_MATCH
    if sparse_exclusion(conn, root, flt):
        return Rows(ids()), None, 0, True
    clock.deadline = deadline
    clock.count_s = FIRST_COUNT_S
    if small:  # SQL the progress handler stops, or a small match: no cheap answer first
        try:
            clock.check()  # no plan starts past the deadline
            found, total, at_least = exact(plan)
            return found, total, at_least, False
        except OutOfTime:
            return Rows(ids()), None, 0, True
    began = time.perf_counter()
    rows, cut = newest_stored(conn, clock, flt, limit)
    if not cut and len(rows) < limit:  # every match: put them in order, row by row
        try:
            with stopping(clock):
                return Rows(_known_order(conn, rows, title)), len(rows), len(rows), False
        except OutOfTime:
            return Rows(rows), len(rows), len(rows), True  # every match, not yet in order
    dense = True
    if not cut and len(rows) == limit and title is not None and test is not None:
        try:
            with stopping(clock):
                dense = _title_share(conn, rows, test) >= TITLE_SHARE
        except OutOfTime:
            cut = True
    if not cut and dense:
        spent = time.perf_counter() - began
        clock.deadline = min(deadline, time.perf_counter() + spent + RANK_SLACK_MS / 1000)
        try:
            clock.check()
            found, total, at_least = exact(plan)
            return found, total, at_least, False
        except OutOfTime:
            pass
    return Rows(rows), None, len(rows), True


def _known_order(conn: sqlite3.Connection, rids: array[int], title: str | None) -> array[int]:
    """`rids`, every match there is (few, and passing the filters), in relevance order:
    the title tier first, then newest first, as _ranked orders them. Each row's title is
    tested with its own full-text lookup: cheaper for a few rows than reading the
    index's postings whole again for the title tier."""
    tier = ""
    params: Params = [to_json(rids)]
    if title is not None:
        tier = TITLE_FIRST
        params.append(title)
    sql = (f"SELECT p.rid FROM json_each(?) j CROSS JOIN {BY_ROWID} ON p.rid = j.value"
           f" ORDER BY {tier}{NEWEST}")
    return ids(rid for (rid,) in conn.execute(sql, params))


def _title_share(conn: sqlite3.Connection, rids: array[int],
                 test: Callable[[str], bool]) -> float:
    if not rids:
        return 1.0
    sql = "SELECT title FROM papers WHERE rid IN (SELECT value FROM json_each(?))"
    titles = [title for (title,) in conn.execute(sql, (to_json(rids),))]
    return sum(map(test, titles)) / len(rids)


def sparse_exclusion(conn: sqlite3.Connection, root: q.Node | None, flt: Filter) -> bool:
    """Exclusions only, of a word in nearly every paper (`-the`): the few papers left
    are far apart in the index, found only by reading its whole doclist."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    if flt.match is None or not clauses or not all(isinstance(c, q.Not) for c in clauses):
        return False
    papers = paper_total(conn)[0]
    excluded = max(docs_at_least(conn, c.child) for c in clauses if isinstance(c, q.Not))
    left = max(papers - excluded, 0)
    return left * SPARSE_WALK < papers


def newest_stored(conn: sqlite3.Connection, clock: Clock, flt: Filter,
                  limit: int) -> tuple[array[int], bool]:
    """The cheapest answer: matching rows, highest rowid (most recently stored) first.

    (rows, whether the clock stopped the search before it had `limit` rows or all).
    """
    rows = ids()
    try:
        with stopping(clock):
            if flt.match is not None:
                scan(conn, flt.match, limit, where=flt.where, params=flt.params, into=rows)
            else:
                source, params = from_where(flt, "fts")
                for (rid,) in conn.execute(f"SELECT p.rid {source} ORDER BY p.rid DESC LIMIT ?",
                                           [*params, limit]):
                    rows.append(rid)
    except OutOfTime:
        return rows, True
    return rows, False
