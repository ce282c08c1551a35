"""The app's settings: an INI file in the user config folder (XDG_CONFIG_HOME on Linux)."""

from __future__ import annotations

import platformdirs
from PySide6.QtCore import QSettings

from paperdesk import paths


def settings() -> QSettings:
    path = platformdirs.user_config_path(paths.APP, appauthor=False) / "paperdesk.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)
