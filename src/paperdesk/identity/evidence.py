"""Which names are one person, and which name is several: suggested from the store's
evidence, never from the forms alone.

Two name keys are *suggested* as one person when their written forms are
compatible (paperdesk.identity.forms) and the store holds evidence: a co-author
they share, or a profile page listing papers of both (or owned by one and listing
the other). Overlapping categories, years and affiliations are shown beside it but
are not enough alone. Two names on the same paper are never one person. A form
that fits several people equally (`W. Wang` beside `Wei Wang` and `Wen Wang`, both
with evidence) is not suggested: the evidence cannot tell which.

A name *covers several people* when its papers fall into groups with no co-author
in common, in categories that do not overlap, and each group holds two papers or
more.

Candidates come from `name_blocks` by block; the data of a name is read through
the person and paper indexes: the cost is that of the names compared, not of the
store (`suggestions_for` answers for one person; `all_suggestions` walks every
block with two names or more).
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from paperdesk.identity.decisions import State
from paperdesk.identity.forms import blocks, compatible, forms, variant_class
from paperdesk.records import person_key as _person_key

SHOWN_PAPERS = 5  # papers listed per name in a suggestion's evidence
Tick = Callable[[int, int], None]  # (done, total) of a whole store's read
Pair = tuple[str, str]  # two name keys, in order
person_key = functools.lru_cache(maxsize=1 << 16)(_person_key)  # names recur block to block


@dataclass
class NameData:
    """What the store says about one name key (as written, whoever it is decided to be)."""

    key: str
    name: str = ""
    papers: dict[int, tuple[str, str, str, int]] = field(default_factory=dict)
    # rid -> (paper id, title, category, year)
    coauthors: dict[int, set[str]] = field(default_factory=dict)  # rid -> person keys
    coauthor_names: dict[str, str] = field(default_factory=dict)  # person key -> a name
    pages: dict[int, set[str]] = field(default_factory=dict)  # rid -> page files listing it
    owned: set[str] = field(default_factory=set)  # page files of this name's profile
    affiliations: set[str] = field(default_factory=set)

    @property
    def all_coauthors(self) -> set[str]:
        return set().union(*self.coauthors.values()) if self.coauthors else set()

    @property
    def all_pages(self) -> set[str]:
        return self.owned.union(*self.pages.values())

    @property
    def categories(self) -> Counter[str]:
        return Counter(c for _, _, c, _ in self.papers.values())

    @property
    def years(self) -> tuple[int, int] | None:
        years = [y for *_, y in self.papers.values() if y]
        return (min(years), max(years)) if years else None


@dataclass(frozen=True)
class Evidence:
    coauthors: tuple[str, ...]      # shared co-authors, as written
    pages: tuple[str, ...]          # page files holding both names
    categories: tuple[str, ...]     # categories both have papers in
    years: tuple[int, int] | None   # years both were active in
    affiliations: tuple[str, ...]
    papers: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (name, ((id, title), ...))

    @property
    def strong(self) -> bool:
        return bool(self.coauthors or self.pages)

    @property
    def score(self) -> int:
        return (3 * len(self.coauthors) + 2 * len(self.pages) + len(self.categories)
                + len(self.affiliations) + (self.years is not None))

    def lines(self) -> list[str]:
        out = []
        if self.coauthors:
            out.append("shared co-authors: " + ", ".join(self.coauthors))
        if self.pages:
            out.append("on the same profile page: " + ", ".join(self.pages))
        if self.categories:
            out.append("categories of both: " + ", ".join(self.categories))
        if self.years:
            out.append(f"active in the same years: {self.years[0]}-{self.years[1]}")
        if self.affiliations:
            out.append("affiliations of both: " + ", ".join(self.affiliations))
        for name, papers in self.papers:
            out.extend(f"{name}: {title} ({pid})" for pid, title in papers)
        return out


@dataclass(frozen=True)
class Suggestion:
    keys: tuple[str, str]           # name keys, the one with more papers first
    names: tuple[str, str]          # as written
    persons: tuple[str, str]        # who they are now (people.key)
    variant: str                    # forms.variant_class
    evidence: Evidence


@dataclass(frozen=True)
class Group:
    """Some papers of a name that share co-authors, apart from its other papers."""

    papers: tuple[tuple[str, str], ...]  # (id, title)
    coauthors: tuple[str, ...]
    categories: tuple[str, ...]
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Several:
    person: str
    name: str
    groups: tuple[Group, ...]


def _json(values: Iterable[object]) -> str:
    return json.dumps(sorted(set(values), key=str))


def load(conn: sqlite3.Connection, keys: Iterable[str], now: State) -> dict[str, NameData]:
    """The data of each name key (see NameData)."""
    found = {key: NameData(key) for key in keys}
    persons = {now.person(k) for k in found} | set(found)
    persons |= {p for (n, _), p in now.moved.items() if n in found}
    written: dict[str, Counter[str]] = {k: Counter() for k in found}
    for rid, name in conn.execute(
            "SELECT paper, name FROM paper_authors WHERE person IN"
            " (SELECT value FROM json_each(?))", (_json(persons),)):
        key = person_key(name)
        if key in found:
            found[key].papers[rid] = ("", "", "", 0)
            written[key][name] += 1
    rids = {rid for data in found.values() for rid in data.papers}
    _papers(conn, found, rids)
    for key, data in found.items():
        data.name = written[key].most_common(1)[0][0] if written[key] else key
    for source, name in conn.execute(
            "SELECT source, name FROM profiles WHERE person IN (SELECT value FROM json_each(?))",
            (_json(persons),)):
        if name and person_key(name) in found:
            found[person_key(name)].owned.add(source)
    return found


def _papers(conn: sqlite3.Connection, found: dict[str, NameData], rids: set[int]) -> None:
    by_rid: dict[int, list[NameData]] = {}
    for data in found.values():
        for rid in data.papers:
            by_rid.setdefault(rid, []).append(data)
    marks = _json(rids)
    for rid, pid, title, category, year, affiliations in conn.execute(
            "SELECT rid, id, title, category, year, affiliations FROM papers WHERE rid IN"
            " (SELECT value FROM json_each(?))", (marks,)):
        for data in by_rid[rid]:
            data.papers[rid] = (pid, title, category, year)
            data.affiliations.update(a for a in affiliations.split(", ") if a)
    for rid, person, name in conn.execute(
            "SELECT paper, person, name FROM paper_authors WHERE paper IN"
            " (SELECT value FROM json_each(?))", (marks,)):
        for data in by_rid[rid]:
            if person_key(name) != data.key:
                data.coauthors.setdefault(rid, set()).add(person)
                data.coauthor_names.setdefault(person, name)
    for rid, source in conn.execute(
            "SELECT pp.paper, pr.source FROM profile_papers pp JOIN profiles pr"
            " ON pr.id = pp.profile WHERE pp.paper IN (SELECT value FROM json_each(?))",
            (marks,)):
        for data in by_rid[rid]:
            data.pages.setdefault(rid, set()).add(source)


def evidence(a: NameData, b: NameData, now: State) -> Evidence | None:
    """What the store says for `a` and `b` being one person; None when it says they are
    not (both named on one paper, or one is among the other's co-authors)."""
    if set(a.papers) & set(b.papers):
        return None
    pa, pb = now.person(a.key), now.person(b.key)
    theirs = a.all_coauthors | b.all_coauthors
    if pa in b.all_coauthors or pb in a.all_coauthors or {a.key, b.key} & theirs:
        return None
    shared = sorted((a.all_coauthors & b.all_coauthors) - {pa, pb})
    cats = sorted(set(a.categories) & set(b.categories))
    years = None
    if a.years and b.years and a.years[0] <= b.years[1] and b.years[0] <= a.years[1]:
        years = (max(a.years[0], b.years[0]), min(a.years[1], b.years[1]))
    return Evidence(
        tuple(a.coauthor_names.get(k, k) for k in shared),
        tuple(sorted(a.all_pages & b.all_pages)), tuple(cats), years,
        tuple(sorted(a.affiliations & b.affiliations)),
        tuple((d.name, tuple((pid, title) for pid, title, _, _ in
                             list(d.papers.values())[:SHOWN_PAPERS])) for d in (a, b)))


def _pairs(names: dict[str, str]) -> Iterator[tuple[str, str]]:
    keys = sorted(names)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if compatible(names[a], names[b]):
                yield a, b


def _suggest(pairs: Iterable[tuple[str, str]], data: dict[str, NameData],
             now: State) -> list[Suggestion]:
    """Suggestions of the pairs that have evidence; an initials form that fits several
    unlike names keeps only its clearly best one."""
    found: list[Suggestion] = []
    for a, b in pairs:
        da, db = data.get(a), data.get(b)
        if da is None or db is None or not da.papers or not db.papers:
            continue
        pa, pb = now.person(a), now.person(b)
        if pa == pb or now.is_rejected(now.members(pa) | {a}, now.members(pb) | {b}):
            continue
        # the one with more papers first (then by key), whichever way the pair came: the
        # evidence is the same from the per-person lookup and from the whole store's
        first, second = sorted((da, db), key=lambda d: (-len(d.papers), d.key))
        shown = evidence(first, second, now)
        if shown is None or not shown.strong:
            continue
        found.append(Suggestion((first.key, second.key), (first.name, second.name),
                                (now.person(first.key), now.person(second.key)),
                                variant_class(first.name, second.name), shown))
    return _unambiguous(found)


def _unambiguous(found: list[Suggestion]) -> list[Suggestion]:
    by_key: dict[str, list[Suggestion]] = {}
    for s in found:
        for key in s.keys:
            by_key.setdefault(key, []).append(s)
    dropped: set[int] = set()
    for key, mine in by_key.items():
        others = [(s, s.names[1] if s.keys[0] == key else s.names[0]) for s in mine]
        own = mine[0].names[0] if mine[0].keys[0] == key else mine[0].names[1]
        if len(others) < 2 or not all(f.initials for f in forms(own)):
            continue  # `Björn` may well be both `Bjorn` and `Bjoern`: only initials are vague
        unlike = any(not compatible(x[1], y[1]) for i, x in enumerate(others)
                     for y in others[i + 1:])
        if not unlike:
            continue
        ranked = sorted(mine, key=lambda s: -s.evidence.score)
        keep = ranked[0] if ranked[0].evidence.score > ranked[1].evidence.score else None
        dropped.update(id(s) for s in mine if s is not keep)
    return [s for s in found if id(s) not in dropped]


def candidates(conn: sqlite3.Connection, keys: set[str]) -> dict[str, str]:
    """The names sharing a block with any of `keys` (theirs included): key -> a form."""
    keys_blocks = set().union(*(blocks(key) for key in keys)) if keys else set()
    return dict(conn.execute(
        "SELECT key, name FROM name_blocks WHERE block IN (SELECT value FROM json_each(?))",
        (_json(keys_blocks),)).fetchall())


def suggestions_for(conn: sqlite3.Connection, person: str, now: State) -> list[Suggestion]:
    """Names that may be the person `person` (people.key), with evidence, best first."""
    mine = now.members(person) or {person}
    names = candidates(conn, mine)
    pairs = [(a, b) for a in mine if a in names for b in names
             if b not in mine and compatible(names[a], names[b])]
    data = load(conn, {k for pair in pairs for k in pair}, now)
    return sorted(_suggest(pairs, data, now), key=lambda s: -s.evidence.score)


def all_suggestions(conn: sqlite3.Connection, now: State,
                    tick: Tick | None = None) -> list[Suggestion]:
    """Every suggestion the store's blocks give, block by block; `tick(done, total)`
    before each block (it may raise to stop the read)."""
    members = [names for (names,) in conn.execute(
        "SELECT json_group_object(key, name) FROM name_blocks GROUP BY block"
        " HAVING count(*) > 1")]
    return ranked(in_blocks(conn, now, members, tick)[1].values())


def blocks_of(keys: Iterable[str]) -> set[str]:
    """The name blocks of these name keys."""
    return set().union(*(blocks(key) for key in keys))


def block_members(conn: sqlite3.Connection, found: set[str]) -> list[str]:
    """The names of each of these blocks that holds two or more (a JSON object: key -> a
    written form), in block order."""
    return [names for (names,) in conn.execute(
        "SELECT json_group_object(key, name) FROM name_blocks WHERE block IN"
        " (SELECT value FROM json_each(?)) GROUP BY block HAVING count(*) > 1",
        (_json(found),))]


def in_blocks(conn: sqlite3.Connection, now: State, members: list[str],
              tick: Tick | None = None) -> tuple[set[Pair], dict[Pair, Suggestion]]:
    """The pairs of names these blocks compare (keys in order), and the suggestions
    they keep: a pair is kept when one of its blocks keeps it (`_unambiguous` drops a
    vague initials form's pairs block by block)."""
    compared: set[Pair] = set()
    found: dict[Pair, Suggestion] = {}
    for done, block in enumerate(members):
        if tick is not None:
            tick(done, len(members))
        names = json.loads(block)  # one block at a time: a million papers' are many
        if not any(forms(n) for n in names.values()):
            continue
        pairs = list(_pairs(names))
        compared.update(pairs)
        if not pairs:
            continue
        data = load(conn, {k for pair in pairs for k in pair}, now)
        for suggestion in _suggest(pairs, data, now):
            found.setdefault(_pair(suggestion), suggestion)
    return compared, found


def ranked(found: Iterable[Suggestion]) -> list[Suggestion]:
    """Suggestions as the dialog lists them: best evidence first, then by keys."""
    return sorted(found, key=lambda s: (-s.evidence.score, s.keys))


def _pair(suggestion: Suggestion) -> Pair:
    first, second = sorted(suggestion.keys)
    return first, second


def several(conn: sqlite3.Connection, person: str, now: State) -> Several | None:
    """The person's papers in groups that look like different people, or None."""
    data = load(conn, now.members(person) or {person}, now)
    merged = NameData(person)
    for d in data.values():
        merged.papers.update(d.papers)
        merged.coauthors.update(d.coauthors)
        merged.coauthor_names.update(d.coauthor_names)
        merged.pages.update(d.pages)
        merged.name = merged.name or d.name
    groups = _groups(merged, person)
    if len(groups) < 2:
        return None
    return Several(person, merged.name, tuple(groups))


def _groups(data: NameData, person: str) -> list[Group]:
    """Papers joined by shared co-authors; the groups of two papers or more whose
    co-authors and categories are disjoint from every other such group's."""
    parent: dict[int, int] = {rid: rid for rid in data.coauthors}

    def root(rid: int) -> int:
        while parent[rid] != rid:
            parent[rid] = parent[parent[rid]]
            rid = parent[rid]
        return rid

    first: dict[str, int] = {}
    for rid, people in data.coauthors.items():
        for other in people - {person}:
            if other in first:
                parent[root(rid)] = root(first[other])
            else:
                first[other] = rid
    clusters: dict[int, list[int]] = {}
    for rid in data.coauthors:
        clusters.setdefault(root(rid), []).append(rid)
    big = [rids for rids in clusters.values() if len(rids) >= 2]
    cats = [{data.papers[r][2] for r in rids} for rids in big]
    apart = [i for i in range(len(big)) if all(not (cats[i] & cats[j])
                                               for j in range(len(big)) if j != i)]
    if len(apart) < 2:
        return []
    return [Group(tuple((data.papers[r][0], data.papers[r][1]) for r in big[i]),
                  tuple(sorted({data.coauthor_names.get(p, p) for r in big[i]
                                for p in data.coauthors[r]})),
                  tuple(sorted(cats[i])),
                  tuple(sorted({s for r in big[i] for s in data.pages.get(r, ())})))
            for i in apart]


def coauthors_of(conn: sqlite3.Connection, persons: Iterable[str]) -> set[str]:
    """The people named on a paper with any of `persons` (people.key), through the
    person and paper indexes."""
    return {key for (key,) in conn.execute(
        "SELECT DISTINCT b.person FROM paper_authors a JOIN paper_authors b"
        " ON b.paper = a.paper WHERE a.person IN (SELECT value FROM json_each(?))",
        (_json(persons),))}


SEVERAL_FROM = 4  # papers a person needs before `all_several` looks at them


def people_of(conn: sqlite3.Connection, keys: Iterable[str],
              min_papers: int = SEVERAL_FROM) -> set[str]:
    """Those of `keys` that are people of `min_papers` papers or more."""
    return {key for (key,) in conn.execute(
        "SELECT key FROM people WHERE key IN (SELECT value FROM json_each(?)) AND papers >= ?",
        (_json(keys), min_papers))}


def all_several(conn: sqlite3.Connection, now: State, min_papers: int = SEVERAL_FROM,
                tick: Tick | None = None) -> list[Several]:
    """Every person of `min_papers` papers or more that looks like several people;
    `tick(done, total)` before each (it may raise to stop the read)."""
    found = []
    keys = conn.execute("SELECT key FROM people WHERE papers >= ? ORDER BY key",
                        (min_papers,)).fetchall()
    for done, (key,) in enumerate(keys):
        if tick is not None:
            tick(done, len(keys))
        flagged = several(conn, key, now)
        if flagged is not None:
            found.append(flagged)
    return found
