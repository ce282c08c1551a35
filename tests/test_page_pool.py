"""Builds on every core: pages parsed in worker processes give the very store, the
very problems (file and line) and the same atomicity as pages parsed in one process."""

from __future__ import annotations

import fcntl
import gc
import importlib
import os
import pickle
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from paperdesk import page_pool
from paperdesk.importer import import_pages
from paperdesk.records import Problem
from paperdesk.store import build_store
from paperdesk.writer import Writer

from .conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
pagegen = importlib.import_module("pagegen")

SEED = "000_77b9e73dc2a3999b.txt"


def dump(path: Path) -> list[str]:
    """The store's SQL, its query planner's statistics too: a store this small is
    analysed whole (writer.Writer.finish_rows), so they do not depend on where the
    batches put the rows, which the writer writes whenever it would wait for pages."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _pages(folder: Path) -> list[Path]:
    """Enough generated pages for the workers, and three bad ones among them."""
    pagegen.generate_corpus(folder, 2500, seed=7)
    text = (SEEDS / SEED).read_text(encoding="utf-8")
    assert text.split("\n")[11] == "IRFeb 7, 2023"  # line 12: the first entry
    (folder / "m_damaged.txt").write_text(text.replace("IRFeb 7, 2023", "IRFeb 30, 2023", 1),
                                          encoding="utf-8")
    latin = text.replace("Ziru Liu\n", "Zi\xe9ru Liu\n", 1).encode("cp1252", errors="replace")
    (folder / "n_latin1.txt").write_bytes(latin)
    (folder / "o_binary.txt").write_bytes(b"\x00\x01\x02 not a page")
    return [folder, folder / "missing.txt"]


def test_workers_build_the_same_store_with_the_same_problems(tmp_path: Path) -> None:
    paths = _pages(tmp_path / "pages")
    assert len(list((tmp_path / "pages").glob("*.txt"))) > page_pool.SERIAL_BELOW
    here = build_store(paths, tmp_path / "here.db", workers=0)
    pooled = build_store(paths, tmp_path / "pooled.db", workers=2)
    assert dump(tmp_path / "here.db") == dump(tmp_path / "pooled.db")
    assert pooled.problems == here.problems
    assert (pooled.pages, pooled.papers, pooled.people, pooled.skipped_pages,
            pooled.skipped_entries) == (here.pages, here.papers, here.people,
                                        here.skipped_pages, here.skipped_entries)
    assert pooled.skipped_pages == 2 and pooled.skipped_entries == 1  # binary, missing
    named = [p for p in pooled.problems if p.source in (
        "m_damaged.txt", "n_latin1.txt", "o_binary.txt", str(paths[1]))]
    assert named == [
        Problem("m_damaged.txt", 12, "invalid date: day is out of range for month"),
        Problem("n_latin1.txt", 1, "not UTF-8: read as Windows-1252 (Latin-1)", "warning"),
        Problem("o_binary.txt", None, "binary file, not a text page"),
        Problem(str(paths[1]), None, "no such file or folder")]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_killed_build_leaves_the_old_store_and_no_worker(tmp_path: Path,
                                                           seed_db: Path) -> None:
    paths = _pages(tmp_path / "pages")
    for n in range(6):  # long enough to be killed while its workers parse
        pagegen.generate_corpus(tmp_path / "pages" / f"more{n}", 2500, seed=n)
    before = seed_db.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "paperdesk", "build", "--db", str(seed_db),
                             str(paths[0])], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)  # two parsers (forked: no resource tracker)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert seed_db.read_bytes() == before
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its build"


def test_an_import_parsed_by_workers_writes_what_one_parsed_here_writes(
        tmp_path: Path) -> None:
    paths = _pages(tmp_path / "pages")
    base = tmp_path / "base.db"
    build_store([paths[0]], base, workers=0)
    later = tmp_path / "later"
    pagegen.generate_corpus(later, 2500, seed=8)  # new pages, and pages of the same names
    (later / "m_damaged.txt").write_text((SEEDS / SEED).read_text(encoding="utf-8"),
                                         encoding="utf-8")  # mended: changed
    reports = {}
    for workers in (0, 2):
        copy = tmp_path / f"import-{workers}.db"
        copy.write_bytes(base.read_bytes())
        reports[workers] = import_pages(copy, [later, paths[0]], workers=workers)
    assert dump(tmp_path / "import-0.db") == dump(tmp_path / "import-2.db")
    here, pooled = reports[0], reports[2]
    assert pooled.pages == here.pages and pooled.problems == here.problems
    assert (pooled.papers_added, pooled.papers_removed, pooled.skipped_entries) == (
        here.papers_added, here.papers_removed, here.skipped_entries)
    statuses = {c.source: c.status for c in pooled.pages}
    assert statuses["m_damaged.txt"] == "changed"
    assert statuses["n_latin1.txt"] == "unchanged" and statuses["o_binary.txt"] == "skipped"
    assert len(pooled.changed) + len(pooled.new) > page_pool.SERIAL_BELOW
    conn = sqlite3.connect(tmp_path / "import-2.db")
    try:  # the counts kept in meta moved by what the import changed
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        for table in ("papers", "people", "profiles"):
            assert int(meta[table]) == conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _imports(stderr: str, module: str) -> int:
    """How many processes imported `module` (python -X importtime's lines, one a process)."""
    return sum(1 for line in stderr.splitlines()
               if line.startswith("import time:") and line.split("|")[-1].strip() == module)


def _command_build(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`paperdesk build` of _pages, each process's imports listed on stderr."""
    command = Path(sys.executable).with_name("paperdesk")
    assert command.read_text(encoding="utf-8").count("from paperdesk.command import main") == 1
    paths = _pages(tmp_path / "pages")
    home = tmp_path / "home"
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1", HOME=str(home),
               XDG_DATA_HOME=str(home / "d"), XDG_CONFIG_HOME=str(home / "c"),
               XDG_STATE_HOME=str(home / "s"), XDG_CACHE_HOME=str(home / "k"), **env)
    done = subprocess.run([str(command), "build", str(paths[0]), "--db", str(tmp_path / "s.db")],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and (tmp_path / "s.db").is_file()  # 1: two pages skipped
    return done


@pytest.mark.skipif(page_pool.cores() < 2, reason="one core: no worker to look at")
def test_the_commands_page_workers_are_forked_and_import_nothing(tmp_path: Path) -> None:
    """The command runs no other thread when its build starts its workers: they are
    forked, with the parser this process imported, and import nothing themselves."""
    done = _command_build(tmp_path)
    for module in ("paperdesk.page_pool", "paperdesk.parser", "paperdesk.cli",
                   "paperdesk.store", "sqlite_utils", "nameparser"):
        assert _imports(done.stderr, module) == 1, module  # the command's process alone
    assert _imports(done.stderr, "tqdm") == 0  # no terminal: no progress bar to draw


def test_each_command_loads_what_it_runs(tmp_path: Path) -> None:
    """A build loads neither the reviewer desk, the report nor the people desk (their
    options are declared by paperdesk.command_options; 0.13 G instructions that came
    before any page was parsed); a search loads no sqlite-utils (0.26 G: click,
    dateutil and pluggy), which only creating or upgrading a store needs; `people`
    loads its desk when it runs."""
    done = _command_build(tmp_path)
    for module in ("paperdesk.desk", "paperdesk.reviewers", "paperdesk.report",
                   "paperdesk.identity.command", "paperdesk.gui"):
        assert _imports(done.stderr, module) == 0, module
    command = Path(sys.executable).with_name("paperdesk")
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1", HOME=str(tmp_path / "home"))
    found = subprocess.run([str(command), "search", "graph", "--db", str(tmp_path / "s.db")],
                           env=env, capture_output=True, text=True, timeout=300, check=True)
    assert "graph" in found.stdout.lower()
    assert _imports(found.stderr, "sqlite_utils") == 0
    assert _imports(found.stderr, "paperdesk.search") == 1
    people = subprocess.run([str(command), "people", "list", "--db", str(tmp_path / "s.db")],
                            env=env, capture_output=True, text=True, timeout=300, check=True)
    assert _imports(people.stderr, "paperdesk.identity.desk") == 1  # the people desk
    assert people.stdout.strip()


@pytest.mark.skipif(page_pool.cores() < 2, reason="one core: no worker to look at")
def test_a_threaded_commands_workers_are_spawned_and_load_only_what_parsing_needs(
        tmp_path: Path) -> None:
    """A process with another thread (here one that `sitecustomize` starts in every
    process, as Qt's run beside the app's builds) spawns its workers, and a spawned
    worker first runs the program's main script again: the `paperdesk` command's entry
    point (paperdesk.command) must not pull in the whole command line, the store or
    sqlite-utils there; the workers import the parser and nothing else."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import threading\n"
        "threading.Thread(target=threading.Event().wait, daemon=True).start()\n",
        encoding="utf-8")
    done = _command_build(tmp_path, PYTHONPATH=str(site))
    assert _imports(done.stderr, "paperdesk.page_pool") == 1 + page_pool.cores()  # and workers
    assert _imports(done.stderr, "paperdesk.parser") == 1 + page_pool.cores()
    for module in ("paperdesk.cli", "paperdesk.store", "sqlite_utils", "nameparser"):
        assert _imports(done.stderr, module) == 1, module  # the command's process alone


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="Linux's /proc")
def test_workers_are_forked_only_from_a_process_without_other_threads() -> None:
    """Counted by the system, so a thread `threading` does not know counts too (here
    one started through its low-level `_thread`, as a C library's would be)."""
    ask = "from paperdesk import page_pool; print(page_pool.start_method())"
    threaded = ("import _thread, threading; _thread.start_new_thread(threading.Event().wait, ())"
                "; " + ask)
    answers = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, timeout=120).stdout.strip()
               for code in (ask, threaded)]
    assert answers == ["fork", "spawn"]


_PARTICLE_PAGE = """Pieter van den Broek
IRFeb 7, 2023
Graph Models for SearchPieter van den Broek, Ana del Mar Ruiz
We study graphs.
CVMar 3, 2023
Sparse Retrieval at ScaleAna del Mar Ruiz, Pieter van den Broek, Jan ten Brink et al.
We study retrieval.
CLApr 4, 2023
Dense Models RevisitedR. de la Fontaine, Pieter van den Broek
We study models.
"""


def test_workers_know_the_name_particles_without_importing_them(tmp_path: Path) -> None:
    """Workers take the building process's name particles (names.particles) instead of
    importing nameparser: names with particles split by a worker exactly as here, and,
    as the particles are known, none of them doubtful (without the particles all three
    entries are flagged)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(page_pool.SERIAL_BELOW):
        (folder / f"{n:03d}.txt").write_text(_PARTICLE_PAGE, encoding="utf-8")
    items: list[Path | Problem] = list(sorted(folder.glob("*.txt")))
    here = [parsed.page for parsed in page_pool.parse_files(items, workers=0)]
    pooled = [parsed.page for parsed in page_pool.parse_files(items, workers=2)]
    assert pooled == here
    page = pooled[-1]
    assert page is not None and not page.problems
    assert [(e.title, e.authors, e.doubtful) for e in page.entries] == [
        ("Graph Models for Search", ("Pieter van den Broek", "Ana del Mar Ruiz"), False),
        ("Sparse Retrieval at Scale",
         ("Ana del Mar Ruiz", "Pieter van den Broek", "Jan ten Brink"), False),
        ("Dense Models Revisited", ("R. de la Fontaine", "Pieter van den Broek"), False)]


def test_while_workers_parse_this_process_hands_the_gil_over_every_half_millisecond(
        tmp_path: Path) -> None:
    """The pool's thread here drains each result pipe 64 KiB at a time and needs the GIL
    for each; while workers parse, this process switches threads every 0.5 ms (not the
    default 5 ms, which left each worker waiting ~90 ms a chunk, its result half sent),
    and afterwards, or when the caller stops early, its own interval is back."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(page_pool.SERIAL_BELOW):
        (folder / f"{n:03d}.txt").write_text(_PARTICLE_PAGE, encoding="utf-8")
    items: list[Path | Problem] = list(sorted(folder.glob("*.txt")))
    before = sys.getswitchinterval()
    assert before == pytest.approx(0.005)  # Python's default, as the tests run
    seen = [sys.getswitchinterval() for _ in page_pool.parse_files(items, workers=2)]
    assert len(seen) == len(items) and set(seen) == {0.0005}
    assert sys.getswitchinterval() == pytest.approx(0.005)
    pages = page_pool.parse_files(items, workers=2)
    next(pages)
    assert sys.getswitchinterval() == pytest.approx(0.0005)
    pages.close()
    assert sys.getswitchinterval() == pytest.approx(0.005)
    here = [sys.getswitchinterval() for _ in page_pool.parse_files(items, workers=0)]
    assert set(here) == {before}  # parsed here: left as it was


def _recorded_pools(monkeypatch: pytest.MonkeyPatch) -> list[ProcessPoolExecutor]:
    """The process pools parse_files makes, as they are made."""
    pools: list[ProcessPoolExecutor] = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(page_pool, "ProcessPoolExecutor", Recorded)
    return pools


def test_workers_collect_less_often_and_never_walk_their_modules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's objects are freed by their reference counts: its garbage collector
    runs after 10,000 new objects (not Python's 700) and never walks what the worker
    imported (frozen; 0.11 G instructions of the real pages' 7.9 G of parsing). This
    process, which only starts the workers, collects as it did."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(page_pool.SERIAL_BELOW):
        (folder / f"{n:03d}.txt").write_text(_PARTICLE_PAGE, encoding="utf-8")
    items: list[Path | Problem] = list(sorted(folder.glob("*.txt")))
    pools = _recorded_pools(monkeypatch)
    here = (gc.get_threshold(), gc.get_freeze_count())
    pages = page_pool.parse_files(items, workers=2)
    next(pages)
    threshold = pools[0].submit(gc.get_threshold).result()
    frozen = pools[0].submit(gc.get_freeze_count).result()
    pages.close()
    assert threshold[0] == 10_000
    assert frozen > 10_000  # the parser's modules, pylatexenc's tables...
    assert (gc.get_threshold(), gc.get_freeze_count()) == here


def test_the_workers_parse_from_the_start_and_end_with_close_even_if_nothing_was_taken(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_files starts its workers and hands them their first chunks at once, so
    that they parse while the caller sets up (a build's schema and sqlite-utils came
    before any worker existed: 0.26 G instructions of the real pages' build, on one
    core); closing it before any file is taken still ends them and gives this
    process its switch interval back."""
    folder = tmp_path / "pages"
    pagegen.generate_corpus(folder, 6000, seed=5)
    assert len(list(folder.glob("*.txt"))) > 2 * page_pool._AHEAD * page_pool._CHUNK
    items: list[Path | Problem] = list(sorted(folder.glob("*.txt")))
    pools = _recorded_pools(monkeypatch)
    before = sys.getswitchinterval()
    pages = page_pool.parse_files(items, workers=2)
    assert len(pools) == 1
    started = pools[0]._processes  # type: ignore[attr-defined]
    assert len(started) == 2 and all(p.is_alive() for p in started.values())
    assert pools[0]._queue_count == 2 * page_pool._AHEAD  # type: ignore[attr-defined]
    pages.close()
    assert not any(p.is_alive() for p in started.values())
    assert sys.getswitchinterval() == before
    pages.close()  # twice: nothing more to end


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux's pipe sizes")
def test_a_worker_can_leave_a_whole_result_in_the_pipe_and_parse_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's result pipe holds 1 MiB (Linux's own is 64 KiB): a chunk's result fits
    in it whole, so a worker parses on while this process is off its core."""
    folder = tmp_path / "pages"
    pagegen.generate_corpus(folder, 2000, seed=3)
    items: list[Path | Problem] = list(sorted(folder.glob("*.txt")))
    pools = _recorded_pools(monkeypatch)
    sizes, results = set(), []
    for parsed in page_pool.parse_files(items, workers=2):
        reader = pools[0]._result_queue._reader  # type: ignore[attr-defined]
        sizes.add(fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ))
        results.append(parsed)
    assert sizes == {1 << 20}
    # the largest result of a chunk, pickled, fits in it
    chunks = [results[i:i + 8] for i in range(0, len(results), 8)]
    assert max(len(pickle.dumps(chunk)) for chunk in chunks) < 1 << 20


def test_the_writer_writes_its_batch_while_it_waits_for_a_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the workers still parse the last, long page, the writer writes the papers
    it holds instead of waiting with them: after the last page it has only that
    page's left to write. It wrote them all at the end when its batch was not full
    (1,736 of the real sample's 7,762 papers, 0.35 s with the workers done)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    rng = random.Random(5)
    for n in range(page_pool.SERIAL_BELOW):
        (folder / f"p{n:03}.txt").write_text(pagegen.generate_page(rng, 12)[0],
                                             encoding="utf-8")
    (folder / "zz_long.txt").write_text(pagegen.generate_page(rng, 4000)[0], encoding="utf-8")
    listed = [0]
    written: list[tuple[int, int]] = []  # (papers written, pages listed before)
    list_entries, flush = Writer.list_entries, Writer.flush

    def listing(self: Writer, *args: Any, **kwargs: Any) -> Any:
        listed[0] += 1
        return list_entries(self, *args, **kwargs)

    def writing(self: Writer) -> None:
        written.append((len(self._papers), listed[0]))
        flush(self)

    monkeypatch.setattr(Writer, "list_entries", listing)
    monkeypatch.setattr(Writer, "flush", writing)
    report = build_store([folder], tmp_path / "store.db", workers=2)
    assert report.pages == page_pool.SERIAL_BELOW + 1
    before_the_long_page = sum(n for n, pages in written if pages <= page_pool.SERIAL_BELOW)
    assert before_the_long_page >= 100
