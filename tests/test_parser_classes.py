"""Issue 13's classes, one hand-written entry each; the truth is written here, by hand.

The names and titles are invented examples of each class (as in the issue), not
taken from any corpus the parser was tuned on. A split the parser is not sure of
must say so: right, or flagged doubtful with a warning naming file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paperdesk.categories import meanings
from paperdesk.cli import main
from paperdesk.parser import parse_page
from paperdesk.records import Page
from paperdesk.seam import words_of

ABSTRACT = "We study the problem at length and report results on three benchmarks."

# (run-together line, title, authors, et al.)
RUN_TOGETHER = [
    ("Convective Cores in Stellar ModelingT.S. Morgan, Ya. Petrov, Ł. Nowicki et al.",
     "Convective Cores in Stellar Modeling", ("T.S. Morgan", "Ya. Petrov", "Ł. Nowicki"), True),
    ("Adversarial Defense in VLMsK. W. Smithson, Ph. Martin, M. Kerem Aydin et al.",
     "Adversarial Defense in VLMs", ("K. W. Smithson", "Ph. Martin", "M. Kerem Aydin"), True),
    ("Planning for POMDPsL. D. M. S. Rao Teja, W.-M. Li",
     "Planning for POMDPs", ("L. D. M. S. Rao Teja", "W.-M. Li"), False),
    ("Aligning Agents with LLMsAna del Mar Ruiz, Pieter van den Broek, R. de la Fontaine et al.",
     "Aligning Agents with LLMs", ("Ana del Mar Ruiz", "Pieter van den Broek",
                                   "R. de la Fontaine"), True),
    ("Sparse Attention at ScalePaul DeVries, Anna DeLuca, Mark DiNapoli et al.",
     "Sparse Attention at Scale", ("Paul DeVries", "Anna DeLuca", "Mark DiNapoli"), True),
    ("Learning to RankW.P. McAllister, Eric Hanwen Zhou, Lucas Ferreira Martins Costa et al.",
     "Learning to Rank", ("W.P. McAllister", "Eric Hanwen Zhou",
                          "Lucas Ferreira Martins Costa"), True),
    ("Ternary Networks on TPUsT. A. Tran, H.-J. Otto, N.Pavlenko",
     "Ternary Networks on TPUs", ("T. A. Tran", "H.-J. Otto", "N.Pavlenko"), False),
    ("Gauge Fields on the LatticeGerard 't Hooft, Reinaldo de Melo e Souza",
     "Gauge Fields on the Lattice", ("Gerard 't Hooft", "Reinaldo de Melo e Souza"), False),
    ("Muon Decays at the LHCJiJi Fan, Dušan Đorđević, Choon-Lin Ho et al.",
     "Muon Decays at the LHC", ("JiJi Fan", "Dušan Đorđević", "Choon-Lin Ho"), True),
    # arXiv's marks: an asterisk after a name, a lone colon after a collaboration
    ("Tonal Languages in SpeechY Hoang Tran, Jue-Min Tsai*, Wen Hou et al.",
     "Tonal Languages in Speech", ("Y Hoang Tran", "Jue-Min Tsai", "Wen Hou"), True),
    ("Seed Models at ScaleAcme Seed, :, Wen Hou, Jue-Min Tsai*",
     "Seed Models at Scale", ("Acme Seed", "Wen Hou", "Jue-Min Tsai"), False),
    # organisations and one-word authors
    ("A Survey of Mongolian NLPBayar, Tumen Bat",
     "A Survey of Mongolian NLP", ("Bayar", "Tumen Bat"), False),
    ("Open Weights for ScienceOpenAI", "Open Weights for Science", ("OpenAI",), False),
    ("Frontier Model ReportMistral-AI, Acme LongRange Team",
     "Frontier Model Report", ("Mistral-AI", "Acme LongRange Team"), False),
]


# Classes found failing on held-out pages (bench/heldout.py): read exactly and, since
# nothing about them is uncertain, not flagged.
HELD_OUT = [
    # an organisation's name holds product names with inner capitals, and more words
    ("Sparse Retrieval at ScaleNorthwind LongView Team, Ivo Marek",
     "Sparse Retrieval at Scale", ("Northwind LongView Team", "Ivo Marek"), False),
    ("Grasping in ClutterBrightLoop Lab, Ana Souza",
     "Grasping in Clutter", ("BrightLoop Lab", "Ana Souza"), False),
    ("Weather Models at ScaleCirrus HighRes Project, :, Ana Souza, Ivo Marek et al.",
     "Weather Models at Scale", ("Cirrus HighRes Project", "Ana Souza", "Ivo Marek"), True),
    # a particle glued to the surname (`VanderMeer`, `FitzGerald`), like `DeVries`
    ("Tidal Heating of Icy MoonsOrla FitzGerald, Ivo Marek",
     "Tidal Heating of Icy Moons", ("Orla FitzGerald", "Ivo Marek"), False),
    ("Sparse Solvers on GPUsT.V. VanderMeer, Ana Souza",
     "Sparse Solvers on GPUs", ("T.V. VanderMeer", "Ana Souza"), False),
    # the Dutch particle `ten`
    ("Polder Hydrology RevisitedJoost ten Brink, Ana Souza",
     "Polder Hydrology Revisited", ("Joost ten Brink", "Ana Souza"), False),
    # a title ending in a digit and a capital: `3D`, `70B` are one word
    ("Gaussian Splatting in 3DMara Lindholm, Ivo Marek",
     "Gaussian Splatting in 3D", ("Mara Lindholm", "Ivo Marek"), False),
    ("Instruction Tuning at 70BMara Lindholm",
     "Instruction Tuning at 70B", ("Mara Lindholm",), False),
    # a single-letter given name without a period, glued to the title's last word
    ("Vitamin D in Cold ClimatesA Kumar, Ivo Marek",
     "Vitamin D in Cold Climates", ("A Kumar", "Ivo Marek"), False),
    ("Tone Sandhi in Northern DialectsQ Minh Le",
     "Tone Sandhi in Northern Dialects", ("Q Minh Le",), False),
]


# Classes found on other renderings of the real sample (bench/realpages.py, seeds 1-3):
# wrong before, each of them exact now.
RERENDERED = [
    # a title closing an aside with a lone dash, or closing TeX's quotes
    ("Flux Tubes in Gauge Theory - Numerical Aspects of the Dual Picture -H. Okamura",
     "Flux Tubes in Gauge Theory - Numerical Aspects of the Dual Picture -",
     ("H. Okamura",), False),
    ("A Reply to ``Unitarity of the Boundary Theory''J. Pablo Ferrer",
     "A Reply to ``Unitarity of the Boundary Theory''", ("J. Pablo Ferrer",), False),
]


@pytest.mark.parametrize(("line", "title", "authors", "et_al"), RERENDERED,
                         ids=[t for _, t, _, _ in RERENDERED])
def test_classes_of_other_renderings_are_exact(line: str, title: str,
                                               authors: tuple[str, ...], et_al: bool) -> None:
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors, entry.et_al) == (title, authors, et_al)


@pytest.mark.parametrize(("line", "title", "first"), [
    ("Precise Lifetimes of Charm BaryonsKEKb collaboration, T. Ilves, K. Orrin et al.",
     "Precise Lifetimes of Charm Baryons", "KEKb collaboration"),
    ("The Upgraded DarkSide DetectorIceCube collaboration, Ana Souza",
     "The Upgraded DarkSide Detector", "IceCube collaboration"),
    ("First Results from IceCubeIceCube collaboration", "First Results from IceCube",
     "IceCube collaboration"),
])
def test_an_organisation_in_small_letters_is_always_doubtful(line: str, title: str,
                                                             first: str) -> None:
    """`…massesLHCb collaboration` was read `…massesLH` + `Cb collaboration` with no doubt:
    where such a name begins, the shapes cannot tell (`LHCb` is not a name's shape, and
    reading `collaboration` as an organisation's word cut `DarkSide` and `IceCube` in
    titles). Right or wrong, the split is flagged for the user to look at."""
    entry = _run_together_page(line).entries[1]
    assert entry.doubtful, (entry.title, entry.authors)


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("First Results from PandaXPandaX Collaboration", "First Results from PandaX",
     ("PandaX Collaboration",)),
    ("Dark Matter Search Results from SuperCDMSDarkSide Collaboration, P. Agnes",
     "Dark Matter Search Results from SuperCDMS", ("DarkSide Collaboration", "P. Agnes")),
    ("Benchmarks for ChatGPTAcme Lab, Ana Souza", "Benchmarks for ChatGPT",
     ("Acme Lab", "Ana Souza")),
])
def test_a_title_ending_in_a_product_name_keeps_it_before_an_organisation(
        line: str, title: str, authors: tuple[str, ...]) -> None:
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors) == (title, authors)


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("TWISTED BUNDLES ON NONCOMMUTATIVE TORI.B. Varga, O. Lind",
     "TWISTED BUNDLES ON NONCOMMUTATIVE TORI.", ("B. Varga", "O. Lind")),
    ("STRING LOOPS AND THEIR BACK-REACTIONH.J. van Dael",
     "STRING LOOPS AND THEIR BACK-REACTION", ("H.J. van Dael",)),
])
def test_a_title_in_capitals_ends_in_a_word_the_page_uses(line: str, title: str,
                                                          authors: tuple[str, ...]) -> None:
    """`TORI.` is a word of the abstract, `REACTIONH.` none: a title in capitals ends in
    its own word and a period, not in a glued initial."""
    abstract = "Bundles on noncommutative tori and the back-reaction of string loops."
    page = parse_page(f"IRFeb 7, 2023\n{line}\n{abstract}\n", "classes.txt")
    assert (page.entries[0].title, page.entries[0].authors) == (title, authors)


def test_initials_glued_to_a_surname_are_not_read_as_a_word_of_the_name() -> None:
    """`…Models. I` + `I. Numerical ResultsV.K.Ter-Avanesov` was chosen when the page
    uses the word `I`: a name's word with an initial glued inside is no name's word."""
    page = parse_page("IRFeb 7, 2023\nSpectral Flow in Lattice Models. II. Numerical "
                      "ResultsV.K.Ter-Avanesov\nAs in part I, we compute the spectral flow.\n",
                      "classes.txt")
    assert (page.entries[0].title, page.entries[0].authors) == (
        "Spectral Flow in Lattice Models. II. Numerical Results", ("V.K.Ter-Avanesov",))


def test_a_name_of_three_words_is_not_cut_at_a_name_the_page_knows() -> None:
    """`Kyung Hyun Cho` read as `…lemmaKyung H` + `yun Cho` because another entry names
    a `Yun`: `H|yun` cuts a capitalised word, as `Ru|ben` does."""
    page = parse_page(
        "IRMar 2, 2024\nGraph Models for SearchYuxuan Lei, Dae Wan\n"
        f"{ABSTRACT}\nIRFeb 7, 2023\nA Boundary Lemma for Holomorphic MapsJin Hwan Seo, "
        f"Mira Solberg\n{ABSTRACT}\n", "classes.txt")
    entry = page.entries[1]
    assert (entry.title, entry.authors) == ("A Boundary Lemma for Holomorphic Maps",
                                            ("Jin Hwan Seo", "Mira Solberg"))


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("Pretraining Vision Encoders on ImageNetSiddharth Brennan, Ana Souza",
     "Pretraining Vision Encoders on ImageNet", ("Siddharth Brennan", "Ana Souza")),
    ("Sparse Kernels for TensorFlowMarguerite Olsen", "Sparse Kernels for TensorFlow",
     ("Marguerite Olsen",)),
    ("Type Inference in JavaScriptBastien Morel, Ivo Marek", "Type Inference in JavaScript",
     ("Bastien Morel", "Ivo Marek")),
    ("Protein Design beyond AlphaFoldTimothee Laurent, Ana Souza",
     "Protein Design beyond AlphaFold", ("Timothee Laurent", "Ana Souza")),
])
def test_a_title_ending_in_a_camel_word_keeps_it_before_a_whole_given_name(
        line: str, title: str, authors: tuple[str, ...]) -> None:
    """`ImageNetSiddharth Brennan` was read `…on Image` + `NetSiddharth Brennan`: a camel
    given name glues a name's syllables or short names (`HyunJin`, `GianCarlo`), never a
    whole given name of seven letters or more after a word. (A shorter one, `NetYuki`,
    `NetDavide`, is as likely a syllable: such splits stay doubtful.)"""
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors) == (title, authors)


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("Graph Rewriting for CompilersHyunJin Kim, Ana Souza", "Graph Rewriting for Compilers",
     ("HyunJin Kim", "Ana Souza")),
    ("Sparse Coding of Natural ScenesGianCarlo Rossi", "Sparse Coding of Natural Scenes",
     ("GianCarlo Rossi",)),
    # six letters: pinyin's longest syllables, a short given name
    ("Sparse Coding of Natural ScenesXiaoShuang Li, Ana Souza",
     "Sparse Coding of Natural Scenes", ("XiaoShuang Li", "Ana Souza")),
    ("Sparse Coding of Natural ScenesJeanPierre Martin", "Sparse Coding of Natural Scenes",
     ("JeanPierre Martin",)),
])
def test_a_camel_given_name_of_syllables_is_still_read_whole(line: str, title: str,
                                                             authors: tuple[str, ...]) -> None:
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors) == (title, authors)


def test_a_camel_word_glued_to_a_camel_given_name_is_doubtful() -> None:
    """`ImageNetHyunJin Kim`: `ImageNet` + `HyunJin`, or `ImageNetHyun` + `Jin`? Shapes
    cannot tell; the user is told."""
    entry = _run_together_page("Graph Rewriting in ImageNetHyunJin Kim, Ana Souza").entries[1]
    assert entry.doubtful


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("Tool Use Pruning under OpenAIJi-Joon Kim, Ana Souza", "Tool Use Pruning under OpenAI",
     ("Ji-Joon Kim", "Ana Souza")),
    ("Multi-hop Answers on WikiQAMara Lindholm", "Multi-hop Answers on WikiQA",
     ("Mara Lindholm",)),
    ("Regulation by Plant lncRNAIvo Marek, Ana Souza", "Regulation by Plant lncRNA",
     ("Ivo Marek", "Ana Souza")),
])
def test_a_title_ending_in_a_word_with_two_capitals_keeps_them(line: str, title: str,
                                                               authors: tuple[str, ...]) -> None:
    """A title's last word with capitals after small letters (`OpenAI`, `WikiQA`,
    `lncRNA`) is kept whole: costs tried for `…massesLHCb collaboration` cut it."""
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors) == (title, authors)


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("Sequential RecommendationJiHoon Park, MinSeo Lee", "Sequential Recommendation",
     ("JiHoon Park", "MinSeo Lee")),
    ("Sparse Attention in PracticeDongWook Kim, SooMin Cho, Ana Souza",
     "Sparse Attention in Practice", ("DongWook Kim", "SooMin Cho", "Ana Souza")),
    ("Tidal Locking of ExoplanetsGianCarlo Rossi, JeanLuc Moreau",
     "Tidal Locking of Exoplanets", ("GianCarlo Rossi", "JeanLuc Moreau")),
])
def test_a_name_glued_to_the_title_is_not_left_before_a_comma(
        line: str, title: str, authors: tuple[str, ...]) -> None:
    """`…RecommendationJiHoon Park, Min` + `Seo Lee` (held out: camel given names) cost
    no more than the right reading: a title whose last comma piece follows a word glued
    to a name has passed over the seam. Right (flagged, as camel given names are)."""
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors) == (title, authors)


@pytest.mark.parametrize(("line", "abstract", "title", "authors"), [
    ("Dijet Spectra in Proton Collisions at 5.02 TeVCMS Collaboration",
     "Dijet spectra measured with the CMS detector at 5.02 TeV.",
     "Dijet Spectra in Proton Collisions at 5.02 TeV", ("CMS Collaboration",)),
    ("Jet Quenching in Lead Collisions at 2.76 TeVALICE Collaboration, Ana Souza",
     "The ALICE detector measured jets at 2.76 TeV.",
     "Jet Quenching in Lead Collisions at 2.76 TeV", ("ALICE Collaboration", "Ana Souza")),
    ("Proton Decay Limits at 7 TeVATLAS Collaboration",
     "We search for decays with the ATLAS detector.",
     "Proton Decay Limits at 7 TeV", ("ATLAS Collaboration",)),
    ("Diffractive Structure Functions at HERAH1 Collaboration",
     "Diffraction measured by the H1 detector at HERA.",
     "Diffractive Structure Functions at HERA", ("H1 Collaboration",)),
    ("Top Quark Mass at 1.96 TeVD0 Collaboration, Ivo Marek",
     "The D0 experiment measures the top quark mass.",
     "Top Quark Mass at 1.96 TeV", ("D0 Collaboration", "Ivo Marek")),
    ("Observations of GW170104LIGO Scientific Collaboration",
     "The LIGO detectors observed a binary merger.",
     "Observations of GW170104", ("LIGO Scientific Collaboration",)),
])
def test_an_organisation_the_page_names_is_read_after_a_unit_or_an_acronym(
        line: str, abstract: str, title: str, authors: tuple[str, ...]) -> None:
    """`…at 1.96 Te` + `VCDF Collaboration` (a real entry, other renderings): where an
    acronym begins after a word with capitals (`TeV`, `HERA`, `GW170104`) no shape
    settles, but the abstract names the experiment (`the CMS detector`). A unit's short
    word (`TeV`, `keV`) is not a word with a capital glued on; an acronym may begin
    after a digit and hold one (`H1`, `D0`) and be of any length."""
    page = parse_page(f"IRFeb 7, 2023\n{line}\n{abstract}\n", "classes.txt")
    assert (page.entries[0].title, page.entries[0].authors) == (title, authors)


def test_an_organisation_read_from_the_end_of_an_acronym_is_doubtful() -> None:
    """`…at the LHC` + `LHCb Collaboration` read as `…the LHCLH` + `Cb Collaboration`
    without a doubt: an organisation's first word of a capital and one small letter is
    the end of a mixed-case acronym the title's capitals took. Flagged, not fixed."""
    entry = _run_together_page("Rare Decays of B Mesons at the LHCLHCb Collaboration").entries[1]
    assert entry.doubtful, (entry.title, entry.authors)


