"""`author:` follows the user's decisions about people (paperdesk.identity).

`author:` matches the names as written (the full-text index's authors column). Once
"Qi Qin" and "Qin Qi" are one person, `author:"qin qi"` must also find the papers
written "Qi Qin": each `author:` is widened, before planning, to every written form
of every person one of whose names it matches, as phrases in the authors column, so
the query stays one full-text match and plans as before.

Only people a decision touched can have such other forms: their keys are the
store's meta `identity_keys` (paperdesk.identity.apply), and their written forms are
read off the person index. Without decisions this costs one meta lookup per query
that has an `author:`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from paperdesk import query as q

_KEYS = "SELECT value FROM meta WHERE key = 'identity_keys'"
# Each touched person's written forms (1) and shown name (0: a rename is a name too).
_FORMS = """SELECT pa.person, pa.name, 1 FROM paper_authors pa
 WHERE pa.person IN (SELECT value FROM json_each(?)) GROUP BY pa.person, pa.name
UNION SELECT key, name, 0 FROM people WHERE key IN (SELECT value FROM json_each(?))"""


def follow_people(conn: sqlite3.Connection, root: q.Node | None) -> q.Node | None:
    """`root` with each `author:` widened to the other written forms of the people it
    names (see the module doc); `root` itself when no decision applies."""
    if root is None or not _has_author(root):
        return root
    forms = _decided_forms(conn)
    if not forms:
        return root
    return _widen(root, forms)


def _has_author(node: q.Node) -> bool:
    if isinstance(node, q.Author):
        return True
    if isinstance(node, q.Not):
        return _has_author(node.child)
    if isinstance(node, q.And | q.Or):
        return any(_has_author(child) for child in node.children)
    return False


Person = tuple[set[str], set[str]]  # the names that find a person, its written forms


def _decided_forms(conn: sqlite3.Connection) -> list[Person]:
    """Each person a decision touched and written in several forms: the names that find
    it (written forms and its shown name), and its written forms."""
    try:
        row = conn.execute(_KEYS).fetchone()
    except sqlite3.OperationalError:  # a store without a meta table: nothing decided
        return []
    if not row or not row[0] or row[0] == "[]":
        return []
    keys = json.dumps(sorted(json.loads(row[0])))
    names: dict[str, set[str]] = defaultdict(set)
    written: dict[str, set[str]] = defaultdict(set)
    for person, name, is_written in conn.execute(_FORMS, (keys, keys)):
        names[person].add(name)
        if is_written:
            written[person].add(name)
    return [(names[person], written[person]) for person in names if len(names[person]) > 1]


def names_match(node: q.Author, name: str) -> bool:
    """Whether `author:` matches this one name as the index would: each word starts a
    word of the name (is one, when shorter than a prefix)."""
    tokens = q.words(q.fold(name))
    return all(any(token.startswith(word) if len(word) >= q.MIN_PREFIX else token == word
                   for token in tokens) for word in node.words)


def _widen(node: q.Node, people: list[Person]) -> q.Node:
    if isinstance(node, q.Author):
        extra = sorted({form for names, forms in people if any(names_match(node, n)
                                                             for n in names)
                        for form in forms if not names_match(node, form)}, key=str.casefold)
        if not extra:
            return node
        return q.Or((node, *(q.Text(form, ("authors",)) for form in extra)))
    if isinstance(node, q.Not):
        return q.Not(_widen(node.child, people))
    if isinstance(node, q.And | q.Or):
        return type(node)(tuple(_widen(child, people) for child in node.children))
    return node
