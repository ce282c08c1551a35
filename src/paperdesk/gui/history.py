"""Back and forward through what was viewed: authors, people, papers, link clicks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A scope (all, profile or person) and the paper shown in it, if any."""

    kind: str = "all"
    value: object = None
    rid: int | None = None


def relocated(location: Location, paper: Callable[[int], int | None],
              profile: Callable[[int], int | None],
              person: Callable[[str], str | None] = lambda key: key) -> Location | None:
    """`location` with its paper's rowid, its profiles' ids and its person's key as they
    are now (`paper`, `profile`, `person`: None when gone); None when its paper, its
    person or every profile of it is gone."""
    value = location.value
    if location.kind == "profile" and isinstance(value, int):
        value = profile(value)
    elif location.kind == "profiles" and isinstance(value, tuple):
        value = tuple(i for i in (profile(v) for v in value) if i is not None) or None
    elif location.kind == "person" and isinstance(value, str):
        value = person(value)
    rid = None if location.rid is None else paper(location.rid)
    if (value is None and location.value is not None) or (rid is None) != (location.rid is None):
        return None
    return Location(location.kind, value, rid)


class History:
    """A browser-style history: visiting drops everything forward of the current place."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[Location] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._items[self._pos] if self._pos >= 0 else None

    def visit(self, location: Location) -> None:
        if location == self.current:
            return
        del self._items[self._pos + 1:]
        self._items.append(location)
        if len(self._items) > self._limit:
            del self._items[0]
        self._pos = len(self._items) - 1

    def replace(self, location: Location) -> None:
        """Put `location` in place of the current one (a selection still moving)."""
        if self._pos < 0:
            self.visit(location)
            return
        del self._items[self._pos + 1:]
        self._items[self._pos] = location

    def items(self) -> tuple[Location, ...]:
        return tuple(self._items)

    def can_back(self) -> bool:
        return self._pos > 0

    def can_forward(self) -> bool:
        return self._pos < len(self._items) - 1

    def back(self) -> Location | None:
        if not self.can_back():
            return None
        self._pos -= 1
        return self._items[self._pos]

    def forward(self) -> Location | None:
        if not self.can_forward():
            return None
        self._pos += 1
        return self._items[self._pos]

    def follow(self, moved: Callable[[Location], Location | None]) -> int:
        """The store changed: each entry as it is now (`moved`, None when its paper or
        profile is gone). An entry gone is dropped, and an entry that now repeats the
        one before it too. Returns how many were gone."""
        kept: list[Location] = []
        pos, gone = -1, 0
        for i, item in enumerate(self._items):
            now = moved(item)
            if now is None:
                gone += 1
            elif not kept or kept[-1] != now:
                kept.append(now)
            if i <= self._pos and kept:
                pos = len(kept) - 1
        self._items = kept
        self._pos = pos if pos >= 0 or not kept else 0
        return gone

    def __len__(self) -> int:
        return len(self._items)
