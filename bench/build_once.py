"""One build_store of a folder of pages, timed, by whichever paperdesk is importable.

    python build_once.py PAGES DB WORKERS

latex_bench.py runs this with another checkout's interpreter and sources (the
commit before LaTeX decoding, main) to compare builds in one run. WORKERS: 0 parses
in this process, -1 in one process per core (build_store's None). Prints one JSON
line: the CPU s of this process, of its finished children (the parsing processes)
and the wall s.
"""

from __future__ import annotations

import inspect
import json
import resource
import sys
import time
from pathlib import Path

from paperdesk.store import build_store


def main(argv: list[str]) -> None:
    pages, db, workers = Path(argv[0]), Path(argv[1]), int(argv[2])
    db.unlink(missing_ok=True)
    extra = {}
    if "userdata_path" in inspect.signature(build_store).parameters:  # not before v7
        extra["userdata_path"] = db.with_name(db.name + ".userdata")
    start, wall = time.process_time(), time.perf_counter()
    build_store([pages], db, workers=None if workers < 0 else workers, **extra)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"cpu": cpu, "children": children.ru_utime + children.ru_stime,
                      "wall": wall}))


if __name__ == "__main__":
    main(sys.argv[1:])
