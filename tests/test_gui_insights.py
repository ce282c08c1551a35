"""A profile's charts and co-authors in the detail pane; comparing profiles."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from paperdesk.gui.history import Location
from paperdesk.gui.insights import COMPARE_COLUMNS, CompareDialog
from paperdesk.gui.models import ITEM_ROLE
from paperdesk.gui.window import MainWindow
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    author_row,
    click_author,
    open_window,
    table_titles,
    trace_gui_sql,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
CTRL = Qt.KeyboardModifier.ControlModifier


def test_profile_pane_has_category_mix_and_coauthors(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    text = window.detail.toPlainText()
    html = window.detail.toHtml()
    assert "Papers per year" in text and "Categories" in text and "Co-authors" in text
    # grep of 000's meta lines: IR 4, CL 3, AI 3, LG 2, CV 1, GN 1 (14 papers)
    categories = text.split("Categories", 1)[1].split("Co-authors", 1)[0]
    for code, count in (("cs.IR", 4), ("cs.CL", 3), ("cs.AI", 3), ("cs.LG", 2), ("cs.CV", 1)):
        assert code in categories
        pct = round(100 * count / 14)
        assert f"{count} ({pct}%)" in categories, (code, count)
    assert categories.index("cs.IR") < categories.index("cs.LG") < categories.index("cs.CV")
    # author lines of 000: Cheng Gong, Kecheng Chen and Xijia Tao are each on three papers
    coauthors = text.split("Co-authors", 1)[1]
    for name in ("Cheng Gong (3)", "Kecheng Chen (3)", "Xijia Tao (3)", "Jiejie Tian (1)"):
        assert name in coauthors
    assert "Ziru Liu (" not in coauthors  # the owner is not their own co-author
    # most shared first, then by family name: Chen, Gong (3 each) ... Tian (1)
    assert coauthors.index("Kecheng Chen") < coauthors.index("Cheng Gong") < coauthors.index(
        "Jiejie Tian")
    assert 'href="paperdesk://person/kecheng%20chen"' in html
    # a co-author link goes to that person's papers
    window.detail.anchorClicked.emit(QUrl("paperdesk://person/kecheng%20chen"))
    wait_idle(qtbot, window)
    assert window.scope is not None and window.scope.value == "kecheng chen"
    assert len(table_titles(window)) >= 3


def _ctrl_click(qtbot: QtBot, window: MainWindow, kind: str, label: str) -> None:
    index = window.author_model.index(author_row(window, kind, label))
    rect = window.author_list.visualRect(index)
    qtbot.mouseClick(window.author_list.viewport(), Qt.MouseButton.LeftButton, CTRL,
                     rect.center())
    wait_idle(qtbot, window)


def test_compare_two_profiles(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    _ctrl_click(qtbot, window, "profile", "Luo Ji")
    # Ctrl+click adds a profile: the table shows the papers of both (no title is on both
    # pages: a grep of 000 and 002)
    assert len(table_titles(window)) == PROFILES["Ziru Liu"] + PROFILES["Luo Ji"]
    assert window.scope is not None and window.scope.kind == "profiles"
    assert "2 profiles" in window.windowTitle()
    assert len(window.selected_profiles()) == 2
    menu = window.author_menu()
    compare = [a for a in menu.actions() if a.text().replace("&", "").startswith("Compare")]
    assert compare and compare[0].isEnabled()
    menu.deleteLater()
    with qtbot.waitSignal(window.compared):  # the figures are read on the reader thread
        window.menu_actions.compare.trigger()
    dialog = window.findChild(CompareDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    headers = dialog.headers()
    assert headers[:len(COMPARE_COLUMNS)] == list(COMPARE_COLUMNS)
    rows = {r[0]: dict(zip(headers, r, strict=True)) for r in dialog.cell_texts()}
    assert set(rows) == {"Ziru Liu", "Luo Ji"}
    # the seed headers: 000 IR h-index18 236citations 14papers Novelty54% AI Score59;
    # 002 CL h-index8 4,071citations 22papers Novelty52% AI Score60; co-authors: the
    # distinct names on the author lines of 000 (24) and 002 (31), owners left out
    assert [rows["Ziru Liu"][k] for k in COMPARE_COLUMNS[1:]] == [
        "cs.IR", "18", "236", "14", "24", "54%", "59"]
    assert [rows["Luo Ji"][k] for k in COMPARE_COLUMNS[1:]] == [
        "cs.CL", "8", "4,071", "22", "31", "52%", "60"]
    # papers per year, one column a year: both profiles' papers add up
    years = headers[len(COMPARE_COLUMNS):]
    assert years == sorted(years) and all(y.isdigit() for y in years)
    assert sum(int(rows["Ziru Liu"][y]) for y in years) == 14
    assert sum(int(rows["Luo Ji"][y]) for y in years) == 22
    # sortable, by number (4,071 > 236 although "236" > "4,071" as text)
    table = dialog.table
    assert table.isSortingEnabled()
    citations = headers.index("Citations")
    table.sortByColumn(citations, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in dialog.cell_texts()] == ["Luo Ji", "Ziru Liu"]
    table.sortByColumn(headers.index("h-index"), Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in dialog.cell_texts()] == ["Ziru Liu", "Luo Ji"]
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(citations) + header.sectionSize(citations) // 2
    from PySide6.QtCore import QPoint
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = [r[0] for r in dialog.cell_texts()]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert [r[0] for r in dialog.cell_texts()] == list(reversed(first))
    dialog.close()


def test_compare_needs_two_profiles(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    assert window.compare_selected() is False
    assert "Select two or more profiles" in window.statusBar().currentMessage()
    # a plain click after a multi-selection navigates again, to one profile
    _ctrl_click(qtbot, window, "profile", "Luo Ji")
    _ctrl_click(qtbot, window, "profile", "Zeyuan Liu")
    assert len(window.selected_profiles()) == 3
    with qtbot.waitSignal(window.compared) as shown:
        assert window.compare_selected()
    dialog = shown.args[0]
    assert dialog.table.rowCount() == 3
    dialog.close()
    click_author(qtbot, window, "profile", "Anxiang Zeng")
    assert window.selected_profiles() == [window.scope.value] if window.scope else False
    assert len(table_titles(window)) == PROFILES["Anxiang Zeng"]


def test_papers_per_year_shows_the_years_without_papers(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    chart = window.detail.toPlainText().split("Papers per year", 1)[1].split("Categories")[0]
    # 000's dated entries: 2019 once, then 2023 on; 2020 to 2022 have none: three years
    # in a row without papers are one row (a page over 31 years listed 28 empty ones)
    cells = chart.split()  # year, count, year, count...
    assert cells == ["2019", "1", "2020\u20132022", "0", "2023", "3", "2024", "2",
                     "2025", "6", "2026", "2"]
    # an empty year draws no bar: one coloured cell per year with papers
    html = window.detail.toHtml().split("Papers per year", 1)[1].split("Categories")[0]
    assert html.count("bgcolor") == 5


def _compare(qtbot: QtBot, window: MainWindow, labels: list[str]) -> CompareDialog:
    click_author(qtbot, window, "profile", labels[0])
    for label in labels[1:]:
        _ctrl_click(qtbot, window, "profile", label)
    with qtbot.waitSignal(window.compared) as shown:
        assert window.compare_selected()
    dialog = shown.args[0]
    qtbot.waitExposed(dialog)
    return dialog


def test_compare_shows_every_year_and_opens_wide_enough(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    dialog = _compare(qtbot, window, ["Zeyuan Liu", "Luo Ji"])
    headers = dialog.headers()
    # Luo Ji's papers run 2021..2026, Zeyuan Liu's 2022..2026 without 2023: every year shows
    assert headers[len(COMPARE_COLUMNS):] == [str(y) for y in range(2021, 2027)]
    # every column shows whole, unless the screen is narrower than they are (the offscreen
    # screen is 800 pixels wide): then the dialog takes the screen's width, never more
    table = dialog.table
    screen = dialog.screen().availableGeometry().width()
    assert dialog.frameGeometry().width() <= screen
    fits = table.horizontalHeader().length() <= table.viewport().width()
    assert fits or dialog.width() >= screen - 60
    assert fits == (not table.horizontalScrollBar().isVisible())
    assert dialog.height() >= table.horizontalHeader().height() + 2 * table.rowHeight(0)
    dialog.close()


def test_a_missing_figure_sorts_last_both_ways(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    # 001 (Jianxun Lian) has no header figures: its cells show "—"
    dialog = _compare(qtbot, window, ["Jianxun Lian", "Luo Ji", "Ziru Liu"])
    h_index = dialog.headers().index("h-index")
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        dialog.table.sortByColumn(h_index, order)
        shown = [(r[0], r[h_index]) for r in dialog.cell_texts()]
        assert shown[-1] == ("Jianxun Lian", "—"), order
        assert [n for n, _h in shown[:2]] == (["Ziru Liu", "Luo Ji"] if order ==
                                              Qt.SortOrder.DescendingOrder else
                                              ["Luo Ji", "Ziru Liu"])
    dialog.close()


def test_the_pane_names_the_profiles_selected_together(qtbot: QtBot, seed_db: Path) -> None:
    """With two profiles selected the pane said "All papers: 129 papers from 5 profile
    pages" beside a table of their 36 papers."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    _ctrl_click(qtbot, window, "profile", "Luo Ji")
    qtbot.waitUntil(lambda: "2 profiles" in window.detail.toPlainText(), timeout=5000)
    text = window.detail.toPlainText()
    assert "All papers" not in text
    # the seed headers: 000 (Ziru Liu) 14 papers, 002 (Luo Ji) 22 papers
    assert "Ziru Liu: 14 papers on the page" in text
    assert "Luo Ji: 22 papers on the page" in text
    html = window.detail.toHtml()
    profile_links = [u for u in html.split('href="')[1:] if u.startswith("paperdesk://profile/")]
    assert len(profile_links) == 2
    # a name is a link to that profile alone
    window.detail.anchorClicked.emit(QUrl(profile_links[0].split('"')[0]))
    wait_idle(qtbot, window)
    assert window.scope is not None and window.scope.kind == "profile"


