"""The window with a store another program holds, and before it replaces a file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from paperdesk.app import create_window
from paperdesk.gui import storehost
from tests.conftest import as_version_2
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    answer_when_asked,
    open_window,
    wait_idle,
    watch_connections,
)

pytestmark = OFFSCREEN_NOISE


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_locked_store_is_waited_for_and_never_offered_for_destruction(
        qtbot: QtBot, seed_db: Path) -> None:
    before = _dump(seed_db)
    writer = sqlite3.connect(seed_db, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another PaperDesk importing: readers must wait
    try:
        window = open_window(qtbot, seed_db)
        assert window.stack.currentWidget() is window.store_page
        assert "in use by another PaperDesk or program" in window.store_page.message.text()
        assert window.store_page.title.text() == "<h2>The paper store is in use</h2>"
        assert not window.store_page.button.isVisible()  # nothing to press, not even Enter
        qtbot.keyClick(window, Qt.Key.Key_Return)
        assert window.stack.currentWidget() is window.store_page
        writer.execute("INSERT INTO meta VALUES ('other-writer', 'committed')")
    finally:
        writer.execute("COMMIT")
        writer.close()
    with qtbot.waitSignal(window.storeOpened, timeout=5000):
        pass  # the window tries again by itself
    assert window.stack.currentWidget() is window.splitter
    read: list[str | None] = []  # what the window's reader finds in the store
    assert window.store_open and window.stores.read(lambda s: s.meta("other-writer"),
                                                    read.append)
    qtbot.waitUntil(lambda: read == ["committed"])
    assert _dump(seed_db) != before and len(_dump(seed_db)) == len(before) + 1


def test_replacing_a_damaged_store_asks_and_cancel_is_the_default(
        qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    db.write_bytes(b"my thesis, not a store\n" * 50)
    window = open_window(qtbot, db)
    assert window.stack.currentWidget() is window.store_page
    button = window.store_page.button
    assert not button.isDefault() and not button.autoDefault()
    seen = answer_when_asked(qtbot, None)  # Enter: the default answer
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[1] == "Cancel" and str(db) in seen[0]
    assert db.read_bytes() == b"my thesis, not a store\n" * 50
    assert window.stack.currentWidget() is window.store_page

    seen = answer_when_asked(qtbot, "Replace the store")
    with qtbot.waitSignal(window.storeOpened):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "store.db.damaged").read_bytes() == b"my thesis, not a store\n" * 50


@pytest.mark.parametrize("kind", ["folder", "under a file"])
def test_a_path_that_cannot_be_a_store_file_is_never_offered_for_replacing(
        qtbot: QtBot, tmp_path: Path, kind: str) -> None:
    """`paperdesk --db FOLDER`: the page says what the path is and what to give instead;
    no button builds there, Enter does nothing, nothing is renamed."""
    folder = tmp_path / "myfolder"
    folder.mkdir()
    (tmp_path / "thesis.txt").write_text("mine", encoding="utf-8")
    db = folder if kind == "folder" else tmp_path / "thesis.txt" / "store.db"
    window = open_window(qtbot, db)
    assert window.stack.currentWidget() is window.store_page
    page = window.store_page
    assert page.message.text() == (
        f"{folder} is a folder, not a store file; give a file path, e.g. "
        f"{folder}/paperdesk.db" if kind == "folder" else
        f"{db}: {tmp_path}/thesis.txt is a file, not a folder, so no store file can be made "
        f"under it; give a file path in a folder, e.g. {tmp_path}/paperdesk.db")
    assert page.note.text() == ("Start PaperDesk on a store file: paperdesk --db FILE (a "
                                "file that does not exist yet is built).")
    assert "replace" not in page.note.text().lower() and ".damaged" not in page.note.text()
    assert not page.button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is page and not window.store_open
    assert sorted(p.name for p in tmp_path.iterdir()) == ["myfolder", "thesis.txt"]
    assert list(folder.iterdir()) == []
    assert (tmp_path / "thesis.txt").read_text(encoding="utf-8") == "mine"


def test_the_hint_for_a_file_that_is_no_store_names_that_file(
        qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_bytes(b"my thesis, not a store\n" * 50)
    window = open_window(qtbot, db)
    assert window.store_page.message.text() == (
        f"{db}: not a readable PaperDesk store (file is not a database); "
        f"rebuild it from the folder of your pages with: paperdesk build --force --db {db} FOLDER")


def test_a_typed_note_survives_locked_user_data_and_is_saved_on_retry(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from paperdesk.userdata import UserData
    from tests.test_gui_support import click_author, click_row, row_of_title

    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    typed = "Read section 4 again: <b>the</b> tokenizer & the 152k vocabulary"

    def ok(dialog: object) -> None:
        buttons = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    other = sqlite3.connect(userdata, isolation_level=None)  # another window saving
    other.execute("BEGIN IMMEDIATE")
    try:
        dialog = window.annotations.edit_note()
        assert dialog is not None
        dialog.edit.setPlainText(typed)
        ok(dialog)
        qtbot.waitUntil(lambda: window.annotations.note_draft is not None)  # written off-thread
        box = window.findChild(QMessageBox, "userDataError")
        assert box is not None and "in use by another program" in box.text()
        retry = window.annotations.note_draft
        assert retry is not None and retry.isVisible() and retry.note() == typed
        box.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    ok(retry)  # the other program is done: OK again saves what was typed
    qtbot.waitUntil(lambda: not window.busy)
    paper = window.current_paper()
    assert paper is not None
    with UserData(userdata) as notes:
        assert notes.note(paper.id) == typed


def test_typed_tags_survive_locked_user_data_too(qtbot: QtBot, seed_db: Path,
                                                 tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from paperdesk.userdata import UserData
    from tests.test_gui_support import click_author, click_row, row_of_title

    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    other = sqlite3.connect(userdata, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        dialog = window.annotations.edit_tags()
        assert dialog is not None
        dialog.edit.setText("shortlist, to review")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: window.annotations.tags_draft is not None)  # written off-thread
        assert window.findChild(QMessageBox, "userDataError") is not None
        retry = window.annotations.tags_draft
        assert retry is not None and retry.isVisible()
        assert retry.tags() == ["shortlist", "to review"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    retry.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not window.busy)
    paper = window.current_paper()
    assert paper is not None
    with UserData(userdata) as notes:
        assert notes.tags(paper.id) == ("shortlist", "to review")


def test_an_open_under_way_is_void_after_a_newer_open_or_a_close(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening checks the store on a thread of its own: an outcome that a newer open or
    a close made void never reaches the window (here, a made-up problem)."""
    window = open_window(qtbot, seed_db)
    opener = window.stores._opener
    # A small store's whole-file check runs on the same thread once its first answer
    # shows, and a close drops its answer too: on a loaded machine it was still running
    # at the next open, and counted among the dropped.
    qtbot.waitUntil(lambda: not opener.busy)
    gate = threading.Event()
    check = storehost.check_store
    held: list[Path] = []

    def held_once(db: Path) -> storehost.Outcome:
        if not held:
            held.append(db)
            assert gate.wait(10)
            return storehost.Outcome("problem", "an outcome made void")
        return check(db)

    monkeypatch.setattr(storehost, "check_store", held_once)
    window.reopen_store()  # held on the opener's thread
    qtbot.waitUntil(lambda: held == [seed_db])
    assert window.busy and not window.store_open
    with qtbot.waitSignal(window.storeOpened, timeout=5000):
        window.reopen_store()  # queued behind the held one, which it makes void
        gate.set()
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is window.splitter
    assert window.store_page.message.text() == ""
    assert window.paper_model.rowCount() == sum(PROFILES.values())
    qtbot.waitUntil(lambda: not opener.busy)
    assert opener.cancelled == 1

    held.clear()
    gate.clear()
    window.reopen_store()
    qtbot.waitUntil(lambda: held == [seed_db])
    window.stores.close()  # the window's store closes mid-open
    gate.set()
    qtbot.waitUntil(lambda: opener.cancelled == 2)  # both dropped on arrival
    assert window.stack.currentWidget() is window.splitter  # no problem page
    assert not window.store_open and not window.busy


