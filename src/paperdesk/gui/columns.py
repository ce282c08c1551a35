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
`TITLE_CHARS` average characters: when the others leave less, it keeps that width and
the table scrolls sideways instead (a narrow window showed titles as "H…").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from paperdesk import categories
from paperdesk.store import Store

if TYPE_CHECKING:
    from paperdesk.gui.storehost import StoreHost

TITLE = 1
CATEGORY = 3
# What each column must show whole (Title stretches): the widest value or the header.
_SAMPLES = ("2026-04-25", "", "Jinze Bai, Shuai Bai", "q-bio.GN", "Code", "98.8", "★",
            "reading", "★★★★★")
_PAD = 18  # the cell's margins and the header's sort arrow
TITLE_CHARS = 24  # the least of a title a row shows


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


def follow_store(stores: StoreHost, view: QTableView) -> None:
    """When a store opens, Category grows (never shrinks: the user may have widened it)
    to what the store's codes need; they are read on the reader thread."""
    def fit(codes: list[str]) -> None:
        width = category_width(view.fontMetrics(), codes)
        if view.horizontalHeader().sectionSize(CATEGORY) < width:
            view.horizontalHeader().resizeSection(CATEGORY, width)

    stores.opened.connect(lambda _location: stores.read(Store.category_codes, fit))


def stretch_title(header: QHeaderView) -> None:
    """Title takes the width the others leave (also after a saved state is restored)."""
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(24)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)


def title_minimum(metrics: QFontMetrics) -> int:
    return metrics.averageCharWidth() * TITLE_CHARS + _PAD


def keep_title_readable(header: QHeaderView, width: int, minimum: int) -> None:
    """Title stretches over what the other columns leave of `width`, while that is at
    least `minimum`; below it, Title keeps `minimum` and the table scrolls sideways."""
    others = sum(header.sectionSize(c) for c in range(header.count())
                 if c != TITLE and not header.isSectionHidden(c))
    mode = (QHeaderView.ResizeMode.Stretch if width - others >= minimum
            else QHeaderView.ResizeMode.Interactive)
    if header.sectionResizeMode(TITLE) != mode:
        header.setSectionResizeMode(TITLE, mode)
    if mode == QHeaderView.ResizeMode.Interactive and header.sectionSize(TITLE) != minimum:
        header.resizeSection(TITLE, minimum)
