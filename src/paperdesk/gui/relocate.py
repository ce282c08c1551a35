"""After the store changed under the window: the same papers, found by their ids.

A paper's rowid is its date's day and its place among that day's papers
(paperdesk/dated.py), so a rebuild (a page added, a paper re-dated) can give a paper
another rowid and its old rowid to another paper; an import or a correction can
delete a paper. What the window remembers across the change is therefore kept by
the papers' stable ids (`BrowseState.names`, learned as papers are shown) and looked
up again in the store open now, on the reader thread: the paper shown, Back and
Forward. An entry whose paper is gone is dropped and the status bar says so; until
the answer comes, Back and Forward wait (`BrowseState.following`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from paperdesk.gui.browse import BrowseState
from paperdesk.gui.history import Location
from paperdesk.gui.storehost import StoreHost
from paperdesk.gui.windowstate import present
from paperdesk.store import Store

Mover = Callable[[dict[str, int], dict[str, int]], Callable[[Location], Location | None]]


@dataclass(frozen=True)
class Found:
    """Where to go in the store open now; the rowid of each paper id and the id of
    each profile page still there."""

    location: Location
    rids: dict[str, int]
    profiles: dict[str, int]


def find(store: Store, location: Location, ids: set[str], sources: set[str],
         mover: Mover) -> Found:
    """On the reader thread: the papers `ids` and the profiles read from `sources` in
    `store`, and `location` as it is now: moved by `mover` (BrowseState.moved), its
    paper left out if gone, what else is gone falling back (windowstate.present)."""
    rids = {pid: paper.rid for pid in sorted(ids)
            if (paper := store.paper_by_id(pid)) is not None}
    profiles = {source: profile.id for source in sorted(sources)
                if (profile := store.profile_by_source(source)) is not None}
    moved = mover(rids, profiles)
    now = moved(location) or moved(Location(location.kind, location.value)) or Location()
    return Found(present(store, now), rids, profiles)


def reopened(stores: StoreHost, state: BrowseState, location: Location,
             scope_gone: Callable[[Location, Location], None],
             message: Callable[[str], None]) -> None:
    """The store was opened again (an import, a correction, a decision about people):
    show `location` (as shown before) with its paper and profile found by their ids;
    the history follows. `scope_gone(old, now)`: the scope shown is gone, `now`
    replaces it (its query leaves with it)."""
    state.following = True
    ids, sources = state.known()
    mover = state.moved

    def done(found: Found) -> None:
        gone = state.follow(found.rids, found.profiles)
        now = found.location
        if (now.kind, now.value) != (location.kind, location.value):
            scope_gone(location, now)  # harmless when only a profile's id moved
        if stores.store is not None:
            state.go(now, record=False)
        if gone or (location.rid is not None and now.rid is None):
            message(_gone(gone))

    stores.read(lambda store: find(store, location, ids, sources, mover), done)


def _gone(gone: int) -> str:
    if gone == 0:
        return "The paper shown is no longer in the store."
    places = "place" if gone == 1 else "places"
    return (f"{gone} {places} visited earlier {'is' if gone == 1 else 'are'} no longer "
            "in the store: Back and Forward skip them.")
