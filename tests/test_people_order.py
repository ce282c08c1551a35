# ruff: noqa: RUF001  (Turkish names hold a dotless i on purpose)
"""The author list's order kept a few people at a time (paperdesk.people_order): after
an import, a decision and a correction, `people_list` holds the same rows in the same
order as a full rewrite would, its trigram index finds the same names, and ranks are
the list's positions. Expected lists are written by hand from the pages below."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest

from paperdesk import people_list, people_order, schema
from paperdesk.corrections import correct
from paperdesk.identity.apply import reapply
from paperdesk.identity.desk import decide, undo
from paperdesk.importer import import_pages
from paperdesk.records import NAME_WORDS_SQL, name_order, name_words, paper_id
from paperdesk.store import Store, build_store, find_profiles

from .conftest import as_version_12, without_author_sort, without_words


def page(owner: str, entries: list[tuple[str, str]]) -> str:
    """A profile page in the seed format: each entry a (title, authors) pair."""
    body = "".join(f"CLJun {i + 1}, 2024\n{title}\n\n{authors}\n\nAbout {title.lower()}.\n\n"
                   for i, (title, authors) in enumerate(entries))
    return (f"{owner}\n\nCL\nh-index3\n{len(entries)}papers\n12citations\nNovelty70%\n"
            f"AI Score41\n\n{len(entries)} Papers\n\n{body}")


PAGE_A = page("Ada Quorvian", [("Glued Lines", "Ada Quorvian, Bo Zhang"),
                               ("Seams in Text", "Ada Quorvian, Bo Zhang, Cy Ames"),
                               ("Tiny Towers", "Ada Quorvian, Dee Ohm")])
PAGE_B = page("Eve Tarn", [("Cold Starts", "Eve Tarn, Bo Zhang"),
                           ("Warm Starts", "Eve Tarn, Fay Lum")])
# B changed: "Warm Starts" gone, two papers new
PAGE_B2 = page("Eve Tarn", [("Cold Starts", "Eve Tarn, Bo Zhang"),
                            ("Hot Starts", "Eve Tarn, Cy Ames, Abe Zed"),
                            ("Late Starts", "Eve Tarn, B. Zhang")])


def listed(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT name, papers FROM people_list ORDER BY ord")]


def rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    """The list's rows in order, and what its trigram index finds (which agrees with
    the list: FTS5's own check raises if not)."""
    conn.execute("INSERT INTO people_list_trigram (people_list_trigram) VALUES ('integrity-check')")
    conn.commit()  # it changes nothing: no transaction left open
    found = conn.execute("SELECT words FROM people_list_trigram WHERE words LIKE '% a%'"
                         " ORDER BY rowid").fetchall()
    buckets = conn.execute("SELECT total(n) FROM people_list_buckets").fetchone()[0]
    return [*conn.execute("SELECT key, name, papers, profile FROM people_list ORDER BY ord"),
            ("trigram", *found), ("buckets", buckets)]


def rewritten(db: Path, tmp_path: Path) -> list[tuple[object, ...]]:
    """The same store's list as a full rewrite makes it."""
    copy = tmp_path / "rewritten.sqlite"
    shutil.copyfile(db, copy)
    with sqlite3.connect(copy) as conn:
        schema.refresh_people_list(conn)
        return rows(conn)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (folder / "b.txt").write_text(PAGE_B, encoding="utf-8")
    db = tmp_path / "small.sqlite"
    build_store([folder], db)
    return db


