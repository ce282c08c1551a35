"""People the user has notes or tags on: marked in the author list, a filter that lists
only them, and their tags and note edited from the author list's context menu.

The user's notes on people are few (one row per person annotated), so they are read
whole, once at start and after each edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMenu

from paperdesk.gui.models import MARK, AuthorItem
from paperdesk.userdata import PersonNotes, UserData, UserDataError


def summary(notes: PersonNotes) -> str:
    """'tags: a, b · a note': what the user said, for the list's tooltip."""
    parts = ["tags: " + ", ".join(notes.tags)] if notes.tags else []
    if notes.note:
        parts.append("a note")
    return " · ".join(parts)


def marks(userdata: UserData | None) -> dict[str, str]:
    """Person key -> summary of the user's notes, for every person annotated."""
    if userdata is None:
        return {}
    try:
        return {n.key: summary(n) for n in userdata.annotated_people() if not n.empty}
    except UserDataError:
        return {}


def filter_box() -> QCheckBox:
    """The author list's filter: only the people with notes or tags."""
    box = QCheckBox(f"Only people with my notes {MARK}")
    box.setObjectName("markedOnly")
    box.setToolTip("List only the people you tagged or wrote a note on (right click a "
                   "name to tag it or write a note)")
    return box


def person_of(item: AuthorItem | None) -> tuple[str, str] | None:
    """(person key, name) of a profile or person row; None for other rows."""
    if item is None:
        return None
    if item.kind == "person" and isinstance(item.value, str):
        return item.value, item.label
    if item.kind == "profile" and item.person:
        return item.person, item.label
    return None


def add_person_actions(menu: QMenu, item: AuthorItem | None, enabled: bool,
                       edit_tags: Callable[[tuple[str, str]], object],
                       edit_note: Callable[[tuple[str, str]], object],
                       suggest: Callable[[tuple[str, str]], object],
                       add_identifier: Callable[[tuple[str, str]], object]) -> None:
    """"Edit tags…", "Edit note…", "Add identifier…" and "Suggestions for this person…"
    (the identities dialog on their suggestions only) for the person right-clicked."""
    who = person_of(item)
    if who is None:
        return
    menu.addSeparator()
    name = who[1].replace("&", "&&")  # a name's "&" is text, not a menu accelerator
    tags = menu.addAction(f"Edit tags of {name}…")
    tags.setObjectName("personTagsAction")
    tags.setEnabled(enabled)
    tags.triggered.connect(lambda: edit_tags(who))
    note = menu.addAction(f"Edit note on {name}…")
    note.setObjectName("personNoteAction")
    note.setEnabled(enabled)
    note.triggered.connect(lambda: edit_note(who))
    ident = menu.addAction(f"Add identifier to {name}…")
    ident.setObjectName("personIdentifierAction")
    ident.setEnabled(enabled)  # kept in the user's data
    ident.triggered.connect(lambda: add_identifier(who))
    ask = menu.addAction("Suggestions for this person…")
    ask.setObjectName("personSuggestionsAction")
    ask.triggered.connect(lambda: suggest(who))
