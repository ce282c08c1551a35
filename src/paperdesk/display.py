"""Can Qt open a window here? Said in one line before Qt would abort.

Qt's xcb platform plugin (X11, and XWayland) needs X libraries that a minimal
Debian or Ubuntu lacks; when one is missing, or there is no display at all, Qt
prints a page of advice and aborts the process. `problem()` answers the same
question first, by loading those libraries the way the plugin would, so that the
app can name the packages to install instead.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# The shared libraries Qt 6's libqxcb.so needs beyond Qt itself (`ldd` on the
# plugin and libQt6XcbQpa), each with the Debian/Ubuntu package that ships it.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt will try the xcb plugin first (Linux, X11 or no session type)."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def problem(env: Mapping[str, str] | None = None,
            loads: Callable[[str], bool] = _loads) -> str | None:
    """One line saying why Qt cannot open a window here, or None when it can."""
    env = os.environ if env is None else env
    if not uses_xcb(env):
        return None
    if not env.get("DISPLAY"):
        return ("no display to open a window on (DISPLAY is not set): run PaperDesk in a "
                "desktop session, or set QT_QPA_PLATFORM=offscreen to run it without one")
    missing = [package for soname, package in XCB_LIBRARIES.items() if not loads(soname)]
    if missing:
        return ("Qt's X11 platform needs libraries this system lacks; on Debian or Ubuntu: "
                f"sudo apt-get install {' '.join(missing)}")
    return None
