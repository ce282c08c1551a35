"""Back and forward through what was viewed: authors, people, papers, link clicks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A scope (all, profile or person) and the paper shown in it, if any."""

    kind: str = "all"
    value: object = None
    rid: int | None = None


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

    def __len__(self) -> int:
        return len(self._items)
