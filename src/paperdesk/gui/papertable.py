"""The paper table: its view, model and title delegate, and how it follows the state.

The table shows the answer to the search (`show_answer`), selects the paper the
browse state holds (`select`), and says what the user did: `paperPicked(rid, id)` when
the selection moves to another paper, `sortPicked(sort)` when a header is clicked,
and, on the view, `openRequested`, `copyRequested` and `annotateRequested(key)` (Edit
→ Undo and Redo, gui/menus.py, undo such an edit).
Selecting the state's own paper picks nothing new (the state ignores a pick of
the paper it holds), so no flag has to silence the table while the window moves
its selection.

A paint of the whole page (a new answer, a resize) costs 20-50 ms of the GUI
thread at 30-40 rows (every cell through the delegate and the style, the model's
cells answered from Python): longer than the 30 ms the window may stand still. The
table paints such a page in bands of rows from the top, and when the next band would
end past PAINT_SLICE_S it hands the rows left to the next turn of the event loop (a key
typed meanwhile is handled in between, and a newer answer's rows replace them).
A grab or a print (a paint into a pixmap or a printer) is painted whole.

A new answer resets the model, and Qt lays the rows out again (scroll bar range,
header) only at a later turn of the event loop (its "delayed layout"), after which it
repaints the whole viewport. When the paint that the reset asked for came first, the
page was painted twice, the two paints one after the other in the same turn (20-35 ms
of the GUI thread at 1M papers, bench/search_bench.py typing: the first letter of a
query). The table lays its rows out as soon as the model is reset, so the reset and
the layout ask for one paint.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import chain

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from paperdesk.categories import Reading
from paperdesk.gui import columns
from paperdesk.gui.models import PaperTableModel
from paperdesk.gui.reader import Rows
from paperdesk.gui.render import Theme
from paperdesk.gui.selection import selected_spans
from paperdesk.gui.shortcuts import ANNOTATION_KEYS
from paperdesk.gui.theme import FOCUS_FRAME_WIDTH, focus_frame_colour
from paperdesk.gui.titles import TitleDelegate

Sort = tuple[str, bool]

# A paint of the table's viewport hands what it has not painted to the next turn of
# the event loop rather than go on past this long (it always paints its first band).
PAINT_SLICE_S = 0.008
BAND_ROWS = 4  # rows painted at a time within a paint


class PaperTable(QTableView):
    """The paper table; Enter opens the paper, Ctrl+C copies citations, the annotation
    keys (S, R, 1-5, 0, T, N) edit the user's notes on the papers."""

    openRequested = Signal()
    copyRequested = Signal()
    annotateRequested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # The focus frame of theme.FOCUS_FRAME, drawn here without a style sheet: the
        # frame reserves its width, event() paints it in the palette's colour.
        self.setFrameShape(QFrame.Shape.Box)
        self.setFrameShadow(QFrame.Shadow.Plain)
        self.setLineWidth(FOCUS_FRAME_WIDTH)
        self._rest = QRegion()  # what sliced paints left for a later turn, until painted
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._paint_rest)
        self.slices = 0  # paints handed on to a later turn so far (tests look at it)
        self._below_only = False  # rows were added below a full page, nothing else changed
        self.widths = columns.Widths()  # of every column but Title: the user's, the defaults

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:  # after the view's and the headers' own reset slots
            model.modelReset.connect(self._model_reset)
            # The header shows no selection (setHighlightSections(False)), yet it asks the
            # selection model whether each column is selected as it paints, and
            # QItemSelectionModel::isColumnSelected calls the model's index() for every
            # picked row: after Ctrl+A at 100,000 papers, 900,000 Python calls and the
            # window frozen 12-38 s. The header gets a selection model of its own: empty.
            header = self.horizontalHeader()
            header.setSelectionModel(QItemSelectionModel(model, header))

    def _model_reset(self) -> None:
        """Lay the new rows out now, not at Qt's next turn: see the module docstring."""
        self._below_only = False
        self.executeDelayedItemsLayout()

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int,
                     end: int) -> None:
        last = self.rowAt(self.viewport().height() - 1)  # -1: the page is not full
        self._below_only = 0 <= last < start
        super().rowsInserted(parent, start, end)

    def doItemsLayout(self) -> None:
        """Rows added below a full page (a final answer after its first page) move the
        scroll bar only: the rows shown are not painted again (Qt repaints the whole
        viewport after any change of the row count)."""
        if self._below_only:
            self._below_only = False
            self.updateGeometries()
            return
        super().doItemsLayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The viewport's paint, in bands of BAND_ROWS rows from the top; past
        PAINT_SLICE_S the bands left are painted in the next turn of the event loop.
        Into a pixmap or a printer (a grab, a print): everything at once."""
        region = event.region()
        # owed no more: painted now, or no longer in the viewport (it was resized)
        self._rest = self._rest.intersected(self.viewport().rect()).subtracted(region)
        bands = self._bands(region)
        if len(bands) < 2 or isinstance(self.viewport().redirected(QPoint()), QPixmap):
            super().paintEvent(event)
            return
        start = last = time.perf_counter()
        for done, band in enumerate(bands):
            now = time.perf_counter()
            if done and now + (now - last) - start > PAINT_SLICE_S:  # the next band would
                for left in bands[done:]:                           # end past the slice
                    self._rest += left
                self.slices += 1
                self._later.start(0)
                return
            last = now
            super().paintEvent(QPaintEvent(band))

    def _bands(self, region: QRegion) -> list[QRegion]:
        """`region` cut into horizontal bands of BAND_ROWS rows (the empty ones left out)."""
        box = region.boundingRect()
        height = max(1, self.verticalHeader().defaultSectionSize()) * BAND_ROWS
        width = self.viewport().width()
        bands = []
        for top in range(box.top(), box.bottom() + 1, height):
            band = region.intersected(QRect(0, top, width, height))
            if not band.isEmpty():
                bands.append(band)
        return bands

    @property
    def painting(self) -> bool:
        """Rows of a sliced paint are still to be painted."""
        return not self._rest.intersected(self.viewport().rect()).isEmpty()

    def _paint_rest(self) -> None:
        self.viewport().update(self._rest)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint:
            painter = QPainter(self)
            painter.setClipRegion(self._frame_region())
            painter.fillRect(self.rect(), focus_frame_colour(self.palette(), self.hasFocus()))
            painter.end()
        return handled

    def _frame_region(self) -> QRegion:
        inner = self.rect().adjusted(FOCUS_FRAME_WIDTH, FOCUS_FRAME_WIDTH,
                                     -FOCUS_FRAME_WIDTH, -FOCUS_FRAME_WIDTH)
        return QRegion(self.rect()).subtracted(QRegion(inner))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update(self._frame_region())  # only the frame: the cells stay as they are

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update(self._frame_region())

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The header lays its stretched Title out again here and says sectionResized,
        # with other columns' indexes too (hidden ones before them shift them): the
        # app's sizing, never a width the user gave (columns.resized).
        with columns.fitting(self.horizontalHeader()):
            super().resizeEvent(event)
        self.fit_title()

    def minimumSizeHint(self) -> QSize:
        """Room for the columns that always show (columns' docstring): Date, Title at
        its floor and ★. The splitter gives no part less than this: a layout saved on a
        wider screen (the side panes' widths, then QT_SCALE_FACTOR=2) had left the table
        a sliver of Date, scrolled sideways, with no Title."""
        hint = super().minimumSizeHint()
        defaults = self.widths.defaults  # not a width the user gave: that one may scroll
        always = (defaults.get(0, 0) + columns.Least.of(self.fontMetrics()).floor
                  + defaults.get(PaperTableModel.STAR, 0))
        need = (always + self.verticalScrollBar().sizeHint().width()
                + 2 * self.frameWidth())
        return QSize(max(hint.width(), need), hint.height())

    def column_resized(self, column: int, _old: int, new: int) -> None:
        columns.resized(self.horizontalHeader(), column, new, self.widths)
        self.fit_title(column)

    def fit_title(self, column: int = -1) -> None:
        """Title takes what the other columns leave, but no less than a readable width
        (columns.keep_title_readable); also after another column is resized."""
        if column != columns.TITLE:
            columns.keep_title_readable(self.horizontalHeader(), self.viewport().width(),
                                        columns.Least.of(self.fontMetrics()), self.widths)

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

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
                 ) -> None:
        """A row brought into view, up or down only: a click on a cell Title cut (or
        a key, a paper selected from elsewhere) scrolled the table sideways to show the
        cell whole, and Date went out of sight (a table of rows: its columns stay put)."""
        across = self.horizontalScrollBar().value()
        super().scrollTo(index, hint)
        self.horizontalScrollBar().setValue(across)

    def _to_row(self, row: int) -> None:
        """Home and End: the first and last paper (a table of rows, not of cells)."""
        if row >= 0:
            column = max(self.currentIndex().column(), 0)
            self.setCurrentIndex(self.model().index(row, column))
            self.scrollTo(self.currentIndex())  # also when it was current already


class PaperTablePart(QObject):
    """The table part: `view`, `model`, `titles`; see the module docstring."""

    paperPicked = Signal(object, str)  # rid, its papers.id ("" while not read yet)
    sortPicked = Signal(object)  # Sort
    menuRequested = Signal(QPoint)  # global position of a right click
    message = Signal(str)  # for the status bar: how many papers are picked

    def __init__(self, theme: Theme, metrics: QFontMetrics, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.model = PaperTableModel()
        self.view = view = PaperTable()
        view.setObjectName("paperTable")
        view.setModel(self.model)
        self.titles = TitleDelegate(theme, view)
        view.setItemDelegateForColumn(1, self.titles)
        view.setItemDelegateForColumn(columns.CATEGORY, columns.CodeDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl+click select several papers (for an export of just those); the
        # pane and the paper's own controls follow the current row
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setTabKeyNavigation(False)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform: no per-row sizing
        rows.setDefaultSectionSize(metrics.height() + 8)
        rows.hide()
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(False)
        header.setHighlightSections(False)
        view.widths.start(view.fontMetrics(), PaperTableModel.COLUMNS)
        columns.set_defaults(header, view.widths)
        header.sectionResized.connect(view.column_resized)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self._first_page_shown = False  # the table shows a first page; its rest comes next
        view.selectionModel().currentRowChanged.connect(self._row_changed)
        view.selectionModel().selectionChanged.connect(self._picked_changed)
        view.customContextMenuRequested.connect(self._context_menu)
        self.model.sortRequested.connect(self._sort_clicked)
        header.sortIndicatorChanged.connect(self._sort_clicked)
        # the column sorted by never gives way: another sort may let the last one go
        header.sortIndicatorChanged.connect(lambda *_: view.fit_title())

    def current_rid(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.rid_at(index.row()) if index.isValid() else None

    def picked_rids(self) -> list[int]:
        """The papers picked out of the table, in its order: the selected rows when
        several are but not all (Ctrl+A picks nothing out: the view is all of it)."""
        count = sum(map(len, selected_spans(self.view)))
        return self.selected_rids() if count < self.model.rowCount() else []

    def selected_rids(self) -> list[int]:
        """The rows selected when several are (Ctrl+A: every row), in the table's order;
        [] for one. What the annotation keys and Ctrl+C act on: a slice of the rowids
        per span, never a loop over the rows (100,000 picked: a few milliseconds)."""
        spans = selected_spans(self.view)
        if sum(map(len, spans)) < 2:
            return []
        rids = self.model.rids
        return list(chain.from_iterable(rids[span.start:span.stop] for span in spans))

    def _picked_changed(self) -> None:
        count = sum(map(len, selected_spans(self.view)))
        if 1 < count < self.model.rowCount():
            self.message.emit(f"{count:,} papers picked: S, R, 0-5, T, Ctrl+C and Export "
                              "(Ctrl+E) act on all of them")

    def show_answer(self, rids: Sequence[int], rows: Rows | None, final: bool,
                    reading: Reading | None = None) -> None:
        """The rows of an answer; a final answer after its first page only adds rows
        below it: nothing moves. `reading` reads ambiguous category codes (the scope's)."""
        if not (self._first_page_shown and self.model.extend_rids(rids, rows)):
            shown = self.current_rid()
            self.model.reading = reading or Reading()
            self.model.set_rids(rids, rows)
            if shown is None or self.model.row_of(shown) < 0:
                self.view.scrollToTop()  # at its top, not where the last answer was
        self._first_page_shown = not final

    def select(self, rid: int | None) -> None:
        """Select paper `rid` (None or absent: no selection). The current row already
        keeps the rows selected with it (Shift/Ctrl+click)."""
        row = -1 if rid is None else self.model.row_of(rid)
        if 0 <= row == self.view.currentIndex().row():
            return
        if row < 0:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
        else:
            index = self.model.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

    def enter(self) -> None:
        """Down from the search box: into the table, on the current or the first paper,
        shown and selected as a click selects it (made current alone, it was unmarked),
        before the focus comes (a view without a current row makes its first current)."""
        if not self.view.currentIndex().isValid() and self.model.rowCount() > 0:
            self.select(self.model.rid_at(0))
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.view.scrollTo(self.view.currentIndex())

    def refocus(self) -> None:
        """Esc: the focus back in the table, on the paper current before or on none.
        Qt makes the first row current when a view without one gets the focus, and the
        rows shown are still the search's that Esc has just cleared: its first hit would
        open in the pane, then be kept (and scrolled to) in the papers that replace them."""
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(QModelIndex())  # the view's current chosen: none
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_sort(self, sort: Sort | None) -> None:
        """Show `sort` (None: the default order) on the header."""
        header = self.view.horizontalHeader()
        if sort is None:
            header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        else:
            header.setSortIndicator(PaperTableModel.KEYS.index(sort[0]),
                                    Qt.SortOrder.DescendingOrder if sort[1]
                                    else Qt.SortOrder.AscendingOrder)

    def set_theme(self, theme: Theme) -> None:
        self.titles.set_theme(theme)
        self.view.viewport().update()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            rid = self.model.rid_at(current.row())
            paper = None if rid is None else self.model.cached(rid)
            self.paperPicked.emit(rid, "" if paper is None else paper.id)

    def _sort_clicked(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(PaperTableModel.KEYS):
            return
        header = self.view.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.setSortIndicator(column, order)  # emits again: the same sort
        self.sortPicked.emit((PaperTableModel.KEYS[column], order == Qt.SortOrder.DescendingOrder))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        self.menuRequested.emit(self.view.viewport().mapToGlobal(pos))
