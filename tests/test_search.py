"""The search engine on the store built from the seeds.

Every expected count and title below was read off the seed pages with grep (and
a regex over the entries' meta lines), not taken from the code under test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdesk import search as search_module
from paperdesk.query import compile_query
from paperdesk.search import (
    SORT_COLUMNS,
    Scope,
    SearchCancelled,
    SearchResult,
    search,
)
from paperdesk.search import clock as clock_module
from paperdesk.search import plans as plans_module
from paperdesk.search import vocabulary as vocabulary_module
from paperdesk.search.clock import Clock

from .test_query import QUERIES

ALL = 129


@pytest.fixture
def conn(seed_db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(seed_db)
    yield connection
    connection.close()


def titles(conn: sqlite3.Connection, result: SearchResult) -> list[str]:
    by_rid = dict(conn.execute("SELECT rid, title FROM papers"))
    return [by_rid[rid] for rid in result.rids]


def count(conn: sqlite3.Connection, text: str, scope: Scope | None = None) -> int:
    result = search(conn, text, scope or Scope())
    assert result.total == len(result.rids)
    assert len(set(result.rids)) == len(result.rids)
    return len(result.rids)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ALL),
        ("bregman", 1),
        ("Bregman divergence", 1),
        ("socialcoach", 1),
        ("shopee", 6),  # prefix: Shopee in 5, ShopeeLLM in 1
        ("shopee -image", 3),  # image is the last word: images, imagery... excluded too
        ("shopee image", 2),
        ("reinforcement", 35),  # prefix: the only word is the last one
        ("recexpl", 2),  # RecExplainer, RecAI's abstract
        ('"cold start"', 3),  # "cold-start" and "cold start"
        ("bregman OR socialcoach", 2),
        ("(bregman OR socialcoach) -divergence", 1),
        ("bregman OR", 1),
        ("title:agent", 12),  # prefix: Agent, Agents, Agentic, Multi-agent...
        ("title:agent cat:AI", 1),  # not the last word: the word "agent" only, in 6 titles
        ("title:agent code:no", 5),
        ("abstract:bregman", 1),
        ("affil:tsinghua", 1),
        # affiliations (grep): "pku" in 2 papers, "tsinghua" in 1, "gatech" in 1,
        # "microsoft-research" in 1; no affiliation holds a one- or two-letter word
        ("affil:pku", 2),  # from 3 letters, a prefix: pku
        ("affil:tsi", 1),
        ("affil:pk", 0),  # shorter, the word itself, as author: reads it: no "pk"
        ("affil:t", 0),
        ("affil:t cat:IR", 0),
        ("author:lian", 33),  # Jianxun Lian 32, Yu Liang 1
        ('author:"jianxun lian"', 32),
        ("author:LIAN -author:jianxun", 1),
        ("profile:zeng", 32),
        ('profile:"ziru liu"', 14),
        ("profile:liu", 26),  # Ziru Liu 14, Zeyuan Liu 12 (name inferred from 004)
        ("cat:IR", 36),
        ("cat:ir", 36),
        ("cat:cs.IR", 36),
        ("cat:retrieval", 36),
        ("cat:learning", 27),  # LG 26 + ML 1
        ("cat:genomics", 1),
        ("-cat:IR", ALL - 36),
        ("cat:IR OR cat:CV", 44),
        ("cat:xyz", 0),
        ("year:2023", 17),
        ("year:2021..2022", 11),
        ("year:2025..", 64),  # 36 dated 2025, 28 with no year (2026)
        ("year:>=2025", 64),
        ("year:>2024", 64),
        ("year:<2020", 9),  # 2018: 4, 2019: 5
        ("year:<=2019", 9),
        ("year:..2019", 9),
        ("code:yes", 30),
        ("code:no", 99),
        ("cat:IR year:2023", 8),
        ("cat:IR year:2023 code:yes", 1),
        ("(cat:IR OR cat:CV) -year:2023", 44 - 8 - 2),  # IR 2023: 8, CV 2023: 2
    ],
)
def test_query_counts(conn: sqlite3.Connection, text: str, expected: int) -> None:
    assert count(conn, text) == expected


def test_a_single_paper_by_words(conn: sqlite3.Connection) -> None:
    result = search(conn, "bregman")
    assert titles(conn, result) == [
        "Learning Empirical Bregman Divergence for Uncertain Distance Representation"
    ]
    assert result.terms == ["bregman"]
    assert result.ignored == []


def test_field_results_name_the_right_papers(conn: sqlite3.Connection) -> None:
    assert titles(conn, search(conn, "affil:tsinghua")) == ["Qwen Technical Report"]
    yu_liang = search(conn, "author:lian -author:jianxun")
    authors = dict(conn.execute("SELECT rid, authors FROM papers"))
    assert [authors[rid].split(", ")[0] for rid in yu_liang.rids] == ["Yu Liang"]
    assert "Multi-Agent Coordination via Multi-Level Communication" in titles(
        conn, search(conn, "title:agent")
    )


def test_empty_query_is_newest_first(conn: sqlite3.Connection) -> None:
    first = titles(conn, search(conn, "", limit=3))
    # The three latest dates on the pages: Jun 2, May 16, May 13 of the page year 2026.
    assert first[0].startswith("SocialCoach")
    assert first[2] == (
        "From Descriptive to Prescriptive: Uncover the Social Value Alignment of LLM-based Agents"
    )


def test_relevance_puts_title_matches_first_then_newest(conn: sqlite3.Connection) -> None:
    result = search(conn, "reinforcement")
    dates = dict(conn.execute("SELECT rid, date FROM papers"))
    in_title = ["reinforcement" in title.lower() for title in titles(conn, result)]
    assert in_title == [True] * 16 + [False] * 19
    for tier in (result.rids[:16], result.rids[16:]):
        assert [dates[r] for r in tier] == sorted((dates[r] for r in tier), reverse=True)


def test_profile_scope_keeps_page_order(conn: sqlite3.Connection) -> None:
    result = search(conn, "", Scope("profile", 1))  # 000, Ziru Liu
    assert len(result.rids) == 14
    assert titles(conn, result)[:2] == [
        "Multi-Task Recommendations with Reinforcement Learning",
        "AutoAssign+: Automatic Shared Embedding Assignment in Streaming Recommendation",
    ]
    assert count(conn, "bregman", Scope("profile", 1)) == 1
    assert count(conn, "bregman", Scope("profile", 2)) == 0


def test_person_scope(conn: sqlite3.Connection) -> None:
    assert count(conn, "", Scope("person", "jianxun lian")) == 32
    assert count(conn, "cat:IR", Scope("person", "jianxun lian")) == 13


def test_sorting_by_each_column(conn: sqlite3.Connection) -> None:
    for column in SORT_COLUMNS:
        for descending in (False, True):
            result = search(conn, "", sort=(column, descending))
            assert sorted(result.rids) == sorted(search(conn, "").rids)
    by_title = titles(conn, search(conn, "shopee", sort=("title", False)))
    assert by_title == sorted(by_title, key=str.casefold)
    with pytest.raises(ValueError, match="sort column"):
        search(conn, "", sort=("colour", False))


def test_limit_and_capped_totals(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    result = search(conn, "", limit=10)
    assert len(result.rids) == 10 and result.total == ALL
    monkeypatch.setattr(plans_module, "COUNT_CAP", 20)
    result = search(conn, "cat:IR", limit=10)
    assert (result.total, result.at_least) == (None, 20)
    assert len(search(conn, "", limit=0).rids) == 0
    assert len(search(conn, "", limit=-1).rids) == 0


@pytest.mark.parametrize(("text", "matches"), [("cat:IR", 36), ("cat:IR year:2023", 8)])
def test_a_count_out_of_time_says_only_what_is_true(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, text: str, matches: int
) -> None:
    """No time to count (a store above COUNT_CAP, no budget): the listed rows are all
    that is known, so "more than N" when one more row matches, else the exact count.
    36 IR papers (read off the pages), 8 of them of 2023."""
    monkeypatch.setattr(plans_module, "COUNT_CAP", 20)
    monkeypatch.setattr(plans_module, "COUNT_BUDGET_S", 0.0)
    monkeypatch.setattr(clock_module, "BUDGET_STEPS", 1)  # the clock is read at once
    for limit, expected in ((3, (None, 3)), (matches - 1, (None, matches - 1)),
                            (matches, (matches, matches))):
        result = search(conn, text, limit=limit)
        assert len(result.rids) == limit
        assert (result.total, result.at_least) == expected, limit


def test_no_count_is_tried_when_the_rows_alone_took_its_whole_budget(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding the rows took longer than the count's budget (COUNT_BUDGET_S 0): counting,
    which reads ten times as far, is not tried; the answer says "more than" the rows
    found, true since one more match was read. With time to count, it is counted.
    "reinforcement": 35 papers (read off the pages), above a COUNT_CAP of 20."""
    everything = search(conn, "reinforcement")
    assert everything.total == 35
    monkeypatch.setattr(plans_module, "COUNT_CAP", 20)
    monkeypatch.setattr(plans_module, "COUNT_BUDGET_S", 0.0)
    real_count = plans_module._count
    counted: list[str] = []
    monkeypatch.setattr(plans_module, "_count",
                        lambda plan: counted.append("count") or real_count(plan))
    result = search(conn, "reinforcement", limit=10)
    assert (result.total, result.at_least, counted) == (None, 10, [])
    assert result.rids == everything.rids[:10]
    monkeypatch.setattr(plans_module, "COUNT_BUDGET_S", 30.0)
    result = search(conn, "reinforcement", limit=10)
    assert (result.total, result.at_least, counted) == (None, 20, ["count"])
    assert result.rids == everything.rids[:10]


