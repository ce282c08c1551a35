"""The menu bar, the context menus and the Help dialogs.

`build()` makes the menus and their actions (`Actions`); the window connects them
in its `_connect_signals`. Help (`show_shortcuts`, `show_search_syntax`,
`show_about`) needs nothing from the window but a parent. `paper_menu()` and
`author_menu()` build the two context menus from what they are given, so that they
can be inspected before they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from paperdesk.export import bibtex_entry
from paperdesk.gui import identifier, people, render, screenfit, syntax
from paperdesk.gui.annotations import Annotations
from paperdesk.gui.correction import Corrections
from paperdesk.gui.detail import DetailPart
from paperdesk.gui.history import History
from paperdesk.gui.models import AuthorItem
from paperdesk.gui.shortcuts import SHORTCUTS
from paperdesk.readings import Readings, user_choices
from paperdesk.store import PaperRow, Store
from paperdesk.userdata import UserData, UserDataError

Slot = Callable[[], object]
ReadNoted = Callable[[Callable[[Store, UserData | None], Any], Callable[[Any], None]], bool]


@dataclass
class Actions:
    """The menu bar's actions that the window connects."""

    import_files: QAction
    import_folder: QAction
    export: QAction
    quit: QAction
    back: QAction
    forward: QAction
    focus_search: QAction
    focus_authors: QAction
    focus_table: QAction
    focus_detail: QAction
    escape: QShortcut
    save_search: QAction
    delete_search: QAction
    compare: QAction
    about: QAction
    file_menu: QMenu
    identities: QAction  # Go → People's identities… (gui/identities.py)
    undo: QAction  # Edit → Undo: the latest edit of papers' notes (gui/paperedits.py)
    redo: QAction

    def of_store(self) -> list[QAction]:
        """The actions that read or write the store (gui/storeactions.py)."""
        return [self.import_files, self.import_folder, self.export, self.compare,
                self.identities]

    def follow_history(self, history: History) -> None:
        """Back and Forward are enabled when there is somewhere to go."""
        self.back.setEnabled(history.can_back())
        self.forward.setEnabled(history.can_forward())


def _action(menu: QMenu, text: str, name: str = "", keys: str = "") -> QAction:
    action = menu.addAction(text)
    if name:
        action.setObjectName(name)
    if keys:
        action.setShortcut(QKeySequence(keys))
    return action


def build(window: QMainWindow, toolbar: QToolBar, search_box: QWidget) -> Actions:
    """File, Edit, Go, Searches and Help, and Back, Forward and the search box on
    `toolbar`."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    import_files = _action(file_menu, "&Import pages…", "importAction", "Ctrl+I")
    import_folder = _action(file_menu, "Import a &folder of pages…", "importFolderAction")
    file_menu.addSeparator()
    export = _action(file_menu, "&Export view…", "exportAction", "Ctrl+E")
    export.setToolTip("The papers shown, in the order shown: BibTeX, CSV, Markdown or JSON")
    file_menu.addSeparator()
    quit_action = _action(file_menu, "&Quit", "quitAction", "Ctrl+Q")

    edit = bar.addMenu("&Edit")  # a text field keeps its own Ctrl+Z (gui/shortcuts.py)
    undo = _action(edit, "&Undo the latest edit of papers", "undoAction")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    redo = _action(edit, "&Redo", "redoAction")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])

    go = bar.addMenu("&Go")
    back = _action(go, "&Back", keys="Alt+Left")
    forward = _action(go, "&Forward", keys="Alt+Right")
    back.setToolTip("Back (Alt+Left)")
    forward.setToolTip("Forward (Alt+Right)")
    toolbar.addAction(back)
    toolbar.addAction(forward)
    toolbar.addWidget(search_box)
    go.addSeparator()
    focus = []
    for text, keys in (("&Search", ("Ctrl+F", "/")), ("&Author list", ("Ctrl+1",)),
                       ("&Paper table", ("Ctrl+2",)), ("&Detail pane", ("Ctrl+3",))):
        action = go.addAction(text)
        action.setShortcuts([QKeySequence(k) for k in keys])
        focus.append(action)
    escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)

    searches = bar.addMenu("&Searches")
    save_search = _action(searches, "&Save search…", "saveSearchAction")
    save_search.setShortcut(QKeySequence.StandardKey.Save)
    delete_search = searches.addAction("&Delete saved search")
    compare = QAction("&Compare selected profiles", window)
    compare.setObjectName("compareAction")
    compare.setShortcut(QKeySequence("Ctrl+K"))
    go.addSeparator()
    go.addAction(compare)
    identities = _action(go, "People's &identities…", "identitiesAction")

    help_menu = bar.addMenu("&Help")
    help_menu.addAction("&Keyboard shortcuts").triggered.connect(
        lambda: show_shortcuts(window))
    help_menu.addAction("Search &syntax").triggered.connect(lambda: show_search_syntax(window))
    help_menu.addSeparator()
    about = _action(help_menu, "&About PaperDesk", "aboutAction")
    about.triggered.connect(lambda: show_about(window))
    return Actions(import_files, import_folder, export, quit_action, back, forward,
                   focus[0], focus[1], focus[2], focus[3], escape, save_search,
                   delete_search, compare, about, file_menu, identities, undo, redo)


def paper_menu(parent: QWidget, has_paper: bool, copies: list[tuple[str, Slot]],
               annotations: Annotations) -> QMenu:
    """The table's context menu: the copy commands, then the annotation commands."""
    menu = QMenu(parent)
    menu.setObjectName("paperMenu")
    for text, slot in copies:
        action = menu.addAction(text)
        action.setEnabled(has_paper)
        action.triggered.connect(slot)
    menu.addSeparator()
    annotations.add_actions(menu, has_paper)
    return menu


