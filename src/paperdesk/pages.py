"""Finding page files and turning their bytes into text, with clear problems."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from paperdesk.records import Problem

_SNIFF = 8192
# Control bytes that text rarely holds: C0 but tab, line feed, vertical tab, form feed
# and carriage return (the parser reads those as white space or line ends), and DEL.
# Many of them in a file's start: binary. A few: a text page; its NULs are removed (no
# text holds one, and none ever reached the store), the rest kept as text (the exports
# and the window show them harmlessly: tests/test_export_safety.py).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the parser's line ends (parser._lines)
_NEWLINE_BYTES = re.compile(rb"(\r\n|\r|\n)")  # the same, kept by split
# The start of a file format that is no text page, however few control bytes its start
# has (a PDF's first objects, a zip's first name can be plain ASCII).
_SIGNATURES = (b"%PDF-", b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"GIF87a",
               b"GIF89a", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"SQLite format 3\x00",
               b"%!PS-Adobe")
NUL_LINES_SAID = 10  # lines with NULs said one by one; the rest in one warning
# The largest real page is well under 1 MB; a file beyond this is not a saved page
# (a disk image, a 4 GB sparse file) and is refused before it is read into memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024


MISSING = "no such file or folder"


def page_files(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Every page named by `paths`: files as given, folders' `*.txt` files sorted.

    A path that does not exist is yielded as a Problem (MISSING), in its place; so is
    each folder that cannot be read (`cannot read this folder (Permission denied)`),
    after its readable folders' pages: never skipped silently, as `Path.rglob` does.
    """
    for path in paths:
        if path.is_dir():
            unreadable: list[OSError] = []
            yield from sorted(_folder_pages(path, unreadable.append))
            yield from (Problem(str(exc.filename), None,
                                f"cannot read this folder ({exc.strerror or exc})")
                        for exc in unreadable)
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), None, MISSING)


def _folder_pages(folder: Path, onerror: Callable[[OSError], None] | None = None
                  ) -> Iterator[Path]:
    """The `*.txt` files in `folder` and its folders (not those behind a link to a
    folder), as found; each folder that cannot be listed goes to `onerror`."""
    for top, _folders, names in os.walk(folder, onerror=onerror):
        for name in names:
            if name.endswith(".txt") and (page := Path(top, name)).is_file():
                yield page


def has_pages(paths: Iterable[Path]) -> bool:
    """Whether `page_files(paths)` would give at least one page file: the same answer,
    from the first file found (no listing of the whole folder, no sort)."""
    for path in paths:
        if path.is_dir():
            if next(_folder_pages(path), None) is not None:
                return True
        elif path.is_file():
            return True
    return False


def no_pages_why(paths: Iterable[Path], empty: str = "no pages in it") -> str:
    """Why `paths`, which hold no page (`has_pages` is False), hold none, path by path:
    what `page_files` says (not there, a folder that cannot be read), else `empty`."""
    why: list[str] = []
    for path in paths:
        problems = [item for item in page_files([path]) if isinstance(item, Problem)]
        why.extend(f"{problem.source}: {problem.message}" for problem in problems)
        if not problems:
            why.append(f"{path}: {empty}")
    return "; ".join(why)


