"""Reviewer finding: quality on real arXiv metadata, speed on a large store.

Quality: the whole real sample (../shared/realdata/arxiv-sample.jsonl) becomes
profile pages as bench/realpages.py renders them (both layouts, three names then
"et al.", owners sometimes hidden behind it), and one store is built from those
pages by the real build. Then each held-out paper in turn is hidden, queried and
restored: inside a SAVEPOINT it is taken out of the store the way an import takes
out a paper no page lists any more (its listings, then the writer's own
`drop_orphans`/`finish_incremental`: its row, its authorships, its full-text rows,
the vocabulary, the people it named recounted, meta's counts), its title and abstract
(and its year, as a submission has a date) go to
`paperdesk.reviewers.find_reviewers(everyone=True)`, and the SAVEPOINT is rolled
back. recall@10 counts how many of its own authors who are still in the store (named
on another paper) come out in the top ten. The baseline, in the same process, on the
same store with the same paper hidden: one FTS5 document per person (the titles and
abstracts of their papers concatenated; the hidden paper's authors get theirs
rewritten without it inside the same SAVEPOINT), ranked by FTS5's bm25 for the
held-out paper's words (all of them, OR). `--check N` fingerprints every table
(shadow tables of the full-text indexes included) before hiding and after restoring
for the first N papers and stops if one byte differs.

Held-out papers: those with at most MAX_AUTHORS authors, one of whom has another
paper, shuffled by `--seed`; the first `--held-out` are the tuning split, the next
`--held-out` the reporting split (`--split`). Tune on one, report the other.

Speed (`--store FILE`, e.g. the 1M store of bench/search_bench.py): submissions
are abstracts of random papers of that store (each excluded from its own
ranking); reported are the p50/p95/max latency of `find_reviewers` and of
`similar_papers`, beside the plain FTS5 bm25 query (top MATCHED_PAPERS) for the same
words, the topic's informative words OR'ed: the floor under the ranking. (A plain
query over every word of an abstract took 2.8 s p50 at 100,000 papers already.)

    python bench/reviewer_bench.py [--held-out 400] [--seed 7] [--split reporting] [--check 5]
    python bench/reviewer_bench.py --store bench/out/search-1000000.sqlite --queries 100
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import realpages
from paperdesk import reviewers
from paperdesk.page_year import year_rule
from paperdesk.records import paper_id, person_key
from paperdesk.store import build_store
from paperdesk.writer import Writer
from realpages import RealPaper

MAX_AUTHORS = 30  # held-out papers with more authors are collaboration papers: left out
SPLITS = ("tuning", "reporting")
CEILING_DEPTHS = (1, 10, 50, 300)  # how deep the paper ranking is read for the ceiling


def held_out(papers: list[RealPaper], count: int, seed: int, which: str) -> list[RealPaper]:
    """The split `which` of papers to hide: each has an author with another paper."""
    named = Counter(a for p in papers for a in p.authors)
    candidates = [p for p in papers if len(p.authors) <= MAX_AUTHORS
                  and any(named[a] >= 2 for a in p.authors)]
    random.Random(seed).shuffle(candidates)
    start = SPLITS.index(which) * count
    return candidates[start:start + count]


@dataclass
class Hidden:
    """A held-out paper while it is hidden: its rowid and its own authors still stored."""

    paper: RealPaper
    rid: int
    own: set[str]


class Corpus:
    """The built store with the baseline's per-person documents, and hiding one paper."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.isolation_level = None  # SAVEPOINTs by hand
        self.conn = conn
        self.year = int(conn.execute("SELECT value FROM meta WHERE key = 'capture_year'")
                        .fetchone()[0])
        conn.execute("CREATE VIRTUAL TABLE temp.person_docs USING fts5(key UNINDEXED, body,"
                     " tokenize='unicode61 remove_diacritics 2')")
        keys = [k for (k,) in conn.execute("SELECT key FROM people ORDER BY key")]
        self.doc = {k: i + 1 for i, k in enumerate(keys)}
        for key in keys:
            self._write_doc(key)

    def _write_doc(self, key: str) -> None:
        row = self.conn.execute("SELECT group_concat(p.title || ' ' || p.abstract, ' ')"
                                "  FROM paper_authors pa JOIN papers p ON p.rid = pa.paper"
                                " WHERE pa.person = ?", (key,)).fetchone()
        self.conn.execute("DELETE FROM temp.person_docs WHERE rowid = ?", (self.doc[key],))
        if row[0]:
            self.conn.execute("INSERT INTO temp.person_docs (rowid, key, body) VALUES (?,?,?)",
                              (self.doc[key], key, row[0]))

    @contextmanager
    def hidden(self, paper: RealPaper) -> Iterator[Hidden]:
        """The store (and the baseline's documents) as if `paper` were not in it."""
        conn = self.conn
        rid = conn.execute("SELECT rid FROM papers WHERE id = ?",
                           (paper_id(paper.title),)).fetchone()[0]
        authors = {r[0] for r in conn.execute("SELECT person FROM paper_authors"
                                              " WHERE paper = ?", (rid,))}
        conn.execute("SAVEPOINT hide")
        try:
            conn.execute("UPDATE profiles SET entries = entries - 1 WHERE id IN"
                         " (SELECT profile FROM profile_papers WHERE paper = ?)", (rid,))
            conn.execute("DELETE FROM profile_papers WHERE paper = ?", (rid,))
            writer = Writer(conn, bulk=False, year_of=year_rule(self.year, self.year))
            writer.maybe_orphans.add(rid)
            assert writer.finish_incremental() == 1
            for key in authors:
                self._write_doc(key)
            own = {r[0] for r in conn.execute(  # named on another paper: still stored
                "SELECT key FROM people WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted({person_key(a) for a in paper.authors})),))}
            yield Hidden(paper, rid, own)
        finally:
            conn.execute("ROLLBACK TO hide")
            conn.execute("RELEASE hide")

    def baseline(self, paper: RealPaper, limit: int = 10) -> list[str]:
        words = sorted(set(reviewers.words(f"{paper.title} {paper.abstract}")))
        if not words:
            return []
        query = " OR ".join(f'"{w}"' for w in words)
        return [k for (k,) in self.conn.execute(
            "SELECT key FROM temp.person_docs WHERE person_docs MATCH ?"
            " ORDER BY bm25(person_docs) LIMIT ?", (query, limit))]


def fingerprint(conn: sqlite3.Connection) -> str:
    """A digest of every row of every table, the full-text indexes' shadow tables
    included (the virtual tables themselves are read through them)."""
    digest = hashlib.sha256()
    for schema in ("main", "temp"):
        for name, sql in conn.execute(f"SELECT name, sql FROM {schema}.sqlite_master"
                                      " WHERE type = 'table' ORDER BY name").fetchall():
            if (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
                continue
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM {schema}."{name}"'))
            digest.update(f"{schema}.{name}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(row.encode())
    return digest.hexdigest()


Ranker = Callable[[sqlite3.Connection, reviewers.Topic], list[str]]


def paperdesk_ranker(conn: sqlite3.Connection, topic: reviewers.Topic) -> list[str]:
    return [r.key for r in reviewers.find_reviewers(conn, topic, everyone=True,
                                                    limit=10).reviewers]


def built_corpus(tmp: Path) -> Corpus:
    pages = tmp / "pages"
    pages.mkdir()
    written = 0
    for name, text, _truth in realpages.pages(realpages.load(), 0):
        (pages / name).write_text(text, encoding="utf-8")
        written += 1
    report = build_store([pages], tmp / "store.db", userdata_path=tmp / "userdata.db")
    print(f"{written} pages, {report.papers} papers, {report.people} people; "
          f"skipped {report.skipped_entries} entries")
    return Corpus(sqlite3.connect(tmp / "store.db"))


def evaluate(corpus: Corpus, held: list[RealPaper], rankers: dict[str, Ranker],
             check: int = 0) -> dict[str, tuple[int, int, int]]:
    """Per ranker (found, targets, queries) over the held-out papers, each hidden alone;
    the plain baseline under the name "baseline"."""
    found: Counter[str] = Counter()
    targets = queries = 0
    for n, paper in enumerate(held):
        before = fingerprint(corpus.conn) if n < check else ""
        with corpus.hidden(paper) as hidden:
            if hidden.own:
                queries += 1
                targets += len(hidden.own)
                topic = reviewers.Topic(paper.title, paper.abstract, year=paper.year)
                for name, rank in rankers.items():
                    found[name] += len(hidden.own & set(rank(corpus.conn, topic)[:10]))
                found["baseline"] += len(hidden.own & set(corpus.baseline(paper)))
                for depth, reached in ceiling(corpus.conn, topic, hidden.own).items():
                    found[f"ceiling@{depth}"] += reached
        if n < check and fingerprint(corpus.conn) != before:
            raise SystemExit(f"hiding and restoring \u201c{paper.title}\u201d changed the store")
    names = [*rankers, "baseline", *(f"ceiling@{d}" for d in CEILING_DEPTHS)]
    return {name: (found[name], targets, queries) for name in names}


def ceiling(conn: sqlite3.Connection, topic: reviewers.Topic, own: set[str]) -> dict[int, int]:
    """How many of `own` have a paper among the best `depth` papers that the ranking's
    words match: what a ranker that votes from those papers could at best find, were
    it to pick perfectly among their authors."""
    terms = reviewers.topic_terms(conn, topic.title, topic.abstract)
    matches = reviewers.matching_papers(conn, terms, frozenset(), max(CEILING_DEPTHS))
    rank = {m.rid: i for i, m in enumerate(matches)}
    best = dict.fromkeys(own, len(matches))
    for rid, key in conn.execute("SELECT paper, person FROM paper_authors WHERE person IN"
                                 " (SELECT value FROM json_each(?))", (json.dumps(sorted(own)),)):
        best[key] = min(best[key], rank.get(rid, len(matches)))
    return {depth: sum(1 for b in best.values() if b < depth) for depth in CEILING_DEPTHS}


def quality(held_out_count: int, seed: int, which: str, check: int) -> None:
    held = held_out(realpages.load(), held_out_count, seed, which)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = built_corpus(Path(tmp))
        start = time.perf_counter()
        result = evaluate(corpus, held, {"paperdesk": paperdesk_ranker}, check)
        seconds = time.perf_counter() - start
        corpus.conn.close()
    ours, targets, queries = result["paperdesk"]
    base = result["baseline"][0]
    print(f"{which} split (seed {seed}): {queries} held-out papers, each hidden alone, "
          f"with {targets} authors in the store; {check} checked byte-identical after restoring")
    print(f"recall@10: paperdesk {ours / targets:.3f}, baseline (bm25 over concatenated "
          f"papers) {base / targets:.3f}, ratio {ours / max(base, 1):.2f}")
    reached = ", ".join(f"top {d} {result[f'ceiling@{d}'][0] / targets:.3f}"
                        for d in CEILING_DEPTHS)
    print(f"ceiling, own authors with another paper among the best-matching papers: {reached}")
    print(f"{seconds / max(len(held), 1) * 1000:.0f} ms per held-out paper "
          f"(hide, rank both, restore)")


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms")


def speed(store: Path, queries: int, seed: int) -> None:
    conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    low, high = conn.execute("SELECT min(rid), max(rid) FROM papers").fetchone()
    rng = random.Random(seed)
    rows = [conn.execute("SELECT rid, title, abstract FROM papers WHERE rid >= ?"
                         " ORDER BY rid LIMIT 1", (rng.randint(low, high),)).fetchone()
            for _ in range(queries)]
    ranked, similar, plain = [], [], []
    for rid, title, abstract in (r for r in rows if r):
        start = time.perf_counter()
        reviewers.find_reviewers(conn, reviewers.Topic(title, abstract, exclude=frozenset({rid})))
        ranked.append(time.perf_counter() - start)
        start = time.perf_counter()
        reviewers.similar_papers(conn, rid, limit=20)
        similar.append(time.perf_counter() - start)
        terms = reviewers.topic_terms(conn, title, abstract)
        if not terms:  # nothing informative: the ranking returns at once, so does this
            continue
        start = time.perf_counter()
        conn.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
                     " ORDER BY bm25(papers_fts) LIMIT ?",
                     (" OR ".join(f'"{w}"' for w in terms), reviewers.MATCHED_PAPERS)).fetchall()
        plain.append(time.perf_counter() - start)
    papers = conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()[0]
    print(f"{store}: {papers} papers, {len(ranked)} submissions (random papers' abstracts)")
    print(f"find_reviewers: {_ms(ranked)}")
    print(f"similar_papers: {_ms(similar)}")
    print(f"plain FTS5 bm25 over the same words (OR), top {reviewers.MATCHED_PAPERS}: "
          f"{_ms(plain)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--split", choices=SPLITS, default="reporting")
    parser.add_argument("--check", type=int, default=3,
                        help="papers whose hiding is checked to leave the store byte-identical")
    parser.add_argument("--store", type=Path, help="time the ranking on this store instead")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args(argv)
    if args.store:
        speed(args.store, args.queries, args.seed)
    else:
        quality(args.held_out, args.seed, args.split, args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
