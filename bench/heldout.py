"""Held-out checks of the parser: pages it was not tuned on.

Two sets, kept apart from ../shared/realdata (on which the parser was tuned):

1. `bench/heldout/recent-cs.jsonl`: real recent computer-science records (arXiv
   listings of January 2026, see bench/heldout/README.md), rendered into pages
   of both layouts.
2. Generated entries per class of issue 13 (initials, organisations, arXiv's
   marks, particles, inner capitals, three given names, single-letter given
   names, non-ASCII, hyphens, titles ending in acronyms...): names combined from
   pools of name parts written for this file (none copied from realdata), each
   class on the first author (the one glued to the title) of every entry of
   its own corpus, rendered with pagegen's layouts.

    python bench/heldout.py [--per-class 400] [--seed 0] [--failures 5]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import realpages
from pagegen import ExpectedEntry, ExpectedPage, Style, render
from paperdesk.records import Header

HERE = Path(__file__).resolve().parent / "heldout"
RECENT = HERE / "recent-cs.jsonl"
PAGE = 20  # entries per page


@dataclass(frozen=True)
class Paper:
    title: str
    shown: tuple[str, ...]  # the names as the page writes them (marks included)
    truth: tuple[str, ...]  # the names the parser must read
    et_al: bool
    category: str
    when: tuple[int, int, int]  # year, month, day
    abstract: str


def load_recent(path: Path = RECENT) -> list[Paper]:
    """The real records: the first three names as written and how many there are."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [Paper(r["title"], tuple(r["authors"]), tuple(r["authors"]),
                  r["n_authors"] > len(r["authors"]), r["shown_category"],
                  realpages.calendar_day(r["date"]), r["abstract"]) for r in records]


# Tools and datasets whose names are camel words, as recent titles end in them
# (`... on ImageNet`): glued to the next line's first author, the seam is inside a word
# whichever reading is taken.
CAMEL_TOOLS = ("ImageNet", "TensorFlow", "JavaScript", "TypeScript", "AlphaFold", "DeepSeek",
               "LangChain", "PointNet", "WordNet", "MobileNet", "HuggingFace", "StarCoder",
               "XGBoost", "MuJoCo", "LinkedIn", "BERTScore", "RoBERTa", "WikiData",
               "ControlNet", "FlashAttention", "GitHub", "PyTorch", "ChatGPT", "OpenAI")


def camel_ended() -> list[Paper]:
    """The real sample (../shared/realdata, real names and abstracts), every third title
    ending in a camel word: a stress set for the run-together seam, not a held-out one."""
    papers = []
    for n, r in enumerate(realpages.load()):
        title = f"{r.title} with {CAMEL_TOOLS[n // 3 % len(CAMEL_TOOLS)]}" if n % 3 == 0 \
            else r.title
        papers.append(Paper(title, r.authors[:3], r.authors[:3], len(r.authors) > 3,
                            r.category, (r.year, r.month, r.day), r.abstract))
    return papers


def pages(papers: Sequence[Paper], seed: int = 0,
          flip: bool = False) -> Iterator[tuple[str, str, ExpectedPage]]:
    """(file name, text, truth): pages of PAGE entries, both layouts (every other page
    run together; `flip` swaps them), with and without headers, the newest dates
    without a year on some."""
    rng = random.Random(seed)
    for n, start in enumerate(range(0, len(papers), PAGE)):
        group = sorted(papers[start:start + PAGE], key=lambda p: p.when, reverse=True)
        newest = group[0].when[0]
        shown, truth = [], []
        for paper in group:
            year, month, day = paper.when
            entry = ExpectedEntry(paper.title, paper.shown, paper.et_al, (), paper.category,
                                  month, day, None if rng.random() < 0.4 and year == newest
                                  else year, rng.random() < 0.3, None, paper.abstract)
            shown.append(entry)
            truth.append(replace(entry, authors=paper.truth))
        kind = rng.choice(("full", "figures", "none"))
        owner = group[0].truth[0]
        count = len(group)
        header = Header() if kind == "none" else Header(
            name=owner if kind == "full" else None,
            field=group[0].category if kind == "full" else None, h_index=rng.randint(1, 80),
            paper_count=count, citations=rng.randint(0, 90000), novelty=rng.randint(30, 80),
            ai_score=rng.randint(30, 90), listed=count)
        style = Style(kind, (n % 2 == 0) != flip, rng.random() < 0.1, rng.random() < 0.1,
                      False)
        page = ExpectedPage(header.name, owner, header, tuple(shown), style)
        text = render(rng, page)
        yield f"held{n:05d}.txt", text, replace(page, entries=tuple(truth))


