"""File → Export view…: exactly the papers shown, in the order shown.

The table lists at most the first rows of a large answer (gui.worker.LISTED);
export never stops there: when the table holds only part of the answer, the task
runs the same search (text, scope, sort) again on its own thread without a limit,
and writes every match in the table's order.

The export runs on a Task (its own thread and read connection, a progress
dialog with Cancel) through paperdesk.export's writers. It writes a temporary
file beside the target and moves it into place only when complete: a cancel or
a failure leaves no half file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from paperdesk import export, readings, userfiles
from paperdesk.gui.tasks import Task
from paperdesk.search import Scope, SearchCancelled, SearchResult, search
from paperdesk.store import PaperRow, Store, StoreError, reading
from paperdesk.userdata import PaperNotes, UserData, UserDataError, attach

CHUNK = 500  # rows read per query (and between cancel checks)


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class View:
    """The search whose every match an export writes (the table may list fewer), and
    how many it found: `total`, or when the count was cut, at least `at_least`."""

    text: str
    scope: Scope
    sort: tuple[str, bool] | None
    total: int | None
    at_least: int


def what_to_export(rids: Sequence[int], result: SearchResult | None,
                   searched: Callable[[], tuple[str, Scope, tuple[str, bool] | None]],
                   picked: Sequence[int] = ()) -> list[int] | View:
    """The rows `picked` out of the table, if any; else the table's rows when they are
    the whole answer (`result`, the last search's, None when none ran), else the search
    itself (`searched`: its text, scope and sort), whose every match is written: also
    when its count is a floor ("more than 10,000") or still to come."""
    if picked:
        return list(picked)
    if result is None or result.total == len(rids):
        return list(rids)
    return View(*searched(), result.total, result.at_least)


def described(what: Sequence[int] | View) -> str:
    """How many papers an export of `what` writes, as its dialog and progress say it:
    every match of a View, not the rows the table lists (a count cut short is a floor)."""
    count = what.total if isinstance(what, View) else len(what)
    if count is None:
        assert isinstance(what, View)
        return f"every paper the search finds (at least {what.at_least:,})"
    return f"{count:,} paper{'s' if count != 1 else ''}"


def every_match(db_path: Path, view: View, userdata_path: Path | None,
                cancelled: Callable[[], bool] = lambda: False) -> list[int]:
    """The rowids of every paper `view` finds, in the table's order (no limit)."""
    with Store(db_path) as store:
        if userdata_path is not None:
            attach(store.conn, userdata_path)  # is:starred, tag:, the user's sort columns
        return list(search(store.conn, view.text, view.scope, sort=view.sort,
                           count=False, cancelled=cancelled).rids)


@dataclass(frozen=True)
class Format:
    key: str  # as paperdesk.export.export names it
    label: str
    suffix: str

    @property
    def name_filter(self) -> str:
        return f"{self.label} (*{self.suffix})"


def formats() -> list[Format]:
    """The formats on offer, in the order the dialog lists them."""
    return [Format("bibtex", "BibTeX", ".bib"), Format("csv", "CSV", ".csv"),
            Format("markdown", "Markdown", ".md"), Format("json", "JSON", ".json")]


def write_view(db_path: Path, rids: Sequence[int], fmt: Format, path: Path,
               cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[[int, int], None] = lambda _d, _t: None,
               userdata_path: Path | None = None) -> int:
    """Write the papers `rids` (in that order) to `path`, with the user's notes on them
    from `userdata_path` (None: without); returns how many."""
    written = 0
    notes: dict[str, PaperNotes] = {}  # the current chunk's: the writer looks them up

    def papers(store: Store, user: UserData | None) -> Iterator[PaperRow]:
        nonlocal written
        for start in range(0, len(rids), CHUNK):
            if cancelled():
                raise Cancelled
            chunk = rids[start:start + CHUNK]
            rows = store.papers(chunk)
            notes.clear()
            if user is not None:
                notes.update(user.papers([p.id for p in rows.values()]))
            for rid in chunk:
                paper = rows.get(rid)
                if paper is not None:
                    written += 1
                    yield paper
            progress(min(start + CHUNK, len(rids)), len(rids))

    def write(tmp: Path) -> None:
        with Store(db_path) as store, _user(userdata_path) as user, \
                open(tmp, "w", encoding="utf-8", newline="") as out:
            choices = readings.user_choices(user)  # what ambiguous codes mean (BibTeX)
            export.export(store, papers(store, user), fmt.key, out, notes, choices)
        if cancelled():
            raise Cancelled

    userfiles.written(path, write)  # whole or not at all, the user's path named
    return written


@contextmanager
def _user(path: Path | None) -> Iterator[UserData | None]:
    """The user's notes for reading on this thread (its own connection), or None."""
    if path is None:
        yield None
        return
    with UserData(path) as user:
        yield user


def export_task(parent: QWidget, db_path: Path, rids: Sequence[int] | View, fmt: Format,
                path: Path, userdata_path: Path | None = None) -> Task:
    """A started export of `rids`, or of every match of a View; its result is (count,
    path), or None when cancelled."""
    shown = None if isinstance(rids, View) else list(rids)

    def work(cancelled, progress):  # type: ignore[no-untyped-def]
        try:
            with reading(db_path, userdata_path):  # a damaged store: the store page says it
                return written(cancelled, progress)
        except (Cancelled, SearchCancelled):
            return None

    def written(cancelled, progress):  # type: ignore[no-untyped-def]
        wanted = shown if shown is not None else every_match(
            db_path, rids, userdata_path, cancelled)  # type: ignore[arg-type]
        return write_view(db_path, wanted, fmt, path, cancelled, progress,
                          userdata_path=userdata_path), path

    return Task(parent, "Export view", f"Exporting {described(rids)} as {fmt.label}", work,
                expected=(OSError, ValueError, StoreError, UserDataError)).start()
