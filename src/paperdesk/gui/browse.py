"""What the window browses: one small observable state that the panes listen to.

`BrowseState` holds the scope (a Location without a paper), the paper shown (its
rid), the sort, the search terms of the answer shown and the Back/Forward history.
It is the only place these live. It also knows the stable id (papers.id) of every
paper it was shown (`learn`): a rowid follows the date and may belong to another
paper after the store changes, so `follow()` moves the history to the rowids the
papers have now (gui/relocate.py finds them). A pane changes them through its methods and
learns of a change through its signals, never by asking another pane, so the
panes need not know each other, and a pane that shows the state (the author
list selecting the scope, the table selecting the paper) does not navigate
again: what it would ask for is what the state already holds.

`go()` emits, in this order: `scopeChanged(old)` when the scope changed (a new
search is due; the table waits for its answer, which selects `pending_rid`), or
`paperChanged(rid)` when only the paper changed; then `located()` after every
`go()` (the author list shows the scope, the pane and the title follow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from paperdesk.gui.history import History, Location, relocated
from paperdesk.query import Highlight
from paperdesk.search import Scope


@dataclass(frozen=True)
class Moves:
    """Where what the window remembers is in a store that changed: the rowid of each
    paper id, the id of each profile page and the key now of each person key still
    there (a merged person's: the one merged into)."""

    rids: dict[str, int] = field(default_factory=dict)
    profiles: dict[str, int] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


SETTLE_MS = 700  # table moves closer together than this make one history entry

Sort = tuple[str, bool]


class BrowseState(QObject):
    """Scope, paper, sort, search terms and history; see the module docstring."""

    scopeChanged = Signal(object)  # the previous scope (Location or None)
    paperChanged = Signal(object)  # rid or None, in the same scope
    located = Signal()  # after every go()
    sortChanged = Signal(object)  # (column key, descending) or None
    termsChanged = Signal(object)  # the words to highlight and where (query.Highlight)
    historyChanged = Signal()  # Back/Forward availability

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scope: Location | None = None  # rid unused
        self.rid: int | None = None  # the paper shown in the pane
        self.pending_rid: int | None = None  # select this paper when the answer arrives
        self.sort: Sort | None = None
        self.terms: tuple[Highlight, ...] = ()  # the words to highlight and where
        self.history = History()
        self.names: dict[int, str] = {}  # rid -> papers.id of the papers shown
        self.pages: dict[int, str] = {}  # profile id -> profiles.source of those shown
        self.following = False  # the store changed: Back waits for follow()
        self.moving = QTimer(self)  # runs while the table's selection is moving
        self.moving.setSingleShot(True)
        self.moving.setInterval(SETTLE_MS)

    @property
    def here(self) -> Location:
        """The scope shown (All papers before any)."""
        return self.scope or Location()

    def location(self) -> Location:
        """The scope and the paper shown."""
        return Location(self.here.kind, self.here.value, self.rid)

    def search_scope(self) -> Scope:
        """The scope as the search engine takes it (a saved search searches all papers)."""
        loc = self.here
        if loc.kind == "profile" and isinstance(loc.value, int):
            return Scope("profile", loc.value)
        if loc.kind == "person" and isinstance(loc.value, str):
            return Scope("person", loc.value)
        if loc.kind == "profiles" and isinstance(loc.value, tuple):
            return Scope("profiles", loc.value)
        return Scope()

    def go(self, location: Location, *, record: bool = True) -> None:
        """Show a scope and optionally a paper in it; the one way every view changes."""
        if record:
            self.moving.stop()
            self.history.visit(location)
            self.historyChanged.emit()
        scope = Location(location.kind, location.value)
        self.rid = location.rid
        if scope != self.scope:
            old, self.scope = self.scope, scope
            self.pending_rid = location.rid
            self.scopeChanged.emit(old)
        else:
            self.paperChanged.emit(location.rid)
        self.located.emit()

    def start(self, sort: Sort | None, location: Location) -> None:
        """Show the place restored at start-up (`sort` too), unless another was shown
        while it was looked up."""
        if self.scope is None:
            self.set_sort(sort)
            self.go(location)

    def learn(self, rid: int, paper_id: str) -> None:
        """Paper `rid` is `paper_id` (papers.id) in the store open now."""
        if paper_id:
            self.names[rid] = paper_id

    def rename(self, old: str, new: str) -> None:
        """Paper `old` is now paper `new` (a correction or an import gave it a new title,
        so a new id): what the window remembers of it follows."""
        for rid, paper_id in list(self.names.items()):
            if paper_id == old:
                self.names[rid] = new

    def known(self) -> tuple[set[str], set[str], set[str]]:
        """The ids of the papers, the pages of the profiles and the keys of the people
        in the history and shown, as far as known (looked up again when the store
        changes: gui/relocate.py)."""
        items = [*self.history.items(), self.location(),
                 Location(self.here.kind, self.here.value, self.pending_rid)]
        rids = {item.rid for item in items}
        ids = {item.value for item in items if item.kind == "profile"}
        ids.update(i for item in items if item.kind == "profiles"
                   and isinstance(item.value, tuple) for i in item.value)
        return ({self.names[r] for r in rids if r in self.names},
                {self.pages[i] for i in ids if isinstance(i, int) and i in self.pages},
                {str(item.value) for item in items if item.kind == "person"})

    def moved(self, found: Moves) -> Callable[[Location], Location | None]:
        """What a location is in the store open now, whose papers have `found.rids` (by
        papers.id), whose profiles have `found.profiles` (by their page) and whose
        people are `found.people` (by the key before); see history.relocated."""
        names, pages = dict(self.names), dict(self.pages)

        def paper(rid: int) -> int | None:
            return found.rids.get(names.get(rid, ""))

        def profile(profile_id: int) -> int | None:
            return found.profiles.get(pages.get(profile_id, ""))

        return lambda location: relocated(location, paper, profile, found.people.get)

    def follow(self, found: Moves) -> int:
        """The store changed (`moved`); the history follows its papers, profiles and
        people (gui/history.py). Returns how many entries were dropped because what
        they showed is gone (or was never known by its id)."""
        gone = self.history.follow(self.moved(found))
        self.names = {rid: paper_id for paper_id, rid in found.rids.items()}
        self.pages = {i: source for source, i in found.profiles.items()}
        self.following = False
        self.historyChanged.emit()
        return gone

    def pick_paper(self, rid: int | None, paper_id: str = "") -> None:
        """The user selected paper `rid` (papers.id `paper_id`, "" when not read yet) in
        the table. One history entry per settled selection: moves in quick succession
        (arrow keys held or tapped) replace the entry the first of them made."""
        if rid is not None:
            self.learn(rid, paper_id)
        if rid is None or rid == self.rid:
            return
        scope = self.here
        location = Location(scope.kind, scope.value, rid)
        here = self.history.current
        if self.moving.isActive() and here is not None and here.rid is not None and (
                here.kind, here.value) == (scope.kind, scope.value):
            self.history.replace(location)
        else:
            self.history.visit(location)
        self.historyChanged.emit()
        self.moving.start()
        self.go(location, record=False)

    def back(self) -> None:
        if self.following:
            return
        self.moving.stop()  # a move after Back is a new entry, not a change of this one
        location = self.history.back()
        if location is not None:
            self.go(location, record=False)
        self.historyChanged.emit()

    def forward(self) -> None:
        if self.following:
            return
        self.moving.stop()
        location = self.history.forward()
        if location is not None:
            self.go(location, record=False)
        self.historyChanged.emit()

    def settle(self, shown: bool, final: bool, filtered: bool) -> int | None:
        """An answer came: the paper to select in it, or None. `shown`: the paper to
        keep (pending_rid, else rid) is in the answer; `final`: no rows follow;
        `filtered`: the query has text, so a paper left out was filtered out."""
        keep = self.pending_rid if self.pending_rid is not None else self.rid
        self.pending_rid = None
        if keep is not None and shown:
            self.rid = keep
            return keep
        if keep is not None and not final:
            self.pending_rid = keep  # the first page: the full answer may have it
        elif keep is not None and filtered:
            self.rid = None  # the search filtered the paper out
        return None

    def kept(self) -> int | None:
        """The paper an answer should select if it has it."""
        return self.pending_rid if self.pending_rid is not None else self.rid

    def set_sort(self, sort: Sort | None) -> None:
        if sort != self.sort:
            self.sort = sort
            self.sortChanged.emit(sort)

    def set_terms(self, terms: tuple[Highlight, ...]) -> None:
        if terms != self.terms:
            self.terms = terms
            self.termsChanged.emit(terms)

    def reset(self) -> None:
        """The store closed: no scope is shown (the next go() searches afresh)."""
        self.scope = None
