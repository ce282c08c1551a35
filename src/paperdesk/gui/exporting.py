"""File → Export view…: exactly the papers shown, in the order shown.

The export runs on a Task (its own thread and read connection, a progress
dialog with Cancel) through paperdesk.export's writers. It writes a temporary
file beside the target and moves it into place only when complete: a cancel or
a failure leaves no half file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from PySide6.QtWidgets import QWidget

from paperdesk import export
from paperdesk.gui.tasks import Task
from paperdesk.store import PaperRow, Store, StoreError
from paperdesk.userdata import PaperNotes, UserData, UserDataError

CHUNK = 500  # rows read per query (and between cancel checks)


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    suffix: str
    write: Callable[[Store, Iterator[PaperRow], TextIO, export.Notes], None]

    @property
    def name_filter(self) -> str:
        return f"{self.label} (*{self.suffix})"


def formats() -> list[Format]:
    """The formats on offer, in the order the dialog lists them."""
    return [
        Format("bibtex", "BibTeX", ".bib",
               lambda _s, papers, out, notes: export.write_bibtex(papers, out, notes)),
        Format("csv", "CSV", ".csv",
               lambda _s, papers, out, notes: export.write_csv(papers, out, notes)),
        Format("markdown", "Markdown", ".md",
               lambda _s, papers, out, notes: export.write_markdown(papers, out, notes)),
        Format("json", "JSON", ".json", export.write_json),
    ]


def write_view(db_path: Path, rids: Sequence[int], fmt: Format, path: Path,
               cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[[int, int], None] = lambda _d, _t: None,
               userdata_path: Path | None = None) -> int:
    """Write the papers `rids` (in that order) to `path`, with the user's notes on them
    from `userdata_path` (None: without); returns how many."""
    tmp = path.with_name(f".{path.name}.exporting")
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

    try:
        with Store(db_path) as store, _user(userdata_path) as user, \
                open(tmp, "w", encoding="utf-8", newline="") as out:
            fmt.write(store, papers(store, user), out, notes)
        if cancelled():
            raise Cancelled
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


@contextmanager
def _user(path: Path | None) -> Iterator[UserData | None]:
    """The user's notes for reading on this thread (its own connection), or None."""
    if path is None:
        yield None
        return
    with UserData(path) as user:
        yield user


def export_task(parent: QWidget, db_path: Path, rids: Sequence[int], fmt: Format,
                path: Path, userdata_path: Path | None = None) -> Task:
    """A started export; its result is (count, path), or None when cancelled."""
    rids = list(rids)

    def work(cancelled, progress):  # type: ignore[no-untyped-def]
        try:
            return write_view(db_path, rids, fmt, path, cancelled, progress,
                              userdata_path=userdata_path), path
        except Cancelled:
            return None

    return Task(parent, "Export view", f"Exporting {len(rids):,} papers as {fmt.label}", work,
                expected=(OSError, ValueError, StoreError, UserDataError)).start()