@pytest.mark.parametrize(("line", "title", "authors", "et_al"), HELD_OUT,
                         ids=[t for _, t, _, _ in HELD_OUT])
def test_held_out_classes_are_exact_and_not_flagged(line: str, title: str,
                                                    authors: tuple[str, ...],
                                                    et_al: bool) -> None:
    page = _run_together_page(line)
    entry = page.entries[1]
    assert (entry.title, entry.authors, entry.et_al) == (title, authors, et_al)
    assert not entry.doubtful
    assert not [p for p in page.problems if "split uncertain" in str(p)]


def test_an_upper_case_word_with_a_hyphen_is_not_cut() -> None:
    """`ATLA|S-X Collaboration` is no name (`H-O. Kreiss` is): the split is right,
    flagged only because a one-word first author always is."""
    page = _run_together_page("Calorimeter Timing in Heavy-Ion RunsKestrel-HX, "
                              "The QUARK-Z Collaboration, Mira Solberg")
    entry = page.entries[1]
    assert (entry.title, entry.authors) == (
        "Calorimeter Timing in Heavy-Ion Runs",
        ("Kestrel-HX", "The QUARK-Z Collaboration", "Mira Solberg"))


@pytest.mark.parametrize(("line", "title", "authors"), [
    ("Detector Noise in the second observing runKAGRA Scientific Collaboration",
     "Detector Noise in the second observing run", ("KAGRA Scientific Collaboration",)),
    ("Bursts seen by resonant bar detectorsNAUTILUS Collaboration, Ada Varga",
     "Bursts seen by resonant bar detectors", ("NAUTILUS Collaboration", "Ada Varga")),
])
def test_an_organisation_named_by_an_acronym_is_read_whole(line: str, title: str,
                                                           authors: tuple[str, ...]) -> None:
    """`…runKAGRA Scientific Collaboration` was cut to `KAGR` + `A Scientific …`: an
    upper-case word glued to a lower-case one can begin an organisation's name.
    Right, and flagged as every split whose best reading costs this much."""
    page = _run_together_page(line)
    entry = page.entries[1]
    assert (entry.title, entry.authors) == (title, authors)
    assert entry.doubtful


