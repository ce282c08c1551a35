"""Issue 13, "Linear time": the run-together split's cost grows linearly with the line.

Lines of 1k, 10k and 100k characters of each hostile shape bench/parser_bench.py
times (a candidate seam every other character, camel words, a run of spaces, a long
comma list, a space run in a spaced author line). The figure compared is the CPU
time per character, best of a few runs: linear work keeps it flat from 10k to 100k
(a quadratic split would multiply it by ten at every step), so a factor of three is
allowed for noise and the fixed cost of a page. The figures themselves are the
benchmark's (README, "Parser speed").
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import pytest

from paperdesk.parser import parse_page
from paperdesk.seam import split_run_together

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
parser_bench = importlib.import_module("parser_bench")

SIZES = (1_000, 10_000, 100_000)
SLACK = 3.0


def _cpu_per_char(work: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        parse_page(work, "linear.txt")
        best = min(best, time.process_time() - start)
    return best / len(work)


@pytest.mark.parametrize("shape", list(parser_bench._shapes(1_000)))
def test_a_page_with_one_long_line_parses_in_linear_time(shape: str) -> None:
    per_char = {}
    for size in SIZES:
        text = parser_bench._page(shape, parser_bench._shapes(size)[shape])
        page = parse_page(text, "linear.txt")
        assert len(page.entries) + sum(p.severity == "error" for p in page.problems) == 1
        per_char[size] = _cpu_per_char(text, 5 if size < 100_000 else 3)
    assert per_char[100_000] < SLACK * per_char[10_000], per_char
    assert per_char[10_000] < SLACK * per_char[1_000], per_char


def test_the_split_itself_is_linear_and_right_at_every_length() -> None:
    """A real-looking title padded to each length, split straight by seam.py: the
    title and the authors come out as written, at a flat cost per character."""
    per_char = {}
    for size in SIZES:
        title = ("Sparse Attention " * (size // 17 + 1))[:size].rstrip() + " at Scale"
        line = f"{title}Paul DeVries, Anna DeLuca, Mark DiNapoli et al."
        split = split_run_together(line)
        assert split.title == title
        assert split.authors == ("Paul DeVries", "Anna DeLuca", "Mark DiNapoli")
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            split_run_together(line)
            best = min(best, time.process_time() - start)
        per_char[size] = best / len(line)
    assert per_char[100_000] < SLACK * per_char[10_000], per_char
    assert per_char[10_000] < SLACK * per_char[1_000], per_char
