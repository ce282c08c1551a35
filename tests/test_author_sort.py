# ruff: noqa: RUF001  (Turkish names hold a dotless i on purpose)
"""Sorting by authors, family name first (records.name_sort, records.author_sort,
papers.author_sort, schema version 15): the sort form of names of every shape, the
paper table's Authors order on a store built from the seeds, kept by an import and by
a user's correction, and filled by the upgrade of a version-14 store as a build fills
it. Every expected value is written by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdesk import people_list, schema
from paperdesk.corrections import correct
from paperdesk.importer import import_pages
from paperdesk.records import author_sort, name_sort, paper_id
from paperdesk.search import Scope, search
from paperdesk.store import Store, build_store

from .conftest import as_version_14

# name as written -> its sort form: family name, the other words as written, a suffix
SORT_FORMS = {
    "Wei Wang": "wang wei",
    "Jianxun Lian": "lian jianxun",
    "ziru Liu": "liu ziru",  # case folded
    # particles stay after the given names (calibre's and Chicago's Dutch order), so
    # that a particle's case or spelling does not move the name
    "Pieter van den Broek": "broek pieter van den",
    "Pieter Van Den Broek": "broek pieter van den",
    "Ludwig van Beethoven": "beethoven ludwig van",
    "Gerard 't Hooft": "hooft gerard 't",
    "Jean de la Fontaine": "fontaine jean de la",
    # initials
    "W.-M. Li": "li w.-m.",
    "T.S. Morgan": "morgan t.s.",
    "J. R. R. Tolkien": "tolkien j. r. r.",
    # initials after a word: written family name first
    "Li W.-M.": "li w.-m.",
    "Zhang Y": "zhang y",
    "van der Maaten L.": "maaten l. van der",
    # hyphens
    "Jean-Pierre Dupont": "dupont jean-pierre",
    "Anne-Marie Smith-Jones": "smith-jones anne-marie",
    # accents folded as the author list folds them
    "Ş. Koçak": "kocak s.",
    "Álvaro Pelayo": "pelayo alvaro",
    "Øyvind Borck": "borck oyvind",
    "Ümit Yıldız": "yildiz umit",
    # organisations as written
    "LHCb Collaboration": "lhcb collaboration",
    "The BABAR Collaboration": "the babar collaboration",
    "Acme LongRange Team": "acme longrange team",
    # suffixes are not the family name
    "E. S. Moreira Jr.": "moreira e. s. jr.",
    "John Smith III": "smith john iii",
    "Edson Arantes Júnior": "arantes edson junior",
    "Smith Jr.": "smith jr.",
    # one word, as is
    "OpenAI": "openai",
    "Ramanujan": "ramanujan",
}


@pytest.mark.parametrize(("name", "form"), SORT_FORMS.items())
def test_the_sort_form_of_a_name(name: str, form: str) -> None:
    assert name_sort(name) == form


def test_a_papers_sort_is_its_first_three_authors_family_names_first() -> None:
    assert author_sort(("Wei Wang", "Jianxun Lian", "Ş. Koçak", "Bo Zhang")) == (
        "wang wei & lian jianxun & kocak s.")
    assert author_sort(("OpenAI",)) == "openai"
    assert author_sort(()) == ""
    # a first author alone (`Wang`) before one with given names (`Wang Wei`), and he
    # before a longer family name (`Wangg`): the joins sort below every letter
    assert sorted([author_sort(("Wei Wang",)), author_sort(("Ann Wangg",)),
                   author_sort(("Wang", "Zed Zu")), author_sort(("Wei Wang", "Abe Ames"))]
                  ) == ["wang & zu zed", "wang wei", "wang wei & ames abe", "wangg ann"]


def _titles(conn: sqlite3.Connection, rids: list[int]) -> list[str]:
    titles = dict(conn.execute("SELECT rid, title FROM papers"))
    return [titles[rid] for rid in rids]


def test_the_seed_store_sorted_by_authors(seed_db: Path) -> None:
    """Ziru Liu's ten papers and Yizhou Chen's three, sorted by Authors; by hand from the
    seeds' author lines (ties by rowid: Beyond Confidence is dated 2025-11-26,
    Self-Distilled 2026-05-12)."""
    with Store(seed_db) as store:
        liu = search(store.conn, "", Scope("person", "ziru liu"), sort=("authors", False))
        chen = search(store.conn, "", Scope("person", "yizhou chen"), sort=("authors", False))
        backwards = search(store.conn, "", Scope("person", "yizhou chen"),
                           sort=("authors", True))
        assert [t[:24] for t in _titles(store.conn, list(liu.rids))] == [
            "Beyond Confidence: Adapt",  # Kecheng Chen, Ziru Liu, Xijia Tao
            "Self-Distilled Trajector",  # Kecheng Chen, Ziru Liu, Xijia Tao
            "Learning Empirical Bregm",  # Zhiyuan Li
            "AutoAssign+: Automatic S",  # Ziru Liu, Kecheng Chen
            "GHPO: Adaptive Guidance ",  # Ziru Liu, Cheng Gong
            "Multi-Task Recommendatio",  # Ziru Liu, Jiejie Tian
            "TRIDENT: A Trimodal Casc",  # Rui Peng
            "Enhancing the Preference",  # Cheng Wang
            "ItLnc-BXE: a Bagging-XGB",  # Guangyan Zhang
            "LLM-Powered User Simulat"]  # Zijian Zhang
        # the first author the same: the second's family name (Huzhang, Liu, Zeng)
        assert [t[:24] for t in _titles(store.conn, list(chen.rids))] == [
            "Clustered Embedding Lear", "Establishing Reliability",
            "Recurrent Temporal Revis"]
        assert list(backwards.rids) == list(reversed(chen.rids))


def test_the_sorted_query_walks_the_index(seed_db: Path) -> None:
    """No sort of the rows: the first page of All papers by Authors is read off
    papers_author_sort in order (a million papers are never sorted for it)."""
    with Store(seed_db) as store:
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        first = search(store.conn, "", sort=("authors", False), limit=5, count=False)
        store.conn.set_trace_callback(None)
        query = next(s for s in statements if "ORDER BY p.author_sort" in s)
        plan = " | ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {query}"))
        assert "papers_author_sort" in plan and "TEMP B-TREE" not in plan, plan
        # the seeds' first by family name: Jinze Bai, Shuai Bai, Yunfei Chu
        assert _titles(store.conn, list(first.rids))[0] == "Qwen Technical Report"


def _sorts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, author_sort FROM papers"))


def _listed(db: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT name, sort, papers FROM people_list ORDER BY ord"))


def test_a_version_14_store_is_sorted_by_family_names_on_open(
        seed_db: Path, _seed_store: Path) -> None:
    as_version_14(seed_db)
    with sqlite3.connect(seed_db) as conn:  # as version 14 left it: given name first
        assert "author_sort" not in {r[1] for r in conn.execute("PRAGMA table_info(papers)")}
        assert conn.execute("SELECT sort FROM people_list WHERE key = 'anna zou'"
                            ).fetchone() == ("anna zou",)
    with Store(seed_db) as store:  # opening upgrades it
        assert schema.user_version(store.conn) == 15
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(papers)")}
        assert "papers_author_sort" in indexes and "papers_authors" not in indexes
        # the last of the one-paper people by family name (seeds: no family name after Zou)
        assert people_list.rank_of(store, "anna zou") == 236
    assert _sorts(seed_db) == _sorts(_seed_store)
    assert _sorts(seed_db)[paper_id("Qwen Technical Report")] == (
        "bai jinze & bai shuai & chu yunfei")
    assert _listed(seed_db) == _listed(_seed_store)


PAGE = """Ada Quorvian

