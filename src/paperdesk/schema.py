"""The store's schema and its versioned upgrades (`PRAGMA user_version`).

Like calibre's schema_upgrades: each version has one upgrade step; opening an
older store runs the missing steps in order, a newer store is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from operator import itemgetter

from paperdesk import db, people_order, redate
from paperdesk.latex import stored, to_text
from paperdesk.records import author_sort

SCHEMA_VERSION = 18

# Version 1: the whole store as the build writes it.
_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE profiles (
    id            INTEGER PRIMARY KEY,      -- build order, 1..n
    source        TEXT NOT NULL UNIQUE,     -- the page's file name
    path          TEXT,                     -- where it was read from
    digest        TEXT,                     -- sha1 of the page's bytes
    name          TEXT,
    name_inferred INTEGER NOT NULL DEFAULT 0,
    person        TEXT,                     -- people.key of the owner
    field         TEXT,
    h_index       INTEGER,
    paper_count   INTEGER,                  -- the header's own figure
    citations     INTEGER,
    novelty       INTEGER,
    ai_score      INTEGER,
    listed        INTEGER,                  -- the "N Papers" line
    entries       INTEGER NOT NULL DEFAULT 0 -- papers stored for this page
);
CREATE TABLE papers (
    rid           INTEGER PRIMARY KEY,      -- internal (build order); FTS rowid
    id            TEXT NOT NULL UNIQUE,     -- stable: sha1 of the normalised title
    title         TEXT NOT NULL,
    authors       TEXT NOT NULL,            -- names as written, joined by ", "
    et_al         INTEGER NOT NULL,
    affiliations  TEXT NOT NULL,            -- joined by ", "
    category      TEXT NOT NULL,
    date          TEXT NOT NULL,            -- ISO yyyy-mm-dd
    year          INTEGER NOT NULL,
    year_inferred INTEGER NOT NULL,
    has_code      INTEGER NOT NULL,
    score         REAL,
    abstract      TEXT NOT NULL
);
CREATE TABLE paper_authors (
    paper    INTEGER NOT NULL,              -- papers.rid
    position INTEGER NOT NULL,              -- 0-based, page order
    name     TEXT NOT NULL,                 -- as written
    person   TEXT NOT NULL,                 -- people.key
    PRIMARY KEY (paper, position)
) WITHOUT ROWID;
CREATE TABLE people (
    key     TEXT PRIMARY KEY,               -- records.person_key(name)
    name    TEXT NOT NULL,                  -- the most frequent written form
    papers  INTEGER NOT NULL,               -- papers naming this person
    profile INTEGER                         -- profiles.id when the person has a page
);
CREATE TABLE profile_papers (
    profile  INTEGER NOT NULL,
    position INTEGER NOT NULL,              -- page order, 0-based
    paper    INTEGER NOT NULL,              -- papers.rid
    PRIMARY KEY (profile, position)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, authors, affiliations, abstract,
    content='papers', content_rowid='rid',
    tokenize='unicode61 remove_diacritics 2'
);
"""

# Papers sorted by their authors (records.author_sort), from version 15; the index of
# `authors COLLATE NOCASE` (papers_authors) sorted them by the first given name.
AUTHOR_SORT_INDEX = "CREATE INDEX IF NOT EXISTS papers_author_sort ON papers(author_sort, rid)"

# Built after the bulk insert: cheaper than maintaining them row by row.
INDEXES = f"""
CREATE INDEX IF NOT EXISTS paper_authors_person ON paper_authors(person, name, paper);
CREATE INDEX IF NOT EXISTS profile_papers_paper ON profile_papers(paper);
CREATE INDEX IF NOT EXISTS papers_date ON papers(date, rid, category, year, has_code);
CREATE INDEX IF NOT EXISTS papers_title ON papers(title COLLATE NOCASE, rid);
{AUTHOR_SORT_INDEX};
CREATE INDEX IF NOT EXISTS papers_category ON papers(category, rid);
CREATE INDEX IF NOT EXISTS papers_code ON papers(has_code, rid);
CREATE INDEX IF NOT EXISTS papers_score ON papers(score, rid);
CREATE INDEX IF NOT EXISTS papers_year ON papers(year, rid);
CREATE INDEX IF NOT EXISTS papers_row ON papers(rid, date, category, year, has_code);
CREATE INDEX IF NOT EXISTS people_name ON people(name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS profiles_name ON profiles(name COLLATE NOCASE, id);
"""

