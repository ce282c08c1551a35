"""Go → People's identities…, in the real window: each decision and its undo (Ctrl+Z).

Expected values by hand from the seeds: `Qi Qin` (2 papers) and `Qin Qi` (1), both
co-authors of Luo Ji; `Hou Peng` and `Peng Hou` (1 each) on Anxiang Zeng's page.
Split: two hand-written pages give `Wei Zhang` two groups of papers, in IR with one
circle and in CV with another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from paperdesk.gui.identifier import IdentifierDialog
from paperdesk.gui.identities import IdentitiesDialog
from paperdesk.gui.insights import CompareDialog
from paperdesk.gui.models import ITEM_ROLE
from paperdesk.gui.window import MainWindow
from paperdesk.identity import decisions, evidence
from paperdesk.store import Store, build_store
from paperdesk.userdata import UserData
from tests.test_gui_insights import _ctrl_click
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    author_row,
    click_author,
    open_window,
    trace_gui_sql,
    wait_idle,
)
from tests.test_identities import _page, _tskhakaya_pages

pytestmark = OFFSCREEN_NOISE


def _people(window: MainWindow) -> list[str]:
    """The author list's person rows as shown (name and count)."""
    model = window.author_model
    return [model.index(row).data() for row in range(model.rowCount())
            if getattr(model.index(row).data(ITEM_ROLE), "kind", "") == "person"]


def _open(qtbot: QtBot, window: MainWindow) -> IdentitiesDialog:
    window.menu_actions.identities.trigger()
    dialog = window.findChild(IdentitiesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.list.count() > 0 or dialog.task is None, timeout=20000)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    return dialog


