"""What the window remembers across a change of its store follows the papers themselves.

A paper's rowid is its date's day and its place among that day's papers (dated.py),
so a rebuild after a page was added gives a paper another rowid, and its old rowid to
another paper. Back, Forward, the paper shown and the author list's scope must still
be the papers the user saw: the window keeps their stable ids (papers.id) and finds
them again when the store changes; an entry whose paper is gone is dropped, saying so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paperdesk.gui.history import History, Location, relocated
from paperdesk.store import Store, build_store
from tests.test_gui_identities import _act, _open, _select
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    TITLES,
    click_author,
    click_row,
    open_window,
    row_of_title,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
ZIRU = TITLES["Ziru Liu"]  # dated Feb 7 2023, Aug 14 2023, Apr 16 2023 on seed 000
# A page whose name sorts before every seed's, with papers of the same three days: a
# rebuild stores them first on their days, so the seed's papers move one rowid up and
# these take the seed papers' old rowids.
NEWCOMER = """Ada Newcomer

IR
h-index1
3papers
0citations
Novelty50%
AI Score50

3 Papers

IRFeb 7, 2023
Newcomer Paper of the Seventh of February

Ada Newcomer

One.

IRAug 14, 2023
Newcomer Paper of the Fourteenth of August

Ada Newcomer

Two.

IRApr 16, 2023
Newcomer Paper of the Sixteenth of April

Ada Newcomer

Three.
"""


@pytest.fixture
def pages(tmp_path: Path, seeds: Path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(seeds, folder)
    return folder


def _shown_title(window) -> str:  # type: ignore[no-untyped-def]
    paper = window.current_paper()
    return "" if paper is None else paper.title


def _browse(qtbot: QtBot, window, titles: list[str]) -> None:  # type: ignore[no-untyped-def]
    for title in titles:  # each a history entry of its own: the selection settles first
        click_row(qtbot, window, row_of_title(window, title))
        qtbot.waitUntil(lambda: not window.browse.moving.isActive(), timeout=3000)
        qtbot.waitUntil(lambda t=title: _shown_title(window) == t)


def _browsing(qtbot: QtBot, pages: Path, db: Path, titles: list[str]):  # type: ignore[no-untyped-def]
    """A store built from `pages` at `db`, its window on Ziru Liu's profile, `titles`
    browsed one after the other."""
    assert build_store([pages], db, this_year=2026).complete
    window = open_window(qtbot, db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    _browse(qtbot, window, titles)
    return window


def _reopened(qtbot: QtBot, window, title: str) -> None:  # type: ignore[no-untyped-def]
    """The window's store opened again, as an import, a correction or a decision does;
    then `title` shown."""
    window.reopen_store()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _shown_title(window) == title)
    wait_idle(qtbot, window)


def test_back_opens_the_same_papers_after_a_rebuild_moved_their_rowids(
        qtbot: QtBot, pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    window = _browsing(qtbot, pages, db, ZIRU)
    before = {p.title: p.rid for p in (window.paper_model.cached(r)
                                         for r in window.paper_model.rids) if p}
    (pages / "0000_newcomer.txt").write_text(NEWCOMER, encoding="utf-8")
    assert build_store([pages], db, this_year=2026).complete  # the command line, say
    store = Store(db)
    try:  # the premise: each seed paper's old rowid is now another paper's
        for title in ZIRU:
            moved = store.papers([before[title]])[before[title]]
            assert moved.title.startswith("Newcomer Paper of the"), moved.title
    finally:
        store.close()
    _reopened(qtbot, window, ZIRU[2])
    assert window.scope is not None and window.scope.kind == "profile"
    assert window.authors.current_item().label == "Ziru Liu"  # not the page now first
    assert window.papers.current_rid() == window.current_rid  # the table selects it too
    window.go_back()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _shown_title(window) == ZIRU[1])
    assert "AutoAssign+" in window.detail.toPlainText()
    window.go_back()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _shown_title(window) == ZIRU[0])
    assert window.papers.current_rid() == window.current_rid
    window.browse.forward()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _shown_title(window) == ZIRU[1])


def test_a_paper_gone_after_a_rebuild_leaves_the_history_with_a_message(
        qtbot: QtBot, pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    window = _browsing(qtbot, pages, db, ZIRU)
    page = next(pages.glob("000_*.txt"))
    text = page.read_text(encoding="utf-8")  # the page without its AutoAssign+ entry
    start, end = text.index("IRAug 14, 2023\n"), text.index("CVApr 16, 2023\n")
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    assert build_store([pages], db, this_year=2026).complete
    _reopened(qtbot, window, ZIRU[2])
    assert window.statusBar().currentMessage() == (
        "1 place visited earlier is no longer in the store: Back and Forward skip them.")
    window.go_back()  # over the paper gone, to the one before it
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _shown_title(window) == ZIRU[0])
    assert window.menu_actions.forward.isEnabled()


def test_the_place_restored_at_the_next_start_is_the_same_profile_after_a_rebuild(
        qtbot: QtBot, pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    window = _browsing(qtbot, pages, db, ZIRU[:1])
    window.close()  # saves the place
    (pages / "0000_newcomer.txt").write_text(NEWCOMER, encoding="utf-8")
    assert build_store([pages], db, this_year=2026).complete  # profile ids move up one
    again = open_window(qtbot, db)
    qtbot.waitUntil(lambda: _shown_title(again) == ZIRU[0])
    wait_idle(qtbot, again)
    assert again.authors.current_item().label == "Ziru Liu"
    assert again.papers.current_rid() == again.current_rid


def test_history_follows_moved_rowids_and_profile_ids_and_drops_what_is_gone() -> None:
    history = History()
    for location in (Location(), Location("profile", 1), Location("profile", 1, 10),
                     Location("profile", 1, 20), Location("profiles", (1, 2)),
                     Location("person", "ji luo", 30)):
        history.visit(location)
    history.back()  # at the two profiles
    papers = {10: 11, 30: 31}.get  # paper 20 is gone
    profiles = {1: 2, 2: 3}.get
    assert history.follow(lambda loc: relocated(loc, papers, profiles)) == 1
    assert history.items() == (Location(), Location("profile", 2), Location("profile", 2, 11),
                               Location("profiles", (2, 3)), Location("person", "ji luo", 31))
    assert history.current == Location("profiles", (2, 3))
    assert history.follow(lambda loc: relocated(loc, {}.get, {}.get)) == 4
    assert history.items() == (Location(),) and history.current == Location()


def test_back_to_a_person_merged_into_another_shows_the_merged_person(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """Qin Qi (1 paper) and Qi Qin (2), both co-authors of Luo Ji on seed 002, are one
    person: merged, the place "Qin Qi" in Back is the person the papers now name."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    click_author(qtbot, window, "person", "Qin Qi")
    click_author(qtbot, window, "all", "All papers")
    dialog = _open(qtbot, window)
    _select(dialog, "Qi Qin")
    _act(qtbot, window, dialog, "merge")
    assert dialog.history.item(0).text() == "merge Qin Qi with Qi Qin"
    dialog.close()
    wait_idle(qtbot, window)
    window.go_back()
    wait_idle(qtbot, window)
    assert window.browse.here == Location("person", "qi qin")
    assert window.authors.current_item().label == "Qi Qin"
    assert len(window.paper_model.rids) == 3  # both names' papers


