"""Who knows this topic, and who may not review it: reviewers, conflicts, similar work.

A topic (a submission's title and abstract, or a paper in the store) is reduced to
its most informative words: each word of the text is weighed by how often the
text uses it (title words count double) and by how rare it is in the store, from
the search vocabulary (`vocab`), so that a 250-word abstract becomes one short
full-text query (the filler of scientific prose, `study`, `based`, `novel`, is never
a topic word: `filler_words`). The papers that match best (FTS5's bm25 over title and
abstract) vote for their authors: each paper gives each author named on it its bm25 score
squared, and a person's votes add up over all their matching papers (the
document-centred expert-finding model: squaring lets one close paper outweigh
several loose ones, adding lets a body of work count). A profile page's owner
gets the votes of the page's papers only where the page may hide them behind
`et al.`: a complete author list without them is not theirs.

Conflicts are facts found in the store, each with its evidence: a co-authored
paper within the window of years before the submission, a profile page that
lists a paper naming both, an affiliation both have used on their papers in the
window. Pages cut author lists at `et al.`, so a conflict shown is certain and
the absence of one is not (`NOT_EXHAUSTIVE`).

The model and `MAX_TERMS` were chosen on the real arXiv sample by
bench/reviewer_bench.py (each held-out paper hidden alone; tuned on one split,
reported on another), which reports recall@10 of held-out papers' own authors
beside a plain bm25 baseline over concatenated profiles. Also tried there and left
out, as none gained more than noise (README, "Reviewers, conflicts and similar
work", has the figures): a person's best few papers only; higher powers of bm25;
reciprocal-rank shares by the paper's rank, with or without dividing among its
authors; dividing by a person's paper count; the co-authors of the best matches'
authors; the category most of the best matches share; the closeness of a person's
paper years to the submission's (recency is shown, not scored); every word of the
text, or 12 or 48, instead of 24; words of the best matches added to the query.
Nor did other similarities (bench/reviewer_ideas.py): tf-idf cosine over words as
written, Snowball stems, bigrams or character 4-grams; LSA (a truncated SVD of the
store's tf-idf), by a person's centroid or by votes; each fused with this ranking.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Literal

from paperdesk import latex, people_list
from paperdesk.query import fold
from paperdesk.records import person_key
from paperdesk.search import search

MAX_TERMS = 24  # the most informative words of a topic sent to the full-text index
# A word in UNTITLED_FROM papers or more, fewer than TITLED_SHARE of them in the title, is
# the way papers talk, not a topic: of the real sample's 7,762 papers `discuss` is in 734
# and no title, `compute` 318 and none, `show` 1,906 and one; `entanglement` is in 96 and
# 54 titles, `lattice` 301 and 89, `method` 692 and 53
UNTITLED_FROM = 20
TITLED_SHARE = 0.01
COMMON_SHARE = 0.02  # a word in more papers than this share costs more than it says
COMMON_FLOOR = 1000  # ... unless the store is so small that it is in fewer papers
MATCHED_PAPERS = 300  # the best-matching papers that vote for their authors
VOTE_POWER = 2.0  # a paper's vote: its bm25 score to this power
SHOWN_PAPERS = 3  # a reviewer's best-matching papers shown as the reason
TITLE_WEIGHT = 2.0  # a title word weighs as much as this many abstract words
DEFAULT_YEARS = 3  # the co-authorship window before the submission's date
SEARCH_PAPERS = 200  # a saved search's first papers, in its own order, that make a topic
NOT_EXHAUSTIVE = ("Pages cut author lists at \"et al.\": a conflict shown is certain, "
                  "the absence of one is not.")

_WORD = re.compile(r"\w+")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
# English function words: in a small store they are rare enough to look informative.
_STOP_WORDS_TEXT = """
    about above across after again against all almost along already also although always
    among and another any anything are around because been before being below between
    both but can cannot could did does doing done down during each either else enough even
    ever every few for from further had has have having her here hers him his how however
    into its itself just least less many may might more most much must near neither never
    nor not now off often once one only onto other others otherwise our ours out over own
    per perhaps quite rather same several she should since some such than that the their
    theirs them then there these they this those though through thus too toward towards
    under until upon use used uses using very was way we well were what when where whether
    which while who whom whose why will with within without would yet you your
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


