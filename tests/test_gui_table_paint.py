"""The paper table paints a page in slices (gui/papertable.py): when the next band of
rows would end a paint past PAINT_SLICE_S, the rows left are painted in the next turn
of the event loop, so a full page never holds the GUI thread for the whole of its
paint. Read off the pixels of the window's backing store (what the screen shows)
against a grab, which paints the whole viewport at once."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from paperdesk.gui import papertable
from paperdesk.gui import worker as worker_module
from paperdesk.gui.window import MainWindow
from tests.test_gui_support import OFFSCREEN_NOISE, open_window, search_for, wait_idle

pytestmark = OFFSCREEN_NOISE


def _on_screen(window: MainWindow) -> QImage:
    """The table's viewport as the window's backing store holds it (what is shown)."""
    viewport = window.table.viewport()
    shot = viewport.screen().grabWindow(window.winId())
    at = viewport.mapTo(window, QPoint(0, 0))
    image = shot.copy(at.x(), at.y(), viewport.width(), viewport.height()).toImage()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _whole(window: MainWindow) -> QImage:
    """The viewport painted whole into a pixmap."""
    return window.table.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _window(qtbot: QtBot, seed_db: Path) -> MainWindow:
    window = open_window(qtbot, seed_db)
    window.resize(1200, 800)
    qtbot.waitUntil(lambda: window.width() == 1200)
    search_for(qtbot, window, "model")
    qtbot.waitUntil(lambda: not window.table.painting)
    return window


def _bands(window: MainWindow) -> int:
    """Bands of papertable.BAND_ROWS rows in the viewport, counted by hand."""
    rows = window.table.verticalHeader().defaultSectionSize() * papertable.BAND_ROWS
    return math.ceil(window.table.viewport().height() / rows)


def test_a_page_is_painted_band_by_band_and_ends_as_a_whole_paint(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, seed_db)
    table = window.table
    assert window.paper_model.rowCount() > table.rowAt(table.viewport().height() - 1) > 12
    monkeypatch.setattr(papertable, "PAINT_SLICE_S", 0.0)  # one band per paint
    band_height = table.verticalHeader().defaultSectionSize() * papertable.BAND_ROWS
    whole = _whole(window)
    before = table.slices
    table.viewport().repaint()  # the first band now, the others in later turns
    assert table.painting
    first = _on_screen(window)
    assert first.copy(0, 0, first.width(), band_height) == whole.copy(
        0, 0, whole.width(), band_height)
    assert first != whole  # the rows below are not painted yet
    qtbot.waitUntil(lambda: not table.painting)
    assert table.slices - before == _bands(window) - 1  # every band after the first
    assert _on_screen(window) == whole


def test_a_new_answer_is_painted_whole_in_the_end(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, seed_db)
    monkeypatch.setattr(papertable, "PAINT_SLICE_S", 0.0)
    before = window.table.slices
    search_for(qtbot, window, "language")
    qtbot.waitUntil(lambda: not window.table.painting)
    wait_idle(qtbot, window)
    assert window.table.slices > before
    assert _on_screen(window) == _whole(window)


def test_a_grab_paints_every_row_at_once(qtbot: QtBot, seed_db: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, seed_db)
    whole = _whole(window)
    monkeypatch.setattr(papertable, "PAINT_SLICE_S", 0.0)
    before = window.table.slices
    assert _whole(window) == whole
    assert window.grab().toImage().isNull() is False
    assert window.table.slices == before and not window.table.painting


def test_rows_added_below_a_full_page_paint_nothing_shown(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A final answer after its first page inserts rows below it: when the first page
    fills the table, only the scroll bar changes and the rows shown are not painted
    again; a first page shorter than the table shows the new rows: painted again."""
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 0)  # two answers
    first_painted = threading.Event()  # the final search waits for the first page's paint
    search = worker_module.search

    def held(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("limit") != worker_module.FIRST_PAGE:  # the final search
            first_painted.wait(10)
        return search(*args, **kwargs)

    window = _window(qtbot, seed_db)
    monkeypatch.setattr(worker_module, "search", held)
    table, model = window.table, window.paper_model
    viewport = table.viewport()
    painted: list[int] = []  # the row count at each paint of the top row

    class Paints(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and event.region().contains(  # type: ignore[attr-defined]
                    QPoint(1, 1)):
                painted.append(model.rowCount())
            return False

    watcher = Paints()
    viewport.installEventFilter(watcher)
    shown = table.rowAt(viewport.height() - 1) + 1  # rows the table shows
    for first_page, painted_again in ((shown + 5, False), (shown - 5, True)):
        monkeypatch.setattr(worker_module, "FIRST_PAGE", first_page)
        painted.clear()
        first_painted.clear()
        window.search_box.clear()
        window.run_search()  # every paper: 129, the first page first
        qtbot.waitUntil(lambda: bool(painted) and not table.painting)
        first_painted.set()
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda: not table.painting)
        assert model.rowCount() == 129
        assert painted[0] == first_page  # the first page's top, painted before the rest came
        if painted_again:  # the rows shown changed: a paint with every row comes, at a
            qtbot.waitUntil(lambda: 129 in painted)  # later turn under load (a fresh clone)
        assert (129 in painted) is painted_again, painted  # the top painted with every row


def test_a_new_answer_paints_its_rows_once_whatever_comes_first(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new answer resets the model. Qt lays the rows out at a later turn of the event
    loop and then repaints the whole viewport; when the paint the reset asked for came
    first, the page was painted twice in a row (found at 1M papers on the first letter
    of a query). Here the paint is forced before anything else, in the answer's own
    turn: the top row is painted once, and nothing repaints it afterwards."""
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 30.0)  # one answer per query
    window = _window(qtbot, seed_db)  # "model" shown
    table, viewport = window.table, window.table.viewport()
    painted: list[int] = []  # the row count at each paint of the top row

    class Paints(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and event.region().contains(  # type: ignore[attr-defined]
                    QPoint(1, 1)):
                painted.append(window.paper_model.rowCount())
            return False

    watcher = Paints()
    viewport.installEventFilter(watcher)
    # after the window's slot: the model is reset, nothing else of the turn has run
    window.stores.searcher.resultReady.connect(lambda *_: viewport.repaint())
    search_for(qtbot, window, "language")
    qtbot.waitUntil(lambda: not table.painting)
    wait_idle(qtbot, window)
    qtbot.wait(50)  # a few more turns: a late layout would repaint the page in them
    rows = window.paper_model.rowCount()
    assert rows > table.rowAt(viewport.height() - 1) > 12  # a full page, another answer
    assert painted == [rows]
    assert _on_screen(window) == _whole(window)