def author_menu(parent: QWidget, compare: QAction, can_compare: bool,
                item: AuthorItem | None, delete_saved: Callable[[str], object],
                annotations: Annotations, suggest: Callable[[tuple[str, str]], object],
                corrections: Corrections) -> QMenu:
    """The author list's context menu: compare, delete a saved search, name the owner
    of a page that does not say whose it is, a person's notes and suggestions."""
    menu = QMenu(parent)
    menu.setObjectName("authorMenu")
    action = menu.addAction(compare.text())
    action.setEnabled(can_compare)
    action.triggered.connect(compare.trigger)
    if item is not None and item.kind == "saved":
        # the name's "&" is text, not a menu accelerator (`R&D` showed as `RD`)
        delete = menu.addAction(f"Delete saved search “{item.label.replace('&', '&&')}”")
        delete.triggered.connect(lambda: delete_saved(str(item.value)))
    if item is not None and item.kind == "profile" and item.page is not None:
        owner = menu.addAction("Name this page's owner…")
        owner.setEnabled(annotations.available)  # the name is kept in the user's data
        owner.triggered.connect(lambda: corrections.ask_owner(item))
    people.add_person_actions(menu, item, annotations.available,
                              annotations.edit_tags, annotations.edit_note, suggest,
                              lambda who: identifier.ask(parent, annotations, who))
    return menu


_COPIED = {"citation": ("the citation", "citations"), "title": ("the title", "titles"),
           "bibtex": ("a BibTeX entry", "BibTeX entries")}


def paper_text(paper: PaperRow, what: str, code: str | None) -> str:
    """The paper's "citation", "title" or "bibtex" entry, with its full category code
    `code` (None: the taxonomy's, an ambiguous code as the page has it)."""
    if what == "citation":
        return render.citation(paper, code)
    return paper.title if what == "title" else bibtex_entry(paper, code=code)


COPY_MOST = 10_000  # papers one Copy puts on the clipboard


def copy_papers(what: str, rids: Sequence[int], paper: PaperRow | None, pane: DetailPart,
                read_noted: ReadNoted, said: Callable[[str, int], object]) -> None:
    """Put on the clipboard the "citation", "title" or "bibtex" entry of each paper
    picked (`rids`, several: read on the reader thread), in their order, one a line
    (BibTeX: an entry each), else of `paper`, with its full category code as the
    `pane` reads it when it shows it; `said(what was copied, in words, ms)`."""
    if len(rids) < 2:
        if paper is not None:
            QGuiApplication.clipboard().setText(
                paper_text(paper, what, pane.category_code(paper)))
            said(f"Copied {_COPIED[what][0]}", 3000)
        return
    if len(rids) > COPY_MOST:  # Ctrl+A over a million rows: hundreds of MB on the clipboard
        said(f"{len(rids):,} papers are picked: Copy takes {COPY_MOST:,} at most;"
             " Export (Ctrl+E) writes any number to a file", 6000)
        return

    def copied(texts: list[str]) -> None:
        QGuiApplication.clipboard().setText("\n".join(texts))
        said(f"Copied {len(texts):,} {_COPIED[what][1]}", 3000)
    read_noted(lambda store, userdata: _texts(store, userdata, rids, what), copied)


def _texts(store: Store, userdata: UserData | None, rids: Sequence[int],
           what: str) -> list[str]:
    """On the reader thread: the papers' texts, each code read as an export reads it
    (the user's choice for the paper, else the listing profiles' reading). Read 1,000
    papers at a time: the rows of a pick of 100,000 are never all held at once."""
    codes = Readings(store, user_choices(userdata))
    texts = []
    for start in range(0, len(rids), 1000):
        chunk = rids[start:start + 1000]
        papers = store.papers(chunk)
        try:
            notes = userdata.papers([p.id for p in papers.values()]) if userdata else {}
        except UserDataError:
            notes = {}
        texts += [paper_text(papers[rid], what, codes.full_code(papers[rid], notes.get(
            papers[rid].id))) for rid in chunk if rid in papers]
    return texts


def _text_dialog(parent: QWidget, name: str, title: str, html: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    view = QTextBrowser()
    view.setObjectName(name + "Text")
    view.setOpenLinks(False)
    view.setHtml(html)
    layout.addWidget(view)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout.addWidget(buttons)
    screenfit.fit(dialog, 640, 520)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def show_shortcuts(parent: QWidget) -> QDialog:
    rows = "".join(f"<tr><td><b>{render.esc(k)}</b></td><td>{render.esc(v)}</td></tr>"
                   for k, v in SHORTCUTS)
    return _text_dialog(parent, "shortcutsDialog", "Keyboard shortcuts",
                        f'<table cellspacing="6">{rows}</table>')


def show_search_syntax(parent: QWidget) -> QDialog:
    dialog = _text_dialog(parent, "syntaxDialog", "Search syntax", syntax.html())
    screenfit.fit(dialog, 760, 560)
    return dialog


def show_about(parent: QWidget) -> QDialog:
    return _text_dialog(parent, "aboutDialog", "About PaperDesk", syntax.about_html())


def popup(menu: QMenu, pos: QPoint) -> None:
    """Show a context menu at `pos` (global) and let it go once closed."""
    menu.exec(pos)
    menu.deleteLater()
