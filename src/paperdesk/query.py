"""The search box's query language: text in, a query tree out.

Pure: nothing here touches SQL, files or Qt; `paperdesk.search` runs the tree.

Query language
--------------

Words
    ``reinforcement recommendation`` finds papers containing every word, in the
    title, the authors, the affiliations or the abstract. Case and accents do not
    matter. The last word of the query is matched as a prefix while you type
    (``recomm`` finds *recommendation*, *recommender*; ``r`` the most frequent words
    starting with r), from its first letter; in a phrase, once it has three letters.
``"exact phrase"``
    the words next to each other, in this order: ``"large language models"``.
``-word``, ``NOT word``
    excludes papers containing the word; works before a phrase, a field or a
    group too: ``-"cold start"``, ``-cat:CV``, ``NOT (survey OR benchmark)``.
    ``NOT`` is an operator in upper case only (``not`` is a plain word).
``OR``
    either side may match (upper case only; ``or`` is a plain word):
    ``ranking OR retrieval``. Words next to each other must all match, and bind
    tighter than ``OR``: ``llm agent OR tutoring`` is ``(llm agent) OR tutoring``.
``( )``
    groups: ``(ranking OR retrieval) -survey``.
Fields (``field:value``; the value is one word or a ``"quoted phrase"``)
    ``title:agent``, ``abstract:"cold start"``, ``affil:tsinghua``
        words in that part of the paper only.
    ``author:lian``, ``author:"jianxun lian"``, ``author:"j. lian"``
        a listed author, found as the author list's filter finds people
        (records.name_pieces): each word you give starts a word of one name, in
        the name's order, accents and case folded. ``author:lian`` finds Jianxun
        Lian (and Lianhui Qin, but not Julian); ``author:"j. lian"`` and
        ``author:"j lian"`` find Jianxun Lian, ``author:kocak`` Ş. Koçak,
        ``author:"w m li"`` W.-M. Li and Wei-Ming Li; ``author:"lian jianxun"``
        finds no Jianxun Lian (another order), and the words never come from two
        names of one paper. A space typed after the last word asks for that whole
        word: ``author:"li "`` finds Li Wei, not Lina Park.
    ``profile:zeng``
        papers listed on a researcher's page whose owner's name contains the
        text (any case): ``profile:"anxiang zeng"``.
    ``cat:IR``, ``cat:cs.IR``, ``cat:retrieval``, ``cat:"machine learning"``
        the arXiv category, by code or by words of its name (``cat:learning``
        finds LG and ML papers). See CATEGORY_NAMES. A full code is matched as
        the page shows it: ``cat:math.NA`` finds every NA paper, whatever the
        profile's field or the user's choice reads it as (paperdesk.categories).
    ``year:2023``, ``year:2021..2024``, ``year:2021..``, ``year:..2022``,
    ``year:>=2024`` (also ``>``, ``<``, ``<=``)
        the year of the paper's date.
    ``code:yes``, ``code:no``
        whether the paper has public code.

Your own notes (stars, read state, ratings, tags and notes you keep in PaperDesk)
    ``is:starred``
        papers you starred.
    ``is:doubtful``
        papers whose title/author split the parser was not sure of (it warned).
    ``is:unread``, ``is:reading``, ``is:read``
        the reading state you set; a paper you never marked is unread.
    ``rating:4`` (exactly 4), ``rating:>=4`` (also ``>``, ``<``, ``<=``)
        your rating, 1 to 5 stars; unrated papers never match.
    ``tag:shortlist``, ``tag:"to review"``
        papers carrying that tag (any case).
    ``note:bandit``, ``note:"read again"``
        papers whose note contains the text (any case of A-Z).
    Without your notes file these find nothing, except ``is:unread``, which
    finds every paper. They combine like any other part of a query:
    ``is:starred -is:read``, ``tag:shortlist rating:>=4 year:2024..``,
    ``-tag:rejected cat:IR``.

Mistakes are never errors: the query runs on whatever could be read, and the
compiled query lists what was ignored or assumed (an empty ``author:``, an
unmatched ``)``, a lone ``-``, a quote left open, a ``*`` with no letters...), and
what could not mean what it says: a field that does not exist (``journal:nature``
is searched as the words ``journal nature``; a bare ``BERT:``, as a pasted title
has, is a word), a category no arXiv code or name matches (``cat:nonsense``: only a
page showing that code), a range of years written backwards (``year:2024..2020`` is
read as 2020..2024), a rating no paper can have (``rating:>5``, ignored).
A query is read up to MAX_QUERY_CHARS characters and MAX_PARTS words, fields and
operators, with groups and exclusions nested up to MAX_DEPTH deep; the rest is
ignored, and the ignored list says so (so that no query can take the search
engine, or Python's stack, out of bounds).
Every word reaches the full-text index as a quoted string, so characters that
mean something to SQLite FTS5 (``* ^ : + { } NEAR( AND``) are plain text.
The index keeps letters and digits only: a word followed by symbols has been typed
to its end (``c++`` is never the prefix c), and a word with symbols at an edge that
make it another word (``c++``, ``c#``, ``@home``: ``+ # @ & %``) is the index's word
(c) in papers whose text holds it as typed (any case of A-Z; ``Verbatim``).

Examples::

    bregman divergence
    "reinforcement learning" -survey year:2023..
    author:lian (recommender OR recommendation) code:yes
    cat:retrieval profile:"ziru liu" year:>=2024
    is:starred is:unread "large language models"
    tag:shortlist rating:>=4 -note:weak
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from paperdesk import categories
from paperdesk.records import name_pieces

# arXiv codes as the pages show them (archive prefix dropped) -> (full code, name).
CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "AI": ("cs.AI", "Artificial Intelligence"),
    "AR": ("cs.AR", "Hardware Architecture"),
    "CC": ("cs.CC", "Computational Complexity"),
    "CE": ("cs.CE", "Computational Engineering, Finance, and Science"),
    "CG": ("cs.CG", "Computational Geometry"),
    "CL": ("cs.CL", "Computation and Language"),
    "CR": ("cs.CR", "Cryptography and Security"),
    "CV": ("cs.CV", "Computer Vision and Pattern Recognition"),
    "CY": ("cs.CY", "Computers and Society"),
    "DB": ("cs.DB", "Databases"),
    "DC": ("cs.DC", "Distributed, Parallel, and Cluster Computing"),
    "DL": ("cs.DL", "Digital Libraries"),
    "DM": ("cs.DM", "Discrete Mathematics"),
    "DS": ("cs.DS", "Data Structures and Algorithms"),
    "ET": ("cs.ET", "Emerging Technologies"),
    "FL": ("cs.FL", "Formal Languages and Automata Theory"),
    "GL": ("cs.GL", "General Literature"),
    "GN": ("q-bio.GN", "Genomics"),
    "GR": ("cs.GR", "Graphics"),
    "GT": ("cs.GT", "Computer Science and Game Theory"),
    "HC": ("cs.HC", "Human-Computer Interaction"),
    "IR": ("cs.IR", "Information Retrieval"),
    "IT": ("cs.IT", "Information Theory"),
    "LG": ("cs.LG", "Machine Learning"),
    "LO": ("cs.LO", "Logic in Computer Science"),
    "MA": ("cs.MA", "Multiagent Systems"),
    "ML": ("stat.ML", "Machine Learning"),
    "MM": ("cs.MM", "Multimedia"),
    "MS": ("cs.MS", "Mathematical Software"),
    "NA": ("cs.NA", "Numerical Analysis"),
    "NE": ("cs.NE", "Neural and Evolutionary Computing"),
    "NI": ("cs.NI", "Networking and Internet Architecture"),
    "OH": ("cs.OH", "Other Computer Science"),
    "OS": ("cs.OS", "Operating Systems"),
    "PF": ("cs.PF", "Performance"),
    "PL": ("cs.PL", "Programming Languages"),
    "RO": ("cs.RO", "Robotics"),
    "SC": ("cs.SC", "Symbolic Computation"),
    "SD": ("cs.SD", "Sound"),
    "SE": ("cs.SE", "Software Engineering"),
    "SI": ("cs.SI", "Social and Information Networks"),
    "SY": ("cs.SY", "Systems and Control"),
}

# FTS5 columns of papers_fts that the text fields search.
Column = Literal["title", "authors", "affiliations", "abstract"]
ALL_COLUMNS: tuple[Column, ...] = ("title", "authors", "affiliations", "abstract")
# A word to highlight, the columns its search read (`title:su(2)` highlights su in
# titles alone, `author:suzuki` in the authors, a bare word everywhere) and whether it
# was searched as a prefix (the last word typed, `author:`): else only the word itself
# is highlighted, as the index matched it ("su" is not "Superconformal").
Highlight = tuple[str, tuple[Column, ...], bool]

# A prefix in a phrase shorter than this expands to too many index terms to stay fast
# (a lone word is expanded from its first letter: paperdesk.search).
MIN_PREFIX = 3

# Highest and lowest years `year:` accepts; anything else is a typo.
_YEARS = range(1000, 10000)


@dataclass(frozen=True)
class Text:
    """Words matched through the full-text index, as one quoted FTS5 string."""

    text: str
    columns: tuple[Column, ...] = ALL_COLUMNS
    prefix: bool = False


@dataclass(frozen=True)
class Verbatim:
    """Text that the page itself holds (any case of A-Z), in one of `columns`: the
    symbols the index drops (`c++`: the index holds the word c), checked on the text."""

    text: str
    columns: tuple[Column, ...] = ALL_COLUMNS


@dataclass(frozen=True)
class Author:
    """A listed author's name: records.name_pieces of the typed text, each starting a word
    of one name, in order. `keys`: the people it names (people.key), when the search
    has looked them up and found few (paperdesk.search.people), named on at most
    `papers` papers; None: not looked up, each paper's people are tested instead."""

    pieces: tuple[str, ...]
    keys: tuple[str, ...] | None = None
    papers: int = 0


