"""Author lines and the shapes of names, shared by both page layouts. Pure.

An author line is `Name, Name, Name et al. · affiliation, affiliation`. arXiv's
own marks may appear in it: an asterisk after a name (equal contribution,
`Jue-Min Tsai*`) and a lone colon between a collaboration and its members
(`Acme Seed, :, Wen Hou`). Marks are not part of a name: the asterisk is
removed from the name and the colon piece is dropped (README: "Author lines").
An author's affiliation in parentheses after the name, as arXiv's author lines
write it (`Fei Han (NUS)`), is not part of the name either: it joins the entry's
affiliations (see name_and_note).

Every function here is linear in the length of its input: no regular
expression that can backtrack over a run of spaces is searched (not matched
from the start) on page text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

MAX_NAME_WORDS = 8  # `L. D. M. S. Rao Teja` has six
MAX_NAME_CHARS = 160
# Entries of each cache of what one name word (or one name) is. Names recur within a
# page and from one page to the next; beyond that few words come back in time. A
# parsing process with five caches of 65,536 entries grew to 110 MB over 20,000 pages
# of a generated million-paper corpus, and to 56 MB with 8,192, in the same CPU time
# (README, "Session 23: a parsing process's memory").
WORDS_KEPT = 8192

_NAME_WORD = re.compile(r"['\u2019-]?[^\W\d_][\w'\u2019.\-]*")
_STARTS_INITIAL = re.compile(r"[^\W\d_][a-z]?(?:-[^\W\d_])?\.")  # `K.`, `Ph.`, `M.D.Gould`
_MARK = "*"
DASHES = frozenset({"--", "---", "\u2013", "\u2014"})  # TeX's and Unicode's, not `-`
_particles: frozenset[str] | None = None  # see particles()
_INITIAL_PARTS = re.compile(r"[.\-]")
# A surname written with its particle glued on (`VanderMeer`, `DelaCruz`, `FitzGerald`):
# a particle or this.
SURNAME_PREFIX = "fitz"
# The last word of a collaboration's or a team's name (`Acme LongRange Team`, `The BABAR
# Collaboration`): the words before it are capitalised, product names with inner
# capitals among them, and there may be more of them than a person's name has.
ORGANISATION_WORDS = frozenset({
    "alliance", "association", "collaboration", "committee", "community", "consortium",
    "council", "experiment", "foundation", "group", "initiative", "institute", "lab",
    "laboratory", "labs", "network", "observatory", "organisation", "organization",
    "program", "programme", "project", "research", "society", "survey", "team"})
# What may follow a family name without being part of it (`E. S. Moreira Jr.`, `John
# Smith III`): generational suffixes, folded and without their full stop. Degrees
# (nameparser also lists `PhD`, `MD`) are not looked for; nor `V` and `I`, which it lists
# too and which are initials as often.
SUFFIXES = frozenset({"jr", "sr", "junior", "júnior", "senior"})
_ROLES = frozenset({"ed", "eds", "editor", "editors"})  # a note after a name: no affiliation
_LATIN_MORE, _LATIN_LAST = "\u00c0", "\u024f"  # Latin-1 Supplement to Latin Extended-B
ROMAN_SUFFIXES = frozenset({"II", "III", "IV"})  # in capitals: `Ii` is nobody's suffix


def particles() -> frozenset[str]:
    """Lower-case name particles (`van`, `de la`, `'t`), from nameparser's list of
    prefixes plus the conjunctions that join Iberian surnames (`e`, `y`). Prefixes
    written with a hyphen (`al-`, `at-`) are glued to the surname: not words here.
    nameparser's list lacks the Dutch `ten` (`Jan ten Brink`) beside its `ter`.

    nameparser is imported on first use (it costs ~0.1 s CPU): a build's parsing
    processes are given the list by the building process (`use_particles`)."""
    global _particles
    if _particles is None:
        from nameparser.config import CONSTANTS

        _particles = frozenset(p for p in CONSTANTS.prefixes if not p.endswith("-")) | {
            "e", "y", "i", "ten"}
    return _particles


def use_particles(given: frozenset[str]) -> None:
    """In a parsing process: `particles()` is `given` (the building process's list)."""
    global _particles
    _particles = given


def split_affiliations(text: str) -> tuple[str, tuple[str, ...]]:
    names, sep, tail = text.rpartition(" \u00b7 ")
    if not sep:
        return text.strip(), ()
    return names.strip(), tuple(a.strip() for a in tail.split(",") if a.strip())


def strip_et_al(text: str) -> tuple[str, bool]:
    """`A, B et al.` -> (`A, B`, True). Linear: no regex search over the line."""
    body = text.rstrip()
    for ending in ("et al.", "et al"):
        if body.endswith(ending):
            before = body[: -len(ending)]
            if not before or before[-1].isspace() or before[-1] == ",":
                return before.rstrip(" ,\t"), True
    return text, False


def clean_name(piece: str) -> str:
    """A name without arXiv's marks and extra spaces: `Jue-Min  Tsai*` -> `Jue-Min Tsai`."""
    if _MARK not in piece:  # the common case: no word to strip
        return " ".join(piece.split())
    return " ".join(word.strip(_MARK) for word in piece.split() if word.strip(_MARK))


def is_mark(piece: str) -> bool:
    """A piece of an author line that is only a mark (`:`, `*`), not a name."""
    if ":" not in piece and "*" not in piece:  # the common case: a name
        return False
    text = piece.strip()
    return bool(text) and all(c in ":*" for c in text)


@functools.lru_cache(maxsize=WORDS_KEPT)
def is_name_word(word: str) -> bool:
    return len(word) <= 60 and _NAME_WORD.fullmatch(word.strip(_MARK)) is not None


def is_name(name: str) -> bool:
    """Name words, or a dash written with spaces between two of them (`R.M.Mir --
    Kasimov`, as an author typed TeX's dash)."""
    if len(name) > MAX_NAME_CHARS:
        return False
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS:
        return False
    return all(is_name_word(w) for w in words) or (  # the common case first: no dash
        sum(w in DASHES for w in words) == 1 and words[0] not in DASHES
        and words[-1] not in DASHES and all(is_name_word(w) or w in DASHES for w in words))


@functools.lru_cache(maxsize=WORDS_KEPT)
def is_initial(word: str) -> bool:
    """`K.`, `T.S.`, `Ya.`, `W.-M.`, `T.A`, or a lone capital `Y`."""
    if len(word) > 12:
        return False
    if len(word) == 1:
        return word.isupper()
    if "." not in word:
        return False
    parts = [p for p in _INITIAL_PARTS.split(word) if p]
    return bool(parts) and all(len(p) <= 2 and p[0].isupper() and (len(p) == 1 or p[1].islower())
                               for p in parts)


def is_organisation_word(word: str) -> bool:
    return word[:1].isupper() and word.casefold() in ORGANISATION_WORDS


def is_suffix(word: str) -> bool:
    """`Jr.`, `Sr`, `Júnior`, `III`: a generational suffix, not the family name."""
    return word in ROMAN_SUFFIXES or word.rstrip(".").casefold() in SUFFIXES


def starts_with_initial(word: str) -> bool:
    return _STARTS_INITIAL.match(word) is not None


@functools.lru_cache(maxsize=WORDS_KEPT)
def is_particle(word: str) -> bool:
    return (word[:1].islower() or word[:1] in "'\u2019") and word.casefold() in particles()


def name_and_note(piece: str) -> tuple[str, str]:
    """`Fei Han (NUS)` -> (`Fei Han`, `NUS`); (piece, '') when no note ends it.

    arXiv's author lines write an author's affiliation in parentheses after the name
    (`Stefan Forste (U.Bonn)`). Other notes are no affiliation: a generational suffix
    is the name's (`John Smith (Jr.)` -> `John Smith Jr.`); a note with no letter in it
    (`(1)`, a footnote number whose legend is not on the page) or an editor's role
    (`(ed.)`) is a mark, as `*` is: removed; a note in another script (`Wei Wang
    (王伟)`, the name written in Chinese) is left in the piece, which is then no name
    (the entry is refused with its line, as before notes were read)."""
    text = piece.rstrip()
    if not text.endswith(")"):
        return piece, ""
    opening = text.rfind("(")
    name, note = text[:opening].rstrip(), text[opening + 1:-1].strip()
    if opening <= 0 or not name or "(" in note or ")" in note:
        return piece, ""
    if is_suffix(note):
        return f"{name} {note}", ""
    if not any(c.isalpha() for c in note) or note.casefold().rstrip(".") in _ROLES:
        return name, ""
    return (name, note) if any(c.isascii() or _LATIN_MORE <= c <= _LATIN_LAST
                               for c in note if c.isalpha()) else (piece, "")


def with_notes(affiliations: tuple[str, ...], notes: Iterable[str]) -> tuple[str, ...]:
    """The entry's affiliations: the line's own (after ` · `), then the authors' notes,
    each once, in order."""
    notes = [note for note in notes if note]
    return tuple(dict.fromkeys((*affiliations, *notes))) if notes else affiliations


def author_names(names_part: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The names of an author line's name part, marks removed, and the notes after
    them (`Fei Han (NUS)`: see name_and_note); None if one is not a name."""
    names, notes = [], []
    for piece in names_part.split(","):
        if not piece.strip() or is_mark(piece):
            continue
        name, note = clean_name(piece), ""
        if name.endswith(")"):  # rare: no call for the others (a hot path)
            name, note = name_and_note(name)
        if not is_name(name):
            return None
        names.append(name)
        notes.append(note)
    return (tuple(names), tuple(notes)) if names else None
