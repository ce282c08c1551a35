"""Page text for widgets that may read it as rich text (tooltips, dialog labels).

Qt shows a string as HTML when `Qt.mightBeRichText` says it looks like markup; a
title such as `<img src="/dev/zero">` in a tooltip would then be rendered (and
can abort the app). `plain` turns such a string into escaped rich text that
shows exactly the characters given; other strings are shown as plain text anyway.
Widgets with a text format (QLabel, QMessageBox) are set to PlainText instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

# What a window manager's title bar takes besides the title: its buttons and margins.
_TITLE_BAR_EXTRA = 160


def plain(text: str) -> str:
    """`text` as a tooltip or label shows it: every character as typed."""
    if QtGui.mightBeRichText(text):
        return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return text


def name_question(parent: QWidget, name: str, title: str, label: str, value: str,
                  answered: Callable[[str], object]) -> QInputDialog:
    """A short question that asks for a name (Rename…, Save search, a page's owner),
    opened: its label is plain text (a name from a page is never markup), and it is
    wide enough for its title (a window manager cut a narrow one's: "Renam…erson")."""
    dialog = QInputDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setLabelText(plain(label))
    dialog.setTextValue(value)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # the dialog's own layout sets its least width from its fields': widen the field
    for field in dialog.findChildren(QLineEdit):  # the one text field of a text question
        field.setMinimumWidth(dialog.fontMetrics().horizontalAdvance(title) + _TITLE_BAR_EXTRA)
    dialog.textValueSelected.connect(answered)
    dialog.open()
    return dialog
