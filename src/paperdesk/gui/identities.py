"""Go → People's identities…: suggestions with their evidence, and the user's decisions.

The list holds the suggested pairs (`Qi Qin = Qin Qi?`) and the names that look like
several people (one row per group of their papers). The pane beside it shows the
selected row's evidence as plain text. Merge, Never suggest, Split off (a group of
papers; when the person has notes or tags it first asks whether they stay, move or
show on both), Rename…, Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z) with the history
below. Every read and write runs on a Task thread (paperdesk.gui.tasks): the GUI
thread runs no SQL. After a decision the window reopens its store (`changed`), so the
author list, its counts and everything else show it at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from paperdesk import userdata
from paperdesk.db import change_counter
from paperdesk.gui import heap, screenfit, shortcuts
from paperdesk.gui.plain import name_question
from paperdesk.gui.tasks import Task
from paperdesk.identity import decisions, desk, evidence
from paperdesk.identity.decisions import Decision, DecisionError
from paperdesk.identity.evidence import Group, Several, Suggestion
from paperdesk.records import name_matches, name_pieces, name_words
from paperdesk.store import Store, StoreError, reading


@dataclass(frozen=True)
class Snapshot:
    """What the dialog shows, read on a task thread."""

    suggestions: tuple[Suggestion, ...]
    several: tuple[Several, ...]
    history: tuple[Decision, ...]
    annotated: frozenset[str] = frozenset()  # people of `several` with notes or tags
    names: Mapping[str, str] = field(default_factory=dict)  # shown names of history's keys
    written: int = 0  # the store's change counter when read (db.change_counter)


class Stopped(Exception):
    """The user cancelled the whole store's read."""


Cancelled = Callable[[], bool]
Progress = Callable[[int, int], None]
STEPS = 1000  # of the progress bar, per half of a whole read (suggestions, then flags)


def _ticks(cancelled: Cancelled | None, progress: Progress | None,
           half: int) -> evidence.Tick:
    """A whole read's `tick` for its `half` (0: suggestions, 1: several people): Stopped
    once cancelled; the bar moved when its step changes (not at each of 17,000 blocks)."""
    shown = -1

    def tick(done: int, total: int) -> None:
        nonlocal shown
        if cancelled is not None and cancelled():
            raise Stopped
        step = half * STEPS + done * STEPS // max(total, 1)
        if progress is not None and step != shown:
            shown = step
            progress(step, 2 * STEPS)
    return tick


def read_snapshot(db_path: Path, notes_path: Path | None, person: str | None = None,
                  cancelled: Cancelled | None = None,
                  progress: Progress | None = None) -> Snapshot:
    """The whole store's suggestions, or only those of `person` (a people.key; after a
    merge, the person it went into) through the per-person lookup. The whole store's
    read moves `progress(done, total)` and raises Stopped once `cancelled()`."""
    written = change_counter(db_path)  # before reading: a write meanwhile is seen
    # the whole store's read makes millions of objects: no collection stalls the window
    paused = heap.collection_paused() if person is None else contextlib.nullcontext()
    with paused, Store(db_path) as store, userdata.UserData(notes_path) as notes:
        now = decisions.state(notes.conn)
        if person is None:
            found = evidence.all_suggestions(store.conn, now,
                                             _ticks(cancelled, progress, 0))
            several = tuple(evidence.all_several(store.conn, now,
                                                 tick=_ticks(cancelled, progress, 1)))
        else:
            found = evidence.suggestions_for(store.conn, now.person(person), now)
            several = tuple(f for f in [evidence.several(store.conn, now.person(person), now)]
                            if f)
        history = decisions.history(notes.conn)
        return Snapshot(tuple(found), several, tuple(history), _annotated(notes, several),
                        desk.shown_names(store.conn, history, now), written)


REFRESH_MOST = 2000  # name keys a decision may touch before the whole store is read again


