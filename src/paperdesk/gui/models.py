"""Qt models backed by the store, lazily.

PaperTableModel holds only the rowids of the current search result; rows come
with the search's answer (its first page) or are asked for, in a batch around
the first row a view wants that is not there, from a loader that reads them off
the GUI thread (gui/reader.py); they are cached (Anki's browser table does the
same with card ids). data() is a dict lookup: no SQL per cell, and a row not read
yet shows empty until its batch arrives. Sorting is not done here: sort() asks the
window to run the query again with an SQL ORDER BY.

AuthorItem is one row of the author list (gui/authorlist.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from paperdesk import categories
from paperdesk.gui import render
from paperdesk.gui.plain import plain
from paperdesk.gui.reader import Rows
from paperdesk.store import PaperRow
from paperdesk.userdata import PaperNotes

Index = QModelIndex | QPersistentModelIndex
RID_ROLE = Qt.ItemDataRole.UserRole + 1
PAPER_ROLE = Qt.ItemDataRole.UserRole + 2
ITEM_ROLE = Qt.ItemDataRole.UserRole + 3
NOTES_ROLE = Qt.ItemDataRole.UserRole + 4

# Columns whose first click sorts newest / highest / with-code / starred first.
DESCENDING_FIRST = frozenset({"date", "code", "score", "starred", "read", "rating"})
HEADER_TIPS = {
    "score": "The score the profile page shows for the paper; blank when it shows none",
    "starred": "★: papers you starred (S in the table)",
    "read": "Your read state: unread, reading or read (R in the table cycles it)",
    "rating": "Your rating, 1 to 5 stars (keys 1-5 in the table; 0 clears it)",
}

MARK = "✎"  # after the name of a person the user has notes or tags on

# Asks for the rows (and notes) of these rowids; they come back through add_rows().
Loader = Callable[[list[int]], None]

_CELL_ROLES = frozenset(int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole, RID_ROLE, PAPER_ROLE, NOTES_ROLE))
BATCH = 200  # rows fetched around a cache miss
CACHE_LIMIT = 600  # rows kept (three batches: about 20 screens); the oldest go first


class PaperTableModel(QAbstractTableModel):
    """The papers of the current result, by rowid; rows read in batches on demand."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Date", "Title", "Authors", "Category", "Code", "Score",
                                          "★", "Read", "Rating")
    KEYS: ClassVar[tuple[str, ...]] = ("date", "title", "authors", "category", "code", "score",
                                       "starred", "read", "rating")
    STAR, READ, RATING = 6, 7, 8  # the user's own columns (sorted in SQL on the notes file)

    sortRequested = Signal(int, Qt.SortOrder)

    def __init__(self, loader: Loader | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._rids: Sequence[int] = []
        # the last row_of: (the rowids asked, their length, rid, its row)
        self._seen: tuple[Sequence[int] | None, int, int, int] = (None, 0, 0, -1)
        self._cache: dict[int, PaperRow] = {}
        self._notes: dict[int, PaperNotes | None] | None = None  # by rid; None: no notes
        self._asked: set[int] = set()  # rids asked for and not yet come back
        self._cells: dict[int, dict[int, tuple[Any, ...]]] = {}  # by rid: data() by role
        self._italic = QFont()
        self._italic.setItalic(True)
        self.fetches = 0  # batches asked for so far (tests and the bench look at it)
        # what reads codes such as NA: the scope profile's choices and field
        self._reading = categories.Reading()

    # -- content

    @property
    def reading(self) -> categories.Reading:
        return self._reading

    @reading.setter
    def reading(self, reading: categories.Reading) -> None:
        """Read category codes by `reading` (and each paper's own choice in its notes);
        the rows' cells are built again."""
        if reading != self._reading:
            self._reading = reading
            self._cells.clear()

    def set_loader(self, loader: Loader | None) -> None:
        """Read rows through `loader` (None: show no rows); forget what was read."""
        self.beginResetModel()
        self._loader = loader
        self._rids = []
        self._cache.clear()
        self._cells.clear()
        self._notes = None
        self._asked.clear()
        self.endResetModel()

    def set_rids(self, rids: Sequence[int], rows: Rows | None = None) -> None:
        """Show a new result, with `rows` read for it already; cached rows stay valid
        (a paper does not change)."""
        self.beginResetModel()
        self._rids = rids
        if rows is not None:
            self._store_rows(rows)
        self.endResetModel()

    def extend_rids(self, rids: Sequence[int], rows: Rows | None = None) -> bool:
        """Show `rids` if they only add rows below the current ones (a search's final
        answer after its first page): rows are inserted, nothing shown is reset or
        repainted. False, and nothing done, if they are another result."""
        old = len(self._rids)
        if len(rids) < old or list(rids[:old]) != list(self._rids[:old]):
            return False
        if rows is not None:
            self._store_rows(rows)
        if len(rids) > old:
            self.beginInsertRows(QModelIndex(), old, len(rids) - 1)
            self._rids = rids
            self.endInsertRows()
        else:
            self._rids = rids
        return True

    def add_rows(self, rows: Rows) -> None:
        """Rows asked for have come: keep them and repaint what the views show."""
        self._asked.difference_update(rows.papers)
        if rows.notes is not None:
            self._asked.difference_update(rows.notes)
        self._store_rows(rows)
        if self._rids:
            # One range: a view repaints what it shows of it, not every row.
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rids) - 1, len(self.COLUMNS) - 1))

    def _store_rows(self, rows: Rows) -> None:
        for rid, paper in rows.papers.items():
            self._cache.pop(rid, None)  # read again: now the newest
            self._cache[rid] = paper
            self._cells.pop(rid, None)
        if rows.notes is not None:
            if self._notes is None:
                self._notes = {}
            self._notes.update(rows.notes)
            for rid in rows.notes:
                self._cells.pop(rid, None)
        self._evict()

    def _evict(self) -> None:
        """Forget the rows read longest ago beyond CACHE_LIMIT: memory stays flat however
        many results come (a forgotten row is read again if it is shown)."""
        excess = len(self._cache) - CACHE_LIMIT
        if excess <= 0:
            return
        for rid in list(islice(self._cache, excess)):
            del self._cache[rid]
            self._cells.pop(rid, None)
            if self._notes is not None:
                self._notes.pop(rid, None)

    def notes_at(self, row: int) -> PaperNotes | None:
        """The user's notes on the paper in `row` (None: nothing said, or not read yet)."""
        rid = self.rid_at(row)
        if rid is None or self._notes is None:
            return None
        if rid not in self._notes:
            self._ask_around(row)
        return self._notes.get(rid)

    def refresh_notes(self) -> None:
        """Read the notes of every row read again (after an edit, an undo: of any number
        of papers, shown or not): at most CACHE_LIMIT rows, whatever was edited; the
        rows repaint."""
        if self._notes is None or self._loader is None:
            return
        wanted = list(self._cache)
        if wanted:
            self._asked.update(wanted)
            self.fetches += 1
            self._loader(wanted)

    @property
    def rids(self) -> Sequence[int]:
        return self._rids

    def rid_at(self, row: int) -> int | None:
        return self._rids[row] if 0 <= row < len(self._rids) else None

    def row_of(self, rid: int) -> int:
        """The row of paper `rid` (-1: not in the answer). A scan of the rowids, kept for
        the next ask of the same paper in the same answer: a new answer and a paper
        shown ask it twice or three times over (the table's place, its selection, the
        search bar's check), each a scan of up to a million rows on this thread."""
        rids, seen = self._rids, self._seen
        if seen[0] is rids and seen[1] == len(rids) and seen[2] == rid:
            return seen[3]
        try:
            row = rids.index(rid)
        except ValueError:
            row = -1
        self._seen = (rids, len(rids), rid, row)
        return row

    def cached(self, rid: int) -> PaperRow | None:
        """The paper `rid` if it has been read (no query)."""
        return self._cache.get(rid)

    def paper_at(self, row: int) -> PaperRow | None:
        """The paper in `row`; None while it is being read (it is asked for here)."""
        rid = self.rid_at(row)
        if rid is None:
            return None
        paper = self._cache.get(rid)
        if paper is None:
            self._ask_around(row)
        return paper

    def _ask_around(self, row: int) -> None:
        """Ask the loader for the rows around `row` that are neither read nor asked for."""
        if self._loader is None:
            return
        start = max(0, row - BATCH // 2)
        window = self._rids[start:start + BATCH]
        notes = self._notes
        wanted = [r for r in window if r not in self._asked and (
            r not in self._cache or (notes is not None and r not in notes))]
        if wanted:
            self._asked.update(wanted)
            self.fetches += 1
            self._loader(wanted)

    # -- Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return HEADER_TIPS.get(self.KEYS[section])
            if role == Qt.ItemDataRole.InitialSortOrderRole:
                return (Qt.SortOrder.DescendingOrder if self.KEYS[section] in DESCENDING_FIRST
                        else Qt.SortOrder.AscendingOrder)
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    # flags(): QAbstractTableModel's own (enabled, selectable, no children), answered in
    # C++: a paint asks it of every visible cell.

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """One role of a cell (tooltips, tests, the window); a paint asks multiData()."""
        if role not in _CELL_ROLES or not index.isValid():
            return None
        row = index.row()
        rids = self._rids
        if not 0 <= row < len(rids):
            return None
        if role == RID_ROLE:
            return rids[row]
        cells = self._row_cells(row)
        values = None if cells is None else cells.get(role)
        return None if values is None else values[index.column()]

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        """Every role a paint asks of a cell (the delegate's seven), in one call from
        C++: Qt's default multiData calls data() once per role, seven crossings into
        Python per cell. A lookup in the row's cells; nothing is formatted here."""
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rids):
            row = -1
        cells = None if row < 0 else self._row_cells(row)
        column = index.column()
        for i in range(len(roleDataSpan)):  # every slot: a view may hand in used ones
            slot = roleDataSpan[i]
            values = None if cells is None else cells.get(slot.role())
            if values is None or values[column] is None:
                slot.clearData()
            else:
                slot.setData(values[column])

    def _row_cells(self, row: int) -> dict[int, tuple[Any, ...]] | None:
        """Row `row`'s cells by role (built once, `_cells_of`); None while being read."""
        rid = self._rids[row]
        cells = self._cells.get(rid)
        return cells if cells is not None else self._cells_of(row, rid)

    def _cells_of(self, row: int, rid: int) -> dict[int, tuple[Any, ...]] | None:
        """What data() answers for row `row`, by role, one value per column; None while
        its paper is being read (it is asked for here). Notes not read yet are asked for
        too, and the row is built again when they come."""
        paper = self.paper_at(row)
        if paper is None:
            return None
        notes = self.notes_at(row)
        ncols = len(self.COLUMNS)
        center = int(Qt.AlignmentFlag.AlignCenter)
        mine = notes.category if notes is not None else None
        code = self._reading.full_code(paper.category, mine)
        tips = [self._tooltip(paper, column) for column in range(self.STAR)]
        tips[3] = self._reading.label(paper.category, mine)
        cells: dict[int, tuple[Any, ...]] = {
            int(Qt.ItemDataRole.DisplayRole): (
                *(self._display(paper, column, code) for column in range(self.STAR)),
                *self._notes_display(notes)),
            int(Qt.ItemDataRole.ToolTipRole): (
                *(None if tip is None else plain(tip) for tip in tips),
                *(plain(notes_summary(notes)),) * (ncols - self.STAR)),
            int(Qt.ItemDataRole.FontRole): (
                self._italic if paper.year_inferred else None, *(None,) * (ncols - 1)),
            int(Qt.ItemDataRole.TextAlignmentRole): (
                None, None, None, None, *(center,) * (ncols - 4)),
            int(PAPER_ROLE): (paper,) * ncols,
            int(NOTES_ROLE): (notes,) * ncols,
        }
        if self._notes is None or rid in self._notes:
            self._cells[rid] = cells  # complete: kept until its paper or notes change
        return cells

    @staticmethod
    def _notes_display(notes: PaperNotes | None) -> tuple[str, str, str]:
        """The star, read state and rating columns' text."""
        if notes is None:
            return "", "", ""
        return ("★" if notes.starred else "",
                "" if notes.read_state == "unread" else notes.read_state,
                "★" * notes.rating if notes.rating else "")

    @staticmethod
    def _display(paper: PaperRow, column: int, code: str) -> str:
        """Column `column`'s text; `code` is the category as read here."""
        if column == 0:
            return paper.date
        if column == 1:
            return render.show_bidi(paper.title)  # direction controls shown, not obeyed
        if column == 2:
            return render.show_bidi(render.authors_text(paper))
        if column == 3:
            return code
        if column == 4:
            return "Code" if paper.has_code else ""
        return "" if paper.score is None else f"{paper.score:g}"

    @staticmethod
    def _tooltip(paper: PaperRow, column: int) -> str | None:
        """Column `column`'s tooltip (the category's is the model's reading of it)."""
        if column == 0 and paper.year_inferred:
            return f"The page showed no year; {paper.year} assumed"
        if column == 1:
            return paper.title
        if column == 2:
            return render.authors_text(paper)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in SQL: ask the owner to run the query again."""
        if 0 <= column < len(self.COLUMNS):
            self.sortRequested.emit(column, order)


def notes_summary(notes: PaperNotes | None) -> str:
    """One line for a tooltip: 'starred · reading · 4/5 · tags: a, b · note'."""
    if notes is None or not notes.annotated:
        return "No notes (S star, R read state, 1-5 rating, T tags, N note)"
    parts = ["starred"] if notes.starred else []
    parts.append(notes.read_state)
    if notes.rating:
        parts.append(f"rated {notes.rating}/5")
    if notes.tags:
        parts.append("tags: " + ", ".join(notes.tags))
    if notes.note:
        parts.append("has a note")
    return " · ".join(parts)


REVIEW_QUERY = "is:doubtful"  # what the author list's "Needs review" row lists


@dataclass(frozen=True)
class AuthorItem:
    """One row of the author list. kind: all, review, header, saved, profile or person."""

    kind: str
    value: object
    label: str
    count: int | None = None
    person: str | None = None  # the person key of a profile's owner
    page: str | None = None  # a profile's page, when the page does not name its owner
    # the same person's other figure: for a profile, the papers naming its owner; for a
    # person, the papers listed on their profile page (None: no such link)
    other: int | None = None

    @cached_property
    def text(self) -> str:
        """The name and its count (built once: a paint asks it of every row shown); a
        profile owner's two rows (Profiles: papers listed on the page; People on papers:
        papers naming them) both show both figures."""
        label = render.show_bidi(self.label)  # a name's direction controls: shown, not obeyed
        if self.count is None:
            return label
        if self.other is None:
            return f"{label} ({self.count:,})"
        # the first figure is what its section counts; the other one says what it is
        other = "named" if self.kind == "profile" else "listed"
        return f"{label} ({self.count:,} · {self.other:,} {other})"
