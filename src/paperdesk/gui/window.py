"""The main window: author list, paper table, detail pane, search box.

Searches go to the worker thread (gui.worker); the GUI thread only reads single
rows by key (a paper's detail, a profile's figures) and batches of table rows.
The store is opened read-only: browsing never writes to it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProxyStyle,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from paperdesk import backups, paths
from paperdesk import db as dbfiles
from paperdesk.export import bibtex_entry
from paperdesk.gui import (
    columns,
    exportdialog,
    insights,
    people,
    render,
    syntax,
    viewstate,
)
from paperdesk.gui.annotate import NoteDialog, NotesEditor, TagsDialog
from paperdesk.gui.deskmenu import Desk
from paperdesk.gui.exporting import View, export_task
from paperdesk.gui.history import History, Location
from paperdesk.gui.importing import ImportSummaryDialog, dropped_paths, import_task
from paperdesk.gui.models import ITEM_ROLE, AuthorItem, AuthorListModel, PaperTableModel
from paperdesk.gui.pane import PaneData, PaneRequest
from paperdesk.gui.plain import plain
from paperdesk.gui.reader import Reader
from paperdesk.gui.settings import settings
from paperdesk.gui.shortcuts import ANNOTATION_KEYS, SHORTCUTS, ShortcutGuard
from paperdesk.gui.tasks import Task
from paperdesk.gui.theme import FOCUS_FRAME, theme_for
from paperdesk.gui.titles import TitleDelegate
from paperdesk.gui.worker import Answer, Searcher
from paperdesk.importer import ImportReport
from paperdesk.search import Scope, SearchResult
from paperdesk.store import (
    SMALL_CACHE_KIB,
    PaperRow,
    Store,
    StoreBusy,
    StoreError,
    UpgradeNeeded,
    build_store,
    upgrade_store,
)
from paperdesk.userdata import PaperNotes, UserData, UserDataError

DEBOUNCE_MS = 40
# Rows a result holds at most; the status bar says "more than N" beyond it. The
# empty query on All papers is not capped: it is one walk of the date index and
# needs no count (the total is the build's stored figure).
RESULT_LIMIT = 100_000
FILTER_DEBOUNCE_MS = 60
SETTLE_MS = 700  # table moves closer together than this make one history entry
SETTINGS_VERSION = 1
USERDATA_TIMEOUT = 0.25  # seconds a write waits for a locked user-data file
STORE_TIMEOUT = 0.25  # seconds opening the store waits for another writer; then retried
BUSY_RETRY_MS = 1000
STORE_PROBLEM = "<h2>The paper store cannot be opened</h2>"
STORE_BUSY = "<h2>The paper store is in use</h2>"
# A query that reads the user's notes (is:starred, rating:>=4, tag:x, note:x): run it
# again after an edit, so the table keeps matching it.
_USER_FILTER = re.compile(r"(?<![\w:])-?(is|rating|tag|note):", re.IGNORECASE)
_USER_COLUMNS = {"starred", "read", "rating"}  # sorting by these follows each edit


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


class PaperTable(QTableView):
    """The paper table; Enter opens the paper, Ctrl+C copies a citation, and the
    annotation keys (S, R, 1-5, 0, T, N) edit the user's notes on the paper."""

    openRequested = Signal()
    copyRequested = Signal()
    annotateRequested = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = Qt.Key(event.key())
        if key in ANNOTATION_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            self.annotateRequested.emit(ANNOTATION_KEYS[key])
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.openRequested.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and modifiers in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier):
            self._to_row(0 if key == Qt.Key.Key_Home else self.model().rowCount() - 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _to_row(self, row: int) -> None:
        """Home and End: the first and last paper (a table of rows, not of cells)."""
        if row >= 0:
            column = max(self.currentIndex().column(), 0)
            self.setCurrentIndex(self.model().index(row, column))


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
        self.title = title = QLabel(STORE_PROBLEM)
        self.message = QLabel()
        self.message.setObjectName("storeMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        # Building replaces the file: never the default, and it asks (build_from_seeds).
        self.button = QPushButton("Build a new store from the bundled seed pages…")
        self.button.setObjectName("buildButton")
        self.button.setAutoDefault(False)
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
    taskEnded = Signal()

    def __init__(self, db_path: Path, userdata_path: Path | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.userdata_path = userdata_path
        self.userdata: UserData | None = None
        self.userdata_problem = ""
        self.theme = theme_for(self.palette())
        self.store: Store | None = None
        self.searcher: Searcher | None = None
        self.reader: Reader | None = None
        self._pane: PaneData | None = None  # what the detail pane shows
        self._pane_scroll: int | None = None  # where to put the pane's scroll bar once shown
        self.history = History()
        self.last_error = ""  # the last user-data error shown
        self.note_draft: NoteDialog | None = None  # reopened after a failed save
        self.tags_draft: TagsDialog | None = None
        self._nav_pending = False  # an author-list click waits for its selection to settle
        self.task: Task | None = None  # the import or export under way
        self.import_summary: ImportSummaryDialog | None = None
        self._scope: Location | None = None  # the scope shown (rid unused)
        self._current_rid: int | None = None  # the paper shown in the pane
        self._pending_rid: int | None = None  # select this paper when the result arrives
        self._first_page_shown = False  # the table shows a first page; its rest comes next
        self._sort: tuple[str, bool] | None = None
        self._terms: tuple[str, ...] = ()
        self._quiet = 0  # >0 while the window changes selections itself
        self._closed = False
        self.last_result: SearchResult | None = None
        self.setWindowTitle("PaperDesk")
        self._build_ui()
        self._build_actions()
        # Tab cycles the panes: search box, author filter, author list, table, detail pane
        QWidget.setTabOrder(self.search_box, self.author_filter)
        QWidget.setTabOrder(self.author_filter, self.author_list)
        QWidget.setTabOrder(self.author_list, self.table)
        QWidget.setTabOrder(self.table, self.detail)
        self.shortcut_guard = ShortcutGuard(self)
        self.shortcut_guard.watch()
        self._restore_window_state()
        self._open_userdata()
        self.setAcceptDrops(True)
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
        # Several profiles can be selected (Ctrl/Shift+click) to compare them.
        self.author_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.author_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.author_list.customContextMenuRequested.connect(self._author_context_menu)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.marked_only = people.filter_box()
        self.marked_only.toggled.connect(self._show_marked_only)
        left_layout.addWidget(self.author_filter)
        left_layout.addWidget(self.marked_only)
        left_layout.addWidget(self.author_list)

        self.paper_model = PaperTableModel()
        self.table = PaperTable()
        self.table.setObjectName("paperTable")
        self.table.setModel(self.paper_model)
        self.titles = TitleDelegate(self.theme, self.table)
        self.table.setItemDelegateForColumn(1, self.titles)
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
        header.setHighlightSections(False)
        columns.set_defaults(header, self.table.fontMetrics(), PaperTableModel.COLUMNS)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)

        self.detail = DetailPane()
        self.detail.setObjectName("detailPane")
        self.detail.setOpenLinks(False)
        self.detail.setOpenExternalLinks(False)
        self.detail.setTabChangesFocus(True)
        self.detail.setWordWrapMode(QTextOption.WrapMode.WordWrap)  # never mid-word
        self.detail.document().setDefaultStyleSheet(self.theme.css)
        self.editor = NotesEditor()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.editor)
        right_layout.addWidget(self.detail)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([200, 800, 400])
        self.splitter.setChildrenCollapsible(False)

        self.store_page = StorePage()
        self.store_page.button.clicked.connect(self.build_from_seeds)
        # A store another program is writing to is opened again until it is free.
        self._busy_retry = QTimer(self)
        self._busy_retry.setSingleShot(True)
        self._busy_retry.setInterval(BUSY_RETRY_MS)
        self._busy_retry.timeout.connect(self.open_store)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.store_page)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)
        self.splitter.setStyleSheet(FOCUS_FRAME)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusCount")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # holds query text
        self.statusBar().addWidget(self.status_label, 1)


        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.downPressed.connect(self.enter_results)
        self.search_box.returnPressed.connect(self._search_now)

        self._moving = QTimer(self)  # runs while the table's selection is moving
        self._moving.setSingleShot(True)
        self._moving.setInterval(SETTLE_MS)

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
        self.table.annotateRequested.connect(self._annotate_key)
        self.editor.starToggled.connect(self.set_starred)
        self.editor.readStateChosen.connect(self.set_read_state)
        self.editor.ratingChosen.connect(self.set_rating)
        self.editor.tagsEdited.connect(self.set_tags)
        self.editor.noteRequested.connect(lambda: self.edit_note())
        self.paper_model.sortRequested.connect(self._sort_requested)
        header.sortIndicatorChanged.connect(self._sort_requested)
        self.detail.anchorClicked.connect(self.follow_link)

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.file_menu = file_menu
        self.import_action = file_menu.addAction("&Import pages…")
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_import_files)
        self.import_folder_action = file_menu.addAction("Import a &folder of pages…")
        self.import_folder_action.setObjectName("importFolderAction")
        self.import_folder_action.triggered.connect(self.choose_import_folder)
        file_menu.addSeparator()
        self.export_action = file_menu.addAction("&Export view…")
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("The papers shown, in the order shown: BibTeX, CSV, "
                                      "Markdown or JSON")
        self.export_action.triggered.connect(self.choose_export_file)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction("&Quit")
        self.quit_action.setObjectName("quitAction")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)

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

        searches = menu.addMenu("&Searches")
        self.save_search_action = searches.addAction("&Save search…")
        self.save_search_action.setObjectName("saveSearchAction")
        self.save_search_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_search_action.triggered.connect(self.ask_save_search)
        self.delete_search_action = searches.addAction("&Delete saved search")
        self.delete_search_action.triggered.connect(self.delete_selected_search)
        self.compare_action = QAction("&Compare selected profiles", self)
        self.compare_action.setObjectName("compareAction")
        self.compare_action.setShortcut(QKeySequence("Ctrl+K"))
        self.compare_action.triggered.connect(self.compare_selected)
        go.addSeparator()
        go.addAction(self.compare_action)
        self.desk = Desk(self)  # the Desk menu: reviewers, similar work, candidate reports

        help_menu = menu.addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts").triggered.connect(self.show_shortcuts)
        help_menu.addAction("Search &syntax").triggered.connect(self.show_search_syntax)
        help_menu.addSeparator()
        self.about_action = help_menu.addAction("&About PaperDesk")
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self.show_about)
        self._dialogs: list[QDialog] = []

    # ------------------------------------------------------------ the store

    def open_store(self, location: Location | None = None) -> bool:
        """Open the store read-only; on failure show the message page with the build button.

        Shows `location` (the last one saved in the settings when None). A store of an
        older version is upgraded first, off the GUI thread: False until that is done."""
        self._close_store()
        self._busy_retry.stop()
        try:
            self.store = Store(self.db_path, cache_kib=SMALL_CACHE_KIB, upgrade=False,
                               timeout=STORE_TIMEOUT)
            self.store.paper_total()
        except UpgradeNeeded:
            self.store = None
            self._upgrade_store(location)
            return False
        except StoreBusy as exc:
            self.store = None
            self._show_store_busy(str(exc))
            return False
        except (StoreError, sqlite3.Error) as exc:
            self.store = None
            self._show_store_problem(str(exc))
            return False
        self.author_model.set_marked(people.marks(self.userdata))
        self.author_model.set_store(self.store)
        self.author_model.set_saved(self.saved_searches())
        # the worker attaches the notes read-only for is:starred, rating:, tag:, note:
        self.searcher = Searcher(self.db_path, self, userdata_path=self.userdata_path)
        self.searcher.resultReady.connect(self._result_ready)
        self.searcher.failed.connect(self._search_failed)
        self.searcher.watch_paints(self.table.viewport())
        self.reader = Reader(self.db_path, self.userdata_path if self.userdata else None, self)
        self.reader.rowsReady.connect(self.paper_model.add_rows)
        self.reader.paneReady.connect(self._pane_ready)
        self.reader.failed.connect(lambda message: self.statusBar().showMessage(message, 5000))
        self.paper_model.set_loader(self.reader.request_rows)
        self.stack.setCurrentWidget(self.splitter)
        self.search_box.setEnabled(True)
        if location is None:
            self._restore_browse_state()
        else:
            self._go_if_present(location)
        self.storeOpened.emit()
        return True

    def _upgrade_store(self, location: Location | None) -> None:
        """Bring an older store to this version's schema in the background (it can take
        seconds for a large one: new indexes), then open it at `location`."""
        self.stack.setCurrentWidget(self.splitter)  # empty until the store opens
        self.search_box.setEnabled(False)
        self.status_label.setText("Upgrading the store…")
        task = Task(self, "Upgrading the store",
                    f"Upgrading {self.db_path.name} for this version of PaperDesk. This "
                    "happens once; a large store takes a few seconds.",
                    lambda cancelled, _progress: upgrade_store(self.db_path, cancelled),
                    (StoreError,), cancellable=False)
        task.finished.connect(lambda _: self._upgrade_done(location, None))
        task.failed.connect(lambda message: self._upgrade_done(location, message))
        self.task = task
        task.start()

    def _upgrade_done(self, location: Location | None, failure: str | None) -> None:
        self._end_task()
        if failure is None:
            self.open_store(location)
        else:
            self._show_store_problem(failure)

    def _go_if_present(self, location: Location) -> None:
        """Go to `location` in a store that may have changed: what is gone falls back."""
        assert self.store is not None
        kind, value, rid = location.kind, location.value, location.rid
        if kind == "profiles" and isinstance(value, tuple):
            value = tuple(i for i in value if self.store.profile(i))
        if (kind == "profile" and not (isinstance(value, int) and self.store.profile(value))) or (
                kind == "person" and not (isinstance(value, str) and self.store.person(value))) or (
                kind == "profiles" and not value):
            kind, value = "all", None
        if rid is not None and not self.store.papers([rid]):
            rid = None
        self.go(Location(kind, value, rid), record=False)

    def reopen_store(self) -> bool:
        """After the store file changed (an import): fresh connections, the same view."""
        location = Location(*(self._scope.kind, self._scope.value) if self._scope else ("all",
                                                                                          None),
                            self._current_rid)
        return self.open_store(location)

    def _close_store(self) -> None:
        if self.searcher is not None:
            self.searcher.stop()
            self.searcher.deleteLater()
            self.searcher = None
        if self.reader is not None:
            self.reader.stop()
            self.reader.deleteLater()
            self.reader = None
        self.paper_model.set_loader(None)
        self._pane = None
        self.author_model.set_store(None)
        if self.store is not None:
            self.store.close()
            self.store = None
        self._scope = None

    # ------------------------------------------------------------ importing

    def _file_dialog(self, title: str, mode: QFileDialog.FileMode) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setObjectName("importFileDialog")
        dialog.setFileMode(mode)
        if mode == QFileDialog.FileMode.ExistingFiles:
            dialog.setNameFilters(["Profile pages (*.txt)", "All files (*)"])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda files: self.import_paths([Path(f) for f in files]))
        dialog.open()
        return dialog

    def choose_import_files(self) -> QFileDialog:
        """File → Import pages…: pick page files."""
        return self._file_dialog("Import pages", QFileDialog.FileMode.ExistingFiles)

    def choose_import_folder(self) -> QFileDialog:
        """File → Import a folder of pages…: every page in a folder."""
        return self._file_dialog("Import a folder of pages", QFileDialog.FileMode.Directory)

    def import_paths(self, paths: list[Path]) -> Task | None:
        """Import page files or folders into the store, in the background."""
        if not paths:
            return None
        if self.task is not None:
            self.statusBar().showMessage("Wait for the running import or export to finish", 4000)
            return None
        if self.store is None:
            self.statusBar().showMessage("No store to import into: build one first", 4000)
            return None
        task = import_task(self, self.db_path, paths)
        task.finished.connect(self._import_finished)
        task.failed.connect(self._import_failed)
        self.task = task
        self.status_label.setText("Importing…")
        return task

    def _end_task(self) -> None:
        if self.task is not None:
            self.task.deleteLater()
        self.task = None
        self.taskEnded.emit()

    def _import_finished(self, report: ImportReport) -> None:
        self._end_task()
        if report.cancelled:
            self.statusBar().showMessage("Import cancelled: the store is unchanged", 6000)
            if self.last_result is not None:
                self._show_status(self.last_result)
            return
        self.reopen_store()  # the file changed under the read connections: start afresh
        self.statusBar().showMessage(f"Imported: {report.summary()}", 8000)
        dialog = ImportSummaryDialog(report, self.db_path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "import_summary", None))
        self.import_summary = dialog
        dialog.show()

    def _import_failed(self, message: str) -> None:
        self._end_task()
        if self.last_result is not None:
            self._show_status(self.last_result)
        box = QMessageBox(QMessageBox.Icon.Warning, "Import failed", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("importError")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and dropped_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls() and dropped_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # after the drop returns: the drag source may wait on us
        QTimer.singleShot(0, lambda: self.import_paths(paths))

    # ------------------------------------------------------------ exporting

    def choose_export_file(self) -> QFileDialog | None:
        """File → Export view…: where and in which format (see gui.exportdialog)."""
        if self.store is None:
            return None
        dialog = exportdialog.export_dialog(self, self.paper_model.rowCount(),
                                            self._scope_label())
        dialog.fileSelected.connect(
            lambda file: self.export_view(Path(file), dialog.selectedNameFilter()))
        dialog.open()
        return dialog

    def export_view(self, path: Path, name_filter: str = "") -> Task | None:
        """Write the papers shown, in the order shown, to `path`, in the background: its
        known extension decides the format, else the filter chosen (which adds it)."""
        if self.task is not None:
            self.statusBar().showMessage("Wait for the running import or export to finish", 4000)
            return None
        if self.store is None:
            return None
        path, fmt = exportdialog.target(path, name_filter)
        exportdialog.remember(path, fmt)
        task = export_task(self, self.db_path, self._exported(), fmt, path,
                           self.userdata_path if self.userdata is not None else None)
        task.finished.connect(self._export_finished)
        task.failed.connect(self._export_failed)
        self.task = task
        return task

    def _exported(self) -> list[int] | View:
        """The table's rows when they are the whole answer, else the search itself."""
        rids = list(self.paper_model.rids)
        result = self.last_result
        if result is None or result.total == len(rids):
            return rids
        return View(self.search_box.text(), self._search_scope(), self._sort)

    def _export_finished(self, result: tuple[int, Path] | None) -> None:
        self._end_task()
        if result is None:
            self.statusBar().showMessage("Export cancelled: no file written", 6000)
        else:
            count, path = result
            self.statusBar().showMessage(
                f"Exported {count:,} paper{'s' if count != 1 else ''} to {path}", 8000)

    def _export_failed(self, message: str) -> None:
        self._end_task()
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("exportError")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------ saved searches

    @staticmethod
    def saved_searches() -> list[tuple[str, str]]:
        """(name, query text) of each saved search, from the settings, in saving order."""
        s = settings()
        found = []
        for i in range(s.beginReadArray("saved_searches")):
            s.setArrayIndex(i)
            name, text = str(s.value("name", "") or ""), str(s.value("query", "") or "")
            if name and text:
                found.append((name, text))
        s.endArray()
        return found

    def _write_saved(self, saved: list[tuple[str, str]]) -> None:
        s = settings()
        s.remove("saved_searches")
        s.beginWriteArray("saved_searches", len(saved))
        for i, (name, text) in enumerate(saved):
            s.setArrayIndex(i)
            s.setValue("name", name)
            s.setValue("query", text)
        s.endArray()
        s.sync()
        self.author_model.set_saved(saved)
        scope = self._scope or Location()
        self._select_author(scope.kind, scope.value)

    def ask_save_search(self) -> QInputDialog | None:
        """Ctrl+S: name the query in the search box; it joins the author list."""
        text = self.search_box.text().strip()
        if not text:
            self.statusBar().showMessage("Type a search first, then save it (Ctrl+S)", 4000)
            return None
        dialog = QInputDialog(self)
        dialog.setObjectName("saveSearchDialog")
        dialog.setWindowTitle("Save search")
        dialog.setLabelText(plain(f"A name for the search “{text}”:"))
        dialog.setTextValue(text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda name: self.save_search(name, text))
        dialog.open()
        return dialog

    def save_search(self, name: str, text: str) -> None:
        """Keep `text` (the query, not its results) under `name`; an existing name is updated."""
        name = " ".join(name.split())
        if not name or not text.strip():
            return
        saved = [(n, q) for n, q in self.saved_searches() if n != name]
        saved.append((name, text.strip()))
        self._write_saved(saved)
        self.statusBar().showMessage(f"Saved the search “{name}”", 4000)

    def delete_saved_search(self, name: str) -> None:
        saved = self.saved_searches()
        if any(n == name for n, _q in saved):
            self._write_saved([(n, q) for n, q in saved if n != name])
            if self._scope is not None and self._scope.kind == "saved" and \
                    self._scope.value == name:
                self.go(Location())

    def delete_selected_search(self) -> None:
        item = self.author_list.currentIndex().data(ITEM_ROLE)
        if isinstance(item, AuthorItem) and item.kind == "saved":
            self.delete_saved_search(str(item.value))
        else:
            self.statusBar().showMessage("Select a saved search in the author list first", 4000)

    # ------------------------------------------------------------ comparing profiles

    def selected_profiles(self) -> list[int]:
        """Ids of the profiles selected in the author list, in list order."""
        rows = sorted(i.row() for i in self.author_list.selectionModel().selectedRows())
        items = [self.author_model.item(r) for r in rows]
        return [int(str(i.value)) for i in items if i is not None and i.kind == "profile"]

    def compare_selected(self) -> insights.CompareDialog | None:
        """Ctrl+K: the selected profiles' figures side by side, in a sortable table."""
        ids = self.selected_profiles()
        if self.store is None or len(ids) < 2:
            self.statusBar().showMessage(
                "Select two or more profiles (Ctrl+click in the author list) to compare", 5000)
            return None
        dialog = insights.CompareDialog(insights.compare_rows(self.store, ids), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def author_menu(self) -> QMenu:
        """The author list's context menu (built separately so it can be inspected)."""
        menu = QMenu(self)
        menu.setObjectName("authorMenu")
        compare = menu.addAction(self.compare_action.text())
        compare.setEnabled(len(self.selected_profiles()) >= 2)
        compare.triggered.connect(self.compare_selected)
        item = self.author_list.currentIndex().data(ITEM_ROLE)
        if isinstance(item, AuthorItem) and item.kind == "saved":
            delete = menu.addAction(f"Delete saved search “{item.label}”")
            delete.triggered.connect(lambda: self.delete_saved_search(str(item.value)))
        people.add_person_actions(menu, item if isinstance(item, AuthorItem) else None,
                                  self.userdata is not None, self.edit_tags, self.edit_note)
        self.desk.profile_actions(menu)
        return menu

    def _show_marked_only(self, on: bool) -> None:
        self.author_model.set_only_marked(on)
        scope = self._scope or Location()
        self._select_author(scope.kind, scope.value)

    def _refresh_marks(self) -> None:
        self.author_model.set_marked(people.marks(self.userdata))

    def _author_context_menu(self, pos: Any) -> None:
        index = self.author_list.indexAt(pos)
        if index.isValid() and not self.author_list.selectionModel().isSelected(index):
            self.author_list.setCurrentIndex(index)
        menu = self.author_menu()
        menu.exec(self.author_list.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _show_store_problem(self, message: str) -> None:
        self.store_page.message.setText(message)
        self.store_page.note.setText(
            f"The store file is {self.db_path}. Building replaces it with a store of the "
            "five bundled seed pages" + (
                "; the damaged file is kept beside it with '.damaged' added to its name."
                if self.db_path.exists() else "."))
        self.store_page.button.show()
        self.store_page.title.setText(STORE_PROBLEM)
        self.stack.setCurrentWidget(self.store_page)
        self.search_box.setEnabled(False)
        self.status_label.setText("No store")

    def _show_store_busy(self, message: str) -> None:
        """Another program writes to the store: wait for it, offer nothing destructive."""
        self._show_store_problem(message)
        self.store_page.note.setText("PaperDesk opens it as soon as the other program is done.")
        self.store_page.button.hide()
        self.store_page.title.setText(STORE_BUSY)
        self.status_label.setText("Waiting for the store…")
        self._busy_retry.start()

    def confirm_rebuild(self) -> bool:
        """Ask before a build replaces the store file; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Replace the store?",
                          f"Building replaces {self.db_path} with a new store of the five "
                          f"bundled seed pages. The current file is kept as "
                          f"{self.db_path.name}.damaged.", QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("confirmRebuild")
        box.setTextFormat(Qt.TextFormat.PlainText)
        replace = box.addButton("Replace the store", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace

    def build_from_seeds(self) -> bool:
        """The store page's button: build from the bundled seeds, then open it.

        An existing file is replaced only when the user says so, and is kept first,
        with its journal (db.copy), as NAME.damaged."""
        if self.db_path.exists() and not self.confirm_rebuild():
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.db_path.exists():
                dbfiles.copy(self.db_path, self.db_path.with_name(self.db_path.name + ".damaged"))
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
        if loc.kind == "profiles" and isinstance(loc.value, tuple):
            return Scope("profiles", loc.value)
        return Scope()

    def go(self, location: Location, *, record: bool = True) -> None:
        """Show a scope and optionally a paper in it; the one way every view changes."""
        if self.store is None:
            return
        if record:
            self._moving.stop()
            self.history.visit(location)
            self._update_history_actions()
        scope = Location(location.kind, location.value)
        self._select_author(location.kind, location.value)
        self._current_rid = location.rid
        if scope != self._scope:
            self._enter_saved(self._scope, scope)
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

    def _enter_saved(self, old: Location | None, new: Location) -> None:
        """A saved search puts its query in the box; leaving it takes the query out."""
        box = self.search_box
        if new.kind == "saved":
            query_text = self.author_model.saved_query(str(new.value))
            if query_text is not None:
                box.blockSignals(True)
                box.setText(query_text)
                box.blockSignals(False)
        elif old is not None and old.kind == "saved" and box.text() == (
                self.author_model.saved_query(str(old.value)) or ""):
            box.blockSignals(True)
            box.clear()
            box.blockSignals(False)

    def go_back(self) -> None:
        self._moving.stop()  # a move after Back is a new entry, not a change of this one
        location = self.history.back()
        if location is not None:
            self.go(location, record=False)
        self._update_history_actions()

    def go_forward(self) -> None:
        self._moving.stop()
        location = self.history.forward()
        if location is not None:
            self.go(location, record=False)
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())

    def _select_author(self, kind: str, value: object) -> None:
        if kind == "profiles" and isinstance(value, tuple):
            self._select_profiles(value)
            return
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

    def _select_profiles(self, ids: tuple[int, ...]) -> None:
        """Select the rows of several profiles (Back to a multi-selection restores it)."""
        rows = [r for r in (self.author_model.row_of("profile", i) for i in ids) if r >= 0]
        if sorted(self.selected_profiles()) == sorted(ids):
            return
        selection = self.author_list.selectionModel()
        self._quiet += 1
        try:
            selection.clear()
            for row in rows:
                selection.select(self.author_model.index(row),
                                 QItemSelectionModel.SelectionFlag.Select)
            if rows:
                selection.setCurrentIndex(self.author_model.index(rows[-1]),
                                          QItemSelectionModel.SelectionFlag.NoUpdate)
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
        # Decide once the view has applied the click's selection: a Ctrl/Shift+click
        # that leaves several rows selected picks profiles to compare, it does not navigate.
        self._nav_pending = True
        QTimer.singleShot(0, self._author_settled)

    def _author_settled(self) -> None:
        self._nav_pending = False
        if self.store is None or self._closed:
            return
        if len(self.author_list.selectionModel().selectedRows()) > 1:
            ids = self.selected_profiles()
            if len(ids) > 1:  # all their papers; Ctrl+K compares them
                self.go(Location("profiles", tuple(ids)))
            self.statusBar().showMessage(
                f"{len(ids)} profiles selected: Ctrl+K compares them", 4000)
            return
        current = self.author_list.currentIndex()
        item: AuthorItem | None = current.data(ITEM_ROLE) if current.isValid() else None
        if item is not None and item.kind != "header":
            self.go(Location(item.kind, item.value))

    def _paper_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        rid = self.paper_model.rid_at(current.row())
        scope = self._scope or Location()
        if rid is not None and rid != self._current_rid:
            location = Location(scope.kind, scope.value, rid)
            # One history entry per settled selection: moves in quick succession (arrow
            # keys held or tapped) replace the entry the first of them made.
            here = self.history.current
            if self._moving.isActive() and here is not None and here.rid is not None and (
                    here.kind, here.value) == (scope.kind, scope.value):
                self.history.replace(location)
            else:
                self.history.visit(location)
            self._update_history_actions()
            self._moving.start()
            self.go(location, record=False)

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
        elif kind == "similar" and value.isdigit():
            self.desk.more_like_this()

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
        return self._nav_pending or self._search_timer.isActive() or (
            self.searcher is not None and self.searcher.busy) or (
            self.reader is not None and self.reader.busy)

    def _result_ready(self, _generation: int, answer: Answer) -> None:
        result = answer.result
        self.last_result = result
        self._terms = tuple(result.terms)
        self.titles.set_terms(self._terms)
        keep = self._pending_rid if self._pending_rid is not None else self._current_rid
        self._pending_rid = None
        self._quiet += 1
        try:  # a final answer after its first page only adds rows below: nothing moves
            if not (self._first_page_shown and self.paper_model.extend_rids(result.rids,
                                                                             answer.rows)):
                self.paper_model.set_rids(result.rids, answer.rows)
            self._first_page_shown = not answer.final
        finally:
            self._quiet -= 1
        if keep is not None and self.paper_model.row_of(keep) >= 0:
            self._current_rid = keep
            self._select_paper(keep)
        elif keep is not None and not answer.final:
            self._pending_rid = keep  # the first page: the full answer may have it
        elif keep is not None and self.search_box.text().strip():
            self._current_rid = None  # the search filtered the paper out
        self._render_pane()
        self._show_status(result, counting=not answer.final)
        self.resultShown.emit()

    def _show_status(self, result: SearchResult, counting: bool = False) -> None:
        if result.total is not None:
            count = f"{result.total:,} paper{'s' if result.total != 1 else ''}"
        elif counting:  # the first page: its rows stay, the count comes next
            count = f"{len(result.rids):,}+ papers"
        else:
            count = f"more than {result.at_least:,} papers"
        if result.total == 0:
            query_text = self.search_box.text().strip()
            count = "No papers match" + (f" “{query_text}”" if query_text else "")
        scope = self._scope or Location()
        if scope.kind != "all":
            count += f" in {self._scope_label()}"
        shown = len(result.rids)
        if not counting and (result.total is None or shown < result.total):
            count += f" (showing the first {shown:,})"
        parts = [count, f"{result.elapsed_ms:.1f} ms"]
        if counting:
            parts.insert(1, "counting…")
        parts.extend(result.ignored)  # each says what it ignored or assumed, and why
        self.status_label.setText("  ·  ".join(parts))

    def _search_failed(self, _generation: int, message: str) -> None:
        self.status_label.setText(message)
        self.resultShown.emit()

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(PaperTableModel.KEYS):
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

    def _render_pane(self, keep_scroll: bool = False) -> None:
        """Ask the reader for the pane of what is shown; _pane_ready() shows it."""
        if self.store is None or self.reader is None:
            self.detail.clear()
            self.editor.show_nothing()
            return
        scope = self._scope or Location()
        saved = self.author_model.saved_query(str(scope.value)) if scope.kind == "saved" else None
        self._pane_scroll = self.detail.verticalScrollBar().value() if keep_scroll else None
        self.reader.request_pane(PaneRequest(self._current_rid, scope, self._terms,
                                             self.theme, saved))

    def _pane_ready(self, data: PaneData) -> None:
        self._pane = data
        self.detail.setHtml(data.html)
        if self._pane_scroll is not None:
            self.detail.verticalScrollBar().setValue(self._pane_scroll)
            self._pane_scroll = None
        if data.problem:
            self.statusBar().showMessage(data.problem, 5000)
        self._update_editor()

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
        if scope.kind == "saved":
            return f"Saved search “{scope.value}”"
        if scope.kind == "profiles" and isinstance(scope.value, tuple):
            return f"{len(scope.value)} profiles"
        return "All papers"

    # ------------------------------------------------------------ copying

    def current_paper(self) -> PaperRow | None:
        """The paper shown or selected, as read already (no query)."""
        rid = self._current_rid
        if rid is None:
            return None
        pane = self._pane
        if pane is not None and pane.paper is not None and pane.request.rid == rid:
            return pane.paper
        return self.paper_model.cached(rid)

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
        self.desk.paper_actions(menu)
        menu.addSeparator()
        self._add_annotation_actions(menu)
        return menu

    # ------------------------------------------------------------ the user's notes

    def _open_userdata(self) -> None:
        try:
            self.userdata = UserData(self.userdata_path, timeout=USERDATA_TIMEOUT)
        except UserDataError as exc:
            self.userdata = None
            self.userdata_problem = str(exc)
            self.statusBar().showMessage(f"Notes are off: {exc}")
            return
        self.userdata_path = self.userdata.path
        self._check_userdata()

    def _check_userdata(self) -> None:
        """Make the day's backup; a damaged file is said at once, with where what could
        still be read was saved (paperdesk.backups)."""
        assert self.userdata is not None
        problem = self.userdata.check()
        try:
            saved = backups.backup(self.userdata, "damaged" if problem else backups.DAILY)
        except UserDataError as exc:
            saved = None
            self.statusBar().showMessage(f"No backup of your notes today: {exc}", 8000)
        if problem is None:
            return
        self.userdata_problem = f"{self.userdata.path} is damaged ({problem})"
        box = self._show_userdata_error(
            f"Your notes file {self.userdata.path} is damaged ({problem}). "
            + (f"The notes that could still be read are saved in {saved}; to go on with a "
               f"sound file, close PaperDesk, move the damaged file away and run "
               f"'paperdesk userdata import --replace {saved}'." if saved else
               "No copy of it could be saved."))
        box.setWindowTitle("Your notes file is damaged")

    def _paper_notes(self, paper: PaperRow) -> PaperNotes | None:
        if self.userdata is None:
            return None
        try:
            return self.userdata.paper(paper.id)
        except UserDataError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return None

    def current_notes(self) -> PaperNotes | None:
        """The user's notes on the paper shown (defaults when none; None: no paper/no file)."""
        paper = self.current_paper()
        return self._paper_notes(paper) if paper is not None else None

    def _scope_person(self) -> tuple[str, str] | None:
        """(person key, name) of the profile or person in scope, when no paper is shown."""
        pane = self._pane
        if pane is None or self._current_rid is not None or pane.request.rid is not None:
            return None
        return pane.person if pane.request.scope == (self._scope or Location()) else None

    def _update_editor(self) -> None:
        pane = self._pane
        if self.userdata is None or pane is None:
            self.editor.show_nothing()
            self.editor.setToolTip(self.userdata_problem)
            return
        if pane.notes is not None:
            self.editor.show_paper(pane.notes)
        elif pane.person_notes is not None:
            self.editor.show_person(pane.person_notes)
        else:
            self.editor.show_nothing()

    def _annotate_key(self, what: str) -> None:
        if what == "star":
            self.toggle_star()
        elif what == "read":
            self.cycle_read_state()
        elif what == "tags":
            self.edit_tags()
        elif what == "note":
            self.edit_note()
        elif what.startswith("rate"):
            n = int(what[4:])
            notes = self.current_notes()
            # pressing the rating the paper already has clears it
            self.set_rating(None if n == 0 or (notes and notes.rating == n) else n)

    def _write_notes(self, what: str, write: Any) -> bool:
        """Run one user-data write; on failure say why (the previous data stays)."""
        if self.userdata is None:
            self._show_userdata_error(self.userdata_problem or "No user-data file is open.")
            return False
        try:
            write(self.userdata)
        except (UserDataError, ValueError) as exc:
            self._show_userdata_error(str(exc))
            self._refresh_notes()
            return False
        self._refresh_notes()
        self._refresh_marks()
        self.statusBar().showMessage(f"Saved: {what}", 2500)
        if _USER_FILTER.search(self.search_box.text()) or (
                self._sort is not None and self._sort[0] in _USER_COLUMNS):
            self.run_search()
        return True

    def _show_userdata_error(self, message: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, "Could not save your notes", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("userDataError")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_error = message
        return box

    def _refresh_notes(self) -> None:
        """Show the notes as stored now: the table row, the pane (same scroll), the editor."""
        if self._current_rid is not None:
            self.paper_model.refresh_notes([self._current_rid])
        self._render_pane(keep_scroll=True)

    def _paper_for_edit(self) -> PaperRow | None:
        paper = self.current_paper()
        if paper is None:
            self.statusBar().showMessage("Select a paper first", 2500)
        return paper

    def toggle_star(self) -> None:
        paper = self._paper_for_edit()
        if paper is not None:
            self._write_notes("star", lambda ud: ud.toggle_star(paper.id))

    def set_starred(self, starred: bool) -> None:
        paper = self._paper_for_edit()
        if paper is not None:
            self._write_notes("star", lambda ud: ud.set_starred(paper.id, starred))

    def cycle_read_state(self) -> None:
        paper = self._paper_for_edit()
        if paper is not None:
            self._write_notes("read state", lambda ud: ud.cycle_read_state(paper.id))

    def set_read_state(self, state: str) -> None:
        paper = self._paper_for_edit()
        if paper is not None:
            self._write_notes("read state", lambda ud: ud.set_read_state(paper.id, state))

    def set_rating(self, rating: int | None) -> None:
        paper = self._paper_for_edit()
        if paper is not None:
            self._write_notes("rating", lambda ud: ud.set_rating(paper.id, rating))

    def set_tags(self, tags: list[str]) -> bool:
        """Make the tags of the paper shown (or, with none, of the person in scope) `tags`;
        False when they could not be saved."""
        paper = self.current_paper()
        if paper is not None:
            return self._write_notes("tags", lambda ud: ud.set_tags(paper.id, tags))
        who = self._scope_person()
        if who is not None:
            key = who[0]
            return self._write_notes("tags", lambda ud: ud.set_person_tags(key, tags))
        return False

    def _subject(self, who: tuple[str, str] | None = None
                 ) -> tuple[str, PaperRow | None, str | None] | None:
        """What T and N edit: (title shown, paper, person key); `who` (key, name): that
        person (the author list's context menu)."""
        if who is not None:
            return who[1], None, who[0]
        paper = self.current_paper()
        if paper is not None:
            return paper.title, paper, None
        who = self._scope_person()
        if who is not None:
            return who[1], None, who[0]
        self.statusBar().showMessage("Select a paper first", 2500)
        return None

    def edit_tags(self, who: tuple[str, str] | None = None) -> TagsDialog | None:
        """T: a small dialog with the tags; OK saves them."""
        subject = self._subject(who)
        if subject is None or self.userdata is None:
            return None
        what, paper, key = subject
        try:
            tags = self.userdata.tags(paper.id) if paper else self.userdata.person(key or "").tags
        except UserDataError as exc:
            self._show_userdata_error(str(exc))
            return None
        return self._tags_dialog(what, tags, paper, key)

    def _tags_dialog(self, what: str, tags: Sequence[str], paper: PaperRow | None,
                     key: str | None) -> TagsDialog:
        """The tags dialog of a paper, or of person `key`; opened again with what was
        typed when saving fails."""
        dialog = TagsDialog(what, tags, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            typed = dialog.tags()
            if paper is None and key:
                saved = self._write_notes("tags", lambda ud: ud.set_person_tags(key, typed))
            else:
                saved = self.set_tags(typed)
            if not saved:
                self.tags_draft = self._tags_dialog(what, typed, paper, key)
        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def edit_note(self, who: tuple[str, str] | None = None) -> NoteDialog | None:
        """N: a small dialog with the note; OK saves it."""
        subject = self._subject(who)
        if subject is None or self.userdata is None:
            return None
        what, paper, key = subject
        try:
            note = self.userdata.note(paper.id) if paper else self.userdata.person(key or "").note
        except UserDataError as exc:
            self._show_userdata_error(str(exc))
            return None
        return self._note_dialog(what, paper, key, note)

    def _note_dialog(self, what: str, paper: PaperRow | None, key: str | None,
                     text: str) -> NoteDialog:
        """The note dialog showing `text`. When saving fails (user data locked, disk
        full), it opens again with what was typed, to retry: a typed note is never lost."""
        dialog = NoteDialog(what, text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            typed = dialog.note()
            if paper is not None:
                saved = self._write_notes("note", lambda ud: ud.set_note(paper.id, typed))
            else:
                saved = self._write_notes("note", lambda ud: ud.set_person_note(key or "", typed))
            if not saved:
                self.note_draft = self._note_dialog(what, paper, key, typed)
        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def _add_annotation_actions(self, menu: QMenu) -> None:
        has_paper = self._current_rid is not None and self.userdata is not None
        notes = self.current_notes() if has_paper else None
        star = menu.addAction("Unstar\tS" if notes and notes.starred else "Star\tS")
        star.setObjectName("starAction")
        star.setEnabled(has_paper)
        star.triggered.connect(self.toggle_star)
        read = menu.addMenu("Read state")
        read.setObjectName("readMenu")
        read.setEnabled(has_paper)
        for state in ("unread", "reading", "read"):
            action = read.addAction(state.capitalize())
            action.setCheckable(True)
            action.setChecked(notes is not None and notes.read_state == state)
            action.triggered.connect(lambda _on=False, s=state: self.set_read_state(s))
        rating = menu.addMenu("Rating")
        rating.setObjectName("ratingMenu")
        rating.setEnabled(has_paper)
        for n in (1, 2, 3, 4, 5):
            action = rating.addAction(f"{'★' * n}\t{n}")
            action.setCheckable(True)
            action.setChecked(notes is not None and notes.rating == n)
            action.triggered.connect(lambda _on=False, n=n: self.set_rating(n))
        clear = rating.addAction("No rating\t0")
        clear.triggered.connect(lambda: self.set_rating(None))
        tags = menu.addAction("Edit &tags…\tT")
        tags.triggered.connect(lambda: self.edit_tags())
        note = menu.addAction("Edit &note…\tN")
        note.triggered.connect(lambda: self.edit_note())
        for action in (tags, note):
            action.setEnabled(has_paper)

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
        dialog = self._text_dialog("syntaxDialog", "Search syntax", syntax.html(), html=True)
        dialog.resize(760, 560)
        return dialog

    def show_about(self) -> QDialog:
        return self._text_dialog("aboutDialog", "About PaperDesk", syntax.about_html(),
                                 html=True)

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
            columns.stretch_title(self.table.horizontalHeader())
            # Fixed-height rows are not part of the saved state, but keep them anyway.
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _restore_browse_state(self) -> None:
        """This store's last scope, paper and sort, if they still exist in it."""
        assert self.store is not None
        state = viewstate.load(self.db_path)
        self._set_sort(state.sort if state.sort and state.sort[0] in PaperTableModel.KEYS
                       else None)
        kind, raw = state.kind, state.value
        value: object = None
        if kind == "profile" and raw.isdigit() and self.store.profile(int(raw)):
            value = int(raw)
        elif (kind == "person" and raw and self.store.person(raw)) or (
                kind == "saved" and raw and self.author_model.saved_query(raw) is not None):
            value = raw
        else:
            kind = "all"
        rid = None
        if state.paper:
            paper = self.store.paper_by_id(state.paper)
            rid = paper.rid if paper is not None else None
        self.go(Location(kind, value, rid))

    def _set_sort(self, sort: tuple[str, bool] | None) -> None:
        """Sort by `sort` (None: the default order) and show it on the header."""
        self._sort = sort
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        if sort is None:
            header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        else:
            header.setSortIndicator(PaperTableModel.KEYS.index(sort[0]),
                                    Qt.SortOrder.DescendingOrder if sort[1]
                                    else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def save_state(self) -> None:
        s = settings()
        s.setValue("version", SETTINGS_VERSION)
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("table/header", self.table.horizontalHeader().saveState())
        for old in ("browse", "table/sort_column", "table/sort_descending"):
            s.remove(old)  # an earlier version's view, shared by every store
        s.sync()
        if self.store is not None:
            scope = self._scope or Location()
            paper = self.current_paper()
            viewstate.save(self.db_path, viewstate.ViewState(
                scope.kind, "" if scope.value is None else str(scope.value),
                paper.id if paper is not None else "", self._sort))

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system's light or dark palette when it changes."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.StyleChange) and hasattr(self, "detail"):
            self.apply_palette()
        super().changeEvent(event)

    def apply_palette(self) -> None:
        """Colours for HTML and headings from the palette in use; re-render what shows."""
        theme = theme_for(self.palette())
        if theme == self.theme:
            return
        self.theme = theme
        self.detail.document().setDefaultStyleSheet(theme.css)
        self.titles.set_theme(theme)
        self.table.viewport().update()
        self.author_list.viewport().update()
        if self.store is not None:
            bar = self.detail.verticalScrollBar()
            position = bar.value()
            self._render_pane()
            bar.setValue(position)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self._busy_retry.stop()
            if self.task is not None:
                self.task.wait()  # a cancelled import rolls back; an export drops its file
            self.save_state()
            for dialog in self.findChildren(QDialog):
                dialog.close()
            self._close_store()
            if self.userdata is not None:
                self.userdata.close()
                self.userdata = None
        super().closeEvent(event)