def decode_page(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Page bytes to text. UTF-8 (with or without BOM) and UTF-16 with a BOM are
    read as such; bytes that are not UTF-8 are read as Windows-1252, with warnings
    (`_mixed_decode`: the rest of such a page is still read as UTF-8).
    Stray NULs are removed from the text, each line with some warned of
    (`without_nul`); a binary file is refused (`is_binary`)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return without_nul(data.decode("utf-16"), source)
        except UnicodeDecodeError:
            return None, [Problem(source, None, "damaged UTF-16 text")]
    if not data.strip():
        return None, [Problem(source, None, "empty file")]
    if is_binary(data[:_SNIFF]):
        return None, [Problem(source, None, "binary file, not a text page")]
    try:
        return without_nul(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError:
        text, problems = _mixed_decode(data.removeprefix(codecs.BOM_UTF8), source)
        text, nul_problems = without_nul(text, source)
        return text, [*problems, *nul_problems]


def _as_windows_1252(exc: UnicodeError) -> tuple[str, int]:
    """The `decode` error handler "paperdesk-cp1252": bytes that are not UTF-8 read as
    Windows-1252 (its five unassigned bytes as U+FFFD)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("paperdesk-cp1252", _as_windows_1252)


def _mixed_decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Bytes that are not all UTF-8, line by line (the file's own newlines): UTF-8
    wherever it is valid, each byte that is not read as Windows-1252, so one stray
    byte alters nothing else (`René` stays `René` on every other line, and on its
    own). A page with no valid UTF-8 beyond ASCII anywhere is a Windows-1252 page:
    one warning, at its first such line. Otherwise each line with bytes not UTF-8 is
    warned of (the first NUL_LINES_SAID; one more warning counts the rest)."""
    texts: list[str] = []
    bad: list[int] = []  # the lines with bytes that are not UTF-8
    utf8 = False  # valid UTF-8 beyond ASCII seen: not a Windows-1252 page
    for index, piece in enumerate(_NEWLINE_BYTES.split(data)):  # line, newline, line...
        if index % 2:
            texts.append(piece.decode("ascii"))
            continue
        try:
            line = piece.decode("utf-8")
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            line = piece.decode("utf-8", errors="paperdesk-cp1252")
            utf8 = utf8 or line != piece.decode("cp1252", errors="replace")
            bad.append(index // 2 + 1)
        texts.append(line)
    text = "".join(texts)
    if not utf8:
        return text, [Problem(source, bad[0], "not UTF-8: read as Windows-1252 (Latin-1)",
                              "warning")]
    problems = [Problem(source, number, "not UTF-8: this line's bytes that are not UTF-8 "
                        "read as Windows-1252 (Latin-1), the rest of the page as UTF-8", "warning")
                for number in bad[:NUL_LINES_SAID]]
    if len(bad) > NUL_LINES_SAID:
        problems.append(Problem(source, None, "not UTF-8 on "
                                f"{len(bad) - NUL_LINES_SAID} more lines: read the same way",
                                "warning"))
    return text, problems


def is_binary(head: bytes) -> bool:
    """Whether a file starting with `head` is no text page: a known binary format, or
    more than 1 % control bytes (compressed data has about 11 %). A text page with a
    few stray ones (a NUL from a bad copy) is a page: `without_nul` cleans it."""
    if head.startswith(_SIGNATURES):
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control * 100 > len(head)


def without_nul(text: str, source: str) -> tuple[str, list[Problem]]:
    """`text` without its NULs, and a warning naming each line that had some (the first
    NUL_LINES_SAID; one more warning counts the rest)."""
    if "\x00" not in text:
        return text, []
    problems = []
    lines = _NEWLINE.split(text.removeprefix("\ufeff"))
    bad = [(number, count) for number, line in enumerate(lines, 1)
           if (count := line.count("\x00"))]
    for number, count in bad[:NUL_LINES_SAID]:
        problems.append(Problem(source, number, f"{count} NUL byte{'s' if count != 1 else ''}"
                                " removed", "warning"))
    if len(bad) > NUL_LINES_SAID:
        problems.append(Problem(source, None, f"NUL bytes removed on "
                                f"{len(bad) - NUL_LINES_SAID} more lines", "warning"))
    return text.replace("\x00", ""), problems


def read_page(path: Path) -> tuple[str | None, bytes, list[Problem]]:
    """Read and decode one page file; the raw bytes come back for digesting.

    A binary file (`is_binary` of its first bytes) or one over MAX_PAGE_BYTES is refused
    after reading only its start."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
            if is_binary(head) and not head.startswith((codecs.BOM_UTF16_LE,
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
