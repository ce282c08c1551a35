"""The user's own data has a safety net: rotating backups, no silent replace,
salvage from a damaged file, and clear messages for hostile backup files."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sqlite3
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paperdesk import backups
from paperdesk.cli import main
from paperdesk.userdata import MAX_BACKUP_BYTES, UserData

NOTES = 300


def pid(i: int) -> str:
    return f"{i:016x}"


def note(i: int) -> str:
    return f"note-{i:04} " + "words of a long note " * 20


@pytest.fixture
def full(tmp_path: Path) -> Path:
    """User data with a long note on each of NOTES papers: several pages of the table."""
    path = tmp_path / "notes.db"
    with UserData(path) as ud:
        ud.import_json({"format": "paperdesk-userdata", "version": 1,  # one transaction
                        "papers": [{"id": pid(i), "note": note(i)} for i in range(NOTES)]},
                       merge=True)
        ud.set_tags(pid(7), ["shortlist"])
        ud.set_person_note("ziru liu", "met at RecSys")
    return path


def _on(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> Clock:
            return cls(day.year, day.month, day.day, 9, 30)

    monkeypatch.setattr(backups.datetime, "datetime", Clock)


def test_daily_backups_keep_the_last_ten_days(full: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    first = datetime.date(2026, 11, 1)
    with UserData(full) as ud:
        for n in range(12):
            _on(monkeypatch, first + datetime.timedelta(days=n))
            assert backups.backup(ud) is not None
            assert backups.backup(ud) is None  # once a day
        kept = backups.kept(full)
        assert [p.name for p in kept] == [f"notes-2026-11-{d:02}-daily.json"
                                          for d in range(3, 13)]
        data = json.loads(kept[-1].read_text(encoding="utf-8"))
        assert data == ud.export_json()
        assert len(data["papers"]) == NOTES


def test_import_never_replaces_silently(full: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "paperdesk-userdata", "version": 1,
                                 "papers": [{"id": pid(999), "starred": True}]}),
                     encoding="utf-8")
    args = ["userdata", "import", str(other), "--userdata", str(full)]
    assert main(args) == 2  # no terminal to ask on: refused
    assert "would replace them: pass --replace" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(args) == 1
    with UserData(full) as ud:
        assert ud.note(pid(3)) == note(3) and not ud.starred(pid(999))
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert main(args) == 0
    out = capsys.readouterr().out
    with UserData(full) as ud:
        assert ud.note(pid(3)) == "" and ud.starred(pid(999))
    kept = backups.kept(full, "before-restore")
    assert len(kept) == 1 and str(kept[0]) in out
    assert main(["userdata", "import", "--replace", str(kept[0]), "--userdata", str(full)]) == 0
    with UserData(full) as ud:  # the backup made before brings everything back
        assert ud.note(pid(3)) == note(3) and not ud.starred(pid(999))
        assert len(ud.annotated_papers()) == NOTES


def _damage_the_page_holding(path: Path, text: str) -> None:
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    page = data.find(text.encode()) // size
    assert page > 1
    data[page * size + 8: (page + 1) * size] = b"\xa5" * (size - 8)
    path.write_bytes(bytes(data))


def test_a_damaged_file_gives_everything_still_readable(full: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    _damage_the_page_holding(full, "note-0150")
    out = tmp_path / "salvaged.json"
    assert main(["userdata", "export", str(out), "--userdata", str(full)]) == 1
    assert "is damaged; exported what could be read" in capsys.readouterr().err
    papers = {p["id"]: p for p in json.loads(out.read_text(encoding="utf-8"))["papers"]}
    assert pid(150) not in papers
    assert NOTES - 20 < len(papers) < NOTES  # one page lost, the pages around it kept
    assert pid(0) in papers and pid(NOTES - 1) in papers
    for key, paper in papers.items():
        assert paper["note"] == note(int(key, 16))
    assert papers[pid(7)]["tags"] == ["shortlist"]


def test_the_window_says_at_once_that_the_notes_file_is_damaged(
        qtbot: QtBot, seed_db: Path, full: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from paperdesk.app import create_window
    from tests.test_gui_support import wait_idle

    _damage_the_page_holding(full, "note-0150")
    window = create_window(seed_db, full)
    qtbot.addWidget(window)
    window.show()  # the notes file opens meanwhile; the message comes over the window
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "userDataError") is not None)
    wait_idle(qtbot, window)
    box = window.findChild(QMessageBox, "userDataError")
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "Your notes file is damaged"
    saved = backups.kept(full, "damaged")
    assert len(saved) == 1 and box.text().endswith(  # the hint restores into this file
        f"run: paperdesk userdata import --replace {saved[0]} --userdata {full}")
    assert len(json.loads(saved[0].read_text(encoding="utf-8"))["papers"]) > NOTES - 20
    box.close()


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"format": "paperdesk-userdata", "version": ' + "9" * 5000 + "}",
     "a number of 5000 digits"),
    ('{"format": "paperdesk-userdata", "version": 1, "papers": '
     '[{"id": "0000000000000001", "note": "a \\ud800 b"}]}', "lone surrogate, U+D800"),
    ('{"format": "paperdesk-userdata", "version": 1, "people": '
     '[{"key": "x", "tags": ["\\udfff"]}]}', "lone surrogate, U+DFFF"),
])
def test_hostile_backup_files_get_a_message(full: Path, tmp_path: Path, content: str,
                                            message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    before = sqlite3.connect(full).execute("SELECT count(*) FROM paper_notes").fetchone()
    assert main(["userdata", "import", "--merge", str(bad), "--userdata", str(full)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and str(bad) in err
    assert sqlite3.connect(full).execute("SELECT count(*) FROM paper_notes").fetchone() == before


def _paper_notes(path: Path) -> int:
    return int(sqlite3.connect(path).execute("SELECT count(*) FROM paper_notes").fetchone()[0])


def test_a_file_too_large_for_a_backup_is_refused_unread(
        full: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An 800 MB video took 848 MB of memory before "binary file": read whole."""
    video = tmp_path / "holiday.mp4"
    with video.open("wb") as out:
        out.truncate(800 * 10**6)  # sparse: no disk used
    assert MAX_BACKUP_BYTES == 512 * 2**20
    tracemalloc.start()
    try:
        code = main(["userdata", "import", "--merge", str(video), "--userdata", str(full)])
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 2
    assert capsys.readouterr().err == (f"paperdesk: {video}: cannot read the backup: larger "
                                       "than 512 MiB, the most the backup may be\n")
    assert peak < 20 * 2**20  # nothing of the file read
    assert _paper_notes(full) == NOTES