def _run_together_page(line: str) -> Page:
    filler = ("IRMar 2, 2024\nGraph Models for SearchYuxuan Lei, Jing Yao\n"
              f"{ABSTRACT}\n")
    return parse_page(f"{filler}IRFeb 7, 2023\n{line}\n{ABSTRACT}\n", "classes.txt")


@pytest.mark.parametrize(("line", "title", "authors", "et_al"), RUN_TOGETHER,
                         ids=[t for _, t, _, _ in RUN_TOGETHER])
def test_run_together_entry_is_right_or_flagged(line: str, title: str,
                                                authors: tuple[str, ...], et_al: bool) -> None:
    page = _run_together_page(line)
    entry = page.entries[1]
    warnings = [str(p) for p in page.problems]
    if (entry.title, entry.authors) != (title, authors):
        assert entry.doubtful, f"silently wrong: {entry.title!r} | {entry.authors!r}"
        assert warnings and warnings[0].startswith("classes.txt:5: warning: title/author split")
    assert entry.et_al is et_al


@pytest.mark.parametrize(("line", "title", "authors", "et_al"), RUN_TOGETHER[:11])
def test_run_together_entries_with_names_are_exact(line: str, title: str,
                                                   authors: tuple[str, ...],
                                                   et_al: bool) -> None:
    """Every class but organisations and one-word authors is exact, not only flagged."""
    entry = _run_together_page(line).entries[1]
    assert (entry.title, entry.authors, entry.et_al) == (title, authors, et_al)


