"""The author list's rows in a narrow column: the name gives way, the counts stay.

A row reads `Name (counts)`; a profile owner's rows carry two figures
(`Jianxun Lian (49 · 32 named)`), which Qt's own elision would cut first in a narrow
list. `Fit` shortens such a row's name to what the column leaves beside its counts
(`Jianxun L… (49 · 32 named)`) once per text and width; the view's own delegate (Qt's,
in C++) then draws the row as it is. A Python delegate did this in its paint: three
calls into Python and five text layouts for every row painted, most of the list's
paint time at 2,000,000 people.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from paperdesk.gui import render

FIT_CACHE = 5_000  # fitted texts kept for one width; past that, it starts again
SLACK = 2  # pixels kept free: Qt lays the text out itself, and must not elide it again


class Fit:
    """Rows fitted to the width the view's text has (0: not known yet, nothing fitted)."""

    def __init__(self) -> None:
        self.width = 0
        self._metrics: QFontMetrics | None = None
        self._fitted: dict[str, str] = {}

    def set_width(self, width: int, metrics: QFontMetrics) -> bool:
        """The text's width in the view's font; True when it changed."""
        if width == self.width and metrics == self._metrics:
            return False
        self.width, self._metrics = width, metrics
        self._fitted.clear()
        return True

    def text(self, text: str, label: str) -> str:
        """`text` (the name `label` and its counts after it) as shown: whole if it fits,
        else the name elided so that what follows it stays whole."""
        metrics = self._metrics
        if metrics is None or self.width <= 0:
            return text
        fitted = self._fitted.get(text)
        if fitted is None:
            if len(self._fitted) >= FIT_CACHE:
                self._fitted.clear()
            name = render.show_bidi(label)  # as the row's text writes it
            fitted = text
            if name and len(text) > len(name) and text.startswith(name):
                fitted = _fitted(text, name, self.width - SLACK, metrics)
            self._fitted[text] = fitted
        return fitted


def _fitted(text: str, name: str, width: int, metrics: QFontMetrics) -> str:
    if metrics.horizontalAdvance(text) <= width:
        return text
    tail = text[len(name):]
    room = width - metrics.horizontalAdvance(tail)
    shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0))
    # the two parts measured apart may be a pixel or two wider together (kerning)
    while shown and room > 0 and metrics.horizontalAdvance(shown + tail) > width:
        room -= 1
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0))
    return shown + tail
