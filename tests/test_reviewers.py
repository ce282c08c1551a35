"""Reviewers, conflicts and similar work on the seeds and on hand-written pages.

Every expectation was found by reading the pages: the Qwen Technical Report is on
Luo Ji's page (seeds/002, behind "et al."); "HumanLLM: Towards Personalized
Understanding and Simulation of Human Nature" names Yuxuan Lei and Jianxun Lian
and is dated Jan 22 without a year (2026, the seeds' capture year).
"""

from __future__ import annotations

import csv
import importlib
import io
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from paperdesk import desk, reviewers
from paperdesk.cli import main
from paperdesk.records import paper_id
from paperdesk.reviewers import Topic
from paperdesk.store import Store, build_store
from tests.conftest import one_page_store

QWEN_LIKE = Topic(
    "A family of open large language models with chat alignment",
    "We release a series of pretrained large language models and chat models aligned with "
    "human feedback, with strong coding, mathematics and tool-use abilities for agents.")


@pytest.fixture
def seeds_conn(seed_db: Path) -> sqlite3.Connection:
    return sqlite3.connect(seed_db)


def test_a_qwen_like_abstract_ranks_the_page_that_lists_qwen_first(
        seeds_conn: sqlite3.Connection) -> None:
    ranking = reviewers.find_reviewers(seeds_conn, QWEN_LIKE)
    top = ranking.reviewers[0]
    assert top.name == "Luo Ji"
    best = [m for m in top.papers if m.title == "Qwen Technical Report"]
    assert best and "chat" in best[0].words
    assert {r.name for r in ranking.reviewers} == {
        "Luo Ji", "Jianxun Lian", "Ziru Liu", "Zeyuan Liu", "Anxiang Zeng"}
    assert all(r.profile is not None for r in ranking.reviewers)  # profile owners only


def test_everyone_named_on_papers_can_be_ranked(seeds_conn: sqlite3.Connection) -> None:
    ranking = reviewers.find_reviewers(seeds_conn, QWEN_LIKE, everyone=True, limit=200)
    names = {r.name for r in ranking.reviewers}
    assert {"Jinze Bai", "Shuai Bai", "Yunfei Chu"} <= names  # Qwen's named authors
    assert any(r.profile is None for r in ranking.reviewers)


def test_a_known_coauthor_is_flagged_with_the_paper_that_proves_it(
        seeds_conn: sqlite3.Connection) -> None:
    topic = Topic(QWEN_LIKE.title, QWEN_LIKE.abstract, authors=("Yuxuan Lei", "A. Stranger"))
    ranking = reviewers.find_reviewers(seeds_conn, topic)
    lian = next(r for r in ranking.reviewers if r.name == "Jianxun Lian")
    coauthor = [c for c in lian.conflicts if c.kind == "coauthor"]
    assert len(coauthor) == 1 and coauthor[0].author == "Yuxuan Lei"
    assert "HumanLLM: Towards Personalized Understanding" in coauthor[0].evidence
    assert "(2026)" in coauthor[0].evidence
    assert ranking.unknown_authors == ("A. Stranger",)
    assert "absence of one is not" in ranking.note
    hidden = reviewers.find_reviewers(seeds_conn, topic, hide_conflicted=True)
    assert "Jianxun Lian" not in {r.name for r in hidden.reviewers}
    conflicted = [r.name for r in ranking.reviewers if r.conflicts]
    assert hidden.hidden == len(conflicted) >= 1  # each said, not dropped silently
    out = io.StringIO()
    desk.write_text(hidden, out)
    assert f"{len(conflicted)} researcher" in out.getvalue()
    assert "with a conflict hidden" in out.getvalue()


def test_an_author_of_the_submission_is_a_conflict(seeds_conn: sqlite3.Connection) -> None:
    topic = Topic(QWEN_LIKE.title, QWEN_LIKE.abstract, authors=("Luo Ji",))
    top = reviewers.find_reviewers(seeds_conn, topic).reviewers[0]
    assert top.name == "Luo Ji"
    assert [c.kind for c in top.conflicts][:1] == ["author"]


def _page(owner: str, entries: list[tuple[str, int, str, str]]) -> str:
    """A spaced page: (title, year, authors, affiliation) per entry."""
    blocks = [f"IRMar 3, {year}\n{title}\n\n{authors} · {affil}\n\n"
              f"We study {title.lower()} with graph methods for ranking items.\n"
              for title, year, authors, affil in entries]
    return f"{owner}\n\n" + "\n".join(blocks)


