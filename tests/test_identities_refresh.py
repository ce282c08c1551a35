"""People's identities on the whole store, after a decision: the people it names are
read again and the rest kept (gui/identities.refresh), which must show exactly what
reading the whole store again shows. Checked on the real sample (68 suggestions, one
name flagged as several people) and on the seeds, decision by decision."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from paperdesk.gui.identities import IdentitiesDialog, Snapshot, read_snapshot, refresh
from paperdesk.identity import desk
from paperdesk.identity.decisions import Decision
from paperdesk.identity.evidence import Several, Suggestion
from paperdesk.store import build_store

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
realpages = importlib.import_module("realpages")


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {realpages.REALDATA}")
    folder = tmp_path_factory.mktemp("real")
    for name, text, _ in realpages.pages(realpages.load()):
        (folder / name).write_text(text, encoding="utf-8", newline="")
    db = folder / "real.db"
    report = build_store([folder], db, workers=0, this_year=2026)
    assert report.papers == 7764  # every entry: none refused (two were, before session 25)
    return db


def _step(db: Path, notes: Path, old: Snapshot, decision: Decision | None) -> Snapshot:
    """The refreshed snapshot after `decision`, checked against a whole read."""
    assert decision is not None
    after = refresh(db, notes, old, decision)
    assert after is not None and after == read_snapshot(db, notes)
    return after


def _merge(db: Path, notes: Path, old: Snapshot, suggestion: Suggestion) -> Snapshot:
    first, second = suggestion.persons
    decision = desk.decide(db, notes, "merge", {"keys": [second], "into": first})
    return _step(db, notes, old, decision)


def _undo(db: Path, notes: Path, old: Snapshot, redo: bool = False) -> Snapshot:
    return _step(db, notes, old, desk.undo(db, notes, redo=redo))


def test_after_each_decision_the_refresh_is_the_whole_read(real_store: Path,
                                                           tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    db.write_bytes(real_store.read_bytes())
    notes = tmp_path / "notes.db"
    shown = read_snapshot(db, notes)
    assert len(shown.suggestions) == 68 and len(shown.several) == 1
    first = shown.suggestions[0]
    assert first.names == ("D. Tskhakaya", "David Tskhakaya")
    shown = _merge(db, notes, shown, first)
    assert len(shown.suggestions) == 67
    for suggestion in shown.suggestions[:3]:  # a merge beside another, into a merged one
        shown = _merge(db, notes, shown, suggestion)
    shown = _undo(db, notes, shown)
    shown = _undo(db, notes, shown, redo=True)
    rejected = shown.suggestions[5]
    decision = desk.decide(db, notes, "reject",
                           {"a": [rejected.keys[0]], "b": [rejected.keys[1]]})
    shown = _step(db, notes, shown, decision)
    assert rejected.keys not in {s.keys for s in shown.suggestions}
    (flagged,) = shown.several
    assert isinstance(flagged, Several) and len(flagged.groups) >= 2
    papers = [pid for pid, _ in flagged.groups[0].papers]
    decision = desk.decide(db, notes, "split", {"person": flagged.person, "papers": papers})
    shown = _step(db, notes, shown, decision)
    assert shown.several == ()
    decision = desk.decide(db, notes, "rename",
                           {"person": shown.suggestions[0].persons[0], "name": "Someone Else"})
    shown = _step(db, notes, shown, decision)
    for _ in range(7):  # every decision undone, one at a time
        shown = _undo(db, notes, shown)
    assert len(shown.suggestions) == 68 and len(shown.several) == 1


def test_a_vague_initials_form_stays_unsuggested_after_a_decision_beside_it(
        tmp_path: Path) -> None:
    """`W. Wang` shares a co-author with `Wei Wang` and another with `Wen Wang`, equally:
    the whole read suggests neither pair. A review found that a per-person look-up after
    renaming Wei Wang's other co-author suggested `W. Wang = Wei Wang`, which the whole
    read does not (a vague form is judged against all its partners in a block)."""
    from tests.test_identities import _page
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(_page("Alice Smith", "LG", [
        ("LG", "Graph learning at scale", "Alice Smith, W. Wang"),
        ("LG", "Sparse graph kernels", "Alice Smith, Wei Wang, Carl Zed")]), encoding="utf-8")
    (pages / "b.txt").write_text(_page("Bob Jones", "LG", [
        ("LG", "Depth from one image", "Bob Jones, W. Wang"),
        ("LG", "Optical flow again", "Bob Jones, Wen Wang")]), encoding="utf-8")
    db, notes = tmp_path / "s.db", tmp_path / "notes.db"
    build_store([pages], db)
    shown = read_snapshot(db, notes)
    assert shown.suggestions == ()
    decision = desk.decide(db, notes, "rename", {"person": "carl zed", "name": "Carl Zedd"})
    assert _step(db, notes, shown, decision).suggestions == ()


def test_a_decision_made_elsewhere_means_a_whole_read(seed_db: Path, tmp_path: Path) -> None:
    """The dialog's lists are read again whole when the history moved by more than its
    own decision (a decision made in another dialog or on the command line)."""
    notes = tmp_path / "notes.db"
    shown = read_snapshot(seed_db, notes)
    hou = next(s for s in shown.suggestions if s.names == ("Hou Peng", "Peng Hou"))
    desk.decide(seed_db, notes, "reject", {"a": [hou.keys[0]], "b": [hou.keys[1]]})
    qi = next(s for s in shown.suggestions if s.names == ("Qi Qin", "Qin Qi"))
    decision = desk.decide(seed_db, notes, "merge", {"keys": [qi.persons[1]],
                                                     "into": qi.persons[0]})
    assert refresh(seed_db, notes, shown, decision) is None


def test_a_store_written_elsewhere_means_a_whole_read(seed_db: Path, tmp_path: Path) -> None:
    """A review: an import or a correction made while the dialog stays open changes the
    store under its lists; the next decision must read them whole again."""
    notes = tmp_path / "notes.db"
    shown = read_snapshot(seed_db, notes)
    conn = sqlite3.connect(seed_db)  # a write of another's: here, one transaction
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('written elsewhere', '1')")
    conn.close()
    qi = next(s for s in shown.suggestions if s.names == ("Qi Qin", "Qin Qi"))
    decision = desk.decide(seed_db, notes, "merge", {"keys": [qi.persons[1]],
                                                     "into": qi.persons[0]})
    assert refresh(seed_db, notes, shown, decision) is None
    shown = read_snapshot(seed_db, notes)
    undone = desk.undo(seed_db, notes)  # the dialog's own decision alone: refreshed
    assert undone is not None
    assert refresh(seed_db, notes, shown, undone) == read_snapshot(seed_db, notes)


def test_on_the_seeds_a_merge_and_its_undo(seed_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    shown = read_snapshot(seed_db, notes)
    assert sorted(s.names for s in shown.suggestions) == [("Hou Peng", "Peng Hou"),
                                                          ("Qi Qin", "Qin Qi")]
    qi = next(s for s in shown.suggestions if s.names == ("Qi Qin", "Qin Qi"))
    shown = _merge(seed_db, notes, shown, qi)
    assert [s.names for s in shown.suggestions] == [("Hou Peng", "Peng Hou")]
    shown = _undo(seed_db, notes, shown)
    assert len(shown.suggestions) == 2


def test_the_whole_read_shows_its_progress_and_can_be_cancelled(
        qtbot: QtBot, real_store: Path, tmp_path: Path) -> None:
    """A tester waited a minute and more at 100,000 papers with no Cancel button."""
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = IdentitiesDialog(real_store, tmp_path / "notes.db", parent)
    assert dialog.task is not None
    bar = dialog.task.dialog
    assert isinstance(bar, QProgressDialog)
    qtbot.waitUntil(lambda: bar.maximum() == 2000 and bar.value() > 0, timeout=20_000)
    cancel = next(b for b in bar.findChildren(QPushButton) if b.text() == "Cancel")
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Reading stopped")
    assert dialog.list.count() == 0 and not dialog.buttons["merge"].isEnabled()
    assert dialog.task is None
    dialog.undo_action.trigger()  # Ctrl+Z with no history shown undoes nothing
    assert dialog.task is None
