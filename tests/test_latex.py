# ruff: noqa: RUF001  (expected text holds en dashes and curly quotes on purpose)
"""LaTeX in titles and abstracts: shown and indexed as the Unicode it means, exported as
the page wrote it (paperdesk.latex, schema v7)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdesk import schema
from paperdesk.cli import main
from paperdesk.gui import render
from paperdesk.latex import to_text
from paperdesk.query import compile_query
from paperdesk.records import paper_id
from paperdesk.search import Scope, search
from paperdesk.store import PaperRow, Store, build_store

from .conftest import without_author_sort, without_words

# (the page's text, what it means), written by hand
CASES = [
    (r'The Schr\"odinger equation', "The Schrödinger equation"),
    (r'Schr\"{o}dinger operators', "Schrödinger operators"),
    (r"Erd\H{o}s--R\'enyi random graphs", "Erdős–Rényi random graphs"),
    (r"The Poincar\'e conjecture", "The Poincaré conjecture"),
    (r"Flows on $\mathbb{R}^d$", "Flows on ℝᵈ"),
    (r"$O(n^2)$ time and $\ell_1$ loss", "O(n²) time and ℓ₁ loss"),
    (r"$e^{-x}$, $x^{10}_{i}$, $2^{\pi}$, $\alpha_{i,j}$", "e⁻ˣ, x¹⁰ᵢ, 2^π, α_(i,j)"),
    (r"Instantons of $SU(2)$ gauge theory", "Instantons of SU(2) gauge theory"),
    (r"$\alpha$-stable processes", "α-stable processes"),
    (r"``Quoted'' words --- and an en--dash", "“Quoted” words — and an en–dash"),
    (r"$\mathcal{O}(n \log n)$ time", "𝒪(n log n) time"),
    (r"\textbf{Bold} and \emph{emphasis}", "Bold and emphasis"),
    (r"\AA{}ngstr\"om scale", "Ångström scale"),
    # page text is not a LaTeX document: a percentage is no comment, & no table cell
    ("50% accuracy & more", "50% accuracy & more"),
    (r"A 50\% cut", "A 50% cut"),
    (r"see https://x.org/~me/a_b%20c and \'e", "see https://x.org/~me/a_b%20c and é"),
    # an author's own macro keeps its name instead of vanishing
    (r"Bundles over \R^n", "Bundles over Rⁿ"),
    ("Plain title, nothing to do", "Plain title, nothing to do"),
    # older names of math font commands keep their argument's letters, as the newer do
    # (real abstracts: hep-th/9412219, math-ph/0509011, hep-th/9602016, 1302.1137)
    (r"Modules for $\frak{sl}(2,\C)$", "Modules for 𝔰𝔩(2,C)"),
    (r"$U_q(\frak{sl}(k))$ and $\frak g$", "U_q(𝔰𝔩(k)) and 𝔤"),
    (r"over $\Bbb R$ and $\Bbb{C}^n$", "over ℝ and ℂⁿ"),
    (r"$SL(N,\mathds{R})$ on $\mathbbm{Z}$", "SL(N,ℝ) on ℤ"),
    (r"spin $\boldsymbol{S}$, axis $\bm{\hat k}$, $\pmb{v}_\perp$", "spin S, axis k̂, v_⊥"),
    # \hat takes \frak alone (as it takes \mathfrak): the letters stay, no stray marks
    (r"for $\hat\frak{sl}(2,\C)$-characters", "for sl(2,C)-characters"),
    # plain TeX's switches show nothing, their letters stay (real abstracts of 2007-2010
    # have `{\rm ...}` and `{\cal ...}` in one entry of ten)
    (r"Instantons of ${\rm SU}(2)$ and the ${\cal N}=4$ theory",
     "Instantons of SU(2) and the N=4 theory"),
    (r"{\em Very} {\it weak} {\bf bounds} in {\sl slanted} {\tt code} {\sc Caps} {\sf sans}",
     "Very weak bounds in slanted code Caps sans"),
    (r"$\rm e^+e^-$ pairs, $\cal O(n)$ time", "e⁺e⁻ pairs, O(n) time"),
    (r"$\left(\frac{a}{b}\right)^2$ and $\Big( x \Big)$", "(a/b)² and ( x )"),
    (r"$\displaystyle\sum_i x_i$ with {\small size}", "∑ᵢ xᵢ with size"),
    # commands of the same class as one pylatexenc knows read their arguments as it does
    (r"$\tfrac12$, $\dfrac{a}{b}$ and $\bold{x}$", "1/2, a/b and 𝐱"),
    (r"if \mbox{and only if} the \textsf{Sans} $\operatorname{Tr}$", "if and only if the Sans Tr"),
    (r"$\operatorname*{arg\,min}_x f$", "arg minₓ f"),
    # and symbols pylatexenc lacks
    (r"$a \ne b$, $p \iff q$, ${1 \over 2}$", "a ≠ b, p ⟺ q, 1 / 2"),
    # a switch in a script: its space is no part of the script (real: hep-th abstracts)
    (r"$W_{\cal O}[J]$ at $R_{\rm typ}$, $k_{\bot}$", "W_O[J] at R_(typ), k_⊥"),
    # with the spaces after it; an italic correction shows nothing; `\left.` is no dot
    (r"$|\omega|/|{\bf q}|$, {\it the\/} one, $\left.\frac{d}{dx}\right|_0$",
     "|ω|/|q|, the one, d/dx|₀"),
    # MathJax's character by its code (real: an astro-ph abstract's `0.4$\unicode{x2013}$0.9%`)
    (r"biases of 0.4$\unicode{x2013}$0.9% and $\unicode{8212}$ none",
     "biases of 0.4–0.9% and — none"),
    # a switch that acts on nothing is an author's macro of that name: it stays
    (r"$U_q(\widehat{\sl}_2)$ as in the \sc\ model", "U_q(ŝl₂) as in the sc model"),
    (r"of $U_q(\sl_2)$, $\sl(2,\C)$ and $\widehat{\sl_2}$", "of U_q(sl₂), sl(2,C) and ŝl₂"),
    # a delimiter's size alone shows nothing; \boldmath before math acts on it
    (r"where \left. f \right| is, \mbox{\boldmath $\sigma$}", "where f | is, σ"),
    # a code point no text holds (surrogate, control, direction mark) stays as typed
    (r"$\unicode{xD83D}$, $\unicode{0}$, $\unicode{x202E}$", "xD83D, 0, x202E"),
    # What the survey of the real sample still showed as markup, a case per class (the
    # constructs of real abstracts, the words invented). A line break is a space (arXiv's
    # mailings end an abstract with one), a control space a space, an empty group nothing.
    (r"as the data show. \\ ( https://arxiv.org/abs/2303.00001 , 12kb)",
     "as the data show. ( https://arxiv.org/abs/2303.00001 , 12kb)"),
    (r"such as e.g.\ the Poincar\'e map, in Eur.\ Phys.\ J.\ C",
     "such as e.g. the Poincaré map, in Eur. Phys. J. C"),
    (r"of this mechanism. {}From the degrees of {}freedom",
     "of this mechanism. From the degrees of freedom"),
    # display math and \( \) read as inline math, in the paragraph
    (r"given by $$ V(x_1, x_2) = \sum_{i<j} g, $$ where $g>0$",
     "given by V(x₁, x₂) = ∑_(i<j) g, where g>0"),
    (r"the relations \[ \Gamma_n=\Theta_n(0), |\lambda|<1. \] The map",
     "the relations Γₙ=Θₙ(0), |λ|<1. The map"),
    (r"a global \( SO(3) \) symmetry broken to \(|q| >1 \) vortices",
     "a global SO(3) symmetry broken to |q| >1 vortices"),
    # environments: a list's items, an equation
    (r"we show that \begin{enumerate} \item if tight, it halts. \item if loose, not. "
     r"\end{enumerate} Thus", "we show that * if tight, it halts. * if loose, not. Thus"),
    (r"the series \begin{equation*} Z(X,Y)=\ln\left( e^X e^Y \right) \end{equation*} where",
     "the series Z(X,Y)=ln( e^X e^Y ) where"),
    # a matrix (the brief's two abstracts: a pmatrix inside \[ \]; plain TeX's \cr ends
    # its rows) is written as pylatexenc writes one; & outside a matrix is an ampersand
    (r"the inequality \[ \begin{pmatrix} X & Y \\ Z & W \end{pmatrix} \ge 0 \] for R&D",
     "the inequality [ X Y; Z W ]≥ 0 for R&D"),
    (r"matrices $ \begin{pmatrix} A&B\cr C &D \end{pmatrix} $ where",
     "matrices [ A B; C D ] where"),
    # a list longer than a group (MAX_GROUP words) loses all its markup too; an item's
    # own label stands for its star
    (r"Three cases: \begin{enumerate} \item[(a)] if the relaxation is tight then the "
     r"algorithm converges to the exact answer in a number of steps bounded by the size "
     r"of the graph it runs on; \item if loose, it does not. \end{enumerate} Thus",
     "Three cases: (a) if the relaxation is tight then the algorithm converges to the "
     "exact answer in a number of steps bounded by the size of the graph it runs on; "
     "* if loose, it does not. Thus"),
    # links written as LaTeX: the address stays whole, for the pane to link
    (r"The code is here: \href{https://github.com/a/seg-net}{Seg-Net}.",
     "The code is here: Seg-Net (https://github.com/a/seg-net)."),
    (r"at \href {https://x.org/p?q=1} {https://x.org/p?q=1} and \url{http://y.org/~z}, too",
     "at https://x.org/p?q=1 and http://y.org/~z, too"),
    (r"see \href{https://a.org}{Sch\"on's {\em notes}}", "see Schön's notes (https://a.org)"),
    # a macro takes its argument after a space, as LaTeX does
    (r"gaps of order \sqrt {\lambda}/N, found by Kucha\v r",
     "gaps of order √(λ)/N, found by Kuchař"),
    # a macro at the end of math has no argument: its name, never a format or an accent on $
    (r"an operator $\d$ which, a coupling $\b$. And $\tfrac$, $\frac$",
     "an operator d which, a coupling b. And tfrac, frac"),
]


@pytest.mark.parametrize(("tex", "text"), CASES)
def test_latex_to_unicode(tex: str, text: str) -> None:
    assert to_text(tex) == text


def test_the_pane_links_an_href_address_whole() -> None:
    """The address of `\\href` was cut inside its braces, and the pane's link ran over
    `}{text}`: now the link is the address alone."""
    shown = render.linkify(render.esc(to_text(
        r"Code: \href{https://github.com/a/seg-net}{Seg-Net}. Data: \url{https://x.org/d?q=1&r=2}")))
    assert shown == ('Code: Seg-Net (<a href="https://github.com/a/seg-net">'
                     'https://github.com/a/seg-net</a>). Data: <a href="https://x.org/d?q=1&amp;r=2">'
                     'https://x.org/d?q=1&amp;r=2</a>')
    wiki = "https://en.wikipedia.org/wiki/Gauge_theory_(mathematics)"
    shown = render.linkify(render.esc(to_text(rf"See \href{{{wiki}}}{{gauge theories}}.")))
    assert shown == f'See gauge theories (<a href="{wiki}">{wiki}</a>).'


def test_broken_latex_never_loses_the_text() -> None:
    assert to_text(r"Unclosed {\"o and $x") == "Unclosed ö and x"
    assert to_text("\\") == "\\"


TITLES = [r'Ground States of the Schr\"odinger Equation',
          r"Giant Components of Erd\H{o}s--R\'enyi Graphs",
          r"$\alpha$-stable Limits on $\mathbb{R}^d$"]
ABSTRACT = r"We prove a conjecture of Poincar\'e for $SU(2)$ in 50% of the cases."


def _page(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    body = "".join(f"MAMar {i + 1}, 2009\n{title}\n\nAnn Lee, Bo Chen\n\n{ABSTRACT}\n\n"
                   for i, title in enumerate(TITLES))
    page = folder / "ann_lee.txt"
    page.write_text(f"Ann Lee\n\nMA\n\n{body}", encoding="utf-8")
    return page


@pytest.fixture
def latex_db(tmp_path: Path) -> Path:
    db = tmp_path / "latex.db"
    report = build_store([_page(tmp_path / "pages")], db)
    assert report.papers == 3, report.problems
    return db


def test_store_holds_unicode_and_the_pages_text(latex_db: Path) -> None:
    with Store(latex_db) as store:
        rows = {p.id: p for p in store.iter_papers()}
    first = rows[paper_id(TITLES[0])]  # ids are those of the page's titles
    assert first.title == "Ground States of the Schrödinger Equation"
    assert first.title_tex == TITLES[0] and first.page_title == TITLES[0]
    assert first.abstract == "We prove a conjecture of Poincaré for SU(2) in 50% of the cases."
    assert first.page_abstract == ABSTRACT
    assert rows[paper_id(TITLES[2])].title == "α-stable Limits on ℝᵈ"


@pytest.mark.parametrize(("query", "title"), [
    ("Schrödinger", 0), ("schrodinger", 0), ("SCHRÖDINGER", 0), ("Erdős", 1),
    ("Erdos", 1), ("renyi", 1), ("Rényi", 1), ("title:Rényi", 1), ("Erd", 1),
    ("α", 2), ("schröd", 0)])
def test_every_spelling_finds_it(latex_db: Path, query: str, title: int) -> None:
    with Store(latex_db) as store:
        rids = search(store.conn, query, Scope()).rids
        found = [store.papers([r])[r].id for r in rids]
    assert found == [paper_id(TITLES[title])]


def test_abstract_words_are_found_and_vocabulary_is_decoded(latex_db: Path) -> None:
    with Store(latex_db) as store:
        assert len(search(store.conn, "poincare", Scope()).rids) == 3
        vocab = {r[0] for r in store.conn.execute("SELECT term FROM vocab")}
    assert {"schrodinger", "erdos", "renyi", "poincare"} <= vocab
    assert not {"odinger", "enyi", "mathbb", "alpha"} & vocab


def test_exports_keep_the_pages_text(latex_db: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(latex_db), "--format", "json"]) == 0
    papers = {p["id"]: p for p in json.loads(capsys.readouterr().out)["papers"]}
    assert papers[paper_id(TITLES[1])]["title"] == TITLES[1]
    assert papers[paper_id(TITLES[1])]["abstract"] == ABSTRACT
    assert main(["export", "--db", str(latex_db), "--format", "bibtex"]) == 0
    bib = capsys.readouterr().out
    # a bibliography prints the letters, not the page's commands with their backslashes
    assert r"title = {{Giant Components of Erd{\H{o}}s{\textendash}R{\'e}nyi Graphs}}" in bib
    assert (r"title = {{{\ensuremath{\alpha}}-stable Limits on {\ensuremath{\mathbb{R}}}"
            r"{\ensuremath{^{d}}}}}") in bib and "textbackslash" not in bib
    assert main(["export", "--db", str(latex_db), "--format", "markdown"]) == 0
    assert "Erdős–Rényi" in capsys.readouterr().out  # a table to read shows the letters


def test_pane_and_report_show_the_letters(latex_db: Path) -> None:
    with Store(latex_db) as store:
        rid = store.paper_by_id(paper_id(TITLES[1]))
        assert rid is not None
        detail = store.detail(rid.rid)
    assert detail is not None
    html = render.paper_html(detail, compile_query("renyi").highlights)
    assert "Erdős–<span" in html and "Rényi</span>" in html and "\\H" not in html
    assert "Poincaré for SU(2)" in html


def test_a_store_of_the_version_before_is_decoded_on_upgrade(latex_db: Path) -> None:
    with sqlite3.connect(latex_db) as conn:  # what the version before stored: page text
        conn.execute("UPDATE papers SET title = coalesce(title_tex, title),"
                     " abstract = coalesce(abstract_tex, abstract)")
        conn.execute("ALTER TABLE papers DROP COLUMN title_tex")
        conn.execute("ALTER TABLE papers DROP COLUMN abstract_tex")
        conn.execute("DROP INDEX papers_doubtful")
        conn.execute("DROP TABLE titles_fts")  # added after (version 9)
        conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
        schema.refresh_vocab(conn)
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 6")  # the version before LaTeX was decoded
    with Store(latex_db) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        paper = store.paper_by_id(paper_id(TITLES[0]))
        assert paper is not None
        assert paper.title == "Ground States of the Schrödinger Equation"
        assert paper.page_title == TITLES[0]
        rids = search(store.conn, "schrodinger", Scope()).rids
        assert [store.papers([r])[r].id for r in rids] == [paper_id(TITLES[0])]
        assert store.conn.execute("SELECT docs FROM vocab WHERE term = 'poincare'"
                                  ).fetchone() == (3,)


# An abstract with the classes the survey of the real sample fixed (constructs of real
# abstracts, words invented): shown, and indexed, as the letters they mean.
SURVEYED = (r"Found by Kucha\v r: we show that \begin{enumerate} \item if tight, it halts. "
            r"\end{enumerate} See e.g.\ the map \[ \Gamma_n=\Theta_n(0) \] of {}Erd\H{o}s. \\ "
            r"( https://arxiv.org/abs/2303.00001 , 12kb)")


def test_what_the_survey_fixed_is_shown_and_found_by_its_letters(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ann_lee.txt").write_text(
        "Ann Lee\n\nMA\n\nMAMar 1, 2009\nHalting of Relaxed Programs\n\nAnn Lee, Bo Chen\n\n"
        f"{SURVEYED}\n\n", encoding="utf-8")
    db = tmp_path / "survey.db"
    assert build_store([folder / "ann_lee.txt"], db).papers == 1
    with Store(db) as store:
        paper = store.paper_by_id(paper_id("Halting of Relaxed Programs"))
        assert paper is not None
        assert paper.abstract == ("Found by Kuchař: we show that * if tight, it halts. See e.g. "
                                  "the map Γₙ=Θₙ(0) of Erdős. "
                                  "( https://arxiv.org/abs/2303.00001 , 12kb)")
        assert paper.page_abstract == SURVEYED
        for query in ("kuchar", "Kuchař", "KUCHAR", "erdos"):
            assert len(search(store.conn, query, Scope()).rids) == 1, query
        vocab = {r[0] for r in store.conn.execute("SELECT term FROM vocab")}
    assert {"kuchar", "halts", "erdos"} <= vocab
    assert not {"kucha", "begin", "enumerate", "item", "gamma"} & vocab


def test_a_price_is_a_dollar_sign_not_math() -> None:
    """An unpaired `$` before a figure is a price: it opened math that never closed and
    turned the words after it into symbols (`in_place` showed `inₚlace`)."""
    assert to_text(r"Costs: 100% of $5 in_place {braces}") == "Costs: 100% of $5 in_place braces"
    assert to_text(r"costs $5 for $x^2$") == "costs $5 for x²"
    assert to_text(r"($5) per $n$ items") == "($5) per n items"
    # the price is the unpaired sign, not the math before it that starts with a figure
    assert to_text(r"a $2$-torus model costs $5 per_unit") == "a 2-torus model costs $5 per_unit"


def test_tex_single_quotes_are_the_curly_ones_they_print() -> None:
    """163 texts of the real sample quote with `...' (a newcomer saw "Comment on
    `Wedges..." in a title): TeX prints U+2018 and U+2019, and so does the pane."""
    assert to_text("Comment on `Wedges, cones, cosmic strings'") == \
        "Comment on \u2018Wedges, cones, cosmic strings\u2019"
    assert to_text("(`nucleons' and `pions').") == "(\u2018nucleons\u2019 and \u2018pions\u2019)."
    assert to_text("We extend Dirac's `extensible model' here") == \
        "We extend Dirac's \u2018extensible model\u2019 here"
    assert to_text("when the `t Hooft coupling") == "when the \u2018t Hooft coupling"
    # a double quote, an accent and a backtick inside a word are not single quotes
    assert to_text("a ``double'' quote") == "a \u201cdouble\u201d quote"
    assert to_text(r"Monge-Amp\`ere") == "Monge-Ampère"
    assert to_text("MC`s as it is") == "MC`s as it is"


