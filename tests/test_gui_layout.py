"""The window at the sizes users have: the table uses the width, nothing is clipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from paperdesk.app import create_window
from paperdesk.gui.models import PaperTableModel
from paperdesk.gui.window import MainWindow
from paperdesk.store import build_store
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_author,
    click_header,
    click_row,
    drag_edge,
    open_window,
    row_of_title,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE


def _sized(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    QApplication.processEvents()
    wait_idle(qtbot, window)


@pytest.mark.parametrize("size", [(1400, 850), (1920, 1080), (2560, 1400)])
def test_the_table_uses_the_windows_width(qtbot: QtBot, seed_db: Path,
                                          size: tuple[int, int]) -> None:
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, *size)
    table, header = window.table, window.table.horizontalHeader()
    assert window.paper_model.rowCount() == 129  # All papers: the vertical bar shows
    assert table.verticalScrollBar().isVisible()
    viewport = table.viewport().width()
    columns = range(header.count())
    assert sum(header.sectionSize(c) for c in columns) == viewport  # no empty band
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(1) == max(header.sectionSize(c) for c in columns)  # Title
    rating = PaperTableModel.RATING
    stars = table.fontMetrics().horizontalAdvance("★★★★★")
    assert header.sectionSize(rating) > stars
    assert header.sectionViewportPosition(rating) + header.sectionSize(rating) <= viewport


@pytest.mark.parametrize("size", [(800, 500), (800, 600)])
def test_a_small_window_fits_the_table_and_a_click_never_scrolls_it_sideways(
        qtbot: QtBot, seed_db: Path, size: tuple[int, int]) -> None:
    """At 800 pixels the table scrolled sideways (Title kept 24 characters; Rating out of
    sight), and a click on a row's Title or Rating scrolled it so that Date was cut
    (newcomer's tour); Title elided to fit instead showed "SocialC…". Rating and Read
    now give way (the pane's controls show them) before Title goes under 24
    characters, so Date, Title and ★ fit with a readable title; and a click moves the
    table up or down only, also when a width the user gave makes it wider."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Jianxun Lian")
    _sized(qtbot, window, *size)
    table, header = window.table, window.table.horizontalHeader()
    assert _shown_columns(window) == ["Date", "Title", "★"]
    assert sum(header.sectionSize(c) for c in range(header.count())
               if not header.isSectionHidden(c)) == table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(1) >= 24 * table.fontMetrics().averageCharWidth()
    drag_edge(qtbot, header, 0, 400)  # Date, the user's: wider than the table
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)
    for row, column in ((3, 1), (5, PaperTableModel.STAR), (8, 0)):
        index = window.paper_model.index(row, column)
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                         pos=table.visualRect(index).center())
        assert table.currentIndex().row() == row
        # what Qt does a double-click's time after the press (delayedAutoScroll)
        table.scrollTo(table.currentIndex())
        assert table.horizontalScrollBar().value() == 0, column  # Date's start in sight
    qtbot.keyClick(table, Qt.Key.Key_Down)  # and a key
    assert table.currentIndex().row() == 9
    assert table.horizontalScrollBar().value() == 0
    _sized(qtbot, window, 1600, 900)  # wide again: Read and Rating back, Date kept
    assert header.sectionSize(0) == 400
    assert _shown_columns(window)[-3:] == ["★", "Read", "Rating"]
    assert not table.horizontalScrollBar().isVisible()


def _breaks_mid_word(window: MainWindow) -> list[str]:
    """Lines of the detail pane that end inside a word."""
    found = []
    block = window.detail.document().begin()
    while block.isValid():
        layout: QTextLayout = block.layout()
        text = block.text()
        for i in range(1, layout.lineCount()):
            start = layout.lineAt(i).textStart()
            if 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
                found.append(text[max(0, start - 15):start + 15])
        block = block.next()
    return found


