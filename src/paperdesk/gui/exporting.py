"""File → Export view…: exactly the papers shown, in the order shown.

The export runs on a Task (its own thread and read connection, a progress
dialog with Cancel) through paperdesk.export's writers. It writes a temporary
file beside the target and moves it into place only when complete: a cancel or
a failure leaves no half file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from PySide6.QtWidgets import QWidget

from paperdesk import export
from paperdesk.gui.tasks import Task
from paperdesk.store import PaperRow, Store, StoreError

CHUNK = 500  # rows read per query (and between cancel checks)


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    suffix: str
    write: Callable[[Store, Iterator[PaperRow], TextIO], None]

    @property
    def name_filter(self) -> str:
        return f"{self.label} (*{self.suffix})"


def formats() -> list[Format]:
    """The formats on offer, in the order the dialog lists them."""
    return [
        Format("bibtex", "BibTeX", ".bib", lambda _s, papers, out: export.write_bibtex(papers,
                                                                                     out)),
        Format("csv", "CSV", ".csv", lambda _s, papers, out: export.write_csv(papers, out)),
        Format("markdown", "Markdown", ".md",
               lambda _s, papers, out: export.write_markdown(papers, out)),
        Format("json", "JSON", ".json", export.write_json),
    ]


def format_for(name_filter: str, path: Path) -> Format:
    """The format the dialog's filter names, else the one the file name's suffix names."""
    available = formats()
    for fmt in available:
        if fmt.name_filter == name_filter:
            return fmt
    for fmt in available:
        if path.suffix.lower() == fmt.suffix:
            return fmt
    return available[0]


def write_view(db_path: Path, rids: Sequence[int], fmt: Format, path: Path,
               cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[[int, int], None] = lambda _d, _t: None) -> int:
    """Write the papers `rids` (in that order) to `path`; returns how many."""
    tmp = path.with_name(f".{path.name}.exporting")
    written = 0

    def papers(store: Store) -> Iterator[PaperRow]:
        nonlocal written
        for start in range(0, len(rids), CHUNK):
            if cancelled():
                raise Cancelled
            chunk = rids[start:start + CHUNK]
            rows = store.papers(chunk)
            for rid in chunk:
                paper = rows.get(rid)
                if paper is not None:
                    written += 1
                    yield paper
            progress(min(start + CHUNK, len(rids)), len(rids))

    try:
        with Store(db_path) as store, open(tmp, "w", encoding="utf-8", newline="") as out:
            fmt.write(store, papers(store), out)
        if cancelled():
            raise Cancelled
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


def export_task(parent: QWidget, db_path: Path, rids: Sequence[int], fmt: Format,
                path: Path) -> Task:
    """A started export; its result is (count, path), or None when cancelled."""
    rids = list(rids)

    def work(cancelled, progress):  # type: ignore[no-untyped-def]
        try:
            return write_view(db_path, rids, fmt, path, cancelled, progress), path
        except Cancelled:
            return None

    return Task(parent, "Export view", f"Exporting {len(rids):,} papers as {fmt.label}", work,
                expected=(OSError, ValueError, StoreError)).start()