# Version 2: the full-text index's vocabulary, so that the word being typed is
# completed from a small table instead of the index's postings.
_V2 = """
CREATE TABLE vocab (
    term TEXT PRIMARY KEY,                  -- as the index folds it
    docs INTEGER NOT NULL                   -- papers containing it
) WITHOUT ROWID;
CREATE TABLE vocab_top (
    prefix TEXT NOT NULL,                   -- 1 to VOCAB_TOP_PREFIX characters
    rank   INTEGER NOT NULL,                -- 0 = the most frequent word it starts
    term   TEXT NOT NULL,
    PRIMARY KEY (prefix, rank)
) WITHOUT ROWID;
"""

# vocab_top keeps, for every prefix this short, its VOCAB_TOP_TERMS most frequent words.
VOCAB_TOP_PREFIX = 3
VOCAB_TOP_TERMS = 32

_VOCAB_FILL = """
DELETE FROM vocab;
DELETE FROM vocab_top;
CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_vocab_scan USING fts5vocab(main, papers_fts, row);
INSERT INTO vocab (term, docs) SELECT term, doc FROM temp.papers_vocab_scan;
DROP TABLE temp.papers_vocab_scan
"""

# vocab_top is written in batches of this many rows (each sorted by its key first).
_TOP_BATCH = 50_000


def refresh_vocab(conn: sqlite3.Connection) -> None:
    """Recompute vocab and vocab_top from papers_fts (after a build or an import)."""
    for statement in _VOCAB_FILL.split(";\n"):
        conn.execute(statement)
    fill_vocab_top(conn)


def fill_vocab_top(conn: sqlite3.Connection) -> None:
    """vocab_top from vocab: for every prefix of 1 to VOCAB_TOP_PREFIX characters, the
    VOCAB_TOP_TERMS words of `length(term) >= n` it starts, ranked by `docs DESC, term`
    from 0. One pass over the words in that order, each given the next rank of its
    prefixes that still have room; it was one window query a prefix length (three
    sorts of the whole vocabulary: 0.16 s CPU of the real pages' 39,000 words against
    0.12 s, the same rows)."""
    ranks: list[dict[str, int]] = [{} for _ in range(VOCAB_TOP_PREFIX)]
    rows: list[tuple[str, int, str]] = []
    for (term,) in conn.execute("SELECT term FROM vocab ORDER BY docs DESC, term"):
        for n, taken in enumerate(ranks[:len(term)], start=1):
            prefix = term[:n]
            rank = taken.get(prefix, 0)
            if rank < VOCAB_TOP_TERMS:
                taken[prefix] = rank + 1
                rows.append((prefix, rank, term))
        if len(rows) >= _TOP_BATCH:
            _insert_top(conn, rows)
    _insert_top(conn, rows)


def _insert_top(conn: sqlite3.Connection, rows: list[tuple[str, int, str]]) -> None:
    # in key order (a prefix's rows come in rank order: the sort is stable), so the rows
    # are appended to the table's B-tree; sorting by prefix alone costs less than by tuple
    rows.sort(key=itemgetter(0))
    conn.executemany("INSERT INTO vocab_top (prefix, rank, term) VALUES (?, ?, ?)", rows)
    rows.clear()


def _add_vocab_v2(conn: sqlite3.Connection) -> None:
    for statement in _V2.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    refresh_vocab(conn)


# Version 3: the date index also holds the columns the filters test, so that walking
# it newest first (search._walk_newest: `cat:IR`, `year:2024 code:yes`) reads no rows;
# papers_row (in INDEXES) holds the same by rowid, so that ordering a set of matches by
# date (search._tier) reads small index entries, not the papers' long rows.
def _cover_filters_v3(conn: sqlite3.Connection) -> None:
    if _built(conn):  # a new store gets INDEXES once its rows are in (writer.Writer.finish_bulk)
        conn.execute("DROP INDEX papers_date")
        for statement in INDEXES.split(";\n"):  # but version 15's, on its column
            if statement.strip() and statement.strip() != AUTHOR_SORT_INDEX:
                conn.execute(statement)


def _built(conn: sqlite3.Connection) -> bool:
    """Whether the store's papers have their indexes (a new store's come after its rows)."""
    return "papers_date" in {index.name for index in db.tables(conn).table("papers").indexes}


