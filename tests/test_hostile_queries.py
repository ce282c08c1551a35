"""Hostile queries: deep nesting, long runs of operators, thousands of words, huge
values. The query language bounds them with a message; nothing raises, nothing
hangs, and the window never sticks at "Searching…"."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from paperdesk.query import MAX_DEPTH, MAX_PARTS, MAX_QUERY_CHARS, Not, compile_query
from paperdesk.search import Scope, search
from paperdesk.store import connect

from .test_gui_support import OFFSCREEN_NOISE, open_window, search_for

HOSTILE = {
    "248 (": "(" * 248 + "x",
    "990 -": "-" * 990 + "x",
    "-( x 400": "-(" * 400 + "x",
    "8,000 distinct words": " ".join(f"w{i}q" for i in range(8000)),
    "50,000-character profile:": "profile:" + "a" * 50_000,
    "50,000-character note:": "note:" + "%_" * 25_000,
    "nested quotes": '"(' * 3000,
    "OR x 5000": " OR ".join(["OR"] * 5000),
}


@pytest.fixture(scope="module")
def conn(_seed_store: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(_seed_store)
    yield connection
    connection.close()


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_queries_are_bounded_with_a_message(conn: sqlite3.Connection,
                                                    text: str) -> None:
    query = compile_query(text)
    assert query.ignored, "a bound was applied without a word"
    result = search(conn, text, Scope(), limit=20)
    assert result.ignored == list(query.ignored)


def _depth(node: object) -> int:
    children = getattr(node, "children", None) or (
        [node.child] if isinstance(node, Not) else [])
    return 1 + max((_depth(c) for c in children), default=0)


def test_nesting_is_cut_at_the_bound_and_said() -> None:
    query = compile_query("-(" * 400 + "bregman")
    assert _depth(query.root) <= MAX_DEPTH + 1
    # 400 pairs, each "-" and "(" a level: the first 8 pairs fit, 392 of each are cut,
    # and the 8 kept "(" are closed at the end
    assert query.ignored == (f'392 times: ignored "-" nested more than {MAX_DEPTH} deep',
                             f'392 times: ignored "(" nested more than {MAX_DEPTH} deep',
                             '8 times: assumed a missing ")" at the end')
    shallow = compile_query("-(" * 3 + "bregman")
    assert shallow.ignored == ('3 times: assumed a missing ")" at the end',)
    assert _depth(shallow.root) == 4  # Not(Not(Not(Text))): within bounds, exactly as typed


def test_thousands_of_words_keep_the_first_ones() -> None:
    query = compile_query(" ".join(f"w{i}q" for i in range(8000)))
    words = [c.text for c in query.root.children]  # type: ignore[union-attr]
    assert words == [f"w{i}q" for i in range(len(words))]
    assert len(words) == MAX_PARTS
    assert any(n.startswith(f"ignored the query after its first {MAX_QUERY_CHARS} characters")
               for n in query.ignored)


def test_a_long_value_is_cut_not_refused(conn: sqlite3.Connection) -> None:
    result = search(conn, "profile:" + "z" * 50_000, Scope())
    assert result.total == 0 and result.ignored


@settings(deadline=2000, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    st.sampled_from(["(", ")", "-", '"', "OR", "AND", " ", "author:", "profile:", "year:..",
                     "cat:", "is:", "rating:>=", "tag:", "note:", "*", "^", "NEAR(", ":"]),
    st.text(max_size=12)), max_size=400).map("".join))
def test_fuzz_any_query_compiles_and_searches_in_time(conn: sqlite3.Connection,
                                                      text: str) -> None:
    """Each example within the deadline: never a traceback, never a hang."""
    query = compile_query(text)
    assert all(isinstance(note, str) for note in query.ignored)
    search(conn, text, Scope(), limit=20)


pytestmark = OFFSCREEN_NOISE


@pytest.mark.parametrize("name", ["248 (", "990 -", "8,000 distinct words",
                                  "50,000-character profile:"])
def test_the_window_never_sticks_at_searching(qtbot: QtBot, seed_db: Path, name: str) -> None:
    window = open_window(qtbot, seed_db)
    window.search_box.setText(HOSTILE[name])
    window.run_search()
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
    status = window.status_label.text()
    assert "Searching" not in status and "ignored" in status
    search_for(qtbot, window, "bregman")  # and it goes on answering
    assert window.paper_model.rowCount() == 1


def test_an_unexpected_failure_is_said_not_left_at_searching(
        qtbot: QtBot, seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the engine (here: any exception the engine was never meant to raise)
    ends in a message naming the log, and the next query is answered."""
    from paperdesk.gui import worker

    real = worker.search

    def broken(conn, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        if text == "boom":
            raise RuntimeError("a bug")
        return real(conn, text, *args, **kwargs)

    monkeypatch.setattr(worker, "search", broken)
    window = open_window(qtbot, seed_db)
    window.search_box.setText("boom")
    window.run_search()
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
    status = window.status_label.text()
    assert "Searching" not in status
    assert "search failed (RuntimeError)" in status and "paperdesk.log" in status
    search_for(qtbot, window, "bregman")
    assert window.paper_model.rowCount() == 1