@pytest.mark.parametrize(("text", "phrase"), [
    ('"efficient att', True), ('"cold start"', True), ('author:"jianxun lian"', False),
    ('graph -"cold start"', True), ("graph attention", False), ("author:lian", False),
    ('"bregman"', False), ("cat:IR year:2023", False), ("", False),
])
def test_which_queries_hold_a_phrase(text: str, phrase: bool) -> None:
    assert search_module.has_phrase(text) is phrase


def test_large_match_strategies_give_the_same_answers(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Force the plans meant for a million papers onto the seeds: same rows, same order."""
    queries = ["reinforcement", "learning -survey", "model cat:LG", "llm OR agent", "the"]
    sorts = [("date", True), ("title", False), ("score", True)]
    expected = {(t, s): search(conn, t, sort=s, limit=10).rids for t in queries for s in sorts}
    monkeypatch.setattr(plans_module, "FTS_DRIVEN", 1)
    for (text, sort), rids in expected.items():
        assert search(conn, text, sort=sort, limit=10).rids == rids, (text, sort)


def test_malformed_query_reports_and_falls_back(conn: sqlite3.Connection) -> None:
    result = search(conn, 'bregman author: (( "unclosed')
    assert len(result.rids) == 0  # bregman AND the phrase "unclosed"
    assert 'ignored "author:" (no name given)' in result.ignored
    result = search(conn, "bregman OR OR *")
    assert len(result.rids) == 1
    assert result.ignored == [
        'ignored "OR" (nothing before it)',
        'ignored "*" (no letters or digits)',
        'ignored "OR" (nothing after it)',
    ]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=QUERIES, sort=st.sampled_from([None, *((c, True) for c in SORT_COLUMNS)]))
def test_search_never_raises(
    conn: sqlite3.Connection, text: str, sort: tuple[str, bool] | None
) -> None:
    result = search(conn, text, sort=sort, limit=50)
    assert len(result.rids) <= 50


def test_cancelled_through_the_progress_handler(conn: sqlite3.Connection) -> None:
    with pytest.raises(SearchCancelled):
        search(conn, "reinforcement", cancelled=lambda: True, every=1)
    calls = 0

    def stale_after_a_while() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(SearchCancelled):
        search(conn, "cat:IR OR learning", sort=("title", False), cancelled=stale_after_a_while,
               every=1)
    assert len(search(conn, "bregman", cancelled=lambda: False).rids) == 1
    assert len(search(conn, "").rids) == ALL  # the handler is gone after the search


# ---------------------------------------------------------------- exclusions only
# bregman: 1 paper, socialcoach: 1 other paper, shopee (a prefix as the last word): 6.


@pytest.mark.parametrize("universal", [True, False])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-bregman", ALL - 1),
        ("-bregman -socialcoach", ALL - 2),
        ("-shopee", ALL - 6),
        ("-bregman year:2023", 16),  # year:2023 is 17; Bregman is one ("CVApr 16, 2023")
        ("-(bregman OR socialcoach)", ALL - 2),
    ],
)
def test_exclusions_only(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, text: str, expected: int,
    universal: bool,
) -> None:
    """Through "a word in every paper NOT ..." (the seeds have one: "and"), and without."""
    if not universal:
        monkeypatch.setattr(search_module, "universal", lambda _conn: None)
    result = search(conn, text)
    assert len(result.rids) == result.total == expected
    dates = dict(conn.execute("SELECT rid, date FROM papers"))
    shown = [dates[rid] for rid in result.rids]
    assert shown == sorted(shown, reverse=True)  # newest first
    page = search(conn, text, limit=10)
    assert page.rids == result.rids[:10]
    assert page.total == expected


# Seed papers without "the": TrendSim only; without "of": these six, newest first.
WITHOUT_OF = ["Social-R1: Towards Human-like Social Reasoning in LLMs",
              "Visuospatial Perspective Taking in Multimodal Language Models",
              "Contextualized Privacy Defense for LLM Agents",
              "Each Prompt Matters: Scaling Reinforcement Learning Without Wasting Rollouts on"
              " Hundred-Billion-Scale MoE",
              "NAMeGEn: Creative Name Generation via A Novel Agent-based Multiple Personalized"
              " Goal Enhancement Framework",
              "Optimal Transport-Based Token Weighting scheme for Enhanced Preference"
              " Optimization"]
TRENDSIM = ("TrendSim: Simulating Trending Topics in Social Media Under Poisoning Attacks with"
            " LLM-based Multi-agent System")


@pytest.mark.parametrize("narrow", [True, False])
@pytest.mark.parametrize(("text", "expected"), [
    ('-"the"', [TRENDSIM]),
    ('-"of"', WITHOUT_OF),
    ('-"of" -"the"', []),  # TrendSim has "of"
    ('-"of" year:2026', WITHOUT_OF[:3]),
    ('-("of" OR "multimodal")', WITHOUT_OF[:1] + WITHOUT_OF[2:]),
])
def test_exclusions_driven_by_the_few_papers_without_a_word(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, text: str,
    expected: list[str], narrow: bool,
) -> None:
    """"the" is in 128 of the 129 seed papers, "of" in 123: the rows are driven by the
    papers without the excluded word most papers hold ("and" NOT "the"), each tested
    against every exclusion; the same answer as the whole match."""
    if not narrow:
        monkeypatch.setattr(vocabulary_module, "NARROW_COMPLEMENT", -1)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    result = search(conn, text)
    conn.set_trace_callback(None)
    assert titles(conn, result) == expected
    # The few papers without the word are read whole, forwards (FTS5's fast way), and
    # listed newest first; the whole match (not narrowed) is read newest first.
    scans = [sql for sql in statements if "papers_fts MATCH" in sql and "ORDER BY" in sql]
    assert scans and all(f"papers_fts.rowid {'ASC' if narrow else 'DESC'}" in sql
                         for sql in scans), scans
    assert result.total == len(expected)
    assert titles(conn, search(conn, text, limit=2)) == expected[:2]


def test_the_narrowed_exclusion_reads_two_doclists(conn: sqlite3.Connection) -> None:
    """`-the` (a prefix: the, these, their... 14 words) is driven by "and" NOT "the", the
    papers without the excluded word most papers hold, not by all 14 words' doclists."""
    plan = search_module._plan(conn, compile_query("-the"), Scope(), None, None, True,
                               Clock())
    assert plan.flt.match == '(("and")) NOT (("the"))'
    assert search(conn, "-the").total == 0  # TrendSim has "these"


def test_walks_and_planner_agree_for_filters(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filters alone walk the date index; a filter too rare for the walk goes to the planner."""
    queries = ["cat:IR", "cat:IR year:2023", "code:yes -cat:IR", "year:<2020"]
    walked = {text: search(conn, text, limit=5).rids for text in queries}
    monkeypatch.setattr(plans_module, "WALK_ROWS", 1)
    for text, rids in walked.items():
        assert search(conn, text, limit=5).rids == rids, text
        assert len(rids) == 5


# ---------------------------------------------------------------- user data filters

QWEN = "0c460c8bbba56ac6"  # Qwen Technical Report
SOCIALCOACH = "76e2df38320135aa"  # SocialCoach: Personalized Social Skill Learning...
BREGMAN = "903fdc120546fec7"  # Learning Empirical Bregman Divergence...


@pytest.fixture
def user_conn(seed_db: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    from paperdesk.store import connect
    from paperdesk.userdata import UserData, attach

    path = tmp_path / "userdata.db"
    with UserData(path) as data:
        data.set_starred(QWEN)
        data.set_starred(BREGMAN)
        data.set_read_state(QWEN, "read")
        data.set_read_state(SOCIALCOACH, "reading")
        data.set_rating(QWEN, 5)
        data.set_rating(BREGMAN, 4)
        data.set_rating(SOCIALCOACH, 2)
        data.set_tags(QWEN, ["shortlist"])
        data.set_tags(SOCIALCOACH, ["Shortlist", "tutoring"])
        data.set_note(BREGMAN, "Read again: BANDIT tricks, 50% faster")
    connection = connect(seed_db)
    attach(connection, path)
    yield connection
    connection.close()


def ids(conn: sqlite3.Connection, text: str) -> set[str]:
    by_rid = dict(conn.execute("SELECT rid, id FROM papers"))
    result = search(conn, text)
    assert result.total == len(result.rids)
    return {by_rid[rid] for rid in result.rids}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is:starred", {QWEN, BREGMAN}),
        ("is:reading", {SOCIALCOACH}),
        ("is:read", {QWEN}),
        ("rating:>=4", {QWEN, BREGMAN}),
        ("rating:4", {BREGMAN}),
        ("rating:>4", {QWEN}),
        ("rating:<3", {SOCIALCOACH}),
        ("rating:<=4", {BREGMAN, SOCIALCOACH}),
        ("tag:shortlist", {QWEN, SOCIALCOACH}),
        ("tag:SHORTLIST", {QWEN, SOCIALCOACH}),
        ("tag:tutoring", {SOCIALCOACH}),
        ("tag:short", set()),
        ("note:bandit", {BREGMAN}),
        ('note:"50% faster"', {BREGMAN}),
        ("note:50_", set()),  # % and _ are plain characters
        ("is:starred -is:read", {BREGMAN}),
        ("is:starred OR tag:tutoring", {QWEN, BREGMAN, SOCIALCOACH}),
        ("qwen is:starred", {QWEN}),
        ("bregman is:unread", {BREGMAN}),
        ("socialcoach is:unread", set()),
        ("tag:shortlist rating:>=4", {QWEN}),
    ],
)
def test_user_data_filters(user_conn: sqlite3.Connection, text: str, expected: set[str]) -> None:
    assert ids(user_conn, text) == expected


def test_user_data_unread_and_exclusions(user_conn: sqlite3.Connection) -> None:
    assert count(user_conn, "is:unread") == ALL - 2  # Qwen read, SocialCoach reading
    assert count(user_conn, "-is:starred") == ALL - 2
    assert count(user_conn, "-tag:shortlist -bregman") == ALL - 3


def test_user_data_filters_without_user_data(conn: sqlite3.Connection) -> None:
    for text in ("is:starred", "is:read", "is:reading", "rating:>=1", "tag:x", "note:a",
                 "-is:unread", "bregman is:starred"):
        assert count(conn, text) == 0, text
    assert count(conn, "is:unread") == ALL
    assert count(conn, "-is:starred") == ALL
    assert count(conn, "bregman is:unread") == 1
    assert search(conn, "is:starred").ignored == []


# ---------------------------------------------------------------- exact order, first pages
# The relevance order, written independently in plain SQL: the match's rows, those whose
# title matches first, each newest first (date, then rowid, descending). The FTS5
# expressions are written by hand (a prefix as FTS5's own `*`: the seeds have fewer
# than 32 indexed words for each prefix below, so the expansion is all of them).
PLAIN_ORDER = """
SELECT rid FROM papers
 WHERE rid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH :match) {where}
 ORDER BY rid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH :title) DESC,
          date DESC, rid DESC
