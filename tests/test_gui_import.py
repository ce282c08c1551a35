"""Import in the app: File menu, drag and drop, progress and cancel, the summary."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from paperdesk import importer
from paperdesk.gui.window import MainWindow
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    click_author,
    open_window,
    table_titles,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE
SEED_000 = "000_77b9e73dc2a3999b.txt"
NEW_TITLE = "Quorvian Parsing for Qwen-Glued Page Formats"
# A new page: one good entry, and one with a date that does not exist (line 19).
NEW_PAGE = f"""Ada Quorvian

CL
h-index3
2papers
12citations
Novelty70%
AI Score41

2 Papers

CLJun 5, 2024
{NEW_TITLE}

Ada Quorvian, Ziru Liu

Parsing pages whose lines run together.

CLJun 31, 2024
A Paper Dated the Thirty-First of June

Ada Quorvian

Never imported: June has thirty days.
"""
BAD_LINE = 19


def _edited_000(seeds: Path, folder: Path) -> Path:
    """Seed 000 (Ziru Liu) with the header's h-index changed by hand: 18 → 20."""
    text = (seeds / SEED_000).read_text(encoding="utf-8")
    assert "h-index18\n" in text
    path = folder / SEED_000
    path.write_text(text.replace("h-index18\n", "h-index20\n"), encoding="utf-8")
    return path


