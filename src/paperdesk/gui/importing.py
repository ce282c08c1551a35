"""File → Import pages…, and pages dropped on the window.

The import runs on a Task (gui.tasks: its own thread, a progress dialog with
Cancel) through paperdesk.importer.import_pages, which does it all in one
transaction: a cancel rolls back and leaves the store exactly as it was. The
summary afterwards lists each page's change and every item skipped, with file
and line, as plain text the user can select and copy, its long lines wrapped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paperdesk import follow, importer
from paperdesk.gui import screenfit
from paperdesk.gui.tasks import Task
from paperdesk.identity import apply as identities
from paperdesk.importer import ImportReport, skipped
from paperdesk.store import StoreError

PAGE_SUFFIX = ".txt"


def dropped_paths(urls: Iterable[QUrl]) -> list[Path]:
    """The local page files (.txt) and folders among dropped URLs."""
    found = []
    for url in urls:
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir() or path.suffix.lower() == PAGE_SUFFIX:
            found.append(path)
    return found


@dataclass(frozen=True)
class Imported:
    """What an import did (`report`) and the new id of each paper the window knew
    (`import_task`'s `known`) whose title, so id, it changed (old id -> new id)."""

    report: ImportReport
    renamed: dict[str, str] = field(default_factory=dict)


def import_task(parent: QWidget, db_path: Path, paths: list[Path],
                known: Iterable[str] = ()) -> Task:
    """A started import of `paths` into the store at `db_path`; `known`: the ids of the
    papers the window remembers, followed through a change of their title (`Imported`)."""
    names = ", ".join(p.name for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    known = sorted(known)

    def work(cancelled, progress):  # type: ignore[no-untyped-def]
        follow.remember(db_path)  # annotations follow papers whose title the import changes
        anchored = follow.anchor(db_path, known)  # and so does the window
        report = importer.import_pages(db_path, paths, cancel=cancelled, progress=progress)
        if report.cancelled:
            return Imported(report)
        report.problems.extend(follow.reattach(db_path).problems())
        identities.reapply(db_path)  # the user's decisions about people
        return Imported(report, follow.renamed(db_path, anchored))

    return Task(parent, "Import pages", f"Importing {names}", work,
                expected=(OSError, ValueError, StoreError)).start()


def summary_text(report: ImportReport, db_path: Path) -> str:
    """The import summary as plain text: totals, each page's change, what was skipped."""
    if report.cancelled:
        return f"Import cancelled: the store is unchanged.\n{db_path}\n"
    lines = [f"{report.verb} into {db_path}", report.summary(), ""]
    imported = [p for p in report.pages if p.status in ("new", "changed", "unchanged")]
    lines.append(f"Pages ({len(imported)})")
    lines.extend(f"  {change}" for change in imported)
    if not imported:
        lines.append("  none")
    skipped_pages = report.skipped
    errors = report.errors
    warnings = [p for p in report.problems if p.severity != "error"]
    lines.append("")
    lines.append(f"Skipped ({skipped(report.skipped_pages, report.skipped_entries)})")
    for change in skipped_pages:
        lines.append(f"  {change.path}: page skipped")
    lines.extend(f"  {problem}" for problem in errors)
    if not skipped_pages and not errors:
        lines.append("  nothing")
    if warnings:
        lines.append("")
        lines.append(f"Warnings ({len(warnings)})")
        lines.extend(f"  {problem}" for problem in warnings)
    return "\n".join(lines) + "\n"


class ImportSummaryDialog(QDialog):
    """What an import did: read-only text to select and copy, and a Copy button."""

    def __init__(self, report: ImportReport, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setWindowTitle("Import finished — PaperDesk" if not report.cancelled
                            else "Import cancelled — PaperDesk")
        self.report = report
        layout = QVBoxLayout(self)
        headline = QLabel(report.summary())
        headline.setTextFormat(Qt.TextFormat.PlainText)
        headline.setWordWrap(True)
        headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit()
        self.text.setObjectName("importSummaryText")
        self.text.setReadOnly(True)
        # a long file:line message wraps, whole in view: no scrolling sideways to read it,
        # and a name without spaces breaks anywhere rather than running off
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.setPlainText(summary_text(report, db_path))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy")
        copy.setObjectName("copySummary")
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout.addWidget(headline)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        screenfit.fit(self, 720, 420)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
