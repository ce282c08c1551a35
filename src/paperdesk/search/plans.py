"""The plans: each way of finding a query's rows in display order (see the package doc).

Every plan takes one `Plan`, the query made ready to run on a connection.
"""

from __future__ import annotations

import json
import sqlite3
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from paperdesk import query as q
from paperdesk.search.clock import Clock, OverBudget, budget
from paperdesk.search.compile import (
    HAS_VALUE,
    MISSING_LAST,
    USER_SORT,
    Filter,
    Params,
    Scope,
    has_user_schema,
    order_sql,
)
from paperdesk.search.vocabulary import paper_total

# Sorting by a column: matches smaller than this are fetched whole, then sorted.
FTS_DRIVEN = 15_000
# An `author:` with words, naming at most this many papers (compile.Filter.named): its
# papers are listed and each tested against the words (plans._keyed), where the words'
# rows would be read newest first and each tested against it (a common word and a rare
# name: every row of the word read).
SCOPED = 2_000
# Totals above this are reported as "more than COUNT_CAP".
COUNT_CAP = 10_000
# Counting stops after this long, reporting "more than" the rows found.
COUNT_BUDGET_S = 0.02


@dataclass
class Plan:
    """A query made ready to run: everything a plan needs, passed as one value."""

    conn: sqlite3.Connection
    compiled: q.Query
    flt: Filter
    title: str | None  # the title tier's FTS5 expression (see compile.title_words)
    scope: Scope
    sort: tuple[str, bool] | None
    limit: int | None
    dated: bool  # rowids follow the date: rowid order is newest-first order (paperdesk.dated)
    count: bool = True  # count the matches past `limit` (else the total is left unknown)
    clock: Clock = field(default_factory=Clock)  # the caller's cancelling (see clock.budget)
    nothing: bool = False  # known to match no paper (see vocabulary.excludes_every_paper)
    # The title tier is read off the titles' own index (schema v7, titles_fts): the store
    # has one and a title with every free word surely has the whole match
    # (compile.title_covers_match). Otherwise it is `match AND {title}: ...` in papers_fts.
    titles: bool = False
    read_on: ReadOn | None = None  # what an earlier search of this query read (see ReadOn)


def ids(rowids: Iterable[int] = ()) -> array[int]:
    """Rowids as one array of int64. A result can hold a million of them: as a list,
    that is a million int objects (36 MB) that Python's allocator keeps, in part, after
    they are freed; an array is 8 MB in one block, and each row's int is freed at once."""
    return array("q", rowids)


def to_json(rids: array[int]) -> str:
    """`rids` as one JSON array, for `json_each(?)`."""
    return json.dumps(rids.tolist())


class ReadOn:
    """What the full-text scans of a search read, for a later search of the same query
    on the same store to read on from instead of reading it again: the worker's first
    page, then its final answer (gui/worker.py), whose scans go on below the last rowid
    the first one read. What was read is forgotten when the store has changed since
    (another connection committed: `PRAGMA data_version` moved)."""

    def __init__(self) -> None:
        # (index, match, where, params, span) -> (rowids read in order, the scan ended)
        self._read: dict[tuple[object, ...], tuple[array[int], bool]] = {}
        self._version: int | None = None

    def follow(self, conn: sqlite3.Connection) -> None:
        """Before a search on `conn`: forget what was read if the store changed since."""
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._version:
            self._read.clear()
            self._version = version

    def get(self, key: tuple[object, ...]) -> tuple[array[int], bool]:
        return self._read.get(key, (ids(), False))

    def keep(self, key: tuple[object, ...], rows: array[int], ended: bool) -> None:
        self._read[key] = (rows, ended)