def test_800_by_600_keeps_the_editor_row_and_the_pane_legible(qtbot: QtBot, seed_db: Path,
                                                               tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    _sized(qtbot, window, 800, 600)
    click_author(qtbot, window, "profile", "Anxiang Zeng")
    click_row(qtbot, window, row_of_title(
        window, "Reinforcement Learning to Rank in E-Commerce Search Engine: Formalization, "
        "Analysis, and Application"))
    window.annotations.set_starred(True)
    window.annotations.set_read_state("reading")
    window.annotations.set_rating(5)
    wait_idle(qtbot, window)
    editor = window.editor
    for widget in (editor.star, editor.read, editor.rating, editor.note):
        assert widget.isVisible()
        assert widget.width() >= widget.sizeHint().width(), widget.objectName()
        right = widget.mapTo(window, widget.rect().topRight()).x()
        assert right < window.width()
    assert editor.star.text() == "★ Starred"
    assert window.detail.viewport().width() >= 220  # the pane at its least: the editor row
    assert window.detail.toPlainText().startswith("Reinforcement Learning to Rank")
    assert _breaks_mid_word(window) == []


def test_the_author_list_shows_a_profile_owner_and_both_counts_whole(
        qtbot: QtBot, seed_db: Path) -> None:
    """At the first size (1400 wide, nothing saved yet) the longest profile row of the
    seeds, "Anxiang Zeng (32 · 7 named)", fits: it was cut to "Anxiang Ze…"."""
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, 1400, 820)
    view = window.author_list
    text = "Anxiang Zeng (32 · 7 named)"
    rows = [window.author_model.index(r).data() for r in range(window.author_model.rowCount())]
    assert text in rows
    assert view.fontMetrics().horizontalAdvance(text) + 12 <= view.viewport().width()


def test_900_by_600_gives_the_table_most_of_the_width_and_the_pane_fits_its_text(
        qtbot: QtBot, seed_db: Path) -> None:
    """At 900x600 the author list (199 px) and the pane (327 px, its editor row in one
    line) kept their minimums and left the table 366 px: Date, Title and Authors. The
    pane scrolled sideways and cut the figures beside its bars (newcomer's X tour)."""
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, 900, 600)
    click_author(qtbot, window, "profile", "Anxiang Zeng")  # the most categories, 9 years
    wait_idle(qtbot, window)
    assert window.table.width() >= 440  # about half the window (it had 366)
    box = window.marked_only  # the author list is as wide as before: its check box whole
    assert box.isVisible() and box.width() >= box.sizeHint().width()
    editor = window.editor
    for widget in (editor.tags, editor.note):
        assert widget.isVisible() and widget.width() >= widget.minimumSizeHint().width()
        assert widget.mapTo(window, widget.rect().topRight()).x() < window.width()
    text = window.detail.toPlainText()
    assert "Papers per year" in text and "12 (34%)" not in text  # 9 cs.LG of 32: 28 %
    assert "9 (28%)" in text
    assert window.detail.horizontalScrollBar().maximum() == 0
    assert _breaks_mid_word(window) == []
    click_row(qtbot, window, 0)
    wait_idle(qtbot, window)
    row = (editor.star, editor.read, editor.rating, editor.note)
    qtbot.waitUntil(lambda: all(w.isVisible() and w.width() >= w.sizeHint().width()
                                for w in row))  # the pane's row appears with the paper
    assert window.detail.horizontalScrollBar().maximum() == 0
    assert _breaks_mid_word(window) == []


