"""The forms a person's name is written in, and which forms may be one person. Pure.

`Jianxun Lian`, `J. Lian`, `Jian-Xun Lian`, `Lian Jianxun`; `Müller`, `Muller`,
`Mueller`; `van der Berg`, `Van Der Berg`: a form is the family name's core
(particles apart, folded to ASCII by anyascii), its particles, and the given
name's parts (initials as one letter). Two written names are *compatible* when
one reading of each agrees (see `compatible`); that alone never makes them one
person: paperdesk.identities also asks the store for evidence.

`fullest` is the name a merged person is shown by: of its written forms, one whose
given names spell out what the others abbreviate (paperdesk.identity.apply).

`blocks` gives the cheap keys (family core + first initial) under which the
candidates of a name are found, so that only names sharing a key are compared.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from anyascii import anyascii

from paperdesk import names
from paperdesk.names import is_initial

# German (and Nordic) letters written two ways in ASCII: `Müller` is `Muller` or `Mueller`;
# `Ångström` is also `Angstroem` (only the umlaut spelled out) or `Aangstroem`.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_NORDIC = str.maketrans({"ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})
_PARTS = re.compile(r"[.\-\u2010\u2011]+")
_NOT_LETTER = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Form:
    """One reading of a written name: family core, its particles, the given parts."""

    family: str                 # folded, letters only: `berg`, `muller`, `lian`
    particles: str              # folded particles: `vander`, or ''
    given: tuple[str, ...]      # folded parts; an initial is one letter
    initials: bool              # some given part was written as an initial
    swapped: bool = False       # read family name first (`Lian Jianxun`)

    @property
    def block(self) -> str:
        return f"{self.family}|{self.given[0][0] if self.given else ''}"


def _fold_ways(word: str) -> tuple[str, ...]:
    """A word in ASCII letters, lower case; two spellings where German ones differ."""
    if word.isascii():
        lower = word.lower()
        return (lower if lower.isalpha() else _NOT_LETTER.sub("", lower),)
    umlauts = word.translate(_UMLAUTS)
    ways = (word, umlauts, umlauts.translate(_NORDIC))
    return tuple(dict.fromkeys(_NOT_LETTER.sub("", anyascii(w).lower()) for w in ways))


def _initial(word: str) -> bool:
    """`J.`, `J.-X.`, `Y`, in any case (a person key is folded to lower case)."""
    return (len(word) == 1 and word.isalpha()) or any(
        is_initial(w) for w in (word, word.upper(), word.capitalize()))


def _given_parts(words: list[str], way: int) -> tuple[tuple[str, ...], bool] | None:
    """The given name's parts, folded (`way` 1: German spellings, `Björn` as `bjoern`);
    None when a part has no letter."""
    parts: list[str] = []
    initials = False
    for word in words:
        if _initial(word):
            letters = [_fold_ways(p)[0] for p in _PARTS.split(word) if p]
            parts.extend(letter[:1] for letter in letters if letter)
            initials = True
            continue
        for piece in _PARTS.split(word):
            folded = _fold_ways(piece)[-1 if way else 0] if piece else ""
            if folded:
                parts.append(folded)
    return (tuple(parts), initials) if parts else None


@functools.lru_cache(maxsize=262_144)
def forms(name: str) -> tuple[Form, ...]:
    """Every reading of a written name (or of its person key): given names first, and,
    for two full words, family name first too; each German spelling of the family."""
    words = name.split()
    if len(words) < 2:
        return ()
    found: list[Form] = []
    for family_at_end in (True, False):
        if not family_at_end and (len(words) != 2 or any(_initial(w) for w in words)):
            break
        rest = words[:-1] if family_at_end else words[1:]
        family = words[-1] if family_at_end else words[0]
        particles: list[str] = []
        while family_at_end and len(rest) > 1 and rest[-1].casefold() in names.particles():
            particles.insert(0, rest.pop())
        particle_key = "".join(_fold_ways(p)[0] for p in particles)
        for way in (0, 1) if any(not w.isascii() for w in rest) else (0,):
            given = _given_parts(rest, way)
            if given is None:
                continue
            for core in _fold_ways(family.replace("-", "")):
                if core:
                    found.append(Form(core, particle_key, given[0], given[1],
                                      not family_at_end))
    return tuple(dict.fromkeys(found))


def blocks(name: str) -> set[str]:
    """The blocking keys of a name: family core and first initial, per reading; the
    same as `{f.block for f in forms(name)}`, without reading the whole name (a build
    writes them for every name of the store: plain loops, no generators, as they were
    0.4 G instructions of a build of the real pages' 13,115 names)."""
    words = name.split()
    if len(words) < 2:
        return set()
    found: set[str] = set()
    rest = words[:-1]
    while len(rest) > 1 and rest[-1].casefold() in names.particles():
        rest.pop()
    _add_blocks(found, words[-1], _first_letter(rest))
    if len(words) == 2 and not (_dotted_initial(words[0]) or _dotted_initial(words[1])):
        _add_blocks(found, words[0], _first_letter(words[1:]))
    return found


def _dotted_initial(word: str) -> bool:
    """An initial that `forms` reads so when a name of two words is read family first."""
    return ("." in word or len(word) == 1) and _initial(word)


def _add_blocks(found: set[str], family: str, first: str) -> None:
    """The blocks of `family` (its folded cores) under the given name's `first` letter."""
    if first:
        for core in _fold_ways(family.replace("-", "")):
            if core:
                found.add(f"{core}|{first}")


def _first_letter(words: list[str]) -> str:
    """The given name's first folded letter, as `forms` reads it ('' when none)."""
    for word in words:
        if word.isascii() and word[:1].isalpha():
            return word[0].lower()
        for piece in _PARTS.split(word):
            folded = _fold_ways(piece)[0] if piece else ""
            if folded:
                return folded[0]
    return ""


def _given_agree(a: Form, b: Form) -> bool:
    if not (a.initials or b.initials):
        return "".join(a.given) == "".join(b.given)  # Yu-Xuan, Yuxuan, Yu Xuan
    shorter, longer = sorted((a.given, b.given), key=len)
    if not shorter:
        return False
    for x, y in zip(shorter, longer, strict=False):
        if len(x) == 1 or len(y) == 1:
            if x[0] != y[0]:
                return False
        elif x != y:
            return False
    return True


def _agree(a: Form, b: Form) -> bool:
    if a.family != b.family:
        return False
    if a.particles and b.particles and a.particles != b.particles:
        return False
    return _given_agree(a, b)


def compatible(a: str, b: str) -> bool:
    """May the written names `a` and `b` be one person (by their forms alone)?"""
    return any(_agree(x, y) for x in forms(a) for y in forms(b))


def _says_more(x: Form, y: Form) -> bool:
    """Reading `x` spells out a given name `y` writes as an initial, or has one `y` lacks."""
    return len(x.given) > len(y.given) or any(
        len(a) > 1 and len(b) == 1 for a, b in zip(x.given, y.given, strict=False))


def fuller(a: str, b: str) -> bool:
    """Does the written name `a` spell out what `b` abbreviates, and `b` nothing that `a`
    abbreviates? `David Tskhakaya` over `D. Tskhakaya`, `Anna M. Rossi` over
    `A. M. Rossi` and over `Anna Rossi`; not `D. V. Tskhakaya` and `David Tskhakaya`
    (each says what the other does not). Names without initials are never fuller than
    one another: they agree only when they spell the same letters (`Jian-Xun Lian`,
    `Jianxun Lian`, `Lian Jianxun`, `Björn Berg`, `Bjorn Berg`)."""
    return any(_agree(x, y) and (x.initials or y.initials) and _says_more(x, y)
               and not _says_more(y, x) for x in forms(a) for y in forms(b))


def fullest(written: Iterable[tuple[str, int]]) -> str:
    """The name a person written several ways is shown by, from (written form, papers
    writing it): a form no other is `fuller` than, of those the one most papers write
    (then the first by code point, as the build's SQL ranks them). Forms of one person key
    differ by case and spacing only and are never fuller than one another: for them this
    is the form most papers write, the build's rule."""
    ranked = [name for name, _ in sorted(written, key=lambda w: (-w[1], w[0]))]
    return next((name for name in ranked
                 if not any(fuller(other, name) for other in ranked if other != name)),
                ranked[0])


def variant_class(a: str, b: str) -> str:
    """How two compatible names differ, in words (for the evidence shown to the user)."""
    if a.casefold() == b.casefold():
        return "case"
    pairs = [(x, y) for x in forms(a) for y in forms(b) if _agree(x, y)]
    if not pairs:
        return "different"
    x, y = pairs[0]
    if x.swapped != y.swapped:
        return "family name first"
    if x.initials != y.initials or (x.initials and x.given != y.given):
        return "initials"
    if x.particles != y.particles or _particle_case(a) != _particle_case(b):
        return "particles"
    if not (a.isascii() and b.isascii()):
        return "diacritics"
    if a.replace("-", "").replace(" ", "").casefold() == b.replace("-", "").replace(
            " ", "").casefold():
        return "hyphens and spaces"
    if _alnum(a) == _alnum(b):  # `A.K Kapoor`, `E. S. Moreira Jr.` (once "diacritics")
        return "punctuation and spaces"
    return "spelling"


def _alnum(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _particle_case(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if w.casefold() in names.particles())
