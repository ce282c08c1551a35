"""The store is an ordinary SQLite file: sqlite-utils (and so Datasette) can read and
search it, as the README promises."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlite_utils

from paperdesk import schema
from paperdesk.importer import import_pages
from paperdesk.store import Store

from .conftest import as_version_2

SQLITE_UTILS = Path(sys.executable).with_name("sqlite-utils")


def _search(db: Path, words: str) -> list[dict[str, str]]:
    done = subprocess.run([str(SQLITE_UTILS), "search", str(db), "papers", words,
                           "-c", "title"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _with_word(db: Path, word: str) -> set[str]:
    """Titles of the papers whose title, authors, affiliations or abstract has `word`
    as a whole word, any case: read row by row, not through the index."""
    with Store(db) as store:
        return {p.title for p in store.iter_papers()
                if word in re.findall(r"\w+", " ".join(
                    (p.title, p.authors, p.affiliations, p.abstract)).casefold())}


def test_sqlite_utils_searches_a_built_store(seed_db: Path) -> None:
    found = [f["title"] for f in _search(seed_db, "recommendation")]
    expected = _with_word(seed_db, "recommendation")
    assert len(expected) > 10
    assert sorted(found) == sorted(expected)


def test_sqlite_utils_sees_the_tables_and_the_full_text_index(seed_db: Path) -> None:
    db = sqlite_utils.Database(seed_db)
    assert db["papers"].detect_fts() == "papers_fts"
    assert {"papers", "profiles", "people", "paper_authors", "profile_papers",
            "meta"} <= set(db.table_names())
    assert db["papers"].count == 129
    assert db["papers"].pks == ["rid"]


def test_an_older_store_is_upgraded_to_the_declared_index(seed_db: Path) -> None:
    as_version_2(seed_db)
    assert sqlite_utils.Database(seed_db)["papers"].detect_fts() is None
    with Store(seed_db) as store:  # opening upgrades it
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION == 18
    assert sqlite_utils.Database(seed_db)["papers"].detect_fts() == "papers_fts"
    found = [f["title"] for f in _search(seed_db, "recommendation")]
    assert sorted(found) == sorted(_with_word(seed_db, "recommendation"))
    with sqlite3.connect(seed_db) as conn:
        conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")


def test_sqlite_utils_searches_what_an_import_added_and_not_what_it_dropped(
        seed_db: Path, tmp_path: Path) -> None:
    """The index sqlite-utils finds is the one the incremental writer keeps: a paper an
    import adds is found, one it drops (no page lists it any more) is not."""
    with Store(seed_db) as store:
        source = store.profiles()[0].source
        listed = store.profile_paper_ids(store.profiles()[0].id)
        dropped = store.paper_by_id(listed[-1])
    assert dropped is not None
    page = next(p for p in (Path(__file__).parent.parent / "seeds").glob("*.txt")
                if p.name == source)
    text = page.read_text(encoding="utf-8")
    start = text.index(dropped.page_title)
    head = text[:text.rindex("\n\n", 0, start)]  # the page without its last entry
    assert dropped.page_title not in head
    folder = tmp_path / "later"
    folder.mkdir()
    (folder / source).write_text(
        head + "\n\nCLJun 5, 2024\nZyxquorvate Graphs for Sparse Pages\n\n"
        "Ada Quorvian\n\nZyxquorvate graphs, an abstract.\n", encoding="utf-8")
    report = import_pages(seed_db, [folder])
    assert (report.papers_added, report.papers_removed) == (1, 1), report.summary()
    assert [f["title"] for f in _search(seed_db, "zyxquorvate")] == [
        "Zyxquorvate Graphs for Sparse Pages"]
    word = dropped.title.split()[0]
    assert dropped.title not in [f["title"] for f in _search(seed_db, f'"{word}"')]