def _rows(dialog: IdentitiesDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def _act(qtbot: QtBot, window: MainWindow, dialog: IdentitiesDialog, button: str) -> None:
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        qtbot.mouseClick(dialog.buttons[button], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def _undo(qtbot: QtBot, window: MainWindow, dialog: IdentitiesDialog) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)


def _select(dialog: IdentitiesDialog, text: str) -> None:
    dialog.list.setCurrentRow(next(i for i, t in enumerate(_rows(dialog)) if text in t))


def test_merge_reject_rename_and_undo_in_the_window(qtbot: QtBot, seed_db: Path,
                                                     tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    assert "Qi Qin (2)" in _people(window)
    assert "Qin Qi (1)" in _people(window)
    dialog = _open(qtbot, window)
    assert _rows(dialog) == ["Qi Qin = Qin Qi?  (family name first)",
                             "Hou Peng = Peng Hou?  (family name first)"]
    _select(dialog, "Qi Qin")
    evidence = dialog.evidence.toPlainText()
    assert "shared co-authors: Luo Ji" in evidence
    assert "on the same profile page: 002_9c04bb96c17275a3.txt" in evidence
    # merge: the author list shows one person with both names' papers
    _act(qtbot, window, dialog, "merge")
    assert "Qi Qin (3)" in _people(window)
    assert not any(t.startswith("Qin Qi") for t in _people(window))
    assert _rows(dialog) == ["Hou Peng = Peng Hou?  (family name first)"]
    assert dialog.history.item(0).text() == "merge Qin Qi with Qi Qin"  # names, not keys
    assert dialog.status.text() == "Done: merge Qin Qi with Qi Qin"  # was "qin qi into qi qin"
    assert dialog.buttons["undo"].isEnabled()
    # reject: never suggested again
    _select(dialog, "Hou Peng")
    _act(qtbot, window, dialog, "reject")
    assert _rows(dialog) == []
    assert dialog.history.count() == 2
    # Ctrl+Z undoes the reject, then the merge
    _undo(qtbot, window, dialog)
    assert _rows(dialog) == ["Hou Peng = Peng Hou?  (family name first)"]
    _undo(qtbot, window, dialog)
    assert dialog.status.text() == "Undone: merge Qin Qi with Qi Qin"  # not "Done: … (undone)"
    assert "Qi Qin (2)" in _people(window)
    assert "Qin Qi (1)" in _people(window)
    assert "Qin Qi (1)" in _people(window)
    assert [dialog.history.item(i).text() for i in range(2)] == [
        "never suggest Hou Peng with Peng Hou (undone)", "merge Qin Qi with Qi Qin (undone)"]
    assert not dialog.buttons["undo"].isEnabled()  # nothing left in force to undo
    # Redo (a tester missed it: the command line had `people redo`) brings the merge back
    assert dialog.buttons["redo"].isEnabled()
    _act(qtbot, window, dialog, "redo")
    assert dialog.status.text() == "Redone: merge Qin Qi with Qi Qin"
    assert "Qi Qin (3)" in _people(window)
    assert [dialog.history.item(i).text() for i in range(2)] == [
        "never suggest Hou Peng with Peng Hou (undone)", "merge Qin Qi with Qi Qin"]
    # rename the selected suggestion's person, and undo it
    _select(dialog, "Hou Peng")
    ask = dialog.ask_rename()
    assert isinstance(ask, QInputDialog)
    qtbot.waitUntil(ask.isVisible)
    ask.setTextValue("Peng Hou (Shopee)")
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        ask.accept()
    wait_idle(qtbot, window)
    assert "Peng Hou (Shopee) (1)" in _people(window)
    _undo(qtbot, window, dialog)
    assert "Peng Hou (Shopee) (1)" not in _people(window)
    assert "Hou Peng (1)" in _people(window)


def test_a_decision_reads_again_only_the_people_it_touches(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tester waited 80 s for each merge and each undo on a 100,000-paper store: the
    dialog read the whole store's suggestions again after every decision."""
    whole_reads = []
    real = evidence.all_suggestions
    monkeypatch.setattr(evidence, "all_suggestions",
                        lambda *args: whole_reads.append(1) or real(*args))
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    dialog = _open(qtbot, window)
    assert len(whole_reads) == 1
    item = dialog.list.item(0)  # a tester saw entries cut: each is whole in its tooltip
    assert item.toolTip() == item.text() == "Qi Qin = Qin Qi?  (family name first)"
    _select(dialog, "Qi Qin")
    _act(qtbot, window, dialog, "merge")
    assert _rows(dialog) == ["Hou Peng = Peng Hou?  (family name first)"]
    _undo(qtbot, window, dialog)
    assert _rows(dialog) == ["Qi Qin = Qin Qi?  (family name first)",
                             "Hou Peng = Peng Hou?  (family name first)"]
    _undo(qtbot, window, dialog)  # nothing left to undo: nothing to read either
    assert dialog.status.text() == "Nothing to undo"
    assert len(whole_reads) == 1


def _two_wei_zhangs(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "ir.txt").write_text(_page("Ana Ruiz", "IR", [
        ("IR", "Ranking with user intent", "Ana Ruiz, Wei Zhang, Omar Haddad"),
        ("IR", "Dense retrieval for shops", "Ana Ruiz, Wei Zhang")]), encoding="utf-8")
    (pages / "cv.txt").write_text(_page("Lena Vogt", "CV", [
        ("CV", "Depth from defocus", "Lena Vogt, Wei Zhang, Tomas Berg"),
        ("CV", "Optical flow in fog", "Wei Zhang, Tomas Berg")]), encoding="utf-8")
    db = tmp_path / "store.db"
    build_store([pages], db)
    return db


def test_split_a_name_that_covers_two_people(qtbot: QtBot, tmp_path: Path) -> None:
    db = _two_wei_zhangs(tmp_path)
    window = open_window(qtbot, db, tmp_path / "notes.db")
    assert [t for t in _people(window) if t.startswith("Wei Zhang")] == ["Wei Zhang (4)"]
    dialog = _open(qtbot, window)
    rows = _rows(dialog)
    assert rows == ["Wei Zhang: 2 papers in CV (probably several people)",
                    "Wei Zhang: 2 papers in IR (probably several people)"] or rows == [
        "Wei Zhang: 2 papers in IR (probably several people)",
        "Wei Zhang: 2 papers in CV (probably several people)"]
    _select(dialog, "in CV")
    assert "Depth from defocus" in dialog.evidence.toPlainText()
    _act(qtbot, window, dialog, "split")
    with Store(db) as store:
        assert store.person("wei zhang").papers == 2  # type: ignore[union-attr]
        assert store.person("wei zhang#2").papers == 2  # type: ignore[union-attr]
    assert [t for t in _people(window) if t.startswith("Wei Zhang")] == [
        "Wei Zhang (2)", "Wei Zhang (2)"]
    _undo(qtbot, window, dialog)
    assert [t for t in _people(window) if t.startswith("Wei Zhang")] == ["Wei Zhang (4)"]


def test_a_merge_shows_the_person_by_the_fullest_form_until_undone(
        qtbot: QtBot, tmp_path: Path) -> None:
    """`D. Tskhakaya` (3 papers) and `David Tskhakaya` (2), one person: the author list
    names them `David Tskhakaya` once merged, and each by its own name once undone."""
    _tskhakaya_pages(tmp_path / "pages")
    db = tmp_path / "store.db"
    build_store([tmp_path / "pages"], db)
    window = open_window(qtbot, db, tmp_path / "notes.db")
    assert _people(window)[:2] == ["Nino Beridze (4 · 5 listed)", "D. Tskhakaya (3)"]
    dialog = _open(qtbot, window)
    assert _rows(dialog) == ["D. Tskhakaya = David Tskhakaya?  (initials)"]
    _select(dialog, "D. Tskhakaya")
    _act(qtbot, window, dialog, "merge")
    assert _people(window)[:2] == ["David Tskhakaya (5)", "Nino Beridze (4 · 5 listed)"]
    assert not any(t.startswith("D. Tskhakaya") for t in _people(window))
    _undo(qtbot, window, dialog)
    # two papers each, by family name: Petrov before Tskhakaya
    assert _people(window)[:4] == ["Nino Beridze (4 · 5 listed)", "D. Tskhakaya (3)",
                                   "Ivo Petrov (2)", "David Tskhakaya (2)"]


def _notes_of(path: Path, person: str) -> tuple[str, tuple[str, ...]]:
    with UserData(path) as ud:
        shown = ud.person(person)
    return shown.note, shown.tags


def test_split_asks_where_the_notes_go(qtbot: QtBot, tmp_path: Path) -> None:
    db = _two_wei_zhangs(tmp_path)
    notes = tmp_path / "notes.db"
    with UserData(notes) as ud:
        ud.set_person_note("wei zhang", "Ranking expert.")
        ud.set_person_tags("wei zhang", ["ir"])
    window = open_window(qtbot, db, notes)
    dialog = _open(qtbot, window)
    _select(dialog, "in CV")
    qtbot.mouseClick(dialog.buttons["split"], Qt.MouseButton.LeftButton)
    ask = dialog.findChild(QMessageBox, "splitNotesQuestion")
    assert ask is not None
    qtbot.waitUntil(ask.isVisible)
    assert ask.text() == ("Wei Zhang has notes or tags. Where do they go when these 2 papers"
                          " become another person's?")
    assert [b.text() for b in ask.buttons() if b.objectName().startswith("notes_")] == [
        "Keep with Wei Zhang", "Move to the new person", "Show on both"]
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        qtbot.mouseClick(ask.findChild(QPushButton, "notes_move"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert dialog.history.item(0).text() == (
        "split 2 papers of Wei Zhang off as Wei Zhang (wei zhang#2) (notes: move)")
    assert _notes_of(notes, "wei zhang") == ("", ())
    assert _notes_of(notes, "wei zhang#2") == ("Ranking expert.", ("ir",))
    _undo(qtbot, window, dialog)
    assert _notes_of(notes, "wei zhang") == ("Ranking expert.", ("ir",))
    assert _notes_of(notes, "wei zhang#2") == ("", ())
    # Cancel splits nothing
    _select(dialog, "in CV")
    qtbot.mouseClick(dialog.buttons["split"], Qt.MouseButton.LeftButton)
    ask = dialog.findChild(QMessageBox, "splitNotesQuestion")
    assert ask is not None
    qtbot.waitUntil(ask.isVisible)
    ask.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "splitNotesQuestion") is None)
    assert dialog.task is None
    assert dialog.history.item(0).text().endswith("(undone)")


def test_split_without_notes_asks_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    db = _two_wei_zhangs(tmp_path)
    window = open_window(qtbot, db, tmp_path / "notes.db")
    dialog = _open(qtbot, window)
    _select(dialog, "in CV")
    assert dialog.split() is None
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.findChild(QMessageBox) is None
    assert dialog.history.item(0).text() == (
        "split 2 papers of Wei Zhang off as Wei Zhang (wei zhang#2) (notes: both)")


def _person_dialog(window: MainWindow, name: str) -> IdentitiesDialog:
    """The author list's "Suggestions for this person…" on person `name`."""
    window.author_list.setCurrentIndex(window.author_model.index(
        author_row(window, "person", name)))
    menu = window.author_menu()
    action = next(a for a in menu.actions() if a.objectName() == "personSuggestionsAction")
    assert action.text() == "Suggestions for this person…"
    action.trigger()
    dialog = window.findChild(IdentitiesDialog)
    assert dialog is not None
    return dialog


def test_suggestions_for_one_person_from_the_author_list(qtbot: QtBot, seed_db: Path,
                                                        tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    gui_sql = trace_gui_sql(window)
    dialog = _person_dialog(window, "Qin Qi")
    assert dialog.windowTitle() == "People's identities: Qin Qi"
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert gui_sql == []  # the lookup ran on the dialog's task thread
    # only this person's suggestion: not Hou Peng = Peng Hou, the store's other one
    assert _rows(dialog) == ["Qi Qin = Qin Qi?  (family name first)"]
    _act(qtbot, window, dialog, "merge")
    assert "Qi Qin (3)" in _people(window)  # Qin Qi went into Qi Qin: the dialog follows
    assert _rows(dialog) == []  # the merged person has nothing left to decide
    assert dialog.evidence.toPlainText() == "No suggestions for this person."
    _undo(qtbot, window, dialog)
    assert _rows(dialog) == ["Qi Qin = Qin Qi?  (family name first)"]
    assert "Qi Qin (2)" in _people(window)
    assert "Qin Qi (1)" in _people(window)


def test_a_person_without_suggestions_can_be_renamed(qtbot: QtBot, seed_db: Path,
                                                     tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    dialog = _person_dialog(window, "Luo Ji")
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert _rows(dialog) == []
    assert dialog.buttons["rename"].isEnabled()
    assert not dialog.buttons["undo"].isEnabled()
    ask = dialog.ask_rename()
    assert isinstance(ask, QInputDialog)
    qtbot.waitUntil(ask.isVisible)
    assert ask.textValue() == "Luo Ji"
    ask.setTextValue("Ji Luo")
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        ask.accept()
    wait_idle(qtbot, window)
    assert any(t.startswith("Ji Luo (") for t in _people(window))
    assert dialog.history.item(0).text() == "show Luo Ji as 'Ji Luo'"


def test_the_dialog_has_a_close_button(qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """It closed only with Esc or the title bar (found on the X-window tour)."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    dialog = _person_dialog(window, "Luo Ji")
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    boxes = dialog.findChildren(QDialogButtonBox)
    assert len(boxes) == 1
    close = boxes[0].button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.isVisible()
    close.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_persons_identifiers_show_in_the_pane_as_https_links(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    args = ["--db", str(seed_db), "--userdata", str(notes)]
    from paperdesk import cli

    assert cli.main(["people", "id", "Qi Qin", "orcid", "0000-0002-1825-0097", *args]) == 0
    assert cli.main(["people", "id", "Qi Qin", "dblp", "12/3456", *args]) == 0
    window = open_window(qtbot, seed_db, notes)
    click_author(qtbot, window, "person", "Qi Qin")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "Identifiers:" in window.detail.toPlainText())
    assert "Identifiers: dblp: 12/3456, orcid: 0000-0002-1825-0097" in \
        window.detail.toPlainText()
    html = window.detail.toHtml()
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert 'href="https://dblp.org/pid/12/3456.html"' in html


def _add_identifier(qtbot: QtBot, window: MainWindow, kind: str, value: str,
                    name: str = "Qi Qin") -> IdentifierDialog | None:
    """Right click the person → Add identifier…, choose `kind`, type `value`, OK; the
    dialog when it stays open (a bad value), else None."""
    menu = window.author_menu()
    action = next(a for a in menu.actions() if a.objectName() == "personIdentifierAction")
    assert action.text() == f"Add identifier to {name}…" and action.isEnabled()
    action.trigger()
    shown = [d for d in window.findChildren(IdentifierDialog) if d.isVisible()]
    assert len(shown) == 1  # (an earlier one closed is deleted later)
    dialog = shown[0]
    dialog.kind.setCurrentIndex(dialog.kind.findText(kind))
    qtbot.keyClicks(dialog.value, value)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    if dialog.isVisible():
        return dialog
    wait_idle(qtbot, window)
    return None


def test_an_identifier_is_added_in_the_window_and_a_bad_one_is_refused_with_why(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """Identifiers could be added only with `paperdesk people id`; the window checks
    them as the command does and the person's pane lists a new one at once."""
    notes = tmp_path / "notes.db"
    window = open_window(qtbot, seed_db, notes)
    click_author(qtbot, window, "person", "Qi Qin")
    gui_sql = trace_gui_sql(window)
    dialog = _add_identifier(qtbot, window, "ORCID", "0000-0002-1825-0098")
    assert dialog is not None  # still open, with what was typed and why it is refused
    assert dialog.value.text() == "0000-0002-1825-0098"
    assert dialog.problem.text() == \
        "Not added: not an ORCID: the check digit of '0000-0002-1825-0098' is wrong."
    dialog.reject()
    assert _add_identifier(qtbot, window, "ORCID",
                           "https://orcid.org/0000-0002-1825-0097") is None
    qtbot.waitUntil(lambda: "Identifiers: orcid: 0000-0002-1825-0097" in
                    window.detail.toPlainText())
    dialog = _add_identifier(qtbot, window, "Homepage", "javascript:alert(1)")
    assert dialog is not None
    assert dialog.problem.text() == \
        "Not added: a homepage is an http(s) address, not 'javascript:alert(1)'."
    dialog.reject()
    assert _add_identifier(qtbot, window, "Homepage", "https://example.org/~qin") is None
    qtbot.waitUntil(lambda: "homepage: https://example.org/~qin" in
                    window.detail.toPlainText())
    html = window.detail.toHtml()
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert 'href="https://example.org/~qin"' in html
    assert "javascript" not in html
    assert gui_sql == []
    with UserData(notes) as ud:  # what `paperdesk people list` reads
        assert decisions.identifiers(ud.conn, ["qi qin"]) == [
            ("homepage", "https://example.org/~qin"), ("orcid", "0000-0002-1825-0097")]
    click_author(qtbot, window, "profile", "Luo Ji")  # a profile's owner: on its pane
    assert _add_identifier(qtbot, window, "DBLP", "https://dblp.org/pid/12/3456.html",
                           "Luo Ji") is None
    qtbot.waitUntil(lambda: "Identifiers: dblp: 12/3456" in window.detail.toPlainText())
    assert 'href="https://dblp.org/pid/12/3456.html"' in window.detail.toHtml()


def _compared(qtbot: QtBot, window: MainWindow) -> dict[str, tuple[str, str]]:
    """Ctrl+K on the selected profiles: each row's Co-authors cell and its tooltip."""
    with qtbot.waitSignal(window.compared) as shown:  # read on the reader thread
        window.menu_actions.compare.trigger()
    dialog: CompareDialog = shown.args[0]
    column = dialog.headers().index("Co-authors")
    table = dialog.table
    found = {table.item(r, 0).text(): (table.item(r, column).text(),
                                       table.item(r, column).toolTip())
             for r in range(table.rowCount())}
    dialog.close()
    return found


def test_the_comparison_counts_co_authors_as_merged(qtbot: QtBot, seed_db: Path,
                                                    tmp_path: Path) -> None:
    """The comparison was never opened after a merge (and had no co-author figure).
    Counted by hand on the seeds' author lines, owners left out: Ziru Liu's page (000)
    names 24 people; Luo Ji's (002) 31, among them Qi Qin (2 papers: M3-JEPA,
    Learn-to-learn) and Qin Qi (1: Lifetime Value), one person: 30 once merged, Qi Qin
    on 3; his most frequent, by family name among equals: Teng Chen, Xiaoyu Wang,
    Ningyuan Xi (5 each), then Qingqing Gu and Yue Zhao (4)."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    click_author(qtbot, window, "profile", "Ziru Liu")
    _ctrl_click(qtbot, window, "profile", "Luo Ji")
    top = ("Most shared papers: Teng Chen (5), Xiaoyu Wang (5), Ningyuan Xi (5), "
           "Qingqing Gu (4), Yue Zhao (4)")
    before = _compared(qtbot, window)
    assert before["Luo Ji"] == ("31", top)
    assert before["Ziru Liu"][0] == "24"
    gui_sql = trace_gui_sql(window)
    dialog = _open(qtbot, window)
    _select(dialog, "Qi Qin")
    _act(qtbot, window, dialog, "merge")
    dialog.close()
    assert len(window.selected_profiles()) == 2  # the store reopened, the same two
    after = _compared(qtbot, window)
    assert after == {"Luo Ji": ("30", top), "Ziru Liu": before["Ziru Liu"]}
    click_author(qtbot, window, "profile", "Luo Ji")  # the profile's pane agrees
    qtbot.waitUntil(lambda: "Qi Qin (3)" in window.detail.toPlainText())
    assert "Qin Qi" not in window.detail.toPlainText()
    assert gui_sql == []


def test_the_filter_finds_a_name_among_the_suggestions(qtbot: QtBot, seed_db: Path,
                                                       tmp_path: Path) -> None:
    """A newcomer looked for one person among some 80 entries with no way to find them:
    a filter reads names as the author list's does (each word the start of a word)."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    dialog = _open(qtbot, window)
    qtbot.keyClicks(dialog.filter, "peng")
    shown = [dialog.list.item(i).text() for i in range(dialog.list.count())
             if not dialog.list.item(i).isHidden()]
    assert shown == ["Hou Peng = Peng Hou?  (family name first)"]
    assert dialog.current() == dialog.rows[1]  # the one shown is the one a button acts on
    assert "Hou Peng and Peng Hou may be one person" in dialog.evidence.toPlainText()
    dialog.filter.setText("name")  # the entries' own words ("family name first") are no name
    assert all(dialog.list.item(i).isHidden() for i in range(dialog.list.count()))
    dialog.filter.setText("eng")  # inside a name only
    assert all(dialog.list.item(i).isHidden() for i in range(dialog.list.count()))
    assert dialog.current() is None and not dialog.buttons["merge"].isEnabled()
    dialog.filter.clear()
    assert not any(dialog.list.item(i).isHidden() for i in range(dialog.list.count()))


def test_a_person_without_a_page_shows_years_and_co_authors(qtbot: QtBot, seed_db: Path,
                                                             tmp_path: Path) -> None:
    """A newcomer saw only "Named on 1 paper." for a person with no profile page. By hand
    from seeds/003: Zunlei Feng is named once, on "Dual Swap Disentangling" (2018),
    beside Xinchao Wang and Chenglong Ke (the list ends in et al.)."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    window.author_filter.setText("zunlei")  # the last name of the list: read where it is
    qtbot.waitUntil(lambda: window.author_model.rowCount() == 5)  # and 2 headers, 2 scopes
    wait_idle(qtbot, window)
    click_author(qtbot, window, "person", "Zunlei Feng")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "Co-authors" in window.detail.toPlainText())
    text = window.detail.toPlainText()
    assert "Named on 1 paper, 2018." in text
    assert "Papers per year" in text
    coauthors = text.split("Co-authors", 1)[1]
    assert "Chenglong Ke (1)" in coauthors and "Xinchao Wang (1)" in coauthors


def test_ctrl_z_in_the_filter_box_undoes_the_latest_decision(qtbot: QtBot, seed_db: Path,
                                                              tmp_path: Path) -> None:
    """Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y did nothing while the filter box had the focus
    (when the dialog opens and after Merge): the box took them for its own typing."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    dialog = _open(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.filter.hasFocus()
    qtbot.keyClicks(dialog.filter, "qin")  # the box has typing of its own to undo
    assert dialog.filter.isUndoAvailable()
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, window)
    assert dialog.status.text() == "Done: merge Qin Qi with Qi Qin"
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    for key, modifiers, said in ((Qt.Key.Key_Z, ctrl, "Undone: merge Qin Qi with Qi Qin"),
                                 (Qt.Key.Key_Y, ctrl, "Redone: merge Qin Qi with Qi Qin"),
                                 (Qt.Key.Key_Z, ctrl, "Undone: merge Qin Qi with Qi Qin"),
                                 (Qt.Key.Key_Z, ctrl | shift,
                                  "Redone: merge Qin Qi with Qi Qin")):
        dialog.activateWindow()  # offscreen, the step's progress dialog took it
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.filter.setFocus()
        with qtbot.waitSignal(dialog.loaded, timeout=20000):
            qtbot.keyClick(dialog.filter, key, modifiers)
        assert dialog.status.text() == said
        wait_idle(qtbot, window)
    assert dialog.filter.text() == "qin"  # its typing stays
    assert "Qi Qin (3)" in _people(window)


def _disabled(dialog: IdentitiesDialog) -> list[str]:
    return sorted([name for name, button in dialog.buttons.items() if not button.isEnabled()]
                  + [a.text() for a in (dialog.undo_action, dialog.redo_action)
                     if not a.isEnabled()])


ALL_OFF = ["Redo", "Undo", "merge", "redo", "reject", "rename", "split", "undo"]


def test_nothing_acts_while_reading_nor_without_a_store(qtbot: QtBot, seed_db: Path,
                                                        tmp_path: Path) -> None:
    """While the dialog still read, and with no store to read, Merge, Split off and Undo
    looked enabled over an empty list."""
    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    dialog = IdentitiesDialog(seed_db, tmp_path / "notes.db", window)
    assert dialog.task is not None  # reading
    assert _disabled(dialog) == ALL_OFF
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.list.count() == 2
    assert _disabled(dialog) == ["redo", "split", "undo"]  # suggestions, no history
    dialog.close()
    missing = tmp_path / "no-store.db"
    dialog = IdentitiesDialog(missing, tmp_path / "notes.db", window)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert str(missing) in dialog.status.text()
    assert _disabled(dialog) == ALL_OFF
    dialog.close()


def test_the_whole_stores_read_sets_off_no_full_collection(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """People's identities' first read of a 100,000-paper store froze the window for
    0.8-1.9 s, three times: full garbage collections, set off by the read's allocations
    on its task thread, walking the heap with Python's lock held. No full collection
    runs while a whole store's suggestions are read (here made as eager as the heap of a
    large read makes them), and what the read leaves is out of their reach after it."""
    import gc
    import threading

    from paperdesk.app import settle_heap
    from paperdesk.gui import identities

    window = open_window(qtbot, seed_db, tmp_path / "notes.db")
    settle_heap()  # as main() does once the window is shown
    gc.collect()  # and the long-lived heap is what it leaves, as in the app, not pytest's
    reading: set[int] = set()  # the threads inside the whole store's read
    full: list[str] = []
    read = identities.read_snapshot

    def traced(*args: Any, **kwargs: Any) -> identities.Snapshot:
        reading.add(threading.get_ident())
        try:
            return read(*args, **kwargs)
        finally:
            reading.discard(threading.get_ident())

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2 and threading.get_ident() in reading:
            full.append(threading.current_thread().name)

    monkeypatch.setattr(identities, "read_snapshot", traced)
    thresholds = gc.get_threshold()
    gc.set_threshold(10, 1, 1)  # every tenth allocation a young collection, often a full one
    gc.callbacks.append(seen)
    try:
        frozen = gc.get_freeze_count()
        dialog = _open(qtbot, window)
        assert dialog.snapshot is not None and dialog.list.count() > 0
        after = gc.get_freeze_count()
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        gc.unfreeze()  # the other tests' objects stay collectable
    assert full == []
    assert gc.isenabled()
    assert after > frozen  # what the read left (its caches, its answer) frozen after it
    dialog.close()