def test_spaced_author_line_with_arxiv_marks_is_imported() -> None:
    text = ("Ann Lee\n\nIRFeb 7, 2023\nSeed Models at Scale\n\n"
            f"Acme Seed, :, Wen Hou, Jue-Min Tsai*\n\n{ABSTRACT}\n")
    page = parse_page(text, "marks.txt")
    assert page.problems == ()
    assert page.entries[0].authors == ("Acme Seed", "Wen Hou", "Jue-Min Tsai")


def _spaced_page(author_line: str, title: str = "Seed Models at Scale") -> Page:
    return parse_page(f"Ann Lee\n\nIRFeb 7, 2023\n{title}\n\n{author_line}\n\n{ABSTRACT}\n",
                      "notes.txt")


def test_an_affiliation_in_parentheses_after_a_name_joins_the_affiliations() -> None:
    """arXiv's author lines write an author's affiliation in parentheses after the name
    (`Stefan Forste (U.Bonn)`): the entry was skipped as having no author line, and now
    reads as the person, their affiliation kept with the entry's own (after ` · `)."""
    page = _spaced_page("Wen Hou (Kyoto U.), Ann Lee, Jue-Min Tsai (MIT) et al. · NUS, MIT")
    assert page.problems == ()
    entry = page.entries[0]
    assert (entry.authors, entry.et_al) == (("Wen Hou", "Ann Lee", "Jue-Min Tsai"), True)
    assert entry.affiliations == ("NUS", "MIT", "Kyoto U.")
    glued = _run_together_page("Sparse Attention (Extended Abstract)Wen Hou (Kyoto U.), "
                               "Jue-Min Tsai (MIT)").entries[1]
    assert (glued.title, glued.authors, glued.affiliations) == (
        "Sparse Attention (Extended Abstract)", ("Wen Hou", "Jue-Min Tsai"), ("Kyoto U.", "MIT"))


