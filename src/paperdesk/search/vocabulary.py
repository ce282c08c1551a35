"""The store's vocabulary: what a prefix stands for, and how many papers a word is in.

A prefix (the word being typed) is expanded once, through the vocabulary tables
(schema v2: `vocab_top` for prefixes of up to 3 characters, a range of `vocab`
otherwise), into the MAX_EXPANSION most frequent indexed words it starts: FTS5 would
otherwise merge every such word's postings at each use. A phrase's last word of a
length the store keeps a prefix index for (`prefix_lengths`) is left to FTS5.
"""

from __future__ import annotations

import re
import sqlite3

from paperdesk import query as q
from paperdesk.schema import VOCAB_TOP_PREFIX

# A prefix stands for at most this many indexed words, the most frequent it starts.
MAX_EXPANSION = 32
# Exclusions only: when at most this many papers lack the excluded word most papers
# hold, the papers without it are found first (`"u" NOT "word"`: two doclists, where
# the whole match merges the doclists of every excluded word, 33 for a prefix) and each
# is tested with a lookup per exclusion (see search.compile.narrowed).
NARROW_COMPLEMENT = 1_000

# A field whose text is a few words per paper: a short prefix there is the word itself.
FEW_WORDS: tuple[q.Column, ...] = ("affiliations",)

_VOCAB = "temp.paperdesk_vocab"


def expansion(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """The indexed words `prefix` starts (folded as the index folds), most frequent first."""
    folded = q.fold(prefix)
    try:
        if len(folded) <= VOCAB_TOP_PREFIX:
            rows = conn.execute(
                "SELECT term FROM vocab_top WHERE prefix = ? ORDER BY rank LIMIT ?",
                (folded, MAX_EXPANSION),
            )
        else:
            rows = conn.execute(
                "SELECT term FROM vocab WHERE term >= ? AND term < ?"
                " ORDER BY docs DESC, term LIMIT ?",
                (folded, folded + "\U0010ffff", MAX_EXPANSION),
            )
        return [term for (term,) in rows]
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
    # A store without the vocabulary tables (schema v1, read-only): scan the index's.
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCAB} USING fts5vocab(main, papers_fts, row)"
    )
    sql = f"SELECT term FROM {_VOCAB} WHERE term >= ? AND term < ? ORDER BY doc DESC LIMIT ?"
    rows = conn.execute(sql, (folded, folded + "\U0010ffff", MAX_EXPANSION))
    return [term for (term,) in rows]


def expand(
    conn: sqlite3.Connection, node: q.Node | None, expansions: dict[str, list[str]]
) -> q.Node | None:
    """`node` with each prefix replaced by the words it stands for; in a phrase (its last
    word a prefix, `"efficient att`), by the phrases ending in each of them: FTS5 would
    otherwise merge the postings of every indexed word the prefix starts, positions and
    all, at a million papers seconds for a common one. Where the store has a prefix
    index of the last word's length (`prefix_lengths`), the phrase stays FTS5's own
    prefix phrase (`"graph con"*`: every word `con` starts), read off that index in one
    pass; the phrases were one pass each, comparing positions in every paper holding
    both words (1.1 s for `"graph con` at a million papers).

    Records each free-text prefix's words (or phrases) in `expansions` (by the node's text).
    """
    if isinstance(node, q.Text) and node.prefix and _short_in_field(node):
        return q.Text(node.text, node.columns)
    if isinstance(node, q.Text) and node.prefix and (words := q.words(node.text)):
        if len(words) > 1 and len(q.fold(words[-1])) in prefix_lengths(conn):
            return node  # the prefix phrase itself, off the prefix index
        head = " ".join(words[:-1])
        terms = [f"{head} {term}" if head else term for term in expansion(conn, words[-1])]
        expansions[node.text] = terms
        return _any_of(terms, node.columns) or node
    if isinstance(node, q.Not):
        return q.Not(expand(conn, node.child, expansions) or node.child)
    if isinstance(node, q.And | q.Or):
        children = tuple(expand(conn, child, expansions) or child for child in node.children)
        return type(node)(children)
    return node


def _short_in_field(node: q.Text) -> bool:
    """A field's prefix of fewer than MIN_PREFIX letters (`affil:t`): the word itself,
    not a prefix. The vocabulary counts words over every column, so
    a short prefix stands for the words most frequent in abstracts (`the`, `to`, `this`):
    in a field they are rare or absent (no affiliation holds `the`), and FTS5 reads their
    whole doclists (a million papers each) to find so, in one step that no progress
    handler interrupts: 12.7 s for `affil:t` at 1M, which found nothing. The titles
    (their own index) and the abstracts (which hold those words) keep short prefixes."""
    words = q.words(node.text)
    return (node.columns == FEW_WORDS and len(words) == 1 and len(words[0]) < q.MIN_PREFIX)


