"""Run a search-box query on a store: the engine behind `paperdesk search` and the GUI.

The query language is `paperdesk.query`'s; this module turns its tree into SQL.

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

import json
import math
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal

from paperdesk import query as q
from paperdesk.schema import VOCAB_TOP_PREFIX

SORT_COLUMNS = ("date", "title", "authors", "category", "code", "score", "starred", "read",
                "rating")

_SORT_SQL = {
    "date": "p.date",
    "title": "p.title COLLATE NOCASE",
    "authors": "p.authors COLLATE NOCASE",
    "category": "p.category",
    "code": "p.has_code",
    "score": "p.score",
    "starred": "(SELECT n.starred FROM user.paper_notes n WHERE n.paper = p.id)",
    "read": "(SELECT CASE n.read_state WHEN 'reading' THEN 1 WHEN 'read' THEN 2 END"
            " FROM user.paper_notes n WHERE n.paper = p.id)",
    "rating": "(SELECT n.rating FROM user.paper_notes n WHERE n.paper = p.id)",
}
# Columns sorted in two parts: the rows that have a value (by it), then the rest, newest
# first. The rest are most rows (few papers have a score, fewer a star), so they come off
# the date index, tested by rowid against the valued rows (collected once); the few with
# a value are sorted. A missing figure (score, rating) comes last in both directions; for
# a star or a read state, ascending puts the rest first. {t}: the papers table's alias.
_HAS_VALUE = {
    "score": "{t}.score IS NOT NULL",
    "starred": "{t}.id IN (SELECT n.paper FROM user.paper_notes n WHERE n.starred)",
    "read": "{t}.id IN (SELECT n.paper FROM user.paper_notes n"
            " WHERE n.read_state <> 'unread')",
    "rating": "{t}.id IN (SELECT n.paper FROM user.paper_notes n WHERE n.rating IS NOT NULL)",
}
_MISSING_LAST = {"score", "rating"}
_USER_SORT = {"starred", "read", "rating"}

# Sorting by a column: matches smaller than this are fetched whole, then sorted.
FTS_DRIVEN = 15_000
# Relevance ranks a tier whole up to this many matches, else a sample this big.
RANK_CAP = 1_000
# A prefix stands for at most this many indexed words, the most frequent it starts.
MAX_EXPANSION = 32
# Totals above this are reported as "more than COUNT_CAP".
COUNT_CAP = 10_000
# Counting row by row stops after this long, reporting "more than" what it has seen.
COUNT_BUDGET_S = 0.005
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
# SQLite VM steps between two looks at the deadline.
DEADLINE_STEPS = 1_000

Params = list[object]


class SearchCancelled(Exception):
    """The search was interrupted (see `interrupt_on`) before it finished."""


@dataclass(frozen=True)
class Scope:
    """What the author list has selected."""

    kind: Literal["all", "profile", "profiles", "person"] = "all"
    # profiles.id for "profile", a tuple of them for "profiles", people.key for "person"
    value: int | str | tuple[int, ...] | None = None


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


@contextmanager
def interrupt_on(
    conn: sqlite3.Connection, is_stale: Callable[[], bool], every: int = 10_000
) -> Iterator[None]:
    """Within the block, searches on `conn` raise SearchCancelled once `is_stale()` is true.

    `is_stale` is polled every `every` SQLite VM steps, on the searching thread
    (and between the windows of a full-text scan).
    """
    _WATCHERS[id(conn)] = (is_stale, every)
    conn.set_progress_handler(lambda: int(is_stale()), every)
    try:
        yield
    finally:
        _WATCHERS.pop(id(conn), None)
        conn.set_progress_handler(None, 0)


class _OutOfTime(Exception):
    """The first answer's budget ran out before the plan finished."""


def _never() -> bool:
    return False


@dataclass
class _Clock:
    """When the running plan must stop (None: never), and how to tell a stale search."""

    stale: Callable[[], bool] = _never
    deadline: float | None = None
    count_s: float = 0.0  # counting row by row stops after this long (0: COUNT_BUDGET_S)

    def left(self) -> float:
        return math.inf if self.deadline is None else self.deadline - time.perf_counter()

    def over(self) -> bool:
        return self.stale() or (self.deadline is not None and time.perf_counter() > self.deadline)

    def check(self) -> None:
        if self.stale():
            raise SearchCancelled
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise _OutOfTime


def _clock(conn: sqlite3.Connection) -> _Clock:
    watcher = _WATCHERS.get(id(conn))
    return _Clock(watcher[0] if watcher else _never)


@contextmanager
def _deadlines(conn: sqlite3.Connection, clock: _Clock) -> Iterator[None]:
    """Statements stop at clock.deadline (read at each look, so it may move); then restore."""
    watcher = _WATCHERS.get(id(conn))
    every = DEADLINE_STEPS if watcher is None else min(watcher[1], DEADLINE_STEPS)
    conn.set_progress_handler(lambda: int(clock.over()), every)
    try:
        yield
    finally:
        if watcher is None:
            conn.set_progress_handler(None, 0)
        else:
            stale = watcher[0]
            conn.set_progress_handler(lambda: int(stale()), watcher[1])


