"""How many dates shown without a year get their real year, on real pages.

Renders bench/realpages.py's pages (real arXiv metadata; some of a page's newest
entries shown without their year), builds a store from them with the PaperDesk on
the import path (run it with PYTHONPATH=OTHER_TREE/src to measure another version),
and compares each undated paper's stored year with the paper's real one.

    python bench/year_bench.py [--workdir DIR] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import realpages
from paperdesk.records import paper_id
from paperdesk.store import build_store


def truth_years(papers: Sequence[realpages.RealPaper]) -> dict[str, int]:
    """Paper id -> its real year; ids that two papers of different years share left out."""
    years: dict[str, set[int]] = {}
    for paper in papers:
        years.setdefault(paper_id(paper.title), set()).add(paper.year)
    return {pid: next(iter(ys)) for pid, ys in years.items() if len(ys) == 1}


def measure(workdir: Path, seed: int) -> Counter[str]:
    papers = realpages.load()
    pages = workdir / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    undated: set[str] = set()
    for name, text, page in realpages.pages(papers, seed):
        (pages / name).write_text(text, encoding="utf-8", newline="")
        undated.update(paper_id(e.title) for e in page.entries if e.year is None)
    store = workdir / "years.sqlite"
    report = build_store([pages], store, workers=0)
    real = truth_years(papers)
    this_year = datetime.date.today().year
    counts: Counter[str] = Counter(pages=report.pages)
    conn = sqlite3.connect(store)
    try:
        for pid, year, inferred in conn.execute("SELECT id, year, year_inferred FROM papers"):
            counts["later than this year"] += year > this_year
            if pid not in undated or pid not in real:
                continue
            counts["undated"] += 1
            counts["marked inferred"] += bool(inferred)
            counts["right year"] += year == real[pid]
            counts["right with this year alone"] += real[pid] == this_year
    finally:
        conn.close()
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        counts = measure(args.workdir or Path(scratch), args.seed)
    n = max(counts["undated"], 1)
    print(f"{counts['pages']} pages, {counts['undated']} papers shown without a year "
          f"({counts['marked inferred']} marked inferred)")
    print(f"right year:                 {counts['right year'] / n:7.1%} ({counts['right year']})")
    print(f"right with this year alone: {counts['right with this year alone'] / n:7.1%} "
          f"({counts['right with this year alone']})")
    print(f"papers dated later than this year: {counts['later than this year']}")


if __name__ == "__main__":
    main()
