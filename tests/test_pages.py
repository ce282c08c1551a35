"""`pages.has_pages`: whether a build has any page to read (the command refuses to
replace a store otherwise), the same answer as listing every page; a folder that
cannot be read is said, never skipped silently."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdesk.pages import has_pages, page_files

from .conftest import SEEDS


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


SETPRIV = shutil.which("setpriv")
# Root reads a folder of mode 000 regardless: without these two capabilities it cannot
# (still root, so its own tmp_path stays readable), as any other user cannot.
NOT_ROOTS_READING = [SETPRIV or "setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def _as_a_user(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """`python ARGV` in `tmp_path`, unable to read a folder of mode 000."""
    prefix = NOT_ROOTS_READING if os.geteuid() == 0 else []
    return subprocess.run([*prefix, sys.executable, *argv], cwd=tmp_path, text=True,
                          capture_output=True, env=os.environ.copy(), check=False)


def _paperdesk(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return _as_a_user(tmp_path, "-m", "paperdesk", *argv)


@pytest.fixture
def perm(tmp_path: Path) -> Iterator[Path]:
    """perm/ holding a page, sub/ with a page, and locked/ (mode 000) with a page."""
    if os.geteuid() == 0 and SETPRIV is None:
        pytest.skip("setpriv is needed to take root's reading of any folder away")
    (tmp_path / "perm" / "sub").mkdir(parents=True)
    (tmp_path / "perm" / "locked").mkdir()
    shutil.copy(SEEDS / "000_77b9e73dc2a3999b.txt", tmp_path / "perm" / "a.txt")  # 14
    shutil.copy(SEEDS / "001_b491ae100a8ab8a5.txt", tmp_path / "perm" / "sub" / "b.txt")  # 49
    shutil.copy(SEEDS / "002_9c04bb96c17275a3.txt", tmp_path / "perm" / "locked" / "c.txt")
    (tmp_path / "perm" / "locked").chmod(0)
    probe = _as_a_user(tmp_path, "-c", "import os; os.listdir('perm/locked')")
    if "PermissionError" not in probe.stderr:
        pytest.skip(f"cannot make a folder unreadable here: {probe.stderr.strip()}")
    yield tmp_path / "perm"
    (tmp_path / "perm" / "locked").chmod(0o700)  # for tmp_path's removal


def test_an_unreadable_folder_is_said_counted_as_skipped_and_the_rest_built(
        perm: Path) -> None:
    done = _paperdesk(perm.parent, "build", "perm", "--db", "x.db")
    assert done.returncode == 1  # something skipped
    assert "perm/locked: error: cannot read this folder (Permission denied)\n" in done.stderr
    assert done.stdout.startswith("x.db: 2 pages, 63 papers, ")
    assert "; skipped 1 page, 0 entries;" in done.stdout


def test_an_unreadable_folder_given_is_said_as_such_not_as_empty(perm: Path) -> None:
    done = _paperdesk(perm.parent, "build", "perm/locked", "--db", "y.db")
    assert done.returncode == 2
    assert done.stderr == ("paperdesk: perm/locked: cannot read this folder (Permission "
                           "denied); the store is unchanged\n")
    assert not (perm.parent / "y.db").exists()
    assert _paperdesk(perm.parent, "build", "perm/sub", "--db", "y.db").returncode == 0
    done = _paperdesk(perm.parent, "import", "--db", "y.db", "perm/locked", "perm/a.txt")
    assert done.returncode == 1
    assert done.stderr == "perm/locked: error: cannot read this folder (Permission denied)\n"
    assert done.stdout == ("a.txt: new page: 14 new papers\n1 new page, 0 changed, 0 unchanged;"
                           " 14 papers added, 0 removed; skipped 1 page, 0 entries\n")
