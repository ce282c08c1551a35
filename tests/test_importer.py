"""Re-importing pages into a built store in place (paperdesk.importer)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from paperdesk import importer, page_pool, writer
from paperdesk.importer import import_pages
from paperdesk.records import paper_id
from paperdesk.store import Store, StoreError, build_store

SEED_000 = "000_77b9e73dc2a3999b.txt"
REMOVED = "Efficient Reasoning via Reward Model"
NEW_A = "Zephyrology of Sparse Recommender Embeddings"
NEW_B = "Streaming Cold-Start Retrieval with Tiny Towers"
NEW_ENTRIES = f"""
LGMar 3
{NEW_A}

Ziru Liu, Quillon Vexmoor

We study zephyrology, the careful measurement of sparse embedding drift.

IRJan 9, 2025Code
{NEW_B}

Marta Zephyr, Ziru Liu, Odile Brannock et al. · tsinghua

Cold-start retrieval with towers small enough for a phone.
"""

NEW_PAGE = """Ada Quorvian

CL
h-index3
2papers
12citations
Novelty70%
AI Score41

2 Papers

CLJun 5, 2024
Quorvian Parsing for Glued Page Formats

Ada Quorvian, Ziru Liu

Parsing pages whose lines run together.

CLApr 1
Multi-Task Recommendations with Reinforcement Learning

Ziru Liu, Jiejie Tian, Qingpeng Cai et al.