@dataclass(frozen=True)
class Profile:
    """Papers on the page of a researcher whose name contains `name` (casefolded)."""

    name: str


@dataclass(frozen=True)
class Category:
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Year:
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Code:
    has_code: bool


@dataclass(frozen=True)
class Doubtful:
    """`is:doubtful`: papers whose title/author split the parser was not sure of."""


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


UserKind = Literal["starred", "unread", "reading", "read", "rating", "tag", "note"]


@dataclass(frozen=True)
class UserFilter:
    """A test on the user's own data (paperdesk.userdata): stars, read state, ratings...

    `text` is the tag or the note text; `low`/`high` bound a rating (inclusive).
    """

    kind: UserKind
    text: str = ""
    low: int | None = None
    high: int | None = None


Node = (Text | Verbatim | Author | Profile | Category | Year | Code | Doubtful | UserFilter
        | Not | And | Or)


@dataclass(frozen=True)
class Query:
    """A compiled query: `root` is None when every paper matches."""

    root: Node | None
    ignored: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    highlights: tuple[Highlight, ...] = ()  # the terms with the columns that searched them

    @property
    def reads_user_data(self) -> bool:
        """Whether the query tests the user's notes (is:starred, rating:, tag:, note:):
        its answer changes when they do."""
        return _uses_user_data(self.root)

    @property
    def only_doubtful(self) -> bool:
        """Whether every paper the query finds is doubtful (`is:doubtful`, alone or with
        more to match: `is:doubtful c++`): it searches within "Needs review"."""
        return _only_doubtful(self.root)