"""
BY_HAND = [
    ("reinforcement", "reinforcement*", "{title}: reinforcement*", ""),
    ("language model", "language model*", "{title}: (language model*)", ""),
    ("llm -agent", "llm NOT agent*", "{title}: llm", ""),
    ("learning cat:IR", "learning", "{title}: learning", "AND category = 'IR'"),
    ('"large language"', '"large language"', '{title}: "large language"', ""),
    ("learning year:2024..2025", "learning", "{title}: learning",
     "AND year BETWEEN 2024 AND 2025"),
    ("recommendation OR ranking", "recommendation OR ranking*", "{title}: ranking",
     ""),  # the title tier is the free words of the top level only: none here...
]


@pytest.mark.parametrize(("text", "match", "title", "where"), BY_HAND[:6])
def test_the_order_is_exact_against_plain_sql(
    conn: sqlite3.Connection, text: str, match: str, title: str, where: str
) -> None:
    expected = [rid for (rid,) in conn.execute(PLAIN_ORDER.format(where=where),
                                               {"match": match, "title": title})]
    assert len(expected) > 5
    assert list(search(conn, text).rids) == expected
    for limit in (1, 5, len(expected) - 1):  # any page is a prefix of the whole
        assert list(search(conn, text, limit=limit).rids) == expected[:limit]


def test_without_title_words_the_order_is_newest_first(conn: sqlite3.Connection) -> None:
    expected = [rid for (rid,) in conn.execute(
        "SELECT rid FROM papers WHERE rid IN (SELECT rowid FROM papers_fts WHERE papers_fts"
        " MATCH 'recommendation OR ranking*') ORDER BY date DESC, rid DESC")]
    assert list(search(conn, "recommendation OR ranking").rids) == expected


@pytest.mark.parametrize(("text", "where"), [
    ("cat:IR year:2021..2025", "category = 'IR' AND year BETWEEN 2021 AND 2025"),
    ("year:2024..2025 code:yes", "year BETWEEN 2024 AND 2025 AND has_code = 1"),
    ("year:..2024 -cat:IR", "year <= 2024 AND category <> 'IR'"),
])
def test_filters_alone_are_newest_first(conn: sqlite3.Connection, text: str,
                                        where: str) -> None:
    """Years are also rowid ranges when rowids follow the date: the same rows, in order."""
    expected = [rid for (rid,) in conn.execute(
        f"SELECT rid FROM papers WHERE {where} ORDER BY date DESC, rid DESC")]
    assert len(expected) > 3
    assert list(search(conn, text).rids) == expected
    assert list(search(conn, text, limit=3).rids) == expected[:3]


def test_rowids_follow_the_date(conn: sqlite3.Connection) -> None:
    """The build stores papers so that rowid order is date order (paperdesk.dated)."""
    by_date = [rid for (rid,) in conn.execute("SELECT rid FROM papers ORDER BY date, rid")]
    assert by_date == sorted(by_date)
    assert conn.execute("SELECT value FROM meta WHERE key = 'rid_order'").fetchone() == ("date",)


def test_a_store_whose_rowids_do_not_follow_the_date_gets_the_same_answers(
    conn: sqlite3.Connection,
) -> None:
    """A store built before paperdesk.dated: every tier is read whole and sorted."""
    queries = [text for text, *_ in BY_HAND] + ["", "cat:IR", "-bregman", "author:lian"]
    dated = {text: search(conn, text, limit=20).rids for text in queries}
    conn.execute("DELETE FROM meta WHERE key = 'rid_order'")
    for text, rids in dated.items():
        assert search(conn, text, limit=20).rids == rids, text


@pytest.mark.parametrize("text", ["-and", "-an", "-a", "bregman -and", "-(and OR x)"])
def test_excluding_a_word_in_every_paper_finds_nothing(conn: sqlite3.Connection,
                                                        text: str) -> None:
    """"and" is in every seed paper (as written in each abstract); "an" and "a" stand for
    words including it. Known from the vocabulary, checked here against the index."""
    left = conn.execute("SELECT count(*) FROM papers WHERE rid NOT IN"
                        " (SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'and')")
    assert left.fetchone()[0] == 0
    result = search(conn, text)
    assert (len(result.rids), result.total) == (0, 0)


def test_a_first_page_without_its_count(conn: sqlite3.Connection) -> None:
    page = search(conn, "reinforcement", limit=10, count=False)  # 35 papers
    assert (page.total, page.at_least) == (None, 10)
    assert page.rids == search(conn, "reinforcement").rids[:10]
    whole = search(conn, "bregman", limit=10, count=False)  # fewer than the page: known
    assert (whole.total, len(whole.rids)) == (1, 1)


@pytest.mark.parametrize("word", ["reinforcement", "language", "graph", "agent", "model"])
def test_a_prefix_finds_from_its_first_letter(conn: sqlite3.Connection, word: str) -> None:
    """One and two letters find as much as three would, or more. A prefix stands for the
    32 most frequent words it starts, so a paper whose only l-word is rare is found by
    "lan", not by "l": the sets need not nest, the counts do."""
    found = [len(search(conn, word[:n]).rids) for n in (1, 2, 3)]
    assert found[0] >= found[1] >= found[2] > 0


@pytest.mark.parametrize(("text", "scope", "sort", "limit"), [
    ("", None, None, None),  # every paper, newest first
    ("language", None, None, None),  # relevance tiers
    ("language", None, ("title", False), 5),  # a column sort
    ("cat:IR", None, None, 5),  # a filter walked down the date index
    ("", Scope("profile", 1), None, None),  # a profile's page order
    ("language", Scope("person", "jianxun lian"), None, None),  # a person's papers
])
def test_every_result_is_one_int64_array(
    conn: sqlite3.Connection, text: str, scope: Scope | None,
    sort: tuple[str, bool] | None, limit: int | None,
) -> None:
    """A million rowids as a list would be a million int objects that the allocator
    partly keeps after they are freed: each search path gives an array."""
    result = search(conn, text, scope or Scope(), sort=sort, limit=limit)
    assert len(result.rids) > 0
    assert result.rids.typecode == "q"