def test_a_version_13_store_is_decoded_again_on_upgrade(tmp_path: Path) -> None:
    """Version 13 stored `Comment on `Wedges'` with its backtick, and `5 inₚlace` for a
    price's `$`: opening it decodes those texts again, and the full-text indexes and
    the vocabulary follow (checked against a fresh build of the same page)."""
    title, abstract = "Comment on `Wedges, cones and strings'", r"It costs $5 per in_place run."
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    with _as_decoded_before(tmp_path, title, abstract, "It costs 5 per inₚlace run.") as (
            conn, rid):  # as version 13 stored and indexed it
        without_words(conn)
        without_author_sort(conn)  # version 15
        conn.execute("PRAGMA user_version = 13")
    paper = _upgraded_as_fresh(old, fresh, rid, "in_place")
    assert paper.title == "Comment on \u2018Wedges, cones and strings\u2019"
    assert paper.abstract == "It costs $5 per in_place run."
    assert (paper.page_title, paper.page_abstract) == (title, abstract)


def _upgraded_as_fresh(old: Path, fresh: Path, rid: int, word: str) -> PaperRow:
    """Paper `rid` of `old`, opened (and so upgraded) now; `word` finds it there alone,
    and the full-text index and vocabulary hold the decoded text as `fresh`'s do."""
    with Store(old) as store:
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION
        paper = store.papers([rid])[rid]
        assert list(search(store.conn, word, Scope()).rids) == [rid]
        vocab = store.conn.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall()
    with sqlite3.connect(old) as conn:  # the index holds the decoded text, and only it
        conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")
    with sqlite3.connect(fresh) as conn:
        assert vocab == conn.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall()
    return paper


