"""`paperdesk people`: people with their counts, variants and identifiers; suggestions
with their evidence; decisions (merge, reject, split, rename, undo, redo); a CSV of
people for committees.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TextIO, cast

from paperdesk import paths, userdata
from paperdesk.export import TerminalSafe, csv_cell, terminal_safe
from paperdesk.identity import decisions, evidence
from paperdesk.identity.apply import reapply
from paperdesk.identity.decisions import DecisionError
from paperdesk.identity.desk import (
    PersonSheet,
    add_identifier,
    decide,
    people_keys,
    resolve,
    sheet,
    undo,
)
from paperdesk.importer import plural
from paperdesk.store import ProfileRow, Store, StoreError

CSV_HEADER = ("name", "key", "variants", "papers", "coauthors", "profile", "profile_papers",
              "identifiers")


def run(args: argparse.Namespace, db: Path) -> int:
    out = cast(TextIO, TerminalSafe(sys.stdout))  # names come from pages: never terminal codes
    try:
        return _ACTIONS[args.action or "list"](args, db, out)
    except DecisionError as exc:
        raise StoreError(str(exc)) from None


def _command(args: argparse.Namespace, db: Path, *words: str) -> str:
    """`paperdesk people WORDS` on this store and these notes, for a hint."""
    return paths.command("people", *words, db=db, userdata=args.userdata)


def _notes(args: argparse.Namespace) -> userdata.UserData:
    return userdata.UserData(getattr(args, "userdata", None))


def _list(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    reapply(db, getattr(args, "userdata", None))
    text = getattr(args, "text", "")
    with Store(db) as store, _notes(args) as notes:
        now = decisions.state(notes.conn)
        keys = people_keys(store.conn, notes.conn, text,
                           -1 if getattr(args, "csv", False) else getattr(args, "limit", 20))
        sheets = [s for s in (sheet(store.conn, notes.conn, k, now) for k in keys) if s]
        if text and not sheets:
            print(terminal_safe(_nobody(text, store.profiles(text))), file=sys.stderr)
    if getattr(args, "csv", False):
        _csv(sheets, out)
        return 0
    for s in sheets:
        print(_line(s), file=out)
    return 0


def _nobody(text: str, profiles: list[ProfileRow]) -> str:
    """What `people list TEXT` says when no one named on a paper matches: it printed
    nothing at all, as if the store held no such name, even for a profile's owner whose
    name no paper writes (a page whose owner was named by hand, or whose author lists
    hide the owner behind `et al.`)."""
    said = f"paperdesk: no one named on a paper matches {text!r}"
    if not profiles:
        return said
    shown = ", ".join(f"{p.name or p.source} ({p.source})" for p in profiles[:5])
    more = f" and {len(profiles) - 5} more" if len(profiles) > 5 else ""
    return (f"{said}; profile pages whose owner no paper names: {shown}{more} "
            "(paperdesk report NAME reads them)")


def _line(s: PersonSheet) -> str:
    forms = "; ".join(f"{n} ({c})" for n, c in s.variants)
    text = f"{s.name}  [{s.key}]  {plural(s.papers, 'paper')} named: {forms}"
    if s.profile:
        text += f"\n    profile {s.profile}: {plural(s.listed, 'paper')} listed"
    if s.coauthors:
        text += "\n    co-authors: " + ", ".join(f"{n} ({c})" for n, c in s.coauthors)
    if s.identifiers:
        text += "\n    " + ", ".join(decisions.identifier_url(k, v) for k, v in s.identifiers)
    return text


def _csv(sheets: list[PersonSheet], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for s in sheets:
        writer.writerow([csv_cell(v) for v in (
            s.name, s.key, "; ".join(n for n, _ in s.variants), str(s.papers),
            "; ".join(f"{n} ({c})" for n, c in s.coauthors), s.profile or "",
            str(s.listed) if s.profile else "",
            "; ".join(f"{k}:{v}" for k, v in s.identifiers))])


def _suggestions(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    reapply(db, args.userdata)
    with Store(db) as store, _notes(args) as notes:
        now = decisions.state(notes.conn)
        if args.person:
            key = resolve(store.conn, now, args.person)
            found = evidence.suggestions_for(store.conn, key, now)
            flagged = [f for f in [evidence.several(store.conn, key, now)] if f]
        else:
            found = evidence.all_suggestions(store.conn, now)
            flagged = evidence.all_several(store.conn, now) if args.several else []
    for s in found:
        merge = _command(args, db, "merge", *s.persons)
        print(f"{s.names[0]} = {s.names[1]}?  ({s.variant}; merge with: {merge})", file=out)
        for line in s.evidence.lines():
            print(f"    {line}", file=out)
    for f in flagged:
        print(f"{f.name}: probably {len(f.groups)} people", file=out)
        for g in f.groups:
            print(f"    {len(g.papers)} papers in {', '.join(g.categories)} with "
                  f"{', '.join(g.coauthors[:6])}: {', '.join(p for p, _ in g.papers)}", file=out)
    if not found and not flagged:
        print("no suggestions", file=out)
    return 0


def _decide(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    reapply(db, args.userdata)
    with Store(db) as store, _notes(args) as notes:
        now = decisions.state(notes.conn)
        if args.action in ("merge", "reject"):
            keys = [resolve(store.conn, now, n) for n in args.names]
        else:
            keys = [resolve(store.conn, now, args.name)]
        if args.action == "merge":
            into = resolve(store.conn, now, args.into) if args.into else keys[0]
            data: dict[str, object] = {"keys": keys, "into": into}
        elif args.action == "reject":
            data = {"a": sorted(now.members(keys[0])), "b": sorted(now.members(keys[1]))}
        elif args.action == "split":
            data = {"person": keys[0], "papers": args.paper, "notes": args.notes}
        else:
            data = {"person": keys[0], "name": args.new}
    decision = decide(db, args.userdata, args.action, data)
    if args.action == "split" and args.shown:
        decide(db, args.userdata, "rename", {"person": decision.data["into"],
                                             "name": args.shown})
    print(f"done: {decision.describe()} (undo with: {_command(args, db, 'undo')})",
          file=out)
    return 0


def _undo(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    decision = undo(db, args.userdata, redo=args.action == "redo")
    print(f"{args.action}: {decision.describe()}" if decision
          else f"nothing to {args.action}", file=out)
    return 0


def _history(args: argparse.Namespace, _db: Path, out: TextIO) -> int:
    with _notes(args) as notes:
        for d in decisions.history(notes.conn):
            print(f"{d.id}  {d.made}  {d.describe()}", file=out)
    return 0


def _identifier(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    with Store(db) as store, _notes(args) as notes:
        key = resolve(store.conn, decisions.state(notes.conn), args.name)
    value = add_identifier(args.userdata, key, args.kind, args.value, remove=args.remove)
    print(f"{'removed' if args.remove else 'added'} {decisions.identifier_url(args.kind, value)}"
          f" for {key}", file=out)
    return 0


_ACTIONS = {"list": _list, "suggestions": _suggestions, "merge": _decide, "reject": _decide,
            "split": _decide, "rename": _decide, "undo": _undo, "redo": _undo,
            "history": _history, "id": _identifier}
