"""Parser benchmark: time per character on hostile lines, and exactness on real pages.

1. Linear time (issues 10 and 13): run-together lines built to have a candidate
   seam at every other character, runs of spaces inside a title or an author
   line, and long comma lists, at 1 KB, 10 KB, 100 KB and 1 MB. Time per
   character must stay flat. Beside it, the same bytes through a plain
   `str.split` and an SQLite LIKE scan in the same process, as a baseline.
2. Real pages (bench/realpages.py): entries fully exact, the run-together split,
   doubt flags, owners, and each class of name and title shape.

    python bench/parser_bench.py [--sizes 1000,10000,100000,1000000] [--no-real]
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable, Sequence

import realpages
from paperdesk.parser import parse_page

AUTHORS = "Yuxuan Lei, Jianxun Lian et al."


def _shapes(n: int) -> dict[str, str]:
    return {
        "run-together, a seam every 2 chars": "Xy" * (n // 2) + AUTHORS,
        "run-together, camel words": "A" + "bC" * (n // 2) + "d Lei, Jing Yao",
        "space run in a run-together line": "Title" + " " * n + AUTHORS,
        "comma list": "Ab, " * (n // 4) + "Yuxuan Lei",
        "space run in a spaced author line": "Yuxuan Lei," + " " * n + "Jing Yao et al.",
    }


def _page(shape: str, line: str) -> str:
    if "spaced" in shape:
        return f"IRFeb 7, 2023\nA Title\n\n{line}\n\nAn abstract.\n"
    return f"IRFeb 7, 2023\n{line}\nAn abstract.\n"


def _best(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def linear(sizes: Sequence[int]) -> None:
    conn = sqlite3.connect(":memory:")
    print(f"{'line shape':38} {'size':>9} {'parse ns/char':>14} {'split ns/char':>14} "
          f"{'LIKE ns/char':>13}")
    for n in sizes:
        repeat = 3 if n <= 100_000 else 1
        for shape, line in _shapes(n).items():
            text = _page(shape, line)
            parse = _best(lambda text=text: parse_page(text, "bench.txt"), repeat)
            split = _best(lambda text=text: text.split(","), repeat)
            like = _best(lambda text=text: conn.execute(
                "SELECT ? LIKE '%zzz%'", (text,)).fetchone(), repeat)
            size = len(text)
            print(f"{shape:38} {size:>9,} {parse / size * 1e9:>14.1f} "
                  f"{split / size * 1e9:>14.2f} {like / size * 1e9:>13.2f}")


def real() -> None:
    start = time.perf_counter()
    corpus = list(realpages.pages(realpages.load()))
    made = time.perf_counter() - start
    start = time.perf_counter()
    figures = realpages.evaluate(corpus)
    took = time.perf_counter() - start
    chars = sum(len(text) for _, text, _ in corpus)
    print(f"\nreal pages: {len(corpus)} pages, {figures.entries} entries, {chars:,} characters "
          f"(rendered in {made:.1f} s; parsed and compared in {took:.1f} s, "
          f"{took / chars * 1e9:.0f} ns/char)")
    print(figures.report())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--no-real", action="store_true")
    args = parser.parse_args(argv)
    linear([int(s) for s in args.sizes.split(",")])
    if not args.no_real:
        real()


if __name__ == "__main__":
    main()
