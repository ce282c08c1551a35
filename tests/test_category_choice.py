"""The user's choice of what an ambiguous category code means (issue 13): for one paper,
or for every paper of a profile; kept in user data (version 4). Precedence: the paper's
choice, the profile's choice, the profile's field, else every meaning. Small hand-made
pages (those of test_category_fields) and the seeds; expectations written by hand."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from paperdesk import corrections
from paperdesk.categories import Reading, combined
from paperdesk.cli import main
from paperdesk.gui import exporting
from paperdesk.gui.categorychoice import CategoryDialog
from paperdesk.gui.history import Location
from paperdesk.gui.insights import compare_rows
from paperdesk.gui.pane import PaneRequest, build_pane
from paperdesk.importer import import_pages
from paperdesk.records import paper_id
from paperdesk.report import candidate, candidate_html
from paperdesk.store import Store, build_store
from paperdesk.userdata import UserData, UserDataError, read_backup
from tests.test_category_fields import BOTH, PAGES, SHARED
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_author,
    click_row,
    open_window,
    palette_as,
    row_of_title,
    trace_gui_sql,
    wait_idle,
)

SHOTS = os.environ.get("PAPERDESK_SHOTS")
MULTIGRID = "Multigrid Preconditioners for Stokes Flow"  # Lena Ortiz: nothing settles NA
KRYLOV = "Krylov Subspace Recycling"  # Lena Ortiz too
STABLE = "Stable Splitting Schemes"  # Mia Rossi: her field (math) reads it
GPUS = "Sparse Solvers on GPUs"  # Raj Patel: cs
GN_PAPER = ("ItLnc-BXE: a Bagging-XGBoost-ensemble method with multiple features for "
            "identification of plant lncRNAs")  # the seeds: GN on Ziru Liu's (cs) page


def _pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    for name, (header, entries) in PAGES.items():
        body = "".join(f"{meta}\n{title}\n\n{authors}\n\nAn abstract about {title}.\n\n"
                       for meta, title, authors in entries)
        (folder / name).write_text(header + body, encoding="utf-8")
    return folder


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "store.db"
    assert build_store([_pages(tmp_path)], db).papers == 9
    return db


ALL = Location("all", None)


def _category(store: Store, userdata: UserData | None, title: str,
              scope: Location = ALL) -> str:
    """The pane's Category row as text."""
    rid = store.conn.execute("SELECT rid FROM papers WHERE title = ?", (title,)).fetchone()[0]
    html = build_pane(store, userdata, PaneRequest(rid, scope)).html
    row = html.split(">Category</td><td>", 1)[1].split("</td></tr>", 1)[0]
    return re.sub("<[^>]+>", "", row)


def _bibtex_keywords(db: Path, userdata: Path, capsys: pytest.CaptureFixture[str]
                     ) -> dict[str, str]:
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "bibtex",
                 "--userdata", str(userdata)]) == 0
    text = capsys.readouterr().out
    found = {}
    for entry in text.split("@misc{")[1:]:
        title = re.search(r"title = \{\{(.*?)\}\}", entry)
        keywords = re.search(r"keywords = \{(.*?)\}", entry)
        assert title and keywords
        found[title.group(1)] = keywords.group(1)
    return found


def test_the_precedence_paper_then_profile_then_field_then_every_meaning() -> None:
    mia = Reading("math", (("NA", "cs.NA", "Mia Rossi"),))
    assert mia.label("NA") == "cs.NA Numerical Analysis"  # her choice beats her field
    assert mia.how("NA") == "your choice for the papers of Mia Rossi"
    assert mia.label("NA", "math.NA") == "math.NA Numerical Analysis"  # the paper's beats it
    assert mia.how("NA", "math.NA") == "your choice for this paper"
    assert mia.full_code("NA", "hep-th") == "cs.NA"  # a choice NA cannot mean is no choice
    assert mia.full_code("AG") == "math.AG"
    assert Reading("math").how("NA") == "read by the field of the profile listing it: math"
    assert Reading().label("NA") == BOTH and Reading().how("NA") == ""
    # several profiles list a paper: those that chose agree, else nothing is chosen
    raj = Reading("cs")
    assert combined([mia, raj]).full_code("NA") == "cs.NA"
    assert combined([Reading("math", (("NA", "math.NA", "Mia Rossi"),)), raj]).full_code(
        "NA") == "math.NA"
    assert combined([mia, Reading("cs", (("NA", "math.NA", "Raj Patel"),))]).full_code(
        "NA") == "NA"
    assert combined([Reading("math"), raj]).label("NA") == BOTH