@contextmanager
def _stopping(clock: _Clock) -> Iterator[None]:
    """An interrupted statement becomes SearchCancelled (stale) or _OutOfTime (deadline)."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if error.sqlite_errorname != "SQLITE_INTERRUPT":
            raise
        if clock.stale():
            raise SearchCancelled from error
        if clock.deadline is not None and time.perf_counter() > clock.deadline:
            raise _OutOfTime from error
        raise


# ---------------------------------------------------------------- query tree -> SQL


def _quote(text: str) -> str:
    """One FTS5 string: whatever it holds is matched as words, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


def _fts_text(node: q.Text) -> str:
    expression = _quote(node.text) + ("*" if node.prefix else "")
    if node.columns == q.ALL_COLUMNS:
        return expression
    return "{" + " ".join(node.columns) + "} : " + expression


def _fts_author(node: q.Author) -> str:
    """Each word starts a name word; several words must be close, as in one name."""
    words = [_quote(w) + ("*" if len(w) >= q.MIN_PREFIX else "") for w in node.words]
    if len(words) == 1:
        return "{authors} : " + words[0]
    return "{authors} : NEAR(" + " ".join(words) + ", 2)"


def _fts(node: q.Node) -> str | None:
    """The FTS5 expression for `node`, or None when FTS5 alone cannot express it."""
    if isinstance(node, q.Text):
        return _fts_text(node)
    if isinstance(node, q.Author):
        return _fts_author(node)
    if isinstance(node, q.Or):
        options = [_fts(child) for child in node.children]
        if any(option is None for option in options):
            return None
        return "(" + " OR ".join(f"({option})" for option in options) + ")"
    if isinstance(node, q.And):
        return _fts_and(list(node.children))
    return None


def _fts_and(children: list[q.Node]) -> str | None:
    """FTS5 has no unary NOT: a conjunction needs one positive part to subtract from."""
    positive: list[str] = []
    negative: list[str] = []
    for child in children:
        if isinstance(child, q.Not) and (expression := _fts(child.child)) is not None:
            negative.append(expression)
        elif (expression := _fts(child)) is not None:
            positive.append(expression)
        else:
            return None
    if not positive:
        return None
    result = "(" + " AND ".join(f"({part})" for part in positive) + ")"
    if negative:
        result += " NOT (" + " OR ".join(f"({part})" for part in negative) + ")"
    return result


_IN_MATCH = "p.rid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
_NOT_EXISTS_MATCH = (
    "NOT EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts.rowid = p.rid AND papers_fts MATCH ?)"
)
_IN_PROFILE = (
    "p.rid IN (SELECT pp.paper FROM profile_papers pp JOIN profiles pr ON pr.id = pp.profile"
    " WHERE pr.person LIKE ? ESCAPE '\\')"
)
# User data (schema `user`, see paperdesk.userdata): papers.id is the key there.
_USER_NOTES = "p.id IN (SELECT n.paper FROM user.paper_notes n WHERE {})"
_USER_CONDITIONS = {
    "starred": "n.starred",
    "reading": "n.read_state = 'reading'",
    "read": "n.read_state = 'read'",
    "rating": "n.rating BETWEEN ? AND ?",
    "note": "n.note LIKE ? ESCAPE '\\'",
}


def _like_contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _user_filter(node: q.UserFilter, user: bool) -> tuple[str, Params]:
    if not user:  # no user data: nothing is starred, rated, tagged... and all is unread
        return ("1" if node.kind == "unread" else "0"), []
    if node.kind == "unread":
        return ("p.id NOT IN (SELECT n.paper FROM user.paper_notes n"
                " WHERE n.read_state <> 'unread')"), []
    if node.kind == "tag":
        return "p.id IN (SELECT t.paper FROM user.paper_tags t WHERE t.tag = ?)", [node.text]
    params: Params = []
    if node.kind == "rating":
        params = [node.low, node.high]
    elif node.kind == "note":
        params = [_like_contains(node.text)]
    return _USER_NOTES.format(_USER_CONDITIONS[node.kind]), params


def _predicate(node: q.Node, user: bool) -> tuple[str, Params]:
    """An SQL condition on `papers p` for `node`."""
    if (expression := _fts(node)) is not None:
        return _IN_MATCH, [expression]
    if isinstance(node, q.Category):
        if not node.codes:
            return "0", []
        return f"p.category IN ({', '.join('?' * len(node.codes))})", list(node.codes)
    if isinstance(node, q.Year):
        return _year(node)
    if isinstance(node, q.Code):
        return "p.has_code = ?", [int(node.has_code)]
    if isinstance(node, q.Profile):
        return _IN_PROFILE, [_like_contains(node.name)]
    if isinstance(node, q.UserFilter):
        return _user_filter(node, user)
    if isinstance(node, q.Not):
        sql, params = _predicate(node.child, user)
        return f"NOT ({sql})", params
    assert isinstance(node, q.And | q.Or)
    parts = [_predicate(child, user) for child in node.children]
    joiner = " AND " if isinstance(node, q.And) else " OR "
    return "(" + joiner.join(f"({sql})" for sql, _ in parts) + ")", [
        param for _, params in parts for param in params
    ]


