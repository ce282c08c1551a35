"""The app's threads end with it, however it ends; Qt's display needs are said in a line.

Qt aborts a process that destroys a running QThread ("QThread: Destroyed while
thread ... is still running"), so each way a window can go away runs in a child
interpreter of its own and must exit 0 with nothing from Qt on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from paperdesk import display

WAYS_TO_END = {
    "interpreter exits with the window open": """
        w = create_window(db)
        w.show()
    """,
    "interpreter exits with a window never shown": """
        w = create_window(db)
    """,
    "application quits": """
        w = create_window(db)
        w.show()
        QTimer.singleShot(300, application().quit)
        assert application().exec() == 0
    """,
    "window deleted without being closed": """
        w = create_window(db)
        w.show()
        w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        del w
        gc.collect()
        print("still here")
    """,
    "window closed, then deleted": """
        w = create_window(db)
        w.show()
        w.close()
        w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        print("still here")
    """,
}


@pytest.mark.parametrize("how", list(WAYS_TO_END))
def test_every_thread_stops_however_the_app_ends(how: str, seed_db: Path) -> None:
    script = "import gc\n" \
        "from PySide6.QtCore import QCoreApplication, QEvent, QTimer\n" \
        "from paperdesk.app import application, create_window\n" \
        f"db = {str(seed_db)!r}\n" + textwrap.dedent(WAYS_TO_END[how])
    done = subprocess.run([sys.executable, "-c", script], text=True, capture_output=True,
                          env=os.environ | {"QT_QPA_PLATFORM": "offscreen"}, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "QThread" not in done.stderr
    assert "Traceback" not in done.stderr
    if "deleted" in how:
        assert done.stdout == "still here\n"


X11 = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}


def test_missing_x_libraries_are_named_by_their_packages() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-keysyms.so.1"}
    said = display.problem(X11, loads=lambda soname: soname not in absent)
    assert said == ("Qt's X11 platform needs libraries this system lacks; on Debian or "
                    "Ubuntu: sudo apt-get install libxcb-cursor0 libxcb-keysyms1")


def test_no_problem_when_every_library_loads_or_another_platform_is_used() -> None:
    assert display.problem(X11, loads=lambda soname: True) is None
    nothing_loads = lambda soname: False  # noqa: E731
    assert display.problem({"QT_QPA_PLATFORM": "offscreen"}, loads=nothing_loads) is None
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert display.problem(wayland, loads=nothing_loads) is None
    assert display.problem({"QT_QPA_PLATFORM": "xcb", **wayland, "DISPLAY": ":0"},
                           loads=nothing_loads) is not None


def test_no_display_is_said_before_any_library_is_tried() -> None:
    tried: list[str] = []
    said = display.problem({}, loads=lambda soname: bool(tried.append(soname)))
    assert said is not None and said.startswith("no display")
    assert tried == []


def test_this_machines_libraries_are_checked_for_real() -> None:
    """Whatever this machine has: the answer names exactly the libraries that fail to load."""
    import ctypes

    missing = []
    for soname, package in display.XCB_LIBRARIES.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(package)
    said = display.problem(X11)
    if missing:
        assert said is not None and said.endswith("install " + " ".join(missing))
    else:
        assert said is None
