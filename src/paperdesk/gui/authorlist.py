"""The author list: a filter box over "All papers", saved searches, profiles and the
people named on papers, instant on a store of 2,000,000 people.

The GUI thread runs no SQL for it. A keystroke sends the filter to a reader thread
(its own read-only connection) with a generation number; a newer keystroke makes
the running read stale and interrupts it (`sqlite3.Connection.interrupt`, called from
the GUI thread); a progress handler only backs that up, for a statement started just
after the interrupt (every STALE_STEPS: Python runs on the list's thread about every
0.1 s while SQLite reads, not every millisecond, so it seldom takes Python's lock from
a paint); an answer that is not the latest is dropped on arrival.

The answer is the list's shape: the ids of the matching profiles and where the
matching people are (paperdesk/people_list.py), with the rows of the first page.
Without a filter the people are every rank 1..n (a `range`, no list), so a scrollbar
dragged to the end asks for the last page only. With one, they are the people's
sortable `ord`s in list order: the first come at once and the rest follow in a
second answer. Rows further down are read a page at a time when the view first shows
them (data() never reads: a row not there yet is blank until its page arrives), and
rows already read are kept across filters, since a person's ord does not depend on
the filter.

Its interface to the window is kept narrow:

- `AuthorList.widget`: the column (filter box, "only people with my notes", list).
- `scopePicked(Location)`: the user picked a scope: whatever the list's selection
  comes to after a click or a key (a row; several profiles selected with
  Ctrl/Shift+click give a "profiles" Location); `message(str)`: a status line;
  `hintWithdrawn(str)`: a status line said that no longer holds.
- `menuRequested(QPoint)`: a right click, in global coordinates (the window builds
  the menu, see gui/menus.py).
- `select(location)`: show `location`'s scope as selected, without `scopePicked`.
- `reload(db_path)` (after a build, an import, a change of store), `set_saved(saved)`,
  `set_marked(marks)` (after a notes change): reload its rows.
- The "Needs review" row (kind `review`, shown while some paper is `is:doubtful`,
  not among "only people with my notes")
  counts them on the list's thread (Store.needs_review) with every listing.
- `current_item()`, `selected_profiles()`, `busy`: what the window asks of it.

Attributes the tests reach: `view`, `model`, `filter`, `marked_only`.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperdesk import db, people_list
from paperdesk.gui import damage, people, render, shortcuts
from paperdesk.gui.history import Location
from paperdesk.gui.models import ITEM_ROLE, MARK, REVIEW_QUERY, AuthorItem
from paperdesk.gui.namecounts import Fit
from paperdesk.gui.plain import plain
from paperdesk.gui.selection import select_spans, selected_spans, spans_of
from paperdesk.gui.theme import theme_for
from paperdesk.gui.threads import join_on_destroy, start_behind_the_gui
from paperdesk.people_list import ListedPerson, ListedProfile
from paperdesk.records import name_matches, name_pieces, name_words
from paperdesk.search.clock import Clock, cancelling
from paperdesk.store import SMALL_CACHE_KIB, Store, StoreError, reading

PAGE = 200  # rows read at a time, and shipped with an answer
CACHE_LIMIT = 20_000  # rows kept; past that, the cache starts again
STALE_STEPS = 1_000_000  # SQLite VM steps between staleness checks (about 0.1 s)
_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)
Index = QModelIndex | QPersistentModelIndex


@dataclass
class Listing:
    """One filter's answer: the list's shape and the rows of its first page."""

    text: str
    only_marked: bool
    papers: int
    profiles: array[int]  # profile ids, in list order
    people: Sequence[int]  # people_list ords in list order; ranked: ranks 1..n (a range)
    ranked: bool = False  # the whole list, by rank
    complete: bool = True  # False: more positions come in a second answer
    review: int = 0  # papers the parser was not sure how to read ("Needs review")
    profile_rows: dict[int, ListedProfile] = field(default_factory=dict)
    person_rows: dict[int, ListedPerson] = field(default_factory=dict)


class _Worker(QObject):
    """Lives in the reader thread; owns its connection."""

    listed = Signal(int, object)  # generation, Listing
    extended = Signal(int, object)  # generation, the rest of the positions
    rowsRead = Signal(int, object, object)  # generation, profile rows, person rows
    located = Signal(int, str, object)  # generation, person key, rank or ord (0: none): 64 bits
    failed = Signal(int, str)

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self._db_path = db_path
        self._store: Store | None = None
        self.latest = 0  # written by the GUI thread; an int store is atomic

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store(self._db_path, cache_kib=SMALL_CACHE_KIB)
        return self._store

    def _guarded(self, generation: int, work: Callable[[Store], None]) -> None:
        """Run `work` unless stale; a newer request interrupts it; errors are said (a damaged
        store by the store page: gui/damage.py)."""
        if generation != self.latest:
            return
        try:
            store = self._open()
            clock = Clock(lambda: generation != self.latest, STALE_STEPS)
            with reading(self._db_path), cancelling(store.conn, clock):
                work(store)
        except (sqlite3.Error, StoreError) as exc:
            if db.kind(exc) is not db.Kind.INTERRUPTED and not damage.said(exc):
                self.failed.emit(generation, f"Cannot read the author list: {exc}")

    @Slot(int, str, object)
    def listing(self, generation: int, text: str, marked: tuple[str, ...] | None) -> None:
        self._guarded(generation, lambda store: self._list(store, generation, text, marked))

    def _list(self, store: Store, generation: int, text: str,
              marked: tuple[str, ...] | None) -> None:
        papers = store.paper_total()
        if marked is not None:
            listing = Listing(text, True, papers, array("q"), self._marked(store, text, marked))
        elif not text:
            listing = Listing(text, False, papers, people_list.profile_ids(store, ""),
                              range(1, people_list.people_total(store) + 1), ranked=True)
        else:
            chunks = people_list.people_matching(store, text, PAGE)
            first = next(chunks, array("q"))
            listing = Listing(text, False, papers, people_list.profile_ids(store, text),
                              first, complete=len(first) < PAGE)
        listing.review = store.needs_review(0)[0]
        listing.profile_rows = people_list.profiles_by_id(store, listing.profiles[:PAGE])
        listing.person_rows = _people(store, listing.people[:max(0, PAGE - len(listing.profiles))],
                                      listing.ranked)
        if generation != self.latest:
            return
        self.listed.emit(generation, listing)
        if not listing.complete:
            rest = array("q")
            for chunk in chunks:
                if generation != self.latest:
                    return
                rest.extend(chunk)
            self.extended.emit(generation, rest)

    @staticmethod
    def _marked(store: Store, text: str, keys: tuple[str, ...]) -> list[int]:
        """Positions of the people with the user's notes whose name has a word starting
        with `text` (as people_list.people_matching reads it), by name."""
        pieces = name_pieces(text)
        found = [p for p in (store.person(k) for k in keys)
                 if p is not None and name_matches(name_words(p.name), pieces)]
        found.sort(key=lambda p: p.name.casefold())
        where = (people_list.person_position(store, p.key) for p in found)
        return [position for position in where if position is not None]

    @Slot(int, object, object, bool)
    def rows(self, generation: int, profile_ids: list[int], positions: list[int],
             ranked: bool) -> None:
        def read(store: Store) -> None:
            self.rowsRead.emit(generation, people_list.profiles_by_id(store, profile_ids),
                               _people(store, positions, ranked))
        self._guarded(generation, read)

    @Slot(int, str, bool)
    def locate(self, generation: int, key: str, ranked: bool) -> None:
        def find(store: Store) -> None:
            where = people_list.rank_of if ranked else people_list.person_position
            self.located.emit(generation, key, where(store, key) or 0)
        self._guarded(generation, find)

    def interrupt(self) -> None:
        """Abort the statement running, if any (from any thread: SQLite's interrupt is
        thread-safe). Called once the request it serves is stale: a statement started
        afterwards runs (SQLite clears the flag when none is running) until the
        progress handler sees `latest`."""
        store = self._store
        if store is not None:
            store.conn.interrupt()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _people(store: Store, positions: Sequence[int], ranked: bool) -> dict[int, ListedPerson]:
    """People by rank (the whole list) or by ord (a filter's answer)."""
    return (people_list.people_ranked if ranked else people_list.people_at)(store, positions)


class AuthorListModel(QAbstractListModel):
    """All papers, saved searches, profiles, then people; rows come from a Listing and
    pages read later (`loader`), never from SQL here."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._listing: Listing | None = None
        self._saved: list[tuple[str, str]] = []  # (name, query)
        self._head: list[AuthorItem] = []
        self._profile_rows: dict[int, int] = {}  # profile id -> index in the profiles
        self._profile_items: dict[int, AuthorItem] = {}
        self._person_items: dict[int, AuthorItem] = {}  # by position
        self._positions: dict[str, int] = {}  # person key -> position, as far as known
        self._asked: set[int] = set()  # pages asked for since the last answer
        self._rows = 0
        self._marked: dict[str, str] = {}  # person key -> the user's notes, in one line
        self._header_font = QFont()
        self._header_font.setBold(True)
        self.loader: Callable[[list[int], list[int], bool], None] | None = None
        self.locator: Callable[[str, bool], None] | None = None
        self.fit = Fit()  # what the view paints of a row with two figures (namecounts)

    # -- answers

    def set_listing(self, listing: Listing | None) -> None:
        """Show `listing` in place of the list shown (`_show`)."""
        def take() -> None:
            if listing is None:
                self._profile_items.clear()
            if listing is None or listing.ranked != self.ranked:  # ranks and ords: apart
                self._person_items.clear()
                self._positions.clear()
            self._listing = listing
            self._asked = set()
            if listing is not None:
                self._profile_rows = {pid: i for i, pid in enumerate(listing.profiles)}
                self._store_rows(listing.profile_rows, listing.person_rows)
        self._show(listing, self._saved, take)

    def _show(self, listing: Listing | None, saved: list[tuple[str, str]],
              take: Callable[[], None]) -> None:
        """Change the rows in place, never by a reset: the rows there are say their data
        changed, then rows past the new end are removed (or rows added at the end).
        A reset would rebuild the view's row sections (2,000,000 of them) and drop its
        selection and current row; this way they stay where they are, and a view
        repaints only the rows it shows. `take` stores the new state."""
        old = self._rows
        take()
        self._saved, self._head = saved, self._head_for(listing, saved)
        new = _rows_for(listing, len(self._head))
        if old:  # rows from `new` on are blank (item() is None) until removed
            self.dataChanged.emit(self.index(0), self.index(old - 1))
        if new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            self._rows = new
            self.endRemoveRows()
        elif new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._rows = new
            self.endInsertRows()

    def extend(self, positions: array[int]) -> None:
        listing = self._listing
        if listing is None or not positions:
            return
        first = self.rowCount()
        self.beginInsertRows(QModelIndex(), first, first + len(positions) - 1)
        people = listing.people
        if not isinstance(people, array):
            people = array("q", people)
        people.extend(positions)  # in place: a short filter's rest is millions of ords
        listing.people = people
        listing.complete = True
        self._rows += len(positions)
        self.endInsertRows()

    def add_rows(self, profiles: dict[int, ListedProfile],
                 persons: dict[int, ListedPerson]) -> None:
        """A page read: its rows change (only them: a view walks every row changed)."""
        self._store_rows(profiles, persons)
        listing = self._listing
        if listing is None:
            return
        rows = [len(self._head) + self._profile_rows[p] for p in profiles
                if p in self._profile_rows]
        start = self._people_start()
        rows += [start + i for i in (_index_of(listing.people, p) for p in persons) if i >= 0]
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    def _store_rows(self, profiles: dict[int, ListedProfile],
                    persons: dict[int, ListedPerson]) -> None:
        if len(self._person_items) + len(persons) > CACHE_LIMIT:
            self._person_items.clear()
            self._profile_items.clear()
            self._asked.clear()  # pages dropped are asked for again when shown
        for pid, profile in profiles.items():
            unnamed = profile.name_inferred or not profile.name
            self._profile_items[pid] = AuthorItem("profile", profile.id,
                                                  render.profile_name(profile),
                                                  profile.entries, profile.person,
                                                  profile.source if unnamed else None,
                                                  profile.named)
        for position, person in persons.items():
            self._person_items[position] = AuthorItem("person", person.key, person.name,
                                                      person.papers, other=person.listed)
            self._positions[person.key] = position

    def locate(self, key: str, position: int) -> None:
        """Where the person `key` stands (the locator's answer)."""
        if position:
            self._positions[key] = position

    # -- what the window sets

    def set_saved(self, saved: list[tuple[str, str]]) -> None:
        """The saved searches: (name, query text), shown under "All papers"."""
        self._show(self._listing, list(saved), lambda: None)

    def saved_query(self, name: str) -> str | None:
        return next((q for n, q in self._saved if n == name), None)

    def set_marked(self, marked: dict[str, str]) -> None:
        """The people the user has notes or tags on (key -> a summary): marked rows."""
        self._marked = dict(marked)  # the view repaints (AuthorList.set_marked)

    @property
    def marked(self) -> dict[str, str]:
        return self._marked

    @property
    def filter_text(self) -> str:
        """The filter of the list shown (the box may already hold a newer one)."""
        return self._listing.text if self._listing is not None else ""

    @property
    def ranked(self) -> bool:
        """People are addressed by rank (the whole list), not by ord."""
        return self._listing is not None and self._listing.ranked

    @property
    def complete(self) -> bool:
        return self._listing is None or self._listing.complete

    def _head_for(self, listing: Listing | None, saved: list[tuple[str, str]]
                  ) -> list[AuthorItem]:
        """The rows above the profiles: All papers, Needs review, saved searches and the
        headings."""
        if listing is None:
            return []
        head = [AuthorItem("all", None, "All papers", listing.papers)]
        if listing.only_marked:
            head.append(AuthorItem("header", None, "People with your notes "
                                   f"({len(listing.people):,})"))
            return head
        if listing.review:
            head.append(AuthorItem("review", None, "Needs review", listing.review))
        needle = listing.text.casefold()
        matching = [(n, q) for n, q in saved if needle in n.casefold()]
        if matching:
            head.append(AuthorItem("header", None, f"Saved searches ({len(matching)})"))
            head.extend(AuthorItem("saved", n, n) for n, _q in matching)
        head.append(AuthorItem("header", None, f"Profiles ({len(listing.profiles):,})"))
        return head

    # -- rows

    def _people_start(self) -> int:
        """The row of the first person."""
        return _people_start(self._listing, len(self._head))

    def profile_span(self) -> range:
        """The rows of the profiles."""
        count = len(self._listing.profiles) if self._listing is not None else 0
        return range(len(self._head), len(self._head) + count)

    def profile_ids(self, rows: Iterable[int]) -> list[int]:
        """The ids of the profiles at `rows` (rows of `profile_span`)."""
        if self._listing is None:
            return []
        return [self._listing.profiles[row - len(self._head)] for row in rows]

    def item(self, row: int) -> AuthorItem | None:
        """The row's item; None for a row whose page is not read yet."""
        listing = self._listing
        if row < 0 or listing is None:
            return None
        if row < len(self._head):
            return self._head[row]
        row -= len(self._head)
        if row < len(listing.profiles):
            return self._profile_items.get(listing.profiles[row])
        row -= len(listing.profiles)
        if not listing.only_marked:
            if row == 0:
                return AuthorItem("header", None, "People on papers")
            row -= 1
        return self._person_items.get(listing.people[row]) if row < len(listing.people) else None

    def row_of(self, kind: str, value: object) -> int:
        """The row of a scope; -1 if not listed (or, for a person, not located yet:
        the locator is asked, and the list says `reloaded` when it knows)."""
        listing = self._listing
        if listing is None:
            return -1
        if kind == "profile" and isinstance(value, int) and value in self._profile_rows:
            return len(self._head) + self._profile_rows[value]
        if kind == "person" and isinstance(value, str):
            position = self._positions.get(value)
            if position is None:
                if self.locator is not None:
                    self.locator(value, listing.ranked)
                return -1
            index = _index_of(listing.people, position)
            return -1 if index < 0 else self._people_start() + index
        return next((r for r, i in enumerate(self._head)
                     if i.kind == kind and i.value == value), -1)

    def _ask(self, row: int) -> None:
        """Ask for the page of rows around `row` (once per page and answer)."""
        page = row // PAGE
        if page in self._asked or self.loader is None or self._listing is None:
            return
        self._asked.add(page)
        listing = self._listing
        start = self._people_start()
        first, last = page * PAGE, min(self.rowCount(), (page + 1) * PAGE)
        low = len(self._head)
        profiles = [pid for pid in listing.profiles[max(0, first - low):max(0, last - low)]
                    if pid not in self._profile_items]
        positions = [p for p in listing.people[max(0, first - start):max(0, last - start)]
                     if p not in self._person_items]
        if profiles or positions:
            self.loader(profiles, positions, listing.ranked)

    # -- Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows  # asked per row by views: kept


    def flags(self, index: Index) -> Qt.ItemFlag:
        item = self.item(index.row()) if index.isValid() else None
        if item is not None and item.kind == "header":
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
                self._ask(index.row())
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        return self._value(item, role)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        """The roles a paint asks of a row, in one call from C++ (Qt's default asks
        data() once per role: seven crossings into Python per row painted). A row with
        two figures gets its text as the view can show it (`fit`: the name elided, the
        figures whole); data() gives the whole text."""
        item = self.item(index.row()) if index.isValid() else None
        if item is None and index.isValid():
            self._ask(index.row())
        for i in range(len(roleDataSpan)):  # every slot: a view may hand in used ones
            slot = roleDataSpan[i]
            role = slot.role()
            if item is None:
                value = None
            elif role == Qt.ItemDataRole.ToolTipRole:
                value = self._tooltip(item)
            elif role == Qt.ItemDataRole.DisplayRole and item.other is not None:
                value = self.fit.text(self._value(item, role), item.label)
            else:
                value = self._value(item, role)
            if value is None:
                slot.clearData()
            else:
                slot.setData(value)

    def _value(self, item: AuthorItem, role: int) -> Any:
        """What a row shows for `role` (not its tooltip, which is built when asked)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return item.text if self._mark(item) is None else f"{item.text}  {MARK}"
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.FontRole and item.kind in ("header", "all", "review"):
            return self._header_font
        if role == Qt.ItemDataRole.ForegroundRole and item.kind == "header":
            # headings are disabled rows, but must stay readable: a colour from the palette
            return QColor(theme_for().heading)
        return None

    def match(self, start: Index, role: int, value: Any, hits: int = 1,
              flags: Qt.MatchFlag = Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchWrap,
              ) -> list[QModelIndex]:
        """Typing in the list jumps to a name among the rows read so far: Qt's own
        match would call data() on every row (2,000,000 at a million papers). Names
        are read as the filter reads them (records.name_pieces): `alv` finds Álvaro,
        `witt` Edward Witten."""
        if role != Qt.ItemDataRole.DisplayRole or not isinstance(value, str):
            return []
        pieces = name_pieces(value)
        if not pieces:  # a space (Ctrl+Space toggles a row and searches " "): no name
            return []
        rows = sorted(row for row, item in self._loaded()
                      if item.kind != "header" and name_matches(name_words(item.label), pieces))
        first = start.row() if start.isValid() else 0
        ordered = [r for r in rows if r >= first]
        if flags & Qt.MatchFlag.MatchWrap:
            ordered += [r for r in rows if r < first]
        return [self.index(r) for r in (ordered[:hits] if hits > 0 else ordered)]

    def _loaded(self) -> Iterator[tuple[int, AuthorItem]]:
        """(row, item) of every row read (head, profiles, people), in no order."""
        listing = self._listing
        if listing is None:
            return
        yield from enumerate(self._head)
        for pid, index in self._profile_rows.items():
            if pid in self._profile_items:
                yield len(self._head) + index, self._profile_items[pid]
        start = self._people_start()
        for position, item in self._person_items.items():
            index = _index_of(listing.people, position)
            if index >= 0:
                yield start + index, item

    def _mark(self, item: AuthorItem) -> str | None:
        key = item.value if item.kind == "person" else item.person
        return self._marked.get(key) if isinstance(key, str) else None

    def _tooltip(self, item: AuthorItem) -> str | None:
        mark = self._mark(item)
        mine = f" · your {mark}" if mark else ""
        if item.kind == "profile":
            named = ("" if item.other is None else f"; the same person is named as an author on"
                     f" {item.other} papers (People on papers), the page's other entries"
                     " hide the owner behind “et al.” or do not name them")
            return plain(f"{item.label}: {item.count} papers listed on the profile page"
                         f"{named}{mine}")
        if item.kind == "person":
            page = ("" if item.other is None else
                    f"; the same person's profile page (Profiles) lists {item.other} papers")
            papers = "1 paper" if item.count == 1 else f"{item.count} papers"
            return plain(f"{item.label}: named on {papers}{page}{mine}")
        if item.kind == "saved":
            return plain(f"Saved search: {self.saved_query(str(item.value)) or ''}")
        if item.kind == "review":
            return (f"{item.count:,} papers the parser was not sure how to split into title "
                    f"and authors ({REVIEW_QUERY}); “Correct title and authors…” on a "
                    "paper's menu fixes one")
        return None


def _people_start(listing: Listing | None, head: int) -> int:
    """The row of the first person, below `head` rows, the profiles and their heading."""
    if listing is None:
        return 0
    return head + len(listing.profiles) + (not listing.only_marked)


def _rows_for(listing: Listing | None, head: int) -> int:
    return 0 if listing is None else _people_start(listing, head) + len(listing.people)


def _index_of(positions: Sequence[int], position: int) -> int:
    """Where `position` is in `positions` (ascending, or a few in any order); -1: absent."""
    if isinstance(positions, range):
        return position - positions.start if position in positions else -1
    if isinstance(positions, array):
        i = bisect_left(positions, position)
        return i if i < len(positions) and positions[i] == position else -1
    return positions.index(position) if position in positions else -1


class AuthorView(QTableView):
    """The list, drawn as a one-column table without headers or grid: a table places
    rows by arithmetic (one row height for all), where QListView lays every row out
    after each change, one call into the Python model per row: seconds at 2,000,000.
    Home and End go to the first and last row, as in a list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(1)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several profiles can be selected (Ctrl/Shift+click) to compare them.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Rows as high as a list's: the delegate's height for one line of text."""
        option = QStyleOptionViewItem()
        option.initFrom(self)
        option.font = self.font()
        option.fontMetrics = QFontMetrics(self.font())
        option.text = "Ag"
        option.features = QStyleOptionViewItem.ViewItemFeature.HasDisplay
        height = self.style().sizeFromContents(
            self.style().ContentsType.CT_ItemViewItem, option, option.rect.size(), self).height()
        self.verticalHeader().setDefaultSectionSize(max(height, option.fontMetrics.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The viewport's width changed (the window, the splitter, the scroll bar shown)."""
        super().resizeEvent(event)
        self._fit_text()

    def changeEvent(self, event: QEvent) -> None:
        """A new font (the desktop's): rows fitted to its widths."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_text()

    def _fit_text(self) -> None:
        """Tell the model how wide a row's text is (a narrow list keeps the counts): the
        one column takes the viewport's width."""
        model = self.model()
        if not isinstance(model, AuthorListModel):
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = QRect(0, 0, self.viewport().width(),
                            self.verticalHeader().defaultSectionSize())
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        option.text = "Ag"
        style = self.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        if model.fit.set_width(text.width() - 2 * margin, QFontMetrics(option.font)):
            self.viewport().update()

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveHome,
                      QAbstractItemView.CursorAction.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)


class AuthorList(QObject):
    """The author list part; see the module docstring for its interface."""

    scopePicked = Signal(object)  # Location
    message = Signal(str)
    hintWithdrawn = Signal(str)  # a message that no longer holds (the selection changed)
    menuRequested = Signal(QPoint)
    _list = Signal(int, str, object)
    _rows = Signal(int, object, object, bool)
    _locate = Signal(int, str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setObjectName("authorFilter")
        self.filter.setPlaceholderText("Filter authors")
        self.filter.setClearButtonEnabled(True)
        self.model = AuthorListModel(self)
        self.model.loader = self._ask_rows
        self.model.locator = self._ask_locate
        self.view = AuthorView()
        self.view.setObjectName("authorList")
        self.view.setModel(self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.marked_only = people.filter_box()
        self.marked_only.toggled.connect(lambda _on: self.refresh())
        for widget in (self.filter, self.marked_only, self.view):
            layout.addWidget(widget)
        self._shown = Location()  # the scope selected last
        self._quiet = 0  # >0 while the list changes its selection itself
        self._pending = False  # a click waits for its selection to settle
        self._hint = ""  # the status bar's word on the profiles selected, while it holds
        self.generation = 0
        self._waiting = 0  # requests sent and not answered
        self._located: set[str] = set()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.filter.textChanged.connect(lambda _text: self.refresh())
        shortcuts.DownInto(self.filter, self.view)
        selection = self.view.selectionModel()
        selection.currentChanged.connect(lambda _now, _before: self._changed())
        selection.selectionChanged.connect(lambda _on, _off: self._changed())

    def fitting_width(self) -> int:
        """A first width in which a usual name with both its counts shows whole
        ("Firstname Lastname (32 · 7 named)"), the scroll bar and frame beside it."""
        sample = "Anxiang Zeng-Lian (999 · 99 named) ✎"
        view = self.view
        return (view.fontMetrics().horizontalAdvance(sample) + 2 * view.frameWidth()
                + view.verticalScrollBar().sizeHint().width() + 16)

    @property
    def busy(self) -> bool:
        """A click waits for its selection to settle, or an answer or a page is on its way."""
        return self._pending or self._waiting > 0 or not self.model.complete

    def reload(self, db_path: Path | None) -> None:
        """Read the list from the store at `db_path` (None: no store, an empty list)."""
        self.stop()
        self.model.set_listing(None)
        if db_path is None:
            return
        self._thread = QThread()
        self._thread.setObjectName("paperdesk-authors")
        self._worker = _Worker(db_path)
        self._worker.moveToThread(self._thread)
        self._list.connect(self._worker.listing)
        self._rows.connect(self._worker.rows)
        self._locate.connect(self._worker.locate)
        self._worker.listed.connect(self._listed)
        self._worker.extended.connect(self._extended)
        self._worker.rowsRead.connect(self._rows_read)
        self._worker.located.connect(self._found)
        self._worker.failed.connect(self._failed)
        join_on_destroy(self, self._thread, self._worker_stale)
        start_behind_the_gui(self._thread)
        self.refresh()

    def refresh(self) -> None:
        """List again with the filter in the box (a keystroke, a notes change)."""
        if self._worker is None:
            return
        self.generation += 1
        self._worker.latest = self.generation
        self._worker.interrupt()  # before the new request is sent: only older work stops
        self._waiting = 1  # only the latest request's answers count
        self._located.clear()
        marked = tuple(self.model.marked) if self.marked_only.isChecked() else None
        self._list.emit(self.generation, self.filter.text().lstrip(), marked)

    def set_saved(self, saved: list[tuple[str, str]]) -> None:
        self.model.set_saved(saved)
        self.select(self._shown)

    def set_marked(self, marks: dict[str, str]) -> None:
        """The people with the user's notes (key -> summary); marks their rows."""
        changed = marks != self.model.marked
        self.model.set_marked(marks)
        self.view.viewport().update()
        if changed and self.marked_only.isChecked():
            self.refresh()

    def current_item(self) -> AuthorItem | None:
        item = self.view.currentIndex().data(ITEM_ROLE)
        return item if isinstance(item, AuthorItem) else None

    def selected_profiles(self) -> list[int]:
        """Ids of the profiles selected, in list order."""
        return self.model.profile_ids(self._selected_profile_rows())

    def _selected_profile_rows(self) -> list[int]:
        """The rows of the profiles selected (30,545 at most at a million papers), in order."""
        profiles = self.model.profile_span()
        return [row for span in selected_spans(self.view)
                for row in range(max(span.start, profiles.start),
                                 min(span.stop, profiles.stop))]

    def select(self, location: Location, scroll: bool = True) -> None:
        """Show `location`'s scope as the list's selection (no scopePicked), scrolled
        to unless not `scroll`; a person not read yet is located by the list's thread
        and selected when found."""
        self._shown = Location(location.kind, location.value)
        kind, value = location.kind, location.value
        if kind != "profiles" and self._hint:  # one scope now: the hint is wrong
            self.hintWithdrawn.emit(self._hint)
            self._hint = ""
        if kind == "profiles" and isinstance(value, tuple):
            self._select_profiles(value)
            return
        row = self.model.row_of(kind, value)
        self._quiet += 1
        try:
            if row < 0:
                self.view.selectionModel().clear()
            else:
                index = self.model.index(row)
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                if scroll:
                    self.view.scrollTo(index)
        finally:
            self._quiet -= 1

    def _select_profiles(self, ids: tuple[int, ...]) -> None:
        """Select the rows of several profiles (Back to a multi-selection restores it)."""
        rows = sorted(r for r in (self.model.row_of("profile", i) for i in ids) if r >= 0)
        self._show_rows(rows, self.view.currentIndex().row())

    def stop(self) -> None:
        """End the reader thread (what is queued is dropped) and close its connection."""
        if self._thread is None or self._worker is None:
            return
        self._worker_stale()
        self._thread.quit()
        self._thread.wait()
        self._worker.close()
        self._thread.deleteLater()
        self._worker.deleteLater()
        self._thread = self._worker = None
        self._waiting = 0

    def _worker_stale(self) -> None:
        if self._worker is not None:
            self._worker.latest = -1
            self._worker.interrupt()

    def _ask_rows(self, profile_ids: list[int], positions: list[int], ranked: bool) -> None:
        self._waiting += 1
        self._rows.emit(self.generation, profile_ids, positions, ranked)

    def _ask_locate(self, key: str, ranked: bool) -> None:
        if key not in self._located:
            self._located.add(key)
            self._waiting += 1
            self._locate.emit(self.generation, key, ranked)

    def _answered(self, generation: int) -> bool:
        """Count an answer; True when it answers the latest request."""
        if generation != self.generation:
            return False
        self._waiting = max(0, self._waiting - 1)
        return True

    def _listed(self, generation: int, listing: Listing) -> None:
        """A new answer: the rows change in place; the selection moves to the scope's
        row, and the list scrolls to it only when the filter changed (the same filter
        answered again, after an import or a notes change, stays where it is)."""
        if self._answered(generation):
            refiltered = listing.text != self.model.filter_text
            self._quiet += 1  # rows removed under the current one move it: not a pick
            try:
                self.model.set_listing(listing)
            finally:
                self._quiet -= 1
            self.select(self._shown, scroll=refiltered)

    def _extended(self, generation: int, positions: array[int]) -> None:
        if generation == self.generation:
            self.model.extend(positions)

    def _rows_read(self, generation: int, profiles: dict[int, ListedProfile],
                   persons: dict[int, ListedPerson]) -> None:
        if self._answered(generation):
            self.model.add_rows(profiles, persons)

    def _found(self, generation: int, key: str, position: int) -> None:
        if self._answered(generation) and position:
            self.model.locate(key, position)
            self.select(self._shown)

    def _failed(self, generation: int, message: str) -> None:
        if self._answered(generation):
            self.message.emit(message)

    def _changed(self) -> None:
        """The selection or the current row changed: a click, a Ctrl/Shift+click, a key.
        Both are heard: a plain click on a row of a multi-selection leaves it alone
        selected without moving the current row, and Ctrl+Space toggles a row without
        moving it either; Ctrl+arrow moves the current row alone."""
        if self._quiet or self._pending:
            return
        # Decide once the view has applied the click's selection: it changes the
        # current row and the selection one after the other.
        self._pending = True
        QTimer.singleShot(0, self._settled)

    def _settled(self) -> None:
        """Browse what the selection is now. Several profiles: all their papers (Ctrl+K
        compares them); one row: its scope. A person, a search or All papers is no
        profile to compare: with fewer than two profiles among several rows, the row
        clicked last (the current one) is browsed. The list then shows only what is
        browsed, and a hint the status bar gave that no longer holds is withdrawn."""
        self._pending = False
        if self._worker is None:
            return
        spans = selected_spans(self.view)
        profiles = self._selected_profile_rows()
        if len(profiles) > 1:
            self._show_rows(profiles, self.view.currentIndex().row())
            ids = self.selected_profiles()
            self._pick(Location("profiles", tuple(ids)))
            self._hint = f"{len(ids):,} profiles selected: Ctrl+K compares them"
            self.message.emit(self._hint)
            return
        alone = len(spans) == 1 and len(spans[0]) == 1
        row = spans[0].start if alone else self.view.currentIndex().row()
        item = self.model.item(row)
        if item is None or item.kind == "header":  # nothing to browse: the scope stays
            self.select(self._shown, scroll=False)
            return
        self._show_rows([row], row)
        self._pick(Location(item.kind, item.value))

    def _show_rows(self, rows: list[int], current: int) -> None:
        """Select `rows` (ascending) alone, `current` the current row unless it is not
        among them (then the last of them is). A selection that is `rows` already is
        left as it is, its current row too: Ctrl+arrow moves the current row off the
        selection, for Ctrl+Space to add it."""
        spans = spans_of(rows)
        if selected_spans(self.view) == spans:
            return
        self._quiet += 1
        try:
            select_spans(self.view, spans)
            if rows:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(current if current in rows else rows[-1]),
                    QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._quiet -= 1

    def _pick(self, location: Location) -> None:
        """Say the user picked `location`, unless it is the scope shown already."""
        if location != self._shown:
            self.scopePicked.emit(location)

    def _context_menu(self, pos: Any) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        self.menuRequested.emit(self.view.viewport().mapToGlobal(pos))
