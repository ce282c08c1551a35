"""The `paperdesk` command: build, export, search, and the desktop app.

Every failure a user can cause ends in a one-line message on stderr and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from paperdesk import (
    arguments,
    backups,
    categories,
    command_options,
    corrections,
    display,
    follow,
    logs,
    paths,
)
from paperdesk import db as dbfiles
from paperdesk.corrections import CorrectionError
from paperdesk.export import FORMATS, export, json_text, terminal_safe
from paperdesk.identity import apply as identities
from paperdesk.importer import import_pages, plural, skipped
from paperdesk.page_pool import collecting_less
from paperdesk.pages import has_pages, no_pages_why
from paperdesk.readings import ChoiceError, choose_for_page, choose_for_paper
from paperdesk.store import (
    BuildReport,
    Store,
    StoreError,
    build_store,
    check_store_path,
    damaged,
    is_replaceable,
)
from paperdesk.userdata import PaperNotes, UserData, UserDataError, attach, read_backup
from paperdesk.userdata import default_path as default_userdata_path
from paperdesk.userfiles import UserFileError

log = logging.getLogger(__name__)

EXIT_SKIPPED = 1
EXIT_ERROR = 2


def _user_data_commands(sub: argparse._SubParsersAction
                        ) -> tuple[argparse.ArgumentParser, ...]:
    """The commands that keep the user's own data: userdata, correct, owner, category
    (those that read the store come back, for --db)."""
    user = sub.add_parser("userdata", help="back up or restore your stars, tags and notes")
    actions = user.add_subparsers(dest="action", required=True)
    user_export = actions.add_parser("export", help="write a backup file")
    user_export.add_argument("file", nargs="?", type=Path,
                             help="the backup file (default: stdout)")
    user_import = actions.add_parser("import", help="restore a backup file")
    user_import.add_argument("file", type=Path, help="the backup file")
    choice = user_import.add_mutually_exclusive_group()
    choice.add_argument("--merge", action="store_true",
                        help="keep what is here and add the backup's")
    choice.add_argument("--replace", action="store_true",
                        help="replace what is here without asking (a copy is kept in the "
                             "backups folder first)")
    for action in (user_export, user_import):
        action.add_argument("--userdata", type=Path,
                            help="the user-data file (default: data folder)")
    fix = sub.add_parser("correct", help="correct a paper's title/author boundary or names")
    fix.add_argument("paper", metavar="PAPER-ID", help="the paper's id (as search prints it)")
    fix.add_argument("--title", help="the title as it should read")
    fix.add_argument("--authors", help="the authors as they should read, comma-separated")
    fix.add_argument("--undo", action="store_true", help="forget the paper's correction")
    owner = sub.add_parser("owner", help="name the owner of a page that does not say it")
    owner.add_argument("page", help="the page's file name (as the app's Page row shows it)")
    owner.add_argument("name", nargs="?", help="the owner's name (none: forget the decision)")
    for command in (fix, owner):
        command.add_argument("--userdata", type=Path,
                             help="the user-data file the decision is kept in "
                                  "(default: data folder)")
    cat = sub.add_parser("category", help="say what an ambiguous category code (NA: cs.NA "
                         "or math.NA) means, for one paper or every paper of a page")
    cat.add_argument("what", nargs="+", metavar="PAPER-ID [MEANING] | PAGE CODE [MEANING]",
                     help="a paper id (as search prints it) and the full code it means, or "
                          "with --page a page's file name, a code as pages show it and the "
                          "full code it means there; without MEANING: what it may be")
    cat.add_argument("--page", action="store_true", help="choose for every paper of a page")
    cat.add_argument("--undo", action="store_true", help="forget the choice")
    cat.add_argument("--userdata", type=Path,
                     help="the user-data file the choice is kept in (default: data folder)")
    return fix, owner, cat


# The commands that take a query, whose words may start with '-' (see _Parser).
_QUERY_COMMANDS = frozenset({"search", "export", "reviewers"})


class _Parser(argparse.ArgumentParser):
    """argparse, except that in a command that takes a query a word starting with one
    '-' that names none of the command's options is a value: a query's exclusion
    (`search -survey`, `export --query -survey`), as the search box reads it. Options
    keep working (`-h`, `-o FILE`, `-oFILE`); `--` still ends the options, for a query
    that is one (`-- -h`). Elsewhere a mistyped option is still said to be one
    (`build -f`)."""

    def _parse_optional(self, arg_string: str) -> Any:
        if self.prog.rsplit(" ", 1)[-1] in _QUERY_COMMANDS and arg_string[:1] == "-" \
                and arg_string[1:2] not in ("", "-") and not self._names_option(arg_string):
            return None  # argparse's answer for a positional
        return super()._parse_optional(arg_string)

    def _names_option(self, word: str) -> bool:
        """`word` is one of this command's short options, or one with its value joined."""
        return any(word == option or (word.startswith(option) and action.nargs != 0)
                   for option, action in self._option_string_actions.items()
                   if not option.startswith("--"))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="paperdesk", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, dest="top_db", metavar="DB",
                        help="the store file the window opens (paperdesk --db FILE)")
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser("build", help="build the store from pages")
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="a page or a folder of *.txt pages (default: the bundled seeds)")
    build.add_argument("--year", type=arguments.year, help="the year of dates shown without one")
    build.add_argument("--force", action="store_true",
                       help="overwrite --db even if it is not a PaperDesk store")
    export_cmd = sub.add_parser("export", help="write the store's papers to stdout")
    export_cmd.add_argument("--format", choices=FORMATS, default="json")
    export_cmd.add_argument("--query", default="", help="export only the papers this finds")
    search = sub.add_parser("search", help="search the store like the app's search box")
    search.add_argument("query")
    search.add_argument("--limit", type=arguments.count, default=20)
    imp = sub.add_parser("import", help="add or update pages in the store in place")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--year", type=arguments.year, help="the year of dates shown without one")
    fix, owner, cat = _user_data_commands(sub)
    sub.add_parser("gui", help="open the desktop app (the default)")
    desk_commands = [*command_options.desk_commands(sub),
                     *command_options.report_commands(sub),
                     *command_options.people_commands(sub)]
    for command in (build, export_cmd, search, imp, fix, owner, cat, sub.choices["gui"],
                    *desk_commands):
        # no default: an action's (`people list --db F`) would hide its command's
        command.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                             help="the store file (default: user data folder)")
    for command in (export_cmd, search):
        command.add_argument("--userdata", type=Path,
                             help="your notes: they go along in exports and answer is:, "
                                  "rating:, tag:, note: (default: data folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "gui"
    logs.setup()
    log.info("paperdesk %s", command)
    args.db = getattr(args, "db", None) or args.top_db  # `paperdesk --db FILE` too
    db = args.db or paths.default_store()
    handlers: dict[str, Callable[[argparse.Namespace, Path], int]] = {
        "build": _build, "export": _export, "search": _search, "gui": _gui,
        "import": _import, "userdata": _userdata, "correct": _correct, "owner": _owner,
        "category": _category}
    for name, (module, function) in command_options.LATER.items():
        handlers[name] = _later(module, function)
    try:
        if command not in ("gui", "userdata"):  # the window says it on its page
            check_store_path(db)  # a folder, a device: said before any work, by every command
        return handlers[command](args, db)
    except (StoreError, UserDataError, CorrectionError, ChoiceError, UserFileError) as exc:
        print(terminal_safe(f"paperdesk: {exc}"), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("paperdesk: interrupted; the previous store is unchanged", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader went away (`paperdesk export ... | head`)
        _stdout_to_nowhere()
        return EXIT_ERROR
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(terminal_safe(f"paperdesk: {where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.Error as exc:  # a last resort: each layer says more where it can
        print(terminal_safe(f"paperdesk: {_failure(db, exc, args)}"), file=sys.stderr)
        return EXIT_ERROR


def _later(module: str, function: str) -> Callable[[argparse.Namespace, Path], int]:
    """`module.function`, a command's handler, imported when it runs."""
    def run(args: argparse.Namespace, db: Path) -> int:
        handler = getattr(importlib.import_module(module), function)
        return cast(int, handler(args, db))
    return run


def _failure(db: Path, exc: sqlite3.Error, args: argparse.Namespace) -> str:
    """What an SQLite error no layer said means: a store damaged further in than opening
    reads (a search, a listing or an export met the damaged page) says so and how to
    build it again; damage in the user's notes, which the command may read too, names
    their file instead."""
    notes = getattr(args, "userdata", None) or default_userdata_path()
    found = damaged(db, exc, notes)
    if found is not None:
        return str(found)
    return f"{notes if dbfiles.kind(exc) is dbfiles.Kind.DAMAGED else db}: {dbfiles.why(exc)}"


def _stdout_to_nowhere() -> None:
    """What is left of standard output goes nowhere: flushed at exit into a pipe no one
    reads, it would fail again ("Exception ignored ... BrokenPipeError"). As the Python
    documentation's note on SIGPIPE does it; like other commands, nothing is said."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _correct(args: argparse.Namespace, db: Path) -> int:
    if args.undo:
        if args.title is not None or args.authors is not None:
            raise CorrectionError("--undo takes no --title or --authors")
        fix = corrections.undo(db, args.paper, args.userdata)
        print(terminal_safe(f"{fix.paper} is read as the page gives it again: "
                            f"{fix.was_title} ({', '.join(fix.was_authors)}); id {fix.was_id}"))
        return 0
    if args.title is None and args.authors is None:
        raise CorrectionError("say what to correct: --title, --authors or both (or --undo)")
    authors = None if args.authors is None else corrections.split_authors(args.authors)
    fix = corrections.correct(db, args.paper, args.title, authors, args.userdata)
    print(terminal_safe(f"{args.paper} now reads: {fix.title} ({', '.join(fix.authors)}); "
                        f"id {fix.paper}; kept in your user data, undo with --undo"))
    return 0


def _category(args: argparse.Namespace, db: Path) -> int:
    """`category PAPER-ID [MEANING]`, `category --page PAGE CODE [MEANING]`, `--undo`."""
    wanted = 3 if args.page else 2
    if len(args.what) > wanted or len(args.what) < wanted - 1:
        raise ChoiceError("give " + ("--page PAGE CODE [MEANING]" if args.page
                                     else "PAPER-ID [MEANING]"))
    meaning = args.what[wanted - 1] if len(args.what) == wanted else None
    if meaning is not None and args.undo:
        raise ChoiceError("--undo takes no MEANING")
    code = args.what[1] if args.page else None
    if meaning is None and not args.undo:
        return _show_meanings(db, args.what[0], code)
    with Store(db) as store, UserData(args.userdata) as notes:
        if code is not None:
            choose_for_page(store, notes, args.what[0], code, meaning)
            where = f"on every paper of {args.what[0]}, {code}"
        else:
            paper = choose_for_paper(store, notes, args.what[0], meaning)
            where = f"{paper.category} on {args.what[0]} ({paper.title})"
    said = f"means {meaning}; kept in your user data, undo with --undo" if meaning else \
        "is read by the next rule again (a profile's choice, its field, else every " \
        "category it may be)"
    print(terminal_safe(f"{where} {said}"))
    return 0


def _show_meanings(db: Path, target: str, code: str | None) -> int:
    """What a paper's (or a code's) categories may be: the choices to give."""
    if code is None:
        with Store(db) as store:
            paper = store.paper_by_id(target)
        if paper is None:
            raise ChoiceError(f"{db}: no paper with id {target}")
        code = paper.category
    found = categories.meanings(code)
    if len(found) < 2:
        raise ChoiceError(f"{code!r} names one category at most "
                          f"({categories.label(code)}): nothing to choose")
    for full, name in found:
        print(terminal_safe(f"{full}\t{name}"))
    return 0


def _owner(args: argparse.Namespace, db: Path) -> int:
    corrections.name_owner(db, args.page, args.name, args.userdata)
    what = f"is {args.name}" if args.name else "is inferred from its entries at the next build"
    print(terminal_safe(f"the owner of {args.page} {what}"))
    return 0


def _build(args: argparse.Namespace, db: Path) -> int:
    if args.paths:  # a typo (or an empty folder) must not replace a good store with none
        _need_pages(args.paths)
    if not args.force and not is_replaceable(db):
        raise StoreError(f"{db}: exists and is not a PaperDesk store; not overwriting it "
                         "(pass --force to replace it)")
    sources = args.paths or [paths.bundled_seeds()]
    with collecting_less():
        with _progress_bar() as progress:
            follow.remember(db)  # annotations follow papers whose title the new build changes
            report = build_store(sources, db, year=args.year, progress=progress)
        _print_report(report, db, given=args.year is not None)
        for line in follow.reattach(db).lines():
            print(terminal_safe(line), file=sys.stderr)
        identities.reapply(db)  # the user's decisions about people, on the new store
    return 0 if report.complete else EXIT_SKIPPED


def _need_pages(given: list[Path]) -> None:
    """Raise StoreError naming each path when none of `given` holds a page: not there,
    a folder that cannot be read, or no pages in it."""
    if not has_pages(given):
        raise StoreError(f"{no_pages_why(given)}; the store is unchanged")


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A build's or an import's progress (pages done, of how many) drawn by tqdm on a
    terminal; none elsewhere (a script, a pipe, a log file), where tqdm is not even
    imported (its import is about 1 % of the instructions of a whole build of the 764
    real pages, bench/latex_bench.py). Without tqdm's monitor thread: beside it, the
    process was no longer alone, so its page workers were spawned and a small build's
    full-text fill ran in a thread (page_pool.start_method). The monitor only
    shortens the redraw step of a bar whose updates slow down; this one is updated
    at every page."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    with tqdm(unit="page", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


def _print_report(report: BuildReport, db: Path, given: bool = False) -> None:
    for problem in report.problems:  # file names and page lines: never terminal codes
        print(terminal_safe(str(problem)), file=sys.stderr)
    years = (f"year {report.capture_year}" if given else "their page's year (after the"
             f" latest it shows, never after {report.capture_year})")
    print(f"{db}: {plural(report.pages, 'page')}, {plural(report.papers, 'paper')}, "
          f"{plural(report.people, 'person', 'people')}; "
          f"skipped {skipped(report.skipped_pages, report.skipped_entries)}; "
          f"undated entries given {years}")


def ensure_store(db: Path) -> None:
    """First use: build the default store from the bundled seeds."""
    if not db.exists():
        print(f"paperdesk: building {db} from the bundled seeds", file=sys.stderr)
        _print_report(build_store([paths.bundled_seeds()], db), db)


def _import(args: argparse.Namespace, db: Path) -> int:
    _need_pages(args.paths)
    with _progress_bar() as progress:
        follow.remember(db)
        report = import_pages(db, args.paths, year=args.year, progress=progress)
    for problem in report.problems:
        print(terminal_safe(str(problem)), file=sys.stderr)
    for line in follow.reattach(db).lines():
        print(terminal_safe(line), file=sys.stderr)
    identities.reapply(db)
    for change in report.pages:
        print(terminal_safe(str(change)))
    print(report.summary())
    return 0 if report.complete else EXIT_SKIPPED


def _userdata(args: argparse.Namespace, _db: Path) -> int:
    with UserData(args.userdata) as notes:
        backups.backup(notes)
        if args.action == "export":
            data = notes.export_json()
            if args.file is None:
                print(json_text(data, indent=1))
            else:
                notes.export_file(args.file, data)
                print(f"{_notes_on(data)} written to {args.file}")
            return _unreadable(notes)
        backup = read_backup(args.file)  # a missing or bad file is said before any question
        if not args.merge and not _may_replace(notes, args):
            print("paperdesk: nothing changed", file=sys.stderr)
            return EXIT_SKIPPED
        kept = backups.backup(notes, "before-restore")
        papers, people = notes.import_json(backup, args.merge, source=str(args.file))
    print(f"restored notes on {plural(papers, 'paper')} and {plural(people, 'person', 'people')}"
          f" from {args.file}"
          + (f"; the notes before are kept in {kept}" if kept else ""))
    return 0


def _notes_on(data: dict[str, object]) -> str:
    """'notes on 3 papers and 1 person': what an export holds."""
    papers, people = data["papers"], data["people"]
    assert isinstance(papers, list) and isinstance(people, list)
    return f"notes on {plural(len(papers), 'paper')} and {plural(len(people), 'person', 'people')}"


def _unreadable(notes: UserData) -> int:
    """Say what a damaged user-data file could not give; the exit status."""
    if not notes.unreadable:
        return 0
    print(f"paperdesk: {notes.path} is damaged; exported what could be read "
          f"({'; '.join(notes.unreadable)})", file=sys.stderr)
    return EXIT_SKIPPED


def _may_replace(notes: UserData, args: argparse.Namespace) -> bool:
    """Replacing every note the user has is never silent: --replace, or a yes."""
    data = notes.export_json()
    if args.replace or not (data["papers"] or data["people"]):
        return True
    what = f"{notes.path} holds {_notes_on(data)}"
    if not sys.stdin.isatty():
        raise UserDataError(f"{what}; importing {args.file} would replace them: pass "
                            "--replace to do so, or --merge to keep them and add the backup's")
    answer = input(f"{what}. Replace them all with {args.file}? "
                   "(--merge keeps them) [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _export(args: argparse.Namespace, db: Path) -> int:
    from paperdesk.search import Scope, search

    notes: dict[str, PaperNotes] = {}
    choices: dict[str, dict[str, str]] = {}
    userdata = args.userdata or default_userdata_path()
    if userdata.exists():  # the user's stars, ratings, tags and notes go with the papers
        with UserData(userdata) as user:
            notes = {n.id: n for n in user.annotated_papers()}
            choices = user.categories.profiles()
    with Store(db) as store:
        _attach_notes(store, args.userdata)
        if args.query:
            rids = search(store.conn, args.query, Scope()).rids
            rows = store.papers(rids)
            export(store, (rows[r] for r in rids), args.format, sys.stdout, notes, choices)
        else:
            export(store, store.iter_papers(), args.format, sys.stdout, notes, choices)
    return 0


def _search(args: argparse.Namespace, db: Path) -> int:
    from paperdesk.search import Scope, search

    with Store(db) as store:
        _attach_notes(store, args.userdata)
        result = search(store.conn, args.query, Scope(), limit=args.limit)
        rows = store.papers(result.rids)
        for rid in result.rids:
            paper = rows[rid]
            etal = " et al." if paper.et_al else ""
            print(terminal_safe(f"{paper.date}  {paper.id}  {paper.title}  "
                                f"({paper.authors}{etal})"))
        total = result.total if result.total is not None else f"more than {result.at_least}"
        print(f"{total} match{'' if total == 1 else 'es'} in {result.elapsed_ms:.1f} ms",
              file=sys.stderr)
        for note in result.ignored:
            print(terminal_safe(f"paperdesk: {note}"), file=sys.stderr)
    return 0


def _attach_notes(store: Store, userdata: Path | None) -> None:
    """The user's notes for is:starred, rating:, tag:, note:, as the window reads them."""
    try:
        attach(store.conn, userdata)
    except UserDataError as exc:
        print(f"paperdesk: {exc}; searching without your notes", file=sys.stderr)


def _gui(args: argparse.Namespace, db: Path) -> int:
    cannot = display.problem()
    if cannot:
        print(f"paperdesk: cannot open the window: {cannot}", file=sys.stderr)
        return EXIT_ERROR
    if getattr(args, "db", None) is None:  # bare `paperdesk` has no --db
        ensure_store(db)
    try:
        from paperdesk.app import main as app_main  # Qt loads only for the app
    except ImportError as exc:
        print(f"paperdesk: cannot load Qt: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return app_main(db)