The same paper as on 000's page.
"""


def edited_000(seeds: Path) -> str:
    """000 with h-index 18 → 20, one entry removed, two added (14 → 15 papers)."""
    text = (seeds / SEED_000).read_text(encoding="utf-8")
    start = text.index(f"AINov 12, 2025\n{REMOVED}")
    end = text.index("AIAug 29, 2025Code")
    text = text[:start] + text[end:]
    text = text.replace("h-index18", "h-index20").replace("14papers", "15papers")
    text = text.replace("14 Papers", "15 Papers")
    return text.rstrip("\n") + "\n" + NEW_ENTRIES


@pytest.fixture
def pages(tmp_path: Path, seeds: Path) -> Path:
    """A folder of pages: the five seeds with 000 edited, plus a new page 005."""
    folder = tmp_path / "pages"
    shutil.copytree(seeds, folder)
    (folder / SEED_000).write_text(edited_000(seeds), encoding="utf-8")
    (folder / "005_new.txt").write_text(NEW_PAGE, encoding="utf-8")
    return folder


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def integrity(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(db)
    try:
        sql_check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        # FTS5 external content: compares the index against the papers table.
        conn.execute("INSERT INTO papers_fts (papers_fts, rank) VALUES ('integrity-check', 1)")
        return sql_check, "ok"
    finally:
        conn.close()


def query(db: Path, sql: str, *params: object) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_change_report_of_an_edited_page(seed_db: Path, pages: Path) -> None:
    report = import_pages(seed_db, [pages / SEED_000], this_year=2026)

    assert not report.cancelled and report.problems == []
    [change] = report.pages
    assert change.status == "changed"
    assert change.source == SEED_000
    assert change.profile == 1
    assert change.new_papers == [paper_id(NEW_A), paper_id(NEW_B)]
    assert change.dropped_papers == [paper_id(REMOVED)]
    assert change.figures == {"h-index": (18, 20), "paper count": (14, 15)}
    assert not change.reordered
    assert change.summary() == ("2 new papers, h-index 18 → 20, paper count 14 → 15, "
                                "1 paper no longer listed")
    assert report.papers_added == 2
    assert report.papers_removed == 1
    assert report.summary() == ("0 new pages, 1 changed, 0 unchanged; "
                                "2 papers added, 1 removed; skipped 0 pages, 0 entries")

    with Store(seed_db) as store:
        assert store.summary() == {"profiles": 5, "papers": 130, "people": 237,
                                   "capture_year": 2026}
        profile = store.profile(1)
        assert profile is not None
        assert (profile.h_index, profile.paper_count, profile.listed, profile.entries) == (
            20, 15, 15, 15)
        ids = store.profile_paper_ids(1)
        assert len(ids) == 15
        assert ids[-2:] == [paper_id(NEW_A), paper_id(NEW_B)]
        assert paper_id(REMOVED) not in ids
        assert store.paper_by_id(paper_id(REMOVED)) is None  # listed nowhere: deleted
        new_a = store.paper_by_id(paper_id(NEW_A))
        assert new_a is not None
        assert (new_a.date, new_a.year, new_a.year_inferred) == ("2026-03-03", 2026, True)
        assert (new_a.category, new_a.authors, new_a.et_al) == (
            "LG", "Ziru Liu, Quillon Vexmoor", False)
        new_b = store.paper_by_id(paper_id(NEW_B))
        assert new_b is not None
        assert (new_b.date, new_b.has_code, new_b.et_al, new_b.affiliations) == (
            "2025-01-09", True, True, "tsinghua")
        # people: Ziru Liu is on both new papers and not on the removed one (10 → 12);
        # Yuhao Wang and Xiaopeng Li were only on the removed paper; Cheng Gong 3 → 2.
        people = {key: store.person(key) for key in (
            "ziru liu", "yuhao wang", "xiaopeng li", "cheng gong", "quillon vexmoor",
            "marta zephyr", "odile brannock")}
        assert {k: (p.name, p.papers, p.profile) if p else None for k, p in people.items()} == {
            "ziru liu": ("Ziru Liu", 12, 1), "yuhao wang": None, "xiaopeng li": None,
            "cheng gong": ("Cheng Gong", 2, None),
            "quillon vexmoor": ("Quillon Vexmoor", 1, None),
            "marta zephyr": ("Marta Zephyr", 1, None),
            "odile brannock": ("Odile Brannock", 1, None)}
    assert integrity(seed_db) == ("ok", "ok")


def test_fts_finds_new_papers_and_forgets_removed_ones(seed_db: Path, pages: Path) -> None:
    def rid(title: str) -> int:
        return int(query(seed_db, "SELECT rid FROM papers WHERE id = ?", paper_id(title))[0][0])

    removed_rid = rid(REMOVED)
    fts = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
    assert query(seed_db, fts, "zephyrology") == []
    assert (removed_rid,) in query(seed_db, fts, '"efficient reasoning"')

    import_pages(seed_db, [pages / SEED_000])

    assert query(seed_db, fts, "zephyrology") == [(rid(NEW_A),)]
    assert query(seed_db, fts, "towers") == [(rid(NEW_B),)]
    assert (removed_rid,) not in query(seed_db, fts, '"efficient reasoning"')
    assert integrity(seed_db) == ("ok", "ok")


def test_unchanged_pages_are_skipped_without_parsing(seed_db: Path, seeds: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    before = dump(seed_db)

    def no_parsing(*args: object) -> None:
        raise AssertionError("an unchanged page was parsed")

    monkeypatch.setattr(page_pool, "parse_page", no_parsing)
    report = import_pages(seed_db, [seeds])

    assert [(c.source[:3], c.status, c.profile) for c in report.pages] == [
        ("000", "unchanged", 1), ("001", "unchanged", 2), ("002", "unchanged", 3),
        ("003", "unchanged", 4), ("004", "unchanged", 5)]
    assert report.papers_added == report.papers_removed == 0
    assert dump(seed_db) == before


def test_new_page_adds_a_profile(seed_db: Path, pages: Path) -> None:
    report = import_pages(seed_db, [pages / "005_new.txt"])

    [change] = report.pages
    assert (change.status, change.profile, change.source) == ("new", 6, "005_new.txt")
    assert change.new_papers == [paper_id("Quorvian Parsing for Glued Page Formats"),
                                 paper_id("Multi-Task Recommendations with Reinforcement Learning")]
    # the second paper was in the store already (000): "2 new papers" said otherwise
    assert change.summary() == ("2 papers newly listed (1 already in the store: another "
                                "page lists it)")
    assert report.papers_added == 1
    with Store(seed_db) as store:
        assert store.summary()["profiles"] == 6
        assert store.summary()["papers"] == 130
        profile = store.profile(6)
        assert profile is not None
        assert (profile.name, profile.field, profile.h_index, profile.entries) == (
            "Ada Quorvian", "CL", 3, 2)
        ada = store.person("ada quorvian")
        assert ada is not None and (ada.papers, ada.profile) == (1, 6)
        ziru = store.person("ziru liu")
        assert ziru is not None and ziru.papers == 11
        shared = store.paper_by_id(paper_id(
            "Multi-Task Recommendations with Reinforcement Learning"))
        assert shared is not None
        detail = store.detail(shared.rid)
        assert detail is not None
        assert [p.id for p in detail.listed_by] == [1, 6]
        # INSERT OR IGNORE: the stored paper keeps its text from 000, not 005's
        assert shared.abstract.startswith("In recent years")
    assert integrity(seed_db) == ("ok", "ok")


# Rowids are internal and differ between an import and a build: compare by paper id.
_PAPER_COLUMNS = ("id, title, authors, et_al, affiliations, category, date, year,"
                  " year_inferred, has_code, score, abstract")
TABLES = {
    "papers": f"SELECT {_PAPER_COLUMNS} FROM papers ORDER BY id",
    "paper_authors": "SELECT p.id, pa.position, pa.name, pa.person FROM paper_authors pa"
                     " JOIN papers p ON p.rid = pa.paper ORDER BY 1, 2",
    "people": "SELECT key, name, papers, (SELECT source FROM profiles WHERE id = profile)"
              " FROM people ORDER BY key",
    "profiles": "SELECT source, digest, name, name_inferred, person, field, h_index,"
                " paper_count, citations, novelty, ai_score, listed, entries"
                " FROM profiles ORDER BY source",
    "profile_papers": "SELECT pr.source, pp.position, p.id FROM profile_papers pp"
                      " JOIN profiles pr ON pr.id = pp.profile JOIN papers p ON p.rid = pp.paper"
                      " ORDER BY 1, 2",
    "meta": "SELECT * FROM meta ORDER BY key",
    "fts": "SELECT p.id FROM papers_fts f JOIN papers p ON p.rid = f.rowid WHERE papers_fts"
           " MATCH 'recommendation OR zephyrology OR reasoning OR quorvian' ORDER BY p.id",
    "titles_fts": "SELECT p.id FROM titles_fts t JOIN papers p ON p.rid = t.rowid WHERE"
                  " titles_fts MATCH 'recommendation OR reasoning OR quorvian' ORDER BY p.id",
    "vocab": "SELECT term, docs FROM vocab ORDER BY term",
    "vocab_top": "SELECT prefix, rank, term FROM vocab_top ORDER BY prefix, rank",
}


def test_import_gives_what_a_fresh_build_gives(seed_db: Path, pages: Path,
                                               tmp_path: Path) -> None:
    report = import_pages(seed_db, [pages])
    assert [c.status for c in report.pages] == [
        "changed", "unchanged", "unchanged", "unchanged", "unchanged", "new"]

    fresh = tmp_path / "fresh.db"
    build_store([pages], fresh, year=2026)
    for name, sql in TABLES.items():
        assert query(seed_db, sql) == query(fresh, sql), name


def test_bad_pages_are_reported_good_ones_imported(seed_db: Path, pages: Path,
                                                   tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(pages / "005_new.txt", bad / "005_new.txt")
    text = (bad / "005_new.txt").read_text(encoding="utf-8")
    (bad / "005_new.txt").write_text(text.replace("CLJun 5, 2024", "CLJun 31, 2024"),
                                     encoding="utf-8")
    (bad / "006_empty.txt").write_bytes(b"")
    (bad / "007_binary.txt").write_bytes(b"\x00\x01\x02 not text")

    report = import_pages(seed_db, [bad, tmp_path / "missing.txt"])

    assert [(c.source, c.status) for c in report.pages] == [
        ("005_new.txt", "new"), ("006_empty.txt", "skipped"), ("007_binary.txt", "skipped")]
    assert report.missing == 1  # no page: said once, as an error (below)
    located = {(p.source, p.line) for p in report.errors}
    assert ("005_new.txt", 12) in located  # the meta line of the bad entry
    assert ("006_empty.txt", None) in located
    assert ("007_binary.txt", None) in located
    assert (str(tmp_path / "missing.txt"), None) in located
    assert report.skipped_entries == 1
    assert not report.complete
    assert report.pages[0].new_papers == [
        paper_id("Multi-Task Recommendations with Reinforcement Learning")]
    with Store(seed_db) as store:
        assert store.summary()["profiles"] == 6
    assert integrity(seed_db) == ("ok", "ok")


def test_cancelled_import_leaves_the_store_as_it_was(seed_db: Path, pages: Path) -> None:
    before = dump(seed_db)
    before_bytes = seed_db.read_bytes()
    asked: list[int] = []

    def cancel() -> bool:  # let two pages through (000 changed, 001), then cancel
        asked.append(1)
        return len(asked) > 2

    done: list[tuple[int, int]] = []
    report = import_pages(seed_db, [pages], cancel=cancel,
                          progress=lambda d, t: done.append((d, t)))

    assert report.cancelled
    assert report.pages == [] and report.papers_added == 0
    assert report.summary() == "import cancelled: the store is unchanged"
    assert done == [(1, 6), (2, 6)]
    assert dump(seed_db) == before
    assert seed_db.read_bytes() == before_bytes
    assert integrity(seed_db) == ("ok", "ok")


def test_a_failure_midway_rolls_everything_back(seed_db: Path, pages: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = dump(seed_db)

    def broken(*args: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(writer.Writer, "drop_orphans", broken)
    with pytest.raises(StoreError, match=r"import failed.*disk is full.*store is unchanged"):
        import_pages(seed_db, [pages])
    assert dump(seed_db) == before
    assert integrity(seed_db) == ("ok", "ok")


def test_locked_store_is_reported_and_unchanged(seed_db: Path, pages: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = dump(seed_db)
    monkeypatch.setattr(importer, "BUSY_TIMEOUT", 0.05)
    holder = sqlite3.connect(seed_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, e.g. a second window importing
    try:
        with pytest.raises(StoreError, match=r"another PaperDesk.*store is unchanged"):
            import_pages(seed_db, [pages])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(seed_db) == before


def test_year_argument_dates_undated_entries(seed_db: Path, pages: Path) -> None:
    import_pages(seed_db, [pages / SEED_000], year=2030)
    with Store(seed_db) as store:
        paper = store.paper_by_id(paper_id(NEW_A))
        assert paper is not None and paper.date == "2030-03-03"


def rid_order_is_date_order(db: Path) -> bool:
    by_date = [rid for (rid,) in query(db, "SELECT rid FROM papers ORDER BY date, rid")]
    return by_date == sorted(by_date)


def test_imported_papers_keep_storage_order_the_date_order(seed_db: Path, pages: Path,
                                                           tmp_path: Path) -> None:
    """New papers dated 2024-06-05, 2025-01-09 and (undated) 2026-03-03 go among the
    stored ones of their dates, so the search's order stays exact (paperdesk.dated)."""
    import_pages(seed_db, [pages])
    assert rid_order_is_date_order(seed_db)
    assert query(seed_db, "SELECT value FROM meta WHERE key = 'rid_order'") == [("date",)]
    fresh = tmp_path / "fresh.db"
    build_store([pages], fresh, year=2026)  # a build given the year keeps it too
    assert rid_order_is_date_order(fresh)
    from paperdesk.search import search

    # the same papers in the same order of dates (papers of one date may be stored, and
    # so listed, in another order: the rowid breaks the tie)
    for text in ("reinforcement", "zephyrology OR cold", "", "cat:IR", "-llm", "rec"):
        found = []
        for db in (seed_db, fresh):
            conn = sqlite3.connect(db)
            papers = {rid: (pid, date) for rid, pid, date in
                      conn.execute("SELECT rid, id, date FROM papers")}
            found.append([papers[rid] for rid in search(conn, text).rids])
            conn.close()
        assert sorted(found[0]) == sorted(found[1]), text
        assert [date for _, date in found[0]] == [date for _, date in found[1]], text


