"""The title tier read off the titles' own index (schema v7, `titles_fts`).

The pages are generated here, one year per entry (entry k is dated June 1, 1990 + k),
so that "newest first" is "highest k first" and every expected order below is written
down from the page's plan, by hand, not taken from the code under test.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdesk.importer import import_pages
from paperdesk.search import ReadOn, search

from .conftest import one_page_store, without_author_sort

ENTRIES = 40
# Both words in the title (the phrase "sparse graph"), category CV for k in CV_ONES.
TITLE_BOTH = {3, 7, 11, 20, 33}
# "graph" in the title, "sparse" in the abstract only: not in the title tier of
# `sparse graph`, and no phrase.
TITLE_GRAPH = {25, 30}
# The phrase "sparse graph" in the abstract only.
ABSTRACT_BOTH = {1, 2, 5, 9, 14, 18, 22, 27, 36, 39}
CV_ONES = {7, 33, 22, 39, 30}
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
         "india", "juliet")


def _name(k: int) -> str:
    """A word of its own for every entry (titles must differ): `bravo-india`..."""
    return f"{WORDS[k // 10].capitalize()}{WORDS[k % 10]}"


def _entry(k: int) -> str:
    category = "CV" if k in CV_ONES else "IR"
    if k in TITLE_BOTH:
        title = f"Sparse Graph Kernels for {_name(k)}"
        abstract = "We study kernels on networks."
    elif k in TITLE_GRAPH:
        title = f"Graph Methods for {_name(k)}"
        abstract = "A sparse approach to networks."
    elif k in ABSTRACT_BOTH:
        title = f"Notes on {_name(k)}"
        abstract = "We learn on a sparse graph of documents."
    else:
        title = f"Reading {_name(k)}"
        abstract = "Nothing to see in these documents."
    return (f"{category}Jun 1, {1990 + k}\n{title}\n\nAda Lovelace, Alan Turing\n\n"
            f"{abstract}\n")


def _page(entries: list[int]) -> str:
    return "Ada Lovelace\n\n" + "\n".join(_entry(k) for k in entries)


def _rid_of(conn: sqlite3.Connection) -> dict[int, int]:
    """Entry k's rowid, found by the word of its title."""
    return {k: conn.execute("SELECT rid FROM papers WHERE title LIKE ?",
                            (f"% {_name(k)}",)).fetchone()[0]
            for k in range(ENTRIES)}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return one_page_store(tmp_path, _page(list(range(ENTRIES))))


