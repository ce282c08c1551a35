"""The search bar: the toolbar's search box, its debounce, the search it sends and
the status line of the answer.

Typing waits DEBOUNCE_MS, then `run()` sends the box's text, in the browse state's
scope and sort, to the search worker (through gui/storehost.py); Enter sends it at
once. The box follows the browse state: a saved search puts its query in the box,
and leaving it takes the query out (`scope_changed`); a query edited there is no
longer the saved search and leaves it for All papers (`run`). "Needs review" is its
query too, `is:doubtful`, so a query typed there searches within it while it holds
`is:doubtful` (`is:doubtful c++`), and one that does not (`c++`, Esc's empty one)
leaves it for All papers: a name is never shown over papers it does not hold.
`answered()`
keeps what an answer says (the terms to highlight, the name of the scope, the
status line); the window puts its rows in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QProxyStyle, QStyle, QWidget

from paperdesk.gui.browse import BrowseState
from paperdesk.gui.history import Location
from paperdesk.gui.models import REVIEW_QUERY, PaperTableModel
from paperdesk.gui.storehost import StoreHost
from paperdesk.gui.worker import Answer
from paperdesk.query import compile_query
from paperdesk.search import Scope, SearchResult

DEBOUNCE_MS = 40
# Rows a result holds at most; the status bar says "more than N" beyond it. The
# empty query on All papers is not capped: it is one walk of the date index and
# needs no count (the total is the build's stored figure).
RESULT_LIMIT = 100_000


class _BigButtons(QProxyStyle):
    """The application's style, with the line edit's buttons (clear) at 24 pixels."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: Any = None,
                    widget: QWidget | None = None) -> int:
        if metric == QStyle.PixelMetric.PM_LineEditIconSize:
            return 24
        return super().pixelMetric(metric, option, widget)


