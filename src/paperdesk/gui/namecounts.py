"""The author list's rows in a narrow column: the name gives way, the counts stay.

A row reads `Name (counts)`; a profile owner's rows carry two figures
(`Jianxun Lian (49 · 32 named)`), which the default delegate's elision would cut
first in a narrow list. Every other row, and one that fits, is left to the default
delegate (this one is Python, called for every row painted: it asks for the item
first, nothing more); a row that does not fit is drawn as the style draws it without
text, then the name elided and the counts (and the notes mark) whole after it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from paperdesk.gui import render
from paperdesk.gui.models import ITEM_ROLE, AuthorItem


class NameCountsDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = index.data(ITEM_ROLE)
        if not isinstance(item, AuthorItem) or item.other is None:
            super().paint(painter, option, index)  # one count: the default, cheapest
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text: str = opt.text  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        metrics = opt.fontMetrics  # type: ignore[attr-defined]
        name = render.show_bidi(item.label)
        if (not name or not text.startswith(name) or len(text) == len(name)
                or metrics.horizontalAdvance(text) <= rect.width()):
            super().paint(painter, option, index)
            return
        tail = text[len(name):]
        opt.text = ""  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        tail_width = min(metrics.horizontalAdvance(tail), rect.width())
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, rect.width() - tail_width)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        pen = opt.palette.color(  # type: ignore[attr-defined]
            opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text)
        painter.save()
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        painter.setPen(pen)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        name_width = metrics.horizontalAdvance(shown)
        painter.drawText(QRect(rect.left(), rect.top(), name_width, rect.height()), align, shown)
        painter.drawText(QRect(rect.left() + name_width, rect.top(), tail_width, rect.height()),
                         align, tail)
        painter.restore()
