"""The paper table's columns: widths from what they hold, and Title taking the rest.

Title stretches to the table's width (no empty band when maximised, no horizontal
scroll bar while the other columns fit); every other column is as wide as its
widest content in the table's font, so Rating's five stars are never clipped.
Category grows, when a store opens, to the widest code that store can show
(`follow_store`): a code as its page shows it and every full code it may be read as
(sized for `q-bio.GN` alone, it cut `cond-mat.str-el` to "cond-ma…"); no resize to
the contents of the rows. An unknown code wider than the taxonomy's widest is elided,
its tooltip says it whole.
The user can still resize and move them; Title follows. Title never shrinks below
`TITLE_CHARS` average characters (a narrow window showed titles as "H…"). When the
others leave it less (at 900 pixels the table is about 430 wide: the author list and
the pane at their least), what the detail pane shows for the paper shown gives way
first: Score, Code, Category, then Authors, hidden in that order (never the column
sorted by); Date, Title, ★, Read and Rating always show. Only when they alone leave
Title too little does it keep its least width and the table scroll sideways.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView

from paperdesk import categories
from paperdesk.store import Store

if TYPE_CHECKING:
    from paperdesk.gui.papertable import PaperTable
    from paperdesk.gui.storehost import StoreHost

TITLE = 1
AUTHORS = 2
CATEGORY = 3
# Hidden, in this order, when the table is too narrow for every column: the detail pane
# shows each for the paper shown (Score, Code, Category).
GIVE_WAY = (5, 4, CATEGORY)
_FITTING = "fittingColumns"  # the header's property while keep_title_readable works
# What each column must show whole (Title stretches): the widest value or the header.
_SAMPLES = ("2026-04-25", "", "Jinze Bai, Shuai Bai", "q-bio.GN", "Code", "98.8", "★",
            "reading", "★★★★★")
_PAD = 18  # the cell's margins and the header's sort arrow
TITLE_CHARS = 24  # the least of a title a row shows
AUTHORS_CHARS = 10  # the least of the authors a row shows


def widths(metrics: QFontMetrics, headers: tuple[str, ...]) -> list[int]:
    """The width each column needs in this font."""
    return [max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(header)) + _PAD
            for sample, header in zip(_SAMPLES, headers, strict=True)]


def set_defaults(header: QHeaderView, metrics: QFontMetrics, headers: tuple[str, ...]) -> None:
    for column, width in enumerate(widths(metrics, headers)):
        if column != TITLE:
            header.resizeSection(column, width)
    stretch_title(header)


def category_width(metrics: QFontMetrics, codes: list[str]) -> int:
    """The width Category needs for a store's `codes`: each as shown (an ambiguous or
    unknown code stays so) and as every category it may be read as (a scope's reading
    decides which), up to the widest code of the taxonomy."""
    shown = set(codes) | {full for code in codes for full, _ in categories.meanings(code)}
    widest = max((metrics.horizontalAdvance(code) for code in shown), default=0)
    cap = max(metrics.horizontalAdvance(code) for code in categories.taxonomy())
    return min(widest, cap) + _PAD


def follow_store(stores: StoreHost, view: PaperTable) -> None:
    """When a store opens, Category grows (never shrinks: the user may have widened it)
    to what the store's codes need; they are read on the reader thread. Given way
    (hidden), it comes back at that width (`view.widths`, see keep_title_readable)."""
    def fit(codes: list[str]) -> None:
        width = category_width(view.fontMetrics(), codes)
        header = view.horizontalHeader()
        if view.widths.wanted.get(CATEGORY, header.sectionSize(CATEGORY)) < width:
            view.widths.grown(CATEGORY, width)
            if not header.isSectionHidden(CATEGORY):
                header.resizeSection(CATEGORY, width)
            view.fit_title()

    stores.opened.connect(lambda _location: stores.read(Store.category_codes, fit))


def stretch_title(header: QHeaderView) -> None:
    """Title takes the width the others leave (also after a saved state is restored)."""
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(24)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)


def title_minimum(metrics: QFontMetrics) -> int:
    return metrics.averageCharWidth() * TITLE_CHARS + _PAD


def authors_minimum(metrics: QFontMetrics) -> int:
    return metrics.averageCharWidth() * AUTHORS_CHARS + _PAD


def keep_title_readable(header: QHeaderView, width: int, minimum: int,
                        authors_least: int, widths_now: Widths) -> None:
    """Title stretches over what the other columns leave of `width`, while that is at
    least `minimum`. When the table is narrower than every column needs, first the
    columns the detail pane shows for the paper shown give way (`GIVE_WAY`: hidden, in
    that order), then Authors narrows down to `authors_least`, then it gives way too;
    only then Title keeps `minimum` and the table scrolls sideways. Date, Title, ★,
    Read and Rating always show, and so does a column sorted by or sized by the user
    (`Widths.kept`). As the table widens, what gave way comes back, in the opposite
    order, at its width (`Widths.wanted`)."""
    if header.property(_FITTING):
        return  # a section this call hides or resizes
    header.setProperty(_FITTING, True)
    try:
        _fit(header, width, minimum, authors_least, widths_now)
    finally:
        header.setProperty(_FITTING, False)


def _fit(header: QHeaderView, width: int, minimum: int, authors_least: int,
         widths_now: Widths) -> None:
    def size(column: int) -> int:
        return widths_now.wanted.get(column) or header.sectionSize(column)

    sort = header.sortIndicatorSection()
    base = sum(header.sectionSize(c) for c in range(header.count())
               if c not in (TITLE, AUTHORS, *GIVE_WAY) and not header.isSectionHidden(c))
    shown = {c: size(c) for c in (*GIVE_WAY, AUTHORS) if c == sort or widths_now.kept(c)}
    if AUTHORS in shown or base + sum(shown.values()) + authors_least + minimum <= width:
        authors = 0 if AUTHORS in shown else size(AUTHORS)
        for column in reversed(GIVE_WAY):  # Category back first, Score last
            if column in shown:
                continue
            if base + sum(shown.values()) + size(column) + authors + minimum > width:
                break
            shown[column] = size(column)
        if authors:
            shown[AUTHORS] = min(authors, max(authors_least, width - minimum - base
                                              - sum(shown.values())))
    mode = (QHeaderView.ResizeMode.Stretch if width - base - sum(shown.values()) >= minimum
            else QHeaderView.ResizeMode.Interactive)
    if header.sectionResizeMode(TITLE) != mode:
        header.setSectionResizeMode(TITLE, mode)
    if mode == QHeaderView.ResizeMode.Interactive and header.sectionSize(TITLE) != minimum:
        header.resizeSection(TITLE, minimum)
    for column in (*GIVE_WAY, AUTHORS):
        if header.isSectionHidden(column) == (column in shown):
            header.setSectionHidden(column, column not in shown)
        if column in shown and header.sectionSize(column) != shown[column]:
            header.resizeSection(column, shown[column])


@dataclass
class Widths:
    """The widths the columns that may give way come back to (`wanted`) and those the
    defaults gave them (`defaults`): one the user sized is `kept`, never given way."""

    wanted: dict[int, int] = field(default_factory=dict)
    defaults: dict[int, int] = field(default_factory=dict)

    def start(self, header: QHeaderView) -> None:
        """The defaults are set (`set_defaults`)."""
        for column in (*GIVE_WAY, AUTHORS):
            self.wanted[column] = self.defaults[column] = header.sectionSize(column)

    def kept(self, column: int) -> bool:
        return self.wanted.get(column) != self.defaults.get(column)

    def grown(self, column: int, width: int) -> None:
        """The defaults widened `column` (Category, for a store's codes)."""
        if not self.kept(column):
            self.wanted[column] = width
        self.defaults[column] = width


def resized(header: QHeaderView, column: int, width: int, widths_now: Widths) -> None:
    """A column of `GIVE_WAY` or Authors was resized by the user (or a saved state, not
    by `keep_title_readable`): the width it comes back to."""
    if column in (*GIVE_WAY, AUTHORS) and width > 0 and not header.property(_FITTING):
        widths_now.wanted[column] = width
