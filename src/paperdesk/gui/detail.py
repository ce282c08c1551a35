"""The detail pane: the paper shown (or the scope's profile), with the notes editor.

The pane follows the browse state: `render()` asks the reader thread for what the
state holds (`request` is the reader's request_pane, or None before a store is
open) and `show()` puts the answer in. It keeps the answer (`data`), which is how
the window knows the paper shown without a query (`current_paper`). A click on an
in-app link is `locationPicked(Location)`; only http(s) goes to the desktop's
browser. `message(str)` is a status line (the notes could not be read).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextOption
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from paperdesk.gui.annotate import NotesEditor
from paperdesk.gui.browse import BrowseState
from paperdesk.gui.history import Location
from paperdesk.gui.pane import PaneData, PaneRequest
from paperdesk.gui.render import SCHEME, Theme
from paperdesk.store import PaperRow

PaneRequester = Callable[[PaneRequest], bool]  # False: no reader (no store open)


def link_value(url: QUrl) -> str:
    """What an in-app link (gui/render.py) names: a rowid, a profile id, a person key."""
    return unquote(url.path().lstrip("/"))


def scope_link(kind: str, value: str) -> Location | None:
    """The scope an in-app link of `kind` to `value` opens (a profile, a person), if any."""
    if kind == "profile" and value.isdigit():
        return Location("profile", int(value))
    if kind == "person" and value:
        return Location("person", value)
    return None


class DetailPane(QTextBrowser):
    """The detail pane. Tab leaves it (to cycle the panes) instead of stepping through links."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class DetailPart(QObject):
    """The right column: `editor` (the notes editor) above `view` (the pane)."""

    locationPicked = Signal(object)  # Location
    correctRequested = Signal()  # the pane's link to correct the paper shown
    categoryRequested = Signal()  # the pane's link to choose what its category means
    similarPicked = Signal(object)  # "More like this" for this rowid (wider than a C int)
    message = Signal(str)
    shown = Signal()  # a pane's answer is in (the editor follows it)

    def __init__(self, state: BrowseState, theme: Theme,
                 saved_query: Callable[[str], str | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._saved_query = saved_query
        self.theme = theme
        self.request: PaneRequester | None = None
        self.data: PaneData | None = None  # what the pane shows
        self._scroll: int | None = None  # where to put the scroll bar once shown
        self.view = DetailPane()
        self.view.setObjectName("detailPane")
        self.view.setOpenLinks(False)
        self.view.setOpenExternalLinks(False)
        self.view.setTabChangesFocus(True)
        self.view.setWordWrapMode(QTextOption.WrapMode.WordWrap)  # never mid-word
        self.view.document().setDefaultStyleSheet(theme.css)
        self.view.anchorClicked.connect(self.follow_link)
        self.editor = NotesEditor()
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.editor)
        layout.addWidget(self.view)

    def render(self, keep_scroll: bool = False) -> None:
        """Ask the reader for the pane of what is shown; show() puts it in."""
        scope = self._state.here
        saved = self._saved_query(str(scope.value)) if scope.kind == "saved" else None
        request = PaneRequest(self._state.rid, scope, self._state.terms, self.theme, saved)
        self._scroll = self.view.verticalScrollBar().value() if keep_scroll else None
        if self.request is None or not self.request(request):
            self.view.clear()
            self.editor.show_nothing()

    def show(self, data: PaneData) -> None:
        self.data = data
        if data.paper is not None and data.request.rid is not None:
            self._state.learn(data.request.rid, data.paper.id)
        self._state.pages.update(data.pages)
        self.view.setHtml(data.html)
        if self._scroll is not None:
            self.view.verticalScrollBar().setValue(self._scroll)
            self._scroll = None
        if data.problem:
            self.message.emit(data.problem)
        self.shown.emit()

    def clear(self) -> None:
        """The store closed."""
        self.data = None

    def set_theme(self, theme: Theme) -> None:
        """Colours for HTML and headings; what shows is rendered again, same scroll."""
        self.theme = theme
        self.view.document().setDefaultStyleSheet(theme.css)
        if self.request is not None:
            bar = self.view.verticalScrollBar()
            position = bar.value()
            self.render()
            bar.setValue(position)

    def paper(self, rid: int | None) -> PaperRow | None:
        """Paper `rid` if the pane shows it (read already: no query)."""
        data = self.data
        if rid is not None and data is not None and data.paper is not None and \
                data.request.rid == rid:
            return data.paper
        return None

    def category_code(self, paper: PaperRow) -> str | None:
        """The full category code of `paper` as the pane reads it (the user's choices, the
        profiles' field: gui/pane.py), when the pane shows it; else None."""
        data = self.data
        return data.category_code() if data is not None and data.paper == paper else None

    def scope_person(self) -> tuple[str, str] | None:
        """(person key, name) of the profile or person in scope, when no paper is shown."""
        data = self.data
        if data is None or self._state.rid is not None or data.request.rid is not None:
            return None
        return data.person if data.request.scope == self._state.here else None

    def focus(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def follow_link(self, url: QUrl) -> None:
        """Internal links navigate in-app; only http(s) goes to the desktop's browser."""
        scheme = url.scheme().lower()
        if scheme in ("http", "https"):
            QDesktopServices.openUrl(url)
            return
        if scheme != SCHEME:
            return
        kind, value = url.host(), link_value(url)
        scope = scope_link(kind, value)
        if scope is not None:
            self.locationPicked.emit(scope)
        elif kind == "correct":
            self.correctRequested.emit()
        elif kind == "category":
            self.categoryRequested.emit()
        elif kind == "similar" and value.isdigit():
            self.similarPicked.emit(int(value))
