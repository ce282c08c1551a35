"""`author:` finds people by the one rule for names (records.name_pieces), as the author
list's filter does: initials (`j. lian`), accents (`kocak`), particles, hyphens, one
word, several in the name's order, never two names of one paper. Expected papers are
written by hand from the page below and the seeds."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paperdesk import people_list
from paperdesk import query as q
from paperdesk.search import people as search_people
from paperdesk.search import plans, search
from paperdesk.store import Store

from .conftest import one_page_store
from .test_gui_support import OFFSCREEN_NOISE, open_window, search_for, table_titles
from .test_people_order import page

pytestmark = OFFSCREEN_NOISE

RANKING, HWANG, JULIAN = "Ranking Agents at Scale", "Hwang Alone Here", "Julian Alone There"
ACCENTS, PARTICLES, HYPHENS = "Accented Names Fold", "Particles Stay Words", "Hyphens Split Words"
PAGE = page("Jianxun Lian", [
    (RANKING, "Jianxun Lian, Wei Wang"),
    (HWANG, "Jae Hwang, Lianhui Qin"),
    (JULIAN, "Julian Brooks, Edward Witten"),
    (ACCENTS, "Ş. Koçak, Dieter Lüst, Øyvind Borck"),
    (PARTICLES, "Jan van den Berg, W.-M. Li"),
    (HYPHENS, "Wei-Ming Li, Lina Park"),
])

# (typed after author:, the papers it finds): by hand from PAGE's author lists.
CASES = [
    ('"j. lian"', {RANKING}),  # an initial starts Jianxun; Lianhui Qin has no j-word
    ('"j lian"', {RANKING}),
    ('"e witten"', {JULIAN}),
    ("kocak", {ACCENTS}),  # Koçak, accents folded
    ("lust", {ACCENTS}),  # Lüst
    ("oyvind", {ACCENTS}),  # Ø folds to o, as the list sorts it
    ("wang", {RANKING}),  # Wei Wang, not Jae Hwang
    ("lian", {RANKING, HWANG}),  # Jianxun Lian, Lianhui Qin; not Julian
    ('"van den"', {PARTICLES}),
    ('"jan berg"', {PARTICLES}),  # a word may be skipped, the order kept
    ('"w.-m. li"', {PARTICLES, HYPHENS}),  # W.-M. Li and Wei-Ming Li
    ('"wei-ming li"', {HYPHENS}),
    ("li", {RANKING, HWANG, PARTICLES, HYPHENS}),  # Lian, Lianhui, Li (twice), Lina
    ('"li "', {PARTICLES, HYPHENS}),  # a space after it: the whole word Li
    ("j", {RANKING, HWANG, JULIAN, PARTICLES}),  # Jianxun, Jae, Julian, Jan
    ('"lian jianxun"', set()),  # another order: not Jianxun Lian
    ('"wang jianxun"', set()),  # two names of one paper are not one name
    ('"wei wang"', {RANKING}),
    # initials alone: each letter starts a word of one name, in order
    ('"j l"', {RANKING}),  # Jianxun Lian; Jae Hwang and Lianhui Qin are two names
    ('"w m l"', {PARTICLES, HYPHENS}),  # W.-M. Li, Wei-Ming Li; not Wei Wang
    ('"v d b"', {PARTICLES}),  # Jan van den Berg
    ('"s k"', {ACCENTS}),  # Ş. Koçak, accents folded
    ("q", {HWANG}),  # Lianhui Qin
    ('"l j"', set()),  # another order
    ('"x y"', set()),  # no word starts with x
]


@pytest.fixture(scope="module")
def names_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_page_store(tmp_path_factory.mktemp("names"), PAGE)


@pytest.fixture
def conn(names_db: Path) -> Iterator[sqlite3.Connection]:
    with Store(names_db) as store:
        yield store.conn


def titles(conn: sqlite3.Connection, text: str) -> list[str]:
    return [conn.execute("SELECT title FROM papers WHERE rid = ?", (rid,)).fetchone()[0]
            for rid in search(conn, text).rids]


def listed_papers(store: Store, text: str) -> set[str]:
    """The papers of the people the author list's filter finds for `text`."""
    ords = [o for chunk in people_list.people_matching(store, text, 100) for o in chunk]
    keys = [p.key for p in people_list.people_at(store, ords).values()]
    return {title for (title,) in store.conn.execute(
        "SELECT DISTINCT p.title FROM papers p JOIN paper_authors pa ON pa.paper = p.rid"
        " WHERE pa.person IN (SELECT value FROM json_each(?))", (json.dumps(keys),))}


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_author_finds_names_by_the_one_rule(conn: sqlite3.Connection, typed: str,
                                            expected: set[str]) -> None:
    found = titles(conn, f"author:{typed}")
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_author_agrees_with_the_author_lists_filter(names_db: Path, typed: str,
                                                   expected: set[str]) -> None:
    with Store(names_db) as store:
        assert listed_papers(store, typed.strip('"')) == expected


