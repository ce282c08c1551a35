"""The query tree (paperdesk.query) turned into SQL: FTS5 expressions and conditions.

`compile_filter` splits a query for planning (`Filter`: an FTS5 match every row must
have, plus SQL conditions); `title_words` is the relevance's title tier.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Literal

from paperdesk import query as q
from paperdesk.dated import first_rid
from paperdesk.search.people import NAMING, naming_params

SORT_COLUMNS = ("date", "title", "authors", "category", "code", "score", "starred", "read",
                "rating")

_SORT_SQL = {
    "date": "p.date",
    "title": "p.title COLLATE NOCASE",
    "authors": "p.author_sort",  # family names first (records.author_sort)
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
HAS_VALUE = {
    "score": "{t}.score IS NOT NULL",
    "starred": "{t}.id IN (SELECT n.paper FROM user.paper_notes n WHERE n.starred)",
    "read": "{t}.id IN (SELECT n.paper FROM user.paper_notes n"
            " WHERE n.read_state <> 'unread')",
    "rating": "{t}.id IN (SELECT n.paper FROM user.paper_notes n WHERE n.rating IS NOT NULL)",
}
MISSING_LAST = {"score", "rating"}
USER_SORT = {"starred", "read", "rating"}


Params = list[object]


@dataclass(frozen=True)
class Scope:
    """What the author list has selected."""

    kind: Literal["all", "profile", "profiles", "person"] = "all"
    # profiles.id for "profile", a tuple of them for "profiles", people.key for "person"
    value: int | str | tuple[int, ...] | None = None



def order_sql(sort: tuple[str, bool]) -> str:
    column, descending = sort
    if column not in _SORT_SQL:
        raise ValueError(f"unknown sort column {column!r}; expected one of {SORT_COLUMNS}")
    direction = " DESC" if descending else ""
    return f"{_SORT_SQL[column]}{direction}, p.rid{direction}"


def _quote(text: str) -> str:
    """One FTS5 string: whatever it holds is matched as words, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


def _fts_text(node: q.Text) -> str:
    expression = _quote(node.text) + ("*" if node.prefix else "")
    if node.columns == q.ALL_COLUMNS:
        return expression
    return "{" + " ".join(node.columns) + "} : " + expression


def fts(node: q.Node) -> str | None:
    """The FTS5 expression for `node`, or None when FTS5 alone cannot express it."""
    if isinstance(node, q.Text):
        return _fts_text(node)
    if isinstance(node, q.Or):
        options = [fts(child) for child in node.children]
        if any(option is None for option in options):
            return None
        return "(" + " OR ".join(f"({option})" for option in options) + ")"
    if isinstance(node, q.And):
        return fts_and(list(node.children))
    return None


def fts_and(children: list[q.Node]) -> str | None:
    """FTS5 has no unary NOT: a conjunction needs one positive part to subtract from."""
    positive: list[str] = []
    negative: list[str] = []
    for child in children:
        if isinstance(child, q.Not) and (expression := fts(child.child)) is not None:
            negative.append(expression)
        elif (expression := fts(child)) is not None:
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
NOT_EXISTS_MATCH = (
    "NOT EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts.rowid = p.rid AND papers_fts MATCH ?)"
)
_IN_PROFILE = (
    "p.rid IN (SELECT pp.paper FROM profile_papers pp JOIN profiles pr ON pr.id = pp.profile"
    " WHERE pr.person LIKE ? ESCAPE '\\')"
)
# `author:` (paperdesk.search.people): the papers of the people found, off the person
# index; or, not listed (too many), each paper's people tested by the name rule (NAMING).
_NAMED = ("p.rid IN (SELECT pa.paper FROM paper_authors pa"
          " WHERE pa.person IN (SELECT value FROM json_each(?)))")
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


