"""File → Export view…: exactly the papers shown, in the order shown, parsed back."""

from __future__ import annotations

import csv
import datetime
import json
import re
import threading
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from paperdesk.gui import exporting
from paperdesk.gui.exportdialog import plain_words, proposed_name
from paperdesk.gui.history import Location
from paperdesk.gui.window import MainWindow
from paperdesk.store import PaperRow
from paperdesk.userdata import UserData
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    PROFILES,
    click_author,
    click_header,
    click_row,
    open_window,
    search_for,
    table_papers,
    wait_idle,
)

pytestmark = OFFSCREEN_NOISE


def _export(qtbot: QtBot, window: MainWindow, path: Path, name_filter: str) -> None:
    """Through the File menu's action and its file dialog, as a user would."""
    assert window.menu_actions.export in window.file_menu.actions()
    dialog = _open_dialog(window)
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert name_filter in dialog.nameFilters()
    dialog.selectNameFilter(name_filter)
    dialog.fileSelected.emit(str(path))  # what choosing the file does
    dialog.close()
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)


def _open_dialog(window: MainWindow) -> QFileDialog:
    window.menu_actions.export.trigger()
    shown = [d for d in window.findChildren(QFileDialog, "exportFileDialog") if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


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


def test_the_papers_picked_in_the_table_are_exported(qtbot: QtBot, seed_db: Path,
                                                     tmp_path: Path) -> None:
    """A tester could not export a hand-picked set: the table took one row at a time
    and the export wrote the whole view. Shift+click and Ctrl+click pick papers; the
    export says how many and writes those, in the table's order; one row picked again
    exports the view."""
    window = open_window(qtbot, seed_db)
    shown = _shown_in_title_order(qtbot, window)
    click_row(qtbot, window, 2)
    click_row(qtbot, window, 4, Qt.KeyboardModifier.ShiftModifier)  # rows 2, 3, 4
    click_row(qtbot, window, 9, Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, window, 3, Qt.KeyboardModifier.ControlModifier)  # 3 taken out
    assert window.current_rid == shown[3].rid  # the pane shows the row clicked last
    assert window.statusBar().currentMessage() == (
        "3 papers picked: S, R, 0-5, T, Ctrl+C and Export (Ctrl+E) act on all of them")
    dialog = _open_dialog(window)
    assert dialog.windowTitle() == "Export 3 papers"
    dialog.close()
    out = tmp_path / "picked.csv"
    _export(qtbot, window, out, "CSV (*.csv)")
    with out.open(encoding="utf-8", newline="") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == [shown[2].id, shown[4].id,
                                                             shown[9].id]
    assert "Exported 3 papers" in window.statusBar().currentMessage()
    click_row(qtbot, window, 5)  # a plain click: one row, the view again
    dialog = _open_dialog(window)
    assert dialog.windowTitle() == f"Export {PROFILES['Luo Ji']} papers"
    dialog.close()
    # Ctrl+A picks nothing out: every row is the view (with more matches than rows, an
    # export still writes every match); read as spans, not a million rows one by one
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(window.table.selectionModel().selectedRows()) == PROFILES["Luo Ji"]
    assert window.papers.picked_rids() == []
    assert _open_dialog(window).windowTitle() == f"Export {PROFILES['Luo Ji']} papers"


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
    window.transfers.export_view(out, "CSV (*.csv)")
    task = window.transfers.task
    assert task is not None
    qtbot.waitUntil(first.is_set)
    qtbot.mouseClick(task.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    go_on.set()
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("*all.csv*")) == []


def test_export_of_everything(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    wait_idle(qtbot, window)
    shown = [window.paper_model.rid_at(r) for r in range(window.paper_model.rowCount())]
    assert len(shown) == sum(PROFILES.values())
    task = window.transfers.export_view(tmp_path / "all.csv")  # format from the suffix
    assert task is not None
    qtbot.waitUntil(lambda: window.transfers.task is None, timeout=10_000)
    with (tmp_path / "all.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [p.id for p in table_papers(window)]


def test_a_known_extension_decides_the_format(qtbot: QtBot, seed_db: Path,
                                              tmp_path: Path) -> None:
    """view.csv with the BibTeX filter selected is CSV: the name the user typed wins."""
    window = open_window(qtbot, seed_db)
    shown = _shown_in_title_order(qtbot, window)
    out = tmp_path / "view.csv"
    _export(qtbot, window, out, "BibTeX (*.bib)")
    text = out.read_text(encoding="utf-8")
    assert "@misc{" not in text
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["id"] for r in rows] == [p.id for p in shown]
    assert not (tmp_path / "view.csv.bib").exists()


def test_the_filter_supplies_a_missing_extension(qtbot: QtBot, seed_db: Path,
                                                 tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    _shown_in_title_order(qtbot, window)
    _export(qtbot, window, tmp_path / "shortlist", "Markdown (*.md)")
    lines = (tmp_path / "shortlist.md").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("| Date | Title |") and len(lines) == 2 + 22


def test_the_dialog_proposes_a_name_in_documents_then_the_last_folder(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    today = datetime.date.today().isoformat()
    dialog = _open_dialog(window)
    assert dialog.windowTitle() == "Export 22 papers"
    assert Path(dialog.directory().absolutePath()) == home / "Documents"
    assert dialog.selectedFiles() == [str(home / "Documents" / f"Luo Ji {today}.bib")]
    # choosing another filter changes the proposed name's extension with it
    dialog.selectNameFilter("CSV (*.csv)")
    dialog.filterSelected.emit("CSV (*.csv)")
    assert dialog.selectedFiles() == [str(home / "Documents" / f"Luo Ji {today}.csv")]
    dialog.close()
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    _export(qtbot, window, elsewhere / "mine.csv", "CSV (*.csv)")
    window.go(Location())
    wait_idle(qtbot, window)
    dialog = _open_dialog(window)
    assert Path(dialog.directory().absolutePath()) == elsewhere
    assert dialog.selectedFiles() == [str(elsewhere / f"All papers {today}.csv")]
    assert dialog.selectedNameFilter() == "CSV (*.csv)"
    dialog.close()


def test_the_proposed_name_says_what_was_searched(qtbot: QtBot, seed_db: Path,
                                                 tmp_path: Path) -> None:
    """By hand: a search's papers were proposed as `All papers DATE.bib`, the name of
    every other export of the store; the name now holds the words searched, in the
    scope's name when it has one."""
    window = open_window(qtbot, seed_db)
    today = datetime.date.today().isoformat()
    search_for(qtbot, window, "language year:2024")
    dialog = _open_dialog(window)
    assert Path(dialog.selectedFiles()[0]).name == f"language year 2024 {today}.bib"
    dialog.close()
    click_author(qtbot, window, "profile", "Luo Ji")
    search_for(qtbot, window, "agent")
    dialog = _open_dialog(window)
    assert Path(dialog.selectedFiles()[0]).name == f"Luo Ji agent {today}.bib"
    dialog.close()
    click_author(qtbot, window, "review", "Needs review")  # the box holds is:doubtful
    dialog = _open_dialog(window)
    assert Path(dialog.selectedFiles()[0]).name == f"Needs review {today}.bib"
    dialog.close()


def test_export_of_an_empty_view_says_so_instead_of_writing_nothing(
        qtbot: QtBot, seed_db: Path) -> None:
    """By hand: a search that found nothing, Ctrl+E: the dialog offered to write
    "Export 0 papers" to a file; the status bar says why there is nothing to write."""
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "zzyzxq")
    assert window.paper_model.rowCount() == 0
    window.menu_actions.export.trigger()
    assert not [d for d in window.findChildren(QFileDialog, "exportFileDialog")
                if d.isVisible()]
    assert window.statusBar().currentMessage() == "Nothing to export: no papers are shown"
    search_for(qtbot, window, "socialcoach")
    dialog = _open_dialog(window)  # one paper shown: the dialog opens
    assert dialog.windowTitle() == "Export 1 paper"
    dialog.close()


def test_every_format_carries_the_users_notes(qtbot: QtBot, seed_db: Path,
                                              tmp_path: Path) -> None:
    userdata = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, userdata)
    search_for(qtbot, window, "qwen")
    qwen = next(p for p in table_papers(window) if p.title == "Qwen Technical Report")
    with UserData(userdata) as ud:
        ud.set_starred(qwen.id)
        ud.set_read_state(qwen.id, "reading")
        ud.set_rating(qwen.id, 4)
        ud.set_tags(qwen.id, ["shortlist", "llm"])
        ud.set_note(qwen.id, "Ask about the 100% claim;\nsecond line")
    for name, name_filter in (("v.json", "JSON (*.json)"), ("v.csv", "CSV (*.csv)"),
                              ("v.bib", "BibTeX (*.bib)"), ("v.md", "Markdown (*.md)")):
        _export(qtbot, window, tmp_path / name, name_filter)
    papers = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["papers"]
    mine = next(p for p in papers if p["id"] == qwen.id)
    assert (mine["starred"], mine["read_state"], mine["rating"], mine["tags"], mine["note"]) \
        == (True, "reading", 4, ["llm", "shortlist"], "Ask about the 100% claim;\nsecond line")
    other = next(p for p in papers if p["id"] != qwen.id)
    assert (other["starred"], other["read_state"], other["rating"], other["tags"],
            other["note"]) == (False, "unread", None, [], "")
    with (tmp_path / "v.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == qwen.id)
    assert (row["starred"], row["read_state"], row["rating"], row["tags"], row["note"]) == (
        "1", "reading", "4", "llm; shortlist", "Ask about the 100% claim;\nsecond line")
    library = bibtexparser.parse_string((tmp_path / "v.bib").read_text(encoding="utf-8"))
    entry = next(e for e in library.entries if "Qwen" in e.fields_dict["title"].value)
    fields = {k: v.value for k, v in entry.fields_dict.items()}
    assert fields["starred"] == "true" and fields["readstatus"] == "reading"
    assert fields["ranking"] == "rank4" and fields["tags"] == "llm, shortlist"
    assert fields["comment"] == "Ask about the 100\\% claim;\nsecond line"
    lines = (tmp_path / "v.md").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("| Starred | Read | Rating | Tags | Note |")
    line = next(ln for ln in lines if "Qwen Technical Report" in ln)
    assert line.endswith("| ★ | reading | ★★★★ | llm, shortlist | Ask about the 100% claim; "
                         "second line |")


def test_an_unknown_extension_keeps_the_name_and_the_filter_chooses(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    shown = _shown_in_title_order(qtbot, window)
    _export(qtbot, window, tmp_path / "shortlist.txt", "CSV (*.csv)")
    assert not (tmp_path / "shortlist.txt.csv").exists()
    with (tmp_path / "shortlist.txt").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [p.id for p in shown]


def test_a_table_that_lists_part_of_the_answer_exports_every_match(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table lists the first rows of a large answer only (here 10, as if the answer
    were huge); the export writes every match all the same, the listed ones first."""
    from paperdesk.gui import worker
    from paperdesk.store import Store

    monkeypatch.setattr(worker, "FIRST_PAGE", 5)
    monkeypatch.setattr(worker, "LISTED", 10)
    window = open_window(qtbot, seed_db)
    search_for(qtbot, window, "language")
    listed = table_papers(window)
    assert len(listed) == 10
    word = re.compile(r"\blanguage", re.IGNORECASE)  # the last word is a prefix
    with Store(seed_db) as store:
        expected = {p.id for p in store.iter_papers() if word.search(
            " ".join((p.title, p.authors, p.affiliations, p.abstract)))}
    assert len(expected) > 10
    out = tmp_path / "all.csv"
    _export(qtbot, window, out, "CSV (*.csv)")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = [r["id"] for r in csv.DictReader(handle)]
    assert rows[:10] == [p.id for p in listed]
    assert sorted(rows) == sorted(expected)
    assert f"Exported {len(expected)} papers" in window.statusBar().currentMessage()


@pytest.fixture(scope="module")
def _thousands_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of generated pages, 1,300 entries (1,258 papers): more than the table
    lists (gui.worker.LISTED, 1,000), as a search at scale finds."""
    import importlib
    import sys

    from paperdesk.store import build_store

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    pagegen = importlib.import_module("pagegen")
    folder = tmp_path_factory.mktemp("thousands")
    pagegen.generate_corpus(folder / "pages", 1_300, seed=7)
    db = folder / "store.db"
    assert build_store([folder / "pages"], db).complete
    return db


@pytest.mark.parametrize(("cap", "status", "title"), [
    (None, "1,230 papers (showing the first 1,000)", "Export 1,230 papers"),
    (1_100, "more than 1,100 papers (showing the first 1,000)",
     "Export every paper the search finds (at least 1,100)")])
def test_the_export_dialog_says_what_it_writes_not_what_is_listed(
        qtbot: QtBot, _thousands_store: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, cap: int | None, status: str, title: str) -> None:
    """A tester's search said "1,108 papers (showing the first 1,000)"; Ctrl+E opened
    "Export 1,000 papers" and wrote 1,108. The dialog says what is written: every
    match, or when the count is a floor ("more than N"), every paper the search finds
    and the floor; and the export writes every match then too, not the rows listed."""
    from paperdesk.search import plans

    if cap is not None:  # as at a million papers: counting stops at the cap
        monkeypatch.setattr(plans, "COUNT_CAP", cap)
        # and not at its time budget (20 ms): on a loaded machine finding the rows
        # alone took 38 ms, and the count then gave up at "more than 1,000"
        monkeypatch.setattr(plans, "COUNT_BUDGET_S", 60.0)
    db = tmp_path / "store.db"
    db.write_bytes(_thousands_store.read_bytes())
    window = open_window(qtbot, db)
    search_for(qtbot, window, "for")
    assert window.status_label.text().startswith(status)
    assert window.paper_model.rowCount() == 1_000
    dialog = _open_dialog(window)
    assert dialog.windowTitle() == title
    dialog.close()
    out = tmp_path / "all.csv"
    _export(qtbot, window, out, "CSV (*.csv)")
    with out.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 1_230
    assert "Exported 1,230 papers" in window.statusBar().currentMessage()


def test_a_proposed_name_keeps_a_comparisons_words_and_fits_a_disk() -> None:
    """Only tags are markup: `a<b and c>d` (a search's comparison) lost `b and c`. A
    long search made a name of 614 bytes, which no disk takes ("File name too long")."""
    assert plain_words("a<b and c>d") == ["a", "b", "and", "c", "d"]
    assert plain_words('<b>graph</b> <a href="x">neural</a> <span style=\'c\'>net</span>') \
        == ["graph", "neural", "net"]
    day = datetime.date(2026, 5, 1)
    # 13 words of 5 letters and their spaces are 77 characters; a 14th would be 83
    assert proposed_name("graph " * 100, ".bib", day) == " ".join(["graph"] * 13) + \
        " 2026-05-01.bib"
    assert proposed_name("x" * 300, ".csv", day) == "x" * 80 + " 2026-05-01.csv"
    assert proposed_name("<b></b>", ".bib", day) == "Papers 2026-05-01.bib"
