"""Every dialog opens inside the screen it opens on, whatever its size on a large one.

The offscreen platform's screen is 800x800 (smaller than many of the sizes the dialogs
ask for on a desktop): a dialog wider or taller than the screen has its buttons or its
right edge out of reach, and on a 1366x768 laptop or a 900x600 remote desktop the same.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from paperdesk.gui import identities, menus
from paperdesk.gui.window import MainWindow
from tests.test_gui_support import OFFSCREEN_NOISE, click_row, open_window

pytestmark = OFFSCREEN_NOISE

OPENERS: dict[str, Callable[[MainWindow], QDialog | None]] = {
    "reviewersDialog": lambda w: w.desk.find_reviewers(),
    "similarDialog": lambda w: w.desk.more_like_this(),
    "correctionDialog": lambda w: w.correct_paper(),
    "shortcutsDialog": menus.show_shortcuts,
    "searchSyntaxDialog": menus.show_search_syntax,
    "identitiesDialog": lambda w: identities.opener(w)(),
}


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_a_dialog_fits_on_the_screen(qtbot: QtBot, seed_db: Path, name: str) -> None:
    window = open_window(qtbot, seed_db)
    click_row(qtbot, window, 0)  # a paper, for the dialogs about one
    OPENERS[name](window)
    dialog = next((d for d in window.findChildren(QDialog) if d.isVisible()), None)
    assert dialog is not None, name
    qtbot.waitExposed(dialog)
    room = dialog.screen().availableGeometry()
    assert room.width() <= 800  # the premise: a screen smaller than the desktop sizes
    assert room.contains(dialog.frameGeometry()), (name, dialog.frameGeometry(), room)
    dialog.close()


def test_the_window_opens_inside_a_small_screen_at_the_first_start(
        qtbot: QtBot, seed_db: Path) -> None:
    """1400x820 suits a desktop; on the offscreen 800x800 screen (or a 1366x768 laptop)
    the first start takes what the screen has, and keeps the three panes."""
    window = open_window(qtbot, seed_db)
    room = window.screen().availableGeometry()
    assert room.contains(window.frameGeometry()), (window.frameGeometry(), room)
    assert all(size > 0 for size in window.splitter.sizes())
