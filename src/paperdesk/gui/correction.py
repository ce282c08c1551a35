"""Correct an entry's title/author boundary and names in place (Paper ▸ Correct…),
and name the owner of a page that does not say whose it is (the author list's menu).

The dialog shows the entry as read from the page (its own text, LaTeX as typed) and
lets the user edit the title and the author list (one name a line). Saving or
undoing runs paperdesk.corrections on a Task (it writes the user data and the store,
never on the GUI thread); the window then reopens the store on the same paper. The
correction lives in the user's data and is applied at every build and import.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paperdesk import corrections
from paperdesk.fixes import Correction
from paperdesk.gui import screenfit
from paperdesk.gui.drafts import DraftDialog
from paperdesk.gui.models import AuthorItem
from paperdesk.gui.plain import name_question
from paperdesk.gui.tasks import Task, Work
from paperdesk.store import PaperRow, StoreError
from paperdesk.userdata import UserDataError


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # page text is never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CorrectionDialog(DraftDialog):
    """Title and authors of one entry, as the user says they read."""

    SAVED_ON_QUIT = False  # it rewrites the store: never made unasked (drafts.close_dialogs)

    def __init__(self, paper: PaperRow, earlier: Correction | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, "this entry")
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
        form.addRow("&Authors (one per line):", self.authors)
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
        self.save_keys(buttons.button(QDialogButtonBox.StandardButton.Save))
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_plain(why))
        layout.addWidget(buttons)
        screenfit.fit(self, 640, 320)
        self.track(self.typed, self.typed())  # what the store holds now

    def _undo(self) -> None:
        self.undo_requested = True
        self.accept()

    def typed(self) -> tuple[str, tuple[str, ...]]:
        """The title and the authors as typed (blank lines and commas split names)."""
        names = self.authors.toPlainText().replace(",", "\n").splitlines()
        return self.title.text().strip(), tuple(n.strip() for n in names if n.strip())


class Corrections(QObject):
    """The window's part for corrections: opens the dialog, runs what it asks for on a
    Task (one at a time), and says how it went."""

    corrected = Signal(str)  # the store changed: reopen it; the message for the status bar
    failed = Signal(str)

    def __init__(self, window: QWidget, db_path: Path,
                 userdata_path: Callable[[], Path | None], busy: Callable[[], bool],
                 renamed: Callable[[str, str], None] = lambda _old, _new: None) -> None:
        super().__init__(window)
        self._window, self._db_path = window, db_path
        self._userdata_path, self._busy = userdata_path, busy
        self._renamed = renamed  # (old id, new id): told before `corrected` is said
        self.task: Task | None = None

    def open(self, paper: PaperRow) -> CorrectionDialog:
        """The dialog for `paper`; on Save or Undo the change runs on a Task."""
        earlier = corrections.corrected(self._userdata_path(), paper.id)
        dialog = CorrectionDialog(paper, earlier, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._run(dialog))
        dialog.open()
        return dialog

    def _run(self, dialog: CorrectionDialog) -> None:
        if self.task is not None or self._busy():
            self.failed.emit("Not corrected: wait for the running import, export or "
                             "correction to finish")
            return
        paper, db, userdata = dialog.paper, self._db_path, self._userdata_path()
        if dialog.undo_requested:
            def work(_cancelled: Callable[[], bool], _progress: object) -> object:
                fix = corrections.undo(db, paper.id, userdata)
                return paper.id, fix.was_id
            done = "Correction undone: the entry reads as the page gives it"
        else:
            title, authors = dialog.typed()

            def work(_cancelled: Callable[[], bool], _progress: object) -> object:
                fix = corrections.correct(db, paper.id, title, authors, userdata)
                return paper.id, fix.paper
            done = "Corrected: kept in your data, applied at every build and import"
        self._start(work, done)

    def ask_owner(self, item: AuthorItem) -> QInputDialog | None:
        """Ask whose page the profile `item` is (its page does not say: the name was
        inferred); the name is written on a Task and the window reopens the store."""
        if item.page is None:
            return None
        page = item.page
        return name_question(
            self._window, "ownerDialog", "Name this page's owner — PaperDesk",
            f"The page {page} does not say whose it is; PaperDesk guessed from its author "
            "lists.\nWhose page is it?", item.label, lambda name: self._name_owner(page, name))

    def _name_owner(self, page: str, name: str) -> None:
        if not name.strip():
            self.failed.emit("Not named: the name is empty")
            return
        if self.task is not None or self._busy():
            self.failed.emit("Not named: wait for the running import, export or "
                             "correction to finish")
            return
        db, userdata = self._db_path, self._userdata_path()

        def work(_cancelled: Callable[[], bool], _progress: object) -> object:
            corrections.name_owner(db, page, name, userdata)
            return None
        self._start(work, f"Named the owner of {page}: {' '.join(name.split())}; "
                          "kept in your data, applied at every build")

    def _start(self, work: Work, done: str) -> None:
        """Run `work` on a Task; say `done` (and that the store changed) or why not."""
        task = Task(self._window, "Correcting", "Saving the correction…", work,
                    expected=(OSError, ValueError, StoreError, UserDataError,
                              corrections.CorrectionError), cancellable=False)
        task.finished.connect(lambda moved: self._end(done, self.corrected, moved))
        task.failed.connect(lambda message: self._end(f"Not corrected: {message}",
                                                      self.failed))
        self.task = task.start()

    def _end(self, message: str, signal: SignalInstance, moved: object = None) -> None:
        """`moved`: (old id, new id) of the paper corrected (its title gives its id)."""
        if self.task is not None:
            self.task.deleteLater()
        self.task = None
        if isinstance(moved, tuple):
            self._renamed(*moved)
        signal.emit(message)