def _year(node: q.Year) -> tuple[str, Params]:
    """On the ISO date (its first four characters are the year): a range of the date index."""
    conditions: list[str] = []
    params: Params = []
    if node.low is not None:
        conditions.append("p.date >= ?")
        params.append(f"{node.low:04d}")
    if node.high is not None:
        conditions.append("p.date < ?")
        params.append(f"{node.high + 1:04d}")
    return " AND ".join(conditions), params


def _scope(scope: Scope) -> tuple[str, Params] | None:
    if scope.kind == "profile":
        return "p.rid IN (SELECT paper FROM profile_papers WHERE profile = ?)", [scope.value]
    if scope.kind == "profiles" and isinstance(scope.value, tuple):
        marks = ", ".join("?" * len(scope.value))
        return (f"p.rid IN (SELECT paper FROM profile_papers WHERE profile IN ({marks}))",
                list(scope.value))
    if scope.kind == "person":
        return "p.rid IN (SELECT paper FROM paper_authors WHERE person = ?)", [scope.value]
    return None


@dataclass(frozen=True)
class _Filter:
    """A query split for planning: an FTS5 match every row must have, plus SQL conditions."""

    match: str | None
    where: tuple[str, ...]
    params: tuple[object, ...]
    simple: bool  # the match is cheap to test row by row: no prefix, no OR
    seek: int = 0  # the first `seek` conditions of `where` are date ranges (top-level year:)


def _filter(root: q.Node | None, scope: Scope, user: bool = False,
            universal: str | None = None) -> _Filter:
    """Top-level clauses FTS5 can express become the match; the rest become SQL.

    With exclusions only, the match subtracts them from `universal` (a word in
    every paper) when given; otherwise each row is tested with NOT EXISTS.
    """
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    positive = [c for c in clauses if _fts(c) is not None]
    negative = [c for c in clauses if _negated_fts(c)]
    match = None
    if positive:
        match = _fts_and(positive + negative)
    elif negative and universal is not None:
        match = _fts_and([q.Text(universal), *negative])
    where: list[str] = []
    params: Params = []
    rest = [c for c in clauses if c not in positive and c not in negative]
    years = [c for c in rest if isinstance(c, q.Year)]
    rest = years + [c for c in rest if not isinstance(c, q.Year)]
    for sql, values in [_predicate(c, user) for c in rest] + [s for s in [_scope(scope)] if s]:
        where.append(sql)
        params.extend(values)
    if match is None:
        for clause in negative:
            assert isinstance(clause, q.Not)
            where.append(_NOT_EXISTS_MATCH)
            params.append(_fts(clause.child))
    simple = all(_simple(c) for c in positive + negative)
    return _Filter(match, tuple(where), tuple(params), simple, len(years))


def _negated_fts(node: q.Node) -> bool:
    return isinstance(node, q.Not) and _fts(node.child) is not None


def _simple(node: q.Node) -> bool:
    if isinstance(node, q.Text):
        return not node.prefix
    if isinstance(node, q.Not):
        return _simple(node.child)
    if isinstance(node, q.And):
        return all(_simple(child) for child in node.children)
    return False


def _title_words(root: q.Node | None, expansions: dict[str, list[str]]) -> str | None:
    """The FTS5 expression "every top-level free word is in the title", for relevance.

    A prefix stands for the words it was expanded to (see `_expand`).
    """
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    words: list[q.Node] = []
    for clause in clauses:
        if not isinstance(clause, q.Text) or clause.columns != q.ALL_COLUMNS:
            continue
        terms = expansions.get(clause.text) if clause.prefix else None
        if terms:
            words.append(q.Or(tuple(q.Text(term, ("title",)) for term in terms)))
        else:
            words.append(q.Text(clause.text, ("title",), clause.prefix))
    return _fts_and(words) if words else None


def _uses_user_data(node: q.Node | None) -> bool:
    if isinstance(node, q.UserFilter):
        return True
    if isinstance(node, q.Not):
        return _uses_user_data(node.child)
    if isinstance(node, q.And | q.Or):
        return any(_uses_user_data(child) for child in node.children)
    return False


def _has_user_schema(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "user" for row in conn.execute("PRAGMA database_list"))


# ---------------------------------------------------------------- the vocabulary

_VOCAB = "temp.paperdesk_vocab"


def _expansion(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """The indexed words `prefix` starts (folded as the index folds), most frequent first."""
    folded = q.fold(prefix)
    try:
        if len(folded) <= VOCAB_TOP_PREFIX:
            rows = conn.execute(
                "SELECT term FROM vocab_top WHERE prefix = ? ORDER BY rank LIMIT ?",
                (folded, MAX_EXPANSION),
            )
        else:
            rows = conn.execute(
                "SELECT term FROM vocab WHERE term >= ? AND term < ?"
                " ORDER BY docs DESC, term LIMIT ?",
                (folded, folded + "\U0010ffff", MAX_EXPANSION),
            )
        return [term for (term,) in rows]
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
    # A store without the vocabulary tables (schema v1, read-only): scan the index's.
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCAB} USING fts5vocab(main, papers_fts, row)"
    )
    sql = f"SELECT term FROM {_VOCAB} WHERE term >= ? AND term < ? ORDER BY doc DESC LIMIT ?"
    rows = conn.execute(sql, (folded, folded + "\U0010ffff", MAX_EXPANSION))
    return [term for (term,) in rows]


