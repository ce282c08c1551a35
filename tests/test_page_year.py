"""The year of dates shown without one (paperdesk.page_year), in builds and imports.

Expected years are read off the pages by hand: the year after the latest one a page
shows, capped by the clock and by what the order of a newest-first page pins down."""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from paperdesk import schema
from paperdesk.cli import main
from paperdesk.dated import SEQ_BITS
from paperdesk.importer import import_pages
from paperdesk.page_year import page_year
from paperdesk.parser import parse_page
from paperdesk.records import paper_id
from paperdesk.search import search
from paperdesk.store import Store, build_store
from paperdesk.userdata import UserData

from .conftest import without_author_sort

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
realpages = importlib.import_module("realpages")


def page(name: str, entries: list[tuple[str, str]]) -> str:
    """A spaced page with a full header: (meta line, title) per entry."""
    lines = [name, "", "IR", "h-index3", f"{len(entries)}papers", "10citations",
             "Novelty50%", "AI Score60", "", f"{len(entries)} Papers"]
    for meta, title in entries:
        lines += [meta, "", title, "", f"{name}, Bo Lindqvist", "", f"About {title.lower()}.",
                  ""]
    return "\n".join(lines)


def years_of(text: str, this_year: int) -> int:
    return page_year(parse_page(text, "p.txt").entries, this_year)


def test_an_undated_entry_among_a_newest_first_pages_dated_ones_takes_their_year() -> None:
    # Jul 9 sits below Jul 9, 2008 and above Jun 1, 2008 on a page in date order
    text = page("Ada Quist", [("IRJul 9, 2008", "Quiet Graphs"), ("CLJul 9", "Loud Graphs"),
                              ("IRJun 1, 2008", "Still Graphs"), ("LGMar 3, 2001", "Old Graphs")])
    assert years_of(text, 2026) == 2008
    # a day later in the year than the dated entry above it: the year before
    text = page("Ada Quist", [("IRJul 9, 2008", "Quiet Graphs"), ("CLAug 2", "Loud Graphs"),
                              ("LGMar 3, 2001", "Old Graphs")])
    assert years_of(text, 2026) == 2007


def test_without_evidence_in_the_order_the_year_after_the_latest_shown() -> None:
    # undated entries on top of a newest-first page: 2009 or later (Aug 2 above Jul 9,
    # 2008); the earliest, whatever the clock says
    on_top = page("Ada Quist", [("CLAug 2", "Loud Graphs"), ("IRJul 9, 2008", "Quiet Graphs")])
    assert years_of(on_top, 2026) == 2009
    assert years_of(on_top, 2031) == 2009
    # dated entries out of order: the order says nothing; 2012 is the latest shown
    mixed = page("Ada Quist", [("IRJul 9, 2008", "Quiet Graphs"), ("CLJul 2", "Loud Graphs"),
                               ("IRJun 1, 2012", "Still Graphs")])
    assert years_of(mixed, 2026) == 2013
    # bounds that cross (Jun 1 after Mar 5, 2010 but before it nothing of 2010 fits):
    # the order is not trusted; 2010 is the latest shown
    crossed = page("Ada Quist", [("IRMar 5, 2010", "Quiet Graphs"), ("CLJun 1", "Loud Graphs"),
                                 ("IRFeb 1, 2010", "Still Graphs")])
    assert years_of(crossed, 2026) == 2011
    # no year shown at all: the clock's
    bare = page("Ada Quist", [("CLAug 2", "Loud Graphs"), ("IRJul 9", "Quiet Graphs")])
    assert years_of(bare, 2026) == 2026
    assert years_of(bare, 2031) == 2031


def test_never_later_than_the_clock() -> None:
    # the order says 2030 or earlier; the build runs in 2026
    text = page("Ada Quist", [("IRJul 9, 2030", "Quiet Graphs"), ("CLJul 2", "Loud Graphs")])
    assert years_of(text, 2026) == 2026