def _uses_user_data(node: Node | None) -> bool:
    if isinstance(node, UserFilter):
        return True
    if isinstance(node, Not):
        return _uses_user_data(node.child)
    if isinstance(node, And | Or):
        return any(_uses_user_data(child) for child in node.children)
    return False


def _only_doubtful(node: Node | None) -> bool:
    if isinstance(node, Doubtful):
        return True
    if isinstance(node, And):
        return any(_only_doubtful(child) for child in node.children)
    if isinstance(node, Or):
        return all(_only_doubtful(child) for child in node.children)
    return False


# ---------------------------------------------------------------- lexing

MAX_QUERY_CHARS = 1000
MAX_PARTS = 64  # words, fields and quoted phrases
MAX_DEPTH = 16  # nested "(" and "-"

_FIELDS = {
    "author": "author",
    "authors": "author",
    "title": "title",
    "abstract": "abstract",
    "cat": "cat",
    "category": "cat",
    "year": "year",
    "code": "code",
    "affil": "affil",
    "affiliation": "affil",
    "affiliations": "affil",
    "profile": "profile",
    "is": "is",
    "rating": "rating",
    "tag": "tag",
    "tags": "tag",
    "note": "note",
    "notes": "note",
}
# One name of each field, for the note on a field that does not exist.
FIELD_NAMES = ("author", "title", "abstract", "affil", "profile", "cat", "year", "code",
               "is", "rating", "tag", "note")
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
# `name:value` meant as a field that does not exist (`journal:nature`, `venue:>=2`): a
# name of three letters or more, as fields have, and a value that starts with a letter
# or a comparison. Not a URL (`https://...`), a chemical or a crystal (`Nd:YAG`,
# `Ti:sapphire`) or an identifier (`arXiv:2101.00001`): those are words with a colon.
_UNKNOWN_NAME = re.compile(r"[A-Za-z]{3,}")
_UNKNOWN_VALUE = re.compile(r"[^\W\d_]|[<>=]")
_WORD_END = re.compile(r'[\s()"]')


