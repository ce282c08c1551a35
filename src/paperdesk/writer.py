"""The one writer of parsed pages into a store, in two modes.

* **bulk** (`Writer(conn, bulk=True)`, a build into a new file nobody reads yet):
  papers, authors and listings go in batches of `executemany`; a paper's rowid comes
  from `dated.DatedRids`; the papers wait in the stage (a file attached as `stage`)
  and go into `papers` in rowid order at the end; the secondary indexes, people, the
  name blocks and the author list are made set-based at the end (`finish_rows`),
  which is cheaper than keeping them row by row, while another process (a thread, for
  a small build) fills both full-text indexes and the vocabulary from the stage
  (paperdesk.fulltext_build), copied in by `finish_bulk`.
* **incremental** (`Writer(conn, bulk=False)`, an import into a built store, in the
  caller's transaction): a paper not yet stored gets the next rowid of its day
  (`dated.next_rid`) and its full-text entries at once; the vocabulary moves by the
  words added and deleted (`vocab_delta`); at the end only what the change touched
  is done again: papers no profile lists any more are deleted, the people named on
  the papers added or deleted (and the pages' owners) are recounted, their new names
  blocked, meta's counts moved.

A paper seen on two pages is stored once (the first page's text): by id, INSERT OR
IGNORE in bulk, a lookup of the id incrementally. The primitives below the class
(`reindex`, `set_authors`, `recount_people`, `people_changed`, `move_counts`)
are what paperdesk.corrections and paperdesk.identity.apply write with too.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from paperdesk import dated, fulltext_build, latex, schema
from paperdesk.identity import blocks
from paperdesk.page_year import YearOf
from paperdesk.records import Entry, Page, author_sort, paper_id, person_key
from paperdesk.vocab_delta import VocabDelta

_BATCH = 2000  # papers per executemany in bulk
_BATCH_WAITING = 100  # bulk: a batch this large is written while the build waits for pages
_KEYS_KEPT = 1 << 16  # bulk: person keys remembered by written name (~10 MB)

_PAPER_COLUMNS = ("rid, id, title, authors, et_al, affiliations, category, date, year,"
                  " year_inferred, has_code, score, abstract, doubtful, title_tex, abstract_tex,"
                  " author_sort")
# A paper already stored (listed by an earlier page) is kept as first seen.
INSERT_PAPER = (f"INSERT OR IGNORE INTO papers ({_PAPER_COLUMNS})"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
# Bulk: the papers wait in page order in the stage (a file of its own, attached as
# `stage`; appended: cheap), and go into `papers` in rowid order at the end. Put there
# as they come, in date-rowid order, which is no order at all, each row split a page
# somewhere in a table far larger than the cache: 4.8 s CPU for 100,000 papers, but
# 125 s for a million. The full-text indexes are filled from the stage too, by another
# process or thread (paperdesk.fulltext_build), while this one puts the papers in.
STAGE = "stage"
_STAGE = f"""CREATE TABLE {STAGE}.paper_rows AS SELECT {_PAPER_COLUMNS} FROM papers WHERE 0;
CREATE UNIQUE INDEX {STAGE}.paper_rows_id ON paper_rows(id)"""
_STAGE_PAPER = INSERT_PAPER.replace("INTO papers", f"INTO {STAGE}.paper_rows")

# What a page says of a paper, read back to tell whether a re-imported page changed it
# (Writer._reread): _READ_AT are the same columns in paper_row's row, the date aside.
_READING = "title, authors, et_al, affiliations, category, date, has_code, score, abstract"
_DATE_AT = 5
_READ_AT = (1, 2, 3, 4, 5, 9, 10, 11)

# The profile's columns a page sets (all but `source`, `id` and `entries`).
PROFILE_COLUMNS = ("path", "digest", "name", "name_inferred", "person", "field", "h_index",
                   "paper_count", "citations", "novelty", "ai_score", "listed")


def paper_row(entry: Entry, decoded: Mapping[str, str] | None = None,
              pid: str | None = None, *, complete: bool = False,
              sorts: Mapping[tuple[str, ...], str] | None = None) -> tuple[Any, ...]:
    """The row for INSERT_PAPER but its rowid (see paperdesk.dated); an undated paper
    under year 0 (the writer gives it its page's). `decoded`: its texts' LaTeX already
    decoded (page_pool.ParsedFile.decoded); `complete`: `decoded` holds every one of its
    texts that has LaTeX (the page as parsed, no correction applied), so a text it lacks
    is stored as it is, not looked at again; `pid`: its id, when known already; `sorts`:
    author lists' records.author_sort made already (page_pool.ParsedFile.sorts; a list
    it lacks, one the user corrected, is sorted here)."""
    # The page's title: decoding LaTeX never changes an id.
    pid = paper_id(entry.title) if pid is None else pid
    year = entry.year or 0
    title, title_tex = latex.stored(entry.title, decoded, complete)
    abstract, abstract_tex = latex.stored(entry.abstract, decoded, complete)
    order = sorts.get(entry.authors) if sorts else None
    return (pid, title, ", ".join(entry.authors), int(entry.et_al),
            ", ".join(entry.affiliations), entry.category, entry.iso_date(year), year,
            int(entry.year_inferred), int(entry.has_code), entry.score, abstract,
            int(entry.doubtful), title_tex, abstract_tex,
            author_sort(entry.authors) if order is None else order)


def profile_values(page: Page, path: Path, digest: str) -> tuple[object, ...]:
    """A page's values of PROFILE_COLUMNS."""
    header = page.header
    return (str(path), digest, page.name, int(page.name_inferred),
            person_key(page.name) if page.name else None, header.field, header.h_index,
            header.paper_count, header.citations, header.novelty, header.ai_score,
            header.listed)


