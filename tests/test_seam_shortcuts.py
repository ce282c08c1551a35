"""The run-together split's shortcuts must never change a split: a candidate whose
lower bound is above the next-best reading's cost is skipped (seam._Best, seam._floor);
a title's last word's shapes are kept across pages (seam._title_end); a plain word's
seams are found without a scan (seam._seams).

The floors are written here by hand from the costs' own terms, and reached by
hand-written words; the splits of every run-together line of the real pages
(bench/realpages.py) are compared with the splits made with nothing skipped.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from paperdesk import parser as parser_module
from paperdesk import seam
from paperdesk.parser import parse_page
from paperdesk.seam import PageWords, Split, split_run_together

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
realpages = importlib.import_module("realpages")


def _words(words: set[str], name_words: set[str]) -> PageWords:
    return PageWords(frozenset(words), frozenset(name_words))


def test_best_keeps_the_first_of_equal_readings_and_the_next_ones_cost() -> None:
    best = seam._Best()
    assert not best.beyond(1e6)  # nothing to compare with yet
    best.offer(2.0, "head a", 3, ["X"], ("", ""))
    assert not best.beyond(1e6)  # one reading: no next one yet
    best.offer(0.5, "head b", 4, ["Y"], ("", "MIT"))
    best.offer(0.5, "head c", 5, ["Z"], ("", ""))  # as cheap, found later: not chosen
    best.offer(1.0, "head d", 6, [], ("",))
    assert (best.cost, best.head, best.cut, best.tail, best.notes) == \
        (0.5, "head b", 4, ("Y",), ("", "MIT"))
    assert best.runner_up == 0.5
    assert not best.beyond(0.5)  # a reading as cheap as the next one may still matter
    assert best.beyond(0.5001)


def test_the_floors_are_the_least_the_costs_can_be() -> None:
    # _title_end_cost: a plural acronym (-0.3) that the page uses (-0.6), nothing else
    assert seam._title_end_cost("Defense in VLMs", _words({"vlms"}, set())) == \
        pytest.approx(-0.9)
    assert seam.TITLE_END_FLOOR == -0.9
    # _given_cost: a plain name (0.0) that the page shows as a name (-0.6)
    assert seam.GIVEN_FLOOR == -0.6
    page = _words(set(), {"yuxuan"})
    rest = seam._Rest([])
    rest.add("Lei")
    assert seam._first_word_cost("Yuxuan", rest, page) == pytest.approx(-0.6)
    # _length_cost's least by the full words after the first: the first word an initial
    # (it adds none) or not (it adds one), whichever is cheaper
    expected = {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.4, 4: 0.9, 5: 1.5, 6: 1.5}
    for full, least in expected.items():
        rest = seam._Rest([])
        rest.full = full
        assert seam._floor(rest) == pytest.approx(least - 0.6 - 0.9), full
    rest.org = True  # an organisation's name has as many words as it likes
    assert seam._floor(rest) == pytest.approx(-1.5)


def test_a_title_ends_shapes_are_kept_across_pages_and_its_words_looked_up_afresh() -> None:
    """seam._title_end keeps what `...RecommendationSeong` says by its letters (a camel
    tail after a long word: 1.5); whether the page uses `Recommendation` alone (+1.0) or
    the whole word (-0.6, and the camel's +1.0 is not added) is each page's own."""
    tail = "Graph Learning for RecommendationSeong"
    alone = _words({"recommendation"}, set())
    plain = _words(set(), set())
    whole = _words({"recommendationseong"}, set())
    assert seam._title_end_cost(tail, alone) == pytest.approx(2.5)
    assert seam._title_end_cost(tail, plain) == pytest.approx(1.5)
    assert seam._title_end_cost(tail, whole) == pytest.approx(0.9)
    assert seam._title_end_cost(tail, alone) == pytest.approx(2.5)
    # the window's commas are read from the window, not from the cached last word
    assert seam._title_end_cost("Graphs, Karapetyan, Ru", plain) == pytest.approx(2.0)
    assert seam._title_end_cost("Graphs and Ru", plain) == 0.0


def _run_together_lines() -> list[tuple[str, PageWords]]:
    """Every run-together line of the real pages, with its page's words."""
    if not realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {realpages.REALDATA}")
    lines: list[tuple[str, PageWords]] = []

    def record(text: str, words: PageWords | None = None) -> Split:
        lines.append((text, words or PageWords.EMPTY))
        return split_run_together(text, words)

    original = parser_module.split_run_together
    parser_module.split_run_together = record
    try:
        for name, text, _ in realpages.pages(realpages.load()):
            parse_page(text, name)
    finally:
        parser_module.split_run_together = original
    return lines


def _split(text: str, words: PageWords) -> Split | str:
    try:
        return split_run_together(text, words)
    except seam.SplitError as exc:
        return str(exc)


def test_skipping_changes_no_split_of_the_real_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _run_together_lines()
    assert len(lines) > 3000
    scored = [0]
    title_end_cost = seam._title_end_cost

    def counted(end: str, words: PageWords) -> float:
        scored[0] += 1
        return title_end_cost(end, words)

    monkeypatch.setattr(seam, "_title_end_cost", counted)
    skipping = [_split(text, words) for text, words in lines]
    with_skips = scored[0]
    monkeypatch.setattr(seam._Best, "beyond", lambda self, bound: False)
    everything = [_split(text, words) for text, words in lines]
    assert skipping == everything
    # the bound is not idle: a fifth of the title ends or more are never scored
    assert with_skips < 0.8 * (scored[0] - with_skips), (with_skips, scored[0])


def test_a_plain_word_has_one_seam_after_its_capital_unless_it_ends_in_a_name_word() -> None:
    plain = PageWords(frozenset(), frozenset())
    assert seam._seams("Recommendation", plain, False) == ((1, 2.5),)
    assert seam._seams("models", plain, True) == ()
    assert seam._seams("X2", plain, True) == ()  # no small letter after the capital
    assert seam._seams("ModelsYuxuan", plain, False) == ((1, 2.5), (6, 0.0))  # scanned
    yang = PageWords(frozenset(), frozenset({"yang", "li", "qin", "pengyang"}))
    assert yang.name_ends == {"yang", "qin"}  # `li` is too short to be looked for
    # `Peng|yang` when the page shows `Yang` as a name (after a capitalised part: 1.8)
    assert seam._seams("Pengyang", yang, True) == ((1, 2.5), (4, 1.8))
    assert seam._seams("Pengyang", plain, True) == ((1, 2.5),)
    # `H|yun` of `Kyung Hyun Cho` when the page names a `Yun`: a capital alone before
    # it is a capitalised word cut too (1.8, not 0.3)
    assert seam._seams("Hyun", PageWords(frozenset(), frozenset({"yun"})), True) == \
        ((1, 1.8),)
    assert seam._seams("Zhaoqin", yang, True) == ((1, 2.5), (4, 1.8))
    # a part mark: scanned; `J|ean`, `Jean-|pengyang` and `Jean-peng|yang`, neither name
    # word after a capitalised part (`Jean-`, `Jean-peng`): 0.3
    assert seam._seams("Jean-pengyang", yang, True) == ((1, 2.5), (5, 0.3), (9, 0.3))