@contextlib.contextmanager
def _as_decoded_before(tmp_path: Path, title: str, abstract: str,
                       then: str) -> Iterator[tuple[sqlite3.Connection, int]]:
    """Two stores of one page, fresh.db and old.db, old.db's abstract as an earlier
    version decoded it (`then`), stored and indexed so, its title as the page writes
    it; the caller says which version (a connection to old.db, the paper's rid)."""
    from paperdesk.writer import reindex

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Ann Lee\n\nMAMar 1, 2009\n{title}\n\nAnn Lee, Bo Chen\n\n"
                                  f"{abstract}\n\n", encoding="utf-8")
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    assert build_store([folder], fresh).complete and build_store([folder], old).complete
    with sqlite3.connect(old) as conn:
        rid, *now = conn.execute("SELECT rid, title, authors, affiliations, abstract"
                                 " FROM papers").fetchone()
        before = (title, now[1], now[2], then)
        reindex(conn, [(rid, False, tuple(now)), (rid, True, before)])
        conn.execute("UPDATE papers SET title = ?, title_tex = NULL, abstract = ?,"
                     " abstract_tex = ? WHERE rid = ?", (title, then, abstract, rid))
        schema.refresh_vocab(conn)
        yield conn, rid


def _both_paths(fragment: str) -> str:
    """The fragment's text by latex_fast and by pylatexenc's parser: they must agree."""
    from paperdesk import latex

    fast = latex._contexts()[2].decode(fragment)
    assert fast is None or fast == latex.parsed(fragment), fragment
    return to_text(fragment)