def test_a_footnote_number_after_a_name_is_a_mark_and_a_bare_note_no_name() -> None:
    """`(1)` refers to a legend the page does not hold: removed, as `*` is; a piece that
    is only a note names nobody, so the line is still refused, with its line number."""
    entry = _spaced_page("Wen Hou (1), Ann Lee (2,3)").entries
    assert entry == ()  # `(2,3)` has a comma: `3)` is no name
    entry = _spaced_page("Wen Hou (1), Ann Lee (2)").entries[0]
    assert (entry.authors, entry.affiliations) == (("Wen Hou", "Ann Lee"), ())
    page = _spaced_page("(Kyoto U.), Ann Lee")
    assert page.entries == ()
    assert "notes.txt:3: error: line 6: expected an author line" in str(page.problems[0])


def test_a_suffix_a_role_or_another_script_in_parentheses_is_no_affiliation() -> None:
    """A review: `(Jr.)`, `(ed.)` and `(王伟)` (the name in Chinese) were made
    affiliations, which the export and the reviewers' conflicts read as institutions."""
    entry = _spaced_page("John Smith (Jr.), Ann Lee (ed.), Wen Hou (École Polytechnique)"
                         ).entries[0]
    assert (entry.authors, entry.affiliations) == (
        ("John Smith Jr.", "Ann Lee", "Wen Hou"), ("École Polytechnique",))
    page = _spaced_page("Wei Wang (王伟), Ann Lee")  # refused, with its line, as before
    assert page.entries == ()
    assert "notes.txt:3: error: line 6: expected an author line" in str(page.problems[0])