IR

{n} Papers

{entries}"""
ABSTRACT = "We study the problem at length and report results on three benchmarks."


def _page(folder: Path, *entries: tuple[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    body = "".join(f"IRFeb {i + 1}, 2023\n{title}\n\n{authors}\n\n{ABSTRACT}\n\n"
                   for i, (title, authors) in enumerate(entries))
    (folder / "ada.txt").write_text(PAGE.format(n=len(entries), entries=body),
                                    encoding="utf-8")


def _by_authors(db: Path) -> list[str]:
    with Store(db) as store:
        return _titles(store.conn, list(search(store.conn, "", sort=("authors", False)).rids))


def test_an_import_and_a_correction_keep_the_sort(tmp_path: Path) -> None:
    folder, db, notes = tmp_path / "pages", tmp_path / "store.db", tmp_path / "notes.db"
    _page(folder, ("Graph Models", "Ada Quorvian, Bo Zhang"),
          ("Tiny Towers", "Zoe Adams, Ada Quorvian"))
    assert build_store([folder], db, userdata_path=notes).complete
    assert _by_authors(db) == ["Tiny Towers", "Graph Models"]  # Adams, Quorvian
    _page(folder, ("Graph Models", "Ada Quorvian, Bo Zhang"),
          ("Tiny Towers", "Zoe Adams, Ada Quorvian"),
          ("Cold Starts", "Pieter van den Broek, Ada Quorvian"),
          ("Warm Starts", "Li W.-M., Ada Quorvian"))
    import_pages(db, [folder], userdata_path=notes)
    assert _sorts(db)[paper_id("Cold Starts")] == "broek pieter van den & quorvian ada"
    assert _sorts(db)[paper_id("Warm Starts")] == "li w.-m. & quorvian ada"
    assert _by_authors(db) == ["Tiny Towers", "Cold Starts", "Warm Starts", "Graph Models"]
    # the user says Tiny Towers is by Ş. Koçak first: between Broek and Li now
    correct(db, paper_id("Tiny Towers"), authors=["Ş. Koçak", "Zoe Adams"],
            userdata_path=notes)
    assert _sorts(db)[paper_id("Tiny Towers")] == "kocak s. & adams zoe"
    assert _by_authors(db) == ["Cold Starts", "Tiny Towers", "Warm Starts", "Graph Models"]
    # a build applies the correction to the page as parsed: the same sort
    rebuilt = tmp_path / "rebuilt.db"
    assert build_store([folder], rebuilt, userdata_path=notes).complete
    assert _sorts(rebuilt) == _sorts(db)
