"""Researcher-profile page parser: page text in, records out. Pure: no I/O.

The format is described in SEED-FORMAT.md. A page is an optional header of
figures followed by entries; every entry starts with a glued meta line
(`98.8CVApr 24Code`). Two entry layouts exist: the spaced one (title, author
line and abstract on their own lines, blank lines between) and the run-together
one (title and author line glued on one line: `...ModelsYuxuan Lei, ...`).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from paperdesk import categories
from paperdesk import names as nm
from paperdesk.records import Entry, Header, Page, Problem, person_key
from paperdesk.seam import PageWords, SplitError, split_run_together

MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}

# A category as a page shows it: `IR`, `hep-th`, `mes-hall`, or a full `cs.IR`.
_CATEGORY = r"(?:[a-z][a-z-]{0,15}\.)?[A-Za-z][A-Za-z-]{0,15}?"
# Spaces a page may hold where the site writes one or none: a tab, a no-break space.
_GAP = r"[ \t\u00a0]"
META = re.compile(
    r"(?P<score>\d{1,3}(?:\.\d+)?)?"
    r"(?P<cat>" + _CATEGORY + r")"
    r"(?P<month>" + "|".join(MONTHS) + r") (?P<day>\d{1,2})"
    r"(?:, (?P<year>\d{4}))?"
    r"(?P<code>Code)?"
)
# The same with a tab, a no-break space or a space more (`_meta`).
_META_SPACED = re.compile(
    r"(?P<score>\d{1,3}(?:\.\d+)?)?"
    r"(?P<cat>" + _CATEGORY + r")(?P<gap>" + _GAP + "*)"
    r"(?P<month>" + "|".join(MONTHS) + r")" + _GAP + r"+(?P<day>\d{1,2})"
    r"(?:," + _GAP + r"+(?P<year>\d{4}))?" + _GAP + "*"
    r"(?P<code>Code)?"
)
# What looks like a meta line without being one (`q-bio.GN.Feb 7, 2023`, `IRSept 7`,
# `IRFeb 7 2023`, `IRJan 1, 10000`, `IRJan 1, 2020CodeCode`, a date with no category
# `Jan 1, 2020`): an entry starts there, and is reported instead of being glued onto
# the previous abstract.
_META_LIKE = re.compile(
    r"[\d.]{0,8}[\w.\-]{0,24}?(?:" + "|".join(MONTHS) + r")[a-z]{0,6}\.?"
    + _GAP + r"*\d{1,12}(?:,?" + _GAP + r"*'?\d{1,8})?\s*(?:Code)*"
)
# A month as a date writes it, whole or cut short (`Decision 1, 2` is a word)
_MONTH_WORD = ("(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
               "|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_WHOLE_DATE = re.compile(
    _MONTH_WORD + r"\.?" + _GAP + r"*\d{1,12}," + _GAP + r"*\d{1,8}\s*(?:Code)*")
# What both of the above hold somewhere: a cheap test that most lines fail.
_MONTH_DAY = re.compile("(?:" + "|".join(MONTHS) + r")[a-z]{0,6}\.?" + _GAP + r"*\d")
MAX_FIGURE = 2**63 - 1  # what the store can hold

_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("h_index", re.compile(r"h-index\s*(\d[\d,]*)", re.I)),
    ("paper_count", re.compile(r"(\d[\d,]*)papers", re.I)),
    ("listed", re.compile(r"(\d[\d,]*) Papers", re.I)),
    ("citations", re.compile(r"(\d[\d,]*)\s*citations", re.I)),
    ("novelty", re.compile(r"Novelty\s*(\d[\d,]*)\s*%?", re.I)),
    ("ai_score", re.compile(r"AI Score\s*(\d[\d,]*)", re.I)),
)
_FIELD = re.compile(r"(?:[a-z-]+\.)?([A-Za-z][A-Za-z-]{1,15})")
CHECK_EVERY = 64  # entries between two looks at `cancelled()`


class EntryError(ValueError):
    """An entry that cannot be read; its message is shown to the user."""


class ParseCancelled(Exception):
    """`cancelled()` said stop while a page was being parsed."""


class _Line(NamedTuple):  # a tuple: made for every line of every page, cheaply
    number: int  # 1-based
    text: str


# How parse_page makes a _Line: the tuple's own constructor, without the Python-level
# `__new__` that NamedTuple adds (2 % of parsing the real pages, a call per line).
_new_line = tuple.__new__


def parse_page(text: str, source: str,
               cancelled: Callable[[], bool] | None = None) -> Page:
    """Parse one page. Bad entries become Problems; good ones are all kept.

    `cancelled()`, asked every CHECK_EVERY entries, stops a long page with
    ParseCancelled (the parser stays pure: it only asks)."""
    lines = [_new_line(_Line, (i, raw.rstrip())) for i, raw in enumerate(_lines(text), start=1)]
    problems: list[Problem] = []
    if not any(line.text.strip() for line in lines):
        problems.append(Problem(source, None, "empty page"))
        return Page(source, Header(), None, False, (), tuple(problems))
    starts = [i for i, line in enumerate(lines) if _is_start(line.text)]
    if not starts:
        problems.append(Problem(source, None, "not a profile page: no paper entry found "
                                "(an entry starts with a line like 'IRFeb 7, 2023')"))
        return Page(source, Header(), None, False, (), tuple(problems))
    header = _parse_header(lines[: starts[0]], source, problems)
    blocks = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    spaced = _is_spaced(blocks)
    words = PageWords.EMPTY if spaced else _page_words(blocks)
    entries: list[Entry] = []
    for done, block in enumerate(blocks):
        if cancelled is not None and done and done % CHECK_EVERY == 0 and cancelled():
            raise ParseCancelled
        try:
            entry = _parse_entry(block, spaced, words, source, problems)
        except EntryError as exc:
            problems.append(Problem(source, block[0].number, str(exc)))
            continue
        entries.append(entry)
    if header.listed is not None and header.listed != len(blocks):
        problems.append(Problem(
            source, None,
            f"header says {header.listed} papers but the page has {len(blocks)} entries "
            "(page truncated or damaged?)", "warning"))
    name, inferred = header.name, False
    if name is None:
        owner = infer_owner(entries)
        name, inferred = (owner.name if owner else None), True
        if owner is not None and owner.weak:
            problems.append(Problem(source, None, _weak_owner(owner), "warning"))
    return Page(source, header, name, inferred and name is not None, tuple(entries),
                tuple(problems))


def _weak_owner(owner: Owner) -> str:
    if owner.rival:
        why = f"{owner.rival!r} fits every entry too"
    elif owner.shown_on * 2 < owner.entries:
        why = "most entries do not show it"
    else:
        why = ("no entry lists its authors in full, so the owner may be hidden behind "
               "'et al.' on every entry")
    return (f"page has no name line; owner inferred as {owner.name!r} (shown on "
            f"{owner.shown_on} of {owner.entries} entries), but the evidence is weak: {why}")


def _lines(text: str) -> list[str]:
    """The page's lines by its own newline convention (\\n, \\r\\n or \\r) only:
    form feeds, U+2028 and U+0085 inside a line do not end it, so `file:line` is right."""
    text = text.removeprefix("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _is_start(text: str) -> bool:
    return len(text) <= 64 and _MONTH_DAY.search(text) is not None and (
        META.fullmatch(text) is not None or _spaced(text) is not None or _meta_like(text))


def _meta(text: str) -> re.Match[str] | None:
    """An entry's category and date: the site's own (nearly every line), or `_spaced`."""
    return META.fullmatch(text) or _spaced(text)


def _spaced(text: str) -> re.Match[str] | None:
    """A date line with a tab, a no-break space or a space more. A space before the
    month (`IR Jan 1, 2020`) is read only after a category the taxonomy knows: `Joined
    Mar 20` names none."""
    found = _META_SPACED.fullmatch(text)
    if found is None or (found["gap"] and not categories.is_known(found["cat"])):
        return None
    return found


def _meta_like(text: str) -> bool:
    """A date of an entry's shape, with or without something before it: a line that is
    a date alone must be a whole one (`Jan 1, 2020`): a header's `Joined Mar 2020` or
    an abstract's line `May 2021` is none."""
    found = _META_LIKE.fullmatch(text)
    return found is not None and (text[:1].isdigit() or text[:3] not in MONTHS
                                  or _WHOLE_DATE.fullmatch(text) is not None)


