"""What `author:` following the user's merges (paperdesk.search.people) costs.

    python bench/author_follow_bench.py STORE [--repeat 15]

On a copy of STORE (e.g. bench/out/search-100000.sqlite from search_bench.py): the
first page of a few `author:` queries, search(conn, q, limit=200, count=False), median
of REPEAT, beside the raw FTS5 lookup of the same field in the same process; first
with no decisions, then after merging the five most frequent `... Wang` names into
two people (user data in a temporary folder).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from paperdesk import store
from paperdesk.identity.desk import decide
from paperdesk.search import search

QUERIES = (("author:wang", '{authors}: "wang"*'),
           ('author:"wei wang"', '{authors}: NEAR("wei"* "wang"*, 2)'),
           ("author:lian", '{authors}: "lian"*'))


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _measure(db: Path, repeat: int, label: str) -> None:
    conn = store.connect(db)
    raw_sql = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT 200"
    for text, raw in QUERIES:
        ours = _median_ms(lambda t=text: search(conn, t, limit=200, count=False), repeat)
        base = _median_ms(lambda r=raw: conn.execute(raw_sql, (r,)).fetchall(), repeat)
        print(f"| {label} | `{text}` | {ours:.2f} | {base:.2f} | {ours / base:.1f} |")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "store.sqlite"
        shutil.copy(args.store, db)
        print("| decisions | query | first page ms | raw FTS5 ms | ratio |")
        print("|---|---|---|---|---|")
        _measure(db, args.repeat, "none")
        with sqlite3.connect(db) as conn:
            keys = [key for (key,) in conn.execute(
                "SELECT key FROM people WHERE key LIKE '% wang' ORDER BY papers DESC LIMIT 5")]
        notes = Path(folder) / "notes.db"
        decide(db, notes, "merge", {"keys": keys[1:3], "into": keys[0]})
        decide(db, notes, "merge", {"keys": keys[4:5], "into": keys[3]})
        _measure(db, args.repeat, "2 merges of 5 names")


if __name__ == "__main__":
    main()
