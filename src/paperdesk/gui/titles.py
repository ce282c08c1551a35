"""The table's title column with the search words highlighted.

Cheap enough for every paint: a title with no match is left to the default delegate
(whether it matches is asked once per title and search); a matched one is drawn as
the style draws it without text, then its elided title as one QTextLayout, shaped
once and kept (by title, width and font) until the search words change, with the
matched words on the highlight colour. The layout reads the title as plain text:
page text is never markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from paperdesk.gui.render import Theme, searched, term_pattern
from paperdesk.query import Highlight

CACHE_LIMIT = 1_000  # titles kept (matches and layouts); past that the cache starts again


class _Drawn:
    """A matched title, elided to a width and shaped once: its layout and the
    rectangles behind the matched words (relative to the text's top left)."""

    def __init__(self, text: str, pattern: re.Pattern[str], width: int, font: QFont,
                 foreground: QColor) -> None:
        metrics = QFontMetrics(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        self.layout = QTextLayout(shown, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)  # as the default delegate
        self.layout.setTextOption(option)
        hit = QTextCharFormat()
        hit.setForeground(foreground)
        spans = [(m.start(), m.end() - m.start()) for m in pattern.finditer(shown)]
        ranges = []
        for start, length in spans:
            fmt = QTextLayout.FormatRange()
            fmt.start, fmt.length, fmt.format = start, length, hit
            ranges.append(fmt)
        self.layout.setFormats(ranges)
        self.layout.beginLayout()
        line = self.layout.createLine()
        line.setLineWidth(width)
        self.layout.endLayout()
        self.height = line.height()
        self.hits = [QRectF(min(a, b), 0, abs(b - a), 0) for a, b in
                     ((_x(line.cursorToX(s)), _x(line.cursorToX(s + n))) for s, n in spans)]


def _x(cursor: Any) -> float:
    """cursorToX's x (PySide answers a tuple: the x, and the cursor moved to a valid one)."""
    return float(cursor[0])


class TitleDelegate(QStyledItemDelegate):
    def __init__(self, theme: Theme, parent: Any = None) -> None:
        super().__init__(parent)
        self._pattern: re.Pattern[str] | None = None
        self._matches: dict[str, bool] = {}  # title -> holds a search word
        self._drawn: dict[tuple[str, int, str], _Drawn] = {}
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._background = QColor(theme.highlight_bg)
        self._foreground = QColor(theme.highlight_fg)
        self._drawn.clear()

    def set_terms(self, terms: Iterable[Highlight]) -> None:
        """The search's words; those its search read in titles are highlighted."""
        pattern = term_pattern(searched(terms, "title"))
        if pattern != self._pattern:
            self._pattern = pattern
            self._matches.clear()
            self._drawn.clear()

    def _matched(self, text: Any) -> bool:
        """`text` holds a search word (asked once per title and search)."""
        if not text or self._pattern is None:
            return False
        found = self._matches.get(text)
        if found is None:
            if len(self._matches) >= CACHE_LIMIT:
                self._matches.clear()
            found = self._matches[text] = self._pattern.search(text) is not None
        return found

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        """A cell without a match is the default delegate's; a matched one draws its
        background as the style does, then the title's kept layout."""
        text = index.data() if self._pattern is not None else None
        if not isinstance(text, str) or not self._matched(text):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style()
        opt.text = ""  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(margin, 0, -margin, 0)
        font: QFont = opt.font  # type: ignore[attr-defined]
        drawn = self._drawn_for(text, rect.width(), font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        plain = opt.palette.color(  # type: ignore[attr-defined]
            opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text)
        left, top = rect.left(), rect.top()
        for hit in drawn.hits:  # the band the old per-word drawing filled: 1 px in
            painter.fillRect(QRectF(left + hit.left(), top + 1, hit.width(),
                                    rect.height() - 2), self._background)
        painter.save()
        painter.setPen(plain)
        painter.setClipRect(rect)
        drawn.layout.draw(painter, QPointF(left, top + (rect.height() - drawn.height) / 2))
        painter.restore()

    def _drawn_for(self, text: str, width: int, font: QFont) -> _Drawn:
        key = (text, width, font.key())
        drawn = self._drawn.get(key)
        if drawn is None:
            assert self._pattern is not None
            if len(self._drawn) >= CACHE_LIMIT:
                self._drawn.clear()
            drawn = self._drawn[key] = _Drawn(text, self._pattern, width, font,
                                              self._foreground)
        return drawn
