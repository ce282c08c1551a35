"""The application's keyboard shortcuts: the table Help shows, and the guard that makes
every window shortcut work from every widget.

Text widgets claim some Ctrl keys for editing before a shortcut sees them (Qt's
ShortcutOverride): under the X11 key scheme a QLineEdit takes Ctrl+E as end-of-line and
Ctrl+K as delete-to-end. ShortcutGuard, an event filter on whichever of the window's
widgets has focus (it sees the event before the widget does), gives the keys of the
window's actions back to the window. Keys without Ctrl or Alt (letters, "/", Esc,
arrows) stay the widget's. It filters the focused widget, not the whole application:
an application filter is a call into Python for every event of every widget (each
paint, timer and queued answer), and each such call waits for Python's lock while a
worker thread holds it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

SHORTCUTS = (
    ("Ctrl+F, /", "Search (focus the search box)"),
    ("Esc", "Clear the search and return to the table, on the paper picked before"
     " (none is picked for you)"),
    ("Down (in the search box)", "Move into the results"),
    ("Down (in a filter box)", "Move into the list it filters (the author list, People's "
                               "identities)"),
    ("Enter (in the table)", "Open the selected paper in the detail pane"),
    ("Home / End (in the table)", "First / last paper"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Focus the author list / the paper table / the detail pane"),
    ("Tab, Shift+Tab", "Move between the panes, and through the shown paper's own controls "
                       "(star, read, rating, tags, Note…) between the table and the detail pane"),
    ("Alt+Left / Alt+Right", "Back / forward through what you viewed (a query that would "
                             "hide the paper is cleared; the status bar says so)"),
    ("Ctrl+C (in the table)", "Copy a one-line citation of the selected paper, or of each "
                              "paper picked (one a line, in the table's order)"),
    ("Typing in the author list", "Jump to a name"),
    ("Ctrl+click, Shift+click (author list)",
     "Select several profiles: the table shows all their papers; Ctrl+K compares them"),
    ("Ctrl+K", "Compare the selected profiles side by side"),
    ("Ctrl+S", "Save the search in the box; it appears in the author list"),
    ("Ctrl+Shift+R", "Find reviewers for a title and abstract, the selected paper or the "
                     "papers of a saved search"),
    ("Ctrl+Shift+M", "More like this: the papers closest to the selected paper"),
    ("Ctrl+Z (in People's identities)", "Undo the latest decision about people"),
    ("Ctrl+Shift+Z, Ctrl+Y (in People's identities)", "Redo the decision undone"),
    ("Ctrl+I / Ctrl+E", "Import pages / export the papers shown, or the rows picked (from "
                        "any pane, the search box too)"),
    ("Ctrl+Q", "Quit"),
    ("Menu key, right click", "Copy the title or a BibTeX entry; star, rate, tag, note"),
    ("Right click (author list)", "Tag a person or write a note on them"),
    ("S (in the table)", "Star or unstar the selected paper; with several picked: star them "
                         "all if any is not starred, else unstar them all"),
    ("R (in the table)", "Cycle the read state: unread → reading → read; with several "
                         "picked: all take the state after the shown paper's"),
    ("1 … 5, 0 (in the table)", "Rate the paper 1 to 5 stars; 0 clears the rating; with "
                                "several picked: all get it, or all are cleared when they "
                                "all had it"),
    ("T (in the table)", "Edit the paper's tags; with several picked: add tags to each"),
    ("N (in the table)", "Edit the paper's note (the shown paper's, also with several "
                         "picked)"),
    ("Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y", "Edit → Undo / Redo the latest edit of papers' stars, "
                                      "read states, ratings, tags or notes (an edit of many "
                                      "papers is one step; a text field keeps its own)"),
    ("Ctrl+Enter (in the note and correction dialogs)", "Save the note or the correction"),
)

# The table's annotation keys (no modifier): what each does.
ANNOTATION_KEYS = {Qt.Key.Key_S: "star", Qt.Key.Key_R: "read", Qt.Key.Key_T: "tags",
                   Qt.Key.Key_N: "note", Qt.Key.Key_0: "rate0", Qt.Key.Key_1: "rate1",
                   Qt.Key.Key_2: "rate2", Qt.Key.Key_3: "rate3", Qt.Key.Key_4: "rate4",
                   Qt.Key.Key_5: "rate5"}

_COMMAND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
# A text field's own editing keys stay its own: Ctrl+Z in the search box undoes typing,
# not the latest edit of papers (Edit → Undo's key everywhere else).
_EDITING = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
            QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut,
            QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.SelectAll)
_TEXT_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit)
_EDIT_ACTIONS = ("undoAction", "redoAction")  # Edit → Undo and Redo (gui/menus.py)


def _is_command(key: QKeySequence) -> bool:
    text = key.toString(QKeySequence.SequenceFormat.PortableText)
    return text.startswith(("Ctrl+", "Alt+"))


def window_actions(window: QWidget) -> list[QAction]:
    """The window's own actions that have a Ctrl or Alt shortcut (menu and toolbar ones)."""
    found = []
    for action in window.findChildren(QAction):
        keys = action.shortcuts()
        if any(_is_command(k) for k in keys):
            found.append(action)
    return found


def pressed(event: QKeyEvent, action: QAction) -> bool:
    """Whether the key of `event` is one of `action`'s shortcuts."""
    keys = QKeySequence(event.keyCombination())
    return any(key.matches(keys) == QKeySequence.SequenceMatch.ExactMatch
               for key in action.shortcuts())


class ShortcutGuard(QObject):
    """Hands the window's Ctrl/Alt shortcuts to the window, whichever widget has focus."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def watch(self) -> None:
        """Start guarding (until the window is destroyed: the guard goes with it)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focused)
            self._focused(None, app.focusWidget())

    def _focused(self, old: QWidget | None, new: QWidget | None) -> None:
        """Key events go to the focus widget: filter it, and only it."""
        if old is not None:
            old.removeEventFilter(self)
        if new is not None and new.window() is self._window:
            new.installEventFilter(self)

    def _claimed(self, event: QKeyEvent) -> bool:
        if not event.modifiers() & _COMMAND:
            return False
        return any(action.isEnabled() and pressed(event, action)
                   for action in window_actions(self._window))

    def _editing(self, watched: QWidget, event: QKeyEvent) -> bool:
        """An editing key in a text field that can be edited: its own, even where the
        platform does not give it that key (Ctrl+Y redoes nothing in a field under X11,
        and Edit → Redo would have redone an edit of papers instead)."""
        if not isinstance(watched, _TEXT_FIELDS) or watched.isReadOnly():
            return False
        return any(event.matches(k) for k in _EDITING) or any(
            pressed(event, action) for action in window_actions(self._window)
            if action.objectName() in _EDIT_ACTIONS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent) \
                or not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if self._editing(watched, event):
            event.accept()  # the field's: no shortcut of the window's
            return True
        if self._claimed(event):
            event.ignore()  # not the widget's: the shortcut map tries the window's actions
            return True
        return False


class DownInto(QObject):
    """Down in a filter box moves into the list it filters, on its current row or the
    first: the search box did so, but in the author list's and People's identities'
    filters Down did nothing, and the keyboard had to Tab past the controls between."""

    def __init__(self, box: QLineEdit, view: QAbstractItemView) -> None:
        super().__init__(box)
        self._view = view
        box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) \
                or event.key() != Qt.Key.Key_Down or event.modifiers() \
                or self._view.model() is None or self._view.model().rowCount() == 0:
            return False
        if not self._view.currentIndex().isValid():
            self._view.setCurrentIndex(self._view.model().index(0, 0))
        self._view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