def test_building_from_the_seeds_runs_off_the_gui_thread(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The missing store's build button: the build (a Task) and the open that follows
    open no connection on the GUI thread."""
    seen = watch_connections(monkeypatch)
    db = tmp_path / "store.db"
    window = open_window(qtbot, db)
    assert window.stack.currentWidget() is window.store_page
    with qtbot.waitSignal(window.storeOpened, timeout=10_000):
        qtbot.mouseClick(window.store_page.button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == sum(PROFILES.values())
    assert "MainThread" not in seen.opened_on
    assert seen.gui_sql == []


def test_a_store_path_the_system_refuses_gets_the_problem_page(
        qtbot: QtBot, tmp_path: Path) -> None:
    """A store file whose name is too long for the file system: checking it raises an
    OSError, which the window says on its page, as any store it cannot open, and is
    done waiting (not a blank window that stays busy)."""
    window = create_window(tmp_path / ("x" * 300) / "store.db", tmp_path / "notes.db")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.store_page)
    assert "File name too long" in window.store_page.message.text()
    wait_idle(qtbot, window)
    assert not window.store_open


def test_an_open_asked_during_an_upgrade_waits_for_it(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import or a correction asks to open the store again while an older store is
    being upgraded: the upgrade runs once, the window counts as busy until the store
    is open, and the store opens once, after it."""
    as_version_2(seed_db)
    gate = threading.Event()
    real = storehost.upgrade_store
    calls: list[Path] = []

    def held(path: Path, cancelled: object) -> None:
        calls.append(path)
        assert gate.wait(10)
        real(path, cancelled)  # type: ignore[arg-type]

    monkeypatch.setattr(storehost, "upgrade_store", held)
    window = create_window(seed_db, seed_db.with_name("notes.db"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: calls == [seed_db])
    window.reopen_store()
    assert window.busy and not window.store_open
    opened: list[object] = []
    window.storeOpened.connect(lambda: opened.append(True))
    gate.set()
    wait_idle(qtbot, window)
    assert calls == [seed_db] and opened == [True] and window.store_open


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # a menu, a tip
def test_the_actions_that_need_a_store_are_disabled_and_say_why_while_none_is_open(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """A tester pressed Ctrl+I on a truncated store: the file dialog closed with no
    import and no message. Export and Find reviewers did nothing either, People's
    identities opened empty, Compare and the Desk's blamed the selection. While no store
    is open each is disabled, its tooltip (shown in its menu) says why; once a store
    opens, each is enabled with its own tooltip again."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QFileDialog, QToolTip

    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(seed_db.read_bytes()[:40_960])
    window = open_window(qtbot, truncated)
    assert window.stack.currentWidget() is window.store_page and not window.store_open
    menus, desk = window.menu_actions, window.desk
    needing = [menus.import_files, menus.import_folder, menus.export, menus.compare,
               menus.identities, desk.reviewers_action, desk.similar_action,
               desk.people_action, desk.report_action]
    reason = ("No paper store is open: the window says why, and offers to build one "
              "from your pages")
    assert [(a.isEnabled(), a.toolTip(), a.statusTip()) for a in needing] == [
        (False, reason, reason)] * len(needing)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not [d for d in window.findChildren(QFileDialog) if d.isVisible()]

    file_menu = window.file_menu  # hovering Import in the File menu says why
    file_menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitExposed(file_menu)
    at = file_menu.actionGeometry(menus.import_files).center()
    QApplication.sendEvent(file_menu, QHelpEvent(QHelpEvent.Type.ToolTip, at,
                                                 file_menu.mapToGlobal(at)))
    qtbot.waitUntil(lambda: QToolTip.text() == reason)
    file_menu.close()

    good = open_window(qtbot, seed_db)
    assert [a.isEnabled() for a in (good.menu_actions.import_files, good.menu_actions.export,
                                    good.desk.reviewers_action)] == [True] * 3
    assert good.menu_actions.export.toolTip() == (
        "The papers shown, in the order shown: BibTeX, CSV, Markdown or JSON")
    assert good.menu_actions.import_files.statusTip() == ""