@pytest.fixture
def written_conn(tmp_path: Path) -> sqlite3.Connection:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "rossi.txt").write_text(_page("Maria Rossi", [
        ("Graph ranking for sparse catalogues", 2025, "Maria Rossi, Ugo Verdi", "polimi"),
        ("Ranking items with random walks", 2019, "Maria Rossi, Luca Bianchi", "unito"),
    ]), encoding="utf-8")
    (pages / "bianchi.txt").write_text(_page("Luca Bianchi", [
        ("Ranking catalogues by graph walks", 2024, "Luca Bianchi, Eva Neri", "polimi"),
        ("Ranking items with random walks", 2019, "Maria Rossi, Luca Bianchi", "unito"),
    ]), encoding="utf-8")
    (pages / "neri.txt").write_text(_page("Eva Neri", [
        ("Sparse graph ranking of items", 2023, "Eva Neri", "kth"),
    ]), encoding="utf-8")
    db = tmp_path / "written.db"
    report = build_store([pages], db)
    assert report.complete, report.problems
    return sqlite3.connect(db)


def _conflicts(conn: sqlite3.Connection, name: str, **kw: object) -> dict[str, str]:
    topic = Topic("Graph ranking of sparse item catalogues", "Ranking items with graphs.",
                  authors=("Luca Bianchi",), year=2026)
    ranking = reviewers.find_reviewers(conn, topic, **kw)  # type: ignore[arg-type]
    person = next(r for r in ranking.reviewers if r.name == name)
    return {c.kind: c.evidence for c in person.conflicts}


def test_a_shared_affiliation_in_the_window_is_a_conflict(
        written_conn: sqlite3.Connection) -> None:
    rossi = _conflicts(written_conn, "Maria Rossi")
    assert rossi["affiliation"] == "both list polimi on papers from 2023 to 2026"
    assert "coauthor" not in rossi  # their joint paper is from 2019, outside 3 years
    # Both pages list the 2019 paper that names them both.
    assert "lists \u201cRanking items with random walks\u201d" in rossi["profile"]


def test_the_window_of_years_decides_co_authorship(written_conn: sqlite3.Connection) -> None:
    rossi = _conflicts(written_conn, "Maria Rossi", years=7)
    assert rossi["coauthor"] == "co-authored \u201cRanking items with random walks\u201d (2019)"
    assert "unito" in rossi["affiliation"] and "polimi" in rossi["affiliation"]
    neri = _conflicts(written_conn, "Eva Neri")
    assert neri["coauthor"] == "co-authored \u201cRanking catalogues by graph walks\u201d (2024)"
    # polimi comes with that joint paper; kth is hers alone
    assert neri["affiliation"] == "both list polimi on papers from 2023 to 2026"


def test_similar_papers_leave_the_paper_out_and_say_what_they_share(
        seeds_conn: sqlite3.Connection) -> None:
    rid = seeds_conn.execute("SELECT rid FROM papers WHERE id = ?",
                             (paper_id("Qwen Technical Report"),)).fetchone()[0]
    similar = reviewers.similar_papers(seeds_conn, rid, limit=5)
    assert len(similar) == 5 and rid not in {m.rid for m in similar}
    reports = [m for m in similar if m.title in {
        "Compass-Thinker-7B Technical Report",
        "Interactive AI NPCs Powered by LLMs: Technical Report for the CPDC Challenge 2025"}]
    assert len(reports) == 2  # the seeds' other technical reports on language models
    assert all({"technical", "report"} <= set(m.words) for m in reports)
    assert all(m.words for m in similar)


