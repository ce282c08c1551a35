"""Annotations follow their paper when a parser fix changes its title (and so its id).

The "old" store is built from a page written by hand the way the old parser read
it (titles cut wrongly at the run-together seam); the rebuild reads the same file
name, now run together as the site saved it, with the fixed parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdesk import corrections, follow, userdata
from paperdesk.cli import main
from paperdesk.records import paper_id

ABSTRACT = "We study the problem at length and report results on three benchmarks."
# (meta line, title as the old parser stored it, its authors, the true title, true authors)
ENTRIES = [
    ("IRFeb 7, 2023", "Convective Cores in Stellar ModelingT.S. M", "organ, Ya. Petrov",
     "Convective Cores in Stellar Modeling", "T.S. Morgan, Ya. Petrov"),
    ("IRMar 2, 2024", "Graph Models for Search", "Ann Lee, Jing Yao",
     "Graph Models for Search", "Ann Lee, Jing Yao"),
    ("IRApr 1, 2022", "Adversarial Defense in VLMsK. W", "Smithson, Ann Lee",
     "Adversarial Defense in VLMs", "K. W. Smithson, Ann Lee"),
]
GONE = ("IRMay 5, 2021", "A Paper the Page No Longer Lists", "Ann Lee")


def _old_page() -> str:
    body = "".join(f"{meta}\n{title}\n\n{authors}\n\n{ABSTRACT}\n\n"
                   for meta, title, authors, _, _ in [*ENTRIES, (*GONE, "", "")])
    return f"Ann Lee\n\nIR\n\n{body}"


def _new_page() -> str:
    body = "".join(f"{meta}\n{title}{authors}\n{ABSTRACT}\n"
                   for meta, _, _, title, authors in ENTRIES)
    return f"Ann Lee\nIR\n{body}"


@pytest.mark.parametrize("command", ["build", "import"])
def test_annotations_follow_titles_the_fixed_parser_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    folder, db = tmp_path / "pages", tmp_path / "store.db"
    folder.mkdir()
    page = folder / "ann_lee.txt"
    page.write_text(_old_page(), encoding="utf-8")
    assert main(["build", "--db", str(db), str(folder)]) == 0
    old = [paper_id(title) for _, title, _, _, _ in ENTRIES]
    gone = paper_id(GONE[1])
    with userdata.UserData() as notes:
        notes.set_starred(old[0])
        notes.set_note(old[0], "read the appendix")
        notes.set_tags(old[1], ["shortlist"])
        notes.set_rating(old[2], 4)
        notes.set_read_state(old[2], "read")
        notes.set_note(gone, "kept even when its paper is gone")
    capsys.readouterr()

    page.write_text(_new_page(), encoding="utf-8")
    args = ["build", "--db", str(db), str(folder)] if command == "build" else [
        "import", "--db", str(db), str(page)]
    assert main(args) == 0
    err = capsys.readouterr().err

    new = [paper_id(title) for _, _, _, title, _ in ENTRIES]
    assert new[0] != old[0] and new[2] != old[2] and new[1] == old[1]
    with userdata.UserData() as notes:
        first, second, third = (notes.paper(pid) for pid in new)
        assert (first.starred, first.note) == (True, "read the appendix")
        assert second.tags == ("shortlist",)
        assert (third.rating, third.read_state) == (4, "read")
        assert notes.paper(old[0]).empty and notes.paper(old[2]).empty
        # the paper that left the page keeps its note, and the user is told
        assert notes.paper(gone).note == "kept even when its paper is gone"
    assert (f"warning: annotations of paper {gone} are kept but not shown: "
            "'A Paper the Page No Longer Lists': no paper of the same page and date has a "
            "similar title") in err
    assert f"annotations of {old[0]} moved to {new[0]}" in err
    # the window's import report lists the same, each line one warning of the user data
    # (it said "user data: warning: warning: annotations ...")
    unplaced = [str(p) for p in follow.reattach(db).problems() if "not shown" in str(p)]
    assert unplaced == [f"user data: warning: annotations of paper {gone} are kept but not "
                        "shown: 'A Paper the Page No Longer Lists': no paper of the same page "
                        "and date has a similar title"]


def test_another_stores_annotations_are_counted_once_not_warned_one_by_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One notes file serves every store the user opens: a build of a second store
    does not warn about each paper annotated in the first (it never listed them), it
    says how many there are; a paper its own page stopped listing is still warned."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "ann_lee.txt").write_text(_new_page(), encoding="utf-8")
    other = ("IRJun 9, 2020", "Sparse Retrieval at Scale", "Bo Chen, Ann Lee")
    body = "".join(f"{meta}\n{title}\n\n{authors}\n\n{ABSTRACT}\n\n"
                   for meta, title, authors in (other, GONE))
    (second / "bo_chen.txt").write_text(f"Bo Chen\n\nIR\n\n{body}", encoding="utf-8")
    assert main(["build", "--db", str(tmp_path / "first.db"), str(first)]) == 0
    assert main(["build", "--db", str(tmp_path / "second.db"), str(second)]) == 0
    ids = [paper_id(title) for _, _, _, title, _ in ENTRIES]
    gone = paper_id(GONE[1])
    with userdata.UserData() as notes:
        notes.set_starred(ids[0])
        notes.set_note(ids[1], "compare with the baseline")
        notes.set_rating(gone, 2)
    for db, folder in (("first.db", first), ("second.db", second)):
        assert main(["build", "--db", str(tmp_path / db), str(folder)]) == 0  # anchored
    capsys.readouterr()

    (second / "bo_chen.txt").write_text(  # the page no longer lists GONE
        f"Bo Chen\n\nIR\n\n{other[0]}\n{other[1]}\n\n{other[2]}\n\n{ABSTRACT}\n\n",
        encoding="utf-8")
    assert main(["build", "--db", str(tmp_path / "second.db"), str(second)]) == 0
    err = capsys.readouterr().err
    assert err.count("kept but not shown") == 1  # GONE, and only GONE:
    assert f"warning: annotations of paper {gone} are kept but not shown" in err
    assert ("2 annotated papers are on no page this store has listed (another store's, "
            "or never built here), their annotations kept: "
            f"{', '.join(sorted(ids[:2]))}\n") in err
    with userdata.UserData() as notes:
        assert notes.paper(ids[0]).starred and notes.paper(gone).rating == 2

    assert main(["build", "--db", str(tmp_path / "first.db"), str(first)]) == 0
    err = capsys.readouterr().err
    assert "kept but not shown" not in err
    assert ("1 annotated paper is on no page this store has listed (another store's, or "
            f"never built here), their annotations kept: {gone}\n") in err


@pytest.mark.parametrize("command", ["build", "import"])
def test_a_corrected_papers_annotations_follow_it_when_its_page_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """A tester corrected a title and its authors, starred the paper, then imported its
    page with the title edited: the annotations stayed on the corrected id, "kept but
    not shown" (the anchors held the corrected reading, which the page never gave), and
    the correction, which no longer matches the page's entry, was dropped silently."""
    folder, db = tmp_path / "pages", tmp_path / "store.db"
    folder.mkdir()
    page = folder / "ann_lee.txt"
    entry = "IRMar 2, 2024\n{title}\n\nAnn Lee, Jing Yao\n\n" + ABSTRACT + "\n"
    page.write_text("Ann Lee\n\nIR\n\n" + entry.format(title="Graph Models for Search"),
                    encoding="utf-8")
    assert main(["build", "--db", str(db), str(folder)]) == 0
    fixed = corrections.correct(db, paper_id("Graph Models for Search"),
                                title="Searching with Graph Models",
                                authors=["Ann Lee", "Jing Yao", "Bo Chen"])
    assert fixed.paper == paper_id("Searching with Graph Models")
    with userdata.UserData() as notes:
        notes.set_starred(fixed.paper)
        notes.set_note(fixed.paper, "invite Bo Chen")
    capsys.readouterr()

    revised = "Graph Models for Search (extended version)"
    page.write_text("Ann Lee\n\nIR\n\n" + entry.format(title=revised), encoding="utf-8")
    args = ["build", "--db", str(db), str(folder)] if command == "build" else [
        "import", "--db", str(db), str(page)]
    assert main(args) == 0
    err = capsys.readouterr().err

    with userdata.UserData() as notes:
        moved = notes.paper(paper_id(revised))
        assert (moved.starred, moved.note) == (True, "invite Bo Chen")
        assert notes.paper(fixed.paper).empty
    assert f"annotations of {fixed.paper} moved to {paper_id(revised)}" in err
    assert ("warning: your correction of 'Graph Models for Search' (to 'Searching with "
            f"Graph Models', paper {fixed.paper}) matches no entry of ann_lee.txt now: its "
            "entry changed or left the page; the correction is kept, not applied (correct "
            f"the paper again, or forget it: paperdesk correct {fixed.paper} --undo)") in err
    assert "kept but not shown" not in err
