"""Run a search-box query on a store: the engine behind `paperdesk search` and the GUI.

The query language is `paperdesk.query`'s; this module turns its tree into SQL.

Speed on a large store (1M papers) comes from never sorting a huge match whole:

* relevance (no sort column) ranks the title tier, then the rest, each newest
  first; a tier with more than RANK_CAP matches is ranked on its RANK_CAP most
  recently added papers (widening until the page is full);
* a sort column with a small match fetches the match and sorts it; with a large
  one, it walks the column's index and tests each row against the match (row by
  row for plain words, through a set built once for prefixes and ORs).

A prefix (the word being typed) is expanded once, through an fts5vocab table on
the connection's temp schema, into the MAX_EXPANSION most frequent indexed words
it starts: FTS5 would otherwise merge every such word's postings at each use.

Match sizes are probed on the full-text index alone, which is cheap. Totals are
counted exactly only up to COUNT_CAP rows or COUNT_BUDGET_S.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from paperdesk import query as q

SORT_COLUMNS = ("date", "title", "authors", "category", "code", "score")

_SORT_SQL = {
    "date": "p.date",
    "title": "p.title COLLATE NOCASE",
    "authors": "p.authors COLLATE NOCASE",
    "category": "p.category",
    "code": "p.has_code",
    "score": "p.score",
}

# Sorting by a column: matches smaller than this are fetched whole, then sorted.
FTS_DRIVEN = 15_000
# Relevance looks at the newest-added this many matches of a tier first, widening
# eightfold until the page is full: a word in most papers is never ranked whole.
RANK_CAP = 4_000
# A prefix stands for at most this many indexed words, the most frequent it starts.
MAX_EXPANSION = 32
# Totals above this are reported as "more than COUNT_CAP".
COUNT_CAP = 10_000
# Counting stops after this long, reporting "more than" what it has seen.
COUNT_BUDGET_S = 0.015

Params = list[object]


class SearchCancelled(Exception):
    """The search was interrupted (see `interrupt_on`) before it finished."""


@dataclass(frozen=True)
class Scope:
    """What the author list has selected."""

    kind: Literal["all", "profile", "person"] = "all"
    value: int | str | None = None  # profiles.id for "profile", people.key for "person"


@dataclass
class SearchResult:
    rids: list[int]  # papers.rid in display order
    total: int | None  # exact match count, or None when counting was cut
    at_least: int  # when total is None: "more than at_least"
    ignored: list[str]  # what the query parser ignored, for the status bar
    terms: list[str]  # words to highlight
    elapsed_ms: float


@contextmanager
def interrupt_on(
    conn: sqlite3.Connection, is_stale: Callable[[], bool], every: int = 10_000
) -> Iterator[None]:
    """Within the block, searches on `conn` raise SearchCancelled once `is_stale()` is true.

    `is_stale` is polled every `every` SQLite VM steps, on the searching thread.
    """
    conn.set_progress_handler(lambda: int(is_stale()), every)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


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
_IN_PROFILE = (
    "p.rid IN (SELECT pp.paper FROM profile_papers pp JOIN profiles pr ON pr.id = pp.profile"
    " WHERE pr.person LIKE ? ESCAPE '\\')"
)


def _like_contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _predicate(node: q.Node) -> tuple[str, Params]:
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
    if isinstance(node, q.Not):
        sql, params = _predicate(node.child)
        return f"NOT ({sql})", params
    assert isinstance(node, q.And | q.Or)
    parts = [_predicate(child) for child in node.children]
    joiner = " AND " if isinstance(node, q.And) else " OR "
    return "(" + joiner.join(f"({sql})" for sql, _ in parts) + ")", [
        param for _, params in parts for param in params
    ]


def _year(node: q.Year) -> tuple[str, Params]:
    conditions: list[str] = []
    params: Params = []
    if node.low is not None:
        conditions.append("p.year >= ?")
        params.append(node.low)
    if node.high is not None:
        conditions.append("p.year <= ?")
        params.append(node.high)
    return " AND ".join(conditions), params


def _scope(scope: Scope) -> tuple[str, Params] | None:
    if scope.kind == "profile":
        return "p.rid IN (SELECT paper FROM profile_papers WHERE profile = ?)", [scope.value]
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

    def with_match(self, match: str) -> _Filter:
        return _Filter(match, self.where, self.params, self.simple)


def _filter(root: q.Node | None, scope: Scope) -> _Filter:
    """Top-level clauses FTS5 can express become the match; the rest become SQL."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    fts_clauses = [c for c in clauses if _fts(c) is not None or _negated_fts(c)]
    match = _fts_and(fts_clauses) if fts_clauses else None
    sql_clauses = clauses if match is None else [c for c in clauses if c not in fts_clauses]
    where: list[str] = []
    params: Params = []
    for sql, values in [_predicate(c) for c in sql_clauses] + [s for s in [_scope(scope)] if s]:
        where.append(sql)
        params.extend(values)
    simple = all(_simple(c) for c in fts_clauses)
    return _Filter(match, tuple(where), tuple(params), simple)


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


