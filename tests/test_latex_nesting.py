"""LaTeX nested deeper than the decoders read (`\\frac{` 400 times): kept as written with
a warning naming the page and line, never a RecursionError that ends a build, an
import, a search for reviewers or a correction; and a page whose parsing fails in a
way nobody foresaw is that page's error, the other pages built."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from paperdesk import latex, latex_fast, page_pool
from paperdesk.cli import main
from paperdesk.parser import parse_page
from paperdesk.records import Page

from .conftest import SEEDS

GOOD = "000_77b9e73dc2a3999b.txt"  # 14 entries
DEEP_FRAC = "$" + "\\frac{" * 400 + "x" + "}" * 400 + "$"
DEEP_PAGE = ("Test Person\n\nIR\nh-index3\n1papers\n10citations\n\n1 Papers\n\n"
             "IRJan 1, 2020\nA Study of Widgets\n\nTest Person, Other Author\n\n"
             f"{DEEP_FRAC}\n")  # the entry starts on line 10, its abstract is the math
WARNING = ("deep.txt:10: warning: abstract has LaTeX nested more than 32 levels deep: "
           "that part is kept as written, not decoded")


@pytest.mark.parametrize("text", [
    DEEP_FRAC,
    "{" * 1000 + "x" + "}" * 1000,
    "{" * 1000 + "x",  # never closed
    "\\emph{" * 400 + "x" + "}" * 400,
    "$" + "\\sqrt[" * 400 + "x" + "]{y}" * 400 + "$",
    "\\begin{a}" * 400 + "x" + "\\end{a}" * 400,
    "{]" * 1000,  # a `]` closes no group
])
def test_text_nested_too_deep_is_kept_as_written(text: str) -> None:
    latex._decode.cache_clear()
    assert latex.to_text(text) == text


def test_nesting_up_to_32_levels_is_decoded() -> None:
    latex._decode.cache_clear()
    assert latex.to_text("{" * 32 + "x" + "}" * 32) == "x"
    assert latex.to_text("$\\frac{\\frac{a}{b}}{b}$") == "a/b/b"
    assert latex.to_text("$" + "\\frac{" * 32 + "a" + "}{b}" * 32 + "$") == "a" + "/b" * 32
    assert latex.to_text("$" + "\\frac{" * 33 + "a" + "}{b}" * 33 + "$") == \
        "$" + "\\frac{" * 33 + "a" + "}{b}" * 33 + "$"
    assert latex.to_text("{" * 33 + "x" + "}" * 33) == "{" * 33 + "x" + "}" * 33


@pytest.mark.parametrize(("text", "deep"), [
    ("{" * 33, True),
    ("{" * 32 + "}" + "{", False),  # 32 open at most
    ("\\sqrt[" * 33, True),
    ("\\begin{a}" * 33, True),
    ("\\(" * 33, True),
    ("{" * 17 + "\\(" * 16, True),  # kinds add up
    ("{]" * 40, True),
    ("[0,1) " * 40, False),  # brackets of text open nothing
    ("\\{" * 40 + "\\\\[2mm]" * 40, False),  # escaped braces, line breaks
])
def test_too_deep_counts_every_kind_of_level(text: str, deep: bool) -> None:
    assert latex_fast.too_deep(text) is deep


def test_a_deep_abstract_is_parsed_with_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.txt"
    path.write_text(DEEP_PAGE, encoding="utf-8")
    parsed = page_pool.parse_file(path)
    assert [str(p) for p in parsed.problems] == [WARNING]
    assert parsed.page is not None
    assert [e.title for e in parsed.page.entries] == ["A Study of Widgets"]
    assert parsed.decoded == {DEEP_FRAC: DEEP_FRAC}


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEEDS / GOOD, folder / GOOD)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_build_of_a_deep_page_stores_it_as_written_beside_the_good_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    assert main(["build", "--db", str(db), str(_folder(tmp_path, "deep.txt", DEEP_PAGE))]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert WARNING in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone() == (15,)
        assert conn.execute("SELECT abstract FROM papers WHERE title = 'A Study of Widgets'"
                            ).fetchone() == (DEEP_FRAC,)


def test_import_of_a_deep_page_warns_and_imports_it(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "deep.txt"
    page.write_text(DEEP_PAGE, encoding="utf-8")
    assert main(["import", "--db", str(seed_db), str(page)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert WARNING in err
    with sqlite3.connect(seed_db) as conn:
        assert conn.execute("SELECT abstract FROM papers WHERE title = 'A Study of Widgets'"
                            ).fetchone() == (DEEP_FRAC,)


def test_a_page_whose_parsing_fails_unforeseen_is_skipped_and_the_rest_built(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in parsing one page (here a RecursionError, as `\\frac{` nested 400 deep
    raised before it was bounded) is that page's error, said without a traceback."""
    def failing(text: str, source: str, *args: object) -> Page:
        if source == "broken.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return parse_page(text, source)

    monkeypatch.setattr(page_pool, "parse_page", failing)
    db = tmp_path / "s.db"
    folder = _folder(tmp_path, "broken.txt", DEEP_PAGE)
    assert main(["build", "--db", str(db), str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert ("broken.txt: error: cannot be read: unexpected RecursionError (maximum recursion "
            "depth exceeded); page skipped") in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone() == (14,)


def test_reviewers_for_a_deep_title_or_abstract_says_no_traceback(
        seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(DEEP_FRAC, encoding="utf-8")
    assert main(["reviewers", "--db", str(seed_db), "--title", DEEP_FRAC]) == 0
    assert main(["reviewers", "--db", str(seed_db), "--title", "Widgets",
                 "--abstract-file", str(abstract)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert out.count("the topic has no word the store holds") == 2  # `\frac`, `x`: no topic


def test_a_deep_corrected_title_is_kept_and_later_builds_still_run(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(seed_db) as conn:
        (paper,) = conn.execute("SELECT id FROM papers ORDER BY id LIMIT 1").fetchone()
    assert main(["correct", paper, "--title", DEEP_FRAC, "--db", str(seed_db)]) == 0
    assert main(["build", "--db", str(seed_db), str(SEEDS)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    with sqlite3.connect(seed_db) as conn:
        assert conn.execute("SELECT count(*) FROM papers WHERE title = ?",
                            (DEEP_FRAC,)).fetchone() == (1,)
