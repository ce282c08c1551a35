"""Window state kept between sessions: the geometry, splitter and columns (for every
store) and, per store, the last scope, paper and sort (gui/viewstate.py).

Every place the author list can show is restored: All papers, Needs review, a
profile, several profiles, a person, a saved search. A place saved earlier, or shown
before an import changed the store, may be gone (Needs review once nothing is
doubtful): `restored()` and `present()` fall back to what still exists. The
place is looked up in the store on the reader thread (`restore()`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from paperdesk.gui import columns, screenfit, viewstate
from paperdesk.gui.history import Location
from paperdesk.gui.models import PaperTableModel
from paperdesk.gui.settings import settings
from paperdesk.store import Store

if TYPE_CHECKING:
    from paperdesk.gui.papertable import PaperTable

SETTINGS_VERSION = 1

Sort = tuple[str, bool]
Found = tuple[Sort | None, Location]  # the sort and the place restored


def restore_layout(window: QMainWindow, splitter: QSplitter, table: PaperTable) -> None:
    """The geometry, the splitter and the table's columns as the user left them: their
    order, the sort and the widths the user gave (`table/widths`); the app's own
    widths are the defaults of this version (columns.Widths)."""
    s = settings()
    geometry = s.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:  # the first start: a size for a desktop, or what a smaller screen has
        screenfit.fit(window, 1400, 820)
    state = s.value("window/splitter")
    if isinstance(state, QByteArray) and not state.isEmpty():
        splitter.restoreState(state)
    header = table.horizontalHeader()
    saved_header = s.value("table/header")
    if isinstance(saved_header, QByteArray) and not saved_header.isEmpty():
        with columns.fitting(header):
            header.restoreState(saved_header)
        columns.stretch_title(header)
        # Fixed-height rows are not part of the saved state, but keep them anyway.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        user = s.value("table/widths")
        if isinstance(user, str):
            table.widths.restore(user)
        else:  # saved by an earlier version
            table.widths.guess(header)
    table.widths.apply(header)
    table.fit_title()


def save_layout(window: QMainWindow, splitter: QSplitter, table: PaperTable) -> None:
    s = settings()
    s.setValue("version", SETTINGS_VERSION)
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/splitter", splitter.saveState())
    s.setValue("table/header", table.horizontalHeader().saveState())
    s.setValue("table/widths", table.widths.saved())
    for old in ("browse", "table/sort_column", "table/sort_descending"):
        s.remove(old)  # an earlier version's view, shared by every store
    s.sync()


def save_place(db_path: Path, scope: Location, paper_id: str, sort: Sort | None,
               pages: dict[int, str]) -> None:
    """`pages`: the page file of each profile id known (BrowseState.pages), kept with
    the ids so that the profile found at the next start is the same page's."""
    value = scope.value
    ids = value if isinstance(value, tuple) else (value,) if scope.kind == "profile" else ()
    if isinstance(value, tuple):  # several profiles: their ids
        value = ",".join(str(i) for i in value)
    files = tuple(pages.get(i, "") for i in ids if isinstance(i, int))
    viewstate.save(db_path, viewstate.ViewState(
        scope.kind, "" if value is None else str(value), paper_id, sort,
        files if all(files) else ()))


def restore(read: Callable[[Callable[[Store], Found], Callable[[Found], None]], object],
            db_path: Path, saved_query: Callable[[str], str | None],
            show: Callable[[Sort | None, Location], None]) -> None:
    """This store's last sort, scope and paper, looked up in the store on the reader
    thread (`read`: StoreHost.read; the GUI thread runs no SQL), then `show(sort,
    location)` here."""
    state = viewstate.load(db_path)
    saved = state.kind == "saved" and bool(state.value) and (
        saved_query(state.value) is not None)
    read(lambda store: restored(store, state, saved), lambda found: show(*found))


def restored(store: Store, state: viewstate.ViewState, saved: bool) -> Found:
    """The sort and place `state` saved, if they still exist in `store` (`present`);
    `saved`: the saved search it names still exists."""
    sort = state.sort if state.sort and state.sort[0] in PaperTableModel.KEYS else None
    kind, raw = state.kind, state.value
    value: object = None
    found = [p.id for p in (store.profile_by_source(f) for f in state.pages) if p is not None]
    if kind == "profile" and state.pages:
        value = found[0] if found else None
    elif kind == "profiles" and state.pages:
        value = tuple(found)
    elif kind == "profile" and raw.isdigit():  # saved by an earlier version: ids only
        value = int(raw)
    elif kind == "profiles":
        value = tuple(int(i) for i in raw.split(",") if i.isdigit())
    elif (kind == "person" and raw) or (kind == "saved" and saved):
        value = raw
    elif kind != "review":
        kind = "all"
    rid = None
    if state.paper:
        paper = store.paper_by_id(state.paper)
        rid = paper.rid if paper is not None else None
    return sort, present(store, Location(kind, value, rid))


def present(store: Store, location: Location) -> Location:
    """`location` in a store that may have changed: what is gone falls back."""
    kind, value, rid = location.kind, location.value, location.rid
    if kind == "profiles" and isinstance(value, tuple):
        value = tuple(i for i in value if store.profile(i))
    if (kind == "profile" and not (isinstance(value, int) and store.profile(value))) or (
            kind == "person" and not (isinstance(value, str) and store.person(value))) or (
            kind == "profiles" and not value) or (
            kind == "review" and not store.needs_review(0)[0]):  # nothing left to review
        kind, value = "all", None
    if rid is not None and not store.papers([rid]):
        rid = None
    return Location(kind, value, rid)
