"""Search speed at scale, each figure beside a baseline measured in the same run.

    python bench/search_bench.py --papers 100000 [--workdir bench/out] [--readme]

Reuses (or generates) the synthetic corpus WORKDIR/corpus-N-s0 and builds the store
WORKDIR/search-N.sqlite with paperdesk.store.build_store when it is missing. Then:

  (a) search: the GUI's first answer, paperdesk.search.search(conn, q, limit=200,
      budget_ms=FIRST_BUDGET_MS) per query of a fixed list, against the raw FTS5
      `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT 200` of the same
      words (for filters FTS5 cannot express, the plain SQL `SELECT rid FROM papers
      WHERE ... LIMIT 200`), same connection, same run. "partial" says the first
      answer ran out of budget (the newest stored matches, not yet ranked); "exact"
      is the unbudgeted search(conn, q, limit=200) that replaces it.
  (b) typing: the real window (paperdesk.app.create_window) offscreen; each query
      typed one key every TYPING_GAP_MS with QTest.keyClick; per keystroke, the time
      from the key to the first paint of the table's viewport after the result for
      that text was applied (debounce included); and the longest gap of a 5 ms
      QTimer probe on the main thread while typing.
  (c) start-up: process start to the first paint of a table with rows, in a fresh
      process: the app on the store, the app on the seeds store, and a bare
      PySide6 window with a 50-row QTableView.
  (d) memory: the window's RSS after start-up and after 1,000 searches.

Prints a Markdown report; --readme also puts its tables into README.md (the "### Search,
..." sections of "## Performance", below the prose, which stays).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORKDIR = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(Path(__file__).resolve().parent))

PAGE = 200
REPEAT = 15
TYPING_GAP_MS = 120
SEARCHES_FOR_RSS = 1_000
STARTUP_RUNS = 9  # per command, taking turns
TABLES_HEADING = "### Search, "  # --readme replaces these sections of README.md
WARM_UP = 100  # searches before the warm figure: each query of the list, both forms

# (class, query, baseline: FTS5 MATCH text, or ("sql", WHERE clause, params))
Baseline = str | tuple[str, str, tuple[object, ...]]
QUERIES: list[tuple[str, str, Baseline]] = [
    ("rare word", "anzhong", '"anzhong"'),
    ("rare word", "agentbench", '"agentbench"*'),
    ("word in every paper", "systems", '"systems"*'),
    ("word in every paper", "the", '"the"*'),
    ("common word", "graph", '"graph"*'),
    ("common word", "attention", '"attention"*'),
    ("two words", "graph attention", '"graph" "attention"*'),
    ("two words", "online inference", '"online" "inference"*'),
    ("phrase", '"modern systems"', '"modern systems"'),
    ("phrase", '"efficient attention"', '"efficient attention"'),
    ("field filter", "title:graph", '{title}: "graph"*'),
    ("field filter", "author:wang", '{authors}: "wang"*'),
    ("field filter", "affil:tsinghua", '{affiliations}: "tsinghua"*'),
    ("field filter", "cat:IR", ("sql", "category = ?", ("IR",))),
    ("field filter", "cat:IR year:2023",
     ("sql", "category = ? AND year = ?", ("IR", 2023))),
    ("field filter", "year:2024 code:yes",
     ("sql", "year = ? AND has_code = ?", (2024, 1))),
    ("field filter", "graph cat:IR", '"graph"*'),
    ("prefix 1-3 letters", "r", '"r"'),
    ("prefix 1-3 letters", "re", '"re"'),
    ("prefix 1-3 letters", "rec", '"rec"*'),
    ("prefix 1-3 letters", "g", '"g"'),
    ("prefix 1-3 letters", "gr", '"gr"'),
    ("prefix 1-3 letters", "gra", '"gra"*'),
    # FTS5 has no unary NOT: its form is "a word in every paper NOT x" ({u} below).
    ("exclusions only", "-the", '"{u}" NOT "the"*'),
    ("exclusions only", "-graph", '"{u}" NOT "graph"*'),
    ("words and exclusions", "graph -attention", '"graph" NOT "attention"*'),
    ("OR", "attention OR transformer", '"attention" OR "transformer"*'),
]
TYPED = ["reinforcement learning", '"modern systems"', "graph -attention", "cat:IR rec",
         "-the", "author:wang"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# ---------------------------------------------------------------- the store


def ensure_store(papers: int, workdir: Path) -> Path:
    from paperdesk.store import build_store

    corpus = workdir / f"corpus-{papers}-s0"
    if not (corpus / "corpus.json").exists():
        import pagegen

        print(f"generating {corpus} ...", file=sys.stderr)
        pagegen.generate_corpus(corpus, papers, 0)
    db = workdir / f"search-{papers}.sqlite"
    if not db.exists():
        print(f"building {db} ...", file=sys.stderr)
        started = time.perf_counter()
        report = build_store([corpus], db)
        print(f"built {report.papers} papers in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    return db


def seeds_store(workdir: Path) -> Path:
    from paperdesk.store import build_store

    db = workdir / "search-seeds.sqlite"
    if not db.exists():
        build_store([ROOT / "seeds"], db)
    return db


# ---------------------------------------------------------------- (a) search


def bench_search(db: Path) -> list[dict[str, Any]]:
    from paperdesk.gui.worker import FIRST_BUDGET_MS
    from paperdesk.search import search
    from paperdesk.search.vocabulary import universal as _universal
    from paperdesk.store import connect

    conn = connect(db)
    universal = _universal(conn) or "and"
    rows = []
    for kind, text, base in QUERIES:
        if isinstance(base, str):
            sql, params = ("SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?",
                           (base.replace("{u}", universal), PAGE))
        else:
            sql = f"SELECT rid FROM papers WHERE {base[1]} LIMIT ?"
            params = (*base[2], PAGE)
        ours: list[float] = []
        raw: list[float] = []
        exact: list[float] = []
        search(conn, text, limit=PAGE)  # warm the cache for all three
        search(conn, text, limit=PAGE, budget_ms=FIRST_BUDGET_MS)
        conn.execute(sql, params).fetchall()
        partial = 0
        for _ in range(REPEAT):
            started = time.perf_counter()
            result = search(conn, text, limit=PAGE, budget_ms=FIRST_BUDGET_MS)
            ours.append((time.perf_counter() - started) * 1000)
            partial += result.partial
            started = time.perf_counter()
            conn.execute(sql, params).fetchall()
            raw.append((time.perf_counter() - started) * 1000)
        for _ in range(3):
            started = time.perf_counter()
            full = search(conn, text, limit=PAGE)
            exact.append((time.perf_counter() - started) * 1000)
        p95, raw95 = pct(ours, 95), pct(raw, 95)
        rows.append({
            "class": kind, "query": text, "p50": statistics.median(ours), "p95": p95,
            "max": max(ours), "raw50": statistics.median(raw), "raw95": raw95,
            "shown": len(result.rids),
            "total": result.total if result.total is not None else f">{result.at_least}",
            "ranked_within": full.ranked_within, "partial": partial,
            "exact": statistics.median(exact),
            "ok": p95 < 50 and p95 <= 2 * raw95 + 5,
        })
    conn.close()
    return rows


# ---------------------------------------------------------------- (b) typing, (d) memory


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _window(db: Path) -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from paperdesk.app import application, create_window

    app = application()
    window = create_window(db)
    window.resize(1200, 800)
    window.show()
    _until(app, lambda: not window.busy and window.paper_model.rowCount() > 0, 60)
    return app, window


def _until(app: Any, done: Any, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not answer in time")
        app.processEvents()
        time.sleep(0.0005)


def bench_typing(db: Path) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest

    app, window = _window(db)
    searcher = window.searcher
    state: dict[str, Any] = {"applied": None, "painted": None}

    class Paints(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and state["applied"] is not None \
                    and state["painted"] is None:
                state["painted"] = time.perf_counter()
            return False

    paints = Paints()
    window.table.viewport().installEventFilter(paints)

    def applied(generation: int, _result: object) -> None:
        if generation == searcher.generation and not window._search_timer.isActive():
            state["applied"] = time.perf_counter()
            state["painted"] = None

    searcher.resultReady.connect(applied)
    probe = QTimer()
    probe.setInterval(5)
    gaps = {"last": time.perf_counter(), "max": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        gaps["max"] = max(gaps["max"], now - gaps["last"])
        gaps["last"] = now

    probe.timeout.connect(tick)
    latencies: list[float] = []
    for text in TYPED:
        window.search_box.clear()
        window.run_search()
        _until(app, lambda: not window.busy, 30)
        window.search_box.setFocus()
        gaps["last"] = time.perf_counter()
        probe.start()
        for char in text:
            state["applied"] = state["painted"] = None
            pressed = time.perf_counter()
            QTest.keyClick(window.search_box, char, Qt.KeyboardModifier.NoModifier, -1)
            _until(app, lambda: state["painted"] is not None, 30)
            latencies.append((state["painted"] - pressed) * 1000)
            rest = pressed + TYPING_GAP_MS / 1000
            while time.perf_counter() < rest:
                app.processEvents()
                time.sleep(0.001)
        probe.stop()
    window.close()
    return {"p50": statistics.median(latencies), "p95": pct(latencies, 95),
            "max": max(latencies), "keys": len(latencies), "stall": gaps["max"] * 1000}


def memory_main(db: Path) -> None:
    """In a fresh process: RSS after start-up, then after SEARCHES_FOR_RSS searches."""
    app, window = _window(db)
    gc.collect()
    start = rss_mb()
    texts = [text for _, text, _ in QUERIES]
    warm = 0.0
    for i in range(SEARCHES_FOR_RSS):
        window.search_box.setText(texts[i % len(texts)] + ("" if i % 2 else " "))
        window.run_search()
        _until(app, lambda: not window.busy, 60)
        if i == WARM_UP - 1:  # every query run twice: caches are as full as they get
            gc.collect()
            warm = rss_mb()
    gc.collect()
    print(json.dumps({"start": start, "warm": warm, "after": rss_mb()}), flush=True)
    window.close()
    app.processEvents()
    os._exit(0)  # no teardown of Qt objects at interpreter exit


# ---------------------------------------------------------------- (c) start-up

_BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableView()
model = QStandardItemModel(50, 6)
for row in range(50):
    for column in range(6):
        model.setItem(row, column, QStandardItem(f"cell {row} {column}"))
table.setModel(model)
window.setCentralWidget(table)
class Paints(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            app.exit(0)
        return False
paints = Paints()
table.viewport().installEventFilter(paints)
window.resize(1200, 800)
window.show()
app.exec()
"""