# ---------------------------------------------------------------- pools of name parts

GIVEN = ("Tobias", "Marguerite", "Oskar", "Lena", "Rafael", "Ingrid", "Mateus", "Priya",
         "Arjun", "Keiko", "Haruto", "Minjun", "Seoyeon", "Wenjing", "Zhiwei", "Xiaolan",
         "Tuan", "Linh", "Chidi", "Amara", "Kwame", "Dmitri", "Olga", "Bogdan", "Zeynep",
         "Emre", "Farid", "Leila", "Siddharth", "Ananya", "Camille", "Bastien", "Giulia",
         "Lorenzo", "Niamh", "Ciaran", "Henrik", "Astrid", "Joaquin", "Valentina", "Yusuf",
         "Hamid", "Jiahui", "Ruoxi", "Pengfei", "Kenta", "Yuki", "Thandiwe", "Mikael", "Elif")
SURNAME = ("Hartwell", "Lindqvist", "Okonkwo", "Varga", "Nakashima", "Bergstrom", "Castellano",
           "Moreau", "Petrenko", "Kowalczyk", "Raghunathan", "Chatterjee", "Zhou", "Qian",
           "Xue", "Huang", "Nguyen", "Pham", "Adeyemi", "Mensah", "Sokolov", "Ivanova",
           "Demir", "Aydin", "Karimi", "Haddad", "Fitzgerald", "Brennan", "Sorensen",
           "Ferreira", "Oliveira", "Romano", "Bianchi", "Lefebvre", "Girard", "Watanabe",
           "Kimura", "Takahashi", "Park", "Choi", "Tanaka", "Abebe", "Wolanski", "Schulze",
           "Hoffmann", "Engel", "Novak", "Horvath", "Yamamoto", "Delgado")
NON_ASCII_GIVEN = ("Søren", "Dušan", "Çağrı", "Björn", "Zoë", "Łucja", "Jiří", "Ærin",  # noqa: RUF001
                   "Íñigo",
                   "Andrés", "Małgorzata", "Gökhan", "Ådne", "Réka", "Nguyễn", "Şule", "Věra",
                   "Thérèse", "Jürgen", "Ðorđe")
NON_ASCII_SURNAME = ("Kierkegård", "Đorđević", "Yılmaz",  # noqa: RUF001
                     "Müller-Lüdenscheidt", "Øvergård",
                     "Wójcik", "Dvořák", "Pérez", "Gómez", "Szabó", "Çelik", "Höglund",
                     "Nørgaard", "Łukasik", "Ångström", "Trần", "Ševčík", "Brontë", "Fößel",
                     "Ibáñez")
PARTICLE_SETS = ("van", "van den", "van der", "de", "de la", "del", "della", "di", "da", "dos",
                 "du", "von", "von der", "ter", "ten", "le", "la", "zu", "bin", "al")
INNER_CAP_SURNAME = ("DeVries", "DeLuca", "DiNapoli", "McAllister", "MacLeod", "LeBlanc",
                     "VanderMeer", "O'Donnell", "FitzPatrick", "DuBois", "LaFontaine",
                     "McKenna", "DeMarco", "MacGregor", "D'Amato", "BenAmor")
