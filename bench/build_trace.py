"""Where a build's two cores go: every process's CPU against wall time, by phase.

    python bench/build_trace.py CORPUS DB [--every 0.025] [--json OUT]

Runs one `store.build_store` of the pages in CORPUS (a bench/pagegen.py folder, e.g.
build_bench.py's `--keep --workdir W`: W/corpus-100000-s0) in a child process, the
sources of whichever paperdesk is importable (PYTHONPATH=<tree>/src for another tree),
and samples every `--every` s the CPU (utime + stime, /proc/PID/stat) of the writer,
its parsing workers and the full-text process. The child marks its phases (pages
streaming in and the writer's waits for them, each half of the end, the copy-in,
the fsync, the rename) on the same clock (CLOCK_MONOTONIC). Prints, per phase: wall
seconds, each process's CPU seconds and the idle core seconds (cores x wall - CPU:
on a quiet machine, what the build left unused), then a timeline in half seconds.
Linux only. Untimed figures: run it alone (under the bench lock) to trust "idle".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_family import family  # lives beside this script

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# ---------------------------------------------------------------- the child


def _child(corpus: Path, db_path: Path, events_path: Path) -> None:
    """The build, its phases written to `events_path` as JSON lines (time, what)."""
    import sqlite3

    from paperdesk import db, fulltext_build, page_pool, store

    out = events_path.open("w", buffering=1)

    def mark(what: str, **extra: Any) -> None:
        out.write(json.dumps({"t": time.monotonic(), "what": what, **extra}) + "\n")

    def around(owner: Any, name: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            thread = threading.current_thread()
            label = name if thread is threading.main_thread() else f"{name} ({thread.name})"
            mark(f"{label} start")
            try:
                return original(*args, **kwargs)
            finally:
                mark(f"{label} end")
        setattr(owner, name, wrapped)

    parse_files = page_pool.parse_files

    def timed_pages(*args: Any, **kwargs: Any) -> Any:
        """The pages as the writer gets them, each wait for one timed; the workers
        start at the call, as parse_files starts them."""
        return timing(parse_files(*args, **kwargs))

    def timing(pages: Any) -> Any:
        waited, count = 0.0, 0
        try:
            while True:
                before = time.monotonic()
                try:
                    item = next(pages)
                except StopIteration:
                    break
                after = time.monotonic()
                waited += after - before
                if after - before > 0.002:
                    mark("wait", start=before, seconds=after - before)
                if count == 0:
                    mark("first page")
                count += 1
                yield item
            mark("last page", waited=waited, pages=count)
            for conn in conns:  # the end's statements only: a callback per row costs
                conn.set_trace_callback(
                    lambda sql: mark("sql", sql=" ".join(sql.split())[:90]))
        finally:
            pages.close()

    store.page_pool.parse_files = timed_pages  # type: ignore[assignment]
    side_init = fulltext_build.Side.__init__

    def side_started(self: Any, *args: Any) -> None:
        mark("side spawn")
        side_init(self, *args)
        mark("side started", pid=self._process.pid)

    fulltext_build.Side.__init__ = side_started  # type: ignore[method-assign]
    for owner, name in ((store.Writer, "finish_rows"), (store.Writer, "finish_bulk"),
                        (fulltext_build.Side, "wait"), (fulltext_build, "fill"),
                        (store, "_fsync"), (db, "replace"), (store, "_finish")):
        around(owner, name)
    connect = db.connect
    conns: list[sqlite3.Connection] = []

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conns.append(connect(*args, **kwargs))
        return conns[-1]

    store.db.connect = traced  # type: ignore[assignment]
    mark("build start")
    report = store.build_store([corpus], db_path, year=None,
                               userdata_path=db_path.with_name("trace.userdata"))
    mark("build end", papers=report.papers)
    out.close()


# ---------------------------------------------------------------- sampling


def _cpu(pid: int) -> tuple[float, float, float] | None:
    """The process's CPU s (all its threads), and its main thread's seconds on a core
    and waiting for one (/proc/PID/schedstat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ran, waited = Path(f"/proc/{pid}/schedstat").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if fields[0] == "Z":  # ended, not yet reaped: its figures are final
        return None
    return ((int(fields[11]) + int(fields[12])) / _TICK,  # utime, stime
            int(ran) / 1e9, int(waited) / 1e9)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


Sample = tuple[float, dict[int, tuple[float, float, float]]]
ROLES: dict[int, str] = {}  # pid: its command line, as first seen
SEEN: dict[int, list[float]] = {}  # pid: [first, last] time it was seen


def sample(child: subprocess.Popen[bytes], every: float) -> list[Sample]:
    """(time, {pid: _cpu}) until the child ends; the last values of a process that
    ended are kept (they are final)."""
    samples: list[Sample] = []
    last: dict[int, tuple[float, float, float]] = {}
    while child.poll() is None:
        now = time.monotonic()
        for pid in family(child.pid):
            values = _cpu(pid)
            if values is not None:
                last[pid] = values
                ROLES.setdefault(pid, _cmdline(pid))
                SEEN.setdefault(pid, [now, now])[1] = now
        samples.append((now, dict(last)))
        time.sleep(every)
    return samples


# ---------------------------------------------------------------- the report

ROLE_NAMES = ("writer", "workers", "fulltext")


def roles(writer: int, side: int | None) -> Callable[[int], str]:
    def role(pid: int) -> str:
        if pid == writer:
            return "writer"
        if pid == side:
            return "fulltext"
        if "resource_tracker" in ROLES.get(pid, "") or pid not in ROLES:
            return "other"
        return "workers"
    return role


def values_at(samples: list[Sample], when: float) -> dict[int, tuple[float, float, float]]:
    """Each process's values at `when` (the last sample before it)."""
    best: dict[int, tuple[float, float, float]] = {}
    for t, values in samples:
        if t > when:
            break
        best = values
    return best


def between(samples: list[Sample], start: float, end: float,
            role: Callable[[int], str]) -> dict[str, float]:
    """Per role, from `start` to `end`: CPU s (all threads), and the main threads'
    seconds waiting for a core (`ROLE wait`) and blocked (`ROLE blocked`: alive,
    neither on a core nor waiting for one: waiting for pages, a pipe, a lock, the disk)."""
    a, b = values_at(samples, start), values_at(samples, end)
    used: dict[str, float] = {}
    for pid, (cpu, ran, waited) in b.items():
        name = role(pid)
        before = a.get(pid, (0.0, 0.0, 0.0))
        first, last = SEEN.get(pid, [start, end])
        alive = max(0.0, min(end, last) - max(start, first))
        used[name] = used.get(name, 0.0) + cpu - before[0]
        used[f"{name} wait"] = used.get(f"{name} wait", 0.0) + waited - before[2]
        used[f"{name} blocked"] = (used.get(f"{name} blocked", 0.0)
                                   + max(0.0, alive - (ran - before[1]) - (waited - before[2])))
    for name in ROLE_NAMES:
        for suffix in ("", " wait", " blocked"):
            used.setdefault(name + suffix, 0.0)
    return used


def phases(events: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """(name, start, end) of the build's phases, from the child's marks."""
    at: dict[str, float] = {}
    for event in events:
        at.setdefault(event["what"], event["t"])
    order = [("start-up: until the first page reaches the writer", "build start", "first page"),
             ("pages streaming in", "first page", "last page"),
             ("streaming's end: the last batch, the stage's commit", "last page",
              "_finish start"),
             ("the end's first half (finish_rows; the full-text process too)",
              "_finish start", "finish_rows end"),
             ("waiting for the full-text process, the stage deleted", "finish_rows end",
              "finish_bulk start"),
             ("copy-in, ANALYZE, meta (finish_bulk)", "finish_bulk start", "finish_bulk end"),
             ("journal_mode, fsync", "finish_bulk end", "_fsync end"),
             ("the rename, closing", "_fsync end", "build end")]
    return [(name, at[start], at[end]) for name, start, end in order
            if start in at and end in at]


def report(samples: list[Sample], events: list[dict[str, Any]], writer: int,
           cores: int) -> dict[str, Any]:
    side = next((e["pid"] for e in events if e["what"] == "side started"), None)
    role = roles(writer, side)
    at = {e["what"]: e for e in events}
    start, end = at["build start"]["t"], at["build end"]["t"]
    rows = []
    for name, begin, finish in [*phases(events), ("the whole build", start, end)]:
        used = between(samples, begin, finish, role)
        cpu = sum(used[r] for r in ROLE_NAMES)
        rows.append({"phase": name, "wall": finish - begin, **used,
                     "idle": cores * (finish - begin) - cpu})
    waits = [e for e in events if e["what"] == "wait"]
    return {"phases": rows,
            "writer waits for pages": {
                "seconds": at.get("last page", {}).get("waited"),
                "over 2 ms": len(waits),
                "seconds of those": sum(e["seconds"] for e in waits)},
            "timeline": timeline(samples, role, start, end),
            "end statements": statements(events, start)}


def statements(events: list[dict[str, Any]], start: float) -> list[tuple[float, int, str]]:
    """(s from the start, times run in a row, its start) of the writer's statements
    after the last page."""
    runs: list[tuple[float, int, str]] = []
    for event in events:
        if event["what"] != "sql":
            continue
        text = event["sql"].split(" VALUES")[0][:70]
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1, text)
        else:
            runs.append((round(event["t"] - start, 2), 1, text))
    return runs


def timeline(samples: list[Sample], role: Callable[[int], str],
             start: float, end: float, step: float = 0.5) -> list[dict[str, float]]:
    out = []
    t = start
    while t < end:
        used = between(samples, t, min(t + step, end), role)
        out.append({"t": round(t - start, 1), **{k: round(v, 2) for k, v in used.items()}})
        t += step
    return out


def print_report(found: dict[str, Any], cores: int) -> None:
    print(f"seconds; idle = {cores} cores x wall - CPU of the three; for each process "
          "its CPU, then its main thread's seconds waiting for a core / blocked")
    print(f"{'phase':<48} {'wall':>6} {'idle':>6}   {'writer':<17} {'workers':<17}"
          f" {'fulltext':<17}")
    for row in found["phases"]:
        cells = " ".join(f"{row[r]:5.2f} {row[r + ' wait']:5.2f} {row[r + ' blocked']:5.2f}"
                         for r in ROLE_NAMES)
        print(f"{row['phase'][:48]:<48} {row['wall']:6.2f} {row['idle']:6.2f}   {cells}")
    print("writer's waits for pages:", json.dumps(found["writer waits for pages"]))
    print("\ntimeline (CPU s per 0.5 s: writer / workers / fulltext)")
    for row in found["timeline"]:
        bar = ("W" * round(row["writer"] * 20) + "p" * round(row["workers"] * 20)
               + "f" * round(row["fulltext"] * 20))
        print(f"{row['t']:6.1f}  {row['writer']:.2f} {row['workers']:.2f}"
              f" {row['fulltext']:.2f}  {bar}")
    print("\nthe writer's statements after the last page (s from the start):")
    for t, times, sql in found["end statements"]:
        print(f"{t:7.2f}  {sql}" + (f"  (x {times})" if times > 1 else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--every", type=float, default=0.025, help="seconds between samples")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.corpus, args.db, args.child)
        return
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as scratch:
        events_path = Path(scratch) / "events.jsonl"
        home = Path(scratch) / "home"
        env = {**os.environ, **{k: str(home) for k in (
            "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}}
        child = subprocess.Popen([sys.executable, __file__, str(args.corpus), str(args.db),
                                  "--child", str(events_path)], env=env)
        samples = sample(child, args.every)
        if child.returncode:
            raise SystemExit(f"the build failed ({child.returncode})")
        events = [json.loads(line) for line in events_path.read_text().splitlines()]
    found = report(samples, events, child.pid, cores)
    print_report(found, cores)
    if args.json:
        args.json.write_text(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
