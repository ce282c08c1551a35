"""Prefix indexes (schema v12): a phrase whose last word of 3 or 4 letters is being typed
(`"sparse con`) is FTS5's own prefix phrase, read off the index's ready-made doclist for
`con`, and finds every word `con` starts, in the exact order (title tier, then newest
first). A store built before keeps its indexes when opened (no rebuild on open) and
answers as before (the 32 most frequent words the prefix starts); its next build
declares the prefix indexes.

The pages are generated here: entry k is dated 2000-01-03 + 7k days (one a week:
"newest first" is "highest k first"). Every abstract holds 32 filler words that start
`conz` (`conzaa` ... `conzbf`), so that `con` and `conz` each start 33 indexed words and
the rare `conzeta` (two papers) is the 33rd: the 32 most frequent leave it out.
"""

from __future__ import annotations

import datetime
import sqlite3
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from paperdesk import schema
from paperdesk.importer import import_pages
from paperdesk.search import ReadOn, search
from paperdesk.search.vocabulary import prefix_lengths
from paperdesk.store import build_store, connect
from tests.conftest import without_author_sort
from tests.test_search_phrases import _rids

ENTRIES = 60
FIRST_DAY = datetime.date(2000, 1, 3)
FILLERS = [f"conza{c}" for c in string.ascii_lowercase] + [f"conzb{c}" for c in "abcdef"]
SPARSE_CONZAA = {10, 40}  # "sparse conzaa" in the abstract: a frequent completion
SPARSE_CONZETA = {25}  # "sparse conzeta" in the abstract: the rare one
TITLE_CONZETA = {50}  # "Sparse Conzeta" in the title


def _date(k: int) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(days=7 * k)


def _entry(k: int) -> str:
    sentences = ["Terms " + " ".join(FILLERS) + ".", "We study kernels."]
    for phrase, entries in (("sparse conzaa", SPARSE_CONZAA),
                            ("sparse conzeta", SPARSE_CONZETA)):
        if k in entries:
            sentences.append(f"It has a {phrase} model.")
    title = f"Sparse Conzeta Notes {k}" if k in TITLE_CONZETA else f"Notes number {k}"
    day = _date(k)
    return (f"IR{day.strftime('%b')} {day.day}, {day.year}\n{title}\n\n"
            f"Ada Lovelace, Alan Turing\n\n{' '.join(sentences)}\n")


def _build(folder: Path) -> Path:
    pages = folder / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "ada.txt").write_text(
        "Ada Lovelace\n\n" + "\n".join(_entry(k) for k in range(ENTRIES)))
    db = folder / "prefix.db"
    report = build_store([pages], db)
    assert report.complete, report.problems
    return db


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("prefix"))


@pytest.fixture
def conn(store: Path) -> Iterator[sqlite3.Connection]:
    with sqlite3.connect(store) as conn:
        yield conn


def _plain(conn: sqlite3.Connection, match: str) -> list[int]:
    """The plain SQL ordering of FTS5's own match: the title tier first, then the rest,
    each by date DESC, rid DESC."""
    return [rid for (rid,) in conn.execute(
        "SELECT rid FROM papers WHERE rid IN (SELECT rowid FROM papers_fts"
        " WHERE papers_fts MATCH ?) ORDER BY rid IN (SELECT rowid FROM papers_fts"
        " WHERE papers_fts MATCH ?) DESC, date DESC, rid DESC", (match, "{title}: " + match))]


def test_a_new_store_declares_prefix_indexes_that_sqlite_utils_still_finds(
        conn: sqlite3.Connection, store: Path) -> None:
    declared = dict(conn.execute("SELECT name, sql FROM sqlite_master"
                                 " WHERE name IN ('papers_fts', 'titles_fts')").fetchall())
    assert "prefix='3 4'" in declared["papers_fts"]
    assert "prefix='3 4'" in declared["titles_fts"]
    assert prefix_lengths(conn) == {3, 4}
    assert sqlite_utils.Database(store)["papers"].detect_fts() == "papers_fts"
    # the vocabulary holds words only, none of the prefix index's entries
    assert conn.execute("SELECT count(*) FROM vocab WHERE term LIKE 'conz%'").fetchone()[0] == 33


@pytest.mark.parametrize("text", ['"sparse con', '"sparse conz'])
def test_a_phrase_being_typed_finds_every_word_its_prefix_starts(
        conn: sqlite3.Connection, text: str) -> None:
    """Entry 50's title first, then 40, 25 (the rare `conzeta`), 10, newest first."""
    result = search(conn, text, limit=20)
    assert list(result.rids) == _rids(conn, [50, 40, 25, 10])
    assert result.total == 4
    page = search(conn, text, limit=2)
    assert list(page.rids) == _rids(conn, [50, 40])
    assert page.total == 4


