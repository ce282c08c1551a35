"""Searching off the GUI thread: debouncing, cancelling, dropping stale results."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

import paperdesk.gui.worker as worker_module
from paperdesk.search import SearchCancelled
from paperdesk.search import search as real_search
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    open_window,
    search_for,
    trace_gui_sql,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE

# Counts by hand: grep -il negotiation seeds/* -> 001 line 6 and 004 line 21
NEGOTIATION = 2
SLOW_SQL = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000)"
            " SELECT count(*) FROM c")



def _run_slow_statement(conn: sqlite3.Connection, text: str, cancelled: Any) -> None:
    """SLOW_SQL, stopped only by `cancelled` (polled by SQLite): a search stuck in one
    long statement, as FTS5's are."""
    conn.set_progress_handler(lambda: int(cancelled()), 1_000)
    try:
        conn.execute(SLOW_SQL).fetchone()
    except sqlite3.OperationalError as exc:
        raise SearchCancelled(text) from exc
    finally:
        conn.set_progress_handler(None, 0)

def test_rapid_typing_shows_only_the_last_query(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    assert window.stores.searcher is not None
    start = window.stores.searcher.generation
    qtbot.keyClicks(window.search_box, "negotiation")  # 11 keystrokes, no pause
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == NEGOTIATION
    assert window.last_result.terms == ["negotiation"]
    # debounced: far fewer searches than keystrokes
    assert window.stores.searcher.generation - start < 11


def test_stale_queries_are_cancelled_and_dropped(qtbot: QtBot, seed_db: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query but the last runs a slow statement that only the progress handler can stop."""
    started: list[str] = []
    gui_thread = threading.get_ident()

    def slow_search(conn: sqlite3.Connection, text: str, *args: Any,
                    cancelled: Any, **kwargs: Any) -> Any:
        assert threading.get_ident() != gui_thread  # the GUI thread never waits on SQLite
        started.append(text)
        if text != "negotiation":  # stopped only by the worker's `cancelled`, polled by SQLite
            _run_slow_statement(conn, text, cancelled)
        return real_search(conn, text, *args, cancelled=cancelled, **kwargs)

    window = open_window(qtbot, seed_db)
    monkeypatch.setattr(worker_module, "search", slow_search)
    searcher = window.stores.searcher
    assert searcher is not None
    for i in range(1, len("negotiation") + 1):
        window.search_box.setText("negotiation"[:i])
        window.run_search()  # no debounce: every prefix goes to the worker
    wait_idle(qtbot, window)
    assert window.paper_model.rowCount() == NEGOTIATION
    assert window.search_box.text() == "negotiation"
    assert window.last_result.terms == ["negotiation"]
    assert started[-1] == "negotiation"
    # the first query was running when the next arrived and was interrupted; the
    # queued ones were skipped without reaching SQLite at all
    assert len(started) < len("negotiation")
    assert searcher.cancelled >= len("negotiation") - 1


def test_a_reply_to_an_old_generation_is_dropped(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    searcher = window.stores.searcher
    assert searcher is not None
    window.search_box.setText("negotiation")
    window.run_search()
    wait_idle(qtbot, window)
    rows = window.paper_model.rowCount()
    old = real_search(sqlite3.connect(seed_db), "qwen")
    searcher._finished(searcher.generation - 1, old)  # a late reply for an older request
    assert window.paper_model.rowCount() == rows == NEGOTIATION
    assert searcher.dropped == 1


def test_a_large_request_shows_the_first_page_first(qtbot: QtBot, seed_db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The first FIRST_PAGE rows come at once, then the rest below them; busy until the end
    (no time given to a quick final answer: QUICK_FINAL_S 0)."""
    monkeypatch.setattr(worker_module, "FIRST_PAGE", 5)
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 0)
    window = open_window(qtbot, seed_db)
    searcher = window.stores.searcher
    assert searcher is not None
    shown: list[list[int]] = []
    searcher.resultReady.connect(lambda _gen, answer: shown.append(list(answer.result.rids)))
    window.search_box.setText("cat:IR")  # 36 papers (grep: the IR meta lines)
    window.run_search()
    wait_idle(qtbot, window)
    assert [len(rids) for rids in shown] == [5, 36]
    assert shown[1][:5] == shown[0]
    assert window.paper_model.rowCount() == 36
    shown.clear()
    window.search_box.setText("bregman")  # one paper: a single answer
    window.run_search()
    wait_idle(qtbot, window)
    assert [len(rids) for rids in shown] == [1]


def test_the_first_page_stands_still_while_the_count_comes(
    qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows painted first are the final top rows; only the count and the rows below
    them change; no answer is an empty table."""
    monkeypatch.setattr(worker_module, "FIRST_PAGE", 5)
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 0)
    window = open_window(qtbot, seed_db)
    searcher = window.stores.searcher
    assert searcher is not None
    shown: list[list[int]] = []
    statuses: list[str] = []

    def answered(_gen: int, answer: Any) -> None:
        shown.append(list(window.paper_model.rids))
        statuses.append(window.status_label.text())

    searcher.resultReady.connect(answered)  # after the window's own slot: what it shows
    resets: list[int] = []
    window.paper_model.modelReset.connect(lambda: resets.append(1))
    for text in ("reinforcement", "graph", "learning -survey", "cat:IR"):
        shown.clear()
        statuses.clear()
        resets.clear()
        window.search_box.setText(text)
        window.run_search()
        wait_idle(qtbot, window)
        exact = list(real_search(sqlite3.connect(seed_db), text).rids)
        assert len(exact) > 5, text
        assert len(shown) == 2 and all(rids for rids in shown), text
        assert shown[0] == exact[:5] and shown[1] == exact, text
        assert statuses[0].startswith("5+ papers") and "counting" in statuses[0]
        assert statuses[1].startswith(f"{len(exact):,} papers"), statuses[1]
        assert len(resets) == 1  # the final answer inserted rows below the first page


def _answers(qtbot: QtBot, window: Any, text: str) -> list[tuple[list[int], bool, str]]:
    """Each answer the window applied for `text`: its rows, final or not, the status."""
    searcher = window.stores.searcher
    shown: list[tuple[list[int], bool, str]] = []

    def answered(_gen: int, answer: Any) -> None:  # after the window's own slot
        shown.append((list(window.paper_model.rids), answer.final,
                      window.status_label.text()))

    searcher.resultReady.connect(answered)
    window.search_box.setText(text)
    window.run_search()
    wait_idle(qtbot, window)
    searcher.resultReady.disconnect(answered)
    return shown


def test_a_final_answer_in_time_is_the_only_answer(
    qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the final answer comes within QUICK_FINAL_S of the first page, the window gets
    it alone: every row and the count at once, one paint, nothing changes after it."""
    monkeypatch.setattr(worker_module, "FIRST_PAGE", 5)
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 30.0)  # any time: always in time
    window = open_window(qtbot, seed_db)
    shown = _answers(qtbot, window, "cat:IR")
    # 36 papers (grep: the IR meta lines), all of them in the one answer
    assert len(shown) == 1
    rows, final, status = shown[0]
    assert final and len(rows) == 36
    assert rows == list(real_search(sqlite3.connect(seed_db), "cat:IR").rids)
    assert status.startswith("36 papers") and "counting" not in status


def test_a_phrase_sends_its_first_page_first(
    qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phrase is read by FTS5 in steps no deadline cuts: its final answer is not tried
    before the first page is sent, however much time it is given."""
    monkeypatch.setattr(worker_module, "FIRST_PAGE", 5)
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 30.0)
    window = open_window(qtbot, seed_db)
    exact = list(real_search(sqlite3.connect(seed_db), '"language models"').rids)
    assert len(exact) > 5
    shown = _answers(qtbot, window, '"language models"')
    assert [(len(rows), final) for rows, final, _ in shown] == [(5, False), (len(exact), True)]
    assert shown[0][0] == exact[:5] and shown[1][0] == exact


def test_a_final_answer_too_slow_for_its_time_comes_after_the_first_page(
    qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick attempt is stopped by its deadline (SQLite's progress handler), not by
    a newer request: the first page is sent, then the final answer, exact."""
    monkeypatch.setattr(worker_module, "FIRST_PAGE", 5)
    monkeypatch.setattr(worker_module, "QUICK_FINAL_S", 0.05)
    calls: list[int | None] = []

    def slow_first_final(conn: sqlite3.Connection, text: str, *args: Any,
                         cancelled: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("limit"))
        if len(calls) == 2:  # the quick attempt: a statement only its deadline stops
            _run_slow_statement(conn, text, cancelled)
        return real_search(conn, text, *args, cancelled=cancelled, **kwargs)

    window = open_window(qtbot, seed_db)
    monkeypatch.setattr(worker_module, "search", slow_first_final)
    shown = _answers(qtbot, window, "cat:IR")
    assert calls == [5, worker_module.LISTED, worker_module.LISTED]
    exact = list(real_search(sqlite3.connect(seed_db), "cat:IR").rids)
    assert [(len(rows), final) for rows, final, _ in shown] == [(5, False), (36, True)]
    assert shown[0][0] == exact[:5] and shown[1][0] == exact
    assert shown[1][2].startswith("36 papers")


def test_the_gui_thread_compiles_no_highlight_while_typing(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The title column highlights an answer's words with a regular expression whose
    compile takes 0.5-5 ms (an accent class per letter): the search worker compiles it,
    the GUI thread only finds it. The table still draws the highlight."""
    window = open_window(qtbot, seed_db)
    compiled: list[tuple[bool, str]] = []  # (on the GUI thread, pattern) of term patterns
    compile_ = re.compile

    def recorded(pattern: Any, flags: Any = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(r"(?<!\w)(?:"):
            compiled.append((threading.current_thread() is threading.main_thread(), pattern))
        return compile_(pattern, flags)

    monkeypatch.setattr(re, "compile", recorded)
    # words no other test searches (a pattern compiled once is kept: it is not compiled again)
    for text in ("soc", "socialcoa", "socialcoach tutor"):
        search_for(qtbot, window, text)
        qtbot.waitUntil(lambda: not window.table.painting)
        assert window.browse.terms
    assert compiled and not [pattern for on_gui, pattern in compiled if on_gui]
    image = window.table.viewport().grab().toImage()
    band = QColor(window.theme.highlight_bg).rgb()
    assert any(image.pixel(x, y) == band for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2))  # "SocialCoach" on its band


def test_the_gui_thread_runs_no_sql_while_typing_scrolling_and_reading(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Rows come with the answer or from the reader thread; the pane from the reader too."""
    import importlib
    import sys

    from paperdesk.gui.worker import SHIPPED_ROWS
    from paperdesk.store import build_store

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    pagegen = importlib.import_module("pagegen")
    pagegen.generate_corpus(tmp_path / "pages", 1_200, seed=7)
    db = tmp_path / "store.db"
    assert build_store([tmp_path / "pages"], db).complete
    window = open_window(qtbot, db, tmp_path / "notes.db")
    gui_sql = trace_gui_sql(window)

    search_for(qtbot, window, "learning")  # typed key by key
    assert window.paper_model.rowCount() > SHIPPED_ROWS  # some rows must be read later
    search_for(qtbot, window, "")
    model = window.paper_model
    assert model.rowCount() > SHIPPED_ROWS
    window.table.scrollToBottom()
    last = model.rowCount() - 1
    qtbot.waitUntil(lambda: model.index(last, 1).data() is not None)
    window.table.setFocus()
    window.table.setCurrentIndex(model.index(last - 3, 1))
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    wait_idle(qtbot, window)
    title = model.index(last - 2, 1).data()
    assert title and title in window.detail.toPlainText()
    assert model.fetches >= 1  # rows below the first page were read, off this thread
    assert gui_sql == []

    # The author list: its filter, its pages and a jump to its end (issue 12). Its
    # reader's statements are traced too, with the thread they ran on.
    authors = window.authors
    on_gui_thread: list[str] = []
    worker = authors._worker
    assert worker is not None and worker._store is not None  # opened by the first answer
    reader_conn = worker._store.conn

    def traced(statement: str) -> None:
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(statement)

    reader_conn.set_trace_callback(traced)
    window.author_filter.setFocus()
    qtbot.keyClicks(window.author_filter, "an")  # two letters: the list walked in order
    qtbot.waitUntil(lambda: window.author_model.filter_text == "an")
    qtbot.keyClicks(window.author_filter, "d")  # three: the trigram index
    qtbot.waitUntil(lambda: window.author_model.filter_text == "and")
    window.author_filter.clear()
    qtbot.waitUntil(lambda: window.author_model.filter_text == "")
    wait_idle(qtbot, window)
    people = window.author_model
    end = people.rowCount() - 1
    assert end > 1_000  # the generated pages name over a thousand people: many pages
    window.author_list.scrollToBottom()
    qtbot.waitUntil(lambda: people.index(end).data() is not None)
    bar = window.author_list.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    wait_idle(qtbot, window)
    middle = window.author_list.indexAt(window.author_list.viewport().rect().center())
    qtbot.waitUntil(lambda: middle.data() is not None)
    assert gui_sql == [] and on_gui_thread == []

def test_the_gui_thread_runs_no_sql_for_scope_labels_and_the_compare_dialog(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """The window's title and status name the profile or person in scope, and the
    compare dialog shows the profiles' figures: all read on other threads."""
    from PySide6.QtCore import QUrl

    from paperdesk.gui.history import Location
    from paperdesk.gui.models import ITEM_ROLE
    from tests.test_gui_support import author_row

    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    ids = {}
    for label in ("Luo Ji", "Ziru Liu"):
        item = window.author_model.index(author_row(window, "profile", label)).data(ITEM_ROLE)
        ids[label] = item.value
    gui_sql = trace_gui_sql(window)

    window.go(Location("profile", ids["Luo Ji"]))
    wait_idle(qtbot, window)
    assert window.windowTitle() == "Luo Ji — PaperDesk"
    assert window.status_label.text().startswith("22 papers in Luo Ji  ·  ")  # as PROFILES says
    window.detail.anchorClicked.emit(QUrl("paperdesk://person/jinze%20bai"))
    wait_idle(qtbot, window)
    assert window.windowTitle() == "Jinze Bai — PaperDesk"
    window.go(Location("profiles", (ids["Luo Ji"], ids["Ziru Liu"])))
    wait_idle(qtbot, window)
    assert window.windowTitle() == "2 profiles — PaperDesk"
    assert sorted(window.selected_profiles()) == sorted(ids.values())
    with qtbot.waitSignal(window.compared) as shown:
        assert window.compare_selected()
    dialog = shown.args[0]
    assert dialog.table.rowCount() == 2
    dialog.close()
    assert gui_sql == []


def test_the_gui_thread_runs_no_sql_restoring_the_last_place_at_start_up(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The place saved (a profile, a paper in it, a sort) is found in the store on the
    reader thread: from the window's creation on, the GUI thread runs no SQL."""
    from tests.test_gui_support import (
        click_author,
        click_header,
        click_row,
        row_of_title,
        watch_connections,
    )

    notes = tmp_path / "notes.db"
    first = open_window(qtbot, seed_db, notes)
    click_author(qtbot, first, "profile", "Luo Ji")
    click_header(qtbot, first, 1)  # sort by title
    click_row(qtbot, first, row_of_title(first, "Qwen Technical Report"))
    first.close()  # saves the place

    seen = watch_connections(monkeypatch)
    gui_sql = seen.gui_sql
    second = open_window(qtbot, seed_db, notes)
    qtbot.waitUntil(lambda: second.detail.toPlainText().startswith("Qwen Technical Report"))
    wait_idle(qtbot, second)
    assert second.author_list.currentIndex().data() == "Luo Ji (22 · 7 named)"
    assert second.sort == ("title", False)
    assert second.table.currentIndex().row() >= 0
    assert second.table.currentIndex().siblingAtColumn(1).data() == "Qwen Technical Report"
    assert gui_sql == []
    assert "MainThread" not in seen.opened_on


def test_the_gui_thread_opens_no_connection_at_start_up_or_after_an_import(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: the window is created, shown and paints its first rows, then an import
    makes it open the store again, and the GUI thread neither opens a connection (the
    store is opened, checked and read on other threads) nor runs a statement."""
    from tests.test_gui_import import NEW_PAGE, NEW_TITLE
    from tests.test_gui_support import PROFILES, table_titles, watch_connections

    seen = watch_connections(monkeypatch)
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    papers = sum(PROFILES.values())  # 129: every seed page's entries
    qtbot.waitUntil(lambda: window.paper_model.rowCount() == papers)
    window.grab()  # the first rows painted
    assert window.paper_model.index(0, 1).data()  # a title: the rows are in
    assert "MainThread" not in seen.opened_on
    assert seen.gui_sql == []
    assert window.stack.currentWidget() is window.splitter
    # the threads that do open them: the check, the reader, the searcher, the author
    # list, the notes
    assert {"paperdesk-opener", "paperdesk-reader", "paperdesk-search", "paperdesk-authors",
            "paperdesk-notes"} <= set(seen.opened_on)

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "005_new.txt").write_text(NEW_PAGE, encoding="utf-8")
    before = len(seen.opened_on)
    with qtbot.waitSignal(window.storeOpened, timeout=10_000):
        assert window.transfers.import_paths([folder]) is not None
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.paper_model.rowCount() == papers + 1)
    window.grab()
    assert NEW_TITLE in table_titles(window)
    assert len(seen.opened_on) > before  # the import's and the store opened again
    assert seen.gui_sql == []
    assert "MainThread" not in seen.opened_on


def test_a_status_line_cut_by_a_narrow_window_is_whole_in_its_tooltip(
        qtbot: QtBot, seed_db: Path) -> None:
    """At 1024 px a tester could not read a query's later warnings: the bar cut them."""
    window = open_window(qtbot, seed_db)
    window.resize(1024, 640)
    window.search_box.setText('((author: "unclosed cat:nonsense year:2024..2020')
    window.search.search_now()
    wait_idle(qtbot, window)
    status = window.search.status
    assert "cat:nonsense" in status.text() and "2024..2020" in status.text()
    assert status.toolTip() == status.text()
