"""Saved searches: named query texts (not their results), kept in the settings.

`SavedSearches.changed(list)` says the list changed (the author list shows it),
`deleted(name)` that one was deleted, `message(text)` is a status line;
`queries()` is the list as stored, in saving order; `ask()` asks for a name.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from paperdesk.gui.models import AuthorItem
from paperdesk.gui.plain import name_question
from paperdesk.gui.settings import settings


class SavedSearches(QObject):
    """(name, query text) pairs in the settings; see the module docstring."""

    changed = Signal(list)
    message = Signal(str)  # a status line
    deleted = Signal(str)  # the name of a saved search deleted

    @staticmethod
    def queries() -> list[tuple[str, str]]:
        """(name, query text) of each saved search, from the settings, in saving order."""
        s = settings()
        found = []
        for i in range(s.beginReadArray("saved_searches")):
            s.setArrayIndex(i)
            name, text = str(s.value("name", "") or ""), str(s.value("query", "") or "")
            if name and text:
                found.append((name, text))
        s.endArray()
        return found

    def query(self, name: str) -> str | None:
        return next((q for n, q in self.queries() if n == name), None)

    def _write(self, saved: list[tuple[str, str]]) -> None:
        s = settings()
        s.remove("saved_searches")
        s.beginWriteArray("saved_searches", len(saved))
        for i, (name, text) in enumerate(saved):
            s.setArrayIndex(i)
            s.setValue("name", name)
            s.setValue("query", text)
        s.endArray()
        s.sync()
        self.changed.emit(saved)

    def save(self, name: str, text: str) -> str | None:
        """Keep `text` under `name` (an existing name is updated); the name kept, or
        None when there was nothing to keep."""
        name = " ".join(name.split())
        if not name or not text.strip():
            return None
        saved = [(n, q) for n, q in self.queries() if n != name]
        saved.append((name, text.strip()))
        self._write(saved)
        self.message.emit(f"Saved the search “{name}”")
        return name

    def ask(self, parent: QWidget, text: str) -> QInputDialog | None:
        """A name for the query `text`; OK saves it (None: no query to save)."""
        text = text.strip()
        if not text:
            self.message.emit("Type a search first, then save it (Ctrl+S)")
            return None
        return name_question(parent, "saveSearchDialog", "Save search",
                             f"A name for the search “{text}”:", text,
                             lambda name: self.save(name, text))

    def delete(self, name: str) -> None:
        saved = self.queries()
        if any(n == name for n, _q in saved):
            self._write([(n, q) for n, q in saved if n != name])
            self.deleted.emit(name)

    def delete_item(self, item: AuthorItem | None) -> None:
        """Searches ▸ Delete saved search: the one selected in the author list."""
        if item is not None and item.kind == "saved":
            self.delete(str(item.value))
        else:
            self.message.emit("Select a saved search in the author list first")
