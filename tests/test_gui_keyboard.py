"""Keyboard-only use, from launch to reading an abstract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paperdesk.gui.models import ITEM_ROLE, PAPER_ROLE
from tests.test_gui_support import OFFSCREEN_NOISE, TITLES, open_window, wait_idle

pytestmark = OFFSCREEN_NOISE
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def focused() -> Any:
    return QApplication.focusWidget()


def test_keyboard_walk_to_an_abstract(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    assert focused() is window.author_list
    # the list starts on "All papers"; Down goes to "Needs review" (the seeds' one
    # doubtful entry), then skips the "Profiles" heading
    qtbot.keyClick(window.author_list, Qt.Key.Key_Down)
    wait_idle(qtbot, window)
    assert window.author_list.currentIndex().data(ITEM_ROLE).kind == "review"
    assert window.paper_model.rowCount() == 1
    qtbot.keyClick(window.author_list, Qt.Key.Key_Down)
    wait_idle(qtbot, window)
    item = window.author_list.currentIndex().data(ITEM_ROLE)
    assert item.kind == "profile"
    rows = window.paper_model.rowCount()
    assert rows == {"Anxiang Zeng": 32, "Jianxun Lian": 49, "Luo Ji": 22, "Zeyuan Liu": 12,
                    "Ziru Liu": 14}[item.label]
    qtbot.keyClick(window.author_list, Qt.Key.Key_2, CTRL)
    assert focused() is window.table
    assert window.table.currentIndex().row() == 0  # entering the table lands on a paper
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.table.currentIndex().row() == 1
    qtbot.keyClick(window.table, Qt.Key.Key_Up)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert focused() is window.detail
    wait_idle(qtbot, window)
    paper = window.table.currentIndex().data(PAPER_ROLE)
    assert paper.title == TITLES[item.label][0]  # page order: the page's first entry
    text = window.detail.toPlainText()
    assert "Abstract" in text and paper.abstract[:60] in text


def test_search_keys(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, CTRL)
    assert focused() is window.search_box
    window.detail.setFocus()
    qtbot.keyClick(window.detail, Qt.Key.Key_Slash)
    assert focused() is window.search_box
    qtbot.keyClicks(window.search_box, "bregman")
    wait_idle(qtbot, window)
    assert window.search_box.text() == "bregman"  # "/" in the box is typed, not a shortcut
    assert window.paper_model.rowCount() == 1
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert focused() is window.table
    assert window.table.currentIndex().row() == 0
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert "Bregman" in window.detail.toPlainText()
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert window.search_box.text() == ""
    assert focused() is window.table
    assert window.paper_model.rowCount() == 129
    # Esc from the search box too
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.search_box, "qwen")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert window.search_box.text() == "" and focused() is window.table


def test_focus_keys_and_tab_cycle(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    assert focused() is window.detail
    qtbot.keyClick(window.detail, Qt.Key.Key_1, CTRL)
    assert focused() is window.author_list
    qtbot.keyClick(window.author_list, Qt.Key.Key_2, CTRL)
    assert focused() is window.table
    cycle = [window.search_box, window.author_filter, window.marked_only, window.author_list,
             window.table]
    assert _tabbed(qtbot, 6) == [window.detail, *cycle]  # no paper: its controls skipped
    # A paper shown: Tab reaches its own controls too, between the table and the pane (a
    # tester never reached Tags or Note… by keyboard, and the checkbox came last)
    from tests.test_gui_support import click_author, click_row
    click_author(qtbot, window, "profile", "Ziru Liu")
    click_row(qtbot, window, 1)
    window.table.setFocus()
    editor = window.editor
    assert _tabbed(qtbot, 11) == [editor.star, editor.read, editor.rating, editor.tags,
                                  editor.note, window.detail, *cycle]


def _tabbed(qtbot: QtBot, times: int) -> list[object]:
    seen = []
    for _ in range(times):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        seen.append(focused())
    return seen


def test_back_and_forward(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    from tests.test_gui_support import click_author, click_row
    click_author(qtbot, window, "profile", "Ziru Liu")
    click_row(qtbot, window, 2)
    third = window.current_rid
    click_author(qtbot, window, "profile", "Luo Ji")
    assert window.paper_model.rowCount() == 22
    qtbot.keyClick(window.author_list, Qt.Key.Key_Left, ALT)
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == 14 and window.current_rid == third
    assert window.table.currentIndex().row() == 2
    window.detail.setFocus()
    qtbot.keyClick(window.detail, Qt.Key.Key_Left, ALT)
    wait_idle(qtbot, window)
    assert window.current_rid is None and "Papers per year" in window.detail.toPlainText()
    qtbot.keyClick(window.detail, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(window.detail, Qt.Key.Key_Right, ALT)
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == 22
    assert window.author_list.currentIndex().data() == "Luo Ji (22 · 7 named)"
    assert not window.menu_actions.forward.isEnabled()


def test_esc_after_a_search_picks_no_paper(qtbot: QtBot, seed_db: Path) -> None:
    """A tester typed a search, pressed Esc and found its first hit open in the pane and
    the table scrolled to it: the focus came back to a table whose rows were still the
    search's, and Qt makes a row current when a view without one gets focus."""
    window = open_window(qtbot, seed_db)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.search_box, "qwen")
    wait_idle(qtbot, window)
    assert 0 < window.paper_model.rowCount() < 129
    assert not window.table.currentIndex().isValid()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert focused() is window.table
    assert window.paper_model.rowCount() == 129
    assert not window.table.currentIndex().isValid()  # no paper picked for the user
    assert window.browse.rid is None
    assert window.table.verticalScrollBar().value() == 0
    qtbot.keyClick(window.table, Qt.Key.Key_Down)  # the keys still start at the top
    assert window.table.currentIndex().row() == 0