@dataclass(frozen=True)
class _Token:
    kind: Literal["(", ")", "or", "and", "-", "word"]
    raw: str
    value: str = ""
    field: str | None = None
    quoted: bool = False
    unclosed: bool = False  # a quote left open at the end of the text


def _read_quoted(text: str, start: int) -> tuple[str, int, bool]:
    """The text inside the quote opening at `start`, the index after it, and if it was left open."""
    end = text.find('"', start + 1)
    if end < 0:
        return text[start + 1 :], len(text), True
    return text[start + 1 : end], end + 1, False


def _read_word(text: str, start: int, notes: list[str]) -> tuple[list[_Token], int]:
    found = _WORD_END.search(text, start)
    end = found.start() if found else len(text)
    raw = text[start:end]
    field = _FIELD_RE.fullmatch(raw)
    quote_next = end < len(text) and text[end] == '"'
    if field and field.group(1).lower() not in _FIELDS and _UNKNOWN_NAME.fullmatch(
            field.group(1)) and (quote_next or _UNKNOWN_VALUE.match(field.group(2))):
        return _unknown_field(text, start, field.group(1), field.group(2), notes)
    if not field or field.group(1).lower() not in _FIELDS:
        if raw == "OR":
            return [_Token("or", raw)], end
        if raw == "AND":
            return [_Token("and", raw)], end
        if raw == "NOT":  # upper case only, like OR: "NOT survey" is "-survey"
            return [_Token("-", raw)], end
        return [_Token("word", raw, raw)], end
    name, value = _FIELDS[field.group(1).lower()], field.group(2)
    if not value and quote_next:
        value, end, unclosed = _read_quoted(text, end)
        return [_Token("word", text[start:end], value, name, True, unclosed)], end
    return [_Token("word", raw, value, name)], end


