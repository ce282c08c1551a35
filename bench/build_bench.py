"""Time PaperDesk's store build against a plain-SQLite baseline on a generated corpus.

    python bench/build_bench.py --papers 100000 [--workdir DIR] [--seed S] [--keep]

Both sides run in their own fresh (spawned) process, so each peak RSS is its own:
  build     paperdesk.store.build_store(paths, db, year=None), everything included.
  baseline  read_page + parse_page for every page (timed as "parse"), then the same
            rows inserted with executemany into plain tables (profiles, papers,
            paper_authors, profile_papers) plus an FTS5 external-content table over
            title/authors/affiliations/abstract and its 'rebuild' (timed as "insert").
The ratio compares the build with the baseline's parse + insert.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from paperdesk.pages import read_page
from paperdesk.parser import parse_page
from paperdesk.records import Page, paper_id
from paperdesk.store import build_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pagegen  # lives beside this script

DEFAULT_WORKDIR = Path(__file__).resolve().parent / "out"

_BASELINE_SCHEMA = """
CREATE TABLE profiles (id INTEGER PRIMARY KEY, source TEXT, name TEXT, field TEXT,
    h_index INTEGER, paper_count INTEGER, citations INTEGER, novelty INTEGER,
    ai_score INTEGER, listed INTEGER);
CREATE TABLE papers (rid INTEGER PRIMARY KEY, id TEXT, title TEXT, authors TEXT,
    et_al INTEGER, affiliations TEXT, category TEXT, date TEXT, year INTEGER,
    has_code INTEGER, score REAL, abstract TEXT);
CREATE TABLE paper_authors (paper INTEGER, position INTEGER, name TEXT);
CREATE TABLE profile_papers (profile INTEGER, position INTEGER, paper INTEGER);
CREATE VIRTUAL TABLE papers_fts USING fts5(title, authors, affiliations, abstract,
    content='papers', content_rowid='rid', tokenize='unicode61 remove_diacritics 2');
