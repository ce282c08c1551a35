"""Issue 11's polish: keys, history, focus, status wording, tooltips, highlighting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from paperdesk.gui.annotate import NoteDialog
from paperdesk.gui.models import PaperTableModel
from paperdesk.gui.render import highlight
from paperdesk.query import compile_query
from paperdesk.userdata import UserData
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    click_author,
    click_row,
    open_window,
    row_of_title,
    search_for,
    table_papers,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
CTRL = Qt.KeyboardModifier.ControlModifier


def test_home_and_end_go_to_the_first_and_last_paper(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, 3)
    qtbot.keyClick(window.table, Qt.Key.Key_End)
    wait_idle(qtbot, window)
    assert window.table.currentIndex().row() == PROFILES["Luo Ji"] - 1
    assert window.current_rid == table_papers(window)[-1].rid
    qtbot.keyClick(window.table, Qt.Key.Key_Home)
    wait_idle(qtbot, window)
    assert window.table.currentIndex().row() == 0
    assert window.current_rid == table_papers(window)[0].rid


def test_arrow_moves_make_one_history_entry(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, 0)
    qtbot.waitUntil(lambda: not window.browse.moving.isActive(), timeout=3000)
    before = len(window.browse.history)  # the scope, then its first paper
    for _ in range(8):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    wait_idle(qtbot, window)
    assert window.table.currentIndex().row() == 8
    assert len(window.browse.history) == before + 1  # one entry for the settled selection
    qtbot.waitUntil(lambda: not window.browse.moving.isActive(), timeout=3000)
    qtbot.keyClick(window.table, Qt.Key.Key_Up)  # a later move is a new entry
    wait_idle(qtbot, window)
    assert len(window.browse.history) == before + 2
    window.go_back()
    wait_idle(qtbot, window)
    assert window.table.currentIndex().row() == 8
    window.go_back()
    wait_idle(qtbot, window)
    assert window.table.currentIndex().row() == 0
    window.go_back()
    wait_idle(qtbot, window)
    assert window.current_rid is None and window.scope.kind == "profile"


def _border(widget) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    colour = image.pixelColor(0, image.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def test_the_focused_pane_is_marked(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    highlight_colour = window.palette().highlight().color()
    want = (highlight_colour.red(), highlight_colour.green(), highlight_colour.blue())
    for pane in (window.author_list, window.table, window.detail):
        pane.setFocus()
        qtbot.waitUntil(pane.hasFocus)
        assert _border(pane) == want, pane.objectName()
        others = [p for p in (window.author_list, window.table, window.detail) if p is not pane]
        assert all(_border(p) != want for p in others)


def test_the_table_frame_looks_the_same_without_a_style_sheet(qtbot: QtBot,
                                                              seed_db: Path) -> None:
    """A style sheet on the table or above it sends every cell's paint through Qt's
    style-sheet style (issue 14: the table painted 3-8x slower than a bare one): the
    table draws the same 2-pixel frame itself, in the colours the sheet gives the
    other panes."""
    window = open_window(qtbot, seed_db)
    widget = window.table
    while widget is not None:
        assert widget.styleSheet() == "", widget.objectName()
        widget = widget.parentWidget()
    window.detail.setFocus()
    qtbot.waitUntil(window.detail.hasFocus)
    midlight = window.palette().midlight().color()
    quiet = (midlight.red(), midlight.green(), midlight.blue())
    assert _border(window.table) == _border(window.author_list) == quiet
    image = window.table.grab().toImage()
    inside = image.pixelColor(2, image.height() // 2)
    assert (inside.red(), inside.green(), inside.blue()) != quiet  # 2 pixels wide, no more


def test_status_wording(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, 'bregman ("')
    status = window.status_label.text()
    assert "ignored: ignored" not in status and 'ignored "("' in status
    search_for(qtbot, window, "zzqqxx")
    assert window.paper_model.rowCount() == 0
    assert window.status_label.text().startswith("No papers match “zzqqxx”")


def test_header_tooltips(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    model = window.paper_model
    for column, word in ((5, "score"), (PaperTableModel.STAR, "starred"),
                         (PaperTableModel.READ, "read state"), (PaperTableModel.RATING, "rating")):
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip and word in tip.lower()


def test_ctrl_enter_saves_a_note(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    dialog = window.annotations.edit_note()
    assert isinstance(dialog, NoteDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.edit.setFocus()
    qtbot.keyClicks(dialog.edit, "first line")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.edit, "second")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, CTRL)
    wait_idle(qtbot, window)
    paper = window.current_paper()
    assert paper is not None
    with UserData(userdata) as ud:
        assert ud.note(paper.id) == "first line\nsecond"


def test_a_phrase_highlights_the_phrase_only() -> None:
    terms = compile_query('"language models" survey').terms
    html = highlight("Large language models: a survey of language use and models", terms)
    assert html.count("<span") == 2  # the phrase once, "survey" once
    assert ">language models</span>" in html and ">survey</span>" in html
    assert "of language use" in html and "and models" in html


def test_a_phrase_search_highlights_in_the_window(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, '"large language models"')
    assert window.paper_model.rowCount() > 0
    click_row(qtbot, window, 0)
    html = window.detail.toHtml()
    text = window.detail.toPlainText().casefold()
    assert "large language models" in text
    spans = html.count("background-color:#ffe066")
    assert spans == text.count("large language models")


def test_a_bigger_clear_button(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "bregman")
    buttons = [b for b in window.search_box.findChildren(QToolButton) if b.isVisible()]
    assert buttons and all(b.width() >= 28 for b in buttons)


def test_several_profiles_show_all_their_papers_and_back_restores(qtbot: QtBot,
                                                                  seed_db: Path) -> None:
    from tests.test_gui_support import author_row
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Zeyuan Liu")
    for label in ("Ziru Liu", "Luo Ji"):
        index = window.author_model.index(author_row(window, "profile", label))
        qtbot.mouseClick(window.author_list.viewport(), Qt.MouseButton.LeftButton, CTRL,
                         window.author_list.visualRect(index).center())
        wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == (
        PROFILES["Zeyuan Liu"] + PROFILES["Ziru Liu"] + PROFILES["Luo Ji"])
    assert window.status_label.text().startswith("48 papers in 3 profiles")
    search_for(qtbot, window, "qwen")  # the search runs in the three profiles
    assert window.paper_model.rowCount() >= 1
    assert all("Qwen" in p.title or "qwen" in p.abstract.lower() or "Qwen" in p.authors
               for p in table_papers(window))
    window.search_box.clear()
    wait_idle(qtbot, window)
    click_author(qtbot, window, "profile", "Anxiang Zeng")
    assert window.paper_model.rowCount() == PROFILES["Anxiang Zeng"]
    window.go_back()
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == 48
    assert len(window.selected_profiles()) == 3


def test_a_move_right_after_back_keeps_the_entry_gone_back_to(qtbot: QtBot,
                                                              seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    # "Quick" is within the settle interval (browse.SETTLE_MS, 700 ms) of the last move.
    # Each click waits for its pane, which on a loaded machine can take longer than that
    # (the second click then made an entry of its own: a flaky failure); a settle
    # interval no machine outlasts makes every move here quick, and makes Back's
    # stopping it (what this tests) the only thing that ends one.
    window.browse.moving.setInterval(10 * 60_000)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, 2)
    click_row(qtbot, window, 5)  # quick: replaces the entry of row 2
    assert len(window.browse.history) == 3  # All papers, Luo Ji, row 5
    window.go_back()
    wait_idle(qtbot, window)
    assert window.current_rid is None
    qtbot.keyClick(window.table, Qt.Key.Key_Down)  # at once, while the last move is fresh
    wait_idle(qtbot, window)
    window.go_back()
    wait_idle(qtbot, window)
    assert window.current_rid is None and window.scope is not None \
        and window.scope.kind == "profile"
