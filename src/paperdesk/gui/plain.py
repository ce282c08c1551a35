"""Page text for widgets that may read it as rich text (tooltips, dialog labels).

Qt shows a string as HTML when `Qt.mightBeRichText` says it looks like markup; a
title such as `<img src="/dev/zero">` in a tooltip would then be rendered (and
can abort the app). `plain` turns such a string into escaped rich text that
shows exactly the characters given; other strings are shown as plain text anyway.
Widgets with a text format (QLabel, QMessageBox) are set to PlainText instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui


def plain(text: str) -> str:
    """`text` as a tooltip or label shows it: every character as typed."""
    if QtGui.mightBeRichText(text):
        return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return text
