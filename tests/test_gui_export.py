"""File → Export view…: exactly the papers shown, in the order shown, parsed back."""

from __future__ import annotations

import csv
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from paperdesk.gui import exporting
from paperdesk.gui.window import MainWindow
from paperdesk.store import PaperRow
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    click_author,
    click_header,
    open_window,
    search_for,
    table_papers,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE


def _export(qtbot: QtBot, window: MainWindow, path: Path, name_filter: str) -> None:
    """Through the File menu's action and its file dialog, as a user would."""
    assert window.export_action in window.file_menu.actions()
    window.export_action.trigger()
    dialog = window.findChild(QFileDialog, "exportFileDialog")
    assert dialog is not None
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert name_filter in dialog.nameFilters()
    dialog.selectNameFilter(name_filter)
    dialog.fileSelected.emit(str(path))  # what choosing the file does
    dialog.close()
    qtbot.waitUntil(lambda: window.task is None, timeout=10_000)


def _shown_in_title_order(qtbot: QtBot, window: MainWindow) -> list[PaperRow]:
    click_author(qtbot, window, "profile", "Luo Ji")
    click_header(qtbot, window, 1)  # Title
    shown = table_papers(window)
    assert len(shown) == PROFILES["Luo Ji"]
    titles = [p.title.casefold() for p in shown]
    assert titles in (sorted(titles), sorted(titles, reverse=True))
    return shown


def test_csv_export_is_the_view_in_order(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    shown = _shown_in_title_order(qtbot, window)
    out = tmp_path / "view.csv"
    _export(qtbot, window, out, "CSV (*.csv)")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [p.id for p in shown]
    assert [r["title"] for r in rows] == [p.title for p in shown]
    assert "Exported 22 papers" in window.statusBar().currentMessage()


def test_json_export(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "qwen")  # five papers (see the window tests)
    shown = table_papers(window)
    assert len(shown) == 5
    out = tmp_path / "view"  # no suffix: the format's is added
    _export(qtbot, window, out, "JSON (*.json)")
    data = json.loads((tmp_path / "view.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["papers"]] == [p.id for p in shown]
    assert {p["title"] for p in data["papers"]} >= {"Qwen Technical Report"}


def test_bibtex_export(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    shown = _shown_in_title_order(qtbot, window)
    out = tmp_path / "view.bib"
    _export(qtbot, window, out, "BibTeX (*.bib)")
    text = out.read_text(encoding="utf-8")
    assert text.count("@misc{") == len(shown) == 22
    titles = re.findall(r"^  title = \{\{(.*)\}\},$", text, re.MULTILINE)
    assert len(titles) == 22
    assert titles[0].replace("\\", "") == shown[0].title.replace("\\", "")


def test_markdown_export(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    shown = _shown_in_title_order(qtbot, window)
    out = tmp_path / "view.md"
    _export(qtbot, window, out, "Markdown (*.md)")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("| Date | Title |")
    body = lines[2:]
    assert len(body) == 22
    assert [line.split(" | ")[1].replace("\\|", "|") for line in body] == [
        p.title for p in shown]


def test_cancelled_export_writes_nothing(qtbot: QtBot, seed_db: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exporting, "CHUNK", 10)  # 129 papers: 13 steps
    real = exporting.write_view
    first = threading.Event()
    go_on = threading.Event()

    def paused(*args: Any, **kwargs: Any) -> Any:
        db, rids, fmt, path, cancelled, progress = args

        def hold(done: int, total: int) -> None:
            progress(done, total)
            first.set()
            go_on.wait(10)
        return real(db, rids, fmt, path, cancelled, hold)

    monkeypatch.setattr(exporting, "write_view", paused)
    window = open_window(qtbot, seed_db)
    out = tmp_path / "all.csv"
    window.export_view(out, "CSV (*.csv)")
    task = window.task
    assert task is not None
    qtbot.waitUntil(first.is_set)
    qtbot.mouseClick(task.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    go_on.set()
    qtbot.waitUntil(lambda: window.task is None, timeout=10_000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("*all.csv*")) == []


def test_export_of_everything(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    wait_idle(qtbot, window)
    shown = [window.paper_model.rid_at(r) for r in range(window.paper_model.rowCount())]
    assert len(shown) == sum(PROFILES.values())
    task = window.export_view(tmp_path / "all.csv")  # format from the suffix
    assert task is not None
    qtbot.waitUntil(lambda: window.task is None, timeout=10_000)
    with (tmp_path / "all.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [p.id for p in table_papers(window)]
