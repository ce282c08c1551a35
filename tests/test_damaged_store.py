"""A store damaged in the middle (a few pages of the file overwritten, its header and
schema sound): opening it finds nothing, and whichever read meets the damage, in the
window or at the command line, says so: the file, and how to build it again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paperdesk import cli, store
from paperdesk.gui import storehost
from paperdesk.gui.window import MainWindow
from tests.conftest import SEEDS, damage_pages
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_row,
    open_window,
    row_of_title,
    search_for,
)

pytestmark = OFFSCREEN_NOISE


def _said(db: Path, why: str = "database disk image is malformed") -> str:
    return (f"{db}: the store is damaged: part of the file cannot be read ({why}); "
            f"rebuild it from the folder of your pages with: "
            f"paperdesk build --force --db {db} FOLDER")


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """No store is checked whole at open: each read must say the damage it meets."""
    monkeypatch.setattr(store, "CHECKED_BYTES", 0, raising=False)


def _offered(qtbot: QtBot, window: MainWindow, db: Path, said: str | None = None) -> None:
    """The page the window shows at open for a damaged store, with this store's words."""
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.store_page)
    page = window.store_page
    assert page.title.text() == "<h2>The paper store is damaged</h2>"
    assert page.message.text() == (said or _said(db))
    assert page.folder_button.isVisible() and page.button.isVisible()
    assert page.folder_button.text() == "Build a new store from a folder of your pages…"
    assert f"The store file is {db}." in page.note.text()
    assert not window.store_open  # its threads stopped: no read says it again


@pytest.mark.usefixtures("unchecked")
def test_a_search_that_meets_damaged_papers_offers_a_new_store_once(
        qtbot: QtBot, seed_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    damage_pages(seed_db, "papers")  # the first page of rows, which an open reads, spared
    with caplog.at_level(logging.WARNING, "paperdesk.gui.storehost"):
        window = open_window(qtbot, seed_db)  # its first search reads the newest rows
        _offered(qtbot, window, seed_db)
        search_for(qtbot, window, "graph")  # nothing searches a store no longer open
    assert [r.getMessage() for r in caplog.records] == [_said(seed_db)]


@pytest.mark.usefixtures("unchecked")
def test_the_author_list_meeting_a_damaged_page_offers_a_new_store(
        qtbot: QtBot, seed_db: Path) -> None:
    damage_pages(seed_db, "people_list")  # the author list's rows; no search reads them
    window = open_window(qtbot, seed_db)
    _offered(qtbot, window, seed_db)


@pytest.mark.usefixtures("unchecked")
def test_the_detail_pane_meeting_a_damaged_page_offers_a_new_store(
        qtbot: QtBot, seed_db: Path) -> None:
    damage_pages(seed_db, "paper_authors", spared=0)  # only the pane reads them
    window = open_window(qtbot, seed_db)
    assert window.store_open and window.paper_model.rowCount() > 0
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    _offered(qtbot, window, seed_db)


@pytest.mark.usefixtures("unchecked")
def test_find_reviewers_meeting_a_damaged_page_offers_a_new_store(
        qtbot: QtBot, seed_db: Path) -> None:
    damage_pages(seed_db, "papers_fts_data")  # the full-text index the desk reads
    window = open_window(qtbot, seed_db)
    assert window.store_open
    dialog = window.desk.find_reviewers()
    assert dialog is not None
    dialog.title.setText("Large language model alignment with human feedback")
    dialog.rank()
    _offered(qtbot, window, seed_db)
    qtbot.waitUntil(lambda: dialog.status.text() == _said(seed_db))


def test_a_store_damaged_where_no_read_goes_yet_is_said_once_it_is_open(
        qtbot: QtBot, seed_db: Path) -> None:
    """Checked whole in the background once the first answer is shown (a small store):
    damage the first rows, the author list and the pane never read is said too."""
    pages = damage_pages(seed_db, "name_blocks")
    window = open_window(qtbot, seed_db)
    _offered(qtbot, window, seed_db, _said(seed_db, "; ".join(
        f"Page {page}: btreeInitPage() returns error code 11" for page in reversed(pages))))


def test_the_offer_builds_the_store_again_from_the_users_pages(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    from tests.test_gui_support import answer_when_asked

    damage_pages(seed_db, "papers")
    window = open_window(qtbot, seed_db)
    _offered(qtbot, window, seed_db)
    answer_when_asked(qtbot, "Replace the store")
    with qtbot.waitSignal(window.storeOpened, timeout=20000):
        window.stores.build_from(SEEDS, f"the pages in {SEEDS}")
    qtbot.waitUntil(lambda: window.paper_model.rowCount() > 0)
    assert window.stack.currentWidget() is window.splitter
    assert store.find_damage(seed_db, lambda: False) is None
    assert (tmp_path / "seeds.db.damaged").exists()


def test_a_sound_store_is_checked_and_stays_open(qtbot: QtBot, seed_db: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[Path] = []

    def check(path: Path, cancelled: object) -> None:
        checked.append(path)

    monkeypatch.setattr(storehost, "find_damage", check, raising=False)
    window = open_window(qtbot, seed_db)
    qtbot.waitUntil(lambda: checked == [seed_db])
    assert window.store_open and window.stack.currentWidget() is window.splitter


# The commands that read papers, people, the full-text index or the author list.
COMMANDS = [["search", "graph"], ["search", "author:wang"], ["export"],
            ["export", "--format", "csv"], ["export", "--query", "graph"],
            ["people", "list"], ["people", "list", "wang"], ["people", "suggestions"],
            ["report", "Luo Ji", "-o", "{tmp}/report.html"],
            ["reviewers", "--title", "graph neural networks"],
            ["similar", "--profile", "Luo Ji"]]


@pytest.fixture(scope="module")
def _damaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("damaged") / "store.db"
    report = store.build_store([SEEDS], db, this_year=2026)
    assert report.complete
    for table in ("papers", "people_list", "papers_fts_data", "paper_authors", "people"):
        damage_pages(db, table)
    return db


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_on_a_damaged_store_says_it_in_one_line(
        _damaged: Path, tmp_path: Path, command: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    args = [word.format(tmp=tmp_path) for word in command]
    assert cli.main([*args, "--db", str(_damaged)]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == f"paperdesk: {_said(_damaged)}\n"


def test_damaged_notes_are_never_blamed_on_the_store(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite does not say which file a damaged page was in: a search that reads the
    user's notes (is:starred) and meets their damage names the notes, never the store."""
    from paperdesk.userdata import UserData

    notes = tmp_path / "notes.db"
    with UserData(notes) as user:
        for n in range(400):  # rows enough for pages past the first
            user.set_note(f"{n:016x}", "a note " * 40)
    damage_pages(notes, "paper_notes")
    assert cli.main(["search", "note:note", "--db", str(seed_db),
                     "--userdata", str(notes)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"paperdesk: {notes}: ") and "rebuild" not in err
    assert store.find_damage(seed_db, lambda: False) is None
