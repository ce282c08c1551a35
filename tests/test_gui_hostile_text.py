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
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QToolTip
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
