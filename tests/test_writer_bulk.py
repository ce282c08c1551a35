"""The build's writer (paperdesk.writer, bulk mode) doing less per row: a person's key
remembered per written name (a bounded cache), and a text the parsing process found
plain not read again, unless a correction changed it."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import pytest

from paperdesk import corrections, writer
from paperdesk.records import paper_id
from paperdesk.store import build_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
pagegen = importlib.import_module("pagegen")

ABSTRACT = "We study the problem at length and report results on three benchmarks."
PLAIN = ("Waves on Graphs", "Ann Lee, Bo Chen")
TEX = (r"Schr\"odinger Operators on $\mathbb{R}^d$", "Ann Lee")


def _page(folder: Path, name: str, *entries: tuple[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    body = "".join(f"IRFeb {i + 1}, 2023\n{title}\n\n{authors}\n\n{ABSTRACT}\n\n"
                   for i, (title, authors) in enumerate(entries))
    (folder / f"{name.lower().replace(' ', '_')}.txt").write_text(
        f"{name}\n\nIR\n\n{body}", encoding="utf-8")


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_title_corrected_to_latex_is_decoded_at_the_rebuild(tmp_path: Path) -> None:
    folder, db = tmp_path / "pages", tmp_path / "store.db"
    _page(folder, "Ann Lee", PLAIN, TEX)
    build_store([folder], db)
    titles = "SELECT title, title_tex FROM papers ORDER BY date"
    assert _rows(db, titles) == [("Waves on Graphs", None),
                                 ("Schrödinger Operators on ℝᵈ", TEX[0])]
    corrections.correct(db, paper_id(PLAIN[0]), r"Waves on Erd\H{o}s Graphs")
    db.unlink()
    build_store([folder], db)  # the corrected text was never seen by the parsing process
    assert _rows(db, titles) == [("Waves on Erdős Graphs", r"Waves on Erd\H{o}s Graphs"),
                                 ("Schrödinger Operators on ℝᵈ", TEX[0])]


def test_the_person_key_cache_forgets_without_changing_people(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "pages"
    _page(folder, "Ann Lee", ("Graph Models for Search", "Ann Lee, Bo Chen, ZIRU Liu"),
          ("Search Models for Graphs", "ann  lee, Jing Yao"))
    _page(folder, "Bo Chen", ("Ranking at Scale", "Bo Chen, Ziru Liu, Ann Lee"),
          ("Scale at Ranking", "Ziru Liu, bo chen"))
    dumps = []
    for kept in (writer._KEYS_KEPT, 1):  # 1: every name evicts the one before
        monkeypatch.setattr(writer, "_KEYS_KEPT", kept)
        db = tmp_path / f"store-{kept}.db"
        build_store([folder], db)
        dumps.append((_rows(db, "SELECT key, name, papers FROM people ORDER BY key"),
                      _rows(db, "SELECT paper, position, name, person FROM paper_authors"
                                " ORDER BY paper, position")))
    assert dumps[0] == dumps[1]
    assert dumps[0][0] == [("ann lee", "Ann Lee", 3), ("bo chen", "Bo Chen", 3),
                           ("jing yao", "Jing Yao", 1), ("ziru liu", "Ziru Liu", 3)]
    assert [row[3] for row in dumps[0][1]].count("ziru liu") == 3


def test_a_small_stores_statistics_do_not_depend_on_its_batches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer writes its batch whenever it waits for pages, so where the rows of
    one build's B-trees lie depends on how fast the workers were. A sampled ANALYZE
    (`analysis_limit`) read that: 30 builds of the same pages gave 18 different sets
    of statistics (a reviewer's count). A small store is analysed whole."""
    folder = tmp_path / "pages"
    pagegen.generate_corpus(folder, 3000, seed=3)
    stats = []
    for batch in (2000, 37):
        monkeypatch.setattr(writer, "_BATCH", batch)
        db = tmp_path / f"store-{batch}.db"
        build_store([folder], db, workers=0)
        stats.append(_rows(db, "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx"))
    assert len(stats[0]) > 10
    assert stats[0] == stats[1]


@pytest.mark.parametrize("batch", [2000, 1])
def test_a_paper_on_two_pages_has_the_first_pages_authors_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    """A tester's two pages listed one paper with two authors and with three: the store
    said `Ann Lee, Bo Chen` and named Eve Green on it too (the second list's names past
    the first's end went in). In one batch of the writer and across batches alike."""
    monkeypatch.setattr(writer, "_BATCH", batch)
    monkeypatch.setattr(writer, "_BATCH_WAITING", batch)
    folder, db = tmp_path / "pages", tmp_path / "store.db"
    _page(folder, "Ann Lee", ("Deep Widgets", "Ann Lee, Bo Chen"))
    _page(folder, "Bo Chen", ("Deep widgets", "Bo Chen, Dan Black, Eve Green"))
    build_store([folder / "ann_lee.txt", folder / "bo_chen.txt"], db, workers=0)
    assert _rows(db, "SELECT position, name FROM paper_authors ORDER BY position") == [
        (0, "Ann Lee"), (1, "Bo Chen")]
    assert _rows(db, "SELECT authors FROM papers") == [("Ann Lee, Bo Chen",)]
    assert _rows(db, "SELECT key FROM people ORDER BY key") == [("ann lee",), ("bo chen",)]