def test_a_paper_whose_text_changed_on_its_only_page_is_read_anew(
        seed_db: Path, seeds: Path, tmp_path: Path) -> None:
    """An author list mended on the site and the page saved again: the import said
    "no change to papers or figures" and kept the old authors, which a build of the
    same page does not. Now the paper is read anew, its id (and the user's notes on
    it) the same, and the store is what a fresh build gives."""
    from paperdesk.userdata import UserData

    title = "Multi-Task Recommendations with Reinforcement Learning"
    notes = tmp_path / "notes.db"
    with UserData(notes) as ud:
        ud.set_starred(paper_id(title))
    folder = tmp_path / "pages"
    shutil.copytree(seeds, folder)
    text = (seeds / SEED_000).read_text(encoding="utf-8").replace(
        "Ziru Liu, Jiejie Tian, Qingpeng Cai et al.", "Ziru Liu, Jiejie Tian, Zora Quellmark")
    text = text.replace("In recent years, Multi-task Learning (MTL)",
                        "In recent years, zephyrous Multi-task Learning (MTL)")
    (folder / SEED_000).write_text(text, encoding="utf-8")
    report = import_pages(seed_db, [folder / SEED_000], this_year=2026, userdata_path=notes)
    [change] = report.pages
    assert change.reread_papers == [paper_id(title)]
    assert str(change) == f"{SEED_000}: changed: 1 paper read anew (text changed on the page)"
    assert (report.papers_added, report.papers_removed) == (0, 0)
    with Store(seed_db) as store:
        paper = store.paper_by_id(paper_id(title))
        assert paper is not None and (paper.authors, paper.et_al) == (
            "Ziru Liu, Jiejie Tian, Zora Quellmark", False)
        assert store.person("zora quellmark") is not None
        assert store.person("qingpeng cai") is None  # on no paper now
    assert query(seed_db, "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH"
                 " 'zephyrous'") == [(1,)]
    with UserData(notes) as ud:
        assert ud.paper(paper_id(title)).starred
    fresh = tmp_path / "fresh.db"
    build_store([folder], fresh, this_year=2026, userdata_path=notes)
    for name, sql in TABLES.items():
        assert query(seed_db, sql) == query(fresh, sql), name
    assert integrity(seed_db) == ("ok", "ok")