def _predicate(node: q.Node, user: bool, dated: bool = False) -> tuple[str, Params]:
    """An SQL condition on `papers p` for `node` (`dated`: rowids follow the date)."""
    if (expression := fts(node)) is not None:
        return _IN_MATCH, [expression]
    if isinstance(node, q.Category):
        if not node.codes:
            return "0", []
        return f"p.category IN ({', '.join('?' * len(node.codes))})", list(node.codes)
    if isinstance(node, q.Year):
        return _year(node, dated)
    if isinstance(node, q.Code):
        return "p.has_code = ?", [int(node.has_code)]
    if isinstance(node, q.Doubtful):
        return "p.doubtful", []
    if isinstance(node, q.Author):
        if node.keys is None:
            return NAMING, naming_params(node.pieces)
        return (_NAMED, [json.dumps(node.keys)]) if node.keys else ("0", [])
    if isinstance(node, q.Profile):
        return _IN_PROFILE, [_like_contains(node.name)]
    if isinstance(node, q.Verbatim):  # the text itself, in the rows the words narrowed to
        pattern = _like_contains(node.text)
        return ("(" + " OR ".join(f"p.{c} LIKE ? ESCAPE '\\'" for c in node.columns) + ")",
                [pattern] * len(node.columns))
    if isinstance(node, q.UserFilter):
        return _user_filter(node, user)
    if isinstance(node, q.Not):
        sql, params = _predicate(node.child, user, dated)
        return f"NOT ({sql})", params
    assert isinstance(node, q.And | q.Or)
    parts = [_predicate(child, user, dated) for child in node.children]
    joiner = " AND " if isinstance(node, q.And) else " OR "
    return "(" + joiner.join(f"({sql})" for sql, _ in parts) + ")", [
        param for _, params in parts for param in params
    ]


def _year(node: q.Year, dated: bool) -> tuple[str, Params]:
    """On the ISO date (its first four characters are the year): a range of the date index.

    When rowids follow the date (paperdesk.dated), a range of rowids instead, the same
    rows: any index ending in the rowid (`papers_category`, `papers_code`) then holds
    the condition itself and is walked in date order within the years, reading no row."""
    conditions: list[str] = []
    params: Params = []
    for bound, op, year in (("low", ">=", node.low), ("high", "<", node.high)):
        if year is None:
            continue
        first = year if bound == "low" else year + 1
        if dated:
            conditions.append(f"p.rid {op} ?")
            params.append(year_rid(first))
        else:
            conditions.append(f"p.date {op} ?")
            params.append(f"{first:04d}")
    return " AND ".join(conditions), params


def year_rid(year: int) -> int:
    """The lowest rowid a paper of `year` can have, when rowids follow the date."""
    return first_rid(f"{year:04d}-00-00")


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
class Filter:
    """A query split for planning: an FTS5 match every row must have, plus SQL conditions."""

    match: str | None
    where: tuple[str, ...]
    params: tuple[object, ...]
    simple: bool  # the match is cheap to test row by row: no prefix, no OR
    seek: int = 0  # the first `seek` conditions of `where` are year ranges (top-level year:)
    # Rowids every row lies in, [low, high), from top-level years when rowids follow the
    # date: the full-text scans read only that part of the index.
    span: tuple[int | None, int | None] = (None, None)
    # The full-text index the match is read from: titles_fts when it looks at titles
    # only (`title:graph`, see `titles_only`), a far smaller index holding the same rows.
    index: str = "papers_fts"
    # The match holds a few rows (at most vocabulary.NARROW_COMPLEMENT, see `narrowed`):
    # a scan reads it whole, in ascending rowid order (see plans.scan).
    few: bool = False
    # The papers a top-level `author:` lists (its people's, off the person index,
    # compile._NAMED, the last of `where`: its keys the last of `params`), at most; 0:
    # none. The planner lists them (plans.keyed), with words only a few (plans.SCOPED).
    named: int = 0


