"""Correct an entry's title/author boundary and names in place (Paper ▸ Correct…).

The dialog shows the entry as read from the page (its own text, LaTeX as typed) and
lets the user edit the title and the author list (one name a line). Saving or
undoing runs paperdesk.corrections on a Task (it writes the user data and the store,
never on the GUI thread); the window then reopens the store on the same paper. The
correction lives in the user's data and is applied at every build and import.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from paperdesk import corrections
from paperdesk.fixes import Correction
from paperdesk.gui.tasks import Task
from paperdesk.store import PaperRow, StoreError
from paperdesk.userdata import UserDataError


class Host(Protocol):
    """What the dialog needs of the window."""

    db_path: Path
    userdata_path: Path | None
    task: Task | None

    def reopen_store(self) -> bool: ...

    def statusBar(self) -> QStatusBar: ...


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # page text is never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CorrectionDialog(QDialog):
    """Title and authors of one entry, as the user says they read."""

    def __init__(self, paper: PaperRow, earlier: Correction | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.setWindowTitle("Correct title and authors — PaperDesk")
        self.paper = paper
        self.undo_requested = False
        page_title = earlier.was_title if earlier else paper.page_title
        page_authors = earlier.was_authors if earlier else tuple(paper.author_list)
        et_al = " et al." if paper.et_al else ""
        self.page_text = _plain(f"{page_title}\n{', '.join(page_authors)}{et_al}")
        self.page_text.setObjectName("pageText")
        self.title = QLineEdit(paper.page_title)
        self.title.setObjectName("correctTitle")
        self.title.setCursorPosition(0)  # the title's start, not its end
        self.authors = QPlainTextEdit("\n".join(paper.author_list))
        self.authors.setObjectName("correctAuthors")
        self.authors.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("Read from the page:", self.page_text)
        form.addRow("&Title:", self.title)
        form.addRow("&Authors (one a line):", self.authors)
        why = ("You corrected this entry before; Undo brings back the page's reading."
               if earlier else "Kept in your data: every rebuild and import applies it, "
                               "and your notes follow the paper.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.undo_button = QPushButton("&Undo correction")
        self.undo_button.setObjectName("undoCorrection")
        self.undo_button.setEnabled(earlier is not None)
        self.undo_button.clicked.connect(self._undo)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_plain(why))
        layout.addWidget(buttons)
        self.resize(640, 320)

    def _undo(self) -> None:
        self.undo_requested = True
        self.accept()

    def typed(self) -> tuple[str, tuple[str, ...]]:
        """The title and the authors as typed (blank lines and commas split names)."""
        names = self.authors.toPlainText().replace(",", "\n").splitlines()
        return self.title.text().strip(), tuple(n.strip() for n in names if n.strip())


def open_dialog(host: Host, paper: PaperRow) -> CorrectionDialog:
    """The dialog for `paper`; on Save or Undo the change runs on a Task."""
    earlier = corrections.corrected(host.userdata_path, paper.id)
    dialog = CorrectionDialog(paper, earlier, host if isinstance(host, QWidget) else None)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _run(host, dialog))
    dialog.open()
    return dialog


def _run(host: Host, dialog: CorrectionDialog) -> None:
    if host.task is not None:
        host.statusBar().showMessage("Wait for the running import or export to finish", 4000)
        return
    paper, db, userdata = dialog.paper, host.db_path, host.userdata_path
    if dialog.undo_requested:
        def work(_cancelled: Callable[[], bool], _progress: object) -> Correction:
            return corrections.undo(db, paper.id, userdata)
        done = "Correction undone: the entry reads as the page gives it"
    else:
        title, authors = dialog.typed()

        def work(_cancelled: Callable[[], bool], _progress: object) -> Correction:
            return corrections.correct(db, paper.id, title, authors, userdata)
        done = "Corrected: kept in your data, applied at every build and import"
    parent = host if isinstance(host, QWidget) else dialog
    task = Task(parent, "Correcting", "Saving the correction…", work,  # type: ignore[arg-type]
                expected=(OSError, ValueError, StoreError, UserDataError,
                          corrections.CorrectionError), cancellable=False)
    host.task = task

    def finished(_result: object) -> None:
        _end(host, task)
        host.reopen_store()
        host.statusBar().showMessage(done, 8000)

    def failed(message: str) -> None:
        _end(host, task)
        host.statusBar().showMessage(f"Not corrected: {message}")

    task.finished.connect(finished)
    task.failed.connect(failed)
    task.start()


def _end(host: Host, task: Task) -> None:
    task.deleteLater()
    host.task = None
