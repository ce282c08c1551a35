"""`pages.has_pages`: whether a build has any page to read (the command refuses to
replace a store otherwise), the same answer as listing every page."""

from __future__ import annotations

from pathlib import Path

from paperdesk.pages import has_pages, page_files


def test_a_page_anywhere_under_a_folder_or_a_file_named_counts(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"  # no `.txt` file, and a folder named like one
    (other / "notes.txt").mkdir(parents=True)
    (other / "page.html").write_text("x", encoding="utf-8")
    deep = tmp_path / "deep"
    (deep / "a" / "b").mkdir(parents=True)
    (deep / "a" / "b" / "page.txt").write_text("x", encoding="utf-8")
    named = other / "page.html"  # a file given by name is read whatever its suffix
    missing = tmp_path / "typo"
    cases = {
        (empty,): False,
        (other,): False,
        (missing,): False,
        (empty, other, missing): False,
        (deep,): True,
        (named,): True,
        (missing, empty, deep): True,
    }
    for paths, expected in cases.items():
        assert has_pages(paths) is expected, paths
        assert any(isinstance(f, Path) for f in page_files(paths)) is expected, paths