def _expand(
    conn: sqlite3.Connection, node: q.Node | None, expansions: dict[str, list[str]]
) -> q.Node | None:
    """`node` with each one-word prefix replaced by the words it stands for.

    Records each free-text prefix's words in `expansions` (by the node's text).
    """
    if isinstance(node, q.Text) and node.prefix and len(q.words(node.text)) == 1:
        terms = _expansion(conn, q.words(node.text)[0])
        expansions[node.text] = terms
        return _any_of(terms, node.columns) or node
    if isinstance(node, q.Author) and len(node.words) == 1 and len(node.words[0]) >= q.MIN_PREFIX:
        return _any_of(_expansion(conn, node.words[0]), ("authors",)) or node
    if isinstance(node, q.Not):
        return q.Not(_expand(conn, node.child, expansions) or node.child)
    if isinstance(node, q.And | q.Or):
        children = tuple(_expand(conn, child, expansions) or child for child in node.children)
        return type(node)(children)
    return node


def _any_of(terms: list[str], columns: tuple[q.Column, ...]) -> q.Node | None:
    if not terms:
        return None
    return q.Or(tuple(q.Text(term, columns) for term in terms))


def _universal(conn: sqlite3.Connection) -> str | None:
    """An indexed word that every paper contains, if there is one (from the vocabulary).

    `"word" NOT (x)` is then the FTS5 form of "not x": FTS5 merges the two
    postings lists in C instead of SQL testing every row.
    """
    try:
        papers = conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()
        if papers is None:
            return None
        row = conn.execute(
            "SELECT v.term FROM vocab_top t JOIN vocab v ON v.term = t.term"
            " WHERE length(t.prefix) = 1 AND t.rank = 0 AND v.docs = ?"
            " ORDER BY v.term LIMIT 1",
            (int(papers[0]),),
        ).fetchone()
    except (sqlite3.OperationalError, ValueError, TypeError):
        return None
    return None if row is None else str(row[0])


# ---------------------------------------------------------------- running

def _ids(rowids: Iterable[int] = ()) -> array[int]:
    """Rowids as one array of int64. A result can hold a million of them: as a list,
    that is a million int objects (36 MB) that Python's allocator keeps, in part, after
    they are freed; an array is 8 MB in one block, and each row's int is freed at once."""
    return array("q", rowids)


def _json(rids: array[int]) -> str:
    """`rids` as one JSON array, for `json_each(?)`."""
    return json.dumps(rids.tolist())


def _scan(conn: sqlite3.Connection, match: str, want: int | None, *,
          below: int | None = None, where: tuple[str, ...] = (),
          params: tuple[object, ...] = (), into: array[int] | None = None) -> array[int]:
    """Up to `want` (None: all) rowids of `match`, highest first, below `below` when given;
    with `where`, only those whose `papers p` row passes it.

    Rows are appended to `into` as they come, so that a caller keeps them when the
    progress handler stops the statement.
    """
    rows = _ids() if into is None else into
    source = "papers_fts"
    if where:
        source += " CROSS JOIN papers p ON p.rid = papers_fts.rowid"
    tests = "".join(f" AND ({sql})" for sql in where)
    bound = "" if below is None else " AND papers_fts.rowid < ?"
    sql = (f"SELECT papers_fts.rowid FROM {source} WHERE papers_fts MATCH ?{bound}{tests}"
           " ORDER BY papers_fts.rowid DESC LIMIT ?")
    values = [match, *([] if below is None else [below]), *params, -1 if want is None else want]
    rows.extend(rid for (rid,) in conn.execute(sql, values))
    return rows


def _probe(conn: sqlite3.Connection, match: str, cap: int) -> int:
    """How many rows `match` has, up to `cap`: cheap, the full-text index alone answers."""
    sql = "SELECT count(*) FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)"
    return int(conn.execute(sql, (match, cap)).fetchone()[0])


def _from_where(flt: _Filter, mode: str) -> tuple[str, Params]:
    """`FROM ... WHERE ...` selecting `p` rows; `mode` says how the match is applied.

    "fts": the match drives; "in": each row is tested against the match's rowids,
    collected once; "exists": each row is tested with its own full-text lookup.
    """
    where = list(flt.where)
    params: Params = list(flt.params)
    source = "papers p"
    if flt.match is not None and mode == "fts":
        source = "papers_fts CROSS JOIN papers p ON p.rid = papers_fts.rowid"
        where.insert(0, "papers_fts MATCH ?")
        params.insert(0, flt.match)
    elif flt.match is not None:
        # `+` keeps the planner from driving by the match: it is a test on each row.
        where.append(
            "+p.rid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
            if mode == "in"
            else "EXISTS (SELECT 1 FROM papers_fts WHERE rowid = p.rid AND papers_fts MATCH ?)"
        )
        params.append(flt.match)
    sql = f"FROM {source}" + (f" WHERE {' AND '.join(where)}" if where else "")
    return sql, params


