"""Phrases, and phrases whose last word is being typed (`"sparse gra`: the phrases its
prefix stands for, see search.vocabulary.expand), in the exact order: the title tier,
then the rest, each newest first, over every match, whatever the page's size; and
the window's two searches (a first page, then the final answer reading on) agree.

The pages are generated here: entry k is dated 2000-01-03 + 7k days (one a week, so
"newest first" is "highest k first"), and each phrase is put in the entries listed
below, so every expected order is written down from this plan, by hand, and checked
against a plain SQL ordering of the same store as well.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdesk.search import ReadOn, search

from .conftest import one_page_store

ENTRIES = 400
FIRST_DAY = datetime.date(2000, 1, 3)
# "sparse graph" in the abstract; in the title for SPARSE_TITLE. All old: none of them
# among the newest papers.
SPARSE_GRAPH = {5, 17, 42, 230}
SPARSE_TITLE = {101}
SPARSE_GRAMMAR = {60, 300}  # "sparse grammar" in the abstract
SPARSE_GRADIENT = {7, 399}  # "sparse gradient": 399 is the newest paper
# "old kernel" in the abstracts of the 151 oldest papers, none of the newer ones.
OLD_KERNEL = set(range(151))
# "dense graph": every other paper.
DENSE_GRAPH = {k for k in range(ENTRIES) if k % 2 == 0}


def _date(k: int) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(days=7 * k)


def _entry(k: int) -> str:
    sentences = ["We study kernels on networks."]
    for phrase, entries in (("sparse graph", SPARSE_GRAPH), ("sparse grammar", SPARSE_GRAMMAR),
                            ("sparse gradient", SPARSE_GRADIENT), ("old kernel", OLD_KERNEL),
                            ("dense graph", DENSE_GRAPH)):
        if k in entries:
            sentences.append(f"It has a {phrase} in it.")
    # the words apart, never as the phrases: `sparse` and `graph` in every paper
    sentences.append("Graph methods are sparse.")
    title = f"Sparse Graph Notes {k}" if k in SPARSE_TITLE else f"Notes number {k}"
    day = _date(k)
    return (f"IR{day.strftime('%b')} {day.day}, {day.year}\n{title}\n\n"
            f"Ada Lovelace, Alan Turing\n\n{' '.join(sentences)}\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_page_store(tmp_path_factory.mktemp("phrases"),
                          "Ada Lovelace\n\n" + "\n".join(_entry(k) for k in range(ENTRIES)))


@pytest.fixture
def conn(store: Path) -> Iterator[sqlite3.Connection]:
    with sqlite3.connect(store) as conn:
        yield conn


def _rids(conn: sqlite3.Connection, entries: list[int]) -> list[int]:
    """The rowids of entries, by their titles' numbers."""
    rid = {int(title.rsplit(" ", 1)[1]): r
           for r, title in conn.execute("SELECT rid, title FROM papers")}
    return [rid[k] for k in entries]


def _plain(conn: sqlite3.Connection, match: str, title: str) -> tuple[list[int], int]:
    """The plain SQL ordering: papers whose title holds the phrase first, then the rest,
    each by date DESC, rid DESC, over what a plain FTS5 MATCH finds; and their count."""
    rows = [rid for (rid,) in conn.execute(
        "SELECT rid FROM papers WHERE rid IN (SELECT rowid FROM papers_fts"
        " WHERE papers_fts MATCH ?) ORDER BY rid IN (SELECT rowid FROM papers_fts"
        " WHERE papers_fts MATCH ?) DESC, date DESC, rid DESC", (match, title))]
    return rows, len(rows)


def test_a_rare_phrase_lists_its_papers_title_first_then_newest_first(
        conn: sqlite3.Connection) -> None:
    result = search(conn, '"sparse graph"', limit=10)
    assert list(result.rids) == _rids(conn, [101, 230, 42, 17, 5])
    assert result.total == 5


def test_a_phrase_being_typed_lists_every_phrase_its_prefix_stands_for(
        conn: sqlite3.Connection) -> None:
    """`"sparse gra`: "sparse graph", "sparse grammar" and "sparse gradient" (the indexed
    words "gra" starts), the title first, then newest first."""
    result = search(conn, '"sparse gra', limit=20)
    assert list(result.rids) == _rids(conn, [101, 399, 300, 230, 60, 42, 17, 7, 5])
    assert result.total == 9
    page = search(conn, '"sparse gra', limit=4)
    assert list(page.rids) == _rids(conn, [101, 399, 300, 230])
    assert page.total == 9


def test_a_phrase_of_old_papers_lists_the_newest_of_them(conn: sqlite3.Connection) -> None:
    """"old kernel" is in none of the newest papers and in the 151 oldest: the page is
    the newest of those, and the count is all of them."""
    result = search(conn, '"old kernel"', limit=20)
    assert list(result.rids) == _rids(conn, list(range(150, 130, -1)))
    assert result.total == 151


def test_a_common_phrase_fills_its_page_from_the_newest_papers(
        conn: sqlite3.Connection) -> None:
    result = search(conn, '"dense graph"', limit=5)
    assert list(result.rids) == _rids(conn, [398, 396, 394, 392, 390])
    assert result.total == 200


PHRASES = {
    '"sparse graph"': ('"sparse graph"', '{title}: "sparse graph"'),
    '"sparse gra': ('"sparse graph" OR "sparse grammar" OR "sparse gradient"',
                    '{title}: ("sparse graph" OR "sparse grammar" OR "sparse gradient")'),
    '"sparse gram': ('"sparse grammar"', '{title}: "sparse grammar"'),
    '"old kernel"': ('"old kernel"', '{title}: "old kernel"'),
    '"old ker': ('"old kernel"', '{title}: "old kernel"'),
    '"dense graph"': ('"dense graph"', '{title}: "dense graph"'),
    '"dense gra': ('"dense graph" OR "dense grammar" OR "dense gradient"',
                   '{title}: ("dense graph" OR "dense grammar" OR "dense gradient")'),
}


@pytest.mark.parametrize("text", sorted(PHRASES))
@pytest.mark.parametrize("limit", [1, 2, 5, 9, 20, 200, 1000])
def test_phrases_list_as_plain_sql_orders_them(conn: sqlite3.Connection, text: str,
                                               limit: int) -> None:
    """Every page, and the window's two searches (a first page, then the final answer
    reading on from it), equal the plain ordering; the count is exact (fewer than
    COUNT_CAP matches)."""
    expected, count = _plain(conn, *PHRASES[text])
    result = search(conn, text, limit=limit)
    assert list(result.rids) == expected[:limit]
    assert result.total == count
    read_on = ReadOn()
    first = search(conn, text, limit=max(limit // 5, 1), count=False, read_on=read_on)
    final = search(conn, text, limit=limit, read_on=read_on)
    assert list(first.rids) == expected[:max(limit // 5, 1)]
    assert list(final.rids) == expected[:limit]
    assert final.total == count


def test_a_phrase_being_typed_with_years(conn: sqlite3.Connection) -> None:
    """Entries 230 (2004), 300 and 399 are out of 2000-2003 (entries 0-208)."""
    result = search(conn, 'year:2000..2003 "sparse gra', limit=10)
    assert list(result.rids) == _rids(conn, [101, 60, 42, 17, 7, 5])
    assert result.total == 6
