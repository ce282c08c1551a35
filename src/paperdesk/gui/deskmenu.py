"""The Desk menu and its context-menu entries: reviewers, similar work, candidate reports.

Kept out of window.py: the window makes one `Desk` and calls `paper_actions` and
`profile_actions` from its context menus. Every answer is computed off the GUI
thread: the dialogs by a DeskRunner, the report by a Task (with Cancel) that opens
its own store and user-data connections. A result of a dialog (a paper, a researcher)
opens in the window when clicked (`open_link`). A written report is offered to be opened,
or its folder shown, by the desktop's own applications (`Desk.opener`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QTextBrowser

from paperdesk import report
from paperdesk.gui.detail import link_value, scope_link
from paperdesk.gui.exportdialog import save_dialog
from paperdesk.gui.history import Location
from paperdesk.gui.reviewersdialog import ReviewersDialog
from paperdesk.gui.similardialog import more_like_paper, more_like_profile
from paperdesk.gui.tasks import Task
from paperdesk.store import Store, StoreError, reading
from paperdesk.userdata import UserData, UserDataError

if TYPE_CHECKING:
    from paperdesk.gui.window import MainWindow


class Desk(QObject):
    """The chair's and the committee's actions for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: Task | None = None
        self.last_report: Path | None = None
        self.offer: QMessageBox | None = None  # "Open" the report written last
        # opens a file URL in the desktop's application for it (tests look instead)
        self.opener: Callable[[QUrl], bool] = QDesktopServices.openUrl
        bar = window.menuBar()
        menu = QMenu("&Desk", bar)
        menu.setObjectName("deskMenu")
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is None:
            bar.addMenu(menu)
        else:
            bar.insertMenu(help_menu, menu)  # before Help, where menus usually end
        self.reviewers_action = self._action(menu, "Find &reviewers…", self.find_reviewers,
                                             "Ctrl+Shift+R")
        self.similar_action = self._action(menu, "&More like this", self.more_like_this,
                                           "Ctrl+Shift+M")
        self.people_action = self._action(menu, "Similar re&searchers", self.similar_people)
        self.report_action = self._action(menu, "Candidate re&port…", self.choose_report)
        self.actions = [self.reviewers_action, self.similar_action, self.people_action,
                        self.report_action]  # each reads the store

    def _action(self, menu: QMenu, text: str, slot: object, keys: str = "") -> QAction:
        action = menu.addAction(text)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    def _shown(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 5000)

    def _opening(self, results: QTextBrowser) -> None:
        """A dialog's results open in the window when clicked (or Enter on a link)."""
        results.anchorClicked.connect(self.open_link)

    def open_link(self, url: QUrl) -> None:
        """A result: a paper opens in the table and the pane, a researcher (a profile, a
        person) as the scope; each is a place in the history, so Back returns."""
        if not self.window.store_open:
            return
        kind, value = url.host(), link_value(url)
        scope = scope_link(kind, value)
        if scope is not None:
            self.window.go(scope)
        elif kind == "paper" and value.isdigit():
            self.open_paper(int(value))

    def open_paper(self, rid: int) -> None:
        """Paper `rid` selected in the table, shown in the pane: in the view shown if
        its table holds it, else in All papers, without a query that would hide it
        (the status bar says the query went)."""
        window = self.window
        here, text = window.browse.here, window.search.text().strip()
        if window.paper_model.row_of(rid) >= 0:
            window.go(Location(here.kind, here.value, rid))
            return
        if text and here.kind != "saved":
            window.search.drop_query()
            self._say(f"Showing the paper in All papers: the search “{text}” was cleared")
        window.go(Location("all", None, rid))
        if here.kind == "all" and text:
            window.run_search()  # the same scope: the query cleared needs its own search

    def find_reviewers(self) -> ReviewersDialog | None:
        if not self.window.store_open:
            return None
        dialog = ReviewersDialog(self.window.db_path, self.window.current_paper, self.window,
                                 self.window.saved.queries())
        self._opening(dialog.results)
        self._shown(dialog)
        return dialog

    def more_like_this(self) -> QDialog | None:
        paper = self.window.current_paper()
        if not self.window.store_open or paper is None:
            self._say("Select a paper first: More like this finds papers on its topic")
            return None
        dialog = more_like_paper(self.window.db_path, paper.rid, paper.title, self.window)
        self._opening(dialog.results)
        return self._shown(dialog)

    def _profiles(self) -> list[tuple[int, str]]:
        """(id, name) of the selected profiles, as the author list shows them."""
        model = self.window.author_model
        items = (model.item(model.row_of("profile", pid))
                 for pid in self.window.selected_profiles())
        return [(int(str(i.value)), i.label) for i in items if i is not None]

    def similar_people(self) -> QDialog | None:
        chosen = self._profiles()
        if not self.window.store_open or not chosen:
            self._say("Select a profile first: Similar researchers finds people like them")
            return None
        dialog = more_like_profile(self.window.db_path, *chosen[0], self.window)
        self._opening(dialog.results)
        return self._shown(dialog)

    def paper_actions(self, menu: QMenu) -> QMenu:
        """The paper table's context menu, with More like this added."""
        menu.addSeparator()
        action = menu.addAction("&More like this")
        action.setEnabled(self.window.current_paper() is not None)
        action.triggered.connect(self.more_like_this)
        return menu

    def profile_actions(self, menu: QMenu) -> QMenu:
        """The author list's context menu, with similar researchers and the report added."""
        menu.addSeparator()
        has = bool(self._profiles())
        for text, slot in (("Similar re&searchers", self.similar_people),
                           ("Candidate re&port…", self.choose_report)):
            action = menu.addAction(text)
            action.setEnabled(has)
            action.triggered.connect(slot)
        return menu

    def choose_report(self) -> QFileDialog | None:
        chosen = self._profiles()
        if not self.window.store_open or not chosen:
            self._say("Select one or more profiles first: the report is of them")
            return None
        names = [name for _, name in chosen]
        who = ", ".join(names) if len(names) <= 3 else f"{len(names)} candidates"
        dialog = save_dialog(self.window, "Candidate report", "PDF (*.pdf);;HTML (*.html)",
                             f"{who} report", ".pdf")
        dialog.fileSelected.connect(lambda name: self.write_report([i for i, _ in chosen],
                                                                   Path(name)))
        dialog.open()
        return dialog

    def write_report(self, ids: list[int], path: Path) -> Task:
        """The report of profiles `ids` to `path` (PDF or HTML by its extension; another
        is refused, as `paperdesk report` refuses it), off the GUI thread, with its own
        connections."""
        db_path, notes = self.window.db_path, self.window.annotations.userdata_path

        def work(cancelled: object, _progress: object) -> Path:
            with reading(db_path, notes), Store(db_path) as store:  # damage: the store page
                user = UserData(notes) if notes is not None and notes.exists() else None
                try:
                    profiles = [p for p in (store.profile(i) for i in ids) if p is not None]
                    candidates = [report.candidate(store, p, user) for p in profiles]
                finally:
                    if user is not None:
                        user.close()
            if report.format_of(path, "name it so") == "html":
                report.write_html(candidates, path)
            else:
                report.write_pdf(candidates, path)
            return path

        self.task = Task(self.window, "Candidate report", "Writing the report…", work,
                         (OSError, ValueError, StoreError, UserDataError))
        self.task.finished.connect(self._reported)
        self.task.failed.connect(lambda message: self._say(f"No report: {message}"))
        return self.task.start()

    def _reported(self, path: Path) -> None:
        self.last_report = path
        self._say(f"Wrote {path}")
        if self.offer is not None:  # the offer of an earlier report goes
            self.offer.close()
        self.offer = self._offer_open(path)

    def _offer_open(self, path: Path) -> QMessageBox:
        """A box (not modal) offering to open the report or show its folder; file URLs
        made by Qt, so that any name opens (spaces, '#', accents)."""
        box = QMessageBox(QMessageBox.Icon.Information, "Candidate report",
                          f"Wrote the report {path.name}\nin {path.parent}",
                          QMessageBox.StandardButton.Close, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for text, target in (("&Open", path), ("Show in &folder", path.parent)):
            button = box.addButton(text, QMessageBox.ButtonRole.AcceptRole)
            button.clicked.connect(lambda _=False, target=target: self._open(target))
            if target == path:
                box.setDefaultButton(button)
        box.finished.connect(lambda _result: self._forget(box))
        box.open()
        return box

    def _forget(self, box: QMessageBox) -> None:
        if self.offer is box:
            self.offer = None

    def _open(self, target: Path) -> None:
        if not self.opener(QUrl.fromLocalFile(str(target))):
            self._say(f"No application here opens {target}")
