"""Automatic backups of the user's own data: rotating JSON files beside it.

The store can always be built again from pages; the user's stars, tags and notes
cannot. So PaperDesk keeps, in a `backups` folder beside the user-data file,
the last KEEP daily copies (made when the window or a `userdata` command first
opens the file on a day) and the last KEEP copies made before every restore.
Each is a `paperdesk userdata export` file: `paperdesk userdata import --replace
FILE` brings it back. A damaged file is backed up with what can still be read.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from paperdesk.userdata import UserData, UserDataError

KEEP = 10
DAILY = "daily"


def folder(userdata_path: Path) -> Path:
    return userdata_path.parent / "backups"


def backup(notes: UserData, reason: str = DAILY) -> Path | None:
    """Write a backup of `notes`; the path, or None when none was needed.

    `reason` DAILY makes one a day, and none of a file with nothing in it; any
    other reason ("before-restore") makes one every time. Only the newest KEEP
    of each reason are kept."""
    data = notes.export_json()
    if reason == DAILY and not (data["papers"] or data["people"]):
        return None
    where = folder(notes.path)
    now = datetime.datetime.now()
    if reason == DAILY:
        path = where / f"{notes.path.stem}-{now:%Y-%m-%d}-{reason}.json"
        if path.exists():
            return None
    else:
        path = where / f"{notes.path.stem}-{now:%Y-%m-%dT%H%M%S.%f}-{reason}.json"
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserDataError(f"{where}: cannot make the backup folder "
                            f"({exc.strerror or exc})") from None
    notes.export_file(path, data)
    for old in sorted(where.glob(f"{notes.path.stem}-*-{reason}.json"))[:-KEEP]:
        old.unlink(missing_ok=True)
    return path


def kept(userdata_path: Path, reason: str = DAILY) -> list[Path]:
    """The backups of `reason` there are, oldest first."""
    return sorted(folder(userdata_path).glob(f"{userdata_path.stem}-*-{reason}.json"))
