"""The user's corrections of an entry's title/author boundary, its names and a page's
owner: kept in user data, applied at every build and import, undone, and the user's
annotations follow the corrected paper (paperdesk.corrections, paperdesk.fixes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from paperdesk import corrections, userdata
from paperdesk.cli import main
from paperdesk.fixes import correction_row
from paperdesk.records import entry_key, paper_id
from paperdesk.search import Scope, search
from paperdesk.search import people as search_people
from paperdesk.store import Store

ABSTRACT = "We study the problem at length and report results on three benchmarks."
WRONG = ("Convective Cores in Stellar ModelingT.S. M", "organ, Ya. Petrov")
RIGHT = ("Convective Cores in Stellar Modeling", "T.S. Morgan, Ya. Petrov")
OTHER = ("Graph Models for Search", "Ann Lee, Jing Yao")
GONE = ("A Paper the Page Will Drop", "Ann Lee")


def _page(folder: Path, *entries: tuple[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    body = "".join(f"IRFeb {i + 1}, 2023\n{title}\n\n{authors}\n\n{ABSTRACT}\n\n"
                   for i, (title, authors) in enumerate(entries))
    page = folder / "ann_lee.txt"
    page.write_text(f"Ann Lee\n\nIR\n\n{body}", encoding="utf-8")
    return folder


def _titles(db: Path) -> dict[str, tuple[str, str, bool]]:
    with Store(db) as store:
        return {p.id: (p.title, p.authors, p.doubtful) for p in store.iter_papers()}


def _people(db: Path) -> set[str]:
    with sqlite_utils.Database(db) as tables:
        return {str(p["name"]) for p in tables["people"].rows}


def test_the_key_is_the_same_wherever_the_seam_falls() -> None:
    wrong = entry_key(WRONG[0], tuple(WRONG[1].split(", ")))
    assert wrong == entry_key(RIGHT[0], tuple(RIGHT[1].split(", ")))
    assert wrong != entry_key(OTHER[0], tuple(OTHER[1].split(", ")))


def test_a_correction_survives_rebuild_and_reimport_and_is_undone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, db = _page(tmp_path / "pages", WRONG, OTHER, GONE), tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(folder)]) == 0
    old, new, other, gone = (paper_id(WRONG[0]), paper_id(RIGHT[0]), paper_id(OTHER[0]),
                             paper_id(GONE[0]))
    with userdata.UserData() as notes:  # annotations made before the correction
        notes.set_starred(old)
        notes.set_note(old, "check the appendix")
        notes.set_tags(old, ["shortlist"])
        notes.set_rating(other, 3)
        notes.set_note(gone, "kept when its paper goes")
    assert "organ" in _people(db)

    assert main(["correct", old, "--db", str(db), "--title", RIGHT[0],
                 "--authors", RIGHT[1]]) == 0
    assert f"id {new}" in capsys.readouterr().out
    assert _titles(db)[new] == (RIGHT[0], RIGHT[1], False) and old not in _titles(db)
    assert "T.S. Morgan" in _people(db) and "organ" not in _people(db)
    with Store(db) as store:  # the index and the people follow at once
        assert [store.papers([r])[r].id for r in search(store.conn, "morgan", Scope()).rids
                ] == [new]
        assert list(search(store.conn, "modelingt", Scope()).rids) == []
        # the titles' own index (the title tier) and the author list follow too
        titles = store.conn.execute("SELECT count(*) FROM titles_fts WHERE titles_fts"
                                    " MATCH ?", ("modeling",)).fetchone()[0]
        assert titles == 1
        assert store.conn.execute("SELECT count(*) FROM titles_fts WHERE titles_fts"
                                  " MATCH ?", ("modelingt",)).fetchone()[0] == 0
        listed = {r[0] for r in store.conn.execute("SELECT name FROM people_list")}
        assert "T.S. Morgan" in listed and "organ" not in listed
    with userdata.UserData() as notes:
        moved = notes.paper(new)
        assert (moved.starred, moved.note, moved.tags) == (True, "check the appendix",
                                                           ("shortlist",))
        assert notes.paper(old).empty

    # rebuild from scratch: the page still reads wrong, the correction still applies
    db.unlink()
    _page(folder, WRONG, OTHER)  # and the page dropped a paper
    assert main(["build", "--db", str(db), str(folder)]) == 0
    err = capsys.readouterr().err
    assert _titles(db)[new] == (RIGHT[0], RIGHT[1], False)
    with userdata.UserData() as notes:
        assert notes.paper(new).starred and notes.paper(other).rating == 3
        assert notes.paper(gone).note == "kept when its paper goes"  # kept, and said
    # (the store was deleted before it was ever rebuilt: no page of it is known to
    # have listed the paper, so it is named among papers no page of this store lists)
    assert ("1 annotated paper is on no page this store has listed (another store's, or "
            f"never built here), their annotations kept: {gone}\n") in err

    # re-import of a changed page: still corrected
    _page(folder, WRONG, OTHER, ("A New Paper on Search", "Ann Lee"))
    assert main(["import", "--db", str(db), str(folder / "ann_lee.txt")]) == 0
    assert _titles(db)[new] == (RIGHT[0], RIGHT[1], False)
    assert len(_titles(db)) == 3

    # undo: the parser's reading and the annotations go back
    assert main(["correct", new, "--db", str(db), "--undo"]) == 0
    assert _titles(db)[old][:2] == WRONG and new not in _titles(db)
    with userdata.UserData() as notes:
        assert notes.paper(old).starred and notes.paper(new).empty
    db.unlink()
    assert main(["build", "--db", str(db), str(folder)]) == 0
    assert _titles(db)[old][:2] == WRONG


def test_only_names_corrected_keeps_the_id(tmp_path: Path) -> None:
    folder, db = _page(tmp_path / "pages", OTHER), tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(folder)]) == 0
    pid = paper_id(OTHER[0])
    fix = corrections.correct(db, pid, authors=("Ann Lee", "Jing Yao", "Bo Chen"))
    assert fix.paper == pid
    assert _titles(db)[pid][1] == "Ann Lee, Jing Yao, Bo Chen"
    assert "Bo Chen" in _people(db)
    db.unlink()
    assert main(["build", "--db", str(db), str(folder)]) == 0
    assert _titles(db)[pid][1] == "Ann Lee, Jing Yao, Bo Chen"


@pytest.mark.parametrize("few", [search_people.FEW_PAPERS, 0])
def test_a_corrected_name_is_one_spaced_and_found(tmp_path: Path, few: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A tab pasted into a corrected name: the name is written as the parser writes one
    (one space between words), so that `author:` finds it the same whether the people
    are listed or each paper's names are tested (search.people.NAMING), as with the
    page's own `Jing Yao`."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", few)
    folder, db = _page(tmp_path / "pages", OTHER, GONE), tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(folder)]) == 0
    fix = corrections.correct(db, paper_id(GONE[0]), authors=("Ann Lee", "Jing\tYao ", " "))
    assert fix.authors == ("Ann Lee", "Jing Yao")
    assert _titles(db)[paper_id(GONE[0])][1] == "Ann Lee, Jing Yao"
    with Store(db) as store:
        found = {store.conn.execute("SELECT title FROM papers WHERE rid = ?", (rid,))
                 .fetchone()[0] for rid in search(store.conn, "author:yao").rids}
    assert found == {OTHER[0], GONE[0]}


def test_a_correction_recorded_with_a_tab_is_read_one_spaced() -> None:
    """Corrections recorded before names were one-spaced come back so at every build."""
    row = ("key", "A Title", '["Jing\\tYao", "  Ann   Lee ", ""]', "A Title",
           '["Ann Lee"]', "was", "paper")
    assert correction_row(row).authors == ("Jing Yao", "Ann Lee")


def test_bad_corrections_are_refused_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, db = _page(tmp_path / "pages", WRONG, OTHER), tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(folder)]) == 0
    capsys.readouterr()
    assert main(["correct", "0123456789abcdef", "--db", str(db), "--title", "X"]) == 2
    assert "no paper with id 0123456789abcdef" in capsys.readouterr().err
    assert main(["correct", paper_id(OTHER[0]), "--db", str(db), "--undo"]) == 2
    assert "no correction to undo" in capsys.readouterr().err
    assert main(["correct", paper_id(WRONG[0]), "--db", str(db), "--title", OTHER[0]]) == 2
    assert "another paper already has the title" in capsys.readouterr().err


def _nameless_page_built(tmp_path: Path) -> tuple[Path, Path]:
    """A page with no name line (its owner the parser's guess), built: (folder, store)."""
    folder, db = tmp_path / "pages", tmp_path / "store.db"
    folder.mkdir()
    (folder / "nameless.txt").write_text(
        "IRFeb 7, 2023\nGraph Models for Search\n\nAnn Lee, Jing Yao\n\nWe study it.\n\n"
        "IRMar 2, 2024\nDeep Search Models\n\nJing Yao, Ann Lee, Bo Chen\n\nMore.\n\n",
        encoding="utf-8")
    assert main(["build", "--db", str(db), str(folder)]) == 0
    return folder, db


def test_a_pages_owner_named_by_the_user_survives_rebuild(tmp_path: Path) -> None:
    folder, db = _nameless_page_built(tmp_path)
    with Store(db) as store:
        profile = store.profile_by_source("nameless.txt")
        assert profile is not None and profile.name_inferred  # the parser's guess
    assert main(["owner", "nameless.txt", "Jing Yao", "--db", str(db)]) == 0
    for _ in range(2):  # in the open store at once, then after a rebuild
        with Store(db) as store:
            profile = store.profile_by_source("nameless.txt")
            person = store.person("jing yao")
        assert profile is not None and (profile.name, profile.name_inferred) == ("Jing Yao",
                                                                                False)
        assert person is not None and person.profile == profile.id
        db.unlink()
        assert main(["build", "--db", str(db), str(folder)]) == 0


def test_people_list_says_when_no_one_named_on_a_paper_matches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """By hand: the page's owner, named Mary Major by the user, is named on none of its
    papers; `people list` printed nothing at all for her, nor for a name nobody has."""
    db = _nameless_page_built(tmp_path)[1]
    assert main(["owner", "nameless.txt", "Mary Major", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["people", "list", "mary", "--db", str(db)]) == 0
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err == ("paperdesk: no one named on a paper matches 'mary'; profile pages "
                        "whose owner no paper names: Mary Major (nameless.txt) "
                        "(paperdesk report NAME reads them)\n")
    assert main(["people", "list", "zzyzx", "--db", str(db)]) == 0
    assert capsys.readouterr().err == "paperdesk: no one named on a paper matches 'zzyzx'\n"
    assert main(["people", "list", "jing", "--db", str(db)]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("Jing Yao  [jing yao]  2 papers named") and said.err == ""


def test_user_data_of_version_1_gains_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "userdata.db"
    with sqlite3.connect(path) as conn:
        for statement in userdata._V1:
            conn.execute(statement)
        conn.execute("INSERT INTO paper_notes (paper, starred, updated)"
                     " VALUES ('0123456789abcdef', 1, 'now')")
        conn.execute("PRAGMA user_version = 1")
    with userdata.UserData(path) as notes:
        assert notes.starred("0123456789abcdef")
        tables = {r[0] for r in notes.conn.execute("SELECT name FROM sqlite_master")}
    assert {"corrections", "page_owners"} <= tables


def test_needs_review_lists_the_doubtful_papers(seed_db: Path) -> None:
    """By hand: the seeds hold one entry whose split the parser doubts (001:98, 'The Road
    to Artificial SuperIntelligence...', HyunJin Kim); is:doubtful finds the same."""
    with Store(seed_db) as store:
        count, rids = store.needs_review()
        assert count == 1
        assert [store.papers(rids)[r].title for r in rids] == [
            "The Road to Artificial SuperIntelligence: A Comprehensive Survey of Superalignment"]
        assert list(search(store.conn, "is:doubtful", Scope()).rids) == rids
        assert store.needs_review(limit=0) == (1, [])
        pid = store.papers(rids)[rids[0]].id
    corrections.correct(seed_db, pid, authors=("HyunJin Kim", "Xiaoyuan Yi", "Jing Yao"))
    with Store(seed_db) as store:  # a corrected entry needs no more review
        assert store.needs_review() == (0, [])


def test_corrections_and_owners_go_into_backups_and_come_back(tmp_path: Path) -> None:
    folder, db = _page(tmp_path / "pages", WRONG, OTHER), tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(folder)]) == 0
    corrections.correct(db, paper_id(WRONG[0]), RIGHT[0], tuple(RIGHT[1].split(", ")))
    backup = tmp_path / "notes.json"
    assert main(["userdata", "export", str(backup)]) == 0
    with userdata.UserData() as notes:  # lost: every correction forgotten
        notes.conn.execute("DELETE FROM corrections")
    assert main(["userdata", "import", str(backup), "--replace"]) == 0
    db.unlink()
    assert main(["build", "--db", str(db), str(folder)]) == 0
    assert _titles(db)[paper_id(RIGHT[0])][:2] == RIGHT
    bad = {"format": "paperdesk-userdata", "version": userdata.USER_VERSION,
           "corrections": [{"entry": 1}]}
    with userdata.UserData() as notes, pytest.raises(
            userdata.UserDataError, match=r"corrections\[0\]: expected an object"):
        notes.import_json(bad, merge=True)


def test_a_page_that_names_its_owner_keeps_it(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder, db = _page(tmp_path / "pages", OTHER), tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(folder)]) == 0
    capsys.readouterr()
    assert main(["owner", "ann_lee.txt", "Jing Yao", "--db", str(db)]) == 2
    assert "ann_lee.txt: the page names its owner (Ann Lee)" in capsys.readouterr().err
    assert main(["owner", "nobody.txt", "Jing Yao", "--db", str(db)]) == 2
    assert "no page 'nobody.txt' in the store" in capsys.readouterr().err