# Version 4: papers the parser was not sure how to read (a run-together line whose
# title/author seam it could not settle) are marked, for `is:doubtful` and the exports.
# A store built before knows nothing of doubts: its papers are 0 until the next build.
def _add_doubtful_v4(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE papers ADD COLUMN doubtful INTEGER NOT NULL DEFAULT 0")


# Version 5: the full-text index made by sqlite-utils itself (`Table.enable_fts`:
# `content="papers"`), so that `sqlite-utils search STORE papers WORDS` and Datasette
# find it; the same columns, tokenizer and rowids (papers.rid is the papers' rowid).
# enable_fts fills it from the papers (a new store's are none yet: the build fills it at
# its end). Stores upgraded before say `content=[papers], content_rowid=[rid]`: the same.
FTS_COLUMNS = ("title", "authors", "affiliations", "abstract")
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def _declare_fts_v5(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE papers_fts")
    db.tables(conn).table("papers").enable_fts(FTS_COLUMNS, tokenize=FTS_TOKENIZE)


# Version 6: people's names under cheap blocking keys (family core + first initial), so
# that the names that may be one person are found by the key (paperdesk.identity.blocks).
def _add_name_blocks_v6(conn: sqlite3.Connection) -> None:
    from paperdesk.identity import blocks

    conn.execute(blocks.CREATE)
    blocks.fill(conn)


# Version 7: titles and abstracts hold their LaTeX decoded to Unicode (paperdesk.latex),
# so that the table, the pane and the full-text index see `Schrödinger`, not
# `Schr\"odinger`; the page's own text is kept in title_tex / abstract_tex (NULL when
# it has no LaTeX) for the exports. Paper ids stay those of the page's titles. And a
# small index of the doubtful papers, for the author list's "Needs review".
def _decode_latex_v7(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE papers ADD COLUMN title_tex TEXT")
    conn.execute("ALTER TABLE papers ADD COLUMN abstract_tex TEXT")
    conn.create_function("paperdesk_latex", 1, to_text, deterministic=True)
    conn.execute("UPDATE papers SET title_tex = title WHERE paperdesk_latex(title) <> title")
    conn.execute("UPDATE papers SET abstract_tex = abstract"
                 " WHERE paperdesk_latex(abstract) <> abstract")
    changed = conn.execute("UPDATE papers SET title = paperdesk_latex(title),"
                           " abstract = paperdesk_latex(abstract)"
                           " WHERE title_tex IS NOT NULL OR abstract_tex IS NOT NULL").rowcount
    conn.execute("CREATE INDEX papers_doubtful ON papers(date, rid) WHERE doubtful")
    if changed:  # the full-text index and its vocabulary read the decoded text
        db.tables(conn).table("papers").rebuild_fts()
        refresh_vocab(conn)


# Version 8: the author list's people in list order (most papers first, then name),
# and a trigram index over their names for the list's filter (paperdesk/people_list.py
# reads them). Version 10: the list kept a few people at a time (paperdesk.people_order:
# sparse sortable ords, counts per bucket of ords for positions, an order index),
# instead of rewriting two million rows after every import and decision.
def refresh_people_list(conn: sqlite3.Connection, keys: Collection[str] | None = None) -> None:
    """The author list's people from `people`: only those of `keys` (the people an
    import, a decision or a correction touched), or, keys None, all of them (the build)."""
    if keys is None:
        people_order.rewrite(conn)
    else:
        people_order.refresh(conn, keys)


def _people_list_v8(conn: sqlite3.Connection) -> None:
    people_order.create(conn)  # filled by version 15's step, which follows


def _sparse_people_list_v10(conn: sqlite3.Connection) -> None:
    # sparse ords, buckets and the order index; filled by version 15's step (the list is
    # written once, by the last step that changes its order). Version 8's list (ord,
    # key, name, papers, profile) lacks the columns the order index needs: made again,
    # as version 13 makes it.
    _name_order_v13(conn)


# Version 9: a full-text index of the titles alone, for relevance's title tier ("every
# word in the title first"). The same words in papers_fts's title column are found with a
# column filter, but FTS5 then reads every match's positions in all four columns: at a
# million papers a phrase of common words took 1.2-1.6 s to find its few titles.
# Contentless (`content=''`): it stores only the index, and sqlite-utils, which looks for
# `content=[papers]`, still finds papers_fts as the papers' index. Rowids are papers.rid;
# the build fills it at its end (FILL_TITLES), an import adds and deletes titles with
# their papers (paperdesk.importer).
_TITLES_V9 = """CREATE VIRTUAL TABLE titles_fts USING fts5(
    title, content='', tokenize='unicode61 remove_diacritics 2'
)"""
# In rowid order, said: the planner would otherwise read (rid, title) off the smaller
# covering index papers_title, in title order, and FTS5 writes its pending terms out as
# a new segment whenever a rowid is lower than the one before: one segment per few
# papers, merged again and again (most of a million-paper build's end).
FILL_TITLES = "INSERT INTO titles_fts (rowid, title) SELECT rid, title FROM papers ORDER BY rid"


def _add_titles_v9(conn: sqlite3.Connection) -> None:
    conn.execute(_TITLES_V9)
    conn.execute(FILL_TITLES)


# Version 11: undated papers a build dated after this year take their page's year
# (paperdesk.redate; nothing to do in most stores).
def _redate_v11(conn: sqlite3.Connection) -> None:
    redate.redate_v11(conn)


# Version 12: prefix indexes (FTS5's `prefix` option) of 3 and 4 characters in both
# full-text indexes, for a phrase whose last word is being typed (`"graph con`): FTS5
# then reads one ready-made doclist for `con`, where without it the phrase was one pass
# per word `con` starts, each comparing positions in every paper holding both words
# (1.1 s at a million papers). The engine uses them where the store declares them
# (search.vocabulary.prefix_lengths). Only a store without papers is redeclared (a new
# one: every build writes a new file); an existing store keeps its indexes, answers as
# before, and gets the prefix indexes at its next build, not minutes of work on open.
FTS_PREFIX = "3 4"
_PAPERS_FTS_V12 = f"""CREATE VIRTUAL TABLE [papers_fts] USING FTS5 (
    [title], [authors], [affiliations], [abstract],
    tokenize='{FTS_TOKENIZE}', content=[papers], prefix='{FTS_PREFIX}'
)"""
_TITLES_FTS_V12 = f"""CREATE VIRTUAL TABLE titles_fts USING fts5(
    title, content='', tokenize='{FTS_TOKENIZE}', prefix='{FTS_PREFIX}'
)"""


def _prefix_indexes_v12(conn: sqlite3.Connection) -> None:
    if conn.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is not None:
        return
    for name, declaration in (("papers_fts", _PAPERS_FTS_V12), ("titles_fts", _TITLES_FTS_V12)):
        conn.execute(f"DROP TABLE {name}")
        conn.execute(declaration)


# Version 13: the author list sorted by names' letters with accents and case folded
# (people_list.sort, records.name_order), where SQLite's NOCASE folds A-Z alone and put
# Álvaro, Çetin, Øyvind after Zvonimir. The list is made again, in its new shape, and
# written by version 15's step, which sorts it by family names.
def _name_order_v13(conn: sqlite3.Connection) -> None:
    for table in ("people_list_trigram", "people_list", "people_list_buckets"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    people_order.create(conn)


# Version 14: the author list's `words` (records.name_words) and its trigram index over
# them, where the index was over the names as written: a filter finds where a name's
# words start, accents and case folded (paperdesk.people_list.people_matching).
def _name_words_v14(conn: sqlite3.Connection) -> None:
    # Made again with its new column (version 15's step writes it), unless this version's
    # step 13 (people_order's own CREATE) has just made it so.
    if "words" not in db.tables(conn).table("people_list").columns_dict:
        _name_order_v13(conn)


# Version 15: papers sort by their authors' family names (`author_sort`: records.author_sort
# of the first authors, `wang wei & lian jianxun`, indexed with the rowid), where they
# sorted by the first author's given name (`authors COLLATE NOCASE`); and the author
# list's names with the same rule (people_list.sort: records.name_sort), so the list is
# written again. Filled here from `authors` (names never hold the `, ` that joins them).
def _author_sort_v15(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE papers ADD COLUMN author_sort TEXT NOT NULL DEFAULT ''")
    conn.create_function("paperdesk_author_sort", 1,
                         lambda authors: author_sort(authors.split(", ")), deterministic=True)
    conn.execute("UPDATE papers SET author_sort = paperdesk_author_sort(authors)")
    conn.execute("DROP INDEX IF EXISTS papers_authors")
    if _built(conn):
        conn.execute(AUTHOR_SORT_INDEX)
    people_order.rewrite(conn)


# Version 16: the titles and abstracts decoded again, where the decoder now reads more
# (14: TeX's single quotes, a price's `$`; 16: scripts outside math, `G_k`, accents over
# a group and on no letter, `\hat{sl}`, `\c_L`): the store shows what a build of this
# version shows. (Version 14's step did this before; one decoding serves both.)
def _redecode_v16(conn: sqlite3.Connection) -> None:
    redecode(conn)


# Version 17: the index of the author list by person key held each person's `words`
# too, for `author:` tested on each paper (a name on too many papers to list,
# `author:li`), which looked each person up by key. Version 18 undoes it: that test
# reads the names as written (search.people.NAMING) and nothing reads the words off
# this index. So step 17 leaves a store of version 16's `(key)` as it is, and step 18
# makes the index as people_order declares it.
def _key_words_v17(conn: sqlite3.Connection) -> None:
    """Undone by version 18's step (_key_alone_v18): nothing to do."""


def _key_alone_v18(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS people_list_key")
    people_order.create(conn)


# Texts the decoder may read otherwise now: those it decoded before, and those with a
# mark it did not read then (a backtick; a `$` it had read as math already; a script's
# sign outside math).
_REDECODE = ("SELECT rid, title, authors, affiliations, abstract, title_tex, abstract_tex"
             " FROM papers WHERE title_tex IS NOT NULL OR abstract_tex IS NOT NULL"
             " OR instr(title, '`') OR instr(abstract, '`') OR instr(title, '_')"
             " OR instr(abstract, '_') OR instr(title, '^') OR instr(abstract, '^')")


def redecode(conn: sqlite3.Connection) -> int:
    """Decode every title and abstract again from the page's text (title_tex, else the
    text as stored) and put the papers whose text changed into the full-text indexes
    and the vocabulary again, those alone: how many changed."""
    from paperdesk.vocab_delta import VocabDelta
    from paperdesk.writer import reindex

    vocab, changes, rows = VocabDelta(conn), [], []
    for rid, title, authors, affiliations, abstract, title_tex, abstract_tex in \
            conn.execute(_REDECODE).fetchall():
        new_title, new_title_tex = stored(title_tex or title)
        new_abstract, new_abstract_tex = stored(abstract_tex or abstract)
        if (new_title, new_abstract) == (title, abstract):
            continue
        before, after = (title, authors, affiliations, abstract), \
            (new_title, authors, affiliations, new_abstract)
        changes += [(rid, False, before), (rid, True, after)]
        vocab.deleted(*before)
        vocab.added(*after)
        rows.append((new_title, new_title_tex, new_abstract, new_abstract_tex, rid))
    conn.executemany("UPDATE papers SET title = ?, title_tex = ?, abstract = ?,"
                     " abstract_tex = ? WHERE rid = ?", rows)
    reindex(conn, changes)
    vocab.apply()
    return len(rows)


Upgrade = Callable[[sqlite3.Connection], None]


def _create_v1(conn: sqlite3.Connection) -> None:
    # Not executescript: it commits first, which would split the step's transaction.
    for statement in _V1.split(";\n"):
        if statement.strip():
            conn.execute(statement)


# UPGRADES[n] takes a store at version n to version n + 1.
UPGRADES: dict[int, Upgrade] = {0: _create_v1, 1: _add_vocab_v2, 2: _cover_filters_v3,
                                3: _add_doubtful_v4, 4: _declare_fts_v5,
                                5: _add_name_blocks_v6, 6: _decode_latex_v7,
                                7: _people_list_v8, 8: _add_titles_v9,
                                9: _sparse_people_list_v10, 10: _redate_v11,
                                11: _prefix_indexes_v12, 12: _name_order_v13,
                                13: _name_words_v14, 14: _author_sort_v15,
                                15: _redecode_v16, 16: _key_words_v17, 17: _key_alone_v18}


class SchemaError(Exception):
    """The store's schema cannot be used by this version of PaperDesk."""


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def upgrade(conn: sqlite3.Connection, source: str, steps: dict[int, Upgrade] | None = None,
            target: int | None = None, what: str = "store schema") -> None:
    """Bring `conn` to `target`, one step at a time, each in its own transaction.

    `steps`/`target` default to the store's; paperdesk.userdata passes its own."""
    steps = UPGRADES if steps is None else steps
    target = SCHEMA_VERSION if target is None else target
    version = user_version(conn)
    if version > target:
        raise SchemaError(
            f"{source}: {what} version {version} is newer than this PaperDesk "
            f"understands ({target}); update PaperDesk"
        )
    while version < target:
        with db.transaction(conn):
            steps[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