@pytest.mark.parametrize(("typed", "first"), [("j", 2), ("j", 1), ("j l", 1), ("li", 2)])
def test_the_lists_filter_comes_in_list_order_page_after_page(
        names_db: Path, typed: str, first: int) -> None:
    """The first page, then the rest: each person once, in the list's order (papers,
    then family name), whatever index SQLite could read the words off."""
    expected = {"j": ["Jan van den Berg", "Julian Brooks", "Jae Hwang", "Jianxun Lian"],
                "j l": ["Jianxun Lian"],
                "li": ["W.-M. Li", "Wei-Ming Li", "Jianxun Lian", "Lina Park", "Lianhui Qin"]}
    with Store(names_db) as store:
        chunks = list(people_list.people_matching(store, typed, first))
        ords = [o for chunk in chunks for o in chunk]
        people = people_list.people_at(store, ords)
        assert [people[o].name for o in ords] == expected[typed]
        assert len(chunks[0]) == min(first, len(expected[typed]))


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_each_paper_tested_finds_the_same(conn: sqlite3.Connection, typed: str,
                                          expected: set[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The form for names too common to list their people (each paper's people tested,
    search.people.FEW_PAPERS) finds what the listed people's papers are."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", 0)
    assert sorted(titles(conn, f"author:{typed}")) == sorted(expected)


def test_author_keeps_its_place_among_words_and_exclusions(conn: sqlite3.Connection) -> None:
    # newest first: PAGE's entries are dated Jun 1..6, 2024 in order
    assert titles(conn, "author:li") == [HYPHENS, PARTICLES, HWANG, RANKING]
    assert titles(conn, 'author:li -author:"li "') == [HWANG, RANKING]
    assert titles(conn, "scale author:j") == [RANKING]
    assert titles(conn, "author:wang OR author:kocak") == [ACCENTS, RANKING]


def traced(conn: sqlite3.Connection, text: str, limit: int | None = None, count: bool = True,
           ) -> tuple[list[str], list[str], int | None]:
    """The statements `text`'s search ran, the titles it shows and its total."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        result = search(conn, text, limit=limit, count=count)
    finally:
        conn.set_trace_callback(None)
    shown = [conn.execute("SELECT title FROM papers WHERE rid = ?", (rid,)).fetchone()[0]
             for rid in result.rids]
    return statements, shown, result.total


def test_listed_people_are_read_once_off_the_person_index(conn: sqlite3.Connection) -> None:
    """An `author:` whose people are listed (plans._keyed) reads their papers in one
    statement off the person index, and its total is that list's length: no count, no
    walk of the date index after. Its rowids follow the date, so no paper is looked up
    for its order; with another condition each is looked up by its rowid (SEARCH,
    never a SCAN of the papers)."""
    statements, shown, total = traced(conn, "author:li", limit=2)
    assert [sql for sql in statements if "papers p" in sql] == []
    assert len([sql for sql in statements if "paper_authors" in sql]) == 1
    assert (shown, total) == ([HYPHENS, PARTICLES], 4)  # as the test above's
    statements, shown, total = traced(conn, "author:li -author:j", limit=2)
    reads = [sql for sql in statements if "papers p" in sql]
    assert len(reads) == 1
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + reads[0])]
    assert [d for d in plan if d.startswith(("SCAN p", "SEARCH p "))] == [
        "SEARCH p USING COVERING INDEX papers_row (rid=?)"]
    assert (shown, total) == ([HYPHENS], 1)  # Jan van den Berg co-wrote PARTICLES


def test_initials_alone_are_found_off_the_trigram_index(conn: sqlite3.Connection) -> None:
    """One-letter words (`author:"j. l`, typed on the way to a name) find their people
    through the trigram index's posting lists, not by testing every name of the list
    (110 ms at 438,000 people)."""
    statements, shown, total = traced(conn, 'author:"w m l"')
    people = [sql for sql in statements
              if "people_list" in sql and "MATCH" in sql and not sql.startswith("--")]
    assert len(people) == 1
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + people[0])]
    assert not [d for d in plan if d.startswith("SCAN") and "VIRTUAL TABLE" not in d]
    assert (shown, total) == ([HYPHENS, PARTICLES], 2)


def test_the_lists_filter_finds_initials_off_the_trigram_index(names_db: Path) -> None:
    """The author list's filter reads initials alone (`w m l`) the same way: one
    statement off the index, no walk of the list (0.3-0.8 s at 2,139,700 people)."""
    statements: list[str] = []
    with Store(names_db) as store:
        store.conn.set_trace_callback(statements.append)
        ords = [o for chunk in people_list.people_matching(store, "w m l", 1) for o in chunk]
        store.conn.set_trace_callback(None)
        people = people_list.people_at(store, ords)
        reads = [sql for sql in statements if "people_list" in sql and not sql.startswith("--")
                 and "people_list_grams" not in sql]
        assert len(reads) == 1
        plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + reads[0])]
    assert not [d for d in plan if d.startswith("SCAN") and "VIRTUAL TABLE" not in d]
    assert [people[o].name for o in ords] == ["W.-M. Li", "Wei-Ming Li"]


def test_a_name_too_common_to_list_tests_each_paper_once(
        conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the walk newest first (plans.WALK_ROWS papers) does not fill the page, the
    rest is found below the papers it walked: no paper's people are tested twice
    (`author:x`: 4,000 papers walked in 130 ms, then walked again)."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", 0)
    monkeypatch.setattr(plans, "WALK_ROWS", 2)
    tested: Counter[str] = Counter()

    def like(pattern: str, name: str, escape: str) -> bool:  # `author:`'s test (ESCAPE)
        tested[name] += 1
        assert escape == "\\" and not set(pattern) & set("_\\")
        return re.fullmatch(".*".join(map(re.escape, pattern.split("%"))), name,
                            re.IGNORECASE) is not None

    conn.create_function("like", 3, like)
    _, shown, _ = traced(conn, "author:li", limit=3, count=False)  # a count tests them all
    assert shown == [HYPHENS, PARTICLES, HWANG]
    assert tested and max(tested.values()) == 1, tested


def test_each_paper_tested_reads_its_names_as_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name on too many papers to list (`author:li` at a million papers) is tested on
    each paper's names as written, one range of `paper_authors` a paper; only a name
    with letters beyond ASCII is looked up in the list of people by key (version 17
    looked every name up). A store of version 17 gets its key index back without the
    words when opened."""
    db = one_page_store(tmp_path, PAGE)
    with sqlite3.connect(db) as old:  # as version 17 left it
        old.execute("DROP INDEX people_list_key")
        old.execute("CREATE INDEX people_list_key ON people_list(key, words)")
        old.execute("PRAGMA user_version = 17")
    monkeypatch.setattr(search_people, "FEW_PAPERS", 0)
    seen: list[str] = []

    def like(pattern: str, text: str, escape: str) -> bool:  # both of the test's LIKEs
        seen.append(text)
        return re.fullmatch(".*".join(map(re.escape, pattern.split("%"))), text,
                            re.IGNORECASE | re.DOTALL) is not None

    with Store(db) as store:  # opening upgrades it
        columns = [row[2] for row in store.conn.execute("PRAGMA index_info(people_list_key)")]
        store.conn.create_function("like", 3, like)
        statements, shown, total = traced(store.conn, "author:li")
        tests = [sql for sql in statements if "GLOB" in sql]
        plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + tests[0])]
    assert "SEARCH pa USING PRIMARY KEY (paper=?)" in plan
    assert columns == ["key"]
    assert (shown, total) == ([HYPHENS, PARTICLES, HWANG, RANKING], 4)
    # the list's words (a space first) of the three names beyond ASCII only, once each
    assert sorted(text for text in seen if text.startswith(" ")) == [
        " dieter lust ", " oyvind borck ", " s kocak "]