def _released_after(fifo: Path, seconds: float) -> threading.Timer:
    """After `seconds`, a writer opens and closes `fifo`: a reader waiting on it (the
    bug) reads an empty file instead of waiting for ever, so a failing test ends."""
    def release() -> None:
        with contextlib.suppress(OSError):  # no reader waits: nothing to release
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    timer = threading.Timer(seconds, release)
    timer.daemon = True
    timer.start()
    return timer


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_is_refused_as_a_backup_unopened(
        full: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """A FIFO waited for ever for a writer; /dev/zero was read to a MemoryError."""
    if kind == "fifo":
        given = tmp_path / "notes.json"
        os.mkfifo(given)
        what = "a FIFO (named pipe)"
    else:
        given = Path("/dev/zero")  # only ever read here
        what = "a device or socket"
    timer = _released_after(given, 10) if kind == "fifo" else None
    start = time.monotonic()
    try:
        code = main(["userdata", "import", "--merge", str(given), "--userdata", str(full)])
    finally:
        if timer is not None:
            timer.cancel()
    assert time.monotonic() - start < 5
    assert code == 2
    assert capsys.readouterr().err == (f"paperdesk: {given}: cannot read the backup: {what}, "
                                       "not a regular file\n")
    assert _paper_notes(full) == NOTES
