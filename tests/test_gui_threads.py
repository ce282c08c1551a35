"""The one thread primitive (gui/threads.py): one way to cancel, stale answers dropped,
work submitted before stop(finish=True) done, and the thread joined on destroy."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from paperdesk.gui.threads import Job, WorkThread
from tests.test_gui_support import open_window


def test_a_cancelled_submission_is_skipped_and_a_cancelled_answer_dropped(
        qtbot: QtBot) -> None:
    thread = WorkThread("test")
    gate = threading.Event()
    ran: list[str] = []
    answers: list[str] = []

    def slow(job: Job) -> str:
        ran.append("slow")
        gate.wait(5)
        return "slow"

    first = thread.submit(slow, answers.append)
    second = thread.submit(lambda job: ran.append("queued") or "queued", answers.append)
    qtbot.waitUntil(lambda: ran == ["slow"])
    first.set()  # running: it finishes, its answer is dropped
    second.set()  # queued: never runs
    thread.submit(lambda job: "latest", answers.append)
    gate.set()
    qtbot.waitUntil(lambda: not thread.busy)
    assert ran == ["slow"] and answers == ["latest"] and thread.cancelled == 2
    thread.stop()


def test_work_asks_its_cancel_and_reports_progress(qtbot: QtBot) -> None:
    thread = WorkThread("test")
    steps: list[object] = []
    failures: list[str] = []

    def counting(job: Job) -> int:
        for i in range(3):
            job.report(i)
        raise ValueError("no more")

    thread.submit(counting, steps.append, lambda exc: failures.append(str(exc)),
                  progress=steps.append)
    qtbot.waitUntil(lambda: not thread.busy)
    assert steps == [0, 1, 2] and failures == ["no more"]
    thread.stop()


def test_stop_finishing_runs_every_write_asked_for(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "w.db", check_same_thread=False, isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    thread = WorkThread("test", close=conn.close)
    for x in range(20):
        thread.submit(lambda job, x=x: conn.execute("INSERT INTO t VALUES (?)", (x,)))
    thread.stop(finish=True)  # the window closing right after the keys
    with sqlite3.connect(tmp_path / "w.db") as check:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (20,)


def test_a_thread_destroyed_while_working_is_cancelled_and_joined(qtbot: QtBot) -> None:
    thread = WorkThread("test")
    started = threading.Event()
    stopped: list[bool] = []

    def forever(job: Job) -> None:
        started.set()
        while not job.cancelled():
            job.cancelled._event.wait(0.01)
        stopped.append(True)

    thread.submit(forever)
    assert started.wait(5)
    shiboken6.delete(thread)  # no stop(): the owner went away (Qt aborts on a running QThread)
    assert stopped == [True]



def _nice_of_threads() -> dict[str, int]:
    """This process's threads by name (Qt names each after its QThread's object
    name, cut to 15 characters), with their nice values (/proc's stat, field 19)."""
    found = {}
    for task in Path("/proc/self/task").iterdir():
        name = (task / "comm").read_text().strip()
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        found[name] = int(fields[16])
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread")
def test_the_windows_work_threads_run_behind_the_gui_thread(qtbot: QtBot,
                                                             seed_db: Path) -> None:
    """The GUI thread takes an answer and paints it while the search and reader threads
    work on the next one: behind it in the scheduler, they leave it a core (see
    threads.start_behind_the_gui). Every work thread of the window (search, reader,
    notes, the store's opener, the author list) runs 5 nice steps behind it."""
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    window = open_window(qtbot, seed_db)
    nice = _nice_of_threads()
    workers = {name: value for name, value in nice.items() if name.startswith("paperdesk-")}
    assert set(workers) == {"paperdesk-searc", "paperdesk-reade", "paperdesk-notes",
                            "paperdesk-opene", "paperdesk-autho"}, nice
    assert set(workers.values()) == {min(gui + 5, 19)}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui
    window.close()
