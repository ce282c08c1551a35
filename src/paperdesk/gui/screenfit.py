"""Dialogs inside the screen they open on.

A dialog asks for the size that suits a desktop (the reviewers dialog 900x720); on a
1366x768 laptop, a 900x600 remote desktop or a scaled screen that is more than there
is, and Qt places a dialog over the middle of its window, which may itself reach past
the screen's edge: the buttons were out of reach. `fit` gives a dialog its size, never
more than the screen has (nor less than its layout needs), and keeps it inside the
screen's available area each time it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

MARGIN = 24  # room left around a dialog the screen is too small for (frame, panels)


class _KeepInside(QObject):
    """Moves the dialog it watches back inside its screen when it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            keep_inside(watched)
        return False


def fit(dialog: QWidget, width: int, height: int) -> None:
    """Size `dialog` `width` x `height`, or what its screen has room for."""
    screen = dialog.screen()
    if screen is not None:
        room = screen.availableGeometry()
        least = dialog.minimumSizeHint()
        width = max(min(width, room.width() - MARGIN), least.width())
        height = max(min(height, room.height() - MARGIN), least.height())
    dialog.resize(width, height)
    keeper = _KeepInside(dialog)
    dialog.installEventFilter(keeper)


def keep_inside(widget: QWidget) -> None:
    """Move the window `widget` so that its frame is inside its screen's available area
    (its top left corner first, when it is larger)."""
    screen = widget.screen()
    if screen is None:
        return
    room, frame = screen.availableGeometry(), widget.frameGeometry()
    x = max(room.left(), min(frame.left(), room.right() + 1 - frame.width()))
    y = max(room.top(), min(frame.top(), room.bottom() + 1 - frame.height()))
    if (x, y) != (frame.left(), frame.top()):
        widget.move(x, y)
