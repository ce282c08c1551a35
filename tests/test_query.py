"""The query language compiler: text -> tree, notes and highlight terms; never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperdesk.query import (
    ALL_COLUMNS,
    CATEGORY_NAMES,
    And,
    Author,
    Category,
    Code,
    Not,
    Or,
    Profile,
    Text,
    UserFilter,
    Year,
    category_codes,
    compile_query,
    parse_year,
)

SEED_CODES = ("IR", "CL", "LG", "AI", "CV", "GN", "HC", "MA", "ML", "CR", "SI")


def test_plain_words_all_must_match_and_the_last_is_a_prefix() -> None:
    query = compile_query("reinforcement recomm")
    assert query.root == And((Text("reinforcement"), Text("recomm", ALL_COLUMNS, prefix=True)))
    assert query.ignored == ()
    assert query.terms == ("reinforcement", "recomm")


def test_a_lone_last_word_is_a_prefix_from_its_first_letter() -> None:
    assert compile_query("r").root == Text("r", ALL_COLUMNS, prefix=True)
    assert compile_query("re").root == Text("re", ALL_COLUMNS, prefix=True)
    # in a phrase, FTS5 itself expands the last word: only from three letters
    assert compile_query('"modern sy').root == Text("modern sy")
    assert compile_query('"modern sys').root == Text("modern sys", ALL_COLUMNS, prefix=True)


def test_a_word_typed_up_to_a_combining_mark_is_still_a_prefix() -> None:
    """Decomposed accents (`cafe` + U+0301, as some keyboards and pastes give them) and
    Arabic vowel signs end in a combining mark, not a letter: the word is still being
    typed, unlike `c++`, which ends in symbols."""
    assert compile_query("cafe\u0301").root == Text("cafe\u0301", ALL_COLUMNS, prefix=True)
    assert compile_query("\u0643\u062a\u0628\u064e").root == Text(
        "\u0643\u062a\u0628\u064e", ALL_COLUMNS, prefix=True)
    assert compile_query("c++").root != Text("c", ALL_COLUMNS, prefix=True)


def test_last_word_followed_by_a_field_is_not_a_prefix() -> None:
    query = compile_query("agent cat:IR")
    assert query.root == And((Text("agent"), Category(("IR",))))


def test_phrase_exclusion_or_and_groups() -> None:
    query = compile_query('"cold start" -survey (ranking OR retrieval) x')
    assert query.root == And(
        (
            Text("cold start"),
            Not(Text("survey")),
            Or((Text("ranking"), Text("retrieval"))),
            Text("x", ALL_COLUMNS, prefix=True),  # the last word: a prefix
        )
    )
    assert query.terms == ("cold start", "ranking", "retrieval", "x")  # not "survey"


def test_or_binds_looser_than_and() -> None:
    assert compile_query("llm agent OR tutoring").root == Or(
        (And((Text("llm"), Text("agent"))), Text("tutoring", prefix=True))
    )


def test_lower_case_or_is_a_word() -> None:
    assert compile_query("a or b").root == And((Text("a"), Text("or"),
                                                 Text("b", ALL_COLUMNS, prefix=True)))


def test_unclosed_quote_is_a_phrase_typed_so_far() -> None:
    query = compile_query('"large lang')
    assert query.root == Text("large lang", prefix=True)
    assert query.ignored == ('assumed the missing closing quote: "large lang"',)


def test_text_fields() -> None:
    query = compile_query('title:agent abstract:"cold start" affil:tsinghua')
    assert query.root == And(
        (
            Text("agent", ("title",)),
            Text("cold start", ("abstract",)),
            Text("tsinghua", ("affiliations",), prefix=True),
        )
    )


def test_author_and_profile_fields() -> None:
    query = compile_query('author:"Jianxun Lian" profile:Zeng')
    assert query.root == And((Author((" jianxun", " lian")), Profile("zeng")))
    assert query.terms == ("Jianxun", "Lian", "Zeng")


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("IR", ("IR",)),
        ("ir", ("IR",)),
        ("cs.IR", ("IR",)),
        ("q-bio.GN", ("GN",)),
        ("retrieval", ("IR",)),
        ("Retr", ("IR",)),
        ("learning", ("LG", "ML")),
        ('"machine learning"', ("LG", "ML")),
        ("genomics", ("GN",)),
        ('"human computer"', ("HC",)),
        ("XY", ("XY",)),  # a code missing from the table still matches itself
    ],
)
def test_category_by_code_or_name(value: str, codes: tuple[str, ...]) -> None:
    assert compile_query(f"cat:{value}").root == Category(codes)


def test_category_names_cover_the_seed_codes() -> None:
    for code in SEED_CODES:
        full, name = CATEGORY_NAMES[code]
        assert full.endswith("." + code) and name
    assert CATEGORY_NAMES["ML"] == ("stat.ML", "Machine Learning")
    assert CATEGORY_NAMES["GN"] == ("q-bio.GN", "Genomics")
    assert category_codes("9z") == ()


def test_unknown_category_matches_nothing_and_says_so() -> None:
    query = compile_query("cat:9z")
    assert query.root == Category(())
    assert query.ignored == ('no category matches "cat:9z"',)


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2023", Year(2023, 2023)),
        ("2021..2024", Year(2021, 2024)),
        ("2021..", Year(2021, None)),
        ("..2022", Year(None, 2022)),
        (">=2024", Year(2024, None)),
        (">2024", Year(2025, None)),
        ("<2020", Year(None, 2019)),
        ("<=2020", Year(None, 2020)),
        ("=2020", Year(2020, 2020)),
    ],
)
def test_years(value: str, year: Year) -> None:
    assert parse_year(value) == year
    assert compile_query(f"year:{value}").root == year


@pytest.mark.parametrize("value", ["abc", "20", "2020..abc", ">>2020", "1..2"])
def test_bad_years_are_ignored(value: str) -> None:
    query = compile_query(f"x year:{value}")
    assert query.root == Text("x")
    assert query.ignored == (f'ignored "year:{value}" (not a year or a range of years)',)


def test_code() -> None:
    assert compile_query("code:yes").root == Code(True)
    assert compile_query("code:no").root == Code(False)
    assert compile_query("code:maybe").ignored == (
        'ignored "code:maybe" (use code:yes or code:no)',
    )


@pytest.mark.parametrize(
    ("text", "root", "ignored"),
    [
        ("author:", None, ['ignored "author:" (no name given)']),
        ("profile: x", Text("x", ALL_COLUMNS, prefix=True), ['ignored "profile:" (no name given)']),
        ("title:", None, ['ignored "title:" (no value given)']),
        ("((", None, ['2 times: ignored "(" (at the end)']),
        ("()", None, ['ignored "()" (nothing inside)']),
        ("OR OR", None, ['2 times: ignored "OR" (nothing before it)']),
        ("a OR", Text("a", ALL_COLUMNS, prefix=True), ['ignored "OR" (nothing after it)']),
        ("*", None, ['ignored "*" (no letters or digits)']),
        ("-", None, ['ignored "-" (nothing after it to exclude)']),
        ("a - b", And((Text("a"), Text("b", ALL_COLUMNS, prefix=True))),
         ['ignored "-" (nothing after it to exclude)']),
        ("a)", Text("a", ALL_COLUMNS, prefix=True), ['ignored ")" (no "(" before it)']),
        ("(a b", And((Text("a"), Text("b", ALL_COLUMNS, prefix=True))),
         ['assumed a missing ")" at the end']),
        ('""', None, ['ignored "" (nothing inside)']),
        ("^ : {", None, [f'ignored "{c}" (no letters or digits)' for c in "^:{"]),
    ],
)
def test_malformed_queries_fall_back_and_explain(
    text: str, root: object, ignored: list[str]
) -> None:
    query = compile_query(text)
    assert query.root == root
    assert list(query.ignored) == ignored


def test_fts_syntax_is_plain_text() -> None:
    query = compile_query("NEAR(a b) x^y {title}:z AND")
    assert query.root == And(
        (Text("NEAR"), And((Text("a"), Text("b"))), Text("x^y"), Text("{title}:z"))
    )


def test_terms_are_words_deduplicated_without_case() -> None:
    assert compile_query('LLM llm "Chart-to-code" -gone').terms == ("LLM", "Chart to code")


QUERY_PIECES = st.sampled_from(
    [" ", "a", "llm", "OR", "AND", "-", "(", ")", '"', "*", "^", ":", "{", "}", "+", "NEAR(",
     "author:", "title:", "abstract:", "cat:", "year:", "code:", "affil:", "profile:",
     "is:", "starred", "unread", "reading", "read", "rating:", "tag:", "note:", "4", "<", "=",
     "2023", "..", ">=", "yes", "é", "\\", "'", "%", "_", "\x00", "\u200b"]
)  # fmt: skip
QUERIES = st.one_of(st.text(), st.lists(QUERY_PIECES, max_size=20).map("".join))


@given(QUERIES)
def test_compile_never_raises(text: str) -> None:
    query = compile_query(text)
    assert all(isinstance(note, str) for note in query.ignored)
    assert all(term.strip() for term in query.terms)


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("is:starred", UserFilter("starred")),
        ("IS:Unread", UserFilter("unread")),
        ("is:reading", UserFilter("reading")),
        ("is:read", UserFilter("read")),
        ("rating:4", UserFilter("rating", low=4, high=4)),
        ("rating:=4", UserFilter("rating", low=4, high=4)),
        ("rating:>=4", UserFilter("rating", low=4, high=5)),
        ("rating:>3", UserFilter("rating", low=4, high=5)),
        ("rating:<3", UserFilter("rating", low=1, high=2)),
        ("rating:<=2", UserFilter("rating", low=1, high=2)),
        ("tag:shortlist", UserFilter("tag", "shortlist")),
        ('tag:"to   review"', UserFilter("tag", "to review")),
        ("note:bandit", UserFilter("note", "bandit")),
        ('note:"read again"', UserFilter("note", "read again")),
        ("-is:read llm", And((Not(UserFilter("read")), Text("llm", prefix=True)))),
    ],
)
def test_user_data_filters(text: str, root: object) -> None:
    query = compile_query(text)
    assert query.root == root
    assert query.ignored == ()


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("is:foo",
         'ignored "is:foo" (use is:starred, is:unread, is:reading, is:read or is:doubtful)'),
        ("rating:9",
         'ignored "rating:9" (use rating:1 to rating:5, or rating:>=4 (also >, <, <=))'),
        ("rating:>=", 'ignored "rating:>=" (no letters or digits)'),
        ("tag:", 'ignored "tag:" (no value given)'),
        ("note:", 'ignored "note:" (no value given)'),
    ],
)
def test_bad_user_data_filters_are_ignored(text: str, note: str) -> None:
    query = compile_query(text)
    assert query.root is None
    assert query.ignored == (note,)


def test_not_in_capitals_excludes_like_a_minus() -> None:
    for text, same in (("NOT survey", "-survey"),
                       ("learning NOT (survey OR benchmark)", "learning -(survey OR benchmark)"),
                       ('ranking NOT "cold start"', 'ranking -"cold start"')):
        assert compile_query(text).root == compile_query(same).root
    assert not isinstance(compile_query("not survey").root, Not)
    assert "not" in compile_query("not survey").terms  # lower case: a plain word
    assert compile_query("learning NOT").ignored == (
        'ignored "NOT" (nothing after it to exclude)',)


@pytest.mark.parametrize(("text", "reads"), [
    ("is:starred", True),
    ("learning -tag:done", True),
    ("(rating:>=4 OR note:tokenizer) year:2024", True),
    ("learning author:ji", False),
    ('"is:starred"', False),  # a phrase, not a field
    ("tag:", False),  # an empty field is ignored (the status bar says so)
    ("", False),
])
def test_the_compiled_query_says_whether_it_reads_the_users_notes(text: str,
                                                                  reads: bool) -> None:
    """The window runs a search again after an edit only when its answer can change."""
    assert compile_query(text).reads_user_data is reads


@pytest.mark.parametrize(("text", "within"), [
    ("is:doubtful", True),
    ("is:doubtful c++", True),
    ("c++ IS:Doubtful author:ji", True),
    ("(is:doubtful OR is:doubtful) year:2024", True),
    ("c++", False),
    ("", False),
    ("-is:doubtful", False),
    ("is:doubtful OR c++", False),  # c++ papers that are sure are found too
    ('"is:doubtful"', False),  # a phrase, not a field
    ("is:doubt", False),  # unknown: ignored (the status bar says so)
])
def test_the_compiled_query_says_whether_it_finds_only_doubtful_papers(
        text: str, within: bool) -> None:
    """The window's "Needs review" lasts while the query searches within it."""
    assert compile_query(text).only_doubtful is within


def test_each_term_says_the_fields_its_search_read() -> None:
    """Highlights follow the fields: `title:su` in titles alone, `author:` in the authors,
    a bare word everywhere; a word searched twice, in both places. A prefix: the last
    word typed, `author:` (a word starting a name); the others match as the word."""
    query = compile_query('title:su author:suzuki affil:"max planck" -abstract:gone su2 '
                          "abstract:su")
    assert query.highlights == (
        ("su", ("title", "abstract"), True),  # last, as abstract:su
        ("suzuki", ("authors",), True),
        ("max planck", ("affiliations",), False),
        ("su2", ("title", "authors", "affiliations", "abstract"), False),
    )
