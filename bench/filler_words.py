"""Derive the filler words of scientific prose from the real arXiv sample, once, offline.

Writes src/paperdesk/data/filler_words.txt, which paperdesk.reviewers reads: words that
are never a topic word (issue 16: `study`, `based`, `proposed`, `results`, `paper`,
`novel`, `new` among a topic's words and the shared words shown for each match).

A word is filler when both hold, over ../shared/realdata/arxiv-sample.jsonl (titles and
abstracts read as the store reads them: LaTeX decoded, `reviewers.words`):

- every field uses it: it is in at least SPREAD of the papers of each of the AREAS
  largest subject areas (the archive of the primary category: hep-th, astro-ph, math,
  cond-mat, cs, physics, hep-ph, gr-qc). A topic word of one field (`telescope`,
  `compactification`, `proof`) is not, however it is used there;
- it says nothing about what a paper is about: its residual IDF (Church and Gale,
  "Inverse document frequency (IDF): a measure of deviations from Poisson", 1995) is
  under RIDF_BELOW bits. Residual IDF is a word's IDF minus the IDF a Poisson
  distribution of its occurrences over the papers predicts: a paper that is about
  `energy` says it again (in its title and abstract, 1.8 times a paper where it is at
  all), so the word clusters in fewer papers than its count predicts; `study` and
  `show` are said once wherever they fall, as Poisson predicts. Common topic words of
  every field (`energy` 0.64, `theory` 0.59, `field` 0.58, `linear` 0.43) stay above;
  the way papers talk (`show` 0.05, `study` 0.06, `paper` 0.06, `novel` 0.14,
  `proposed` 0.19, `based` 0.22, `new` 0.25, `approach` 0.29) falls below.

The thresholds were chosen on bench/reviewer_bench.py's tuning split (README,
"Reviewers, conflicts and similar work"). The same input gives the same file.

    python bench/filler_words.py [--sample FILE] [--out FILE] [--spread 0.01] [--ridf-below 0.3]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

from paperdesk import latex, reviewers

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "realdata" / "arxiv-sample.jsonl"
OUT = ROOT / "src" / "paperdesk" / "data" / "filler_words.txt"
AREAS = 8  # the largest subject areas a filler word must be used in
SPREAD = 0.01  # ... in at least this share of each one's papers
RIDF_BELOW = 0.3  # residual IDF (bits) under which a word is not about anything


def area(record: dict) -> str:
    """The subject area of a record: its primary category's archive (`math` for math.AG)."""
    return str(record["categories"][0]).split(".", 1)[0]


def counts(records: list[dict]) -> tuple[Counter[str], Counter[str], dict[str, Counter[str]]]:
    """(papers holding each word, its occurrences, papers holding it per area)."""
    docs: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        used = Counter(reviewers.words(latex.to_text(record["title"]))
                       + reviewers.words(latex.to_text(record["abstract"])))
        docs.update(used.keys())
        occurrences.update(used)
        by_area[area(record)].update(used.keys())
    return docs, occurrences, by_area


def residual_idf(docs: int, occurrences: int, papers: int) -> float:
    """IDF minus the IDF that a Poisson spread of `occurrences` over `papers` predicts."""
    expected_share = 1 - math.exp(-occurrences / papers)
    return -math.log2(docs / papers) + math.log2(expected_share)


def filler(records: list[dict], spread_from: float = SPREAD,
           ridf_below: float = RIDF_BELOW) -> list[tuple[str, float, float]]:
    """(word, residual IDF, least share of an area's papers) of every filler word."""
    docs, occurrences, by_area = counts(records)
    sizes = Counter(area(r) for r in records)
    largest = [name for name, _ in sizes.most_common(AREAS)]
    found = []
    for word in docs:
        spread = min(by_area[name][word] / sizes[name] for name in largest)
        ridf = residual_idf(docs[word], occurrences[word], len(records))
        if spread >= spread_from and ridf < ridf_below:
            found.append((word, ridf, spread))
    return sorted(found)


def write(found: list[tuple[str, float, float]], args: argparse.Namespace, papers: int) -> None:
    lines = [f"# Filler words of scientific prose: never a topic word ({len(found)} words).",
             f"# Written by bench/filler_words.py from {args.sample.name} ({papers} papers):",
             f"# in >= {args.spread:.0%} of the papers of each of the {AREAS} largest subject",
             f"# areas, residual IDF (Church and Gale 1995) under {args.ridf_below} bits.",
             "# word, residual IDF, least share of an area's papers"]
    lines += [f"{word}\t{ridf:.2f}\t{spread:.3f}" for word, ridf, spread in found]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--spread", type=float, default=SPREAD,
                        help="least share of each largest area's papers using the word")
    parser.add_argument("--ridf-below", type=float, default=RIDF_BELOW,
                        help="residual IDF (bits) under which a word is filler")
    args = parser.parse_args(argv)
    with args.sample.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    found = filler(records, args.spread, args.ridf_below)
    write(found, args, len(records))
    print(f"{len(found)} filler words of {len(records)} papers written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
