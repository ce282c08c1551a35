"""After the store changed under the window: the same papers, found by their ids.

A paper's rowid is its date's day and its place among that day's papers
(paperdesk/dated.py), so a rebuild (a page added, a paper re-dated) can give a paper
another rowid and its old rowid to another paper; an import or a correction can
delete a paper; a profile's id follows the build order; a decision about people
merges one person's key into another's. What the window remembers across the change
is therefore kept by stable ids (papers.id and profiles.source: `BrowseState.names`
and `pages`, learned as papers and profiles are shown) and looked up again in the
store open now, on the reader thread, a person gone through the user's decisions:
the paper shown, its scope, Back and Forward. An entry whose paper, profile or person
is gone is dropped and the status bar says so; until the answer comes, Back and
Forward wait (`BrowseState.following`).
"""

from __future__ import annotations

from collections.abc import Callable

from paperdesk.gui.browse import BrowseState, Moves
from paperdesk.gui.history import Location
from paperdesk.gui.storehost import StoreHost
from paperdesk.gui.windowstate import present
from paperdesk.identity import decisions
from paperdesk.store import Store
from paperdesk.userdata import UserData

Mover = Callable[[Moves], Callable[[Location], Location | None]]


def find(store: Store, userdata: UserData | None, location: Location,
         known: tuple[set[str], set[str], set[str]], mover: Mover) -> tuple[Location, Moves]:
    """On the reader thread: the papers, profile pages and people `known`
    (BrowseState.known) in `store`, a person merged into another found through the
    user's decisions in `userdata`; and `location` as it is now: moved by `mover`
    (BrowseState.moved), its paper left out if gone, what else is gone falling back
    (windowstate.present)."""
    ids, sources, keys = known
    rids = {pid: paper.rid for pid in sorted(ids)
            if (paper := store.paper_by_id(pid)) is not None}
    profiles = {source: profile.id for source in sorted(sources)
                if (profile := store.profile_by_source(source)) is not None}
    people = {key: key for key in sorted(keys) if store.person(key) is not None}
    if userdata is not None and len(people) < len(keys):
        now = decisions.state(userdata.conn)
        people.update((key, now.person(key)) for key in keys - set(people)
                      if store.person(now.person(key)) is not None)
    found = Moves(rids, profiles, people)
    moved = mover(found)
    here = moved(location) or moved(Location(location.kind, location.value)) or Location()
    return present(store, here), found


def reopened(stores: StoreHost, state: BrowseState, location: Location,
             scope_gone: Callable[[Location, Location], None],
             message: Callable[[str], None]) -> None:
    """The store was opened again (an import, a correction, a decision about people):
    show `location` (as shown before) with its paper, profile and person found by
    their ids; the history follows. `scope_gone(old, now)`: the scope shown is gone,
    `now` replaces it (its query leaves with it)."""
    state.following = True
    known, mover = state.known(), state.moved

    def done(answer: tuple[Location, Moves]) -> None:
        now, found = answer
        gone = state.follow(found)
        if (now.kind, now.value) != (location.kind, location.value):
            scope_gone(location, now)  # harmless when only a profile's id moved
        if stores.is_open:
            state.go(now, record=False)
        if gone or (location.rid is not None and now.rid is None):
            message(_gone(gone))

    stores.read_noted(lambda store, userdata: find(store, userdata, location, known, mover),
                      done)


def _gone(gone: int) -> str:
    if gone == 0:
        return "The paper shown is no longer in the store."
    places = "place" if gone == 1 else "places"
    return (f"{gone} {places} visited earlier {'is' if gone == 1 else 'are'} no longer "
            "in the store: Back and Forward skip them.")
