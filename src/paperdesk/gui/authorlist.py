"""The author list: the left column of profiles, people and saved searches.

Its interface to the window is kept narrow, so that the list can be rebuilt inside
without the window changing:

- `AuthorList.widget`: the column (filter box, "only people with my notes", list).
- `scopePicked(Location)`: the user picked a scope (a row; several profiles selected
  with Ctrl/Shift+click give a "profiles" Location); `message(str)`: a status line.
- `menuRequested(QPoint)`: a right click, in global coordinates (the window builds
  the menu, see gui/menus.py).
- `select(location)`: show `location`'s scope as selected, without `scopePicked`.
- `set_store(store)`, `set_saved(saved)`, `set_marked(marks)`: reload its rows.
- `current_item()`, `selected_profiles()`, `busy`: what the window asks of it.

Attributes the tests reach: `view` (the QListView), `model`, `filter`, `marked_only`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from paperdesk.gui import people
from paperdesk.gui.history import Location
from paperdesk.gui.models import ITEM_ROLE, AuthorItem, AuthorListModel
from paperdesk.store import Store

FILTER_DEBOUNCE_MS = 60


class AuthorList(QObject):
    """The author list part; see the module docstring for its interface."""

    scopePicked = Signal(object)  # Location
    message = Signal(str)
    menuRequested = Signal(QPoint)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setObjectName("authorFilter")
        self.filter.setPlaceholderText("Filter authors")
        self.filter.setClearButtonEnabled(True)
        self.model = AuthorListModel()
        self.view = QListView()
        self.view.setObjectName("authorList")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        # Several profiles can be selected (Ctrl/Shift+click) to compare them.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.marked_only = people.filter_box()
        self.marked_only.toggled.connect(self._show_marked_only)
        layout.addWidget(self.filter)
        layout.addWidget(self.marked_only)
        layout.addWidget(self.view)
        self._shown = Location()  # the scope selected last
        self._quiet = 0  # >0 while the list changes its selection itself
        self._pending = False  # a click waits for its selection to settle
        self._open = False  # a store is shown
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DEBOUNCE_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self.view.selectionModel().currentChanged.connect(self._changed)

    @property
    def busy(self) -> bool:
        """A click waits for its selection to settle before it navigates."""
        return self._pending

    def set_store(self, store: Store | None) -> None:
        self._open = store is not None
        self.model.set_store(store)

    def set_saved(self, saved: list[tuple[str, str]]) -> None:
        self.model.set_saved(saved)
        self.select(self._shown)

    def set_marked(self, marks: dict[str, str]) -> None:
        self.model.set_marked(marks)

    def current_item(self) -> AuthorItem | None:
        item = self.view.currentIndex().data(ITEM_ROLE)
        return item if isinstance(item, AuthorItem) else None

    def selected_profiles(self) -> list[int]:
        """Ids of the profiles selected, in list order."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        items = [self.model.item(r) for r in rows]
        return [int(str(i.value)) for i in items if i is not None and i.kind == "profile"]

    def select(self, location: Location) -> None:
        """Show `location`'s scope as the list's selection (no scopePicked)."""
        self._shown = Location(location.kind, location.value)
        kind, value = location.kind, location.value
        if kind == "profiles" and isinstance(value, tuple):
            self._select_profiles(value)
            return
        row = self.model.row_of(kind, value)
        self._quiet += 1
        try:
            if row < 0:
                self.view.selectionModel().clear()
            else:
                index = self.model.index(row)
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.view.scrollTo(index)
        finally:
            self._quiet -= 1

    def _select_profiles(self, ids: tuple[int, ...]) -> None:
        """Select the rows of several profiles (Back to a multi-selection restores it)."""
        rows = [r for r in (self.model.row_of("profile", i) for i in ids) if r >= 0]
        if sorted(self.selected_profiles()) == sorted(ids):
            return
        selection = self.view.selectionModel()
        self._quiet += 1
        try:
            selection.clear()
            for row in rows:
                selection.select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)
            if rows:
                selection.setCurrentIndex(self.model.index(rows[-1]),
                                          QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._quiet -= 1

    def _changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        # Decide once the view has applied the click's selection: a Ctrl/Shift+click
        # that leaves several rows selected picks profiles to compare, it does not navigate.
        self._pending = True
        QTimer.singleShot(0, self._settled)

    def _settled(self) -> None:
        self._pending = False
        if not self._open:
            return
        if len(self.view.selectionModel().selectedRows()) > 1:
            ids = self.selected_profiles()
            if len(ids) > 1:  # all their papers; Ctrl+K compares them
                self.scopePicked.emit(Location("profiles", tuple(ids)))
            self.message.emit(f"{len(ids)} profiles selected: Ctrl+K compares them")
            return
        item = self.current_item()
        if item is not None and item.kind != "header":
            self.scopePicked.emit(Location(item.kind, item.value))

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter.text())
        self.select(self._shown)

    def _show_marked_only(self, on: bool) -> None:
        self.model.set_only_marked(on)
        self.select(self._shown)

    def _context_menu(self, pos: Any) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        self.menuRequested.emit(self.view.viewport().mapToGlobal(pos))