@pytest.fixture
def conn(store: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(store)
    yield connection
    connection.close()


def _newest(entries: set[int]) -> list[int]:
    return sorted(entries, reverse=True)


# (query, the entries in display order, written from the sets above)
ORDERS = [
    ('"sparse graph"', [33, 20, 11, 7, 3, 39, 36, 27, 22, 18, 14, 9, 5, 2, 1]),
    # a phrase being typed: "gra" stands for the words it starts ("graph" alone here)
    ('"sparse gra', [33, 20, 11, 7, 3, 39, 36, 27, 22, 18, 14, 9, 5, 2, 1]),
    ("sparse graph", [33, 20, 11, 7, 3, 39, 36, 30, 27, 25, 22, 18, 14, 9, 5, 2, 1]),
    ("sparse graph cat:CV", [33, 7, 39, 30, 22]),
    ("sparse graph year:2000..2025", [33, 20, 11, 30, 27, 25, 22, 18, 14]),
    ("graph", [33, 30, 25, 20, 11, 7, 3, 39, 36, 27, 22, 18, 14, 9, 5, 2, 1]),
    # titles only: the match itself is read off the titles' index
    ("title:graph", [33, 30, 25, 20, 11, 7, 3]),
    ("title:graph -title:sparse", [30, 25]),
    ("title:graph cat:CV", [33, 30, 7]),
    ('title:"sparse graph" OR title:methods', [33, 30, 25, 20, 11, 7, 3]),
]


@pytest.mark.parametrize(("text", "expected"), ORDERS)
def test_title_tier_first_then_the_rest_newest_first(conn: sqlite3.Connection, text: str,
                                                     expected: list[int]) -> None:
    rid = _rid_of(conn)
    want = [rid[k] for k in expected]
    assert list(search(conn, text).rids) == want
    result = search(conn, text)
    assert result.total == len(want)
    for limit in (1, 2, 3, 5, 6, 8, len(want) - 1):  # inside, at and past the title tier
        if limit >= len(want):
            continue
        page = search(conn, text, limit=limit, count=False)  # the window's first page
        assert list(page.rids) == want[:limit], limit
        # a page short of the whole answer never claims to be whole (the window then
        # asks for the rest and the count)
        assert (page.total, page.at_least) == (None, limit), limit
        assert search(conn, text, limit=limit).total == len(want)  # counted: all of them
    whole = search(conn, text, limit=len(want), count=False)
    assert (list(whole.rids), whole.total) == (want, len(want))


def test_the_title_tier_comes_off_the_titles_index(conn: sqlite3.Connection) -> None:
    """The index holds the titles alone: the abstract's phrase is not in it."""
    rid = _rid_of(conn)
    found = {r for (r,) in conn.execute(
        "SELECT rowid FROM titles_fts WHERE titles_fts MATCH '\"sparse graph\"'")}
    assert found == {rid[k] for k in TITLE_BOTH}


def test_without_the_titles_index_the_answers_are_the_same(store: Path) -> None:
    """A store of schema v8 opened as it is (read-only, not upgraded) has no titles
    index: the title tier is then a column filter in papers_fts, with the same rows."""
    asked = [(text, limit) for text, _ in ORDERS for limit in (3, 6, None)]
    with sqlite3.connect(store) as conn:
        before = [list(search(conn, text, limit=limit).rids) for text, limit in asked]
        conn.execute("DROP TABLE titles_fts")
        conn.execute("PRAGMA user_version = 8")
        after = [list(search(conn, text, limit=limit).rids) for text, limit in asked]
    assert after == before


def test_an_upgraded_v8_store_gets_the_titles_index(store: Path) -> None:
    from paperdesk.store import connect

    with sqlite3.connect(store) as conn:
        without_author_sort(conn)  # version 15
        conn.execute("DROP TABLE titles_fts")
        conn.execute("PRAGMA user_version = 8")
    upgraded = connect(store)
    try:
        rid = _rid_of(upgraded)
        assert list(search(upgraded, '"sparse graph"', limit=5).rids) == [
            rid[k] for k in (33, 20, 11, 7, 3)]
        assert upgraded.execute("SELECT count(*) FROM titles_fts").fetchone()[0] == ENTRIES
    finally:
        upgraded.close()


def test_an_import_keeps_the_titles_index(store: Path, tmp_path: Path) -> None:
    """The page again without entries 20 and 25, and a new entry dated 1991 with both
    words in its title: its paper joins the title tier in its place, the dropped ones
    leave the index."""
    changed = tmp_path / "changed"
    changed.mkdir()
    kept = [k for k in range(ENTRIES) if k not in (20, 25)]
    extra = ("IRJun 1, 1991\nSparse Graph Kernels Revisited\n\nAda Lovelace\n\n"
             "We study kernels again.\n")
    (changed / "ada.txt").write_text(_page(kept) + "\n" + extra)
    report = import_pages(store, [changed / "ada.txt"])
    assert not report.errors, report.errors
    with sqlite3.connect(store) as conn:
        rid = _rid_of_present(conn)
        new = conn.execute("SELECT rid FROM papers WHERE title = ?",
                           ("Sparse Graph Kernels Revisited",)).fetchone()[0]
        expected = [rid[33], rid[11], rid[7], rid[3], new, rid[39], rid[36], rid[30],
                    rid[27], rid[22], rid[18], rid[14], rid[9], rid[5], rid[2], rid[1]]
        assert list(search(conn, "sparse graph").rids) == expected
        assert list(search(conn, "sparse graph", limit=5).rids) == expected[:5]
        in_index = {r for (r,) in conn.execute(
            "SELECT rowid FROM titles_fts WHERE titles_fts MATCH 'graph'")}
        assert in_index == {rid[k] for k in (33, 11, 7, 3, 30)} | {new}


def _rid_of_present(conn: sqlite3.Connection) -> dict[int, int]:
    rows = {}
    for k in range(ENTRIES):
        row = conn.execute("SELECT rid FROM papers WHERE title LIKE ?",
                           (f"% {_name(k)}",)).fetchone()
        if row is not None:
            rows[k] = row[0]
    return rows


def test_cli_search_and_export_list_the_same_order(store: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`paperdesk search` and `export --query` list every match in the window's order."""
    from paperdesk.cli import main
    from paperdesk.records import paper_id

    text, expected = ORDERS[1]  # sparse graph
    with sqlite3.connect(store) as conn:
        ids_of = dict(conn.execute("SELECT rid, id FROM papers"))
        rid = _rid_of(conn)
    want = [ids_of[rid[k]] for k in expected]
    assert main(["export", "--db", str(store), "--format", "json", "--query", text]) == 0
    exported = [p["id"] for p in json.loads(capsys.readouterr().out)["papers"]]
    assert exported == want
    assert main(["search", text, "--db", str(store), "--limit", "1000"]) == 0
    shown = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert shown == want
    assert want[0] == paper_id(f"Sparse Graph Kernels for {_name(33)}")


@pytest.mark.parametrize(("text", "index"), [
    ('"sparse graph"', "titles_fts"),  # its title tier
    ("title:graph", "titles_fts"),  # its whole match
    ("sparse graph author:lovelace", "papers_fts"),  # a title cannot vouch for an author
])
def test_which_index_reads_the_titles(conn: sqlite3.Connection, text: str, index: str) -> None:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    search(conn, text, limit=3)
    conn.set_trace_callback(None)
    assert any(f"{index} MATCH" in sql for sql in statements)
    if index == "papers_fts":
        assert not any("titles_fts MATCH" in sql for sql in statements)


def test_a_later_search_reads_on_where_the_first_stopped(conn: sqlite3.Connection) -> None:
    """The window's two searches of one query (a first page, then more) share a ReadOn:
    the second reads on below the last rowid the first read, and the title tier, which
    the first read whole (5 titles for a page of 6), is not read again."""
    rid = _rid_of(conn)
    want = [rid[k] for k in ORDERS[0][1]]  # "sparse graph"
    read_on = ReadOn()
    first = search(conn, '"sparse graph"', limit=6, count=False, read_on=read_on)
    assert list(first.rids) == want[:6]
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    second = search(conn, '"sparse graph"', limit=10, read_on=read_on)
    conn.set_trace_callback(None)
    assert (list(second.rids), second.total) == (want[:10], 15)
    scans = [sql for sql in statements if "MATCH" in sql and "ORDER BY" in sql]
    assert scans and all("titles_fts" not in sql for sql in scans)
    # The first read the match's 7 newest rows (entries 39, 36, 33, 27, 22, 20, 18):
    # the second reads on below entry 18's rowid.
    assert all(f"papers_fts.rowid < {rid[18]}" in sql for sql in scans), scans


def test_reading_on_forgets_what_was_read_when_the_store_changed(store: Path,
                                                                 tmp_path: Path) -> None:
    """An import between the two searches (entry 36 dropped from the page) is seen by
    the second: it does not list what the first read before the change."""
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "ada.txt").write_text(_page([k for k in range(ENTRIES) if k != 36]))
    with sqlite3.connect(store) as conn:
        rid = _rid_of(conn)
        read_on = ReadOn()
        first = search(conn, '"sparse graph"', limit=6, count=False, read_on=read_on)
        assert list(first.rids) == [rid[k] for k in (33, 20, 11, 7, 3, 39)]
        report = import_pages(store, [changed / "ada.txt"])
        assert not report.errors, report.errors
        second = search(conn, '"sparse graph"', limit=10, read_on=read_on)
        assert list(second.rids) == [rid[k] for k in (33, 20, 11, 7, 3, 39, 27, 22, 18, 14)]
        assert second.total == 14


@pytest.mark.parametrize(("text", "prefix_phrase"), [('"sparse gra', True),
                                                     ('"sparse grap', True),
                                                     ('"sparse graph', False)])
def test_a_phrase_being_typed_is_read_off_the_prefix_index_or_as_its_phrases(
        conn: sqlite3.Connection, text: str, prefix_phrase: bool) -> None:
    """A last word of 3 or 4 letters (`"sparse gra`) is FTS5's prefix phrase, read off the
    store's prefix index of that length (schema v12); a longer one (`"sparse graph`) is
    the phrases of the indexed words it starts, not FTS5's prefix phrase, which without
    an index of its length merges the postings of every word the prefix starts."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    search(conn, text, limit=3)
    conn.set_trace_callback(None)
    scans = [sql for sql in statements if "MATCH" in sql]
    assert scans and any('"*' in sql for sql in scans) == prefix_phrase, scans
