"""The `paperdesk` command as a user runs it: from any folder, installed."""

from __future__ import annotations

import csv
import datetime
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperdesk import cli, page_pool
from paperdesk.cli import main
from paperdesk.records import paper_id
from paperdesk.userdata import UserData

from .conftest import SEEDS

QWEN = paper_id("Qwen Technical Report")


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paperdesk", *argv], cwd=cwd, text=True,
                          capture_output=True, env=os.environ.copy(), check=False)


def test_build_defaults_to_bundled_seeds_and_user_data_folder(tmp_path: Path) -> None:
    """Run from an unrelated folder: the seeds come from the installed package."""
    done = _run("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    store = Path(os.environ["XDG_DATA_HOME"]) / "paperdesk" / "paperdesk.db"
    assert done.stdout.strip() == (f"{store}: 5 pages, 129 papers, 236 people; skipped 0 "
                                   "pages, 0 entries; undated entries given their "
                                   "page's year (after the latest it shows, never after "
                                   f"{datetime.date.today().year})")
    assert "Traceback" not in done.stderr


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("paperdesk")
    done = subprocess.run([str(script), "build", "--db", str(tmp_path / "s.db"),
                           str(SEEDS / "000_77b9e73dc2a3999b.txt")],
                          cwd=tmp_path, text=True, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 page, 14 papers" in done.stdout


def test_a_build_collects_less_often_and_collects_as_before_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`paperdesk build` frees its objects by their reference counts: while it builds,
    its garbage collector runs after 10,000 new objects, not Python's 700, and never
    walks the modules it imported; after the build (the command may run inside another
    program) collections are as they were."""
    seen = []
    build = cli.build_store

    def recorded(*args: object, **kwargs: object) -> object:
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 1000))
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "build_store", recorded)
    before = (gc.get_threshold(), gc.get_freeze_count())
    assert main(["build", "--db", str(tmp_path / "store.db"), str(SEEDS)]) == 0
    assert seen == [(10_000, True)]
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_import_reports_what_changed(seed_db: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "000_77b9e73dc2a3999b.txt"
    page.write_text((SEEDS / page.name).read_text(encoding="utf-8")
                    .replace("h-index18", "h-index20"), encoding="utf-8")
    others = [str(p) for p in sorted(SEEDS.glob("*.txt")) if p.name != page.name]
    assert main(["import", "--db", str(seed_db), str(page), *others]) == 0
    out = capsys.readouterr().out
    assert "000_77b9e73dc2a3999b.txt: changed: h-index 18 → 20" in out
    assert "0 new pages, 1 changed, 4 unchanged" in out


def test_userdata_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with UserData() as notes:
        notes.set_starred(QWEN)
        notes.set_tags(QWEN, ["shortlist"])
    backup = tmp_path / "notes.json"
    assert main(["userdata", "export", str(backup)]) == 0
    with UserData() as notes:
        notes.set_starred(QWEN, False)
    assert main(["userdata", "import", "--replace", str(backup)]) == 0  # it never just replaces
    with UserData() as notes:
        assert notes.starred(QWEN) and notes.tags(QWEN) == ("shortlist",)
    assert json.loads(backup.read_text(encoding="utf-8"))["papers"][0]["id"] == QWEN
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert main(["userdata", "import", "--replace", str(tmp_path / "bad.json")]) == 2
    err = capsys.readouterr().err
    assert "bad.json: not a PaperDesk notes backup: invalid JSON at line 1" in err


def test_userdata_commands_say_what_they_did(seed_db: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Exporting to a file said nothing at all; counts read "1 papers", "1 matches"."""
    with UserData() as notes:
        notes.set_starred(QWEN)
    backup = tmp_path / "notes.json"
    assert main(["userdata", "export", str(backup)]) == 0
    assert capsys.readouterr().out == f"notes on 1 paper and 0 people written to {backup}\n"
    assert main(["userdata", "import", "--merge", str(backup)]) == 0
    assert capsys.readouterr().out.startswith(
        f"restored notes on 1 paper and 0 people from {backup}; the notes before are kept in ")
    assert main(["search", "is:doubtful", "--db", str(seed_db)]) == 0
    assert capsys.readouterr().err.startswith("1 match in ")
    assert main(["search", "title:qwen OR title:compass", "--db", str(seed_db)]) == 0
    # "Qwen Technical Report" and "Compass-Embedding v4" / "Compass-Thinker-7B" (seeds)
    assert capsys.readouterr().err.startswith("3 matches in ")


def test_export_with_a_query_writes_the_papers_search_shows(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Expected set from the hand-written fixture: an author name with a word starting
    `lian` (Jianxun Lian, Yu Liang, ...) and a year of 2024 or later (undated: 2026)."""
    import re

    from .conftest import FIXTURES
    truth = json.loads((FIXTURES / "seeds_expected.json").read_text(encoding="utf-8"))
    want = {paper_id(e["title"]) for page in truth.values() for e in page["entries"]
            if (e["year"] or 2026) >= 2024
            and any(re.search(r"\blian", a, re.IGNORECASE) for a in e["authors"])}
    assert len(want) > 5
    query = "author:lian year:2024.."
    assert main(["export", "--db", str(seed_db), "--format", "json", "--query", query]) == 0
    exported = [p["id"] for p in json.loads(capsys.readouterr().out)["papers"]]
    assert set(exported) == want and len(exported) == len(want)
    assert main(["search", query, "--db", str(seed_db), "--limit", "1000"]) == 0
    shown = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert exported == shown  # the same papers in the same order


def test_wheel_ships_the_seed_pages(tmp_path: Path) -> None:
    """`pip install .` must carry the five seed pages inside the package."""
    import zipfile

    from .conftest import ROOT
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("paperdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for seed in SEEDS.glob("*.txt"):
        assert f"paperdesk/seeds/{seed.name}" in names
        data = zipfile.ZipFile(wheel).read(f"paperdesk/seeds/{seed.name}")
        assert data == seed.read_bytes()


def test_export_carries_the_users_notes(seed_db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    userdata = tmp_path / "notes.db"
    assert main(["export", "--db", str(seed_db), "--format", "json", "--query", "qwen"]) == 0
    papers = json.loads(capsys.readouterr().out)["papers"]
    qwen = next(p for p in papers if p["title"] == "Qwen Technical Report")
    with UserData(userdata) as ud:
        ud.set_rating(qwen["id"], 5)
        ud.set_tags(qwen["id"], ["hire"])
    assert main(["export", "--db", str(seed_db), "--format", "csv", "--query", "qwen",
                 "--userdata", str(userdata)]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    mine = next(r for r in rows if r["id"] == qwen["id"])
    assert (mine["rating"], mine["tags"], mine["starred"]) == ("5", "hire", "0")


def test_paperdesk_db_file_opens_the_window_on_that_file(monkeypatch: pytest.MonkeyPatch,
                                                         seed_db: Path, tmp_path: Path) -> None:
    """The README's `paperdesk [gui] [--db FILE]`: `paperdesk --db FILE` stopped with
    "invalid choice: 'FILE'" (newcomer's tour); `gui` is optional, --db is not lost."""
    import paperdesk.app

    opened: list[Path] = []
    monkeypatch.setattr(paperdesk.app, "main", lambda db: opened.append(db) or 0)
    assert main(["--db", str(seed_db)]) == 0
    assert main(["gui", "--db", str(seed_db)]) == 0
    named = tmp_path / "mine.db"
    assert main(["--db", str(named)]) == 0
    assert opened == [seed_db, seed_db, named]
    assert not named.exists()  # a store the user names is not filled with the seeds


def _on_a_terminal(code: str, *args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """`python -c code args` with its stderr on a terminal (100 columns): how it ended,
    its stdout, and what it drew on the terminal."""
    import fcntl
    import pty
    import struct
    import termios

    main_fd, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 wide
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], stderr=terminal,
                              stdout=subprocess.PIPE, text=True, env=os.environ.copy(),
                              timeout=300, check=False)
        os.close(terminal)
        drawn = b""
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the terminal's other end is closed: all of it read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(main_fd)
    return done, drawn.decode("utf-8", "replace")


def test_a_build_on_a_terminal_draws_its_progress_and_elsewhere_does_not_import_tqdm(
        tmp_path: Path) -> None:
    """The progress bar is for a terminal: there tqdm draws the pages done of all; a
    build whose stderr goes to a pipe or a file draws nothing and never imports it."""
    code = ("import sys; from paperdesk.cli import main; status = main(sys.argv[1:]); "
            "print('tqdm' in sys.modules, file=sys.stdout); sys.exit(status)")
    on_terminal, drawn = _on_a_terminal(code, "build", "--db", str(tmp_path / "a.db"))
    assert on_terminal.returncode == 0
    assert on_terminal.stdout.splitlines()[-1] == "True"
    assert "5/5" in drawn  # the five seed pages, all done
    piped = subprocess.run(
        [sys.executable, "-c", code, "build", "--db", str(tmp_path / "b.db")],
        capture_output=True, text=True, env=os.environ.copy(), timeout=300, check=False)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.splitlines()[-1] == "False"
    assert "5/5" not in piped.stderr


_FORKS = """
import os, sys
from paperdesk import fulltext_build, page_pool
from paperdesk.cli import main
asked, fill = page_pool.start_method, fulltext_build.fill
def start_method():
    method = asked()
    print("start", method, flush=True)
    return method
def filling(*args):
    print("fill", os.getpid(), flush=True)
    fill(*args)
page_pool.start_method, fulltext_build.fill = start_method, filling
print("build", os.getpid(), flush=True)
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(page_pool.cores() < 2, reason="one core: the fill runs in a thread")
def test_a_build_on_a_terminal_runs_alone_and_forks_its_fill(tmp_path: Path) -> None:
    """tqdm's monitor thread ran beside a build on a terminal: the process was no longer
    alone, so its page workers were spawned and its full-text fill ran in a thread
    (page_pool.start_method), as in the app. The bar draws without it, and the build
    forks as it does when its output goes to a file."""
    done, drawn = _on_a_terminal(_FORKS, "build", str(SEEDS), "--db", str(tmp_path / "s.db"))
    assert done.returncode == 0, drawn
    said = [line.split() for line in done.stdout.splitlines()[:-1]]  # then the report
    assert [word for word, *_ in said] == ["build", "start", "fill"]
    assert said[1] == ["start", "fork"]
    assert said[2][1] != said[0][1]  # the fill in a process of its own
    assert "5/5" in drawn


def test_output_piped_into_a_reader_that_stops_early_says_nothing(seed_db: Path) -> None:
    """`paperdesk export ... | head` printed "paperdesk: : Broken pipe" (an empty file
    name between the colons) when head stopped reading: like other commands, the
    writer now just stops, with nothing on stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "paperdesk", "export", "--db", str(seed_db),
                             "--format", "json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"{")  # head -1
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 2
    assert err == ""
