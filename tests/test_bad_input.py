"""Bad input: a clear message naming the file (and line), no traceback, nothing good lost."""

from __future__ import annotations

import gzip
import io
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from paperdesk.cli import main
from paperdesk.store import Store

from .conftest import SEEDS

GOOD = "000_77b9e73dc2a3999b.txt"  # 14 entries, header says 14


def _build(capsys: pytest.CaptureFixture[str], db: Path, *paths: Path) -> tuple[int, str, str]:
    code = main(["build", "--db", str(db), *map(str, paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _papers(db: Path) -> int:
    with Store(db) as store:
        return store.paper_total()


def _with_good_page(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEEDS / GOOD, folder / GOOD)
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty file"),
    (b"  \n\n \n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    (b"Dear colleague,\nplease find attached the minutes.\n", "not a profile page"),
])
def test_unusable_file_is_named_and_the_rest_imported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str) -> None:
    folder = _with_good_page(tmp_path, "bad.txt", data)
    code, out, err = _build(capsys, tmp_path / "s.db", folder)
    assert code != 0
    assert f"bad.txt: error: {message}" in err
    assert _papers(tmp_path / "s.db") == 14
    assert "skipped 1 page, 0 entries" in out


def test_page_cut_off_mid_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (SEEDS / "002_9c04bb96c17275a3.txt").read_text(encoding="utf-8").split("\n")
    # Line 152 is the 21st entry's meta line (of 22); keep it and its title only.
    cut = "\n".join(lines[:154])
    folder = _with_good_page(tmp_path, "cut.txt", cut.encode())
    code, _out, err = _build(capsys, tmp_path / "s.db", folder)
    assert code != 0
    assert "cut.txt:152: error: entry" in err and "cut off" in err
    assert "cut.txt: warning: header says 22 papers but the page has 21 entries" in err
    assert _papers(tmp_path / "s.db") == 14 + 20


def test_entry_missing_author_line_or_abstract(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    lines = (SEEDS / GOOD).read_text(encoding="utf-8").split("\n")
    # Entry at line 19: title 20, authors 22, abstract 24. Entry at line 26: abstract 31.
    del lines[30]  # the abstract of the entry at line 26
    del lines[21]  # the author line of the entry at line 19
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "holes.txt").write_text("\n".join(lines), encoding="utf-8")
    code, out, err = _build(capsys, tmp_path / "s.db", folder)
    assert code != 0
    assert "holes.txt:19: error: entry has no author line" in err
    assert "holes.txt:25: error: entry has no abstract" in err
    assert _papers(tmp_path / "s.db") == 12
    assert "skipped 0 pages, 2 entries" in out


def test_header_count_disagreeing_is_a_warning(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    text = (SEEDS / GOOD).read_text(encoding="utf-8").replace("14 Papers", "15 Papers")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "count.txt").write_text(text, encoding="utf-8")
    code, _out, err = _build(capsys, tmp_path / "s.db", folder)
    assert "count.txt: warning: header says 15 papers but the page has 14 entries" in err
    assert code == 0  # nothing was skipped
    assert _papers(tmp_path / "s.db") == 14


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_and_windows1252_pages_are_imported_with_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    text = (SEEDS / GOOD).read_text(encoding="utf-8")
    text = text.replace("Ziru Liu, Jiejie Tian", "José Núñez, Jiejie Tian", 1)
    if encoding == "cp1252":
        text = text.replace("In recent years", "In “recent” years", 1)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "old.txt").write_bytes(text.encode(encoding, errors="replace"))
    code, _out, err = _build(capsys, tmp_path / "s.db", folder)
    assert code == 0
    assert "old.txt:" in err and "warning: not UTF-8: read as Windows-1252" in err
    with Store(tmp_path / "s.db") as store:
        assert store.person("josé núñez") is not None
        if encoding == "cp1252":
            abstracts = [p.abstract for p in store.iter_papers()]
            assert any("In “recent” years" in a for a in abstracts)


