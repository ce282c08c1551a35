"""Page text and file names with markup through every widget that can read rich text.

A tooltip, a label, a message box or a progress dialog shows the characters of a
hostile title, name or file name; none renders them (a title `<img src="/dev/zero">`
in a tooltip used to abort the app)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from paperdesk.gui.window import MainWindow
from paperdesk.store import build_store
from tests.test_gui_support import OFFSCREEN_NOISE, author_row, open_window, search_for

pytestmark = OFFSCREEN_NOISE

NAME = "<b>Bold</b> Person"
TITLES = ('<img src="/dev/zero">', "<b>x</b> marks")
FILE = "<b>page.txt"
PAGE = f"""{NAME}

IR
h-index1
2papers
3citations
Novelty10%
AI Score20

2 Papers

IRMay 1, 2024
{TITLES[0]}

Bold Person, Dana Scully

Abstract.

IRMay 2, 2024
{TITLES[1]}

Dana Scully

Abstract two.
"""


def shown(text: str) -> str:
    """What Qt displays for a string given to a tooltip or an AutoText label."""
    if not QtGui.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / FILE).write_text(PAGE, encoding="utf-8")
    db = tmp_path / "store.db"
    assert build_store([pages], db).complete
    return db, pages / FILE


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen tooltips
def test_table_tooltips_show_titles_as_text(qtbot: QtBot, hostile: tuple[Path, Path]) -> None:
    window = open_window(qtbot, hostile[0])
    model = window.paper_model
    tips = {shown(model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole))
            for row in range(model.rowCount())}
    assert tips == set(TITLES)
    for row in range(model.rowCount()):  # really shown, as on hover: no image is loaded
        tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
        QToolTip.showText(window.table.mapToGlobal(QPoint(5, 5)), tip, window.table)
        qtbot.waitUntil(QToolTip.isVisible)
        assert QToolTip.text() == tip
        QToolTip.hideText()


def test_author_list_tooltip_shows_the_name_as_text(qtbot: QtBot,
                                                    hostile: tuple[Path, Path]) -> None:
    window = open_window(qtbot, hostile[0])
    index = window.author_model.index(author_row(window, "profile", NAME))
    assert index.data(Qt.ItemDataRole.DisplayRole) == f"{NAME} (2)"  # a list view: plain
    assert shown(index.data(Qt.ItemDataRole.ToolTipRole)) == (
        f"{NAME}: 2 papers listed on the profile page")


def _progress_label(window: MainWindow) -> QLabel:
    dialog = window.findChild(QProgressDialog, "progressDialog")
    assert dialog is not None
    label = dialog.findChild(QLabel)
    assert label is not None
    return label


def test_import_progress_shows_file_names_as_text(qtbot: QtBot,
                                                  hostile: tuple[Path, Path]) -> None:
    window = open_window(qtbot, hostile[0])
    task = window.transfers.import_paths([hostile[1]])
    assert task is not None
    label = _progress_label(window)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == f"Importing {FILE}"
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)


def test_message_boxes_show_paths_as_text(qtbot: QtBot, hostile: tuple[Path, Path]) -> None:
    window = open_window(qtbot, hostile[0])
    holder = sqlite3.connect(hostile[0], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the import fails: the store is in use
    try:
        task = window.transfers.import_paths([hostile[1]])
        assert task is not None
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "importError") is not None,
                        timeout=20_000)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    box = window.findChild(QMessageBox, "importError")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert str(hostile[0]) in box.text()


def test_the_status_bar_shows_query_text_as_text(qtbot: QtBot,
                                                 hostile: tuple[Path, Path]) -> None:
    window = open_window(qtbot, hostile[0])
    search_for(qtbot, window, "<b>x</b> )")
    label = window.status_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert 'ignored ")"' in label.text()


def test_direction_controls_in_names_and_links_are_shown_not_obeyed(
        qtbot: QtBot, tmp_path: Path) -> None:
    from tests.test_gui_support import click_row

    rlo = "\u202e"
    page = PAGE.replace(NAME, f"Dana {rlo}yllucS").replace(
        "Abstract.", f"Code at https://example.org/{rlo}gpj.exe for all.")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "bidi.txt").write_text(page, encoding="utf-8")
    db = tmp_path / "store.db"
    assert build_store([pages], db).complete
    window = open_window(qtbot, db)
    rows = [window.paper_model.index(r, 1).data() for r in range(window.paper_model.rowCount())]
    click_row(qtbot, window, rows.index(TITLES[0]))
    qtbot.waitUntil(lambda: "gpj.exe" in window.detail.toPlainText())
    text = window.detail.toPlainText()
    assert rlo not in text and rlo not in window.detail.toHtml()
    assert "Dana [U+202E]yllucS" in text
    assert "https://example.org/[U+202E]gpj.exe" in text
    shown_names = [window.author_model.index(r).data()
                   for r in range(window.author_model.rowCount())]
    assert "Dana [U+202E]yllucS (2)" in shown_names  # the author list too
    assert not any(rlo in str(name) for name in shown_names)


def _labels_show_their_text(dialog: QWidget) -> dict[str, str]:
    """Each label of `dialog` that Qt would render as markup: its text → what shows."""
    return {label.text(): shown(label.text()) for label in dialog.findChildren(QLabel)
            if label.textFormat() != Qt.TextFormat.PlainText
            and shown(label.text()) != label.text()}


def test_the_desk_dialogs_show_titles_and_saved_search_names_as_text(
        qtbot: QtBot, hostile: tuple[Path, Path]) -> None:
    """A tester's saved search "Holo <i>EE</i>" showed as "Holo EE" in the Find
    reviewers status line, and More like this put a paper's title in a label that read
    it as markup (the title `<img src="/dev/zero">` in a tooltip used to abort the app)."""
    from paperdesk.gui.reviewersdialog import ReviewersDialog
    from paperdesk.gui.similardialog import SimilarDialog
    from tests.test_gui_support import click_row, row_of_title, wait_idle

    window = open_window(qtbot, hostile[0])
    click_row(qtbot, window, row_of_title(window, TITLES[1]))
    window.desk.similar_action.trigger()
    similar = window.findChild(SimilarDialog)
    assert similar is not None
    qtbot.waitUntil(lambda: similar.answer is not None, timeout=10_000)
    assert f"More like “{TITLES[1]}”" in [label.text() for label in
                                           similar.findChildren(QLabel)]
    assert _labels_show_their_text(similar) == {}
    similar.close()

    window.saved.save(NAME, "marks")
    wait_idle(qtbot, window)
    window.desk.reviewers_action.trigger()
    dialog = window.findChild(ReviewersDialog)
    assert dialog is not None
    dialog.use_saved.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert f"of “{NAME}”" in dialog.status.text()
    assert _labels_show_their_text(dialog) == {}


def test_the_owner_and_rename_questions_show_file_names_and_names_as_text(
        qtbot: QtBot, tmp_path: Path) -> None:
    """"Name this page's owner…" quoted the page's file name and Rename… a person's name
    in a label that read them as markup: `<b>page.txt` showed as a bold "page.txt"."""
    from PySide6.QtWidgets import QInputDialog

    from paperdesk.gui.identities import IdentitiesDialog
    from paperdesk.gui.models import ITEM_ROLE

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / FILE).write_text(PAGE.replace(f"{NAME}\n\n", ""), encoding="utf-8")  # no owner
    db = tmp_path / "store.db"
    assert build_store([pages], db).complete
    window = open_window(qtbot, db)
    item = window.author_model.index(author_row(window, "profile", "Dana Scully")).data(
        ITEM_ROLE)
    assert item.page == FILE
    owner = window.corrections.ask_owner(item)
    assert isinstance(owner, QInputDialog)
    assert shown(owner.labelText()).startswith(f"The page {FILE} does not say whose it is")

    people = IdentitiesDialog(db, tmp_path / "notes.db", window, person=("bold", NAME))
    qtbot.waitUntil(lambda: people.task is None, timeout=20000)
    rename = people.ask_rename()
    assert isinstance(rename, QInputDialog)
    assert shown(rename.labelText()) == f"Show {NAME} as:"
    # a window manager cut the narrow question's title: "Renam…erson" (newcomer's tour)
    saved = window.saved.ask(window, "graph")
    assert saved is not None
    for question in (owner, rename, saved):
        title = question.fontMetrics().horizontalAdvance(question.windowTitle())
        assert question.width() >= title + 150, question.windowTitle()
    rename.reject()
    saved.reject()
    owner.reject()
    people.close()