def scan(conn: sqlite3.Connection, match: str, want: int | None, *,
         where: tuple[str, ...] = (), params: tuple[object, ...] = (),
         span: tuple[int | None, int | None] = (None, None),
         index: str = "papers_fts", read_on: ReadOn | None = None,
         few: bool = False) -> array[int]:
    """Up to `want` (None: all) rowids of `match` in full-text `index`, highest first; with
    `where`, only those whose `papers p` row passes it; within `span` (rowids [low, high),
    FTS5 seeks there). With `read_on`, what an earlier scan of the same read is not read
    again: the scan goes on below its last rowid.

    `few`: the match is known to hold a few rows (compile.Filter.few): it is read whole,
    in ascending rowid order, and turned round. FTS5 reads an expression of several
    terms backwards by loading each term's doclist whole first: for `-the` ("and" NOT
    "the", two doclists of a million papers) 20-25% slower than forwards, measured at
    1M; for a few rows, reading all of them costs nothing more."""
    if few:
        rows = _scan(conn, match, None, where, params, span, index, ascending=True)
        return rows if want is None else rows[:want]
    key = (index, match, where, params, span)
    have, ended = read_on.get(key) if read_on is not None else (ids(), False)
    if ended or (want is not None and len(have) >= want):
        return have[:want] if want is not None else have[:]
    low, high = span
    if have:
        high = have[-1]
    left = None if want is None else want - len(have)
    rows = have + _scan(conn, match, left, where, params, (low, high), index)
    if read_on is not None:
        read_on.keep(key, rows, left is None or len(rows) - len(have) < left)
    return rows


def _scan(conn: sqlite3.Connection, match: str, want: int | None, where: tuple[str, ...],
          params: tuple[object, ...], span: tuple[int | None, int | None],
          index: str, ascending: bool = False) -> array[int]:
    source = index
    if where:
        source += f" CROSS JOIN {BY_ROWID} ON p.rid = {index}.rowid"
    tests = "".join(f" AND ({sql})" for sql in where)
    low, high = span
    bounds = ("" if low is None else f" AND {index}.rowid >= ?") + (
        "" if high is None else f" AND {index}.rowid < ?")
    sql = (f"SELECT {index}.rowid FROM {source} WHERE {index} MATCH ?{bounds}{tests}"
           f" ORDER BY {index}.rowid {'ASC' if ascending else 'DESC'} LIMIT ?")
    values = [match, *(b for b in span if b is not None), *params,
              -1 if want is None else want]
    rows = ids(rid for (rid,) in conn.execute(sql, values))
    if ascending:
        rows.reverse()
    return rows


def _probe(conn: sqlite3.Connection, flt: Filter, cap: int) -> int:
    """How many rows the match has, up to `cap`: cheap, the full-text index alone answers."""
    index = flt.index
    sql = f"SELECT count(*) FROM (SELECT rowid FROM {index} WHERE {index} MATCH ? LIMIT ?)"
    return int(conn.execute(sql, (flt.match, cap)).fetchone()[0])


def from_where(flt: Filter, mode: str, papers: str = "papers p") -> tuple[str, Params]:
    """`FROM ... WHERE ...` selecting `p` rows; `mode` says how the match is applied.

    "fts": the match drives; "in": each row is tested against the match's rowids,
    collected once; "exists": each row is tested with its own full-text lookup. `papers`:
    the papers table as the match's rows look it up (BY_ROWID when only the filters'
    columns are read).
    """
    where = list(flt.where)
    params: Params = list(flt.params)
    source = "papers p"
    index = flt.index
    if flt.match is not None and mode == "fts":
        source = f"{index} CROSS JOIN {papers} ON p.rid = {index}.rowid"
        low, high = flt.span  # FTS5 seeks to the years' rowids (compile.Filter.span)
        bounds = ((">=", low), ("<", high))
        where[0:0] = [f"{index} MATCH ?"] + [
            f"{index}.rowid {op} ?" for op, bound in bounds if bound is not None]
        params[0:0] = [flt.match, *(bound for bound in flt.span if bound is not None)]
    elif flt.match is not None:
        # `+` keeps the planner from driving by the match: it is a test on each row.
        where.append(
            f"+p.rid IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)"
            if mode == "in"
            else f"EXISTS (SELECT 1 FROM {index} WHERE rowid = p.rid AND {index} MATCH ?)"
        )
        params.append(flt.match)
    sql = f"FROM {source}" + (f" WHERE {' AND '.join(where)}" if where else "")
    return sql, params


