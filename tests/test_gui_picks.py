"""The table's keys on several papers picked: S, R, the ratings and T act on every
paper picked as one step of the undo (Ctrl+Z, Ctrl+Shift+Z), Ctrl+C copies each, N
stays one paper's. Real window, real seed store, real notes file; the expected values
come from the seed page of Luo Ji (seeds/002_9c04bb96c17275a3.txt)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from paperdesk.gui import menus
from paperdesk.gui.annotate import NoteDialog, TagsDialog
from paperdesk.gui.models import PaperTableModel
from paperdesk.gui.papertable import PaperTablePart
from paperdesk.gui.render import LIGHT
from paperdesk.gui.window import MainWindow
from paperdesk.store import PaperRow
from paperdesk.userdata import PaperNotes, UserData
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_author,
    click_header,
    click_row,
    open_window,
    row_of_title,
    table_papers,
    table_titles,
    trace_gui_sql,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
# Three of Luo Ji's papers with a year on the page, in the table's title order
HIERARCHICAL = ("Hierarchical Reinforcement Learning for Temporal Abstraction of Listwise "
                "Recommendation")
ONLINE = ("Online Decision MetaMorphFormer: A Casual Transformer-Based Reinforcement "
          "Learning Framework of Universal Embodied Intelligence")
QWEN = "Qwen Technical Report"


def _by_title(qtbot: QtBot, seed_db: Path, userdata: Path) -> tuple[MainWindow, list[PaperRow]]:
    """Luo Ji's 22 papers, A to Z by title."""
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_header(qtbot, window, 1)
    if table_titles(window)[0].casefold() > table_titles(window)[-1].casefold():
        click_header(qtbot, window, 1)
    titles = [t.casefold() for t in table_titles(window)]
    assert titles == sorted(titles) and len(titles) == 22
    return window, table_papers(window)


def _pick_rows_2_to_4(qtbot: QtBot, window: MainWindow) -> None:
    click_row(qtbot, window, 2)
    click_row(qtbot, window, 4, SHIFT)  # rows 2, 3, 4; row 4 is the paper shown
    window.table.setFocus()


def _press(qtbot: QtBot, window: MainWindow, key: Qt.Key,
           modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.table, key, modifier)
    wait_idle(qtbot, window)


def _ok(qtbot: QtBot, window: MainWindow, dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def _stored(userdata: Path, papers: list[PaperRow]) -> list[PaperNotes]:
    with UserData(userdata) as ud:
        return [ud.paper(p.id) for p in papers]


def _shown(window: MainWindow, column: int, rows: range) -> list[str]:
    model = window.paper_model
    return [model.index(row, column).data() or "" for row in rows]


def test_s_stars_every_paper_picked_and_one_ctrl_z_unstars_them_all(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """A user who picked 3 papers and pressed S saw only the paper shown starred."""
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    gui_sql = trace_gui_sql(window)
    _pick_rows_2_to_4(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_S)
    assert [n.starred for n in _stored(userdata, papers[1:6])] == [
        False, True, True, True, False]
    assert _shown(window, PaperTableModel.STAR, range(1, 6)) == ["", "★", "★", "★", ""]
    assert window.statusBar().currentMessage() == "Saved: star on 3 papers"
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)  # one undo: all three
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [False, False, False]
    assert _shown(window, PaperTableModel.STAR, range(2, 5)) == ["", "", ""]
    assert window.statusBar().currentMessage() == "Undone: star on 3 papers"
    _press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)  # redo: all three again
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [True, True, True]
    assert window.statusBar().currentMessage() == "Redone: star on 3 papers"
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [False, False, False]
    assert gui_sql == []