# A topic left with fewer words than this by taking out its filler keeps its title's:
# a field's name can be made of them (`numerical analysis`, `Standard Model`).
FEW_TOPIC_WORDS = 3


@functools.cache
def filler_words() -> frozenset[str]:
    """The filler words of scientific prose (`study`, `based`, `proposed`, `novel`): used
    in every field and said once wherever they fall, so never a topic word, whatever the
    store. Derived once from the real arXiv sample by bench/filler_words.py (its
    docstring has the rule: spread over the largest subject areas and residual IDF)."""
    text = resources.files("paperdesk").joinpath("data/filler_words.txt").read_text(
        encoding="utf-8")
    return frozenset(line.split("\t", 1)[0] for line in text.splitlines()
                     if line and not line.startswith("#"))

ConflictKind = Literal["author", "coauthor", "profile", "affiliation"]


@dataclass(frozen=True)
class Topic:
    """What needs reviewers: text, and optionally its authors, year and own papers."""

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None  # the submission's year; None: the store's capture year
    exclude: frozenset[int] = frozenset()  # papers (rids) that never vote: the topic itself


@dataclass(frozen=True)
class Match:
    """A paper that matches a topic, and the topic's words it contains."""

    rid: int
    title: str
    year: int
    score: float  # bm25, larger is better
    words: tuple[str, ...]
    # where the title holds them: (start, end) of each word the ranking matched, as the
    # full-text index matched it (`with_words`)
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    author: str  # the submission's author it is with
    evidence: str  # a sentence a chair can check
    rid: int | None = None  # the paper that proves it, when one does


@dataclass(frozen=True)
class Reviewer:
    key: str  # people.key
    name: str
    profile: int | None  # their profile page, when they have one
    score: float
    matching: int  # their papers among the best matches
    latest: int  # the year of their most recent matching paper
    papers: tuple[Match, ...]  # the best of them, best first
    conflicts: tuple[Conflict, ...] = ()


@dataclass
class Ranking:
    """Reviewers for a topic, best first, and what the ranking rests on."""

    terms: tuple[str, ...]
    reviewers: list[Reviewer] = field(default_factory=list)
    unknown_authors: tuple[str, ...] = ()  # submission authors no paper in the store names
    about: str = ""  # what was ranked for, when not a typed text: "the 12 papers of …"
    note: str = NOT_EXHAUSTIVE
    # With no topic word: the text's words the store holds, all too common to rank by
    # ("A study of learning" in a store where `learning` is in 3,703 titles)
    common: tuple[str, ...] = ()
    hidden: int = 0  # researchers left out for a conflict (hide_conflicted), among the best


def words(text: str) -> list[str]:
    """The words of `text` that can name a topic: folded, no LaTeX commands, no numbers,
    no function words."""
    return [w for w in _WORD.findall(fold(_LATEX_COMMAND.sub(" ", text)))
            if len(w) > 2 and not w.isdigit() and w not in STOP_WORDS]


def word_set(text: str) -> set[str]:
    """The distinct words of `text`, as `words` finds them, each distinct token folded
    once (an ASCII one is only lower-cased: that is its folding): folding whole
    abstracts character by character cost most of a ranking's time."""
    tokens = set(_WORD.findall(_LATEX_COMMAND.sub(" ", text)))
    folded = (t.lower() if t.isascii() else fold(t) for t in tokens)
    return {w for w in folded if len(w) > 2 and not w.isdigit() and w not in STOP_WORDS}