def test_a_paper_another_page_lists_keeps_its_reading(seed_db: Path, seeds: Path,
                                                      tmp_path: Path) -> None:
    """As in a build, where the first page's reading is kept: a second page's other
    text for a paper does not replace it."""
    folder = tmp_path / "pages"
    folder.mkdir()
    other = NEW_PAGE.replace("Ziru Liu, Jiejie Tian, Qingpeng Cai et al.",
                             "Ziru Liu, Jiejie Tian")
    (folder / "005_new.txt").write_text(other, encoding="utf-8")
    report = import_pages(seed_db, [folder / "005_new.txt"], this_year=2026)
    assert report.pages[0].reread_papers == []
    with Store(seed_db) as store:
        paper = store.paper_by_id(paper_id("Multi-Task Recommendations with Reinforcement "
                                           "Learning"))
        assert paper is not None and paper.authors == "Ziru Liu, Jiejie Tian, Qingpeng Cai"


def test_a_copy_of_a_page_is_one_profile_in_a_build_and_an_import(
        seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tester's two identical pages became two "Ziru Liu" profiles with no word, in a
    build of both and in an import of the copy."""
    from paperdesk.cli import main

    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(seeds / SEED_000, first / SEED_000)
    shutil.copy(seeds / SEED_000, second / "ziru.txt")
    db = tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(first), str(second)]) == 1
    err = capsys.readouterr().err
    assert (f"{second / 'ziru.txt'}: warning: the same bytes as {first / SEED_000}: a copy, "
            "skipped (one profile a page)") in err
    assert query(db, "SELECT source FROM profiles") == [(SEED_000,)]
    third = tmp_path / "ziru-again.txt"
    shutil.copy(seeds / SEED_000, third)
    report = import_pages(db, [third])
    assert [(c.source, c.status) for c in report.pages] == [("ziru-again.txt", "skipped")]
    assert [str(p) for p in report.problems] == [
        f"{third}: warning: the same bytes as {SEED_000}: a copy, skipped (one profile a "
        "page)"]
    assert query(db, "SELECT source FROM profiles") == [(SEED_000,)]


def test_a_paper_of_two_pages_mended_on_both_is_read_anew_once(tmp_path: Path) -> None:
    """A review's case: the site mended an author list, so every co-author's page
    changed; the import kept the old list ("no change to papers"), as the paper had
    another listing, while a build of the same pages reads the first page's."""
    folder = tmp_path / "pages"
    folder.mkdir()
    shared = "IRFeb 7, 2023\nDeep Widgets\n\n{authors}\n\nAn abstract about widgets.\n\n"
    pages = {"ann_lee.txt": "Ann Lee\n\n" + shared,
             "bo_chen.txt": "Bo Chen\n\n" + shared + "IRMar 7, 2023\nOther Paper\n\nBo Chen"
                            "\n\nAnother abstract.\n"}
    for name, text in pages.items():
        (folder / name).write_text(text.format(authors="Ann Lee, Bo Chen"), encoding="utf-8")
    db = tmp_path / "store.db"
    build_store([folder], db, this_year=2026)
    for name, text in pages.items():
        (folder / name).write_text(text.format(authors="Ann Lee, Bo Chen, Cy Dee"),
                                   encoding="utf-8")
    report = import_pages(db, [folder], this_year=2026)
    assert [str(c) for c in report.pages] == [
        "ann_lee.txt: changed: 1 paper read anew (text changed on the page)",
        "bo_chen.txt: changed: no change to papers or figures"]
    fresh = tmp_path / "fresh.db"
    build_store([folder], fresh, this_year=2026)
    for name, sql in TABLES.items():
        assert query(db, sql) == query(fresh, sql), name
    assert query(db, "SELECT authors FROM papers ORDER BY id") == [
        ("Ann Lee, Bo Chen, Cy Dee",), ("Bo Chen",)]
    assert integrity(db) == ("ok", "ok")
