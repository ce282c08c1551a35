"""Ambiguous arXiv short forms (issue 13): `NA` is cs.NA or math.NA. The page's code is
kept; a label reads it by the profile's field (paperdesk.categories gives the rule)
and otherwise names every category it may be. Pages and expected labels by hand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paperdesk import categories
from paperdesk.gui import render
from paperdesk.gui.history import Location
from paperdesk.gui.insights import CompareDialog, compare_rows
from paperdesk.gui.pane import PaneRequest, build_pane
from paperdesk.store import Store, build_store
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_author,
    click_row,
    open_window,
    palette_as,
    row_of_title,
)

SHOTS = os.environ.get("PAPERDESK_SHOTS")
SHARED = ("NAMar 3, 2021", "Mixed Precision Iterative Refinement", "Mia Rossi, Raj Patel")
PAGES = {
    # a mathematician whose field line is NA itself, beside math-only codes
    "mia_rossi.txt": ("Mia Rossi\n\nNA\n\n", [
        ("NAJan 5, 2022", "Stable Splitting Schemes", "Mia Rossi, Ugo Bini"),
        ("AGFeb 7, 2021", "Moduli of Curves in Positive Characteristic", "Mia Rossi"),
        ("NTApr 9, 2020", "Primes in Short Progressions", "Mia Rossi, Eva Sala"),
        SHARED]),
    # a computer scientist whose header names LG; NA beside IR
    "raj_patel.txt": ("Raj Patel\n\nLG\nh-index7\n4papers\n\n", [
        ("NAJun 2, 2022", "Sparse Solvers on GPUs", "Raj Patel, Tom Wu"),
        ("LGMay 1, 2021", "Learning Rate Warmup Revisited", "Raj Patel"),
        ("IRJul 8, 2020", "Dense Retrieval for Code", "Raj Patel, Ana Cruz"),
        SHARED]),
    # nothing but NA: nothing settles it
    "lena_ortiz.txt": ("Lena Ortiz\n\n", [
        ("NAAug 3, 2022", "Multigrid Preconditioners for Stokes Flow", "Lena Ortiz"),
        ("NASep 4, 2021", "Krylov Subspace Recycling", "Lena Ortiz, Kai Berg")]),
}
BOTH = "NA: Numerical Analysis (cs.NA or math.NA)"


def _store(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, (header, entries) in PAGES.items():
        body = "".join(f"{meta}\n{title}\n\n{authors}\n\nAn abstract about {title}.\n\n"
                       for meta, title, authors in entries)
        (folder / name).write_text(header + body, encoding="utf-8")
    db = tmp_path / "store.db"
    assert build_store([folder], db).papers == 9
    return db


def test_labels_name_every_category_unless_a_field_settles_it() -> None:
    assert categories.label("NA") == BOTH
    assert categories.label("NA", "math") == "math.NA Numerical Analysis"
    assert categories.label("NA", "cs") == "cs.NA Numerical Analysis"
    assert categories.label("NA", "physics") == BOTH  # no physics NA: still both
    assert categories.label("CO") == ("CO: Cosmology and Nongalactic Astrophysics "
                                      "(astro-ph.CO), Combinatorics (math.CO) or "
                                      "Computation (stat.CO)")
    assert categories.label("CO", "physics") == (
        "astro-ph.CO Cosmology and Nongalactic Astrophysics")
    assert categories.label("IR", "math") == "cs.IR Information Retrieval"
    assert categories.label("ZQ") == "ZQ"
    assert (categories.full_code("NA"), categories.full_code("NA", "math")) == ("NA", "math.NA")
    assert categories.full_code("hep-th") == "hep-th"


def test_a_profiles_field() -> None:
    pf = categories.profile_field
    assert pf(None, [("NA", 1), ("AG", 1), ("NT", 1)]) == "math"
    assert pf("LG", [("NA", 5)]) == "cs"  # the header's one-field code decides
    assert pf(None, [("NA", 5), ("IR", 1)]) == "cs"
    assert pf(None, [("NA", 2)]) is None  # cs and math as likely
    assert pf("NA", [("NA", 3), ("AP", 1)]) == "math"  # AP: math.AP or stat.AP
    assert pf(None, [("hep-th", 2), ("CO", 1)]) == "physics"
    assert pf(None, []) is None
    assert categories.paper_field(["math", None]) == "math"
    assert categories.paper_field(["math", "cs"]) is None


def _pane_text(store: Store, title: str) -> str:
    rid = store.conn.execute("SELECT rid FROM papers WHERE title = ?", (title,)).fetchone()[0]
    html = build_pane(store, None, PaneRequest(rid, Location("all", None))).html
    return html


@pytest.mark.parametrize(("title", "label"), [
    ("Stable Splitting Schemes", "math.NA Numerical Analysis <span style=\"color:#666666\">"
     "(NA on the page, read by the field of the profile listing it: math)</span>"),
    ("Sparse Solvers on GPUs", "cs.NA Numerical Analysis <span style=\"color:#666666\">"
     "(NA on the page, read by the field of the profile listing it: cs)</span>"),
    ("Multigrid Preconditioners for Stokes Flow", BOTH),
    ("Mixed Precision Iterative Refinement", BOTH),  # a math and a cs profile list it
    ("Dense Retrieval for Code", "cs.IR Information Retrieval"),
])
def test_the_pane_reads_na_by_the_listing_profiles_field(tmp_path: Path, title: str,
                                                         label: str) -> None:
    with Store(_store(tmp_path)) as store:
        assert f"Category</td><td>{label}</td>" in _pane_text(store, title)


def test_in_a_profiles_scope_its_field_reads_a_paper_other_profiles_list_too(
        qtbot: QtBot, tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store:
        by_name = {p.name: p.id for p in store.profiles("")}
        rid = store.conn.execute("SELECT rid FROM papers WHERE title = ?",
                                 (SHARED[1],)).fetchone()[0]
        for name, label in (("Mia Rossi", "math.NA"), ("Raj Patel", "cs.NA")):
            html = build_pane(store, None,
                              PaneRequest(rid, Location("profile", by_name[name]))).html
            assert f"Category</td><td>{label} Numerical Analysis <span" in html
    window = open_window(qtbot, db)
    for name, code in (("Mia Rossi", "math.NA"), ("Raj Patel", "cs.NA")):
        click_author(qtbot, window, "profile", name)
        index = window.paper_model.index(row_of_title(window, SHARED[1]), 3)
        assert index.data() == code
        assert index.data(Qt.ItemDataRole.ToolTipRole) == f"{code} Numerical Analysis"
    click_author(qtbot, window, "all", "All papers")
    index = window.paper_model.index(row_of_title(window, SHARED[1]), 3)
    assert (index.data(), index.data(Qt.ItemDataRole.ToolTipRole)) == ("NA", BOTH)


def test_profile_panes_chart_codes_by_the_profiles_field(tmp_path: Path) -> None:
    with Store(_store(tmp_path)) as store:
        charts = {}
        for profile in store.profiles(""):
            html = build_pane(store, None,
                              PaneRequest(None, Location("profile", profile.id))).html
            charts[profile.name] = html.split("<h3>Categories</h3>", 1)[1].split("<h3>")[0]
        assert ">math.NA<" in charts["Mia Rossi"] and ">math.AG<" in charts["Mia Rossi"]
        assert ">cs.NA<" in charts["Raj Patel"] and ">cs.LG<" in charts["Raj Patel"]
        assert ">NA<" in charts["Lena Ortiz"] and ".NA<" not in charts["Lena Ortiz"]


def test_the_profile_pane_and_the_comparison_read_the_header_field(qtbot: QtBot,
                                                                     tmp_path: Path) -> None:
    with Store(_store(tmp_path)) as store:
        by_name = {p.name: p for p in store.profiles("")}
        mia = by_name["Mia Rossi"]
        html = build_pane(store, None, PaneRequest(None, Location("profile", mia.id))).html
        assert "Field</td><td>math.NA Numerical Analysis</td>" in html
        rows = compare_rows(store, [by_name[n].id for n in ("Mia Rossi", "Raj Patel",
                                                               "Lena Ortiz")])
    assert [(r.profile.name, r.reading.field) for r in rows] == [
        ("Mia Rossi", "math"), ("Raj Patel", "cs"), ("Lena Ortiz", None)]
    dialog = CompareDialog(rows)
    qtbot.addWidget(dialog)
    cells = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1)
             for r in range(dialog.table.rowCount())}
    assert cells["Mia Rossi"].text() == "math.NA"
    assert cells["Mia Rossi"].toolTip() == "math.NA Numerical Analysis"
    assert cells["Raj Patel"].text() == "cs.LG"
    assert cells["Lena Ortiz"].text() == "—"


def test_the_table_keeps_the_pages_code_and_its_tooltip_names_every_meaning() -> None:
    assert render.full_code("NA") == "NA"
    assert render.category_label("NA") == BOTH



@OFFSCREEN_NOISE
@pytest.mark.parametrize(("size", "palette"), [((900, 600), "light"), ((1500, 950), "dark")])
def test_the_window_names_na_by_field(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                      size: tuple[int, int], palette: str) -> None:
    db = _store(tmp_path)
    with palette_as(qapp, palette):
        window = open_window(qtbot, db)
        window.resize(*size)
        for owner, title, label in [
                ("Mia Rossi", "Stable Splitting Schemes", "math.NA Numerical Analysis (NA on "
                 "the page, read by the field of the profile listing it: math)"),
                ("Raj Patel", "Sparse Solvers on GPUs", "cs.NA Numerical Analysis"),
                ("Lena Ortiz", "Krylov Subspace Recycling", BOTH)]:
            click_author(qtbot, window, "profile", owner)
            click_row(qtbot, window, row_of_title(window, title))
            qtbot.waitUntil(lambda t=title: t in window.detail.toPlainText())
            assert f"Category\n{label}" in window.detail.toPlainText()
            row = row_of_title(window, title)
            assert window.paper_model.index(row, 3).data() == label.split(" ")[0].rstrip(":")
            shots = Path(SHOTS) if SHOTS else tmp_path
            shots.mkdir(parents=True, exist_ok=True)
            name = owner.split()[0].lower()
            assert window.grab().save(str(shots / f"na-{name}-{palette}-{size[0]}.png"))