@pytest.mark.parametrize("text", ['"sparse con', '"sparse conz', '"sparse conze',
                                  '"sparse conzet'])
@pytest.mark.parametrize("limit", [1, 2, 3, 20])
def test_prefix_phrases_list_as_plain_sql_orders_them(conn: sqlite3.Connection, text: str,
                                                      limit: int) -> None:
    """Every page, and the window's two searches (a first page, then the final answer
    reading on), equal the plain ordering of FTS5's own prefix phrase."""
    expected = _plain(conn, text[:1] + text[1:] + '"*')
    assert len(expected) == (4 if len(text) <= len('"sparse conz') else 2)
    read_on = ReadOn()
    first = search(conn, text, limit=max(limit // 2, 1), count=False, read_on=read_on)
    final = search(conn, text, limit=limit, read_on=read_on)
    assert list(first.rids) == expected[:max(limit // 2, 1)]
    assert list(final.rids) == expected[:limit]
    assert final.total == len(expected)


def test_a_prefix_phrase_with_years_and_in_titles(conn: sqlite3.Connection) -> None:
    """Entries 0-52 are dated 2000-2000+52 weeks (2000-01-03 .. 2000-12-31): 50, 40, 25 and
    10 are in; `title:` reads the titles' own index, where only entry 50 has it."""
    result = search(conn, 'year:2000 "sparse con', limit=10)
    assert list(result.rids) == _rids(conn, [50, 40, 25, 10])
    titled = search(conn, 'title:"sparse con', limit=10)
    assert list(titled.rids) == _rids(conn, [50])
    assert titled.total == 1


def _make_old(db: Path) -> None:
    """The store as a build before schema v12 left it: both indexes without prefixes."""
    with sqlite3.connect(db) as old:
        old.execute("DROP TABLE papers_fts")
        old.execute("CREATE VIRTUAL TABLE papers_fts USING fts5(title, authors, affiliations,"
                    " abstract, content=[papers], content_rowid=[rid],"
                    " tokenize='unicode61 remove_diacritics 2')")
        old.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
        old.execute("DROP TABLE titles_fts")
        old.execute("CREATE VIRTUAL TABLE titles_fts USING fts5(title, content='',"
                    " tokenize='unicode61 remove_diacritics 2')")
        old.execute("INSERT INTO titles_fts (rowid, title) SELECT rid, title FROM papers")
        without_author_sort(old)  # version 15
        old.execute("PRAGMA user_version = 11")


def test_an_old_store_keeps_its_index_answers_as_before_and_gets_prefixes_at_its_next_build(
        tmp_path: Path) -> None:
    db = _build(tmp_path)
    _make_old(db)
    with sqlite3.connect(db) as before:
        blocks = before.execute("SELECT count(*), sum(length(block)) FROM papers_fts_data"
                                ).fetchone()
    conn = connect(db)  # upgrades to v12: the indexes are left as they are
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert prefix_lengths(conn) == frozenset()
        assert conn.execute("SELECT count(*), sum(length(block)) FROM papers_fts_data"
                            ).fetchone() == blocks
        # the 32 most frequent words `con` starts: `conzeta` is not among them
        result = search(conn, '"sparse con', limit=20)
        assert list(result.rids) == _rids(conn, [40, 10])
        assert result.total == 2
        # the word typed further stands for itself: found
        assert list(search(conn, '"sparse conze', limit=20).rids) == _rids(conn, [50, 25])
    finally:
        conn.close()
    _build(tmp_path)  # the next build: a new file, with the prefix indexes
    with sqlite3.connect(db) as rebuilt:
        assert prefix_lengths(rebuilt) == {3, 4}
        assert list(search(rebuilt, '"sparse con', limit=20).rids) == _rids(rebuilt,
                                                                          [50, 40, 25, 10])


def test_an_import_keeps_the_prefix_index(tmp_path: Path) -> None:
    """A paper an import adds (its `conzetb` a word no paper had) is found by the prefix
    phrase at once, after the title tier, as the newest; FTS5's integrity check, which
    compares the prefix indexes with the terms, passes."""
    db = _build(tmp_path)
    later = tmp_path / "later"
    later.mkdir()
    (later / "ada.txt").write_text(
        "Ada Lovelace\n\n" + "\n".join(_entry(k) for k in range(ENTRIES))
        + "\nIRJun 4, 2001\nNotes number 99\n\nAda Lovelace\n\nIt has a sparse conzetb model.\n")
    report = import_pages(db, [later])
    assert report.papers_added == 1, report.summary()
    with sqlite3.connect(db) as conn:
        result = search(conn, '"sparse con', limit=20)
        assert list(result.rids) == _rids(conn, [50, 99, 40, 25, 10])
        assert list(search(conn, '"sparse conzetb"', limit=20).rids) == _rids(conn, [99])
        conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO titles_fts (titles_fts) VALUES ('integrity-check')")
