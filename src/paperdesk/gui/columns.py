"""The paper table's columns: Title gets the room, the others what they hold.

Title stretches to the table's width (no empty band when maximised, no horizontal
scroll bar while the other columns fit) and is the column that gets the room: it
keeps at least `TITLE_SHARE` of the table's width before Authors and Category widen
past their least or Code and Score show (at 1,400 pixels, the table about 740 wide,
the others at their own widths left Title 22 % of it on real arXiv data: 166 pixels,
about 25 characters of titles of 80). Every other column is sized without a look at
the rows (a million rows cost nothing): to the widest value it can hold or its
header, in the table's font (`_SAMPLES`: Rating's five stars are never clipped), and
Category to the widest code the store can show (`follow_store`: a code as its page
shows it and every full code it may be read as, up to the taxonomy's widest).
Authors and Category narrow down to their least (`AUTHORS_CHARS`, `CATEGORY_CHARS`
average characters): a longer value is elided, its tooltip says it whole (the model's
ToolTipRole), and the detail pane shows it too. A category code is elided on its left
(`CodeDelegate`): what tells codes apart is their end ("cond-mat.mes-hall" cut on the
right showed "cond-mat.…" for every condensed-matter paper).

As the table narrows, what gives way, in this order: Score, then Code (hidden: the
pane shows them), then Category and Authors narrow to their least, then Category
(hidden), all while Title keeps its share; then Title goes under its share down to
`TITLE_CHARS` average characters (a narrow window showed titles as "H…"), and then
Authors gives way (hidden) too, then Rating, then Read (hidden: the pane's controls
above the paper show and set them for the paper selected). Date, Title and ★ always
show, and so do the column sorted by (Authors and Category narrowed to their least,
as above, before Title goes under its own: sorted by Authors at 800 pixels, Authors'
whole width cut Title to 13 characters) and a column sized by the user (at the
user's width). When they alone leave
Title less than its least, Title narrows further, its titles elided (the pane shows
the paper's whole), down to `TITLE_FLOOR_CHARS`: a table that scrolled sideways at
800 pixels hid Rating, and a click on a row scrolled it so that Date was cut; Title
elided to its floor at 800 pixels showed "SocialC…". Only below that floor (or past
the widths the user gave) does the table scroll sideways, and a click or a key never
scrolls it sideways (`PaperTable.scrollTo`).

The user can resize and move the columns; Title follows. A width the user gave a
column (`Widths.user`) is kept as given, never narrowed nor given way, and saved with
the layout (gui/windowstate.py); the widths the app gives are not saved as the user's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem

from paperdesk import categories
from paperdesk.store import Store

if TYPE_CHECKING:
    from paperdesk.gui.papertable import PaperTable
    from paperdesk.gui.storehost import StoreHost

TITLE = 1
AUTHORS = 2
CATEGORY = 3
CODE = 4
SCORE = 5
READ, RATING = 7, 8  # the user's own (PaperTableModel's): the pane's controls show them too
_GIVING = (AUTHORS, CATEGORY, CODE, SCORE, READ, RATING)  # may narrow or give way
_FITTING = "fittingColumns"  # the header's property while the app sizes the columns
# What each column must show whole (Title stretches): the widest value or the header.
_SAMPLES = ("2026-04-25", "", "Jinze Bai, Shuai Bai", "q-bio.GN", "Code", "98.8", "★",
            "reading", "★★★★★")
_PAD = 18  # the cell's margins and the header's sort arrow
TITLE_SHARE = 0.4  # of the table's width, Title's before the others widen past their least
TITLE_CHARS = 24  # the least of a title a row shows while another column can give way
TITLE_FLOOR_CHARS = 6  # ... and when none can: elided, rather than a sideways scroll
AUTHORS_CHARS = 10  # the least of the authors a row shows
CATEGORY_CHARS = 12  # the least of a category code a row shows: "…t.stat-mech"


def widths(metrics: QFontMetrics, headers: tuple[str, ...]) -> list[int]:
    """The width each column needs in this font."""
    return [max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(header)) + _PAD
            for sample, header in zip(_SAMPLES, headers, strict=True)]


@dataclass(frozen=True)
class Least:
    """The least width of Title, Authors and Category in a font (see the docstring)."""

    title: int
    authors: int
    category: int
    floor: int  # Title's when no other column can give way any more

    @classmethod
    def of(cls, metrics: QFontMetrics) -> Least:
        chars = metrics.averageCharWidth()
        return cls(chars * TITLE_CHARS + _PAD, chars * AUTHORS_CHARS + _PAD,
                   max(chars * CATEGORY_CHARS, metrics.horizontalAdvance("Category")) + _PAD,
                   max(chars * TITLE_FLOOR_CHARS, metrics.horizontalAdvance("Title")) + _PAD)


@dataclass
class Widths:
    """The width each column but Title is given: the user's (`user`: dragged by its
    edge; kept, saved with the layout), else the default (`defaults`: `widths`, and
    Category's for the store open)."""

    defaults: dict[int, int] = field(default_factory=dict)
    user: dict[int, int] = field(default_factory=dict)

    def start(self, metrics: QFontMetrics, headers: tuple[str, ...]) -> None:
        self.defaults = {c: w for c, w in enumerate(widths(metrics, headers)) if c != TITLE}

    def wanted(self, column: int) -> int:
        return self.user.get(column, self.defaults.get(column, 0))

    def kept(self, column: int) -> bool:
        return column in self.user

    def apply(self, header: QHeaderView) -> None:
        """Every column but Title at its width (the fit then sizes those that give way)."""
        with fitting(header):
            for column in self.defaults:
                header.resizeSection(column, self.wanted(column))

    def saved(self) -> str:
        """The user's widths as the settings keep them: "column=width …" (no comma: the
        INI format reads a value with one as a list)."""
        return " ".join(f"{c}={w}" for c, w in sorted(self.user.items()))

    def restore(self, text: str) -> None:
        """The user's widths from `saved()` (what does not read as one is left out)."""
        pairs = (item.split("=", 1) for item in text.split() if "=" in item)
        self.user = {int(c): int(w) for c, w in pairs if c.isdigit() and w.isdigit()
                     and int(c) in self.defaults and int(w) > 0}

    def guess(self, header: QHeaderView) -> None:
        """The user's widths in a layout saved before they were kept apart: each width
        unlike its default, but Authors' and Category's (the app sized those itself)."""
        self.user = {c: header.sectionSize(c) for c, w in self.defaults.items()
                     if c not in (AUTHORS, CATEGORY) and not header.isSectionHidden(c)
                     and header.sectionSize(c) != w}


class CodeDelegate(QStyledItemDelegate):
    """Category's cells as Qt's own delegate paints them, a code too long elided on its
    left ("…mes-hall"): see the module docstring."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft  # type: ignore[attr-defined]


@contextmanager
def fitting(header: QHeaderView) -> Iterator[None]:
    """The app sizes the columns (a fit, the defaults, a restored layout): `resized`
    takes none of it for the user's, and `keep_title_readable` does not run again."""
    was = bool(header.property(_FITTING))
    header.setProperty(_FITTING, True)
    try:
        yield
    finally:
        header.setProperty(_FITTING, was)


def set_defaults(header: QHeaderView, widths_now: Widths) -> None:
    widths_now.apply(header)
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
    """When a store opens, Category's default grows (never shrinks) to what the store's
    codes need; they are read on the reader thread. How much of it shows is the fit's
    (keep_title_readable); a width the user gave Category stays."""
    def fit(codes: list[str]) -> None:
        width = category_width(view.fontMetrics(), codes)
        if view.widths.defaults.get(CATEGORY, 0) < width:
            view.widths.defaults[CATEGORY] = width
            view.fit_title()

    stores.opened.connect(lambda _location: stores.read(Store.category_codes, fit))


def stretch_title(header: QHeaderView) -> None:
    """Title takes the width the others leave (also after a saved state is restored)."""
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(24)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)


