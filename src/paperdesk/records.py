"""Plain records that flow from the parser to the store.

The parser produces these from page text; nothing here touches files, SQL or Qt.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from anyascii import anyascii

from paperdesk.names import (
    ORGANISATION_WORDS,
    ROMAN_SUFFIXES,
    SUFFIXES,
    WORDS_KEPT,
    is_initial,
    is_organisation_word,
    is_particle,
    is_suffix,
)

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input, located as precisely as we can."""

    source: str
    line: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Entry:
    """One paper as a page lists it.

    `year` is None when the page showed the date without a year; the build fills
    in the capture year and records that it was inferred. `confidence` says how
    sure the parser is of the title/author split (1.0 when the layout gives it);
    a `doubtful` entry was reported with a warning and is marked in the store.
    """

    line: int
    category: str
    month: int
    day: int
    year: int | None
    has_code: bool
    score: float | None
    title: str
    authors: tuple[str, ...]
    et_al: bool
    affiliations: tuple[str, ...]
    abstract: str
    confidence: float = 1.0
    doubtful: bool = False

    @property
    def year_inferred(self) -> bool:
        return self.year is None

    def iso_date(self, capture_year: int) -> str:
        return f"{self.year or capture_year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Header:
    """The optional figures at the top of a page; a figure the page lacks is None."""

    name: str | None = None
    field: str | None = None
    h_index: int | None = None
    paper_count: int | None = None
    citations: int | None = None
    novelty: int | None = None
    ai_score: int | None = None
    listed: int | None = None  # the "N Papers" line: how many entries follow


@dataclass(frozen=True)
class Page:
    """One parsed page: header, good entries and every problem found."""

    source: str
    header: Header
    name: str | None
    name_inferred: bool
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = field(default=())


_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")


def person_key(name: str) -> str:
    """One key per person: `ziru Liu` and `Ziru  Liu` are the same person."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


def name_order(name: str) -> str:
    """What names sort by: their letters, accents and case folded (`Álvaro` with the
    a's, `Øyvind` with the o's), as the author list orders them (paperdesk.people_order)."""
    return (name if name.isascii() else anyascii(unicodedata.normalize("NFKC", name))).casefold()


# A last word that may not be the family name (but for an initial: `Y`, `W.-M.`), folded.
_ENDS_OTHERWISE = SUFFIXES | ORGANISATION_WORDS | {w.casefold() for w in ROMAN_SUFFIXES}


@functools.lru_cache(maxsize=WORDS_KEPT)
def name_sort(name: str) -> str:
    """What names sort by, the one rule of the paper table's Authors and of the author
    list's names (after paper counts): the family name first, then the name's other
    words as written (given names, then particles), then a suffix, folded as
    name_order folds: `Wei Wang` as `wang wei`, `Pieter van den Broek` as `broek pieter
    van den` (calibre's and Chicago's order, so that `Van Den Broek` sorts with him:
    README "Sorting by author"), `E. S. Moreira Jr.` as `moreira e. s. jr.`. Initials
    after a word say the family name came first: `Li W.-M.` as `li w.-m.`, `van der
    Maaten L.` as `maaten l. van der`. An organisation (`LHCb Collaboration`) and a
    one-word name sort as written. Cached: a page's owner is on most of its entries."""
    words = name.split()
    last = words[-1] if words else ""
    if len(words) > 1 and len(last) > 1 and "." not in last and \
            last.casefold() not in _ENDS_OTHERWISE:  # `Wei Wang`: most names, at once
        return name_order(" ".join([last, *words[:-1]]))
    end = len(words)
    while end > 1 and is_suffix(words[end - 1]):
        end -= 1
    if end < 2 or is_organisation_word(words[end - 1]):
        return name_order(" ".join(words))
    family = end - 1
    if is_initial(words[family]) and not is_initial(words[0]):
        family = 0
        while family < end - 2 and is_particle(words[family]):
            family += 1
    return name_order(" ".join([words[family], *words[family + 1:end], *words[:family],
                                *words[end:]]))


SORTED_AUTHORS = 3  # papers.author_sort holds the sort forms of this many first authors
AUTHORS_JOIN = " & "  # between them: below every letter, so `Wang` sorts before `Wang Wei`


def author_sort(authors: Sequence[str]) -> str:
    """papers.author_sort: the first SORTED_AUTHORS authors' name_sort, joined (calibre's
    author_sort), so that sorting by it orders papers by their first author's family
    name, then given names, then by the next authors likewise."""
    return AUTHORS_JOIN.join(name_sort(name) for name in authors[:SORTED_AUTHORS])


# What parts a name's words besides a space (`Jean-Pierre`, `J.Wang`, `O'Neil`); the
# author list's filter matches where a word starts.
_WORD_MARKS = str.maketrans("-.'", "   ")
# words_of_order in SQL, of a column holding name_order(name): the same replaces in turn
# (the build fills the author list's `words` so, an import a few people at a time in Python).
NAME_WORDS_SQL = ("' ' || replace(replace(replace(replace({}, '-', ' '), '.', ' '),"
                  " '''', ' '), '  ', ' ') || ' '")


def words_of_order(order: str) -> str:
    """name_words of the name whose name_order is `order`."""
    return " " + order.translate(_WORD_MARKS).replace("  ", " ") + " "


def name_words(name: str) -> str:
    """A name as the author list's filter reads it: name_order's letters, `-`, `.` and
    `'` read as spaces, a space before each word and after the last (see name_pieces)."""
    return words_of_order(name_order(name))


def name_pieces(text: str) -> list[str]:
    """What a filter `text` looks for in name_words, in order: each of its words after
    a space, so that each word starts a word of the name, the next one further on
    (`wang` finds Wei Wang and not Hwang, `j. lian` and `j lian` find Jianxun Lian, `bo
    zh` Bo Zhang), accents and case folded; a space typed after the last word asks for
    that whole word (`li ` finds Li Wei and not Lina). [] for no words."""
    words = name_order(text).translate(_WORD_MARKS).split()
    pieces = [" " + word for word in words]
    if pieces and text[-1:].isspace():
        pieces[-1] += " "
    return pieces


def name_matches(words: str, pieces: list[str]) -> bool:
    """Whether name_words `words` hold `pieces` (name_pieces) in order, as SQL's
    `words LIKE '%' || piece || '%' || piece ... || '%'` finds them."""
    at = 0
    for piece in pieces:
        found = words.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def title_key(title: str) -> str:
    """Normalised title: case, accents' composition, spacing and punctuation ignored."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def paper_id(title: str) -> str:
    """Stable paper id: the same title gives the same id in every build."""
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:16]


def entry_key(title: str, authors: tuple[str, ...] | list[str]) -> str:
    """One key per entry of a page, wherever its title/author seam is put: the title and
    the authors run together with every non-word character dropped (a user's correction
    of the seam is kept under it, paperdesk.corrections)."""
    text = _NON_WORD.sub("", unicodedata.normalize("NFKC", title + "".join(authors)).casefold())
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
