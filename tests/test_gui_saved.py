"""Saved searches: named queries in the author list that run afresh when opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from paperdesk.gui.models import ITEM_ROLE
from paperdesk.gui.window import MainWindow
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    click_author,
    open_window,
    search_for,
    table_titles,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
CTRL = Qt.KeyboardModifier.ControlModifier
# grep -i qwen seeds/*: five papers (see the window tests)
QWEN = 5
NEW_PAGE = """Ada Quorvian

CL
h-index3
1papers
12citations
Novelty70%
AI Score41

1 Papers

CLJun 5, 2024
Qwen Adapters for Glued Page Formats

Ada Quorvian

Parsing pages whose lines run together.
"""


def _texts(window: MainWindow) -> list[str]:
    model = window.author_model
    return [model.index(r).data() for r in range(model.rowCount())]


def _save(qtbot: QtBot, window: MainWindow, name: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    dialog = window.findChild(QInputDialog, "saveSearchDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.setTextValue(name)
    dialog.accept()


def test_save_a_search_and_run_it(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "qwen")
    assert window.paper_model.rowCount() == QWEN
    _save(qtbot, window, "Qwen papers")
    texts = _texts(window)
    # the seeds' one doubtful entry needs review (test_corrections)
    assert texts[1:4] == ["Needs review (1)", "Saved searches (1)", "Qwen papers"]
    assert texts[4] == "Profiles (5)"
    # away from it, then back: clicking it runs the query
    click_author(qtbot, window, "profile", "Ziru Liu")
    search_for(qtbot, window, "")
    assert len(table_titles(window)) == PROFILES["Ziru Liu"]
    click_author(qtbot, window, "saved", "Qwen papers")
    assert window.search_box.text() == "qwen"
    assert window.paper_model.rowCount() == QWEN
    assert "Qwen Technical Report" in table_titles(window)
    assert window.windowTitle().startswith("Saved search “Qwen papers”")
    assert "Saved search: qwen" in window.detail.toPlainText()
    # leaving it takes its query out of the box
    click_author(qtbot, window, "profile", "Luo Ji")
    assert window.search_box.text() == ""
    assert len(table_titles(window)) == PROFILES["Luo Ji"]

    # the store grows: the saved query finds the new paper
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "005_new.txt").write_text(NEW_PAGE, encoding="utf-8")
    window.transfers.import_paths([pages])
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)
    wait_idle(qtbot, window)
    assert "Qwen papers" in _texts(window)  # still there after the store reopened
    click_author(qtbot, window, "saved", "Qwen papers")
    assert window.paper_model.rowCount() == QWEN + 1
    assert "Qwen Adapters for Glued Page Formats" in table_titles(window)
    if window.transfers.import_summary is not None:
        window.transfers.import_summary.close()

    # it survives a restart, and the window comes back on it
    window.close()
    second = open_window(qtbot, seed_db)
    assert "Qwen papers" in _texts(second)
    assert second.scope is not None and second.scope.kind == "saved"
    assert second.paper_model.rowCount() == QWEN + 1


def test_menu_action_same_name_and_delete(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    assert window.ask_save_search() is None  # nothing typed: nothing to save
    assert "Type a search first" in window.statusBar().currentMessage()
    search_for(qtbot, window, "bregman")
    window.menu_actions.save_search.trigger()
    dialog = window.findChild(QInputDialog, "saveSearchDialog")
    assert dialog is not None and dialog.textValue() == "bregman"
    dialog.accept()
    search_for(qtbot, window, "negotiation")
    window.save_search("bregman", window.search_box.text())  # the same name: replaced
    assert _texts(window).count("bregman") == 1
    click_author(qtbot, window, "saved", "bregman")
    assert window.search_box.text() == "negotiation"
    assert window.paper_model.rowCount() == 2  # 001 line 6, 004 line 21
    item = window.author_list.currentIndex().data(ITEM_ROLE)
    assert item.kind == "saved"
    menu = window.author_menu()
    delete = [a for a in menu.actions() if a.text().startswith("Delete saved search")]
    assert delete
    delete[0].trigger()
    menu.deleteLater()
    wait_idle(qtbot, window)
    assert "bregman" not in _texts(window)
    assert "Saved searches (1)" not in _texts(window)
    assert window.scope is not None and window.scope.kind == "all"


def test_a_saved_search_edited_is_a_search_of_all_papers(qtbot: QtBot, seed_db: Path) -> None:
    """A tester edited the query of a saved search: the status line still said
    "... in Saved search “Qwen papers”" over papers the saved search does not hold.
    Once the box holds another query the list, the title and the status line say All
    papers; the saved query again (spaces aside) is the saved search; Back returns."""
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "qwen")
    _save(qtbot, window, "Qwen papers")
    click_author(qtbot, window, "saved", "Qwen papers")
    box = window.search_box
    box.end(False)
    qtbot.keyClicks(box, " ")  # the saved query and a space: still the saved search
    wait_idle(qtbot, window)
    assert window.scope is not None and window.scope.kind == "saved"
    assert window.search.status.text().startswith(f"{QWEN} papers in Saved search “Qwen papers”")

    qtbot.keyClicks(box, "technical")
    wait_idle(qtbot, window)
    assert box.text() == "qwen technical"
    assert window.scope is not None and window.scope.kind == "all"
    assert window.authors.view.currentIndex().data().startswith("All papers")
    status = window.search.status.text()
    assert "Saved search" not in status and not window.windowTitle().startswith("Saved search")
    assert "Saved search" not in window.detail.toPlainText()
    assert "Qwen Technical Report" in table_titles(window)
    assert 0 < window.paper_model.rowCount() < QWEN

    window.go_back()
    wait_idle(qtbot, window)
    assert box.text() == "qwen"
    assert window.scope is not None and window.scope.kind == "saved"
    assert window.paper_model.rowCount() == QWEN


def test_a_saved_search_named_with_an_ampersand_shows_it_in_the_menu(qtbot: QtBot,
                                                                    seed_db: Path) -> None:
    """`R&D` in "Delete saved search “R&D”" was read as a menu accelerator: `RD`, D
    underlined (the names of people were already kept as text)."""
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "negotiation")
    window.save_search("R&D", window.search_box.text())
    click_author(qtbot, window, "saved", "R&D")
    menu = window.author_menu()
    delete = [a for a in menu.actions() if a.text().startswith("Delete saved search")]
    assert [a.text() for a in delete] == ["Delete saved search “R&&D”"]  # "&&" shows "&"
    menu.deleteLater()
