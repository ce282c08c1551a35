"""The main window: author list, paper table, detail pane, search box.

Searches go to the worker thread (gui.worker); the GUI thread only reads single
rows by key (a paper's detail, a profile's figures) and batches of table rows.
The store is opened read-only: browsing never writes to it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import platformdirs
from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from paperdesk import paths, query
from paperdesk.export import bibtex_entry
from paperdesk.gui import render
from paperdesk.gui.history import History, Location
from paperdesk.gui.models import ITEM_ROLE, AuthorItem, AuthorListModel, PaperTableModel
from paperdesk.gui.worker import Searcher
from paperdesk.search import SORT_COLUMNS, Scope
from paperdesk.store import PaperRow, Store, StoreError, build_store

DEBOUNCE_MS = 40
# Rows a result holds at most; the status bar says "more than N" beyond it. The
# empty query on All papers is not capped: it is one walk of the date index and
# needs no count (the total is the build's stored figure).
RESULT_LIMIT = 100_000
FILTER_DEBOUNCE_MS = 60
SETTINGS_VERSION = 1
SHORTCUTS = (
    ("Ctrl+F, /", "Search (focus the search box)"),
    ("Esc", "Clear the search and return to the table"),
    ("Down (in the search box)", "Move into the results"),
    ("Enter (in the table)", "Open the selected paper in the detail pane"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Focus the author list / the paper table / the detail pane"),
    ("Tab, Shift+Tab", "Move between the panes"),
    ("Alt+Left / Alt+Right", "Back / forward through what you viewed"),
    ("Ctrl+C (in the table)", "Copy a one-line citation of the selected paper"),
    ("Typing in the author list", "Jump to a name"),
    ("Menu key, right click", "Copy the title or a BibTeX entry"),
)
# Columns whose first click sorts newest / highest / with-code first.
_DESCENDING_FIRST = {"date", "code", "score"}
_DEFAULT_WIDTHS = (88, 300, 200, 66, 48, 52)


def settings() -> QSettings:
    """The app's settings: an INI file in the user config folder (XDG_CONFIG_HOME on Linux)."""
    path = platformdirs.user_config_path(paths.APP, appauthor=False) / "paperdesk.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


class SearchBox(QLineEdit):
    """The toolbar's search field; Down moves into the results."""

    downPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.downPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PaperTable(QTableView):
    """The paper table; Enter opens the paper, Ctrl+C copies a citation."""

    openRequested = Signal()
    copyRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.openRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class DetailPane(QTextBrowser):
    """The detail pane. Tab leaves it (to cycle the panes) instead of stepping through links."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class StorePage(QWidget):
    """Shown instead of the browser when the store is missing, empty or damaged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QWidget()
        box.setObjectName("storeBox")
        box.setMinimumWidth(320)
        box.setMaximumWidth(640)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        inner = QVBoxLayout(box)
        title = QLabel("<h2>The paper store cannot be opened</h2>")
        self.message = QLabel()
        self.message.setObjectName("storeMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton("Build a new store from the bundled seed pages")
        self.button.setObjectName("buildButton")
        self.button.setDefault(True)
        for widget in (title, self.message, self.note):
            inner.addWidget(widget)
        inner.addSpacing(8)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)