def topic_terms(conn: sqlite3.Connection, title: str, abstract: str,
                limit: int = MAX_TERMS) -> list[str]:
    """The topic's most informative words: frequent in the text, rare in the store. The
    text is read as the store reads its papers' (LaTeX decoded: a pasted
    `Schr\\"odinger` is the word `schrodinger` of the papers, not `schr` and `odinger`)."""
    weights: defaultdict[str, float] = defaultdict(float)
    titled = words(latex.to_text(title))
    for word in titled:
        weights[word] += TITLE_WEIGHT
    for word in words(latex.to_text(abstract)):
        weights[word] += 1.0
    filler = filler_words().intersection(weights)
    if len(weights) - len(filler) < FEW_TOPIC_WORDS:
        filler -= set(titled)  # `Numerical analysis of lower bounds`: the title says it
    for word in filler:
        del weights[word]
    if not weights:
        return []
    total = _paper_total(conn)
    docs = _docs(conn, weights)
    scored = []
    for word, weight in weights.items():
        df = docs.get(word, 0)
        if df == 0 or df > max(COMMON_SHARE * total, COMMON_FLOOR):
            continue
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        scored.append((weight * idf, word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return _topical([word for _, word in scored], docs, limit, _title_docs(conn))


def _docs(conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
    """How many papers hold each of `terms` (those no paper holds left out)."""
    return dict(conn.execute("SELECT term, docs FROM vocab WHERE term IN"
                             " (SELECT value FROM json_each(?))", (json.dumps(list(terms)),)))


def held_words(conn: sqlite3.Connection, title: str, abstract: str) -> tuple[str, ...]:
    """The words of a text that the store's papers hold, most common first: when
    topic_terms keeps none of them, they are why (each too common to rank by)."""
    docs = _docs(conn, set(words(latex.to_text(title))) | set(words(latex.to_text(abstract))))
    return tuple(sorted(docs, key=lambda word: (-docs[word], word)))


def _topical(ranked: list[str], docs: dict[str, int], limit: int,
             titled: Callable[[str], int]) -> list[str]:
    """The first `limit` of `ranked` that are topics, not the way papers talk (see
    UNTITLED_FROM); their titles counted only for the words looked at (at a million
    papers each count walks the word's titles)."""
    chosen: list[str] = []
    for word in ranked:
        if docs[word] >= UNTITLED_FROM and titled(word) < TITLED_SHARE * docs[word]:
            continue
        chosen.append(word)
        if len(chosen) == limit:
            break
    return chosen


def _title_docs(conn: sqlite3.Connection) -> Callable[[str], int]:
    """How many papers' titles hold a word: the titles' own index, read through FTS5's
    vocabulary table (a look-up of the word)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.title_terms"
                 " USING fts5vocab(main, 'titles_fts', 'row')")

    def count(word: str) -> int:
        row = conn.execute("SELECT doc FROM temp.title_terms WHERE term = ?",
                           (word,)).fetchone()
        return int(row[0]) if row else 0
    return count


def _paper_total(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()
    return int(row[0]) if row else 0


def _fts_query(terms: list[str]) -> str:
    return "{title abstract} : (" + " OR ".join(f'"{t}"' for t in terms) + ")"


def matching_papers(conn: sqlite3.Connection, terms: list[str], exclude: frozenset[int],
                    limit: int = MATCHED_PAPERS) -> list[Match]:
    """The papers that match `terms` best (bm25 over title and abstract), best first.

    Their `words` are left empty: `with_words` fills them in for the few shown."""
    if not terms:
        return []
    rows = conn.execute(
        "SELECT f.rowid, -bm25(papers_fts, ?, 0.0, 0.0, 1.0) AS s FROM papers_fts f"
        " WHERE papers_fts MATCH ? ORDER BY s DESC LIMIT ?",
        (TITLE_WEIGHT, _fts_query(terms), limit + len(exclude))).fetchall()
    scores = {rid: score for rid, score in rows if rid not in exclude}
    found = [Match(rid, title, year, scores[rid], ()) for rid, title, year in conn.execute(
        "SELECT rid, title, year FROM papers WHERE rid IN (SELECT value FROM json_each(?))",
        (json.dumps(list(scores)),))]
    return sorted(found, key=lambda m: (-m.score, m.rid))[:limit]


# what FTS5's highlight() puts around each word it matched: control characters, which
# no title or abstract holds (the parser leaves none; `_marks` checks)
_OPEN, _CLOSE = "\x02", "\x03"
_MARKED = re.compile("\x02([^\x02\x03]*)\x03")


def with_words(conn: sqlite3.Connection, matches: tuple[Match, ...] | list[Match],
               terms: tuple[str, ...] | list[str]) -> tuple[Match, ...]:
    """`matches` with the topic's words each contains (title or abstract) and where its
    title holds them (`Match.marks`): the words FTS5 itself matched for the ranking's
    query (its tokenizer's case and accent folding, over the LaTeX-decoded text the index
    holds), read by its highlight(), so that what is shown is exactly what ranked the
    paper: a word written `Rényi`, `RENYI` or `rényi-type` for a term `renyi`, and not
    `AdS₃` for `ads3` (the index keeps `₃`)."""
    if not terms or not matches:
        return tuple(matches)
    found = {rid: (title, abstract) for rid, title, abstract in conn.execute(
        "SELECT rowid, highlight(papers_fts, 0, ?1, ?2), highlight(papers_fts, 3, ?1, ?2)"
        "  FROM papers_fts WHERE papers_fts MATCH ?3"
        "   AND rowid IN (SELECT value FROM json_each(?4))",
        (_OPEN, _CLOSE, _fts_query(list(terms)), json.dumps([m.rid for m in matches])))}
    out = []
    for match in matches:
        title, abstract = found.get(match.rid, ("", ""))
        present = {fold(word) for word in _MARKED.findall(title + abstract)}
        out.append(replace(match, words=tuple(t for t in terms if t in present),
                           marks=_marks(title, match.title)))
    return tuple(out)


def _marks(marked: str, title: str) -> tuple[tuple[int, int], ...]:
    """(start, end) in `title` of each word highlight() marked in `marked` (none when
    the marked text does not read back as the title)."""
    spans, plain = [], []
    at = 0
    for piece in re.split(f"({_OPEN}[^{_OPEN}{_CLOSE}]*{_CLOSE})", marked):
        word = piece[1:-1] if piece.startswith(_OPEN) and piece.endswith(_CLOSE) else ""
        if word:
            spans.append((at, at + len(word)))
        plain.append(word or piece)
        at += len(plain[-1])
    return tuple(spans) if "".join(plain) == title else ()


def find_reviewers(conn: sqlite3.Connection, topic: Topic, *, everyone: bool = False,
                   years: int = DEFAULT_YEARS, since: int | None = None, min_papers: int = 1,
                   hide_conflicted: bool = False, limit: int = 50) -> Ranking:
    """People ranked by how well their papers match `topic`, with their conflicts.

    `everyone`: every person named on papers, not only profile owners; `since`: only
    papers from that year on vote; `years`: the co-authorship window."""
    terms = topic_terms(conn, topic.title, topic.abstract)
    matches = [m for m in matching_papers(conn, terms, topic.exclude)
               if since is None or m.year >= since]
    ranking = Ranking(tuple(terms))
    if not terms:
        ranking.common = held_words(conn, topic.title, topic.abstract)
    year = topic.year or _capture_year(conn)
    people = _rank_people(conn, matches, everyone)
    submitted = _submitted(conn, topic.authors)
    ranking.unknown_authors = tuple(n for n in topic.authors if n not in submitted.values())
    for reviewer in people:
        if reviewer.matching < min_papers:
            continue
        conflicts = tuple(_conflicts(conn, reviewer.key, submitted, year, years,
                                     topic.exclude))
        if conflicts and hide_conflicted:
            ranking.hidden += 1
            continue
        ranking.reviewers.append(replace(reviewer, conflicts=conflicts,
                                         papers=with_words(conn, reviewer.papers, terms)))
        if len(ranking.reviewers) >= limit:
            break
    return ranking


def _rank_people(conn: sqlite3.Connection, matches: list[Match],
                 everyone: bool) -> list[Reviewer]:
    """Every author of the matches, best first: the sum of their papers' votes."""
    by_rid = {m.rid: m for m in matches}
    votes: dict[str, list[tuple[float, Match]]] = defaultdict(list)
    who: dict[str, tuple[str, int | None]] = {}
    for rid, key, name, profile in _authors_of(conn, list(by_rid)):
        if everyone or profile is not None:
            match = by_rid[rid]
            votes[key].append((match.score ** VOTE_POWER, match))
            who[key] = (name, profile)
    ranked = []
    for key, cast in votes.items():
        cast.sort(key=lambda v: (-v[0], v[1].rid))
        ranked.append(Reviewer(key, who[key][0], who[key][1], sum(v for v, _ in cast),
                               len(cast), max(m.year for _, m in cast),
                               tuple(m for _, m in cast[:SHOWN_PAPERS])))
    ranked.sort(key=lambda r: (-r.score, r.name.casefold(), r.key))
    return ranked


def _authors_of(conn: sqlite3.Connection, rids: list[int]) -> set[tuple[int, str, str, int | None]]:
    """(paper, person, name, profile) for every author named on the papers, and for the
    owner of every profile page listing one whose author list ends in `et al.`: the
    page may have hidden its owner there. (A complete list without the owner says the
    paper is not theirs, whatever page lists it.)"""
    ids = json.dumps(rids)
    named = conn.execute(
        "SELECT pa.paper, pa.person, people.name, people.profile"
        "  FROM paper_authors pa JOIN people ON people.key = pa.person"
        " WHERE pa.paper IN (SELECT value FROM json_each(?))", (ids,))
    owners = conn.execute(
        "SELECT pp.paper, people.key, people.name, people.profile"
        "  FROM profile_papers pp JOIN profiles pr ON pr.id = pp.profile"
        "  JOIN people ON people.key = pr.person JOIN papers p ON p.rid = pp.paper"
        " WHERE pp.paper IN (SELECT value FROM json_each(?)) AND p.et_al", (ids,))
    return {*named, *owners}


def _submitted(conn: sqlite3.Connection, names: tuple[str, ...]) -> dict[str, str]:
    """The people the submission's authors may be (key -> the name as given): every
    person whose name reads the same with accents, case and `-.'` aside: a pasted
    `Dieter Lust` is the store's Dieter Lust and its Dieter Lüst alike (a conflict
    found is said as one, and one missed suggests an author for their own paper)."""
    found: dict[str, str] = {}
    for name in names:
        for person in [person_key(name), *people_list.keys_named(conn, name)]:
            found.setdefault(person, name)
    return {key: name for key, name in found.items() if _known(conn, key)}


def _known(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM people WHERE key = ?", (key,)).fetchone() is not None


def _capture_year(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'capture_year'").fetchone()
    return int(row[0]) if row else 0


def _conflicts(conn: sqlite3.Connection, key: str, authors: dict[str, str], year: int,
               years: int, submission: frozenset[int] = frozenset()) -> list[Conflict]:
    """What ties person `key` to the submission's `authors` (keys to names as given).
    The submission's own papers in the store (`submission`, rids) are no evidence: that
    two people wrote the submission together is said by "is an author"."""
    if not authors:
        return []
    found = []
    if key in authors:
        found.append(Conflict("author", authors[key], "is an author of the submission"))
    targets, own = json.dumps([k for k in authors if k != key]), json.dumps(sorted(submission))
    for rid, title, paper_year, other in conn.execute(
            "SELECT p.rid, p.title, max(p.year), b.person FROM paper_authors a"
            "  JOIN paper_authors b ON b.paper = a.paper JOIN papers p ON p.rid = a.paper"
            " WHERE a.person = ? AND b.person IN (SELECT value FROM json_each(?))"
            "   AND p.year BETWEEN ? AND ? AND p.rid NOT IN (SELECT value FROM json_each(?))"
            " GROUP BY b.person", (key, targets, year - years, year, own)):
        found.append(Conflict("coauthor", authors[other],
                              f"co-authored \u201c{title}\u201d ({paper_year})", rid))
    for owner, page, other, title in conn.execute(
            "SELECT pr.person, pr.name, pa.person, p.title FROM profiles pr"
            "  JOIN profile_papers pp ON pp.profile = pr.id"
            "  JOIN paper_authors pa ON pa.paper = pp.paper JOIN papers p ON p.rid = pp.paper"
            " WHERE ((pr.person = ? AND pa.person IN (SELECT value FROM json_each(?)))"
            "    OR (pa.person = ? AND pr.person IN (SELECT value FROM json_each(?))))"
            "   AND pp.paper NOT IN (SELECT value FROM json_each(?))"
            " GROUP BY pr.id", (key, targets, key, targets, own)):
        other_key = other if owner == key else owner
        found.append(Conflict("profile", authors[other_key],
                              f"{page}'s profile page lists \u201c{title}\u201d, "
                              f"which names both"))
    found.extend(_shared_affiliations(conn, key, authors, year, years))
    return found


def _affiliations(conn: sqlite3.Connection, key: str, low: int, high: int) -> dict[str, str]:
    """The affiliations on a person's papers in the window: folded form to as written."""
    seen: dict[str, str] = {}
    for (text,) in conn.execute(
            "SELECT p.affiliations FROM paper_authors pa JOIN papers p ON p.rid = pa.paper"
            " WHERE pa.person = ? AND p.year BETWEEN ? AND ? AND p.affiliations != ''",
            (key, low, high)):
        for name in text.split(", "):
            seen.setdefault(fold(name.strip()), name.strip())
    return seen


def _shared_affiliations(conn: sqlite3.Connection, key: str, authors: dict[str, str],
                         year: int, years: int) -> list[Conflict]:
    mine = _affiliations(conn, key, year - years, year)
    found = []
    for other, name in authors.items():
        if other == key or not mine:
            continue
        shared = sorted(set(mine) & set(_affiliations(conn, other, year - years, year)))
        if shared:
            found.append(Conflict("affiliation", name,
                                  f"both list {', '.join(mine[s] for s in shared)} "
                                  f"on papers from {year - years} to {year}"))
    return found


def similar_papers(conn: sqlite3.Connection, rid: int, limit: int = 20) -> list[Match]:
    """The papers closest to paper `rid` in topic, each with the words they share."""
    row = conn.execute("SELECT title, abstract FROM papers WHERE rid = ?", (rid,)).fetchone()
    if row is None:
        return []
    terms = topic_terms(conn, row[0], row[1])
    return list(with_words(conn, matching_papers(conn, terms, frozenset({rid}), limit), terms))


def papers_topic(conn: sqlite3.Connection, rids: list[int]) -> Topic:
    """Papers `rids` as one topic, themselves excluded from voting.

    Each paper gives each of its words once, so that a word weighs by how many of the
    papers use it, not by how often one abstract repeats it."""
    rows = conn.execute("SELECT rid, title, abstract FROM papers WHERE rid IN"
                        " (SELECT value FROM json_each(?))", (json.dumps(rids),)).fetchall()
    titles = " ".join(" ".join(word_set(r[1])) for r in rows)
    abstracts = " ".join(" ".join(word_set(r[2])) for r in rows)
    return Topic(titles, abstracts, exclude=frozenset(r[0] for r in rows))


def profile_topic(conn: sqlite3.Connection, profile_id: int) -> Topic:
    """A profile's papers as one topic (`papers_topic`)."""
    return papers_topic(conn, [r[0] for r in conn.execute(
        "SELECT paper FROM profile_papers WHERE profile = ?", (profile_id,))])


def search_topic(conn: sqlite3.Connection, text: str,
                 limit: int = SEARCH_PAPERS) -> tuple[Topic, int]:
    """The first `limit` papers a search-box query finds (a saved search), in its own
    order, as one topic (`papers_topic`), and how many papers that is."""
    rids = list(search(conn, text, limit=limit, count=False).rids)
    return papers_topic(conn, rids), len(rids)


def similar_people(conn: sqlite3.Connection, profile_id: int, limit: int = 20) -> Ranking:
    """Profile owners whose papers cover the topics of profile `profile_id`'s papers."""
    owner = conn.execute("SELECT person FROM profiles WHERE id = ?", (profile_id,)).fetchone()
    ranking = find_reviewers(conn, profile_topic(conn, profile_id), limit=limit + 1)
    ranking.reviewers = [r for r in ranking.reviewers
                         if owner is None or r.key != owner[0]][:limit]
    return ranking
