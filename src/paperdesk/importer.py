"""Re-importing pages into an existing store, in place (File → Import pages…).

A page is matched to a profile by its file name (``profiles.source``), unless it
comes from another folder and names another researcher: then it is a profile of
its own, stored under its full path, as a build stores the second page of one
file name (a page never replaces another researcher's profile). A page
whose bytes are unchanged (``profiles.digest``, the sha1 of the bytes) is
skipped right after hashing. A changed page rewrites its profile: figures,
listing (``profile_papers``), and the papers it brings; a new page adds a
profile. The report says what changed, page by page: "3 new papers,
h-index 18 → 20, 1 paper no longer listed".

The whole import is one transaction on the real store: a cancel (checked
between pages) or any failure rolls it back, leaving the store as it was.

Choices
-------
* A paper already in the store is read anew when its text on the page changed (an
  author list the site mended: it had been kept as first stored, "no change to
  papers") and no page the store took before this one lists it; a later page's
  other reading changes nothing, as in a build, where the first page's is kept. Its
  id stays: the user's notes stay (writer.Writer._reread).
* A paper no longer listed by any profile is DELETED (papers, paper_authors, its
  FTS entry via the 'delete' command with its old values), so the store holds
  what a fresh build from the same pages would hold. The user's notes on it are
  keyed by paper id in the separate user-data file (paperdesk.userdata) and are
  not touched; they reattach if the paper comes back.
* A known page that now yields no entry at all (emptied, damaged) is reported
  as skipped with its problems and its profile is left as it was.
* Dates without a year get their page's year as a build gives it
  (paperdesk.page_year: the order of a page whose dates run newest first, never
  later than the year the import runs in), or `year`, when given; papers already
  stored keep theirs.
* Counts of affected people (authors of papers added or removed, old and new
  profile owners) are recomputed, people left with no paper are removed, new
  ones inserted, and meta 'papers', 'people', 'profiles' updated.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from paperdesk import db, page_pool, page_year, store
from paperdesk.page_pool import ParsedFile
from paperdesk.pages import MISSING, has_pages, page_files, read_page
from paperdesk.parser import ParseCancelled
from paperdesk.records import Page, Problem, person_key
from paperdesk.store import StoreBusy, StoreError
from paperdesk.writer import Writer

Progress = Callable[[int, int], None]  # (pages done, pages in all)
BUSY_TIMEOUT = 5.0  # seconds to wait for another writer before giving up
Status = Literal["new", "changed", "unchanged", "skipped"]

# Header figures compared on a re-import, with the label the report uses.
FIGURES: tuple[tuple[str, str], ...] = (
    ("name", "name"), ("field", "field"), ("h_index", "h-index"),
    ("paper_count", "paper count"), ("citations", "citations"), ("novelty", "novelty"),
    ("ai_score", "AI score"),
)
_PROFILE_FIGURES = ", ".join(f for f, _ in FIGURES)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 paper', '2 papers'; `many` for a word that does not take an s ('people')."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def skipped(pages: int, entries: int) -> str:
    """'0 pages, 1 entry': what a build or an import skipped, said one way wherever it is
    (a page skipped whole is not counted again as its entries; a total of both mixed
    them: a line said '0 skipped' over a skipped entry)."""
    return f"{plural(pages, 'page')}, {plural(entries, 'entry', 'entries')}"


def _shown(value: object) -> str:
    return "none" if value is None else str(value)


@dataclass
class PageChange:
    """What one page did to the store."""

    source: str                  # profiles.source: the file name
    path: str
    status: Status
    profile: int | None = None   # profiles.id (None when skipped)
    new_papers: list[str] = field(default_factory=list)      # ids newly listed, page order
    dropped_papers: list[str] = field(default_factory=list)  # ids no longer listed
    reread_papers: list[str] = field(default_factory=list)  # ids whose text changed
    known_papers: int = 0  # of new_papers, those in the store before (another page's)
    figures: dict[str, tuple[object, object]] = field(default_factory=dict)  # label: old, new
    reordered: bool = False

    def summary(self) -> str:
        """e.g. '3 new papers, h-index 18 → 20, 1 paper no longer listed'."""
        if self.status in ("unchanged", "skipped"):
            return self.status
        parts: list[str] = []
        if self.new_papers and self.known_papers:  # "14 new papers", "0 papers added"
            known = self.known_papers
            parts.append(f"{plural(len(self.new_papers), 'paper')} newly listed ({known} "
                         f"already in the store: another page lists "
                         f"{'it' if known == 1 else 'them'})")
        elif self.new_papers:
            parts.append(plural(len(self.new_papers), "new paper"))
        if self.status == "changed":
            parts.extend(f"{label} {_shown(old)} → {_shown(new)}"
                         for label, (old, new) in self.figures.items())
            if self.dropped_papers:
                n = len(self.dropped_papers)
                parts.append(f"{plural(n, 'paper')} no longer listed")
            if self.reread_papers:
                n = len(self.reread_papers)
                parts.append(f"{plural(n, 'paper')} read anew (text changed on the page)")
            if self.reordered:
                parts.append("papers reordered")
        if not parts:
            return "no change to papers or figures"
        return ", ".join(parts)

    def __str__(self) -> str:
        kind = {"new": "new page", "changed": "changed"}.get(self.status, self.status)
        return f"{self.source}: {kind}: {self.summary()}" if self.status in (
            "new", "changed") else f"{self.source}: {kind}"


@dataclass
class ImportReport:
    pages: list[PageChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False
    capture_year: int = 0
    papers_added: int = 0     # new to the store
    papers_removed: int = 0   # listed by no profile any more, so deleted
    skipped_entries: int = 0
    missing: int = 0          # paths given that are not there (each one of `problems`)
    unreadable: int = 0       # folders that cannot be read (each one of `problems`)

    def _with(self, status: Status) -> list[PageChange]:
        return [p for p in self.pages if p.status == status]

    @property
    def new(self) -> list[PageChange]:
        return self._with("new")

    @property
    def changed(self) -> list[PageChange]:
        return self._with("changed")

    @property
    def unchanged(self) -> list[PageChange]:
        return self._with("unchanged")

    @property
    def skipped(self) -> list[PageChange]:
        return self._with("skipped")

    @property
    def skipped_pages(self) -> int:
        """Pages skipped, an unreadable folder counted as one (as a build counts it)."""
        return len(self.skipped) + self.unreadable

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def complete(self) -> bool:
        return (not self.cancelled and not self.skipped and not self.skipped_entries
                and not self.missing and not self.unreadable)

    @property
    def verb(self) -> str:
        """"Imported", or "Nothing imported" when no page was read (an empty or binary
        file given alone: the window said "Imported" over its error)."""
        read = self.new or self.changed or self.unchanged
        return "Imported" if read else "Nothing imported"

    def summary(self) -> str:
        if self.cancelled:
            return "import cancelled: the store is unchanged"
        return (f"{plural(len(self.new), 'new page')}, {len(self.changed)} changed, "
                f"{len(self.unchanged)} unchanged; "
                f"{plural(self.papers_added, 'paper')} added, "
                f"{self.papers_removed} removed; "
                f"skipped {skipped(self.skipped_pages, self.skipped_entries)}"
                + (f"; {plural(self.missing, 'path')} not found" if self.missing else ""))


class _Cancelled(Exception):
    pass


def _given_pages(paths: list[Path], report: ImportReport) -> list[Path]:
    """The page files `paths` name. A path that is not there is a problem said once (it
    is no page, so no page line says it again: `missing`), and so is a folder that
    cannot be read (`unreadable`: skipped, as a build counts it); a folder with no
    pages in it, and none such, is said too, as a build says it."""
    files: list[Path] = []
    for item in page_files(paths):
        if isinstance(item, Problem):
            report.problems.append(item)
            if item.message == MISSING:
                report.missing += 1
            else:
                report.unreadable += 1
        else:
            files.append(item)
    said = {problem.source for problem in report.problems}
    report.problems.extend(Problem(str(path), None, "no pages in it", "warning")
                           for path in paths if path.is_dir() and str(path) not in said
                           and not has_pages([path]))
    return files


@dataclass
class _State:
    out: Writer  # the one writer, incremental (paperdesk.writer)
    sources: set[str] = field(default_factory=set)
    digests: dict[str, str] | None = None  # a page's digest: its profile's source (`_copy`)
    cancel: Callable[[], bool] | None = None  # also asked while a long page is parsed
    fix: store.Fix = lambda page: page  # the user's corrections (paperdesk.fixes)


def import_pages(db_path: Path, paths: Iterable[Path], year: int | None = None,
                 cancel: Callable[[], bool] | None = None,
                 progress: Progress | None = None,
                 workers: int | None = None,
                 userdata_path: Path | None = None,
                 this_year: int | None = None) -> ImportReport:
    """Import pages into the store at `db_path` in place; one transaction (see module doc).
    The user's corrections (in `userdata_path`, default the user's file) are applied.
    `this_year`: the year the import runs in (default the clock's).

    Unchanged pages cost a hash; the changed ones are parsed in `workers` processes
    when there are many (paperdesk.page_pool) while this one writes them, in order.
    Raises StoreError when the store cannot be opened or written (nothing changed).
    """
    paths = list(paths)
    report = ImportReport(capture_year=year or this_year or page_year.clock_year())
    files = _given_pages(paths, report)
    fix = store.user_fixes(userdata_path, report.problems)
    conn = store.connect(db_path, readonly=False)
    conn.isolation_level = None
    parsed = None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        with db.transaction(conn):
            years = page_year.year_rule(year, report.capture_year)
            state = _State(Writer(conn, bulk=False, year_of=years),
                           cancel=cancel, fix=fix)
            looks = [_look(conn, item, state) for item in files]
            parsed = page_pool.parse_files([look.item for look in looks if look.changed],
                                           workers, cancelled=cancel)
            for done, look in enumerate(looks, start=1):
                if cancel is not None and cancel():
                    raise _Cancelled
                report.pages.append(_import_item(conn, look, parsed, state, report))
                if progress:
                    progress(done, len(files))
            if cancel is not None and cancel():
                raise _Cancelled
            report.papers_removed = state.out.finish_incremental(len(report.new))
            report.papers_added = state.out.papers_added
    except (_Cancelled, ParseCancelled):
        report.cancelled = True
        report.pages.clear()
        report.papers_added = report.papers_removed = 0
    except sqlite3.Error as exc:
        why = ("another PaperDesk or program is using the store; try again when it is done"
               if db.kind(exc) is db.Kind.BUSY else db.why(exc))
        error = StoreBusy if db.kind(exc) is db.Kind.BUSY else StoreError
        raise error(f"{db_path}: import failed ({why}); the store is unchanged") from None
    finally:
        if parsed is not None:
            parsed.close()
        conn.close()
    return report


@dataclass
class _Look:
    """One page file as a first look at its bytes found it: is there anything to parse?"""

    item: Path
    source: str
    problems: list[Problem]  # reading's
    digest: str = ""
    old: tuple | None = None  # type: ignore[type-arg]  # the profile stored under `source`
    changed: bool = False  # to be parsed


def _look(conn: sqlite3.Connection, item: Path, state: _State) -> _Look:
    """Read and hash a page; unchanged pages stop here."""
    text, data, problems = read_page(item)
    source = item.name if item.name not in state.sources else str(item)
    state.sources.add(source)
    if text is None:
        return _Look(item, source, problems)
    digest = hashlib.sha1(data).hexdigest()
    old = _stored(conn, source)
    first = _copy(conn, state, digest, source) if old is None else None
    if first is not None:  # a new page holding another's bytes: as a build, one profile
        return _Look(item, source, [*problems, store.copy_of(str(item), first)])
    return _Look(item, source, problems, digest, old, old is None or old[1] != digest)


def _copy(conn: sqlite3.Connection, state: _State, digest: str, source: str) -> str | None:
    """The page whose bytes a new page `source` holds (a profile's, or a page of this
    import), or None; read once an import (no index on the digests)."""
    if state.digests is None:
        state.digests = dict(conn.execute("SELECT digest, source FROM profiles"))
    known = state.digests.get(digest)
    if known is None:
        state.digests[digest] = source
    return known


def _import_item(conn: sqlite3.Connection, look: _Look, parsed: Iterator[ParsedFile],
                 state: _State, report: ImportReport) -> PageChange:
    item, source, old = look.item, look.source, look.old
    if not look.changed:
        report.problems.extend(look.problems)
        status: Status = "unchanged" if look.digest else "skipped"
        return PageChange(source, str(item), status, old[0] if old else None)
    got = next(parsed)
    assert got.item == item
    page = None if got.page is None else state.fix(got.page)  # the user's corrections
    if page is None:  # no longer readable since its first look
        report.problems.extend(got.problems)
        return PageChange(source, str(item), "skipped", old[0] if old else None)
    if old is not None and _someone_else(old, page, item):
        source = str(item)  # as a build names the second page of that file name
        state.sources.add(source)
        old = _stored(conn, source)
        if old is not None and old[1] == look.digest:
            report.problems.extend(look.problems)
            return PageChange(source, str(item), "unchanged", old[0])
    report.problems.extend(got.problems)  # reading's and parsing's
    report.skipped_entries += got.bad_entries
    if not page.entries:
        return PageChange(source, str(item), "skipped", old[0] if old else None)
    return _write_page(conn, page, source, item, look.digest, old, state, got)


def _stored(conn: sqlite3.Connection, source: str) -> tuple | None:  # type: ignore[type-arg]
    """The profile stored under `source`: id, digest, the FIGURES, path, owner."""
    return conn.execute(f"SELECT id, digest, {_PROFILE_FIGURES}, path, person FROM profiles"
                        " WHERE source = ?", (source,)).fetchone()


def _someone_else(old: tuple, page: Page, path: Path) -> bool:  # type: ignore[type-arg]
    """A page of the stored file name, but from another folder and about another
    researcher: a profile is the file name *and* its owner, never the name alone."""
    stored_path, stored_owner = old[-2], old[-1]
    owner = person_key(page.name) if page.name else None
    return stored_path != str(path) and stored_owner != owner


def _write_page(conn: sqlite3.Connection, page: Page, source: str, path: Path, digest: str,
                old: tuple | None, state: _State,  # type: ignore[type-arg]
                parsed: ParsedFile) -> PageChange:
    """Write one changed page: its profile, then its entries; says what changed.
    `parsed`: the page as the parsing process read it (its texts' LaTeX decoded, its
    author lists' sort forms made)."""
    out = state.out
    if old is None:
        profile = out.add_profile(page, source, path, digest)
        change, old_ids = PageChange(source, str(path), "new", profile), []
    else:
        profile = old[0]
        change = PageChange(source, str(path), "changed", profile)
        header = page.header
        new_figures = (page.name, header.field, header.h_index, header.paper_count,
                       header.citations, header.novelty, header.ai_score)
        for (_, label), before, after in zip(FIGURES, old[2:2 + len(FIGURES)], new_figures,
                                               strict=True):
            if before != after:
                change.figures[label] = (before, after)
        old_ids = [pid for _, pid in out.update_profile(profile, page, path, digest)]
    listed = out.list_entries(profile, page, parsed.decoded, sorts=parsed.sorts)
    new_ids, change.reread_papers = listed.ids, listed.reread
    was, now = set(old_ids), set(new_ids)
    change.new_papers = [pid for pid in new_ids if pid not in was]
    change.known_papers = len(set(change.new_papers) & set(listed.stored))
    change.dropped_papers = [pid for pid in old_ids if pid not in now]
    common_old = [pid for pid in old_ids if pid in now]
    common_new = [pid for pid in new_ids if pid in was]
    change.reordered = common_old != common_new
    return change
