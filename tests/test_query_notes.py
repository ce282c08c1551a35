"""A query that cannot mean what it says is never silent: an unknown field, a category
no page can show, a range written backwards. The compiled query says what it did
instead, and the note reaches the command line's stderr as every other query note
does (the window's status bar too: tests/test_gui_window.py). And `c++`, whose
symbols the index drops, finds what it says.

Counts by hand on the seeds: `grep -n -i bregman seeds/*` (one paper, 000 line 27);
papers of 2023 and 2024: 17 + 22 = 39 (the years of the seeds' date lines).
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdesk.cli import main
from paperdesk.query import (
    ALL_COLUMNS,
    And,
    Category,
    Not,
    Text,
    UserFilter,
    Verbatim,
    Year,
    compile_query,
)
from paperdesk.search import search

from .conftest import one_page_store

FIELDS = "author, title, abstract, affil, profile, cat, year, code, is, rating, tag, note"


@pytest.mark.parametrize(("text", "root", "note"), [
    ("journal:nature", And((Text("journal"), Text("nature", prefix=True))),
     f'"journal:" is not a field (fields: {FIELDS}); searched the words journal nature '
     "instead"),
    ("foo:bar x", And((Text("foo"), Text("bar"), Text("x", prefix=True))),
     f'"foo:" is not a field (fields: {FIELDS}); searched the words foo bar instead'),
    ('venue:"neural information" x', And((Text("venue"), Text("neural information"),
                                          Text("x", prefix=True))),
     f'"venue:" is not a field (fields: {FIELDS}); searched the words venue '
     '"neural information" instead'),
    ("autor:lian", And((Text("autor"), Text("lian", prefix=True))),
     f'"autor:" is not a field (did you mean author:?; fields: {FIELDS}); searched the '
     "words autor lian instead"),
])
def test_an_unknown_field_is_searched_as_words_and_says_so(text: str, root: object,
                                                            note: str) -> None:
    query = compile_query(text)
    assert query.root == root
    assert query.ignored == (note,)


@pytest.mark.parametrize("text", ["BERT: pre-training", "see https://github.com/x",
                                  "Nd:YAG laser", "Ti:sapphire", "arXiv:2101.00001"])
def test_a_colon_that_is_no_field_is_part_of_the_text(text: str) -> None:
    """A pasted title's heading, a link, a crystal and an identifier hold a colon but
    name no field: no note."""
    assert compile_query(text).ignored == ()


@pytest.mark.parametrize(("text", "root", "note"), [
    ("cat:nonsense", Category(("NONSENSE",)),
     '"cat:nonsense" is not an arXiv category code or name: only papers whose page '
     "shows the code NONSENSE match"),
    ("cat:retreival", Category(("RETREIVAL",)),
     '"cat:retreival" is not an arXiv category code or name (did you mean '
     "cat:retrieval?): only papers whose page shows the code RETREIVAL match"),
    ("cat:9z", Category(()), 'no category matches "cat:9z"'),
])
def test_an_unknown_category_says_so(text: str, root: object, note: str) -> None:
    query = compile_query(text)
    assert query.root == root
    assert query.ignored == (note,)


def test_a_known_category_has_no_note() -> None:
    for text in ("cat:IR", "cat:hep-th", "cat:cond-mat.mes-hall", "cat:retrieval", "cat:GN"):
        assert compile_query(text).ignored == (), text


def test_a_range_of_years_written_backwards_is_read_the_right_way_round() -> None:
    query = compile_query("year:2024..2020")
    assert query.root == Year(2020, 2024)
    assert query.ignored == ('read "year:2024..2020" as year:2020..2024',)


@pytest.mark.parametrize("value", [">5", "<1"])
def test_a_rating_no_paper_can_have_is_ignored_and_says_so(value: str) -> None:
    query = compile_query(f"rating:{value} is:starred")
    assert query.root == UserFilter("starred")
    assert query.ignored == (f'ignored "rating:{value}" (use rating:1 to rating:5, or '
                             "rating:>=4 (also >, <, <=))",)


@pytest.mark.parametrize(("text", "root"), [
    ("c++", And((Text("c++"), Verbatim("c++")))),
    ("f# compiler", And((Text("f#"), Verbatim("f#"), Text("compiler", prefix=True)))),
    ('"c++ templates"', And((Text("c++ templates"), Verbatim("c++")))),
    ("title:c#", And((Text("c#", ("title",)), Verbatim("c#", ("title",))))),
    ("-c++ x", And((Not(And((Text("c++"), Verbatim("c++")))), Text("x", prefix=True)))),
])
def test_a_word_with_symbols_the_index_drops_is_that_word_as_typed_not_a_prefix(
        text: str, root: object) -> None:
    """The index holds `c++` as the word c: the word (never the prefix c), in papers whose
    text holds `c++` itself. Exact: nothing to note."""
    query = compile_query(text)
    assert query.root == root
    assert query.ignored == ()


def test_punctuation_ends_a_word_without_a_note() -> None:
    """A pasted `models,` is the word models (typed to its end), nothing to say; `graph*`
    asks for a prefix; a hyphenated word is the phrase of its parts."""
    assert compile_query("models,").root == Text("models,")
    assert compile_query("graph*").root == Text("graph*", ALL_COLUMNS, prefix=True)
    assert compile_query("x-ray").root == Text("x-ray", ALL_COLUMNS, prefix=True)
    for text in ("models,", "graph*", "x-ray", "state-of-the-art"):
        assert compile_query(text).ignored == (), text


# ---------------------------------------------------------------- on real stores

FIRST_DAY = datetime.date(2010, 1, 4)
# Entry k's abstract; the other entries say "We study kernels on networks." (no word
# starting with c). 0 and 1 mention C++, 2 the letter C alone, 3 and 4 words that c starts.
ABSTRACTS = {
    0: "We implement the solver in C++ for speed.",
    1: "A C++ templates library for kernels.",
    2: "We use type C connectors.",
    3: "A compiler for code generation.",
    4: "Convex clustering with constraints.",
}
ENTRIES = 12


def _entry(k: int) -> str:
    day = FIRST_DAY + datetime.timedelta(days=7 * k)
    abstract = ABSTRACTS.get(k, "We study kernels on networks.")
    return (f"IR{day.strftime('%b')} {day.day}, {day.year}\nNotes number {k}\n\n"
            f"Ada Lovelace, Alan Turing\n\n{abstract}\n")


@pytest.fixture(scope="module")
def symbols_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_page_store(tmp_path_factory.mktemp("symbols"),
                          "Ada Lovelace\n\n" + "\n".join(map(_entry, range(ENTRIES))))


@pytest.fixture
def conn(symbols_db: Path) -> Iterator[sqlite3.Connection]:
    with sqlite3.connect(symbols_db) as conn:
        yield conn


def _entries(conn: sqlite3.Connection, text: str) -> set[int]:
    rids = set(search(conn, text).rids)
    return {int(title.rsplit(" ", 1)[1])
            for rid, title in conn.execute("SELECT rid, title FROM papers") if rid in rids}


def test_c_plus_plus_finds_the_papers_that_say_c_plus_plus(conn: sqlite3.Connection) -> None:
    """`c++` was the prefix c: the compiler and convex papers too (in a store of real
    arXiv pages, 6,468 papers of 7,762, where 3 say C++)."""
    assert _entries(conn, "c++") == {0, 1}  # not 2 (type C), 3 or 4 (compiler, convex)
    assert _entries(conn, "c++ kernels") == {1}
    assert _entries(conn, '"c++ templates"') == {1}
    assert _entries(conn, "-c++ c") == {2, 3, 4}
    assert _entries(conn, "c++ OR compiler") == {0, 1, 3}
    assert search(conn, "c++").ignored == []
    assert _entries(conn, "c") == {0, 1, 2, 3, 4}  # a letter typed: still a prefix


def test_seed_store_answers_follow_the_notes(seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as conn:
        assert search(conn, "divergence:bregman").total == 1  # as `divergence bregman`
        assert search(conn, "year:2024..2023").total == 39
        nonsense = search(conn, "cat:nonsense")
        assert nonsense.total == 0 and nonsense.ignored == [
            '"cat:nonsense" is not an arXiv category code or name: only papers whose page '
            "shows the code NONSENSE match"]


def test_the_command_line_prints_the_notes(seed_db: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    for text, note in (
            ("journal:nature", f'"journal:" is not a field (fields: {FIELDS}); searched '
                               "the words journal nature instead"),
            ("year:2024..2023", 'read "year:2024..2023" as year:2023..2024')):
        assert main(["search", text, "--db", str(seed_db)]) == 0
        err = capsys.readouterr().err
        assert f"paperdesk: {note}\n" in err, err
