"""`author:` finds people by the one rule for names, and follows the user's decisions.

The rule is the author list's filter's (records.name_pieces over `people_list.words`,
paperdesk.people_list): each typed word starts a word of one name, in order, accents
and case folded. `author:` finds the papers naming such a person (paper_authors), in
one of two forms, chosen before planning by how many papers the people found are
named on (people_list.papers, the list's most prolific first):

* at most FEW_PAPERS: the people's keys (`q.Author.keys`), found off the list's
  trigram index (a word of two letters or more; for one-letter words, the index's
  trigrams that begin with them: people_list.few_named), and their papers off the
  person index (paper_authors_person): a few thousand index entries, read once, that
  drive the rows or test them (`author:"j. lian"`, `author:wang`, `author:"j. l`);
* more (`author:j`, a letter most names hold a word starting with): each paper's
  people are tested, as the rows are walked newest first: so common a name fills a
  page within a few rows, where listing its people would read most of the list. The
  test reads the names as written (`paper_authors.name`, see NAMING), not the list.

A person the user's decisions touched (paperdesk.identity) may be written in forms
other than their shown name: once "Qin Qi" is Qi Qin, `author:"qin qi"` must find
every paper of Qi Qin. Their keys are the store's meta `identity_keys`, and their
written forms are read off the person index; one whose forms or shown name the typed
words match is among the people found. Without decisions this costs one meta lookup
per query that has an `author:`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from paperdesk import query as q
from paperdesk.people_list import few_named, words_like
from paperdesk.records import name_matches, name_words
from paperdesk.store import like_escaped

# The people of an `author:` named on more papers than this are not listed: each paper
# is tested instead (see the module doc). Measured at 100,000 and 200,000 papers (README,
# "author:"): above, a one-letter name at 100k became a list walk slower than the test.
FEW_PAPERS = 30_000

# Each paper's people tested by the rule, with naming_params(pieces), on the names as
# written where that gives the same answer: a name of ASCII letters. Another form of
# its person key (records.person_key: case and spacing apart, the same name) has its
# words too, which are the shown name's (a name's spaces are one space: the parser's
# names.clean_name, fixes.one_spaced for corrections); people decisions touched are
# found by key as well (`_find`'s `also`). A LIKE that the typed letters are in the
# name, in order (most names fail it at once), then a GLOB that each starts a word
# (name_words' marks read as spaces; SQLite's `lower` is casefold on ASCII). A name
# with other letters, whose forms may fold apart (Greek alpha with iota below: casefold
# two letters, anyascii one), is looked up in the list by key and its words matched, as
# every name was. At a million papers `author:li` tested 8,000 papers in 137 ms when
# every name was looked up, in about 30 ms this way (README, "Each paper's names as
# written").
_BEYOND_ASCII = "length(CAST(pa.name AS BLOB)) > length(pa.name)"
NAMING = ("EXISTS (SELECT 1 FROM paper_authors pa WHERE pa.paper = p.rid"
          f" AND (pa.name LIKE ? ESCAPE '\\' OR {_BEYOND_ASCII})"
          f" AND CASE WHEN {_BEYOND_ASCII} THEN EXISTS (SELECT 1 FROM people_list l"
          " WHERE l.key = pa.person AND l.words LIKE ? ESCAPE '\\')"
          " ELSE (' ' || lower(pa.name) || ' ') GLOB ? END)")
_WORD_START = "[ .'-]"  # a space, or what name_words reads as one (records._WORD_MARKS)
_GLOB_LITERAL = str.maketrans({"*": "[*]", "?": "[?]", "[": "[[]"})


def naming_params(pieces: Sequence[str]) -> list[object]:
    """NAMING's parameters for records.name_pieces `pieces`."""
    words = [piece.strip() for piece in pieces]
    glob = "*" + "".join(
        _WORD_START + word.translate(_GLOB_LITERAL) + (_WORD_START if piece.endswith(" ")
                                                       else "") + "*"
        for piece, word in zip(pieces, words, strict=True))
    return ["%" + "%".join(map(like_escaped, words)) + "%", words_like(list(pieces)), glob]


_KEYS = "SELECT value FROM meta WHERE key = 'identity_keys'"
# Each touched person's written forms and shown name (a rename is a name too).
_FORMS = """SELECT pa.person, pa.name FROM paper_authors pa
 WHERE pa.person IN (SELECT value FROM json_each(?)) GROUP BY pa.person, pa.name
UNION SELECT key, name FROM people WHERE key IN (SELECT value FROM json_each(?))"""


def find_people(conn: sqlite3.Connection, root: q.Node | None) -> q.Node | None:
    """`root` with each `author:` given the keys of the people it names when they are
    few, and the people decisions touched whose names it matches (see the module doc)."""
    if root is None or not _has_author(root):
        return root
    return _find(conn, root, _decided_names(conn))


def _has_author(node: q.Node) -> bool:
    if isinstance(node, q.Author):
        return True
    if isinstance(node, q.Not):
        return _has_author(node.child)
    if isinstance(node, q.And | q.Or):
        return any(_has_author(child) for child in node.children)
    return False


def _find(conn: sqlite3.Connection, node: q.Node, decided: dict[str, set[str]]) -> q.Node:
    if isinstance(node, q.Author):
        pieces = list(node.pieces)
        also = [key for key, names in decided.items()
                if any(name_matches(name_words(name), pieces) for name in names)]
        found = few_named(conn, pieces, FEW_PAPERS)
        if found is not None:
            keys, papers = found
            return q.Author(node.pieces, tuple(dict.fromkeys(keys + also)), papers)
        return q.Or((node, q.Author(node.pieces, tuple(also)))) if also else node
    if isinstance(node, q.Not):
        return q.Not(_find(conn, node.child, decided))
    if isinstance(node, q.And | q.Or):
        return type(node)(tuple(_find(conn, child, decided) for child in node.children))
    return node


def _decided_names(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each person a decision touched: its key and the names that find it (its written
    forms and its shown name)."""
    try:
        row = conn.execute(_KEYS).fetchone()
    except sqlite3.OperationalError:  # a store without a meta table: nothing decided
        return {}
    if not row or not row[0] or row[0] == "[]":
        return {}
    keys = json.dumps(sorted(json.loads(row[0])))
    names: dict[str, set[str]] = defaultdict(set)
    for person, name in conn.execute(_FORMS, (keys, keys)):
        names[person].add(name)
    return names