CAMEL_GIVEN = ("HyunJin", "SeongKu", "JiHoon", "MinSeo", "DongWook", "YoungJae", "SooMin")
ORGANISATIONS = ("OpenScholar", "Mistral-AI", "Acme LongRange Team", "The Kestrel Collaboration",
                 "DeepVista Team", "Orion Consortium", "Quill Group", "Polaris Project",
                 "NorthStar AI", "Helix Lab", "BlueFjord Research", "The ATLAS-X Collaboration")
ONE_WORD = ("Bayar", "Sukarno", "Ariando", "Sanjaya", "Mulyadi", "Tjandra", "Bharati",
            "Oyun", "Batbayar", "Wiranto")
LATIN_CAPS = "ABCDEFGHIJKLMNOPRSTVWYZ"
TWO_LETTER = ("Ya.", "Ph.", "Ch.", "Th.", "Yu.", "Sh.", "Zh.", "Kh.", "St.", "Ts.")
NON_ASCII_INITIAL = ("Ł.", "Ž.", "É.", "Ö.", "Ø.", "Š.", "Ç.", "Á.", "Ü.", "Ś.")

# ---------------------------------------------------------------- titles

_TOPICS = ("Sparse Attention", "Spectral Clustering", "Quantum Error Correction",
           "Topological Insulators", "Graph Neural Networks", "Diffusion Policies",
           "Dark Matter Halos", "Random Matrix Ensembles", "Elliptic Curves",
           "Neutrino Oscillations", "Federated Optimization", "Lattice Gauge Theory",
           "Symplectic Integrators", "Retrieval-Augmented Generation", "Active Galactic Nuclei",
           "Mean-Field Games", "Tensor Networks", "Bayesian Model Selection",
           "Contrastive Pretraining", "Modular Forms")
_HEADS = ("On", "Towards", "Revisiting", "Learning", "Bounds for", "Scaling", "A Note on",
          "Stability of", "Robust", "Efficient", "Probing", "Rethinking")
_ENDS: dict[str, tuple[str, ...]] = {
    "plain": ("in Practice", "at Scale", "and Their Limits", "for Large Systems",
              "with Few Samples", "Revisited", "from First Principles", "under Noise"),
    "plural acronym": ("in VLMs", "for POMDPs", "with LLMs", "of GNNs", "for SNe", "in AGNs",
                       "across MLLMs", "for SDEs", "in CNNs", "for PDEs", "with GANs",
                       "for QPUs"),
    "mixed-case acronym": ("for Person-ReID", "with NeRFs", "from LiDAR", "on GitHub",
                           "in PyTorch", "via LoRA", "with mRNA", "for iOS", "on arXiv",
                           "in JavaScript", "using BERTScore", "for eQTLs"),
    "acronym": ("in QCD", "for AdS/CFT", "with RL", "in NLP", "via SGD", "for CMB", "in LHC",
                "and BRST"),
    "digit or punctuation": ("in 2025", "Part II", "Revisited?", "at $N=4$", "for SU(3)",
                             "Beyond 100B", "v2.0", "in $d>2$ Dimensions!", "in 3D",
                             "for 6G", "at 70B"),
    "lower-case end": ("in practice", "at scale", "with few samples", "under noise",
                       "for everyone", "made simple"),
    "LaTeX end": ("in $\\mathbb{R}^d$", "for $SU(2)$", "with $\\alpha$-stable noise",
                  "of Schr\\\"odinger operators", "near $T_c$"),
    "title with commas": ("Sparse, Fast, and Exact", "Read, Write, Repeat",
                          "Small, Cheap, Good Enough"),
}


def _title(rng: random.Random, end: str = "plain") -> str:
    title = f"{rng.choice(_HEADS)} {rng.choice(_TOPICS)} {rng.choice(_ENDS[end])}"
    return title[0].upper() + title[1:]


def _plain(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(SURNAME)}"