def test_a_dash_written_with_spaces_inside_a_name_keeps_the_entry() -> None:
    """`R.M.Mir -- Kasimov` (a real author's TeX dash): the spaced entry was skipped and
    the run-together one cut inside the surname (`…oscillatorsR.M.Mir -- K` + `asimov`)."""
    entry = _spaced_page("Rustem M. Mir -- Kasimov, Ann Lee").entries[0]
    assert entry.authors == ("Rustem M. Mir -- Kasimov", "Ann Lee")
    glued = _run_together_page("Finite-Difference Equations and q-oscillatorsR.M.Mir -- "
                               "Kasimov").entries[1]
    assert (glued.title, glued.authors) == ("Finite-Difference Equations and q-oscillators",
                                            ("R.M.Mir -- Kasimov",))
    assert _spaced_page("Ann Lee --, -- Wen Hou").entries == ()  # a dash at a name's end
    # a hyphen between two names is no name's (a review: `Alice Smith - Bob Jones`)
    assert _spaced_page("Alice Smith - Bob Jones, Carol White").entries == ()


@pytest.mark.parametrize(("meta", "category"), [
    ("hep-phJan 5, 2001", "hep-ph"),
    ("quant-phMar 12, 2008Code", "quant-ph"),
    ("mes-hallOct 3, 2008", "mes-hall"),
    ("gr-qcMay 30", "gr-qc"),
    ("12.5astro-phApr 1, 2019", "astro-ph"),
    ("NAJun 9, 2020", "NA"),
])
def test_archive_categories_start_an_entry(meta: str, category: str) -> None:
    text = ("Ann Lee\n\nIRFeb 7, 2023\nFirst Title\n\nAnn Lee\n\nFirst abstract.\n\n"
            f"{meta}\nSecond Title\n\nBo Chen\n\nSecond abstract.\n")
    page = parse_page(text, "cats.txt")
    assert page.problems == ()
    assert [e.category for e in page.entries] == ["IR", category]
    assert page.entries[0].abstract == "First abstract."


def test_meta_like_line_is_reported_not_glued_to_the_abstract() -> None:
    text = ("Ann Lee\n\nIRFeb 7, 2023\nFirst Title\n\nAnn Lee\n\nFirst abstract.\n\n"
            "IRSept 7, 2023\nSecond Title\n\nBo Chen\n\nSecond abstract.\n\n"
            "ZQFeb 9, 2023\nThird Title\n\nCy Dunn\n\nThird abstract.\n")
    page = parse_page(text, "odd.txt")
    assert [str(p) for p in page.problems] == [
        "odd.txt:10: error: not understood as an entry's category and date: "
        "'IRSept 7, 2023' (entry skipped)",
        "odd.txt:17: warning: unknown arXiv category 'ZQ' (kept as shown)",
    ]
    assert page.entries[0].abstract == "First abstract."
    assert [e.title for e in page.entries] == ["First Title", "Third Title"]


