"""Sorting by the user's own columns (★, Read, Rating) and by Score, at scale, each
figure beside a plain-SQLite baseline run in the same process.

    python bench/sort_bench.py STORE.sqlite [--annotated 2000] [--repeat 5]

Makes a user-data file in a temporary folder with ANNOTATED papers starred, rated and
read (every tenth, spread over the store), attaches it as the worker does, and times
paperdesk.search.search(conn, "", sort=...) for the first page (limit 200, what the
table shows first) and for the whole result (limit None, what "All papers" holds).
Baseline: `SELECT rid FROM papers ORDER BY date DESC, rid DESC` with the same limit
(the default order's index walk). The store is opened read-only.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from paperdesk.search import Scope, search
from paperdesk.userdata import UserData, attach


def _best(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--annotated", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    total = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    step = max(1, total // args.annotated)
    ids = [r[0] for r in conn.execute("SELECT id FROM papers WHERE rid % ? = 0 LIMIT ?",
                                      (step, args.annotated))]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "userdata.db"
        with UserData(path) as user:
            for i, paper in enumerate(ids):
                if i % 2 == 0:
                    user.set_starred(paper)
                user.set_rating(paper, 1 + i % 5)
                if i % 3 == 0:
                    user.set_read_state(paper, "read")
        attach(conn, path)
        print(f"{total:,} papers, {len(ids):,} annotated; best of {args.repeat}, ms\n")
        print("| sort | first 200 | baseline | all rows | baseline |")
        print("|---|---|---|---|---|")
        for column in ("starred", "read", "rating", "score"):
            for descending in (True, False):
                cells = []
                for limit in (200, None):
                    sort = (column, descending)
                    ours = _best(lambda limit=limit, sort=sort: search(
                        conn, "", Scope(), sort=sort, limit=limit), args.repeat)
                    sql = "SELECT rid FROM papers ORDER BY date DESC, rid DESC" + (
                        f" LIMIT {limit}" if limit else "")
                    base = _best(lambda sql=sql: conn.execute(sql).fetchall(), args.repeat)
                    cells += [f"{ours:,.1f}", f"{base:,.1f}"]
                arrow = "↓" if descending else "↑"
                print(f"| {column} {arrow} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
