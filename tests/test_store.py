"""The store built from the seeds: tables, identities, versions and atomic builds."""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from paperdesk import people_list, people_order, schema
from paperdesk import store as store_module
from paperdesk.parser import META
from paperdesk.records import paper_id
from paperdesk.search import search
from paperdesk.store import Store, StoreError, UpgradeNeeded, build_store, upgrade_store

from .conftest import SEEDS, as_version_2, without_author_sort

# Written down from the seed pages by hand (see tests/fixtures/seeds_expected.json).
ENTRIES = {"000_77b9e73dc2a3999b.txt": 14, "001_b491ae100a8ab8a5.txt": 49,
           "002_9c04bb96c17275a3.txt": 22, "003_ce7900c17266dc4f.txt": 32,
           "004_479c3ff5c2d3a48a.txt": 12}
QWEN = "Qwen Technical Report"


def test_seed_store_contents(seed_db: Path) -> None:
    with Store(seed_db) as store:
        assert store.summary() == {"profiles": 5, "papers": 129, "people": 236,
                                   "capture_year": 2026}
        profiles = {p.source: p for p in store.profiles()}
        assert {s: p.entries for s, p in profiles.items()} == ENTRIES
        assert profiles["001_b491ae100a8ab8a5.txt"].name == "Jianxun Lian"
        assert profiles["001_b491ae100a8ab8a5.txt"].name_inferred
        assert profiles["004_479c3ff5c2d3a48a.txt"].name == "Zeyuan Liu"
        assert profiles["002_9c04bb96c17275a3.txt"].citations == 4071
        qwen = store.paper_by_id(paper_id(QWEN))
        assert qwen is not None
        assert (qwen.authors, qwen.et_al, qwen.affiliation_list, qwen.date) == (
            "Jinze Bai, Shuai Bai, Yunfei Chu", True, ["pku", "tsinghua"], "2023-09-28")


def test_same_person_different_case_is_one_person(seed_db: Path) -> None:
    """000 writes both `Ziru Liu` (9 papers) and `ziru Liu` (1 paper)."""
    with Store(seed_db) as store:
        person = store.person("ziru liu")
        assert person is not None
        assert (person.name, person.papers) == ("Ziru Liu", 10)
        assert person.profile == next(p.id for p in store.profiles() if p.name == "Ziru Liu")
        names = [str(r["name"]) for r in sqlite_utils.Database(store.conn)["people"].rows]
        assert [n for n in names if "ziru liu" in n.casefold()] == ["Ziru Liu"]


def test_undated_entries_take_the_capture_year(seed_db: Path, tmp_path: Path) -> None:
    # 002's third entry shows "CLMay 3Code": no year.
    learn = paper_id("Learn-to-learn on Arbitrary Textual Conditioning: "
                     "A Hypernetwork-Driven Meta-Gated LLM")
    with Store(seed_db) as store:
        paper = store.paper_by_id(learn)
        assert paper is not None and (paper.date, paper.year_inferred) == ("2026-05-03", True)
    other = tmp_path / "y.db"
    build_store([SEEDS], other, year=2031)
    with Store(other) as store:
        paper = store.paper_by_id(learn)
        assert paper is not None and paper.date == "2031-05-03"
        assert store.paper_by_id(paper_id(QWEN)).date == "2023-09-28"  # type: ignore[union-attr]


