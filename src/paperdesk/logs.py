"""The log a user can send with a bug report.

Python `logging` writes to a rotating file, `paperdesk.log` in the user log
folder (`~/.local/state/paperdesk/log` on Linux), so that what happened before a
problem survives the session. Modules log through `logging.getLogger(__name__)`;
only the entry points call `setup()`.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from paperdesk.paths import APP

MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_file() -> Path:
    return platformdirs.user_log_path(APP, appauthor=False) / "paperdesk.log"


def setup(level: int = logging.INFO) -> Path | None:
    """Send the package's log records to the rotating file; None if it cannot be written.

    Called once per process; a second call changes nothing. A log folder that cannot
    be created never stops the app: it runs without a log file.
    """
    root = logging.getLogger("paperdesk")
    path = log_file()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return path
