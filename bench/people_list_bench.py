"""One import and one decision on a big store: what keeping the author list costs.

    python bench/people_list_bench.py STORE CORPUS --workdir DIR [--repeat 3]

STORE is copied into DIR (the copy is changed; STORE never is). Then, on the copy:

* import: one page of CORPUS (the page of the store's profile 7) with one entry added,
  naming its owner and a person no other paper names (`paperdesk import` of one
  changed page: issue 12's goal is 0.5 s into a 1M store);
* decision: two people of one paper each merged (`paperdesk people merge`), then
  the merge undone: each moves one person far in the list (1 paper to 2, and back);
* rewrite: the author list rewritten whole in the same process
  (`schema.refresh_people_list(conn)`, what every import and decision paid before
  schema version 10), and, as the plain-SQLite baseline, the same number of rows
  copied by one `INSERT ... SELECT` into a bare table.

The same script runs against an older PaperDesk (PYTHONPATH=that/src): it uses only
what both have.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

ENTRY = """
CLJun {day}, 2024
Bench Entry {n} on Kept Lists

{owner}, Quillon Benchmoor{n}

Timing one changed page.
"""


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def _rewrite(db: Path) -> tuple[float, float]:
    """The list rewritten whole (rolled back), and the plain copy of as many rows."""
    from paperdesk import schema

    conn = sqlite3.connect(db)
    try:
        rewrite = _timed(lambda: schema.refresh_people_list(conn))
        conn.rollback()
        conn.execute("CREATE TEMP TABLE copy (ord INTEGER PRIMARY KEY, key, name, papers,"
                     " profile)")
        plain = _timed(lambda: conn.execute(
            "INSERT INTO temp.copy SELECT NULL, key, name, papers, profile FROM people"))
    finally:
        conn.close()
    return rewrite, plain


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    home = args.workdir / "home"
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())
    from paperdesk import schema
    from paperdesk.identity.desk import decide, undo
    from paperdesk.importer import import_pages
    from paperdesk.store import Store

    db = args.workdir / "people-list-bench.sqlite"
    notes = args.workdir / "people-list-bench-notes.db"
    shutil.copyfile(args.store, db)
    notes.unlink(missing_ok=True)
    with Store(db) as store:  # an older store is upgraded here, untimed
        version = schema.user_version(store.conn)
        source, owner = store.conn.execute(
            "SELECT source, name FROM profiles WHERE id = 7").fetchone()
        people = store.conn.execute("SELECT count(*) FROM people").fetchone()[0]
        pair = [r[0] for r in store.conn.execute(
            "SELECT key FROM people WHERE papers = 1 AND key LIKE 'wei %' LIMIT 2")]
    page = args.workdir / source
    original = (args.corpus / source).read_text(encoding="utf-8")
    times: dict[str, list[float]] = {"import": [], "merge": [], "undo": [], "rewrite": [],
                                     "plain": []}
    for n in range(args.repeat):
        page.write_text(original + ENTRY.format(day=n + 1, n=n, owner=owner), "utf-8")
        times["import"].append(_timed(lambda: import_pages(db, [page], userdata_path=notes)))
        times["merge"].append(_timed(lambda: decide(
            db, notes, "merge", {"keys": [pair[1]], "into": pair[0]})))
        times["undo"].append(_timed(lambda: undo(db, notes)))
        rewrite, plain = _rewrite(db)
        times["rewrite"].append(rewrite)
        times["plain"].append(plain)
    print(f"store: {args.store} ({people:,} people, schema {version}); merged {pair}")
    print("| what | median ms | runs |\n|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.0f} "
              f"| {', '.join(f'{v:.0f}' for v in values)} |")
    db.unlink()
    notes.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
