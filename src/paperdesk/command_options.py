"""The options of the commands whose code loads only when one of them runs.

`paperdesk reviewers`, `similar`, `report` and `people` need the search engine, the
reviewer ranking, the report's HTML and the people desk; the command line declares
them from here, so that every other command (a build above all, whose parsing
processes start only once the command has loaded) starts without them: 0.13 G
instructions of what `paperdesk.cli` loaded (0.93 G, sqlite-utils among it). `cli`
runs each from its module (LATER) once it is chosen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from paperdesk import arguments
from paperdesk.identity import decisions

REPORT_FORMATS = ("pdf", "html")  # a candidate report's (paperdesk.report)
# each command: the module and function that run it (args, store path) -> exit status
LATER = {"reviewers": ("paperdesk.desk", "run_reviewers"),
         "similar": ("paperdesk.desk", "run_similar"),
         "report": ("paperdesk.report", "run"),
         "people": ("paperdesk.identity.command", "run")}


def desk_commands(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """`reviewers` and `similar` (paperdesk.desk), for cli._parser; returned so that
    it can add --db."""
    rev = sub.add_parser("reviewers", help="rank reviewers for a topic, with their conflicts")
    given = rev.add_mutually_exclusive_group(required=True)
    given.add_argument("--title", help="the submission's title (pasted text)")
    given.add_argument("--paper", metavar="ID", help="a paper in the store, by its id")
    given.add_argument("--query", help="the papers this search finds, as one topic")
    abstract = rev.add_mutually_exclusive_group()
    abstract.add_argument("--abstract", default="", help="the submission's abstract")
    abstract.add_argument("--abstract-file", type=Path,
                          help="read the abstract from a text file (UTF-8, else Windows-1252)")
    rev.add_argument("--author", action="append", default=[], metavar="NAME",
                     help="one of the submission's authors (repeat for each)")
    rev.add_argument("--submitted", type=arguments.year, metavar="YYYY",
                     help="the submission's year (default: the store's latest year)")
    rev.add_argument("--years", type=arguments.years,
                     help="co-authorship within this many years before is a conflict")
    rev.add_argument("--everyone", action="store_true",
                     help="rank every person named on papers, not only profile owners")
    rev.add_argument("--since", type=arguments.year, metavar="YYYY",
                     help="only papers from this year on")
    rev.add_argument("--min-papers", type=arguments.count, default=1,
                     help="matching papers at least")
    rev.add_argument("--hide-conflicted", action="store_true")
    rev.add_argument("--limit", type=arguments.count, default=20)
    rev.add_argument("--csv", action="store_true", help="CSV with every conflict")
    sim = sub.add_parser("similar", help="papers like a paper, or researchers like a profile")
    what = sim.add_mutually_exclusive_group(required=True)
    what.add_argument("--paper", metavar="ID", help="a paper in the store, by its id")
    what.add_argument("--profile", metavar="NAME", help="a profile owner's name")
    sim.add_argument("--limit", type=arguments.count, default=10)
    return [rev, sim]


def report_commands(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """`paperdesk report`, for cli._parser; returned so that it can add --db."""
    cmd = sub.add_parser("report", help="a one-page report per candidate, as PDF or HTML")
    cmd.add_argument("profiles", nargs="+", metavar="PROFILE",
                     help="a profile owner's name, or part of it, or its page's file name")
    cmd.add_argument("--userdata", type=Path,
                     help="the committee's notes (default: data folder)")
    cmd.add_argument("--format", choices=REPORT_FORMATS,
                     help="pdf or html (default: from -o's extension; html without -o)")
    cmd.add_argument("-o", "--output", type=Path, metavar="FILE",
                     help="write here (default: HTML on stdout)")
    return [cmd]


def people_commands(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """`people` and its actions, for cli._parser; returns the parsers that take --db."""
    people = sub.add_parser("people", help="people: variants, suggestions, decisions, CSV")
    actions = people.add_subparsers(dest="action")
    show = actions.add_parser("list", help="people with counts, variants and identifiers")
    show.add_argument("text", nargs="?", default="", help="a name, part of one, or an id")
    show.add_argument("--limit", type=arguments.count, default=20)
    show.add_argument("--csv", action="store_true", help="every match as CSV (no limit)")
    sugg = actions.add_parser("suggestions", help="names that may be one person, with evidence")
    sugg.add_argument("person", nargs="?", help="only for this person")
    sugg.add_argument("--several", action="store_true",
                      help="also names that probably cover several people")
    merge = actions.add_parser("merge", help="these names are one person")
    merge.add_argument("names", nargs="+", metavar="NAME")
    merge.add_argument("--into", metavar="NAME", help="the person kept (default: the first)")
    reject = actions.add_parser("reject", help="never suggest these two as one person")
    reject.add_argument("names", nargs=2, metavar="NAME")
    split = actions.add_parser("split", help="some papers of a name are another person's")
    split.add_argument("name", metavar="NAME")
    split.add_argument("--paper", action="append", required=True, metavar="ID",
                       help="a paper id of the other person (repeat for each)")
    split.add_argument("--notes", choices=decisions.NOTES_GO, default="both",
                       help="the person's notes and tags: stay with NAME, move to the "
                            "other person, or show on both (default)")
    split.add_argument("--as", dest="shown", metavar="NAME", help="the other person's name")
    rename = actions.add_parser("rename", help="show a person under another name")
    rename.add_argument("name", metavar="NAME")
    rename.add_argument("new", metavar="NEW")
    actions.add_parser("undo", help="undo the latest decision")
    actions.add_parser("redo", help="redo the latest undone decision")
    actions.add_parser("history", help="every decision, oldest first")
    ident = actions.add_parser("id", help="add an identifier to a person")
    ident.add_argument("name", metavar="NAME")
    ident.add_argument("kind", choices=decisions.ID_KINDS)
    ident.add_argument("value")
    ident.add_argument("--remove", action="store_true")
    used = [people, show, sugg, merge, reject, split, rename, ident,
            actions.choices["undo"], actions.choices["redo"], actions.choices["history"]]
    for parser in used:  # given before the action or after it (`people --db F list`)
        parser.add_argument("--userdata", type=Path,
                            default=None if parser is people else argparse.SUPPRESS,
                            help="your decisions and notes (default: data folder)")
    return used
