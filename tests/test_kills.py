"""Killed imports: real `paperdesk import` processes killed at random moments.

A kill in the middle of an import's write leaves a hot journal beside the store.
Every command and the window must then open the store as it was before the
import (or as the import left it, when the kill came after its commit), and
nothing may turn the journal into a damaged store: not a read-only open, not a
rebuild, not the window's rebuild button.
"""

from __future__ import annotations

import importlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from paperdesk import db as dbfiles
from paperdesk.importer import import_pages
from paperdesk.store import Store, build_store, is_replaceable

ROOT = Path(__file__).resolve().parent.parent
KILLS = 22
sys.path.insert(0, str(ROOT / "bench"))
pagegen = importlib.import_module("pagegen")


def dump(path: Path) -> list[str]:
    """The whole content, read without ever writing: a copy with no journal beside it."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def healthy(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO papers_fts (papers_fts, rank) VALUES ('integrity-check', 1)")
        return ok
    finally:
        conn.close()


@dataclass
class Killed:
    folder: Path      # holds store.db (and store.db-journal when the kill left one)
    hot: bool         # the kill left a hot journal: a read-only connection cannot read
    exit_code: int    # the import's: -9 when killed

    @property
    def store(self) -> Path:
        return self.folder / "store.db"

    @property
    def as_killed(self) -> Path:
        """Untouched: the store and journal exactly as the kill left them."""
        return self.folder / "as-killed" / "store.db"


@dataclass
class Kills:
    before: list[str]
    after: list[str]
    pages: Path
    states: list[Killed]

    def hot(self) -> list[Killed]:
        return [s for s in self.states if s.hot]

    def fresh(self, tmp_path: Path) -> Path:
        """A copy of the first killed state with a hot journal, to spoil at will."""
        state = self.hot()[0]
        target = tmp_path / "store.db"
        dbfiles.copy(state.as_killed, target)
        assert dbfiles.journal(target).exists()
        return target


_HOME = Path(tempfile.mkdtemp(prefix="paperdesk-kills-home-"))


def _env() -> dict[str, str]:
    """The child's environment, with user folders of its own: the killed states are made
    by module-scoped fixtures, before the per-test isolation of conftest applies, and a
    child must never read or write the real user's data."""
    env = os.environ.copy()
    env["PYTHONPATH"] = str(ROOT / "src")
    for name in ("DATA", "CONFIG", "STATE"):
        env[f"XDG_{name}_HOME"] = str(_HOME / name.lower())
    return env


def _kill_one(base: Path, pages: Path, folder: Path, rng: random.Random) -> Killed:
    folder.mkdir()
    store = folder / "store.db"
    shutil.copyfile(base, store)
    proc = subprocess.Popen([sys.executable, "-m", "paperdesk", "import", "--db", str(store),
                             str(pages)], env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # Most kills land while the import writes (its journal exists); some at any moment.
    if rng.random() < 0.8:
        deadline = time.monotonic() + 60
        while not _synced(dbfiles.journal(store)) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.6))
    else:
        time.sleep(rng.uniform(0, 2.5))
    proc.send_signal(signal.SIGKILL)
    code = proc.wait()
    (folder / "as-killed").mkdir()
    dbfiles.copy(store, folder / "as-killed" / "store.db")
    return Killed(folder, _hot(store), code)


_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _synced(journal: Path) -> bool:
    """The import has written into the store file: its journal's header is synced (SQLite
    writes the header's magic only then; a kill before leaves a journal that is not hot)."""
    try:
        with open(journal, "rb") as handle:
            return handle.read(8) == _JOURNAL_MAGIC
    except OSError:
        return False


def _hot(store: Path) -> bool:
    conn = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM papers").fetchone()
    except sqlite3.OperationalError as exc:
        assert exc.sqlite_errorcode == sqlite3.SQLITE_READONLY_ROLLBACK
        return True
    finally:
        conn.close()
    return False


@pytest.fixture(scope="module")
def kills(tmp_path_factory: pytest.TempPathFactory) -> Kills:
    work = tmp_path_factory.mktemp("kills")
    pagegen.generate_corpus(work / "a", 1500, seed=11)
    pagegen.generate_corpus(work / "b", 4500, seed=12)  # more than the import's page cache
    base = work / "base.db"
    build_store([work / "a"], base)
    done = work / "done.db"
    shutil.copyfile(base, done)
    import_pages(done, [work / "b"])
    rng = random.Random(20261130)
    states = [_kill_one(base, work / "b", work / f"kill{i:02}", rng) for i in range(KILLS)]
    return Kills(dump(base), dump(done), work / "b", states)


