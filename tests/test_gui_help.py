"""The Help menu: search syntax written for users (the README's table), About."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot

from paperdesk.gui import menus, syntax
from tests.conftest import ROOT
from tests.test_gui_support import OFFSCREEN_NOISE, open_window, search_for

pytestmark = OFFSCREEN_NOISE


def _readme_rows(head: str) -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index(f"| {head} | finds |"):].split("\n\n")[0].splitlines()[2:]
    return [(re.sub(r"`([^`]*)`", r"\1", a.strip()), b.strip())
            for a, b in (line.strip("|").split(" | ") for line in table)]


def test_search_syntax_is_written_for_users(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    dialog = menus.show_search_syntax(window)
    text = dialog.findChild(QTextBrowser, "syntaxDialogText").toPlainText()
    for internal in ("``", "SQL", "FTS5", "Pure", "query tree", "CATEGORY_NAMES", "rowid"):
        assert internal not in text
    for typed in ('author:"j. lian"', "year:2021..2024", "NOT survey", "is:starred",
                  '"reinforcement learning" -survey year:2023..'):
        assert typed in text
    assert dialog.width() >= 700
    dialog.close()


def test_the_readme_table_is_the_help_table() -> None:
    assert _readme_rows("you type") == list(syntax.ROWS)
    assert _readme_rows("example") == list(syntax.EXAMPLES)


def test_every_example_runs_without_a_complaint(qtbot: QtBot, seed_db: Path,
                                                tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    for typed, _finds in syntax.EXAMPLES:
        search_for(qtbot, window, typed)
        assert window.last_result is not None and window.last_result.ignored == [], typed
    search_for(qtbot, window, "author:lian (recommender OR recommendation) code:yes")
    assert window.paper_model.rowCount() > 0


def test_about_names_the_version(qtbot: QtBot, seed_db: Path) -> None:
    version = re.search(r'^version = "([^"]+)"',
                        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert version is not None
    window = open_window(qtbot, seed_db)
    window.menu_actions.about.trigger()
    dialog = window.findChild(QTextBrowser, "aboutDialogText")
    assert f"PaperDesk {version.group(1)}" in dialog.toPlainText()


def test_the_readme_keyboard_table_is_the_help_table() -> None:
    from paperdesk.gui.shortcuts import SHORTCUTS
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| keys | does |"):].split("\n\n")[0].splitlines()[2:]
    assert [tuple(c.strip() for c in line.strip("|").split(" | ")) for line in table] == [
        tuple(row) for row in SHORTCUTS]


def test_every_shortcut_of_the_window_is_in_the_help_table(qtbot: QtBot, seed_db: Path
                                                           ) -> None:
    """A menu entry's Ctrl or Alt key that Help ▸ Keyboard shortcuts does not list is a key
    nobody finds (Find reviewers' Ctrl+Shift+R and More like this' Ctrl+Shift+M were)."""
    from paperdesk.gui.shortcuts import SHORTCUTS, window_actions
    window = open_window(qtbot, seed_db)
    listed = {key.strip() for keys, _does in SHORTCUTS
              for part in keys.split(",") for key in part.split(" / ")}
    missing = sorted({key.toString(QKeySequence.SequenceFormat.PortableText)
                      for action in window_actions(window) for key in action.shortcuts()}
                     - listed)
    assert missing == []