def _select(
    conn: sqlite3.Connection, flt: _Filter, order: str, limit: int | None, mode: str = "fts"
) -> array[int]:
    source, params = _from_where(flt, mode)
    sql = f"SELECT p.rid {source} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _ids(rid for (rid,) in conn.execute(sql, params))


def _sorted(conn: sqlite3.Connection, clock: _Clock, flt: _Filter, order: str,
            limit: int | None) -> array[int]:
    """Rows in `order`, driven by the match when it is small, by the order's index if not."""
    if flt.match is None or limit is None:
        return _select(conn, flt, order, limit)
    if _probe(conn, flt.match, FTS_DRIVEN) < FTS_DRIVEN:
        return _select(conn, flt, order, limit)
    return _select(conn, flt, order, limit, "exists" if flt.simple else "in")


_NEWEST = "p.date DESC, p.rid DESC"
# Papers looked up by rowid for their date (and the filters' columns): a small index
# entry each, not the long row (schema v3).
_BY_ROWID = "papers p INDEXED BY papers_row"
# ORDER BY this first: the rows whose own full-text row matches ? (the title tier) first.
_TITLE_FIRST = "NOT EXISTS (SELECT 1 FROM papers_fts WHERE rowid = p.rid AND papers_fts MATCH ?), "


# Filters alone: the date index is walked this far before the planner is asked.
WALK_ROWS = 4_000


def _walk_newest(conn: sqlite3.Connection, flt: _Filter, limit: int) -> array[int] | None:
    """The first `limit` rows newest first, walking the date index and testing each row.

    None when WALK_ROWS rows did not fill the page: the filter is too rare for a
    walk, and the planner's choice (an index on the filter, then a sort) is better.
    """
    seek = flt.where[: flt.seek]
    seek_params = flt.params[: sum(sql.count("?") for sql in seek)]
    tests = flt.where[flt.seek :] or ("1",)
    condition = " AND ".join(f"({sql})" for sql in tests)
    where = f" WHERE {' AND '.join(seek)}" if seek else ""
    sql = (f"SELECT p.rid, {condition} FROM papers p INDEXED BY papers_date{where}"
           f" ORDER BY {_NEWEST} LIMIT ?")
    params = [*flt.params[len(seek_params):], *seek_params, WALK_ROWS]
    rows = _ids()
    scanned = 0
    for rid, ok in conn.execute(sql, params):
        scanned += 1
        if ok:
            rows.append(rid)
            if len(rows) == limit:
                return rows
    return rows if scanned < WALK_ROWS else None


@dataclass
class _Tier:
    rids: array[int]
    size: int | None  # every row of the tier (None: it was ranked on a sample)


def _tier(conn: sqlite3.Connection, clock: _Clock, match: str, flt: _Filter,
          want: int | None) -> _Tier:
    """The rows of `match` (and flt.where), newest first, ranked within RANK_CAP matches.

    At most `want` rows; a tier above RANK_CAP is its sample ranked, then the
    rest in descending rowid order (see the module doc): any `want` gives a prefix.
    """
    ids = _scan(conn, match, RANK_CAP + 1)
    large = len(ids) > RANK_CAP
    sample = ids[:RANK_CAP]
    if flt.where or len(sample) > 1:
        where = "".join(f" AND ({sql})" for sql in flt.where)
        sql = (f"SELECT p.rid FROM json_each(?) j CROSS JOIN {_BY_ROWID} ON p.rid = j.value"
               f" WHERE 1{where} ORDER BY {_NEWEST}")
        ranked = _ids(rid for (rid,) in conn.execute(sql, [_json(sample), *flt.params]))
    else:
        ranked = sample
    rows = ranked if want is None else ranked[:want]
    if not large:
        return _Tier(rows, len(ranked))
    more = None if want is None else want - len(rows)
    if more is None or more > 0:
        _scan(conn, match, more, below=sample[-1], where=flt.where, params=flt.params,
              into=rows)
    return _Tier(rows, None)


@dataclass
class _Rows:
    rids: array[int]
    total: int | None = None  # known without counting
    ranked_within: int | None = None


def _ranked(conn: sqlite3.Connection, clock: _Clock, flt: _Filter, title: str | None,
            limit: int | None) -> _Rows:
    """Relevance: papers with every free word in the title first, then the rest; newest first."""
    assert flt.match is not None
    tiers = [flt.match] if title is None else [
        f"({flt.match}) AND ({title})", f"({flt.match}) NOT ({title})"]
    result = _Rows(_ids(), 0)
    for match in tiers:
        want = None if limit is None else limit - len(result.rids)
        if want is not None and want <= 0:
            result.total = None  # not looked at: unknown
            break
        tier = _tier(conn, clock, match, flt, want)
        result.rids += tier.rids
        if tier.size is None:
            result.ranked_within = RANK_CAP
        result.total = None if tier.size is None or result.total is None else (
            result.total + tier.size)
    return result


