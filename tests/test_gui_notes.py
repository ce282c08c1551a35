"""The user's own data in the window: keys, context menu, editor row, dialogs, failures."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from paperdesk import backups
from paperdesk.app import create_window
from paperdesk.gui.annotate import NoteDialog, TagsDialog, parse_tags
from paperdesk.gui.models import NOTES_ROLE, PaperTableModel
from paperdesk.gui.notesthread import NotesThread, Opened
from paperdesk.gui.reader import Reader
from paperdesk.gui.window import MainWindow
from paperdesk.search import search
from paperdesk.store import Store
from paperdesk.userdata import UserData
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    TITLES,
    click_author,
    click_row,
    model_on,
    open_window,
    read_rows,
    row_of_title,
    search_for,
    table_papers,
    trace_gui_sql,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
SHOTS = os.environ.get("PAPERDESK_SHOTS")  # a folder to keep the pictures in, to look at
QWEN = "Qwen Technical Report"
D = TypeVar("D", bound=QDialog)
STAR, READ, RATING = PaperTableModel.STAR, PaperTableModel.READ, PaperTableModel.RATING


def _on_qwen(qtbot: QtBot, seed_db: Path, userdata: Path) -> MainWindow:
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, QWEN))
    window.table.setFocus()
    return window


def _cells(window: MainWindow) -> tuple[str, str, str]:
    row = window.table.currentIndex().row()
    model = window.paper_model
    return (model.index(row, STAR).data(), model.index(row, READ).data(),
            model.index(row, RATING).data())


def _stored(userdata: Path, window: MainWindow):  # type: ignore[no-untyped-def]
    paper = window.current_paper()
    assert paper is not None
    with UserData(userdata) as ud:
        return ud.paper(paper.id)


def _press(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window.table, key)
    wait_idle(qtbot, window)


def _ok(qtbot: QtBot, dialog: object) -> None:
    window = dialog.parent()  # type: ignore[attr-defined]
    box = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def test_keys_edit_and_the_table_shows_it(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)
    assert _cells(window) == ("", "", "")
    _press(qtbot, window, Qt.Key.Key_S)
    assert _cells(window)[0] == "★" and _stored(userdata, window).starred
    _press(qtbot, window, Qt.Key.Key_R)
    assert _cells(window)[1] == "reading" and _stored(userdata, window).read_state == "reading"
    _press(qtbot, window, Qt.Key.Key_R)
    assert _cells(window)[1] == "read"
    _press(qtbot, window, Qt.Key.Key_R)
    assert _cells(window)[1] == "" and _stored(userdata, window).read_state == "unread"
    _press(qtbot, window, Qt.Key.Key_R)
    _press(qtbot, window, Qt.Key.Key_4)
    assert _cells(window) == ("★", "reading", "★★★★")
    assert _stored(userdata, window).rating == 4
    _press(qtbot, window, Qt.Key.Key_4)  # the same rating again clears it
    assert _cells(window)[2] == "" and _stored(userdata, window).rating is None
    for key, n in ((Qt.Key.Key_1, 1), (Qt.Key.Key_5, 5), (Qt.Key.Key_2, 2)):
        _press(qtbot, window, key)
        assert _stored(userdata, window).rating == n and _cells(window)[2] == "★" * n
    _press(qtbot, window, Qt.Key.Key_0)
    assert _stored(userdata, window).rating is None
    # the selection stays on the paper through every edit
    assert window.table.currentIndex().data(NOTES_ROLE).starred
    assert window.paper_model.rid_at(window.table.currentIndex().row()) == window.current_rid
    # T: the tags dialog
    _press(qtbot, window, Qt.Key.Key_T)
    tags = window.findChild(TagsDialog)
    assert tags is not None
    qtbot.waitUntil(tags.isVisible)
    tags.edit.setText("llm, survey ,LLM")
    _ok(qtbot, tags)
    assert _stored(userdata, window).tags == ("llm", "survey")
    row = window.table.currentIndex().row()
    assert "tags: llm, survey" in window.paper_model.index(row, STAR).data(
        Qt.ItemDataRole.ToolTipRole)
    # N: the note dialog
    _press(qtbot, window, Qt.Key.Key_N)
    note = window.findChild(NoteDialog)
    assert note is not None
    qtbot.waitUntil(note.isVisible)
    qtbot.keyClicks(note.edit, "Read section 3 again")
    _ok(qtbot, note)
    assert _stored(userdata, window).note == "Read section 3 again"
    text = window.detail.toPlainText()
    assert "Your notes" in text and "Read section 3 again" in text and "llm, survey" in text
    assert "reading" in text
    # a new window on the same files shows it all again
    window.close()
    second = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, second, "profile", "Luo Ji")
    row = row_of_title(second, QWEN)
    assert second.paper_model.index(row, STAR).data() == "★"
    assert second.paper_model.index(row, READ).data() == "reading"


def test_cancelled_dialogs_change_nothing(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)
    _press(qtbot, window, Qt.Key.Key_T)
    tags = window.findChild(TagsDialog)
    qtbot.waitUntil(tags.isVisible)
    tags.edit.setText("nope")
    tags.reject()
    _answer(qtbot, tags, "Discard")
    _press(qtbot, window, Qt.Key.Key_N)
    note = window.findChild(NoteDialog)
    qtbot.waitUntil(note.isVisible)
    note.edit.setPlainText("nope")
    note.reject()
    _answer(qtbot, note, "Discard")
    assert _stored(userdata, window).empty


def _question(qtbot: QtBot, dialog: QDialog) -> QMessageBox:
    """The discard question over `dialog`, once open; the dialog still open under it."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box.parent() is dialog and dialog.isVisible()
    return box


