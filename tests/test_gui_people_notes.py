"""Notes and tags on people: marked in the author list, a filter, the context menu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from paperdesk.gui.annotate import NoteDialog, TagsDialog
from paperdesk.gui.models import ITEM_ROLE, MARK
from paperdesk.gui.window import MainWindow
from paperdesk.userdata import UserData
from tests.test_gui_support import OFFSCREEN_NOISE, author_row, open_window, wait_idle

pytestmark = OFFSCREEN_NOISE


def _menu_action(window: MainWindow, kind: str, label: str, name: str):  # type: ignore[no-untyped-def]
    window.author_list.setCurrentIndex(window.author_model.index(author_row(window, kind,
                                                                            label)))
    menu = window.author_menu()
    return next(a for a in menu.actions() if a.objectName() == name)


def _ok(qtbot: QtBot, window: MainWindow, dialog: object) -> None:
    box = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def _texts(qtbot: QtBot, window: MainWindow) -> list[str]:
    """Every row's text: rows are read a page at a time, as the view (here, this) asks."""
    model = window.author_model
    for row in range(model.rowCount()):
        model.index(row).data()
    wait_idle(qtbot, window)
    return [model.index(r).data() for r in range(model.rowCount())]


def test_people_notes_marked_filtered_and_edited_from_the_list(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    assert not any(MARK in t for t in _texts(qtbot, window))
    # tag a person named on papers, from the author list's context menu
    _menu_action(window, "person", "Ziru Liu", "personTagsAction").trigger()
    qtbot.waitUntil(lambda: window.findChild(TagsDialog) is not None)  # read off this thread
    tags = window.findChild(TagsDialog)
    qtbot.waitUntil(tags.isVisible)
    tags.edit.setText("reviewer, rl")
    _ok(qtbot, window, tags)
    person = window.author_model.index(author_row(window, "person", "Ziru Liu"))
    key = person.data(ITEM_ROLE).value
    with UserData(userdata) as ud:
        assert ud.person(key).tags == ("reviewer", "rl")
    assert person.data().endswith(MARK)
    assert "tags: reviewer, rl" in person.data(Qt.ItemDataRole.ToolTipRole)
    # the same person's profile is marked too
    profile = window.author_model.index(author_row(window, "profile", "Ziru Liu"))
    assert profile.data().endswith(MARK)
    # a note on another person, from a profile row
    _menu_action(window, "profile", "Luo Ji", "personNoteAction").trigger()
    qtbot.waitUntil(lambda: window.findChild(NoteDialog) is not None)
    note = window.findChild(NoteDialog)
    qtbot.waitUntil(note.isVisible)
    note.edit.setPlainText("met at RecSys")
    _ok(qtbot, window, note)
    marked = [t for t in _texts(qtbot, window) if t.endswith(MARK)]
    assert len(marked) == 4  # Ziru Liu and Luo Ji, each as a profile and a person
    # the filter lists only them
    window.marked_only.setChecked(True)
    wait_idle(qtbot, window)
    items = [window.author_model.index(r).data(ITEM_ROLE)
             for r in range(window.author_model.rowCount())]
    assert [(i.kind, i.label) for i in items] == [
        ("all", "All papers"), ("header", "People with your notes (2)"),
        ("person", "Luo Ji"), ("person", "Ziru Liu")]
    window.author_filter.setText("iru")  # inside Ziru's name: no word starts so
    qtbot.waitUntil(lambda: window.author_model.rowCount() == 2)
    window.author_filter.setText("ziru")
    qtbot.waitUntil(lambda: window.author_model.rowCount() == 3)
    window.marked_only.setChecked(False)
    wait_idle(qtbot, window)
    assert window.author_model.rowCount() > 3