def test_a_new_answer_shows_its_first_rows_and_the_keys_show_theirs(
        qtbot: QtBot, seed_db: Path) -> None:
    """A tester scrolled down a long table, typed a search and saw the end of its
    answer (the scroll bar kept its place, at the new answer's bottom); Down into the
    results then opened its first paper out of sight and unmarked (current, not
    selected), and Home did not show it either."""
    window = open_window(qtbot, seed_db)
    window.resize(1200, 700)
    table = window.table
    bar = table.verticalScrollBar()
    table.scrollToBottom()
    assert bar.value() > 0
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.search_box, "learning")
    wait_idle(qtbot, window)
    assert 40 < window.paper_model.rowCount() < 129  # longer than the table shows
    assert bar.maximum() > 0 and bar.value() == 0 and table.rowAt(0) == 0
    table.scrollToBottom()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)  # into the results: the first
    assert table.currentIndex().row() == 0 and bar.value() == 0
    # marked as the paper shown, as a click marks it
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]
    table.scrollToBottom()
    qtbot.keyClick(table, Qt.Key.Key_Home)  # the first paper, current already
    assert table.currentIndex().row() == 0 and bar.value() == 0


def test_the_same_answer_again_leaves_the_paper_shown_where_it_is(
        qtbot: QtBot, seed_db: Path) -> None:
    """An answer that still holds the paper shown (the store changed under the window:
    an import, a correction) keeps the table where it was: only a new answer without it
    starts at the top."""
    from tests.test_gui_support import click_row

    window = open_window(qtbot, seed_db)
    window.resize(1200, 700)
    table = window.table
    table.scrollToBottom()
    row = table.rowAt(table.viewport().height() // 2)  # a paper in the middle of the view
    click_row(qtbot, window, row)
    wait_idle(qtbot, window)
    value, place = table.verticalScrollBar().value(), table.rowViewportPosition(row)
    assert value > 0
    window.run_search()  # the same answer again
    wait_idle(qtbot, window)
    assert table.currentIndex().row() == row
    assert table.verticalScrollBar().value() == value
    assert table.rowViewportPosition(row) == place


def test_back_to_a_paper_the_query_hides_shows_it_in_the_table(qtbot: QtBot,
                                                              seed_db: Path) -> None:
    """A tester searched "holographic" and opened a paper, searched "entanglement" and
    opened another, then pressed Back twice: the pane showed the earlier papers while
    the table still listed the query's, without them (nothing selected; S starred a
    paper out of sight). Back now clears a query that hides the paper, saying so, as
    the Desk does when it opens a paper."""
    from tests.test_gui_support import (
        clear_button_opacity,
        click_row,
        search_for,
        table_titles,
    )

    social = ("SocialCoach: Personalized Social Skill Learning with RL-based Agentic "
              "Tutoring and Practice")
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "socialcoach")
    assert table_titles(window) == [social]
    click_row(qtbot, window, 0)
    wait_idle(qtbot, window)
    # moves closer together than browse.SETTLE_MS are one place: this one has settled
    qtbot.waitUntil(lambda: not window.browse.moving.isActive())
    search_for(qtbot, window, "trendsim")
    qtbot.waitUntil(lambda: clear_button_opacity(window) == 1.0)
    click_row(qtbot, window, 0)
    wait_idle(qtbot, window)
    assert window.detail.toPlainText().startswith("TrendSim")
    qtbot.keyClick(window.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Back
    wait_idle(qtbot, window)
    assert window.detail.toPlainText().startswith("SocialCoach")
    assert window.search_box.text() == ""
    # the empty box offers nothing to clear: its clear button fades out
    qtbot.waitUntil(lambda: clear_button_opacity(window) == 0.0)
    assert window.statusBar().currentMessage() == (
        "Showing the paper: the search “trendsim” was cleared")
    assert window.paper_model.rowCount() == 129
    assert window.table.currentIndex().isValid()
    assert window.paper_model.index(window.table.currentIndex().row(), 1).data() == social


def test_down_in_a_filter_box_moves_into_its_list(qtbot: QtBot, seed_db: Path,
                                                  tmp_path: Path) -> None:
    """Down in the author list's filter (and People's identities') did nothing: the
    keyboard had to Tab past "Only people with my notes" to reach the names."""
    from paperdesk.gui.identities import IdentitiesDialog

    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    window.author_filter.setFocus()
    qtbot.keyClicks(window.author_filter, "zunlei")
    qtbot.waitUntil(lambda: window.author_model.rowCount() == 5)
    qtbot.keyClick(window.author_filter, Qt.Key.Key_Down)
    assert focused() is window.author_list
    assert window.author_list.currentIndex().isValid()
    dialog = IdentitiesDialog(seed_db, tmp_path / "notes.db", window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.list.count() == 2
    dialog.activateWindow()
    dialog.filter.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.filter)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert focused() is dialog.list and dialog.list.currentRow() == 0
    dialog.close()