APOSTROPHE, PERIOD, BEYOND, SHARP, PLAIN = (
    "Apostrophes Part Words", "Periods Part Words", "Letters Beyond Ascii", "Sharp S Folds",
    "Plain Names Here")
MARKS_PAGE = page("Ana Ruiz", [
    (APOSTROPHE, "Sean O'Neil, Ana Ruiz"),
    (PERIOD, "J.Wang, Ana Ruiz"),
    (BEYOND, "Łukasz Nowicki, Ærin Dahl"),
    (SHARP, "Hans Groß, Ana Ruiz"),
    (PLAIN, "Lia Mo, Ana Ruiz"),
])
# (typed after author:, the papers it finds): by hand from MARKS_PAGE's author lists.
MARKS_CASES = [
    ("neil", {APOSTROPHE}),  # an apostrophe starts a word, as in the author list
    ('"o neil"', {APOSTROPHE}),
    ("oneil", set()),
    ("wang", {PERIOD}),  # J.Wang: a period too
    ('"j wang"', {PERIOD}),
    ("lukasz", {BEYOND}),  # Ł folds to l
    ("l", {BEYOND, PLAIN}),  # Łukasz, Lia; not Dahl or O'Neil
    ("aerin", {BEYOND}),  # Æ folds to two letters
    ("gross", {SHARP}),  # ß too
    ("groß", {SHARP}),
    ('"ruiz "', {APOSTROPHE, PERIOD, SHARP, PLAIN}),  # the whole word
    ('"ru "', set()),
    ('"sean ruiz"', set()),  # two names of one paper
    ("l*", set()),  # what LIKE and GLOB read as patterns is a letter typed
    ("l?", set()),
    ('"l["', set()),
    ("l%", set()),
    ("l_", set()),
]


