"""Helpers shared by the GUI tests (no tests here).

Expected values in the GUI tests come from reading the seed pages (grep), never
from the app's own output.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QThread, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QHeaderView, QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

from paperdesk.app import create_window
from paperdesk.gui.models import ITEM_ROLE, PAPER_ROLE, PaperTableModel
from paperdesk.gui.reader import Reader
from paperdesk.gui.theme import dark_palette
from paperdesk.gui.window import MainWindow
from paperdesk.store import PaperRow

# The offscreen platform warns on every top-level show; nothing to do with the app.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# name on (or inferred for) each seed page -> number of entries on the page
PROFILES = {"Ziru Liu": 14, "Jianxun Lian": 49, "Luo Ji": 22, "Anxiang Zeng": 32,
            "Zeyuan Liu": 12}
# The page's own first entry, then others, copied from the seed pages.
TITLES = {
    "Ziru Liu": ["Multi-Task Recommendations with Reinforcement Learning",
                 "AutoAssign+: Automatic Shared Embedding Assignment in Streaming Recommendation",
                 "Learning Empirical Bregman Divergence for Uncertain Distance Representation"],
    "Jianxun Lian": [
        "RecExplainer: Aligning Large Language Models for Explaining Recommendation Models",
        "SocialCoach: Personalized Social Skill Learning with RL-based Agentic Tutoring and "
        "Practice",
        "xDeepFM: Combining Explicit and Implicit Feature Interactions for Recommender Systems"],
    "Luo Ji": ["Qwen Technical Report",
               "Hierarchical Reinforcement Learning for Temporal Abstraction of Listwise "
               "Recommendation",
               "Learn-to-learn on Arbitrary Textual Conditioning: A Hypernetwork-Driven "
               "Meta-Gated LLM"],
    "Anxiang Zeng": [
        "CharTide: Data-Centric Chart-to-Code Generation via Tri-Perspective Tuning and "
        "Inquiry-Driven Evolution",
        "Clustered Embedding Learning for Recommender Systems",
        "Reinforcement Learning to Rank in E-Commerce Search Engine: Formalization, Analysis, "
        "and Application"],
    "Zeyuan Liu": ["SE-Bench: Benchmarking Self-Evolution with Knowledge Internalization",
                   "Multi-Agent Coordination via Multi-Level Communication",
                   "JustRL: Scaling a 1.5B LLM with a Simple RL Recipe"],
}


def answer_when_asked(qtbot: QtBot, button: str | None) -> list[str]:
    """Answer the next modal message box by clicking `button` (None: press Enter, which
    takes its default). Returns, once asked, the box's text and the answer given."""
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        if button is None:
            seen.append(box.defaultButton().text())
            QTest.keyClick(box, Qt.Key.Key_Return)
            return
        chosen = next(b for b in box.buttons() if b.text() == button)
        seen.append(chosen.text())
        chosen.click()

    QTimer.singleShot(0, answer)
    return seen


def open_window(qtbot: QtBot, db: Path, userdata: Path | None = None) -> MainWindow:
    window = create_window(db, userdata)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    wait_idle(qtbot, window)
    return window


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Until no search or read is pending or running and its result is on screen."""
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)


def trace_gui_sql(window: MainWindow) -> list[str]:
    """Every SQL statement the GUI thread runs from now on, on the reading threads'
    store connections (the window holds none of its own: `watch_connections` checks
    that) or on the notes thread's own connection (statements those threads run
    themselves are not recorded: only the GUI thread's)."""
    gui: list[str] = []
    main = threading.main_thread()

    def traced(sql: str) -> None:
        if threading.current_thread() is main:
            gui.append(sql)

    reader, searcher = window.stores.reader, window.stores.searcher
    assert reader is not None and searcher is not None
    userdata = window.annotations.notes.userdata
    assert userdata is not None
    # opened by their first reads (wait_idle): looking at them opens nothing here
    opened = [c._store for c in (reader.connections, searcher.worker._connections)]
    for conn in [userdata.conn] + [store.conn for store in opened if store is not None]:
        conn.set_trace_callback(traced)
    return gui