def test_an_accent_on_no_letter_is_the_authors_macro() -> None:
    """Real abstracts use `\\c`, `\\k`, `\\b` as their own names of variables: `\\c_L`
    showed a cedilla under `_` (hep-th/9209043: `∑ N_(LR) _̧L C_R`), `\\k40` an ogonek
    under 4. A text accent on anything but a letter shows its name; a math accent
    still marks a digit or a symbol."""
    assert _both_paths(r"functions $\sum N_{LR}\,\c_L\,\C_R$ lies") == \
        "functions ∑ N_(LR) c_L C_R lies"
    assert _both_paths(r"as $Z=\sum \c(q) \c(\q)$, but") == "as Z=∑c(q) c(q), but"
    assert _both_paths(r"isotopes, $\k40$ is one") == "isotopes, k40 is one"
    assert _both_paths(r"parameter \k. For a=a(\k) it") == "parameter k. For a=a(k) it"
    assert _both_paths(r"$|x-y|^{2\b+1}$, $W_{\a,\b}$") == "|x-y|²ᵇ⁺¹, W_(a,b)"
    assert _both_paths(r"at $\vec 0$, the $\bar 3$ and $B\not=0$") == "at 0⃗, the 3̅ and B≠0"
    # an accent before a space takes the letter after it, as TeX does
    assert _both_paths(r'Reissner Nordstr\" om and K\" ahler') == "Reissner Nordström and Kähler"
    assert _both_paths(r"Schr\"odinger, Lema\^{\i}tre, Kucha\v r") == \
        "Schrödinger, Lemaître, Kuchař"