def _select(
    conn: sqlite3.Connection, flt: Filter, order: str, limit: int | None, mode: str = "fts"
) -> array[int]:
    source, params = from_where(flt, mode)
    sql = f"SELECT p.rid {source} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return ids(rid for (rid,) in conn.execute(sql, params))


def _sorted(plan: Plan, order: str) -> array[int]:
    """Rows in `order`, driven by the match when it is small, by the order's index if not."""
    conn, flt, limit = plan.conn, plan.flt, plan.limit
    if flt.match is None or limit is None:
        return _select(conn, flt, order, limit)
    if _probe(conn, flt, FTS_DRIVEN) < FTS_DRIVEN:
        return _select(conn, flt, order, limit)
    return _select(conn, flt, order, limit, "exists" if flt.simple else "in")


NEWEST = "p.date DESC, p.rid DESC"
# The same order where rowids follow the date: any index ending in the rowid (the
# filters' own: category, has_code, year) is then walked in it, with no sort.
NEWEST_DATED = "p.rid DESC"
# Papers looked up by rowid for their date (and the filters' columns): a small index
# entry each, not the long row (schema v3).
BY_ROWID = "papers p INDEXED BY papers_row"
# ORDER BY this first: the rows whose own full-text row matches ? (the title tier) first.
TITLE_FIRST = "NOT EXISTS (SELECT 1 FROM papers_fts WHERE rowid = p.rid AND papers_fts MATCH ?), "


# Filters alone: the date index is walked this far before the planner is asked.
WALK_ROWS = 4_000


def _walk_newest(plan: Plan, limit: int) -> tuple[array[int], int | None]:
    """The first `limit` rows newest first, walking the date index and testing each row
    (where rowids follow the date: the rowid index, whose years are rowid ranges); and
    the last row read when WALK_ROWS rows did not fill the page (else None)."""
    flt = plan.flt
    seek = flt.where[: flt.seek]
    seek_params = flt.params[: sum(sql.count("?") for sql in seek)]
    tests = flt.where[flt.seek :] or ("1",)
    condition = " AND ".join(f"({sql})" for sql in tests)
    where = f" WHERE {' AND '.join(seek)}" if seek else ""
    walk = (f"papers p INDEXED BY papers_row{where} ORDER BY {NEWEST_DATED}" if plan.dated
            else f"papers p INDEXED BY papers_date{where} ORDER BY {NEWEST}")
    sql = f"SELECT p.rid, {condition} FROM {walk} LIMIT ?"
    params = [*flt.params[len(seek_params):], *seek_params, WALK_ROWS]
    rows = ids()
    scanned, rid = 0, None
    for rid, ok in plan.conn.execute(sql, params):
        scanned += 1
        if ok:
            rows.append(rid)
            if len(rows) == limit:
                return rows, None
    return rows, rid if scanned == WALK_ROWS else None


def _newest(plan: Plan, limit: int) -> Rows:
    """The first `limit` rows newest first, and whether more match (one more is read).

    A walk (_walk_newest) first; when the filter is too rare for it to fill the page,
    the planner's choice (an index on the filter, then a sort) finds the rest: where
    rowids follow the date, only below the walk's last row, so no row is tested twice (a
    test with no index, `author:x` with 19,000 people, walked 4,000 papers in 130 ms,
    then walked them again)."""
    want = limit + 1
    rows, last = _walk_newest(plan, want)
    if last is not None and plan.dated:
        flt = plan.flt
        below = replace(flt, where=(*flt.where, "p.rid < ?"), params=(*flt.params, last))
        rows.extend(_sorted(replace(plan, flt=below, limit=want - len(rows)), NEWEST_DATED))
    elif last is not None:
        rows = _sorted(replace(plan, limit=want), NEWEST)
    return _page(rows, limit, len(rows) if len(rows) <= limit else None)


