# ruff: noqa: RUF001  (expected text holds en dashes and curly quotes on purpose)
"""latex_fast: the common fragments decoded without pylatexenc's parser, to exactly the
text pylatexenc gives (issue 13: build speed on real pages)."""

from __future__ import annotations

import json
import random
import re

import pytest

from paperdesk import latex, latex_fast
from paperdesk.latex_fast import FastDecoder
from tests.test_parser_realdata import realpages


def _fast() -> FastDecoder:
    return latex._contexts()[2]


_DECODE = latex._decode  # the cached one, whatever a test puts in its place


def _cold() -> None:
    _DECODE.cache_clear()


def _real_texts() -> list[str]:
    if not realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {realpages.REALDATA}")
    texts = []
    with realpages.REALDATA.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts += [record["title"], record["abstract"]]
    return texts


def test_every_real_title_and_abstract_decodes_as_pylatexenc_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _real_texts()
    assert len(texts) == 2 * 7764
    _cold()
    fragments: list[str] = []
    monkeypatch.setattr(latex, "_decode", lambda f: fragments.append(f) or _DECODE(f))
    fast = [latex.to_text(text) for text in texts]
    monkeypatch.setattr(FastDecoder, "decode", lambda self, fragment: None)
    _cold()
    slow = [latex.to_text(text) for text in texts]
    _cold()
    differ = [(t, f, s) for t, f, s in zip(texts, fast, slow, strict=True) if f != s]
    assert not differ, differ[:5]
    assert sum(f != t for t, f in zip(texts, fast, strict=True)) > 3000  # LaTeX was decoded
    monkeypatch.undo()
    # and most fragments never went through the parser
    skipped = sum(_fast().decode(f) is not None for f in set(fragments))
    assert skipped >= 0.8 * len(set(fragments)), (skipped, len(set(fragments)))


# (fragment, pylatexenc's text), written by hand: each is read by the fast path
FAST = [
    (r'Schr\"odinger', "Schrödinger"),
    (r"Erd\H{o}s--R\'enyi", "Erdős–Rényi"),
    (r"$\mathbb{R}^d$", "ℝᵈ"),
    (r"$\alpha$-stable", "α-stable"),
    (r"$SU(2)$", "SU(2)"),
    (r"``hidden''", "“hidden”"),
    (r"$a \leq b$", "a ≤ b"),
    (r"$\alpha x$", "α x"),  # in math a macro keeps the spaces after it ...
    (r"\ss x", "ßx"),  # ... outside math it eats them, as LaTeX does
    (r"e.g.\ the", "e.g. the"),  # a control space is a space, in text ...
    (r"$y,\ z$", "y, z"),  # ... and in math
    (r"\beta\ of", "β of"),
    (r"$\mathrm{dS}_2$", "dS₂"),
    (r"\emph{for all times}", "for all times"),
    (r"$K_\pm K$", "K_±K"),
    (r"\R^n", "Rⁿ"),  # an author's own macro keeps its name
    ("50% & 3#", "50% & 3#"),
    (r"$\tilde{\Phi}$", "Φ̃"),
    (r"$ by a nonabelian", "by a nonabelian"),  # math left open: to the end
    (r"Rodr\'{\i}guez", "Rodríguez"),
    (r"$\bar \nu$", "ν̅"),
    (r"\frac{a}{b}", "a/b"),  # a format of the arguments' texts ...
    (r"$\frac{1}{\varkappa}\gamma_0$", "1/ϰγ₀"),
    (r"$L\gg\sqrt{\lambda}\gg 1$", "L≫√(λ)≫ 1"),
    (r"\cite{Alishahiha:2025xml}.", "<cit.>."),  # ... or none of them
    (r"$\sqrt{a^2+b_{ij}}$", "√(a²+bᵢⱼ)"),
    (r"so \( \alpha_1 \) is", "so α₁ is"),  # math as `$`
    (r"by $$ x^2 $$ where", "by \n    x²\n where"),  # display math: an indented block
    (r"by \[ \alpha \] where", "by \n    α\n where"),
]


@pytest.mark.parametrize(("fragment", "text"), FAST)
def test_the_fast_path_reads_the_common_fragments(fragment: str, text: str) -> None:
    assert _fast().decode(fragment) == text
    assert latex.parsed(fragment) == text


@pytest.mark.parametrize("fragment", [
    r"\frac {a}{b}", r"\frac{a} {b}", r"\frac12", r"\cite*{x}", r"\cite[p. 3]{x}",
    "$$x$", r"\[ x", r"\( x", r"$\( x \)$", "{$x}", "{a", "a}", r"\begin{x}", "\\", r"a\\b",
    r"\sqrt[3]{x}", "x^ 2", "line\nbreak", r"\'{\i x}"])
def test_the_fast_path_leaves_the_rest_to_pylatexenc(fragment: str) -> None:
    assert _fast().decode(fragment) is None


