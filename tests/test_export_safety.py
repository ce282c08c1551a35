"""Hostile titles through every export and `paperdesk search`: data, never code.

The page below is what an attacker can save as a profile page; the expected
cells are written out by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pybtex.errors
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pybtex.database import parse_string

from paperdesk.cli import main
from paperdesk.export import bibtex_entry, bibtex_escape, write_bibtex, write_csv, write_markdown
from paperdesk.store import PaperRow, build_store

TITLES = [
    '=HYPERLINK("http://evil.example/x","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3 Ways to Rank",
    "@SUM(1+1) Attention",
    "Graphs}, note = {injected}, file = {/etc/passwd",
    '<img src="/dev/zero"> and <b>bold</b> <script>alert(1)</script>',
    "[Click me](javascript:alert(1)) and ![pixel](https://evil.example/p.png)",
    "Escape \x1b[2J\x1b]0;pwned\x07 and CSI \x9b31m red",
]
# What a spreadsheet must show in the title column: the text, never a formula.
CSV_TITLES = [
    '\'=HYPERLINK("http://evil.example/x","Click")',
    "'+1+cmd|' /C calc'!A0",
    "'-2+3 Ways to Rank",
    "'@SUM(1+1) Attention",
    "Graphs}, note = {injected}, file = {/etc/passwd",
    '<img src="/dev/zero"> and <b>bold</b> <script>alert(1)</script>',
    "[Click me](javascript:alert(1)) and ![pixel](https://evil.example/p.png)",
    "Escape \ufffd[2J\ufffd]0;pwned\ufffd and CSI \ufffd31m red",
]
TERMINAL = ("\x1b", "\x9b", "\x07")


def hostile_page(titles: list[str]) -> str:
    head = ("Hostile Person\n\nIR\nh-index1\n2papers\n3citations\nNovelty10%\nAI Score20\n\n"
            f"{len(titles)} Papers\n\n")
    return head + "".join(
        f"IRMay {i + 1}, 2024\n{title}\n\nHostile Person, Dana Scully · <i>ETH</i> & =MIT\n\n"
        f"Abstract {i} with =cmd, {{unbalanced and \x1b[31m red.\n\n"
        for i, title in enumerate(titles))


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    page = tmp_path / "hostile.txt"
    page.write_text(hostile_page(TITLES), encoding="utf-8")
    db = tmp_path / "hostile.db"
    report = build_store([page], db)
    assert report.complete and report.papers == len(TITLES), report.problems
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    assert not any(c in err for c in TERMINAL)
    return out


def export(capsys: pytest.CaptureFixture[str], db: Path, fmt: str) -> str:
    out = run(capsys, "export", "--db", str(db), "--format", fmt)
    assert not any(c in out for c in TERMINAL), fmt  # safe to print to a terminal
    return out


def test_json_keeps_every_title_exactly(capsys: pytest.CaptureFixture[str],
                                        hostile_db: Path) -> None:
    papers = json.loads(export(capsys, hostile_db, "json"))["papers"]
    assert sorted(p["title"] for p in papers) == sorted(TITLES)


def test_csv_cells_never_start_a_formula(capsys: pytest.CaptureFixture[str],
                                         hostile_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(capsys, hostile_db, "csv"))))
    assert sorted(r["title"] for r in rows) == sorted(CSV_TITLES)
    assert {r["affiliations"] for r in rows} == {"<i>ETH</i> & =MIT"}  # not at the start
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def _bibtex_fields(entries: dict[str, dict[str, str]]) -> None:
    assert len(entries) == len(TITLES)
    for fields in entries.values():
        assert set(fields) == {"title", "author", "year", "month", "keywords", "abstract",
                               "institution"}  # no note, no file


def test_bibtex_passes_two_parsers_with_no_injected_field(capsys: pytest.CaptureFixture[str],
                                                          hostile_db: Path) -> None:
    text = export(capsys, hostile_db, "bibtex")
    pybtex.errors.set_strict_mode(True)  # any brace or syntax error raises
    data = parse_string(text, "bibtex")
    _bibtex_fields({k: {f.lower() for f in e.fields} | {"author"}  # persons apart
                    for k, e in data.entries.items()})
    for entry in data.entries.values():
        assert [str(p) for p in entry.persons["author"]] == ["Person, Hostile", "Scully, Dana"]
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    _bibtex_fields({e.key: {f.key for f in e.fields} for e in library.entries})
    titles = sorted(e["title"] for e in library.entries)
    # the title's letters, as the pane shows them: its braces were LaTeX's groups
    assert "{Graphs, note = injected, file = /etc/passwd}" in titles
    # in a field of page text as typed (a name, the user's tags and notes) a lone brace
    # becomes a command; a pair stays a LaTeX-escaped pair, balanced either way
    assert bibtex_escape(TITLES[4]) == (
        r"Graphs\textbraceright{}, note = \{injected\}, file = \textbraceleft{}/etc/passwd")


def test_markdown_renders_no_html_link_or_image(capsys: pytest.CaptureFixture[str],
                                                hostile_db: Path) -> None:
    text = export(capsys, hostile_db, "markdown")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert html.count("<tr>") == len(TITLES) + 1  # one row each: no cell broke out
    for tag in ("<img", "<a ", "<script", "<b>", "<i>"):
        assert tag not in html, tag
    assert "&lt;img src=&quot;/dev/zero&quot;&gt; and &lt;b&gt;bold&lt;/b&gt;" in html
    assert "[Click me](javascript:alert(1)) and ![pixel](https://evil.example/p.png)" in html


def test_search_prints_no_terminal_escapes(capsys: pytest.CaptureFixture[str],
                                           hostile_db: Path) -> None:
    out = run(capsys, "search", "escape", "--db", str(hostile_db))
    assert "Escape \ufffd[2J\ufffd]0;pwned\ufffd and CSI \ufffd31m red" in out
    assert not any(c in out for c in TERMINAL)


# ------------------------------------------------------------------ fuzz

HOSTILE_CHARS = st.sampled_from([*'={}+-@\t\r\n\\"\'<>[]()!|`*_~&#%$^,;:/',
    "\x1b", "\x9b", "\x07", "\x00", "\u202e", "\u2066", "\uff1d", "javascript:", "@misc{",
    "<img src=x>", "](", "\\\\end{", "}}", "{{"])
hostile_text = st.lists(st.one_of(HOSTILE_CHARS, st.text(max_size=6)), max_size=30).map(
    "".join)


def _row(title: str, author: str, abstract: str) -> PaperRow:
    return PaperRow(1, "0123456789abcdef", title, f"Ann Lee, {author}".strip(", "), False,
                    author, "IR", "2024-05-01", 2024, False, True, 1.5, abstract)


@settings(deadline=2000, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, author=hostile_text, abstract=hostile_text)
# a CI run's find: a line of the abstract began `@{~}` (`@`, a no-break space), which
# bibtexparser read as the next entry
@example(title="", author="", abstract="\n@\xa0")
def test_fuzz_every_format_keeps_hostile_text_as_data(title: str, author: str,
                                                      abstract: str) -> None:
    paper = _row(title, author, abstract)
    outputs = {}
    for fmt in ("csv", "bibtex", "markdown"):
        out = io.StringIO()
        write = {"csv": write_csv, "bibtex": write_bibtex, "markdown": write_markdown}[fmt]
        write([paper], out)
        outputs[fmt] = out.getvalue()
        assert not any(c in outputs[fmt] for c in TERMINAL), fmt
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    assert len(rows) == 2
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    pybtex.errors.set_strict_mode(True)
    entries = parse_string(outputs["bibtex"], "bibtex").entries
    assert len(entries) == 1
    fields = {f.lower() for f in next(iter(entries.values())).fields}
    assert fields <= {"title", "year", "month", "keywords", "abstract", "institution"}
    library = bibtexparser.parse_string(outputs["bibtex"])
    assert library.failed_blocks == [] and len(library.entries) == 1
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(outputs["markdown"])
    assert html.count("<tr>") == 2
    for tag in ("<img", "<a ", "<script", "<b>", "<i>", "<br"):
        assert tag not in html


def test_build_and_import_reports_print_no_terminal_codes(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """File names and page lines quoted in problems and change lines are shown, not run."""
    pages = tmp_path / "pages"
    pages.mkdir()
    name = "evil\x1b]0;pwned\x07.txt"
    (pages / name).write_text(hostile_page(TITLES[:2]) + "IRMay 9, 2024\nA title\n\n"
                              "\x1b[2J not an author line \x9b31m\n\nText.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    capsys.readouterr()
    assert main(["build", "--db", str(db), str(pages)]) == 1  # one entry skipped
    out, err = capsys.readouterr()
    assert "evil\ufffd]0;pwned\ufffd.txt" in err
    assert not any(c in out + err for c in TERMINAL)
    (pages / name).write_text(hostile_page(TITLES[:3]), encoding="utf-8")
    assert main(["import", "--db", str(db), str(pages)]) == 0
    out, err = capsys.readouterr()
    assert "evil\ufffd]0;pwned\ufffd.txt: changed: 1 new paper" in out
    assert not any(c in out + err for c in TERMINAL)


def test_reviewers_and_similar_print_titles_as_data(capsys: pytest.CaptureFixture[str],
                                                   hostile_db: Path) -> None:
    db = ["--db", str(hostile_db)]
    text = run(capsys, "reviewers", "--title", "Escape pwned CSI red", *db)
    assert "Hostile Person" in text and "Escape \ufffd[2J" in text
    assert not any(c in text for c in TERMINAL)
    rows = list(csv.reader(io.StringIO(run(capsys, "reviewers", "--title",
                                           "HYPERLINK Click Escape Rank", "--csv", *db))))
    assert len(rows) > 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            assert not any(c in cell for c in TERMINAL)
    similar = run(capsys, "similar", "--profile", "Hostile", *db)
    assert not any(c in similar for c in TERMINAL)


def test_bibtex_names_every_letter_beyond_ascii_as_latex_reads_it() -> None:
    """pdfLaTeX refuses a character it has no command for (a review and a tour found
    ₂, λ, ≤, ᵖ, D̅ in the real sample's export): what LaTeX names is named, a Latin
    or modifier letter or a symbol without a name is its nearest ASCII (a raised or
    lowered letter math's script), a combining
    mark is dropped, and another script's letter is kept (XeLaTeX reads it)."""
    assert bibtex_escape("Erdős, \u03b1 ≤ λ") == (r"Erd{\H{o}}s, {\ensuremath{\alpha}} "
                                             r"{\ensuremath{\leq}} {\ensuremath{\lambda}}")
    assert bibtex_escape("Lᵖ norms, Dp - D\u0305 p, \u1e40") == \
        r"L{\ensuremath{^{p}}} norms, Dp - D p, M"  # a raised letter: math's superscript
    assert bibtex_escape("a \ufffd b") == "a ? b"  # a control character shown as U+FFFD
    assert bibtex_escape("中文 title") == "中文 title"


def test_a_name_whose_symbol_becomes_a_comma_stays_one_person() -> None:
    """Found by the fuzz test: U+00B8 (a spacing cedilla, no LaTeX name) is written as
    its ASCII, a comma, and an author of three became `,,,`: three commas, which BibTeX reads
    as a name in parts (pybtex: too many commas). What BibTeX reads is braced whole."""
    entry = bibtex_entry(_row("A title", "Ann\u00b8 Lee\u00b8", "Text."))
    assert "author = {Ann Lee and {Ann, Lee,}}" in entry
    pybtex.errors.set_strict_mode(True)
    persons = next(iter(parse_string(entry, "bibtex").entries.values())).persons["author"]
    assert [str(p) for p in persons] == ["Lee, Ann", "{Ann, Lee,}"]


def test_the_real_samples_bibtex_is_ascii(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    realpages = _realpages()
    if not realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {realpages.REALDATA}")
    for name, text, _ in realpages.pages(realpages.load()):
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    db = tmp_path / "real.db"
    build_store([tmp_path], db, workers=0, this_year=2026)
    bib = export(capsys, db, "bibtex")
    assert bib.count("@misc{") == 7764
    assert [c for c in bib if not c.isascii()] == []


def _realpages():  # type: ignore[no-untyped-def]
    import importlib
    import sys

    bench = Path(__file__).resolve().parent.parent / "bench"
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    return importlib.import_module("realpages")