@dataclass
class _Tier:
    rids: array[int]
    size: int | None  # every row of the tier (None: `want` stopped it, there may be more)


def _tier(plan: Plan, match: str, want: int | None, index: str | None = None) -> _Tier:
    """At most `want` rows of `match` in `index` (and the filters), newest first: exact.

    Rowids that follow the date are read off the index in that order, as far as
    `want` goes. Otherwise (a store built before paperdesk.dated) the whole tier is
    read and sorted by date. `index`: the filter's own unless given."""
    conn, flt = plan.conn, plan.flt
    index = index or flt.index
    if plan.dated:
        rows = scan(conn, match, want, where=flt.where, params=flt.params, span=flt.span,
                    index=index, read_on=plan.read_on, few=flt.few and match == flt.match)
        return _Tier(rows, len(rows) if want is None or len(rows) < want else None)
    where = "".join(f" AND ({sql})" for sql in flt.where)
    sql = (f"SELECT p.rid FROM json_each(?) j CROSS JOIN {BY_ROWID} ON p.rid = j.value"
           f" WHERE 1{where} ORDER BY {NEWEST}")
    found = to_json(scan(conn, match, None, index=index))
    ranked = ids(rid for (rid,) in conn.execute(sql, [found, *flt.params]))
    return _Tier(ranked if want is None else ranked[:want], len(ranked))


@dataclass
class Rows:
    rids: array[int]
    total: int | None = None  # known without counting
    more: bool = False  # a match beyond these rows was seen


def _ranked(plan: Plan) -> Rows:
    """Relevance: papers with every free word in the title first, then the rest; newest first.

    The title tier is read first; when it does not fill the page it is complete, and the
    rest are the match's rows without it: the page's share of them is among the match's
    first `limit` rows (the title tier is a part of the match), read off the index in
    order. One row more than the page is read, so that a match beyond it is known
    without counting (and a total is known only when every match is on the page)."""
    flt, title, limit = plan.flt, plan.title, plan.limit
    assert flt.match is not None
    extra = None if limit is None else limit + 1
    if title is None:
        tier = _tier(plan, flt.match, extra)
        return _page(tier.rids, limit, tier.size)
    first = (_tier(plan, title, extra, "titles_fts") if plan.titles
             else _tier(plan, f"({flt.match}) AND ({title})", extra))
    if first.size is None:  # more titles than the page: how many more, not known
        return _page(first.rids, limit, None)
    found = _tier(plan, flt.match, extra)
    shown = set(first.rids)
    return _page(first.rids + ids(rid for rid in found.rids if rid not in shown), limit,
                 found.size)


def _page(rids: array[int], limit: int | None, total: int | None) -> Rows:
    """The first `limit` of `rids` in order (`total`: every match, when known)."""
    if limit is None or len(rids) <= limit:
        return Rows(rids, total)
    return Rows(rids[:limit], total, more=True)


def _count(plan: Plan) -> tuple[int | None, int]:
    """(total, at_least): exact up to COUNT_CAP rows within COUNT_BUDGET_S (any time in a
    store that small), else a floor, "more than at_least". SQLite counts, in C; the
    budget is kept by a progress handler (a statement slow to give its first row stops
    in time too); out of time, nothing is known (0: see `exact`)."""
    conn, flt = plan.conn, plan.flt
    if flt.match is None and not flt.where:
        return paper_total(conn)
    # A store of at most COUNT_CAP papers is counted whole: at most that many rows.
    seconds = float("inf") if paper_total(conn)[0] <= COUNT_CAP else COUNT_BUDGET_S
    try:
        with budget(conn, plan.clock, seconds):
            if flt.match is not None and not flt.where:
                seen = _probe(conn, flt, COUNT_CAP + 1)
            else:
                source, params = from_where(flt, "fts", BY_ROWID)
                seen = int(conn.execute(f"SELECT count(*) FROM (SELECT 1 {source} LIMIT ?)",
                                        [*params, COUNT_CAP + 1]).fetchone()[0])
    except OverBudget:
        return None, 0
    return (seen, seen) if seen <= COUNT_CAP else (None, COUNT_CAP)