def test_an_import_forgets_the_undo(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """A review: after a correction or an import gave a paper another id, Ctrl+Z wrote
    the old star under the old id and left the paper starred, without a word."""
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    _pick_rows_2_to_4(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_S)
    with qtbot.waitSignal(window.stores.opened, timeout=10_000):
        window.transfers.imported.emit()  # what an import says when it is done
    wait_idle(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [True, True, True]


def test_the_paper_shown_is_edited_without_waiting_for_the_reader(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A review: S on the paper shown was queued on the reader thread first, whose queue
    a store's reopening drops: the star was lost without a word."""
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    click_row(qtbot, window, 2)
    monkeypatch.setattr(window.stores, "read", lambda work, done: False)  # as while reopening
    _press(qtbot, window, Qt.Key.Key_S)
    assert [n.starred for n in _stored(userdata, papers[2:3])] == [True]


def test_a_mixed_pick(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """S stars all when any is not starred, else unstars all; a rating they all have
    already clears it, else all get it; R gives all the state after the shown paper's."""
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    click_row(qtbot, window, 3)  # one paper: starred, rated 4, being read
    window.table.setFocus()
    for key in (Qt.Key.Key_S, Qt.Key.Key_4, Qt.Key.Key_R):
        _press(qtbot, window, key)
    click_row(qtbot, window, 4)
    window.table.setFocus()
    _press(qtbot, window, Qt.Key.Key_R)  # the paper to be shown: reading too
    _pick_rows_2_to_4(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_S)  # one of three starred: all starred
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [True, True, True]
    _press(qtbot, window, Qt.Key.Key_S)  # all starred: all unstarred
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [False, False, False]
    _press(qtbot, window, Qt.Key.Key_4)  # one rated 4: all get 4
    assert [n.rating for n in _stored(userdata, papers[2:5])] == [4, 4, 4]
    assert _shown(window, PaperTableModel.RATING, range(2, 5)) == ["★★★★"] * 3
    _press(qtbot, window, Qt.Key.Key_4)  # all have 4: cleared
    assert [n.rating for n in _stored(userdata, papers[2:5])] == [None, None, None]
    _press(qtbot, window, Qt.Key.Key_2)
    assert [n.rating for n in _stored(userdata, papers[2:5])] == [2, 2, 2]
    _press(qtbot, window, Qt.Key.Key_R)  # row 4 (shown) was reading: all read
    assert [n.read_state for n in _stored(userdata, papers[2:5])] == ["read"] * 3
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)  # each back to its own state
    assert [n.read_state for n in _stored(userdata, papers[2:5])] == [
        "unread", "reading", "reading"]
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)  # the 2, the clearing, the 4 undone
    assert [n.rating for n in _stored(userdata, papers[2:5])] == [None, 4, None]
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)  # the unstarring, the starring
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [False, True, False]


def test_t_adds_the_tags_typed_to_every_paper_picked(qtbot: QtBot, seed_db: Path,
                                                     tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    with UserData(userdata) as ud:
        ud.set_tags(papers[2].id, ["survey"])
    _pick_rows_2_to_4(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_T)
    dialog = window.findChild(TagsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Tags — 3 papers picked"
    assert dialog.edit.text() == ""  # their tags differ: only what is added is typed
    dialog.edit.setText("rl, Survey")
    _ok(qtbot, window, dialog)
    assert [n.tags for n in _stored(userdata, papers[1:6])] == [
        (), ("rl", "survey"), ("rl", "Survey"), ("rl", "Survey"), ()]
    window.activateWindow()  # as a window manager does when the dialog closes (offscreen:
    qtbot.waitUntil(window.isActiveWindow)  # none does, and Edit → Undo's key needs it)
    window.table.setFocus()
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert [n.tags for n in _stored(userdata, papers[2:5])] == [("survey",), (), ()]


def test_ctrl_c_copies_every_paper_picked_in_table_order(qtbot: QtBot, seed_db: Path,
                                                         tmp_path: Path) -> None:
    window, _papers = _by_title(qtbot, seed_db, tmp_path / "notes.db")
    click_row(qtbot, window, row_of_title(window, QWEN))  # picked last: shown, not first
    click_row(qtbot, window, row_of_title(window, ONLINE), CTRL)
    click_row(qtbot, window, row_of_title(window, HIERARCHICAL), CTRL)
    QApplication.clipboard().clear()
    _press(qtbot, window, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == (
        "Luo Ji, Gao Liu, Mingyang Yin et al. (2024). Hierarchical Reinforcement Learning "
        "for Temporal Abstraction of Listwise Recommendation. cs.IR.\n"
        "Luo Ji, Runji Lin (2024). Online Decision MetaMorphFormer: A Casual "
        "Transformer-Based Reinforcement Learning Framework of Universal Embodied "
        "Intelligence. cs.LG.\n"
        "Jinze Bai, Shuai Bai, Yunfei Chu et al. (2023). Qwen Technical Report. cs.CL.")
    assert window.statusBar().currentMessage() == "Copied 3 citations"
    click_row(qtbot, window, row_of_title(window, QWEN))  # one paper: as before
    _press(qtbot, window, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == (
        "Jinze Bai, Shuai Bai, Yunfei Chu et al. (2023). Qwen Technical Report. cs.CL.")


def test_a_copy_of_more_papers_than_a_clipboard_should_hold_says_so(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A review: Ctrl+A then Ctrl+C over a million rows built a million citations and put
    some 200 MB on the clipboard. Here the most is set to 3, under Luo Ji's 22 papers."""
    monkeypatch.setattr(menus, "COPY_MOST", 3)
    window, _papers = _by_title(qtbot, seed_db, tmp_path / "notes.db")
    click_row(qtbot, window, 0)
    QApplication.clipboard().setText("as it was")
    _press(qtbot, window, Qt.Key.Key_A, CTRL)
    _press(qtbot, window, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "as it was"
    assert window.statusBar().currentMessage() == (
        "22 papers are picked: Copy takes 3 at most; Export (Ctrl+E) writes any number"
        " to a file")


def test_n_with_several_picked_edits_the_shown_papers_note(qtbot: QtBot, seed_db: Path,
                                                           tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    _pick_rows_2_to_4(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_N)
    assert window.statusBar().currentMessage() == (
        "N edits the note of the paper shown only, not of the 2 others picked")
    dialog = window.findChild(NoteDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == f"Note — {papers[4].title}"
    qtbot.keyClicks(dialog.edit, "compare with row 2")
    _ok(qtbot, window, dialog)
    assert [n.note for n in _stored(userdata, papers[2:5])] == ["", "", "compare with row 2"]


def test_a_pick_of_100000_rows_is_read_as_spans(qtbot: QtBot) -> None:
    """What the GUI thread does with a pick of 100,000 of 1,000,000 rows: a slice per
    span, a few milliseconds (a loop over the rows through the model took ~1 s)."""
    part = PaperTablePart(LIGHT, QFontMetrics(QFont()))
    qtbot.addWidget(part.view)
    part.model.set_rids(list(range(1, 1_000_001)))
    model, picks = part.model, QItemSelection()
    picks.select(model.index(10, 0), model.index(60_009, 0))
    picks.select(model.index(500_000, 0), model.index(539_999, 0))
    part.view.selectionModel().select(picks, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
    start = time.perf_counter()
    rids = part.selected_rids()
    took = time.perf_counter() - start
    assert len(rids) == 100_000
    assert rids[:2] == [11, 12] and rids[59_999:60_001] == [60_010, 500_001]
    assert rids[-1] == 540_000
    assert took < 0.05, took


def test_one_transaction_stars_and_restores_100000_papers(tmp_path: Path) -> None:
    from paperdesk import paper_edits  # here: the tests above run without it too

    ids = [f"{n:016x}" for n in range(100_000)]
    with UserData(tmp_path / "notes.db") as ud:
        ud.set_starred(ids[5])
        ud.set_note(ids[7], "keep")
        start = time.perf_counter()
        edit = paper_edits.star(ud, ids)
        took = time.perf_counter() - start
        assert ud.conn.execute("SELECT count(*) FROM paper_notes WHERE starred").fetchone() \
            == (100_000,)
        assert edit.said() == "star on 100,000 papers" and edit.before[ids[5]] == 1
        paper_edits.restore(ud, edit)
        # back as it was: the rows that say nothing any more are gone
        assert ud.conn.execute("SELECT paper, starred, note FROM paper_notes"
                               " ORDER BY paper").fetchall() == [
            (ids[5], 1, ""), (ids[7], 0, "keep")]
    assert took < 10, took


def test_ctrl_a_over_200000_rows_asks_the_model_nothing_per_row(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's header asked the view's selection model whether each column was selected,
    and that asks the model for an index of every picked row: after Ctrl+A at 100,000
    papers 900,000 Python calls froze the window for 12-38 s (a newcomer's tour). The
    header paints with a selection model of its own; the model's counts are asked a
    few times per paint, not per row."""
    asked = [0]
    row_count = PaperTableModel.rowCount

    def counted(self: PaperTableModel, *args: object) -> int:
        asked[0] += 1
        return row_count(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PaperTableModel, "rowCount", counted)
    part = PaperTablePart(LIGHT, QFontMetrics(QFont()))
    qtbot.addWidget(part.view)
    part.view.resize(900, 400)
    part.view.show()
    qtbot.waitExposed(part.view)
    part.model.set_rids(list(range(1, 200_001)))
    part.view.selectRow(0)
    part.view.grab()
    asked[0] = 0
    qtbot.keyClick(part.view, Qt.Key.Key_A, CTRL)
    part.view.grab()  # paints the header and the rows, as the next frame would
    assert part.view.selectionModel().isRowSelected(199_999)
    assert asked[0] < 1_000, asked[0]


def test_edit_undo_is_in_the_menu_and_a_text_field_keeps_its_own(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """Edit → Undo and Redo (a newcomer looked for them in the menus): Ctrl+Z undoes the
    latest edit of papers from the author list too; in the search box it undoes typing."""
    userdata = tmp_path / "notes.db"
    window, papers = _by_title(qtbot, seed_db, userdata)
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert [a.text() for a in edit.actions()] == ["&Undo the latest edit of papers", "&Redo"]
    _pick_rows_2_to_4(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_S)
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [True, True, True]
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "graph")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Z, CTRL)  # the typing, not the stars
    assert window.search_box.text() == ""
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [True, True, True]
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    window.author_list.setFocus()
    qtbot.keyClick(window.author_list, Qt.Key.Key_Z, CTRL)
    wait_idle(qtbot, window)
    assert [n.starred for n in _stored(userdata, papers[2:5])] == [False, False, False]
    assert window.statusBar().currentMessage() == "Undone: star on 3 papers"


def test_ctrl_y_in_a_text_field_is_the_fields_own(qtbot: QtBot, seed_db: Path,
                                                  tmp_path: Path) -> None:
    """Under X11 a line edit's Redo is Ctrl+Shift+Z alone: Ctrl+Y there let Edit → Redo
    redo an edit of papers while the user typed (a review, under Xvfb). The guard keeps
    every key of Edit → Undo and Redo for a field that can be edited, and only there."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    window, _papers = _by_title(qtbot, seed_db, tmp_path / "notes.db")
    guard = window.shortcut_guard

    def override(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> bool:
        event = QKeyEvent(QEvent.Type.ShortcutOverride, key, modifiers)
        event.ignore()
        return guard.eventFilter(widget, event) and event.isAccepted()

    assert override(window.search_box, Qt.Key.Key_Y, CTRL)  # the field's own: no redo
    assert override(window.search_box, Qt.Key.Key_Z, CTRL | SHIFT)
    assert not override(window.table, Qt.Key.Key_Y, CTRL)  # the table: Edit → Redo's
    assert not override(window.detail, Qt.Key.Key_Y, CTRL)  # read-only: Edit → Redo's


def test_a_large_edit_says_it_is_under_way(qtbot: QtBot, seed_db: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Rating 98,581 papers took 7 s with nothing said (a newcomer's tour): from
    SAY_SAVING papers the status bar says the edit is under way, then that it is saved.
    (The table shows Luo Ji's 22 papers: the threshold is lowered to them.)"""
    from paperdesk.gui import paperedits

    monkeypatch.setattr(paperedits, "SAY_SAVING", 20)
    window, _papers = _by_title(qtbot, seed_db, tmp_path / "notes.db")
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL)
    _press(qtbot, window, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: "Saved: rating on 22 papers" in said)
    assert said.index("Saving: rating on 22 papers…") < said.index("Saved: rating on 22 papers")
