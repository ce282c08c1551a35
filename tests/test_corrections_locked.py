"""A correction, its undo and a page's owner change the user data and the store
together or not at all: with the store locked by another program, the command fails
with a message saying so and the notes stay exactly as they were (no correction
recorded, the annotations on the paper they were on)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdesk import userdata
from paperdesk.cli import main
from paperdesk.records import paper_id

from .test_corrections import OTHER, RIGHT, WRONG, _nameless_page_built, _page, _titles

OLD, NEW = paper_id(WRONG[0]), paper_id(RIGHT[0])


@contextlib.contextmanager
def _locked(db: Path) -> Iterator[None]:
    """Another program holding the store's write lock (as `sqlite3 store.db` with
    BEGIN IMMEDIATE does) while the block runs."""
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def _notes() -> list[str]:
    """The user-data file's every table and row, as SQL."""
    with sqlite3.connect(userdata.default_path()) as conn:
        return list(conn.iterdump())


def _busy(db: Path) -> str:
    return (f"paperdesk: {db}: the store is in use by another PaperDesk or program (nothing "
            "was changed: your notes are as they were); try again when it is done\n")


def _annotated(tmp_path: Path) -> Path:
    db = tmp_path / "store.db"
    assert main(["build", "--db", str(db), str(_page(tmp_path / "pages", WRONG, OTHER))]) == 0
    with userdata.UserData() as notes:
        notes.set_starred(OLD)
        notes.set_note(OLD, "read the appendix")
    return db


def test_a_correction_of_a_locked_store_leaves_the_notes_as_they_were(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _annotated(tmp_path)
    before = _notes()
    capsys.readouterr()
    with _locked(db):
        assert main(["correct", OLD, "--db", str(db), "--title", RIGHT[0],
                     "--authors", RIGHT[1]]) == 2
    err = capsys.readouterr().err
    assert _notes() == before
    assert err == _busy(db)
    with userdata.UserData() as notes:
        assert notes.conn.execute("SELECT count(*) FROM corrections").fetchone() == (0,)
        assert (notes.starred(OLD), notes.note(OLD)) == (True, "read the appendix")
        assert notes.starred(NEW) is False
    assert _titles(db)[OLD][0] == WRONG[0]
    # the lock gone, the same command corrects the paper, its annotations with it
    assert main(["correct", OLD, "--db", str(db), "--title", RIGHT[0],
                 "--authors", RIGHT[1]]) == 0
    assert _titles(db)[NEW][:2] == RIGHT
    with userdata.UserData() as notes:
        assert (notes.starred(NEW), notes.note(NEW)) == (True, "read the appendix")


def test_an_undo_on_a_locked_store_keeps_the_correction(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _annotated(tmp_path)
    assert main(["correct", OLD, "--db", str(db), "--title", RIGHT[0],
                 "--authors", RIGHT[1]]) == 0
    before = _notes()
    capsys.readouterr()
    with _locked(db):
        assert main(["correct", NEW, "--db", str(db), "--undo"]) == 2
    err = capsys.readouterr().err
    assert _notes() == before
    assert err == _busy(db)
    with userdata.UserData() as notes:
        assert notes.conn.execute("SELECT paper FROM corrections").fetchall() == [(NEW,)]
        assert (notes.starred(NEW), notes.starred(OLD)) == (True, False)
    assert _titles(db)[NEW][:2] == RIGHT


def test_naming_an_owner_in_a_locked_store_records_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _nameless_page_built(tmp_path)[1]
    with userdata.UserData() as notes:
        notes.set_starred(paper_id(OTHER[0]))  # the file exists, with something in it
    before = _notes()
    capsys.readouterr()
    with _locked(db):
        assert main(["owner", "nameless.txt", "Jing Yao", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert _notes() == before
    assert err == _busy(db)
