"""The window's longest stall while the table's keys act on a huge pick.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/picks_bench.py STORE [--rows 100000]

Opens the real window on STORE (a store built from bench/pagegen.py pages; notes and
settings in a temporary folder), shows every paper, picks `--rows` rows (all but the
first: a pick, not Ctrl+A) and presses S, Ctrl+Z and Ctrl+C in the table, each until
the threads are done. A timer ticks every 5 ms on the GUI thread meanwhile: the
longest gap between two ticks is the longest the window stood still (the key's own
handling included). Prints, for each key, the wall time until done and that gap; and
the same gap while the search showing every paper runs, a baseline: on a loaded
machine the threads, 5 nice steps behind the GUI, can be kept off a core while they
hold Python's lock, and the GUI thread waits for it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def _wait(done: object, timeout: float = 300.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        QApplication.processEvents()
        time.sleep(0.002)
    QApplication.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="picks-bench-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    from PySide6.QtCore import QElapsedTimer, QItemSelection, QItemSelectionModel, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from paperdesk.app import create_window
    from paperdesk.gui.history import Location

    app = QApplication.instance() or QApplication([])
    window = create_window(args.store, folder / "notes.db")
    window.resize(1400, 900)
    window.show()
    _wait(lambda: window.store_open and not window.busy)
    clock, gaps = QElapsedTimer(), [0]
    ticker = QTimer()
    ticker.setInterval(5)

    def tick() -> None:
        gaps.append(clock.restart())
    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    window.go(Location())  # a baseline: the search showing every paper, with its rows
    _wait(lambda: not window.busy and window.last_result is not None)
    ticker.stop()
    print(f"baseline, every paper shown: the window's longest stall {max(gaps)} ms")
    model = window.paper_model
    rows = min(args.rows, model.rowCount() - 1)
    picks = QItemSelection(model.index(1, 0), model.index(rows, 0))
    window.table.selectionModel().select(picks, QItemSelectionModel.SelectionFlag.Select
                                         | QItemSelectionModel.SelectionFlag.Rows)
    _wait(lambda: not window.busy)
    print(f"{model.rowCount():,} rows shown, {rows:,} picked")
    for name, key, modifier in (("S", Qt.Key.Key_S, Qt.KeyboardModifier.NoModifier),
                                ("Ctrl+Z", Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
                                ("Ctrl+C", Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)):
        gaps[:] = [0]
        clock.start()
        ticker.start()
        start = time.perf_counter()
        QTest.keyClick(window.table, key, modifier)
        _wait(lambda: not window.busy)
        took = time.perf_counter() - start
        ticker.stop()
        print(f"{name}: done in {took:.2f} s; the window's longest stall {max(gaps)} ms; "
              f"status: {window.statusBar().currentMessage()!r}")
    print(f"clipboard: {len(app.clipboard().text().splitlines()):,} lines")
    window.close()


if __name__ == "__main__":
    main()
