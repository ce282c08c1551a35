"""What the window shows (scope, paper, sort), remembered per store file.

Each store file has its own group in the settings, keyed by a digest of its full
path: opening another store restores that store's view, never one from a different
store. The window's geometry, splitter and columns stay shared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from paperdesk.gui.settings import settings


@dataclass(frozen=True)
class ViewState:
    kind: str = "all"  # all, review, profile, profiles, person or saved
    value: str = ""  # the profile id (ids, comma-separated), person key or saved search name
    paper: str = ""  # papers.id of the paper shown
    sort: tuple[str, bool] | None = None  # (column key, descending)
    pages: tuple[str, ...] = ()  # the page files of the profiles in `value`: their ids
    # follow the build order, and a rebuild with a page added gives them to other pages


def _group(db_path: Path) -> str:
    digest = hashlib.sha256(str(db_path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"stores/{digest}"


def load(db_path: Path) -> ViewState:
    s = settings()
    s.beginGroup(_group(db_path))
    try:
        column = str(s.value("sort_column", "") or "")
        descending = str(s.value("sort_descending", "false")).lower() == "true"
        pages = str(s.value("pages", "") or "")
        return ViewState(str(s.value("kind", "all") or "all"), str(s.value("value", "") or ""),
                         str(s.value("paper", "") or ""),
                         (column, descending) if column else None,
                         tuple(pages.split("\n")) if pages else ())
    finally:
        s.endGroup()


def save(db_path: Path, state: ViewState) -> None:
    s = settings()
    s.beginGroup(_group(db_path))
    s.setValue("path", str(db_path.resolve()))  # for a person reading the file
    s.setValue("kind", state.kind)
    s.setValue("value", state.value)
    s.setValue("paper", state.paper)
    s.setValue("pages", "\n".join(state.pages))  # a file name has no line break
    s.setValue("sort_column", state.sort[0] if state.sort else "")
    s.setValue("sort_descending", "true" if state.sort and state.sort[1] else "false")
    s.endGroup()
    s.sync()
