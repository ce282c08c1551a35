"""What the detail pane shows, read from the store and the user's notes.

build_pane() runs on the reader thread (gui/reader.py), never on the GUI thread:
the window sends a PaneRequest and shows the PaneData that comes back, so that
opening a paper never waits on SQLite. Everything here is plain data and HTML
strings; no widget is touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from paperdesk import categories, readings
from paperdesk.categories import Reading
from paperdesk.gui import insights, render
from paperdesk.gui.history import Location
from paperdesk.gui.render import Theme
from paperdesk.identity import decisions
from paperdesk.query import Highlight
from paperdesk.store import PaperDetail, PaperRow, PersonRow, ProfileRow, Store, damaged
from paperdesk.userdata import PaperNotes, PersonNotes, UserData, UserDataError


@dataclass(frozen=True)
class PaneRequest:
    """The pane for a paper (rid) or, with none, for the scope."""

    rid: int | None
    scope: Location
    terms: tuple[Highlight, ...] = ()  # the words to highlight and where
    theme: render.Theme = render.LIGHT
    saved_query: str | None = None  # the text of the saved search in scope


@dataclass(frozen=True)
class PaneData:
    request: PaneRequest
    html: str
    paper: PaperRow | None = None  # the paper shown
    notes: PaperNotes | None = None  # the user's notes on it (None: no notes file)
    person: tuple[str, str] | None = None  # (key, name) in scope when no paper is shown
    person_notes: PersonNotes | None = None
    problem: str | None = None  # the notes could not be read: why
    listing: tuple[ProfileRow, ...] = ()  # the profiles listing the paper shown
    reading: Reading = field(default_factory=Reading)  # what reads its category code
    chosen_by: tuple[tuple[str, str], ...] = ()  # (page, full code): listing profiles' choices
    pages: tuple[tuple[int, str], ...] = ()  # (profile id, its page's file) of profiles read

    def category_code(self) -> str | None:
        """The paper's full category code as the pane reads it (None: no paper)."""
        if self.paper is None:
            return None
        mine = self.notes.category if self.notes is not None else None
        return self.reading.full_code(self.paper.category, mine)


def build_pane(store: Store, userdata: UserData | None, request: PaneRequest) -> PaneData:
    """What the pane shows for `request`; a damaged store raises StoreDamaged, which the
    store page says (gui/damage.py), any other failure is said in the pane."""
    try:
        return _build(store, userdata, request)
    except sqlite3.DatabaseError as exc:
        found = damaged(store.path, exc, None if userdata is None else userdata.path)
        if found is not None:
            raise found from None
        return PaneData(request, f"<p>Cannot read the store: {render.esc(str(exc))}</p>")


def paper_reading(store: Store, userdata: UserData | None, detail: PaperDetail,
                  scope: Location) -> tuple[Reading, tuple[tuple[str, str], ...]]:
    """What reads the paper's code when it is ambiguous (paperdesk.readings): the
    profile in scope's reading when it lists the paper, as the table reads it; else
    that of the profiles listing it. And (page, full code) for each listing profile
    the user chose for, for the choice dialog."""
    code = detail.paper.category
    if not categories.is_ambiguous(code):
        return Reading(), ()
    in_scope = scope.value if scope.kind == "profile" and isinstance(scope.value, int) \
        else None
    choices = readings.user_choices(userdata)
    chosen_by = tuple((p.source, choices[p.source][code]) for p in detail.listed_by
                      if code in choices.get(p.source, {}))
    return readings.paper_reading(store, detail.listed_by, choices, in_scope), chosen_by


