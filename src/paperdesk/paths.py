"""Where PaperDesk keeps things: the bundled seeds and the user's data folder."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import platformdirs

APP = "paperdesk"


def bundled_seeds() -> Path:
    """The five seed pages shipped inside the package."""
    return Path(str(files(APP) / "seeds"))


def data_dir() -> Path:
    """The user data folder (XDG_DATA_HOME on Linux), created on demand."""
    return platformdirs.user_data_path(APP, appauthor=False, ensure_exists=True)


def default_store() -> Path:
    return data_dir() / "paperdesk.db"