def test_kills_leave_the_old_store_or_the_finished_import(kills: Kills) -> None:
    assert len(kills.states) >= 20
    # the kills really hit imports at work: most of them left a hot journal
    assert len(kills.hot()) >= 10, [(s.hot, s.exit_code) for s in kills.states]
    for state in kills.states:
        with Store(state.store) as store:  # read-only, as search, export and the window
            assert store.paper_total() > 0
        assert not _hot(state.store)
        content = dump(state.store)
        if state.hot:
            assert not dbfiles.journal(state.store).exists()
            assert content == kills.before, state.folder
        else:
            assert content in (kills.before, kills.after), state.folder
        assert healthy(state.store)


def test_a_killed_import_leaves_a_journal_a_read_only_open_cannot_use(kills: Kills,
                                                                     tmp_path: Path) -> None:
    """What the kill leaves: without a read-write open first, SQLite refuses to read."""
    store = kills.fresh(tmp_path)
    conn = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("SELECT count(*) FROM papers").fetchone()
    conn.close()
    assert caught.value.sqlite_errorcode == sqlite3.SQLITE_READONLY_ROLLBACK


def _paperdesk(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paperdesk", *argv], env=_env(), text=True,
                          capture_output=True, check=False, timeout=120)


@pytest.mark.parametrize("command", [
    ["search", "the"], ["export", "--format", "csv"], ["export", "--format", "json"],
    ["export", "--format", "bibtex", "--query", "a"], ["export", "--format", "markdown"],
])
def test_every_reading_command_opens_a_killed_store_intact(kills: Kills, tmp_path: Path,
                                                           command: list[str]) -> None:
    store = kills.fresh(tmp_path)
    done = _paperdesk(*command, "--db", str(store))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "damaged" not in done.stderr
    assert done.stdout.strip()
    assert dump(store) == kills.before


def test_import_after_a_kill_finishes_the_job(kills: Kills, tmp_path: Path) -> None:
    store = kills.fresh(tmp_path)
    done = _paperdesk("import", "--db", str(store), str(kills.pages))
    assert done.returncode in (0, 1), done.stderr
    assert dump(store) == kills.after
    assert healthy(store)


def test_build_on_a_killed_store_needs_no_force_and_stays_healthy(kills: Kills,
                                                                 tmp_path: Path) -> None:
    """The build's own check sees a good store; the journal never reaches the new one."""
    store = kills.fresh(tmp_path)
    assert is_replaceable(store)
    done = _paperdesk("build", "--db", str(store), str(ROOT / "seeds"))
    assert done.returncode == 0, done.stderr
    assert not dbfiles.companions(store)
    import_pages(store, [kills.pages])  # the next write: no 'disk image is malformed'
    assert healthy(store)


def test_forced_build_over_a_journal_never_replays_it_onto_the_new_store(kills: Kills,
                                                                        tmp_path: Path) -> None:
    """A journal beside a file that is no store at all belongs to that file alone."""
    store = kills.fresh(tmp_path)
    store.write_bytes(b"not a database" * 100)
    assert not is_replaceable(store)
    done = _paperdesk("build", "--force", "--db", str(store), str(ROOT / "seeds"))
    assert done.returncode == 0, done.stderr
    assert not dbfiles.companions(store)
    import_pages(store, [kills.pages])
    assert healthy(store)


def test_copy_takes_the_journal_along(kills: Kills, tmp_path: Path) -> None:
    store = kills.fresh(tmp_path)
    kept = tmp_path / "kept.db"
    dbfiles.copy(store, kept)
    assert dbfiles.journal(kept).exists()
    with Store(kept) as opened:
        assert opened.paper_total() > 0
    assert dump(kept) == kills.before


def test_the_window_opens_a_killed_store_intact(kills: Kills, tmp_path: Path,
                                                qtbot: object) -> None:
    from paperdesk.app import create_window

    store = kills.fresh(tmp_path)
    window = create_window(store)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.busy)  # type: ignore[attr-defined]
    assert window.store_open, window.store_page.message.text()
    assert window.stack.currentWidget() is window.splitter
    total: list[int] = []  # what the window's reader finds in the store
    assert window.stores.read(Store.paper_total, total.append)
    qtbot.waitUntil(lambda: total == [sum(  # type: ignore[attr-defined]
        1 for line in kills.before if line.startswith('INSERT INTO "papers"'))])
    window.close()
    assert dump(store) == kills.before