def _hopeless(plan: Plan, seconds: float) -> bool:
    """Counting would surely run out of time: finding the rows took longer than the
    whole COUNT_BUDGET_S, and counting reads the same match up to COUNT_CAP rows, ten
    times as far (a one-letter prefix with a filter, `cat:IR y`: 1,000 rows in 30-90
    ms at 1M, the count then stopped by its budget, which a long step of FTS5 overruns:
    30-110 ms more for the same "more than 1,000"). A store of at most COUNT_CAP
    papers is always counted."""
    return seconds > COUNT_BUDGET_S and paper_total(plan.conn)[0] > COUNT_CAP


def _past(plan: Plan, listed: int) -> tuple[int | None, int]:
    """(total, at_least) when `listed` rows were found and counting gave up before them:
    "more than listed" if one more row matches, else exactly `listed`."""
    source, params = from_where(plan.flt, "fts", BY_ROWID)
    more = plan.conn.execute(f"SELECT 1 {source} LIMIT 1 OFFSET ?", [*params, listed])
    return (None, listed) if more.fetchone() else (listed, listed)


def _profile_order(plan: Plan) -> array[int]:
    """A profile's papers in page order (its own conditions are already in `flt`)."""
    conn, scope, limit = plan.conn, plan.scope, plan.limit
    source, params = from_where(plan.flt, "fts")
    sql = (
        f"SELECT p.rid {source} ORDER BY"
        " (SELECT min(position) FROM profile_papers WHERE profile = ? AND paper = p.rid)"
    )
    params.append(scope.value)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return ids(rid for (rid,) in conn.execute(sql, params))


def _scoped(plan: Plan) -> array[int]:
    """A scope's few papers (flt.where holds it), title tier first, newest first: exact."""
    conn, flt, title, limit = plan.conn, plan.flt, plan.title, plan.limit
    source, params = from_where(flt, "exists")
    order = NEWEST
    if title is not None and flt.match is not None:
        order = TITLE_FIRST + NEWEST
        params.append(f"({flt.match}) AND ({title})")
    sql = f"SELECT p.rid {source} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return ids(rid for (rid,) in conn.execute(sql, params))


def _keyed(plan: Plan) -> Rows:
    """An `author:` whose people are listed (compile.Filter.named): their papers read off
    the person index, the other conditions (and the words, title tier first) tested on
    those alone, newest first. Every match is in hand: the total is exact, nothing is
    counted, and no index of the papers is walked (a rare name's rows spread thinly
    over the date index: `author:li`, 1.7-2.4 s at 200,000 papers, walked and counted)."""
    conn, flt, title = plan.conn, plan.flt, plan.title
    tests = "".join(f" AND ({sql})" for sql in flt.where[:-1])
    params: Params = list(flt.params)  # the keys last, as their IN
    if plan.dated and not tests and flt.match is None:
        rids = _papers_of(conn, params[-1])
        return _page(rids, plan.limit, len(rids))
    if flt.match is not None:
        tests += (f" AND EXISTS (SELECT 1 FROM {flt.index} WHERE rowid = p.rid"
                  f" AND {flt.index} MATCH ?)")
        params.insert(-1, flt.match)
    order = NEWEST_DATED if plan.dated else NEWEST
    if title is not None and flt.match is not None:
        order = TITLE_FIRST + order
        params.append(f"({flt.match}) AND ({title})")
    # The papers first (the IN's list, read once off the person index), each looked up.
    sql = (f"SELECT p.rid FROM {BY_ROWID} WHERE 1{tests} AND p.rid IN (SELECT pa.paper"
           " FROM json_each(?) k CROSS JOIN paper_authors pa ON pa.person = k.value)"
           f" ORDER BY {order}")
    rids = ids(rid for (rid,) in conn.execute(sql, params))
    return _page(rids, plan.limit, len(rids))


