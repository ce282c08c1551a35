"""Figures about a profile: papers per year, the category mix, co-authors; and the
side-by-side comparison of several profiles.

Each figure is one GROUP BY in the store (Store.papers_per_year, .categories,
.coauthors), so the pane costs the same for a page of 10 papers or 10,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paperdesk import categories, readings
from paperdesk.gui import render
from paperdesk.gui.plain import plain
from paperdesk.store import ProfileRow, Store
from paperdesk.userdata import PersonNotes, UserData

COAUTHOR_LIMIT = 50


def profile_pane(store: Store, profile: ProfileRow, theme: render.Theme,
                 notes: PersonNotes | None = None, userdata: UserData | None = None,
                 identifiers: Sequence[tuple[str, str]] = ()) -> str:
    """The detail pane's HTML for a profile: figures, the owner's identifiers, charts,
    co-authors, notes. Its categories are read by the user's choices and its field
    (paperdesk.readings)."""
    mix = store.categories(profile.id)
    reading = readings.profile_reading(store, profile, readings.user_choices(userdata), mix)
    return render.profile_html(profile, every_year(store.papers_per_year(profile.id)), theme,
                               categories=readings.profile_mix(store, profile, reading,
                                                               userdata, mix),
                               reading=reading,
                               coauthors=store.coauthors(profile.id, COAUTHOR_LIMIT),
                               notes=notes, identifiers=identifiers)


def every_year(per_year: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(year, papers) from the first year to the last, the years without papers as 0:
    a gap in a career is information."""
    counts = dict(per_year)
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


# ---------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Figures:
    """One row of the comparison."""

    profile: ProfileRow
    per_year: dict[int, int]
    # what reads its codes: the user's choices for it and its field (paperdesk.readings)
    reading: categories.Reading = categories.PLAIN
    coauthors: int = 0  # people its papers name (the user's merges and splits followed)
    top: tuple[tuple[str, int], ...] = ()  # the most frequent of them, shared papers


class _Item(QTableWidgetItem):
    """A cell that sorts by its number, not by its text; a missing figure ("—") last
    in both directions."""

    def __init__(self, text: str, key: object) -> None:
        super().__init__(text)
        self.setData(Qt.ItemDataRole.UserRole, key)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a = self.data(Qt.ItemDataRole.UserRole)
        b = other.data(Qt.ItemDataRole.UserRole)
        if isinstance(a, str) and isinstance(b, str):
            return a.casefold() < b.casefold()
        if a is None or b is None:
            table = self.tableWidget()
            descending = table is not None and table.horizontalHeader().sortIndicatorOrder() \
                == Qt.SortOrder.DescendingOrder
            # Qt reverses the comparison for a descending sort: missing is then the least
            return (a is None and b is not None) if descending else (
                a is not None and b is None)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


COMPARE_COLUMNS = ("Name", "Field", "h-index", "Citations", "Papers", "Co-authors", "Novelty",
                   "AI score")
TOP_COAUTHORS = 5  # named in the Co-authors cell's tooltip


def compare_rows(store: Store, profile_ids: Sequence[int],
                 userdata: UserData | None = None) -> list[Figures]:
    choices = readings.user_choices(userdata)
    rows = []
    for pid in profile_ids:
        profile = store.profile(pid)
        if profile is not None:
            top = tuple((person.name, n) for person, n in store.coauthors(pid, TOP_COAUTHORS))
            rows.append(Figures(profile, dict(store.papers_per_year(pid)),
                                readings.profile_reading(store, profile, choices),
                                store.coauthor_count(pid), top))
    return rows


class CompareDialog(QDialog):
    """Several profiles side by side; click a heading to sort."""

    def __init__(self, rows: Sequence[Figures], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(f"Compare {len(rows):,} profiles — PaperDesk")
        years = [y for y, _n in every_year([(y, 1) for r in rows for y in r.per_year])]
        headers = [*COMPARE_COLUMNS, *(str(y) for y in years)]
        table = QTableWidget(len(rows), len(headers))
        table.setObjectName("compareTable")
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        for r, figures in enumerate(rows):
            p = figures.profile
            field = figures.reading.full_code(p.field) if p.field else "—"
            cells: list[tuple[str, object]] = [
                (render.profile_name(p), render.profile_name(p)),
                (field, field),
                (render.figure(p.h_index), p.h_index),
                (render.figure(p.citations), p.citations),
                (render.figure(p.entries), p.entries),
                (render.figure(figures.coauthors), figures.coauthors),
                (render.figure(p.novelty, "%"), p.novelty),
                (render.figure(p.ai_score), p.ai_score),
            ]
            cells.extend((str(figures.per_year.get(y, 0)), figures.per_year.get(y, 0))
                         for y in years)
            for c, (text, key) in enumerate(cells):
                item = _Item(text, key)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if c == 1 and p.field:
                    item.setToolTip(plain(figures.reading.label(p.field)))
                if c == COMPARE_COLUMNS.index("Co-authors") and figures.top:
                    item.setToolTip(plain("Most shared papers: " + ", ".join(
                        f"{name} ({n})" for name, n in figures.top)))
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        layout = QVBoxLayout(self)
        note = QLabel("Figures from each profile page's header; co-authors (the people its "
                      "papers name, as you merged or split them) and papers per year as "
                      "listed. Click a heading to sort.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self._fit(len(rows))

    def _fit(self, rows: int) -> None:
        """Wide enough for every column (as far as the screen allows), tall enough for
        the rows."""
        table = self.table
        table.resizeColumnsToContents()
        frame = 2 * table.frameWidth()
        width = table.horizontalHeader().length() + frame + table.verticalScrollBar(
        ).sizeHint().width()
        layout = self.layout()
        if layout is not None:
            margins = layout.contentsMargins()
            width += margins.left() + margins.right()
        height = (table.horizontalHeader().sizeHint().height() + frame
                  + table.verticalHeader().defaultSectionSize() * rows + 120)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 80)
        self.resize(max(width, 480), height)

    def cell_texts(self) -> list[list[str]]:
        """The table as shown (sorted), row by row: for tests and copying."""
        t = self.table
        return [[_text(t.item(r, c)) for c in range(t.columnCount())]
                for r in range(t.rowCount())]

    def headers(self) -> list[str]:
        t = self.table
        return [_text(t.horizontalHeaderItem(c)) for c in range(t.columnCount())]


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def open_compare(parent: QWidget, profile_ids: Sequence[int],
                 read: Callable[[Callable[[Store, UserData | None], list[Figures]],
                                 Callable[[list[Figures]], None]], bool],
                 shown: Callable[[QDialog], None], say: Callable[[str], None]) -> bool:
    """The profiles' figures side by side, in a sortable table: read by `read` (on the
    reader thread), then shown and passed to `shown`. False: fewer than two profiles."""
    ids = list(profile_ids)
    if len(ids) < 2:
        say("Select two or more profiles (Ctrl+click in the author list) to compare")
        return False

    def show(rows: list[Figures]) -> None:
        dialog = CompareDialog(rows, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        shown(dialog)

    return read(lambda store, userdata: compare_rows(store, ids, userdata), show)