def test_paper_ids_are_stable_across_rebuilds(seed_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "again.db"
    build_store(sorted(SEEDS.glob("*.txt"), reverse=True), other)
    with Store(seed_db) as a, Store(other) as b:
        ids_a = {p.id: p.title for p in a.iter_papers()}
        ids_b = {p.id: p.title for p in b.iter_papers()}
    assert ids_a == ids_b and len(ids_a) == 129


def test_the_same_paper_on_two_pages_is_stored_once(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    text = (SEEDS / "000_77b9e73dc2a3999b.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    # A second page by a co-author listing one of the same papers, title in other case.
    second = text.replace("Ziru Liu\n\nIR\n", "Jiejie Tian\n\nIR\n", 1).replace(
        "Multi-Task Recommendations with Reinforcement Learning",
        "Multi-task recommendations with reinforcement learning")
    (folder / "b.txt").write_text(second, encoding="utf-8")
    report = build_store([folder], tmp_path / "s.db")
    assert report.papers == 14
    with Store(tmp_path / "s.db") as store:
        detail = store.detail(store.paper_by_id(  # type: ignore[union-attr]
            paper_id("Multi-Task Recommendations with Reinforcement Learning")).rid)
        assert detail is not None
        assert [p.name for p in detail.listed_by] == ["Ziru Liu", "Jiejie Tian"]


def test_fts_index_finds_title_author_affiliation_and_abstract(seed_db: Path) -> None:
    conn = sqlite3.connect(seed_db)
    def hits(match: str) -> set[str]:
        return {r[0] for r in conn.execute(
            "SELECT p.title FROM papers_fts f JOIN papers p ON p.rid = f.rowid"
            " WHERE papers_fts MATCH ?", (match,))}
    assert QWEN in hits("title:qwen")
    assert QWEN in hits("affiliations:tsinghua")
    assert hits('authors:"Jinze Bai"') == {QWEN}
    assert QWEN in hits("abstract:interpreter")



def test_the_build_fills_each_full_text_index_in_one_segment(seed_db: Path) -> None:
    """Both indexes are filled in rowid order: FTS5 writes a segment out whenever a rowid
    is lower than the one before, so a fill in any other order (the titles read off
    their covering index, in title order, left ten segments for 129 papers) makes
    segments to merge again and again, which at a million papers was most of a build."""
    conn = sqlite3.connect(seed_db)
    for table in ("papers_fts", "titles_fts"):
        segments = conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0]
        assert segments == 1, table
    assert conn.execute("SELECT count(*) FROM titles_fts WHERE titles_fts MATCH 'qwen'"
                        ).fetchone()[0] == 1

def test_newer_schema_is_refused(seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this PaperDesk understands"):
        Store(seed_db)


def test_older_schema_is_upgraded_in_place(seed_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def add_notes_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE profiles ADD COLUMN remark TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.UPGRADES, schema.SCHEMA_VERSION - 1, add_notes_column)
    with Store(seed_db) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(profiles)")}
        assert "remark" in columns
        assert store.paper_total() == 129


def _corpus(folder: Path, copies: int) -> None:
    """Many distinct pages made from the seeds: each copy renames every spaced title,
    and ends in blank lines of its own (a build skips a page whose bytes another has:
    the run-together page's copies were all alike)."""
    folder.mkdir()
    for n in range(copies):
        for seed in SEEDS.glob("*.txt"):
            lines = seed.read_text(encoding="utf-8").split("\n")
            for i in range(1, len(lines)):
                if META.fullmatch(lines[i - 1]) and lines[i + 1] == "":
                    lines[i] += f" (copy {n})"
            (folder / f"{n:04d}_{seed.name}").write_text("\n".join(lines) + "\n" * n,
                                                          encoding="utf-8")


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4, 0.8])
def test_killed_build_leaves_the_old_store_intact(tmp_path: Path, seed_db: Path,
                                                  delay: float) -> None:
    corpus = tmp_path / "corpus"
    _corpus(corpus, 150)  # some 2.4 s of build on a quiet machine: 60 copies, 1.1 s, was
    # done before the kill at 0.8 s after its start
    before = seed_db.read_bytes()
    building = seed_db.with_name(f".{seed_db.name}.building")
    proc = subprocess.Popen([sys.executable, "-m", "paperdesk", "build", "--db", str(seed_db),
                             str(corpus)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not building.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert seed_db.read_bytes() == before
    with sqlite3.connect(seed_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The next build clears the leftover and completes.
    assert build_store([SEEDS], seed_db).papers == 129
    assert not building.exists()


def test_version_1_store_is_upgraded_to_the_vocabulary(seed_db: Path) -> None:
    """Version 2 added `vocab` and `vocab_top`; a version 1 store gains them on open."""
    with sqlite3.connect(seed_db) as conn:
        conn.execute("DROP TABLE vocab")
        conn.execute("DROP TABLE vocab_top")
        conn.execute("DROP INDEX papers_doubtful")
        conn.execute("ALTER TABLE papers DROP COLUMN doubtful")
        conn.execute("DROP TABLE titles_fts")
        conn.execute("ALTER TABLE papers DROP COLUMN title_tex")
        conn.execute("ALTER TABLE papers DROP COLUMN abstract_tex")
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 1")
    with Store(seed_db) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION  # through every version
        # By hand, `grep -noi '\bqwe[a-z0-9]*' seeds/*`: `Qwen` only in 002's Qwen entry
        # (title and abstract), `Qwen2` in three entries (000:59, 004:42, 004:63),
        # `Qwen3` in one (003:101).
        docs = dict(store.conn.execute("SELECT term, docs FROM vocab WHERE term LIKE 'qwe%'"))
        top = [t for (t,) in store.conn.execute(
            "SELECT term FROM vocab_top WHERE prefix = 'qwe' ORDER BY rank")]
    assert docs == {"qwen": 1, "qwen2": 3, "qwen3": 1}
    assert top == ["qwen2", "qwen", "qwen3"]


def test_version_2_store_gets_the_covering_date_index(seed_db: Path) -> None:
    """Version 3 widened papers_date so that filters walk it without reading rows."""
    as_version_2(seed_db)
    with Store(seed_db) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        columns = [r[2] for r in store.conn.execute("PRAGMA index_info(papers_date)")]
        by_rowid = [r[2] for r in store.conn.execute("PRAGMA index_info(papers_row)")]
        plan = " ".join(r[3] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT p.rid, p.category = 'IR' FROM papers p"
            " INDEXED BY papers_date ORDER BY p.date DESC, p.rid DESC"))
        # grep -cE '^([0-9.]+)?IR[A-Z][a-z]{2} [0-9]' seeds/*: 4 + 19 + 7 + 6 + 0 = 36
        assert search(store.conn, "cat:IR", limit=10).total == 36
    assert columns == ["date", "rid", "category", "year", "has_code"]
    assert by_rowid == ["rid", "date", "category", "year", "has_code"]
    assert "COVERING INDEX papers_date" in plan


def test_an_upgrade_can_wait_for_the_window_and_be_stopped(
        seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window opens with upgrade=False and upgrades off its thread; a stopped
    upgrade rolls back, and the store opens as before."""
    as_version_2(seed_db)
    with pytest.raises(UpgradeNeeded, match="one-time upgrade"):
        Store(seed_db, upgrade=False)
    monkeypatch.setattr(store_module, "UPGRADE_STEPS", 1)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 50  # some way into the new indexes

    with pytest.raises(StoreError, match="the upgrade was stopped; the store is as it was"):
        upgrade_store(seed_db, cancelled)
    with sqlite3.connect(seed_db) as conn:
        assert schema.user_version(conn) == 2
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers_row'").fetchall()
    upgrade_store(seed_db, lambda: False)
    with Store(seed_db, upgrade=False) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION


def _fixture_entries(source: str) -> list[dict[str, object]]:
    import json

    from .conftest import FIXTURES
    data = json.loads((FIXTURES / "seeds_expected.json").read_text(encoding="utf-8"))
    return data[source]["entries"]  # type: ignore[no-any-return]


def test_coauthors_and_categories_of_a_profile(seed_db: Path) -> None:
    """Expected values come from the hand-written fixture, not from the store."""
    from collections import Counter

    from paperdesk.records import person_key

    entries = _fixture_entries("000_77b9e73dc2a3999b.txt")
    want_cats = Counter(str(e["category"]) for e in entries)
    want_people = Counter(person_key(str(a)) for e in entries
                          for a in dict.fromkeys(e["authors"]))  # type: ignore[arg-type]
    del want_people["ziru liu"]
    with Store(seed_db) as store:
        ziru = next(p for p in store.profiles() if p.name == "Ziru Liu")
        assert dict(store.categories(ziru.id)) == dict(want_cats)
        got = {person.key: n for person, n in store.coauthors(ziru.id, limit=1000)}
    assert got == dict(want_people)


def test_markdown_export_escapes_cells(seed_db: Path) -> None:
    import io

    from paperdesk.export import write_markdown
    with Store(seed_db) as store:
        qwen = store.paper_by_id(paper_id(QWEN))
        assert qwen is not None
        out = io.StringIO()
        piped = dataclasses.replace(qwen, title="Left | Right\nbroken")
        write_markdown([qwen, piped], out)
    lines = out.getvalue().splitlines()
    assert lines[0] == ("| Date | Title | Authors | Category | Code | Score | Starred | Read"
                        " | Rating | Tags | Note |")
    assert lines[2] == ("| 2023-09-28 | Qwen Technical Report | "
                        "Jinze Bai, Shuai Bai, Yunfei Chu et al. | CL | yes |  |  |  |  |  |  |")
    assert lines[3].startswith("| 2023-09-28 | Left \\| Right broken | ")
    assert len(lines) == 4


def test_build_reports_progress_page_by_page(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_store([SEEDS], tmp_path / "s.db", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 5) for n in range(1, 6)]


def test_version_7_store_gets_the_people_list(seed_db: Path) -> None:
    """Version 8 added the author list's people in list order and their trigram index;
    version 10 made their ords sparse, with counts per bucket of ords."""
    with sqlite3.connect(seed_db) as conn:
        conn.execute("DROP TABLE people_list_trigram")
        conn.execute("DROP TABLE people_list")
        conn.execute("DROP TABLE people_list_buckets")  # version 10
        conn.execute("DROP TABLE titles_fts")  # version 9
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 7")
    with Store(seed_db) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        first = store.conn.execute(
            "SELECT name, papers FROM people_list ORDER BY ord LIMIT 3").fetchall()
        liu = store.conn.execute(
            "SELECT count(*) FROM people_list_trigram WHERE words LIKE '% liu %'").fetchone()[0]
        total = people_list.people_total(store)
        ranked = people_list.people_ranked(store, [3, 236])
    # most papers first (the seeds, by hand: Jianxun Lian on 32, Ziru Liu 10, Zeyuan Liu 9)
    assert first == [("Jianxun Lian", 32), ("Ziru Liu", 10), ("Zeyuan Liu", 9)]
    assert liu == 14  # people named ... Liu (tests/test_gui_authorlist.py)
    assert total == 236  # SEED-FORMAT.md: 236 distinct author names
    assert [(r, p.name) for r, p in sorted(ranked.items())] == [
        (3, "Zeyuan Liu"), (236, "Anna Zou")]  # last: one paper, last by family name


def test_version_9_store_gets_a_sparse_people_list(seed_db: Path) -> None:
    """What version 9 left, as version 8 made it: ords 1..n (rewritten after every
    change), no `sort` nor `words` column, no buckets, no order index, the trigram index
    over the names; version 10 spreads the ords GAP apart (a review: its order index
    failed on the old table, "no such column: sort")."""
    with sqlite3.connect(seed_db) as conn:
        for table in ("people_list_trigram", "people_list", "people_list_buckets"):
            conn.execute(f"DROP TABLE {table}")
        conn.executescript("""
            CREATE TABLE people_list (ord INTEGER PRIMARY KEY, key TEXT NOT NULL,
                                      name TEXT NOT NULL, papers INTEGER NOT NULL,
                                      profile INTEGER);
            CREATE INDEX people_list_key ON people_list(key);
            CREATE VIRTUAL TABLE people_list_trigram USING fts5(name, content='people_list',
                content_rowid='ord', tokenize='trigram', detail='none');
            INSERT INTO people_list (ord, key, name, papers, profile)
              SELECT row_number() OVER (ORDER BY papers DESC, name COLLATE NOCASE, key),
                     key, name, papers, profile FROM people;
            INSERT INTO people_list_trigram (people_list_trigram) VALUES ('rebuild');""")
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 9")
    with Store(seed_db) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        ords = [r[0] for r in store.conn.execute("SELECT ord FROM people_list ORDER BY ord")]
        assert people_list.rank_of(store, "anna zou") == 236  # last by family name
        assert people_list.people_ranked(store, [1])[1].name == "Jianxun Lian"
    assert len(ords) == 236 and {b - a for a, b in itertools.pairwise(ords)} == {
        people_order.GAP}