def _number(text: str) -> int | None:
    """A figure, or None when it is too large to be one (20 digits, 5,000 digits)."""
    digits = text.replace(",", "")
    if len(digits) > 19:
        return None
    value = int(digits)
    return value if value <= MAX_FIGURE else None


def _parse_header(lines: Sequence[_Line], source: str, problems: list[Problem]) -> Header:
    values: dict[str, int | str | None] = {}
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        key, value = _header_item(text, values)
        if key is None:
            problems.append(Problem(source, line.number,
                                    f"unrecognised header line {text[:80]!r} ignored",
                                    "warning"))
            continue
        if value is None:
            problems.append(Problem(source, line.number,
                                    f"{key.replace('_', ' ')} figure out of range "
                                    f"({len(text)} characters): left empty", "warning"))
        values[key] = value
    return Header(**values)  # type: ignore[arg-type]


def _header_item(text: str,
                 seen: dict[str, int | str | None]) -> tuple[str | None, int | str | None]:
    for key, pattern in _FIGURES:
        match = pattern.fullmatch(text)
        if match:
            return key, _number(match.group(1))
    field = _FIELD.fullmatch(text)
    if field and "field" not in seen and categories.is_known(field.group(1)):
        return "field", field.group(1)
    if "name" not in seen and not seen and len(text) <= 80:
        return "name", text
    return None, text


