"""Edits of papers' notes, on the papers picked in the table or on the paper shown,
and their undo.

S, R, 1-5 and 0, and the saving of T act on every row selected when several are
(Shift/Ctrl+click; Ctrl+A: every row), else on the paper shown (paperdesk.paper_edits
says what each does to a mixed pick); the editor row above the pane edits the paper
it shows. Each edit, however many papers it touches, is one transaction and one step
of the undo: Ctrl+Z in the table writes back what the latest edit replaced, on all
its papers, and Ctrl+Shift+Z writes the edit again.

The rows picked are read as spans (gui/selection.py: a pick of 100,000 rows is a few
list slices here) and their ids on the reader thread (`Store.paper_ids`); the edit
then runs on the notes thread. The paper shown's edit goes to the notes thread at once
(its id is known; a read queued on the reader while the store reopens would be dropped,
and the edit lost); an undo waits for the reader's turn, so that an edit whose ids are
being read is written before it. The undo and redo stacks are used on the notes thread only, where
those writes run one after another: an undo pressed before an edit is written undoes
that edit, not the one before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from paperdesk import paper_edits
from paperdesk.paper_edits import Edit
from paperdesk.store import PaperRow, Store
from paperdesk.userdata import UserData

if TYPE_CHECKING:
    from paperdesk.gui.annotations import Annotations

T = TypeVar("T")
Read = Callable[[Callable[[Store], Any], Callable[[Any], None]], bool]
Work = Callable[[UserData, list[str], str], Edit]  # (notes, ids, the anchor paper's id)
SAY_SAVING = 1_000  # papers in an edit from which the status bar says it is under way
UNDO_STEPS = 100  # edits kept to undo
UNDO_PAPERS = 1_000_000  # papers' values kept to undo, over all steps (the latest: all)


class PaperEdits:
    """See the module docstring. `picked()`: the rows selected when several are (their
    rowids, in table order), else []; `read(work, done)`: `work(store)` on the reader
    thread (False: no store is open)."""

    def __init__(self, notes: Annotations, current: Callable[[], PaperRow | None],
                 picked: Callable[[], list[int]], read: Read) -> None:
        self._notes = notes
        self._current = current
        self.picked = picked
        self._read = read
        self._undo: list[Edit] = []  # on the notes thread only
        self._redo: list[Edit] = []

    def targets(self, then: Callable[[list[str], str], None], *, many: bool = True,
                only: PaperRow | None = None) -> bool:
        """`then(ids, anchor)` once the ids of the papers picked are read (`many`), else
        of the paper shown (or `only`); the anchor is the paper shown (else the first
        picked). False: nothing to act on (the status bar says so)."""
        rids = self.picked() if many and only is None else []
        paper = only or self._current()
        if len(rids) < 2 and paper is None:
            self._notes.message.emit("Select a paper first", 2500)
            return False
        ids = [] if paper is None else [paper.id]
        if len(rids) < 2 and ids:  # the paper shown: its id known, nothing to read (a
            then(ids, ids[0])      # read queued while the store reopens is dropped)
            return True

        def read(store: Store) -> list[str]:
            return store.paper_ids(rids) if len(rids) > 1 else ids

        def got(found: list[str]) -> None:
            if found:
                then(found, ids[0] if ids else found[0])
        if not self._read(read, got):
            self._notes.message.emit("No store is open", 2500)
            return False
        return True

    def apply(self, what: str, work: Work, *, many: bool = True, only: PaperRow | None = None,
              failed: Callable[[], None] | None = None) -> bool:
        """Run `work` on the papers picked (`many`), on `only`, or on the paper shown, as
        one step of the undo; `failed()` when it cannot be written."""
        def write(ids: list[str], anchor: str) -> None:
            def job(userdata: UserData) -> Edit:
                edit = work(userdata, ids, anchor)
                self._push(self._undo, edit)
                self._redo.clear()
                return edit
            said = paper_edits.said(what, len(ids))
            if len(ids) >= SAY_SAVING:  # seconds at 100,000 papers: said until "Saved: …"
                self._notes.message.emit(f"Saving: {said}…", 0)
            self._notes.write(said, job, failed)
        started = self.targets(write, many=many, only=only)
        if not started and failed is not None:
            failed()
        return started

    def set_field(self, field: str, value: object, *, many: bool = True) -> None:
        """`field` of every paper (paper_edits.set_field) made `value`."""
        self.apply(field, lambda ud, ids, _anchor: paper_edits.set_field(ud, ids, field, value),
                   many=many)

    def forget(self) -> None:
        """The undo and redo forgotten (on the notes thread, which alone uses them): a
        correction or an import may give papers other ids, and an undo would then write
        the old values under ids no paper has, leaving the paper's new ones."""
        def job(_userdata: UserData) -> None:
            self._undo.clear()
            self._redo.clear()
        self._notes.read(job, lambda _nothing: None)

    def undo(self) -> None:
        """Ctrl+Z: write back what the latest edit replaced, on all its papers."""
        self._step(self._undo, self._redo, "Undone", "Nothing to undo")

    def redo(self) -> None:
        """Ctrl+Shift+Z: write the latest edit undone again."""
        self._step(self._redo, self._undo, "Redone", "Nothing to redo")

    def _step(self, source: list[Edit], target: list[Edit], verb: str, none: str) -> None:
        def job(userdata: UserData) -> Edit | None:
            if not source:
                return None
            edit = source[-1]
            self._push(target, paper_edits.restore(userdata, edit))  # raises: it stays
            source.pop()
            return edit

        def done(edit: Edit | None) -> None:
            self._notes.message.emit(f"{verb}: {edit.said()}" if edit else none, 3000)
        def write(_nothing: None) -> None:
            self._notes.write(verb.lower(), job, then=done)
        # the reader's turn first: an edit whose ids are being read is written before
        if not self._read(lambda _store: None, write):
            self._notes.message.emit("No store is open", 2500)

    @staticmethod
    def _push(stack: list[Edit], edit: Edit) -> None:
        """Keep `edit` on `stack`, the oldest edits dropped beyond UNDO_STEPS or beyond
        UNDO_PAPERS papers' values (a pick of a million papers holds a million)."""
        stack.append(edit)
        while len(stack) > 1 and (len(stack) > UNDO_STEPS or sum(
                len(e.before) for e in stack) > UNDO_PAPERS):
            del stack[0]
