"""Shared fixtures: the seed pages, a store built from them in a fresh temp dir."""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def one_page_store(folder: Path, text: str) -> Path:
    """A store built in `folder` from one page, `ada.txt`, that holds `text`; every entry
    of it read."""
    from paperdesk.store import build_store

    pages = folder / "pages"
    pages.mkdir()
    (pages / "ada.txt").write_text(text, encoding="utf-8")
    db = folder / "store.db"
    report = build_store([pages], db)
    assert report.complete, report.problems
    return db


@pytest.fixture(autouse=True)
def _earlier_windows_destroyed() -> None:
    """The windows an earlier test closed (pytest-qt closes them and calls deleteLater)
    are destroyed now, before this test opens its own. Left to the next event loop they
    were destroyed while the new window's reader threads emitted their first answers,
    and Python's garbage collector, run inside a QObject's destructor, once locked Qt's
    signal mutexes against such a thread: the suite hung (seen once, 2026-11-30)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _heap_collectable() -> Iterator[None]:
    """What a test froze out of the collector's reach (a whole store's identity read
    does, gui/heap.py) is collectable again for the next tests."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def _seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from paperdesk.store import build_store

    path = tmp_path_factory.mktemp("seedstore") / "seeds.db"
    report = build_store([SEEDS], path, this_year=2026)  # the seeds were saved in 2026
    assert report.complete, report.problems
    return path


@pytest.fixture
def seed_db(_seed_store: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seed store for each test: tests may not share writes."""
    path = tmp_path / "seeds.db"
    path.write_bytes(_seed_store.read_bytes())
    return path


def without_author_sort(conn: sqlite3.Connection) -> None:
    """The papers as versions before 15 stored them: no `author_sort`, and the index by
    the authors as written (`authors COLLATE NOCASE`)."""
    conn.execute("DROP INDEX papers_author_sort")
    conn.execute("ALTER TABLE papers DROP COLUMN author_sort")
    conn.execute("CREATE INDEX papers_authors ON papers(authors COLLATE NOCASE, rid)")


def without_words(conn: sqlite3.Connection) -> None:
    """The author list as versions before 14 stored it: no `words`."""
    conn.execute("ALTER TABLE people_list DROP COLUMN words")


# The author list as version 14 wrote it: names sorted by records.name_order (their
# letters as written, given name first), GAP-spaced ords from BASE, as people_order's own.
_PEOPLE_LIST_V14 = """
CREATE TEMP TABLE people_v14 AS
  SELECT key, name, name_order(name) AS sort, words, papers, profile FROM people_list;
DELETE FROM people_list;
DELETE FROM people_list_buckets;
INSERT INTO people_list (ord, key, name, sort, words, papers, profile)
  SELECT 4503599627370496 + (row_number() OVER (ORDER BY papers DESC, sort, key) - 1)
                            * 16777216, key, name, sort, words, papers, profile
    FROM temp.people_v14;
INSERT INTO people_list_buckets (bucket, n)
  SELECT ord >> 34, count(*) FROM people_list GROUP BY 1;
INSERT INTO people_list_trigram (people_list_trigram) VALUES ('rebuild');
DROP TABLE temp.people_v14
"""


def as_version_14(db: Path) -> None:
    """Turn a built store back into what version 14 left: papers without `author_sort`,
    the author list's ties sorted given name first."""
    from paperdesk.records import name_order

    with sqlite3.connect(db) as conn:
        without_author_sort(conn)
        conn.create_function("name_order", 1, name_order)
        for statement in _PEOPLE_LIST_V14.split(";\n"):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 14")


def as_version_2(db: Path) -> None:
    """Turn a built store back into what the previous release (schema version 2) left:
    a date index of (date, rid) only, and no by-rowid index."""
    with sqlite3.connect(db) as conn:
        without_author_sort(conn)  # added by version 15
        conn.execute("DROP INDEX papers_doubtful")  # added by version 7
        conn.execute("ALTER TABLE papers DROP COLUMN doubtful")  # added by version 4
        conn.execute("DROP TABLE titles_fts")  # added by version 9
        conn.execute("ALTER TABLE papers DROP COLUMN title_tex")  # added by version 7
        conn.execute("ALTER TABLE papers DROP COLUMN abstract_tex")
        conn.execute("DROP TABLE papers_fts")  # declared the sqlite-utils way by version 5
        conn.execute("CREATE VIRTUAL TABLE papers_fts USING fts5(title, authors,"
                     " affiliations, abstract, content='papers', content_rowid='rid',"
                     " tokenize='unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
        conn.execute("DROP INDEX papers_date")
        conn.execute("CREATE INDEX papers_date ON papers(date, rid)")
        conn.execute("DROP INDEX papers_row")
        conn.execute("PRAGMA user_version = 2")


# The author list as versions 10 to 12 wrote it: names in SQLite's NOCASE order.
_PEOPLE_LIST_V12 = """
CREATE TABLE people_list (
    ord INTEGER PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL,
    papers INTEGER NOT NULL, profile INTEGER);
CREATE INDEX people_list_key ON people_list(key);
CREATE INDEX people_list_order ON people_list(papers DESC, name COLLATE NOCASE, key);
CREATE TABLE people_list_buckets (bucket INTEGER PRIMARY KEY, n INTEGER NOT NULL);
CREATE VIRTUAL TABLE people_list_trigram USING fts5(
    name, content='people_list', content_rowid='ord', tokenize='trigram', detail='none');
INSERT INTO people_list (ord, key, name, papers, profile)
  SELECT 4503599627370496 + (row_number() OVER (ORDER BY papers DESC, name COLLATE NOCASE,
                                                key) - 1) * 16777216,
         key, name, papers, profile FROM people;
INSERT INTO people_list_buckets (bucket, n)
  SELECT ord >> 34, count(*) FROM people_list GROUP BY 1;
INSERT INTO people_list_trigram (people_list_trigram) VALUES ('rebuild')
"""


def as_version_12(db: Path) -> None:
    """Turn a built store back into what version 12 left: the author list without its
    `sort` column, in NOCASE order (accented initials after Z)."""
    with sqlite3.connect(db) as conn:
        without_author_sort(conn)  # added by version 15
        for table in ("people_list_trigram", "people_list", "people_list_buckets"):
            conn.execute(f"DROP TABLE {table}")
        for statement in _PEOPLE_LIST_V12.split(";\n"):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 12")


def damage_pages(db: Path, table: str, spared: int = 1) -> list[int]:
    """Overwrite the leaf pages of `table` (a table or an index) in the store at `db`
    with garbage, all but its first `spared`: the file's header, its schema and the rows
    an open reads stay sound, as when a disk or a copy damaged a few pages in the middle.
    The pages are found with SQLite's dbstat table; their numbers are returned."""
    conn = sqlite3.connect(db)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
            (table,))]
    finally:
        conn.close()
    damaged = pages[spared:]
    assert damaged, f"{table} has {len(pages)} leaf pages: none to damage"
    with db.open("r+b") as handle:
        for page in damaged:
            handle.seek((page - 1) * size)
            handle.write(b"\xa5" * size)
    return damaged