def compile_filter(root: q.Node | None, scope: Scope, user: bool = False,
                   universal: str | None = None, dated: bool = False) -> Filter:
    """Top-level clauses FTS5 can express become the match; the rest become SQL.

    With exclusions only, the match subtracts them from `universal` (a word in
    every paper) when given; otherwise each row is tested with NOT EXISTS.
    """
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    positive = [c for c in clauses if fts(c) is not None]
    negative = [c for c in clauses if _negated_fts(c)]
    match = None
    if positive:
        match = fts_and(positive + negative)
    elif negative and universal is not None:
        match = fts_and([q.Text(universal), *negative])
    where: list[str] = []
    params: Params = []
    rest = [c for c in clauses if c not in positive and c not in negative]
    years = [c for c in rest if isinstance(c, q.Year)]
    rest = years + [c for c in rest if not isinstance(c, q.Year)]
    listed = min((c for c in rest if isinstance(c, q.Author) and c.keys),
                 key=lambda c: c.papers, default=None)
    for sql, values in [_predicate(c, user, dated) for c in rest if c is not listed] + [
            s for s in [_scope(scope)] if s]:
        where.append(sql)
        params.extend(values)
    if match is None:
        for clause in negative:
            assert isinstance(clause, q.Not)
            where.append(NOT_EXISTS_MATCH)
            params.append(fts(clause.child))
    simple = all(_simple(c) for c in positive + negative)
    span = _span(years) if dated else (None, None)
    if listed is not None:  # last: plans.keyed tests the conditions before it
        where.append(_NAMED)
        params.append(json.dumps(listed.keys))
    return Filter(match, tuple(where), tuple(params), simple, len(years), span,
                  named=0 if listed is None else max(listed.papers, 1))  # 0: a decided one's


def narrowed(flt: Filter, universal: str, word: str) -> Filter:
    """Exclusions only, tested row by row (`flt.match` None, each exclusion a NOT EXISTS
    test): the rows driven by the papers without `word`, one of the excluded words
    (`"universal" NOT "word"`, two doclists), each tested as before. The same rows; cheap
    when few papers lack `word` (vocabulary.narrowest_exclusion). The tests stay positive
    lookups: FTS5 answers `rowid = ? AND MATCH 'a NOT b'` by reading whole doclists."""
    assert flt.match is None
    return replace(flt, match=fts_and([q.Text(universal), q.Not(q.Text(word))]), few=True)


def _span(years: list[q.Year]) -> tuple[int | None, int | None]:
    """The rowids top-level years allow (all of them must hold)."""
    lows = [year_rid(y.low) for y in years if y.low is not None]
    highs = [year_rid(y.high + 1) for y in years if y.high is not None]
    return (max(lows) if lows else None, min(highs) if highs else None)


def _negated_fts(node: q.Node) -> bool:
    return isinstance(node, q.Not) and fts(node.child) is not None


def _simple(node: q.Node) -> bool:
    if isinstance(node, q.Text):
        return not node.prefix
    if isinstance(node, q.Not):
        return _simple(node.child)
    if isinstance(node, q.And):
        return all(_simple(child) for child in node.children)
    return False


def title_words(root: q.Node | None, expansions: dict[str, list[str]]) -> str | None:
    """The FTS5 expression "every top-level free word is in the title", for relevance.

    A prefix stands for the words it was expanded to (see `expand`).
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
    return fts_and(words) if words else None


def titles_only(root: q.Node | None) -> bool:
    """Whether the match (top-level clauses FTS5 can express) looks at titles only, with
    at least one positive clause (`title:graph -title:survey`): the titles' index
    (schema v7) then finds exactly its rows."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    positive = [c for c in clauses if fts(c) is not None]
    negative = [c for c in clauses if _negated_fts(c)]
    return bool(positive) and all(_in_titles(c) for c in positive + negative)


def _in_titles(node: q.Node) -> bool:
    if isinstance(node, q.Text):
        return node.columns == ("title",)
    if isinstance(node, q.Not):
        return _in_titles(node.child)
    if isinstance(node, q.And | q.Or):
        return all(_in_titles(child) for child in node.children)
    return False


def title_covers_match(root: q.Node | None) -> bool:
    """Whether a row whose title has every free word (`title_words`) surely has the whole
    match too: the match is made of free words only (filters are SQL conditions)."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    return all(isinstance(c, q.Text) and c.columns == q.ALL_COLUMNS
               for c in clauses if fts(c) is not None or _negated_fts(c))


def has_user_schema(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "user" for row in conn.execute("PRAGMA database_list"))