def _count(conn: sqlite3.Connection, clock: _Clock, flt: _Filter) -> tuple[int | None, int]:
    """(total, at_least): exact up to COUNT_CAP rows within COUNT_BUDGET_S, else a floor."""
    if flt.match is not None and not flt.where:
        size = _probe(conn, flt.match, COUNT_CAP + 1)
        return (size, size) if size <= COUNT_CAP else (None, COUNT_CAP)
    if flt.match is None and not flt.where:
        return _count_all(conn)
    source, params = _from_where(flt, "fts")
    rows = conn.execute(f"SELECT 1 {source} LIMIT ?", [*params, COUNT_CAP + 1])
    deadline = time.perf_counter() + min(clock.count_s or COUNT_BUDGET_S, clock.left())
    seen = 0
    for _ in rows:
        if seen == COUNT_CAP or time.perf_counter() > deadline:
            return None, seen  # this row is one more than `seen`
        seen += 1
    return seen, seen


def _count_all(conn: sqlite3.Connection) -> tuple[int, int]:
    """Every paper: the build keeps the figure in meta (no count(*) over a million rows)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()
        total = int(row[0]) if row is not None else None
    except (sqlite3.OperationalError, ValueError, TypeError):
        total = None
    if total is None:
        total = int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])
    return total, total


def _order(sort: tuple[str, bool]) -> str:
    column, descending = sort
    if column not in _SORT_SQL:
        raise ValueError(f"unknown sort column {column!r}; expected one of {SORT_COLUMNS}")
    direction = " DESC" if descending else ""
    return f"{_SORT_SQL[column]}{direction}, p.rid{direction}"


def _profile_order(
    conn: sqlite3.Connection, flt: _Filter, scope: Scope, limit: int | None
) -> array[int]:
    """A profile's papers in page order (its own conditions are already in `flt`)."""
    source, params = _from_where(flt, "fts")
    sql = (
        f"SELECT p.rid {source} ORDER BY"
        " (SELECT min(position) FROM profile_papers WHERE profile = ? AND paper = p.rid)"
    )
    params.append(scope.value)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _ids(rid for (rid,) in conn.execute(sql, params))


def _scoped(conn: sqlite3.Connection, flt: _Filter, title: str | None,
            limit: int | None) -> array[int]:
    """A scope's few papers (flt.where holds it), title tier first, newest first: exact."""
    source, params = _from_where(flt, "exists")
    order = _NEWEST
    if title is not None and flt.match is not None:
        order = _TITLE_FIRST + _NEWEST
        params.append(f"({flt.match}) AND ({title})")
    sql = f"SELECT p.rid {source} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _ids(rid for (rid,) in conn.execute(sql, params))


def _by_column(conn: sqlite3.Connection, clock: _Clock, flt: _Filter,
               sort: tuple[str, bool], limit: int | None) -> array[int]:
    """Rows in the order of a sort column; see _HAS_VALUE for the two-part ones."""
    column, descending = sort
    if column not in _HAS_VALUE:
        return _sorted(conn, clock, flt, _order(sort), limit)
    if column in _USER_SORT and not _has_user_schema(conn):
        return _sorted(conn, clock, flt, _NEWEST, limit)  # no notes: nothing has a value
    has = _HAS_VALUE[column]
    ties = f"p.rid{' DESC' if descending else ''}" if column == "score" else _NEWEST
    valued = (replace(flt, where=(*flt.where, has.format(t="p"))),
              f"{_SORT_SQL[column]}{' DESC' if descending else ''}, {ties}")
    others = f"p.rid NOT IN (SELECT v.rid FROM papers v WHERE {has.format(t='v')})"
    rest = (replace(flt, where=(*flt.where, others)), _NEWEST)
    parts = [valued, rest] if descending or column in _MISSING_LAST else [rest, valued]
    rids = _ids()
    for part, order in parts:
        left = None if limit is None else limit - len(rids)
        if left is not None and left <= 0:
            break
        rids.extend(_sorted(conn, clock, part, order, left))
    return rids


def _rids(
    conn: sqlite3.Connection,
    clock: _Clock,
    compiled: q.Query,
    flt: _Filter,
    title: str | None,
    scope: Scope,
    sort: tuple[str, bool] | None,
    limit: int | None,
) -> _Rows:
    if sort is not None:
        return _Rows(_by_column(conn, clock, flt, sort, limit))
    if compiled.root is None and scope.kind == "profile":
        return _Rows(_profile_order(conn, flt, scope, limit))
    if scope.kind != "all":
        return _Rows(_scoped(conn, flt, title, limit))
    if flt.match is not None:
        return _ranked(conn, clock, flt, title, limit)
    if limit is not None and flt.where:
        walked = _walk_newest(conn, flt, limit)
        if walked is not None:
            return _Rows(walked)
    return _Rows(_sorted(conn, clock, flt, _NEWEST, limit))


