"""How long the paper table takes to paint a full page, beside a bare QTableView.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/paint_bench.py [--dark] [--repeat 60]

Builds a store from the bundled seeds in a temporary folder (settings and notes
there too), opens the real window at each size, types a search whose words match
many titles (so the title column draws its highlights), and times
`viewport().repaint()` of the table, which paints every visible cell synchronously,
in turns with the baseline's (a busy machine slows both alike; compare the ratio).
The baseline is a bare QTableView in the same process, same size, column widths
and row height, over a QStandardItemModel holding the same texts: what Qt itself
costs for the same cells, with no Python in the paint.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from screenshot import seeds_app


def _wait(done: object, timeout: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        QApplication.processEvents()
        time.sleep(0.005)
    QApplication.processEvents()


def _time_repaints(views: list[object], repeat: int) -> list[list[float]]:
    """ms per repaint of each view, taken in turns (a busy machine slows both alike)."""
    viewports = [view.viewport() for view in views]  # type: ignore[attr-defined]
    for viewport in viewports:
        viewport.repaint()  # warm: fonts, caches
    times: list[list[float]] = [[] for _ in views]
    for _ in range(repeat):
        for viewport, taken in zip(viewports, times, strict=True):
            start = time.perf_counter()
            viewport.repaint()
            taken.append((time.perf_counter() - start) * 1000)
    return times


def _bare_copy(table: object) -> object:
    """A bare QTableView showing the same texts, sizes and row height as `table`."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QHeaderView, QTableView

    model = table.model()  # type: ignore[attr-defined]
    bare_model = QStandardItemModel(model.rowCount(), model.columnCount())
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            bare_model.setItem(row, column, QStandardItem(model.index(row, column).data() or ""))
    bare = QTableView()
    bare.setModel(bare_model)
    bare.setWordWrap(False)
    bare.setAlternatingRowColors(True)
    bare.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    bare.verticalHeader().setDefaultSectionSize(
        table.verticalHeader().defaultSectionSize())  # type: ignore[attr-defined]
    bare.verticalHeader().hide()
    for column in range(model.columnCount()):
        bare.horizontalHeader().resizeSection(
            column, table.columnWidth(column))  # type: ignore[attr-defined]
    bare.resize(table.size())  # type: ignore[attr-defined]
    bare.setBareModel = bare_model  # type: ignore[attr-defined]  # keep it alive
    return bare


def _figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="Fusion style, dark palette")
    parser.add_argument("--repeat", type=int, default=100, help="repaints timed per size")
    parser.add_argument("--search", default="model", help="the search typed")
    parser.add_argument("--sizes", default="900x600,1600x1000")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        _app, db = seeds_app(Path(tmp), args.dark)
        from paperdesk.app import create_window

        for size in args.sizes.split(","):
            width, height = (int(v) for v in size.split("x"))
            window = create_window(db, Path(tmp) / "userdata.db")
            window.resize(width, height)
            window.show()
            _wait(lambda w=window: not w.busy)
            window.search_box.setText(args.search)
            _wait(lambda w=window: not w.busy)
            table = window.table
            table.setFocus()
            table.setCurrentIndex(window.paper_model.index(0, 1))
            _wait(lambda: False, 0.2)
            shown = table.rowAt(table.viewport().height() - 1)
            rows = window.paper_model.rowCount() if shown < 0 else shown + 1
            bare = _bare_copy(table)
            bare.show()  # type: ignore[attr-defined]
            _wait(lambda: False, 0.2)
            paper, baseline = _time_repaints([table, bare], args.repeat)
            ratio = statistics.median(paper) / statistics.median(baseline)
            print(f"{size}: {rows} rows x {window.paper_model.columnCount()} columns visible "
                  f"({window.paper_model.rowCount()} in the table)")
            print(f"  paper table      {_figures(paper)}")
            print(f"  bare QTableView  {_figures(baseline)}   ratio {ratio:.1f}x")
            bare.close()  # type: ignore[attr-defined]
            window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
