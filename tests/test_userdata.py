"""The user's own data (paperdesk.userdata): kept apart from the store, keyed by stable ids."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from paperdesk import paper_edits, paths
from paperdesk.importer import import_pages
from paperdesk.records import paper_id
from paperdesk.store import Store, build_store
from paperdesk.userdata import (
    PaperNotes,
    PersonNotes,
    UserData,
    UserDataError,
    attach,
    read_backup,
)

MTL = paper_id("Multi-Task Recommendations with Reinforcement Learning")  # 000
REASONING = paper_id("Efficient Reasoning via Reward Model")  # 000
RECEXPLAINER = paper_id("RecExplainer: Aligning Large Language Models for Explaining "
                        "Recommendation Models")  # 001, run-together
OTHER = "0123456789abcdef"


@pytest.fixture
def ud(tmp_path: Path) -> Iterator[UserData]:
    data = UserData(tmp_path / "userdata.db", timeout=0.05)
    yield data
    data.close()


def test_default_path_is_in_the_data_folder() -> None:
    with UserData() as data:
        assert data.path == paths.data_dir() / "userdata.db"
        assert data.path.exists()


def test_paper_annotations(ud: UserData) -> None:
    assert ud.paper(MTL) == PaperNotes(MTL)
    assert ud.paper(MTL).empty

    paper_edits.star(ud, [MTL])
    assert ud.starred(MTL) is True
    states = []
    for _ in range(4):
        paper_edits.cycle_read(ud, [MTL], MTL)
        states.append(ud.read_state(MTL))
    assert states == ["reading", "read", "unread", "reading"]
    ud.set_rating(MTL, 4)
    ud.set_tags(MTL, ["to cite", "  RL  ", "rl"])  # case and spacing do not make a new tag
    ud.set_note(MTL, "Compare with the AutoAssign+ results.")

    assert ud.paper(MTL) == PaperNotes(MTL, True, "reading", 4, ("RL", "to cite"),
                                       "Compare with the AutoAssign+ results.")
    ud.set_tags(MTL, ["to cite"])
    ud.set_rating(MTL, None)
    assert ud.tags(MTL) == ("to cite",)
    assert ud.rating(MTL) is None

    for bad in (0, 6, 2.5, True):
        with pytest.raises(ValueError, match="rating is 1 to 5"):
            ud.set_rating(MTL, bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="read state"):
        ud.set_read_state(MTL, "skimmed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tag cannot be empty"):
        ud.set_tags(MTL, ["  "])
    with pytest.raises(ValueError, match="not a paper id"):
        ud.set_starred("12345", True)


def test_a_paper_back_to_defaults_leaves_no_row(ud: UserData) -> None:
    ud.set_starred(MTL)
    ud.set_tags(MTL, ["x"])
    ud.set_starred(MTL, False)
    assert [p.id for p in ud.annotated_papers()] == [MTL]  # the tag keeps it
    ud.set_tags(MTL, [])
    assert ud.annotated_papers() == []
    assert ud.conn.execute("SELECT count(*) FROM paper_notes").fetchone()[0] == 0


def test_people_annotations(ud: UserData) -> None:
    ud.set_person_note("ziru liu", "Met at RecSys.")
    ud.set_person_tags("ziru liu", ["collaborator", "RecSys", "recsys"])
    ud.set_person_tags("luo ji", ["recsys"])
    assert ud.person("ziru liu").tags == ("collaborator", "RecSys")  # case makes no new tag
    ud.set_person_tags("ziru liu", ["collaborator"])
    assert ud.person("ziru liu") == PersonNotes("ziru liu", "Met at RecSys.", ("collaborator",))
    assert ud.person("luo ji").tags == ("recsys",)
    ud.set_person_note("ziru liu", "")
    assert ud.person("ziru liu").note == ""
    assert [p.key for p in ud.annotated_people()] == ["luo ji", "ziru liu"]


def test_papers_matching(ud: UserData) -> None:
    ud.set_starred(MTL)
    ud.set_rating(MTL, 5)
    ud.set_read_state(MTL, "read")
    ud.set_note(MTL, "Strong baseline; check the RMTL critic.")
    ud.set_rating(REASONING, 3)
    ud.set_read_state(REASONING, "reading")
    ud.set_tags(REASONING, ["llm"])
    ud.set_tags(RECEXPLAINER, ["LLM"])
    ud.set_note(RECEXPLAINER, "critic? no: explainer")
    everything = {MTL, REASONING, RECEXPLAINER, OTHER}

    assert ud.papers_matching(starred=True) == {MTL}
    assert ud.papers_matching(starred=False) == {REASONING, RECEXPLAINER}
    assert ud.papers_matching(min_rating=3) == {MTL, REASONING}
    assert ud.papers_matching(min_rating=4) == {MTL}
    assert ud.papers_matching(read_state="reading") == {REASONING}
    assert ud.papers_matching(read_state="unread", among=everything) == {RECEXPLAINER, OTHER}
    assert ud.papers_matching(read_state="unread", tag="llm", among=everything) == {
        RECEXPLAINER}
    assert ud.papers_matching(tag="Llm") == {REASONING, RECEXPLAINER}
    assert ud.papers_matching(note_words="CRITIC") == {MTL, RECEXPLAINER}
    assert ud.papers_matching(note_words="critic rmtl") == {MTL}
    assert ud.papers_matching(note_words=["critic", "explainer"]) == {RECEXPLAINER}
    assert ud.papers_matching(tag="llm", min_rating=1) == {REASONING}
    assert ud.papers_matching(starred=True, among={REASONING}) == set()
    with pytest.raises(ValueError, match="needs `among`"):
        ud.papers_matching(read_state="unread")


def test_annotations_survive_rebuild_and_reimport(seed_db: Path, seeds: Path,
                                                  tmp_path: Path) -> None:
    with Store(seed_db) as store:
        titles = {p.id: p.title for p in store.iter_papers()}
        people = {str(p["key"]) for p in sqlite_utils.Database(store.conn)["people"].rows}
    annotated = [MTL, REASONING, RECEXPLAINER]
    assert all(pid in titles for pid in annotated)
    assert {"ziru liu", "jianxun lian"} <= people

    user_path = tmp_path / "userdata.db"
    with UserData(user_path) as data:
        data.set_starred(MTL)
        data.set_rating(MTL, 5)
        data.set_tags(MTL, ["rl"])
        data.set_read_state(RECEXPLAINER, "read")
        data.set_note(RECEXPLAINER, "Run-together entry in 001.")
        data.set_note(REASONING, "Dropped from 000 below.")
        data.set_person_note("ziru liu", "Owner of 000.")
        data.set_person_tags("jianxun lian", ["001"])
        saved = data.export_json()
    user_bytes = hashlib.sha1(user_path.read_bytes()).hexdigest()

    # Rebuild from scratch, then re-import an edited 000 that drops REASONING.
    report = build_store([seeds], seed_db)
    assert report.complete
    edited = tmp_path / "pages"
    edited.mkdir()
    page = (seeds / "000_77b9e73dc2a3999b.txt").read_text(encoding="utf-8")
    start = page.index("AINov 12, 2025\nEfficient Reasoning")
    end = page.index("AIAug 29, 2025Code")
    page = page[:start] + page[end:]
    page = page.replace("h-index18", "h-index19").replace("14papers", "13papers")
    page = page.replace("14 Papers", "13 Papers")
    (edited / "000_77b9e73dc2a3999b.txt").write_text(page, encoding="utf-8")
    imported = import_pages(seed_db, [edited])
    assert [c.status for c in imported.pages] == ["changed"]

    assert hashlib.sha1(user_path.read_bytes()).hexdigest() == user_bytes  # never touched
    with UserData(user_path) as data, Store(seed_db) as store:
        assert data.export_json() == saved
        assert data.paper(MTL) == PaperNotes(MTL, True, "unread", 5, ("rl",), "")
        assert data.paper(RECEXPLAINER).note == "Run-together entry in 001."
        assert data.person("ziru liu").note == "Owner of 000."
        assert data.person("jianxun lian").tags == ("001",)
        # the same ids still name the same papers in the rebuilt store
        for pid in (MTL, RECEXPLAINER):
            paper = store.paper_by_id(pid)
            assert paper is not None and paper.title == titles[pid]
        assert store.person("ziru liu") is not None
        # a paper gone from the store keeps its note, for when it comes back
        assert store.paper_by_id(REASONING) is None
        assert data.note(REASONING) == "Dropped from 000 below."


def test_backup_round_trip(ud: UserData, tmp_path: Path) -> None:
    ud.set_starred(MTL)
    ud.set_rating(MTL, 2)
    ud.set_tags(MTL, ["b", "a"])
    ud.set_note(REASONING, "ünïcode & <b>not markup</b>")
    ud.set_person_note("ziru liu", "note")
    ud.set_person_tags("luo ji", ["x"])
    data = ud.export_json()
    assert data == {
        "format": "paperdesk-userdata", "version": 5,
        "papers": [
            {"id": MTL, "starred": True, "read_state": "unread", "rating": 2,
             "tags": ["a", "b"], "note": "", "category": None},
            {"id": REASONING, "starred": False, "read_state": "unread", "rating": None,
             "tags": [], "note": "ünïcode & <b>not markup</b>", "category": None},
        ] if MTL < REASONING else [
            {"id": REASONING, "starred": False, "read_state": "unread", "rating": None,
             "tags": [], "note": "ünïcode & <b>not markup</b>", "category": None},
            {"id": MTL, "starred": True, "read_state": "unread", "rating": 2,
             "tags": ["a", "b"], "note": "", "category": None},
        ],
        "people": [{"key": "luo ji", "note": "", "tags": ["x"]},
                   {"key": "ziru liu", "note": "note", "tags": []}],
        "corrections": [], "page_owners": [], "category_choices": [],
        "decisions": [], "identifiers": [],
    }
    backup = tmp_path / "notes.json"
    ud.export_file(backup)
    with UserData(tmp_path / "other.db") as other:
        other.set_note(RECEXPLAINER, "will be replaced")
        assert other.import_json(read_backup(backup), False, source=str(backup)) == (2, 2)
        assert other.export_json() == data


def test_a_backup_larger_than_a_page_may_be_is_restored(ud: UserData, tmp_path: Path) -> None:
    """A review: backups were read with the page files' 64 MiB limit, and about 170 bytes
    an annotated paper reach it at some 400,000 papers: the user's only copy of their
    notes could not be read back. A backup is read up to MAX_BACKUP_BYTES (512 MiB)."""
    long_note = "n" * (65 * 2**20)  # 65 MiB: one note is enough to pass the limit
    ud.set_note(MTL, long_note)
    backup = tmp_path / "big.json"
    ud.export_file(backup)
    assert backup.stat().st_size > 64 * 2**20
    with UserData(tmp_path / "other.db") as other:
        other.import_json(read_backup(backup), False, source=str(backup))
        assert other.paper(MTL).note == long_note


def test_merge_keeps_both_sides(ud: UserData) -> None:
    ud.set_read_state(MTL, "read")
    ud.set_rating(MTL, 3)
    ud.set_tags(MTL, ["mine"])
    ud.set_note(MTL, "my note")
    ud.set_note(RECEXPLAINER, "kept")
    ud.set_person_note("luo ji", "mine")
    backup = {"format": "paperdesk-userdata", "version": 1,
              "papers": [{"id": MTL, "starred": True, "read_state": "reading", "rating": 5,
                          "tags": ["theirs"], "note": "their note"},
                         {"id": REASONING, "note": "new"}],
              "people": [{"key": "luo ji", "note": "theirs", "tags": ["t"]}]}
    assert ud.import_json(backup, merge=True) == (2, 1)
    assert ud.paper(MTL) == PaperNotes(MTL, True, "read", 5, ("mine", "theirs"),
                                       "my note\n\ntheir note")
    assert ud.note(RECEXPLAINER) == "kept"
    assert ud.note(REASONING) == "new"
    assert ud.person("luo ji") == PersonNotes("luo ji", "mine\n\ntheirs", ("t",))
    ud.import_json(backup, merge=True)  # merging twice changes nothing more
    assert ud.note(MTL) == "my note\n\ntheir note"


@pytest.mark.parametrize(("content", "message"), [
    ('{"format": "paperdesk-userdata", "version": 1,\n "papers": [}',
     r"notes\.json: not a PaperDesk notes backup: invalid JSON at line 2, column 13"),
    ('[1, 2]', r"notes\.json: .*expected a JSON object at the top, found list"),
    ('{"format": "zotero"}', r"notes\.json: .*'format' should be 'paperdesk-userdata'"),
    ('{"format": "paperdesk-userdata", "version": 7}', r"notes\.json: .*made by a newer"),
    (json.dumps({"format": "paperdesk-userdata", "version": 1,
                 "papers": [{"id": MTL}, {"id": REASONING, "rating": 9}]}),
     r"notes\.json: .*papers\[1\]: a rating is 1 to 5 or none, not 9"),
    ('{"format": "paperdesk-userdata", "version": 1, "papers": [{"id": 12}]}',
     r"notes\.json: .*papers\[0\]: not a paper id"),
    ('{"format": "paperdesk-userdata", "version": 1, "people": [{"key": "x", "tags": "a"}]}',
     r"notes\.json: .*people\[0\]: 'tags' should be a list"),
])
def test_bad_backup_is_refused_and_changes_nothing(ud: UserData, tmp_path: Path,
                                                   content: str, message: str) -> None:
    ud.set_note(MTL, "precious")
    before = ud.export_json()
    bad = tmp_path / "notes.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(UserDataError, match=message):
        ud.import_json(read_backup(bad), False, source=str(bad))
    assert ud.export_json() == before


def test_write_to_a_locked_file_fails_cleanly(ud: UserData) -> None:
    ud.set_note(MTL, "before")
    holder = sqlite3.connect(ud.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another window is writing
    try:
        with pytest.raises(UserDataError, match=r"userdata\.db: could not save \(note\): the "
                                                r"file is in use.*previous notes are unchanged"):
            ud.set_note(MTL, "after")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ud.note(MTL) == "before"


def test_disk_full_midway_through_a_restore_keeps_the_old_data(ud: UserData) -> None:
    ud.set_starred(MTL)
    ud.set_note(MTL, "before")
    before = ud.export_json()
    pages = ud.conn.execute("PRAGMA page_count").fetchone()[0]
    ud.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    big = {"format": "paperdesk-userdata", "version": 1,
           "papers": [{"id": f"{i:016x}", "note": "x" * 2000} for i in range(50)]}
    with pytest.raises(UserDataError, match=r"could not save \(restore from big\.json\): "
                                            r"the disk is full"):
        ud.import_json(big, merge=False, source="big.json")  # deletes everything first
    with pytest.raises(UserDataError, match="disk is full"):
        ud.set_note(MTL, "y" * 100_000)
    assert ud.export_json() == before
    assert ud.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_files_that_are_not_user_data_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UserDataError, match=r"newer\.db: user data version 99 is newer"):
        UserData(newer)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(UserDataError, match=r"other\.db: an SQLite file, but not PaperDesk"):
        UserData(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(UserDataError, match=r"junk\.db: not a PaperDesk user-data file"):
        UserData(junk)


def test_attach_for_search(seed_db: Path, tmp_path: Path) -> None:
    user_path = tmp_path / "sub" / "userdata.db"
    with Store(seed_db) as store:
        attach(store.conn, user_path)  # created on demand
        assert store.conn.execute("SELECT count(*) FROM user.paper_notes").fetchone() == (0,)
        with UserData(user_path) as data:
            data.set_starred(MTL)
            data.set_rating(MTL, 4)
            data.set_read_state(RECEXPLAINER, "reading")
            data.set_tags(RECEXPLAINER, ["LLM"])
            data.set_note(REASONING, "Reward models for reasoning")
        sql = "SELECT p.id FROM papers p WHERE {} ORDER BY p.id"

        def ids(condition: str, *params: object) -> list[str]:
            return [r[0] for r in store.conn.execute(sql.format(condition), params)]

        starred = ("EXISTS (SELECT 1 FROM user.paper_notes n"
                   " WHERE n.paper = p.id AND n.starred)")
        unread = ("NOT EXISTS (SELECT 1 FROM user.paper_notes n"
                  " WHERE n.paper = p.id AND n.read_state <> 'unread')")
        rating = ("EXISTS (SELECT 1 FROM user.paper_notes n"
                  " WHERE n.paper = p.id AND n.rating >= ?)")
        tag = "EXISTS (SELECT 1 FROM user.paper_tags t WHERE t.paper = p.id AND t.tag = ?)"
        note = ("EXISTS (SELECT 1 FROM user.paper_notes n"
                " WHERE n.paper = p.id AND n.note LIKE ?)")
        assert ids(starred) == [MTL]
        assert len(ids(unread)) == 128 and RECEXPLAINER not in ids(unread)
        assert ids(rating, 4) == [MTL]
        assert ids(tag, "llm") == [RECEXPLAINER]
        assert ids(note, "%REWARD%") == [REASONING]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM user.paper_notes")
        with pytest.raises(UserDataError, match="already attached"):
            attach(store.conn, user_path)


def test_export_is_plain_json(ud: UserData) -> None:
    ud.set_note(MTL, "a\nb")
    assert json.loads(json.dumps(ud.export_json())) == ud.export_json()


def test_set_tags_replaces_the_whole_set_and_papers_reads_in_bulk(ud: UserData) -> None:
    ud.set_tags(MTL, ["old", "keep"])
    ud.set_tags(MTL, ["keep", "New", "new"])
    assert sorted(t.casefold() for t in ud.tags(MTL)) == ["keep", "new"]  # "old" gone
    ud.set_starred(REASONING)
    ud.set_person_tags("ziru liu", ["advisor", "ir"])
    ud.set_person_tags("ziru liu", ["ir"])
    assert ud.person("ziru liu").tags == ("ir",)
    got = ud.papers([MTL, REASONING, OTHER])
    assert set(got) == {MTL, REASONING}  # OTHER has no notes: nothing comes back
    assert got[REASONING].starred and not got[MTL].starred
    assert {t.casefold() for t in got[MTL].tags} == {"keep", "new"}
