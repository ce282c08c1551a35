"""Dialogs that hold what the user typed into their own data (a note, tags, a
correction): Esc, Cancel and the title bar's close button ask before throwing a
change away.

The app promises never to lose the user's notes, and a tester typed a sentence in the
note dialog, pressed Esc and it was gone. Text as it is stored closes at once
(nothing to lose); a change asks "Discard your changes to this note?", Keep editing
being the default and Esc's answer, so that no key pressed twice loses it. The short
questions that ask for a name (Rename…, Save search, a page's owner) and the search
forms (Find reviewers) are not drafts: what they hold is typed again in a moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QDialog, QMessageBox, QWidget

log = logging.getLogger(__name__)


class DraftDialog(QDialog):
    """A dialog that asks before discarding what was typed; a subclass says what is
    stored (`track`) once its fields are filled. `SAVED_ON_QUIT`: what it holds is the
    user's own notes, saved when the app quits under it (`close_dialogs`)."""

    SAVED_ON_QUIT = True

    def __init__(self, parent: QWidget | None, what: str) -> None:
        """`what`: the thing the question names ("this note")."""
        super().__init__(parent)
        self._what = what
        self._typed: Callable[[], object] = lambda: None
        self._stored: object = None
        self.question: QMessageBox | None = None  # the discard question, while it is open

    def track(self, typed: Callable[[], object], stored: object) -> None:
        """Closing asks first when `typed()` (as it would be saved) is not `stored`."""
        self._typed, self._stored = typed, stored

    def changed(self) -> bool:
        return self._typed() != self._stored

    def save_keys(self, button: QAbstractButton) -> None:
        """Ctrl+Enter saves (`button`'s tooltip says so): the dialog has a box of several
        lines, where Enter alone starts a new line."""
        button.setToolTip("Save (Ctrl+Enter)")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.accept)

    def reject(self) -> None:
        """Esc, Cancel and the close button: at once when nothing changed, else ask."""
        if not self.changed():
            super().reject()
        elif self.question is None:
            self.question = self._ask()

    def _ask(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          f"Discard your changes to {self._what}?",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("discardQuestion")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the title may quote page text
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._answered(button is discard))
        box.open()
        return box

    def _answered(self, discard: bool) -> None:
        self.question = None
        if discard:
            super().reject()


def close_dialogs(window: QWidget) -> None:
    """Every dialog of `window` closed, as the window closes. A draft is window-modal,
    so the user cannot close the window under one: the app is quitting (a signal, the
    session ending). A changed note or tags are then saved, as if OK were pressed (the
    window saves the notes before it closes them), never thrown away unasked; a changed
    correction, which rewrites the store, is not made unasked: it is logged instead."""
    for draft in window.findChildren(DraftDialog):
        if draft.isVisible() and draft.changed():
            if draft.SAVED_ON_QUIT:
                draft.accept()
            else:
                log.warning("quit with a correction not made: %s", draft._typed())
    for dialog in window.findChildren(QDialog):
        dialog.close()