def _is_spaced(blocks: Sequence[Sequence[_Line]]) -> bool:
    """Spaced layout: most entries have blank lines between their parts."""
    spaced = sum(1 for b in blocks if _has_inner_blank(b))
    return spaced * 2 >= len(blocks)


def _has_inner_blank(block: Sequence[_Line]) -> bool:
    filled = [i for i, line in enumerate(block) if line.text.strip()]
    return len(filled) < filled[-1] - filled[0] + 1


def _page_words(blocks: Iterable[Sequence[_Line]]) -> PageWords:
    parts = []
    for block in blocks:
        body = [line.text for line in block[1:] if line.text.strip()]
        if body:
            parts.append((body[0], body[1:]))
    return PageWords.of(parts)


def _parse_entry(block: Sequence[_Line], spaced: bool, words: PageWords, source: str,
                 problems: list[Problem]) -> Entry:
    meta = _meta(block[0].text)
    if meta is None:
        raise EntryError(f"not understood as an entry's category and date: "
                         f"{block[0].text[:64]!r} (entry skipped)")
    body = [line for line in block[1:] if line.text.strip()]
    confidence = 1.0
    if spaced:
        title, author_line, abstract = _spaced_parts(body)
        authors, et_al, affiliations = _author_line(author_line.text, author_line.number)
    else:
        if len(body) < 2:
            raise EntryError(_missing(body, "title and author line", "abstract"))
        try:
            split = split_run_together(body[0].text, words)
        except SplitError as exc:
            raise EntryError(str(exc)) from None
        title, authors, et_al, affiliations = (split.title, split.authors, split.et_al,
                                               split.affiliations)
        confidence = split.confidence
        abstract = " ".join(line.text.strip() for line in body[1:])
    month, day = MONTHS[meta["month"]], int(meta["day"])
    year = int(meta["year"]) if meta["year"] else None
    _check_date(year, month, day)
    category = meta["cat"]
    if not categories.is_known(category):
        problems.append(Problem(source, block[0].number,
                                f"unknown arXiv category {category!r} (kept as shown)",
                                "warning"))
    entry = Entry(
        line=block[0].number, category=category, month=month, day=day, year=year,
        has_code=bool(meta["code"]), score=float(meta["score"]) if meta["score"] else None,
        title=title.strip(), authors=authors, et_al=et_al, affiliations=affiliations,
        abstract=abstract.strip(), confidence=confidence,
    )
    if not spaced and split.doubtful:
        entry = replace(entry, doubtful=True)
        problems.append(Problem(
            source, body[0].number,
            f"title/author split uncertain (confidence {confidence:.2f}): title ends "
            f"{_tail(entry.title)!r}, first author {authors[0]!r}", "warning"))
    return entry


def _tail(title: str) -> str:
    return title if len(title) <= 40 else "\u2026" + title[-39:]


