"""`author:` follows the user's decisions about people (issue 15), in `paperdesk search`,
`export --query` and the window: every paper of a person one of whose names matches.

Counted by hand in the seeds: `Qi Qin` is written on two papers of page 002 (lines
29 and 57), `Qin Qi` on one (line 162). `author:` reads a name as the author list's
filter does, each word starting a word of the name in order: `author:"qi qin"` finds
the two Qi Qin papers and not Qin Qi's; the page written below adds one paper by `Q.
Qin`, which `author:"q qin"` finds (with Qi Qin's: `q` starts `Qi`) and `author:"qi
qin"` does not, until the user says `Q. Qin` is Qi Qin.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paperdesk.cli import main
from paperdesk.identity.desk import decide, undo
from paperdesk.search import people as search_people
from paperdesk.search import search
from paperdesk.store import Store, build_store

from .conftest import SEEDS
from .test_gui_identities import _act, _open, _select, _undo
from .test_gui_support import OFFSCREEN_NOISE, open_window, search_for

_PAGE = """Ningyuan Xi

CL
h-index3
1papers
10citations
Novelty50%
AI Score50

1 Papers

CLMar 3, 2024
Gated Hypernetworks for Conditioned Language Models

Luo Ji, Q. Qin, Ningyuan Xi

We study how a hypernetwork conditions the gates of a language model on a text.
"""
pytestmark = OFFSCREEN_NOISE
_EXTRA_TITLE = "Gated Hypernetworks for Conditioned Language Models"


@pytest.fixture(scope="module")
def _store_with_q_qin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = tmp_path_factory.mktemp("pages")
    for page in SEEDS.glob("*.txt"):
        shutil.copy(page, pages / page.name)
    (pages / "005_ningyuan_xi.txt").write_text(_PAGE, encoding="utf-8")
    db = tmp_path_factory.mktemp("store") / "store.db"
    report = build_store([pages], db)
    assert report.complete, report.problems
    return db


@pytest.fixture
def db(_store_with_q_qin: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    path.write_bytes(_store_with_q_qin.read_bytes())
    return path


# Each test both ways: the people listed, and (FEW_PAPERS 0) each paper's names tested
# as written, beside the people the decisions touched.
BOTH_FORMS = pytest.mark.parametrize("few", [search_people.FEW_PAPERS, 0])


def _titles(db: Path, text: str) -> list[str]:
    with Store(db) as store:
        rids = search(store.conn, text).rids
        return [store.conn.execute("SELECT title FROM papers WHERE rid = ?", (rid,))
                .fetchone()[0] for rid in rids]


@BOTH_FORMS
def test_author_search_finds_a_merged_form_and_undo_forgets_it(
        db: Path, tmp_path: Path, few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_people, "FEW_PAPERS", few)
    notes = tmp_path / "ud.db"
    qi_qin = sorted([  # written Qi Qin: 002, lines 29 and 57
        "Learn-to-learn on Arbitrary Textual Conditioning: A Hypernetwork-Driven Meta-Gated LLM",
        "M3-JEPA: Multimodal Alignment via Multi-gate MoE based on the Joint-Embedding"
        " Predictive Architecture"])
    before = _titles(db, 'author:"qi qin"')
    assert sorted(before) == qi_qin
    assert sorted(_titles(db, 'author:"q qin"')) == sorted([*qi_qin, _EXTRA_TITLE])
    decide(db, notes, "merge", {"keys": ["q. qin"], "into": "qi qin"})
    after = _titles(db, 'author:"qi qin"')
    assert sorted(after) == sorted([*qi_qin, _EXTRA_TITLE])
    # from the other name too: every paper of the person, written Qi Qin or Q. Qin; Qin
    # Qi (line 162) is still another person
    assert sorted(_titles(db, 'author:"q qin"')) == sorted([*qi_qin, _EXTRA_TITLE])
    # the widened field keeps its place in the query: with a year, or excluded
    in_2024 = _titles(db, 'author:"qi qin" year:2024')
    assert _EXTRA_TITLE in in_2024
    assert not any(t.startswith("Reinforcement Learning to Optimize Lifetime") for t in in_2024)
    assert _EXTRA_TITLE not in _titles(db, 'luo -author:"qi qin"')
    undo(db, notes)
    assert sorted(_titles(db, 'author:"qi qin"')) == qi_qin


@BOTH_FORMS
def test_author_search_follows_seed_merge(seed_db: Path, tmp_path: Path, few: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed pair differs only in order, which `author:` reads as another name (as the
    author list's filter does): Qin Qi's one paper, then, merged, all three of Qi Qin."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", few)
    notes = tmp_path / "ud.db"
    assert len(_titles(seed_db, 'author:"qin qi"')) == 1
    assert len(_titles(seed_db, 'author:"qi qin"')) == 2
    decide(seed_db, notes, "merge", {"keys": ["qin qi"], "into": "qi qin"})
    assert len(_titles(seed_db, 'author:"qin qi"')) == 3
    assert len(_titles(seed_db, 'author:"qi qin"')) == 3


@BOTH_FORMS
def test_author_search_finds_a_renamed_person(seed_db: Path, tmp_path: Path, few: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A shown name the user gave is a name too: `author:` finds the person by it."""
    monkeypatch.setattr(search_people, "FEW_PAPERS", few)
    notes = tmp_path / "ud.db"
    assert _titles(seed_db, "author:Aaron") == []
    decide(seed_db, notes, "rename", {"person": "luo ji", "name": "Aaron Luo Ji"})
    assert len(_titles(seed_db, "author:Aaron")) == len(_titles(seed_db, 'author:"luo ji"'))
    undo(seed_db, notes)
    assert _titles(seed_db, "author:Aaron") == []


def test_cli_search_and_export_follow_the_merge(db: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "ud.db"
    decide(db, notes, "merge", {"keys": ["q. qin"], "into": "qi qin"})
    assert main(["search", 'author:"qi qin"', "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert _EXTRA_TITLE in shown and len(shown.strip().splitlines()) >= 3
    assert main(["export", "--db", str(db), "--format", "json",
                 "--query", 'author:"qi qin"']) == 0
    exported = [p["title"] for p in json.loads(capsys.readouterr().out)["papers"]]
    assert len(exported) == 3 and _EXTRA_TITLE in exported


def test_the_window_search_follows_a_merge_made_in_the_dialog(qtbot: QtBot, db: Path,
                                                              tmp_path: Path) -> None:
    """Go → People's identities…: merge `Q. Qin` into `Qi Qin`; the search box's
    `author:"qi qin"` then shows 3 papers, and 2 again after Ctrl+Z."""
    window = open_window(qtbot, db, tmp_path / "notes.db")
    search_for(qtbot, window, 'author:"qi qin"')
    assert window.paper_model.rowCount() == 2
    dialog = _open(qtbot, window)
    _select(dialog, "Q. Qin")
    assert "Qi Qin" in dialog.list.currentItem().text()
    _act(qtbot, window, dialog, "merge")
    search_for(qtbot, window, 'author:"qi qin"')
    assert window.paper_model.rowCount() == 3
    _undo(qtbot, window, dialog)
    search_for(qtbot, window, 'author:"qi qin"')
    assert window.paper_model.rowCount() == 2