def refresh(db_path: Path, notes_path: Path | None, old: Snapshot,
            decision: Decision) -> Snapshot | None:
    """The whole store's snapshot after `decision`, without reading the whole store
    again (10-20 s at 100,000 papers, for every merge and every undo); None when only a
    whole read will do: the history moved by more than this decision (another dialog,
    the command line), the store by more than its one transaction (an import, a
    correction), or the decision touches more than REFRESH_MOST names.

    Read again: the people the decision names and their co-authors (their evidence and
    groups of papers count co-authors by person), every name block holding one of them,
    and, for a pair such a block compares, its other blocks (a pair stands when one of
    its blocks keeps it); the rest is `old`'s. tests/test_identities_refresh.py: the
    same as a whole read after merges, rejections, splits, renames and their undoing."""
    written = change_counter(db_path)
    if written - old.written > 1:
        return None
    with Store(db_path) as store, userdata.UserData(notes_path) as notes:
        history = decisions.history(notes.conn)
        if not _only(decision, old.history, history):
            return None
        now = decisions.state(notes.conn)
        named = set(decision.people())
        persons = named | {now.person(key) for key in named}
        persons |= evidence.coauthors_of(store.conn, persons)
        keys = persons.union(*(now.members(person) for person in persons))
        if len(keys) > REFRESH_MOST:
            return None
        near = evidence.blocks_of(keys)
        compared, kept = evidence.in_blocks(store.conn, now,
                                            evidence.block_members(store.conn, near))
        others = evidence.blocks_of({k for pair in compared for k in pair} - keys) - near
        _, elsewhere = evidence.in_blocks(store.conn, now,
                                          evidence.block_members(store.conn, others))
        found = {pair: s for s in old.suggestions
                 if (pair := (min(s.keys), max(s.keys))) not in compared}
        found.update(kept)
        found.update((pair, s) for pair, s in elsewhere.items()
                     if pair in compared and pair not in kept)
        flagged = {f.person: f for f in old.several if f.person not in keys}
        for person in persons & evidence.people_of(store.conn, persons):
            if (shown := evidence.several(store.conn, person, now)) is not None:
                flagged[person] = shown
        several = tuple(flagged[person] for person in sorted(flagged))
        return Snapshot(tuple(evidence.ranked(found.values())), several, tuple(history),
                        _annotated(notes, several), desk.shown_names(store.conn, history, now),
                        written)


def _only(decision: Decision, before: Iterable[Decision], after: Iterable[Decision]) -> bool:
    """Whether `decision` is all that changed in the history (made, undone or redone)."""
    was = {d.id: d.undone for d in before}
    now = {d.id: d.undone for d in after}
    return {i for i in was.keys() | now.keys() if was.get(i) != now.get(i)} <= {decision.id}


def _annotated(notes: userdata.UserData, several: Iterable[Several]) -> frozenset[str]:
    """The people flagged as several who have notes or tags (a split asks where they go)."""
    return frozenset(f.person for f in several
                     if (shown := notes.person(f.person)).note or shown.tags)


Row = tuple[Suggestion, None] | tuple[Several, Group]
W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


