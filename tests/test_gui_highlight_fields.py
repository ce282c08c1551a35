"""A search word is highlighted only in the fields its search read: `title:su(2)` left
"Suzuki" among the authors highlighted (the pane and the table's title column)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from paperdesk.gui.window import MainWindow
from paperdesk.store import build_store
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_row,
    open_window,
    row_of_title,
    search_for,
)

pytestmark = OFFSCREEN_NOISE

GAUGE = "Supersymmetric monopoles in SU(2) gauge theory"
TROTTER = "Suzuki-Trotter steps for lattice fermions"


def _store(folder: Path) -> Path:
    lines = ["Ann Kerr", "", "hep-lat", ""]
    for day, (title, authors) in enumerate([(GAUGE, "Takeshi Suzuki, Ann Kerr"),
                                            (TROTTER, "Ann Kerr, Takeshi Suzuki")], start=1):
        lines += [f"hep-latMar {day}, 2022", title, "", authors, "",
                  f"We study {title.lower()} on the lattice.", ""]
    (folder / "pages").mkdir()
    (folder / "pages" / "kerr.txt").write_text("\n".join(lines), encoding="utf-8")
    build_store([folder / "pages"], folder / "store.db")
    return folder / "store.db"


def _highlighted(window: MainWindow) -> list[str]:
    """The words the pane shows on the highlight colour, in order."""
    colour = window.theme.highlight_bg
    return re.findall(rf'<span style="[^"]*background-color:{colour}[^"]*">([^<]*)</span>',
                      window.detail.toHtml())


def _title_marked(window: MainWindow, row: int) -> int:
    """Pixels of the highlight colour in the table's title cell of `row`."""
    colour = QColor(window.theme.highlight_bg).rgb()
    window.table.viewport().repaint()
    image = window.table.viewport().grab().toImage()
    rect = window.table.visualRect(window.paper_model.index(row, 1))
    return sum(image.pixel(x, y) == colour for x in range(rect.left(), rect.right())
               for y in range(rect.top(), rect.bottom()))


def _open(qtbot: QtBot, window: MainWindow, query: str, title: str) -> int:
    search_for(qtbot, window, query)
    row = row_of_title(window, title)
    click_row(qtbot, window, row)
    qtbot.waitUntil(lambda: window.detail.toPlainText().startswith(title))
    return row


def test_a_field_restricted_word_is_highlighted_in_its_field_alone(
        qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _store(tmp_path))
    window.resize(1400, 800)
    _open(qtbot, window, "title:su(2)", GAUGE)  # su in titles; (2) a group: everywhere
    # the title's SU and 2, the abstract's 2; not its "su", nor "Suzuki" among the
    # authors, nor "Supersymmetric" (su was searched as the word itself, not a prefix)
    assert _highlighted(window) == ["SU", "2", "2"]
    row = _open(qtbot, window, "author:suzuki", TROTTER)
    assert _highlighted(window) == ["Suzuki"]  # the author, not the title's "Suzuki-"
    assert _title_marked(window, row) == 0
    row = _open(qtbot, window, "suzuki", TROTTER)  # a bare word: wherever it was searched
    assert _highlighted(window) == ["Suzuki", "Suzuki", "suzuki"]  # title, author, abstract
    assert _title_marked(window, row) > 30
    _open(qtbot, window, "abstract:lattice", TROTTER)
    assert _highlighted(window) == ["lattice", "lattice"]  # the abstract's two, not the title's
