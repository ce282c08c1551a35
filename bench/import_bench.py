"""Importing changed pages into a large store, beside the unchanged-import floor.

    python bench/import_bench.py --papers 1000000 [--workdir bench/out] [--pages 1 100]

Uses the store WORKDIR/search-N.sqlite and its corpus WORKDIR/corpus-N-s0 (made by
bench/search_bench.py). For each count of pages: a fresh copy of the store; the first
COUNT pages of the corpus, each changed (its h-index figure raised by one, one new
paper added at the end) into a folder; paperdesk.importer.import_pages of that folder
is timed (the copy is synced to disk first: its commit would otherwise wait for
the copy's gigabytes to be written). The floor is the same import of the same pages
unchanged (each costs a hash: nothing is written). Goals (issue 12): one changed page
within 0.5 s, 100 within 3 s, at a million papers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_WORKDIR = Path(__file__).resolve().parent / "out"
GOALS = {1: 0.5, 100: 3.0}


def changed(text: str, n: int) -> str:
    """The page with its h-index raised by one and one new paper at the end."""
    text = re.sub(r"h-index(\d+)", lambda m: f"h-index{int(m.group(1)) + 1}", text, count=1)
    entry = (f"\nCLJan 5, 2024\nQuorvian Import Benchmark Paper Number {n}\n\n"
             f"Ada Quorvian, Odile Brannock\n\nA paper added to measure imports {n}.\n")
    return text.rstrip("\n") + "\n" + entry


def timed_import(store: Path, pages: Path, workers: int | None) -> float:
    from paperdesk.importer import import_pages

    started = time.perf_counter()
    report = import_pages(store, [pages], workers=workers)
    elapsed = time.perf_counter() - started
    assert not report.cancelled and not report.skipped, report.summary()
    return elapsed


def run(papers: int, workdir: Path, counts: list[int],
        workers: int | None = None) -> list[str]:
    from paperdesk.pages import read_page

    store = workdir / f"search-{papers}.sqlite"
    corpus = workdir / f"corpus-{papers}-s0"
    pages = sorted(corpus.glob("*.txt"))
    lines = ["| pages | changed import | unchanged import (floor) | goal | |",
             "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for count in counts:
            for kind in ("unchanged", "changed"):
                folder = Path(tmp) / f"{kind}-{count}"
                folder.mkdir()
                for i, page in enumerate(pages[:count]):
                    if kind == "unchanged":
                        shutil.copyfile(page, folder / page.name)
                        continue
                    text = read_page(page)[0]
                    assert text is not None, page
                    (folder / page.name).write_text(changed(text, i), encoding="utf-8")
            copy = Path(tmp) / "store.sqlite"
            shutil.copyfile(store, copy)
            with open(copy, "rb") as handle:  # else the import's commit pays the copy's writes
                os.fsync(handle.fileno())
            floor = timed_import(copy, Path(tmp) / f"unchanged-{count}", workers)
            change = timed_import(copy, Path(tmp) / f"changed-{count}", workers)
            copy.unlink()
            goal = GOALS.get(count)
            verdict = "-" if goal is None else ("met" if change <= goal else "**not met**")
            lines.append(f"| {count} | {change:.2f} s | {floor:.2f} s | "
                         f"{'-' if goal is None else f'<= {goal:g} s'} | {verdict} |")
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--workers", type=int, default=None,
                        help="processes parsing the changed pages (default: one per core;"
                             " 0: the importing process)")
    args = parser.parse_args()
    print("\n".join(run(args.papers, args.workdir, args.pages, args.workers)))


if __name__ == "__main__":
    main()