@dataclass
class Listed:
    """What `Writer.list_entries` did with a page's entries."""

    ids: list[str] = field(default_factory=list)  # the papers listed, page order
    rids_by_id: dict[str, int] = field(default_factory=dict)  # incremental: their rowids
    reread: list[str] = field(default_factory=list)  # incremental: stored anew (`_reread`)
    stored: list[str] = field(default_factory=list)  # incremental: in the store before

    def add(self, pid: str, rid: int) -> None:
        self.ids.append(pid)
        self.rids_by_id[pid] = rid


class Writer:
    """Writes pages into the store on `conn` (see the module doc for the two modes).

    `year_of`: the year of a page's undated papers, from its entries (paperdesk.page_year),
    known as the page is written: every rowid is final when given."""

    def __init__(self, conn: sqlite3.Connection, *, bulk: bool, year_of: YearOf) -> None:
        self.conn = conn
        self.bulk = bulk
        self.year_of = year_of
        self.papers_added = 0  # incremental: papers new to the store
        self.staged = 0  # bulk: papers in the stage
        self.affected: set[str] = set()   # person keys to recount
        self.names: dict[str, str] = {}   # keys of names added: a written form
        self.maybe_orphans: set[int] = set()  # rowids dropped from a listing
        self._rids = dated.DatedRids()
        self._papers: list[tuple[Any, ...]] = []
        self._authors: list[tuple[str, Sequence[str]]] = []  # (paper id, its authors)
        # bulk: person keys of the names written lately (bounded: LRU)
        self._person_key = functools.lru_cache(maxsize=_KEYS_KEPT)(person_key)
        self._listing: list[tuple[int, int, str]] = []
        self.vocab = None if bulk else VocabDelta(conn)
        if bulk:
            for statement in _statements(_STAGE):
                conn.execute(statement)
        # incremental: full-text entries to add (True) or delete, written at the end
        self._index: list[tuple[int, bool, Sequence[str]]] = []

    # ------------------------------------------------------------ profiles

    def add_profile(self, page: Page, source: str, path: Path, digest: str) -> int:
        """Insert the page's profile; its id."""
        values = profile_values(page, path, digest)
        if values[4]:
            self.affected.add(str(values[4]))
        marks = ",".join("?" * (len(PROFILE_COLUMNS) + 1))
        profile = self.conn.execute(
            f"INSERT INTO profiles (source, {', '.join(PROFILE_COLUMNS)}) VALUES ({marks})",
            (source, *values)).lastrowid
        assert profile is not None
        return profile

    def update_profile(self, profile: int, page: Page, path: Path,
                       digest: str) -> list[tuple[int, str]]:
        """Rewrite a stored profile from its page and unlist its papers; returns what it
        listed before: (rid, id) in page order."""
        listing = self.conn.execute(
            "SELECT pp.paper, p.id FROM profile_papers pp JOIN papers p ON p.rid = pp.paper"
            " WHERE pp.profile = ? ORDER BY pp.position", (profile,)).fetchall()
        owner_before = self.conn.execute("SELECT person FROM profiles WHERE id = ?",
                                         (profile,)).fetchone()[0]
        values = profile_values(page, path, digest)
        self.affected.update(str(k) for k in (owner_before, values[4]) if k)
        assignments = ", ".join(f"{c} = ?" for c in PROFILE_COLUMNS)
        self.conn.execute(f"UPDATE profiles SET {assignments} WHERE id = ?", (*values, profile))
        self.conn.execute("DELETE FROM profile_papers WHERE profile = ?", (profile,))
        self.maybe_orphans.update(rid for rid, _ in listing)
        return [(int(rid), str(pid)) for rid, pid in listing]

    # ------------------------------------------------------------ papers

    def list_entries(self, profile: int, page: Page, decoded: Mapping[str, str] | None = None,
                     *, complete: bool = False,
                     sorts: Mapping[tuple[str, ...], str] | None = None) -> Listed:
        """Store the page's papers not stored yet and list them all under `profile`, in
        page order (the same paper twice on one page is listed once). `decoded`,
        `complete`, `sorts`: see `paper_row`."""
        ids = [paper_id(entry.title) for entry in page.entries]  # the page's titles
        year = self.year_of(page.entries)
        if self.bulk:
            return self._batch(profile, page, ids, decoded, year, complete, sorts)
        listed = Listed()
        stored = {row[0]: row[1:] for row in self.conn.execute(  # one look-up for the page
            f"SELECT id, rid, {_READING} FROM papers"
            " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
        rows: list[tuple[int, int, int]] = []
        for position, (entry, pid) in enumerate(zip(page.entries, ids, strict=True)):
            if pid in listed.rids_by_id:
                continue
            row = _row(entry, pid, decoded, year, sorts=sorts)
            known = stored.get(pid)
            if known is not None and self._reread(known, row, bool(entry.year), profile):
                listed.reread.append(pid)
                rid = self._insert_paper(row, entry.authors)
                self.conn.execute("UPDATE profile_papers SET paper = ? WHERE paper = ?",
                                  (rid, int(known[0])))  # the other pages listing it
            elif known is None:
                rid = self._insert_paper(row, entry.authors)
            else:
                rid = int(known[0])
            if pid in stored:
                listed.stored.append(pid)
            listed.add(pid, rid)
            rows.append((profile, position, rid))
        self.conn.executemany("INSERT INTO profile_papers VALUES (?,?,?)", rows)
        self.conn.execute("UPDATE profiles SET entries = ? WHERE id = ?",
                          (len(listed.ids), profile))
        self.maybe_orphans.difference_update(listed.rids_by_id.values())
        return listed

    def _batch(self, profile: int, page: Page, ids: list[str],
               decoded: Mapping[str, str] | None, year: int, complete: bool,
               sorts: Mapping[tuple[str, ...], str] | None) -> Listed:
        """Bulk: the page's papers into the batch, written every _BATCH papers."""
        listed = Listed()
        for position, (entry, pid) in enumerate(zip(page.entries, ids, strict=True)):
            if pid in listed.rids_by_id:
                continue
            listed.add(pid, 0)
            row = _row(entry, pid, decoded, year, complete, sorts)
            self._papers.append((self._rids.rid(str(row[6])), *row))
            self._authors.append((pid, entry.authors))
            self._listing.append((profile, position, pid))
        if len(self._papers) >= _BATCH:
            self.flush()
        return listed

    def write_while_waiting(self) -> None:
        """Bulk: the batch written now, while the build waits for pages to be parsed
        (paperdesk.page_pool.WhileWaiting), so that little is left to write after the
        last page: 1,736 of the real sample's 7,762 papers were, 0.35 s with the
        workers done and one core idle."""
        if len(self._papers) >= _BATCH_WAITING:
            self.flush()

    def flush(self) -> None:
        """Bulk: write the papers batched so far. One look-up of the batch's ids finds
        the papers stored by an earlier batch; the first of an id wins, as INSERT OR
        IGNORE would have it. Papers and authors go in in rowid order (a sorted batch
        walks each B-tree forward, instead of one descent per row from anywhere). A
        person's key is computed once per written name (names recur: 5 times each in
        the generated corpus), not once per paper naming them."""
        stored: dict[str, int] = dict(self.conn.execute(
            f"SELECT id, rid FROM {STAGE}.paper_rows"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([row[1] for row in self._papers]),)))
        new = []
        for row in self._papers:
            if row[1] not in stored:
                stored[row[1]] = row[0]
                new.append(row)
        self.conn.executemany(_STAGE_PAPER, new)
        self.staged += len(new)
        # the first list of authors of a paper, whole: a second page's longer list had
        # added its names past the first's end (`Eve Green` on a paper of two authors)
        first: dict[str, Sequence[str]] = {}
        for pid, names in self._authors:
            first.setdefault(pid, names)
        papers = sorted([(stored[row[1]], first[row[1]]) for row in new], key=itemgetter(0))
        key = self._person_key
        self.conn.executemany("INSERT OR IGNORE INTO paper_authors VALUES (?,?,?,?)",
                              [(rid, i, name, key(name))
                               for rid, names in papers for i, name in enumerate(names)])
        self.conn.executemany("INSERT OR IGNORE INTO profile_papers VALUES (?,?,?)",
                              [(profile, position, stored[pid])
                               for profile, position, pid in self._listing])
        self._papers.clear()
        self._authors.clear()
        self._listing.clear()

    def _insert_paper(self, row: tuple[object, ...], authors: Sequence[str]) -> int:
        """Incremental: insert a paper new to the store with its authors; its rowid, the
        next of its date. Its full-text entries wait for `finish_incremental`."""
        rid = dated.next_rid(self.conn, str(row[6]))
        self.conn.execute(INSERT_PAPER, (rid, *row))
        text = (str(row[1]), str(row[2]), str(row[4]), str(row[11]))
        self._index.append((rid, True, text))
        assert self.vocab is not None
        self.vocab.added(*text)
        set_authors(self.conn, rid, authors)
        self.affected.update(person_key(name) for name in authors)
        self.names.update((person_key(name), name) for name in authors)
        self.papers_added += 1
        return rid

    def _reread(self, known: Sequence[Any], row: Sequence[Any], dated: bool,
                profile: int) -> bool:
        """Incremental: whether the stored paper (`known`: rid, then _READING) gives way
        to this page's reading of it (`row`: _row's; `dated`: the page shows its year),
        deleted here (the caller inserts `row` and points the other listings at it): its
        text on the page changed (an author list the site mended, on every co-author's
        page) and no page before this one (`profile`, the pages in the order the store
        took them) lists it, so that the store holds what a build of the same pages
        would: the first page's reading. An undated paper keeps its year."""
        rid, *reading = known
        then, now = str(reading.pop(_DATE_AT)), str(row[6])
        if now[4:] == then[4:] and (not dated or now == then) and \
                reading == [row[i] for i in _READ_AT]:
            return False
        first = self.conn.execute("SELECT min(profile) FROM profile_papers WHERE paper = ?",
                                  (rid,)).fetchone()[0]
        if first is not None and first < profile:
            return False
        self._drop(int(rid))
        self.papers_added -= 1  # it comes back in the caller's insert: no paper added
        return True

    def drop_orphans(self) -> int:
        """Incremental: delete the papers no profile lists any more; returns how many."""
        removed = 0
        for rid in sorted(self.maybe_orphans):
            if not self.conn.execute("SELECT 1 FROM profile_papers WHERE paper = ? LIMIT 1",
                                     (rid,)).fetchone():
                removed += self._drop(rid)
        self.maybe_orphans.clear()
        return removed

    def _drop(self, rid: int) -> int:
        """Incremental: delete paper `rid`, its authors and (at the end) its full-text
        entries; 1, or 0 when it is gone already."""
        assert self.vocab is not None
        row = self.conn.execute("SELECT title, authors, affiliations, abstract"
                                " FROM papers WHERE rid = ?", (rid,)).fetchone()
        if row is None:
            return 0
        self._index.append((rid, False, tuple(row)))
        self.vocab.deleted(*row)
        self.affected.update(set_authors(self.conn, rid, ()))
        self.conn.execute("DELETE FROM papers WHERE rid = ?", (rid,))
        self.maybe_orphans.discard(rid)
        return 1

    # ------------------------------------------------------------ the end

    def finish_incremental(self, profiles_added: int = 0) -> int:
        """Incremental: orphans deleted, people recounted, new names blocked, meta's counts
        moved, the author list and the vocabulary brought up to date; papers removed."""
        assert self.vocab is not None
        removed = self.drop_orphans()
        reindex(self.conn, self._index)
        self._index.clear()
        people = people_changed(self.conn, self.affected, self.names.values())
        move_counts(self.conn, {"papers": self.papers_added - removed, "people": people,
                                "profiles": profiles_added})
        self.vocab.apply()
        return removed

    def finish_rows(self) -> None:
        """Bulk, the end's first half: the staged papers into `papers` in rowid order,
        the secondary indexes, people, name blocks, the author list. Everything
        but the full-text indexes and the vocabulary (`finish_bulk`), which another
        process or thread fills from the stage meanwhile (paperdesk.fulltext_build).

        Statistics: a large store's come from a sample of each index's pages
        (`analysis_limit`), so they depend a little on where the batches put the rows,
        which the writer also writes while it waits for pages, sooner or later as the
        workers go; a small one is analysed whole, its statistics the same every time."""
        conn = self.conn
        conn.execute(f"INSERT INTO papers ({_PAPER_COLUMNS})"
                     f" SELECT {_PAPER_COLUMNS} FROM {STAGE}.paper_rows ORDER BY rid")
        for statement in [*_statements(schema.INDEXES), *_statements(_DERIVED)]:
            conn.execute(statement)
        whole = self.staged < fulltext_build.SIDE_FROM
        conn.execute(f"PRAGMA analysis_limit = {0 if whole else 1000}")
        # the store alone: a bare ANALYZE writes statistics into the attached stage
        # too, whose write lock then waits for the full-text process reading it
        conn.execute("ANALYZE main")  # before the name blocks and the author list
        blocks.fill(conn)
        schema.refresh_people_list(conn)

    def finish_bulk(self, capture_year: int, side: str) -> dict[str, int]:
        """Bulk, the end's second half: the full-text indexes and the vocabulary copied
        from the attached database `side` (paperdesk.fulltext_build), statistics, meta;
        returns meta's counts."""
        conn = self.conn
        for table in fulltext_build.copy_into(conn, side):
            if table.startswith("papers_fts"):  # analysed full, as ever
                conn.execute(f"ANALYZE main.{table}")
        counts = {table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                  for table in ("papers", "people", "profiles")}
        meta = {**counts, "capture_year": capture_year, dated.META_KEY: dated.META_VALUE}
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                         [(k, str(v)) for k, v in meta.items()])
        return counts