def _answer(qtbot: QtBot, dialog: QDialog, text: str) -> None:
    box = _question(qtbot, dialog)
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _active(qtbot: QtBot, window: MainWindow, kind: type[D]) -> D:
    """The dialog of `kind` open over `window` (not one closed before), active."""
    def shown() -> D | None:
        return next((d for d in window.findChildren(kind) if d.isVisible()), None)
    qtbot.waitUntil(lambda: shown() is not None)
    dialog = shown()
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_esc_asks_before_a_typed_note_or_tags_are_lost(qtbot: QtBot, seed_db: Path,
                                                       tmp_path: Path) -> None:
    """A newcomer pressed N, typed a sentence, pressed Esc: the note was gone. A change
    asks first (Keep editing the default, and Esc's answer); no change closes at once."""
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)
    _press(qtbot, window, Qt.Key.Key_N)
    note = _active(qtbot, window, NoteDialog)
    qtbot.keyClicks(note.edit, "Compare with the 72B model's numbers.")
    qtbot.keyClick(note.edit, Qt.Key.Key_Escape)
    box = _question(qtbot, note)
    assert box.text() == "Discard your changes to this note?"
    if SHOTS:
        assert box.window().grab().save(str(Path(SHOTS) / "note-discard-question.png"))
        assert note.grab().save(str(Path(SHOTS) / "note-dialog.png"))
    assert box.defaultButton().text() == "&Keep editing"
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc twice keeps the note too
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is note)
    assert note.edit.toPlainText() == "Compare with the 72B model's numbers."
    cancel = note.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    _answer(qtbot, note, "Discard")
    qtbot.waitUntil(lambda: not note.isVisible())
    assert _stored(userdata, window).note == ""
    # saved, then opened again unchanged: Esc closes at once
    _press(qtbot, window, Qt.Key.Key_N)
    note = _active(qtbot, window, NoteDialog)
    qtbot.keyClicks(note.edit, "Read section 3 again")
    _ok(qtbot, note)
    _press(qtbot, window, Qt.Key.Key_N)
    note = _active(qtbot, window, NoteDialog)
    assert note.edit.toPlainText() == "Read section 3 again"
    qtbot.keyClick(note.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not note.isVisible())
    assert note.question is None
    # the tags dialog asks the same; the title bar's close button too
    _press(qtbot, window, Qt.Key.Key_T)
    tags = _active(qtbot, window, TagsDialog)
    qtbot.keyClicks(tags.edit, "survey, llm")
    assert not tags.close()  # the close button: still open, asking
    assert _question(qtbot, tags).text() == "Discard your changes to these tags?"
    _answer(qtbot, tags, "Keep editing")
    qtbot.keyClick(tags.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert _stored(userdata, window).tags == ("llm", "survey")  # stored sorted
    assert _stored(userdata, window).note == "Read section 3 again"


def test_context_menu_actions(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)

    def actions(menu):  # type: ignore[no-untyped-def]
        return {a.text().split("\t")[0].replace("&", ""): a for a in menu.actions()}

    menu = window.paper_menu()
    actions(menu)["Star"].trigger()
    wait_idle(qtbot, window)
    assert _stored(userdata, window).starred and _cells(window)[0] == "★"
    menu = window.paper_menu()
    top = actions(menu)
    assert "Unstar" in top
    actions(top["Read state"].menu())["Read"].trigger()
    wait_idle(qtbot, window)
    assert _cells(window)[1] == "read"
    actions(top["Rating"].menu())["★★★"].trigger()
    wait_idle(qtbot, window)
    assert _stored(userdata, window).rating == 3 and _cells(window)[2] == "★★★"
    top["Edit tags…"].trigger()
    tags = window.findChild(TagsDialog)
    qtbot.waitUntil(tags.isVisible)
    tags.edit.setText("to-read")
    _ok(qtbot, tags)
    menu = window.paper_menu()
    top = actions(menu)
    top["Edit note…"].trigger()
    note = window.findChild(NoteDialog)
    qtbot.waitUntil(note.isVisible)
    note.edit.setPlainText("from the menu")
    _ok(qtbot, note)
    actions(top["Rating"].menu())["No rating"].trigger()
    wait_idle(qtbot, window)
    top["Unstar"].trigger()
    wait_idle(qtbot, window)
    stored = _stored(userdata, window)
    assert (stored.starred, stored.read_state, stored.rating, stored.tags, stored.note) == (
        False, "read", None, ("to-read",), "from the menu")
    assert _cells(window) == ("", "read", "")


def test_editor_row(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)
    editor = window.editor
    assert editor.isEnabled() and not editor.star.isChecked()
    qtbot.mouseClick(editor.star, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert _stored(userdata, window).starred and _cells(window)[0] == "★"
    assert editor.star.isChecked() and "Starred" in editor.star.text()
    editor.read.setCurrentIndex(2)
    editor.read.activated.emit(2)  # what choosing an item does
    wait_idle(qtbot, window)
    assert _stored(userdata, window).read_state == "read"
    editor.rating.setCurrentIndex(5)
    editor.rating.activated.emit(5)
    wait_idle(qtbot, window)
    assert _stored(userdata, window).rating == 5 and _cells(window)[2] == "★★★★★"
    editor.tags.setFocus()
    editor.tags.selectAll()
    qtbot.keyClicks(editor.tags, "rl, agents")
    qtbot.keyClick(editor.tags, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert _stored(userdata, window).tags == ("agents", "rl")
    editor.tags.setText("rl")
    editor.tags.editingFinished.emit()
    wait_idle(qtbot, window)
    assert _stored(userdata, window).tags == ("rl",)
    qtbot.mouseClick(editor.note, Qt.MouseButton.LeftButton)
    note = window.findChild(NoteDialog)
    qtbot.waitUntil(note.isVisible)
    note.edit.setPlainText("a note")
    _ok(qtbot, note)
    assert _stored(userdata, window).note == "a note"
    # another paper: the row shows that paper's (empty) notes
    click_row(qtbot, window, row_of_title(window, TITLES["Luo Ji"][1]))
    assert not editor.star.isChecked() and editor.rating.currentIndex() == 0
    assert editor.tags.text() == ""


def test_person_notes_from_the_editor(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Ziru Liu")
    assert window.current_rid is None
    editor = window.editor
    assert editor.isEnabled() and editor.star.isHidden() and not editor.tags.isHidden()
    editor.tags.setText("recsys")
    editor.tags.editingFinished.emit()
    wait_idle(qtbot, window)
    dialog = window.annotations.edit_note()
    assert isinstance(dialog, NoteDialog)
    dialog.edit.setPlainText("met at RecSys")
    _ok(qtbot, dialog)
    with UserData(userdata) as ud:
        person = ud.person("ziru liu")
    assert person.tags == ("recsys",) and person.note == "met at RecSys"
    text = window.detail.toPlainText()
    assert "met at RecSys" in text and "recsys" in text


def test_a_failed_write_says_why_and_keeps_the_data(qtbot: QtBot, seed_db: Path,
                                                   tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)
    _press(qtbot, window, Qt.Key.Key_S)
    _press(qtbot, window, Qt.Key.Key_3)
    assert _cells(window) == ("★", "", "★★★")
    other = sqlite3.connect(userdata, isolation_level=None)  # another program writing
    other.execute("BEGIN IMMEDIATE")
    try:
        _press(qtbot, window, Qt.Key.Key_S)
        box = window.findChild(QMessageBox, "userDataError")
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        assert "in use by another program" in box.text()
        assert "previous notes are unchanged" in box.text()
        assert _cells(window) == ("★", "", "★★★")  # still shown as before
        box.close()
        _press(qtbot, window, Qt.Key.Key_5)
        assert window.annotations.last_error.startswith(str(userdata))
        assert _cells(window) == ("★", "", "★★★")
    finally:
        other.execute("ROLLBACK")
        other.close()
    for box in window.findChildren(QMessageBox):
        box.close()
    stored = _stored(userdata, window)
    assert stored.starred and stored.rating == 3
    _press(qtbot, window, Qt.Key.Key_S)  # works again once the other program is done
    assert _cells(window)[0] == ""


def test_notes_never_touch_the_store(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    before = seed_db.read_bytes()
    window = _on_qwen(qtbot, seed_db, tmp_path / "notes.db")
    for key in (Qt.Key.Key_S, Qt.Key.Key_R, Qt.Key.Key_4):
        _press(qtbot, window, key)
    window.close()
    assert seed_db.read_bytes() == before


def test_keys_without_a_paper_do_nothing(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    search_for(qtbot, window, "zzqxnothingmatches")
    assert window.paper_model.rowCount() == 0
    window.table.setFocus()
    for key in (Qt.Key.Key_S, Qt.Key.Key_R, Qt.Key.Key_3):
        qtbot.keyClick(window.table, key)
    assert window.findChild(QMessageBox) is None
    with UserData(userdata) as ud:
        assert ud.annotated_papers() == []
    assert QApplication.activeModalWidget() is None


def test_notes_are_read_once_per_batch(qtbot: QtBot, qtmodeltester,  # type: ignore[no-untyped-def]
                                       seed_db: Path, tmp_path: Path) -> None:
    with Store(seed_db) as store, UserData(tmp_path / "n.db") as ud:
        rids = search(store.conn, "").rids
        papers = store.papers(rids)
        ud.set_starred(papers[rids[3]].id)
        ud.set_read_state(papers[rids[10]].id, "read")
        ud.set_tags(papers[rids[10]].id, ["x"])
        assert set(ud.papers([papers[r].id for r in rids])) == {
            papers[rids[3]].id, papers[rids[10]].id}
    reader = Reader(seed_db, tmp_path / "n.db")
    try:
        model = model_on(reader)
        model.set_rids(rids)
        read_rows(qtbot, reader, model)
        shown = [model.index(r, c).data() for r in range(len(rids)) for c in (STAR, READ)]
        assert model.fetches == 1  # 129 rows: one batch, their notes with them
        assert shown.count("★") == 1 and shown.count("read") == 1
        assert model.index(10, 0).data(NOTES_ROLE).tags == ("x",)
        qtmodeltester.check(model)
    finally:
        reader.stop()


def test_parse_tags() -> None:
    assert parse_tags(" a, b ,, A , c  d ") == ["a", "b", "c d"]
    assert parse_tags("") == []


def test_wait_idle_helper_still_works(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "n.db")
    wait_idle(qtbot, window)
    assert window.annotations.available
    assert window.annotations.userdata_path == tmp_path / "n.db"


def test_user_data_filters_follow_edits(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = _on_qwen(qtbot, seed_db, tmp_path / "notes.db")
    _press(qtbot, window, Qt.Key.Key_S)
    _press(qtbot, window, Qt.Key.Key_4)
    search_for(qtbot, window, "is:starred rating:>=4")
    assert [p.title for p in table_papers(window)] == [QWEN]
    window.table.setFocus()
    _press(qtbot, window, Qt.Key.Key_3)  # no longer rated 4 or more: the search runs again
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == 0


def test_the_gui_thread_runs_no_sql_for_notes_tags_stars_ratings_and_insights(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """Every edit is written, every dialog's text and the author list's marks read, on
    the notes thread; a profile's figures (gui/insights.py) on the reader thread."""
    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    gui_sql = trace_gui_sql(window)
    click_author(qtbot, window, "profile", "Luo Ji")  # the profile pane: years, co-authors
    assert "Luo Ji" in window.detail.toPlainText()
    click_row(qtbot, window, row_of_title(window, QWEN))
    window.table.setFocus()
    for key in (Qt.Key.Key_S, Qt.Key.Key_R, Qt.Key.Key_4, Qt.Key.Key_4):  # 4 twice: cleared
        _press(qtbot, window, key)
    assert _cells(window) == ("★", "reading", "")
    _press(qtbot, window, Qt.Key.Key_T)
    tags = window.findChild(TagsDialog)
    qtbot.waitUntil(tags.isVisible)
    tags.edit.setText("llm, survey")
    _ok(qtbot, tags)
    _press(qtbot, window, Qt.Key.Key_N)
    note = window.findChild(NoteDialog)
    qtbot.waitUntil(note.isVisible)
    note.edit.setPlainText("section 3")
    _ok(qtbot, note)
    qtbot.mouseClick(window.editor.star, Qt.MouseButton.LeftButton)  # unstarred
    wait_idle(qtbot, window)
    assert window.annotations.edit_tags(("ziru liu", "Ziru Liu")) is None  # read first
    qtbot.waitUntil(lambda: window.findChild(TagsDialog) is not None)
    person = window.findChild(TagsDialog)
    qtbot.waitUntil(person.isVisible)
    person.edit.setText("reviewer")
    _ok(qtbot, person)
    assert any(str(window.author_model.index(r).data()).endswith("✎")
               for r in range(window.author_model.rowCount()))  # the marks, read again
    assert gui_sql == []
    stored = _stored(userdata, window)
    assert (stored.starred, stored.read_state, stored.rating, stored.tags, stored.note) == (
        False, "reading", None, ("llm", "survey"), "section 3")
    with UserData(userdata) as ud:
        assert ud.person("ziru liu").tags == ("reviewer",)


def test_the_window_does_not_wait_for_the_notes_file_to_open(
    qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the notes file (the day's backup, a check of a large file) runs on the
    notes thread while the window is made and shown; the store opens once it is done,
    with the notes to read. Here the open is held until the window exists: a window
    that waited for it would only come back once the safety timer let it go."""
    release, ended = threading.Event(), threading.Event()
    real_open = NotesThread._open

    def held_open(self: NotesThread, path: Path | None) -> Opened:
        release.wait(10)
        try:
            return real_open(self, path)
        finally:
            ended.set()

    monkeypatch.setattr(NotesThread, "_open", held_open)
    safety = threading.Timer(5, release.set)
    safety.start()
    try:
        window = create_window(seed_db, tmp_path / "notes.db")
        qtbot.addWidget(window)
        assert not ended.is_set()  # made without waiting for the notes file
        window.show()
        assert window.busy and not window.store_open
        release.set()
        wait_idle(qtbot, window)
    finally:
        release.set()
        safety.cancel()
    assert window.annotations.available and window.stores.notes_open
    assert window.store_open and window.paper_model.rowCount() == 129


def _window_once_open(qtbot: QtBot, db: Path, notes: Path) -> MainWindow:
    """A window shown without waiting to be active (a message may come over it), once
    its store is open and it is idle."""
    window = create_window(db, notes)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.store_open)
    wait_idle(qtbot, window)
    return window


def test_an_unforeseen_error_opening_the_notes_turns_them_off_and_the_store_opens(
    qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's backup fails in a way nobody foresaw (here a disk error from SQLite):
    the notes are said to be off, with the error, and the papers are browsed as ever."""
    def broken(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backups, "backup", broken)
    window = _window_once_open(qtbot, seed_db, tmp_path / "notes.db")
    assert not window.annotations.available
    assert window.statusBar().currentMessage() == (
        "Notes are off: the notes file could not be opened (OperationalError: disk I/O error)")
    assert window.paper_model.rowCount() == 129


def test_an_old_backup_that_cannot_be_removed_leaves_the_notes_on(
    qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's backup fails with a plain OSError (an old backup the user may not
    remove): the notes file opened and is sound, so the notes stay on and the failed
    backup is said."""
    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "old-daily.json")

    monkeypatch.setattr(backups, "backup", refused)
    window = _window_once_open(qtbot, seed_db, tmp_path / "notes.db")
    assert window.annotations.available
    assert window.statusBar().currentMessage().startswith("No backup of your notes today:")


def test_a_note_typed_when_the_app_quits_is_saved_not_lost(qtbot: QtBot, seed_db: Path,
                                                           tmp_path: Path) -> None:
    """A review: the window closed under a typed note (the app quitting: a signal, the
    session ending; the draft is window-modal, so the user's own close is blocked), and
    the note was gone, unasked. It is saved as OK saves it, before the notes close."""
    userdata = tmp_path / "notes.db"
    window = _on_qwen(qtbot, seed_db, userdata)
    paper = window.current_paper()
    assert paper is not None
    _press(qtbot, window, Qt.Key.Key_N)
    note = _active(qtbot, window, NoteDialog)
    qtbot.keyClicks(note.edit, "An important thought")
    window.close()
    with UserData(userdata) as ud:
        assert ud.paper(paper.id).note == "An important thought"


def test_a_new_search_or_scope_shows_its_count_at_once_over_a_saved_message(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """"Saved: star" (2.5 s) hid the status bar's count: typing a search or picking an
    author at once after an edit showed the old message, not "No papers match"."""
    window = _on_qwen(qtbot, seed_db, tmp_path / "notes.db")
    status = window.statusBar()
    _press(qtbot, window, Qt.Key.Key_S)
    assert status.currentMessage() == "Saved: star"
    search_for(qtbot, window, "zzqx")
    assert status.currentMessage() == ""
    assert window.status_label.isVisible()
    assert window.status_label.text().startswith("No papers match “zzqx” in Luo Ji")
    search_for(qtbot, window, "")
    click_row(qtbot, window, row_of_title(window, QWEN))
    _press(qtbot, window, Qt.Key.Key_S)  # the star off: said again
    assert status.currentMessage() == "Saved: star"
    click_author(qtbot, window, "profile", "Ziru Liu")
    assert status.currentMessage() == ""
    assert window.status_label.isVisible()
    assert window.status_label.text().startswith("14 papers in Ziru Liu")