def _unknown_field(text: str, start: int, name: str, value: str,
                   notes: list[str]) -> tuple[list[_Token], int]:
    """`journal:nature`: no such field, so its words are searched as words (`journal
    nature`), and the note says so. A bare `BERT:` (a pasted title) is a plain word."""
    end = start + len(name) + 1 + len(value)
    tokens = [_Token("word", name, name)]
    if value:
        tokens.append(_Token("word", value, value))
    else:
        value, end, unclosed = _read_quoted(text, end)
        tokens.append(_Token("word", text[start + len(name) + 1 : end], value, None, True,
                             unclosed))
    close = difflib.get_close_matches(name.lower(), list(_FIELDS), n=1, cutoff=0.7)
    hint = f"did you mean {close[0]}:?; " if close else ""
    shown = " ".join(token.raw for token in tokens)
    notes.append(f'"{name}:" is not a field ({hint}fields: {", ".join(FIELD_NAMES)}); '
                 f"searched the words {shown} instead")
    return tokens, end


def _lex(text: str, notes: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    parts = 0
    i = 0
    while i < len(text):
        if parts == MAX_PARTS and not (text[i].isspace() or text[i] in "()"):
            notes.append(f"ignored the rest of the query after {MAX_PARTS} words: "
                         f"{_clip(text[i:].strip())}")
            break
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char))  # type: ignore[arg-type]
            i += 1
        elif char == "-":
            if i + 1 < len(text) and not text[i + 1].isspace():
                tokens.append(_Token("-", "-"))
            else:
                notes.append('ignored "-" (nothing after it to exclude)')
            i += 1
        elif char == '"':
            value, end, unclosed = _read_quoted(text, i)
            tokens.append(_Token("word", text[i:end], value, None, True, unclosed))
            parts += 1
            i = end
        else:
            read, i = _read_word(text, i, notes)
            tokens.extend(read)
            parts += sum(token.kind == "word" for token in read)
    return tokens


