"""The SQLite store: building it from pages, and reading it.

A build streams pages into a temporary file beside the target and moves it into
place only when complete, so an interrupted build leaves the old store intact.
A paper seen on two pages is stored once: INSERT OR IGNORE on the stable
paper id, so deduplication needs no in-memory map, whatever the corpus size.
Rowids (`papers.rid`) are internal and may differ between builds; the stable
`papers.id` is what user data and exports use.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from paperdesk import db, fixes, fulltext_build, page_pool, page_year, paths, schema
from paperdesk.page_pool import ParsedFile
from paperdesk.pages import page_files
from paperdesk.records import Page, Problem, name_matches, name_pieces, name_sort, name_words
from paperdesk.userdata import UserDataError, default_path
from paperdesk.writer import STAGE, Writer

Progress = Callable[[int, int], None]  # (pages done, pages in all)
Fix = Callable[[Page], Page]  # the user's corrections applied to a parsed page
_BATCH = 2000


class StoreError(Exception):
    """A store that cannot be opened or written; the message is for the user."""


class UpgradeNeeded(StoreError):
    """The store is of an older schema version (see `connect(upgrade=False)`)."""


class StoreBusy(StoreError):
    """Another process holds the store's lock: wait and try again, never rebuild."""


class StoreDamaged(StoreError):
    """Not a readable PaperDesk store: only this may be offered for rebuilding."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path  # the store file


class NotAStoreFile(StoreError):
    """A path where no store file can ever be (a folder, a device, a path under a
    file): nothing is built, renamed or kept aside there; the user gives another path."""


def check_store_path(path: Path) -> None:
    """Raise NotAStoreFile when `path` can never be a store file. A missing path can (a
    build makes it), and one the system refuses to look at is left to opening to say."""
    try:
        mode = path.stat().st_mode
    except NotADirectoryError:  # some folder on the way is a file
        above = next(p for p in path.parents if there(p) and not p.is_dir())
        raise NotAStoreFile(f"{path}: {above} is a file, not a folder, so no store file can "
                            f"be made under it; give a file path in a folder, e.g. "
                            f"{above.parent / paths.STORE_NAME}") from None
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise NotAStoreFile(f"{path} is a folder, not a store file; give a file path, e.g. "
                            f"{path / paths.STORE_NAME}")
    if not stat.S_ISREG(mode):
        what = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a named pipe" if stat.S_ISFIFO(mode) else "a socket")
        raise NotAStoreFile(f"{path} is {what}, not a store file; give a file path, e.g. "
                            f"{paths.default_store()}")


def there(path: Path) -> bool:
    """Something is at `path` (False where the system refuses to look)."""
    try:
        return path.exists()
    except OSError:
        return False


def build_command(path: Path, *options: str) -> str:
    """The command that builds the store at `path` (paths.command)."""
    return paths.command("build", *options, db=path)


def rebuild_hint(path: Path, *options: str) -> str:
    """How to build the store at `path` again: from the user's own pages (a build given
    no folder reads the bundled seeds)."""
    return f"rebuild it from the folder of your pages with: {build_command(path, *options)} FOLDER"


def store_error(path: Path, exc: sqlite3.Error, doing: str = "") -> StoreError:
    """The StoreError for an sqlite3 error, chosen by its code (db.kind)."""
    kind = db.kind(exc)
    doing = f" ({doing})" if doing else ""
    if kind is db.Kind.BUSY:
        return StoreBusy(f"{path}: the store is in use by another PaperDesk or program{doing}; "
                         "try again when it is done")
    if kind is db.Kind.DAMAGED:
        return StoreDamaged(path, f"{path}: not a readable PaperDesk store ({exc}); "
                            f"{rebuild_hint(path, '--force')}")
    if kind is db.Kind.READONLY and db.journal(path).exists():
        return StoreError(f"{path}: an interrupted write left {db.journal(path).name}; "
                          "PaperDesk needs write access to its folder to restore the store "
                          "(it is not damaged)")
    return StoreError(f"{path}: cannot use the store{doing}: {db.why(exc)}")


def _damaged_inside(path: Path, found: str) -> StoreDamaged:
    return StoreDamaged(path, f"{path}: the store is damaged: part of the file cannot be read "
                        f"({found}); {rebuild_hint(path, '--force')}")


def damaged(path: Path, exc: BaseException, notes: Path | None = None) -> StoreDamaged | None:
    """What `exc`, met by a read of the store at `path`, says of the file: StoreDamaged when
    SQLite found a page of it damaged (SQLITE_CORRUPT, SQLITE_NOTADB), None for any other
    error. A file whose header and schema read fine may be damaged further in (a few
    pages overwritten): opening it says nothing, and only the read that reaches such a
    page meets it, whichever read that is.

    SQLite does not say which file the damaged page was in: when the read used the user's
    notes too (`notes`, the user-data file: attached, or a connection of its own), they
    are checked first (a small file: milliseconds), and their damage is never blamed on
    the store, which a rebuild would replace for nothing."""
    if isinstance(exc, StoreDamaged):
        return exc
    if not isinstance(exc, sqlite3.Error) or db.kind(exc) is not db.Kind.DAMAGED:
        return None
    if notes is not None and not db.sound(notes):
        return None
    return _damaged_inside(path, str(exc))


@contextlib.contextmanager
def reading(path: Path, notes: Path | None = None) -> Iterator[None]:
    """Reads of the store at `path` (and of the user's notes at `notes`) inside raise
    StoreDamaged for a damaged page they meet (see `damaged`), anything else as it was:
    what every thread that reads the store runs its reads in."""
    try:
        yield
    except sqlite3.Error as exc:
        found = damaged(path, exc, notes)
        if found is None:
            raise
        raise found from None


# A store larger than this is not checked whole at open (`find_damage`): quick_check
# reads every page and holds a read lock (a writer waits) all that time. Measured:
# 764 real pages (38 MB) 0.08 s; 100,000 papers (0.6 GB) 1.0 s with the file in memory,
# 49 s from a busy disk; 1,000,000 (5.9 GB) 586 s from the disk (64 s of CPU).
CHECKED_BYTES = 64 << 20


def find_damage(path: Path, cancelled: Callable[[], bool]) -> StoreDamaged | None:
    """SQLite's quick_check of the store at `path`, on a connection of its own: every page
    read once, so that a store damaged in the middle is said at open instead of by
    whichever read reaches the damage later. None when it is sound, larger than
    CHECKED_BYTES, or `cancelled()` (asked as SQLite works) stopped the check."""
    try:
        if path.stat().st_size > CHECKED_BYTES:
            return None
        conn = _open(path, readonly=True)
    except (OSError, StoreError):  # the open said it already, or will
        return None
    conn.set_progress_handler(lambda: int(cancelled()), UPGRADE_STEPS)
    try:
        found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.Error as exc:
        return damaged(path, exc)
    finally:
        conn.close()
    if found == ["ok"]:
        return None
    return _damaged_inside(path, "; ".join(line for text in found for line in text.splitlines()
                                         if not line.startswith("***")))


# SQLite virtual-machine steps between two looks at an upgrade's `cancelled()`.
UPGRADE_STEPS = 10_000


@dataclass
class BuildReport:
    pages: int = 0
    papers: int = 0
    people: int = 0
    entries: int = 0
    skipped_pages: int = 0
    skipped_entries: int = 0
    capture_year: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def complete(self) -> bool:
        """Everything given was imported."""
        return not self.skipped_pages and not self.skipped_entries


# ---------------------------------------------------------------- opening


def connect(path: Path, *, readonly: bool = True, upgrade: bool = True,
            timeout: float = db.BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open an existing PaperDesk store, or raise StoreError saying what is wrong.

    A store of an older schema version is upgraded in place first; with
    `upgrade=False`, UpgradeNeeded is raised instead (the window upgrades off its
    thread, see `upgrade_store`). `timeout`: seconds to wait for another writer's
    lock before StoreBusy.
    """
    check_store_path(path)
    if not path.exists():
        raise StoreError(f"{path}: no store here yet; build one with: {build_command(path)}")
    conn = _open(path, readonly, timeout)
    try:
        if check(conn, path) < schema.SCHEMA_VERSION:
            conn.close()
            if not upgrade:
                raise UpgradeNeeded(f"{path}: the store needs a one-time upgrade")
            upgrade_store(path)
            conn = _open(path, readonly)
            check(conn, path)
    except StoreError:
        conn.close()
        raise
    return conn


def _open(path: Path, readonly: bool, timeout: float = db.BUSY_TIMEOUT) -> sqlite3.Connection:
    try:
        return db.connect(path, readonly=readonly, timeout=timeout)
    except sqlite3.Error as exc:
        raise store_error(path, exc) from None


def upgrade_store(path: Path, cancelled: Callable[[], bool] | None = None) -> None:
    """Bring the store at `path` to this version's schema, each step in its own
    transaction. `cancelled()`, asked as SQLite works, stops it: the step under way
    rolls back and StoreError says so."""
    conn = _open(path, readonly=False)
    if cancelled is not None:
        conn.set_progress_handler(lambda: int(cancelled()), UPGRADE_STEPS)
    try:
        schema.upgrade(conn, str(path))
    except sqlite3.Error as exc:
        if db.kind(exc) is db.Kind.INTERRUPTED:
            raise StoreError(f"{path}: the upgrade was stopped; the store is as it was") from None
        if db.kind(exc) is db.Kind.BUSY:
            raise store_error(path, exc, "upgrading it") from None
        raise StoreError(f"{path}: cannot upgrade the store ({exc}); "
                         f"{rebuild_hint(path)}") from None
    except schema.SchemaError as exc:
        raise StoreError(f"{path}: cannot upgrade the store ({exc}); "
                         f"{rebuild_hint(path)}") from None
    finally:
        conn.close()


def check(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse a file that is not a PaperDesk store we understand; its version if usable."""
    try:
        version = schema.user_version(conn)
        if version > schema.SCHEMA_VERSION:
            raise StoreError(f"{path}: store schema version {version} is newer than this "
                             f"PaperDesk understands ({schema.SCHEMA_VERSION}); update PaperDesk")
        # sqlite_master, not sqlite-utils' table_names(): every command opens a store,
        # and none of the reading ones needs sqlite-utils (db.tables) otherwise
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version < 1 or not {"papers", "profiles", "meta"} <= tables:
            raise StoreDamaged(path, f"{path}: an SQLite file, but not a PaperDesk store")
        conn.execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()
        conn.execute("SELECT rid FROM papers LIMIT 1").fetchone()
    except sqlite3.Error as exc:  # in use is not damaged: never advise --force for it
        raise store_error(path, exc) from None
    return version


def is_replaceable(path: Path) -> bool:
    """A build may overwrite `path` without --force: absent, or a PaperDesk store.

    A store that is only in use, or that an interrupted write left to recover, is
    not 'not a store': StoreError says what it is instead."""
    check_store_path(path)
    if not path.exists():
        return True
    conn = _open(path, readonly=True)  # busy, no permission...: StoreError says so
    try:
        check(conn, path)
    except StoreDamaged:  # only what is not a readable store may be replaced (--force)
        return False
    finally:
        conn.close()
    return True


# ---------------------------------------------------------------- building


def build_store(paths: Iterable[Path], db_path: Path, year: int | None = None,
                progress: Progress | None = None, workers: int | None = None,
                userdata_path: Path | None = None, this_year: int | None = None) -> BuildReport:
    """Build a complete store at `db_path` from pages; atomic (see module doc).

    Pages are parsed in `workers` processes (None: one per core; see
    paperdesk.page_pool) while this process writes them, in page order. The user's
    corrections (in `userdata_path`, default the user's file) are applied. Dates
    without a year get `year`, else their page's (paperdesk.page_year: never later
    than `this_year`, default the clock's)."""
    files = list(page_files(paths))
    idle = page_pool.WhileWaiting()
    parsed = page_pool.parse_files(files, workers, idle=idle)
    try:
        return write_store(parsed, len(files), db_path, year, progress, userdata_path,
                           this_year, idle)
    finally:
        parsed.close()  # the workers end with the build, whatever ended it


def write_store(parsed: Iterable[ParsedFile], total: int, db_path: Path,
                year: int | None = None, progress: Progress | None = None,
                userdata_path: Path | None = None, this_year: int | None = None,
                idle: page_pool.WhileWaiting | None = None) -> BuildReport:
    """The writing half of `build_store`: `total` parsed pages, in page order; while
    it waits for the next, the writer writes its batch (`idle`)."""
    check_store_path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    files = _BuildFiles(db_path)
    files.remove()
    report = BuildReport(capture_year=year or this_year or page_year.clock_year())
    fix = user_fixes(userdata_path, report.problems)
    try:
        _build_into(files, iter(parsed), total, report, year, progress, fix, idle)
        if not report.pages:  # every page skipped: an empty store is no store
            raise StoreError(_nothing_read(db_path, report))
        _fsync(files.store)
        db.replace(files.store, db_path)
    except sqlite3.Error as exc:
        raise store_error(db_path, exc, "building; the previous store is unchanged") from None
    finally:
        files.remove()
    return report


def _nothing_read(db_path: Path, report: BuildReport) -> str:
    """What a build none of whose pages could be read says: a store with no papers
    would replace the user's good one (a file of something else given by mistake)."""
    errors = [str(problem) for problem in report.errors]
    more = [f"{len(errors) - 3} more errors"] if len(errors) > 3 else []
    why = f" ({'; '.join(errors[:3] + more)})" if errors else ""
    state = "is unchanged" if db_path.exists() else "was not made"
    return f"no page could be read{why}; {db_path} {state}"


@dataclass(frozen=True)
class _BuildFiles:
    """A build's temporary files beside its target: the store being built, the papers'
    stage and the full-text indexes' side file (paperdesk.fulltext_build)."""

    target: Path

    def _beside(self, suffix: str) -> Path:
        return self.target.with_name(f".{self.target.name}.{suffix}")

    @property
    def store(self) -> Path:
        return self._beside("building")

    @property
    def stage(self) -> Path:
        return self._beside("building-stage")

    @property
    def side(self) -> Path:
        return self._beside("building-index")

    def remove(self) -> None:
        for path in (self.store, self.stage, self.side):
            path.unlink(missing_ok=True)


def user_fixes(userdata_path: Path | None, problems: list[Problem]) -> Fix:
    """The user's corrections as a function of a parsed page; an unreadable user-data
    file is a warning (the pages are read as the parser reads them), never a failure."""
    try:
        return fixes.load(userdata_path).apply
    except (UserDataError, sqlite3.Error) as exc:
        problems.append(Problem(str(userdata_path or default_path()), None,
                                f"your corrections could not be read ({exc}); pages are "
                                "read without them", "warning"))
        return fixes.NO_FIXES.apply


def _build_into(files: _BuildFiles, parsed: Iterator[ParsedFile], total: int,
                report: BuildReport, year: int | None, progress: Progress | None,
                fix: Fix, idle: page_pool.WhileWaiting | None) -> None:
    """The store built into `files.store`. Dates without a year get `year`, else their
    page's, never later than the capture year (the clock's, paperdesk.page_year)."""
    conn = db.connect(files.store, readonly=False, create=True, autocommit=True)
    # The early flush's own descriptor (`_finish`), closed only after the connection:
    # closing any descriptor of a file drops every POSIX lock this process holds on it,
    # SQLite's exclusive lock on the store being built among them.
    flush = open(files.store, "rb")  # noqa: SIM115 (closed after conn, below)
    try:
        _fast_pragmas(conn)
        schema.upgrade(conn, str(files.store))
        _attach(conn, files.stage, STAGE)
        with db.transaction(conn, "EXCLUSIVE"):
            out = Writer(conn, bulk=True,
                         year_of=page_year.year_rule(year, report.capture_year))
            if idle is not None:
                idle.work = out.write_while_waiting
            _load(out, parsed, total, report, progress, fix)
        _finish(conn, out, files, report, flush)
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
        flush.close()


def _attach(conn: sqlite3.Connection, path: Path, name: str) -> None:
    """A scratch file, unjournalled, locked only while used: the full-text process
    (or thread) reads the stage while this connection reads it too."""
    conn.execute("ATTACH ? AS " + name, (str(path),))
    for pragma in (f"page_size = {db.SCRATCH_PAGE}", "locking_mode = NORMAL",
                   "journal_mode = OFF", "synchronous = OFF"):
        conn.execute(f"PRAGMA {name}.{pragma}")


def _finish(conn: sqlite3.Connection, out: Writer, files: _BuildFiles,
            report: BuildReport, flush: BinaryIO) -> None:
    """The build's end in two halves at once: the papers, their indexes, people and
    the author list here (`Writer.finish_rows`), the full-text indexes and the
    vocabulary in another process or, for a small build, another thread
    (paperdesk.fulltext_build), copied in after. Each
    scratch file is deleted as soon as it is used up, before the last fsync: the disk
    then does not write back what is thrown away while the store's rows wait for it."""
    side = fulltext_build.start(out.staged, files.stage, files.side,
                                fulltext_build.declarations(conn))
    background: list[threading.Thread] = []
    try:
        with db.transaction(conn, "DEFERRED"):  # a read lock on the stage, shared
            out.finish_rows()
        background.append(_in_background("flush", _sync, flush))
        side.wait()
        conn.execute(f"DETACH {STAGE}")
        background.append(_in_background("unlink", files.stage.unlink))  # used up
        _attach(conn, files.side, "side")
        with db.transaction(conn, "EXCLUSIVE"):
            counts = out.finish_bulk(report.capture_year, "side")
        conn.execute("DETACH side")
        files.side.unlink()
    finally:
        side.close()
        for thread in background:
            thread.join()
    report.papers, report.people = counts["papers"], counts["people"]


def _in_background(name: str, work: Callable[..., None], *args: object) -> threading.Thread:
    """`work(*args)` in a thread of its own, for what waits for the disk holding no GIL
    (traced at 100,000 papers, both cores idle ~1 s each): the store's rows written so
    far sent to the disk while the full-text indexes are made and copied in, so that
    the last fsync only waits for those; the used-up stage deleted meanwhile. An OSError
    is left to what follows (the last fsync, the scratch files' removal) to meet again."""
    def run() -> None:
        with contextlib.suppress(OSError):
            work(*args)

    thread = threading.Thread(target=run, name=f"paperdesk-{name}", daemon=True)
    thread.start()
    return thread


def _fast_pragmas(conn: sqlite3.Connection) -> None:
    """The temporary file is thrown away on failure, so no journal is needed."""
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")


def copy_of(page: str, first: str) -> Problem:
    """Page file `page` holds the bytes of `first`, a page read before: skipped, said."""
    return Problem(page, None, f"the same bytes as {first}: a copy, skipped (one profile "
                               "a page)", "warning")


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        _sync(handle)


def _sync(handle: BinaryIO) -> None:
    """What was written to the file open as `handle` sent to the disk."""
    os.fsync(handle.fileno())


def _load(out: Writer, parsed: Iterator[ParsedFile], total: int, report: BuildReport,
          progress: Progress | None, fix: Fix) -> None:
    """Insert every good page, with the user's corrections applied, through the
    writer's bulk mode (paperdesk.writer), up to its end (`_finish`)."""
    sources: set[str] = set()
    digests: dict[str, Path | Problem] = {}  # a page's bytes' digest: its first file
    for done, item in enumerate(parsed, start=1):
        first = digests.setdefault(item.digest, item.item) if item.digest else item.item
        if first != item.item:  # a copy (two folders, a file saved twice): one profile
            assert isinstance(item.item, Path)
            report.problems.append(copy_of(str(item.item), str(first)))
            report.skipped_pages += 1
            continue
        report.problems.extend(item.problems)
        report.skipped_entries += item.bad_entries
        page = None if item.page is None else fix(item.page)
        if page is None or not page.entries:
            report.skipped_pages += 1
        else:
            assert isinstance(item.item, Path)
            source = page.source if page.source not in sources else str(item.item)
            sources.add(source)
            profile = out.add_profile(page, source, item.item, item.digest)
            out.list_entries(profile, page, item.decoded, complete=page is item.page,
                             sorts=item.sorts)
            report.pages += 1
            report.entries += len(page.entries)
        if progress:
            progress(done, total)
    out.flush()


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class ProfileRow:
    id: int
    source: str
    name: str | None
    name_inferred: bool
    person: str | None
    field: str | None
    h_index: int | None
    paper_count: int | None
    citations: int | None
    novelty: int | None
    ai_score: int | None
    listed: int | None
    entries: int


@dataclass(frozen=True)
class PersonRow:
    key: str
    name: str
    papers: int
    profile: int | None


@dataclass(frozen=True)
class PaperRow:
    """One paper, as the table and the exports show it."""

    rid: int
    id: str
    title: str
    authors: str
    et_al: bool
    affiliations: str
    category: str
    date: str
    year: int
    year_inferred: bool
    has_code: bool
    score: float | None
    abstract: str
    doubtful: bool = False  # the parser was not sure where the title ended (schema v4)
    # The page's own text when it held LaTeX (schema v7): title and abstract hold it
    # decoded to Unicode (paperdesk.latex); the exports keep the page's.
    title_tex: str | None = None
    abstract_tex: str | None = None

    @property
    def page_title(self) -> str:
        return self.title if self.title_tex is None else self.title_tex

    @property
    def page_abstract(self) -> str:
        return self.abstract if self.abstract_tex is None else self.abstract_tex

    @property
    def author_list(self) -> list[str]:
        return self.authors.split(", ") if self.authors else []

    @property
    def affiliation_list(self) -> list[str]:
        return self.affiliations.split(", ") if self.affiliations else []


@dataclass(frozen=True)
class Author:
    name: str
    person: str
    profile: int | None  # the profile of this person, when they have a page


@dataclass(frozen=True)
class PaperDetail:
    paper: PaperRow
    authors: list[Author]
    listed_by: list[ProfileRow]


_PAPER_COLUMNS = ("rid, id, title, authors, et_al, affiliations, category, date, year,"
                  " year_inferred, has_code, score, abstract, doubtful, title_tex, abstract_tex")
_PROFILE_COLUMNS = ("id, source, name, name_inferred, person, field, h_index, paper_count,"
                    " citations, novelty, ai_score, listed, entries")


def like_escaped(text: str) -> str:
    """`text` as literal in a `LIKE ? ESCAPE '\\'` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _paper(row: tuple) -> PaperRow:  # type: ignore[type-arg]
    (rid, pid, title, authors, et_al, affil, cat, date, year, inferred, code, score, abstract,
     doubtful, title_tex, abstract_tex) = row
    return PaperRow(rid, pid, title, authors, bool(et_al), affil, cat, date, year,
                    bool(inferred), bool(code), score, abstract, bool(doubtful), title_tex,
                    abstract_tex)


def _by_shared(rows: Iterable[tuple], limit: int) -> list[tuple[PersonRow, int]]:  # type: ignore[type-arg]
    """The first `limit` co-authors, most shared papers first, then by name as the author
    list sorts names (records.name_sort: family name first). Sorted here, as SQLite
    cannot: every group is counted before any order anyway, so only rows cross over."""
    found = [(PersonRow(*r[:4]), r[4]) for r in rows]
    found.sort(key=lambda pair: (-pair[1], name_sort(pair[0].name), pair[0].key))
    return found[:limit]


def _profile(row: tuple) -> ProfileRow:  # type: ignore[type-arg]
    values = list(row)
    values[3] = bool(values[3])
    return ProfileRow(*values)


# Page cache of a connection that reads a few rows at a time (the window's own and
# its row reader's): SQLite's default of 2 MiB per connection would only fill with
# pages read once, while the OS already caches the file. Search connections keep
# the default, which their index scans use.
SMALL_CACHE_KIB = 256


class Store:
    """Read access to a built store. One instance per thread."""

    def __init__(self, path: Path, *, cache_kib: int | None = None,
                 upgrade: bool = True, timeout: float = db.BUSY_TIMEOUT) -> None:
        """`cache_kib`: this connection's page cache (None: SQLite's default);
        `upgrade`, `timeout`: see `connect`."""
        self.path = path
        self.conn = connect(path, upgrade=upgrade, timeout=timeout)
        if cache_kib is not None:
            self.conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def paper_total(self) -> int:
        """Kept in meta by the build: no count(*) over the papers."""
        return int(self.meta("papers") or 0)

    def profiles(self, text: str = "") -> list[ProfileRow]:
        """Profiles by name as the author list sorts them (records.name_sort: family name
        first); with `text`, those whose name (or page file, when it has none) has words
        starting with its words, as the author list's filter reads them
        (records.name_pieces: `lust` finds Dieter Lüst, `j lian` Jianxun Lian)."""
        rows = sorted((_profile(r) for r in self.conn.execute(
            f"SELECT {_PROFILE_COLUMNS} FROM profiles")),
            key=lambda p: (name_sort(p.name or p.source), p.id))
        if not text:
            return rows
        pieces = name_pieces(text)
        return [p for p in rows if name_matches(name_words(p.name or p.source), pieces)]

    def profile_count(self) -> int:
        """The build's figure."""
        return int(self.meta("profiles") or 0)

    def profiles_by_id(self, ids_json: str) -> list[ProfileRow]:
        """Profiles whose id is in `ids_json` (a JSON array: one prepared statement)."""
        sql = (f"SELECT {_PROFILE_COLUMNS} FROM profiles"
               " WHERE id IN (SELECT value FROM json_each(?))")
        return [_profile(r) for r in self.conn.execute(sql, (ids_json,))]

    def profile(self, profile_id: int) -> ProfileRow | None:
        sql = f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE id = ?"
        row = self.conn.execute(sql, (profile_id,)).fetchone()
        return _profile(row) if row else None

    def person(self, key: str) -> PersonRow | None:
        row = self.conn.execute("SELECT key, name, papers, profile FROM people WHERE key = ?",
                                (key,)).fetchone()
        return PersonRow(*row) if row else None

    def papers(self, rids: Iterable[int]) -> dict[int, PaperRow]:
        """Rows by rowid. The ids go in as one JSON array, so that every call is the
        same statement (one prepared statement, not one per list length)."""
        sql = (f"SELECT {_PAPER_COLUMNS} FROM papers"
               " WHERE rid IN (SELECT value FROM json_each(?))")
        return {r[0]: _paper(r) for r in self.conn.execute(sql, (json.dumps(list(rids)),))}

    def paper_ids(self, rids: Sequence[int]) -> list[str]:
        """The papers.id of each rowid, in their order (a rowid not in the store: left
        out); one statement however many (the table's pick of thousands of rows)."""
        found = dict(self.conn.execute("SELECT rid, id FROM papers"
                                       " WHERE rid IN (SELECT value FROM json_each(?))",
                                       (json.dumps(list(rids)),)))
        return [found[rid] for rid in rids if rid in found]

    def needs_review(self, limit: int = -1) -> tuple[int, list[int]]:
        """The author list's "Needs review": how many papers the parser was not sure how
        to read (`is:doubtful`) and their rowids, newest first; read off the small
        partial index `papers_doubtful` (schema v7), never a scan of the papers."""
        rids = [r[0] for r in self.conn.execute(
            "SELECT rid FROM papers INDEXED BY papers_doubtful WHERE doubtful"
            " ORDER BY date DESC, rid DESC LIMIT ?", (limit,))]
        if 0 <= limit <= len(rids):
            count = self.conn.execute("SELECT count(*) FROM papers INDEXED BY papers_doubtful"
                                      " WHERE doubtful").fetchone()[0]
            return int(count), rids
        return len(rids), rids

    def paper_by_id(self, pid: str) -> PaperRow | None:
        row = self.conn.execute(f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id = ?",
                                (pid,)).fetchone()
        return _paper(row) if row else None

    def detail(self, rid: int) -> PaperDetail | None:
        paper = self.papers([rid]).get(rid)
        if paper is None:
            return None
        authors = [Author(*r) for r in self.conn.execute(
            "SELECT pa.name, pa.person, people.profile FROM paper_authors pa"
            " LEFT JOIN people ON people.key = pa.person"
            " WHERE pa.paper = ? ORDER BY pa.position", (rid,))]
        return PaperDetail(paper, authors, self.listing(rid))

    def listing(self, rid: int) -> list[ProfileRow]:
        """The profiles whose pages list paper `rid`."""
        return [_profile(r) for r in self.conn.execute(
            f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE id IN"
            " (SELECT profile FROM profile_papers WHERE paper = ?) ORDER BY id", (rid,))]

    def papers_per_year(self, profile_id: int) -> list[tuple[int, int]]:
        return list(self.conn.execute(
            "SELECT p.year, count(*) FROM profile_papers pp"
            "  JOIN papers p INDEXED BY papers_row ON p.rid = pp.paper"
            " WHERE pp.profile = ? GROUP BY p.year ORDER BY p.year", (profile_id,)))

    def categories(self, profile_id: int) -> list[tuple[str, int]]:
        """A profile's category mix, most papers first."""
        return list(self.conn.execute(
            "SELECT p.category, count(*) AS n FROM profile_papers pp"
            " JOIN papers p ON p.rid = pp.paper WHERE pp.profile = ?"
            " GROUP BY p.category ORDER BY n DESC, p.category", (profile_id,)))

    def category_codes(self) -> list[str]:
        """Every category code the papers carry, as their pages show it (one step
        per code along papers_category: 1 ms at a million papers)."""
        return [code for (code,) in self.conn.execute("SELECT DISTINCT category FROM papers")]

    def coauthors(self, profile_id: int, limit: int = 50) -> list[tuple[PersonRow, int]]:
        """People named on a profile's papers, the owner left out, most shared papers first."""
        rows = self.conn.execute(
            "SELECT people.key, people.name, people.papers, people.profile,"
            "       count(DISTINCT pa.paper) AS n"
            "  FROM profile_papers pp JOIN paper_authors pa ON pa.paper = pp.paper"
            "  JOIN people ON people.key = pa.person"
            " WHERE pp.profile = ?"
            "   AND pa.person IS NOT (SELECT person FROM profiles WHERE id = ?)"
            " GROUP BY people.key", (profile_id, profile_id))
        return _by_shared(rows, limit)

    def person_per_year(self, key: str) -> list[tuple[int, int]]:
        """The papers naming person `key`, by year (the year read off papers_row, which
        holds it by rowid: a paper's whole row, abstract and all, read from a cold disk
        cost 0.65 s for 1,547 papers at a million, 0.14 s so)."""
        return list(self.conn.execute(
            "SELECT p.year, count(DISTINCT pa.paper) FROM paper_authors pa"
            "  JOIN papers p INDEXED BY papers_row ON p.rid = pa.paper WHERE pa.person = ?"
            " GROUP BY p.year ORDER BY p.year", (key,)))

    def person_coauthors(self, key: str, limit: int = 50) -> list[tuple[PersonRow, int]]:
        """The people named on person `key`'s papers, most shared papers first."""
        rows = self.conn.execute(
            "SELECT people.key, people.name, people.papers, people.profile,"
            "       count(DISTINCT b.paper) AS n"
            "  FROM paper_authors a JOIN paper_authors b ON b.paper = a.paper"
            "  JOIN people ON people.key = b.person"
            " WHERE a.person = ? AND b.person <> ?"
            " GROUP BY people.key", (key, key))
        return _by_shared(rows, limit)

    def coauthor_count(self, profile_id: int) -> int:
        """How many people a profile's papers name, the owner left out (as `coauthors`:
        after the user's decisions about people, which rewrite paper_authors)."""
        row = self.conn.execute(
            "SELECT count(DISTINCT pa.person)"
            "  FROM profile_papers pp JOIN paper_authors pa ON pa.paper = pp.paper"
            " WHERE pp.profile = ?"
            "   AND pa.person IS NOT (SELECT person FROM profiles WHERE id = ?)",
            (profile_id, profile_id)).fetchone()
        return int(row[0])

    def profile_codes(self, profile_id: int, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(paper id, category code) of those of `ids` the profile lists."""
        return list(self.conn.execute(
            "SELECT p.id, p.category FROM profile_papers pp JOIN papers p ON p.rid = pp.paper"
            " WHERE pp.profile = ? AND p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id",
            (profile_id, json.dumps(sorted(ids)))))

    def profile_paper_ids(self, profile_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT p.id FROM profile_papers pp JOIN papers p ON p.rid = pp.paper"
            " WHERE pp.profile = ? ORDER BY pp.position", (profile_id,))]

    def iter_papers(self) -> Iterator[PaperRow]:
        """Every paper, oldest build order first, streamed."""
        for row in self.conn.execute(f"SELECT {_PAPER_COLUMNS} FROM papers ORDER BY date, rid"):
            yield _paper(row)

    def summary(self) -> dict[str, int]:
        return {k: int(self.meta(k) or 0) for k in ("profiles", "papers", "people",
                                                     "capture_year")}

    def candidate_paper_ids(self, profile_id: int) -> list[str]:
        """The ids of a profile owner's papers: those their page lists and those that
        name them on another page (for the committee's notes in paperdesk.report)."""
        return [r[0] for r in self.conn.execute(
            "SELECT p.id FROM papers p WHERE p.rid IN"
            " (SELECT paper FROM profile_papers WHERE profile = :id"
            "  UNION SELECT pa.paper FROM paper_authors pa"
            "  JOIN profiles pr ON pr.person = pa.person WHERE pr.id = :id)",
            {"id": profile_id})]

    def latest_papers(self, profile_id: int, limit: int) -> list[PaperRow]:
        """The newest `limit` papers a profile's page lists, newest first."""
        return [_paper(r) for r in self.conn.execute(
            f"SELECT {_PAPER_COLUMNS} FROM papers WHERE rid IN"
            " (SELECT paper FROM profile_papers WHERE profile = ?)"
            " ORDER BY date DESC, rid DESC LIMIT ?", (profile_id, limit))]

    def profile_by_source(self, source: str) -> ProfileRow | None:
        """The profile read from the page file named `source` (as `profiles.source`)."""
        row = self.conn.execute(f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE source = ?",
                                (source,)).fetchone()
        return _profile(row) if row else None


def find_profiles(store: Store, names: Sequence[str]) -> list[ProfileRow]:
    """The profile each name means: the one read from the page file so named, else the
    one so named (any case), else the only one whose name's words start with its words
    (accents and case folded, as the author list's filter reads them). StoreError
    names every name not found, and lists the profiles an ambiguous one names: every
    command that takes a profile's name (`report`, `similar --profile`) reads it so."""
    found, problems = [], []
    for name in names:
        by_source = store.profile_by_source(name)
        matches = [by_source] if by_source else store.profiles(name)
        exact = [p for p in matches if (p.name or "").casefold() == name.casefold()]
        chosen = exact or matches
        if len(chosen) == 1:
            found.append(chosen[0])
        elif not chosen:
            problems.append(f"no profile named like {name!r}")
        else:
            shown = ", ".join(f"{p.name or p.source} ({p.source})" for p in chosen[:5])
            more = f" and {len(chosen) - 5} more" if len(chosen) > 5 else ""
            problems.append(f"{name!r} names {len(chosen)} profiles: {shown}{more}; give "
                            "more of the name, or the page file")
    if problems:
        raise StoreError(f"{store.path}: {'; '.join(problems)}")
    return found