def test_an_accent_over_a_group_is_written_once() -> None:
    """`$\\hat{sl}(N)_k$` showed `ŝl̂(N)ₖ`, a hat on each letter, and `\\widehat{sl}`
    none (`sl`): over a group the mark is written once, on its first letter (the
    affine algebra ŝl); `\\bar`'s line goes over a word's every character."""
    assert _both_paths(r"$\hat{sl}(N)_k/\hat{sl}(N)_k$-cosets") == "ŝl(N)ₖ/ŝl(N)ₖ-cosets"
    assert _both_paths(r"$U_q(\widehat{sl}_2)$, $\widehat{sl(3)}$") == "U_q(ŝl₂), ŝl(3)"
    assert _both_paths(r"$\hat{x_1}$, $\tilde{K3}\times$, $\dot{\bar\psi}$") == "x̂₁, K̃3×, ψ̅̇"
    assert _both_paths(r"the $\overline{SL}(4,R)$ algebra, $\bar{D2}$") == \
        "the S̅L̅(4,R) algebra, D̅2̅"
    assert _both_paths(r"$\overline{\mathbf M(p-1,p)}$") == "𝐌̅(p-1,p)"
    assert _both_paths(r"$\widetilde{CP}^2$ and $\widetilde\Gamma$") == "C̃P² and Γ̃"