def test_an_undated_feb_29_is_of_a_leap_year(tmp_path: Path) -> None:
    """A tester's page with `IRFeb 29` and no year shown, built in 2025 and 2026: the
    store held 2025-02-29 and 2026-02-29, dates that do not exist, in every export."""
    bare = page("Ada Quist", [("IRMar 3", "Quiet Graphs"), ("CLFeb 29", "Leap Graphs")])
    assert years_of(bare, 2026) == 2024  # the clock's year was none: the one before
    assert years_of(bare, 2028) == 2028
    # after the latest year shown (2021): 2022 or later, and the first leap year of those
    shown = page("Ada Quist", [("CLFeb 29", "Leap Graphs"), ("IRJun 1, 2021", "Old Graphs")])
    assert years_of(shown, 2026) == 2024
    # years shown up to 2025 and a clock of 2026: no leap year fits; the latest before
    late = page("Ada Quist", [("CLFeb 29", "Leap Graphs"), ("IRJun 1, 2025", "Old Graphs")])
    assert years_of(late, 2026) == 2024
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ada.txt").write_text(bare, encoding="utf-8")
    build_store([folder], tmp_path / "s.db", workers=0, this_year=2026)
    with Store(tmp_path / "s.db") as store:
        dates = dict(store.conn.execute("SELECT title, date FROM papers"))
    assert dates == {"Quiet Graphs": "2024-03-03", "Leap Graphs": "2024-02-29"}
    # `--year 2026` for every page: still no 2026-02-29 (a review found it stored)
    build_store([folder], tmp_path / "y.db", workers=0, year=2026, this_year=2026)
    with Store(tmp_path / "y.db") as store:
        assert sorted(r[0] for r in store.conn.execute("SELECT date FROM papers")) == [
            "2024-02-29", "2024-03-03"]


def test_the_seed_pages_are_of_2026(seeds: Path) -> None:
    """SEED-FORMAT: the seeds' undated entries are of 2026; their pages are in no date
    order (000 lists Mar 2 and May 12 between Apr 29, 2024 and Nov 12, 2025)."""
    for path in sorted(seeds.glob("*.txt")):
        entries = parse_page(path.read_text(encoding="utf-8"), path.name).entries
        assert any(e.year is None for e in entries), path.name
        assert page_year(entries, 2026) == 2026, path.name
        assert page_year(entries, 2030) == 2026, path.name  # built later: the same


def _dated_and_undated(folder: Path) -> Path:
    """Pages with dates of this year (2026) and undated entries on the same days."""
    folder.mkdir()
    (folder / "a_dated.txt").write_text(page("Ada Quist", [
        ("IRMay 3, 2026", "Zephyr Ranking of Quiet Graphs"),
        ("CLJul 9, 2008", "Sparse Loud Graphs")]), encoding="utf-8")
    # no date order: the year after 2025, so May 3 falls on the dated paper's day
    (folder / "b_undated.txt").write_text(page("Cy Brandt", [
        ("LGMar 1", "Marmot Embeddings for Cold Starts"),
        ("IRMay 3", "Undated Zephyr Recommenders"),
        ("CVJan 2, 2025", "Ancient Vision")]), encoding="utf-8")
    # date order: Jul 9 between two 2008 dates, on the day of a's 2008 paper
    (folder / "c_ordered.txt").write_text(page("Di Orr", [
        ("IRJul 9, 2008", "Ordered Quiet Graphs"), ("CLJul 9", "Ordered Zephyr Graphs"),
        ("IRJun 1, 2008", "Ordered Still Graphs")]), encoding="utf-8")
    return folder


def test_undated_papers_on_days_of_dated_ones_build(tmp_path: Path) -> None:
    """The case that failed with a clamp of the capture year (UNIQUE constraint failed:
    papers.rid): undated papers on the days of dated ones, in the build's own year."""
    db = tmp_path / "s.db"
    report = build_store([_dated_and_undated(tmp_path / "pages")], db, workers=0,
                         this_year=2026)
    assert (report.pages, report.papers, report.capture_year) == (3, 8, 2026)
    conn = sqlite3.connect(db)
    rows = {title: (rid, date, year, bool(inferred)) for rid, title, date, year, inferred in
            conn.execute("SELECT rid, title, date, year, year_inferred FROM papers")}
    may3, jul9 = 20260503 << SEQ_BITS, 20080709 << SEQ_BITS
    # rowid = day << SEQ_BITS | place among the day's papers, in the order stored
    assert rows["Zephyr Ranking of Quiet Graphs"] == (may3, "2026-05-03", 2026, False)
    assert rows["Undated Zephyr Recommenders"] == (may3 + 1, "2026-05-03", 2026, True)
    assert rows["Marmot Embeddings for Cold Starts"][1:] == ("2026-03-01", 2026, True)
    assert rows["Sparse Loud Graphs"] == (jul9, "2008-07-09", 2008, False)
    assert rows["Ordered Quiet Graphs"] == (jul9 + 1, "2008-07-09", 2008, False)
    assert rows["Ordered Zephyr Graphs"] == (jul9 + 2, "2008-07-09", 2008, True)
    # every table keyed by rowid holds the same rowids
    rids = {rid for rid, *_ in rows.values()}
    for table, column in (("papers_fts", "rowid"), ("titles_fts", "rowid"),
                          ("paper_authors", "paper"), ("profile_papers", "paper")):
        assert {r for (r,) in conn.execute(f"SELECT {column} FROM {table}")} == rids, table
    assert [r for (r,) in conn.execute("SELECT rowid FROM papers_fts WHERE papers_fts"
                                       " MATCH 'undated'")] == [may3 + 1]
    assert [r for (r,) in conn.execute("SELECT paper FROM paper_authors WHERE name ="
                                       " 'Cy Brandt' ORDER BY paper")] == sorted(
        [rows["Marmot Embeddings for Cold Starts"][0], may3 + 1,
         rows["Ancient Vision"][0]])
    # filters alone: exactly newest first, the order of the rowids
    for text, where in (("", "1"), ("cat:IR", "category = 'IR'"), ("year:2026", "year = 2026"),
                        ("year:2008", "year = 2008")):
        expected = [rid for (rid,) in conn.execute(
            f"SELECT rid FROM papers WHERE {where} ORDER BY date DESC, rid DESC")]
        assert list(search(conn, text).rids) == expected, text
    conn.close()