def test_import_decision_and_correction_keep_the_list_as_a_rewrite_would(
        small: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    with sqlite3.connect(small) as conn:
        # by hand: most papers first, then by family name (Ames, Lum, Ohm)
        assert listed(conn) == [("Ada Quorvian", 3), ("Bo Zhang", 3), ("Eve Tarn", 2),
                                ("Cy Ames", 1), ("Fay Lum", 1), ("Dee Ohm", 1)]
    (tmp_path / "pages" / "b.txt").write_text(PAGE_B2, encoding="utf-8")
    import_pages(small, [tmp_path / "pages" / "b.txt"], userdata_path=notes)
    with sqlite3.connect(small) as conn:  # Eve up to 3, Cy to 2, Fay gone, two new
        assert listed(conn) == [("Ada Quorvian", 3), ("Eve Tarn", 3), ("Bo Zhang", 3),
                                ("Cy Ames", 2), ("Dee Ohm", 1), ("Abe Zed", 1),
                                ("B. Zhang", 1)]
    assert rows(sqlite3.connect(small)) == rewritten(small, tmp_path)
    decide(small, notes, "merge", {"keys": ["b. zhang"], "into": "bo zhang"})
    with sqlite3.connect(small) as conn:
        assert listed(conn) == [("Bo Zhang", 4), ("Ada Quorvian", 3), ("Eve Tarn", 3),
                                ("Cy Ames", 2), ("Dee Ohm", 1), ("Abe Zed", 1)]
    assert rows(sqlite3.connect(small)) == rewritten(small, tmp_path)
    correct(small, paper_id("Tiny Towers"), authors=["Ada Quorvian", "Dee Ohm", "Abe Zed"],
            userdata_path=notes)
    with sqlite3.connect(small) as conn:
        assert listed(conn) == [("Bo Zhang", 4), ("Ada Quorvian", 3), ("Eve Tarn", 3),
                                ("Cy Ames", 2), ("Abe Zed", 2), ("Dee Ohm", 1)]
    assert rows(sqlite3.connect(small)) == rewritten(small, tmp_path)
    undo(small, notes)  # the last decision: the merge (a correction is not a decision)
    with Store(small) as store:
        assert [(r, p.name, p.papers) for r, p in sorted(people_list.people_ranked(
            store, range(1, 8)).items())] == [
            (1, "Ada Quorvian", 3), (2, "Eve Tarn", 3), (3, "Bo Zhang", 3),
            (4, "Cy Ames", 2), (5, "Abe Zed", 2), (6, "Dee Ohm", 1), (7, "B. Zhang", 1)]
        assert people_list.rank_of(store, "b. zhang") == 7
        assert people_list.people_total(store) == 7
    assert rows(sqlite3.connect(small)) == rewritten(small, tmp_path)


def test_a_merge_named_by_its_fullest_form_moves_in_the_list_by_that_name(
        tmp_path: Path) -> None:
    """`B. Zhang` (2 papers) merged with `Bo Zhang` (1) is shown as `Bo Zhang`: after
    `Bea Zhang`, who has as many papers, where `B. Zhang` came before her (`zhang b.`,
    `zhang bea`, `zhang bo`: a full stop sorts before letters)."""
    folder, db, notes = tmp_path / "pages", tmp_path / "zhang.sqlite", tmp_path / "n.db"
    folder.mkdir()
    (folder / "a.txt").write_text(page("Ada Quorvian", [
        ("Glued Lines", "Ada Quorvian, B. Zhang, Bea Zhang"),
        ("Seams in Text", "Ada Quorvian, B. Zhang, Bea Zhang"),
        ("Tiny Towers", "Ada Quorvian, Bo Zhang, Bea Zhang")]), encoding="utf-8")
    build_store([folder], db)
    decide(db, notes, "merge", {"keys": ["bo zhang"], "into": "b. zhang"})
    with sqlite3.connect(db) as conn:
        assert listed(conn) == [("Ada Quorvian", 3), ("Bea Zhang", 3), ("Bo Zhang", 3)]
    assert rows(sqlite3.connect(db)) == rewritten(db, tmp_path)
    (folder / "b.txt").write_text(page("Eve Tarn", [("Cold Starts", "Eve Tarn, B. Zhang")]),
                                  encoding="utf-8")
    import_pages(db, [folder / "b.txt"], userdata_path=notes)
    reapply(db, notes)  # as `paperdesk import` and the window's import do
    with sqlite3.connect(db) as conn:
        assert listed(conn) == [("Bo Zhang", 4), ("Ada Quorvian", 3), ("Bea Zhang", 3),
                                ("Eve Tarn", 1)]
    assert rows(sqlite3.connect(db)) == rewritten(db, tmp_path)
    undo(db, notes)
    with sqlite3.connect(db) as conn:
        assert listed(conn) == [("Ada Quorvian", 3), ("B. Zhang", 3), ("Bea Zhang", 3),
                                ("Eve Tarn", 1), ("Bo Zhang", 1)]
    assert rows(sqlite3.connect(db)) == rewritten(db, tmp_path)


def test_a_used_up_gap_spreads_its_neighbours(small: Path, tmp_path: Path) -> None:
    """Names that all sort into one gap (each just before the one put in last) use it
    up after 24 halvings; the list then respreads a window and stays in order."""
    names = [f"Cy Ames{'z' * (40 - i)}" for i in range(40)]  # each sorts before the last
    with sqlite3.connect(small) as conn:
        for name in names:
            key = name.lower()
            conn.execute("INSERT INTO people (key, name, papers) VALUES (?, ?, 1)",
                         (key, name))
            schema.refresh_people_list(conn, [key])
        conn.commit()
        ords = [r[0] for r in conn.execute("SELECT ord FROM people_list ORDER BY ord")]
        assert min(b - a for a, b in itertools.pairwise(ords)) >= 2
        assert rows(conn) == rewritten(small, tmp_path)
        # by hand: the six of the pages, the forty between Cy Ames and Fay Lum
        assert [n for n, _ in listed(conn)] == [
            "Ada Quorvian", "Bo Zhang", "Eve Tarn", "Cy Ames", *reversed(names),
            "Fay Lum", "Dee Ohm"]


def test_ranks_cross_buckets(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                             ) -> None:
    """A page of ranks read across several buckets of ords (one row per bucket here)."""
    monkeypatch.setattr(people_order, "BUCKET_SHIFT", 24)
    monkeypatch.setattr(people_list, "BUCKET_SHIFT", 24)
    with sqlite3.connect(small) as conn:
        schema.refresh_people_list(conn)
        assert conn.execute("SELECT count(*) FROM people_list_buckets").fetchone()[0] == 6
    with Store(small) as store:
        got = people_list.people_ranked(store, [2, 3, 4, 6])
        assert {r: p.name for r, p in got.items()} == {
            2: "Bo Zhang", 3: "Eve Tarn", 4: "Cy Ames", 6: "Dee Ohm"}
        assert people_list.rank_of(store, "dee ohm") == 6


def test_a_filter_past_its_first_page_comes_in_list_order(small: Path) -> None:
    """The rest of a filter's answer (after its first page) comes packed as hex and is
    unpacked in C: the same ords, in list order. By hand from the pages: the names
    with a word starting with `a` are Ada Quorvian and Cy Ames (Bo Zhang, Eve Tarn
    and Fay Lum have an `a` inside a word only); with `ame`: Cy Ames."""
    with Store(small) as store:
        ords = [o for chunk in people_list.people_matching(store, "a", 1) for o in chunk]
        names = {r: p.name for r, p in people_list.people_at(store, ords).items()}
        trigram = [o for chunk in people_list.people_matching(store, "ame", 1) for o in chunk]
    assert ords == sorted(ords) and [names[o] for o in ords] == ["Ada Quorvian", "Cy Ames"]
    assert [names[o] for o in trigram] == ["Cy Ames"]


def matching(store: Store, text: str) -> list[str]:
    ords = [o for chunk in people_list.people_matching(store, text, 2) for o in chunk]
    return [p.name for _, p in sorted(people_list.people_at(store, ords).items())]


def test_a_filter_finds_the_start_of_a_names_words(small: Path) -> None:
    """`author:` reads a name so (query.py): a word typed finds the words it starts.
    Every expectation by hand from the pages' names."""
    with Store(small) as store:
        assert matching(store, "ang") == []  # inside Bo Zhang's `Zhang` only
        assert matching(store, "zha") == matching(store, "ZHANG") == ["Bo Zhang"]
        assert matching(store, "bo zh") == ["Bo Zhang"]  # two words, in the name's order
        assert matching(store, "zhang bo") == []
        assert matching(store, "rv") == matching(store, "orvian") == []  # both walks
        assert matching(store, "quorvian") == ["Ada Quorvian"]
        assert matching(store, "ta") == ["Eve Tarn"]  # two letters: the list walked
        assert matching(store, "a%") == []  # % is a letter, not a wildcard
        # each word starts a word, the next further on: initials find given names
        assert matching(store, "b. zh") == matching(store, "b zhang") == ["Bo Zhang"]
        assert matching(store, "c a") == ["Cy Ames"]
        assert matching(store, "a c") == []


def test_a_filter_folds_accents_and_case_as_the_list_sorts(accented: Path) -> None:
    with Store(accented) as store:
        assert matching(store, "kocak") == matching(store, "KOÇ") == ["Ş. Koçak"]
        assert matching(store, "senturk") == ["Çetin Şentürk"]
        assert matching(store, "cetin s") == ["Çetin Şentürk"]
        assert matching(store, "alv") == ["Álvaro Pelayo"]
        assert matching(store, "oyvind") == ["Øyvind Borck"]
        assert matching(store, "acik") == ["Ö. Açık"]
        assert matching(store, "o") == ["Ö. Açık", "Øyvind Borck", "Oscar Lind"]
        assert matching(store, "berg") == ["Anna Berg", "carl Berg"]
        assert matching(store, "berg ") == ["Anna Berg", "carl Berg"]  # a whole word


def test_a_space_after_a_word_asks_for_the_whole_word(small: Path) -> None:
    with Store(small) as store:
        assert matching(store, "am") == ["Cy Ames"]
        assert matching(store, "am ") == []
        assert matching(store, "ames ") == ["Cy Ames"]
        assert matching(store, "cy ") == ["Cy Ames"]


# Names whose first letter is accented, or not a letter of A-Z: SQLite's NOCASE folds
# A-Z alone, and sorted them all after Z.
PAGE_Z = page("Zvonimir Hlousek", [
    ("Alpha Paths", "Zvonimir Hlousek, Álvaro Pelayo, Anna Berg"),
    ("Beta Paths", "Zvonimir Hlousek, Çetin Şentürk, Ö. Açık"),
    ("Gamma Paths", "Zvonimir Hlousek, Øyvind Borck, Ş. Koçak, Oscar Lind"),
    ("Delta Paths", "Zvonimir Hlousek, Sara Kim, Zoe Adams, carl Berg")])
PAGE_E = page("Élodie Martin", [("Epsilon Paths", "Élodie Martin, Ana Ruiz"),
                                ("Zeta Paths", "Élodie Martin, Ümit Yıldız")])
# By hand: the owners by their counts, then one paper each, by family name, then given
# names, accents and case folded (Acik, Adams, Berg Anna, Berg carl, Borck, Kim, Koçak).
ONE_PAPER_Z = ["Ö. Açık", "Zoe Adams", "Anna Berg", "carl Berg", "Øyvind Borck", "Sara Kim",
               "Ş. Koçak", "Oscar Lind", "Álvaro Pelayo", "Çetin Şentürk"]
ONE_PAPER_BOTH = ["Ö. Açık", "Zoe Adams", "Anna Berg", "carl Berg", "Øyvind Borck",
                  "Sara Kim", "Ş. Koçak", "Oscar Lind", "Álvaro Pelayo", "Ana Ruiz",
                  "Çetin Şentürk", "Ümit Yıldız"]


@pytest.fixture
def accented(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "z.txt").write_text(PAGE_Z, encoding="utf-8")
    db = tmp_path / "accented.sqlite"
    assert build_store([folder], db).complete
    return db


def test_accented_names_sort_with_their_letters_after_a_build_and_an_import(
        accented: Path, tmp_path: Path) -> None:
    with sqlite3.connect(accented) as conn:
        assert [n for n, _ in listed(conn)] == ["Zvonimir Hlousek", *ONE_PAPER_Z]
    (tmp_path / "pages" / "e.txt").write_text(PAGE_E, encoding="utf-8")
    import_pages(accented, [tmp_path / "pages" / "e.txt"], userdata_path=tmp_path / "n.db")
    with Store(accented) as store:  # the new people put in place, a few at a time
        assert [p.name for _, p in sorted(people_list.people_ranked(
            store, range(1, 15)).items())] == ["Zvonimir Hlousek", "Élodie Martin",
                                               *ONE_PAPER_BOTH]
        # the profiles by name too, family name first: Hlousek before Martin
        ids = people_list.profile_ids(store, "")
        profiles = people_list.profiles_by_id(store, ids)
        assert [profiles[i].name for i in ids] == ["Zvonimir Hlousek", "Élodie Martin"]
    assert rows(sqlite3.connect(accented)) == rewritten(accented, tmp_path)


def test_the_profiles_order_follows_a_name_changed_by_another_connection(
        accented: Path, tmp_path: Path) -> None:
    """The profiles' order is kept between filters typed, read again once the store
    changed (an owner named in the window writes on another connection)."""
    (tmp_path / "pages" / "e.txt").write_text(PAGE_E, encoding="utf-8")
    import_pages(accented, [tmp_path / "pages" / "e.txt"], userdata_path=tmp_path / "n.db")
    with Store(accented) as store:
        ids = people_list.profile_ids(store, "")
        names = people_list.profiles_by_id(store, ids)
        assert [names[i].name for i in ids] == ["Zvonimir Hlousek", "Élodie Martin"]
        assert list(people_list.profile_ids(store, "zvon")) == [ids[0]]
        with sqlite3.connect(accented) as other:  # Zold: after Martin
            other.execute("UPDATE profiles SET name = 'Ábel Zold' WHERE id = ?", (ids[0],))
        assert list(people_list.profile_ids(store, "")) == [ids[1], ids[0]]
        assert list(people_list.profile_ids(store, "zvon")) == []  # its name as it is now
        assert list(people_list.profile_ids(store, "abel z")) == [ids[0]]


def test_the_people_command_lists_people_in_the_lists_order(
        accented: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from paperdesk.cli import main

    assert main(["people", "list", "--csv", "--db", str(accented),
                 "--userdata", str(tmp_path / "n.db")]) == 0
    names = [line.split(",", 1)[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names == ["Zvonimir Hlousek", *ONE_PAPER_Z]


def test_the_command_line_finds_people_and_profiles_as_the_list_does(
        accented: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from paperdesk.cli import main

    (tmp_path / "pages" / "e.txt").write_text(PAGE_E, encoding="utf-8")
    import_pages(accented, [tmp_path / "pages" / "e.txt"], userdata_path=tmp_path / "n.db")
    with Store(accented) as store:
        assert [p.name for p in store.profiles("elodie m")] == ["Élodie Martin"]
        assert [p.name for p in store.profiles("lodie")] == []
        assert [p.name for p in find_profiles(store, ["martin"])] == ["Élodie Martin"]
    assert main(["people", "list", "kocak", "--csv", "--db", str(accented),
                 "--userdata", str(tmp_path / "n.db")]) == 0
    names = [line.split(",", 1)[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names == ["Ş. Koçak"]
    assert main(["people", "list", "o", "--csv", "--db", str(accented),
                 "--userdata", str(tmp_path / "n.db")]) == 0
    names = [line.split(",", 1)[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names == ["Ö. Açık", "Øyvind Borck", "Oscar Lind"]


def test_a_version_12_store_is_put_in_the_new_order_on_open(accented: Path) -> None:
    as_version_12(accented)
    with sqlite3.connect(accented) as conn:  # as version 12 left it: accents after Z
        assert [n for n, _ in listed(conn)] == [
            "Zvonimir Hlousek", "Anna Berg", "carl Berg", "Oscar Lind", "Sara Kim",
            "Zoe Adams", "Álvaro Pelayo", "Çetin Şentürk", "Ö. Açık", "Øyvind Borck",
            "Ş. Koçak"]
    with Store(accented) as store:  # opening upgrades it
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        assert [p.name for _, p in sorted(people_list.people_ranked(
            store, range(1, 12)).items())] == ["Zvonimir Hlousek", *ONE_PAPER_Z]
        assert people_list.rank_of(store, "ö. açık") == 2
        found = [o for chunk in people_list.people_matching(store, "Koç", 5) for o in chunk]
        assert [p.name for p in people_list.people_at(store, found).values()] == ["Ş. Koçak"]


def test_a_version_13_store_gets_the_names_words_on_open(
        accented: Path) -> None:
    with sqlite3.connect(accented) as conn:  # as version 13 left it: over the names
        conn.execute("DROP TABLE people_list_trigram")
        without_words(conn)
        conn.execute("CREATE VIRTUAL TABLE people_list_trigram USING fts5(name,"
                     " content='people_list', content_rowid='ord', tokenize='trigram',"
                     " detail='none')")
        conn.execute("INSERT INTO people_list_trigram (people_list_trigram) VALUES ('rebuild')")
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 13")
    with Store(accented) as store:  # opening upgrades it
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        assert matching(store, "kocak") == ["Ş. Koçak"]
        assert matching(store, "senturk") == ["Çetin Şentürk"]


def test_the_builds_words_are_the_imports() -> None:
    """The build writes `words` in SQL (NAME_WORDS_SQL), an import in Python: the same
    text, written here by hand for names with every mark."""
    names = {"Wei Wang": " wei wang ", "Jean-Pierre Dupont": " jean pierre dupont ",
             "J.-P. Dupont": " j p dupont ", "Sinéad O'Neil": " sinead o neil ",
             "Ş. Koçak": " s kocak ", "A. -B. C": " a  b c "}
    conn = sqlite3.connect(":memory:")
    for name, words in names.items():
        assert name_words(name) == words
        sql = conn.execute(f"SELECT {NAME_WORDS_SQL.format('?')}",
                           (name_order(name),)).fetchone()[0]
        assert sql == words
