"""Pages whose papers name about two people no other paper names (issue 15, "At scale").

Real libraries name about two people per paper that appear nowhere else, plus the
owner's co-author circle. A page here has an owner, a circle of about a dozen
co-authors, and entries naming the owner, one or two of the circle and two people
of their own (a surname made of syllables from a serial number: every one distinct).
1,000,000 papers give about 2,000,000 distinct names.

    python bench/authorgen.py OUT_DIR --papers N [--seed S]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

import pagegen
from pagegen import ExpectedEntry, ExpectedPage, Style, random_name
from paperdesk.records import Header

PAGE_ENTRIES = 40
CIRCLE = 12
_SYLLABLES = pagegen._words("""ka lo mi ra ve tu sen dor bel fin gar hul jas kem lin mor nav
    pel quin rus tal vin wes yor zan bri cal dem eth fal gor hen isk jor kal lum mer nor osk""")
_GIVEN = pagegen._words("""Anna Ben Chen Dara Emil Faye Gil Hana Ivo Jia Kai Lea Min Nils
    Omar Pia Quan Rosa Sami Tara Uma Vera Wei Xin Yara Zoe""")


def unique_name(serial: int, rng: random.Random) -> str:
    """A name no other serial gives: its surname spells `serial` in syllables."""
    parts = []
    n = serial
    while True:
        n, digit = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
        if n == 0:
            break
    surname = "".join(parts)
    return f"{rng.choice(_GIVEN)} {surname[:1].upper()}{surname[1:]}"


def _entry(rng: random.Random, serial: int, names: tuple[str, ...]) -> ExpectedEntry:
    words = " ".join(rng.choice(_SYLLABLES) for _ in range(3))
    title = f"Paper {serial} on {words.title()} learning"
    return ExpectedEntry(title, names, rng.random() < 0.3, (), rng.choice(("IR", "CL", "LG")),
                         rng.randint(1, 12), rng.randint(1, 28), rng.randint(2012, 2025),
                         rng.random() < 0.3, None, f"We study {words} at scale.")


def generate(out_dir: Path, papers: int, seed: int = 0) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    style = Style("full", False, False, False, False)
    made = pages = serial = 0
    while made < papers:
        owner = unique_name(serial, rng)
        circle = [random_name(rng) for _ in range(CIRCLE)]
        serial += 1
        entries = []
        for _ in range(min(PAGE_ENTRIES, papers - made)):
            own = (unique_name(serial, rng), unique_name(serial + 1, rng))
            serial += 2
            names = (owner, *rng.sample(circle, rng.randint(1, 2)), *own)
            entries.append(_entry(rng, made, names))
            made += 1
        header = Header(owner, "IR", 10, len(entries), 100, 50, 50, len(entries))
        text = pagegen.render(rng, ExpectedPage(owner, owner, header, tuple(entries), style))
        data = text.encode("utf-8")
        name = f"{pages:06d}_{hashlib.sha1(data).hexdigest()[:12]}.txt"
        (out_dir / name).write_bytes(data)
        pages += 1
    info = {"papers": made, "pages": pages, "names_made": serial}
    (out_dir / pagegen.MANIFEST).write_text(json.dumps(info) + "\n")
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--papers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(generate(args.out_dir, args.papers, args.seed)))


if __name__ == "__main__":
    main()