def _row(entry: Entry, pid: str, decoded: Mapping[str, str] | None, year: int,
         complete: bool = False,
         sorts: Mapping[tuple[str, ...], str] | None = None) -> tuple[object, ...]:
    """INSERT_PAPER's row but the rowid; an undated paper under `year`, its page's."""
    row = paper_row(entry, decoded, pid, complete=complete, sorts=sorts)
    if entry.year:
        return row
    return (*row[:6], entry.iso_date(year), year, *row[8:])


# Run after schema.INDEXES: every statement here walks an index, never a join of scans.
_DERIVED = """
INSERT INTO people (key, name, papers)
  SELECT person,
         (SELECT name FROM paper_authors s WHERE s.person = g.person
           GROUP BY name ORDER BY count(*) DESC, name LIMIT 1),
         count(DISTINCT paper)
    FROM paper_authors g GROUP BY person;
UPDATE people SET profile = owner.id
  FROM (SELECT person, min(id) AS id FROM profiles WHERE person IS NOT NULL
         GROUP BY person) AS owner
 WHERE owner.person = people.key;
UPDATE profiles SET entries = (SELECT count(*) FROM profile_papers WHERE profile = profiles.id)
"""

def _statements(script: str) -> list[str]:
    return [s for s in script.split(";\n") if s.strip()]


