"""The main window driven like a user: clicks, typing, the detail pane."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from paperdesk import schema
from paperdesk import store as store_module
from paperdesk.app import create_window
from paperdesk.export import bibtex_entry
from paperdesk.gui import menus
from paperdesk.gui.models import PAPER_ROLE
from paperdesk.store import SMALL_CACHE_KIB, build_store
from tests.conftest import as_version_2
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    TITLES,
    click_author,
    click_header,
    click_row,
    open_window,
    row_of_title,
    search_for,
    table_papers,
    table_titles,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE


def test_every_profile_lists_its_pages_papers(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    assert window.findChild(QHeaderView) is not None
    for name, count in PROFILES.items():
        click_author(qtbot, window, "profile", name)
        titles = table_titles(window)
        assert len(titles) == count, name
        assert titles[0] == TITLES[name][0], "a profile shows its papers in page order"
        for title in TITLES[name]:
            assert title in titles, (name, title)
        assert f"{window.paper_model.rowCount()} papers" in window.status_label.text()
    click_author(qtbot, window, "all", "All papers")
    assert window.paper_model.rowCount() == sum(PROFILES.values())  # no paper on two pages


def test_author_list_has_counts_people_and_filter(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    texts = [window.author_model.index(r).data() for r in range(window.author_model.rowCount())]
    assert texts[0].startswith("All papers")
    assert "Luo Ji (22 · 7 named)" in texts
    assert "Zeyuan Liu (12 · 9 named)" in texts
    # People section: a co-author without a page (Jiejie Tian, on Ziru Liu's first paper)
    assert any(t.startswith("Jiejie Tian (") for t in texts)
    click_author(qtbot, window, "person", "Jiejie Tian")
    assert TITLES["Ziru Liu"][0] in table_titles(window)
    assert "Jiejie Tian" in window.detail.toPlainText()
    # the filter narrows both sections as you type
    qtbot.keyClicks(window.author_filter, "zeng")
    qtbot.waitUntil(lambda: window.author_model.filter_text == "zeng")
    texts = [window.author_model.index(r).data() for r in range(window.author_model.rowCount())]
    assert "Anxiang Zeng (32 · 7 named)" in texts
    assert "Luo Ji (22 · 7 named)" not in texts


def test_a_profile_owner_and_the_person_on_papers_show_both_counts(
        qtbot: QtBot, seed_db: Path) -> None:
    """Issue 15: never two unexplained counts. By hand from the seeds: Anxiang Zeng's
    page (003) lists 32 papers ("32 Papers"); 7 author lines name him (the rest hide
    him behind "et al."). Jianxun Lian: 49 listed (001), 32 named."""
    window = open_window(qtbot, seed_db)
    qtbot.keyClicks(window.author_filter, "zeng")
    qtbot.waitUntil(lambda: window.author_model.filter_text == "zeng"
                    and not window.authors.busy)
    model = window.author_model
    rows = [model.index(r) for r in range(model.rowCount())]
    assert [i.data() for i in rows][-4:] == [
        "Profiles (1)", "Anxiang Zeng (32 · 7 named)", "People on papers",
        "Anxiang Zeng (7 · 32 listed)"]
    profile_tip = rows[-3].data(Qt.ItemDataRole.ToolTipRole)
    person_tip = rows[-1].data(Qt.ItemDataRole.ToolTipRole)
    assert profile_tip.startswith("Anxiang Zeng: 32 papers listed on the profile page; the "
                                  "same person is named as an author on 7 papers")
    assert person_tip == ("Anxiang Zeng: named on 7 papers; the same person's profile page"
                          " (Profiles) lists 32 papers")
    click_author(qtbot, window, "profile", "Anxiang Zeng")
    assert len(table_titles(window)) == 32
    click_author(qtbot, window, "person", "Anxiang Zeng")
    assert len(table_titles(window)) == 7
    window.author_filter.clear()
    qtbot.waitUntil(lambda: model.filter_text == "" and not window.authors.busy)
    texts = [model.index(r).data() for r in range(12)]
    assert "Jianxun Lian (49 · 32 named)" in texts
    assert "Jianxun Lian (32 · 49 listed)" in texts  # the first person on papers
    # a person without a page: one count, said as one
    qtbot.keyClicks(window.author_filter, "jiejie")
    qtbot.waitUntil(lambda: model.filter_text == "jiejie" and not window.authors.busy)
    last = model.index(model.rowCount() - 1)
    assert last.data() == "Jiejie Tian (1)"
    assert last.data(Qt.ItemDataRole.ToolTipRole) == "Jiejie Tian: named on 1 paper"


def test_typing_in_the_author_list_jumps_to_a_name(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    window.author_list.setFocus()
    qtbot.keyClicks(window.author_list, "Luo")
    wait_idle(qtbot, window)
    assert window.author_list.currentIndex().data() == "Luo Ji (22 · 7 named)"
    assert len(table_titles(window)) == 22


def test_detail_pane_for_qwen(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    text = window.detail.toPlainText()
    html = window.detail.toHtml()
    assert "Qwen Technical Report" in text
    assert "pku, tsinghua" in text  # affiliations
    assert "cs.CL Computation and Language" in text  # category with its full name
    assert "et al." in text  # the page cut the author list
    assert 'href="paperdesk://person/jinze%20bai"' in html  # authors are links
    assert "Luo Ji" in text  # listed by
    assert "2023-09-28" in text and "inferred" not in text
    assert "Large language models (LLMs) have revolutionized" in text  # the abstract


def test_inferred_year_and_profile_links(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Jianxun Lian")
    # 001 line 4: "HCJun 2": no year on the page -> 2026, marked as inferred
    click_row(qtbot, window, row_of_title(window, TITLES["Jianxun Lian"][1]))
    text = window.detail.toPlainText()
    assert "2026-06-02" in text and "year inferred" in text
    assert "cs.HC Human-Computer Interaction" in text
    # Jianxun Lian has a page: his name links to the profile, not to a name search
    html = window.detail.toHtml()
    profile_id = window.scope.value if window.scope else None
    assert f'href="paperdesk://profile/{profile_id}"' in html
    assert 'href="paperdesk://person/tianfu%20wang"' in html


def test_profile_figures_and_chart_when_no_paper(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    text = window.detail.toPlainText()
    # 000's header: IR, h-index18, 14papers, 236citations, Novelty54%, AI Score59
    for expected in ("cs.IR Information Retrieval", "18", "236", "14", "54%", "59",
                     "Papers per year"):
        assert expected in text
    assert "2023" in text  # three 2023 entries on 000 (Feb 7, Aug 14, Apr 16)
    click_author(qtbot, window, "profile", "Jianxun Lian")
    assert "name inferred" in window.detail.toPlainText()


def test_links_navigate_in_app(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    assert not window.detail.openLinks() and not window.detail.openExternalLinks()
    from PySide6.QtCore import QUrl
    window.detail.anchorClicked.emit(QUrl("paperdesk://person/jinze%20bai"))
    wait_idle(qtbot, window)
    assert window.scope is not None and window.scope.kind == "person"
    assert table_titles(window) == ["Qwen Technical Report"]
    # back returns to the paper in Luo Ji's profile
    window.menu_actions.back.trigger()
    wait_idle(qtbot, window)
    assert "pku, tsinghua" in window.detail.toPlainText()
    assert len(table_titles(window)) == 22


def test_sorting_by_date_runs_in_sql(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    header = window.table.horizontalHeader()
    click_header(qtbot, window, 0)
    first = header.sortIndicatorOrder()
    dates = [p.date for p in table_papers(window)]
    # By hand: the earliest entry is 003's "LGMar 2, 2018", the latest 001's "HCJun 2" (2026)
    oldest = ("2018-03-02", TITLES["Anxiang Zeng"][2])
    newest = ("2026-06-02", TITLES["Jianxun Lian"][1])
    ends = [(p.date, p.title) for p in table_papers(window)]
    if first == Qt.SortOrder.AscendingOrder:
        assert dates == sorted(dates) and ends[0] == oldest and ends[-1] == newest
    else:
        assert dates == sorted(dates, reverse=True) and ends[0] == newest and ends[-1] == oldest
    assert window.sort == ("date", first == Qt.SortOrder.DescendingOrder)
    click_header(qtbot, window, 0)
    assert header.sortIndicatorOrder() != first
    dates2 = [p.date for p in table_papers(window)]
    assert dates2 == list(reversed(dates)) or dates2 == sorted(dates2, reverse=(
        header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder))
    assert table_papers(window)[0].date == ends[-1][0]


def test_selection_survives_sort_and_search(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    click_header(qtbot, window, 1)  # Title
    current = window.table.currentIndex()
    assert current.data(PAPER_ROLE).title == "Qwen Technical Report"
    search_for(qtbot, window, "qwen")
    current = window.table.currentIndex()
    assert current.isValid() and current.data(PAPER_ROLE).title == "Qwen Technical Report"


def test_rows_have_one_fixed_height(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    rows = window.table.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    heights = {rows.sectionSize(r) for r in range(window.paper_model.rowCount())}
    assert len(heights) == 1


@pytest.mark.parametrize(("query", "scope", "expected"), [
    # grep -ic shopee seeds/*: six abstract lines, all in 003 (Anxiang Zeng)
    ("shopee", None, 6),
    ("shopee", "Anxiang Zeng", 6),
    ("shopee", "Ziru Liu", 0),
    # grep -i qwen: 000 (1 entry), 002 (Qwen Technical Report), 003 (1), 004 (2 entries)
    ("qwen", None, 5),
    ("qwen", "Zeyuan Liu", 2),
    # grep -i bregman: one entry in 000 (title and abstract)
    ("bregman", None, 1),
    # grep -i negotiation: 001 line 6, 004 line 21
    ("negotiation", None, 2),
])
def test_search_box_filters_the_scope(qtbot: QtBot, seed_db: Path, query: str,
                                      scope: str | None, expected: int) -> None:
    window = open_window(qtbot, seed_db)
    if scope:
        click_author(qtbot, window, "profile", scope)
    search_for(qtbot, window, query)
    assert window.paper_model.rowCount() == expected
    status = window.status_label.text()
    words = f"{expected} paper" if expected else f"No papers match “{query}”"
    assert status.startswith(words) and " ms" in status


def test_search_highlights_and_reports_ignored(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "bregman")
    click_row(qtbot, window, 0)
    html = window.detail.toHtml()
    assert "background-color:#ffe066" in html
    assert "Bregman" in window.detail.toPlainText()
    search_for(qtbot, window, "bregman -")
    assert "ignored" in window.status_label.text()


def test_the_status_bar_says_what_a_query_could_not_mean(qtbot: QtBot, seed_db: Path) -> None:
    """An unknown field, category or a backward range: the notes come as every other."""
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "journal:nature")
    assert ('"journal:" is not a field (fields: author, title, abstract, affil, profile, '
            "cat, year, code, is, rating, tag, note); searched the words journal nature "
            "instead") in window.status_label.text()
    search_for(qtbot, window, "cat:nonsense year:2024..2023")
    status = window.status_label.text()
    assert status.startswith("No papers match")
    assert ('"cat:nonsense" is not an arXiv category code or name: only papers whose page '
            "shows the code NONSENSE match") in status
    assert 'read "year:2024..2023" as year:2023..2024' in status


def test_hostile_page_text_is_shown_literally(qtbot: QtBot, tmp_path: Path) -> None:
    page = tmp_path / "pages" / "evil.txt"
    page.parent.mkdir()
    page.write_text(
        "Eve Hacker\n\nIR\nh-index1\n1papers\n1citations\nNovelty1%\nAI Score1\n\n1 Papers\n\n"
        "IRFeb 7, 2023\n"
        "Attack <script>alert(1)</script> with <img src=x> inside\n\n"
        "Eve Hacker, Mallory Smith et al.\n\n"
        "We show <script>alert(2)</script> and <img src=x onerror=alert(3)> and "
        "\\textbf{<script>} in bold, $x^2$ math and ``quoted'' words, see "
        "https://example.org/a?b=1&c=2.\n",
        encoding="utf-8")
    db = tmp_path / "evil.db"
    report = build_store([page], db)
    assert report.papers == 1, report.problems
    window = open_window(qtbot, db)
    click_row(qtbot, window, 0)
    text = window.detail.toPlainText()
    html = window.detail.toHtml()
    assert "Attack <script>alert(1)</script> with <img src=x> inside" in text
    assert "We show <script>alert(2)</script> and <img src=x onerror=alert(3)>" in text
    assert "<script" not in html and "<img" not in html
    assert "x² math" in text and "“quoted”" in text and "$" not in text
    assert "<script> in bold" in text
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html


def test_copy_citation_title_and_bibtex(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clip = QGuiApplication.clipboard().text()
    assert clip == ("Jinze Bai, Shuai Bai, Yunfei Chu et al. (2023). Qwen Technical Report. "
                    "cs.CL.")
    menu = window.paper_menu()
    actions = {a.text().split("\t")[0].replace("&", ""): a for a in menu.actions()}
    actions["Copy title"].trigger()
    assert QGuiApplication.clipboard().text() == "Qwen Technical Report"
    actions["Copy BibTeX entry"].trigger()
    paper = window.current_paper()
    assert paper is not None
    assert QGuiApplication.clipboard().text() == bibtex_entry(paper)
    assert QGuiApplication.clipboard().text().startswith("@misc{")
    menu.deleteLater()


def test_help_dialogs(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    dialog = menus.show_shortcuts(window)
    qtbot.waitExposed(dialog)
    from PySide6.QtWidgets import QTextBrowser
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "Ctrl+F" in text and "Alt+Left" in text
    dialog.close()
    dialog = menus.show_search_syntax(window)
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "You type" in text and "author:lian" in text
    dialog.close()


def test_browsing_never_writes_to_the_store(qtbot: QtBot, seed_db: Path) -> None:
    before = seed_db.read_bytes()
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, 0)
    search_for(qtbot, window, "language")
    window.close()
    assert seed_db.read_bytes() == before
    assert not Path(str(seed_db) + "-journal").exists()


def test_only_http_links_leave_the_app(qtbot: QtBot, seed_db: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    window = open_window(qtbot, seed_db)
    for url in ("https://example.org/x", "http://example.org/", "file:///etc/passwd",
                "javascript:alert(1)", "ftp://example.org/"):
        window.detail.anchorClicked.emit(QUrl(url))
    assert opened == ["https://example.org/x", "http://example.org/"]
    assert window.scope is not None and window.scope.kind == "all"


def test_capped_results_in_the_status_bar(qtbot: QtBot, seed_db: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import paperdesk.gui.searchbar as searchbar_module
    import paperdesk.search.plans as plans_module

    monkeypatch.setattr(searchbar_module, "RESULT_LIMIT", 3)
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "qwen")  # five papers by hand (see the search tests)
    assert window.paper_model.rowCount() == 3
    assert window.status_label.text().startswith("5 papers (showing the first 3)")
    # counting is capped by the engine: then the total is a floor
    monkeypatch.setattr(plans_module, "COUNT_CAP", 4)
    click_author(qtbot, window, "profile", "Jianxun Lian")
    search_for(qtbot, window, "language")
    assert window.status_label.text().startswith(
        "more than 4 papers in Jianxun Lian (showing the first 3)")


def test_main_runs_the_event_loop(qtbot: QtBot, seed_db: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from paperdesk.app import main
    from paperdesk.gui.window import MainWindow

    def close_it() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    QTimer.singleShot(200, close_it)
    assert main(seed_db) == 0


def test_main_puts_start_ups_objects_out_of_the_collectors_reach(qtbot: QtBot,
                                                                seed_db: Path) -> None:
    """A full garbage collection walks every tracked object holding Python's lock, so
    the GUI thread waits for it whichever thread set it off (20-30 ms at start-up's
    heap of about 56,000 objects): main() freezes start-up's objects once the window
    is shown (paperdesk.app.settle_heap)."""
    import gc

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from paperdesk.app import main
    from paperdesk.gui.window import MainWindow

    frozen: list[int] = []

    def look_and_close() -> None:
        frozen.append(gc.get_freeze_count())
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    QTimer.singleShot(200, look_and_close)
    try:
        assert main(seed_db) == 0
    finally:
        gc.unfreeze()  # the other tests' objects stay collectable
    assert frozen and frozen[0] > 10_000  # the modules, Qt wrappers and the window


def test_only_the_search_connection_keeps_a_large_page_cache(qtbot: QtBot,
                                                             seed_db: Path) -> None:
    """The row reader's connection reads a few rows at a time: a small page cache keeps
    the window's memory flat (the window holds no connection of its own). Searching
    keeps SQLite's default (2 MiB), which its index scans use."""
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "qwen")
    click_row(qtbot, window, 0)  # the reader reads the pane
    assert window.stores.reader is not None and window.stores.searcher is not None

    def pages(conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA cache_size").fetchone()[0])

    assert pages(window.stores.reader.connections.store.conn) == -SMALL_CACHE_KIB == -256
    assert pages(window.stores.searcher.worker._connections.store.conn) == -2000


def test_an_older_store_is_upgraded_off_the_gui_thread(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window comes up at once with a progress dialog and keeps painting while
    another thread upgrades the store; then the papers show."""
    as_version_2(seed_db)
    release = threading.Event()
    on_main_thread: list[bool] = []
    widen = schema.UPGRADES[2]

    def step(conn: sqlite3.Connection) -> None:
        on_main_thread.append(threading.current_thread() is threading.main_thread())
        release.wait(10)  # held until the test has looked at the window
        widen(conn)

    monkeypatch.setitem(schema.UPGRADES, 2, step)
    window = create_window(seed_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: on_main_thread == [False])  # the event loop runs meanwhile
    task = window.stores.task
    assert task is not None and task.dialog.isVisible()
    assert "once" in task.dialog.labelText()
    assert window.status_label.text() == "Upgrading the store…"
    assert not window.search_box.isEnabled() and not window.store_open
    release.set()
    qtbot.waitUntil(lambda: window.store_open)
    wait_idle(qtbot, window)
    assert window.stores.task is None and window.search_box.isEnabled()
    version: list[int] = []  # as the window's reader finds it
    assert window.stores.read(lambda s: schema.user_version(s.conn), version.append)
    qtbot.waitUntil(lambda: version == [schema.SCHEMA_VERSION])
    assert window.paper_model.rowCount() == 129  # every seed paper


def test_closing_the_window_mid_upgrade_leaves_the_store_as_it_was(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_version_2(seed_db)
    monkeypatch.setattr(store_module, "UPGRADE_STEPS", 1)
    started = threading.Event()
    widen = schema.UPGRADES[2]

    def step(conn: sqlite3.Connection) -> None:
        widen(conn)
        started.set()
        for _ in range(100_000):  # work on, in the same transaction, until stopped
            conn.execute("SELECT count(*) FROM papers").fetchone()

    monkeypatch.setitem(schema.UPGRADES, 2, step)
    window = create_window(seed_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(started.is_set)
    window.close()
    with sqlite3.connect(seed_db) as conn:
        assert schema.user_version(conn) == 2
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers_row'").fetchall()


def test_a_failed_upgrade_says_why_and_leaves_the_store_as_it_was(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_version_2(seed_db)

    def step(conn: sqlite3.Connection) -> None:
        conn.execute("DROP INDEX papers_date")  # some work, then the disk fails
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(schema.UPGRADES, 2, step)
    window = create_window(seed_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.store_page)
    assert window.stores.task is None and not window.store_open
    assert window.store_page.message.text() == (
        f"{seed_db}: cannot upgrade the store (disk I/O error); "
        f"rebuild it from the folder of your pages with: paperdesk build --db {seed_db} FOLDER")
    with sqlite3.connect(seed_db) as conn:
        assert schema.user_version(conn) == 2
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers_date'").fetchall()


def test_search_words_are_highlighted_in_the_title_column(qtbot: QtBot, seed_db: Path) -> None:
    """"Qwen Technical Report" (002) under the search "qwen": the word's cell gets the
    highlight colour behind it, the other columns and other searches do not."""
    window = open_window(qtbot, seed_db)
    window.resize(1400, 800)
    search_for(qtbot, window, "qwen technical report")
    assert window.paper_model.index(0, 1).data() == "Qwen Technical Report"
    colour = QColor(window.theme.highlight_bg).rgb()

    def marked(column: int) -> int:
        window.table.viewport().repaint()
        image = window.table.viewport().grab().toImage()
        rect = window.table.visualRect(window.paper_model.index(0, column))
        return sum(image.pixel(x, y) == colour for x in range(rect.left(), rect.right())
                   for y in range(rect.top(), rect.bottom()))

    assert marked(1) > 100  # behind "Qwen", "Technical" and "Report"
    assert marked(2) == 0
    search_for(qtbot, window, "cat:CL")  # no words: nothing to highlight
    assert window.paper_model.rowCount() > 0 and marked(1) == 0