_APP = """
import sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from paperdesk.app import application, create_window
app = application()
window = create_window(Path(sys.argv[1]))
class Paints(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.paper_model.rowCount() > 0:
            print("painted", flush=True)
            app.exit(0)
        return False
paints = Paints()
window.table.viewport().installEventFilter(paints)
window.resize(1200, 800)
window.show()
app.exec()
"""


def startups(commands: dict[str, list[str]], runs: int = STARTUP_RUNS) -> dict[str, float]:
    """Median ms from process start to a painted table, for each command.

    The runs take turns (a, b, c, a, b, c, ...), so that a busy spell on the machine
    falls on every command alike and the ratio between them survives it. One round
    first is not counted: warm starts, the files in the OS cache, for every command."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, args in commands.items():
            elapsed = _startup_once(args)
            if round_:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def _startup_once(args: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", *args], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait(timeout=60)
    if line.strip() != "painted":
        raise RuntimeError(f"start-up script failed: {line!r}")
    return elapsed * 1000


# ---------------------------------------------------------------- report


def report(papers: int, db: Path, workdir: Path, command: str) -> str:
    from paperdesk.gui.worker import FIRST_BUDGET_MS

    searches = bench_search(db)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    here = str(Path(__file__).resolve())
    typing = json.loads(subprocess.run(
        [sys.executable, here, "--typing", str(db)], env=env, check=True,
        capture_output=True, text=True).stdout.splitlines()[-1])
    memory = json.loads(subprocess.run(
        [sys.executable, here, "--memory", str(db)], env=env, check=True,
        capture_output=True, text=True).stdout.splitlines()[-1])
    seeds = seeds_store(workdir)
    started = startups({"app": [_APP, str(db)], "seeds": [_APP, str(seeds)], "bare": [_BARE]})
    app_ms, seeds_ms, bare_ms = started["app"], started["seeds"], started["bare"]

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [f"{TABLES_HEADING}{papers:,} papers (`{command}`)", "",
             "(a) Search, the GUI's first answer (limit 200, budget "
             f"{FIRST_BUDGET_MS:g} ms), ms over {REPEAT} runs; raw = the bare FTS5 "
             "`MATCH ... LIMIT 200` (or plain SQL for filters FTS5 cannot express) on the "
             "same store; goal: p95 < 50 and <= 2 x raw p95 + 5. partial = runs whose "
             "first answer was the newest stored matches, not yet ranked (the status bar "
             "says so); exact = the unbudgeted search that then replaces it (p50 of 3).", "",
             "| class | query | p50 | p95 | max | raw p50 | raw p95 | rows | total | "
             "partial | exact | ranked within | goal |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in searches:
        lines.append(
            f"| {row['class']} | `{row['query']}` | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['max']:.1f} | {row['raw50']:.1f} | {row['raw95']:.1f} | {row['shown']} | "
            f"{row['total']} | {row['partial']}/{REPEAT} | {row['exact']:.1f} | "
            f"{row['ranked_within'] or 'all'} | {met(row['ok'])} |")
    failing = [row["query"] for row in searches if not row["ok"]]
    lines += ["", "| measure | value | baseline | goal | |", "|---|---|---|---|---|",
              f"| keystroke to painted rows, p95 ({typing['keys']} keys, p50 "
              f"{typing['p50']:.0f}, max {typing['max']:.0f}) | {typing['p95']:.0f} ms | - | "
              f"< 100 ms | {met(typing['p95'] < 100)} |",
              f"| longest main-thread stall while typing (5 ms probe) | "
              f"{typing['stall']:.0f} ms | - | < 50 ms | {met(typing['stall'] < 50)} |",
              f"| start-up to a painted table | {app_ms:.0f} ms | seeds store {seeds_ms:.0f} "
              f"ms, bare PySide6 table {bare_ms:.0f} ms | < 1000 ms and <= 1.1 x seeds | "
              f"{met(app_ms < 1000 and app_ms <= 1.1 * seeds_ms)} |",
              f"| RSS after start-up | {memory['start']:.0f} MB | - | < 300 MB | "
              f"{met(memory['start'] < 300)} |",
              f"| RSS growth over {SEARCHES_FOR_RSS:,} searches | "
              f"{memory['after'] - memory['start']:+.1f} MB (to {memory['after']:.0f} MB; "
              f"{memory['after'] - memory['warm']:+.1f} MB after the first {WARM_UP}) | - "
              f"| < 10 MB | {met(memory['after'] - memory['start'] < 10)} |",
              "", ("Search goal not yet met for: " + ", ".join(f"`{q}`" for q in failing) + "."
                   if failing else "Search goal met for every query.")]
    return "\n".join(lines) + "\n"


def write_readme(tables: str) -> None:
    """Put `tables` in place of README.md's "### Search, ..." sections: the prose of
    "## Performance" above them, which says what the figures mean, is kept."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    start = text.find(TABLES_HEADING)
    if start < 0:
        raise SystemExit(f"README.md has no '{TABLES_HEADING}' section to replace")
    end = text.find("\n## ", start)
    tail = text[end:] if end >= 0 else "\n"
    readme.write_text(text[:start] + tables.rstrip("\n") + "\n" + tail)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--readme", action="store_true",
                        help="put the tables into README.md's '### Search, ...' sections")
    parser.add_argument("--typing", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.typing:
        print(json.dumps(bench_typing(args.typing)), flush=True)
        os._exit(0)  # no teardown of Qt objects at interpreter exit
    if args.memory:
        memory_main(args.memory)
        return
    command = "python " + " ".join(["bench/search_bench.py", *(argv or sys.argv[1:])])
    sections = []
    for papers in args.papers:
        db = ensure_store(papers, args.workdir)
        sections.append(report(papers, db, args.workdir, command))
        print(sections[-1], flush=True)
    if args.readme:
        write_readme("\n".join(sections))


if __name__ == "__main__":
    main()