class MainWindow(QMainWindow):
    """PaperDesk's main window. Use paperdesk.app.create_window() to make one."""

    resultShown = Signal()
    storeOpened = Signal()

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.store: Store | None = None
        self.searcher: Searcher | None = None
        self.history = History()
        self._scope: Location | None = None  # the scope shown (rid unused)
        self._current_rid: int | None = None  # the paper shown in the pane
        self._pending_rid: int | None = None  # select this paper when the result arrives
        self._sort: tuple[str, bool] | None = None
        self._terms: tuple[str, ...] = ()
        self._quiet = 0  # >0 while the window changes selections itself
        self._closed = False
        self.last_result: Any = None
        self.setWindowTitle("PaperDesk")
        self._build_ui()
        self._build_actions()
        # Tab cycles the panes: search box, author filter, author list, table, detail pane
        QWidget.setTabOrder(self.search_box, self.author_filter)
        QWidget.setTabOrder(self.author_filter, self.author_list)
        QWidget.setTabOrder(self.author_list, self.table)
        QWidget.setTabOrder(self.table, self.detail)
        self._restore_window_state()
        self.open_store()

    # ------------------------------------------------------------ layout

    def _build_ui(self) -> None:
        self.search_box = SearchBox()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search papers   (Ctrl+F or /)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setToolTip("Words, \"phrases\", -exclude, OR, author:, cat:, year:, "
                                   "code:yes ... (Help ▸ Search syntax)")
        toolbar = QToolBar("Search")
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        self.toolbar = toolbar
        self.addToolBar(toolbar)

        self.author_filter = QLineEdit()
        self.author_filter.setObjectName("authorFilter")
        self.author_filter.setPlaceholderText("Filter authors")
        self.author_filter.setClearButtonEnabled(True)
        self.author_model = AuthorListModel()
        self.author_list = QListView()
        self.author_list.setObjectName("authorList")
        self.author_list.setModel(self.author_model)
        self.author_list.setUniformItemSizes(True)
        self.author_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.author_filter)
        left_layout.addWidget(self.author_list)

        self.paper_model = PaperTableModel()
        self.table = PaperTable()
        self.table.setObjectName("paperTable")
        self.table.setModel(self.paper_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform: no per-row sizing
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        rows.hide()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        for column, width in enumerate(_DEFAULT_WIDTHS):
            header.resizeSection(column, width)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)

        self.detail = DetailPane()
        self.detail.setObjectName("detailPane")
        self.detail.setOpenLinks(False)
        self.detail.setOpenExternalLinks(False)
        self.detail.setTabChangesFocus(True)
        self.detail.document().setDefaultStyleSheet("a { color: #1a5fb4; }")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([220, 770, 410])
        self.splitter.setChildrenCollapsible(False)

        self.store_page = StorePage()
        self.store_page.button.clicked.connect(self.build_from_seeds)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.store_page)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusCount")
        self.statusBar().addWidget(self.status_label, 1)


        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.downPressed.connect(self.enter_results)
        self.search_box.returnPressed.connect(self._search_now)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DEBOUNCE_MS)
        self._filter_timer.timeout.connect(self._apply_author_filter)
        self.author_filter.textChanged.connect(lambda _text: self._filter_timer.start())

        self.author_list.selectionModel().currentChanged.connect(self._author_changed)
        self.table.selectionModel().currentRowChanged.connect(self._paper_changed)
        self.table.openRequested.connect(self.open_current_paper)
        self.table.copyRequested.connect(self.copy_citation)
        self.table.doubleClicked.connect(lambda _index: self.open_current_paper())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.paper_model.sortRequested.connect(self._sort_requested)
        header.sortIndicatorChanged.connect(self._sort_requested)
        self.detail.anchorClicked.connect(self.follow_link)

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        go = menu.addMenu("&Go")
        self.back_action = QAction("&Back", self)
        self.back_action.setShortcut(QKeySequence("Alt+Left"))
        self.back_action.triggered.connect(self.go_back)
        self.forward_action = QAction("&Forward", self)
        self.forward_action.setShortcut(QKeySequence("Alt+Right"))
        self.forward_action.triggered.connect(self.go_forward)
        go.addAction(self.back_action)
        go.addAction(self.forward_action)
        self.back_action.setToolTip("Back (Alt+Left)")
        self.forward_action.setToolTip("Forward (Alt+Right)")
        self.toolbar.addAction(self.back_action)
        self.toolbar.addAction(self.forward_action)
        self.toolbar.addWidget(self.search_box)
        go.addSeparator()
        for text, keys, slot in (
            ("&Search", ("Ctrl+F", "/"), self.focus_search),
            ("&Author list", ("Ctrl+1",), self.author_list.setFocus),
            ("&Paper table", ("Ctrl+2",), self.focus_table),
            ("&Detail pane", ("Ctrl+3",), self.detail.setFocus),
        ):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(slot)
            go.addAction(action)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._escape.activated.connect(self.clear_search)
        self._update_history_actions()

        help_menu = menu.addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts").triggered.connect(self.show_shortcuts)
        help_menu.addAction("Search &syntax").triggered.connect(self.show_search_syntax)
        self._dialogs: list[QDialog] = []

    # ------------------------------------------------------------ the store

    def open_store(self) -> bool:
        """Open the store read-only; on failure show the message page with the build button."""
        self._close_store()
        try:
            self.store = Store(self.db_path)
            self.store.paper_total()
        except (StoreError, sqlite3.Error) as exc:
            self.store = None
            self._show_store_problem(str(exc))
            return False
        self.paper_model.set_store(self.store)
        self.author_model.set_store(self.store)
        self.searcher = Searcher(self.db_path, self)
        self.searcher.resultReady.connect(self._result_ready)
        self.searcher.failed.connect(self._search_failed)
        self.stack.setCurrentWidget(self.splitter)
        self.search_box.setEnabled(True)
        self._restore_browse_state()
        self.storeOpened.emit()
        return True

    def _close_store(self) -> None:
        if self.searcher is not None:
            self.searcher.stop()
            self.searcher.deleteLater()
            self.searcher = None
        self.paper_model.set_store(None)
        self.author_model.set_store(None)
        if self.store is not None:
            self.store.close()
            self.store = None
        self._scope = None

    def _show_store_problem(self, message: str) -> None:
        self.store_page.message.setText(message)
        self.store_page.note.setText(
            f"The store file is {self.db_path}. Building replaces it with a store of the "
            "five bundled seed pages" + (
                "; the damaged file is kept beside it with '.damaged' added to its name."
                if self.db_path.exists() else "."))
        self.stack.setCurrentWidget(self.store_page)
        self.search_box.setEnabled(False)
        self.status_label.setText("No store")

    def build_from_seeds(self) -> bool:
        """The store page's button: build from the bundled seeds, then open it."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.db_path.exists():
                kept = self.db_path.with_name(self.db_path.name + ".damaged")
                shutil.copyfile(self.db_path, kept)
            build_store([paths.bundled_seeds()], self.db_path)
        except (OSError, StoreError, sqlite3.Error) as exc:
            self._show_store_problem(f"Building failed: {exc}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        return self.open_store()

    # ------------------------------------------------------------ navigation

    @property
    def scope(self) -> Location | None:
        return self._scope

    @property
    def current_rid(self) -> int | None:
        return self._current_rid

    def _search_scope(self) -> Scope:
        loc = self._scope or Location()
        if loc.kind == "profile" and isinstance(loc.value, int):
            return Scope("profile", loc.value)
        if loc.kind == "person" and isinstance(loc.value, str):
            return Scope("person", loc.value)
        return Scope()

    def go(self, location: Location, *, record: bool = True) -> None:
        """Show a scope and optionally a paper in it; the one way every view changes."""
        if self.store is None:
            return
        if record:
            self.history.visit(location)
            self._update_history_actions()
        scope = Location(location.kind, location.value)
        self._select_author(location.kind, location.value)
        self._current_rid = location.rid
        if scope != self._scope:
            self._scope = scope
            self._pending_rid = location.rid
            self._quiet += 1
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            self._quiet -= 1
            self.run_search()
        else:
            self._select_paper(location.rid)
        self._render_pane()
        self._update_title()

    def go_back(self) -> None:
        location = self.history.back()
        if location is not None:
            self.go(location, record=False)
        self._update_history_actions()

    def go_forward(self) -> None:
        location = self.history.forward()
        if location is not None:
            self.go(location, record=False)
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())

    def _select_author(self, kind: str, value: object) -> None:
        row = self.author_model.row_of(kind, value)
        self._quiet += 1
        try:
            if row < 0:
                self.author_list.selectionModel().clear()
            else:
                index = self.author_model.index(row)
                self.author_list.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.author_list.scrollTo(index)
        finally:
            self._quiet -= 1

    def _select_paper(self, rid: int | None) -> None:
        row = -1 if rid is None else self.paper_model.row_of(rid)
        self._quiet += 1
        try:
            if row < 0:
                self.table.clearSelection()
                self.table.setCurrentIndex(QModelIndex())
            else:
                index = self.paper_model.index(row, 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
        finally:
            self._quiet -= 1

    def _author_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        item: AuthorItem | None = current.data(ITEM_ROLE)
        if item is not None and item.kind != "header":
            self.go(Location(item.kind, item.value))

    def _paper_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        rid = self.paper_model.rid_at(current.row())
        scope = self._scope or Location()
        if rid is not None and rid != self._current_rid:
            self.go(Location(scope.kind, scope.value, rid))

    def follow_link(self, url: QUrl) -> None:
        """Internal links navigate in-app; only http(s) goes to the desktop's browser."""
        scheme = url.scheme().lower()
        if scheme in ("http", "https"):
            QDesktopServices.openUrl(url)
            return
        if scheme != render.SCHEME:
            return
        kind = url.host()
        value = unquote(url.path().lstrip("/"))
        if kind == "profile" and value.isdigit():
            self.go(Location("profile", int(value)))
        elif kind == "person" and value:
            self.go(Location("person", value))

    # ------------------------------------------------------------ searching

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.run_search()

    def run_search(self) -> None:
        """Send the search box's text, in the current scope and sort, to the worker."""
        self._search_timer.stop()
        if self.searcher is None:
            return
        text = self.search_box.text()
        scope = self._search_scope()
        limit = None if scope.kind == "all" and not text.strip() else RESULT_LIMIT
        self.searcher.submit(text, scope, self._sort, limit)
        self.status_label.setText("Searching…")

    @property
    def busy(self) -> bool:
        """A search is on its way (or the debounce timer is about to send one)."""
        return self._search_timer.isActive() or (
            self.searcher is not None and self.searcher.busy)

    def _result_ready(self, _generation: int, result: Any) -> None:
        self.last_result = result
        self._terms = tuple(result.terms)
        keep = self._pending_rid if self._pending_rid is not None else self._current_rid
        self._pending_rid = None
        self._quiet += 1
        try:
            self.paper_model.set_rids(list(result.rids))
        finally:
            self._quiet -= 1
        if keep is not None and self.paper_model.row_of(keep) >= 0:
            self._current_rid = keep
            self._select_paper(keep)
        elif keep is not None and self.search_box.text().strip():
            self._current_rid = None  # the search filtered the paper out
        self._render_pane()
        self._show_status(result)
        self.resultShown.emit()

    def _show_status(self, result: Any) -> None:
        if result.total is not None:
            count = f"{result.total:,} paper{'s' if result.total != 1 else ''}"
        else:
            count = f"more than {result.at_least:,} papers"
        scope = self._scope or Location()
        if scope.kind != "all":
            count += f" in {self._scope_label()}"
        shown = len(result.rids)
        if result.total is None or shown < result.total:
            count += f" (showing the first {shown:,})"
        parts = [count, f"{result.elapsed_ms:.1f} ms"]
        if result.ignored:
            parts.append("ignored: " + "; ".join(result.ignored))
        self.status_label.setText("  ·  ".join(parts))

    def _search_failed(self, _generation: int, message: str) -> None:
        self.status_label.setText(message)
        self.resultShown.emit()

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(SORT_COLUMNS):
            return
        self._sort = (PaperTableModel.KEYS[column], order == Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)
        self.run_search()

    @property
    def sort(self) -> tuple[str, bool] | None:
        return self._sort

    def clear_search(self) -> None:
        """Esc: clear the search and go back to the table."""
        if self.search_box.text():
            self.search_box.clear()
            self._search_now()
        self.focus_table()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def enter_results(self) -> None:
        """Down from the search box: into the table, on the current or the first paper."""
        self.focus_table()
        if not self.table.currentIndex().isValid() and self.paper_model.rowCount() > 0:
            self.table.setCurrentIndex(self.paper_model.index(0, 0))

    def open_current_paper(self) -> None:
        """Enter: show the selected paper in the detail pane and move there to read it."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        rid = self.paper_model.rid_at(index.row())
        if rid is not None and rid != self._current_rid:
            scope = self._scope or Location()
            self.go(Location(scope.kind, scope.value, rid))
        self.detail.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ the detail pane

    def _render_pane(self) -> None:
        if self.store is None:
            self.detail.clear()
            return
        try:
            self.detail.setHtml(self._pane_html())
        except sqlite3.DatabaseError as exc:
            self.detail.setPlainText(f"Cannot read the store: {exc}")

    def _pane_html(self) -> str:
        assert self.store is not None
        if self._current_rid is not None:
            detail = self.store.detail(self._current_rid)
            if detail is not None:
                return render.paper_html(detail, self._terms)
        scope = self._scope or Location()
        if scope.kind == "profile" and isinstance(scope.value, int):
            profile = self.store.profile(scope.value)
            if profile is not None:
                return render.profile_html(profile, self.store.papers_per_year(profile.id))
        if scope.kind == "person" and isinstance(scope.value, str):
            person = self.store.person(scope.value)
            if person is not None:
                owner = self.store.profile(person.profile) if person.profile else None
                return render.person_html(person, owner)
        return render.summary_html(self.store.summary())

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self._scope_label()} — PaperDesk")

    def _scope_label(self) -> str:
        scope = self._scope or Location()
        if self.store is not None and scope.kind == "profile" and isinstance(scope.value, int):
            profile = self.store.profile(scope.value)
            if profile is not None:
                return render.profile_name(profile)
        if self.store is not None and scope.kind == "person" and isinstance(scope.value, str):
            person = self.store.person(scope.value)
            if person is not None:
                return person.name
        return "All papers"

    # ------------------------------------------------------------ copying

    def current_paper(self) -> PaperRow | None:
        if self.store is None or self._current_rid is None:
            return None
        return self.store.papers([self._current_rid]).get(self._current_rid)

    def _copy(self, text: str, what: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage(f"Copied {what}", 3000)

    def copy_citation(self) -> None:
        paper = self.current_paper()
        if paper is not None:
            self._copy(render.citation(paper), "the citation")

    def copy_title(self) -> None:
        paper = self.current_paper()
        if paper is not None:
            self._copy(paper.title, "the title")

    def copy_bibtex(self) -> None:
        paper = self.current_paper()
        if paper is not None:
            self._copy(bibtex_entry(paper), "a BibTeX entry")

    def paper_menu(self) -> QMenu:
        """The table's context menu (built separately so it can be inspected)."""
        menu = QMenu(self)
        menu.setObjectName("paperMenu")
        has_paper = self._current_rid is not None
        for text, slot in (("Copy &citation\tCtrl+C", self.copy_citation),
                           ("Copy &title", self.copy_title),
                           ("Copy &BibTeX entry", self.copy_bibtex)):
            action = menu.addAction(text)
            action.setEnabled(has_paper)
            action.triggered.connect(slot)
        return menu

    def _context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = self.paper_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # ------------------------------------------------------------ help

    def _text_dialog(self, name: str, title: str, text: str, *, html: bool) -> QDialog:
        dialog = QDialog(self)
        dialog.setObjectName(name)
        dialog.setWindowTitle(title)
        layout = QVBoxLayout(dialog)
        view = QTextBrowser()
        view.setObjectName(name + "Text")
        view.setOpenLinks(False)
        if html:
            view.setHtml(text)
        else:
            view.setPlainText(text)
        layout.addWidget(view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout.addWidget(buttons)
        dialog.resize(640, 520)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> QDialog:
        rows = "".join(f"<tr><td><b>{render.esc(k)}</b></td><td>{render.esc(v)}</td></tr>"
                       for k, v in SHORTCUTS)
        return self._text_dialog("shortcutsDialog", "Keyboard shortcuts",
                                 f'<table cellspacing="6">{rows}</table>', html=True)

    def show_search_syntax(self) -> QDialog:
        return self._text_dialog("syntaxDialog", "Search syntax",
                                 query.__doc__ or "No help available.", html=False)

    # ------------------------------------------------------------ state

    def _apply_author_filter(self) -> None:
        self.author_model.set_filter(self.author_filter.text())
        scope = self._scope or Location()
        self._select_author(scope.kind, scope.value)

    def _restore_window_state(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 820)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        header = s.value("table/header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
            # Fixed-height rows are not part of the saved state, but keep them anyway.
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        column = str(s.value("table/sort_column", "") or "")
        descending = str(s.value("table/sort_descending", "false")).lower() == "true"
        header_view = self.table.horizontalHeader()
        header_view.blockSignals(True)
        if column in PaperTableModel.KEYS:
            self._sort = (column, descending)
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            header_view.setSortIndicator(PaperTableModel.KEYS.index(column), order)
        else:
            self._sort = None
            header_view.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header_view.blockSignals(False)

    def _restore_browse_state(self) -> None:
        """Last author and paper, if they still exist in this store."""
        assert self.store is not None
        s = settings()
        kind = str(s.value("browse/kind", "all") or "all")
        raw = s.value("browse/value", "")
        value: object = None
        if kind == "profile" and str(raw).isdigit() and self.store.profile(int(str(raw))):
            value = int(str(raw))
        elif kind == "person" and raw and self.store.person(str(raw)):
            value = str(raw)
        else:
            kind = "all"
        rid = None
        paper_id = str(s.value("browse/paper", "") or "")
        if paper_id:
            paper = self.store.paper_by_id(paper_id)
            rid = paper.rid if paper is not None else None
        self.go(Location(kind, value, rid))

    def save_state(self) -> None:
        s = settings()
        s.setValue("version", SETTINGS_VERSION)
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("table/header", self.table.horizontalHeader().saveState())
        s.setValue("table/sort_column", self._sort[0] if self._sort else "")
        s.setValue("table/sort_descending", "true" if self._sort and self._sort[1] else "false")
        if self.store is not None:
            scope = self._scope or Location()
            s.setValue("browse/kind", scope.kind)
            s.setValue("browse/value", "" if scope.value is None else str(scope.value))
            paper = self.current_paper()
            s.setValue("browse/paper", paper.id if paper is not None else "")
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.save_state()
            for dialog in self.findChildren(QDialog):
                dialog.close()
            self._close_store()
        super().closeEvent(event)
