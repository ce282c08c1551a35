"""Where PaperDesk keeps things: the bundled seeds and the user's data folder."""

from __future__ import annotations

import shlex
from importlib.resources import files
from pathlib import Path

import platformdirs

APP = "paperdesk"
STORE_NAME = "paperdesk.db"  # the default store's file name, in the data folder
USERDATA_NAME = "userdata.db"  # the default notes file's


def bundled_seeds() -> Path:
    """The five seed pages shipped inside the package."""
    return Path(str(files(APP) / "seeds"))


def data_dir() -> Path:
    """The user data folder (XDG_DATA_HOME on Linux), created on demand."""
    return platformdirs.user_data_path(APP, appauthor=False, ensure_exists=True)


def default_store() -> Path:
    return data_dir() / STORE_NAME


def command(*words: str, db: Path | None = None, userdata: Path | None = None) -> str:
    """A `paperdesk` command for a message to suggest, quoted for a shell (so said after a
    colon), with --db and --userdata for a store or notes file that is not the default:
    a hint that left them out would act on the default files instead."""
    said = ["paperdesk", *words]
    if db is not None and db.absolute() != default_store().absolute():
        said += ["--db", str(db)]
    if userdata is not None and userdata.absolute() != (data_dir() / USERDATA_NAME).absolute():
        said += ["--userdata", str(userdata)]
    return shlex.join(said)
