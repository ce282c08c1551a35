"""Every column sorts, the user's own (★, Read, Rating) included, in SQL; a missing figure
comes last in both directions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from paperdesk.gui.models import PaperTableModel
from paperdesk.gui.window import MainWindow
from paperdesk.search import Scope, search
from paperdesk.userdata import UserData, attach
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    TITLES,
    click_author,
    click_header,
    open_window,
    table_papers,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
LUO = TITLES["Luo Ji"]  # three of Luo Ji's 22 papers
# From seeds/003 (Anxiang Zeng): the three entries with a leading score.
SCORED = [("CharTide", 98.8), ("Decomposing and Steering", 96.1), ("SEA-Vision", 26.9)]


def _annotated(qtbot: QtBot, seed_db: Path, userdata: Path) -> MainWindow:
    window = open_window(qtbot, seed_db, userdata)
    click_author(qtbot, window, "profile", "Luo Ji")
    ids = {p.title: p.id for p in table_papers(window)}
    with UserData(userdata) as ud:
        ud.set_starred(ids[LUO[1]])
        ud.set_rating(ids[LUO[0]], 2)
        ud.set_rating(ids[LUO[1]], 5)
        ud.set_rating(ids[LUO[2]], 4)
        ud.set_read_state(ids[LUO[2]], "read")
        ud.set_read_state(ids[LUO[0]], "reading")
    window.run_search()
    wait_idle(qtbot, window)
    return window


def _titles(window: MainWindow) -> list[str]:
    return [p.title for p in table_papers(window)]


def _newest_first(window: MainWindow, titles: list[str]) -> bool:
    dates = {p.title: p.date for p in table_papers(window)}
    shown = [dates[t] for t in titles]
    return shown == sorted(shown, reverse=True)


def test_star_read_and_rating_sort(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = _annotated(qtbot, seed_db, tmp_path / "notes.db")
    window.resize(1200, 800)  # Read and Rating show (a narrow table hides them first)
    qtbot.waitUntil(lambda: not window.table.horizontalHeader().isSectionHidden(
        PaperTableModel.RATING))
    click_header(qtbot, window, PaperTableModel.RATING)  # first click: highest first
    assert window.sort == ("rating", True)
    titles = _titles(window)
    assert len(titles) == 22
    assert titles[:3] == [LUO[1], LUO[2], LUO[0]]  # 5, 4, 2 stars
    assert _newest_first(window, titles[3:])  # the unrated after them, newest first
    click_header(qtbot, window, PaperTableModel.RATING)
    assert window.sort == ("rating", False)
    titles = _titles(window)
    assert titles[:3] == [LUO[0], LUO[2], LUO[1]]  # 2, 4, 5: unrated still last
    click_header(qtbot, window, PaperTableModel.STAR)
    assert window.sort == ("starred", True)
    titles = _titles(window)
    assert titles[0] == LUO[1] and _newest_first(window, titles[1:])
    click_header(qtbot, window, PaperTableModel.STAR)
    assert _titles(window)[-1] == LUO[1]  # ascending: the unstarred first
    click_header(qtbot, window, PaperTableModel.READ)
    assert _titles(window)[:2] == [LUO[2], LUO[0]]  # read, reading, then unread


def test_a_star_resorts_the_table_sorted_by_stars(qtbot: QtBot, seed_db: Path,
                                                  tmp_path: Path) -> None:
    window = _annotated(qtbot, seed_db, tmp_path / "notes.db")
    click_header(qtbot, window, PaperTableModel.STAR)
    last = _titles(window)[-1]
    window.go(window.scope.__class__(window.scope.kind, window.scope.value,
                                     next(p.rid for p in table_papers(window)
                                          if p.title == last)))
    wait_idle(qtbot, window)
    window.annotations.toggle_star()
    wait_idle(qtbot, window)
    assert set(_titles(window)[:2]) == {LUO[1], last}


def test_missing_score_comes_last_both_ways(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    window.resize(1920, 1080)  # Score shows (a narrower table hides it: gui/columns.py)
    qtbot.waitUntil(lambda: not window.table.horizontalHeader().isSectionHidden(5))
    click_author(qtbot, window, "profile", "Anxiang Zeng")
    click_header(qtbot, window, 5)  # Score: highest first
    scores = [(p.title, p.score) for p in table_papers(window)]
    assert [s for _t, s in scores[:3]] == [98.8, 96.1, 26.9]
    assert all(s is None for _t, s in scores[3:])
    click_header(qtbot, window, 5)
    scores = [(p.title, p.score) for p in table_papers(window)]
    assert [s for _t, s in scores[:3]] == [26.9, 96.1, 98.8]
    assert [t[:len(n)] for (t, _s), (n, _v) in zip(scores[:3], reversed(SCORED),
                                                    strict=True)] == [n for n, _v in
                                                                      reversed(SCORED)]
    assert all(s is None for _t, s in scores[3:])


def test_user_sorts_are_sql_on_the_attached_notes(seed_db: Path, tmp_path: Path) -> None:
    """The engine alone, with and without a notes file, and with a limit."""
    conn = sqlite3.connect(seed_db)
    plain = search(conn, "", Scope(), sort=("rating", True)).rids
    assert list(plain) == list(search(conn, "").rids)  # no notes: newest first
    userdata = tmp_path / "notes.db"
    with UserData(userdata) as ud:
        ids = [r[0] for r in conn.execute("SELECT id FROM papers ORDER BY rid LIMIT 3")]
        for rating, paper in zip((3, 1, 5), ids, strict=True):
            ud.set_rating(paper, rating)
    attach(conn, userdata)
    rated = search(conn, "", Scope(), sort=("rating", True), limit=2).rids
    rid_of = dict(conn.execute("SELECT id, rid FROM papers"))
    assert list(rated) == [rid_of[ids[2]], rid_of[ids[0]]]
    full = search(conn, "", Scope(), sort=("rating", False))
    assert list(full.rids[:3]) == [rid_of[ids[1]], rid_of[ids[0]], rid_of[ids[2]]]
    assert full.total == 129 and sorted(full.rids) == sorted(plain)