def _title_words(root: q.Node | None) -> str | None:
    """The FTS5 expression "every top-level free word is in the title", for relevance."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    words = [
        q.Text(c.text, ("title",), c.prefix)
        for c in clauses
        if isinstance(c, q.Text) and c.columns == q.ALL_COLUMNS
    ]
    return _fts_and(list(words)) if words else None


# ---------------------------------------------------------------- prefixes

_VOCAB = "temp.paperdesk_vocab"


def _expansion(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """The indexed words `prefix` starts (folded as the index folds), most frequent first."""
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCAB} USING fts5vocab(main, papers_fts, row)"
    )
    sql = f"SELECT term FROM {_VOCAB} WHERE term >= ? AND term < ? ORDER BY doc DESC LIMIT ?"
    folded = q.fold(prefix)
    rows = conn.execute(sql, (folded, folded + "\U0010ffff", MAX_EXPANSION))
    return [term for (term,) in rows]


def _expand(conn: sqlite3.Connection, node: q.Node | None) -> q.Node | None:
    """`node` with each one-word prefix replaced by the words it stands for."""
    if isinstance(node, q.Text) and node.prefix and len(q.words(node.text)) == 1:
        return _any_of(_expansion(conn, q.words(node.text)[0]), node.columns) or node
    if isinstance(node, q.Author) and len(node.words) == 1 and len(node.words[0]) >= q.MIN_PREFIX:
        return _any_of(_expansion(conn, node.words[0]), ("authors",)) or node
    if isinstance(node, q.Not):
        return q.Not(_expand(conn, node.child) or node.child)
    if isinstance(node, q.And | q.Or):
        children = tuple(_expand(conn, child) or child for child in node.children)
        return type(node)(children)
    return node


def _any_of(terms: list[str], columns: tuple[q.Column, ...]) -> q.Node | None:
    if not terms:
        return None
    return q.Or(tuple(q.Text(term, columns) for term in terms))


# ---------------------------------------------------------------- running


def _probe(conn: sqlite3.Connection, match: str, cap: int) -> int:
    """How many rows `match` has, up to `cap`: cheap, the full-text index alone answers."""
    sql = "SELECT count(*) FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)"
    return int(conn.execute(sql, (match, cap)).fetchone()[0])


def _from_where(flt: _Filter, mode: str, cap: int | None = None) -> tuple[str, Params]:
    """`FROM ... WHERE ...` selecting `p` rows; `mode` says how the match is applied.

    "fts": the match drives (only its `cap` highest rids when given); "in": each
    row is tested against the match's rowids, collected once; "exists": each row
    is tested with its own full-text lookup.
    """
    where = list(flt.where)
    params: Params = list(flt.params)
    source = "papers p"
    if flt.match is not None and mode == "fts" and cap is not None:
        source = (
            "(SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
            " AS f CROSS JOIN papers p ON p.rid = f.rowid"
        )
        params[:0] = [flt.match, cap]
    elif flt.match is not None and mode == "fts":
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
    conn: sqlite3.Connection,
    flt: _Filter,
    order: str,
    limit: int | None,
    mode: str = "fts",
    cap: int | None = None,
) -> list[int]:
    source, params = _from_where(flt, mode, cap)
    sql = f"SELECT p.rid {source} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [rid for (rid,) in conn.execute(sql, params)]


def _sorted(conn: sqlite3.Connection, flt: _Filter, order: str, limit: int | None) -> list[int]:
    """Rows in `order`, driven by the match when it is small, by the order's index if not."""
    if flt.match is None or limit is None:
        return _select(conn, flt, order, limit)
    if _probe(conn, flt.match, FTS_DRIVEN) < FTS_DRIVEN:
        return _select(conn, flt, order, limit)
    return _select(conn, flt, order, limit, "exists" if flt.simple else "in")


