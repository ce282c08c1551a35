"""Import and export from the window: file dialogs, dropped files, the task under way.

One import or export runs at a time (`task`), off the GUI thread (gui/tasks.py),
with its progress dialog. The part asks the window what it needs through the
`TransferHost` callables given to it, and tells it with signals: `imported()` (the
store file changed: open it afresh; the papers the window knows whose title, so id,
the import changed are told first, `TransferHost.renamed`), `status(text)`,
`interrupted()` (cancelled or failed: show the last answer's status again),
`message(text, ms)`, `taskEnded()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from paperdesk.gui import exportdialog
from paperdesk.gui.exporting import View, export_task
from paperdesk.gui.importing import Imported, ImportSummaryDialog, dropped_paths, import_task
from paperdesk.gui.tasks import Task


@dataclass(frozen=True)
class TransferHost:
    """What the transfers ask of the window."""

    store_open: Callable[[], bool]
    notes_path: Callable[[], Path | None]  # the notes an export may read (None: none)
    exported: Callable[[], list[int] | View]  # the papers shown, or the search itself
    export_label: Callable[[], str]  # what an export is named after
    papers_known: Callable[[], set[str]]  # the ids of the papers shown and in the history
    renamed: Callable[[str, str], None]  # an import changed paper `old`'s id to `new`


class Transfers(QObject):
    """File ▸ Import and Export, and dropped files; see the module docstring."""

    imported = Signal()
    interrupted = Signal()
    message = Signal(str, int)
    taskEnded = Signal()
    status = Signal(str)  # the status bar's line while an import runs

    def __init__(self, window: QWidget, db_path: Path, host: TransferHost) -> None:
        super().__init__(window)
        self._window = window
        self._db_path = db_path
        self._host = host
        self.task: Task | None = None  # the import or export under way
        self.import_summary: ImportSummaryDialog | None = None

    def _file_dialog(self, title: str, mode: QFileDialog.FileMode) -> QFileDialog:
        dialog = QFileDialog(self._window, title)
        dialog.setObjectName("importFileDialog")
        dialog.setFileMode(mode)
        if mode == QFileDialog.FileMode.ExistingFiles:
            dialog.setNameFilters(["Profile pages (*.txt)", "All files (*)"])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda files: self.import_paths([Path(f) for f in files]))
        dialog.open()
        return dialog

    def choose_import_files(self) -> QFileDialog:
        """File → Import pages…: pick page files."""
        return self._file_dialog("Import pages", QFileDialog.FileMode.ExistingFiles)

    def choose_import_folder(self) -> QFileDialog:
        """File → Import a folder of pages…: every page in a folder."""
        return self._file_dialog("Import a folder of pages", QFileDialog.FileMode.Directory)

    def _can_start(self) -> bool:
        if self.task is not None:
            self.message.emit("Wait for the running import or export to finish", 4000)
            return False
        return True

    def import_paths(self, paths: list[Path]) -> Task | None:
        """Import page files or folders into the store, in the background."""
        if not paths or not self._can_start():
            return None
        if not self._host.store_open():
            self.message.emit("No store to import into: build one first", 4000)
            return None
        task = import_task(self._window, self._db_path, paths, self._host.papers_known())
        task.finished.connect(self._import_finished)
        task.failed.connect(lambda message: self._failed("Import failed", "importError",
                                                         message))
        self.task = task
        self.status.emit("Importing…")
        return task

    def accept_drops(self) -> None:
        """Page files and folders dropped on the window are imported."""
        self._window.setAcceptDrops(True)
        self._window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is not self._window or kind not in (
                QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDropEvent)  # a QDragEnterEvent and QDragMoveEvent too
        mime = event.mimeData()
        paths = dropped_paths(mime.urls()) if mime.hasUrls() else []
        if not paths:
            event.ignore()
            return True
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            # after the drop returns: the drag source may wait on us
            QTimer.singleShot(0, lambda: self.import_paths(paths))
        return True

    def _end_task(self) -> None:
        if self.task is not None:
            self.task.deleteLater()
        self.task = None
        self.taskEnded.emit()

    def _import_finished(self, imported: Imported) -> None:
        self._end_task()
        report = imported.report
        if report.cancelled:
            self.message.emit("Import cancelled: the store is unchanged", 6000)
            self.interrupted.emit()
            return
        for old, new in imported.renamed.items():  # the window follows them
            self._host.renamed(old, new)
        self.imported.emit()  # the file changed under the read connections: start afresh
        self.message.emit(f"{report.verb}: {report.summary()}", 8000)
        dialog = ImportSummaryDialog(report, self._db_path, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "import_summary", None))
        self.import_summary = dialog
        dialog.show()

    def _failed(self, title: str, name: str, message: str, import_: bool = True) -> None:
        self._end_task()
        if import_:
            self.interrupted.emit()
        box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                          QMessageBox.StandardButton.Ok, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName(name)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def choose_export_file(self) -> QFileDialog | None:
        """File → Export view…: where and in which format (see gui.exportdialog)."""
        if not self._host.store_open():
            return None
        papers = self._host.exported()
        if papers == []:  # a file of no papers: what the user meant was another view
            self.message.emit("Nothing to export: no papers are shown", 6000)
            return None
        dialog = exportdialog.export_dialog(self._window, papers, self._host.export_label())
        dialog.fileSelected.connect(
            lambda file: self.export_view(Path(file), dialog.selectedNameFilter()))
        dialog.open()
        return dialog

    def export_view(self, path: Path, name_filter: str = "") -> Task | None:
        """Write the papers shown, in the order shown, to `path`, in the background: its
        known extension decides the format, else the filter chosen (which adds it)."""
        if not self._can_start() or not self._host.store_open():
            return None
        path, fmt = exportdialog.target(path, name_filter)
        exportdialog.remember(path, fmt)
        task = export_task(self._window, self._db_path, self._host.exported(), fmt, path,
                           self._host.notes_path())
        task.finished.connect(self._export_finished)
        task.failed.connect(lambda message: self._failed("Export failed", "exportError",
                                                         message, import_=False))
        self.task = task
        return task

    def _export_finished(self, result: tuple[int, Path] | None) -> None:
        self._end_task()
        if result is None:
            self.message.emit("Export cancelled: no file written", 6000)
        else:
            count, path = result
            self.message.emit(
                f"Exported {count:,} paper{'s' if count != 1 else ''} to {path}", 8000)