def keep_title_readable(header: QHeaderView, width: int, least: Least,
                        widths_now: Widths) -> None:
    """Title gets the room of `width` (see the module docstring): the columns that may
    give way are shown, sized or hidden so that it keeps its share, or at least its
    least; when none is left to give way, it narrows to its floor. A column sized by
    the user (`Widths.kept`) always shows at its width, the column sorted by always
    shows (Authors and Category from their least)."""
    if header.property(_FITTING):
        return  # a section this call hides or resizes
    base = sum(header.sectionSize(c) for c in range(header.count())
               if c != TITLE and c not in _GIVING and not header.isSectionHidden(c))
    with fitting(header):
        shown = _fit(header, width - base, max(least.title, round(width * TITLE_SHARE)),
                     least, widths_now)
        _apply(header, width - base, least.floor, shown)


def _fit(header: QHeaderView, room: int, share: int, least: Least,
         widths_now: Widths) -> dict[int, int]:
    """The width of each column that may give way and shows (those left out hide), in
    the `room` that Title, wanting `share` of it, leaves them."""
    sort = header.sortIndicatorSection()
    lowest = {AUTHORS: min(least.authors, widths_now.wanted(AUTHORS)),
              CATEGORY: min(least.category, widths_now.wanted(CATEGORY))}
    fixed = {c for c in _GIVING if widths_now.kept(c)}  # the user's width, as given
    shown = {c: widths_now.wanted(c) for c in fixed}
    if sort in _GIVING and sort not in fixed:  # shows; Authors and Category may narrow
        shown[sort] = lowest.get(sort, widths_now.wanted(sort))

    def spare() -> int:  # what the columns shown leave past Title's share
        return room - sum(shown.values()) - share

    own = [c for c in (RATING, READ) if c not in shown]  # shown unless Title needs them
    shown.update({c: widths_now.wanted(c) for c in own})
    if AUTHORS not in shown and room - sum(shown.values()) - lowest[AUTHORS] >= least.title:
        shown[AUTHORS] = lowest[AUTHORS]  # under Title's share, never under its least
    if CATEGORY not in shown and AUTHORS in shown and spare() >= lowest[CATEGORY]:
        shown[CATEGORY] = lowest[CATEGORY]
    for column in (AUTHORS, CATEGORY):  # widened, Authors first, while Title keeps its share
        if column in shown and column not in fixed:
            shown[column] += max(0, min(widths_now.wanted(column) - shown[column], spare()))
    for column in (CODE, SCORE):  # back whole, Code first, once Authors and Category are
        if column not in shown:
            if not {AUTHORS, CATEGORY} <= shown.keys() or spare() < widths_now.wanted(column):
                break
            shown[column] = widths_now.wanted(column)
    for column in own:  # Rating, then Read, give way before Title goes under its least
        if room - sum(shown.values()) >= least.title:
            break
        del shown[column]
    return shown


