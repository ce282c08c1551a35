"""The title column's highlight (gui/titles.py), read off the pixels a real QTableView
paints: the band sits behind the matched word and nowhere else, a title is drawn as
the text it is (a tag in it is characters, not markup), and a new search draws anew.

Expected positions are measured with QFontMetrics on the strings written below."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontMetrics, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView
from pytestqt.qtbot import QtBot

from paperdesk.gui.render import LIGHT
from paperdesk.gui.titles import TitleDelegate
from paperdesk.query import compile_query

TITLES = ["attention first", "Graph <b>attention</b> & more", "No match here",
          "Graph &amp; attention"]


def _table(qtbot: QtBot, query: str) -> tuple[QTableView, TitleDelegate]:
    model = QStandardItemModel(len(TITLES), 1)
    for row, title in enumerate(TITLES):
        model.setItem(row, 0, QStandardItem(title))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.model_ = model  # type: ignore[attr-defined]  # kept alive with the view
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.resize(700, 200)
    delegate = TitleDelegate(LIGHT, view)
    delegate.set_terms(compile_query(query).highlights)
    view.setItemDelegateForColumn(0, delegate)
    view.show()
    qtbot.waitExposed(view)
    return view, delegate


def _bands(view: QTableView) -> list[tuple[int, int] | None]:
    """Per row: the first and last x of the highlight colour in it (None: none)."""
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    colour = QColor(LIGHT.highlight_bg).rgb()
    found: list[tuple[int, int] | None] = []
    for row in range(len(TITLES)):
        rect = view.visualRect(view.model().index(row, 0))
        y = rect.center().y()
        xs = [x for x in range(rect.left(), rect.right()) if image.pixel(x, y) == colour]
        found.append((xs[0], xs[-1]) if xs else None)
    return found


def test_the_band_is_behind_the_matched_word_and_tags_are_text(qtbot: QtBot) -> None:
    view, _delegate = _table(qtbot, "attention")
    metrics = QFontMetrics(view.font())
    word = metrics.horizontalAdvance("attention")
    first, tagged, none, entity = _bands(view)
    assert first is not None and tagged is not None and entity is not None
    assert none is None  # no match: no band
    assert abs((first[1] - first[0] + 1) - word) <= 2  # "attention", not "attention first"
    # the word stands after the literal characters "Graph <b>": a tag read as markup
    # would vanish and put it closer to the start
    assert abs((tagged[0] - first[0]) - metrics.horizontalAdvance("Graph <b>")) <= 2
    assert abs((tagged[1] - tagged[0] + 1) - word) <= 2
    assert abs((entity[0] - first[0]) - metrics.horizontalAdvance("Graph &amp; ")) <= 2


def test_a_new_search_moves_the_band(qtbot: QtBot) -> None:
    view, delegate = _table(qtbot, "attention")
    metrics = QFontMetrics(view.font())
    before = _bands(view)
    delegate.set_terms(compile_query("graph").highlights)
    after = _bands(view)
    assert after[0] is None and after[2] is None
    assert after[1] is not None and before[0] is not None
    assert abs(after[1][0] - before[0][0]) <= 2  # "Graph" starts the title (glyph edges)
    assert abs((after[1][1] - after[1][0] + 1) - metrics.horizontalAdvance("Graph")) <= 2
    delegate.set_terms(())
    assert _bands(view) == [None] * len(TITLES)