# ---------------------------------------------------------------- values


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def fold(text: str) -> str:
    """Casefolded, accents removed: how names and category words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_STOP = {"and", "in", "of", "the"}
_SPLIT = re.compile(r"[\W_]+")


def words(text: str) -> tuple[str, ...]:
    """Words as the full-text index sees them: runs of letters and digits."""
    return tuple(word for word in _SPLIT.split(text) if word)


_CATEGORY_WORDS = {
    code: set(words(fold(name))) - _STOP for code, (_, name) in CATEGORY_NAMES.items()
}


def category_codes(value: str) -> tuple[str, ...]:
    """The codes `cat:value` means: a code, a full code, or words starting words of names."""
    if categories.meanings(value.strip()):  # `hep-th`, `mes-hall`, `cond-mat.mes-hall`
        return (categories.short_form(value.strip()),)
    code = value.strip().rsplit(".", 1)[-1].upper()
    if code in CATEGORY_NAMES:
        return (code,)
    wanted = words(fold(value))
    found = tuple(
        code
        for code, names in _CATEGORY_WORDS.items()
        if wanted and all(any(name.startswith(word) for name in names) for word in wanted)
    )
    if found or not code.isalpha():
        return found
    return (code,)  # a code missing from the table still matches itself


def _known_code(code: str) -> bool:
    return code in CATEGORY_NAMES or categories.is_known(code)


@functools.cache
def _category_hints() -> dict[str, str]:
    """What a mistyped `cat:` value may have meant: folded text -> how to write it."""
    hints = {fold(categories.short_form(code)): categories.short_form(code)
             for code in categories.taxonomy()}
    hints.update({word: word for names in _CATEGORY_WORDS.values() for word in names})
    return hints


def _unknown_category(token: _Token, value: str, codes: tuple[str, ...]) -> str:
    """No arXiv category has that code or name: say so, with the close ones."""
    hints = _category_hints()
    close = difflib.get_close_matches(fold(value.strip()), list(hints), n=3, cutoff=0.7)
    hint = f" (did you mean {' or '.join('cat:' + hints[c] for c in close)}?)" if close else ""
    if not codes:
        return f"no category matches {_show(token)}{hint}"
    return (f"{_show(token)} is not an arXiv category code or name{hint}: only papers "
            f"whose page shows the code {codes[0]} match")


_YEAR_RANGE = re.compile(r"(\d{4})?\.\.(\d{4})?")
_YEAR_CMP = re.compile(r"(>=|<=|>|<|=)?(\d{4})")


def parse_year(value: str) -> Year | None:
    """`2023`, `2021..2024`, `2021..`, `..2024`, `>=2024`, `>2023`, `<2020`, `<=2020`."""
    year = _parse_year(value.strip())
    if year is not None and year.high is not None and year.high >= LAST_YEAR:
        return Year(year.low or 0, None)  # dates have four-digit years: 9999 bounds nothing
    return year


LAST_YEAR = 9999


def _parse_year(value: str) -> Year | None:
    if ranged := _YEAR_RANGE.fullmatch(value):
        low, high = (int(v) if v else None for v in ranged.groups())
        if low is None and high is None:
            return None
        return Year(low, high)
    if not (compared := _YEAR_CMP.fullmatch(value)):
        return None
    op, year = compared.group(1) or "=", int(compared.group(2))
    return {
        "=": Year(year, year),
        ">=": Year(year, None),
        ">": Year(year + 1, None),
        "<=": Year(None, year),
        "<": Year(None, year - 1),
    }[op]


_RATING = re.compile(r"(>=|<=|>|<|=)?([0-9])")
_STATES: dict[str, UserKind] = {"starred": "starred", "star": "starred", "unread": "unread",
                                "reading": "reading", "read": "read"}


def parse_rating(value: str) -> UserFilter | None:
    """`4`, `=4`, `>=4`, `>3`, `<3`, `<=2`: a rating of 1 to 5 stars; None for one no
    rating can have (`rating:>5`, `rating:<1`)."""
    compared = _RATING.fullmatch(value.strip())
    if not compared or not 1 <= int(compared.group(2)) <= 5:
        return None
    op, stars = compared.group(1) or "=", int(compared.group(2))
    low, high = {"=": (stars, stars), ">=": (stars, 5), ">": (stars + 1, 5),
                 "<=": (1, stars), "<": (1, stars - 1)}[op]
    return UserFilter("rating", low=low, high=high) if low <= high else None


def _state(value: str) -> UserFilter | None:
    kind = _STATES.get(value.strip().lower())
    return None if kind is None else UserFilter(kind)


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

_TEXT_COLUMNS: dict[str | None, tuple[Column, ...]] = {
    None: ALL_COLUMNS,
    "title": ("title",),
    "abstract": ("abstract",),
    "affil": ("affiliations",),
}


# ---------------------------------------------------------------- parsing


class _Parser:
    """Recursive descent over the tokens; every mistake becomes a note, never an error.

    Grammar: query := or*; or := and ("OR" and)*; and := unary+;
    unary := "-" unary | "(" query ")" | word.
    """

    def __init__(self, tokens: list[_Token], notes: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.notes = notes
        self.terms: list[Highlight] = []
        self.negated = 0  # how many "-" enclose the node being parsed
        self.depth = 0  # how many "-" and "(" enclose it
        self.last_word = max((i for i, t in enumerate(tokens) if t.kind == "word"), default=-1)

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Node | None:
        parts: list[Node] = []
        while self.peek() is not None:
            if (node := self.parse_or()) is not None:
                parts.append(node)
            token = self.peek()
            if token is not None and token.kind == ")":
                self.notes.append('ignored ")" (no "(" before it)')
                self.pos += 1
        return _and(parts)

    def parse_or(self) -> Node | None:
        """Alternatives up to the next ")" or the end; an OR missing a side is dropped."""
        options: list[Node] = []
        pending = False  # an OR was read and still waits for its right side
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "or":
                self.pos += 1
                if not options or pending:
                    self.notes.append('ignored "OR" (nothing before it)')
                pending = bool(options)
            elif (node := self.parse_and()) is not None:
                options.append(node)
                pending = False
        if pending:
            self.notes.append('ignored "OR" (nothing after it)')
        if len(options) > 1:
            return Or(tuple(options))
        return options[0] if options else None

    def parse_and(self) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in (")", "or"):
            if (node := self.parse_unary()) is None:
                continue
            if token.kind == "word" and isinstance(node, And):  # `c++`: its word and text
                parts.extend(node.children)  # each a top-level clause, as typed apart
            else:
                parts.append(node)
        return _and(parts)

    def parse_unary(self) -> Node | None:
        token = self.tokens[self.pos]
        self.pos += 1
        if token.kind == "and":
            return None
        if token.kind in ("-", "(") and self.depth >= MAX_DEPTH:
            self.notes.append(f'ignored "{token.kind}" nested more than {MAX_DEPTH} deep')
            return None
        self.depth += 1
        try:
            return self._unary(token)
        finally:
            self.depth -= 1

    def _unary(self, token: _Token) -> Node | None:
        if token.kind == "-":
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "or", "and"):
                self.notes.append(f'ignored "{token.raw}" (nothing after it to exclude)')
                return None
            self.negated += 1
            child = self.parse_unary()
            self.negated -= 1
            return Not(child) if child is not None else None
        if token.kind == "(":
            return self.parse_group()
        return self.word(token, self.pos - 1 == self.last_word)

    def parse_group(self) -> Node | None:
        node = self.parse_or()
        closed = self.peek() is not None
        self.pos += closed
        if node is None:
            self.notes.append(
                'ignored "()" (nothing inside)' if closed else 'ignored "(" (at the end)'
            )
        elif not closed:
            self.notes.append('assumed a missing ")" at the end')
        return node

    def word(self, token: _Token, last: bool) -> Node | None:
        if token.unclosed:
            self.notes.append(f'assumed the missing closing quote: {token.raw}"')
        value = token.value.strip()
        if not _has_word(value):
            self.notes.append(f"ignored {_show(token)} ({_missing(token)})")
            return None
        if token.field in _TEXT_COLUMNS:
            prefix = (last and (not token.quoted or token.unclosed) and _prefixable(value)
                      and not _ended(value))
            columns = _TEXT_COLUMNS[token.field]
            text = Text(self.term(value, columns, prefix, phrase=token.quoted), columns, prefix)
            verbatim = [Verbatim(chunk, columns) for chunk in _symbolic(value)]
            return And((text, *verbatim)) if verbatim else text
        if token.field == "author":  # a space typed after the last word counts
            pieces = tuple(name_pieces(self.term(token.value.lstrip(), ("authors",), True)))
            if not pieces:
                self.notes.append(f"ignored {_show(token)} (no letters or digits)")
                return None
            return Author(pieces)
        if token.field == "profile":  # the page's owner: named in the authors
            return Profile(fold(self.term(value, ("authors",), True)))
        if token.field == "cat":
            codes = category_codes(value)
            if not codes or any(not _known_code(code) for code in codes):
                self.notes.append(_unknown_category(token, value, codes))
            return Category(codes)
        if token.field == "year":
            return self.year(value, token)
        if token.field == "is":
            if value.strip().lower() == "doubtful":
                return Doubtful()
            return self.checked(_state(value), token,
                                "use is:starred, is:unread, is:reading, is:read or is:doubtful")
        if token.field == "rating":
            return self.checked(parse_rating(value), token,
                                "use rating:1 to rating:5, or rating:>=4 (also >, <, <=)")
        if token.field == "tag":
            return UserFilter("tag", " ".join(value.split()))
        if token.field == "note":
            return UserFilter("note", value)
        return self.checked(_code(value), token, "use code:yes or code:no")

    def term(self, value: str, columns: tuple[Column, ...], prefix: bool,
             phrase: bool = False) -> str:
        """Record the words of `value` for highlighting in `columns` unless they sit under
        a "-"; a quoted phrase is one term (its words are highlighted together)."""
        if not self.negated:
            found = words(value)
            self.terms.extend((term, columns, prefix)
                              for term in ([" ".join(found)] if phrase and found else found))
        return value

    def year(self, value: str, token: _Token) -> Node | None:
        """A range written backwards (`year:2024..2020`) is read the right way round."""
        year = parse_year(value)
        if year is not None and year.low is not None and year.high is not None and (
                year.low > year.high):
            year = Year(year.high, year.low)
            self.notes.append(f"read {_show(token)} as year:{year.low}..{year.high}")
        return self.checked(year, token, "not a year or a range of years")

    def checked(self, node: Node | None, token: _Token, why: str) -> Node | None:
        if node is None:
            self.notes.append(f"ignored {_show(token)} ({why})")
        return node


def _clip(text: str, size: int = 40) -> str:
    return f'"{text}"' if len(text) <= size else f'"{text[:size]}…"'


def _show(token: _Token) -> str:
    return token.raw if token.quoted else f'"{token.raw}"'


def _missing(token: _Token) -> str:
    if token.field is None:
        return "nothing inside" if token.quoted else "no letters or digits"
    if token.value.strip():
        return "no letters or digits"
    return {"author": "no name given", "profile": "no name given"}.get(
        token.field, "no value given"
    )


# Symbols the index drops that make a word another word at its edge: `c++`, `c#`,
# `@home`, `100%` (punctuation, brackets, `$` of LaTeX and the `*` of a prefix do not).
_NAMING = "+#@&%"


def _symbolic(value: str) -> list[str]:
    """The words of `value` the index cannot tell apart from their letters alone: those
    with naming symbols at an edge (`c++` is the word c to the index)."""
    return [chunk for chunk in value.split()
            if words(chunk) and (chunk[0] in _NAMING or chunk[-1] in _NAMING)]


def _ended(value: str) -> bool:
    """A word followed by symbols (`c++`, `models,`) has been typed to its end: it is
    not a prefix (`c++` is not every word starting with c). A `*` asks for one."""
    last = value.rstrip()[-1:]
    # a combining mark ends a word being typed too (`cafe` + U+0301, Arabic vowel signs)
    return not (last.isalnum() or last == "*" or unicodedata.category(last or " ")[0] == "M")


def _prefixable(value: str) -> bool:
    """Long enough for a prefix search: a lone word from its first letter (the search
    expands it through the store's vocabulary); the last word of a phrase, which FTS5
    expands to every indexed word it starts, from MIN_PREFIX letters."""
    found = words(value)
    return len(found[-1]) >= (1 if len(found) == 1 else MIN_PREFIX)


def _code(value: str) -> Code | None:
    value = value.lower()
    return Code(True) if value in _YES else Code(False) if value in _NO else None


def _and(parts: list[Node]) -> Node | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def compile_query(text: str) -> Query:
    """Compile search-box text. Never raises: what cannot be read is noted in `ignored`."""
    notes: list[str] = []
    text = text.replace("\x00", " ")  # FTS5 reads a NUL as the end of the query
    if len(text) > MAX_QUERY_CHARS:
        notes.append(f"ignored the query after its first {MAX_QUERY_CHARS} characters: "
                     f"{_clip(text[MAX_QUERY_CHARS:].strip())}")
        text = text[:MAX_QUERY_CHARS]
    parser = _Parser(_lex(text, notes), notes)
    root = parser.parse()
    terms: dict[str, str] = {}
    columns: dict[str, set[Column]] = {}
    prefixes: set[str] = set()
    for term, searched, prefix in parser.terms:
        terms.setdefault(term.casefold(), term)
        columns.setdefault(term.casefold(), set()).update(searched)
        if prefix:
            prefixes.add(term.casefold())
    highlights = tuple((term, tuple(c for c in ALL_COLUMNS if c in columns[key]),
                        key in prefixes) for key, term in terms.items())
    return Query(root, _counted(notes), tuple(terms.values()), highlights)


def _counted(notes: list[str]) -> tuple[str, ...]:
    """Each note once, in the order met, saying first how often it applied when more
    than once (`OR OR x`: '2 times: ignored "OR" (nothing before it)')."""
    counts = Counter(notes)
    return tuple(note if counts[note] == 1 else f"{counts[note]} times: {note}"
                 for note in counts)
