"""Finding page files and turning their bytes into text, with clear problems."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from paperdesk.records import Problem

_SNIFF = 8192
# The largest real page is well under 1 MB; a file beyond this is not a saved page
# (a disk image, a 4 GB sparse file) and is refused before it is read into memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024


def page_files(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Every page named by `paths`: files as given, folders' `*.txt` files sorted.

    A path that does not exist is yielded as a Problem, in its place.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), None, "no such file or folder")


def has_pages(paths: Iterable[Path]) -> bool:
    """Whether `page_files(paths)` would give at least one page file: the same answer,
    from the first file found (no listing of the whole folder, no sort)."""
    for path in paths:
        if path.is_dir():
            if any(p.is_file() for p in path.rglob("*.txt")):
                return True
        elif path.is_file():
            return True
    return False


def decode_page(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Page bytes to text. UTF-8 (with or without BOM) and UTF-16 with a BOM are
    read as such; anything else that is text is read as Windows-1252 with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [Problem(source, None, "damaged UTF-16 text")]
    if not data.strip():
        return None, [Problem(source, None, "empty file")]
    if b"\x00" in data[:_SNIFF]:
        return None, [Problem(source, None, "binary file, not a text page")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        head = data[: exc.start]  # lines by the file's own newlines: \n, \r\n or \r
        line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
        warning = Problem(source, line, "not UTF-8: read as Windows-1252 (Latin-1)", "warning")
        return data.decode("cp1252", errors="replace"), [warning]


def read_page(path: Path) -> tuple[str | None, bytes, list[Problem]]:
    """Read and decode one page file; the raw bytes come back for digesting.

    A binary file (a NUL in its first bytes) or one over MAX_PAGE_BYTES is refused
    after reading only its start."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
            if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE,
                                                        codecs.BOM_UTF16_BE)):
                return None, b"", [Problem(path.name, None, "binary file, not a text page")]
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PAGE_BYTES:
                return None, b"", [Problem(
                    path.name, None, f"file too large for a profile page ({size:,} bytes; "
                    f"the limit is {MAX_PAGE_BYTES // 2**20} MiB): not read")]
            data = head + handle.read()
    except OSError as exc:
        return None, b"", [Problem(str(path), None, f"cannot read: {exc.strerror or exc}")]
    text, problems = decode_page(data, path.name)
    return text, data, problems
