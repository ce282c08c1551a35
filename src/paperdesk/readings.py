"""What an ambiguous category code (`NA`: cs.NA or math.NA) means where, read from the
store and the user's choices (paperdesk.categories gives the rule and the precedence).

A profile's `Reading` is the user's choices for its page over its field; a paper's is
that of the profile in scope when it lists the paper (as the table reads it), else
that of the profiles listing it (`categories.combined`); the user's choice for the
paper itself (`PaperNotes.category`) comes first everywhere. `Readings` keeps the
profiles' readings for a run over many papers (an export).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from paperdesk import categories
from paperdesk.categories import Reading
from paperdesk.store import PaperRow, ProfileRow, Store
from paperdesk.userdata import PaperNotes, UserData, UserDataError

Choices = Mapping[str, Mapping[str, str]]  # page file name -> {code as shown: full code}


def user_choices(userdata: UserData | None) -> dict[str, dict[str, str]]:
    """The profiles' choices; none without a readable user-data file."""
    if userdata is None:
        return {}
    try:
        return userdata.categories.profiles()
    except UserDataError:
        return {}


def profile_reading(store: Store, profile: ProfileRow, choices: Choices,
                    counts: Sequence[tuple[str, int]] | None = None) -> Reading:
    """The profile's reading: the user's choices for its page over its field (`counts`:
    its categories, when read already)."""
    mix = store.categories(profile.id) if counts is None else counts
    whose = profile.name or profile.source
    return Reading(categories.profile_field(profile.field, mix),
                   tuple((code, meaning, whose) for code, meaning
                         in sorted(choices.get(profile.source, {}).items())))


def paper_reading(store: Store, listing: Sequence[ProfileRow], choices: Choices,
                  scope_profile: int | None = None) -> Reading:
    """The reading of a paper the profiles `listing` list: the one in scope's if it is
    one of them, else theirs combined."""
    chosen = [p for p in listing if p.id == scope_profile] or list(listing)
    return categories.combined([profile_reading(store, p, choices) for p in chosen])


def profile_mix(store: Store, profile: ProfileRow, reading: Reading,
                userdata: UserData | None,
                counts: Sequence[tuple[str, int]] | None = None) -> list[tuple[str, int]]:
    """The profile's (full code, papers), read by `reading` and the user's choices for
    its papers."""
    mix = store.categories(profile.id) if counts is None else counts
    mine: list[tuple[str, str]] = []
    if userdata is not None and any(categories.is_ambiguous(code) for code, _ in mix):
        try:
            chosen = userdata.categories.papers()
        except UserDataError:
            chosen = {}
        if chosen:
            mine = [(code, chosen[pid]) for pid, code in store.profile_codes(profile.id,
                                                                               chosen)]
    return categories.tally(mix, reading, mine)


class Readings:
    """Papers' full codes over a run (an export), each profile read once."""

    def __init__(self, store: Store, choices: Choices) -> None:
        self._store = store
        self._choices = choices
        self._profiles: dict[int, Reading] = {}

    def full_code(self, paper: PaperRow, notes: PaperNotes | None = None) -> str:
        """The paper's full code: the user's choice, else the listing profiles' reading;
        an ambiguous code nothing settles as the page shows it (`NA`), never a guess."""
        mine = notes.category if notes is not None else None
        if not categories.is_ambiguous(paper.category):
            return categories.full_code(paper.category)
        readings = []
        for profile in self._store.listing(paper.rid):
            if profile.id not in self._profiles:
                self._profiles[profile.id] = profile_reading(self._store, profile,
                                                             self._choices)
            readings.append(self._profiles[profile.id])
        return categories.combined(readings).full_code(paper.category, mine)


class ChoiceError(Exception):
    """A category choice that cannot be made; the message is for the user."""


def _meaning(shown: str, meaning: str | None, where: str) -> str | None:
    if not categories.is_ambiguous(shown):
        raise ChoiceError(f"{where}: the category {shown!r} names one category at most "
                          f"({categories.label(shown)}): nothing to choose")
    if meaning is not None and not categories.may_mean(shown, meaning):
        raise ChoiceError(f"{where}: {meaning!r} is not a category {shown!r} may be; "
                          f"choose {_choices(shown)}")
    return meaning


def _choices(shown: str) -> str:
    return " or ".join(code for code, _ in categories.meanings(shown))


def choose_for_paper(store: Store, userdata: UserData, paper: str,
                     meaning: str | None) -> PaperRow:
    """Paper `paper`'s ambiguous code means `meaning` (None: forget the choice)."""
    row = store.paper_by_id(paper)
    if row is None:
        raise ChoiceError(f"{store.path}: no paper with id {paper}")
    userdata.categories.set_paper(paper, _meaning(row.category, meaning, paper))
    return row


def choose_for_page(store: Store, userdata: UserData, source: str, code: str,
                    meaning: str | None) -> ProfileRow:
    """On the profile of page `source`, `code` means `meaning` (None: forget it)."""
    profile = store.profile_by_source(source)
    if profile is None:
        raise ChoiceError(f"{store.path}: no page {source!r} in the store")
    userdata.categories.set_profile(source, code, _meaning(code, meaning, source))
    return profile