def test_choices_show_in_the_pane_and_survive_a_rebuild_and_a_reimport(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store, UserData(tmp_path / "notes.db") as ud:
        assert _category(store, ud, MULTIGRID) == f"{BOTH} choose…"
        ud.categories.set_paper(paper_id(MULTIGRID), "math.NA")
        ud.categories.set_profile("lena_ortiz.txt", "NA", "cs.NA")
    build_store([_pages(tmp_path)], db)  # a rebuild replaces the store file
    page = tmp_path / "pages" / "lena_ortiz.txt"  # a re-import of a changed page
    page.write_text(page.read_text(encoding="utf-8").replace("Kai Berg", "Kai Berg, Ida Lund"),
                    encoding="utf-8")
    assert import_pages(db, [page]).complete
    with Store(db) as store, UserData(tmp_path / "notes.db") as ud:
        assert _category(store, ud, MULTIGRID) == (
            "math.NA Numerical Analysis (NA on the page, your choice for this paper) change…")
        assert _category(store, ud, KRYLOV) == (
            "cs.NA Numerical Analysis (NA on the page, your choice for the papers of "
            "Lena Ortiz) change…")
        assert _category(store, ud, STABLE) == (
            "math.NA Numerical Analysis (NA on the page, read by the field of the profile "
            "listing it: math) change…")
        assert _category(store, ud, "Dense Retrieval for Code") == "cs.IR Information Retrieval"
        ud.categories.set_paper(paper_id(MULTIGRID), None)  # undone: the profile's choice again
        assert _category(store, ud, MULTIGRID).startswith("cs.NA Numerical Analysis (NA on "
                                                          "the page, your choice for the papers")
        ud.categories.set_profile("lena_ortiz.txt", "NA", None)
        assert _category(store, ud, MULTIGRID) == f"{BOTH} choose…"
        assert ud.export_json()["papers"] == []  # nothing else was said: no row left


def test_a_profile_choice_beats_the_field_of_another_listing_profile(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store, UserData(tmp_path / "notes.db") as ud:
        by_name = {p.name: p.id for p in store.profiles("")}
        assert _category(store, ud, SHARED[1]) == f"{BOTH} choose…"  # math and cs list it
        ud.categories.set_profile("mia_rossi.txt", "NA", "math.NA")
        assert _category(store, ud, SHARED[1]).startswith(
            "math.NA Numerical Analysis (NA on the page, your choice for the papers of "
            "Mia Rossi)")
        # in Raj Patel's scope his field reads it, as his table does
        assert _category(store, ud, SHARED[1], Location("profile", by_name["Raj Patel"])
                         ).startswith("cs.NA Numerical Analysis (NA on the page, read by")


def test_the_choice_follows_a_corrected_title(tmp_path: Path) -> None:
    db = _store(tmp_path)
    notes = tmp_path / "notes.db"
    with UserData(notes) as ud:
        ud.categories.set_paper(paper_id(MULTIGRID), "math.NA")
    fix = corrections.correct(db, paper_id(MULTIGRID), title="Multigrid for Stokes Flow",
                              userdata_path=notes)
    with UserData(notes) as ud:
        assert ud.paper(fix.paper).category == "math.NA"
        assert ud.paper(paper_id(MULTIGRID)).category is None


def test_profile_charts_comparison_and_the_candidate_report_read_the_choices(
        tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store, UserData(tmp_path / "notes.db") as ud:
        mia = next(p for p in store.profiles("") if p.name == "Mia Rossi")
        lena = next(p for p in store.profiles("") if p.name == "Lena Ortiz")
        ud.categories.set_paper(paper_id(STABLE), "cs.NA")  # one of Mia's two NA papers
        ud.categories.set_profile("lena_ortiz.txt", "NA", "cs.NA")
        ud.categories.set_profile("mia_rossi.txt", "NA", "cs.NA")  # her header's field is NA
        html = build_pane(store, ud, PaneRequest(None, Location("profile", mia.id))).html
        chart = re.sub("<[^>]+>", " ", html.split("<h3>Categories</h3>", 1)[1].split("<h3>")[0])
        assert " ".join(chart.split()) == ("cs.NA 2 (50%) math.AG 1 (25%) math.NT 1 (25%)")
        ud.categories.set_profile("mia_rossi.txt", "NA", None)
        html = build_pane(store, ud, PaneRequest(None, Location("profile", mia.id))).html
        chart = re.sub("<[^>]+>", " ", html.split("<h3>Categories</h3>", 1)[1].split("<h3>")[0])
        # her field reads Mixed Precision as math.NA; the user moved Stable Splitting
        assert " ".join(chart.split()) == (
            "cs.NA 1 (25%) math.AG 1 (25%) math.NA 1 (25%) math.NT 1 (25%)")
        assert "Field</td><td>math.NA Numerical Analysis</td>" in html
        ud.categories.set_profile("mia_rossi.txt", "NA", "cs.NA")
        rows = compare_rows(store, [mia.id, lena.id], ud)
        assert rows[0].reading.full_code("NA") == "cs.NA"
        assert rows[0].reading.label(str(mia.field)) == "cs.NA Numerical Analysis"
        report = candidate_html(candidate(store, lena, ud))
        assert "cs.NA Numerical Analysis" in report and "math.NA" not in report


def test_userdata_export_and_import_carry_the_choices(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    notes, other = tmp_path / "notes.db", tmp_path / "other.db"
    with UserData(notes) as ud:
        ud.categories.set_paper(paper_id(MULTIGRID), "math.NA")
        ud.categories.set_profile("lena_ortiz.txt", "NA", "cs.NA")
    backup = tmp_path / "backup.json"
    assert main(["userdata", "export", str(backup), "--userdata", str(notes)]) == 0
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert data["version"] == 5
    assert data["category_choices"] == [{"source": "lena_ortiz.txt", "code": "NA",
                                         "meaning": "cs.NA"}]
    assert [p["category"] for p in data["papers"]] == ["math.NA"]
    assert main(["userdata", "import", str(backup), "--replace",
                 "--userdata", str(other)]) == 0
    with UserData(other) as ud:
        assert ud.paper(paper_id(MULTIGRID)).category == "math.NA"
        assert ud.categories.profiles() == {"lena_ortiz.txt": {"NA": "cs.NA"}}
    data["category_choices"][0]["meaning"] = "hep-th"  # not a meaning of NA: refused whole
    backup.write_text(json.dumps(data), encoding="utf-8")
    with UserData(other) as ud, pytest.raises(UserDataError,
                                              match=r"category_choices\[0\]: 'hep-th'"):
        ud.import_json(read_backup(backup), False, source=str(backup))


def test_bibtex_uses_the_resolved_meaning_and_never_guesses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, notes = _store(tmp_path), tmp_path / "notes.db"
    UserData(notes).close()
    keywords = _bibtex_keywords(db, notes, capsys)
    assert {t: keywords[t] for t in (MULTIGRID, KRYLOV, STABLE, GPUS, SHARED[1])} == {
        MULTIGRID: "NA", KRYLOV: "NA", STABLE: "math.NA", GPUS: "cs.NA", SHARED[1]: "NA"}
    with UserData(notes) as ud:
        ud.categories.set_paper(paper_id(MULTIGRID), "math.NA")
        ud.categories.set_profile("lena_ortiz.txt", "NA", "cs.NA")
        ud.categories.set_profile("raj_patel.txt", "NA", "cs.NA")
        ud.categories.set_paper(paper_id(STABLE), "cs.NA")
    keywords = _bibtex_keywords(db, notes, capsys)
    assert {t: keywords[t] for t in (MULTIGRID, KRYLOV, STABLE, GPUS, SHARED[1])} == {
        MULTIGRID: "math.NA", KRYLOV: "cs.NA", STABLE: "cs.NA", GPUS: "cs.NA",
        SHARED[1]: "cs.NA"}  # Raj's choice beats Mia's field
    assert keywords["Dense Retrieval for Code"] == "cs.IR"


def test_the_windows_export_and_copy_use_the_resolved_meaning(qtbot: QtBot,
                                                               tmp_path: Path) -> None:
    db, notes = _store(tmp_path), tmp_path / "notes.db"
    with UserData(notes) as ud:
        ud.categories.set_paper(paper_id(MULTIGRID), "math.NA")
        ud.categories.set_profile("lena_ortiz.txt", "NA", "cs.NA")
    with Store(db) as store:
        rids = [r[0] for r in store.conn.execute("SELECT rid FROM papers ORDER BY rid")]
    out = tmp_path / "view.bib"
    fmt = next(f for f in exporting.formats() if f.key == "bibtex")
    assert exporting.write_view(db, rids, fmt, out, userdata_path=notes) == 9
    text = out.read_text(encoding="utf-8")
    for title, code in ((MULTIGRID, "math.NA"), (KRYLOV, "cs.NA"), (SHARED[1], "NA")):
        entry = text.split(f"title = {{{{{title}}}}}", 1)[1].split("@misc", 1)[0]
        assert f"keywords = {{{code}}}" in entry
    window = open_window(qtbot, db, notes)
    for title, code in ((MULTIGRID, "math.NA"), (KRYLOV, "cs.NA")):
        click_row(qtbot, window, row_of_title(window, title))
        qtbot.waitUntil(lambda t=title: t in window.detail.toPlainText())
        window.copy("bibtex")
        assert f"keywords = {{{code}}}" in QApplication.clipboard().text()
        window.copy("citation")
        assert QApplication.clipboard().text().endswith(f". {title}. {code}.")


def test_the_cli_chooses_for_a_seed_paper_and_undoes(seed_db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    notes = tmp_path / "notes.db"
    gn = paper_id(GN_PAPER)
    UserData(notes).close()
    assert _bibtex_keywords(seed_db, notes, capsys)[GN_PAPER] == "GN"
    capsys.readouterr()
    assert main(["category", gn, "--db", str(seed_db), "--userdata", str(notes)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "econ.GN\tGeneral Economics", "math.GN\tGeneral Topology", "q-bio.GN\tGenomics",
        "q-fin.GN\tGeneral Finance"]
    assert main(["category", gn, "q-bio.GN", "--db", str(seed_db),
                 "--userdata", str(notes)]) == 0
    assert capsys.readouterr().out.startswith(f"GN on {gn} (ItLnc-BXE")
    assert _bibtex_keywords(seed_db, notes, capsys)[GN_PAPER] == "q-bio.GN"
    assert main(["category", gn, "--undo", "--db", str(seed_db),
                 "--userdata", str(notes)]) == 0
    assert _bibtex_keywords(seed_db, notes, capsys)[GN_PAPER] == "GN"
    for argv, said in [
            ([gn, "hep-th"], "'hep-th' is not a category 'GN' may be; choose econ.GN or "
                             "math.GN or q-bio.GN or q-fin.GN"),
            (["--page", "000_77b9e73dc2a3999b.txt", "IR", "cs.IR"],
             "the category 'IR' names one category at most"),
            (["--page", "nobody.txt", "NA", "math.NA"], "no page 'nobody.txt'")]:
        capsys.readouterr()
        assert main(["category", *argv, "--db", str(seed_db), "--userdata", str(notes)]) == 2
        assert said in capsys.readouterr().err
    assert main(["category", "--page", "000_77b9e73dc2a3999b.txt", "GN", "q-bio.GN",
                 "--db", str(seed_db), "--userdata", str(notes)]) == 0
    assert _bibtex_keywords(seed_db, notes, capsys)[GN_PAPER] == "q-bio.GN"


def _choose(qtbot: QtBot, window: object, target: int, meaning: str,
            shot: Path | None = None) -> None:
    """Open the pane's choose… link; pick `target` (0: this paper) and `meaning`; OK
    (`shot`: the dialog's picture, before OK)."""
    pane = window.pane  # type: ignore[attr-defined]
    rid = pane.data.paper.rid
    pane.follow_link(QUrl(f"paperdesk://category/{rid}"))
    dialog = window.findChild(CategoryDialog)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    dialog.target.setCurrentIndex(target)
    button = dialog.buttons[None if meaning == "none" else meaning]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, button.height() // 2))  # on its circle
    assert button.isChecked()
    if shot is not None:
        assert dialog.grab().save(str(shot))
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _pane_category(window: object) -> str:
    text = window.detail.toPlainText()  # type: ignore[attr-defined]
    return text.split("Category\n", 1)[1].split("\n", 1)[0]


@OFFSCREEN_NOISE
@pytest.mark.parametrize(("size", "palette"), [((900, 600), "light"), ((1500, 950), "dark")])
def test_the_window_chooses_shows_and_undoes(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                             size: tuple[int, int], palette: str) -> None:
    db, notes = _store(tmp_path), tmp_path / "notes.db"
    with palette_as(qapp, palette):
        window = open_window(qtbot, db, notes)
        window.resize(*size)
        gui_sql = trace_gui_sql(window)
        click_author(qtbot, window, "profile", "Lena Ortiz")
        click_row(qtbot, window, row_of_title(window, MULTIGRID))
        qtbot.waitUntil(lambda: MULTIGRID in window.detail.toPlainText())
        assert _pane_category(window) == f"{BOTH} choose…"
        assert window.findChild(CategoryDialog) is None
        shots = Path(SHOTS) if SHOTS else tmp_path
        shots.mkdir(parents=True, exist_ok=True)
        _choose(qtbot, window, 0, "math.NA",  # this paper only
                shots / f"choice-dialog-{palette}-{size[0]}.png")
        qtbot.waitUntil(lambda: _pane_category(window).startswith("math.NA"))
        assert _pane_category(window) == ("math.NA Numerical Analysis (NA on the page, your "
                                          "choice for this paper) change…")
        index = window.paper_model.index(row_of_title(window, MULTIGRID), 3)
        qtbot.waitUntil(lambda: index.data() == "math.NA")
        assert index.data(Qt.ItemDataRole.ToolTipRole) == "math.NA Numerical Analysis"
        krylov = window.paper_model.index(row_of_title(window, KRYLOV), 3)
        assert krylov.data() == "NA"
        assert window.grab().save(str(shots / f"choice-paper-{palette}-{size[0]}.png"))
        _choose(qtbot, window, 1, "cs.NA")  # every paper of Lena Ortiz
        qtbot.waitUntil(lambda: window.paper_model.index(
            row_of_title(window, KRYLOV), 3).data() == "cs.NA")
        assert window.paper_model.index(row_of_title(window, MULTIGRID), 3).data() == "math.NA"
        _choose(qtbot, window, 0, "none")  # the paper's choice undone: the profile's reads it
        qtbot.waitUntil(lambda: _pane_category(window).startswith("cs.NA"))
        assert _pane_category(window) == ("cs.NA Numerical Analysis (NA on the page, your "
                                          "choice for the papers of Lena Ortiz) change…")
        qtbot.waitUntil(lambda: window.paper_model.index(
            row_of_title(window, MULTIGRID), 3).data() == "cs.NA")
        wait_idle(qtbot, window)
        assert window.grab().save(str(shots / f"choice-profile-{palette}-{size[0]}.png"))
        assert gui_sql == []
        with UserData(notes) as ud:
            assert ud.paper(paper_id(MULTIGRID)).category is None
            assert ud.categories.profiles() == {"lena_ortiz.txt": {"NA": "cs.NA"}}


def test_the_table_menu_offers_the_choice(qtbot: QtBot, tmp_path: Path) -> None:
    db, notes = _store(tmp_path), tmp_path / "notes.db"
    window = open_window(qtbot, db, notes)
    click_row(qtbot, window, row_of_title(window, GPUS))
    qtbot.waitUntil(lambda: GPUS in window.detail.toPlainText())
    menu = window.paper_menu()
    action = next(a for a in menu.actions() if a.text() == "What the cate&gory means…")
    action.trigger()
    dialog = window.findChild(CategoryDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert [b.text() for b in dialog.buttons.values()][:2] == [
        "cs.NA  Numerical Analysis", "math.NA  Numerical Analysis"]
    assert dialog.target.itemText(1) == "For every paper of Raj Patel (raj_patel.txt)"
    assert dialog.buttons[None].isChecked()  # nothing chosen yet
    dialog.reject()
    menu.deleteLater()


def test_user_data_of_version_3_is_upgraded_with_its_notes(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    with UserData(notes) as ud:
        ud.set_note(paper_id(MULTIGRID), "check the smoother")
        ud.conn.execute("ALTER TABLE paper_notes DROP COLUMN category")  # as version 3 was
        ud.conn.execute("DROP TABLE category_choices")
        ud.conn.execute("ALTER TABLE corrections DROP COLUMN was_doubtful")  # version 5's
        ud.conn.execute("PRAGMA user_version = 3")
    with UserData(notes) as ud:
        assert ud.conn.execute("PRAGMA user_version").fetchone()[0] == 5
        assert ud.paper(paper_id(MULTIGRID)).note == "check the smoother"
        assert ud.paper(paper_id(MULTIGRID)).category is None
        ud.categories.set_paper(paper_id(MULTIGRID), "math.NA")
        ud.categories.set_profile("lena_ortiz.txt", "NA", "cs.NA")
        assert ud.paper(paper_id(MULTIGRID)).category == "math.NA"
        assert ud.categories.profiles() == {"lena_ortiz.txt": {"NA": "cs.NA"}}


def test_the_arrow_keys_choose_and_enter_saves(qtbot: QtBot, tmp_path: Path) -> None:
    """A newcomer pressed Tab, Down, Down: the focus ring moved from the first meaning,
    "no choice" stayed checked and Enter saved it. Tab lands on the checked button, the
    arrows move the choice, Enter saves it."""
    db, notes = _store(tmp_path), tmp_path / "notes.db"
    window = open_window(qtbot, db, notes)
    click_author(qtbot, window, "profile", "Lena Ortiz")
    click_row(qtbot, window, row_of_title(window, MULTIGRID))
    qtbot.waitUntil(lambda: MULTIGRID in window.detail.toPlainText())

    def opened() -> CategoryDialog:
        window.pane.follow_link(QUrl(f"paperdesk://category/{window.pane.data.paper.rid}"))
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CategoryDialog))
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CategoryDialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert QApplication.focusWidget() is dialog.target
        return dialog

    dialog = opened()  # in Lena Ortiz's scope: for every paper of hers
    assert dialog.target.currentText() == "For every paper of Lena Ortiz (lena_ortiz.txt)"
    qtbot.keyClick(dialog.target, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.buttons[None]  # the one checked
    for key, chosen in ((Qt.Key.Key_Up, "math.NA"), (Qt.Key.Key_Up, "cs.NA"),
                        (Qt.Key.Key_Down, "math.NA")):
        qtbot.keyClick(QApplication.focusWidget(), key)
        assert QApplication.focusWidget() is dialog.buttons[chosen]
        assert dialog.buttons[chosen].isChecked()
    if SHOTS:
        assert dialog.grab().save(str(Path(SHOTS) / "choice-dialog-keys.png"))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "your choice for the papers of Lena Ortiz" in _pane_category(window))
    assert _pane_category(window).startswith("math.NA Numerical Analysis")
    with UserData(notes) as ud:
        assert ud.categories.profiles() == {"lena_ortiz.txt": {"NA": "math.NA"}}
    # again: Tab lands on the choice made; for this paper only (none yet), on "no choice"
    wait_idle(qtbot, window)
    dialog = opened()
    qtbot.keyClick(dialog.target, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.buttons["math.NA"]
    dialog.target.setFocus()
    qtbot.keyClick(dialog.target, Qt.Key.Key_Up)
    assert dialog.target.currentText() == "For this paper only"
    qtbot.keyClick(dialog.target, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.buttons[None]
    qtbot.keyClick(dialog.buttons[None], Qt.Key.Key_Up)
    assert dialog.buttons["math.NA"].isChecked()
    qtbot.keyClick(dialog.buttons["math.NA"], Qt.Key.Key_Up)
    assert dialog.buttons["cs.NA"].isChecked()
    qtbot.keyClick(dialog.buttons["cs.NA"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "your choice for this paper" in _pane_category(window))
    assert _pane_category(window).startswith("cs.NA Numerical Analysis")
