"""`paperdesk build` of one folder of pages by several checkouts, alternated, timed.

    python bench/alternate_builds.py PAGES N CHECKOUT...

Each checkout builds with its own `.venv/bin/paperdesk` into a fresh store, N times,
the checkouts' order reversed every other round (after one warm-up round that also
writes their bytecode), in a throw-away home folder. Printed per checkout, medians:
wall seconds, user and system CPU of every process of the build
(`resource.getrusage` of the children), minor page faults, voluntary and involuntary
context switches. Alternating spreads the machine's slow spells over all checkouts,
so that their ratio means more than any one run.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIELDS = ("wall s", "user s", "sys s", "minflt", "vcsw", "ivcsw")


def build_once(checkout: Path, pages: Path, home: Path, env: dict[str, str]) -> tuple[float, ...]:
    store = home / "store.sqlite"
    store.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(checkout / ".venv/bin/paperdesk"), "build", "--db", str(store),
                    str(pages)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
            after.ru_minflt - before.ru_minflt, after.ru_nvcsw - before.ru_nvcsw,
            after.ru_nivcsw - before.ru_nivcsw)


def main(argv: list[str]) -> None:
    pages, rounds, checkouts = Path(argv[0]), int(argv[1]), [Path(a) for a in argv[2:]]
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(HOME=folder, XDG_DATA_HOME=f"{folder}/d", XDG_CONFIG_HOME=f"{folder}/c",
                   XDG_STATE_HOME=f"{folder}/s", XDG_CACHE_HOME=f"{folder}/k")
        taken: dict[Path, list[tuple[float, ...]]] = {c: [] for c in checkouts}
        for n in range(rounds + 1):
            for checkout in checkouts if n % 2 == 0 else checkouts[::-1]:
                figures = build_once(checkout, pages, home, env)
                if n:  # round 0 warms the caches and writes the bytecode
                    taken[checkout].append(figures)
    print("checkout: " + ", ".join(f"{f} (median)" for f in FIELDS))
    for checkout, runs in taken.items():
        medians = [statistics.median(column) for column in zip(*runs, strict=True)]
        print(f"{checkout}: " + ", ".join(f"{m:.2f}" if i < 3 else f"{m:.0f}"
                                          for i, m in enumerate(medians)))


if __name__ == "__main__":
    main(sys.argv[1:])
