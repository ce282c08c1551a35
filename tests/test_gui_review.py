"""Issue 13, "Never silent": the author list's "Needs review" entry in the real window,
on a page whose doubtful entries are written by hand."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog
from pytestqt.qtbot import QtBot

from paperdesk.gui.correction import CorrectionDialog
from paperdesk.gui.models import ITEM_ROLE
from paperdesk.gui.window import MainWindow
from paperdesk.store import Store, build_store
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_author,
    click_row,
    open_window,
    row_of_title,
    table_titles,
    trace_gui_sql,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
LEFT = Qt.MouseButton.LeftButton
# Run together with no space; a camel-case given name at the seam ("HoJae") may as well
# end the title, so the parser doubts the first two; the third is certain.
FOLDING = "Graph Methods for Protein Folding"
SPARSE = "Sparse Attention at Long Range"
RANK = "Learning to Rank Search Results"
PAGE = f"""Ann Lee

IRFeb 1, 2023
{FOLDING}HoJae Shin, Ann Lee
We fold proteins.
IRMar 2, 2023
{SPARSE}MinJun Park, Ann Lee, Bo Chen
We attend sparsely.
IRApr 3, 2023
{RANK}Ann Lee, Bo Chen
We rank results.
"""


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ann_lee.txt").write_text(PAGE, encoding="utf-8")
    db, notes = tmp_path / "store.db", tmp_path / "userdata.db"
    assert build_store([folder], db, userdata_path=notes).papers == 3
    return open_window(qtbot, db, notes)


def _head(window: MainWindow) -> list[str]:
    model = window.authors.model
    return [model.index(r).data() for r in range(3)]


def _pick(qtbot: QtBot, window: MainWindow, row: int) -> None:
    view = window.authors.view
    rect = view.visualRect(window.authors.model.index(row))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
    wait_idle(qtbot, window)


def test_needs_review_lists_the_doubtful_papers_until_corrected(qtbot: QtBot,
                                                                tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    gui_sql = trace_gui_sql(window)
    assert _head(window) == ["All papers (3)", "Needs review (2)", "Profiles (1)"]
    _pick(qtbot, window, 1)
    assert sorted(table_titles(window)) == [FOLDING, SPARSE]
    assert window.search_box.text() == "is:doubtful"
    assert "in Needs review" in window.search.status.text()
    assert "Needs review" in window.detail.toPlainText()
    window.resize(900, 600)
    shots = Path(os.environ.get("PAPERDESK_SHOTS") or tmp_path)  # a folder to look in
    shots.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(shots / "needs-review-900.png"))

    click_row(qtbot, window, row_of_title(window, FOLDING))
    window.correct_paper()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CorrectionDialog)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Corrected"),
                    timeout=20000)
    qtbot.waitUntil(lambda: _head(window)[1] == "Needs review (1)")
    wait_idle(qtbot, window)
    assert table_titles(window) == [SPARSE]  # the corrected paper left the list

    _pick(qtbot, window, 0)  # All papers: the query leaves the box
    assert window.search_box.text() == ""
    assert sorted(table_titles(window)) == [FOLDING, RANK, SPARSE]
    assert gui_sql == []


def test_correcting_the_last_paper_to_review_shows_it_in_all_papers(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Needs review goes when its last paper is corrected: the window fell back to All
    papers with "is:doubtful" left in the box, so it showed an empty table."""
    window = _window(qtbot, tmp_path)
    _pick(qtbot, window, 1)
    for title in (FOLDING, SPARSE):
        click_row(qtbot, window, row_of_title(window, title))
        window.correct_paper()
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog))
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectionDialog)
        window.statusBar().clearMessage()
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Corrected"),
                        timeout=20000)
        wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _head(window)[:2] == ["All papers (3)", "Profiles (1)"])
    wait_idle(qtbot, window)
    assert window.scope is not None and window.scope.kind == "all"
    assert window.search_box.text() == ""
    assert sorted(table_titles(window)) == [FOLDING, RANK, SPARSE]
    paper = window.current_paper()
    assert paper is not None and paper.title == SPARSE  # the paper just corrected stays