def test_a_script_outside_math_reads_as_in_math() -> None:
    """A real title (hep-th/9202020) showed `G_k x G_l / Gₖ₊ₗ`: a word with braces was
    decoded, one without left as typed. A script written as one is read outside math
    too; a sign with more after it, or a letter after a longer word, is the page's own
    text (an identifier, a unit)."""
    assert _both_paths(r"Thermodynamic Bethe Ansatz for G_k x G_l / G_{k+l} Coset Models "
                       r"Perturbed by Their \phi_{1,1,Adj} Operator") == \
        ("Thermodynamic Bethe Ansatz for Gₖ x Gₗ / Gₖ₊ₗ Coset Models Perturbed by Their "
         "ϕ_(1,1,Adj) Operator")
    assert _both_paths("strings on AdS_5 x S^5, sin^2 theta_{23}, B^0_s, mu^-mu^-") == \
        "strings on AdS₅ x S⁵, sin² theta₂₃, B⁰ₛ, mu⁻mu⁻"
    assert _both_paths("SL_2(C)-representations of YBa_2Cu_3O_7 with h_x<h_s") == \
        "SL₂(C)-representations of YBa₂Cu₃O₇ with hₓ<hₛ"
    # after a word of two letters or more, a letter is a program's name: `top_k`
    plain = ("in_place, v_los, E_T^miss, 10 s^-1, 10^11.5 Msun, run_1.py, R^(n+1), sl(2)^), "
             "top_k sampling, max_n")
    assert _both_paths(plain) == plain
    assert _both_paths(r"$\Omega_K$ and Omega_K, $x_1,y_2$ and x_1,y_2") == \
        "Ω_K and Omega_K, x₁,y₂ and x₁,y₂"


def test_a_version_15_store_is_decoded_again_on_upgrade(tmp_path: Path) -> None:
    """Version 15 stored `4̨0` for `$\\k40$` and a script outside math as typed: opening
    it decodes those texts again, and the full-text indexes and the vocabulary follow
    (checked against a fresh build of the same page)."""
    title, abstract = "Strings on AdS_5 x S^5", r"The $\k40$ level of $\hat{sl}(N)_k$ runs."
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    with _as_decoded_before(tmp_path, title, abstract,
                            "The 4\u03280 level of s\u0302l\u0302(N)ₖ runs.") as (conn, rid):
        conn.execute("PRAGMA user_version = 15")  # as version 15 stored and indexed it
    paper = _upgraded_as_fresh(old, fresh, rid, "k40")
    assert (paper.title, paper.abstract) == ("Strings on AdS₅ x S⁵",
                                             "The k40 level of ŝl(N)ₖ runs.")
    assert (paper.page_title, paper.page_abstract) == (title, abstract)