def _spaced_parts(body: Sequence[_Line]) -> tuple[str, _Line, str]:
    if len(body) >= 3:
        return body[0].text, body[1], " ".join(line.text.strip() for line in body[2:])
    if len(body) == 2:
        if _looks_like_author_line(body[1].text):
            raise EntryError(f"entry has no abstract (page cut off?) after line {body[1].number}")
        raise EntryError(f"entry has no author line (expected names after the title "
                         f"at line {body[0].number})")
    raise EntryError(_missing(body, "title", "author line and abstract"))


def _missing(body: Sequence[_Line], first: str, rest: str) -> str:
    if not body:
        return f"entry has no {first}, {rest} (page cut off?)"
    return f"entry is incomplete: no {rest} after line {body[-1].number} (page cut off?)"


def _check_date(year: int | None, month: int, day: int) -> None:
    try:
        datetime.date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 allowed
    except ValueError as exc:
        raise EntryError(f"invalid date: {exc}") from None


def _author_line(text: str, number: int) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    names_part, affiliations = nm.split_affiliations(text)
    names_part, et_al = nm.strip_et_al(names_part)
    read = nm.author_names(names_part)
    if read is None:
        raise EntryError(f"line {number}: expected an author line (names separated by commas), "
                         f"found {text[:60]!r}")
    names, notes = read
    return names, et_al, nm.with_notes(affiliations, notes) if any(notes) else affiliations


def _looks_like_author_line(text: str) -> bool:
    try:
        _author_line(text, 0)
    except EntryError:
        return False
    return True


@dataclass(frozen=True)
class Owner:
    """Whose page this is, as inferred from its entries, and how sure that is."""

    name: str
    shown_on: int  # entries that show the name
    entries: int
    rival: str | None  # the next most likely owner, when one is as likely
    confirmed: int = 0  # entries listing every author (no `et al.`) that show the name

    @property
    def weak(self) -> bool:
        """A rival, a name most entries do not show, or a name missing from a quarter
        of the entries or more with no full author list to confirm it: then the owner
        may be hidden behind `et al.` on every entry and the name seen most a frequent
        co-author (one on three of four of someone's papers and more is rare)."""
        return (self.rival is not None or self.shown_on * 2 < self.entries
                or (not self.confirmed and self.shown_on * 4 < self.entries * 3))


def infer_owner(entries: Sequence[Entry]) -> Owner | None:
    """The person the page belongs to: the one its entries show most often.

    The owner is on most of their own papers: shown, or hidden behind `et al.`.
    Of two names shown as often, the one that fewer complete lists (no `et al.`)
    leave out wins; the spelling is the one written most. `rival` is a name with
    the same evidence: the inference is then weak, and so it is when the owner
    is shown on fewer than half the entries (hidden behind `et al.`), or is missing
    from a quarter of them while no complete list shows it (see Owner.weak)."""
    keys: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    key_of: dict[str, str] = {}  # spelling -> person key, each computed once
    in_complete: Counter[str] = Counter()  # complete lists (no `et al.`) showing the key
    complete = 0
    for entry in entries:
        shown: set[str] = set()
        for name in dict.fromkeys(entry.authors):
            key = key_of.get(name)
            if key is None:
                key = key_of[name] = person_key(name)
            keys[key] += 1
            spellings[name] += 1
            shown.add(key)
        if not entry.et_al:
            complete += 1
            in_complete.update(shown)
    if not keys:
        return None
    # (shown on, minus the complete lists that leave it out), for every key
    evidence = {key: (count, in_complete[key] - complete) for key, count in keys.items()}
    ranked = sorted(keys, key=evidence.__getitem__, reverse=True)
    top = ranked[0]
    # Another name that fits every complete list and is shown at least 2/3 as often
    # could be the owner too, when the owner hides behind `et al.`.
    rival = next((k for k in ranked[1:] if evidence[k] == evidence[top]
                  or (evidence[k][1] == 0 and keys[k] * 3 >= keys[top] * 2)), None)

    def spelled(key: str) -> str:
        return max((n for n in spellings if key_of[n] == key), key=lambda n: spellings[n])

    confirmed = in_complete[top]
    return Owner(spelled(top), keys[top], len(entries), spelled(rival) if rival else None,
                 confirmed)