def test_the_columns_stand_still_between_a_paper_and_a_person_at_900_by_600(
        qtbot: QtBot, seed_db: Path) -> None:
    """At 900x600 the pane sits at its minimum width. Its editor hides the paper's
    controls for a person; had that changed the pane's minimum, the splitter would lay
    the window out again at every switch: each column moved by a pixel or two and
    repainted whole (at a million papers, tens of ms of the GUI thread)."""
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, 900, 600)
    click_row(qtbot, window, 0)
    wait_idle(qtbot, window)
    assert window.editor.star.isVisible()
    sizes = window.splitter.sizes()
    for person in ("Luo Ji", "Ziru Liu"):
        click_author(qtbot, window, "profile", person)
        wait_idle(qtbot, window)
        assert not window.editor.star.isVisible()  # a person: no star, read state, rating
        assert window.splitter.sizes() == sizes
        click_row(qtbot, window, 0)
        wait_idle(qtbot, window)
        assert window.editor.star.isVisible()
        assert window.splitter.sizes() == sizes


# Real arXiv categories with long codes (cond-mat.str-el was cut to "cond-ma…").
_PHYSICS = [("str-el", "Kondo lattices in a field", "Ann Kerr, Bo Li"),
            ("comp-ph", "Tensor networks on graphics cards", "Ann Kerr"),
            ("stat-mech", "Jamming of soft disks", "Ann Kerr, Cy Dunn"),
            ("mes-hall", "Edge states of a quantum dot", "Ann Kerr, Bo Li")]


def _physics_store(folder: Path) -> Path:
    lines = ["Ann Kerr", "", "str-el", ""]
    for day, (code, title, authors) in enumerate(_PHYSICS, start=1):
        lines += [f"{code}Mar {day}, 2022", title, "", authors, "", f"On {title}.", ""]
    (folder / "pages").mkdir()
    (folder / "pages" / "kerr.txt").write_text("\n".join(lines), encoding="utf-8")
    build_store([folder / "pages"], folder / "store.db")
    return folder / "store.db"


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])  # at 900 it gives way
def test_long_category_codes_show_their_end_and_say_all_in_the_tooltip(
        qtbot: QtBot, tmp_path: Path, size: tuple[int, int]) -> None:
    """Cut on the right, "cond-mat.mes-hall" showed "cond-mat.…" (and at first, sized
    for q-bio.GN, cond-mat.str-el showed "cond-ma…"): Category gives Title the room at
    1,400 pixels and elides a long code on its left; at 1,920 every code is whole."""
    window = open_window(qtbot, _physics_store(tmp_path))
    _sized(qtbot, window, *size)
    table, model = window.table, window.paper_model
    style = table.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    shown, cut = {}, []
    for row in range(model.rowCount()):
        index = model.index(row, PaperTableModel.COLUMNS.index("Category"))
        code = index.data()
        room = table.visualRect(index).width() - 2 * margin  # what the delegate elides to
        if table.fontMetrics().horizontalAdvance(code) > room:
            cut.append(code)
        option = QStyleOptionViewItem()
        table.itemDelegateForIndex(index).initStyleOption(option, index)
        assert option.textElideMode == Qt.TextElideMode.ElideLeft  # "…at.mes-hall"
        shown[code] = index.data(Qt.ItemDataRole.ToolTipRole)
    assert shown == {"cond-mat.str-el": "cond-mat.str-el Strongly Correlated Electrons",
                     "physics.comp-ph": "physics.comp-ph Computational Physics",
                     "cond-mat.stat-mech": "cond-mat.stat-mech Statistical Mechanics",
                     "cond-mat.mes-hall": "cond-mat.mes-hall Mesoscale and Nanoscale Physics"}
    if size[0] >= 1920:  # wide: every column whole, no scrolling sideways
        assert cut == []
        assert not table.horizontalScrollBar().isVisible()
    else:
        assert "cond-mat.stat-mech" in cut


def _shown_columns(window: MainWindow) -> list[str]:
    header = window.table.horizontalHeader()
    return [PaperTableModel.COLUMNS[c] for c in range(header.count())
            if not header.isSectionHidden(c) and header.sectionSize(c) > 0]


