"""Researcher-profile page parser: page text in, records out. Pure: no I/O.

The format is described in SEED-FORMAT.md. A page is an optional header of
figures followed by entries; every entry starts with a glued meta line
(`98.8CVApr 24Code`). Two entry layouts exist: the spaced one (title, author
line and abstract on their own lines, blank lines between) and the run-together
one (title and author line glued on one line: `...ModelsYuxuan Lei, ...`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from paperdesk.records import Entry, Header, Page, Problem, person_key

MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}

META = re.compile(
    r"(?P<score>\d{1,3}(?:\.\d+)?)?"
    r"(?P<cat>[A-Z][A-Za-z-]{0,5}?)"
    r"(?P<month>" + "|".join(MONTHS) + r") (?P<day>\d{1,2})"
    r"(?:, (?P<year>\d{4}))?"
    r"(?P<code>Code)?"
)

_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("h_index", re.compile(r"h-index\s*(\d[\d,]*)", re.I)),
    ("paper_count", re.compile(r"(\d[\d,]*)papers", re.I)),
    ("listed", re.compile(r"(\d[\d,]*) Papers", re.I)),
    ("citations", re.compile(r"(\d[\d,]*)\s*citations", re.I)),
    ("novelty", re.compile(r"Novelty\s*(\d[\d,]*)\s*%?", re.I)),
    ("ai_score", re.compile(r"AI Score\s*(\d[\d,]*)", re.I)),
)
_FIELD = re.compile(r"(?:[a-z-]+\.)?([A-Z]{2,4})")
_ET_AL = re.compile(r"\s*\bet al\.?$")
_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019.\-]*")
_PLAIN_NAME = re.compile(r"[^\W\d_][^\W\d_A-Z]+")
_CAMEL_NAME = re.compile(r"[^\W\d_][a-zà-ÿ]{1,}[A-Z][a-zà-ÿ]{1,}")
MAX_SHOWN = 3  # the site shows at most three names, then "et al."


class EntryError(ValueError):
    """An entry that cannot be read; its message is shown to the user."""


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str


def parse_page(text: str, source: str) -> Page:
    """Parse one page. Bad entries become Problems; good ones are all kept."""
    lines = [_Line(i, raw.rstrip()) for i, raw in enumerate(_lines(text), start=1)]
    starts = [i for i, line in enumerate(lines) if META.fullmatch(line.text)]
    problems: list[Problem] = []
    if not any(line.text.strip() for line in lines):
        problems.append(Problem(source, None, "empty page"))
        return Page(source, Header(), None, False, (), tuple(problems))
    if not starts:
        problems.append(Problem(source, None, "not a profile page: no paper entry found "
                                "(an entry starts with a line like 'IRFeb 7, 2023')"))
        return Page(source, Header(), None, False, (), tuple(problems))
    header = _parse_header(lines[: starts[0]], source, problems)
    blocks = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    spaced = _is_spaced(blocks)
    context = _PageContext.EMPTY if spaced else _PageContext.of(blocks)
    entries: list[Entry] = []
    for block in blocks:
        try:
            entries.append(_parse_entry(block, spaced, context))
        except EntryError as exc:
            problems.append(Problem(source, block[0].number, str(exc)))
    if header.listed is not None and header.listed != len(blocks):
        problems.append(Problem(
            source, None,
            f"header says {header.listed} papers but the page has {len(blocks)} entries "
            "(page truncated or damaged?)", "warning"))
    name, inferred = header.name, False
    if name is None:
        name, inferred = infer_owner(entries), True
    return Page(source, header, name, inferred and name is not None, tuple(entries),
                tuple(problems))


def _lines(text: str) -> list[str]:
    return text.removeprefix("\ufeff").splitlines()


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _parse_header(lines: Sequence[_Line], source: str, problems: list[Problem]) -> Header:
    values: dict[str, int | str] = {}
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        key, value = _header_item(text, values)
        if key is None:
            problems.append(Problem(source, line.number,
                                    f"unrecognised header line {text!r} ignored", "warning"))
        else:
            values[key] = value
    return Header(**values)  # type: ignore[arg-type]


def _header_item(text: str, seen: dict[str, int | str]) -> tuple[str | None, int | str]:
    for key, pattern in _FIGURES:
        match = pattern.fullmatch(text)
        if match:
            return key, _number(match.group(1))
    field = _FIELD.fullmatch(text)
    if field and "field" not in seen:
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


def _parse_entry(block: Sequence[_Line], spaced: bool, context: _PageContext) -> Entry:
    meta = META.fullmatch(block[0].text)
    assert meta is not None
    body = [line for line in block[1:] if line.text.strip()]
    if spaced:
        title, author_line, abstract = _spaced_parts(body)
        authors, et_al, affiliations = _author_line(author_line.text, author_line.number)
    else:
        if len(body) < 2:
            raise EntryError(_missing(body, "title and author line", "abstract"))
        title, authors, et_al, affiliations = split_run_together(body[0].text, context)
        abstract = " ".join(line.text.strip() for line in body[1:])
    month, day = MONTHS[meta["month"]], int(meta["day"])
    year = int(meta["year"]) if meta["year"] else None
    _check_date(year, month, day)
    return Entry(
        line=block[0].number, category=meta["cat"], month=month, day=day, year=year,
        has_code=bool(meta["code"]), score=float(meta["score"]) if meta["score"] else None,
        title=title.strip(), authors=authors, et_al=et_al, affiliations=affiliations,
        abstract=abstract.strip(),
    )


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
    import datetime

    try:
        datetime.date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 allowed
    except ValueError as exc:
        raise EntryError(f"invalid date: {exc}") from None


def _author_line(text: str, number: int) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    names_part, affiliations = _split_affiliations(text)
    names_part, et_al = _strip_et_al(names_part)
    names = tuple(n.strip() for n in names_part.split(",") if n.strip())
    if not names or not all(_is_name(n) for n in names):
        raise EntryError(f"line {number}: expected an author line (names separated by commas), "
                         f"found {text[:60]!r}")
    return names, et_al, affiliations


def _split_affiliations(text: str) -> tuple[str, tuple[str, ...]]:
    names, sep, tail = text.rpartition(" · ")
    if not sep:
        return text.strip(), ()
    return names.strip(), tuple(a.strip() for a in tail.split(",") if a.strip())


def _strip_et_al(text: str) -> tuple[str, bool]:
    match = _ET_AL.search(text)
    if match is None:
        return text, False
    return text[: match.start()].rstrip(" ,"), True


def _is_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 6 and all(_NAME_WORD.fullmatch(w) for w in words)


def _looks_like_author_line(text: str) -> bool:
    try:
        _author_line(text, 0)
    except EntryError:
        return False
    return True


@dataclass(frozen=True)
class _PageContext:
    """What the rest of a page tells about words and names, used to split glued lines."""

    words: frozenset[str]
    name_words: frozenset[str]
    EMPTY: ClassVar[_PageContext]

    @classmethod
    def of(cls, blocks: Iterable[Sequence[_Line]]) -> _PageContext:
        words: set[str] = set()
        names: set[str] = set()
        for block in blocks:
            body = [line.text for line in block[1:] if line.text.strip()]
            if not body:
                continue
            for text in body[1:]:
                words.update(_WORD.findall(text.casefold()))
            # Names after the first comma of a line are never glued to a title.
            first_line = _split_affiliations(body[0])[0]
            for segment in first_line.split(",")[1:]:
                names.update(_WORD.findall(_strip_et_al(segment)[0].casefold()))
        return cls(frozenset(words), frozenset(names))


_PageContext.EMPTY = _PageContext(frozenset(), frozenset())


@dataclass(frozen=True)
class _Split:
    cost: float
    title: str
    authors: tuple[str, ...]


def split_run_together(
    text: str, context: _PageContext | None = None
) -> tuple[str, tuple[str, ...], bool, tuple[str, ...]]:
    """Split `TitleFirst Author, Second Author et al. · affil` into its parts.

    The title's last character is glued to the first author's first name. Every
    place where a capitalised name word could begin is a candidate; each gets a
    cost from the shapes of the two words at the seam, how many names follow,
    and whether the page elsewhere uses those words in text or in names.
    """
    context = context or _PageContext.EMPTY
    names_part, affiliations = _split_affiliations(text.strip())
    names_part, et_al = _strip_et_al(names_part)
    segments = names_part.split(",")
    best: _Split | None = None
    for count in range(1, min(len(segments), 8) + 1):
        tail = [s.strip() for s in segments[len(segments) - count + 1:]]
        if not all(_is_name(s) for s in tail):
            break
        head = ",".join(segments[: len(segments) - count + 1])
        for split in _seam_candidates(head, tail, et_al, context):
            if best is None or split.cost < best.cost:
                best = split
    if best is None or not best.title:
        raise EntryError(f"cannot tell where the title ends and the authors begin in "
                         f"{text[:80]!r}")
    return best.title, best.authors, et_al, affiliations


def _seam_candidates(head: str, tail: list[str], et_al: bool,
                     context: _PageContext) -> Iterable[_Split]:
    tokens = head.rstrip().split(" ")
    count = len(tail) + 1
    count_cost = 0.0 if (count == MAX_SHOWN if et_al else count <= MAX_SHOWN) else 3.0
    for k in range(1, min(5, len(tokens)) + 1):
        token = tokens[-k]
        rest = tokens[len(tokens) - k + 1:]
        for i, start_cost in _seams(token, context):
            first_word, title_end = token[i:], token[:i]
            name = " ".join([first_word, *rest])
            if not _is_name(name):
                continue
            title = " ".join([*tokens[: len(tokens) - k], title_end])
            cost = (count_cost + start_cost + _length_cost(k)
                    + _name_word_cost(first_word, context) + _rest_cost(rest)
                    + _title_end_cost(title_end, context))
            yield _Split(cost, title.strip(), (name, *tail))


@functools.lru_cache(maxsize=4096)
def _seams(token: str, context: _PageContext) -> tuple[tuple[int, float], ...]:
    """Where a name can begin inside `token`, each with its cost.

    A capital followed by a small letter is the usual seam. A name written in
    small letters (`björn`) can only be seen when the page uses it elsewhere,
    or when what precedes it cannot end a word (`Top-Kbjörn`, `NLPbjörn`).
    """
    found: list[tuple[int, float]] = []
    end = len(token)
    for i in range(len(token) - 1, 0, -1):  # right to left, to know where each part ends
        char = token[i]
        if char in "-'\u2019":
            end = i
            continue
        if char.isupper():
            if token[i + 1:i + 2].islower() or token[i + 1:i + 2] in ("'", "\u2019"):
                found.append((i, 0.0))
            continue
        if not char.islower() or (token[i - 1].islower() and not context.name_words):
            continue
        part = token[i:end].casefold()
        if len(part) >= 3 and part in context.name_words:
            found.append((i, 0.3))
        elif token[i - 1].isupper() and (i < 2 or not token[i - 2].islower()):
            found.append((i, 1.5))
    return tuple(reversed(found))


_PART_SEP = re.compile(r"[-'\u2019]")


def _length_cost(words: int) -> float:
    return {1: 1.5, 2: 0.0, 3: 0.4, 4: 0.9}.get(words, 1.5)


def _name_word_cost(word: str, context: _PageContext) -> float:
    """How much `word` looks like a first name: `Yuxuan`, `Jean-Pierre`, `SeongKu`."""
    parts = _PART_SEP.split(word)
    head = parts[0]
    if _PLAIN_NAME.fullmatch(head):
        cost = 0.0
    elif _CAMEL_NAME.fullmatch(head):
        cost = 1.0
    elif head.islower():
        cost = 0.5  # a name in small letters; _seams already weighed it
    else:
        cost = 3.0
    if any(not (p.isalpha() and (p.istitle() or p.islower())) for p in parts[1:]):
        cost += 2.0
    inner = re.search(r"(?<=[a-zà-ÿ])[A-Z][a-zà-ÿ]+$", head)
    if inner and inner.group(0).casefold() in context.name_words:
        cost += 1.0  # `ChatNingtao` when the page knows `Ningtao`: the seam is later
    folded = head.casefold()
    if folded in context.name_words:
        cost -= 0.6
    elif folded in context.words:
        cost += 0.3
    return cost


def _rest_cost(words: Sequence[str]) -> float:
    """Later words of the first name: a glued (camel) word means the seam is further on."""
    cost = 0.0
    for word in words:
        if re.search(r"[a-zà-ÿ][A-Z]", word):
            cost += 1.5
        elif word[:1].islower():
            cost += 0.7
    return cost


def _title_end_cost(end: str, context: _PageContext) -> float:
    if end.endswith(("-", "'", "\u2019")):
        return 4.0  # `Spatio-` or `O'`: a title does not end in the middle of a word
    word = _WORD.findall(end)
    last = word[-1] if word else ""
    cost = 0.0
    camel = re.search(r"([^\W\d_]{4,})[A-Z][a-zà-ÿ]+$", end)
    if camel and camel.group(1)[-1].islower():
        cost += 1.0  # `RecommendationSeong`: a camel tail is more likely a split name
        if last.casefold() not in context.words and camel.group(1).casefold() in context.words:
            cost += 1.0  # ... all the more when the page uses `Recommendation` alone
    if re.search(r"[A-Z]{2}[A-Z][a-zà-ÿ]+$", end):
        cost += 1.0  # `RAGFu`: an acronym glued to a short word is more likely a name
    if re.search(r"[?!:;)\]][^\W\d_]+$", end):
        cost += 1.5  # `Imaging?Gang`: a title word glued to its own punctuation
    if last and last.casefold() in context.words:
        cost -= 0.6
    elif last and last[-1].islower() and last.casefold() in context.name_words:
        cost += 0.5
    return cost


def infer_owner(entries: Iterable[Entry]) -> str | None:
    """The person named most across a page's entries, as most often written."""
    keys: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    for entry in entries:
        for name in dict.fromkeys(entry.authors):
            keys[person_key(name)] += 1
            spellings[name] += 1
    if not keys:
        return None
    top = keys.most_common(1)[0][0]
    return max((n for n in spellings if person_key(n) == top), key=lambda n: spellings[n])
