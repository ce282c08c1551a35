"""The window's status bar: the answer's count, and what the app says for a while.

QStatusBar hides its normal widgets under a message, so a message hides the count of
the search's answer for as long as it shows. A brief one (an acknowledgement such as
"Saved: star", shown for less than BRIEF_MS) gives way to what the user asks for next:
a new search or scope says its count at once. Longer ones and those shown until
replaced (warnings, errors: "Notes are off: …") stay their time.
"""

from __future__ import annotations

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLabel, QMainWindow, QStatusBar

BRIEF_MS = 5000


class StatusLine(QStatusBar):
    """`window`'s status bar, `count` the answer's count in it."""

    def __init__(self, count: QLabel, window: QMainWindow) -> None:
        super().__init__()
        self.addWidget(count, 1)
        window.setStatusBar(self)
        self._brief = ""  # the brief message shown last

    def showMessage(self, text: str, /, timeout: int | None = None) -> None:  # Qt's own
        super().showMessage(text, timeout or 0)
        self._brief = text if 0 < (timeout or 0) < BRIEF_MS else ""

    def give_way_on(self, *asked: SignalInstance) -> None:
        """Each of `asked` (the user asked for another answer) takes a brief message off."""
        for signal in asked:
            signal.connect(lambda *_args: self.withdraw(self._brief))

    def withdraw(self, message: str) -> None:
        """Take `message` off the status bar if it is still there (not one said since)."""
        if message and self.currentMessage() == message:
            self.clearMessage()