def _initials(rng: random.Random, n: int, spaced: bool) -> str:
    letters = [rng.choice(LATIN_CAPS) + "." for _ in range(n)]
    return (" " if spaced else "").join(letters)


# Each class: a function giving (shown, truth) for one author of that shape.
Shape = Callable[[random.Random], tuple[str, str]]


def _same(make: Callable[[random.Random], str]) -> Shape:
    def shape(rng: random.Random) -> tuple[str, str]:
        name = make(rng)
        return name, name
    return shape


CLASSES: dict[str, Shape] = {
    "plain (control)": _same(_plain),
    "initials spaced (K. W. Smith)": _same(
        lambda rng: f"{_initials(rng, rng.randint(1, 3), True)} {rng.choice(SURNAME)}"),
    "initials glued (T.S. Morgan)": _same(
        lambda rng: f"{_initials(rng, rng.randint(2, 3), False)} {rng.choice(SURNAME)}"),
    "two-letter initial (Ya. Petrov)": _same(
        lambda rng: f"{rng.choice(TWO_LETTER)} {rng.choice(SURNAME)}"),
    "non-ASCII initial (Ł. Nowak)": _same(
        lambda rng: f"{rng.choice(NON_ASCII_INITIAL)} {rng.choice(SURNAME + NON_ASCII_SURNAME)}"),
    "initial then given (M. Kerem Aydin)": _same(
        lambda rng: f"{rng.choice(LATIN_CAPS)}. {rng.choice(GIVEN)} {rng.choice(SURNAME)}"),
    "many initials (L. D. M. S. Rao Teja)": _same(
        lambda rng: f"{_initials(rng, 4, True)} {rng.choice(SURNAME)} {rng.choice(SURNAME)}"),
    "hyphenated initials (W.-M. Li)": _same(
        lambda rng: f"{rng.choice(LATIN_CAPS)}.-{rng.choice(LATIN_CAPS)}. {rng.choice(SURNAME)}"),
    "organisation": _same(lambda rng: rng.choice(ORGANISATIONS)),
    "one-word author": _same(lambda rng: rng.choice(ONE_WORD)),
    "asterisk mark (Tsai*)": lambda rng: (lambda n: (n + "*", n))(_plain(rng)),
    "particles (van den Broek)": _same(
        lambda rng: f"{rng.choice(GIVEN)} {rng.choice(PARTICLE_SETS)} {rng.choice(SURNAME)}"),
    "initial + particle (R. de la Fontaine)": _same(
        lambda rng: f"{rng.choice(LATIN_CAPS)}. {rng.choice(PARTICLE_SETS)} "
                    f"{rng.choice(SURNAME)}"),
    "inner capitals (DeVries)": _same(
        lambda rng: f"{rng.choice(GIVEN)} {rng.choice(INNER_CAP_SURNAME)}"),
    "initials + inner capitals (W.P. McAllister)": _same(
        lambda rng: f"{_initials(rng, 2, False)} {rng.choice(INNER_CAP_SURNAME)}"),
    "camel given name (HyunJin Kim)": _same(
        lambda rng: f"{rng.choice(CAMEL_GIVEN)} {rng.choice(SURNAME)}"),
    "three given names or more": _same(
        lambda rng: " ".join([*(rng.choice(GIVEN) for _ in range(rng.randint(2, 3))),
                              rng.choice(SURNAME)])),
    "single-letter given, no period (Y Hoang Tran)": _same(
        lambda rng: f"{rng.choice(LATIN_CAPS)} {rng.choice(GIVEN)} {rng.choice(SURNAME)}"
        if rng.random() < 0.5 else f"{rng.choice(LATIN_CAPS)} {rng.choice(SURNAME)}"),
    "non-ASCII names": _same(
        lambda rng: f"{rng.choice(NON_ASCII_GIVEN)} {rng.choice(NON_ASCII_SURNAME + SURNAME)}"),
    "hyphenated names (Soo-Jin Park)": _same(
        lambda rng: f"{rng.choice(GIVEN)}-{rng.choice(GIVEN).lower()} "
                    f"{rng.choice(SURNAME)}-{rng.choice(SURNAME)}"
        if rng.random() < 0.5 else f"{rng.choice(GIVEN)}-{rng.choice(GIVEN)} "
                                   f"{rng.choice(SURNAME)}"),
}
TITLE_CLASSES = tuple(end for end in _ENDS if end != "plain")
COLON = "colon mark (Acme Seed, :, Wen Hou)"
ALL_CLASSES = (*CLASSES, COLON, *(f"title: {end}" for end in TITLE_CLASSES))