class IdentitiesDialog(QDialog):
    changed = Signal()  # a decision reached the store
    loaded = Signal()   # the lists show the store as it now is

    def __init__(self, db_path: Path, notes_path: Path | None, parent: QWidget,
                 person: tuple[str, str] | None = None) -> None:
        """`person` (key, name): only that person's suggestions."""
        super().__init__(parent)
        self.setObjectName("identitiesDialog")
        self.setWindowTitle("People's identities" + (f": {person[1]}" if person else ""))
        self.db_path, self.notes_path = db_path, notes_path
        self.person = person[0] if person else None
        self.person_name = person[1] if person else None
        self.can_undo = self.can_redo = False
        self._verb = "Done"  # how the status line says the decision that comes back
        self.task: Task | None = None
        self.rows: list[Row] = []
        self.snapshot: Snapshot | None = None  # what the lists show
        self.annotated: frozenset[str] = frozenset()
        self.filter = _named(QLineEdit(), "suggestionFilter")
        self.filter.setPlaceholderText("Filter by name")
        self.filter.setClearButtonEnabled(True)
        self.list = _named(QListWidget(), "suggestionList")
        self.list.setUniformItemSizes(True)
        self.evidence = _named(QPlainTextEdit(), "evidenceView")
        self.evidence.setReadOnly(True)
        self.history = _named(QListWidget(), "historyList")
        self.status = _named(QLabel(), "identityStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = {name: _named(QPushButton(text), f"{name}Button") for name, text in (
            ("merge", "&Merge"), ("reject", "&Never suggest"), ("split", "&Split off"),
            ("rename", "&Rename…"), ("undo", "&Undo"), ("redo", "Re&do"))}
        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = QAction("Redo", self)  # as `paperdesk people redo`
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        self.filter.installEventFilter(self)
        shortcuts.DownInto(self.filter, self.list)
        self._lay_out()
        self._connect()
        self._enable()  # nothing read yet: nothing to act on
        screenfit.fit(self, 900, 560)
        self.reload()

    def _lay_out(self) -> None:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter)
        column.addWidget(self.list)
        split = QSplitter()
        split.addWidget(side)
        split.addWidget(self.evidence)
        buttons = QHBoxLayout()
        for button in self.buttons.values():
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(split, 3)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("History (Ctrl+Z undoes the latest, Ctrl+Shift+Z or Ctrl+Y "
                                "redoes)"))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._show_row)
        self.filter.textChanged.connect(lambda _text: self._narrow())
        self.buttons["merge"].clicked.connect(self.merge)
        self.buttons["reject"].clicked.connect(self.reject_suggestion)
        self.buttons["split"].clicked.connect(self.split)
        self.buttons["rename"].clicked.connect(self.ask_rename)
        self.buttons["undo"].clicked.connect(self.undo)
        self.undo_action.triggered.connect(self.undo)
        self.buttons["redo"].clicked.connect(self.redo)
        self.redo_action.triggered.connect(self.redo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y in the filter box undo and redo decisions, as
        the label over the history says: the box, which has the focus when the dialog
        opens and after a Merge, took them for its own typing (Qt's ShortcutOverride)
        and they did nothing. Its own undo matters little (its clear button), and Ctrl+Z
        after a Merge undoing the filter's typing instead would look like a merge kept."""
        if watched is self.filter and event.type() == QEvent.Type.ShortcutOverride \
                and isinstance(event, QKeyEvent) and any(
                    action.isEnabled() and shortcuts.pressed(event, action)
                    for action in (self.undo_action, self.redo_action)):
            event.ignore()  # not the box's: the dialog's action takes it
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ reading

    def _run(self, title: str, work, changes: bool) -> None:  # type: ignore[no-untyped-def]
        """`work` (a decision; None: only the read) then the lists read, off the GUI
        thread. Only a read can be cancelled: a decision is made whole or not at all."""
        if self.task is not None:
            self.status.setText("Wait for the running step to finish")
            return
        db, notes, person = self.db_path, self.notes_path, self.person
        old = self.snapshot if person is None else None  # the whole store's, when shown

        def job(cancelled, progress):  # type: ignore[no-untyped-def]
            with reading(db, notes):  # a damaged store: the store page says it
                return answer(cancelled, progress)

        def answer(cancelled, progress):  # type: ignore[no-untyped-def]
            done = work() if work else None
            if old is not None and work is not None and done is None:
                return done, old  # nothing to undo or redo: nothing changed
            if old is not None and isinstance(done, Decision):
                refreshed = refresh(db, notes, old, done)
                if refreshed is not None:
                    return done, refreshed
            try:
                return done, read_snapshot(db, notes, person, cancelled if work is None
                                           else None, progress)
            except Stopped:
                return done, None

        self.task = Task(self, title, title, job, expected=(OSError, StoreError,
                                                            userdata.UserDataError,
                                                            DecisionError),
                         cancellable=work is None)
        self.task.finished.connect(lambda result: self._done(result, changes))
        self.task.failed.connect(self._failed)
        self.task.start()

    def reload(self) -> None:
        self._run("Reading suggestions", None, changes=False)

    def _done(self, result: tuple[object, Snapshot | None], changes: bool) -> None:
        self._end_task()
        done, snapshot = result
        if snapshot is None:  # the read was cancelled: nothing to show, nothing to decide
            self.status.setText("Reading stopped: open People's identities again to read"
                                " the suggestions")
            self._enable()
            self.loaded.emit()
            return
        verb, self._verb = self._verb, "Done"
        if isinstance(done, Decision):  # said with the names shown, as in the history
            what = replace(done, undone=False).describe(snapshot.names)
            self.status.setText(f"{'Undone' if done.undone else verb}: {what}")
        elif changes:
            self.status.setText("Nothing to redo" if verb == "Redone" else "Nothing to undo")
        self._fill(snapshot)
        if changes:
            self.changed.emit()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self._end_task()
        self.status.setText(message)
        self._enable()
        self.loaded.emit()

    def _end_task(self) -> None:
        if self.task is not None:
            self.task.deleteLater()
        self.task = None

    def _fill(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.annotated = snapshot.annotated
        self.rows = [(s, None) for s in snapshot.suggestions]
        self.rows += [(f, g) for f in snapshot.several for g in f.groups]
        self.list.clear()
        for thing, group in self.rows:
            if isinstance(thing, Suggestion):
                text = f"{thing.names[0]} = {thing.names[1]}?  ({thing.variant})"
            else:
                assert group is not None
                text = (f"{thing.name}: {len(group.papers)} papers in "
                        f"{', '.join(group.categories)} (probably several people)")
            item = QListWidgetItem(text)
            item.setToolTip(text)  # whole, where the list is too narrow for it
            self.list.addItem(item)
        self._narrow()
        self.history.clear()
        for decision in reversed(snapshot.history):
            self.history.addItem(decision.describe(snapshot.names))
        self.can_undo = any(not d.undone for d in snapshot.history)
        self.can_redo = any(d.undone for d in snapshot.history)
        if not self.rows:
            self.evidence.setPlainText("No suggestions: every name with evidence is decided."
                                       if self.person is None else
                                       "No suggestions for this person.")
        self._enable()

    def _narrow(self) -> None:
        """Only the entries with a name (not the rest of their text: "papers", "name")
        whose words start with the filter's words, as the author list's filter reads
        names; the first of them current."""
        pieces = name_pieces(self.filter.text())
        first = -1
        for row, (thing, _group) in enumerate(self.rows):
            item = self.list.item(row)
            names = thing.names if isinstance(thing, Suggestion) else (thing.name,)
            hidden = not any(name_matches(name_words(name), pieces) for name in names)
            item.setHidden(hidden)
            if first < 0 and not hidden:
                first = row
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentRow(first)
        if first < 0 and self.rows:
            self.evidence.setPlainText("No entry has a name that matches the filter.")

    def _enable(self) -> None:
        """Only what can act: nothing while no list is read (reading, a read cancelled
        or failed: no store); Ctrl+Z and Ctrl+Shift+Z once it is (with nothing to undo,
        they say so)."""
        row, read = self.current(), self.snapshot is not None
        self.buttons["merge"].setEnabled(row is not None and row[1] is None)
        self.buttons["reject"].setEnabled(row is not None and row[1] is None)
        self.buttons["split"].setEnabled(row is not None and row[1] is not None)
        self.buttons["rename"].setEnabled(read and self._renamed() is not None)
        self.buttons["undo"].setEnabled(read and self.can_undo)
        self.buttons["redo"].setEnabled(read and self.can_redo)
        self.undo_action.setEnabled(read)
        self.redo_action.setEnabled(read)

    def current(self) -> Row | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _show_row(self, _index: int) -> None:
        row = self.current()
        self._enable()
        if row is None:
            return
        thing, group = row
        if isinstance(thing, Suggestion):
            lines = [f"{thing.names[0]} and {thing.names[1]} may be one person "
                     f"({thing.variant}).", *thing.evidence.lines()]
        else:
            assert group is not None
            lines = [f"{thing.name}: these papers share no co-author and no category with "
                     "the name's other papers.", "co-authors: " + ", ".join(group.coauthors),
                     "pages: " + ", ".join(group.pages),
                     *(f"{title} ({pid})" for pid, title in group.papers)]
        self.evidence.setPlainText("\n".join(lines))

    # ------------------------------------------------------------ deciding

    def _decide(self, kind: str, data: dict[str, object]) -> None:
        db, notes = self.db_path, self.notes_path
        self._run("Applying the decision", lambda: desk.decide(db, notes, kind, data),
                  changes=True)

    def merge(self) -> None:
        row = self.current()
        if row is not None and isinstance(row[0], Suggestion):
            first, second = row[0].persons
            self._decide("merge", {"keys": [second], "into": first})

    def reject_suggestion(self) -> None:
        row = self.current()
        if row is not None and isinstance(row[0], Suggestion):
            self._decide("reject", {"a": [row[0].keys[0]], "b": [row[0].keys[1]]})

    def split(self) -> QMessageBox | None:
        """Split off the selected group of papers; when the person has notes or tags,
        first ask where they go (the question box is returned, open)."""
        row = self.current()
        if row is None or not isinstance(row[0], Several) or row[1] is None:
            return None
        data: dict[str, object] = {"person": row[0].person,
                                   "papers": [pid for pid, _ in row[1].papers]}
        if row[0].person not in self.annotated:
            self._decide("split", data)
            return None
        return self._ask_notes(row[0].name, len(row[1].papers), data)

    def _ask_notes(self, name: str, papers: int, data: dict[str, object]) -> QMessageBox:
        ask = QMessageBox(QMessageBox.Icon.Question, "Split off",
                          f"{name} has notes or tags. Where do they go when these {papers}"
                          " papers become another person's?", QMessageBox.StandardButton.Cancel,
                          self)
        ask.setObjectName("splitNotesQuestion")
        ask.setTextFormat(Qt.TextFormat.PlainText)
        choices = {ask.addButton(text, QMessageBox.ButtonRole.AcceptRole): go for text, go in (
            (f"Keep with {name}", "stay"), ("Move to the new person", "move"),
            ("Show on both", "both"))}
        for button, go in choices.items():
            button.setObjectName(f"notes_{go}")
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.buttonClicked.connect(lambda button: self._split_with_notes(
            data, choices.get(button)))
        ask.open()
        return ask

    def _split_with_notes(self, data: dict[str, object], notes: str | None) -> None:
        if notes is not None:  # None: Cancel
            self._decide("split", {**data, "notes": notes})

    def _renamed(self) -> tuple[str, str] | None:
        """(key, name) Rename… acts on: the selected row's (first) person, else the person
        the dialog was opened for."""
        row = self.current()
        if row is None:
            return ((self.person, self.person_name)
                    if self.person is not None and self.person_name is not None else None)
        return ((row[0].persons[0], row[0].names[0]) if isinstance(row[0], Suggestion)
                else (row[0].person, row[0].name))

    def ask_rename(self) -> QInputDialog | None:
        """Rename…: the shown name of the selected row's (first) person, or of the
        dialog's own person when it has no suggestions."""
        renamed = self._renamed()
        if renamed is None:
            return None
        person, name = renamed
        return name_question(
            self, "renameDialog", "Rename person", f"Show {name} as:", name,
            lambda text: self._decide("rename", {"person": person, "name": text}))

    def undo(self) -> None:
        if self.snapshot is None:  # nothing read (a read cancelled): no history shown
            return
        db, notes = self.db_path, self.notes_path
        self._run("Undoing", lambda: desk.undo(db, notes), changes=True)

    def redo(self) -> None:
        """The decision undone first of those still undone comes back in force."""
        if self.snapshot is None:
            return
        db, notes = self.db_path, self.notes_path
        self._verb = "Redone"
        self._run("Redoing", lambda: desk.undo(db, notes, redo=True), changes=True)


def open_dialog(window: QWidget, db_path: Path, notes_path: Path | None,
                reopen: Callable[[], object],
                person: tuple[str, str] | None = None) -> IdentitiesDialog:
    """The dialog over `window` (on one person's suggestions when `person`, (key, name),
    is given); a decision calls `reopen` (the window reopens its store, so that the
    author list and every other part show it)."""
    dialog = IdentitiesDialog(db_path, notes_path, window, person)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.changed.connect(reopen)
    dialog.show()
    return dialog


def opener(window: Any) -> Callable[..., IdentitiesDialog]:
    """Opens the dialog over the main window: every suggestion, or with (key, name) one
    person's ("Suggestions for this person…" in the author list's menu)."""
    return lambda person=None: open_dialog(window, window.db_path,
                                           window.annotations.userdata_path,
                                           window.reopen_store, person)
