"""The lazy paper model: Qt's model tester, batched fetching; history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from paperdesk.gui import models
from paperdesk.gui.history import History, Location
from paperdesk.gui.models import (
    BATCH,
    PAPER_ROLE,
    PaperTableModel,
)
from paperdesk.gui.reader import Reader, Rows
from paperdesk.search import search
from paperdesk.store import Store
from tests.test_gui_support import model_on, read_rows


@pytest.fixture
def reader(seed_db: Path) -> Iterator[Reader]:
    reader = Reader(seed_db)
    yield reader
    reader.stop()


def test_paper_model_passes_the_model_tester(qtmodeltester, qtbot: QtBot, seed_db: Path,  # type: ignore[no-untyped-def]
                                             reader: Reader) -> None:
    model = model_on(reader)
    with Store(seed_db) as store:
        for text in ("", "qwen"):
            model.set_rids(search(store.conn, text).rids)
            qtmodeltester.check(model)  # rows not read yet: empty cells
            read_rows(qtbot, reader, model)
            qtmodeltester.check(model)
    model.set_rids([])
    qtmodeltester.check(model)


def test_rows_are_read_in_batches_off_the_gui_thread_and_cached(
        qtbot: QtBot, seed_db: Path, reader: Reader) -> None:
    model = model_on(reader)
    with Store(seed_db) as store:
        rids = search(store.conn, "", sort=("date", False)).rids
    model.set_rids(rids)
    assert model.fetches == 0  # nothing read until a row is shown
    assert model.index(0, 0).data() is None  # asked for: empty until the batch comes
    with qtbot.waitSignal(model.dataChanged):
        pass
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            model.index(row, column).data()
    assert model.fetches == -(-len(rids) // BATCH) == 1  # 129 rows: one batch
    assert model.index(0, 0).data() == "2018-03-02"  # 003 "LGMar 2, 2018", by hand
    # a new result keeps the cache: no more reads
    model.set_rids(list(reversed(rids)))
    model.index(0, 0).data()
    assert model.fetches == 1 and not reader.busy


def test_rows_that_come_with_the_result_need_no_read(seed_db: Path, reader: Reader) -> None:
    model = model_on(reader)
    with Store(seed_db) as store:
        rids = search(store.conn, "qwen technical report").rids
        rows = Rows(store.papers(rids[:1]))
    model.set_rids(rids, rows)
    assert model.index(0, 1).data() == "Qwen Technical Report"
    assert model.fetches == 0 and not reader.busy


def test_many_rows_fetch_only_around_what_is_shown(qtbot: QtBot, seed_db: Path,
                                                    reader: Reader) -> None:
    model = model_on(reader)
    with Store(seed_db) as store:
        rids = search(store.conn, "").rids
    model.set_rids(rids * 40)  # 5160 rows, the same papers repeated
    model.index(5000, 1).data()
    model.index(5001, 1).data()  # already asked for: no second request
    qtbot.waitUntil(lambda: not reader.busy)
    assert model.fetches == 1 and len(model._cache) <= BATCH
    assert model.index(5000, 1).data() is not None


def test_the_row_cache_keeps_the_rows_read_last_and_no_more(
        qtbot: QtBot, seed_db: Path, reader: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scrolling through a result, then showing others: the cache stays bounded, the
    rows read last stay, the oldest are forgotten and read again when shown."""
    monkeypatch.setattr(models, "BATCH", 20)
    monkeypatch.setattr(models, "CACHE_LIMIT", 50)
    model = model_on(reader)
    with Store(seed_db) as store:
        rids = search(store.conn, "", sort=("date", False)).rids  # 129 papers, oldest first
    model.set_rids(rids)
    read_rows(qtbot, reader, model)
    # rows 0-19, then a batch centred on each first unread row (20, 30, ... 120)
    # brings its 10 unread rows: 12 reads
    assert model.fetches == 12
    assert len(model._cache) == 50
    # kept: the last five reads (rows 80-128) and one row of the read before
    assert all(model.cached(rid) is not None for rid in rids[80:])
    assert sum(model.cached(rid) is not None for rid in rids[70:80]) == 1
    assert not any(model.cached(rid) for rid in rids[:70])
    assert model.index(128, 0).data() == "2026-06-02"  # the newest, 001 "HCJun 2": cached
    assert model.fetches == 12
    assert model.index(0, 0).data() is None  # forgotten: asked for again
    qtbot.waitUntil(lambda: not reader.busy)
    assert model.index(0, 0).data() == "2018-03-02" and model.fetches == 13
    assert len(model._cache) == 50


def test_table_columns(qtbot: QtBot, seed_db: Path, reader: Reader) -> None:
    model = model_on(reader)
    with Store(seed_db) as store:
        model.set_rids(search(store.conn, "qwen technical report").rids)
    read_rows(qtbot, reader, model)
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert header == ["Date", "Title", "Authors", "Category", "Code", "Score"]
    row = [model.index(0, c).data() for c in range(6)]
    # 002: "CLSep 28, 2023Code", "Jinze Bai, Shuai Bai, Yunfei Chu et al. · pku, tsinghua"
    assert row == ["2023-09-28", "Qwen Technical Report",
                   "Jinze Bai, Shuai Bai, Yunfei Chu et al.", "cs.CL", "Code", ""]
    assert model.index(0, 0).data(PAPER_ROLE).affiliations == "pku, tsinghua"


def test_scores_and_inferred_dates(qtbot: QtBot, seed_db: Path, reader: Reader) -> None:
    model = model_on(reader)
    with Store(seed_db) as store:
        model.set_rids(search(store.conn, "chartide").rids)
    read_rows(qtbot, reader, model)
    # 003: "98.8CVApr 24Code": a score, no year (2026 inferred); CV is cs.CV or math.CV,
    # and the table, which knows no profile, keeps it as the page shows it
    assert [model.index(0, c).data() for c in (0, 3, 4, 5)] == [
        "2026-04-24", "CV", "Code", "98.8"]
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == (
        "CV: Computer Vision and Pattern Recognition (cs.CV) or Complex Variables (math.CV)")
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert "assumed" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_history() -> None:
    history = History()
    a, b, c = Location("all"), Location("profile", 1), Location("profile", 1, 42)
    for loc in (a, b, b, c):
        history.visit(loc)
    assert len(history) == 3
    assert history.back() == b and history.back() == a and history.back() is None
    assert history.forward() == b
    history.visit(Location("person", "x"))
    assert not history.can_forward() and history.back() == b


def test_sort_is_delegated(qtbot: QtBot) -> None:
    model = PaperTableModel()
    with qtbot.waitSignal(model.sortRequested) as blocker:
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert blocker.args == [0, Qt.SortOrder.DescendingOrder]
