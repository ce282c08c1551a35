"""A build's full-text indexes, filled beside the rest of its end (in a thread of the
writer's process or in a process of their own): every paper in them, the same answers as an index
made from the stored papers with FTS5's own 'rebuild', and a stopped fill leaves the
old store."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from paperdesk import fulltext_build, page_pool, schema, store, writer
from paperdesk.search import search
from paperdesk.store import Store, StoreError, build_store

from .conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
pagegen = importlib.import_module("pagegen")

_REFERENCE = """
CREATE VIRTUAL TABLE ref_fts USING fts5(title, authors, affiliations, abstract,
    content='papers', content_rowid='rid', tokenize='unicode61 remove_diacritics 2');
INSERT INTO ref_fts (ref_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE ref_titles USING fts5(title, content='',
    tokenize='unicode61 remove_diacritics 2');
INSERT INTO ref_titles (rowid, title) SELECT rid, title FROM papers;
CREATE VIRTUAL TABLE temp.v_ref USING fts5vocab(main, ref_fts, instance);
CREATE VIRTUAL TABLE temp.v_built USING fts5vocab(main, papers_fts, instance);
CREATE VIRTUAL TABLE temp.t_ref USING fts5vocab(main, ref_titles, instance);
CREATE VIRTUAL TABLE temp.t_built USING fts5vocab(main, titles_fts, instance);
CREATE VIRTUAL TABLE temp.r_ref USING fts5vocab(main, ref_fts, row)
"""


class _Counted(fulltext_build.Side):
    started = 0

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        _Counted.started += 1


class _Killed(fulltext_build.Side):
    """The full-text process, killed as soon as it started."""

    def wait(self) -> None:
        os.kill(self._process.pid, signal.SIGKILL)
        super().wait()


class _SlowReader(fulltext_build.Side):
    """The full-text process as under a heavy load: still reading the stage when the
    writer has finished its half of the end and commits it."""

    def __init__(self, *args: object) -> None:
        stage = args[1]  # after the start method
        assert isinstance(stage, Path)
        self._reader = sqlite3.connect(stage, isolation_level=None)
        self._reader.execute("BEGIN")
        self._reader.execute("SELECT count(*) FROM paper_rows").fetchone()  # a read lock
        super().__init__(*args)

    def wait(self) -> None:
        self._reader.execute("COMMIT")
        self._reader.close()
        super().wait()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated pages (about 3,000 papers) and the seeds, which have undated papers."""
    folder = tmp_path_factory.mktemp("pages")
    pagegen.generate_corpus(folder / "generated", 3000, seed=11)
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


def _side_process(monkeypatch: pytest.MonkeyPatch, side: type[fulltext_build.Side]) -> None:
    monkeypatch.setattr(fulltext_build, "SIDE_FROM", 0)
    monkeypatch.setattr(page_pool, "cores", lambda: 2)
    monkeypatch.setattr(fulltext_build, "Side", side)


def _in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the app, whose process runs Qt's threads: a small build fills in a thread."""
    monkeypatch.setattr(page_pool, "start_method", lambda: "spawn")


def _fails_leaving_the_old_store(pages: Path, store_file: Path,
                                 error: type[BaseException], match: str) -> None:
    """A build over `store_file` raises `error` (matching `match`), and the old store
    is as it was, with no scratch file beside it."""
    before = store_file.read_bytes()
    with pytest.raises(error, match=match):
        build_store([pages], store_file, workers=0)
    assert store_file.read_bytes() == before
    assert sorted(p.name for p in store_file.parent.iterdir()) == [store_file.name]


def _instances(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT term, doc, col, offset FROM temp.{table}"
                        " ORDER BY term, doc, col, offset").fetchall()


@pytest.mark.parametrize("where", ["thread", "process"])
def test_the_indexes_answer_as_a_rebuild_from_the_stored_papers(
        pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "process":
        _Counted.started = 0
        _side_process(monkeypatch, _Counted)
    else:
        _in_a_thread(monkeypatch)
    target = tmp_path / "built" / "store.db"
    report = build_store([pages], target, workers=0)
    if where == "process":
        assert _Counted.started == 1
    assert sorted(p.name for p in target.parent.iterdir()) == ["store.db"]  # no scratch
    conn = sqlite3.connect(target)
    try:
        papers, undated = conn.execute(
            "SELECT count(*), sum(year_inferred) FROM papers").fetchone()
        assert papers == report.papers > 3000
        assert undated > 0  # under their page's year: the index holds their rowids too
        for index in ("papers_fts", "titles_fts"):
            conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
            assert conn.execute(f"SELECT count(*) FROM {index}_docsize").fetchone()[0] == papers
            assert conn.execute(f"SELECT count(DISTINCT segid) FROM {index}_idx"
                                ).fetchone()[0] == 1
            # the filling's settings stay in the side file: imports merge as FTS5 does
            assert conn.execute(f"SELECT k, v FROM {index}_config").fetchall() == [
                ("version", 4)]
        for statement in _REFERENCE.split(";\n"):
            conn.execute(statement)
        assert _instances(conn, "v_built") == _instances(conn, "v_ref")
        assert len(_instances(conn, "v_built")) > 100_000
        assert _instances(conn, "t_built") == _instances(conn, "t_ref")
        assert conn.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall() == (
            conn.execute("SELECT term, doc FROM temp.r_ref ORDER BY term").fetchall())
        top = conn.execute("SELECT * FROM vocab_top ORDER BY prefix, rank").fetchall()
        assert top
        schema.refresh_vocab(conn)  # the vocabulary counted again from the built index
        assert conn.execute("SELECT * FROM vocab_top ORDER BY prefix, rank").fetchall() == top
        word = conn.execute("SELECT term FROM temp.r_ref WHERE doc > 50 AND length(term) > 6"
                            " ORDER BY doc, term LIMIT 1").fetchone()[0]
        matched = conn.execute("SELECT count(*) FROM ref_fts WHERE ref_fts MATCH ?",
                               (word,)).fetchone()[0]
    finally:
        conn.close()
    with Store(target) as store:
        answer = search(store.conn, word, limit=10_000)
    assert len(answer.rids) == matched


def test_a_killed_full_text_process_leaves_the_old_store(
        pages: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _side_process(monkeypatch, _Killed)
    _fails_leaving_the_old_store(pages, seed_db, StoreError, "the previous store is unchanged")


def test_the_writer_never_waits_for_the_full_text_process_reading_the_stage(
        pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's half reads the stage and writes nothing there (its ANALYZE once
    wrote statistics into it too): under load, the full-text process still reading
    the stage made the build fail, "in use by another program", or the other way round
    the full-text process waited for the writer and ended."""
    _side_process(monkeypatch, _SlowReader)
    target = tmp_path / "built" / "store.db"
    report = build_store([pages], target, workers=0)
    assert report.complete and report.papers > 3000
    assert sorted(p.name for p in target.parent.iterdir()) == ["store.db"]


def test_the_rows_written_so_far_reach_the_disk_while_the_full_text_indexes_are_made(
        pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's last fsync waited about 1 s at 100,000 papers with both cores idle:
    the rows the writer's half wrote are sent to the disk from another thread while the
    full-text process still works (its wait here holds until they are), and the last
    fsync, before the rename, still comes after everything, the scratch files already
    deleted (the disk need not write back what is thrown away)."""
    synced: list[tuple[str, str]] = []
    flushed = threading.Event()
    sync = store._sync
    left: list[str] = []  # the build's files at its last fsync

    def recorded(handle: BinaryIO) -> None:
        sync(handle)
        path = Path(handle.name)
        synced.append((path.name, threading.current_thread().name))
        if threading.current_thread().name == "paperdesk-flush":
            flushed.set()
        else:
            left.extend(sorted(p.name for p in path.parent.iterdir()))

    class _Waits(fulltext_build.Side):
        def wait(self) -> None:
            assert flushed.wait(30), "nothing was flushed while the full-text process worked"
            super().wait()

    monkeypatch.setattr(store, "_sync", recorded)
    _side_process(monkeypatch, _Waits)
    target = tmp_path / "store.db"
    report = build_store([pages], target, workers=0)
    assert report.complete and report.papers > 3000
    assert synced == [(".store.db.building", "paperdesk-flush"),
                      (".store.db.building", "MainThread")]
    assert not {"paperdesk-flush", "paperdesk-unlink"} & {t.name for t in threading.enumerate()}
    # the stage and the full-text side file, used up, were deleted before that fsync
    assert left == [".store.db.building"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.db"]


def test_a_few_thousand_papers_fill_each_index_in_one_segment_never_merged(
        pages: Path, tmp_path: Path) -> None:
    """The pending terms of a few thousand papers are written out once. FTS5 wrote them
    out every 1 MiB by default, as segments that 'optimize' then read and wrote again:
    8.5 % of the instructions of `paperdesk build` of the real sample. A merge would
    have given the one segment left a new number: here it is the first, number 1."""
    target = tmp_path / "store.db"
    build_store([pages], target, workers=0)
    conn = sqlite3.connect(target)
    try:
        for index in ("papers_fts", "titles_fts"):
            assert conn.execute(f"SELECT DISTINCT segid FROM {index}_idx").fetchall() == [(1,)]
    finally:
        conn.close()


def test_a_small_build_fills_its_indexes_beside_the_writers_half(
        pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below SIDE_FROM papers, in a process that runs other threads (the app's, beside
    Qt's), the fill runs in a thread of the writer's process (a spawned process costs
    more to start than such a fill): the writer's half of the end waits here until the
    fill has begun elsewhere, which it never would if the fill came after it on the
    same thread."""
    _in_a_thread(monkeypatch)
    began = threading.Event()
    threads: list[str] = []
    fill, finish_rows = fulltext_build.fill, writer.Writer.finish_rows

    def filling(*args: object) -> None:
        threads.append(threading.current_thread().name)
        began.set()
        fill(*args)  # type: ignore[arg-type]

    def writers_half(self: writer.Writer) -> None:
        assert began.wait(20), "the full-text fill did not start beside the writer's half"
        finish_rows(self)

    monkeypatch.setattr(fulltext_build, "fill", filling)
    monkeypatch.setattr(writer.Writer, "finish_rows", writers_half)
    target = tmp_path / "store.db"
    report = build_store([pages], target, workers=0)
    assert report.complete and report.papers > 3000
    assert threads == ["paperdesk-fulltext"]
    assert not any(t.name == "paperdesk-fulltext" for t in threading.enumerate())
    with Store(target) as built:
        assert len(search(built.conn, "the", limit=10_000).rids) > 1000


def test_a_failed_fill_in_the_writers_process_leaves_the_old_store(
        pages: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _in_a_thread(monkeypatch)

    def failing(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(fulltext_build, "fill", failing)
    _fails_leaving_the_old_store(pages, seed_db, StoreError, r"the previous store is unchanged"
                                 r".*full-text index: database or disk is full")


def test_a_bug_in_the_fill_thread_is_raised_as_it_is(
        pages: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything but a database or file error in the fill thread (a bug) was printed by
    the thread and lost: the build then failed later with "no such table: side.vocab".
    It reaches the build as it was raised, and the old store stays."""
    _in_a_thread(monkeypatch)

    def failing(*args: object) -> None:
        raise RuntimeError("a bug in the fill")

    monkeypatch.setattr(fulltext_build, "fill", failing)
    _fails_leaving_the_old_store(pages, seed_db, RuntimeError, "a bug in the fill")


def test_a_build_that_fails_stops_its_fill_thread(
        pages: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's half failing while the fill thread still works: the fill's
    statement is interrupted (with one core, a thread fills a store of any size),
    and the build fails with the writer's error, the old store kept."""
    _in_a_thread(monkeypatch)
    began = threading.Event()
    ended: list[str] = []
    fill = fulltext_build.fill

    def filling(*args: object) -> None:
        began.set()
        try:
            fill(*args)  # type: ignore[arg-type]
        except sqlite3.OperationalError as exc:
            ended.append(str(exc))
            raise

    def failing(self: writer.Writer) -> None:
        assert began.wait(20)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(fulltext_build, "fill", filling)
    monkeypatch.setattr(writer.Writer, "finish_rows", failing)
    _fails_leaving_the_old_store(pages, seed_db, StoreError, "database or disk is full")
    assert ended == ["interrupted"]


_FILL_WHERE = """
import os, sys
from pathlib import Path
from typing import Any
from paperdesk import fulltext_build, store
fill = fulltext_build.fill
def filling(*args):
    print("fill", os.getpid(), flush=True)
    fill(*args)
fulltext_build.fill = filling
print("build", os.getpid(), flush=True)
report = store.build_store([Path(sys.argv[1])], Path(sys.argv[2]), workers=0)
print("papers", report.papers, flush=True)
"""


@pytest.mark.skipif(page_pool.cores() < 2 or "fork" not in multiprocessing.get_all_start_methods(),
                    reason="one core, or no fork: the fill runs in a thread")
def test_a_small_build_in_a_process_alone_fills_in_a_forked_process(tmp_path: Path) -> None:
    """`paperdesk build` runs no other thread: even the seeds' few papers are filled in
    a process of their own, forked (a few milliseconds), whose Python (the vocabulary's
    ranking) no longer takes turns on the GIL with the writer's (8,600 voluntary
    context switches a build of the real sample in a thread, 1,100 in a process)."""
    target = tmp_path / "store.db"
    done = subprocess.run([sys.executable, "-c", _FILL_WHERE, str(SEEDS), str(target)],
                          capture_output=True, text=True, timeout=300, check=True)
    said = dict(line.split() for line in done.stdout.splitlines())
    assert said["fill"] != said["build"]
    assert int(said["papers"]) == 129
    with Store(target) as built:
        assert len(search(built.conn, "graph", limit=1000).rids) > 0


_READ = """
import sqlite3, sys
try:
    sqlite3.connect(sys.argv[1], timeout=0).execute("SELECT count(*) FROM sqlite_master")
    print("read")
except sqlite3.OperationalError as exc:
    print("locked" if exc.sqlite_errorcode == sqlite3.SQLITE_BUSY else exc)
"""


def test_the_store_being_built_stays_locked_to_its_end(
        pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The early flush of the rows written so far (a thread beside the full-text fill)
    opened the store being built and closed it again, and closing any descriptor of a
    file drops every POSIX lock the process holds on it: SQLite's exclusive lock was
    gone while the build still wrote the file. Once the flush is done, another
    process still finds the file locked."""
    seen: list[str] = []
    finish_bulk = writer.Writer.finish_bulk

    def finishing(self: writer.Writer, *args: Any) -> dict[str, int]:
        for thread in threading.enumerate():
            if thread.name == "paperdesk-flush":
                thread.join(60)
        building = tmp_path / ".store.db.building"
        done = subprocess.run([sys.executable, "-c", _READ, str(building)],
                              capture_output=True, text=True, timeout=120, check=True)
        seen.append(done.stdout.strip())
        return finish_bulk(self, *args)

    monkeypatch.setattr(writer.Writer, "finish_bulk", finishing)
    report = build_store([pages], tmp_path / "store.db", workers=0)
    assert report.papers > 3000
    assert seen == ["locked"]
