"""Fuzzing the parser (issue 10): any page text parses, fast, with every problem placed.

Pages are built from the pieces real pages have (meta lines, titles glued to names,
author lines, figures) mixed with hostile ones (huge numbers, runs of spaces, line
separators inside lines, lone marks, garbage), so that the examples reach deep.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdesk.parser import parse_page

PIECES = [
    "IRFeb 7, 2023", "hep-thJan 5, 2001", "98.8CVApr 24Code", "mes-hallMar 3", "IRSept 7, 2023",
    "ZZFeb 9, 2023", "Graph Models for SearchYuxuan Lei, Jing Yao et al.",
    "Convective Cores in Stellar ModelingT.S. Morgan, Ya. Petrov", "Ann Lee, Bo Chen et al.",
    "Acme Seed, :, Wen Hou, Jue-Min Tsai*", "h-index" + "9" * 30, "12,345citations", "14papers",
    "14 Papers", "Novelty54%", "An abstract with $\\alpha$ and \\textbf{x}.", "", " ", "et al.",
    "\u00b7 pku, mit", ",,,", ":", "*", "Xy" * 300, " " * 500, "\u2028", "\x85", "\x0c", "\x0b",
]
LINE = st.one_of(st.sampled_from(PIECES), st.text(max_size=80))
BOUND = 2.0  # seconds for one page of at most 60 lines (the old parser: minutes)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(LINE, min_size=1, max_size=3).map("".join), max_size=60),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_page_parses_fast_and_places_its_problems(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    start = time.perf_counter()
    page = parse_page(text, "fuzz.txt")
    assert time.perf_counter() - start < BOUND
    count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for problem in page.problems:
        assert problem.source == "fuzz.txt"
        assert problem.line is None or 1 <= problem.line <= count
        assert problem.severity in ("error", "warning")
    for entry in page.entries:
        assert entry.title.strip() and entry.authors
        assert 1 <= entry.line <= count
        assert all(name.strip() and "*" not in name for name in entry.authors)
        assert 0.0 <= entry.confidence <= 1.0
