"""The arXiv category taxonomy, as pages show it.

A page shows a category without its archive prefix: `IR` for cs.IR, `mes-hall`
for cond-mat.mes-hall, and a whole archive as itself (`hep-th`). Some short
forms name several categories (`NA` is cs.NA or math.NA): the page's code is
kept as shown and `meanings` names every category it may be. The data is the
full taxonomy with names (data/arxiv_categories.json, from arXiv's own
arxiv-base package), retired archives included.

An ambiguous code is read by a *field* (`cs`, `math`, `physics`, `stat`, `q-bio`,
`q-fin`, `eess`, `econ`: arXiv's groups, every physics archive counting as
`physics`). A profile's field (`profile_field`) is the one its page header names
when the header's code belongs to one field; otherwise the field that the most
of its papers' codes may belong to (an ambiguous code counting for each of its
fields; only the fields the header's code may mean, when it names several); a
tie names none, and so a page of NA papers alone stays ambiguous. A paper's code is read by
the field of the profiles that list it when they agree (`paper_field`).

The user may say what an ambiguous code means, for one paper or for every paper of
a profile (kept in user data, paperdesk.userdata). A `Reading` holds what reads the
codes in one context, and the precedence is: the user's choice for the paper, then
their choice for the profile (the profiles listing the paper, when those that chose
agree), then the profile's field, else every category the code may be.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

_GROUPS = frozenset({"cs", "math", "stat", "q-bio", "q-fin", "eess", "econ"})
# Archives without a dot that are not physics: their own group (retired ones too).
_NOT_PHYSICS = {"cmp-lg": "cs", "alg-geom": "math", "dg-ga": "math", "funct-an": "math",
                "q-alg": "math", "bayes-an": "stat"}


@functools.cache
def taxonomy() -> dict[str, str]:
    """Every full arXiv code (`cs.IR`, `hep-th`, `cond-mat.mes-hall`) -> its name."""
    data = resources.files("paperdesk").joinpath("data/arxiv_categories.json")
    return dict(json.loads(data.read_text(encoding="utf-8"))["categories"])


def short_form(code: str) -> str:
    """`IR` for `cs.IR`, `hep-th` for `hep-th`: the form a page shows."""
    return code.split(".", 1)[1] if "." in code else code


@functools.cache
def _by_short() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code in taxonomy():
        found.setdefault(short_form(code), []).append(code)
    return {short: tuple(codes) for short, codes in found.items()}


def meanings(shown: str) -> tuple[tuple[str, str], ...]:
    """Every (full code, name) the code a page shows may stand for; () when unknown.

    A full code (`math.NA`) means itself."""
    names = taxonomy()
    if "." in shown:
        return ((shown, names[shown]),) if shown in names else ()
    return tuple((code, names[code]) for code in _by_short().get(shown, ()))


@functools.lru_cache(maxsize=4096)  # asked for every entry of every page
def is_known(shown: str) -> bool:
    return bool(meanings(shown))


def field_of(code: str) -> str:
    """The field (arXiv group) of a full code: `math` for math.NA, `physics` for
    hep-th and astro-ph.CO."""
    archive = code.split(".", 1)[0]
    return archive if archive in _GROUPS else _NOT_PHYSICS.get(archive, "physics")


def fields(shown: str) -> set[str]:
    """Every field the code a page shows may belong to."""
    return {field_of(code) for code, _ in meanings(shown)}


def profile_field(header_field: str | None,
                  counts: Iterable[tuple[str, int]]) -> str | None:
    """A profile's field: by its header's code, else by most of its papers (see above).
    `counts` is (code as shown, papers) per category."""
    allowed = fields(header_field) if header_field else set()
    if len(allowed) == 1:
        return next(iter(allowed))
    votes: Counter[str] = Counter()
    for shown, n in counts:
        for field in fields(shown):
            if not allowed or field in allowed:
                votes[field] += n
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def paper_field(profile_fields: Iterable[str | None]) -> str | None:
    """The field to read a paper's code by: the one its listing profiles agree on."""
    found = {f for f in profile_fields if f is not None}
    return next(iter(found)) if len(found) == 1 else None


def is_ambiguous(shown: str) -> bool:
    return len(meanings(shown)) > 1


def may_mean(shown: str, code: str | None) -> bool:
    """Whether `code` (a full code) is one of the categories the ambiguous `shown` may be."""
    return code is not None and is_ambiguous(shown) and code in dict(meanings(shown))