def test_900_by_600_shows_title_and_the_users_columns_without_scrolling(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """At 900 pixels the table (the author list and the pane at their least) showed
    Category, Code, Score, ★, Read and Rating only after a scroll sideways. Now what
    the pane shows for the paper shown gives way, Score first, then Authors; Date,
    Title, ★, Read and Rating stay whole, and come back as the window widens."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    click_author(qtbot, window, "profile", "Anxiang Zeng")
    _sized(qtbot, window, 900, 600)
    table, header = window.table, window.table.horizontalHeader()
    assert _shown_columns(window) == ["Date", "Title", "★", "Read", "Rating"]
    assert not table.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(c) for c in range(header.count())) == \
        table.viewport().width()
    assert header.sectionSize(1) // table.fontMetrics().averageCharWidth() >= 24
    click_row(qtbot, window, 0)
    window.annotations.set_rating(5)
    window.annotations.set_read_state("reading")
    wait_idle(qtbot, window)
    metrics = table.fontMetrics()
    for text, column in (("★★★★★", PaperTableModel.RATING), ("reading", PaperTableModel.READ)):
        assert metrics.horizontalAdvance(text) < header.sectionSize(column), text

    _sized(qtbot, window, 1100, 700)
    assert _shown_columns(window) == ["Date", "Title", "Authors", "★", "Read", "Rating"]
    assert header.sectionSize(1) >= 0.4 * table.viewport().width()  # Title's share first
    assert header.sectionSize(2) >= metrics.averageCharWidth() * 10  # Authors' least
    assert not table.horizontalScrollBar().isVisible()
    _sized(qtbot, window, 1920, 1080)
    assert _shown_columns(window) == list(PaperTableModel.COLUMNS)
    assert not table.horizontalScrollBar().isVisible()
    _sized(qtbot, window, 900, 600)
    assert _shown_columns(window) == ["Date", "Title", "★", "Read", "Rating"]


def test_a_column_sorted_by_or_sized_by_the_user_never_gives_way(
        qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, 1920, 1080)
    click_header(qtbot, window, PaperTableModel.COLUMNS.index("Score"))
    header = window.table.horizontalHeader()
    drag_edge(qtbot, header, 2, 201)  # Authors
    _sized(qtbot, window, 900, 600)
    # Rating and Read give way, the user's Authors and the sorted Score do not
    assert _shown_columns(window) == ["Date", "Title", "Authors", "Score", "★"]
    assert header.sectionSize(2) == 201
    # Title gives them the room, under its 24 characters, down to its floor (6
    # characters, or the header's word)
    metrics = window.table.fontMetrics()  # (18: a cell's margins and the sort arrow)
    floor = max(6 * metrics.averageCharWidth(), metrics.horizontalAdvance("Title")) + 18
    assert floor <= header.sectionSize(1) < 24 * metrics.averageCharWidth()
    _sized(qtbot, window, 800, 600)  # what they need past that is reached sideways
    assert _shown_columns(window) == ["Date", "Title", "Authors", "Score", "★"]
    assert window.table.horizontalScrollBar().isVisible()



def test_a_column_no_longer_sorted_by_gives_way_at_once(qtbot: QtBot, seed_db: Path) -> None:
    """A tester sorted a narrow window by Authors, then by Date: Authors stayed and
    pushed ★, Read and Rating out of sight until the window was resized. Another sort
    fits the columns again: the column it leaves gives way, the one it picks shows."""
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, 1920, 1080)
    click_header(qtbot, window, PaperTableModel.COLUMNS.index("Authors"))
    _sized(qtbot, window, 900, 600)
    # Rating gave way (Authors, sorted by, shows at its least: Read still fits)
    assert _shown_columns(window) == ["Date", "Title", "Authors", "★", "Read"]
    click_header(qtbot, window, PaperTableModel.COLUMNS.index("Date"))
    assert window.sort is not None and window.sort[0] == "date"
    assert _shown_columns(window) == ["Date", "Title", "★", "Read", "Rating"]
    assert not window.table.horizontalScrollBar().isVisible()

# arXiv's long subject classes, as physics pages show them (the store reads them as
# cond-mat.mes-hall, physics.optics, ...)
_LONG_CODES = ("mes-hall", "stat-mech", "str-el", "quant-gas", "comp-ph", "optics",
               "acc-ph", "dis-nn", "supr-con", "soft")


def _long_code_store(folder: Path) -> Path:
    """A page of 30 papers with long category codes, long titles and several authors."""
    lines = ["Ann Kerr", "", "mes-hall", ""]
    for n in range(30):
        code = _LONG_CODES[n % len(_LONG_CODES)]
        flag = "Code" if n % 3 == 0 else ""
        title = (f"Transport signatures of topological edge states number {n} in "
                 "disordered quantum wires coupled to superconducting leads")
        lines += [f"{code}Mar {n % 28 + 1}, 2021{flag}", title, "",
                  "Ann Kerr, Bartholomew Lindqvist, Chiara Dall'Osso et al.", "",
                  f"On {title}.", ""]
    (folder / "pages").mkdir()
    (folder / "pages" / "kerr.txt").write_text("\n".join(lines), encoding="utf-8")
    report = build_store([folder / "pages"], folder / "store.db")
    assert report.complete and report.papers == 30, report.problems
    return folder / "store.db"


def _header_text_shown(window: MainWindow) -> dict[str, bool]:
    """Each column shown: whether its header's text fits in it, with the sort arrow's room."""
    header = window.table.horizontalHeader()
    metrics = header.fontMetrics()
    arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return {name: metrics.horizontalAdvance(name) + arrow <= header.sectionSize(c)
            for c, name in enumerate(PaperTableModel.COLUMNS)
            if not header.isSectionHidden(c)}


def test_title_gets_the_room_at_1400_with_long_category_codes(qtbot: QtBot,
                                                              tmp_path: Path) -> None:
    """At 1,400 pixels on real arXiv data Title had 22 % of the table (166 of 741 px):
    Category was as wide as cond-mat.stat-mech, Code showed, Authors kept its width.
    Title now keeps 40 % of the table; the others still show their headers."""
    window = open_window(qtbot, _long_code_store(tmp_path))
    _sized(qtbot, window, 1400, 900)
    table, header = window.table, window.table.horizontalHeader()
    assert window.paper_model.rowCount() == 30
    viewport = table.viewport().width()
    assert header.sectionSize(1) >= 0.4 * viewport
    assert _shown_columns(window) == ["Date", "Title", "Authors", "Category", "★", "Read",
                                      "Rating"]
    assert all(_header_text_shown(window).values()), _header_text_shown(window)
    assert sum(header.sectionSize(c) for c in range(header.count())) == viewport
    assert not table.horizontalScrollBar().isVisible()
    # no column sized to its rows (a million rows), every row one height
    assert all(header.sectionResizeMode(c) != header.ResizeMode.ResizeToContents
               for c in range(header.count()))
    assert table.verticalHeader().sectionResizeMode(0) == header.ResizeMode.Fixed


def test_the_users_widths_survive_a_restart_and_the_apps_do_not_pin_title(
        qtbot: QtBot, tmp_path: Path) -> None:
    """The saved header state gave every column its width at close; each was then taken
    for one the user chose: Category stayed as wide as the widest code, and Title's
    room never came back. Only a width the user gave is kept."""
    db = _long_code_store(tmp_path)
    first = open_window(qtbot, db)
    _sized(qtbot, first, 1920, 1080)  # every column at its full width
    first.close()
    second = open_window(qtbot, db)
    _sized(qtbot, second, 1400, 900)
    header = second.table.horizontalHeader()
    assert header.sectionSize(1) >= 0.4 * second.table.viewport().width()
    drag_edge(qtbot, header, PaperTableModel.READ, 101)  # the user widens Read
    second.close()
    third = open_window(qtbot, db)
    _sized(qtbot, third, 1400, 900)
    header = third.table.horizontalHeader()
    assert header.sectionSize(PaperTableModel.READ) == 101
    assert header.sectionSize(1) >= 0.4 * third.table.viewport().width()


def test_growing_the_window_keeps_every_header_whole_and_takes_no_width_for_the_users(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Qt says sectionResized for other columns while it lays out the stretched Title
    (hidden columns before them shift its indexes): each was taken for a width the user
    gave, and at 1,600 pixels Code had ★'s width, Rating 24 px and its header cut."""
    db = _long_code_store(tmp_path)
    for width in (1024, 1400, 1600, 1920):
        window = create_window(db)  # sized before it shows, as a restored geometry is
        qtbot.addWidget(window)
        window.resize(width, 900)
        window.show()
        qtbot.waitExposed(window)
        wait_idle(qtbot, window)
        assert all(_header_text_shown(window).values()), (width, _header_text_shown(window))
        assert window.table.widths.user == {}, width  # no column dragged
        window.close()


def test_a_profiles_pane_never_scrolls_sideways(qtbot: QtBot, seed_db: Path) -> None:
    """Its charts came out a pixel wider than the pane, at every width: a horizontal
    scroll bar under a pane with nothing to scroll to (a newcomer's tour)."""
    window = open_window(qtbot, seed_db)
    for name in ("Luo Ji", "Ziru Liu"):
        click_author(qtbot, window, "profile", name)
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda: "Categories" in window.detail.toPlainText())
        for width in range(260, 560, 20):
            sizes = window.splitter.sizes()
            window.splitter.setSizes([sizes[0], sum(sizes[1:]) - width, width])
            QApplication.processEvents()
            assert window.detail.horizontalScrollBar().maximum() == 0, (name, width)


