"""The desktop app's entry points.

`create_window(db)` returns the ready main window without entering the event
loop (tests and embedders drive it); `main(db)` is what `paperdesk gui` runs.

However the process ends (the last window closed, `QApplication.quit()`, SIGTERM
or Ctrl+C in the terminal, or an interpreter that exits with a window still
open), every main window is closed first, so that its threads stop and its
connections close: Qt aborts a process that destroys a running QThread.
"""

from __future__ import annotations

import atexit
import gc
import logging
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from paperdesk import paths
from paperdesk.gui.window import MainWindow

log = logging.getLogger(__name__)

# The application icon: resources/paperdesk.svg, linked into the package so it ships.
ICON = Path(__file__).resolve().parent / "gui" / "paperdesk.svg"
DESKTOP_FILE = "paperdesk"  # resources/paperdesk.desktop, as `make install-desktop` names it
SIGNAL_POLL_MS = 200  # how often Python gets the chance to run a signal handler

GIL_SWITCH_S = 0.001  # see application()


def application() -> QApplication:
    """The process's QApplication, created on first use."""
    app = QApplication.instance()
    if app is None:
        # A paint calls into Python for every cell, and each call takes the GIL. While
        # a worker thread (search, reader, author list) runs Python, CPython hands the
        # GIL over only every switch interval (5 ms by default): a paint waiting for it
        # a few times stalls the window. 1 ms bounds each wait.
        sys.setswitchinterval(GIL_SWITCH_S)
        app = QApplication(sys.argv[:1])
        app.aboutToQuit.connect(close_windows)
        atexit.register(close_windows)
    assert isinstance(app, QApplication)
    app.setApplicationName("PaperDesk")
    app.setOrganizationName("paperdesk")
    app.setDesktopFileName(DESKTOP_FILE)  # Wayland app id: the desktop entry's icon and name
    if app.windowIcon().isNull() and ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    return app


def close_windows() -> None:
    """Close every open main window: its threads stop, its state and notes are saved."""
    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()


def create_window(db_path: Path, userdata_path: Path | None = None) -> MainWindow:
    """The main window on the store at `db_path`, not shown. It comes back at once: the
    notes file and then the store open on their own threads (`storeOpened` says when).

    The user's notes live in `userdata_path` (default: userdata.db in the user
    data folder). A missing, empty or damaged store does not raise: the window
    shows what is wrong and offers to build a store from the bundled seed pages.
    """
    application()
    return MainWindow(Path(db_path), Path(userdata_path) if userdata_path else None)


def settle_heap() -> None:
    """Put every object made so far out of the garbage collector's reach (gc.freeze):
    start-up's objects (modules, Qt wrappers, the window) live as long as the process.

    A full collection walks every tracked object with Python's lock held, whichever
    thread's allocations set it off: at start-up's 56,000 objects that is 20-30 ms, and
    when the search thread's set it off while the user typed, the GUI thread stood still
    for it (bench/search_bench.py typing at 1M papers: a 38 ms stall with 2 ms of the
    GUI thread's own CPU). Frozen, they are not walked; what is made later still is."""
    gc.freeze()


def _quit_on_signals(app: QApplication) -> QTimer:
    """SIGTERM and SIGINT quit the event loop cleanly instead of killing the process.

    Python runs signal handlers only between bytecodes, so a timer wakes the
    interpreter while Qt waits for events."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda received, _frame: _quit(app, received))
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(SIGNAL_POLL_MS)
    return timer


def _quit(app: QApplication, signum: int) -> None:
    log.info("received %s: quitting", signal.Signals(signum).name)
    app.quit()


def main(db_path: Path | None = None) -> int:
    """Run the app on `db_path` (default: the user's store) until its window closes."""
    app = application()
    _quit_on_signals(app)
    window = create_window(db_path or paths.default_store())
    window.show()
    settle_heap()
    log.info("window open on %s", window.db_path)
    status = app.exec()
    log.info("app closed (exit status %d)", status)
    return status


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
