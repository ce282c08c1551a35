"""The desktop app's entry points.

`create_window(db)` returns the ready main window without entering the event
loop (tests and embedders drive it); `main(db)` is what `paperdesk gui` runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from paperdesk import paths
from paperdesk.gui.window import MainWindow

# The application icon: resources/paperdesk.svg, linked into the package so it ships.
ICON = Path(__file__).resolve().parent / "gui" / "paperdesk.svg"
DESKTOP_FILE = "paperdesk"  # resources/paperdesk.desktop, as `make install-desktop` names it


def application() -> QApplication:
    """The process's QApplication, created on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("PaperDesk")
    app.setOrganizationName("paperdesk")
    app.setDesktopFileName(DESKTOP_FILE)  # Wayland app id: the desktop entry's icon and name
    if app.windowIcon().isNull() and ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    return app


def create_window(db_path: Path, userdata_path: Path | None = None) -> MainWindow:
    """The main window on the store at `db_path`, ready but not shown.

    The user's notes live in `userdata_path` (default: userdata.db in the user
    data folder). A missing, empty or damaged store does not raise: the window
    shows what is wrong and offers to build a store from the bundled seed pages.
    """
    application()
    return MainWindow(Path(db_path), Path(userdata_path) if userdata_path else None)


def main(db_path: Path | None = None) -> int:
    """Run the app on `db_path` (default: the user's store) until its window closes."""
    app = application()
    window = create_window(db_path or paths.default_store())
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