def _paper(rng: random.Random, cls: str) -> Paper:
    year = rng.choice((2007, 2008, 2009, 2010, 2024, 2025, 2026))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    count = rng.randint(1, 6)
    others = [_plain(rng) for _ in range(count)]
    end = "plain"
    if cls == COLON:
        team = rng.choice(ORGANISATIONS)
        shown = (team, ":", *others[:2])
        truth = (team, *others[:2])
        count += 1
    elif cls.startswith("title: "):
        end = cls.removeprefix("title: ")
        shown = truth = tuple(others[:3])
    else:
        first, first_truth = CLASSES[cls](rng)
        second, second_truth = CLASSES[cls](rng)
        # the class on the first author always, on the second every other entry
        lead = [(first, first_truth)] + ([(second, second_truth)] if rng.random() < 0.5 else [])
        pairs = (lead + [(o, o) for o in others])[:3]
        shown, truth = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
        count += len(lead)
    abstract = (f"We study {rng.choice(_TOPICS).lower()} and report {rng.randint(2, 99)} "
                f"results ({rng.getrandbits(40):x}).")
    category = rng.choice(("LG", "CV", "CL", "hep-th", "math.AP", "AP", "quant-ph", "AG",
                           "cond-mat.str-el", "astro-ph.GA"))
    return Paper(_title(rng, end), shown, truth, count > 3, category, (year, month, day),
                 abstract)


def synthetic(cls: str, n: int, seed: int = 0) -> list[Paper]:
    rng = random.Random(f"{seed}:{cls}")
    return [_paper(rng, cls) for _ in range(n)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-class", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--failures", type=int, default=3)
    args = parser.parse_args(argv)
    sets = [("real recent cs (bench/heldout/recent-cs.jsonl)", load_recent()),
            ("real sample, every third title ending in a camel word", camel_ended())]
    sets += [(f"generated: {cls}", synthetic(cls, args.per_class, args.seed))
             for cls in ALL_CLASSES]
    print(f"{'set':58} {'entries':>8} {'exact':>8} {'split':>8} {'wrong':>6} "
          f"{'flagged':>8} {'right fl.':>9}")
    total = realpages.Figures()
    for name, papers in sets:
        # every entry in both layouts
        figures = realpages.evaluate([*pages(papers, args.seed), *pages(papers, args.seed, True)])
        print(f"{name[:58]:58} {figures.entries:>8} {figures.entry_rate:>8.2%} "
              f"{figures.split_rate:>8.2%} {figures.wrong_splits:>6} "
              f"{figures.flagged_of_wrong:>8.1%} {figures.flagged_of_right:>9.2%}")
        for line in figures.failures[:args.failures]:
            print("      " + line.replace("\n", "\n      "))
        if name.startswith("generated"):
            for key in ("entries", "exact", "splits", "splits_right", "wrong_flagged",
                        "right_flagged"):
                setattr(total, key, getattr(total, key) + getattr(figures, key))
    print(f"{'all generated':58} {total.entries:>8} {total.entry_rate:>8.2%} "
          f"{total.split_rate:>8.2%} {total.wrong_splits:>6} {total.flagged_of_wrong:>8.1%} "
          f"{total.flagged_of_right:>9.2%}")


if __name__ == "__main__":
    main()