@pytest.mark.parametrize("meta", [
    "Jan 1, 2020", "IRJan 1, 0", "IRJan 1, 10000", "IRJan 1, 2020CodeCode",
    "IRJan 000000001, 2020", "IRMay 22, 1", "hep-thNov 2 5Code",
])
def test_a_malformed_date_line_is_reported_not_glued(meta: str) -> None:
    """A tester's lines (and cut ones of damaged pages) were glued onto the previous
    abstract with no word: a date with no category, a year of one or five digits, a
    doubled `Code`, a day of nine digits. The same in the first entry: it was read as
    header lines ("unrecognised header line") and counted as no entry skipped."""
    for first in (True, False):
        lead = "" if first else "IRMar 3, 2021\nFirst Paper\n\nAnn Lee\n\nFirst abstract.\n\n"
        page = parse_page(f"Ann Lee\n\n{lead}{meta}\nSecond Paper\n\nAnn Lee\n\n"
                          "Second abstract.\n", "dates.txt")
        line = 3 if first else 10
        assert [str(p) for p in page.problems] == [
            f"dates.txt:{line}: error: not understood as an entry's category and date: "
            f"{meta!r} (entry skipped)"]
        assert [e.abstract for e in page.entries] == ([] if first else ["First abstract."])


@pytest.mark.parametrize(("meta", "category", "code"), [
    ("IR Jan 1, 2020", "IR", False), ("IR\tJan 1, 2020", "IR", False),
    ("IRJan\u00a01, 2020", "IR", False), ("IRJan 1,\u00a02020", "IR", False),
    ("cs.IR  Jan 1, 2020 Code", "cs.IR", True),
])
def test_a_tab_or_a_space_more_in_a_date_line_is_read(meta: str, category: str,
                                                      code: bool) -> None:
    entry, = parse_page(f"Ann Lee\n\n{meta}\nA Paper\n\nAnn Lee\n\nAn abstract.\n",
                        "dates.txt").entries
    assert (entry.category, entry.month, entry.day, entry.year, entry.has_code) == (
        category, 1, 1, 2020, code)


@pytest.mark.parametrize("line", ["Joined Mar 20", "Decision 1, 2", "Augmented 3, 4"])
def test_a_word_and_a_month_is_no_date_line(line: str) -> None:
    """`Joined Mar 20` names no category, `Decision 1, 2` no month (a review found it
    split an entry): lines of text, not an entry's start."""
    page = parse_page("Ann Lee\n\nIRJan 1, 2020\nA Paper\n\nAnn Lee\n\nAn abstract.\n"
                      f"{line}\n", "dates.txt")
    assert page.problems == ()
    assert page.entries[0].abstract == f"An abstract. {line}"


def test_every_short_form_is_named_and_ambiguous_ones_name_every_category() -> None:
    assert meanings("NA") == (("cs.NA", "Numerical Analysis"),
                              ("math.NA", "Numerical Analysis"))
    assert [code for code, _ in meanings("IT")] == ["cs.IT", "math.IT"]
    assert [code for code, _ in meanings("LO")] == ["cs.LO", "math.LO"]
    assert [code for code, _ in meanings("CO")] == ["astro-ph.CO", "math.CO", "stat.CO"]
    assert meanings("mes-hall") == (("cond-mat.mes-hall", "Mesoscale and Nanoscale Physics"),)
    assert meanings("hep-th") == (("hep-th", "High Energy Physics - Theory"),)
    assert meanings("IR") == (("cs.IR", "Information Retrieval"),)
    assert meanings("GN")[0] == ("econ.GN", "General Economics")
    assert meanings("ZQ") == ()


def _nameless(*author_lines: str) -> Page:
    return parse_page("".join(f"IRFeb {i + 1}, 2023\nTitle Number {i + 1}\n\n{line}\n\n"
                              f"{ABSTRACT}\n\n" for i, line in enumerate(author_lines)),
                      "nameless.txt")


def test_owner_is_the_name_shown_most_and_a_tie_goes_to_complete_lists() -> None:
    page = _nameless("Ann Lee, Bo Chen, Cy Dunn et al.", "Bo Chen, Ann Lee",
                     "Ann Lee, Bo Chen, Di Eck et al.", "Ann Lee, Fay Gu")
    assert (page.name, page.name_inferred, page.problems) == ("Ann Lee", True, ())
    # Bo Chen and Ann Lee are both shown three times; a complete list without Bo Chen
    page = _nameless("Ann Lee, Bo Chen, Cy Dunn et al.", "Bo Chen, Ann Lee",
                     "Ann Lee, Bo Chen, Di Eck et al.", "Ann Lee, Fay Gu",
                     "Bo Chen, Hal Ito, Ivy Jo et al.")
    assert page.name == "Ann Lee"
    assert page.problems == ()


def test_owner_hidden_behind_et_al_is_a_weak_inference_with_a_warning() -> None:
    # Ann Lee's page: she is hidden behind `et al.` on three entries; Bo Chen, a
    # co-author, is shown more often. Nothing on the page settles it: say so.
    page = _nameless("Bo Chen, Cy Dunn, Di Eck et al.", "Bo Chen, Fay Gu, Hal Ito et al.",
                     "Ivy Jo, Bo Chen, Jan Ko et al.", "Ann Lee, Bo Chen, Kim Lo et al.",
                     "Ann Lee, Cy Dunn, Hal Ito et al.", "Ann Lee, Ivy Jo")
    assert (page.name, page.name_inferred) == ("Bo Chen", True)
    assert [str(p) for p in page.problems] == [
        "nameless.txt: warning: page has no name line; owner inferred as 'Bo Chen' (shown on "
        "4 of 6 entries), but the evidence is weak: 'Ann Lee' fits every entry too"]