def test_no_entry_when_nothing_is_doubtful(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ann_lee.txt").write_text(
        f"Ann Lee\n\nIRApr 3, 2023\n{RANK}Ann Lee, Bo Chen\nWe rank results.\n",
        encoding="utf-8")
    db = tmp_path / "store.db"
    assert build_store([folder], db).papers == 1
    window = open_window(qtbot, db, tmp_path / "userdata.db")
    assert _head(window) == ["All papers (1)", "Profiles (1)", "Ann Lee (1 · 1 named)"]


def _profiles(window: MainWindow) -> list[str]:
    model = window.author_model
    items = [model.index(r).data(ITEM_ROLE) for r in range(model.rowCount())]
    return sorted(i.label for i in items if i is not None and i.kind == "profile")


def _menu_texts(window: MainWindow) -> list[str]:
    menu = window.author_menu()
    texts = [a.text() for a in menu.actions()]
    menu.deleteLater()
    return texts


def test_naming_a_pages_owner_from_the_author_list(qtbot: QtBot, tmp_path: Path) -> None:
    """By hand: the page nameless.txt does not say whose it is; Ann Lee, on both its
    entries, is the parser's guess; the user says it is Jing Yao's."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "nameless.txt").write_text(
        "IRFeb 7, 2023\nGraph Models for Search\n\nAnn Lee, Jing Yao\n\nWe study it.\n\n"
        "IRMar 2, 2024\nDeep Search Models\n\nJing Yao, Ann Lee, Bo Chen\n\nMore.\n\n",
        encoding="utf-8")
    (folder / "bo_chen.txt").write_text(
        f"Bo Chen\n\nIR\n\nIRApr 3, 2023\n{RANK}\n\nAnn Lee, Bo Chen\n\nWe rank.\n\n",
        encoding="utf-8")
    db, notes = tmp_path / "store.db", tmp_path / "userdata.db"
    assert build_store([folder], db, userdata_path=notes).papers == 3
    window = open_window(qtbot, db, notes)
    gui_sql = trace_gui_sql(window)
    assert _profiles(window) == ["Ann Lee", "Bo Chen"]
    click_author(qtbot, window, "profile", "Bo Chen")  # the page names its owner
    assert "Name this page's owner…" not in _menu_texts(window)
    click_author(qtbot, window, "profile", "Ann Lee")
    assert "Name this page's owner…" in _menu_texts(window)
    menu = window.author_menu()
    action = next(a for a in menu.actions() if a.text() == "Name this page's owner…")
    action.trigger()
    menu.deleteLater()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QInputDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QInputDialog)
    assert "nameless.txt" in dialog.labelText() and dialog.textValue() == "Ann Lee"
    dialog.setTextValue("  Jing   Yao ")
    dialog.accept()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(
        "Named the owner of nameless.txt: Jing Yao"), timeout=20000)
    qtbot.waitUntil(lambda: _profiles(window) == ["Bo Chen", "Jing Yao"])
    click_author(qtbot, window, "profile", "Jing Yao")
    assert "Name this page's owner…" not in _menu_texts(window)  # the name is no guess now
    assert sorted(table_titles(window)) == ["Deep Search Models", "Graph Models for Search"]
    with Store(db) as store:
        profile = store.profile_by_source("nameless.txt")
    assert profile is not None and (profile.name, profile.name_inferred) == ("Jing Yao", False)
    assert gui_sql == []


def _current(window: MainWindow) -> str | None:
    data = window.authors.view.currentIndex().data()
    return None if data is None else str(data)


def test_needs_review_is_restored_after_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    """The window's place is Needs review (and a paper in it) when it closes: the next
    window on the same store and settings opens there; once nothing is doubtful, the
    place falls back to All papers."""
    first = _window(qtbot, tmp_path)
    _pick(qtbot, first, 1)
    click_row(qtbot, first, row_of_title(first, SPARSE))
    first.close()

    db, notes = tmp_path / "store.db", tmp_path / "userdata.db"
    second = open_window(qtbot, db, notes)
    qtbot.waitUntil(lambda: _current(second) == "Needs review (2)")
    wait_idle(qtbot, second)
    assert second.scope is not None and second.scope.kind == "review"
    assert second.search_box.text() == "is:doubtful"
    assert sorted(table_titles(second)) == [FOLDING, SPARSE]
    assert table_titles(second)[second.table.currentIndex().row()] == SPARSE
    assert "in Needs review" in second.search.status.text()
    second.resize(1000, 620)
    shots = Path(os.environ.get("PAPERDESK_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    assert second.grab().save(str(shots / "needs-review-restored-1000.png"))
    second.close()

    # The same store rebuilt from a page the parser is sure of: nothing to review.
    (tmp_path / "pages" / "ann_lee.txt").write_text(
        f"Ann Lee\n\nIRApr 3, 2023\n{RANK}Ann Lee, Bo Chen\nWe rank results.\n",
        encoding="utf-8")
    assert build_store([tmp_path / "pages"], db, userdata_path=notes).papers == 1
    third = open_window(qtbot, db, notes)
    qtbot.waitUntil(lambda: _current(third) == "All papers (1)")
    assert third.scope is not None and third.scope.kind == "all"
    assert third.search_box.text() == ""
    assert table_titles(third) == [RANK]


def test_undoing_a_correction_puts_the_paper_back_in_needs_review(
        qtbot: QtBot, tmp_path: Path) -> None:
    """The parser's doubt is kept with the correction (user data version 5): undoing it
    brings the page's reading back, doubt included."""
    window = _window(qtbot, tmp_path)
    _pick(qtbot, window, 1)
    click_row(qtbot, window, row_of_title(window, FOLDING))
    for button in ("save", "undo"):
        window.correct_paper()
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog))
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectionDialog)
        window.statusBar().clearMessage()
        clicked = (dialog.undo_button if button == "undo" else
                   dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
        qtbot.mouseClick(clicked, LEFT)
        done = "Correction undone" if button == "undo" else "Corrected"
        qtbot.waitUntil(lambda done=done: window.statusBar().currentMessage().startswith(done),
                        timeout=20000)
        wait_idle(qtbot, window)
        if button == "save":
            qtbot.waitUntil(lambda: _head(window)[1] == "Needs review (1)")
            _pick(qtbot, window, 0)  # All papers: the corrected paper left Needs review
            click_row(qtbot, window, row_of_title(window, FOLDING))
    qtbot.waitUntil(lambda: _head(window)[1] == "Needs review (2)")
    _pick(qtbot, window, 1)
    assert sorted(table_titles(window)) == [FOLDING, SPARSE]


def _scope_shown(window: MainWindow) -> tuple[str, str | None, str]:
    """The scope's kind, the list's highlighted row and the status line's words."""
    scope = window.scope
    assert scope is not None
    return scope.kind, _current(window), window.search.status.text().split("  ·  ")[0]


def test_a_query_without_is_doubtful_leaves_needs_review(qtbot: QtBot, tmp_path: Path) -> None:
    """A tester in Needs review typed `c++` over `is:doubtful`: the status bar said
    "6,587 papers in Needs review" and the list still highlighted it. Words typed after
    `is:doubtful` search within Needs review; a query without it (Esc's empty one too)
    is a search of All papers, and the list, the pane and the status line say so."""
    window = _window(qtbot, tmp_path)
    gui_sql = trace_gui_sql(window)
    _pick(qtbot, window, 1)
    box = window.search_box
    qtbot.keyClicks(box, " sparse")  # after the query the row put in the box
    wait_idle(qtbot, window)
    assert box.text() == "is:doubtful sparse"
    assert _scope_shown(window) == ("review", "Needs review (2)", "1 paper in Needs review")
    assert table_titles(window) == [SPARSE]

    box.selectAll()
    qtbot.keyClicks(box, "rank")  # the query replaced: all papers
    wait_idle(qtbot, window)
    assert box.text() == "rank"
    assert _scope_shown(window) == ("all", "All papers (3)", "1 paper")
    assert table_titles(window) == [RANK]
    assert "Needs review" not in window.detail.toPlainText()
    assert "Needs review" not in window.windowTitle()

    window.go_back()  # Back: Needs review and its query again
    wait_idle(qtbot, window)
    assert box.text() == "is:doubtful"
    assert _scope_shown(window) == ("review", "Needs review (2)", "2 papers in Needs review")

    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc: an empty query
    wait_idle(qtbot, window)
    assert box.text() == ""
    assert _scope_shown(window) == ("all", "All papers (3)", "3 papers")
    assert sorted(table_titles(window)) == [FOLDING, RANK, SPARSE]
    assert "Needs review" not in window.detail.toPlainText()
    assert gui_sql == []
