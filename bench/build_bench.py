"""Time PaperDesk's store build beside its two halves and a plain-SQLite floor.

    python bench/build_bench.py --papers 100000 [--rounds 2] [--workers N] [--workdir DIR]
    python bench/build_bench.py --papers 100000 --only parse   # parse alone only; keeps the corpus
    python bench/build_bench.py --papers 1000000 --only build  # the build alone (one figure
                                                                # of three, each its own slot)

Two fresh (spawned) processes per round, so that each peak RSS is its own:
  build   paperdesk.store.build_store(paths, db, year=None): pages parsed in worker
          processes (one per core, or --workers) while one writer inserts them; at
          its end the full-text indexes are filled in one more process
          (paperdesk.fulltext_build) while the writer does the rest.
  halves  parse alone: page_pool.parse_file for every page, all on one core;
          write alone: store.write_store of those parsed pages (the build's writer,
          nothing left to parse); both on one core (the process is pinned to it); the
          floor: the same parsed rows inserted with
          executemany into plain tables (profiles, papers, paper_authors,
          profile_papers) plus an FTS5 external-content table over
          title/authors/affiliations/abstract and its 'rebuild'.
Goals (issue 12, 2 cores): build <= 1.1x the longer of parse alone and write alone,
build <= 1.5x the floor, peak RSS < 400 MB: the build's processes added up, sampled
every 50 ms (`RssSampler`), beside each one's own peak. Every figure is taken --rounds times;
the summary gives the best of each (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from paperdesk.page_pool import cores, parse_file
from paperdesk.records import Page, paper_id
from paperdesk.store import build_store, write_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pagegen  # lives beside this script
from proc_family import family, kib  # so does this

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
class Build:
    seconds: float
    peak_rss_mb: float  # the writer's (this process)
    worker_rss_mb: float  # the largest of its parsing workers'
    papers: int  # rows in the papers table
    skipped: int  # entries the parser refused
    summed_rss_mb: float  # the peak of the build's processes' RSS added up (RssSampler)


@dataclass
class Halves:
    parse: float  # every page read and parsed on one core
    write: float  # the build's writer given the parsed pages
    floor: float  # executemany + FTS5 rebuild of the same rows
    peak_rss_mb: float
    papers: int  # rows in the floor's papers table


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class RssSampler:
    """The peak of the summed resident memory of this process and all its descendants
    (the parsing workers, the full-text process), sampled from /proc every `every`
    seconds while the build runs: what the machine must hold at once. Linux only
    (elsewhere 0)."""

    def __init__(self, every: float = 0.05) -> None:
        self.peak_kib = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            self.peak_kib = max(self.peak_kib, sum(kib(p) for p in family(os.getpid())))


def run_build(paths: list[Path], db_path: Path, workers: int | None) -> Build:
    """The real build; meant to run in a fresh process."""
    start = time.perf_counter()
    with RssSampler() as rss:
        report = build_store(paths, db_path, year=None, workers=workers)
    seconds = time.perf_counter() - start
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Build(seconds, _peak_rss_mb(), worker_mb, report.papers, report.skipped_entries,
                 rss.peak_kib / 1024)


def run_halves(paths: list[Path], db_path: Path) -> Halves:
    """Parse alone, write alone, then the floor, each on one core (this process pinned
    to it: the writer's full-text indexes are then filled in its own process, see
    paperdesk.fulltext_build); meant to run in a fresh process."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    start = time.perf_counter()
    parsed = [parse_file(path) for path in paths]
    parse = time.perf_counter() - start
    start = time.perf_counter()
    write_store(parsed, len(parsed), db_path, year=None)
    write = time.perf_counter() - start
    db_path.unlink()
    start = time.perf_counter()
    papers = _insert([p.page for p in parsed if p.page is not None], db_path)
    floor = time.perf_counter() - start
    return Halves(parse, write, floor, _peak_rss_mb(), papers)


def run_parse(paths: list[Path]) -> float:
    """Parse alone, nothing else (--only parse); meant to run in a fresh process."""
    start = time.perf_counter()
    for path in paths:
        parse_file(path)
    return time.perf_counter() - start


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


def in_fresh_process(fn: object, *args: object) -> object:
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


def _ratios(build: Build, halves: Halves) -> str:
    longer = max(halves.parse, halves.write)
    return (f"build/longer half {build.seconds / longer:.2f}x, "
            f"build/floor {build.seconds / halves.floor:.2f}x")


