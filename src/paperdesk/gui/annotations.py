"""The annotation commands: star, read state, rating, tags and notes, on a paper or
a person, and the user-data file they are written to.

The part opens the user's notes file (with the day's backup) and runs each edit as
one write on the notes thread (gui/notesthread.py: the GUI thread runs no SQL); it
says what went wrong when one fails (the previous data stays; a typed note or tag
list opens again to retry). It knows the paper shown and the person in scope only
through the two callables it is given, and what is stored on them through the
detail pane's data (`update_editor`), read on the reader thread. The papers' own
edits (star, read state, rating, tags, note), on the papers picked in the table or on
the paper shown, and their undo, are gui/paperedits.py's. After each write,
successful or not, it emits `changed()` (the table row and the pane show the notes
as stored now); after a successful one also `saved()` (the author list's marks
follow, a search that reads the notes runs again). `message(text, ms)` is a status
line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from paperdesk import paper_edits
from paperdesk.gui.annotate import NoteDialog, NotesEditor, TagsDialog
from paperdesk.gui.notesthread import NotesThread, Opened
from paperdesk.gui.pane import PaneData
from paperdesk.gui.paperedits import PaperEdits, Read
from paperdesk.store import PaperRow
from paperdesk.userdata import PaperNotes, UserData, restore_command

T = TypeVar("T")
PaperGetter = Callable[[], PaperRow | None]
PersonGetter = Callable[[], tuple[str, str] | None]


class Annotations(QObject):
    """The user's notes and the commands that edit them; see the module docstring."""

    changed = Signal()
    saved = Signal()
    message = Signal(str, int)

    def __init__(self, window: QWidget, userdata_path: Path | None, editor: NotesEditor,
                 current_paper: PaperGetter, scope_person: PersonGetter,
                 picked: Callable[[], list[int]], read: Read) -> None:
        """`picked` and `read`: see gui/paperedits.PaperEdits."""
        super().__init__(window)
        self._window = window
        self.editor = editor
        self._current_paper = current_paper
        self._scope_person = scope_person
        self.notes = NotesThread(self)
        self.available = False  # the notes file opened
        self.userdata_path = userdata_path
        self.userdata_problem = ""
        self.last_error = ""  # the last user-data error shown
        self.note_draft: NoteDialog | None = None  # reopened after a failed save
        self.tags_draft: TagsDialog | None = None
        self._pane: PaneData | None = None  # what the pane shows, with its notes
        self.edits = PaperEdits(self, current_paper, picked, read)
        # the editor row edits the paper the pane shows, never the others picked
        editor.starToggled.connect(lambda on: self.set_starred(on, many=False))
        editor.readStateChosen.connect(lambda state: self.set_read_state(state, many=False))
        editor.ratingChosen.connect(lambda rating: self.set_rating(rating, many=False))
        editor.tagsEdited.connect(self.set_tags)
        editor.noteRequested.connect(lambda: self.edit_note())

    # ------------------------------------------------------------ the file

    def open(self, then: Callable[[], object]) -> None:
        """Open the notes file on the notes thread (backup and check there), then
        `then()`; a damaged file is said at once, with where what could still be read
        was saved. The GUI thread does not wait for it: a large file's daily backup
        takes a while."""
        def opened(result: Opened) -> None:
            self._opened(result)
            then()

        self.notes.open(self.userdata_path, opened)

    def _opened(self, opened: Opened) -> None:
        if opened.path is None:
            self.userdata_problem = opened.error
            self.message.emit(f"Notes are off: {opened.error}", 0)
            return
        self.available = True
        self.userdata_path = opened.path
        if opened.backup_error:
            self.message.emit(f"No backup of your notes today: {opened.backup_error}", 8000)
        if opened.problem is None:
            return
        saved = opened.backup
        self.userdata_problem = f"{opened.path} is damaged ({opened.problem})"
        box = self.show_error(
            f"Your notes file {opened.path} is damaged ({opened.problem}). "
            + (f"The notes that could still be read are saved in {saved}; to go on with a "
               f"sound file, close PaperDesk, move the damaged file away and run: "
               f"{restore_command(opened.path, saved)}" if saved else
               "No copy of it could be saved."))
        box.setWindowTitle("Your notes file is damaged")

    def close(self) -> None:
        """Finish the writes asked for, then close the file."""
        self.notes.stop()
        self.available = False

    @property
    def busy(self) -> bool:
        return self.notes.busy

    def show_error(self, message: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, "Could not save your notes", message,
                          QMessageBox.StandardButton.Ok, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("userDataError")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_error = message
        return box

    # ------------------------------------------------------------ reading

    def read(self, work: Callable[[UserData], T], done: Callable[[T], None]) -> None:
        """`work(userdata)` on the notes thread, `done(result)` here; a failure is a
        status message."""
        if self.available:
            self.notes.run(work, done, lambda text: self.message.emit(text, 5000))

    def current_notes(self) -> PaperNotes | None:
        """The user's notes on the paper shown, as the pane read them (None: no paper,
        no file, or the pane does not show it yet)."""
        paper, pane = self._current_paper(), self._pane
        if paper is None or pane is None or pane.paper is None or pane.paper.id != paper.id:
            return None
        return pane.notes

    def update_editor(self, pane: PaneData | None) -> None:
        self._pane = pane
        if not self.available or pane is None:
            self.editor.show_nothing()
            self.editor.setToolTip(self.userdata_problem)
        elif pane.notes is not None:
            self.editor.show_paper(pane.notes)
        elif pane.person_notes is not None:
            self.editor.show_person(pane.person_notes)
        else:
            self.editor.show_nothing()

    # ------------------------------------------------------------ writing

    def write(self, what: str, write: Callable[[UserData], T],
              failed: Callable[[], None] | None = None,
              then: Callable[[T], None] | None = None) -> bool:
        """Send one user-data write to the notes thread; when it fails, say why (the
        previous data stays) and call `failed`; when it is saved, `then(what write
        returned)`. False: there is no file to write to."""
        if not self.available:
            self.show_error(self.userdata_problem or "No user-data file is open.")
            if failed is not None:
                failed()
            return False

        def done(result: T) -> None:
            self.changed.emit()
            self.saved.emit()
            self.message.emit(f"Saved: {what}", 2500)
            if then is not None:
                then(result)

        def refused(text: str) -> None:
            self.show_error(text)
            self.changed.emit()
            if failed is not None:
                failed()
        self.notes.run(write, done, refused)
        return True

    def annotate_key(self, what: str) -> None:
        """A key pressed in the table: S, R, T, N, or a rating 0-5 ("rate3"); each but N
        on every paper picked (gui/paperedits.py)."""
        if what == "star":
            self.toggle_star()
        elif what == "read":
            self.edits.apply("read state", paper_edits.cycle_read)
        elif what == "tags":
            self.edit_tags()
        elif what == "note":
            self.edit_note()
        elif what.startswith("rate"):
            n = int(what[4:])  # the rating they all have already clears it
            self.edits.apply("rating", lambda ud, ids, _anchor: paper_edits.rate(ud, ids, n))

    def toggle_star(self) -> None:
        """S: star the papers picked, or unstar them when they all are starred."""
        self.edits.apply("star", lambda ud, ids, _anchor: paper_edits.star(ud, ids))

    def set_starred(self, starred: bool, *, many: bool = True) -> None:
        self.edits.set_field("starred", starred, many=many)

    def set_read_state(self, state: str, *, many: bool = True) -> None:
        self.edits.set_field("read_state", state, many=many)

    def set_rating(self, rating: int | None, *, many: bool = True) -> None:
        self.edits.set_field("rating", rating, many=many)

    def set_tags(self, tags: list[str], failed: Callable[[], None] | None = None) -> bool:
        """Make the tags of the paper shown (or, with none, of the person in scope) `tags`;
        False when there is neither (`failed` is called if the write fails)."""
        if self._current_paper() is not None:
            return self.edits.apply("tags", lambda ud, ids, _anchor: paper_edits.set_field(
                ud, ids, "tags", tags), many=False, failed=failed)
        who = self._scope_person()
        if who is not None:
            key = who[0]
            return self.write("tags", lambda ud: ud.set_person_tags(key, tags), failed)
        return False

    # ------------------------------------------------------------ dialogs

    def _subject(self, who: tuple[str, str] | None = None
                 ) -> tuple[str, PaperRow | None, str | None] | None:
        """What T and N edit: (title shown, paper, person key); `who` (key, name): that
        person (the author list's context menu)."""
        if who is not None:
            return who[1], None, who[0]
        paper = self._current_paper()
        if paper is not None:
            return paper.title, paper, None
        who = self._scope_person()
        if who is not None:
            return who[1], None, who[0]
        self.message.emit("Select a paper first", 2500)
        return None

    def _shown(self, paper: PaperRow | None, key: str | None
               ) -> tuple[Sequence[str], str] | None:
        """The tags and note of `paper` (or person `key`) as the pane read them; None
        when the pane does not show them, or a write is still on its way (the notes
        thread reads them after it)."""
        pane = self._pane
        if pane is None or self.notes.busy:
            return None
        if paper is not None:
            notes = self.current_notes()
            return (notes.tags, notes.note) if notes is not None else None
        if pane.person is not None and pane.person[0] == key and pane.person_notes:
            return pane.person_notes.tags, pane.person_notes.note
        return None

    def _with_stored(self, paper: PaperRow | None, key: str | None,
                     show: Callable[[tuple[Sequence[str], str]], QWidget]) -> Any:
        """`show((tags, note))` now when the pane has them (what it returns), else once
        the notes thread has read them (None now)."""
        if not self.available:
            return None
        shown = self._shown(paper, key)
        if shown is not None:
            return show(shown)

        def read(ud: UserData) -> tuple[Sequence[str], str]:
            if paper is not None:
                return ud.tags(paper.id), ud.note(paper.id)
            notes = ud.person(key or "")
            return notes.tags, notes.note
        self.notes.run(read, show, self.show_error)
        return None

    def edit_tags(self, who: tuple[str, str] | None = None) -> TagsDialog | None:
        """T: a small dialog with the tags; OK saves them (None: it opens once read).
        With several papers picked, the tags typed are added to each of them."""
        picked = len(self.edits.picked()) if who is None else 0
        if picked > 1 and self.available:
            return self._add_tags_dialog(picked, ())
        subject = self._subject(who)
        if subject is None:
            return None
        what, paper, key = subject
        dialog: TagsDialog | None = self._with_stored(
            paper, key, lambda stored: self._tags_dialog(what, stored[0], paper, key))
        return dialog

    def _tags_dialog(self, what: str, stored: Sequence[str], paper: PaperRow | None,
                     key: str | None, typed: Sequence[str] | None = None) -> TagsDialog:
        """The tags dialog of a paper, or of person `key`; opened again with what was
        `typed` when saving fails (closing it asks first: it differs from `stored`)."""
        dialog = TagsDialog(what, stored if typed is None else typed, self._window,
                            stored=stored)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            typed = dialog.tags()

            def again() -> None:
                self.tags_draft = self._tags_dialog(what, stored, paper, key, typed)
            if paper is None and key:
                self.write("tags", lambda ud: ud.set_person_tags(key, typed), again)
            elif not self.set_tags(typed, again):
                again()
        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def _add_tags_dialog(self, count: int, typed: Sequence[str]) -> TagsDialog:
        """T with `count` papers picked: the tags typed are added to each one's own (a
        paper's tags differ: there is no one list to edit); opened again with what was
        typed when saving fails."""
        dialog = TagsDialog(f"{count:,} papers picked", typed, self._window,
                            "Tags to add to each of them (their own tags stay), "
                            "separated by commas:", stored=())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            tags = dialog.tags()

            def again() -> None:
                self.tags_draft = self._add_tags_dialog(count, tags)
            if tags:
                self.edits.apply("tags", lambda ud, ids, _anchor: paper_edits.add_tags(
                    ud, ids, tags), failed=again)
        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def edit_note(self, who: tuple[str, str] | None = None) -> NoteDialog | None:
        """N: a small dialog with the note; OK saves it (None: it opens once read).
        A note is one paper's, also with several picked: writing one text over each
        one's own would lose theirs (tags are what groups papers); the status bar says
        whose it is."""
        picked = len(self.edits.picked()) if who is None else 0
        if picked > 1:
            self.message.emit(f"N edits the note of the paper shown only, not of the "
                              f"{picked - 1:,} others picked", 5000)
        subject = self._subject(who)
        if subject is None:
            return None
        what, paper, key = subject
        dialog: NoteDialog | None = self._with_stored(
            paper, key, lambda stored: self._note_dialog(what, paper, key, stored[1]))
        return dialog

    def _note_dialog(self, what: str, paper: PaperRow | None, key: str | None,
                     stored: str, typed: str | None = None) -> NoteDialog:
        """The note dialog showing the note `stored`. When saving fails (user data locked,
        disk full), it opens again with what was `typed`, to retry: a typed note is never
        lost (closing the dialog asks first)."""
        dialog = NoteDialog(what, stored if typed is None else typed, self._window, stored)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            typed = dialog.note()

            def again() -> None:
                self.note_draft = self._note_dialog(what, paper, key, stored, typed)
            if paper is not None:
                self.edits.apply("note", lambda ud, ids, _anchor: paper_edits.set_field(
                    ud, ids, "note", typed), only=paper, failed=again)
            else:
                self.write("note", lambda ud: ud.set_person_note(key or "", typed), again)
        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def add_actions(self, menu: QMenu, has_paper: bool) -> None:
        """Star, read state, rating, tags and note of the paper shown, to `menu`."""
        has_paper = has_paper and self.available
        notes = self.current_notes() if has_paper else None
        star = menu.addAction("Unstar\tS" if notes and notes.starred else "Star\tS")
        star.setObjectName("starAction")
        star.setEnabled(has_paper)
        star.triggered.connect(self.toggle_star)
        read = menu.addMenu("Read state")
        read.setObjectName("readMenu")
        read.setEnabled(has_paper)
        for state in ("unread", "reading", "read"):
            action = read.addAction(state.capitalize())
            action.setCheckable(True)
            action.setChecked(notes is not None and notes.read_state == state)
            action.triggered.connect(lambda _on=False, s=state: self.set_read_state(s))
        rating = menu.addMenu("Rating")
        rating.setObjectName("ratingMenu")
        rating.setEnabled(has_paper)
        for n in (1, 2, 3, 4, 5):
            action = rating.addAction(f"{'★' * n}\t{n}")
            action.setCheckable(True)
            action.setChecked(notes is not None and notes.rating == n)
            action.triggered.connect(lambda _on=False, n=n: self.set_rating(n))
        clear = rating.addAction("No rating\t0")
        clear.triggered.connect(lambda: self.set_rating(None))
        tags = menu.addAction("Edit &tags…\tT")
        tags.triggered.connect(lambda: self.edit_tags())
        note = menu.addAction("Edit &note…\tN")
        note.triggered.connect(lambda: self.edit_note())
        for action in (tags, note):
            action.setEnabled(has_paper)
