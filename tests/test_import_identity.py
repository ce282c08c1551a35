"""A page is a profile by its file name and its owner: a page of the same file name
from another folder, about someone else, never replaces another researcher."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from paperdesk.importer import import_pages

from .conftest import SEEDS

ZIRU = "000_77b9e73dc2a3999b.txt"  # Ziru Liu, 14 papers


def _profiles(db: Path) -> dict[str, tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT source, name, entries FROM profiles")}


def test_same_file_name_from_another_folder_is_another_profile(seed_db: Path,
                                                               tmp_path: Path) -> None:
    other = tmp_path / "other folder"
    other.mkdir()
    someone = next(p for p in sorted(SEEDS.glob("*.txt")) if p.name != ZIRU)
    page = other / ZIRU  # the same file name, someone else's page
    page.write_bytes(someone.read_bytes())
    before = _profiles(seed_db)
    report = import_pages(seed_db, [page])
    assert [c.status for c in report.pages] == ["new"]
    after = _profiles(seed_db)
    assert after[ZIRU] == before[ZIRU] == ("Ziru Liu", 14)  # untouched
    assert after[str(page)] == before[someone.name]  # the other page, under its path
    again = import_pages(seed_db, [page])  # found again under its path: unchanged
    assert [c.status for c in again.pages] == ["unchanged"]
    assert _profiles(seed_db) == after


def test_the_same_researcher_from_another_folder_updates_the_profile(seed_db: Path,
                                                                     tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    page = other / ZIRU
    page.write_text((SEEDS / ZIRU).read_text(encoding="utf-8").replace("h-index18", "h-index19"),
                    encoding="utf-8")
    report = import_pages(seed_db, [page])
    assert [(c.status, c.figures) for c in report.pages] == [("changed",
                                                              {"h-index": (18, 19)})]
    assert set(_profiles(seed_db)) == {p.name for p in SEEDS.glob("*.txt")}
