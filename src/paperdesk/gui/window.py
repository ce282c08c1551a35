"""The main window: it builds the parts and wires them together, nothing more.

What is browsed lives in one observable object (gui/browse.py: scope, paper, sort,
search terms, history); the parts listen to it instead of to each other:

- gui/authorlist.py: the author list (profiles, people, saved searches);
- gui/papertable.py: the paper table; gui/detail.py: the detail pane and the notes
  editor; gui/searchbar.py: the search box and the status line of an answer;
- gui/annotations.py: star, read state, rating, tags and notes, and the notes file;
- gui/storehost.py: the open store, its upgrade and the reading threads;
- gui/transfers.py: import and export; gui/saved.py: saved searches;
- gui/windowstate.py: what is kept between sessions; gui/menus.py: menus and Help;
  gui/themechoice.py: View → Theme.

All the connections between them are made in `_connect_signals`. Searches go to
the worker thread (gui/worker.py), rows and panes come from the reader thread
(gui/reader.py). The store is opened read-only: browsing never writes to it.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QSplitter,
    QToolBar,
    QWidget,
)

from paperdesk.gui import (
    columns,
    correction,
    drafts,
    exporting,
    identities,
    insights,
    menus,
    people,
    relocate,
    storeactions,
    windowstate,
)
from paperdesk.gui.annotations import Annotations
from paperdesk.gui.authorlist import AuthorList
from paperdesk.gui.browse import BrowseState
from paperdesk.gui.categorychoice import CategoryChoices
from paperdesk.gui.deskmenu import Desk
from paperdesk.gui.detail import DetailPart
from paperdesk.gui.exporting import View
from paperdesk.gui.history import Location
from paperdesk.gui.papertable import PaperTablePart
from paperdesk.gui.saved import SavedSearches
from paperdesk.gui.searchbar import SearchBar
from paperdesk.gui.shortcuts import ShortcutGuard
from paperdesk.gui.statusline import StatusLine
from paperdesk.gui.storehost import StoreHost
from paperdesk.gui.theme import FOCUS_FRAME, theme_for
from paperdesk.gui.themechoice import ThemeChoice
from paperdesk.gui.transfers import TransferHost, Transfers
from paperdesk.gui.worker import Answer
from paperdesk.query import compile_query
from paperdesk.search import SearchResult
from paperdesk.store import PaperRow

_USER_COLUMNS = {"starred", "read", "rating"}  # sorting by these follows each edit


class MainWindow(QMainWindow):
    """PaperDesk's main window. Use paperdesk.app.create_window() to make one."""

    resultShown = Signal()
    storeOpened = Signal()
    taskEnded = Signal()
    compared = Signal(object)  # the CompareDialog shown

    def __init__(self, db_path: Path, userdata_path: Path | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.theme = theme_for(self.palette())
        self._closed = False
        self.setWindowTitle("PaperDesk")
        self.browse = BrowseState(self)
        self.saved = SavedSearches(self)
        self._build_parts(userdata_path)
        self._connect_signals()
        for first, second in pairwise((  # Tab in reading order; disabled controls skipped
                self.search_box, self.author_filter, self.marked_only, self.author_list,
                self.table, *self.editor.controls(), self.detail)):
            QWidget.setTabOrder(first, second)
        self.shortcut_guard = ShortcutGuard(self)
        self.shortcut_guard.watch()
        windowstate.restore_layout(self, self.splitter, self.table)
        self.transfers.accept_drops()
        notes = self.annotations  # the store opens once the notes file's open has ended
        notes.open(lambda: self.stores.open_with_notes(notes.userdata_path, notes.available))

    # ------------------------------------------------------------ building

    def _build_parts(self, userdata_path: Path | None) -> None:
        """Each part makes its own widgets; the window lays them out."""
        self.toolbar = QToolBar("Search")
        self.toolbar.setObjectName("searchToolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.authors = AuthorList(self)
        self.author_list, self.author_model = self.authors.view, self.authors.model
        self.author_filter, self.marked_only = self.authors.filter, self.authors.marked_only
        self.papers = PaperTablePart(self.theme, self.fontMetrics(), self)
        self.table, self.paper_model = self.papers.view, self.papers.model
        self.pane = DetailPart(self.browse, self.theme, self.saved.query, self)
        self.detail, self.editor = self.pane.view, self.pane.editor
        self.annotations = Annotations(self, userdata_path, self.editor, self.current_paper,
                                       self.pane.scope_person, self.papers.selected_rids,
                                       lambda work, done: self.stores.read(work, done))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for i, (widget, stretch) in enumerate(((self.authors.widget, 1), (self.table, 4),
                                               (self.pane.widget, 3))):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setSizes([self.authors.fitting_width(), 800, 400])
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.authors.widget, self.pane.widget):  # not the table: theme.py
            pane.setStyleSheet(FOCUS_FRAME)
        self.stores = StoreHost(self, self.db_path, self.splitter)
        columns.follow_store(self.stores, self.table)
        self.stack, self.store_page = self.stores.stack, self.stores.page
        self.setCentralWidget(self.stack)
        self.search = SearchBar(self.browse, self.stores, self.saved.query, self.paper_model, self)
        self.search_box, self.status_label = self.search.box, self.search.status
        self.status_line = StatusLine(self.status_label, self)  # before any statusBar()
        self.transfers = Transfers(self, self.db_path, TransferHost(
            lambda: self.stores.is_open,
            lambda: self.annotations.userdata_path if self.annotations.available else None,
            self._exported, self.search.export_label,
            lambda: self.browse.known()[0], self.browse.rename))
        self.corrections = correction.Corrections(
            self, self.db_path, lambda: self.annotations.userdata_path,
            lambda: self.transfers.task is not None, self.browse.rename)
        self.category = CategoryChoices(self, self.annotations, self.pane, self.run_search)
        self.menu_actions = menus.build(self, self.toolbar, self.search_box)
        self.file_menu = self.menu_actions.file_menu
        self.desk = Desk(self)  # the Desk menu: reviewers, similar work, candidate reports
        storeactions.follow_store(self.stores, self.menu_actions.of_store() + self.desk.actions)
        self.themes = ThemeChoice(self)  # View → Theme: applied to the app, kept

    def _connect_signals(self) -> None:
        """Every connection between the parts, in one place (why: the module docstring).

        Long because it is a list: one line per connection, grouped by the part heard."""
        state, status = self.browse, self.status_line
        status.give_way_on(state.scopeChanged, self.search_box.textEdited)
        state.scopeChanged.connect(lambda old: self.search.scope_changed(old, state.here))
        state.scopeChanged.connect(lambda _old: self.papers.select(None))
        state.scopeChanged.connect(lambda _old: self.run_search())
        state.paperChanged.connect(self.papers.select)
        state.located.connect(lambda: self.authors.select(state.here))
        state.located.connect(self.pane.render)
        state.located.connect(self._update_title)
        state.sortChanged.connect(self.papers.show_sort)
        state.sortChanged.connect(self._sorted)
        state.termsChanged.connect(self.papers.titles.set_terms)
        state.historyChanged.connect(lambda: self.menu_actions.follow_history(state.history))
        self.saved.changed.connect(self.authors.set_saved)
        self.saved.deleted.connect(self._saved_deleted)

        self.search_box.downPressed.connect(self.papers.enter)
        self.authors.scopePicked.connect(self._picked)
        for part in (self.saved, self.authors, self.papers, self.search):  # said for 4 s
            part.message.connect(lambda text: status.showMessage(text, 4000))
        self.authors.hintWithdrawn.connect(status.withdraw)
        self.authors.menuRequested.connect(lambda pos: menus.popup(self.author_menu(), pos))
        self.papers.paperPicked.connect(state.pick_paper)
        self.papers.sortPicked.connect(state.set_sort)
        self.papers.menuRequested.connect(lambda pos: menus.popup(self.paper_menu(), pos))
        self.table.openRequested.connect(self.open_current_paper)
        self.table.doubleClicked.connect(lambda _index: self.open_current_paper())
        self.table.copyRequested.connect(lambda: self.copy("citation"))
        self.table.annotateRequested.connect(self.annotations.annotate_key)
        self.menu_actions.undo.triggered.connect(self.annotations.edits.undo)
        self.menu_actions.redo.triggered.connect(self.annotations.edits.redo)
        self.pane.locationPicked.connect(self.go)
        self.pane.correctRequested.connect(self.correct_paper)
        self.corrections.corrected.connect(lambda _message: self.reopen_store())
        self.corrections.corrected.connect(lambda _message: self.annotations.edits.forget())
        for said in (self.corrections.corrected, self.corrections.failed):
            said.connect(lambda message: status.showMessage(message, 8000))
        self.pane.similarPicked.connect(lambda _rid: self.desk.more_like_this())
        self.pane.message.connect(lambda text: status.showMessage(text, 5000))
        self.pane.shown.connect(lambda: self.annotations.update_editor(self.pane.data))

        self.annotations.message.connect(status.showMessage)
        # the notes as stored now: the table's rows, the pane (same scroll), the editor
        self.annotations.changed.connect(self.paper_model.refresh_notes)
        self.annotations.changed.connect(lambda: self.pane.render(keep_scroll=True))
        self.annotations.saved.connect(self._notes_saved)

        self.stores.availability.connect(self.search.set_available)
        self.stores.opened.connect(self._store_opened)
        self.stores.closed.connect(self._store_closed)
        self.stores.resultReady.connect(self._result_ready)
        self.stores.searchFailed.connect(self._search_failed)
        self.stores.rowsReady.connect(self.paper_model.add_rows)
        self.stores.paneReady.connect(self.pane.show)
        self.stores.readFailed.connect(lambda message: status.showMessage(message, 5000))
        self.stores.taskEnded.connect(self.taskEnded)

        self.transfers.imported.connect(self.reopen_store)
        self.transfers.imported.connect(self.annotations.edits.forget)
        self.transfers.interrupted.connect(self.search.show_status)
        self.transfers.message.connect(status.showMessage)
        self.transfers.status.connect(self.status_label.setText)
        self.transfers.taskEnded.connect(self.taskEnded)

        actions = self.menu_actions
        actions.import_files.triggered.connect(self.transfers.choose_import_files)
        actions.import_folder.triggered.connect(self.transfers.choose_import_folder)
        actions.export.triggered.connect(self.transfers.choose_export_file)
        actions.quit.triggered.connect(self.close)
        actions.back.triggered.connect(self.go_back)
        actions.forward.triggered.connect(state.forward)
        actions.focus_search.triggered.connect(self.search.focus)
        actions.focus_authors.triggered.connect(self.author_list.setFocus)
        actions.focus_table.triggered.connect(self.focus_table)
        actions.focus_detail.triggered.connect(self.detail.setFocus)
        actions.escape.activated.connect(self.search.clear)
        actions.escape.activated.connect(self.papers.refocus)  # Esc: clear, back to the table
        actions.save_search.triggered.connect(self.ask_save_search)
        actions.delete_search.triggered.connect(
            lambda: self.saved.delete_item(self.authors.current_item()))
        actions.compare.triggered.connect(self.compare_selected)
        actions.identities.triggered.connect(lambda: identities.opener(self)())
        self.menu_actions.follow_history(self.browse.history)

    # ------------------------------------------------------------ the store

    @property
    def store_open(self) -> bool:
        """A store is open (read by the threads: the GUI thread holds no connection)."""
        return self.stores.is_open

    def open_store(self, location: Location | None = None) -> None:
        """Open the store (gui/storehost.py, off this thread) and show `location` (None:
        the last place); `storeOpened` says when it is open."""
        self.stores.open(location)

    def reopen_store(self) -> None:
        """After the store file changed (an import): fresh connections, the same view.
        The place is saved first: closed before the store is open again, the window
        would have nothing to save."""
        self._save_place()
        self.open_store(self.browse.location())

    def _store_opened(self, location: Location | None) -> None:
        self.annotations.read(people.marks, self.authors.set_marked)
        self.authors.reload(self.db_path)  # on its own thread, its own connection
        self.authors.set_saved(self.saved.queries())
        self.paper_model.set_loader(self.stores.request_rows)
        self.pane.request = self.stores.request_pane
        if location is None:  # the last place, found on the reader thread
            windowstate.restore(self.stores.read, self.db_path, self.saved.query,
                                self.browse.start)
        else:  # the same papers by their ids; a scope gone takes its query with it
            relocate.reopened(self.stores, self.browse, location, self.search.scope_changed,
                              lambda text: self.statusBar().showMessage(text, 8000))
        self.storeOpened.emit()

    def _store_closed(self) -> None:
        self.paper_model.set_loader(None)
        self.pane.request = None
        self.pane.clear()
        self.authors.reload(None)
        self.browse.reset()

    # ------------------------------------------------------------ navigation

    @property
    def scope(self) -> Location | None:
        return self.browse.scope

    @property
    def current_rid(self) -> int | None:
        return self.browse.rid

    @property
    def sort(self) -> tuple[str, bool] | None:
        return self.browse.sort

    def go(self, location: Location, *, record: bool = True) -> None:
        """Show a scope and optionally a paper in it (gui/browse.py)."""
        if self.store_open:
            self.browse.go(location, record=record)

    def go_back(self) -> None:
        self.browse.back()

    def _saved_deleted(self, name: str) -> None:
        if self.browse.here == Location("saved", name):
            self.go(Location())

    def _picked(self, location: Location) -> None:
        if not self._closed:
            self.go(location)

    def _update_title(self) -> None:
        label = self.search.scope_label()
        if label is not None:  # else it comes with the answer
            self.setWindowTitle(f"{label} — PaperDesk")

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_current_paper(self) -> None:
        """Enter: show the selected paper in the detail pane and move there to read it."""
        rid = self.papers.current_rid()
        if rid is None:
            return
        if rid != self.browse.rid:
            self.go(Location(self.browse.here.kind, self.browse.here.value, rid))
        self.pane.focus()

    # ------------------------------------------------------------ searching

    def run_search(self) -> None:
        """Send the search box's text, in the current scope and sort, to the worker."""
        self.search.run()

    @property
    def last_result(self) -> SearchResult | None:
        return self.search.last_result

    def _sorted(self) -> None:
        """A new sort of a scope shown runs the search again (before any, go() runs it)."""
        if self.browse.scope is not None:
            self.search.run()

    @property
    def busy(self) -> bool:
        """A search, a read or a notes write is on its way, or a search is about to be."""
        return (self.authors.busy or self.search.timer.isActive() or self.stores.busy
                or self.annotations.busy)

    def _result_ready(self, _generation: int, answer: Answer) -> None:
        self.search.answered(answer)
        self._update_title()
        self.papers.show_answer(answer.result.rids, answer.rows, answer.final, answer.reading)
        keep = self.browse.kept()
        rid = self.browse.settle(keep is not None and self.paper_model.row_of(keep) >= 0,
                                 answer.final, bool(self.search.text().strip()))
        if rid is not None:
            self.papers.select(rid)
        self.pane.render()
        self.search.show_status(counting=not answer.final)
        self.resultShown.emit()

    def _search_failed(self, _generation: int, message: str) -> None:
        self.status_label.setText(message)
        self.resultShown.emit()

    # ------------------------------------------------------------ saved searches

    def ask_save_search(self) -> QInputDialog | None:
        """Ctrl+S: name the query in the search box; it joins the author list."""
        return self.saved.ask(self, self.search.text())

    def save_search(self, name: str, text: str) -> None:
        self.saved.save(name, text)

    # ------------------------------------------------------------ profiles, papers, notes

    def selected_profiles(self) -> list[int]:
        return self.authors.selected_profiles()

    def compare_selected(self) -> bool:
        """Ctrl+K: the selected profiles compared (insights.open_compare); the dialog
        arrives with `compared(dialog)`. False: nothing to compare."""
        return insights.open_compare(
            self, self.selected_profiles() if self.store_open else [],
            self.stores.read_noted, self.compared.emit,
            lambda message: self.statusBar().showMessage(message, 5000))

    def current_paper(self) -> PaperRow | None:
        """The paper shown or selected, as read already (no query)."""
        rid = self.browse.rid
        if rid is None:
            return None
        return self.pane.paper(rid) or self.paper_model.cached(rid)

    def copy(self, what: str) -> None:
        """Copy the papers picked, else the paper shown: "citation", "title" or "bibtex"."""
        menus.copy_papers(what, self.papers.selected_rids(), self.current_paper(), self.pane,
                          self.stores.read_noted, self.statusBar().showMessage)

    def paper_menu(self) -> Any:
        """The table's context menu (built separately so it can be inspected)."""
        return self.desk.paper_actions(menus.paper_menu(self, self.browse.rid is not None, [
            ("Copy &citation\tCtrl+C", lambda: self.copy("citation")),
            ("Copy &title", lambda: self.copy("title")),
            ("Copy &BibTeX entry", lambda: self.copy("bibtex")),
            ("Co&rrect title and authors…", self.correct_paper),
            ("What the cate&gory means…", self.category.open)], self.annotations))

    def correct_paper(self) -> correction.CorrectionDialog | None:
        paper = self.current_paper()
        return None if paper is None else self.corrections.open(paper)

    def author_menu(self) -> Any:
        """The author list's context menu (built separately so it can be inspected)."""
        return self.desk.profile_actions(menus.author_menu(
            self, self.menu_actions.compare, len(self.selected_profiles()) >= 2,
            self.authors.current_item(), self.saved.delete, self.annotations,
            identities.opener(self), self.corrections))

    def _notes_saved(self) -> None:
        """The author list's marks follow; so does a search that reads the notes."""
        self.annotations.read(people.marks, self.authors.set_marked)
        sort = self.browse.sort
        if compile_query(self.search.text()).reads_user_data or (
                sort is not None and sort[0] in _USER_COLUMNS):
            self.run_search()

    def _exported(self) -> list[int] | View:
        return exporting.what_to_export(
            self.paper_model.rids, self.last_result,
            lambda: (self.search.text(), self.browse.search_scope(), self.browse.sort),
            self.papers.picked_rids())

    # ------------------------------------------------------------ window events

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system's light or dark palette when it changes."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.StyleChange) and hasattr(self, "pane"):
            self.apply_palette()
        super().changeEvent(event)

    def apply_palette(self) -> None:
        """Colours for HTML and headings from the palette in use; re-render what shows."""
        theme = theme_for(self.palette())
        if theme != self.theme:
            self.theme = theme
            self.papers.set_theme(theme)
            self.author_list.viewport().update()
            self.pane.set_theme(theme)

    def save_state(self) -> None:
        windowstate.save_layout(self, self.splitter, self.table)
        self._save_place()

    def _save_place(self) -> None:
        """Where the user is, for the next start (nothing while no store is open)."""
        if self.store_open:
            paper = self.current_paper()
            windowstate.save_place(self.db_path, self.browse.here, paper.id if paper
                                   is not None else "", self.browse.sort, self.browse.pages)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.stores.stop_waiting()
            if self.transfers.task is not None:
                self.transfers.task.wait()  # a cancelled import rolls back; an export drops
            self.save_state()
            drafts.close_dialogs(self)  # a changed note saved: the app is quitting
            self.stores.close()
            self.annotations.close()
        super().closeEvent(event)