# Pieces the fast path reads and some it does not, so that random strings of them
# meet every rule about spaces, math, groups, scripts and arguments.
PIECES = ["a", "b", "x", "1", " ", "  ", "-", "--", "---", "'", "''", "`", "``", "~",
          "!", "?", "(", ")", "+", "=", ",", ".", "&", "%", "#", r"\alpha", r"\alpha ",
          r"\leq", r"\sim ", r"\&", r"\%", r"\$", r"\_", r"\{", r"\}", r"\,", r"\;", r"\ ",
          r"\\", r"\i", r"\ss", r'\"o', r'\"{o}', r"\'e", r"\H{o}", r"\H o", r"\c c",
          r"\mathbb{R}", r"\mathbb{RZ}", r"\mathrm{dS}", r"\emph{a b}", r"\emph{\alpha}",
          r"\tilde{\Phi}", r"\hat{ab}", r"\bar x", r"\cal M", r"{\rm As}", r"\rm ", r"\R ",
          r"\FtF", r"\frac{a}{b}", r"\frac{", r"\frac", r"\frac ", r"\sqrt{", r"\sqrt",
          r"\sqrt[", "]", r"\cite{", r"\cite", r"\braket{", "^2", "^{23}", "^{a b}", "_1",
          "_{ij}", r"^{\alpha}",
          r"^\prime", r"_\pm ", "^ 2", "^-", "^{-1}", "^*", "{", "}", "{}", "{a}", "$", "$",
          "$", "$$", r"\[", r"\]", r"\(", r"\)", "é", "\u00a0"]


def test_random_fragments_decode_as_pylatexenc_does() -> None:
    rng = random.Random(13)
    read = 0
    for _ in range(6000):
        fragment = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7)))
        decoded = _fast().decode(fragment)
        if decoded is not None:
            read += 1
            assert decoded == latex.parsed(fragment), fragment
    assert read > 2000


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    found, pos = [], 0
    while (mark := pattern.search(text, pos)) is not None:
        found.append(mark.start())
        pos = mark.start() + 1
    return found


def test_the_marks_are_found_where_the_plain_alternation_finds_them() -> None:
    """latex._MARKS is written for speed; it must find a mark at every place where
    LaTeX's marks written plainly do, on every real text and on hand-written ones (a
    script outside math: its sign, after a word's letter, digit or bracket; a letter's
    only after a base of one character)."""
    plain = re.compile(r"[\\$~{}]|--|``|''|(?<=[\w)\]|'])[_^](?:(?<!\w\w[_^])[A-Za-z](?!\w|\.\w)"
                       r"|[0-9](?!\d|\.\w|,\d)|[+-](?!\d|[.,]\d))")
    texts = [*_real_texts(), "a-b--c", "'''", "it's", "``q''", "-", "x~y", "``", "a--",
             "\\", "$", "{}", "`'`'", "---", "don't -- ``x'' {y}", "G_k x G_l", "in_place",
             "s^-1 B^-", "x_1,y_2 run_1.py", "(a)^2 [b]_n |c|^2 d'_0", " _k ^2", "_^_", "top_k x_k"]
    for text in texts:
        assert _starts(latex._MARKS, text) == _starts(plain, text), text


_TRICKY = ["a-b--c", "'''", "it's", "``q''", "-", "x~y", "``", "a--", "\\", "$", "{}",
           "`'`'", "---", "don't -- ``x'' {y}", "", "plain text", "a - b", "`a'", "'", "}",
           "100%", "a_b^c", "e-mail", "\u2013", "x'y'z", "``", "`` ", " ''"]


def test_has_latex_says_what_the_marks_pattern_finds() -> None:
    """latex.has_latex (substring tests) must answer as a search for latex._MARKS does,
    or for a backtick (TeX's single quote, read before the marks), on every real text
    and on hand-written ones (or for a script's sign: a script outside math): a text
    it calls plain is stored as it is."""
    plain = re.compile(r"[\\$~{}`_^]|--|''")
    for text in [*_real_texts(), *_TRICKY]:
        assert latex.has_latex(text) == (plain.search(text) is not None), text
        assert latex.has_latex(text) or latex._MARKS.search(text) is None, text
    assert [latex.has_latex(t) for t in ("a-b", "a--b", "it's", "it''s", "$", "x", "`a'",
                                         "G_k", "x^2")] == [
        False, True, False, True, True, False, True, True, True]


def test_runs_of_spaces_are_folded_after_decoding() -> None:
    """to_text folds runs of spaces, tabs and no-break spaces into one space (it skips
    the regex when there is no run): expected texts written by hand."""
    assert latex.to_text("A\t\tB \\alpha") == "A B \u03b1"
    assert latex.to_text("A\u00a0\u00a0B $x$") == "A B x"
    assert latex.to_text("A \u00a0B $x$") == "A B x"
    assert latex.to_text("A\u00a0B $x$") == "A B x"
    assert latex.to_text("A \tB $x$") == "A B x"
    assert latex.to_text("A B $x$  ") == "A B x"
    assert latex.to_text("$x$ and $y$") == "x and y"


def _letters(number: int) -> str:
    """A distinct name of letters for each number: a, b, ... z, ba, bb, ..."""
    name = ""
    while True:
        number, digit = divmod(number, 26)
        name = "abcdefghijklmnopqrstuvwxyz"[digit] + name
        if not number:
            return name


def test_ever_new_macros_and_arguments_do_not_grow_a_parsing_process() -> None:
    """The decoder lives as long as its process (a build's parsing worker) and kept
    the text of every unknown macro and every accented argument it met: a million
    abstracts' `\\hat{...}`s, or one crafted page of distinct macros, grew it without
    end. It now keeps KEPT of each, and decodes the others again, to the same text."""
    parsing, converter, _ = latex._contexts()
    fast = FastDecoder(parsing, converter, latex._SCRIPTED)
    more = latex_fast.KEPT + 500
    for number in range(more):
        assert fast.decode(f"\\hat{{w{number}}}") == f"\u0175{number}"  # ŵ
        name = "zq" + _letters(number)
        assert fast.decode(f"\\{name}") == name  # an author's own macro keeps its name
    for number in (0, more - 1):  # one remembered, one decoded again
        assert fast.decode(f"x \\hat{{w{number}}} y") == f"x \u0175{number} y"
    assert len(fast._arg_cache) == len(fast._unknown) == latex_fast.KEPT
