"""Run a search-box query on a store: the engine behind `paperdesk search` and the GUI.

The query language is `paperdesk.query`'s. The package: `compile` turns its tree into
SQL, `vocabulary` expands prefixes, `plans` finds the rows (one `Plan` value, the
query made ready to run, is passed around), `clock` stops a stale search (the
caller's `cancelled`).

The order is exact over every match, whatever the store's size, and does not
depend on `limit` (a short page is a prefix of a long one):

* Relevance (words, no sort column) puts the title tier first (every free word in
  the title), then the rest, each newest first (`date DESC, rid DESC`). Rowids
  follow the date (paperdesk.dated), so each tier is read off the full-text index
  in descending rowid order, LIMIT what is wanted: the first page costs about what
  the bare full-text lookup of its rows costs, and no tier is sorted whole. (A
  store built before that has rowids in page order: each tier is read whole and
  sorted by date; exact, slower on a large store.) The title tier comes off the
  titles' own index (schema v7) when the query's match is its free words only,
  so a sparse title tier costs what its title words cost; when it does not fill
  the page it is complete, and the rest is the match's next rows without it.
* Only exclusions (`-the`): FTS5 has no unary NOT, so the match is written as
  "a word in every paper NOT ..." when the index has such a word (see
  `vocabulary.universal`); otherwise the date index is walked newest first and
  each row is tested with its own full-text lookup (NOT EXISTS). When few papers
  lack one of the excluded words (`-the`), the match is driven by those papers
  ("a word in every paper NOT the": two doclists, where a typed prefix excludes
  32 words) and each is tested so (NOT EXISTS); those few are read whole in
  ascending rowid order and turned round (FTS5 reads several terms backwards by
  loading their doclists first).
* No words at all (filters only), or a sort column: the SQL planner walks an index
  in the wanted order and tests each row; a sort column with a small match fetches
  the match and sorts it, with a large one it walks the column's index and tests
  each row against the match (row by row for plain words, through a set built once
  for prefixes and ORs).
* A worker's two searches of one query (a first page, then more) share a
  `plans.ReadOn`: the second one's full-text scans read on below the rowid where
  the first one's stopped (a rare phrase of common words is read once, not twice).
* A scope (one profile or person) is small: its papers are fetched and ordered
  exactly.

`author:` finds people as the author list's filter does (records.name_pieces: `j. lian`
finds Jianxun Lian) and follows the user's decisions about people (see `people`): its
papers are those of the people it names, off the person index, or, for a name most
people hold (`author:j`), each paper's people are tested as the rows are walked.

A prefix (the word being typed, from its first letter) is expanded once, through
the store's vocabulary tables, into the MAX_EXPANSION most frequent indexed words it
starts (see `vocabulary`); in `affil:`, one or two letters are the word itself, as in
`author:` (see `vocabulary.FEW_WORDS`). A phrase whose last word is being typed stands
for the phrases ending in those words, except where the store has a prefix index of
the last word's length (schema v12: 3 and 4 letters): there it is FTS5's own prefix
phrase (`"graph con"*`), every word the prefix starts, read off one ready-made doclist.

Totals are exact when the plan saw the whole match; otherwise they are counted on
the full-text index alone up to COUNT_CAP, or row by row for at most COUNT_BUDGET_S,
and reported as "more than" what was seen beyond that (`count=False`: not counted);
when finding the rows alone took the whole counting budget, counting is not tried.

A word with symbols the index drops at its edge (`c++`: the word c to the index) is
its word in the match and a test of the text as typed (`query.Verbatim`, a LIKE) among
the conditions: only the rows the word narrowed to are read.

User-data filters (`is:starred`, `rating:>=4`, `tag:x`, `note:x`...) read schema
`user` when paperdesk.userdata.attach() put it on the connection; without it they
match nothing, except `is:unread`, which matches every paper.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace

from paperdesk import query as q
from paperdesk.dated import follows_dates
from paperdesk.search.clock import CANCEL_STEPS, Clock, SearchCancelled, cancelling, never
from paperdesk.search.compile import (
    NOT_EXISTS_MATCH,
    SORT_COLUMNS,
    Scope,
    compile_filter,
    has_user_schema,
    narrowed,
    title_covers_match,
    title_words,
    titles_only,
)
from paperdesk.search.people import find_people
from paperdesk.search.plans import Plan, ReadOn, exact
from paperdesk.search.vocabulary import (
    excludes_every_paper,
    expand,
    has_titles_index,
    narrowest_exclusion,
    universal,
)

# The default scope: every paper of the store.
EVERY_PAPER = Scope()

__all__ = ["SORT_COLUMNS", "ReadOn", "Scope", "SearchCancelled", "SearchResult", "has_phrase",
           "search"]


@dataclass
class SearchResult:
    rids: array[int]  # papers.rid in display order
    total: int | None  # exact match count, or None when counting was cut (or not asked)
    at_least: int  # when total is None: "more than at_least"
    ignored: list[str]  # what the query parser ignored, for the status bar
    terms: list[str]  # words to highlight
    elapsed_ms: float
    highlights: tuple[q.Highlight, ...] = ()  # and the columns each was searched in


def search(
    conn: sqlite3.Connection,
    text: str,
    scope: Scope = EVERY_PAPER,
    sort: tuple[str, bool] | None = None,
    limit: int | None = None,
    *,
    count: bool = True,
    cancelled: Callable[[], bool] = never,
    every: int = CANCEL_STEPS,
    read_on: ReadOn | None = None,
) -> SearchResult:
    """Papers of `scope` matching `text`, in display order, at most `limit` of them.

    Never fails on the query text: what it cannot read is listed in `ignored`.
    Order: `sort` (column, descending) when given; otherwise a profile's page
    order for an empty query, relevance for words (every word in the title
    first), newest first for the rest; exact (see the module doc).

    `count=False` leaves the total unknown (None, at least the rows found) when
    `limit` rows were found: a first page at once, the count after.
    `cancelled` is polled every `every` SQLite VM steps on this thread; once it
    returns true the search raises SearchCancelled.
    `read_on`: given to the searches of one query on an unchanged store, one after the
    other (a first page, then more), the later one reads on from where the earlier
    one's full-text scans stopped (see plans.ReadOn).
    """
    started = time.perf_counter()
    limit = None if limit is None else max(limit, 0)  # SQLite reads LIMIT -1 as no limit
    compiled = q.compile_query(text)
    try:
        clock = Clock(cancelled, every)
        with cancelling(conn, clock):
            if read_on is not None:
                read_on.follow(conn)
            plan = replace(_plan(conn, compiled, scope, sort, limit, count, clock),
                           read_on=read_on)
            found, total, at_least = exact(plan)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorname == "SQLITE_INTERRUPT":
            raise SearchCancelled(text) from error
        raise
    return SearchResult(found.rids, total, at_least, list(compiled.ignored),
                        list(compiled.terms), (time.perf_counter() - started) * 1000,
                        compiled.highlights)


def has_phrase(text: str) -> bool:
    """Whether the query holds a phrase of several words (`"efficient att`): FTS5
    matches its words' positions inside single steps of SQLite, which no progress
    handler cuts short (a phrase of common words found in few papers: 0.4-0.9 s in one
    step at 1M). A deadline cannot stop such a search. (`author:` is SQL row by row.)"""
    return _phrase(q.compile_query(text).root)


def _phrase(node: q.Node | None) -> bool:
    if isinstance(node, q.Text):
        return len(q.words(node.text)) > 1
    if isinstance(node, q.Not):
        return _phrase(node.child)
    if isinstance(node, q.And | q.Or):
        return any(_phrase(child) for child in node.children)
    return False


def _plan(conn: sqlite3.Connection, compiled: q.Query, scope: Scope,
          sort: tuple[str, bool] | None, limit: int | None, count: bool,
          clock: Clock) -> Plan:
    """The query made ready to run: prefixes expanded, split into match and filters."""
    user = compiled.reads_user_data and has_user_schema(conn)
    expansions: dict[str, list[str]] = {}
    root = expand(conn, find_people(conn, compiled.root), expansions)
    dated = follows_dates(conn)
    flt = compile_filter(root, scope, user, dated=dated)
    if flt.match is None and any(w == NOT_EXISTS_MATCH for w in flt.where) and (
            scope.kind == "all"):
        word, narrow = universal(conn), narrowest_exclusion(conn, root)
        flt = (narrowed(flt, word, narrow) if word is not None and narrow is not None
               else compile_filter(root, scope, user, word, dated))
    title = title_words(compiled.root, expansions)
    titles = has_titles_index(conn)
    if titles and titles_only(root):
        flt = replace(flt, index="titles_fts")
    titles = titles and title_covers_match(compiled.root)
    return Plan(conn, compiled, flt, title, scope, sort, limit, dated, count,
                clock, excludes_every_paper(conn, root), titles)