@dataclass
class Connections:
    """What `watch_connections` saw: each connection opened (its thread's name: the
    QThread's, "MainThread" for the GUI thread) and each statement the GUI thread ran."""

    opened_on: list[str] = field(default_factory=list)
    gui_sql: list[str] = field(default_factory=list)


def watch_connections(monkeypatch: pytest.MonkeyPatch) -> Connections:
    """From now on, every `sqlite3.connect` (db.connect and every other caller): on
    which thread, and every statement the GUI thread runs on what it opened."""
    seen = Connections()
    connect = sqlite3.connect
    main = threading.main_thread()

    def traced(sql: str) -> None:
        if threading.current_thread() is main:
            seen.gui_sql.append(sql)

    def watched(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        on_main = threading.current_thread() is main
        seen.opened_on.append("MainThread" if on_main else QThread.currentThread().objectName())
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(traced)
        return conn

    monkeypatch.setattr(sqlite3, "connect", watched)
    return seen


def author_row(window: MainWindow, kind: str, label: str) -> int:
    model = window.author_model
    for row in range(model.rowCount()):
        item = model.index(row).data(ITEM_ROLE)
        if item is not None and item.kind == kind and item.label == label:
            return row
    raise AssertionError(f"no {kind} {label!r} in the author list")


def click_author(qtbot: QtBot, window: MainWindow, kind: str, label: str) -> None:
    index = window.author_model.index(author_row(window, kind, label))
    window.author_list.scrollTo(index)
    rect = window.author_list.visualRect(index)
    qtbot.mouseClick(window.author_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    wait_idle(qtbot, window)


def table_papers(window: MainWindow) -> list[PaperRow]:
    model = window.paper_model
    return [model.index(r, 0).data(PAPER_ROLE) for r in range(model.rowCount())]


def table_titles(window: MainWindow) -> list[str]:
    model = window.paper_model
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def row_of_title(window: MainWindow, title: str) -> int:
    titles = table_titles(window)
    assert title in titles, f"{title!r} not in the table"
    return titles.index(title)


def click_row(qtbot: QtBot, window: MainWindow, row: int,
              modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    index = window.paper_model.index(row, 1)
    window.table.scrollTo(index)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     rect.center())
    wait_idle(qtbot, window)


def click_header(qtbot: QtBot, window: MainWindow, column: int) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    wait_idle(qtbot, window)


def search_for(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, text)
    wait_idle(qtbot, window)


def model_on(reader: Reader) -> PaperTableModel:
    """A paper model reading its rows through `reader` (a real reader thread)."""
    model = PaperTableModel(reader.request_rows)
    reader.rowsReady.connect(model.add_rows)
    return model


def read_rows(qtbot: QtBot, reader: Reader, model: PaperTableModel) -> None:
    """Ask for every row, as a view scrolling through would, until all have come."""
    for row in range(model.rowCount()):
        model.index(row, 0).data()
        qtbot.waitUntil(lambda: not reader.busy)


@contextmanager
def palette_as(qapp: QApplication, palette: str) -> Iterator[None]:
    """The application's palette "dark" (the app's own dark one) or "light" (as it is)
    for the block, and back after it."""
    before = qapp.palette()
    if palette == "dark":
        qapp.setPalette(dark_palette())
    try:
        yield
    finally:
        qapp.setPalette(before)


def drag_edge(qtbot: QtBot, header: QHeaderView, column: int, width: int) -> None:
    """Drag the right edge of `column` until it is `width` wide, as a user does."""
    edge = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) - 1,
                  header.height() // 2)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseMove(header.viewport(), edge + QPoint(width - header.sectionSize(column), 0))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton,
                       pos=edge + QPoint(width - header.sectionSize(column), 0))
    assert header.sectionSize(column) == width


def clear_button_opacity(window: MainWindow) -> float:
    """How much the search box's clear button shows (Qt's own tool button child, which
    fades in and out with the box's text: 1 shown, 0 gone)."""
    buttons = window.search_box.findChildren(QToolButton)
    assert len(buttons) == 1
    return float(buttons[0].property("opacity"))
