"""Run a search-box query on a store: the engine behind `paperdesk search` and the GUI.

The query language is `paperdesk.query`'s. The package: `compile` turns its tree into
SQL, `vocabulary` expands prefixes and estimates sizes, `plans` finds the rows (one
`Plan` value, the query made ready to run, is passed around), `first` makes the
budgeted first answer, `clock` stops a search (the caller's `cancelled`, a deadline).

Speed on a large store (1M papers) comes from never sorting, ranking or counting a
huge match whole; the first page costs about what the bare full-text lookup costs.

* Relevance (words, no sort column) puts the title tier first (every free word in
  the title), then the rest, each newest first. A tier with at most RANK_CAP
  matches is ranked whole. A bigger one is ranked on a sample: its RANK_CAP
  highest rowids, newest first, followed by the rest of the tier in descending
  rowid order, unranked. Rowids are internal: a build hands them out in page
  order and an import appends (stores built before that derived them from a
  title hash). So the sample is the most recently stored matches (at worst an
  arbitrary set), never "the newest papers": dates play no part in choosing it,
  and "newest first" holds within the sample only.
  SearchResult.ranked_within says when this happened (and on how many matches).
  The order does not depend on `limit`: a short page is a prefix of a long one.
* Only exclusions (`-the`): FTS5 has no unary NOT, so the match is written as
  "a word in every paper NOT ..." when the index has such a word (see
  `_universal`); otherwise the date index is walked newest first and each row is
  tested with its own full-text lookup (NOT EXISTS).
* No words at all (filters only), or a sort column: the SQL planner walks an index
  in the wanted order and tests each row; a sort column with a small match fetches
  the match and sorts it, with a large one it walks the column's index and tests
  each row against the match (row by row for plain words, through a set built once
  for prefixes and ORs).
* A scope (one profile or person) is small: its papers are fetched and ordered
  exactly.

The first answer (`budget_ms`, what the GUI shows while the user types): the
cheapest plan runs first, the match's rows in descending rowid order (the most
recently stored first) with the filters, LIMIT the page. The exact plan then gets
about as long again plus RANK_SLACK_MS (never past the budget); if it finishes, its
answer is returned, exactly what an unbudgeted search gives (a short page is still
a prefix of the full order). If not, the cheap rows are returned with `partial`
set: the caller shows them and runs the search again without a budget. SQLite's
progress handler enforces the deadline between rows, but it is not called inside
FTS5, which reads a whole doclist in one step when a match is sparse (a title tier
that no title fits, the few papers without "the"): the first answer does not start
such a step, judging from the cheap rows' titles and the vocabulary (see
`_first_answer`).

A prefix (the word being typed) is expanded once, through the store's vocabulary
tables (schema v2: `vocab_top` for prefixes of up to 3 characters, a range of
`vocab` otherwise), into the MAX_EXPANSION most frequent indexed words it starts:
FTS5 would otherwise merge every such word's postings at each use.

Totals are exact when the ranking saw the whole match; otherwise they are counted
on the full-text index alone up to COUNT_CAP, or row by row for at most
COUNT_BUDGET_S, and reported as "more than" what was seen beyond that.

User-data filters (`is:starred`, `rating:>=4`, `tag:x`, `note:x`...) read schema
`user` when paperdesk.userdata.attach() put it on the connection; without it they
match nothing, except `is:unread`, which matches every paper.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from paperdesk import query as q
from paperdesk.search.clock import (
    CANCEL_STEPS,
    Clock,
    SearchCancelled,
    cancelling,
    deadlines,
    never,
)
from paperdesk.search.compile import (
    NOT_EXISTS_MATCH,
    SORT_COLUMNS,
    Scope,
    compile_filter,
    has_user_schema,
    title_words,
    uses_user_data,
)
from paperdesk.search.first import first_answer
from paperdesk.search.plans import Plan, exact
from paperdesk.search.vocabulary import expand, universal

# The default scope: every paper of the store.
EVERY_PAPER = Scope()

__all__ = ["SORT_COLUMNS", "Scope", "SearchCancelled", "SearchResult", "search"]


@dataclass
class SearchResult:
    rids: array[int]  # papers.rid in display order
    total: int | None  # exact match count, or None when counting was cut
    at_least: int  # when total is None: "more than at_least"
    ignored: list[str]  # what the query parser ignored, for the status bar
    terms: list[str]  # words to highlight
    elapsed_ms: float
    # None: the order is exact. N: a relevance tier had more than N matches and was
    # ranked on a sample of N of them (see the module doc); the rest follow unranked.
    ranked_within: int | None = None
    # A budgeted first answer that ran out of time: rows of the match, the most
    # recently stored first, not in display order (and, when fewer than the limit,
    # perhaps not all of them). Search again without a budget for the real answer.
    partial: bool = False


# interrupt_on's staleness test and step count, by id(connection), while it is on.
_WATCHERS: dict[int, tuple[Callable[[], bool], int]] = {}


def search(
    conn: sqlite3.Connection,
    text: str,
    scope: Scope = EVERY_PAPER,
    sort: tuple[str, bool] | None = None,
    limit: int | None = None,
    budget_ms: float | None = None,
    cancelled: Callable[[], bool] = never,
    every: int = CANCEL_STEPS,
) -> SearchResult:
    """Papers of `scope` matching `text`, in display order, at most `limit` of them.

    Never fails on the query text: what it cannot read is listed in `ignored`.
    Order: `sort` (column, descending) when given; otherwise a profile's page
    order for an empty query, relevance for words (every word in the title
    first; see the module doc for the cap), newest first for the rest.

    `cancelled` is polled every `every` SQLite VM steps (and between plans) on this
    thread; once it returns true the search raises SearchCancelled.

    `budget_ms` (with a `limit`, outside a scope) makes this a quick first answer: the
    exact one when it can be had in time, else a `partial` one (see the module doc).
    """
    started = time.perf_counter()
    limit = None if limit is None else max(limit, 0)  # SQLite reads LIMIT -1 as no limit
    compiled = q.compile_query(text)
    clock = Clock(cancelled, every)
    partial = False
    try:
        with cancelling(conn, clock):
            plan, root, expansions = _prepare(conn, clock, compiled, scope, sort, limit)
            if budget_ms is None or limit is None or scope.kind != "all" or limit == 0:
                found, total, at_least = exact(plan)
            else:
                with deadlines(conn, clock):
                    found, total, at_least, partial = first_answer(
                        plan, started + budget_ms / 1000, root, expansions)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorname == "SQLITE_INTERRUPT":
            raise SearchCancelled(text) from error
        raise
    return SearchResult(
        found.rids,
        total,
        at_least,
        list(compiled.ignored),
        list(compiled.terms),
        (time.perf_counter() - started) * 1000,
        found.ranked_within,
        partial,
    )


def _prepare(conn: sqlite3.Connection, clock: Clock, compiled: q.Query, scope: Scope,
             sort: tuple[str, bool] | None, limit: int | None,
             ) -> tuple[Plan, q.Node | None, dict[str, list[str]]]:
    """The Plan, the tree with its prefixes expanded, and what each prefix stands for."""
    user = uses_user_data(compiled.root) and has_user_schema(conn)
    expansions: dict[str, list[str]] = {}
    root = expand(conn, compiled.root, expansions)
    flt = compile_filter(root, scope, user)
    if flt.match is None and any(w == NOT_EXISTS_MATCH for w in flt.where):
        flt = compile_filter(root, scope, user, universal(conn)) if scope.kind == "all" else flt
    title = title_words(compiled.root, expansions)
    return Plan(conn, clock, compiled, flt, title, scope, sort, limit), root, expansions