def _exact(conn: sqlite3.Connection, clock: _Clock, compiled: q.Query, flt: _Filter,
           title: str | None, scope: Scope, sort: tuple[str, bool] | None,
           limit: int | None) -> tuple[_Rows, int | None, int]:
    """The answer in display order, with (total, at_least). The count gives up (a floor)
    when the clock runs out; the rows raise _OutOfTime instead."""
    with _stopping(clock):
        found = _rids(conn, clock, compiled, flt, title, scope, sort, limit)
    rids = found.rids
    total, at_least = found.total, len(rids)
    if total is not None:
        at_least = total
    elif limit is None or len(rids) < limit:
        total = at_least = len(rids)
    else:
        try:
            with _stopping(clock):
                total, at_least = _count(conn, clock, flt)
        except _OutOfTime:
            total = None
        at_least = max(at_least, len(rids))
    return found, total, at_least


def _newest_stored(conn: sqlite3.Connection, clock: _Clock, flt: _Filter,
                   limit: int) -> tuple[array[int], bool]:
    """The cheapest answer: matching rows, highest rowid (most recently stored) first.

    (rows, whether the clock stopped the search before it had `limit` rows or all).
    """
    rows = _ids()
    try:
        with _stopping(clock):
            if flt.match is not None:
                _scan(conn, flt.match, limit, where=flt.where, params=flt.params,
                      into=rows)
            else:
                source, params = _from_where(flt, "fts")
                for (rid,) in conn.execute(f"SELECT p.rid {source} ORDER BY p.rid DESC LIMIT ?",
                                           [*params, limit]):
                    rows.append(rid)
    except _OutOfTime:
        return rows, True
    return rows, False


def search(
    conn: sqlite3.Connection,
    text: str,
    scope: Scope = Scope(),
    sort: tuple[str, bool] | None = None,
    limit: int | None = None,
    budget_ms: float | None = None,
) -> SearchResult:
    """Papers of `scope` matching `text`, in display order, at most `limit` of them.

    Never fails on the query text: what it cannot read is listed in `ignored`.
    Order: `sort` (column, descending) when given; otherwise a profile's page
    order for an empty query, relevance for words (every word in the title
    first; see the module doc for the cap), newest first for the rest. Raises
    SearchCancelled when interrupted.

    `budget_ms` (with a `limit`, outside a scope) makes this a quick first answer: the
    exact one when it can be had in time, else a `partial` one (see the module doc).
    """
    started = time.perf_counter()
    limit = None if limit is None else max(limit, 0)  # SQLite reads LIMIT -1 as no limit
    compiled = q.compile_query(text)
    clock = _clock(conn)
    partial = False
    try:
        user = _uses_user_data(compiled.root) and _has_user_schema(conn)
        expansions: dict[str, list[str]] = {}
        root = _expand(conn, compiled.root, expansions)
        flt = _filter(root, scope, user)
        if flt.match is None and any(w == _NOT_EXISTS_MATCH for w in flt.where):
            flt = _filter(root, scope, user, _universal(conn)) if scope.kind == "all" else flt
        title = _title_words(compiled.root, expansions)
        if budget_ms is None or limit is None or scope.kind != "all" or limit == 0:
            found, total, at_least = _exact(conn, clock, compiled, flt, title, scope, sort,
                                            limit)
        else:
            with _deadlines(conn, clock):
                found, total, at_least, partial = _first_answer(
                    conn, clock, started + budget_ms / 1000, compiled, flt, title, sort, limit,
                    _title_test(compiled.root, expansions),
                    _sparse_exclusion(conn, root, flt),
                    flt.match is None or _docs_at_most(conn, root) <= SMALL_MATCH)
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


def _first_answer(conn: sqlite3.Connection, clock: _Clock, deadline: float,
                  compiled: q.Query, flt: _Filter, title: str | None,
                  sort: tuple[str, bool] | None, limit: int,
                  title_test: Callable[[str], bool] | None, sparse: bool,
                  small: bool) -> tuple[_Rows, int | None, int, bool]:
    """The cheap rows first, then the exact plan for as long again plus RANK_SLACK_MS
    (or, when the cheap rows are every match, those rows put in order).

    SQLite's progress handler enforces the deadline, but it is not called inside
    FTS5, which can walk a whole doclist between two rows of a sparse match (a title
    tier nobody's title fits, "NOT the"). Such a step is not started: `sparse` says
    the match itself is one, and for relevance the title tier's share among the cheap
    rows (`title_test` on their titles) must be at least TITLE_SHARE. When `small`
    (no full-text match, or one the vocabulary says is small), the exact plan runs at
    once.
    """
    if sparse:
        return _Rows(_ids()), None, 0, True
    clock.deadline = deadline
    clock.count_s = FIRST_COUNT_S
    if small:  # SQL the progress handler stops, or a small match: no cheap answer first
        try:
            clock.check()  # no plan starts past the deadline
            found, total, at_least = _exact(conn, clock, compiled, flt, title, Scope(), sort,
                                            limit)
            return found, total, at_least, False
        except _OutOfTime:
            return _Rows(_ids()), None, 0, True
    began = time.perf_counter()
    rows, cut = _newest_stored(conn, clock, flt, limit)
    if not cut and len(rows) < limit:  # every match: put them in order, row by row
        try:
            with _stopping(clock):
                return _Rows(_known_order(conn, rows, title)), len(rows), len(rows), False
        except _OutOfTime:
            return _Rows(rows), len(rows), len(rows), True  # every match, not yet in order
    dense = True
    if not cut and len(rows) == limit and title is not None and title_test is not None:
        try:
            with _stopping(clock):
                dense = _title_share(conn, rows, title_test) >= TITLE_SHARE
        except _OutOfTime:
            cut = True
    if not cut and dense:
        spent = time.perf_counter() - began
        clock.deadline = min(deadline, time.perf_counter() + spent + RANK_SLACK_MS / 1000)
        try:
            clock.check()
            found, total, at_least = _exact(conn, clock, compiled, flt, title, Scope(), sort,
                                            limit)
            return found, total, at_least, False
        except _OutOfTime:
            pass
    return _Rows(rows), None, len(rows), True