def _browsing(window: MainWindow, names: list[str]) -> None:
    """The list selects the profiles `names` and nothing else, and the scope, the table,
    the status line, the pane and the status bar's hint all say the same (no two of
    these seed pages list the same paper: their papers add up)."""
    view, model = window.author_list, window.author_model
    selected = [model.index(i.row()).data(ITEM_ROLE).label
                for i in view.selectionModel().selectedRows()]
    assert sorted(selected) == sorted(names)
    papers = sum(PROFILES[n] for n in names)
    assert window.paper_model.rowCount() == papers
    hint = window.statusBar().currentMessage()
    scope = window.scope
    assert scope is not None
    if len(names) == 1:
        row = view.selectionModel().selectedRows()[0].row()
        assert (scope.kind, scope.value) == ("profile", model.index(row).data(ITEM_ROLE).value)
        assert f"{papers} papers in {names[0]}" in window.search.status.text()
        assert "profiles" not in window.detail.toPlainText().split("\n", 1)[0]
        assert "profiles selected" not in hint
    else:
        assert scope.kind == "profiles" and len(scope.value) == len(names)
        assert f"{papers} papers in {len(names)} profiles" in window.search.status.text()
        assert f"{len(names)} profiles" in window.detail.toPlainText()
        assert hint == f"{len(names)} profiles selected: Ctrl+K compares them"