class SearchBox(QLineEdit):
    """The toolbar's search field; Down moves into the results; a big clear button."""

    downPressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style = _BigButtons()
        style.setParent(self)
        self.setStyle(style)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.downPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class SearchBar(QObject):
    """The search box (`box`), its debounce timer (`timer`) and the status line
    (`status`, a label for the status bar); `table`: the answer the table shows."""

    message = Signal(str)  # for the status bar: a query cleared to show a paper

    def __init__(self, state: BrowseState, stores: StoreHost,
                 saved_query: Callable[[str], str | None], table: PaperTableModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._stores = stores
        self._saved_query = saved_query
        self._table = table
        state.paperChanged.connect(self.reveal)
        self.last_result: SearchResult | None = None
        self._named: tuple[Scope, str | None] | None = None  # the last answer's scope name
        self.status = QLabel()
        self.status.setObjectName("statusCount")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # holds query text
        self.box = box = SearchBox()
        box.setObjectName("searchBox")
        box.setPlaceholderText("Search papers   (Ctrl+F or /)")
        box.setClearButtonEnabled(True)
        box.setToolTip("Words, \"phrases\", -exclude, OR, author:, cat:, year:, "
                       "code:yes ... (Help ▸ Search syntax)")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        box.textChanged.connect(lambda _text: self.timer.start())
        box.returnPressed.connect(self.search_now)

    def set_available(self, can_search: bool, status: str) -> None:
        """Searching is possible or not (no store); `status` (unless empty) says why."""
        self.box.setEnabled(can_search)
        if status:
            self.status.setText(status)

    def text(self) -> str:
        return self.box.text()

    def search_now(self) -> None:
        self.run()

    def run(self) -> None:
        """Send the box's text, in the current scope and sort, to the worker; a query
        no longer within "Needs review", or no longer the saved search's own, goes to
        All papers instead (the paper shown stays if it is found), whose search runs
        with it: a place's name is never shown over papers it does not hold."""
        self.timer.stop()
        state, text = self._state, self.box.text()
        if self._left(state.here, text):
            state.go(Location(rid=state.rid))
            return
        scope = state.search_scope()
        limit = None if scope.kind == "all" and not text.strip() else RESULT_LIMIT
        if self._stores.submit(text, scope, self._state.sort, limit):
            self.status.setText("Searching…")

    def _left(self, scope: Location, text: str) -> bool:
        """Whether `text` searches beyond `scope`'s own papers: Needs review's without
        `is:doubtful`, a saved search's once it is not the query saved."""
        if scope.kind == "review":
            return not compile_query(text).only_doubtful
        if scope.kind == "saved":
            saved = self._saved_query(str(scope.value))
            return saved is not None and text.strip() != saved.strip()
        return False

    def answered(self, answer: Answer) -> None:
        self.last_result = answer.result
        self._named = (answer.scope, answer.name)
        self._state.set_terms(answer.result.highlights)

    def scope_label(self) -> str | None:
        """What is browsed, in words; None while the name of the profile or person in
        scope is on its way (the search worker reads it with the answer)."""
        scope = self._state.here
        if scope.kind in ("profile", "person"):
            if self._named is None or self._named[0] != self._state.search_scope():
                return None
            if self._named[1] is not None:
                return self._named[1]
        if scope.kind == "saved":
            return f"Saved search “{scope.value}”"
        if scope.kind == "review":
            return "Needs review"
        if scope.kind == "profiles" and isinstance(scope.value, tuple):
            return f"{len(scope.value):,} profiles"
        return "All papers"

    def export_label(self) -> str:
        """What an export of the view is named after: the scope and the words searched
        in it (`Luo Ji graph`, `entanglement year 2026`; a file named `All papers` held
        the three papers a search found). A saved search and Needs review, whose query
        the box holds, by their name."""
        scope, query = self.scope_label() or "All papers", self.box.text().strip()
        kind = self._state.here.kind
        if not query or kind in ("saved", "review"):
            return scope
        return query if kind == "all" else f"{scope} {query}"

    def show_status(self, counting: bool = False) -> None:
        """The status line of the last answer (`counting`: its first page)."""
        if self.last_result is not None:
            label = self.scope_label() if self._state.here.kind != "all" else None
            self.status.setText(status_text(self.last_result, self.box.text().strip(), label,
                                            counting))
            self.status.setToolTip(self.status.text())  # whole, where the bar cuts it

    def reveal(self, rid: int | None) -> None:
        """Paper `rid` is shown in the scope shown (Back, Forward) but the query typed
        hides it from the table (the pane showed a paper the table did not, and the
        keys acted on it): the query goes, saying so, as when the Desk opens a paper.
        A search on its way settles it instead; a saved search's and Needs review's
        own queries stay."""
        text = self.box.text().strip()
        searching = self.timer.isActive() or (self._stores.searcher is not None
                                              and self._stores.searcher.busy)
        if (rid is None or not text or searching or self._table.row_of(rid) >= 0
                or self._state.here.kind in ("saved", "review")):
            return
        self.drop_query()
        self.message.emit(f"Showing the paper: the search “{text}” was cleared")
        self.run()

    def drop_query(self) -> None:
        """The query out of the box, starting no search (the caller runs the one due).
        Not by a clear() with the box's signals blocked: its clear button, which
        follows textChanged, stayed shown on the empty box."""
        self.box.clear()
        self.timer.stop()

    def clear(self) -> None:
        """Esc: an empty search, at once."""
        if self.box.text():
            self.box.clear()
            self.search_now()

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _query_of(self, scope: Location | None) -> str | None:
        """The query a scope puts in the box: a saved search's, or "Needs review"'s."""
        if scope is not None and scope.kind == "saved":
            return self._saved_query(str(scope.value))
        if scope is not None and scope.kind == "review":
            return REVIEW_QUERY
        return None

    def scope_changed(self, old: Location | None, new: Location) -> None:
        """A saved search (or "Needs review") puts its query in the box; leaving it
        takes the query out. Neither is typing: no search is started by it (the
        scope's own one runs)."""
        blocker = QSignalBlocker(self.box)
        query_text, old_text = self._query_of(new), self._query_of(old)
        if query_text is not None:
            self.box.setText(query_text)
        elif old_text is not None and self.box.text() == old_text:
            self.box.clear()
        blocker.unblock()


def status_text(result: SearchResult, query_text: str, scope_label: str | None,
                counting: bool = False) -> str:
    """The status line of an answer; `scope_label` None: all papers."""
    if result.total is not None:
        count = f"{result.total:,} paper{'s' if result.total != 1 else ''}"
    elif counting:  # the first page: its rows stay, the count comes next
        count = f"{len(result.rids):,}+ papers"
    else:
        count = f"more than {result.at_least:,} papers"
    if result.total == 0:
        count = "No papers match" + (f" “{query_text}”" if query_text else "")
    if scope_label is not None:
        count += f" in {scope_label}"
    shown = len(result.rids)
    if not counting and (result.total is None or shown < result.total):
        count += f" (showing the first {shown:,})"
    parts = [count, f"{result.elapsed_ms:.1f} ms"]
    if counting:
        parts.insert(1, "counting…")
    parts.extend(result.ignored)  # each says what it ignored or assumed, and why
    return "  ·  ".join(parts)
