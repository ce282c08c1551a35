"""Reviewer finding: quality on real arXiv metadata, speed on a large store.

Quality: the real sample (../shared/realdata/arxiv-sample.jsonl), minus a
held-out set of papers chosen at random among those with an author who has
another paper, becomes profile pages as bench/realpages.py renders them (both
layouts, three names then "et al.", owners sometimes hidden behind it), and the
store is built from those pages by the real build. Each held-out paper is then a submission: its
title and abstract (and its year, as a submission has a date) go to
`paperdesk.reviewers.find_reviewers(everyone=True)`, and recall@10 counts how many
of its own authors who are in the store come out in the top ten. The baseline,
in the same process and on the same store: one FTS5 document per person (the
titles and abstracts of their papers concatenated), ranked by FTS5's bm25 for the
held-out paper's words (all of them, OR). All held-out papers are hidden at once
rather than one at a time: one build instead of hundreds, and the same for both.

Speed (`--store FILE`, e.g. the 1M store of bench/search_bench.py): submissions
are abstracts of random papers of that store (each excluded from its own
ranking); reported are the p50/p95/max latency of `find_reviewers` and of
`similar_papers`, beside the plain FTS5 bm25 query (top MATCHED_PAPERS) for the same
words, the topic's informative words OR'ed: the floor under the ranking. (A plain
query over every word of an abstract took 2.8 s p50 at 100,000 papers already.)

    python bench/reviewer_bench.py [--held-out 400] [--seed 7]
    python bench/reviewer_bench.py --store bench/out/search-1000000.sqlite --queries 100
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import realpages
from paperdesk import reviewers
from paperdesk.records import person_key
from paperdesk.store import build_store
from realpages import RealPaper

MAX_AUTHORS = 30  # held-out papers with more authors are collaboration papers: left out


def split(papers: list[RealPaper], held_out: int,
          seed: int) -> tuple[list[RealPaper], list[RealPaper]]:
    """(kept, held out): held-out papers each have an author with another paper."""
    count = Counter(a for p in papers for a in p.authors)
    candidates = [i for i, p in enumerate(papers) if len(p.authors) <= MAX_AUTHORS
                  and any(count[a] >= 2 for a in p.authors)]
    chosen = set(random.Random(seed).sample(candidates, held_out))
    return ([p for i, p in enumerate(papers) if i not in chosen],
            [papers[i] for i in sorted(chosen)])


def _baseline_docs(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE VIRTUAL TABLE temp.person_docs USING fts5(key UNINDEXED, body,"
                 " tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO temp.person_docs SELECT pa.person,"
                 " group_concat(p.title || ' ' || p.abstract, ' ')"
                 " FROM paper_authors pa JOIN papers p ON p.rid = pa.paper GROUP BY pa.person")


def _baseline(conn: sqlite3.Connection, paper: RealPaper) -> list[str]:
    words = sorted(set(reviewers.words(f"{paper.title} {paper.abstract}")))
    if not words:
        return []
    query = " OR ".join(f'"{w}"' for w in words)
    return [k for (k,) in conn.execute(
        "SELECT key FROM temp.person_docs WHERE person_docs MATCH ?"
        " ORDER BY bm25(person_docs) LIMIT 10", (query,))]


def quality(held_out: int, seed: int) -> None:
    kept, held = split(realpages.load(), held_out, seed)
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        written = 0
        for name, text, _truth in realpages.pages(kept, seed):
            (pages / name).write_text(text, encoding="utf-8")
            written += 1
        report = build_store([pages], Path(tmp) / "store.db")
        print(f"{written} pages, {report.papers} papers, {report.people} people; "
              f"skipped {report.skipped_entries} entries; {len(held)} papers held out")
        conn = sqlite3.connect(Path(tmp) / "store.db")
        _baseline_docs(conn)
        known = {k for (k,) in conn.execute("SELECT key FROM people")}
        ours = base = targets = queries = 0
        times = []
        for paper in held:
            own = {person_key(a) for a in paper.authors} & known
            if not own:
                continue
            queries += 1
            targets += len(own)
            topic = reviewers.Topic(paper.title, paper.abstract, year=paper.year)
            start = time.perf_counter()
            ranking = reviewers.find_reviewers(conn, topic, everyone=True, limit=10)
            times.append(time.perf_counter() - start)
            ours += len(own & {r.key for r in ranking.reviewers})
            base += len(own & set(_baseline(conn, paper)))
        conn.close()
    print(f"{queries} held-out papers with {targets} authors in the store")
    print(f"recall@10: paperdesk {ours / targets:.3f}, baseline (bm25 over concatenated "
          f"papers) {base / targets:.3f}, ratio {ours / max(base, 1):.2f}")
    print(f"find_reviewers: median {statistics.median(times) * 1000:.1f} ms")


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
    parser.add_argument("--store", type=Path, help="time the ranking on this store instead")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args(argv)
    if args.store:
        speed(args.store, args.queries, args.seed)
    else:
        quality(args.held_out, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
