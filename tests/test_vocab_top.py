"""vocab_top, the most frequent words of every short prefix (`schema.fill_vocab_top`):
ranked by papers, then by the word itself; a word shorter than a prefix is not under
it; at most VOCAB_TOP_TERMS a prefix; the same rows as the window query that made it
before, on a real store's vocabulary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdesk import schema

_TABLES = """
CREATE TABLE vocab (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab_top (prefix TEXT NOT NULL, rank INTEGER NOT NULL, term TEXT NOT NULL,
                        PRIMARY KEY (prefix, rank)) WITHOUT ROWID
"""

# The query vocab_top was filled with up to session 13, one prefix length at a time: the
# reference the one-pass fill must agree with.
_WINDOW = """
SELECT prefix, r, term FROM (
  SELECT substr(term, 1, :n) AS prefix, term,
         row_number() OVER (PARTITION BY substr(term, 1, :n) ORDER BY docs DESC, term) - 1 AS r
    FROM vocab WHERE length(term) >= :n)
 WHERE r < :top
"""


def _vocab(words: list[tuple[str, int]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(_TABLES)
    conn.executemany("INSERT INTO vocab VALUES (?, ?)", words)
    return conn


def _top(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    return conn.execute("SELECT prefix, rank, term FROM vocab_top ORDER BY prefix, rank"
                        ).fetchall()


def test_words_are_ranked_by_papers_then_by_word_under_each_of_their_prefixes() -> None:
    conn = _vocab([("graph", 5), ("gram", 5), ("go", 9), ("g", 1), ("über", 2), ("ü", 3)])
    schema.fill_vocab_top(conn)
    assert _top(conn) == [
        ("g", 0, "go"), ("g", 1, "gram"), ("g", 2, "graph"), ("g", 3, "g"),
        ("go", 0, "go"),
        ("gr", 0, "gram"), ("gr", 1, "graph"),
        ("gra", 0, "gram"), ("gra", 1, "graph"),
        ("ü", 0, "ü"), ("ü", 1, "über"),
        ("üb", 0, "über"),
        ("übe", 0, "über"),
    ]


def test_a_prefix_keeps_its_most_frequent_words_only() -> None:
    # 40 words under `ab`: docs 100 (ab00) down to 61 (ab39); `abz` is the rarest
    words = [(f"ab{i:02d}", 100 - i) for i in range(40)] + [("abz", 1)]
    conn = _vocab(words)
    schema.fill_vocab_top(conn)
    top = _top(conn)
    assert [term for prefix, _, term in top if prefix == "ab"] == [
        f"ab{i:02d}" for i in range(schema.VOCAB_TOP_TERMS)]
    assert [rank for prefix, rank, _ in top if prefix == "a"] == list(range(32))
    assert ("abz", 0, "abz") in top  # alone under its own 3-letter prefix
    assert ("ab3", 0, "ab30") in top and ("ab3", 9, "ab39") in top


def test_the_same_rows_as_the_window_query_on_a_built_store(seed_db: Path) -> None:
    conn = sqlite3.connect(seed_db)
    try:
        schema.refresh_vocab(conn)
        expected = sorted(row for n in range(1, schema.VOCAB_TOP_PREFIX + 1)
                          for row in conn.execute(_WINDOW, {"n": n,
                                                            "top": schema.VOCAB_TOP_TERMS}))
        assert len(expected) > 1000
        assert _top(conn) == expected
    finally:
        conn.close()


def test_rows_written_in_many_batches_are_the_same_rows(
        seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vocabulary larger than one batch (a big store's): batches written while the
    words are still being read give the rows one batch gives."""
    conn = sqlite3.connect(seed_db)
    try:
        schema.refresh_vocab(conn)
        whole = _top(conn)
        monkeypatch.setattr(schema, "_TOP_BATCH", 7)
        conn.execute("DELETE FROM vocab_top")
        schema.fill_vocab_top(conn)
        assert _top(conn) == whole
        assert len(whole) > 7 * 100
    finally:
        conn.close()