REAL_PAGES = ("real00039.txt", "real00077.txt", "real00097.txt", "real00155.txt",
              "real00164.txt", "real00186.txt", "real00245.txt")
# Their undated entries' dates, read off the pages by hand: each sits in a newest-first
# list between dated entries that pin its year (00077: Jun 28 between Nov 12, 1999 and
# Jun 25, 1997: 1999, no later by the order, though 1999 is shown), or on a page that
# shows 2026 on some of that year's entries: after it by the site's rule, 2026 by the
# clock.
REAL_UNDATED = ["1999-06-28", "2003-01-16", "2011-02-02", "2026-07-24", "2026-07-24",
                "2026-07-31", "2026-08-04", "2026-08-07", "2026-08-12", "2026-08-21"]


def _real_pages(tmp_path: Path) -> Path:
    """REAL_PAGES, rendered from the real-data sample, in a folder of their own."""
    if not realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {realpages.REALDATA}")
    folder = tmp_path / "real"
    folder.mkdir()
    for name, text, _ in realpages.pages(realpages.load()):
        if name in REAL_PAGES:
            (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder


@pytest.fixture
def real_store(tmp_path: Path) -> Path:
    folder = _real_pages(tmp_path)
    db = tmp_path / "real.db"
    report = build_store([folder], db, workers=0, this_year=2026)
    assert report.pages == len(REAL_PAGES) and report.complete, report.problems
    return db


def test_real_pages_show_no_year_after_this_one(real_store: Path) -> None:
    """These pages date papers 2026 explicitly: the rule before gave 2027 to every
    undated one. Four of them fall on the day of a dated paper (00039, 00164, 00186,
    00245)."""
    conn = sqlite3.connect(real_store)
    assert conn.execute("SELECT max(year) FROM papers").fetchone() == (2026,)
    assert [d for (d,) in conn.execute(
        "SELECT date FROM papers WHERE year_inferred ORDER BY date")] == REAL_UNDATED
    by_date = [rid for (rid,) in conn.execute("SELECT rid FROM papers ORDER BY date, rid")]
    assert by_date == sorted(by_date)
    assert all(rid >> SEQ_BITS == int(date.replace("-", "")) for rid, date in
               conn.execute("SELECT rid, date FROM papers"))
    conn.close()
    with Store(real_store) as store:
        assert store.summary()["capture_year"] == 2026


def test_an_import_after_such_a_build(real_store: Path, tmp_path: Path) -> None:
    """A new page with a dated and an undated paper on a day that has both already
    (2026-08-21, real00164): each takes the next rowid of the day."""
    new = tmp_path / "new"
    new.mkdir()
    (new / "z_new.txt").write_text(page("Eve Ngata", [
        ("IRAug 21, 2026", "Zephyr Dated Import"), ("CLAug 21", "Zephyr Undated Import"),
        ("LGJan 5, 2019", "Older Import")]), encoding="utf-8")
    conn = sqlite3.connect(real_store)
    day = 20260821 << SEQ_BITS
    before = [r for (r,) in conn.execute("SELECT rid FROM papers WHERE rid >= ? AND rid < ?"
                                         " ORDER BY rid", (day, day + (1 << SEQ_BITS)))]
    conn.close()
    assert before == [day, day + 1]
    report = import_pages(real_store, [new], this_year=2026)
    assert report.papers_added == 3
    conn = sqlite3.connect(real_store)
    rows = dict(conn.execute("SELECT title, rid || ' ' || date || ' ' || year_inferred"
                             " FROM papers WHERE title LIKE 'Zephyr%'"))
    assert rows == {"Zephyr Dated Import": f"{day + 2} 2026-08-21 0",
                    "Zephyr Undated Import": f"{day + 3} 2026-08-21 1"}
    assert list(search(conn, "zephyr").rids) == [day + 3, day + 2]
    assert list(search(conn, "").rids) == [rid for (rid,) in conn.execute(
        "SELECT rid FROM papers ORDER BY date DESC, rid DESC")]
    conn.close()


def test_notes_follow_papers_whatever_year_and_rowid_they_get(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A star and a note are kept by paper id (from the title): built with another
    year for the undated papers (--year), an undated paper has another date and rowid,
    and still its note."""
    folder = _dated_and_undated(tmp_path / "pages")
    notes = tmp_path / "user.sqlite"
    userdata = UserData(notes)
    pid = paper_id("Undated Zephyr Recommenders")
    userdata.set_starred(pid)
    userdata.set_note(pid, "read the cold-start part")
    userdata.close()
    exported = {}
    for year in (None, 2024):
        db = tmp_path / f"s{year}.db"
        build_store([folder], db, year=year, workers=0, this_year=2026, userdata_path=notes)
        with Store(db) as store:
            paper = store.paper_by_id(pid)
        assert paper is not None
        assert main(["export", "--db", str(db), "--format", "json",
                     "--userdata", str(notes)]) == 0
        data = json.loads(capsys.readouterr().out)
        exported[year] = (paper.rid, next(
            (p["date"], p["starred"], p["note"]) for p in data["papers"] if p["id"] == pid))
    assert exported[None][1] == ("2026-05-03", True, "read the cold-start part")
    assert exported[2024][1] == ("2024-05-03", True, "read the cold-start part")
    assert exported[None][0] != exported[2024][0]


def _as_version_10(db: Path) -> None:
    conn = sqlite3.connect(db)
    without_author_sort(conn)  # version 15
    conn.execute("PRAGMA user_version = 10")
    conn.commit()
    conn.close()


def test_an_older_store_with_undated_papers_after_this_year_is_redated(
        tmp_path: Path) -> None:
    """A store built before (the rule then: the year after the latest explicit one,
    2027 on these pages; here every undated paper under year 3000, through --year)
    upgraded: each undated paper takes its page's year, under the next rowid of its new
    day, after the papers of that day already stored; every table follows."""
    folder = _real_pages(tmp_path)
    db = tmp_path / "old.db"
    build_store([folder], db, year=3000, workers=0)
    _as_version_10(db)
    with Store(db) as store:  # the upgrade, by the clock: 2026 or later
        conn = store.conn
        assert [d for (d,) in conn.execute(
            "SELECT date FROM papers WHERE year_inferred ORDER BY date")] == REAL_UNDATED
        by_date = [rid for (rid,) in conn.execute("SELECT rid FROM papers ORDER BY date, rid")]
        assert by_date == sorted(by_date)
        for date, rid, inferred in conn.execute("SELECT date, rid, year_inferred FROM papers"):
            assert rid >> SEQ_BITS == int(date.replace("-", ""))
            if inferred:  # after every dated paper of its day
                assert all(rid > other for (other,) in conn.execute(
                    "SELECT rid FROM papers WHERE date = ? AND NOT year_inferred", (date,)))
        day = 20260821 << SEQ_BITS  # real00164: one dated paper that day, then the moved
        assert [r for (r,) in conn.execute(
            "SELECT rid FROM papers WHERE date = '2026-08-21' ORDER BY rid")] == [day, day + 1]
        rids = {r for (r,) in conn.execute("SELECT rid FROM papers")}
        for table, column in (("papers_fts", "rowid"), ("titles_fts", "rowid"),
                              ("paper_authors", "paper"), ("profile_papers", "paper")):
            assert {r for (r,) in conn.execute(f"SELECT {column} FROM {table}")} == rids, table
        title = conn.execute("SELECT title FROM papers WHERE rid = ?", (day + 1,)).fetchone()[0]
        word = max(title.split(), key=len).strip(".,:;()$")
        assert day + 1 in search(conn, word).rids
        assert list(search(conn, "").rids) == [rid for (rid,) in conn.execute(
            "SELECT rid FROM papers ORDER BY date DESC, rid DESC")]


def test_an_older_store_without_future_years_is_only_marked_upgraded(seed_db: Path) -> None:
    """Versions 11 and 12 leave such a store as it was (13 writes the author list again)."""
    _as_version_10(seed_db)
    conn = sqlite3.connect(seed_db, isolation_level=None)
    before = list(conn.iterdump())
    schema.upgrade(conn, str(seed_db), target=12)
    assert list(conn.iterdump()) == before
    assert conn.execute("PRAGMA user_version").fetchone() == (12,)
    conn.close()