# ---------------------------------------------------------------- primitives


def reindex(conn: sqlite3.Connection,
            changes: Iterable[tuple[int, bool, Sequence[str]]]) -> None:
    """Papers into (True) or out of (False) both full-text indexes (papers_fts and the
    titles' own, titles_fts): (rowid, added?, (title, authors, affiliations, abstract)
    as stored). In rowid order, a paper's delete before its insert: FTS5 writes its
    pending terms out as a new segment whenever a rowid is lower than the one before,
    so an import's papers in date-rowid order cost a tenth of the same in page order
    (and no pile of one-paper segments to merge)."""
    for rid, added, text in sorted(changes, key=lambda c: (c[0], c[1])):
        if added:
            conn.execute("INSERT INTO papers_fts (rowid, title, authors, affiliations,"
                         " abstract) VALUES (?,?,?,?,?)", (rid, *text))
            conn.execute("INSERT INTO titles_fts (rowid, title) VALUES (?, ?)", (rid, text[0]))
        else:
            conn.execute("INSERT INTO papers_fts (papers_fts, rowid, title, authors,"
                         " affiliations, abstract) VALUES ('delete', ?, ?, ?, ?, ?)",
                         (rid, *text))
            conn.execute("INSERT INTO titles_fts (titles_fts, rowid, title)"
                         " VALUES ('delete', ?, ?)", (rid, text[0]))