def test_the_cli_writes_the_ranking_as_csv(seed_db: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reviewers", "--db", str(seed_db), "--title", QWEN_LIKE.title,
                 "--abstract", QWEN_LIKE.abstract, "--author", "Yuxuan Lei", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["name"] == "Luo Ji" and rows[0]["rank"] == "1"
    lian = next(r for r in rows if r["name"] == "Jianxun Lian")
    assert lian["conflicts"].startswith("coauthor with Yuxuan Lei: co-authored")


def test_the_cli_ranks_reviewers_for_a_paper_in_the_store(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qwen = paper_id("Qwen Technical Report")
    assert main(["reviewers", "--db", str(seed_db), "--paper", qwen, "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "Qwen Technical Report (" not in out  # the paper itself never votes
    assert main(["reviewers", "--db", str(seed_db), "--paper", "nope"]) == 2
    assert "no paper with id nope" in capsys.readouterr().err


def test_the_cli_ranks_reviewers_for_the_papers_a_search_finds(
        seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"technical report" finds the Qwen, Compass-Thinker-7B and CPDC Challenge 2025
    reports: their words are the topic, and none of them votes."""
    assert main(["reviewers", "--db", str(seed_db), "--query", "technical report"]) == 0
    out = capsys.readouterr().out
    words = out.splitlines()[0].removeprefix("topic words: ").split(", ")
    assert {"qwen", "compass", "cpdc"} <= set(words)
    assert "Compass-Embedding v4" in out  # Anxiang Zeng's, sharing "compass"
    assert "Qwen Technical Report (" not in out
    assert main(["reviewers", "--db", str(seed_db), "--query", "zzzunknownword"]) == 2
    assert "the search 'zzzunknownword' finds no papers" in capsys.readouterr().err


def test_similar_researchers_leave_the_owner_out(seed_db: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["similar", "--db", str(seed_db), "--profile", "ziru liu"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("like Ziru Liu: topics ")
    assert "Ziru Liu  (" not in out
    assert "Jianxun Lian" in out


def test_the_words_shown_and_marked_are_the_words_the_ranking_matched(tmp_path: Path) -> None:
    """The desk marked a title's word only when it folded to a topic word by its own
    rule (`AdS₃` marked for `ads3`, which the index, keeping `₃`, never matched); the
    words shown and marked are now those FTS5 matched for the ranking's query: any
    case, accents or not (`RENYI-type`, `Rényi`), LaTeX decoded (`R\\'enyi`)."""
    titles = ["R\\'enyi entropies of AdS$_3$ black holes",
              "Holographic RENYI-type bounds in AdS3 and renyi flows",
              "Entanglement across a quench"]
    lines = ["Ada Lovelace", "", "hep-th", ""]
    abstracts = ["We compute entropies of black holes."] * 2 + ["A sudden change."]
    for day, (title, abstract) in enumerate(zip(titles, abstracts, strict=True), start=1):
        lines += [f"hep-thMar {day}, 2022", title, "", "Ada Lovelace, Bo Chen", "",
                  abstract, ""]
    db = one_page_store(tmp_path, "\n".join(lines))
    with Store(db) as store:
        rids = [rid for rid, in store.conn.execute("SELECT rid FROM papers ORDER BY title")]
        found = reviewers.matching_papers(store.conn, ["renyi", "ads3", "holes"], frozenset())
        shown = {m.title: m for m in reviewers.with_words(store.conn, found,
                                                          ["renyi", "ads3", "holes"])}
    assert len(rids) == 3 and len(shown) == 2  # the quench's paper matches none
    renyi = shown["Rényi entropies of AdS₃ black holes"]
    assert renyi.words == ("renyi", "holes")  # `holes` in its title and abstract
    assert [renyi.title[a:b] for a, b in renyi.marks] == ["Rényi", "holes"]  # not AdS₃
    holographic = shown["Holographic RENYI-type bounds in AdS3 and renyi flows"]
    assert holographic.words == ("renyi", "ads3", "holes")  # `holes`: its abstract's
    assert [holographic.title[a:b] for a, b in holographic.marks] == ["RENYI", "AdS3",
                                                                      "renyi"]


def test_a_pasted_abstracts_latex_is_read_as_the_papers_are(tmp_path: Path) -> None:
    """A tester pasted `Schr\\"odinger` and `$\\hat{H}$`: the topic's words were `schr` and
    `odinger` beside `schrodinger`, words no paper of the store is indexed under."""
    page = "\n".join(["Ada Lovelace", "", "4 Papers", ""] + [
        line for i, title in enumerate(["Schrödinger operators on metric graphs",
                                         "Spectral gaps of Hamiltonians",
                                         "Ranking with user intent",
                                         "Dense retrieval for shops"], start=1)
        for line in (f"math-phMar {i}, 2022", title, "", "Ada Lovelace, Bo Chen", "",
                     f"An abstract about {title.lower()}.", "")]) + "\n"
    conn = sqlite3.connect(one_page_store(tmp_path, page))
    terms = reviewers.topic_terms(conn, r'Spectra of Schr\"odinger operators',
                                  r"The operator $\hat{H}$ on metric graphs")
    conn.close()
    assert "schrodinger" in terms and "graphs" in terms
    assert not {"schr", "odinger", "hat"} & set(terms)


def test_words_no_title_uses_are_not_the_topic(tmp_path: Path) -> None:
    """Testers saw `discuss`, `compute`, `useful` among a topic's words: in a small store
    they are as rare as real topic words. Here `discuss` and `entanglement` are each in
    20 of 40 papers; only titles tell them apart."""
    papers = [(f"Entanglement witnesses, part {i}", "A short note.") for i in range(20)]
    papers += [(f"Ranking with user intent, part {i}", "We discuss intent.") for i in range(20)]
    lines = ["Ada Lovelace", "", f"{len(papers)} Papers", ""]
    for i, (title, abstract) in enumerate(papers):
        lines += [f"quant-phMar {1 + i % 28}, {2000 + i // 28}", title, "",
                  "Ada Lovelace, Bo Chen", "", abstract, ""]
    conn = sqlite3.connect(one_page_store(tmp_path, "\n".join(lines) + "\n"))
    terms = reviewers.topic_terms(conn, "", "We discuss entanglement.", limit=1)
    conn.close()
    assert terms == ["entanglement"]  # not `discuss`, first by the letter on a tie


# A submission written the way papers talk (issue 16): every word of FILLER is in the
# seed store, in 15 to 78 of its 129 papers, as rare there as the topic's own words
FILLER_TOPIC = Topic(
    "A novel approach to reasoning in large language models based on reinforcement learning",
    "In this paper, we study reasoning. We propose a new framework based on reinforcement "
    "learning and show that the proposed approach improves reasoning. Results show that our "
    "novel framework achieves strong results on mathematical problems. We present a study "
    "of previous methods and demonstrate the approach on various tasks.")
FILLER = {"novel", "approach", "based", "paper", "study", "propose", "new", "framework",
          "show", "proposed", "results", "strong", "present", "previous", "methods",
          "demonstrate", "various"}


def test_the_filler_of_scientific_prose_is_not_the_topic(
        seeds_conn: sqlite3.Connection) -> None:
    """Testers saw `study`, `based`, `proposed`, `novel`, `new` among the words Find
    reviewers queried and showed: words of every field's abstracts, which the store's
    counts cannot tell from topics (`study` is in 16 of the seeds' papers, `reasoning`
    in 25)."""
    terms = reviewers.topic_terms(seeds_conn, FILLER_TOPIC.title, FILLER_TOPIC.abstract)
    assert not FILLER & set(terms)
    assert {"reasoning", "reinforcement", "learning", "language", "mathematical",
            "tasks"} <= set(terms)
    shown = {w for r in reviewers.find_reviewers(seeds_conn, FILLER_TOPIC).reviewers
             for m in r.papers for w in m.words}
    assert "reasoning" in shown and not FILLER & shown


def test_a_title_made_of_filler_words_keeps_them_when_nothing_else_is_left(
        seeds_conn: sqlite3.Connection) -> None:
    """`Numerical analysis of lower bounds` gave no topic word at all (a review): every
    word of it but `bounds`, which no seed paper holds, is on the filler list. With
    fewer than three words left, a title's own words stay, rarest in the store first
    (`numerical` is in 1 seed paper, `lower` in 4, `analysis` in 15)."""
    assert reviewers.topic_terms(seeds_conn, "Numerical analysis of lower bounds", "") == [
        "numerical", "lower", "analysis"]
    # an abstract with words of its own: the title's filler goes again
    assert "analysis" not in reviewers.topic_terms(
        seeds_conn, "An analysis of recommendation", FILLER_TOPIC.abstract)


def _bench() -> Any:
    bench = Path(__file__).resolve().parent.parent / "bench"
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    return importlib.import_module("reviewer_bench")


def _held(title: str, authors: tuple[str, ...], year: int) -> Any:
    return _bench().RealPaper(title, authors, "IR", year, 3, 3, "")


def _count(conn: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(conn.execute(sql, args).fetchone()[0])


def test_the_bench_hides_one_paper_everywhere_and_restores_every_byte(
        written_conn: sqlite3.Connection) -> None:
    """"Ranking items with random walks" (2019) names Maria Rossi and Luca Bianchi, and
    both their pages list it; each has one other paper. Hidden, it is in no table, no
    full-text index, no count and no baseline document; restored, nothing differs."""
    bench = _bench()
    corpus = bench.Corpus(written_conn)
    before = bench.fingerprint(written_conn)
    paper = _held("Ranking items with random walks", ("Maria Rossi", "Luca Bianchi"), 2019)
    with corpus.hidden(paper) as hidden:
        assert hidden.own == {"maria rossi", "luca bianchi"}
        assert _count(written_conn, "SELECT count(*) FROM papers") == 3
        assert _count(written_conn, "SELECT value FROM meta WHERE key = 'papers'") == 3
        assert _count(written_conn, "SELECT count(*) FROM papers_fts"
                      " WHERE papers_fts MATCH 'walks'") == 1  # Bianchi and Neri's paper
        assert _count(written_conn, "SELECT count(*) FROM vocab WHERE term = 'random'") == 0
        assert _count(written_conn, "SELECT sum(entries) FROM profiles") == 3
        assert _count(written_conn, "SELECT papers FROM people WHERE key = 'maria rossi'") == 1
        assert _count(written_conn, "SELECT count(*) FROM person_docs"
                      " WHERE person_docs MATCH 'random'") == 0
        assert bench.fingerprint(written_conn) != before
        topic = Topic("Random walks ranking items", "Ranking items with random walks.")
        assert "Ranking items with random walks" not in {
            m.title for r in reviewers.find_reviewers(written_conn, topic).reviewers
            for m in r.papers}
    assert bench.fingerprint(written_conn) == before
    assert _count(written_conn, "SELECT count(*) FROM person_docs"
                  " WHERE person_docs MATCH 'random'") == 2  # Rossi's and Bianchi's again


def test_hiding_a_persons_only_paper_leaves_them_out_of_the_own_authors(
        written_conn: sqlite3.Connection) -> None:
    """Ugo Verdi is named only on "Graph ranking for sparse catalogues": hidden, he is
    no one the ranking could find, and meta's people count moves by one."""
    bench = _bench()
    corpus = bench.Corpus(written_conn)
    before = bench.fingerprint(written_conn)
    people = _count(written_conn, "SELECT value FROM meta WHERE key = 'people'")
    paper = _held("Graph ranking for sparse catalogues", ("Maria Rossi", "Ugo Verdi"), 2025)
    with corpus.hidden(paper) as hidden:
        assert hidden.own == {"maria rossi"}
        assert _count(written_conn, "SELECT count(*) FROM people WHERE key = 'ugo verdi'") == 0
        assert _count(written_conn, "SELECT value FROM meta WHERE key = 'people'") == people - 1
    assert bench.fingerprint(written_conn) == before


def test_the_tuning_and_reporting_splits_are_disjoint_and_fixed() -> None:
    bench = _bench()
    if not bench.realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {bench.realpages.REALDATA}")
    papers = bench.realpages.load()
    tuning = bench.held_out(papers, 300, 7, "tuning")
    reporting = bench.held_out(papers, 300, 7, "reporting")
    assert len(tuning) == len(reporting) == 300
    assert not {p.title for p in tuning} & {p.title for p in reporting}
    assert [p.title for p in bench.held_out(papers, 300, 7, "tuning")] == \
        [p.title for p in tuning]
    named: dict[str, int] = {}
    for p in papers:
        for a in p.authors:
            named[a] = named.get(a, 0) + 1
    assert all(len(p.authors) <= 30 and any(named[a] >= 2 for a in p.authors)
               for p in [*tuning, *reporting])


def _store_of(tmp_path: Path, pages: dict[str, str]) -> sqlite3.Connection:
    """A store built from hand-written pages (file name -> text)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "store.db"
    assert build_store([folder], db).complete
    return sqlite3.connect(db)


def test_both_spellings_in_the_store_are_the_submissions_author(tmp_path: Path) -> None:
    """The real sample has a Dieter Lust page and a Dieter Lüst page: a submission by
    `Dieter Lust` matched the first by its key and never looked for the second, who came
    out first, unflagged, to review his own paper (a newcomer's tour)."""
    conn = _store_of(tmp_path, {
        "lust.txt": _page("Dieter Lust", [
            ("Swampland distance conjecture in string vacua", 2024, "Dieter Lust", "lmu")]),
        "luest.txt": _page("Dieter Lüst", [
            ("Swampland conjectures and string vacua", 2025, "Dieter Lüst, Eran Palti",
             "lmu")])})
    topic = Topic("Swampland conjectures for string vacua", "The swampland of string vacua.",
                  authors=("Dieter Lust",), year=2026)
    ranking = reviewers.find_reviewers(conn, topic, everyone=True)
    conflicts = {r.name: [(c.kind, c.author) for c in r.conflicts] for r in ranking.reviewers}
    assert conflicts["Dieter Lust"][:1] == [("author", "Dieter Lust")]
    assert conflicts["Dieter Lüst"][:1] == [("author", "Dieter Lust")]
    assert ("coauthor", "Dieter Lust") in conflicts["Eran Palti"]


def test_a_submission_author_written_without_accents_is_the_same_person(
        tmp_path: Path) -> None:
    """A pasted author list drops accents (`Dieter Lust`): the store's Dieter Lüst is
    still an author of the submission, and his co-author a conflict (a newcomer's tour
    found him suggested as a reviewer of his own paper)."""
    conn = _store_of(tmp_path, {"lust.txt": _page("Dieter Lüst", [
        ("Swampland conjectures and string vacua", 2025, "Dieter Lüst, Eran Palti", "lmu"),
        ("Swampland distance conjecture in string vacua", 2024, "Dieter Lüst", "lmu")])})
    topic = Topic("Swampland conjectures for string vacua", "The swampland of string vacua.",
                  authors=("Dieter Lust", "Nobody Known"), year=2026)
    ranking = reviewers.find_reviewers(conn, topic, everyone=True)
    conflicts = {r.name: [(c.kind, c.author) for c in r.conflicts] for r in ranking.reviewers}
    assert conflicts["Dieter Lüst"][:1] == [("author", "Dieter Lust")]
    assert ("coauthor", "Dieter Lust") in conflicts["Eran Palti"]
    assert ranking.unknown_authors == ("Nobody Known",)
    summary = {r.name: desk.reviewer_summary(r) for r in ranking.reviewers}
    assert summary == {"Dieter Lüst": "2 matching papers, latest 2025, has a profile page",
                       "Eran Palti": "1 matching paper, latest 2025"}  # not "1 ... papers"


def test_a_topic_of_words_too_common_to_rank_by_says_so(tmp_path: Path) -> None:
    """A tester pasted "A study of learning" into a store of 100,000 papers that holds
    `learning` in 3,703 titles and was told the store held none of its words ("topic
    words: (none found in the store)"; "no researcher in the store has papers on these
    words"): every word was left out as too common to rank by, and nothing said so.
    Here `learning` is in all 1,100 papers, over the 1,000 a word may be in."""
    conn = sqlite3.connect(_common_store(tmp_path))
    ranking = reviewers.find_reviewers(conn, Topic("A study of learning", ""))
    assert ranking.terms == () and ranking.reviewers == []
    assert ranking.common == ("learning",)  # `study` no paper holds
    out = io.StringIO()
    desk.write_text(ranking, out)
    assert out.getvalue().splitlines()[:2] == [
        "topic words: none rare enough (learning)",
        "nothing to rank researchers by: the store holds learning, but in too many of its "
        "papers to tell researchers apart; give the abstract too, or rarer words"]
    unknown = reviewers.find_reviewers(conn, Topic("Quasicrystal tilings", ""))
    conn.close()
    assert unknown.terms == () and unknown.common == ()
    out = io.StringIO()
    desk.write_text(unknown, out)
    assert out.getvalue().splitlines()[:2] == [
        "topic words: none found in the store",
        "the topic has no word the store holds: there is nothing to rank researchers by"]


def _common_store(folder: Path) -> Path:
    """1,100 papers of one page, every word in all of them (over the 1,000 a word may
    be in to rank by): "Learning to rank, part N", "A short note."."""
    lines = ["Ada Lovelace", "", "1100 Papers", ""]
    for i in range(1100):
        lines += [f"cs.LGMar {1 + i % 28}, {2000 + i // 100}", f"Learning to rank, part {i}",
                  "", "Ada Lovelace, Bo Chen", "", "A short note.", ""]
    return one_page_store(folder, "\n".join(lines) + "\n")


def test_similar_work_with_no_word_to_go_by_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`paperdesk similar --paper ID` printed nothing at all, and `--profile` only
    "topics " and an empty list, when every word of the paper or the page was too
    common to go by."""
    db = _common_store(tmp_path)
    paper = paper_id("Learning to rank, part 7")
    assert main(["similar", "--db", str(db), "--paper", paper]) == 0
    assert capsys.readouterr().out == "no paper in the store shares this paper's topic words\n"
    assert main(["similar", "--db", str(db), "--profile", "ada lovelace"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        # each in all 1,100 papers: most common first, then by the letter
        "like Ada Lovelace: topics none rare enough (learning, note, part, rank, short)",
        "nothing to rank researchers by: the store holds learning, note, part, rank, short, "
        "but in too many of its papers to tell researchers apart; give the abstract too, "
        "or rarer words"]
