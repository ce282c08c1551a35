"""People's identities (issue 15): name forms, evidence, decisions and where they show.

Every expected value is written by hand: the seeds were read for which names are one
person (`Qi Qin` / `Qin Qi`: both co-authors of Luo Ji on his page 002; `Hou Peng` /
`Peng Hou`: both on Anxiang Zeng's page 003, both in CV) and which are not (the many
`... Liu`, `Yue Zhao`, `Qi Ran`, `Tao Qi`: different given names).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from paperdesk import cli
from paperdesk.identity import decisions, evidence
from paperdesk.identity.decisions import DecisionError, clean_identifier
from paperdesk.identity.desk import add_identifier, decide, undo
from paperdesk.identity.forms import compatible, fuller, fullest, variant_class
from paperdesk.store import Store, build_store
from paperdesk.userdata import UserData

from .conftest import without_author_sort

# ------------------------------------------------------------------ forms, by class


@pytest.mark.parametrize(("a", "b", "kind"), [
    ("Hans Müller", "Hans Muller", "diacritics"),
    ("Hans Müller", "Hans Mueller", "diacritics"),
    ("Łukasz Nowak", "Lukasz Nowak", "diacritics"),
    ("José Álvarez", "Jose Alvarez", "diacritics"),
    ("J. Lian", "Jianxun Lian", "initials"),
    ("J Lian", "Jianxun Lian", "initials"),
    ("J.-X. Lian", "Jian-Xun Lian", "initials"),
    ("Yu-Xuan Lei", "Yuxuan Lei", "hyphens and spaces"),
    ("Yu Xuan Lei", "Yuxuan Lei", "hyphens and spaces"),
    ("A. K. Kapoor", "A.K Kapoor", "punctuation and spaces"),  # a tester: "diacritics"
    ("E. S. Moreira Jr", "E. S. Moreira Jr.", "punctuation and spaces"),
    ("Lian Jianxun", "Jianxun Lian", "family name first"),
    ("Anna van der Berg", "Anna Berg", "particles"),
    ("Anna van der Berg", "Anna Van Der Berg", "case"),
])
def test_compatible_forms_by_class(a: str, b: str, kind: str) -> None:
    assert compatible(a, b) and compatible(b, a)
    assert variant_class(a, b) == kind


@pytest.mark.parametrize(("a", "b"), [
    ("Yue Zhao", "Yu Zhao"),          # pinyin `ue` is no German umlaut
    ("Xue Li", "Xu Li"),
    ("Hans Muller", "Hans Mueller"),  # only through `Müller`, which may be either
    ("Wei Wang", "Wen Wang"),
    ("J. Lian", "Y. Lian"),
    ("Ziru Liu", "Zeyuan Liu"),
    ("Anna van der Berg", "Anna de Berg"),
    ("Luo", "Luo"),                   # one word: nothing to compare
])
def test_incompatible_forms(a: str, b: str) -> None:
    assert not compatible(a, b)


@pytest.mark.parametrize(("written", "shown"), [
    ([("D. Tskhakaya", 3), ("David Tskhakaya", 2)], "David Tskhakaya"),
    ([("A. M. Rossi", 5), ("Anna M. Rossi", 1), ("A. Rossi", 7)], "Anna M. Rossi"),
    ([("Anna Rossi", 4), ("Anna M. Rossi", 1)], "Anna M. Rossi"),   # a middle initial more
    ([("J.-X. Lian", 9), ("Jian-Xun Lian", 1)], "Jian-Xun Lian"),
    ([("Ö. Açık", 2), ("Ömer Açık", 1)], "Ömer Açık"),  # noqa: RUF001 (a dotless i)
    # each says what the other does not: the one more papers write
    ([("D. V. Tskhakaya", 1), ("David Tskhakaya", 2)], "David Tskhakaya"),
    ([("D. V. Tskhakaya", 2), ("David Tskhakaya", 1), ("D. Tskhakaya", 5)], "D. V. Tskhakaya"),
    # as full as each other: the one more papers write, then the first by name
    ([("Jianxun Lian", 1), ("Jian-Xun Lian", 2)], "Jian-Xun Lian"),
    ([("Jianxun Lian", 3), ("Lian Jianxun", 3)], "Jianxun Lian"),
    ([("Bjorn Berg", 1), ("Björn Berg", 2)], "Björn Berg"),
    ([("Qi Qin", 2), ("Qin Qi", 1)], "Qi Qin"),
    ([("D. TSKHAKAYA", 1), ("D. Tskhakaya", 2)], "D. Tskhakaya"),    # one key: by case
    # not one person by their forms (a merge says they are): the one more papers write
    ([("Xavier Smith", 1), ("D. Tskhakaya", 3), ("D. Smith", 2)], "D. Tskhakaya"),
])
def test_the_fullest_form_names_a_person_written_several_ways(
        written: list[tuple[str, int]], shown: str) -> None:
    assert fullest(written) == shown
    assert fullest(list(reversed(written))) == shown  # whatever order they are read in


def test_a_form_is_fuller_one_way_only() -> None:
    assert fuller("David Tskhakaya", "D. Tskhakaya")
    assert not fuller("D. Tskhakaya", "David Tskhakaya")
    assert not fuller("David Tskhakaya", "David Tskhakaya")
    assert not fuller("David Tskhakaya", "D. Tskhakaya-Smith")  # another family name


# ------------------------------------------------------------------ identifiers


def test_orcid_checksum() -> None:
    # ORCID's own examples (ISO 7064 11,2): a digit and an X check character
    assert clean_identifier("orcid", "0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert clean_identifier("orcid", "https://orcid.org/0000-0002-1694-233x") == \
        "0000-0002-1694-233X"
    assert clean_identifier("orcid", "0000000218250097") == "0000-0002-1825-0097"
    for bad in ("0000-0002-1825-0098", "0000-0002-1694-2330", "1234", ""):
        with pytest.raises(DecisionError):
            clean_identifier("orcid", bad)


def test_other_identifiers_and_their_links() -> None:
    assert clean_identifier("openalex", "https://openalex.org/a5023888391") == "A5023888391"
    assert clean_identifier("dblp", "https://dblp.org/pid/12/3456.html") == "12/3456"
    assert clean_identifier("scholar", "https://scholar.google.com/citations?user=abcDEF123456"
                            "&hl=en") == "abcDEF123456"
    assert decisions.identifier_url("dblp", "12/3456") == "https://dblp.org/pid/12/3456.html"
    with pytest.raises(DecisionError):
        clean_identifier("homepage", "javascript:alert(1)")
    with pytest.raises(DecisionError):
        clean_identifier("openalex", "W123")


# ------------------------------------------------------------------ the seeds


def _suggested(db: Path, notes: Path | None = None) -> set[frozenset[str]]:
    with Store(db) as store:
        now = decisions.State() if notes is None else _state(notes)
        return {frozenset(s.keys) for s in evidence.all_suggestions(store.conn, now)}


def _state(notes: Path) -> decisions.State:
    with UserData(notes) as ud:
        return decisions.state(ud.conn)


def test_seed_suggestions_are_the_ones_found_by_reading(seed_db: Path) -> None:
    assert _suggested(seed_db) == {frozenset({"qi qin", "qin qi"}),
                                   frozenset({"hou peng", "peng hou"})}
    with Store(seed_db) as store:
        now = decisions.State()
        (qi,) = evidence.suggestions_for(store.conn, "qin qi", now)
        assert qi.evidence.coauthors == ("Luo Ji",)
        assert qi.evidence.pages == ("002_9c04bb96c17275a3.txt",)
        assert qi.variant == "family name first"
        assert evidence.suggestions_for(store.conn, "zeyuan liu", now) == []
        # nobody in the seeds is two people by their papers
        assert evidence.all_several(store.conn, now, min_papers=2) == []


def test_seed_profile_owner_and_person_are_one_entry(seed_db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "ud.db"
    assert cli.main(["people", "list", "Anxiang", "--csv", "--db", str(seed_db),
                     "--userdata", str(notes)]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["name"], row["papers"], row["profile"], row["profile_papers"]) == (
        "Anxiang Zeng", "7", "003_ce7900c17266dc4f.txt", "32")

    assert cli.main(["people", "list", "Qin Qi", "--db", str(seed_db),
                     "--userdata", str(notes)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Qin Qi  [qin qi]  1 paper named: Qin Qi (1)")  # one paper, not '1 papers'


# ------------------------------------------------------------------ evidence is required


def _page(owner: str, field: str, entries: list[tuple[str, str, str]]) -> str:
    lines = [owner, "", field, "h-index3", f"{len(entries)}papers", "10citations",
             "Novelty50%", "AI Score50", "", f"{len(entries)} Papers", ""]
    for i, (category, title, authors) in enumerate(entries, start=1):
        lines += [f"{category}Mar {i}, 2022", title, "", authors, "",
                  f"An abstract about {title.lower()}.", ""]
    return "\n".join(lines) + "\n"


def test_a_compatible_form_without_evidence_is_not_suggested(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(_page("Petra Schmidt", "LG", [
        ("LG", "Graph learning at scale", "Petra Schmidt, Hans Müller, Jonas Weber"),
        ("LG", "Sparse graph kernels", "Petra Schmidt, Jonas Weber")]), encoding="utf-8")
    (pages / "b.txt").write_text(_page("Karl Braun", "CV", [
        ("CV", "Depth from one image", "Karl Braun, Hans Mueller"),
        ("CV", "Optical flow again", "Karl Braun, Ida Roth")]), encoding="utf-8")
    db = tmp_path / "store.db"
    build_store([pages], db)
    assert _suggested(db) == set()  # same form class, different pages, no co-author shared
    (pages / "c.txt").write_text(_page("Ida Roth", "CV", [
        ("CV", "Stereo depth with graphs", "Ida Roth, Hans Müller, Karl Braun")]),
        encoding="utf-8")
    build_store([pages], db)
    # now Karl Braun wrote with `Hans Mueller` and with `Hans Müller`: a shared co-author
    assert _suggested(db) == {frozenset({"hans müller", "hans mueller"})}


# ------------------------------------------------------------------ decisions


def _person(db: Path, key: str) -> tuple[str, int] | None:
    with Store(db) as store:
        row = store.person(key)
        return (row.name, row.papers) if row else None


def _coauthor_of_luo_ji(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return {p.key: n for p, n in store.coauthors(3)}  # profile 3: Luo Ji (002)


def test_merge_takes_effect_everywhere_and_undo_restores(seed_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "ud.db"
    with UserData(notes) as ud:
        ud.set_person_note("qin qi", "Met at RecSys.")
        ud.set_person_tags("qin qi", ["candidate"])
        ud.set_person_note("qi qin", "Works with Luo Ji.")
    assert _coauthor_of_luo_ji(seed_db)["qi qin"] == 2  # the papers of 002 naming them
    assert _person(seed_db, "qi qin") == ("Qi Qin", 2)
    decide(seed_db, notes, "merge", {"keys": ["qin qi"], "into": "qi qin"})
    assert _person(seed_db, "qi qin") == ("Qi Qin", 3)
    assert _person(seed_db, "qin qi") is None
    assert _coauthor_of_luo_ji(seed_db)["qi qin"] == 3
    assert "qin qi" not in _coauthor_of_luo_ji(seed_db)
    from paperdesk.search import Scope, search

    with Store(seed_db) as store:
        assert len(search(store.conn, "", Scope("person", "qi qin")).rids) == 3
    with UserData(notes) as ud:  # the notes of both names, on the merged person
        merged = ud.person("qi qin")
        assert merged.note == "Works with Luo Ji.\n\nMet at RecSys."
        assert merged.tags == ("candidate",)
    assert _suggested(seed_db, notes) == {frozenset({"hou peng", "peng hou"})}
    undo(seed_db, notes)
    assert _person(seed_db, "qi qin") == ("Qi Qin", 2)
    assert _person(seed_db, "qin qi") == ("Qin Qi", 1)
    with UserData(notes) as ud:
        assert ud.person("qi qin").note == "Works with Luo Ji."
        assert ud.person("qin qi") == ud.person("qin qi").__class__(
            "qin qi", "Met at RecSys.", ("candidate",))


def test_reject_is_for_good(seed_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "ud.db"
    decide(seed_db, notes, "reject", {"a": ["hou peng"], "b": ["peng hou"]})
    assert _suggested(seed_db, notes) == {frozenset({"qi qin", "qin qi"})}
    build_store([Path(__file__).resolve().parent.parent / "seeds"], seed_db)
    assert _suggested(seed_db, notes) == {frozenset({"qi qin", "qin qi"})}


def test_split_and_rename(seed_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "ud.db"
    with Store(seed_db) as store:
        papers = sorted(p for p in store.conn.execute(
            "SELECT p.id FROM paper_authors pa JOIN papers p ON p.rid = pa.paper"
            " WHERE pa.person = 'qingqing gu'").fetchall())
    assert len(papers) == 4
    moved = [papers[0][0]]
    decide(seed_db, notes, "split", {"person": "qingqing gu", "papers": moved})
    decide(seed_db, notes, "rename", {"person": "qingqing gu#2", "name": "Qingqing Gu (NLP)"})
    assert _person(seed_db, "qingqing gu") == ("Qingqing Gu", 3)
    assert _person(seed_db, "qingqing gu#2") == ("Qingqing Gu (NLP)", 1)
    undo(seed_db, notes)
    assert _person(seed_db, "qingqing gu#2") == ("Qingqing Gu", 1)
    undo(seed_db, notes)
    assert _person(seed_db, "qingqing gu") == ("Qingqing Gu", 4)
    assert _person(seed_db, "qingqing gu#2") is None


def test_decisions_survive_a_rebuild_and_a_reimport(seed_db: Path, seeds: Path,
                                                    tmp_path: Path) -> None:
    notes = tmp_path / "ud.db"
    decide(seed_db, notes, "merge", {"keys": ["peng hou"], "into": "hou peng"})
    decide(seed_db, notes, "rename", {"person": "hou peng", "name": "Peng Hou (Shopee)"})
    args = ["--db", str(seed_db)]
    import os

    os.environ["XDG_DATA_HOME"] = str(tmp_path / "data")  # the default user data: `notes`
    (tmp_path / "data" / "paperdesk").mkdir(parents=True)
    default = tmp_path / "data" / "paperdesk" / "userdata.db"
    default.write_bytes(notes.read_bytes())
    seed_db.unlink()
    assert cli.main(["build", str(seeds), *args]) == 0  # from scratch
    assert _person(seed_db, "hou peng") == ("Peng Hou (Shopee)", 2)
    assert _person(seed_db, "peng hou") is None
    changed = tmp_path / "003_ce7900c17266dc4f.txt"
    text = (seeds / changed.name).read_text(encoding="utf-8")
    changed.write_text(text.replace("h-index", "h-index1", 1), encoding="utf-8")
    assert cli.main(["import", str(changed), *args]) == 0
    assert _person(seed_db, "hou peng") == ("Peng Hou (Shopee)", 2)
    assert _person(seed_db, "peng hou") is None


def _tskhakaya_pages(pages: Path) -> None:
    """`D. Tskhakaya` on three papers, `David Tskhakaya` on two: one co-author's page."""
    pages.mkdir()
    (pages / "beridze.txt").write_text(_page("Nino Beridze", "LG", [
        ("LG", "Sheath physics in plasma", "Nino Beridze, D. Tskhakaya"),
        ("LG", "Kinetic edge models", "D. Tskhakaya, Nino Beridze"),
        ("LG", "Particle codes on GPUs", "Nino Beridze, D. Tskhakaya, Ivo Petrov"),
        ("LG", "Divertor loads learned", "Nino Beridze, David Tskhakaya"),
        ("LG", "Wall erosion by ions", "David Tskhakaya, Ivo Petrov")]), encoding="utf-8")