def resolved(shown: str, field: str | None = None,
             chosen: str | None = None) -> tuple[tuple[str, str], ...]:
    """The categories the code may be: the one the user `chosen` (a full code) when it is
    one of them, else narrowed to `field` when that leaves any."""
    found = meanings(shown)
    if may_mean(shown, chosen):
        return tuple(m for m in found if m[0] == chosen)
    narrowed = tuple(m for m in found if field_of(m[0]) == field)
    return narrowed or found


def full_code(shown: str, field: str | None = None, chosen: str | None = None) -> str:
    """`math.NA` for NA in mathematics; the code as shown when it stays ambiguous."""
    found = resolved(shown, field, chosen)
    return found[0][0] if len(found) == 1 else shown


def label(shown: str, field: str | None = None, chosen: str | None = None) -> str:
    """`cs.IR Information Retrieval`; an ambiguous code names every category it may be
    (`NA: Numerical Analysis (cs.NA or math.NA)`); an unknown code is itself."""
    found = resolved(shown, field, chosen)
    if len(found) == 1:
        return f"{found[0][0]} {found[0][1]}"
    if not found:
        return shown
    names = {name for _, name in found}
    if len(names) == 1:
        return f"{shown}: {found[0][1]} ({_or([code for code, _ in found])})"
    return f"{shown}: {_or([f'{name} ({code})' for code, name in found])}"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


@dataclass(frozen=True)
class Reading:
    """What reads ambiguous codes in one context (a profile, or the profiles listing a
    paper): the user's choices for it, (code as shown, full code, whose: the profile's
    name), over its field. `mine` in the methods is the user's choice for the paper."""

    field: str | None = None
    choices: tuple[tuple[str, str, str], ...] = ()

    def choice(self, shown: str, mine: str | None = None) -> tuple[str | None, str]:
        """The full code chosen for `shown` and whose choice it is: ("math.NA", "") for the
        paper's own, (code, profile name) for a profile's; (None, "") for none."""
        if may_mean(shown, mine):
            return mine, ""
        for code, meaning, whose in self.choices:
            if code == shown and may_mean(shown, meaning):
                return meaning, whose
        return None, ""

    def label(self, shown: str, mine: str | None = None) -> str:
        return label(shown, self.field, self.choice(shown, mine)[0])

    def full_code(self, shown: str, mine: str | None = None) -> str:
        return full_code(shown, self.field, self.choice(shown, mine)[0])

    def how(self, shown: str, mine: str | None = None) -> str:
        """How an ambiguous code was read, for the pane: 'your choice for this paper',
        'your choice for the papers of Mia Rossi', 'the field of the profile listing it:
        math'; '' when nothing settled it (or it is not ambiguous)."""
        if not is_ambiguous(shown):
            return ""
        chosen, whose = self.choice(shown, mine)
        if chosen is not None:
            return f"your choice for the papers of {whose}" if whose else \
                "your choice for this paper"
        if len(resolved(shown, self.field)) == 1:
            return f"read by the field of the profile listing it: {self.field}"
        return ""


def combined(readings: Sequence[Reading]) -> Reading:
    """The reading of a paper several profiles list: the field they agree on
    (`paper_field`), and for each code the choice of those that chose, when they agree."""
    chosen: dict[str, set[str]] = {}
    whose: dict[str, list[str]] = {}
    for reading in readings:
        for code, meaning, who in reading.choices:
            chosen.setdefault(code, set()).add(meaning)
            whose.setdefault(code, []).append(who)
    return Reading(paper_field(r.field for r in readings),
                   tuple((code, next(iter(found)), " and ".join(whose[code]))
                         for code, found in chosen.items() if len(found) == 1))


def tally(counts: Iterable[tuple[str, int]], reading: Reading,
          mine: Iterable[tuple[str, str]] = ()) -> list[tuple[str, int]]:
    """A profile's (code as shown, papers) as (full code, papers) read by `reading`; `mine`
    is (code as shown, the user's choice) for each paper of it the user chose for, moved
    to what they chose. Most papers first, then by code, as the store gives them."""
    out: Counter[str] = Counter()
    for shown, n in counts:
        out[reading.full_code(shown)] += n
    for shown, chosen in mine:
        if may_mean(shown, chosen):
            out[reading.full_code(shown)] -= 1
            out[chosen] += 1
    return sorted(((code, n) for code, n in out.items() if n > 0),
                  key=lambda item: (-item[1], item[0]))


PLAIN = Reading()  # no choice, no field: the taxonomy alone