def test_the_person_shown_while_merged_into_another_stays_shown_as_that_one(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    click_author(qtbot, window, "person", "Qin Qi")
    dialog = _open(qtbot, window)
    _select(dialog, "Qi Qin")
    _act(qtbot, window, dialog, "merge")
    dialog.close()
    wait_idle(qtbot, window)
    assert window.browse.here == Location("person", "qi qin")
    assert len(window.paper_model.rids) == 3


# Seed 000 (Ziru Liu) re-imported with two titles corrected by hand: a word each.
RETITLED = {ZIRU[0]: "Multi-Task Recommendation with Reinforcement Learning",
            ZIRU[1]: "AutoAssign+: Automatic Shared Embedding Assignment for Streaming "
                     "Recommendation"}


def test_papers_an_import_retitles_stay_shown_and_back_and_forward_follow_them(
        qtbot: QtBot, seed_db: Path, seeds: Path, tmp_path: Path) -> None:
    """No notes on either paper: the window follows them by their page and date."""
    page = tmp_path / "edited" / "000_77b9e73dc2a3999b.txt"
    page.parent.mkdir()
    text = (seeds / page.name).read_text(encoding="utf-8")
    for old, new in RETITLED.items():
        assert text.count(f"\n{old}\n") == 1
        text = text.replace(f"\n{old}\n", f"\n{new}\n")
    page.write_text(text, encoding="utf-8")
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    click_author(qtbot, window, "profile", "Ziru Liu")
    _browse(qtbot, window, ZIRU[:2])

    assert window.transfers.import_paths([page]) is not None
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)
    qtbot.waitUntil(lambda: _shown_title(window) == RETITLED[ZIRU[1]])
    wait_idle(qtbot, window)
    assert window.detail.toPlainText().startswith(RETITLED[ZIRU[1]])
    assert "no longer in the store" not in window.statusBar().currentMessage()
    assert window.authors.current_item().label.startswith("Ziru Liu")
    assert window.papers.current_rid() == window.current_rid
    window.go_back()
    qtbot.waitUntil(lambda: _shown_title(window) == RETITLED[ZIRU[0]])
    wait_idle(qtbot, window)
    assert window.detail.toPlainText().startswith(RETITLED[ZIRU[0]])
    window.browse.forward()
    qtbot.waitUntil(lambda: _shown_title(window) == RETITLED[ZIRU[1]])
