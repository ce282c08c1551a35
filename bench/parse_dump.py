"""A canonical dump of every parse result, to prove a faster parser says the same.

    python bench/parse_dump.py INPUTS OUT [--papers 20000]

INPUTS is a folder made once (kept, so that two checkouts parse the same bytes):
the five seeds, the real sample rendered by realpages.py with two seeds, pagegen
corpora (one of --papers papers and three of a quarter of that, other seeds), and
damaged pages (real and generated pages with lines dropped, cut, doubled or
mangled, in other encodings, and pages of random pieces, as test_parser_fuzz makes)
so that every problem path is reached. Every page goes through
page_pool.parse_file in page order, as a build's worker would, and OUT gets every
field of every result: the page's header, owner and whether it was inferred, every
entry's fields, every problem with its file and line, the digest, the refused
entries and the decoded LaTeX texts (in the order they were found). Compare two
dumps with `cmp`: a change that keeps them byte-identical changed no output.
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import random
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

from paperdesk.page_pool import ParsedFile, parse_file
from paperdesk.pages import page_files

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pagegen  # lives beside this script
import realpages

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
_PIECES = [
    "IRFeb 7, 2023", "hep-thJan 5, 2001", "98.8CVApr 24Code", "mes-hallMar 3",
    "IRSept 7, 2023", "ZZFeb 9, 2023", "q-bio.GN.Feb 7, 2023", "IRFeb 30, 2023",
    "Graph Models for SearchYuxuan Lei, Jing Yao et al.",
    "Convective Cores in Stellar ModelingT.S. Morgan, Ya. Petrov", "Ann Lee, Bo Chen et al.",
    "Acme Seed, :, Wen Hou, Jue-Min Tsai*", "h-index" + "9" * 30, "12,345citations",
    "14papers", "3 Papers", "Novelty54%", "AI Score 7", "Jane Doe", "IR",
    "An abstract with $\\alpha$, \\frac{a}{b}, {\\em x} and \\textbf{x}.", "", " ", "et al.",
    "\u00b7 pku, mit", ",,,", ":", "*", "Xy" * 40, " " * 50, "\u2028", "\x85", "\x0c",
]


def _mangle(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        action = rng.randrange(6)
        if action == 0:
            del lines[i]
        elif action == 1:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif action == 2:
            lines.insert(i, lines[i])
        elif action == 3:
            lines.insert(i, rng.choice(_PIECES))
        elif action == 4 and lines[i]:
            j = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + rng.choice("\\${}~*:,. \u00b7") + lines[i][j:]
        else:
            lines = lines[:i]
    return "\n".join(lines)


def _damaged(rng: random.Random, sources: list[Path], count: int) -> Iterator[bytes]:
    for n in range(count):
        if n % 4 == 3:
            pieces = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 3)))
                      for _ in range(rng.randint(1, 40))]
            text = rng.choice(["\n", "\r\n", "\r"]).join(pieces)
        else:
            text = _mangle(rng, rng.choice(sources).read_text(encoding="utf-8-sig"))
        kind = n % 9
        if kind == 1:
            yield codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        elif kind == 2:
            yield text.encode("cp1252", errors="replace")
        else:
            yield text.encode("utf-8")


def make_inputs(folder: Path, papers: int) -> None:
    """Write every input page under `folder` (once; a made folder is reused)."""
    if (folder / "done").exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SEEDS, folder / "seeds")
    for seed in (0, 1):
        realpages.main([str(folder / f"real-s{seed}"), "--seed", str(seed)])
        (folder / f"real-s{seed}" / "truth.json").unlink()
    for seed, size in ((0, papers), (1, papers // 4), (2, papers // 4), (3, papers // 4)):
        pagegen.generate_corpus(folder / f"gen-{size}-s{seed}", size, seed)
        (folder / f"gen-{size}-s{seed}" / pagegen.MANIFEST).unlink()
    rng = random.Random(13)
    sources = sorted(folder.rglob("*.txt"))
    damaged = folder / "damaged"
    damaged.mkdir()
    for n, data in enumerate(_damaged(rng, sources, 3000)):
        (damaged / f"{n:05d}.txt").write_bytes(data)
    (folder / "done").write_text("")


def _record(obj: object) -> str:
    """Every field of a dataclass, by name, values by repr (floats exact)."""
    return "; ".join(f"{f.name}={getattr(obj, f.name)!r}" for f in fields(obj))  # type: ignore[arg-type]


def dump(parsed: ParsedFile, root: Path) -> Iterator[str]:
    item = parsed.item
    name = str(item.relative_to(root)) if isinstance(item, Path) else repr(item)
    yield f"== {name} digest={parsed.digest} bad={parsed.bad_entries}"
    for problem in parsed.problems:
        yield f"problem {_record(problem)}"
    page = parsed.page
    if page is not None:
        yield f"page source={page.source!r} name={page.name!r} inferred={page.name_inferred!r}"
        yield f"header {_record(page.header)}"
        for problem in page.problems:
            yield f"page-problem {_record(problem)}"
        for entry in page.entries:
            yield f"entry {_record(entry)}"
    for text, decoded in parsed.decoded.items():
        yield f"decoded {text!r} -> {decoded!r}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--papers", type=int, default=20_000)
    args = parser.parse_args(argv)
    make_inputs(args.inputs, args.papers)
    items = list(page_files([args.inputs]))
    digest = hashlib.sha256()
    start = time.process_time()
    with args.out.open("w", encoding="utf-8") as out:
        for item in items:
            for line in dump(parse_file(item), args.inputs):
                out.write(line + "\n")
                digest.update(line.encode("utf-8") + b"\n")
    print(f"{len(items):,} pages parsed and dumped in {time.process_time() - start:.1f} s "
          f"CPU; sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    main()
