"""Files the user names: text read the way pages are read, and output written whole.

A command reads an abstract, a notes backup; it writes a report, a backup. Each such
file is the user's word, so each failure names it as the user gave it: never a
traceback of a decode error, never the name of the temporary file a write goes
through ("/x/r.pdf: cannot write it: no folder /x", not "/x/.r.pdf.writing").
"""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from paperdesk.pages import MAX_PAGE_BYTES, decode_page
from paperdesk.records import Problem

T = TypeVar("T")
_HEAD = 8192  # the bytes looked at for a NUL: binary


class UserFileError(ValueError):
    """A file the user named that cannot be read or written; the message names it."""


def read_text(path: Path, what: str, limit: int = MAX_PAGE_BYTES, stream: bool = True
              ) -> tuple[str, list[Problem]]:
    """The text of `path` (`what` it is for the message: "the abstract"), decoded as
    pages are (`pages.decode_page`: UTF-8, UTF-16 with a BOM, else Windows-1252 with
    a warning, which comes back); UserFileError for a file that is missing, a folder,
    empty, binary or larger than `limit` bytes (a file that says so is not read; a
    stream, such as /dev/zero, is read to `limit` and no further). `stream`: a FIFO
    or a device may be read (`--abstract-file <(pbpaste)`); without it, anything but
    a regular file is refused before it is opened (a FIFO with no writer would wait
    for ever)."""
    try:
        mode = path.stat().st_mode
        if not stream and not stat.S_ISREG(mode):
            raise UserFileError(f"{path}: cannot read {what}: "
                                f"{_no_file(mode)}, not a regular file")
        with path.open("rb") as handle:
            opened = os.fstat(handle.fileno())
            if stat.S_ISREG(opened.st_mode) and opened.st_size > limit:
                raise UserFileError(_too_large(path, what, limit))
            head = handle.read(_HEAD)
            if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE,
                                                        codecs.BOM_UTF16_BE)):
                raise UserFileError(f"{path}: cannot read {what}: a binary file, not text")
            data = head + handle.read(limit + 1 - len(head))
    except OSError as exc:
        raise UserFileError(f"{path}: cannot read {what}: {_why(exc)}") from None
    if len(data) > limit:
        raise UserFileError(_too_large(path, what, limit))
    text, problems = decode_page(data, str(path))
    if text is None:
        raise UserFileError(f"{path}: cannot read {what}: {problems[0].message}")
    return text, problems


def _too_large(path: Path, what: str, limit: int) -> str:
    return (f"{path}: cannot read {what}: larger than {limit // 2**20} MiB, the most "
            f"{what} may be")


def _no_file(mode: int) -> str:
    """What a path that is no regular file is, for a message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"


def written(path: Path, write: Callable[[Path], T]) -> T:
    """`write` to a file beside `path`, moved there when complete: a failed or
    interrupted write never leaves half a file, nor destroys the one that was there.

    The file written is the one `path` names: a symlink's target (the link stays),
    with the permission bits of the file it replaces (a 0600 backup stays private; a
    new file has the umask's). A FIFO or a character device (a pipe another program
    reads, /dev/stdout, a terminal) is written into, never replaced (`_written_into`).
    A folder that is missing, or not a folder, is said before anything is written."""
    try:
        there: os.stat_result | None = path.stat()  # through links: what is written
    except FileNotFoundError:
        there = None  # a new file (or a link to one)
    except OSError as exc:
        raise UserFileError(f"{path}: cannot write it: {_why(exc)}") from None
    if there is not None and stat.S_ISDIR(there.st_mode):
        raise UserFileError(f"{path}: is a folder; give a file name in it")
    if there is not None and not stat.S_ISREG(there.st_mode):
        return _written_into(path, there.st_mode, write)  # /dev/stdout: opened as named
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if not folder.is_dir():
        missing = "is not a folder" if folder.exists() else "does not exist"
        raise UserFileError(f"{path}: cannot write it: the folder {folder} {missing}")
    tmp = target.with_name(f".{target.name}.writing")
    try:
        result = write(tmp)
        if there is not None:
            tmp.chmod(stat.S_IMODE(there.st_mode))
        tmp.replace(target)
    except OSError as exc:
        raise UserFileError(f"{path}: cannot write it: {_why(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return result


def _written_into(path: Path, mode: int, write: Callable[[Path], T]) -> T:
    """`write` to a temporary file, then its bytes copied into `path`, a FIFO or a
    character device: what the user named is a stream another program reads, to be
    written as a shell's `>` writes it (a FIFO waits for its reader), not a file to
    replace. Written whole first, so a failed write sends nothing, and any writer
    works (a PDF's may seek, which a pipe cannot). A block device (a disk: the output
    would overwrite what it holds) or a socket is refused."""
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        kind = "a disk device" if stat.S_ISBLK(mode) else "not a file"
        raise UserFileError(f"{path}: cannot write it: {kind}; give a file name")
    with tempfile.TemporaryDirectory(prefix="paperdesk-") as folder:
        tmp = Path(folder, "output")
        try:
            result = write(tmp)
            with tmp.open("rb") as data, path.open("wb") as out:
                shutil.copyfileobj(data, out)
        except OSError as exc:
            raise UserFileError(f"{path}: cannot write it: {_why(exc)}") from None
    return result


def _why(exc: OSError) -> str:
    """What the system said, without the file name it adds (ours may be a temporary)."""
    return exc.strerror or str(exc)
