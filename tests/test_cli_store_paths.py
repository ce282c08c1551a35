"""The --db path as a tester gives it: a folder, a device, a path under a file; the
hints that name a command name the store; a query that starts with '-'; an import of
an empty folder or a missing path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperdesk.cli import main

from .conftest import SEEDS

# Every command that takes --db, with what it needs besides (a real paper id, a page).
COMMANDS = [
    ["build"], ["build", str(SEEDS)], ["build", "--force"], ["import", str(SEEDS)],
    ["search", "survey"], ["export"], ["export", "--query", "survey"],
    ["reviewers", "--title", "a title"], ["similar", "--profile", "Ziru Liu"],
    ["report", "Ziru Liu"], ["correct", "0000000000000000", "--title", "x"],
    ["owner", "000_77b9e73dc2a3999b.txt", "Ziru Liu"], ["category", "0000000000000000"],
    ["people", "list"], ["people", "merge", "Qi Qin", "Qin Qi"], ["people", "undo"],
]


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paperdesk", *argv], cwd=cwd, text=True,
                          capture_output=True, env=os.environ.copy(), check=False)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_as_the_store_is_said_plainly_by_every_command(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "myfolder"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    assert main([*command, "--db", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err == (f"paperdesk: {folder} is a folder, not a store file; give a file path, "
                   f"e.g. {folder}/paperdesk.db\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["myfolder"]  # never renamed
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("action", ["list", "suggestions", "undo"])
def test_people_options_before_the_action_name_the_store_and_notes(
        action: str, seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`people --db F ACTION` is F, as `people ACTION --db F` is (the action's own
    option, not given, once replaced the command's with the default store)."""
    folder = tmp_path / "myfolder"
    folder.mkdir()
    assert main(["people", "--db", str(folder), action]) == 2
    assert capsys.readouterr().err.startswith(f"paperdesk: {folder} is a folder, not a store")
    notes = tmp_path / "mine.db"
    assert main(["people", "--db", str(seed_db), "--userdata", str(notes), action]) == 0
    assert notes.exists()
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "paperdesk" / "userdata.db").exists()


@pytest.mark.parametrize("command", [["build", "--force"], ["search", "x"], ["import",
                                                                            str(SEEDS)]],
                         ids=" ".join)
def test_a_path_under_a_file_a_device_or_a_pipe_is_no_store_file(
        command: list[str], tmp_path: Path) -> None:
    thesis = tmp_path / "thesis.txt"
    thesis.write_text("my thesis", encoding="utf-8")
    done = _run(*command, "--db", str(thesis / "sub" / "store.db"), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"paperdesk: {thesis}/sub/store.db: {thesis} is a file, not a "
                           "folder, so no store file can be made under it; give a file path "
                           f"in a folder, e.g. {tmp_path}/paperdesk.db\n")
    assert thesis.read_text(encoding="utf-8") == "my thesis"
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # (not /dev/null: a build --force that went wrong would replace it)
    done = _run(*command, "--db", str(pipe), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"paperdesk: {pipe} is a named pipe, not a store file; "
                                  "give a file path, e.g. ")
    assert pipe.is_fifo()  # --force never replaced it
    if command[0] != "build":
        done = _run(*command, "--db", os.devnull, cwd=tmp_path)
        assert done.stderr.startswith(f"paperdesk: {os.devnull} is a device, not a store "
                                      "file; give a file path, e.g. ")


def test_the_hints_name_the_store_they_are_about(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "my notes.txt"
    text.write_text("not a store\n" * 100, encoding="utf-8")
    assert main(["search", "--db", str(text), "x"]) == 2
    hint = capsys.readouterr().err.rsplit("rebuild it from the folder of your pages with: ", 1)[1]
    assert hint == f"paperdesk build --force --db '{text}' FOLDER\n"
    assert main(["search", "--db", str(tmp_path / "new.db"), "x"]) == 2
    assert capsys.readouterr().err == (f"paperdesk: {tmp_path}/new.db: no store here yet; "
                                       f"build one with: paperdesk build --db {tmp_path}/new.db"
                                       "\n")
    # following the hint rebuilds that file, and only it
    assert main(["build", "--db", str(text), "--force", str(SEEDS)]) == 0
    assert main(["search", "--db", str(text), "x"]) == 0
    default = Path(os.environ["XDG_DATA_HOME"]) / "paperdesk" / "paperdesk.db"
    assert not default.exists()
    default.write_text("not a store either", encoding="utf-8")  # the default: no --db
    assert main(["search", "x"]) == 2
    assert capsys.readouterr().err.endswith(
        "rebuild it from the folder of your pages with: paperdesk build --force FOLDER\n")


def test_a_query_that_starts_with_a_minus_excludes(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seeds hold 129 papers, 3 of them with 'survey' (README: Search syntax)."""
    assert main(["search", "--db", str(seed_db), "survey"]) == 0
    assert capsys.readouterr().err.startswith("3 matches")
    for argv in (["search", "-survey", "--db", str(seed_db), "--limit", "200"],
                 ["search", "--db", str(seed_db), "--limit", "200", "--", "-survey"]):
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert err.startswith("126 matches") and len(out.splitlines()) == 126
        assert "survey" not in out.lower()
    assert main(["export", "--db", str(seed_db), "--format", "csv", "--query", "-survey"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 + 126 and "survey" not in out.lower()
    with pytest.raises(SystemExit):  # a real option still is one
        main(["search", "-h"])
    assert capsys.readouterr().out.startswith("usage: paperdesk search")
    with pytest.raises(SystemExit):  # and a command without a query says a typo is one
        main(["build", "--db", str(seed_db), "-f", str(SEEDS)])
    assert "unrecognized arguments: -f" in capsys.readouterr().err


def test_importing_an_empty_folder_or_a_missing_path_says_which(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty, gone = tmp_path / "empty", tmp_path / "gone"
    empty.mkdir()
    before = seed_db.read_bytes()
    assert main(["import", "--db", str(seed_db), str(empty)]) == 2
    assert capsys.readouterr() == ("", f"paperdesk: {empty}: no pages in it; "
                                       "the store is unchanged\n")
    assert main(["import", "--db", str(seed_db), str(gone)]) == 2
    assert capsys.readouterr() == ("", f"paperdesk: {gone}: no such file or folder; "
                                       "the store is unchanged\n")
    assert seed_db.read_bytes() == before
    page = SEEDS / "000_77b9e73dc2a3999b.txt"
    assert main(["import", "--db", str(seed_db), str(empty), str(gone), str(page)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"{gone}: error: no such file or folder",
                                f"{empty}: warning: no pages in it"]
    assert out.splitlines() == ["000_77b9e73dc2a3999b.txt: unchanged",
                                "0 new pages, 0 changed, 1 unchanged; 0 papers added, "
                                "0 removed; skipped 0 pages, 0 entries; 1 path not found"]


def test_the_people_hints_name_the_store_and_notes_they_are_about(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "my notes.db"
    given = ["--db", str(seed_db), "--userdata", str(notes)]
    assert main(["people", "suggestions", *given]) == 0
    merges = [line for line in capsys.readouterr().out.splitlines() if "merge with:" in line]
    assert merges and all(line.endswith(f" --db {seed_db} --userdata '{notes}')")
                          for line in merges)
    assert main(["people", "merge", "Qi Qin", "Qin Qi", *given]) == 0
    assert capsys.readouterr().out.endswith(
        f"(undo with: paperdesk people undo --db {seed_db} --userdata '{notes}')\n")
    assert main(["people", "undo", *given]) == 0