def _place_pane(request: PaneRequest) -> PaneData:
    """The pane of a saved search or of Needs review: what the place is."""
    scope, theme = request.scope, request.theme
    if scope.kind == "saved":
        text = request.saved_query or ""
        return PaneData(request, f"<h2>{render.esc(str(scope.value))}</h2><p>Saved search: "
                    f"<tt>{render.esc(text)}</tt></p><p style=\"color:{theme.muted}\">It runs "
                    "again each time you open it, so it finds what later imports add.</p>")
    return PaneData(request, "<h2>Needs review</h2><p>The papers the parser was not sure "
                    "how to split into title and authors. Right click one and choose "
                    "“Correct title and authors…”: a corrected paper leaves this list.</p>")


def _build(store: Store, userdata: UserData | None, request: PaneRequest) -> PaneData:
    theme, scope = request.theme, request.scope
    problems: list[str] = []

    def paper_notes(paper: PaperRow) -> PaperNotes | None:
        try:
            return userdata.paper(paper.id) if userdata is not None else None
        except UserDataError as exc:
            problems.append(str(exc))
            return None

    def person_notes(key: str | None) -> PersonNotes | None:
        try:
            return userdata.person(key) if userdata is not None and key else None
        except UserDataError as exc:
            problems.append(str(exc))
            return None

    def problem() -> str | None:
        return problems[0] if problems else None

    if request.rid is not None:
        detail = store.detail(request.rid)
        if detail is not None:
            notes = paper_notes(detail.paper)
            reading, chosen_by = paper_reading(store, userdata, detail, scope)
            html = render.paper_html(detail, request.terms, theme, notes, reading,
                                     choose=notes is not None)
            return PaneData(request, html, paper=detail.paper, notes=notes,
                            problem=problem(), listing=tuple(detail.listed_by),
                            reading=reading, chosen_by=chosen_by,
                            pages=tuple((p.id, p.source) for p in detail.listed_by))
    if scope.kind == "profile" and isinstance(scope.value, int):
        profile = store.profile(scope.value)
        if profile is not None:
            who = (profile.person, render.profile_name(profile)) if profile.person else None
            notes_p = person_notes(profile.person)
            ids = _identifiers(userdata, profile.person, problems) if profile.person else []
            return PaneData(request, insights.profile_pane(store, profile, theme, notes_p,
                                                           userdata, ids),
                            person=who, person_notes=notes_p, problem=problem(),
                            pages=((profile.id, profile.source),))
    if scope.kind == "profiles" and isinstance(scope.value, tuple):
        chosen = [p for p in (store.profile(int(i)) for i in scope.value) if p is not None]
        if chosen:
            return PaneData(request, render.profiles_html(chosen, theme),
                            pages=tuple((p.id, p.source) for p in chosen))
    if scope.kind in ("saved", "review"):
        return _place_pane(request)
    if scope.kind == "person" and isinstance(scope.value, str):
        person = store.person(scope.value)
        if person is not None:
            notes_p = person_notes(person.key)
            html = _person_html(store, person, notes_p,
                                _identifiers(userdata, person.key, problems), theme)
            return PaneData(request, html,
                            person=(person.key, person.name), person_notes=notes_p,
                            problem=problem())
    return PaneData(request, render.summary_html(store.summary(), theme))


def _person_html(store: Store, person: PersonRow, notes: PersonNotes | None,
                 identifiers: list[tuple[str, str]], theme: Theme) -> str:
    """A person's pane: their profile's link, papers per year and co-authors."""
    owner = store.profile(person.profile) if person.profile else None
    return render.person_html(person, owner, notes, identifiers, theme=theme,
                              per_year=insights.every_year(store.person_per_year(person.key)),
                              coauthors=store.person_coauthors(person.key,
                                                               insights.COAUTHOR_LIMIT))


def _identifiers(userdata: UserData | None, key: str,
                 problems: list[str]) -> list[tuple[str, str]]:
    """The identifiers the user added to person `key` (none without user data)."""
    if userdata is None:
        return []
    try:
        return decisions.identifiers(userdata.conn, [key])
    except sqlite3.Error as exc:
        problems.append(f"{userdata.path}: {exc}")
        return []
