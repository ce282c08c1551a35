"""The table's title column with the search words highlighted.

Cheap enough for every paint: only the visible cells are drawn, each title is a
short line, and a cell with no match is left to the default delegate. A matched
cell is drawn as the style draws it without text, then the elided title in
pieces, the matched words on the highlight colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from paperdesk.gui.render import Theme, term_pattern


class TitleDelegate(QStyledItemDelegate):
    def __init__(self, theme: Theme, parent: Any = None) -> None:
        super().__init__(parent)
        self._pattern: re.Pattern[str] | None = None
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._background = QColor(theme.highlight_bg)
        self._foreground = QColor(theme.highlight_fg)

    def set_terms(self, terms: Iterable[str]) -> None:
        self._pattern = term_pattern(terms)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        """A cell without a match is the default delegate's; a matched one builds its
        style option once (the title is read as text first, which is cheap)."""
        text = index.data() if self._pattern is not None else None
        if not text or self._pattern is None or self._pattern.search(text) is None:
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
        metrics = opt.fontMetrics  # type: ignore[attr-defined]
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        plain = opt.palette.color(  # type: ignore[attr-defined]
            opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text)
        painter.save()
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        x, start = rect.left(), 0
        for match in [*self._pattern.finditer(shown), None]:
            end = len(shown) if match is None else match.start()
            for piece, hit in ((shown[start:end], False),
                               ("" if match is None else match.group(0), True)):
                if not piece:
                    continue
                width = metrics.horizontalAdvance(piece)
                cell = QRect(x, rect.top(), width, rect.height())
                if hit:
                    painter.fillRect(cell.adjusted(0, 1, 0, -1), self._background)
                painter.setPen(self._foreground if hit else plain)
                painter.drawText(cell, align, piece)
                x += width
            if match is not None:
                start = match.end()
        painter.restore()
