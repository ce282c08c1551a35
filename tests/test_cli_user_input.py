"""What the user names on the command line, checked as a newcomer's tour found it was not:
a file to read (not UTF-8, binary, missing), a paper id or person a decision names, a
profile name two profiles share, an author list left empty, a file to write in a folder
that does not exist or with an extension no format has. Each is one clear line naming
what the user gave, an exit status of 2, and nothing changed."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from paperdesk.cli import main
from paperdesk.identity.decisions import DecisionError
from paperdesk.identity.desk import decide
from paperdesk.store import Store
from paperdesk.userdata import UserData

# Seeds: a paper of Ziru Liu's page with Ziru Liu among its authors, and one of
# Luo Ji's page without him.
ZIRU_PAPER = "8b59649b40b33784"  # Self-Distilled Trajectory-Aware Boltzmann Modeling...
NOT_ZIRUS = "ca4a2530607e553b"  # The Road to Artificial SuperIntelligence...
NOT_ZIRUS_TITLE = ("The Road to Artificial SuperIntelligence: A Comprehensive Survey of "
                   "Superalignment")


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    return tmp_path / "notes.db"


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


# ------------------------------------------------------------------ files read


def test_an_abstract_file_not_in_utf8_is_read_as_a_page_is(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`printf 'caf\\xe9 agents'`: a UnicodeDecodeError traceback; now Windows-1252, said."""
    latin = tmp_path / "abstract.txt"
    latin.write_bytes(b"caf\xe9 agents")
    assert main(["reviewers", "--db", str(seed_db), "--title", "agents",
                 "--abstract-file", str(latin)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (f"paperdesk: {latin}:1: warning: not UTF-8: read as "
                            "Windows-1252 (Latin-1)\n")
    assert main(["reviewers", "--db", str(seed_db), "--title", "agents",
                 "--abstract", "café agents"]) == 0
    assert capsys.readouterr().out == captured.out  # the same topic as the text typed


@pytest.mark.parametrize("query", ["", "  "])
def test_an_empty_reviewers_query_is_one_line(seed_db: Path, query: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`--query ""`: a TypeError traceback (an empty search read as no search given)."""
    assert main(["reviewers", "--db", str(seed_db), "--query", query]) == 2
    assert _said(capsys) == ("paperdesk: --query needs a search: the papers it finds are "
                             "the topic\n")


@pytest.mark.parametrize(("content", "why"), [
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "a binary file, not text"),
    (b"", "empty file"),
    (None, "No such file or directory"),
])
def test_an_abstract_file_that_is_no_text_is_one_line(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        content: bytes | None, why: str) -> None:
    given = tmp_path / "abstract.txt"
    if content is not None:
        given.write_bytes(content)
    assert main(["reviewers", "--db", str(seed_db), "--title", "agents",
                 "--abstract-file", str(given)]) == 2
    assert _said(capsys) == f"paperdesk: {given}: cannot read the abstract: {why}\n"


@pytest.mark.parametrize(("content", "why"), [
    (None, "cannot read the backup: No such file or directory"),
    (b"\x00\x01binary", "cannot read the backup: a binary file, not text"),
    (b'{"format": "paperdesk-userdata", "caf\xe9": 1}', "cannot read the backup: not UTF-8 "
                                                       "text"),
])
def test_a_backup_to_import_is_checked_before_anything_is_asked(
        tmp_path: Path, notes: Path, capsys: pytest.CaptureFixture[str],
        content: bytes | None, why: str) -> None:
    """`userdata import /nonexistent.json` answered "... would replace them: pass
    --replace", as if the file were there; the notes here stay as they were."""
    with UserData(notes) as user:
        user.set_note(ZIRU_PAPER, "mine")
    backup = tmp_path / "backup.json"
    if content is not None:
        backup.write_bytes(content)
    assert main(["userdata", "import", str(backup), "--userdata", str(notes)]) == 2
    assert _said(capsys) == f"paperdesk: {backup}: {why}\n"
    with UserData(notes) as user:
        assert user.note(ZIRU_PAPER) == "mine"


# ------------------------------------------------------------------ ids and names


def test_a_split_of_a_paper_the_store_does_not_hold_is_refused_and_not_recorded(
        seed_db: Path, notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`people split "Ziru Liu" --paper nope` said "done: split 1 paper..." and the
    history kept it."""
    common = ["--db", str(seed_db), "--userdata", str(notes)]
    assert main(["people", "split", "Ziru Liu", "--paper", "nope", *common]) == 2
    assert _said(capsys) == ("paperdesk: split: no paper with id nope in the store; "
                             "nothing was split\n")
    assert main(["people", "split", "Ziru Liu", "--paper", ZIRU_PAPER, "--paper",
                 NOT_ZIRUS, *common]) == 2
    assert _said(capsys) == (f"paperdesk: split: ziru liu is not an author of {NOT_ZIRUS}"
                             f" ({NOT_ZIRUS_TITLE}); nothing was split\n")
    assert main(["people", "reject", "Ziru Liu", "ziru liu", *common]) == 2
    assert _said(capsys) == "paperdesk: reject: name two different people\n"
    assert main(["people", "history", *common]) == 0
    assert capsys.readouterr().out == ""  # nothing recorded
    assert main(["people", "split", "Ziru Liu", "--paper", ZIRU_PAPER, "--paper",
                 ZIRU_PAPER, *common]) == 0  # a paper of theirs, once however often named
    assert capsys.readouterr().out.startswith(
        "done: split 1 paper of ziru liu off as ziru liu#2 (notes: both)")


def test_the_window_s_decisions_are_checked_the_same_way(seed_db: Path, notes: Path) -> None:
    """The check is in the data layer's `decide`, which the window calls too."""
    with pytest.raises(DecisionError, match="no paper with id nope in the store"):
        decide(seed_db, notes, "split", {"person": "ziru liu", "papers": ["nope"]})
    with UserData(notes) as user:
        assert user.conn.execute("SELECT count(*) FROM identity_decisions").fetchone()[0] == 0


def test_a_profile_name_two_profiles_share_is_refused_by_every_command(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`similar --profile Liu` picked Zeyuan Liu; `report Liu` refused, as both now do."""
    both = (f"paperdesk: {seed_db}: 'Liu' names 2 profiles: Zeyuan Liu "
            "(004_479c3ff5c2d3a48a.txt), Ziru Liu (000_77b9e73dc2a3999b.txt); give more of "
            "the name, or the page file\n")
    for command in (["similar", "--profile", "Liu"], ["report", "Liu"]):
        assert main([*command, "--db", str(seed_db)]) == 2
        assert _said(capsys) == both
    assert main(["similar", "--profile", "ziru", "--db", str(seed_db)]) == 0
    assert capsys.readouterr().out.startswith("like Ziru Liu: topics ")
    assert main(["similar", "--profile", "004_479c3ff5c2d3a48a.txt", "--db",
                 str(seed_db)]) == 0  # by its page file, as the report takes it
    assert capsys.readouterr().out.startswith("like Zeyuan Liu: topics ")


@pytest.mark.parametrize("authors", ["", "  ", " , ,"])
def test_an_empty_author_list_is_refused_as_an_empty_title_is(
        seed_db: Path, notes: Path, capsys: pytest.CaptureFixture[str], authors: str) -> None:
    with Store(seed_db) as store:
        before = store.paper_by_id(NOT_ZIRUS)
    assert before is not None and before.author_list
    assert main(["correct", NOT_ZIRUS, "--authors", authors, "--db", str(seed_db),
                 "--userdata", str(notes)]) == 2
    assert _said(capsys) == ("paperdesk: an author list cannot be empty: give at least one "
                             "name (to read the page's authors again, undo the correction)\n")
    with Store(seed_db) as store:
        assert store.paper_by_id(NOT_ZIRUS) == before
    with UserData(notes) as user:
        assert user.conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


# ------------------------------------------------------------------ files written


def test_a_file_to_write_in_a_missing_folder_names_it_not_a_temporary(
        seed_db: Path, tmp_path: Path, notes: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Said `/x/dir/.r.pdf.writing: No such file or directory`."""
    folder = tmp_path / "no such folder"
    for name in ("r.pdf", "r.html"):
        assert main(["report", "Ziru Liu", "--db", str(seed_db), "-o",
                     str(folder / name)]) == 2
        assert _said(capsys) == (f"paperdesk: {folder / name}: cannot write it: the folder "
                                 f"{folder} does not exist\n")
    assert main(["userdata", "export", str(folder / "notes.json"), "--userdata",
                 str(notes)]) == 2
    assert _said(capsys) == (f"paperdesk: {folder / 'notes.json'}: cannot write it: the "
                             f"folder {folder} does not exist\n")
    assert not folder.exists()


def _backup(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data["format"] == "paperdesk-userdata"
    return data


def test_a_file_written_through_a_symlink_is_its_target_and_the_link_stays(
        tmp_path: Path, notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The rename put a file where the link was: the file it points to, in another
    folder, was left as it was, and the link was gone."""
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    (elsewhere / "kept.json").write_text("old\n", encoding="utf-8")
    (here / "notes.json").symlink_to(elsewhere / "kept.json")
    (here / "new.json").symlink_to("../elsewhere/new.json")  # to a file not there yet
    for name in ("notes.json", "new.json"):
        assert main(["userdata", "export", str(here / name), "--userdata", str(notes)]) == 0
    assert _said(capsys) == ""
    assert (here / "notes.json").readlink() == elsewhere / "kept.json"
    assert (here / "new.json").readlink() == Path("../elsewhere/new.json")
    assert _backup(elsewhere / "kept.json")["papers"] == []
    assert _backup(elsewhere / "new.json")["papers"] == []
    assert sorted(p.name for p in here.iterdir()) == ["new.json", "notes.json"]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["kept.json", "new.json"]


def test_a_file_written_over_keeps_its_permissions_and_a_new_one_has_the_umasks(
        seed_db: Path, tmp_path: Path, notes: Path) -> None:
    """A 0600 notes export became 0644 when written again: readable by everyone."""
    private = tmp_path / "private.json"
    private.write_text("old\n", encoding="utf-8")
    private.chmod(0o600)
    shared = tmp_path / "r.html"
    shared.write_text("old\n", encoding="utf-8")
    shared.chmod(0o640)
    old_umask = os.umask(0o027)
    try:
        assert main(["userdata", "export", str(private), "--userdata", str(notes)]) == 0
        assert main(["report", "Ziru Liu", "--db", str(seed_db), "-o", str(shared)]) == 0
        assert main(["userdata", "export", str(tmp_path / "new.json"), "--userdata",
                     str(notes)]) == 0
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert _backup(private)["papers"] == []
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    assert "<h1>Ziru Liu</h1>" in shared.read_text(encoding="utf-8")
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640  # 0666 & ~027


def _reading(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    """A thread reading `fifo` to its end, and the list its bytes come into."""
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()),
                              daemon=True)  # never left waiting by a failed test
    reader.start()
    return reader, got


def test_a_fifo_is_written_into_never_replaced_by_a_file(
        seed_db: Path, tmp_path: Path, notes: Path) -> None:
    """`report -o FIFO` put a regular file in the FIFO's place: its reader got nothing."""
    for name, argv in (("r.html", ["report", "Ziru Liu", "--db", str(seed_db), "-o"]),
                       ("n.json", ["userdata", "export", "--userdata", str(notes)])):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        reader, got = _reading(fifo)
        assert main([*argv, str(fifo)]) == 0
        reader.join(timeout=30)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert len(got) == 1
        text = got[0].decode("utf-8")
        assert "<h1>Ziru Liu</h1>" in text if name == "r.html" else \
            json.loads(text)["format"] == "paperdesk-userdata"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "n.json", "notes.db", "r.html", "seeds.db"]


def test_a_socket_is_refused_as_no_file_to_write(
        tmp_path: Path, notes: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a socket's path is short
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s.json")
        assert main(["userdata", "export", "s.json", "--userdata", str(notes)]) == 2
    assert _said(capsys) == "paperdesk: s.json: cannot write it: not a file; give a file name\n"
    assert stat.S_ISSOCK(os.lstat("s.json").st_mode)


def test_a_report_file_whose_extension_names_no_format_is_refused(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o r.docx` wrote HTML into a .docx; `--format` still chooses for any name."""
    for name, given in (("r.docx", "not .docx"), ("r", "and it has no extension")):
        assert main(["report", "Ziru Liu", "--db", str(seed_db), "-o",
                     str(tmp_path / name)]) == 2
        assert _said(capsys) == (f"paperdesk: {tmp_path / name}: a report is a .pdf or an "
                                 f".html file, {given}; name it so, or give --format "
                                 "pdf|html\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds.db"]
    assert main(["report", "Ziru Liu", "--db", str(seed_db), "-o", str(tmp_path / "r.HTM"),
                 "--format", "html"]) == 0
    assert "<h1>Ziru Liu</h1>" in (tmp_path / "r.HTM").read_text(encoding="utf-8")
