"""Every application shortcut works from every widget a user can be in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from paperdesk.gui.shortcuts import window_actions
from paperdesk.gui.window import MainWindow
from tests.test_gui_support import OFFSCREEN_NOISE, click_author, open_window, wait_idle

pytestmark = OFFSCREEN_NOISE

# Every Ctrl/Alt shortcut the README's keyboard table promises, written down by hand.
PROMISED = {"Ctrl+F", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Alt+Left", "Alt+Right", "Ctrl+K",
            "Ctrl+S", "Ctrl+I", "Ctrl+E", "Ctrl+Q"}


def _widgets(window: MainWindow) -> dict[str, QWidget]:
    return {"search box": window.search_box, "table": window.table,
            "author list": window.author_list, "detail pane": window.detail}


def _close_dialogs(qtbot: QtBot, window: MainWindow) -> None:
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _press(qtbot: QtBot, widget: QWidget, key: QKeySequence) -> None:
    combo = key[0]
    widget.setFocus()
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


class X11LineEditKeys(QObject):
    """What a QLineEdit does under the X11 key scheme (Linux desktops): it claims Ctrl+E
    (end of line) and Ctrl+K (delete to end) in ShortcutOverride. The offscreen platform
    uses the Windows scheme, so the test puts the claim back where the widget makes it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier \
                and event.key() in (Qt.Key.Key_E, Qt.Key.Key_K):
            event.accept()
        return False


def test_every_shortcut_from_every_widget(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    claims = X11LineEditKeys(window)
    for widget in (window.search_box, window.author_filter):
        widget.installEventFilter(claims)
    # history both ways, so Back and Forward are enabled; a query for Ctrl+S
    click_author(qtbot, window, "profile", "Luo Ji")
    click_author(qtbot, window, "profile", "Ziru Liu")
    window.go_back()
    wait_idle(qtbot, window)
    window.search_box.setText("learning")
    wait_idle(qtbot, window)
    actions = [a for a in window_actions(window) if a is not window.menu_actions.quit]
    keys = {k.toString() for a in window_actions(window) for k in a.shortcuts()}
    assert keys >= PROMISED
    for where, widget in _widgets(window).items():
        for action in actions:
            for key in action.shortcuts():
                if not action.isEnabled() or key.toString() not in PROMISED:
                    continue  # "/" is typed in the search box (see below)
                with qtbot.waitSignal(action.triggered, timeout=1000,
                                      raising=False) as fired:
                    _press(qtbot, widget, key)
                assert fired.signal_triggered, f"{key.toString()} did nothing in the {where}"
                _close_dialogs(qtbot, window)
                wait_idle(qtbot, window)
    # the search box keeps its text: Ctrl+E and Ctrl+K did not edit it
    assert window.search_box.text() == "learning"


def test_ctrl_e_in_the_search_box_opens_the_export(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    window.search_box.installEventFilter(X11LineEditKeys(window))
    window.search_box.setFocus()  # keys go to the focus widget, as when a user types
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClicks(window.search_box, "bregman")
    wait_idle(qtbot, window)
    qtbot.keyClick(window.search_box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(QDialog, "exportFileDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Export 1 paper"
    dialog.close()


@pytest.mark.parametrize("where", ["search box", "table", "author list", "detail pane"])
def test_ctrl_q_quits_from_anywhere(qtbot: QtBot, seed_db: Path, where: str) -> None:
    window = open_window(qtbot, seed_db)
    widget = _widgets(window)[where]
    _press(qtbot, widget, QKeySequence("Ctrl+Q"))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_plain_keys_stay_the_widgets(qtbot: QtBot, seed_db: Path) -> None:
    """"/" and letters are typed in the search box; the guard takes only Ctrl/Alt keys."""
    window = open_window(qtbot, seed_db)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "a/b")
    assert window.search_box.text() == "a/b"
    qtbot.keyClick(window.search_box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.selectedText() == "a/b"  # Ctrl+A is still select-all


def test_the_guard_sees_the_focused_widgets_events_not_every_paint(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An application-wide filter would be a call into Python for every event of every
    widget; the guard filters only the widget that has focus."""
    window = open_window(qtbot, seed_db)
    seen: list[tuple[QObject, QEvent.Type]] = []
    guard = window.shortcut_guard
    original = type(guard).eventFilter

    def counting(watched: QObject, event: QEvent) -> bool:
        seen.append((watched, event.type()))
        return original(guard, watched, event)

    monkeypatch.setattr(guard, "eventFilter", counting)
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus)
    seen.clear()
    views = (window.table, window.table.viewport(), window.author_list,
             window.author_list.viewport())
    window.table.viewport().repaint()
    window.author_list.viewport().repaint()
    assert [w for w, _type in seen if w in views] == []
    assert {w for w, _type in seen} <= {window.search_box}  # only the focus widget
    qtbot.keyClick(window.search_box, Qt.Key.Key_A)
    assert (window.search_box, QEvent.Type.KeyPress) in seen