def _any_of(terms: list[str], columns: tuple[q.Column, ...]) -> q.Node | None:
    if not terms:
        return None
    return q.Or(tuple(q.Text(term, columns) for term in terms))


def universal(conn: sqlite3.Connection) -> str | None:
    """An indexed word that every paper contains, if there is one (from the vocabulary).

    `"word" NOT (x)` is then the FTS5 form of "not x": FTS5 merges the two
    postings lists in C instead of SQL testing every row.
    """
    try:
        papers = conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()
        if papers is None:
            return None
        row = conn.execute(
            "SELECT v.term FROM vocab_top t JOIN vocab v ON v.term = t.term"
            " WHERE length(t.prefix) = 1 AND t.rank = 0 AND v.docs = ?"
            " ORDER BY v.term LIMIT 1",
            (int(papers[0]),),
        ).fetchone()
    except (sqlite3.OperationalError, ValueError, TypeError):
        return None
    return None if row is None else str(row[0])



def paper_total(conn: sqlite3.Connection) -> tuple[int, int]:
    """Every paper: the build keeps the figure in meta (no count(*) over a million rows)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()
        total = int(row[0]) if row is not None else None
    except (sqlite3.OperationalError, ValueError, TypeError):
        total = None
    if total is None:
        total = int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])
    return total, total


def _excluded_words(root: q.Node | None) -> list[str]:
    """The single words (any column, not prefixes) the top-level exclusions of the
    (expanded) query name, folded as the index folds them: a paper that matches lacks
    every option of each exclusion, so it lacks each of these words."""
    clauses = list(root.children) if isinstance(root, q.And) else [root] if root else []
    words = []
    for clause in clauses:
        if not isinstance(clause, q.Not):
            continue
        child = clause.child
        options = child.children if isinstance(child, q.Or) else (child,)
        words += [q.fold(option.text) for option in options
                  if isinstance(option, q.Text) and option.columns == q.ALL_COLUMNS
                  and not option.prefix and len(q.words(option.text)) == 1]
    return words


def _most_held(conn: sqlite3.Connection, root: q.Node | None) -> tuple[str, int] | None:
    """The excluded word (see `_excluded_words`) the most papers hold, and how many;
    None when there is none, or no vocabulary (schema v1)."""
    words = _excluded_words(root)
    if not words:
        return None
    marks = ", ".join("?" * len(words))
    try:
        row = conn.execute(f"SELECT term, docs FROM vocab WHERE term IN ({marks})"
                           " ORDER BY docs DESC, term LIMIT 1", words).fetchone()
    except sqlite3.OperationalError:  # no vocabulary (schema v1): not known
        return None
    return None if row is None else (str(row[0]), int(row[1]))


def excludes_every_paper(conn: sqlite3.Connection, root: q.Node | None) -> bool:
    """The (expanded) query excludes a word that every paper holds (`-t`: `this` is in
    every paper): nothing can match, known from the vocabulary without reading the
    index (whose NOT would read the word's whole doclist to find that out)."""
    held = _most_held(conn, root)
    return held is not None and held[1] >= paper_total(conn)[0]


def narrowest_exclusion(conn: sqlite3.Connection, root: q.Node | None) -> str | None:
    """The excluded word the most papers hold, when at most NARROW_COMPLEMENT papers
    lack it: the few papers a query of exclusions only can match are among those
    (`-the`: "the" is in all but a handful of papers)."""
    held = _most_held(conn, root)
    if held is None or paper_total(conn)[0] - held[1] > NARROW_COMPLEMENT:
        return None
    return held[0]


def has_titles_index(conn: sqlite3.Connection) -> bool:
    """The store has the titles' own full-text index (schema v7; an older store opened
    read-only has not)."""
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'titles_fts'").fetchone() is not None


_PREFIX_OPTION = re.compile(r"\bprefix\s*=\s*'([0-9 ,]*)'", re.IGNORECASE)


def prefix_lengths(conn: sqlite3.Connection) -> frozenset[int]:
    """The prefix lengths papers_fts keeps ready-made doclists for (its `prefix` option,
    schema v12); none in a store built before."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'").fetchone()
    found = _PREFIX_OPTION.search(row[0]) if row is not None and row[0] else None
    if found is None:
        return frozenset()
    return frozenset(int(n) for n in re.split(r"[ ,]+", found.group(1).strip()) if n)