def set_authors(conn: sqlite3.Connection, rid: int, names: Sequence[str]) -> set[str]:
    """Paper `rid`'s authors become `names` (page order); returns the person keys it
    named before."""
    before = {r[0] for r in conn.execute("SELECT person FROM paper_authors WHERE paper = ?",
                                         (rid,))}
    if before:
        conn.execute("DELETE FROM paper_authors WHERE paper = ?", (rid,))
    conn.executemany("INSERT OR IGNORE INTO paper_authors VALUES (?,?,?,?)",
                     [(rid, i, name, person_key(name)) for i, name in enumerate(names)])
    return before


_RECOUNT = """
DELETE FROM people WHERE key IN (SELECT value FROM json_each(:keys))
   AND NOT EXISTS (SELECT 1 FROM paper_authors WHERE person = people.key);
INSERT INTO people (key, name, papers)
  WITH keys AS (SELECT value AS person FROM json_each(:keys)),
       forms AS (SELECT person, name, count(*) AS n FROM paper_authors
                  WHERE person IN keys GROUP BY person, name),
       ranked AS (SELECT person, name,
                         row_number() OVER (PARTITION BY person ORDER BY n DESC, name) AS r
                    FROM forms),
       counts AS (SELECT person, count(DISTINCT paper) AS papers
                    FROM paper_authors WHERE person IN keys GROUP BY person)
  SELECT ranked.person, ranked.name, counts.papers
    FROM ranked JOIN counts USING (person) WHERE r = 1
  ON CONFLICT (key) DO UPDATE SET name = excluded.name, papers = excluded.papers;
UPDATE people SET profile = NULL
 WHERE key IN (SELECT value FROM json_each(:keys)) AND profile IS NOT NULL;
UPDATE people SET profile = owner.id
  FROM (SELECT person, min(id) AS id FROM profiles
         WHERE person IN (SELECT value FROM json_each(:keys)) GROUP BY person) AS owner
 WHERE people.key = owner.person
"""