def round_line(number: int, build: Build, halves: Halves, workers: int) -> str:
    return (f"round {number}: build {build.seconds:.2f} s (writer {build.peak_rss_mb:.0f} MB, "
            f"{workers} workers and the full-text process <= {build.worker_rss_mb:.0f} MB each,"
            f" all at once <= {build.summed_rss_mb:.0f} MB)"
            f" | parse alone "
            f"{halves.parse:.2f} s, write alone {halves.write:.2f} s, floor {halves.floor:.2f} s"
            f" | {_ratios(build, halves)}")


def summary(info: pagegen.CorpusInfo, builds: list[Build], halves: list[Halves],
            workers: int, command: str) -> str:
    best = min(builds, key=lambda b: b.seconds)
    half = Halves(min(h.parse for h in halves), min(h.write for h in halves),
                  min(h.floor for h in halves), max(h.peak_rss_mb for h in halves),
                  halves[0].papers)
    rss = max(b.peak_rss_mb for b in builds)
    worker_rss = max(b.worker_rss_mb for b in builds)
    summed = max(b.summed_rss_mb for b in builds)
    all_builds = " / ".join(f"{b.seconds:.1f}" for b in builds)
    return "\n".join([
        f"corpus: {info.pages:,} pages, {info.papers:,} papers "
        f"({info.distinct_papers:,} distinct), {info.bytes / 1e6:,.1f} MB; papers stored: "
        f"build {best.papers:,}, floor {half.papers:,}; entries refused: {best.skipped:,}",
        f"best of {len(builds)}: {_ratios(best, half)}",
        "",
        "| papers | input | build (each round) | parse alone | write alone | floor "
        "| build / longer half | build / floor | peak RSS: writer + workers "
        "| peak RSS of all at once | command |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {info.papers:,} | {info.bytes / 1e6:,.0f} MB | {best.seconds:.1f} s ({all_builds}) "
        f"| {half.parse:.1f} s | {half.write:.1f} s | {half.floor:.1f} s "
        f"| {best.seconds / max(half.parse, half.write):.2f}x "
        f"| {best.seconds / half.floor:.2f}x | {rss:.0f} MB + {workers} x {worker_rss:.0f} MB "
        f"| {summed:.0f} MB | `{command}` |"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=2, help="times each figure is taken")
    parser.add_argument("--workers", type=int, default=None,
                        help="parsing processes of the build (default: one per core)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--keep", action="store_true",
                        help="keep the corpus and the databases (a kept corpus is reused)")
    parser.add_argument("--only", choices=["parse", "build"],
                        help="take only this figure (parse: parse alone; build: the build),"
                             " each round")
    args = parser.parse_args(argv)
    out, info, fresh = corpus(args.workdir, args.papers, args.seed)
    paths = sorted(out.glob("*.txt"))
    if args.only == "parse":
        seconds = [float(in_fresh_process(run_parse, paths))  # type: ignore[arg-type]
                   for _ in range(args.rounds)]
        print(f"{info.papers:,} papers, parse alone (one core): best {min(seconds):.2f} s "
              f"({' / '.join(f'{s:.2f}' for s in seconds)})")
        return
    build_db, base_db = args.workdir / "build.sqlite", args.workdir / "halves.sqlite"
    workers = cores() if args.workers is None else args.workers
    if args.only == "build":
        for number in range(1, args.rounds + 1):
            build = in_fresh_process(run_build, paths, build_db, args.workers)
            assert isinstance(build, Build)
            print(f"{info.papers:,} papers, build round {number}: {build.seconds:.2f} s, "
                  f"{build.papers:,} papers stored, writer {build.peak_rss_mb:.0f} MB, "
                  f"{workers} workers and the full-text process <= "
                  f"{build.worker_rss_mb:.0f} MB each, all at once <= "
                  f"{build.summed_rss_mb:.0f} MB", flush=True)
        if not args.keep:
            build_db.unlink(missing_ok=True)
        return
    builds: list[Build] = []
    halves: list[Halves] = []
    for number in range(1, args.rounds + 1):
        builds.append(in_fresh_process(run_build, paths, build_db, args.workers))  # type: ignore[arg-type]
        halves.append(in_fresh_process(run_halves, paths, base_db))  # type: ignore[arg-type]
        print(round_line(number, builds[-1], halves[-1], workers), flush=True)
    command = "python bench/build_bench.py " + " ".join(argv or sys.argv[1:])
    print(summary(info, builds, halves, workers, command))
    if not args.keep:
        build_db.unlink(missing_ok=True)
        base_db.unlink(missing_ok=True)
        if fresh:
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