def _papers_of(conn: sqlite3.Connection, keys: object) -> array[int]:
    """The papers naming the people `keys` (a JSON list), newest first where rowids
    follow the date: off the person index alone, sorted here. Looking each paper up
    for its date and sorting in SQL took twice as long (`author:li`, 26,830 papers)."""
    found = {rid for (rid,) in conn.execute(
        "SELECT pa.paper FROM json_each(?) k CROSS JOIN paper_authors pa"
        " ON pa.person = k.value", (keys,))}
    return ids(sorted(found, reverse=True))


def _by_column(plan: Plan, sort: tuple[str, bool]) -> array[int]:
    """Rows in the order of a sort column; see compile.HAS_VALUE for the two-part ones."""
    column, descending = sort
    newest = NEWEST_DATED if plan.dated else NEWEST
    if column not in HAS_VALUE:
        return _sorted(plan, order_sql(sort))
    if column in USER_SORT and not has_user_schema(plan.conn):
        return _sorted(plan, newest)  # no notes: nothing has a value
    has = HAS_VALUE[column]
    ties = f"p.rid{' DESC' if descending else ''}" if column == "score" else newest
    flt = plan.flt
    valued = (replace(flt, where=(*flt.where, has.format(t="p"))),
              f"{order_sql(sort).rsplit(', ', 1)[0]}, {ties}")
    others = f"p.rid NOT IN (SELECT v.rid FROM papers v WHERE {has.format(t='v')})"
    rest = (replace(flt, where=(*flt.where, others)), newest)
    parts = [valued, rest] if descending or column in MISSING_LAST else [rest, valued]
    rids = ids()
    for part, order in parts:
        left = None if plan.limit is None else plan.limit - len(rids)
        if left is not None and left <= 0:
            break
        rids.extend(_sorted(replace(plan, flt=part, limit=left), order))
    return rids


def rids_of(plan: Plan) -> Rows:
    """The rows in display order, by the plan the query's shape calls for."""
    flt, scope, limit = plan.flt, plan.scope, plan.limit
    if plan.nothing:
        return Rows(ids(), 0)
    if plan.sort is not None:
        return Rows(_by_column(plan, plan.sort))
    if plan.compiled.root is None and scope.kind == "profile":
        return Rows(_profile_order(plan))
    if scope.kind != "all":
        return Rows(_scoped(plan))
    if flt.named and (flt.match is None or flt.named <= SCOPED):
        return _keyed(plan)
    if flt.match is not None:
        return _ranked(plan)
    if limit is not None and flt.where:
        return _newest(plan, limit)
    return Rows(_sorted(plan, NEWEST_DATED if plan.dated else NEWEST))


def exact(plan: Plan) -> tuple[Rows, int | None, int]:
    """The answer in display order, with (total, at_least): a floor when counting gave
    up, or was not asked for (`plan.count`)."""
    started = time.perf_counter()
    found = rids_of(plan)
    rids, limit = found.rids, plan.limit
    total, at_least = found.total, len(rids)
    if total is not None:
        at_least = total
    elif limit is None or len(rids) < limit:
        total = at_least = len(rids)
    elif plan.count and found.more and _hopeless(plan, time.perf_counter() - started):
        pass  # "more than" the rows found: a match beyond them was seen
    elif plan.count:
        total, at_least = _count(plan)
        if total is None and at_least < len(rids):  # out of time before the rows shown
            total, at_least = (None, len(rids)) if found.more else _past(plan, len(rids))

    return found, total, at_least
