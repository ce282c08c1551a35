"""Pages rendered from real arXiv metadata (shared/realdata/arxiv-sample.jsonl).

Every record is a real paper: real titles (LaTeX kept), real author lists as
their authors typed them, real categories and dates. They are grouped into
researcher pages the way the site would show them: a page per author who has
several papers in the sample (the owner, who is hidden behind `et al.` when
fourth or later in a list), the other papers on pages that carry a name line;
both layouts (spaced and run-together), with a full header, figures only or
no header; the newest dates shown without a year on some pages. Each page
comes with its truth (pagegen.ExpectedPage) and each entry with the classes of
name and title shapes it holds, for per-class figures.

    python bench/realpages.py OUT_DIR [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pagegen import ExpectedEntry, ExpectedPage, Style, render
from paperdesk.categories import short_form
from paperdesk.records import Entry, Header, person_key

ROOT = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("PAPERDESK_REALDATA",
                               ROOT.parent / "shared" / "realdata" / "arxiv-sample.jsonl"))
SHOWN = 3  # the site shows three names, then "et al."
OWNER_MIN = 3  # papers an author needs in the sample to get a page of their own
PAGE_MAX = 60


@dataclass(frozen=True)
class RealPaper:
    title: str
    authors: tuple[str, ...]
    category: str  # as a page shows it: `hep-th`, `IR`, `mes-hall`
    year: int
    month: int
    day: int
    abstract: str


def calendar_day(date: str) -> tuple[int, int, int]:
    """`2008-01-31` -> (2008, 1, 31)."""
    year, month, day = (int(x) for x in date.split("-"))
    return year, month, day


def load(path: Path = REALDATA) -> list[RealPaper]:
    papers = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            year, month, day = calendar_day(record["date"])
            papers.append(RealPaper(record["title"], tuple(record["authors"]),
                                    short_form(record["categories"][0]), year, month, day,
                                    record["abstract"]))
    return papers


def _groups(papers: Sequence[RealPaper]) -> Iterator[tuple[str | None, list[RealPaper]]]:
    """(owner, papers) per page: authors with OWNER_MIN papers first, then the rest."""
    by_person: dict[str, list[int]] = defaultdict(list)
    spelled: dict[str, str] = {}
    for i, paper in enumerate(papers):
        for name in paper.authors:
            by_person[person_key(name)].append(i)
            spelled.setdefault(person_key(name), name)
    used: set[int] = set()
    for key in sorted(by_person, key=lambda k: (-len(by_person[k]), k)):
        free = [i for i in dict.fromkeys(by_person[key]) if i not in used]
        if len(free) >= OWNER_MIN:
            used.update(free[:PAGE_MAX])
            yield spelled[key], [papers[i] for i in free[:PAGE_MAX]]
    rest = [p for i, p in enumerate(papers) if i not in used]
    for start in range(0, len(rest), 20):
        yield None, rest[start:start + 20]


def _entry(rng: random.Random, paper: RealPaper, no_year: int | None) -> ExpectedEntry:
    authors = paper.authors[:SHOWN]
    return ExpectedEntry(paper.title, authors, len(paper.authors) > SHOWN, (), paper.category,
                         paper.month, paper.day, None if paper.year == no_year else paper.year,
                         rng.random() < 0.3, None, paper.abstract)


def pages(papers: Sequence[RealPaper], seed: int = 0) -> Iterator[tuple[str, str, ExpectedPage]]:
    """(file name, text, truth) of every page."""
    rng = random.Random(seed)
    for n, (owner, group) in enumerate(_groups(papers)):
        group = sorted(group, key=lambda p: (p.year, p.month, p.day), reverse=True)
        newest = group[0].year
        entries = tuple(_entry(rng, p, newest if rng.random() < 0.4 else None) for p in group)
        kind = rng.choice(("full", "figures", "none")) if owner else "full"
        name = owner or group[0].authors[0]
        header = _header(rng, kind, name, entries)
        style = Style(kind, rng.random() < 0.5, rng.random() < 0.1, rng.random() < 0.1, False)
        page = ExpectedPage(header.name, name, header, entries, style)
        text = render(rng, page)
        yield f"real{n:05d}.txt", text, replace(page, entries=tuple(map(_as_read, entries)))


_NOTED = re.compile(r"(.*\S)\s*\(([^()]*[^\W\d_][^()]*)\)\s*")


def _as_read(entry: ExpectedEntry) -> ExpectedEntry:
    """The entry as a reader takes it: an author's affiliation in parentheses after the
    name (`Fei Han (NUS)`, as arXiv's author lines write it) is not part of the name,
    and joins the affiliations."""
    noted = [_NOTED.fullmatch(name) for name in entry.authors]
    if not any(noted):
        return entry
    names = tuple(m[1] if m else name for m, name in zip(noted, entry.authors, strict=True))
    notes = tuple(dict.fromkeys((*entry.affiliations, *(m[2].strip() for m in noted if m))))
    return replace(entry, authors=names, affiliations=notes)


def _header(rng: random.Random, kind: str, owner: str,
            entries: Sequence[ExpectedEntry]) -> Header:
    if kind == "none":
        return Header()
    n = len(entries)
    full = kind == "full"
    return Header(name=owner if full else None, field=entries[0].category if full else None,
                  h_index=rng.randint(1, 80), paper_count=n, citations=rng.randint(0, 90000),
                  novelty=rng.randint(30, 80), ai_score=rng.randint(30, 90), listed=n)


# ---------------------------------------------------------------- classes of shapes

_INITIAL = re.compile(r"(?:^|[\s.-])[^\W\d_]\.")
_INNER_CAP = re.compile(r"[a-zà-ÿ][A-Z]")
_ORGANISATION = re.compile(r"\b(?:Collaboration|Team|Group|Consortium|Project)\b")
_ACRONYM_END = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*s?$|[A-Z]{2,}s$")


def classes(entry: ExpectedEntry) -> set[str]:
    """The shapes an entry holds, named as in issue 13's list of failure classes."""
    found: set[str] = set()
    for name in entry.authors:
        words = name.split()
        if _INITIAL.search(name) or (words and len(words[0]) == 1):
            found.add("initials")
        if len(words) == 1 or _ORGANISATION.search(name):
            found.add("organisation/one word")
        if any(w[:1].islower() or w[:1] in "'\u2019" for w in words[1:]):
            found.add("particles")
        if any(_INNER_CAP.search(w) for w in words):
            found.add("inner capitals")
        if words and len(words[0].rstrip(".")) >= 10:
            found.add("long given name")
        if len([w for w in words if "." not in w]) >= 4:
            found.add("three given names or more")
        if not name.isascii():
            found.add("non-ASCII")
        if "-" in name:
            found.add("hyphens")
    last = entry.title.rstrip(".?!)$}").split(" ")[-1] if entry.title else ""
    if _ACRONYM_END.search(last):
        found.add("title ends in acronym")
    if "$" in entry.title or "\\" in entry.title:
        found.add("LaTeX in title")
    if not entry.category.isupper():
        found.add("archive category (hep-ph)")
    return found or {"none of these"}


# ---------------------------------------------------------------- measuring

FIELDS = ("title", "authors", "et_al", "affiliations", "category", "month", "day", "year",
          "has_code", "score", "abstract")


@dataclass
class Figures:
    """Exactness over a corpus: entries, run-together splits, doubt flags, owners."""

    entries: int = 0
    exact: int = 0
    splits: int = 0
    splits_right: int = 0
    wrong_flagged: int = 0
    right_flagged: int = 0
    owners: int = 0
    owners_right: int = 0
    owners_wrong_warned: int = 0  # a wrong owner the page's warning said was a weak guess
    owners_right_warned: int = 0  # a right owner warned about all the same
    per_class: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    failures: list[str] = field(default_factory=list)

    @property
    def entry_rate(self) -> float:
        return self.exact / max(self.entries, 1)

    @property
    def split_rate(self) -> float:
        return self.splits_right / max(self.splits, 1)

    @property
    def wrong_splits(self) -> int:
        return self.splits - self.splits_right

    @property
    def flagged_of_wrong(self) -> float:
        return self.wrong_flagged / self.wrong_splits if self.wrong_splits else 1.0

    @property
    def flagged_of_right(self) -> float:
        return self.right_flagged / max(self.splits_right, 1)

    def report(self) -> str:
        lines = [f"entries fully exact      {self.entry_rate:8.3%}  ({self.entries - self.exact}"
                 f" of {self.entries} wrong)",
                 f"run-together split right {self.split_rate:8.3%}  ({self.wrong_splits} of "
                 f"{self.splits} wrong)",
                 f"wrong splits flagged     {self.flagged_of_wrong:8.2%}  ({self.wrong_flagged}"
                 f" of {self.wrong_splits})",
                 f"right splits flagged     {self.flagged_of_right:8.2%}  ({self.right_flagged}"
                 f" of {self.splits_right})",
                 f"owners inferred right    {self.owners_right / max(self.owners, 1):8.2%}  "
                 f"({self.owners - self.owners_right} of {self.owners} wrong, "
                 f"{self.owners_wrong_warned} of them warned; {self.owners_right_warned} of "
                 f"the {self.owners_right} right ones warned)",
                 "per class (entries fully exact):"]
        for name, (total, wrong) in sorted(self.per_class.items()):
            lines.append(f"  {name:28} {1 - wrong / total:8.3%}  ({wrong} of {total} wrong)")
        return "\n".join(lines)


def evaluate(corpus: Sequence[tuple[str, str, ExpectedPage]]) -> Figures:
    from paperdesk.parser import parse_page

    figures = Figures()
    for name, text, truth in corpus:
        page = parse_page(text.removeprefix("\ufeff"), name)
        if truth.name is None:
            figures.owners += 1
            right = bool(page.name) and person_key(page.name or "") == person_key(truth.owner)
            figures.owners_right += right
            warned = any("evidence is weak" in str(p) for p in page.problems)
            figures.owners_wrong_warned += not right and warned
            figures.owners_right_warned += right and warned
        by_abstract: dict[str, list[Entry]] = defaultdict(list)
        for entry in reversed(page.entries):  # two papers can share an abstract: page order
            by_abstract[entry.abstract].append(entry)
        for want in truth.entries:
            same = by_abstract.get(want.abstract)
            got = same.pop() if same else None
            exact = got is not None and all(getattr(got, f) == getattr(want, f) for f in FIELDS)
            figures.entries += 1
            figures.exact += exact
            for shape in classes(want):
                figures.per_class[shape][0] += 1
                figures.per_class[shape][1] += not exact
            if not exact and len(figures.failures) < 400:
                seen = "not parsed" if got is None else f"{got.title!r} | {got.authors!r}"
                figures.failures.append(f"{name}: {want.title!r} | {want.authors!r}\n"
                                        f"    -> {seen}")
            if truth.style.run_together:
                right = got is not None and (got.title, got.authors) == (want.title,
                                                                          want.authors)
                figures.splits += 1
                figures.splits_right += right
                flagged = got is None or getattr(got, "doubtful", False)
                figures.wrong_flagged += flagged and not right
                figures.right_flagged += flagged and right
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    truth = {}
    for name, text, page in pages(load(), args.seed):
        (args.out_dir / name).write_text(text, encoding="utf-8", newline="")
        truth[name] = {"owner": page.owner, "titles": [e.title for e in page.entries]}
    (args.out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    print(f"{len(truth)} pages in {args.out_dir}")


if __name__ == "__main__":
    main()