def _shift_click(qtbot: QtBot, window: MainWindow, label: str) -> None:
    index = window.author_model.index(author_row(window, "profile", label))
    rect = window.author_list.visualRect(index)
    qtbot.mouseClick(window.author_list.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, rect.center())
    wait_idle(qtbot, window)


def test_the_table_follows_the_author_lists_selection(qtbot: QtBot, seed_db: Path) -> None:
    """A tester Ctrl+clicked two profiles, then plain-clicked one of them: the list
    showed it alone while the table, the pane and the status bar still said 2 profiles
    (the scope followed a new current row only, and a plain click on the current row
    of a multi-selection shrinks the selection without moving it)."""
    window = open_window(qtbot, seed_db)
    gui_sql = trace_gui_sql(window)
    click_author(qtbot, window, "profile", "Ziru Liu")
    _ctrl_click(qtbot, window, "profile", "Jianxun Lian")
    _browsing(window, ["Jianxun Lian", "Ziru Liu"])
    click_author(qtbot, window, "profile", "Jianxun Lian")  # the current row: it alone stays
    _browsing(window, ["Jianxun Lian"])
    _ctrl_click(qtbot, window, "profile", "Ziru Liu")
    _browsing(window, ["Jianxun Lian", "Ziru Liu"])
    click_author(qtbot, window, "profile", "Jianxun Lian")  # not the current row
    _browsing(window, ["Jianxun Lian"])
    _ctrl_click(qtbot, window, "profile", "Ziru Liu")
    _ctrl_click(qtbot, window, "profile", "Ziru Liu")  # off again: the current row, unselected
    _browsing(window, ["Jianxun Lian"])
    _shift_click(qtbot, window, "Ziru Liu")  # list order: Lian, Zeyuan Liu, Ziru Liu
    _browsing(window, ["Jianxun Lian", "Zeyuan Liu", "Ziru Liu"])
    qtbot.keyClick(window.author_list, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, window)
    _browsing(window, ["Jianxun Lian", "Zeyuan Liu"])
    qtbot.keyClick(window.author_list, Qt.Key.Key_Space, CTRL)  # Zeyuan Liu off, not moved
    wait_idle(qtbot, window)
    _browsing(window, ["Jianxun Lian"])
    # the list's current row is Jianxun Lian's again, the scope's; Ctrl+Down moves it alone
    qtbot.keyClick(window.author_list, Qt.Key.Key_Down, CTRL)
    wait_idle(qtbot, window)
    _browsing(window, ["Jianxun Lian"])
    qtbot.keyClick(window.author_list, Qt.Key.Key_Space, CTRL)  # Zeyuan Liu added
    wait_idle(qtbot, window)
    _browsing(window, ["Jianxun Lian", "Zeyuan Liu"])
    # Ctrl+A selects every row, people and All papers too: the profiles among them are
    # browsed, the selection read as spans of rows, never row by row (Qt's selectedRows
    # over a list of 2,000,000 people took 11 s)
    selection = window.author_list.selectionModel()
    listed: list[int] = []
    selection.selectedRows = lambda *a: listed.append(1) or []  # type: ignore[method-assign]
    try:
        qtbot.keyClick(window.author_list, Qt.Key.Key_A, CTRL)
        wait_idle(qtbot, window)
    finally:
        del selection.selectedRows
    assert listed == []
    _browsing(window, list(PROFILES))
    # the five profiles, consecutive rows, selected as one range: a range per row made
    # every select() cost the whole selection (30,545 profiles at a million papers)
    assert selection.selection().size() == 1
    assert gui_sql == []


def test_a_thousand_profiles_are_counted_with_a_separator(qtbot: QtBot, seed_db: Path) -> None:
    """Ctrl+A over 3,020 profiles said "3020 profiles" where every other count has its
    separator (a newcomer's tour)."""
    window = open_window(qtbot, seed_db)
    window.go(Location("profiles", tuple(range(1, 1201))))
    wait_idle(qtbot, window)
    assert window.search.scope_label() == "1,200 profiles"