def _known_order(conn: sqlite3.Connection, rids: array[int], title: str | None) -> array[int]:
    """`rids`, every match there is (few, and passing the filters), in relevance order:
    the title tier first, then newest first, as _ranked orders them. Each row's title is
    tested with its own full-text lookup: cheaper for a few rows than reading the
    index's postings whole again for the title tier."""
    tier = ""
    params: Params = [_json(rids)]
    if title is not None:
        tier = _TITLE_FIRST
        params.append(title)
    sql = (f"SELECT p.rid FROM json_each(?) j CROSS JOIN {_BY_ROWID} ON p.rid = j.value"
           f" ORDER BY {tier}{_NEWEST}")
    return _ids(rid for (rid,) in conn.execute(sql, params))


def _title_test(root: q.Node | None,
                expansions: dict[str, list[str]]) -> Callable[[str], bool] | None:
    """A Python stand-in for the title tier's expression (see `_title_words`), to estimate
    its share of a few rows: words split and folded about as the index does."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    wanted: list[tuple[str, ...] | frozenset[str]] = []
    for clause in clauses:
        if not isinstance(clause, q.Text) or clause.columns != q.ALL_COLUMNS:
            continue
        terms = expansions.get(clause.text) if clause.prefix else None
        if terms:
            wanted.append(frozenset(terms))
        elif (phrase := q.words(q.fold(clause.text))):
            wanted.append(phrase)
    if not wanted:
        return None

    def test(text: str) -> bool:
        tokens = q.words(q.fold(text))
        for want in wanted:
            if isinstance(want, frozenset):
                if not want.intersection(tokens):
                    return False
            elif not any(tokens[i:i + len(want)] == want for i in range(len(tokens))):
                return False
        return True

    return test


def _title_share(conn: sqlite3.Connection, rids: array[int],
                 test: Callable[[str], bool]) -> float:
    if not rids:
        return 1.0
    sql = "SELECT title FROM papers WHERE rid IN (SELECT value FROM json_each(?))"
    titles = [title for (title,) in conn.execute(sql, (_json(rids),))]
    return sum(map(test, titles)) / len(rids)


def _vocab_docs(conn: sqlite3.Connection, term: str) -> int:
    try:
        row = conn.execute("SELECT docs FROM vocab WHERE term = ?", (term,)).fetchone()
    except sqlite3.OperationalError:
        return 0
    return 0 if row is None else int(row[0])


def _docs_at_least(conn: sqlite3.Connection, node: q.Node) -> int:
    """A floor on how many papers `node` matches, from the vocabulary (0: unknown)."""
    if isinstance(node, q.Text) and node.columns == q.ALL_COLUMNS:
        found = q.words(q.fold(node.text))
        return _vocab_docs(conn, found[0]) if len(found) == 1 and not node.prefix else 0
    if isinstance(node, q.Or):
        return max((_docs_at_least(conn, child) for child in node.children), default=0)
    return 0


def _sparse_exclusion(conn: sqlite3.Connection, root: q.Node | None, flt: _Filter) -> bool:
    """Exclusions only, of a word in nearly every paper (`-the`): the few papers left
    are far apart in the index, found only by reading its whole doclist."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    if flt.match is None or not clauses or not all(isinstance(c, q.Not) for c in clauses):
        return False
    papers = _count_all(conn)[0]
    excluded = max(_docs_at_least(conn, c.child) for c in clauses if isinstance(c, q.Not))
    left = max(papers - excluded, 0)
    return left * SPARSE_WALK < papers


def _docs_at_most(conn: sqlite3.Connection, node: q.Node | None) -> float:
    """A ceiling on how many papers the full-text part of `node` matches (inf: unknown)."""
    if isinstance(node, q.Text):
        found = q.words(q.fold(node.text))
        if node.prefix or not found:
            return math.inf
        return min(_vocab_docs(conn, word) for word in found)
    if isinstance(node, q.Or):
        return sum(_docs_at_most(conn, child) for child in node.children)
    if isinstance(node, q.And):
        return min((_docs_at_most(conn, child) for child in node.children), default=math.inf)
    return math.inf
