"""The user's own data in the window: a batched read for the table, the editor row
above the detail pane, and the small tag and note dialogs.

Writes go through paperdesk.userdata.UserData (one transaction each); the
window shows a failed write's UserDataError message and the previous data stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paperdesk.gui.drafts import DraftDialog
from paperdesk.userdata import READ_STATES, PaperNotes, PersonNotes


def parse_tags(text: str) -> list[str]:
    """'a, b ,, c' -> ['a', 'b', 'c'] (duplicates, ignoring case, dropped)."""
    seen: set[str] = set()
    tags = []
    for raw in text.split(","):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


class TagsDialog(DraftDialog):
    """Edit the tags of a paper or person: one comma-separated line. `stored`: the tags
    as stored, when `tags` is what was typed before (a failed save's retry)."""

    def __init__(self, what: str, tags: Sequence[str], parent: QWidget | None = None,
                 label_text: str = "Tags, separated by commas:",
                 stored: Sequence[str] | None = None) -> None:
        super().__init__(parent, "these tags")
        self.setObjectName("tagsDialog")
        self.setWindowTitle(f"Tags — {what}")
        layout = QVBoxLayout(self)
        label = QLabel(label_text)
        label.setWordWrap(True)
        self.edit = QLineEdit(", ".join(tags))
        self.edit.setObjectName("tagsEdit")
        self.edit.setPlaceholderText("e.g. to-read, survey, rl")
        label.setBuddy(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(QLabel(f"<b>{_html(what)}</b>"))
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())
        self.track(self.tags, list(tags if stored is None else stored))

    def tags(self) -> list[str]:
        return parse_tags(self.edit.text())


class NoteDialog(DraftDialog):
    """Edit the free-text note of a paper or person. `stored`: the note as stored, when
    `note` is what was typed before (a failed save's retry)."""

    def __init__(self, what: str, note: str, parent: QWidget | None = None,
                 stored: str | None = None) -> None:
        super().__init__(parent, "this note")
        self.setObjectName("noteDialog")
        self.setWindowTitle(f"Note — {what}")
        layout = QVBoxLayout(self)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("noteEdit")
        self.edit.setPlainText(note)
        self.edit.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(QLabel(f"<b>{_html(what)}</b>"))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.save_keys(buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.resize(520, 320)
        self.track(self.note, (note if stored is None else stored).strip())

    def note(self) -> str:
        return self.edit.toPlainText().strip()


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)


RATING_TEXTS = ("No rating", "★", "★★", "★★★", "★★★★", "★★★★★")


class NotesEditor(QWidget):
    """The editor row above the detail pane: star, read state, rating, tags, note.

    For a paper every control is live; for a person (a profile or a name with no
    paper selected) only tags and the note are. Setting values from the window
    never emits the change signals (only the user's edits do).
    """

    starToggled = Signal(bool)
    readStateChosen = Signal(str)
    ratingChosen = Signal(object)  # int 1..5 or None
    tagsEdited = Signal(list)
    noteRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesEditor")
        self.star = QToolButton()
        self.star.setObjectName("starButton")
        self.star.setCheckable(True)
        self.star.setAutoRaise(True)
        self.star.setToolTip("Star this paper (S in the table)")
        self.read = QComboBox()
        self.read.setObjectName("readCombo")
        self.read.addItems(list(READ_STATES))
        self.read.setToolTip("Read state (R in the table cycles it)")
        self.rating = QComboBox()
        self.rating.setObjectName("ratingCombo")
        self.rating.addItems(list(RATING_TEXTS))
        self.rating.setToolTip("Your rating (1-5 in the table; 0 clears)")
        self.tags = QLineEdit()
        self.tags.setObjectName("tagsField")
        self.tags.setPlaceholderText("tags, comma separated")
        self.tags.setToolTip("Tags, separated by commas; Enter saves (T in the table)")
        self.note = QPushButton("Note…")
        self.note.setObjectName("noteButton")
        self.note.setToolTip("Write a note (N in the table)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self._paper_only: tuple[QWidget, ...] = (self.star, self.read, self.rating)
        self._always: tuple[QWidget, ...] = (self.tags, self.note)
        top.addWidget(self.star)
        top.addWidget(self.read)
        top.addWidget(self.rating)
        top.addStretch(1)
        bottom = QHBoxLayout()  # Note… beside the tags: the pane can be narrower (900 px)
        tags_label = QLabel("Tags:")
        tags_label.setBuddy(self.tags)
        bottom.addWidget(tags_label)
        bottom.addWidget(self.tags, 1)
        bottom.addWidget(self.note)
        layout.addLayout(top)
        layout.addLayout(bottom)
        # In the Tab cycle too (the window orders it: `controls`), besides the table's keys
        self.star.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Never clipped: each control keeps the width its text needs (the pane is at
        # least as wide as the row; the splitter gives the table less instead).
        for widget in (*self._paper_only, self.note):
            widget.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        for combo in (self.read, self.rating):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.star.setMinimumWidth(self.star.fontMetrics().horizontalAdvance("★ Starred") + 16)
        self._tags_shown: list[str] = []
        self._widest = 0  # the widest minimum so far (minimumSizeHint)
        self.star.toggled.connect(self._star_toggled)
        self.read.activated.connect(lambda i: self.readStateChosen.emit(READ_STATES[i]))
        self.rating.activated.connect(lambda i: self.ratingChosen.emit(i or None))
        self.tags.editingFinished.connect(self._tags_done)
        self.note.clicked.connect(self.noteRequested)
        self.show_nothing()

    def controls(self) -> tuple[QWidget, ...]:
        """The row's controls, left to right, then the second line's."""
        return (*self._paper_only, *self._always)

    def minimumSizeHint(self) -> QSize:
        """Never narrower than it has been. A person's pane hides the paper's controls
        and a note button loses its ✎: had the minimum followed, the splitter would lay
        the window out again at each switch (every column moved by a few pixels and
        repainted whole) whenever the pane sits at its minimum, as at 900x600."""
        hint = super().minimumSizeHint()
        self._widest = max(self._widest, hint.width())
        return QSize(self._widest, hint.height())

    def _star_toggled(self, on: bool) -> None:
        self._show_star(on)
        self.starToggled.emit(on)

    def _show_star(self, on: bool) -> None:
        self.star.setText("★ Starred" if on else "☆ Star")

    def _tags_done(self) -> None:
        tags = parse_tags(self.tags.text())
        if tags != self._tags_shown:
            self._tags_shown = tags
            self.tagsEdited.emit(tags)

    def _set(self, *, starred: bool, state: str, rating: int | None, tags: Sequence[str]) -> None:
        for widget in (self.star, self.read, self.rating, self.tags):
            widget.blockSignals(True)
        try:
            self.star.setChecked(starred)
            self._show_star(starred)
            self.read.setCurrentIndex(READ_STATES.index(state))  # type: ignore[arg-type]
            self.rating.setCurrentIndex(rating or 0)
            self._tags_shown = list(tags)
            self.tags.setText(", ".join(tags))
        finally:
            for widget in (self.star, self.read, self.rating, self.tags):
                widget.blockSignals(False)

    def show_paper(self, notes: PaperNotes) -> None:
        self._set(starred=notes.starred, state=notes.read_state, rating=notes.rating,
                  tags=notes.tags)
        for widget in (*self._paper_only, *self._always):
            widget.setEnabled(True)
            widget.setVisible(True)
        self.note.setText("Note… ✎" if notes.note else "Note…")
        self.setEnabled(True)

    def show_person(self, notes: PersonNotes) -> None:
        self._set(starred=False, state="unread", rating=None, tags=notes.tags)
        for widget in self._paper_only:
            widget.setVisible(False)
        for widget in self._always:
            widget.setVisible(True)
            widget.setEnabled(True)
        self.note.setText("Note… ✎" if notes.note else "Note…")
        self.setEnabled(True)

    def show_nothing(self) -> None:
        self._set(starred=False, state="unread", rating=None, tags=())
        for widget in (*self._paper_only, *self._always):
            widget.setVisible(True)
        self.note.setText("Note…")
        self.setEnabled(False)