def _apply(header: QHeaderView, room: int, minimum: int, shown: dict[int, int]) -> None:
    """Hide, show and size the columns that may give way; Title stretches over what
    they leave of `room`, or keeps `minimum` and the table scrolls sideways."""
    mode = (QHeaderView.ResizeMode.Stretch if room - sum(shown.values()) >= minimum
            else QHeaderView.ResizeMode.Interactive)
    if header.sectionResizeMode(TITLE) != mode:
        header.setSectionResizeMode(TITLE, mode)
    if mode == QHeaderView.ResizeMode.Interactive and header.sectionSize(TITLE) != minimum:
        header.resizeSection(TITLE, minimum)
    for column in _GIVING:
        if header.isSectionHidden(column) == (column in shown):
            header.setSectionHidden(column, column not in shown)
        if column in shown and header.sectionSize(column) != shown[column]:
            header.resizeSection(column, shown[column])


def resized(header: QHeaderView, column: int, width: int, widths_now: Widths) -> None:
    """A column was resized by the user, dragging its edge (not by the app: `fitting`;
    nor by Qt laying the header out again, which says sectionResized too): its width is
    the user's from now on."""
    if column != TITLE and width > 0 and not header.property(_FITTING) \
            and QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton:
        widths_now.user[column] = width
