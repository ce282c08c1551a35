"""`paperdesk reviewers` and `paperdesk similar`: the chair's desk on the command line.

The ranking itself is paperdesk.reviewers; this module turns command-line input
into a Topic and a Ranking into text or CSV.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO, cast

from paperdesk import reviewers
from paperdesk.export import TerminalSafe, csv_cell, terminal_safe
from paperdesk.importer import plural
from paperdesk.reviewers import Match, Ranking, Reviewer, Topic
from paperdesk.store import Store, StoreError, find_profiles
from paperdesk.userfiles import read_text


def run_reviewers(args: argparse.Namespace, db: Path) -> int:
    out = cast(TextIO, TerminalSafe(sys.stdout))  # page text: never terminal codes
    with Store(db) as store:
        topic = _topic(store, args)
        ranking = reviewers.find_reviewers(
            store.conn, topic, everyone=args.everyone, since=args.since,
            years=reviewers.DEFAULT_YEARS if args.years is None else args.years,
            min_papers=args.min_papers, hide_conflicted=args.hide_conflicted,
            limit=args.limit)
    if args.csv:
        write_csv(ranking, out)
    else:
        write_text(ranking, out)
    return 0


def _topic(store: Store, args: argparse.Namespace) -> Topic:
    authors = tuple(args.author)
    if args.paper:
        paper = store.paper_by_id(args.paper)
        if paper is None:
            raise StoreError(f"no paper with id {args.paper} in {store.path}")
        return Topic(paper.title, paper.abstract, authors or tuple(paper.author_list),
                     args.submitted or paper.year, frozenset({paper.rid}))
    if args.query is not None:
        if not args.query.strip():
            raise StoreError("--query needs a search: the papers it finds are the topic")
        topic, count = reviewers.search_topic(store.conn, args.query)
        if not count:
            raise StoreError(f"the search {args.query!r} finds no papers")
        return replace(topic, authors=authors, year=args.submitted)
    abstract = args.abstract
    if args.abstract_file:
        abstract, problems = read_text(args.abstract_file, "the abstract")
        for problem in problems:  # not UTF-8: read as a page would be, and said
            print(terminal_safe(f"paperdesk: {problem}"), file=sys.stderr)
    return Topic(args.title, abstract, authors, args.submitted)


def _papers(matches: tuple[Match, ...]) -> str:
    return "; ".join(f"{m.title} ({m.year})" for m in matches)


NO_SIMILAR = "no paper in the store shares this paper's topic words"


def topic_words(ranking: Ranking) -> str:
    """The words a ranking rests on, or why it has none."""
    if ranking.terms:
        return ", ".join(ranking.terms)
    if ranking.common:
        return f"none rare enough ({_listed(ranking.common)})"
    return "none found in the store"


def _listed(held: tuple[str, ...]) -> str:
    return ", ".join(held[:5]) + (f" and {plural(len(held) - 5, 'more word')}"
                                  if len(held) > 5 else "")


def no_ranking(ranking: Ranking) -> str:
    """Why a ranking lists nobody ("" when it lists someone)."""
    if ranking.reviewers:
        return ""
    if ranking.terms:
        return "no researcher in the store has papers on these words"
    if ranking.common:
        return (f"nothing to rank researchers by: the store holds {_listed(ranking.common)}, "
                "but in too many of its papers to tell researchers apart; give the "
                "abstract too, or rarer words")
    return "the topic has no word the store holds: there is nothing to rank researchers by"


def write_text(ranking: Ranking, out: TextIO) -> None:
    print(f"topic words: {topic_words(ranking)}", file=out)
    if ranking.unknown_authors:
        print(f"not in the store, so not checked for conflicts: "
              f"{', '.join(ranking.unknown_authors)}", file=out)
    for rank, person in enumerate(ranking.reviewers, start=1):
        _write_reviewer(rank, person, out)
    if not ranking.reviewers:
        print(no_ranking(ranking), file=out)
    if ranking.hidden:
        print(f"{plural(ranking.hidden, 'researcher')} with a conflict hidden", file=out)
    print(ranking.note, file=out)


def reviewer_summary(person: Reviewer) -> str:
    """`3 matching papers, latest 2024, has a profile page`, as the window says it too."""
    owner = ", has a profile page" if person.profile is not None else ""
    return f"{plural(person.matching, 'matching paper')}, latest {person.latest}{owner}"


def _write_reviewer(rank: int, person: Reviewer, out: TextIO) -> None:
    flag = "  CONFLICT" if person.conflicts else ""
    print(f"{rank:3}. {person.name}{flag}  ({reviewer_summary(person)})", file=out)
    for match in person.papers:
        print(f"       {match.title} ({match.year}) [{', '.join(match.words)}]", file=out)
    for conflict in person.conflicts:
        print(f"       conflict with {conflict.author}: {conflict.evidence}", file=out)


CSV_COLUMNS = ("rank", "name", "has_profile", "score", "matching_papers", "latest_year",
               "best_papers", "conflicts")


def write_csv(ranking: Ranking, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for rank, person in enumerate(ranking.reviewers, start=1):
        conflicts = "; ".join(f"{c.kind} with {c.author}: {c.evidence}"
                              for c in person.conflicts)
        writer.writerow([csv_cell(v) for v in (  # no cell a spreadsheet runs as a formula
            rank, person.name, int(person.profile is not None), f"{person.score:.3f}",
            person.matching, person.latest, _papers(person.papers), conflicts)])


def run_similar(args: argparse.Namespace, db: Path) -> int:
    out = cast(TextIO, TerminalSafe(sys.stdout))
    with Store(db) as store:
        if args.paper:
            paper = store.paper_by_id(args.paper)
            if paper is None:
                raise StoreError(f"no paper with id {args.paper} in {store.path}")
            matches = reviewers.similar_papers(store.conn, paper.rid, args.limit)
            for match in matches:
                print(f"{match.year}  {match.title}  [shares: {', '.join(match.words)}]",
                      file=out)
            if not matches:  # said, not a silent exit
                print(NO_SIMILAR, file=out)
            return 0
        profile = find_profiles(store, [args.profile])[0]
        ranking = reviewers.similar_people(store.conn, profile.id, args.limit)
    print(f"like {profile.name or profile.source}: topics {topic_words(ranking)}", file=out)
    for rank, person in enumerate(ranking.reviewers, start=1):
        _write_reviewer(rank, person, out)
    if not ranking.reviewers:
        print(no_ranking(ranking), file=out)
    return 0