def _first_person_line(db: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    """`paperdesk people list TEXT`'s first person (the user data: the default one)."""
    capsys.readouterr()
    assert cli.main(["people", "list", text, "--db", str(db)]) == 0
    return capsys.readouterr().out.splitlines()[0]


def test_a_merge_names_the_person_by_the_fullest_form_through_rebuild_and_undo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages, db = tmp_path / "pages", tmp_path / "store.db"
    _tskhakaya_pages(pages)
    assert cli.main(["build", str(pages), "--db", str(db)]) == 0
    assert _person(db, "d. tskhakaya") == ("D. Tskhakaya", 3)
    assert cli.main(["people", "merge", "D. Tskhakaya", "David Tskhakaya", "--db",
                     str(db)]) == 0  # kept under the first name's key, shown by the full one
    assert _person(db, "d. tskhakaya") == ("David Tskhakaya", 5)
    assert _person(db, "david tskhakaya") is None
    merged = ("David Tskhakaya  [d. tskhakaya]  5 papers named: D. Tskhakaya (3);"
              " David Tskhakaya (2)")
    assert _first_person_line(db, "Tskhakaya", capsys) == merged
    assert _first_person_line(db, "David", capsys) == merged  # the list finds the new name
    with Store(db) as store:  # the author list's row, in the list's order
        assert store.conn.execute("SELECT name, papers FROM people_list ORDER BY ord"
                                  " LIMIT 1").fetchone() == ("David Tskhakaya", 5)
    db.unlink()
    assert cli.main(["build", str(pages), "--db", str(db)]) == 0  # from scratch
    assert _person(db, "d. tskhakaya") == ("David Tskhakaya", 5)
    (pages / "petrov.txt").write_text(_page("Ivo Petrov", "LG", [
        ("LG", "Wall erosion by ions", "David Tskhakaya, Ivo Petrov"),
        ("LG", "Sputtering yields", "Ivo Petrov, D. Tskhakaya")]), encoding="utf-8")
    assert cli.main(["import", str(pages / "petrov.txt"), "--db", str(db)]) == 0
    assert _person(db, "d. tskhakaya") == ("David Tskhakaya", 6)  # 4 x D., 2 x David
    assert cli.main(["people", "undo", "--db", str(db)]) == 0
    assert _person(db, "d. tskhakaya") == ("D. Tskhakaya", 4)
    assert _person(db, "david tskhakaya") == ("David Tskhakaya", 2)
    assert _first_person_line(db, "Tskhakaya", capsys) == (
        "D. Tskhakaya  [d. tskhakaya]  4 papers named: D. Tskhakaya (4)")


def test_a_correction_of_a_merged_persons_paper_keeps_the_merge_and_its_name(
        tmp_path: Path) -> None:
    """A corrected author list is written under each name's own key: the decisions in
    force are applied again in the same transaction (they were lost until the next
    build, import or `people` command)."""
    from paperdesk.corrections import correct
    from paperdesk.corrections import undo as undo_correction
    from paperdesk.records import paper_id

    pages, db, notes = tmp_path / "pages", tmp_path / "store.db", tmp_path / "ud.db"
    _tskhakaya_pages(pages)
    build_store([pages], db)
    decide(db, notes, "merge", {"keys": ["david tskhakaya"], "into": "d. tskhakaya"})
    erosion = paper_id("Wall erosion by ions")
    correct(db, erosion, authors=["David Tskhakaya", "Ivo Petrov", "Nino Beridze"],
            userdata_path=notes)
    assert _person(db, "d. tskhakaya") == ("David Tskhakaya", 5)
    assert _person(db, "david tskhakaya") is None
    assert _person(db, "nino beridze") == ("Nino Beridze", 5)
    undo_correction(db, erosion, userdata_path=notes)
    assert _person(db, "d. tskhakaya") == ("David Tskhakaya", 5)
    assert _person(db, "david tskhakaya") is None
    assert _person(db, "nino beridze") == ("Nino Beridze", 4)


def test_a_rename_wins_over_the_fullest_form(tmp_path: Path) -> None:
    pages, db = tmp_path / "pages", tmp_path / "store.db"
    _tskhakaya_pages(pages)
    build_store([pages], db)
    args = ["--db", str(db)]
    assert cli.main(["people", "merge", "D. Tskhakaya", "David Tskhakaya", *args]) == 0
    assert cli.main(["people", "rename", "David Tskhakaya", "Dato Tskhakaya", *args]) == 0
    assert _person(db, "d. tskhakaya") == ("Dato Tskhakaya", 5)
    db.unlink()
    assert cli.main(["build", str(pages), *args]) == 0
    assert _person(db, "d. tskhakaya") == ("Dato Tskhakaya", 5)
    assert cli.main(["people", "undo", *args]) == 0  # the rename: the fullest form again
    assert _person(db, "d. tskhakaya") == ("David Tskhakaya", 5)
    assert cli.main(["people", "undo", *args]) == 0  # the merge
    assert cli.main(["people", "rename", "D. Tskhakaya", "Davit Tskhakaia", *args]) == 0
    assert cli.main(["people", "merge", "D. Tskhakaya", "David Tskhakaya", *args]) == 0
    assert _person(db, "d. tskhakaya") == ("Davit Tskhakaia", 5)  # renamed before the merge
    assert cli.main(["people", "undo", *args]) == 0
    assert _person(db, "d. tskhakaya") == ("Davit Tskhakaia", 3)
    assert _person(db, "david tskhakaya") == ("David Tskhakaya", 2)


def test_userdata_round_trip_carries_decisions_and_identifiers(seed_db: Path,
                                                               tmp_path: Path) -> None:
    notes = tmp_path / "ud.db"
    decide(seed_db, notes, "merge", {"keys": ["qin qi"], "into": "qi qin"})
    decide(seed_db, notes, "reject", {"a": ["hou peng"], "b": ["peng hou"]})
    add_identifier(notes, "qi qin", "orcid", "0000000218250097")
    backup = tmp_path / "backup.json"
    assert cli.main(["userdata", "export", str(backup), "--userdata", str(notes)]) == 0
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert [(d["kind"], d["data"]) for d in data["decisions"]] == [
        ("merge", {"keys": ["qin qi"], "into": "qi qin"}),
        ("reject", {"a": ["hou peng"], "b": ["peng hou"]})]
    assert data["identifiers"] == [{"person": "qi qin", "kind": "orcid",
                                    "value": "0000-0002-1825-0097"}]
    other = tmp_path / "other.db"
    assert cli.main(["userdata", "import", str(backup), "--replace",
                     "--userdata", str(other)]) == 0
    with UserData(other) as ud:
        assert decisions.export_json(ud.conn) == decisions.export_json(
            sqlite3.connect(notes))


def test_people_csv_carries_merged_people(seed_db: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "ud.db"
    args = ["--db", str(seed_db), "--userdata", str(notes)]
    assert cli.main(["people", "merge", "Qi Qin", "Qin Qi", *args]) == 0
    assert cli.main(["people", "id", "Qin Qi", "orcid", "0000-0002-1825-0097", *args]) == 0
    capsys.readouterr()
    assert cli.main(["people", "list", "0000-0002-1825-0097", "--csv", *args]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["name"] == "Qi Qin"
    assert row["variants"] == "Qi Qin; Qin Qi"
    assert row["papers"] == "3"
    assert row["coauthors"].startswith("Luo Ji (2); ")
    assert row["identifiers"] == "orcid:0000-0002-1825-0097"
    assert cli.main(["people", "merge", "Nobody Here", "Qi Qin", *args]) == cli.EXIT_ERROR
    assert "no person named 'Nobody Here'" in capsys.readouterr().err


def test_a_version_5_store_gets_its_name_blocks(seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as conn:
        conn.execute("DROP TABLE name_blocks")
        conn.execute("DROP TABLE titles_fts")  # version 9
        conn.execute("DROP INDEX papers_doubtful")  # and what version 7 (LaTeX) added
        conn.execute("ALTER TABLE papers DROP COLUMN title_tex")
        conn.execute("ALTER TABLE papers DROP COLUMN abstract_tex")
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 5")
    with Store(seed_db) as store:  # opening upgrades it
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 18  # through 6 to 18
        found = store.conn.execute("SELECT key FROM name_blocks WHERE block = 'qin|q'"
                                   " ORDER BY key").fetchall()
    assert found == [("qi qin",), ("qin qi",)]


@pytest.mark.parametrize(("go", "original", "split_off"), [
    ("stay", ("Knows NLP.", ("nlp",)), ("", ())),
    ("move", ("", ()), ("Knows NLP.", ("nlp",))),
    ("both", ("Knows NLP.", ("nlp",)), ("Knows NLP.", ("nlp",))),
])
def test_a_split_says_where_the_notes_go_and_undo_restores(
        seed_db: Path, tmp_path: Path, go: str, original: tuple[str, tuple[str, ...]],
        split_off: tuple[str, tuple[str, ...]]) -> None:
    notes = tmp_path / "ud.db"
    with UserData(notes) as ud:
        ud.set_person_note("qingqing gu", "Knows NLP.")
        ud.set_person_tags("qingqing gu", ["nlp"])
    with Store(seed_db) as store:
        first = store.conn.execute(
            "SELECT min(p.id) FROM paper_authors pa JOIN papers p ON p.rid = pa.paper"
            " WHERE pa.person = 'qingqing gu'").fetchone()[0]
    decide(seed_db, notes, "split", {"person": "qingqing gu", "papers": [first], "notes": go})
    with UserData(notes) as ud:
        assert (ud.person("qingqing gu").note, ud.person("qingqing gu").tags) == original
        assert (ud.person("qingqing gu#2").note, ud.person("qingqing gu#2").tags) == split_off
        assert decisions.history(ud.conn)[-1].describe() == (
            f"split 1 paper of qingqing gu off as qingqing gu#2 (notes: {go})")
    undo(seed_db, notes)
    with UserData(notes) as ud:
        assert (ud.person("qingqing gu").note, ud.person("qingqing gu").tags) == (
            "Knows NLP.", ("nlp",))
        assert (ud.person("qingqing gu#2").note, ud.person("qingqing gu#2").tags) == ("", ())


def _qingqing_gu_with_a_note(seed_db: Path, notes: Path) -> str:
    """Qingqing Gu carries a note; the id of the first of their papers, to split off."""
    with UserData(notes) as ud:
        ud.set_person_note("qingqing gu", "Knows NLP.")
    with Store(seed_db) as store:
        first: str = store.conn.execute(
            "SELECT min(p.id) FROM paper_authors pa JOIN papers p ON p.rid = pa.paper"
            " WHERE pa.person = 'qingqing gu'").fetchone()[0]
    return first


def test_moved_notes_follow_a_merge_back_and_the_split_offs_own_notes_stay(
        seed_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "ud.db"
    first = _qingqing_gu_with_a_note(seed_db, notes)
    decide(seed_db, notes, "split", {"person": "qingqing gu", "papers": [first],
                                     "notes": "move"})
    with UserData(notes) as ud:
        ud.set_person_note("qingqing gu#2", "The other one.")
        assert ud.person("qingqing gu#2").note == "The other one.\n\nKnows NLP."
    decide(seed_db, notes, "merge", {"keys": ["qingqing gu#2"], "into": "qingqing gu"})
    with UserData(notes) as ud:  # one person again: every note shows on them
        assert ud.person("qingqing gu").note == "Knows NLP.\n\nThe other one."


def test_people_split_on_the_command_line_asks_where_the_notes_go(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "ud.db"
    first = _qingqing_gu_with_a_note(seed_db, notes)
    assert cli.main(["people", "split", "Qingqing Gu", "--paper", first, "--notes", "move",
                     "--db", str(seed_db), "--userdata", str(notes)]) == 0
    assert "(notes: move)" in capsys.readouterr().out
    with UserData(notes) as ud:
        assert ud.person("qingqing gu").note == ""
        assert ud.person("qingqing gu#2").note == "Knows NLP."
    with pytest.raises(SystemExit):
        cli.main(["people", "split", "Qingqing Gu", "--paper", first, "--notes", "away",
                  "--db", str(seed_db), "--userdata", str(notes)])
    with pytest.raises(DecisionError, match="'notes' is one of stay, move, both"):
        decisions.check("split", {"person": "x", "papers": ["p"], "notes": "away"},
                        decisions.State())


def _filtered(db: Path, text: str) -> list[str]:
    """The names the author list's filter shows for `text`, in list order."""
    from paperdesk import people_list

    with Store(db) as store:
        ords = [o for chunk in people_list.people_matching(store, text, 50) for o in chunk]
        names = dict(store.conn.execute("SELECT ord, name FROM people_list"))
    return [names[o] for o in ords]


def test_the_filter_finds_a_decided_person_by_every_name_on_their_papers(
        seed_db: Path, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tester merged Qin Qi into Qi Qin and renamed Hou Peng: the author list's filter
    found neither by the name their papers print (`author:` did): its words were the
    shown name's alone. The other names' words join them, through a rebuild too."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the default user data
    notes = tmp_path / "data" / "paperdesk" / "userdata.db"
    notes.parent.mkdir(parents=True)
    assert _filtered(seed_db, "qin qi") == ["Qin Qi"]
    decide(seed_db, notes, "merge", {"keys": ["qin qi"], "into": "qi qin"})
    decide(seed_db, notes, "rename", {"person": "hou peng", "name": "<b>Hou</b> <img src=x>"})
    assert _filtered(seed_db, "qin qi") == ["Qi Qin"]
    assert _filtered(seed_db, "qi qin") == ["Qi Qin"]
    assert _filtered(seed_db, "hou peng") == ["<b>Hou</b> <img src=x>"]
    from paperdesk import people_list

    with Store(seed_db) as store:  # a name read as the paper writes it finds them too
        assert people_list.keys_named(store.conn, "Qin Qi") == ["qi qin"]
        assert people_list.keys_named(store.conn, "Qi Qin") == ["qi qin"]
    seed_db.unlink()
    assert cli.main(["build", str(seeds), "--db", str(seed_db)]) == 0  # from scratch
    assert _filtered(seed_db, "qin qi") == ["Qi Qin"]
    assert _filtered(seed_db, "hou peng") == ["<b>Hou</b> <img src=x>"]