@pytest.fixture
def pages(tmp_path: Path, seeds: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    _edited_000(seeds, folder)
    (folder / "005_new.txt").write_text(NEW_PAGE, encoding="utf-8")
    (folder / "006_empty.txt").write_bytes(b"")
    assert NEW_PAGE.splitlines()[BAD_LINE - 1] == "CLJun 31, 2024"
    return folder


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def wait_task(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)
    wait_idle(qtbot, window)


def test_import_shows_progress_then_a_summary(qtbot: QtBot, seed_db: Path, pages: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Ziru Liu")
    old_reader = window.stores.reader
    task = window.transfers.import_paths([pages])
    assert task is not None and task.dialog.isVisible()
    assert task.dialog.labelText().startswith("Importing pages")
    wait_task(qtbot, window)
    assert task.done
    summary = window.transfers.import_summary
    assert summary is not None
    qtbot.waitUntil(summary.isVisible)
    text = summary.text.toPlainText()
    assert summary.text.isReadOnly()
    # the edited header, as the importer words it
    assert f"{SEED_000}: changed: h-index 18 → 20" in text
    assert "005_new.txt: new page: 1 new paper" in text
    # every skipped item with file and line
    assert f"005_new.txt:{BAD_LINE}: error:" in text
    assert "006_empty.txt: error: empty file" in text
    assert ("1 new page, 1 changed, 0 unchanged; 1 paper added, 0 removed; "
            "skipped 1 page, 1 entry") in text
    qtbot.mouseClick(summary.findChild(QPushButton, "copySummary"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text
    # the window reopened its connections and shows the new store
    assert window.stores.reader is not old_reader and window.store_open
    assert window.scope is not None and window.scope.kind == "profile"
    assert "h-index" in window.detail.toPlainText()
    assert "20" in window.detail.toPlainText().split("h-index", 1)[1][:12]
    texts = [window.author_model.index(r).data() for r in range(window.author_model.rowCount())]
    assert "Ada Quorvian (1 · 1 named)" in texts  # listed on her page, named on one paper
    assert texts[0] == f"All papers ({sum(PROFILES.values()) + 1})"
    click_author(qtbot, window, "profile", "Ada Quorvian")
    assert table_titles(window) == [NEW_TITLE]
    summary.close()


def test_file_menu_import_actions(qtbot: QtBot, seed_db: Path, pages: Path) -> None:
    window = open_window(qtbot, seed_db)
    assert window.menu_actions.import_files in window.file_menu.actions()
    window.menu_actions.import_files.trigger()
    dialog = window.findChild(QFileDialog, "importFileDialog")
    assert dialog is not None
    assert dialog.fileMode() == QFileDialog.FileMode.ExistingFiles
    dialog.filesSelected.emit([str(pages / SEED_000)])  # what choosing the file does
    dialog.close()
    wait_task(qtbot, window)
    assert window.transfers.import_summary is not None
    summary = window.transfers.import_summary
    assert f"{SEED_000}: changed: h-index 18 → 20" in summary.text.toPlainText()
    window.transfers.import_summary.close()
    # the folder variant
    window.menu_actions.import_folder.trigger()
    dialog = window.findChild(QFileDialog, "importFileDialog")
    assert dialog.fileMode() == QFileDialog.FileMode.Directory
    dialog.filesSelected.emit([str(pages)])
    dialog.close()
    wait_task(qtbot, window)
    text = window.transfers.import_summary.text.toPlainText()
    assert f"{SEED_000}: unchanged" in text and "005_new.txt: new page" in text


def test_cancel_leaves_the_store_as_it_was(qtbot: QtBot, seed_db: Path, pages: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    real = importer.import_pages
    first_page_done = threading.Event()
    go_on = threading.Event()

    def paused(db: Path, paths: Any, **kwargs: Any) -> Any:
        progress = kwargs.pop("progress")

        def hold(done: int, total: int) -> None:
            progress(done, total)
            if done == 1:  # the first page is in the transaction: wait for the user
                first_page_done.set()
                go_on.wait(10)
        return real(db, paths, progress=hold, **kwargs)

    monkeypatch.setattr(importer, "import_pages", paused)
    window = open_window(qtbot, seed_db)
    before_rows = table_titles(window)
    before = dump(seed_db)
    task = window.transfers.import_paths([pages])
    assert task is not None
    qtbot.waitUntil(first_page_done.is_set)
    qtbot.waitUntil(lambda: task.dialog.value() == 1 and task.dialog.maximum() == 3)
    cancel = task.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert task.cancel_requested
    go_on.set()
    wait_task(qtbot, window)
    assert window.transfers.import_summary is None
    assert "cancelled" in window.statusBar().currentMessage()
    assert dump(seed_db) == before
    assert table_titles(window) == before_rows
    click_author(qtbot, window, "profile", "Ziru Liu")
    assert "18" in window.detail.toPlainText().split("h-index", 1)[1][:12]


def _drop(window: MainWindow, paths: list[Path]) -> tuple[bool, bool]:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_page_imports_it(qtbot: QtBot, seed_db: Path, pages: Path,
                                    tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    assert window.acceptDrops()
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    assert _drop(window, [other]) == (False, False)  # not a page: refused
    assert window.transfers.task is None
    assert _drop(window, [pages / SEED_000]) == (True, True)
    qtbot.waitUntil(lambda: window.transfers.import_summary is not None, timeout=10_000)
    wait_task(qtbot, window)
    summary = window.transfers.import_summary
    assert f"{SEED_000}: changed: h-index 18 → 20" in summary.text.toPlainText()


def test_dropping_a_folder_imports_its_pages(qtbot: QtBot, seed_db: Path, pages: Path) -> None:
    window = open_window(qtbot, seed_db)
    assert _drop(window, [pages]) == (True, True)
    qtbot.waitUntil(lambda: window.transfers.import_summary is not None, timeout=10_000)
    assert "005_new.txt: new page" in window.transfers.import_summary.text.toPlainText()


def test_a_locked_store_says_so_and_stays(qtbot: QtBot, seed_db: Path, pages: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BUSY_TIMEOUT", 0.1)
    window = open_window(qtbot, seed_db)
    before = dump(seed_db)
    other = sqlite3.connect(seed_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        window.transfers.import_paths([pages])
        wait_task(qtbot, window)
    finally:
        other.execute("ROLLBACK")
        other.close()
    box = window.findChild(QMessageBox, "importError")
    assert box is not None and "the store is unchanged" in box.text()
    box.close()
    assert dump(seed_db) == before


def test_seed_folder_copy_is_all_unchanged(qtbot: QtBot, seed_db: Path, seeds: Path,
                                           tmp_path: Path) -> None:
    folder = tmp_path / "same"
    shutil.copytree(seeds, folder)
    window = open_window(qtbot, seed_db)
    window.transfers.import_paths([folder])
    wait_task(qtbot, window)
    text = window.transfers.import_summary.text.toPlainText()
    assert "0 new pages, 0 changed, 5 unchanged; " in text
    assert "Skipped (0 pages, 0 entries)\n  nothing" in text


def test_the_summary_counts_pages_and_entries_one_way_and_wraps_long_lines(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """A tester's summary said "0 skipped" in its first line, then "Skipped (0 pages,
    1 entry)"; its long error lines ran off to the right behind a scroll bar. Both lines
    say pages and entries alike; every line wraps within the dialog, a file:line error
    whole in it."""
    page = tmp_path / ("005 the profile page of Ada Quorvian as saved from the site by a "
                       "committee member who names files at length.txt")
    page.write_text(NEW_PAGE, encoding="utf-8")
    window = open_window(qtbot, seed_db)
    window.transfers.import_paths([page])
    wait_task(qtbot, window)
    summary = window.transfers.import_summary
    assert summary is not None
    qtbot.waitUntil(summary.isVisible)
    headline = summary.findChild(QLabel)
    assert headline.text() == ("1 new page, 0 changed, 0 unchanged; 1 paper added, 0 removed; "
                               "skipped 0 pages, 1 entry")
    text = summary.text.toPlainText()
    assert headline.text() in text and "\nSkipped (0 pages, 1 entry)\n" in text
    error = next(line for line in text.splitlines() if f"{page.name}:{BAD_LINE}: error:" in line)
    box = summary.text
    assert box.fontMetrics().horizontalAdvance(error) > box.viewport().width()  # too long
    assert box.horizontalScrollBar().maximum() == 0
    block = box.document().findBlock(text.index(error))
    assert block.text() == error and block.layout().lineCount() > 1  # wrapped, all there
    summary.close()


def test_a_page_with_stray_control_bytes_is_imported_and_binary_files_are_refused(
        qtbot: QtBot, tmp_path: Path, seeds: Path) -> None:
    """A page holding one NUL was refused whole ("binary file, not a text page"), its 14
    papers lost. Its papers come in, its NULs warned of by file and line; a real
    binary file named .txt (a PNG, a PDF, a zip, a gzip) is still refused."""
    from PySide6.QtCore import QBuffer
    from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter

    from paperdesk.store import build_store
    from tests.test_bad_input import archives_of, with_stray_bytes

    others = tmp_path / "others"
    others.mkdir()
    for page in sorted(seeds.glob("*.txt"))[1:]:  # all but 000, Ziru Liu's
        shutil.copy(page, others / page.name)
    db = tmp_path / "store.db"
    assert build_store([others], db).complete
    folder = tmp_path / "pages"
    folder.mkdir()
    page = with_stray_bytes(SEED_000)
    (folder / "ziru.txt").write_bytes(page)
    for name, data in archives_of(page).items():
        (folder / name).write_bytes(data)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    buffer = QBuffer()
    assert buffer.open(QBuffer.OpenModeFlag.WriteOnly) and image.save(buffer, "PNG")
    (folder / "photo.txt").write_bytes(bytes(buffer.data()))
    pdf = QPdfWriter(str(folder / "paper.txt"))
    painter = QPainter(pdf)
    painter.drawText(100, 100, "Multi-Task Recommendations with Reinforcement Learning")
    painter.end()
    window = open_window(qtbot, db)
    window.transfers.import_paths([folder])
    wait_task(qtbot, window)
    summary = window.transfers.import_summary
    assert summary is not None
    text = summary.text.toPlainText()
    assert "1 new page, 0 changed, 0 unchanged; " in text
    assert "skipped 4 pages, 0 entries" in text
    for name in ("page.gz.txt", "paper.txt", "photo.txt", "stored.zip.txt"):
        assert f"  {name}: error: binary file, not a text page\n" in text
    assert "  ziru.txt: new page: 14 new papers" in text
    assert text.endswith("Warnings (2)\n"
                         "  ziru.txt:13: warning: 1 NUL byte removed\n"
                         "  ziru.txt:20: warning: 2 NUL bytes removed\n")
    summary.close()
    click_author(qtbot, window, "profile", "Ziru Liu")
    titles = table_titles(window)
    assert len(titles) == 14
    assert "Multi-Task Recommendations with Reinforcement Learning" in titles


def test_an_import_that_reads_no_page_says_nothing_was_imported(
        qtbot: QtBot, seed_db: Path, pages: Path, tmp_path: Path) -> None:
    """A tester imported an empty file, then a binary one: each error was right, but
    the window said "Imported into …" and "Imported: 0 new pages … skipped 1 page"."""
    window = open_window(qtbot, seed_db)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    window.transfers.import_paths([empty])
    qtbot.waitUntil(lambda: window.transfers.import_summary is not None, timeout=10_000)
    wait_task(qtbot, window)
    text = window.transfers.import_summary.text.toPlainText()
    assert text.startswith(f"Nothing imported into {seed_db}\n")
    assert f"{empty.name}: error: empty file" in text
    assert window.statusBar().currentMessage().startswith("Nothing imported: 0 new pages")
    window.transfers.import_summary.close()
    qtbot.waitUntil(lambda: window.transfers.import_summary is None)
    window.transfers.import_paths([pages / SEED_000])  # one page read: imported
    qtbot.waitUntil(lambda: window.transfers.import_summary is not None, timeout=10_000)
    wait_task(qtbot, window)
    assert window.transfers.import_summary.text.toPlainText().startswith(
        f"Imported into {seed_db}\n")