def test_one_byte_not_utf8_leaves_every_other_name_on_the_page_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Windows-1252 dash in the abstract on line 80 made the whole page Windows-1252:
    `RenÃ© MÃ¼ller` refused as an author line, `fÃ¼r SchrÃ¶dinger` stored as a title."""
    text = (SEEDS / GOOD).read_text(encoding="utf-8")
    text = text.replace("Multi-Task Recommendations with Reinforcement Learning",
                        "Multi-Task Recommendations für Schrödinger", 1)
    text = text.replace("Ziru Liu, Jiejie Tian", "René Müller, Jiejie Tian", 1)
    data = text.encode("utf-8").replace(b"User simulators can", b"User simulators \x96 can")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "mixed.txt").write_bytes(data)
    code, out, err = _build(capsys, tmp_path / "s.db", folder)
    assert code == 0
    assert [line for line in err.splitlines() if "mixed.txt" in line] == [
        "mixed.txt:80: warning: not UTF-8: this line's bytes that are not UTF-8 read as "
        "Windows-1252 (Latin-1), the rest of the page as UTF-8"]
    assert "skipped 0 pages, 0 entries" in out
    with Store(tmp_path / "s.db") as store:
        papers = list(store.iter_papers())
        assert store.person("rené müller") is not None
    assert len(papers) == 14
    assert "Multi-Task Recommendations für Schrödinger" in [p.title for p in papers]
    assert sum("User simulators \u2013 can" in p.abstract for p in papers) == 1


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    code, _out, err = _build(capsys, tmp_path / "s.db", SEEDS / GOOD, missing)
    assert code != 0
    assert f"{missing}: error: no such file or folder" in err
    assert _papers(tmp_path / "s.db") == 14


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b""])
def test_store_that_is_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  content: bytes) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(content)
    for argv in (["search", "x"], ["export"]):
        assert main([*argv, "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert str(db) in err and "Traceback" not in err
    code, _out, err = _build(capsys, db, SEEDS / GOOD)
    assert code == 2 and "not a PaperDesk store" in err and "--force" in err
    assert db.read_bytes() == content  # nothing overwritten
    assert main(["build", "--db", str(db), "--force", str(SEEDS / GOOD)]) == 0
    assert _papers(db) == 14


def test_corrupt_store(tmp_path: Path, seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(seed_db.read_bytes())
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)  # wreck the schema pages
    seed_db.write_bytes(bytes(data))
    assert main(["search", "retrieval", "--db", str(seed_db)]) == 2
    err = capsys.readouterr().err
    assert str(seed_db) in err and "Traceback" not in err


def test_foreign_sqlite_file_is_not_overwritten(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "mine.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = db.read_bytes()
    code, _out, err = _build(capsys, db, SEEDS / GOOD)
    assert code == 2 and "not a PaperDesk store" in err
    assert db.read_bytes() == before


def with_stray_bytes(name: str = GOOD) -> bytes:
    """Seed 000 with a NUL inside its first title (line 13), two in the second's (line
    20) and a bell and an escape in its abstract (line 24, kept as text, as ever): a text
    page all the same."""
    lines = (SEEDS / name).read_bytes().split(b"\n")
    assert lines[12] == b"Multi-Task Recommendations with Reinforcement Learning"
    lines[12] = b"Multi-Task Recommen\x00dations with Reinforcement Learning"
    lines[19] = lines[19].replace(b"AutoAssign+:", b"Auto\x00Assign+:\x00")
    lines[23] = lines[23].replace(b"In the domain", b"In the\x07\x1b domain")
    return b"\n".join(lines)


def archives_of(page: bytes) -> dict[str, bytes]:
    """Binary files made of a text page, each named .txt: a zip that stores the page as
    it is (its start plain ASCII but for the zip's headers) and a gzip of it."""
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("page.txt", page)
    return {"stored.zip.txt": stored.getvalue(), "page.gz.txt": gzip.compress(page)}


def test_a_page_with_stray_control_bytes_is_read_and_binary_files_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page with one NUL was refused whole as "binary", its 14 papers lost. A few
    stray NULs are removed, each line warned of; an archive is refused."""
    folder = tmp_path / "pages"
    folder.mkdir()
    page = with_stray_bytes()
    (folder / "ziru.txt").write_bytes(page)
    for name, data in archives_of(page).items():
        (folder / name).write_bytes(data)
    code, out, err = _build(capsys, tmp_path / "s.db", folder)
    assert err.splitlines() == [
        "page.gz.txt: error: binary file, not a text page",
        "stored.zip.txt: error: binary file, not a text page",
        "ziru.txt:13: warning: 1 NUL byte removed",
        "ziru.txt:20: warning: 2 NUL bytes removed"]
    assert "1 page, 14 papers" in out and "skipped 2 pages, 0 entries" in out
    assert code != 0
    with Store(tmp_path / "s.db") as store:
        papers = list(store.iter_papers())
    titles = {p.title for p in papers}
    assert len(titles) == 14
    assert any(p.abstract.startswith("In the\x07\x1b domain") for p in papers)
    assert {"Multi-Task Recommendations with Reinforcement Learning",
            "AutoAssign+: Automatic Shared Embedding Assignment in Streaming Recommendation"
            } <= titles