def recount_people(conn: sqlite3.Connection, keys: set[str]) -> int:
    """Names, paper counts and profile links of `keys`, as the build computes them;
    returns how many people there are more (or fewer) than before. The profile links
    are found in one pass over the profiles (no index on their owner: a lookup per key
    was a scan of 30,000 profiles each at a million papers)."""
    if not keys:
        return 0
    params = {"keys": json.dumps(sorted(keys))}
    count = "SELECT count(*) FROM people WHERE key IN (SELECT value FROM json_each(:keys))"
    before = conn.execute(count, params).fetchone()[0]
    for statement in _statements(_RECOUNT):
        conn.execute(statement, params)
    return int(conn.execute(count, params).fetchone()[0] - before)


def people_changed(conn: sqlite3.Connection, keys: set[str], names: Iterable[str] = (),
                   shown: Mapping[str, str] | None = None) -> int:
    """What follows a change of who is on a paper or owns a page: the people `keys`
    recounted, the written `names` blocked, the names the user's decisions give (`shown`,
    key: name; paperdesk.identity.apply) put over the counted ones, the author list's
    order (as the build makes it); returns how many people there are more (or fewer)."""
    moved = recount_people(conn, keys)
    blocks.add(conn, ((person_key(name), name) for name in names))
    conn.executemany("UPDATE people SET name = ? WHERE key = ?",
                     [(name, key) for key, name in (shown or {}).items()])
    touched = keys | set(shown or {})
    if touched:  # only these people move in the author list (paperdesk.people_order)
        schema.refresh_people_list(conn, touched)
    return moved


def move_counts(conn: sqlite3.Connection, moved: Mapping[str, int]) -> None:
    """Meta's counts moved by what a change did: no count(*) over a million papers and
    two million people."""
    conn.executemany("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?",
                     [(n, key) for key, n in moved.items() if n])