"""


@dataclass
class Timing:
    seconds: float
    peak_rss_mb: float
    papers: int = 0  # rows in the papers table
    parse_seconds: float = 0.0  # baseline only: parsing, before the insert
    skipped: int = 0  # build only: entries the build could not use


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_build(paths: list[Path], db_path: Path) -> Timing:
    """The real build; meant to run in a fresh process."""
    start = time.perf_counter()
    report = build_store(paths, db_path, year=None)
    seconds = time.perf_counter() - start
    return Timing(seconds, _peak_rss_mb(), report.papers, skipped=report.skipped_entries)


def run_baseline(paths: list[Path], db_path: Path) -> Timing:
    """Parse everything, then a plain executemany load; meant to run in a fresh process."""
    start = time.perf_counter()
    pages = [_parse(path) for path in paths]
    parsed = time.perf_counter()
    papers = _insert([p for p in pages if p is not None], db_path)
    done = time.perf_counter()
    return Timing(done - parsed, _peak_rss_mb(), papers, parsed - start)


def _parse(path: Path) -> Page | None:
    text, _, _ = read_page(path)
    return None if text is None else parse_page(text, path.name)


def _rows(pages: list[Page]) -> tuple[list[tuple[object, ...]], ...]:
    capture = 1 + max((e.year or 0 for p in pages for e in p.entries), default=0)
    profiles, papers, authors, listing = [], [], [], []
    rids: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        h = page.header
        profiles.append((number, page.source, page.name, h.field, h.h_index, h.paper_count,
                         h.citations, h.novelty, h.ai_score, h.listed))
        for position, e in enumerate(page.entries):
            pid = paper_id(e.title)
            if pid not in rids:
                rid = rids[pid] = len(rids) + 1
                papers.append((rid, pid, e.title, ", ".join(e.authors), e.et_al,
                               ", ".join(e.affiliations), e.category, e.iso_date(capture),
                               e.year or capture, e.has_code, e.score, e.abstract))
                authors.extend((rid, i, name) for i, name in enumerate(e.authors))
            listing.append((number, position, rids[pid]))
    return profiles, papers, authors, listing


def _insert(pages: list[Page], db_path: Path) -> int:
    profiles, papers, authors, listing = _rows(pages)
    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(_BASELINE_SCHEMA)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO profiles VALUES (?,?,?,?,?,?,?,?,?,?)", profiles)
    conn.executemany("INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", papers)
    conn.executemany("INSERT INTO paper_authors VALUES (?,?,?)", authors)
    conn.executemany("INSERT INTO profile_papers VALUES (?,?,?)", listing)
    conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.close()
    return len(papers)


def in_fresh_process(fn: object, *args: object) -> Timing:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()  # type: ignore[arg-type]


def corpus(workdir: Path, papers: int, seed: int) -> tuple[Path, pagegen.CorpusInfo, bool]:
    """The corpus directory, its manifest, and whether it was generated just now."""
    out = workdir / f"corpus-{papers}-s{seed}"
    manifest = out / pagegen.MANIFEST
    if manifest.exists():
        return out, pagegen.CorpusInfo(**json.loads(manifest.read_text())), False
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    info = pagegen.generate_corpus(out, papers, seed)
    print(f"generated {info.pages:,} pages in {time.perf_counter() - start:.1f} s")
    return out, info, True


def _line(label: str, seconds: float, info: pagegen.CorpusInfo, rss: float | None) -> str:
    rate = f"{info.papers / seconds:9,.0f} papers/s  {info.bytes / 1e6 / seconds:6.1f} MB/s"
    peak = f"  peak RSS {rss:6.0f} MB" if rss is not None else ""
    return f"{label:22} {seconds:8.2f} s  {rate}{peak}"


def report(info: pagegen.CorpusInfo, build: Timing, base: Timing, command: str) -> None:
    base_total = base.parse_seconds + base.seconds
    ratio = build.seconds / base_total
    print(f"corpus: {info.pages:,} pages, {info.papers:,} papers "
          f"({info.distinct_papers:,} distinct), {info.bytes / 1e6:,.1f} MB")
    print(_line("build_store", build.seconds, info, build.peak_rss_mb))
    print(_line("baseline parse", base.parse_seconds, info, None))
    print(_line("baseline insert + FTS", base.seconds, info, None))
    print(_line("baseline total", base_total, info, base.peak_rss_mb))
    print(f"build / baseline: {ratio:.2f}x   papers stored: build {build.papers:,}, "
          f"baseline {base.papers:,}; entries the parser rejected: {build.skipped:,}")
    print("\n| papers | input | build | papers/s | MB/s | peak RSS | baseline (parse + insert)"
          " | build/baseline | command |\n|---|---|---|---|---|---|---|---|---|")
    print(f"| {info.papers:,} | {info.bytes / 1e6:,.0f} MB | {build.seconds:.1f} s "
          f"| {info.papers / build.seconds:,.0f} | {info.bytes / 1e6 / build.seconds:.1f} "
          f"| {build.peak_rss_mb:.0f} MB | {base_total:.1f} s ({base.parse_seconds:.1f} + "
          f"{base.seconds:.1f}), {base.peak_rss_mb:.0f} MB | {ratio:.2f}x | `{command}` |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--keep", action="store_true",
                        help="keep the corpus and both databases (a kept corpus is reused)")
    args = parser.parse_args(argv)
    out, info, fresh = corpus(args.workdir, args.papers, args.seed)
    paths = sorted(out.glob("*.txt"))
    build_db, base_db = args.workdir / "build.sqlite", args.workdir / "baseline.sqlite"
    build = in_fresh_process(run_build, paths, build_db)
    base = in_fresh_process(run_baseline, paths, base_db)
    report(info, build, base, "python bench/build_bench.py " + " ".join(argv or sys.argv[1:]))
    if not args.keep:
        build_db.unlink(missing_ok=True)
        base_db.unlink(missing_ok=True)
        if fresh:
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