def test_code_and_score_never_show_while_category_has_given_way(
        qtbot: QtBot, seed_db: Path) -> None:
    """What gives way goes in one order, Score, then Code, then Category, and comes
    back in the other. A tester sorted by Authors at 1,400 by 820 pixels: Category hid
    and Code showed in its place, Code being narrower than Category's least."""
    window = open_window(qtbot, seed_db)
    seen = set()
    for width in range(1000, 2001, 50):
        _sized(qtbot, window, width, 820)
        for column in ("Date", "Authors"):  # both show at every width here
            click_header(qtbot, window, PaperTableModel.COLUMNS.index(column))
        shown = _shown_columns(window)
        seen.add(tuple(shown))
        if "Code" in shown:
            assert "Category" in shown, (width, shown)
        if "Score" in shown:
            assert "Code" in shown, (width, shown)
    assert any("Score" in shown for shown in seen)  # every column came back on the way
    assert any("Category" not in shown for shown in seen)  # ... and had given way


def test_a_sorted_authors_column_narrows_before_title_does(qtbot: QtBot, seed_db: Path) -> None:
    """A tester sorted by Authors and narrowed the window to 800 by 500: Authors kept its
    whole width (22 characters) and Title was cut to 13 ("Learning E…"). A column
    sorted by still shows, but Authors and Category narrow to their least (10 and 12
    characters) first: Title then gets the rest, about 22 characters at 800 pixels."""
    window = open_window(qtbot, seed_db)
    _sized(qtbot, window, 1600, 900)
    click_header(qtbot, window, PaperTableModel.COLUMNS.index("Authors"))
    _sized(qtbot, window, 800, 500)
    header, chars = window.table.horizontalHeader(), window.table.fontMetrics().averageCharWidth()
    assert _shown_columns(window) == ["Date", "Title", "Authors", "★"]
    assert header.sectionSize(2) == 10 * chars + 18  # Authors' least (and the margins)
    assert header.sectionSize(1) >= 20 * chars > header.sectionSize(2)
    assert not window.table.horizontalScrollBar().isVisible()
