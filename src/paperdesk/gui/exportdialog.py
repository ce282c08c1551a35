"""The Export view dialog: which file, in which format.

A known extension in the name decides the format; the name filter only supplies
the extension when the name has none. The dialog proposes a name (what is shown and
today's date) in the folder of the last export, else the user's documents folder.
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from paperdesk import latex
from paperdesk.gui.exporting import Format, View, described, formats
from paperdesk.gui.settings import settings

# a tag: a name, then attributes each with a value (`<b>`, `</i>`, `<a href="x">`), so
# that a comparison typed in a query (`a<b and c>d`) keeps its words
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*"
                  r"""(?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>"']+))*\s*/?>""")
NAME_CHARS = 80  # of a proposed name's words: a long search made a name no disk takes
# letters and digits, a hyphen or apostrophe inside a word kept: nothing else of a name
# typed or shown (markup, LaTeX, punctuation) reaches a file name
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def format_for(name_filter: str, path: Path) -> Format:
    """The format the file's extension names; else the one the filter names; else BibTeX."""
    available = formats()
    suffix = path.suffix.lower()
    for fmt in available:
        if suffix == fmt.suffix:
            return fmt
    return next((f for f in available if f.name_filter == name_filter), available[0])


def target(path: Path, name_filter: str) -> tuple[Path, Format]:
    """Where to write and how: a name without an extension gets the format's."""
    fmt = format_for(name_filter, path)
    return (path if path.suffix else path.with_name(path.name + fmt.suffix)), fmt


def plain_words(text: str) -> list[str]:
    """The words of `text` as read: tags and entities (`<b>graph</b>`, `&amp;`) and LaTeX
    commands (`\\emph{nets}`, `Schr\\"odinger`: `Schrödinger`) undone, punctuation and any
    character unsafe in a file name (`/`, `:`, `*`, a control character) left out."""
    return _PLAIN_WORD.findall(latex.to_text(_TAG.sub(" ", html.unescape(_TAG.sub(" ", text)))))


def proposed_name(what: str, suffix: str, today: datetime.date | None = None) -> str:
    """'Luo Ji 2026-05-01.bib': the plain words of what is shown and the date, safe as a
    file name."""
    stem = ""
    for word in plain_words(what):  # whole words, NAME_CHARS at most (the first cut)
        if stem and len(stem) + 1 + len(word) > NAME_CHARS:
            break
        stem = f"{stem} {word}" if stem else word[:NAME_CHARS]
    return f"{stem or 'Papers'} {(today or datetime.date.today()).isoformat()}{suffix}"


def export_folder() -> Path:
    """The folder of the last export if it is still there, else the documents folder."""
    last = str(settings().value("export/folder", "") or "")
    if last and Path(last).is_dir():
        return Path(last)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def last_format() -> Format:
    key = str(settings().value("export/format", "") or "")
    return next((f for f in formats() if f.key == key), formats()[0])


def remember(path: Path, fmt: Format) -> None:
    """The next dialog opens where this export went, in its format."""
    s = settings()
    s.setValue("export/folder", str(path.parent))
    s.setValue("export/format", fmt.key)
    s.sync()


def export_dialog(parent: QWidget, papers: list[int] | View, what: str) -> QFileDialog:
    """The save dialog of an export of `papers`, not yet open: its title says how many it
    writes; filters, a proposed name, the folder to start in."""
    dialog = QFileDialog(parent, f"Export {described(papers)}")
    dialog.setObjectName("exportFileDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilters([f.name_filter for f in formats()])
    fmt = last_format()
    dialog.selectNameFilter(fmt.name_filter)
    dialog.setDirectory(str(export_folder()))
    dialog.selectFile(proposed_name(what, fmt.suffix))
    dialog.filterSelected.connect(lambda name: _follow_filter(dialog, name))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


def save_dialog(parent: QWidget, title: str, name_filters: str, what: str,
                suffix: str) -> QFileDialog:
    """The save dialog of another file the app writes (a report, a list of reviewers),
    not yet open: a proposed name (`what`, the date, `suffix`) in the folder exports go
    to, rather than wherever the app was started; a name typed without an extension
    gets the chosen filter's."""
    dialog = QFileDialog(parent, title, str(export_folder()), name_filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix.lstrip("."))
    dialog.selectFile(proposed_name(what, suffix))
    # the filter chosen gives a name without an extension its own (HTML chosen, "cand"
    # was written as a PDF, cand.pdf: the first filter's extension)
    dialog.filterSelected.connect(lambda name: dialog.setDefaultSuffix(_extension(name)))
    return dialog


def _extension(name_filter: str) -> str:
    """The extension a name filter's first pattern gives: "HTML (*.html)" → "html"."""
    found = re.search(r"\*\.(\w+)", name_filter)
    return found.group(1) if found else ""


def _follow_filter(dialog: QFileDialog, name_filter: str) -> None:
    """Choosing a filter changes a known extension in the name to the filter's."""
    fmt = next((f for f in formats() if f.name_filter == name_filter), None)
    chosen = dialog.selectedFiles()
    if fmt is None or not chosen:
        return
    path = Path(chosen[0])
    if path.suffix.lower() in {f.suffix for f in formats()} and path.suffix.lower() != fmt.suffix:
        dialog.selectFile(path.with_suffix(fmt.suffix).name)