@pytest.fixture(scope="module")
def marks_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_page_store(tmp_path_factory.mktemp("marks"), MARKS_PAGE)


@pytest.mark.parametrize("few", [search_people.FEW_PAPERS, 0])
@pytest.mark.parametrize(("typed", "expected"), MARKS_CASES)
def test_names_as_written_find_what_the_list_finds(
        marks_db: Path, typed: str, expected: set[str], few: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Marks that part words, letters beyond ASCII and the pattern languages' own signs,
    alike whether the people are listed or each paper's names are tested (FEW_PAPERS 0)."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", few)
    with Store(marks_db) as store:
        assert sorted(titles(store.conn, f"author:{typed}")) == sorted(expected)


def naming_alone(conn: sqlite3.Connection, typed: str) -> list[str]:
    """The papers search.people.NAMING finds for `author:{typed}` by itself: every paper's
    names tested, whatever the list of people finds (there the search would stop at no
    one found, before NAMING)."""
    node = q.compile_query(f"author:{typed}").root
    assert isinstance(node, q.Author)
    return sorted(title for (title,) in conn.execute(
        f"SELECT p.title FROM papers p WHERE {search_people.NAMING}",
        search_people.naming_params(node.pieces)))


@pytest.mark.parametrize(("typed", "expected"), MARKS_CASES)
def test_each_papers_names_alone_find_what_the_list_finds(
        marks_db: Path, typed: str, expected: set[str]) -> None:
    with Store(marks_db) as store:
        assert naming_alone(store.conn, typed) == sorted(expected)


def test_signs_of_like_and_glob_in_a_name_are_letters(tmp_path: Path) -> None:
    """A name holding `*`, `?` or `[` (pages refuse such names; written here in SQL) is
    tested with them as letters: `l*` starts a word of `L*ra Moe`, not of `Al* Lee`,
    whose `Lee` an unescaped GLOB would take for it; `l?` starts no word of `Al? Lo`;
    `l[` starts `L[ee`."""
    db = one_page_store(tmp_path, MARKS_PAGE)
    with sqlite3.connect(db) as conn:
        for old, new in (("Lia Mo", "Al* Lee"), ("Hans Groß", "L*ra Moe"),
                         ("Sean O'Neil", "Al? Lo"), ("J.Wang", "L[ee Moss")):
            conn.execute("UPDATE paper_authors SET name = ? WHERE name = ?", (new, old))
    with Store(db) as store:
        found = {typed: naming_alone(store.conn, typed)
                 for typed in ("l*", "al*", "l?", '"l["', '"al?"')}
    assert found == {"l*": [SHARP], "al*": [PLAIN], "l?": [], '"l["': [PERIOD],
                     '"al?"': [APOSTROPHE]}


@pytest.mark.parametrize("few", [search_people.FEW_PAPERS, 0])
def test_two_forms_of_one_key_that_fold_apart_are_the_shown_names_words(
        tmp_path: Path, few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Ωᾳδης` and `ΩΑΙΔΗΣ` are one person key (casefold reads the iota below as a
    letter) but fold to other letters (anyascii: `oadis`, `oaidis`): a name beyond ASCII
    is matched by the shown name's words, the form written on two papers of three."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", few)
    db = one_page_store(tmp_path, page("Ann Roe", [("Paper One", "Nikos Ωᾳδης, Ann Roe"),
                                                   ("Paper Two", "Nikos Ωᾳδης, Ann Roe"),
                                                   ("Paper Three", "Nikos ΩΑΙΔΗΣ, Ann Roe")]))
    with Store(db) as store:
        assert sorted(titles(store.conn, "author:oadis")) == [
            "Paper One", "Paper Three", "Paper Two"]
        assert titles(store.conn, "author:oaidis") == []


def test_initials_find_the_seed_author(seed_db: Path) -> None:
    """Jianxun Lian is on 32 seed papers (test_search's counts), the only j-lian."""
    with Store(seed_db) as store:
        for typed in ('author:"j. lian"', 'author:"j lian"', 'author:"J. Lian"'):
            assert len(search(store.conn, typed).rids) == 32


def test_the_search_box_finds_an_initial(qtbot: QtBot, names_db: Path,
                                         tmp_path: Path) -> None:
    window = open_window(qtbot, names_db, tmp_path / "notes.db")
    search_for(qtbot, window, 'author:"e witten"')
    assert table_titles(window) == [JULIAN]
