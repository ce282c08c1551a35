"""Where a run-together line's title ends and its first author begins. Pure.

In the run-together layout the title's last character is glued to the first
author's first name: `...Recommendation ModelsYuxuan Lei, Jianxun Lian et al.`.
Every place where a name can begin inside the glued word is a candidate; each
gets a cost from the shapes of the two words at the seam (initials, particles,
inner capitals, acronyms), how many names follow, and whether the page uses
those words elsewhere in text or in names. The cheapest candidate wins; the
gap to the next one is the split's confidence.

Linear time: a name's first word is at most FIRST_WORD characters long and a
name at most MAX_NAME_WORDS words, so only the end of the glued word is
examined, the costs look at a bounded window of the title's end, and the title
string is built once, for the winner. A candidate whose lower bound is already above
the next-best reading's cost is not scored (it could change neither: `_Best`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from paperdesk import names as nm

MAX_SHOWN = 3  # the site shows at most three names, then "et al."
MAX_AUTHORS = 8  # comma pieces tried as authors after the first
FIRST_WORD = 40  # characters of a first name word, at most
END_WINDOW = 64  # characters of the title's end the costs look at
# Entries of the caches keyed by a page's words: enough for one page's candidates,
# few enough that old pages' word sets are let go.
PAGE_CACHE = 2048
# Entries of the cache of what a title's last word says by its own letters (kept across
# pages: the same words end titles on many pages; the page's words are looked up afresh)
WORD_CACHE = 32768
# A split is doubtful when the next reading is within DOUBT_MARGIN of the chosen one,
# or when the chosen one itself costs more than DOUBT_COST (no reading looks right).
# Calibrated on the real-data corpus (bench/parser_bench.py): README, "Doubtful splits".
DOUBT_MARGIN = 0.45
DOUBT_COST = 0.95

_WORD = re.compile(r"\w+")
_PLAIN_NAME = re.compile(r"[^\W\d_][^\W\d_A-Z]+")
_CAMEL_NAME = re.compile(r"[^\W\d_][a-zà-ÿ]{1,}[A-Z][a-zà-ÿ]{1,}")
_PREFIX_CAMEL = re.compile(r"[A-Z][a-z]{1,2}[A-Z][a-zà-ÿ]+")  # `DeVries`, `McAllister`
_GLUED_PREFIX = re.compile(r"([A-Z][a-z]{3,5})[A-Z][a-zà-ÿ]+")
_PART_SEP = re.compile(r"[-'\u2019]")
_INNER_TAIL = re.compile(r"(?<=[a-zà-ÿ])[A-Z][a-zà-ÿ]+$")
_CAMEL_END = re.compile(r"([^\W\d_]{4,})[A-Z][a-zà-ÿ]+$")
_ACRONYM_WORD_END = re.compile(r"[A-Z]{2}[A-Z](?:[a-zà-ÿ]{2,}|[a-rt-zà-ÿ])$")  # `RAGFu`, `LHCJi`
_PLURAL_ACRONYM_END = re.compile(r"[A-Z]{2,}s$")
_PUNCT_WORD_END = re.compile(r"[?!:;][^\W\d_]+$")
# `Karapetyan, Ru` or `Fulling, F. D. M`: the seam fell inside a name after a comma.
_NAME_PIECE_END = re.compile(r",\s*(?:[^\W\d_][\w.'\-]*\s+){0,4}[^\W\d_]{1,2}$")
# `Report, Acme Long` of `Acme LongRange Team`: a title's last comma piece made of
# capitalised words only is more likely the start of a name.
_NAMES_PIECE_END = re.compile(r",\s*(?:[A-Z][\w'.\-]*\s+){0,3}[A-Z][\w'.\-]*$")
# `RecommendationJiHoon Park, Min` of `…JiHoon Park, MinSeo Lee`: before that piece, a
# word glued to a capitalised one and at most three more words: a title glued to a name,
# the seam this reading passed over.
_GLUED_NAME_PIECE_END = re.compile(
    r"[a-zà-ÿ][A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*){0,3},\s*(?:[A-Z][\w'.\-]*\s+){0,3}"
    r"[A-Z][\w'.\-]*$")
# `...from LLMHo` + `Jae Shin`: a short capitalised piece glued to the title's last word
# may as well be the first half of a camel given name (`HoJae Shin`): always doubtful.
_SHAKY_END = re.compile(r"[^\s\-a-zà-ÿ][A-Z](?:[a-rt-zà-ÿ]|[a-zà-ÿ]{2})$")  # not `LLMs`
# A title that would end in capitalised words after a word glued to a capital
# (`SystemsAcme Long`): when the name is an organisation's, it began at that glue.
_ORG_CUT = re.compile(r"(?:[a-zà-ÿ]{3}[A-Z]|,\s*[A-Z])[\w'\-]*(?:\s+[A-Z][\w'\-]*){1,3}$")
_PRODUCT_CAMEL = 0.3
# A camel given name glues a name's syllables or two short given names (`HyunJin`,
# `HongSheng`, `XiaoShuang`, `GianCarlo`, `JeanPierre`): its capitalised part has six
# letters at most. One of seven or more, before a surname, is a whole given name glued
# to the end of a title's camel word (`ImageNet`, `TensorFlow`, `StarCoder`:
# `NetSiddharth Brennan`, `FlowBastien Morel`): the seam is before it.
_LONG_TAIL_CAMEL = re.compile(r"[^\W\d_][a-zà-ÿ]+[A-Z][a-zà-ÿ]{6,}")
_WORD_GLUED_TO_NAME = 2.0
_ORG_ACRONYM = re.compile(r"[A-Z]+\d*")  # `ATLAS`, `H1`, `NA48`
_HYPHEN_ACRONYM = re.compile(r"[A-Z]{2,3}")
_CAMEL_INSIDE = re.compile(r"[a-zà-ÿ][A-Z][a-zà-ÿ]")
_GLUED_INITIAL_INSIDE = re.compile(r"[a-zà-ÿ]{2}[A-Z]\.")
_LOWER_UPPER = re.compile(r"[a-zà-ÿ][A-Z]")
_CAPITALISED_END = re.compile(r"[A-Z][a-zà-ÿ]+$")
_GLUED_CAPITAL_END = re.compile(r"[^\sA-Z\d][A-Z]$")  # not `3D`, `100B`, `5G`
# `TeV`, `keV`, `AdS`, `dS`: a word of at most three letters ending in a capital is a
# unit's or a symbol's shape, not a word with a capital glued on
_SYMBOL_END = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,2}[A-Z]$")
_GLUED_INITIAL_END = re.compile(r"[^\W\d_][A-Z]\.$")
_INITIAL_END = re.compile(r"(?<![^\W\d_])[A-Z][a-z]?\.$")  # `Petrov, A.`: a name's start


class SplitError(ValueError):
    """No reading of the line puts a title before a list of names."""


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key on every candidate
class PageWords:
    """What the rest of a page tells about words and names, used to split glued lines."""

    words: frozenset[str]
    name_words: frozenset[str]
    # The 3-letter name words and the last 4 letters of the longer ones: a word whose
    # end is none of these does not end in a name word (see _seams).
    name_ends: frozenset[str] = field(init=False)
    EMPTY: ClassVar[PageWords]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name_ends", name_ends(self.name_words))

    @classmethod
    def of(cls, lines: Iterable[tuple[str, Sequence[str]]]) -> PageWords:
        """From (glued line, other lines) of every run-together entry of a page."""
        tokens: set[str] = set()
        found: set[str] = set()
        for glued, others in lines:
            for text in others:
                tokens.update(text.split())
            # Names after the first comma of a line are never glued to a title.
            later = nm.strip_et_al(nm.split_affiliations(glued)[0].partition(",")[2])[0]
            found.update(_WORD.findall(later.casefold()))
        return cls(frozenset(words_of(tokens)), frozenset(found))


def name_ends(name_words: Iterable[str]) -> frozenset[str]:
    """What a word must end in to end in one of `name_words` (of 3 letters or more): the
    name word itself when it has 3 letters, else its last 4."""
    return frozenset(w if len(w) == 3 else w[-4:] for w in name_words if len(w) >= 3)


def words_of(tokens: Iterable[str]) -> set[str]:
    """The `\\w+` words of the casefolded text that `tokens` (its whitespace-separated
    pieces) were split from: the same set as `_WORD.findall(text.casefold())`, at a
    fraction of the cost, as a page's abstracts repeat most of their tokens and most
    tokens are one word (`\\w` is a letter, digit or `_`: never a space, and casefolding
    keeps spaces spaces). A token's punctuation at either end (`models,`, `(LLMs)`) is
    stripped first: most such tokens are then one word, without a regex scan (`\\w`
    is what `isalnum` says, or `_`)."""
    words: set[str] = set()
    for token in tokens:
        folded = token.casefold()
        if folded.isalnum():
            words.add(folded)
        elif (bare := folded.strip(_END_PUNCTUATION)).isalnum():
            words.add(bare)
        else:
            words.update(_WORD.findall(folded))
    return words


_END_PUNCTUATION = ".,;:!?()[]\"'"  # never part of a `\w` word


PageWords.EMPTY = PageWords(frozenset(), frozenset())


@dataclass(frozen=True)
class Split:
    title: str
    authors: tuple[str, ...]
    et_al: bool
    affiliations: tuple[str, ...]
    confidence: float  # 0..1: how much better the chosen seam is than the next one
    cost: float = 0.0  # the chosen seam's own cost: high when no reading looks right
    shaky: bool = False  # the seam has a shape no cost can settle (see _SHAKY_END)

    @property
    def doubtful(self) -> bool:
        return (self.confidence < margin_confidence(DOUBT_MARGIN) or self.cost > DOUBT_COST
                or self.shaky)


def margin_confidence(margin: float) -> float:
    return 1.0 - math.exp(-margin)


def split_run_together(text: str, words: PageWords | None = None) -> Split:
    """Split `TitleFirst Author, Second Author et al. · affil` into its parts."""
    words = words or PageWords.EMPTY
    names_part, affiliations = nm.split_affiliations(text.strip())
    names_part, et_al = nm.strip_et_al(names_part)
    segments = names_part.split(",")
    best = _Best()
    tail: list[str] = []
    notes: list[str] = []  # of the authors in `tail`
    for count in range(1, min(len(segments), MAX_AUTHORS) + 1):
        piece = segments[len(segments) - count + 1] if count > 1 else ""
        if count > 1 and not nm.is_mark(piece):  # a mark (`:`) is no author: passed over
            name, note = nm.clean_name(piece), ""
            if name.endswith(")"):  # rare: no call for the others (a hot path)
                name, note = nm.name_and_note(name)
            if not nm.is_name(name):
                break
            tail.insert(0, name)
            notes.insert(0, note)
        head, note = ",".join(segments[: len(segments) - count + 1]), ""
        if head.rstrip().endswith(")"):
            head, note = nm.name_and_note(head)
        for cost, cut in _candidates(head, len(tail), et_al, words, best):
            best.offer(cost, head, cut, tail, (note, *notes))
    if best.cut < 0:
        raise SplitError(f"cannot tell where the title ends and the authors begin in "
                         f"{text[:80]!r}")
    title = best.head[:best.cut].strip()
    first = nm.clean_name(best.head[best.cut:])
    runner_up = best.runner_up
    confidence = margin_confidence(runner_up - best.cost) if runner_up < math.inf else 1.0
    return Split(title, (first, *best.tail), et_al, nm.with_notes(affiliations, best.notes),
                 round(confidence, 3), round(best.cost, 3),
                 _SHAKY_END.search(title[-8:]) is not None or _shaky_organisation(first))


def _shaky_organisation(name: str) -> bool:
    """`Cb collaboration` of `…massesLHCb collaboration`: an organisation whose last word
    is in small letters is read as a name is (a person's name never ends so), so where
    its own name began (`LHCb`, `LH|Cb`) no cost can settle: always doubtful. So is one
    whose first word is a capital and one small letter (`…the LHCLH` + `Cb Collaboration`):
    the end of a mixed-case acronym (`LHCb`) the title's capitals took."""
    first, _, last = name.rpartition(" ")
    if not first or last.casefold() not in nm.ORGANISATION_WORDS:
        return False
    lead = first.partition(" ")[0]
    return last.islower() or (len(lead) == 2 and lead[0].isupper() and lead[1].islower())


class _Best:
    """The cheapest reading so far (the first of equal ones) and the cost of the next.

    A candidate that costs more than `runner_up` changes neither, so the walk does not
    finish the costs of one whose lower bound is already above it (see _floor)."""

    def __init__(self) -> None:
        self.cost = self.runner_up = math.inf
        self.head, self.cut = "", -1  # cut -1: no candidate yet
        self.tail: tuple[str, ...] = ()
        self.notes: tuple[str, ...] = ()  # of the first author and the tail's

    def offer(self, cost: float, head: str, cut: int, tail: list[str],
              notes: tuple[str, ...]) -> None:
        if self.cut < 0 or cost < self.cost:
            if self.cut >= 0:
                self.runner_up = min(self.runner_up, self.cost)
            self.cost, self.head, self.cut, self.tail = cost, head, cut, tuple(tail)
            self.notes = notes
        else:
            self.runner_up = min(self.runner_up, cost)

    def beyond(self, bound: float) -> bool:
        """Whether every candidate whose cost is at least `bound` changes nothing (a
        margin far above the floats' rounding keeps this exact)."""
        return bound > self.runner_up + 1e-9


@dataclass
class _Rest:
    """The whole name words after the glued one, with what the costs need of them."""

    words: list[str]
    cost: float = 0.0  # _rest_word_cost summed
    full: int = 0  # words that are neither initials nor particles
    initials: bool = False
    chars: int = 0
    org: bool = False  # the name ends in an organisation word (`Acme LongRange Team`)

    def add(self, word: str) -> None:
        if not self.words and nm.is_organisation_word(word):
            self.org = True
        self.words.insert(0, word)
        cost = _rest_word_cost(word)
        if self.org and word[:1].isupper():
            cost = min(cost, _PRODUCT_CAMEL)  # `LongRange` of `Acme LongRange Team`
        self.cost += cost
        initial = nm.is_initial(word)
        self.full += not initial and not nm.is_particle(word)
        self.initials = self.initials or initial
        self.chars += len(word)


def _candidates(head: str, tail: int, et_al: bool, words: PageWords,
                best: _Best) -> Iterator[tuple[float, int]]:
    """(cost, where the first author begins in `head`) of every seam in its last words
    that may change `best`; `tail`: how many authors follow the first."""
    body = head.rstrip()
    count = tail + 1
    count_cost = 0.0 if (count == MAX_SHOWN if et_al else count <= MAX_SHOWN) else 3.0
    # Walk the last words of `body` from the right: `rest` are whole name words.
    end = len(body)
    rest = _Rest([])
    for _ in range(nm.MAX_NAME_WORDS):
        if best.beyond(count_cost + rest.cost + _floor(rest)):
            return  # every candidate further on costs more than the next best
        start = body.rfind(" ", 0, end) + 1
        token = body[start:end]
        # a dash between name words (`R.M.Mir -- Kasimov`, nm.is_name) is passed over
        if token and not (rest.words and token in nm.DASHES):
            offset = max(0, len(token) - FIRST_WORD - 1)
            seams = _seams(token[offset:], words, bool(rest.words))
            if seams:
                yield from _token_candidates(body, start, token, offset, seams, rest,
                                             count_cost + rest.cost, words, best)
            if not nm.is_name_word(token):
                return
            rest.add(token)
        if start == 0 or rest.chars > nm.MAX_NAME_CHARS:
            return
        end = start - 1


def _token_candidates(body: str, start: int, token: str, offset: int,
                      seams: tuple[tuple[int, float], ...], rest: _Rest, base: float,
                      words: PageWords, best: _Best) -> Iterator[tuple[float, int]]:
    floor = _floor(rest)
    for i, seam_cost in seams:
        if best.beyond(base + seam_cost + floor):
            continue
        cut = start + offset + i
        first_word = body[cut:start + len(token)]
        if not nm.is_name_word(first_word):
            continue
        title_end = body[max(0, cut - END_WINDOW):cut]
        if title_end.isspace() or not title_end:
            continue
        cost = base + seam_cost + _first_word_cost(first_word, rest, words)
        if best.beyond(cost + TITLE_END_FLOOR):
            continue
        if rest.org and _ORG_CUT.search(title_end):
            cost += 1.5  # `SystemsAcme Long|Range Team`: the organisation began at the glue
        yield cost + _title_end_cost(title_end, words), cut


def _floor(rest: _Rest) -> float:
    """The least a candidate's first word and title end can add, `rest` following it:
    _length_cost's least for its full words, _given_cost's and _title_end_cost's least."""
    return (0.0 if rest.org else _LENGTH_FLOOR.get(rest.full, 1.5)) + GIVEN_FLOOR \
        + TITLE_END_FLOOR


# _length_cost's least when `rest` has this many full words (the first word adds one or none)
_LENGTH_FLOOR = {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.4, 4: 0.9}
GIVEN_FLOOR = -0.6  # _given_cost's least: a plain name the page uses as a name
TITLE_END_FLOOR = -0.9  # _title_end_cost's least: `VLMs` that the page uses


def _seams(token: str, words: PageWords, more: bool) -> tuple[tuple[int, float], ...]:
    """Where a name can begin inside `token` (a bounded window), each with its cost.

    Most words have no capital after their first letter and no part marks (`models`,
    `Recommendation`, `Pengyang`): when such a word does not end in one of the page's
    name words either, its only seam is after a first capital (`R|ecommendation`, see
    _scan_seams), found without a scan."""
    if token[1:].islower() and "-" not in token and "'" not in token \
            and "\u2019" not in token:  # no _PART_MARKS
        folded = token.lower()
        if len(folded) == len(token) and folded[-3:] not in words.name_ends \
                and folded[-4:] not in words.name_ends:
            return _CAPITAL_CUT if token[0].isupper() and token[1].islower() else ()
    return _scan_seams(token, words, more)


_CAPITAL_CUT = ((1, 2.5),)  # `F|ormulation`: a word cut after its capital
_PART_MARKS = "-'\u2019"  # where a part of a word ends (`Jean-Pierre`, `O'Neil`)


@functools.lru_cache(maxsize=PAGE_CACHE)
def _scan_seams(token: str, words: PageWords, more: bool) -> tuple[tuple[int, float], ...]:
    """_seams, one letter at a time.

    A capital followed by a small letter or a period is the usual seam. A name
    written in small letters (`björn`) can only be seen when the page uses it
    elsewhere, or when what precedes it cannot end a word (`Top-Kbjörn`). A lone
    capital at the end (`Y` of `Y Hoang Tran`) is a seam when words follow.
    """
    found: list[tuple[int, float]] = []
    end = len(token)
    folded = token.lower()
    if len(folded) != len(token):
        folded = token  # a letter whose lower case is longer (`İ`): compare as written
    name_words = words.name_words
    for i in range(len(token) - 1, 0, -1):  # right to left, to know where each part ends
        char = token[i]
        if char.islower():  # the most common: tested first
            if end - i >= 3 and name_words and folded[i:end] in name_words:
                # `Ruben` read as `Ru` + `ben`, `Hyun` as `H` + `yun` (of `Kyung Hyun
                # Cho` on a page that names a `Yun`): cutting a capitalised word is unlikely
                found.append((i, 1.8 if i == 1 or _CAPITALISED_END.search(token, 0, i)
                              else 0.3))
            elif token[i - 1].isupper() and (i < 2 or not token[i - 2].islower()):
                found.append((i, 2.5 if i == 1 else 1.5))  # `F|ormulation`: a word cut after
                # its capital; `Top-K|björn`: a name in small letters after a capital
        elif char in _PART_MARKS:
            end = i
        elif char.isupper():
            after = token[i + 1:i + 2]
            if after.islower() or after in ("'", "\u2019"):
                found.append((i, 0.0))
            elif after == ".":  # an initial; inside a word of capitals (`TOR|I.B. Varga`)
                found.append((i, 0.5 if token[i - 1].isupper() else 0.0))  # less likely
            elif after == "-" and token[i + 2:i + 3].isupper() and not token[i - 1].isupper():
                found.append((i, 0.8))  # `H-O. Kreiss`, `C-Y Hu`; not `ATLA|S-X`
            elif more and not after and token[i - 1].islower():
                found.append((i, 0.9))  # `…speechY Hoang Tran`: a lone capital glued on
            elif more and (not after or (token[i:].isupper() and token[i:].isalnum() and (
                    len(token) - i <= 3 or not token[i - 1].isupper()
                    or not token[:i].isupper()))):
                # `JM Figueroa`, `BES`/`…runLIGO Collaboration`, `…GW150914LIGO …`,
                # `…HERAH1 …`, `…TeVATLAS …`, not `A|LICE` alone; cutting inside an
                # upper-case word (`LI|GO`, `TeV|ATLAS`) is less likely than after a
                # small letter (`Te|VATLAS`)
                found.append((i, 1.2 if not after or token[i - 1].islower() else 1.6))
    return tuple(reversed(found))


def _length_cost(word: str, initial: bool, rest: _Rest) -> float:
    """A name has a given name (or initials) and a surname, rarely more than four words."""
    if rest.org:
        return 0.0  # an organisation's name has as many capitalised words as it likes
    full = (not nm.is_initial(word)) + rest.full
    if full == 1:
        return 0.0 if initial or rest.initials else 1.5
    return _FULL_WORDS_COST.get(full, 1.5)


_FULL_WORDS_COST = {0: 2.0, 2: 0.0, 3: 0.4, 4: 0.9}  # by the name's full words (not 1)


def _first_word_cost(word: str, rest: _Rest, words: PageWords) -> float:
    """How much `word` looks like a first name: `Yuxuan`, `Jean-Pierre`, `SeongKu`, `T.S.`."""
    if rest.org and len(word) > 1 and word.casefold() in words.words:
        return GIVEN_FLOOR  # `CMS` of `the CMS detector`: the page's abstracts name the
        # organisation (a person's given name used as a word is the opposite: a title's)
    if nm.starts_with_initial(word) or (len(word) <= 3 and word.isupper() and rest.words) \
            or (rest.org and _ORG_ACRONYM.fullmatch(word)):
        # `JM Figueroa`; an organisation's acronym of any length (`ATLAS`, `H1`)
        if rest.org and len(word) == 1:
            return 1.0  # `KAGR|A Scientific Collaboration`: no organisation starts so
        return _length_cost(word, True, rest)
    given = _given_cost(word, words)
    if rest.org and word[:1].isupper():
        given = min(given, _PRODUCT_CAMEL)  # `DeepVista Team`, `BES Collaboration`
    elif rest.full and _LONG_TAIL_CAMEL.fullmatch(word):
        given += _WORD_GLUED_TO_NAME  # `NetSiddharth Brennan` of `ImageNetSiddharth`
    return _length_cost(word, False, rest) + given


@functools.lru_cache(maxsize=PAGE_CACHE)
def _given_cost(word: str, words: PageWords) -> float:
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
        # `Mistral-AI`: an organisation's acronym after a hyphen; else not a name's part
        cost += 0.5 if len(parts) == 2 and _HYPHEN_ACRONYM.fullmatch(parts[1]) else 2.0
    inner = _INNER_TAIL.search(head) if len(head) <= FIRST_WORD else None
    if inner and inner.group(0).casefold() in words.name_words:
        cost += 1.0  # `ChatNingtao` when the page knows `Ningtao`: the seam is later
    folded = head.casefold()
    if folded in words.name_words:
        cost -= 0.6
    elif folded in words.words:
        cost += 0.3
    return cost


@functools.lru_cache(maxsize=nm.WORDS_KEPT)
def _rest_word_cost(word: str) -> float:
    """A later word of the first name: a glued (camel) word means the seam is further on,
    unless it has a surname prefix's shape (`DeVries`, `McAllister`)."""
    if nm.is_particle(word) or nm.is_initial(word):
        return 0.0
    if _PREFIX_CAMEL.fullmatch(word):
        return 0.3
    glued = _GLUED_PREFIX.fullmatch(word)
    if glued and ((prefix := glued.group(1).casefold()) == nm.SURNAME_PREFIX
                  or prefix in nm.particles()):
        return 0.3  # `VanderMeer`, `FitzPatrick`
    if _CAMEL_INSIDE.search(word) or _GLUED_INITIAL_INSIDE.search(word):
        return 1.5  # `ApplicationsG.T.Ter-Kazarian`: the seam is inside this word
    if _LOWER_UPPER.search(word):
        return 0.3  # `KamLAND`
    return 0.7 if word[:1].islower() else 0.0


class _TitleEnd(NamedTuple):
    """What the title's last word says by its own letters (see _title_end_cost)."""

    cost: float  # the shapes' costs: multiples of 0.5, so their sum is exact in any order
    camel: str | None  # `recommendation` of `RecommendationSeong`, casefolded
    plural: bool  # `VLMs`
    last: str  # its last `\\w+` word, casefolded ("" when none)
    lower: bool  # that word ends in a small letter
    initial: bool  # it ends in a capital and a period glued to a letter (`LLMsT.`)


@functools.lru_cache(maxsize=WORD_CACHE)
def _title_end(tail: str) -> _TitleEnd:
    found = _WORD.findall(tail)
    last = found[-1] if found else ""
    cost = 0.0
    camel = _CAMEL_END.search(tail)
    if camel and camel.group(1)[-1].islower():
        cost += 1.0 if len(camel.group(1)) < 8 else 1.5  # `RecommendationSeong`: a camel
        # tail is more likely a split name, all the more after a long word
    else:
        camel = None
    if _ACRONYM_WORD_END.search(tail):
        cost += 1.0  # `RAGFu`: an acronym glued to a short word is more likely a name
    if _PUNCT_WORD_END.search(tail):
        cost += 1.5  # `Imaging?Gang`: a title word glued to its own punctuation
    if _GLUED_CAPITAL_END.search(tail) and not _SYMBOL_END.search(tail):
        cost += 1.0  # `algebrasJ` of `JM Figueroa`: a word does not end in one capital
    initial = _GLUED_INITIAL_END.search(tail) is not None
    if initial:
        cost += 2.0  # `LLMsT.`: a title word does not end in a glued initial
    elif _INITIAL_END.search(tail):
        cost += 2.5  # `..., A.` of `A.A. Tseytlin`: the seam is before the initials
    return _TitleEnd(cost, camel.group(1).casefold() if camel else None,
                     _PLURAL_ACRONYM_END.search(tail) is not None, last.casefold(),
                     bool(last) and last[-1].islower(), initial)


def _title_end_cost(end: str, words: PageWords) -> float:
    """`end` is the last END_WINDOW characters of the title a seam would leave."""
    if end.endswith(("--", " -", "''")):
        return 0.5  # `--Gauge Theoretical Method--`, `- Physical Aspects -`: a dash
        # closing an aside; ```A Lagrangian for DSR''`: TeX's closing quotes
    if end.endswith(("-", "'", "\u2019")):
        return 3.0  # `Spatio-` or `O'`: a title does not end in the middle of a word
    # the title's last word: the shapes are its own, the same on every page
    shape = _title_end(end[end.rfind(" ") + 1:])
    cost = shape.cost
    if shape.initial and end.isupper() and shape.last in words.words:
        cost -= 2.0  # a title in capitals ends in a word of capitals that the page uses
        # (`SPACE-TIME.` of `…SPACE-TIME.A. Kehagias`), not in a glued initial
    if shape.camel is not None and shape.last not in words.words and shape.camel in words.words:
        cost += 1.0  # ... all the more when the page uses `Recommendation` alone
    if "," in end and _NAME_PIECE_END.search(end):
        cost += 2.0
    elif "," in end and _NAMES_PIECE_END.search(end):
        cost += 2.0 if _GLUED_NAME_PIECE_END.search(end) else 1.0
    # The terms below are not multiples of 0.5: added last, in this order, as always.
    if shape.plural:
        cost -= 0.3  # `VLMs`, `POMDPs`
    if shape.last and shape.last in words.words:
        cost -= 0.6
    elif shape.lower and shape.last in words.name_words:
        cost += 0.5
    return cost