def test_owner_no_full_list_confirms_is_a_weak_inference_with_a_warning() -> None:
    # Ann Lee's page, every list cut by `et al.` and she is hidden on all of them; a
    # co-author is shown on two of three. No complete list can confirm or refute him.
    page = _nameless("Bo Chen, Cy Dunn, Di Eck et al.", "Fay Gu, Hal Ito, Ivy Jo et al.",
                     "Jan Ko, Bo Chen, Kim Lo et al.")
    assert (page.name, page.name_inferred) == ("Bo Chen", True)
    assert [str(p) for p in page.problems] == [
        "nameless.txt: warning: page has no name line; owner inferred as 'Bo Chen' (shown on "
        "2 of 3 entries), but the evidence is weak: no entry lists its authors in full, so "
        "the owner may be hidden behind 'et al.' on every entry"]
    # The same shape where one complete list shows him: no warning.
    page = _nameless("Bo Chen, Cy Dunn, Di Eck et al.", "Fay Gu, Hal Ito, Ivy Jo et al.",
                     "Jan Ko, Bo Chen")
    assert (page.name, page.problems) == ("Bo Chen", ())
    # Shown on every entry, or on all but one of five, all cut: no warning.
    page = _nameless("Bo Chen, Cy Dunn, Di Eck et al.", "Bo Chen, Hal Ito, Ivy Jo et al.")
    assert (page.name, page.problems) == ("Bo Chen", ())
    page = _nameless("Bo Chen, Cy Dunn, Di Eck et al.", "Bo Chen, Hal Ito, Ivy Jo et al.",
                     "Fay Gu, Hal Ito, Ivy Jo et al.", "Jan Ko, Bo Chen, Kim Lo et al.",
                     "Bo Chen, Lu Ma, Mo Ng et al.")
    assert (page.name, page.problems) == ("Bo Chen", ())


def test_archive_categories_are_searchable(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "physics.txt"
    page.write_text("Ann Lee\n\nhep-th\n\n"
                    "hep-thJan 5, 2001\nStrings on Branes\n\nAnn Lee\n\nFirst abstract.\n\n"
                    "mes-hallMar 3, 2008\nQuantum Dots in Wires\n\nAnn Lee\n\nSecond.\n\n"
                    "NAJun 9, 2020\nStable Solvers\n\nAnn Lee\n\nThird abstract.\n",
                    encoding="utf-8")
    db = tmp_path / "s.db"
    assert main(["build", "--db", str(db), str(page)]) == 0
    capsys.readouterr()
    for query, title in [("cat:hep-th", "Strings on Branes"),
                         ("cat:cond-mat.mes-hall", "Quantum Dots in Wires"),
                         ("cat:mes-hall", "Quantum Dots in Wires"),
                         ("cat:NA", "Stable Solvers")]:
        assert main(["search", "--db", str(db), query]) == 0
        out = capsys.readouterr().out
        assert title in out, (query, out)
        assert sum(t in out for t in ("Strings", "Quantum", "Stable")) == 1, (query, out)


def test_page_words_are_the_words_of_the_casefolded_text() -> None:
    """seam.words_of (from whitespace-separated tokens) gives the very set that a
    `\\w+` scan of the casefolded text gives: underscores, digits, ß (`ss`), İ (an `i`
    and a combining dot, which is no word character), dotted and hyphenated tokens,
    punctuation, a zero-width space (not a space) and odd spaces written in."""
    text = ("Straße İstanbul foo_bar state-of-the-art (GPT-4) x.y.z ΣΑΣ 3D, 10^5 "
            "don't \u2019s \u00a0nbsp\u2003em\x1cfs a\u200bb __ -- ... 42 Ǆ ﬁne")
    tokens = set(text.split())
    expected = {"strasse", "i", "stanbul", "foo_bar", "state", "of", "the", "art", "gpt", "4",
                "x", "y", "z", "\u03c3\u03b1\u03c3", "3d", "10", "5", "don", "t", "s",
                "nbsp", "em", "fs", "a", "b", "__", "42", "ǆ", "fine"}
    assert words_of(tokens) == expected
    assert words_of(tokens) == set(re.findall(r"\w+", text.casefold()))
    # punctuation at a token's ends, which words_of strips before asking isalnum
    text = 'models, (LLMs) [12] "Quoted" (x_y). e.g., (İ) !? ;a: \'t\' («x»)'
    assert words_of(text.split()) == {"models", "llms", "12", "quoted", "x_y", "e", "g", "i",
                                      "a", "t", "x"}
    assert words_of(text.split()) == set(re.findall(r"\w+", text.casefold()))
