"""The search vocabulary (schema v2: `vocab`, `vocab_top`) kept up to date by an import,
at the cost of what the import changed, not of the whole index.

`schema.refresh_vocab` recomputes both tables from the full-text index: at a million
papers that reads every doclist (about 5 s) and ranks every word (about 3.5 s). Here
the papers an import adds or deletes are tokenized by FTS5 itself, in two temporary
FTS5 tables with the store's tokenizer, so that their words are exactly the index's;
each word's paper count moves by what was added and deleted, and only the prefixes of
those words get their most frequent words again.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from paperdesk.schema import FTS_TOKENIZE, VOCAB_TOP_PREFIX, VOCAB_TOP_TERMS

_SIDES = ("added", "deleted")
_LAST = "\U0010ffff"  # after every character: `term < prefix || _LAST` is "starts with"


class VocabDelta:
    """Collects the papers an import adds and deletes; `apply` updates the vocabulary."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.papers = 0
        for side in _SIDES:
            conn.execute(f"DROP TABLE IF EXISTS temp.vocab_{side}")
            conn.execute(f"CREATE VIRTUAL TABLE temp.vocab_{side} USING fts5(title, authors,"
                         f" affiliations, abstract, tokenize='{FTS_TOKENIZE}')")
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_{side}_rows"
                         f" USING fts5vocab(temp, vocab_{side}, row)")

    def added(self, title: str, authors: str, affiliations: str, abstract: str) -> None:
        self._add("added", (title, authors, affiliations, abstract))

    def deleted(self, title: str, authors: str, affiliations: str, abstract: str) -> None:
        self._add("deleted", (title, authors, affiliations, abstract))

    def _add(self, side: str, text: tuple[str, str, str, str]) -> None:
        self.papers += 1
        self._conn.execute(f"INSERT INTO temp.vocab_{side} VALUES (?, ?, ?, ?)", text)

    def apply(self) -> None:
        """Move the counts, drop words no paper holds any more, rank the touched prefixes."""
        conn = self._conn
        changes: dict[str, int] = defaultdict(int)
        for side, sign in zip(_SIDES, (1, -1), strict=True):
            for term, docs in conn.execute(f"SELECT term, doc FROM temp.vocab_{side}_rows"):
                changes[term] += sign * docs
        lowered: set[str] = set()
        for term, change in changes.items():
            if change > 0:
                conn.execute("INSERT INTO vocab (term, docs) VALUES (?, ?) ON CONFLICT (term)"
                             " DO UPDATE SET docs = docs + excluded.docs", (term, change))
            elif change < 0:
                lowered.add(term)
                conn.execute("UPDATE vocab SET docs = docs + ? WHERE term = ?", (change, term))
        conn.execute("DELETE FROM vocab WHERE docs <= 0")
        by_prefix: dict[str, set[str]] = defaultdict(set)
        for term in changes:
            for n in range(1, min(len(term), VOCAB_TOP_PREFIX) + 1):
                by_prefix[term[:n]].add(term)
        for prefix, terms in by_prefix.items():
            self._rank(prefix, terms, lowered)
        for side in _SIDES:
            conn.execute(f"DROP TABLE temp.vocab_{side}_rows")
            conn.execute(f"DROP TABLE temp.vocab_{side}")

    def _rank(self, prefix: str, changed: set[str], lowered: set[str]) -> None:
        """vocab_top for `prefix` again. Counts that only grew: the new top words are among
        the old ones and the changed ones. A top word that lost papers may give way to any
        word: then the prefix's whole range of `vocab` is ranked."""
        conn = self._conn
        old = [term for (term,) in conn.execute(
            "SELECT term FROM vocab_top WHERE prefix = ? ORDER BY rank", (prefix,))]
        if lowered.intersection(old) and len(old) == VOCAB_TOP_TERMS:
            rows = conn.execute(
                "SELECT term FROM vocab WHERE term >= ? AND term < ?"
                " ORDER BY docs DESC, term LIMIT ?", (prefix, prefix + _LAST, VOCAB_TOP_TERMS))
        else:
            rows = conn.execute(
                "SELECT term FROM vocab WHERE term IN (SELECT value FROM json_each(?))"
                " ORDER BY docs DESC, term LIMIT ?",
                (json.dumps([*old, *changed]), VOCAB_TOP_TERMS))
        top = [term for (term,) in rows]
        if top == old:
            return
        conn.execute("DELETE FROM vocab_top WHERE prefix = ?", (prefix,))
        conn.executemany("INSERT INTO vocab_top (prefix, rank, term) VALUES (?, ?, ?)",
                         [(prefix, rank, term) for rank, term in enumerate(top)])
