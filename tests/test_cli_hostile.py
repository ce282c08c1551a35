"""The command line on bad paths, bad numbers and full disks: a message, never a
traceback, and the store as it was."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from paperdesk.cli import main
from paperdesk.records import paper_id
from paperdesk.userdata import UserData

from .conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    def limited() -> None:  # a disk that fills up after `limit_bytes` of any one file
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = os.environ.copy()
    env["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run([sys.executable, "-m", "paperdesk", *argv], text=True, env=env,
                          capture_output=True, check=False, timeout=300,
                          preexec_fn=limited if limit_bytes else None)


def test_build_of_a_missing_path_changes_nothing_and_exits_2(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With no page at all to read, a build would replace a good store with an empty one.
    (A missing path beside good ones is reported and the good pages are built:
    tests/test_bad_input.py::test_missing_path.)"""
    before = seed_db.read_bytes()
    assert main(["build", "--db", str(seed_db), "/typo"]) == 2
    assert "/typo: no such file or folder; the store is unchanged" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build", "--db", str(seed_db), str(empty), "/typo"]) == 2
    assert (f"{empty}: no pages in it; /typo: no such file or folder; the store is unchanged"
            in capsys.readouterr().err)
    assert seed_db.read_bytes() == before


def test_build_of_files_that_are_no_pages_keeps_the_store_and_exits_2(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file given by mistake (a note, a PDF renamed .txt) is a page that cannot be
    read: a build of only such files would replace the 129 seed papers with none."""
    note, binary = tmp_path / "note.txt", tmp_path / "paper.txt"
    note.write_text("hello\nnot a page\n", encoding="utf-8")
    binary.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    before = seed_db.read_bytes()
    assert main(["build", "--db", str(seed_db), str(note), str(binary)]) == 2
    err = capsys.readouterr().err
    assert "(note.txt: error: not a profile page: no paper entry found" in err
    assert "; paper.txt: error: binary file, not a text page); " in err
    assert err.rstrip().endswith(f"; {seed_db} is unchanged")
    assert seed_db.read_bytes() == before
    fresh = tmp_path / "fresh.db"
    assert main(["build", "--db", str(fresh), str(note)]) == 2
    assert capsys.readouterr().err.rstrip().endswith(f"; {fresh} was not made")
    assert not fresh.exists()


@pytest.mark.parametrize("year", ["1e20", "99999999999999999999", "0", "-5", "x"])
def test_a_year_out_of_range_is_refused_by_name(year: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--db", str(tmp_path / "s.db"), "--year", year, str(SEEDS)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--year" in err and ("a year is 1 to 9999" in err or "not a year" in err)
    assert not (tmp_path / "s.db").exists()


@pytest.mark.parametrize(("argv", "said"), [
    (["search", "language", "--limit", "-3"], "argument --limit: give 1 or more, not -3"),
    (["search", "language", "--limit", "0"], "argument --limit: give 1 or more, not 0"),
    (["people", "list", "Lian", "--limit", "-1"], "argument --limit: give 1 or more, not -1"),
    (["similar", "--paper", "76e2df38320135aa", "--limit", "-1"],
     "argument --limit: give 1 or more, not -1"),
    (["reviewers", "--title", "graph", "--limit", "0"], "argument --limit: give 1 or more, not 0"),
    (["reviewers", "--title", "graph", "--min-papers", "-3"],
     "argument --min-papers: give 1 or more, not -3"),
    (["reviewers", "--title", "graph", "--years", "-5"],
     "argument --years: give 0 or more years, not -5"),
    (["reviewers", "--title", "graph", "--since", "99999"],
     "argument --since: a year is 1 to 9999, not 99999"),
    (["reviewers", "--title", "graph", "--submitted", "0"],
     "argument --submitted: a year is 1 to 9999, not 0"),
    (["search", "language", "--limit", "ten"], "argument --limit: not a whole number: 'ten'"),
    # more than SQLite's integers hold: a traceback (OverflowError) at the query
    (["search", "language", "--limit", "99999999999999999999"],
     "argument --limit: give 1000000000 at most, not 99999999999999999999"),
    (["people", "list", "lian", "--limit", "99999999999999999999"],
     "argument --limit: give 1000000000 at most, not 99999999999999999999"),
    (["reviewers", "--title", "graph", "--years", "99999999999999999999"],
     "argument --years: give 9999 years at most, not 99999999999999999999")])
def test_a_number_no_command_can_use_is_refused_by_name(
        argv: list[str], said: str, seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A negative --limit listed nothing (search), everything (people list) or said no
    paper shared the topic (similar), with status 0; each is now argparse's error."""
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--db", str(seed_db)])
    assert exited.value.code == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["search", "x"], ["export"], ["import", str(SEEDS)],
                                  ["build", str(SEEDS)], ["build", "--force", str(SEEDS)]])
def test_db_pointing_at_a_folder_is_a_message(argv: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me", encoding="utf-8")
    done = _run(*argv, "--db", str(folder))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and str(folder) in done.stderr
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]
    assert not list(tmp_path.glob(".*building*"))


def test_build_onto_a_full_disk_keeps_the_old_store(seed_db: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import pagegen

    pagegen.generate_corpus(tmp_path / "pages", 3000, seed=3)
    before = seed_db.read_bytes()
    done = _run("build", "--db", str(seed_db), str(tmp_path / "pages"),
                limit_bytes=len(before) * 2)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "the previous store is unchanged" in done.stderr or "File too large" in done.stderr
    assert seed_db.read_bytes() == before
    assert not list(seed_db.parent.glob(".*building*"))


def test_import_onto_a_full_disk_keeps_the_old_store(seed_db: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import pagegen

    pagegen.generate_corpus(tmp_path / "pages", 3000, seed=4)
    before = seed_db.read_bytes()
    done = _run("import", "--db", str(seed_db), str(tmp_path / "pages"),
                limit_bytes=len(before) + 200_000)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "the store is unchanged" in done.stderr
    assert "damaged" not in done.stderr
    search = _run("search", "recommendation", "--db", str(seed_db))  # readable at once
    assert search.returncode == 0, search.stderr
    assert seed_db.read_bytes() == before


def test_an_orphan_from_a_killed_build_is_cleaned_by_the_next(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    orphan = tmp_path / ".store.db.building"
    orphan.write_bytes(os.urandom(100_000))  # what a build killed half-way leaves
    assert main(["build", "--db", str(db), str(SEEDS)]) == 0
    assert not orphan.exists() and db.exists()


def test_search_reads_the_users_notes_like_the_window(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qwen = paper_id("Qwen Technical Report")
    with UserData() as notes:
        notes.set_starred(qwen)
    capsys.readouterr()
    assert main(["search", "is:starred", "--db", str(seed_db)]) == 0
    out, err = capsys.readouterr()
    assert [line.split("  ")[1] for line in out.splitlines()] == [qwen]
    assert err.startswith("1 match in ")


def test_year_up_to_9999_matches_every_paper(seed_db: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    for query in ("year:..9999", "year:<=9999", "year:2000..9999"):
        capsys.readouterr()
        assert main(["search", query, "--db", str(seed_db), "--limit", "500"]) == 0
        assert capsys.readouterr().err.startswith("129 matches"), query