_NEWEST = "p.date DESC, p.rid DESC"


def _newest(conn: sqlite3.Connection, flt: _Filter, limit: int | None) -> list[int]:
    """The match's rows newest first, ranking at most RANK_CAP·8ⁿ of them (see RANK_CAP)."""
    if limit is None:
        return _select(conn, flt, _NEWEST, None)
    if limit <= 0:
        return []
    assert flt.match is not None
    cap = RANK_CAP
    while True:
        if _probe(conn, flt.match, cap + 1) <= cap:
            return _select(conn, flt, _NEWEST, limit)
        rids = _select(conn, flt, _NEWEST, limit, cap=cap)
        if len(rids) >= limit:
            return rids
        cap *= 8


def _ranked(conn: sqlite3.Connection, flt: _Filter, title: str, limit: int | None) -> list[int]:
    """Relevance: papers with every free word in the title first, then the rest; newest first."""
    assert flt.match is not None
    first = _newest(conn, flt.with_match(f"({flt.match}) AND ({title})"), limit)
    rest = None if limit is None else limit - len(first)
    return first + _newest(conn, flt.with_match(f"({flt.match}) NOT ({title})"), rest)


def _count(conn: sqlite3.Connection, flt: _Filter) -> tuple[int | None, int]:
    """(total, at_least): exact up to COUNT_CAP rows within COUNT_BUDGET_S, else a floor."""
    if flt.match is not None and not flt.where:
        size = _probe(conn, flt.match, COUNT_CAP + 1)
        return (size, size) if size <= COUNT_CAP else (None, COUNT_CAP)
    if flt.match is None and not flt.where:
        return _count_all(conn)
    source, params = _from_where(flt, "fts")
    rows = conn.execute(f"SELECT 1 {source} LIMIT ?", [*params, COUNT_CAP + 1])
    deadline = time.perf_counter() + COUNT_BUDGET_S
    seen = 0
    for _ in rows:
        if seen == COUNT_CAP or time.perf_counter() > deadline:
            return None, seen  # this row is one more than `seen`
        seen += 1
    return seen, seen


def _count_all(conn: sqlite3.Connection) -> tuple[int, int]:
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
) -> list[int]:
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
    return [rid for (rid,) in conn.execute(sql, params)]


def _rids(
    conn: sqlite3.Connection,
    compiled: q.Query,
    flt: _Filter,
    scope: Scope,
    sort: tuple[str, bool] | None,
    limit: int | None,
) -> list[int]:
    if sort is not None:
        return _sorted(conn, flt, _order(sort), limit)
    if compiled.root is None and scope.kind == "profile":
        return _profile_order(conn, flt, scope, limit)
    title = _title_words(compiled.root)
    if flt.match is not None and title is not None:
        return _ranked(conn, flt, title, limit)
    return _sorted(conn, flt, _NEWEST, limit)


def search(
    conn: sqlite3.Connection,
    text: str,
    scope: Scope = Scope(),
    sort: tuple[str, bool] | None = None,
    limit: int | None = None,
) -> SearchResult:
    """Papers of `scope` matching `text`, in display order, at most `limit` of them.

    Never fails on the query text: what it cannot read is listed in `ignored`.
    Order: `sort` (column, descending) when given; otherwise a profile's page
    order for an empty query, relevance for words (every word in the title
    first), newest first for the rest. Raises SearchCancelled when interrupted.
    """
    started = time.perf_counter()
    limit = None if limit is None else max(limit, 0)  # SQLite reads LIMIT -1 as no limit
    compiled = q.compile_query(text)
    try:
        flt = _filter(_expand(conn, compiled.root), scope)
        rids = _rids(conn, compiled, flt, scope, sort, limit)
        total: int | None = len(rids)
        at_least = len(rids)
        if limit is not None and len(rids) >= limit:
            total, at_least = _count(conn, flt)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorname == "SQLITE_INTERRUPT":
            raise SearchCancelled(text) from error
        raise
    return SearchResult(
        rids,
        total,
        at_least,
        list(compiled.ignored),
        list(compiled.terms),
        (time.perf_counter() - started) * 1000,
    )
