"""What decoding LaTeX (paperdesk.latex) costs a build of real pages.

    cd bench && python latex_bench.py [--runs 3] [--tree NAME=CHECKOUT ...]

Renders shared/realdata into pages (realpages.py), then, each best of `--runs`: in
this process, the parse alone (read_page + parse_page of every page) and the LaTeX
decoding alone of every parsed title and abstract, the decoding caches emptied
first; and the whole build_store in a fresh process (build_once.py), once parsing in
that process and once in one process per core (page_pool), for this checkout and
for every `--tree` (another checkout, e.g. a worktree of the commit before LaTeX
decoding, run with its own .venv), the runs interleaved so that every checkout sees
the same machine; and `paperdesk build` itself, each checkout's own command in its
own .venv, as a user runs it (parsing in one process per core; the command's
start-up, its imports and the user data's steps included). CPU time
(time.process_time; the parsing processes' too), so that other work on a shared
machine counts less.

Every checkout's compiled bytecode is kept (each in its own folder, PYTHONPYCACHEPREFIX,
filled by an untimed build first), as an installed `paperdesk` has it: without it
(PYTHONDONTWRITEBYTECODE set, as on the developers' machines) every process of every
build compiles each module it imports again. `--cold-bytecode` measures that way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import realpages  # lives beside this script
from paperdesk import latex
from paperdesk.pages import page_files, read_page
from paperdesk.parser import parse_page
from paperdesk.records import Entry


def _cold() -> None:
    latex._decode.cache_clear()


def _parse(folder: Path) -> tuple[float, list[Entry]]:
    start, entries = time.process_time(), []
    for item in page_files([folder]):
        assert isinstance(item, Path)
        text, _, _ = read_page(item)
        assert text is not None
        entries.extend(parse_page(text, item.name).entries)
    return time.process_time() - start, entries


def _decode(entries: list[Entry]) -> float:
    _cold()
    start = time.process_time()
    for entry in entries:
        latex.to_text(entry.title)
        latex.to_text(entry.abstract)
    return time.process_time() - start


HERE = Path(__file__).resolve().parent


def _build(checkout: Path, folder: Path, db: Path, workers: int) -> dict[str, float]:
    """A whole build by `checkout`'s code in a fresh process (build_once.py): CPU s of
    the building process ("cpu") and its parsing processes ("children"), "wall" s.
    `workers`: 0 parses in the building process, -1 in one process per core."""
    python = checkout / ".venv" / "bin" / "python"
    env = _bytecode(dict(os.environ, PYTHONPATH=str(checkout / "src")), checkout, db)
    out = subprocess.run([str(python if python.exists() else sys.executable),
                          str(HERE / "build_once.py"), str(folder), str(db), str(workers)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.splitlines()[-1]))


def _command(checkout: Path, folder: Path, db: Path) -> dict[str, float]:
    """`paperdesk build FOLDER --db DB` by `checkout`'s own command, its user folders
    in a scratch folder: "wall" s, and the CPU s of the command and its parsing
    processes ("cpu"; the rusage of this process's children, before and after)."""
    db.unlink(missing_ok=True)
    home = db.with_name("home")
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"))
    env.pop("PYTHONPATH", None)
    env = _bytecode(env, checkout, db)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([str(checkout / ".venv" / "bin" / "paperdesk"), "build", str(folder),
                           "--db", str(db)], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1) or not db.is_file():  # 1: entries skipped, as real pages have
        raise SystemExit(f"{checkout}: paperdesk build failed:\n{done.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"cpu": cpu, "children": 0.0, "wall": wall}


COLD_BYTECODE = False  # --cold-bytecode: no process keeps what it compiled


def _bytecode(env: dict[str, str], checkout: Path, db: Path) -> dict[str, str]:
    """`env` with `checkout`'s own bytecode cache beside `db` (none with --cold-bytecode)."""
    if COLD_BYTECODE:
        return dict(env, PYTHONDONTWRITEBYTECODE="1")
    env = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    folder = db.with_name("pycache-" + hashlib.sha1(str(checkout).encode()).hexdigest()[:8])
    return dict(env, PYTHONPYCACHEPREFIX=str(folder))


COMMAND = 1  # the key of `paperdesk build`'s runs, beside the workers 0 and -1


def _trees(specs: list[str]) -> dict[str, Path]:
    trees = {"this checkout": HERE.parent}
    for spec in specs:
        name, _, path = spec.partition("=")
        trees[name] = Path(path).resolve()
    return trees


def _report(trees: dict[str, Path], builds: dict[tuple[str, int], list[dict[str, float]]],
            runs: int) -> None:
    first = next(iter(trees)) if len(trees) == 1 else list(trees)[1]
    for workers, how in ((0, "parsing in the building process"),
                         (-1, "parsing in one process per core"),
                         (COMMAND, "`paperdesk build`, the command")):
        print(f"the build of the real pages, {how} (best of {runs}; "
              f"ratios against {first!r}):")
        best = {name: {key: min(run[key] for run in builds[name, workers])
                       for key in ("cpu", "children", "wall")} for name in trees}
        for name, figures in best.items():
            total = figures["cpu"] + figures["children"]
            base = best[first]
            own = "" if workers == COMMAND else f"; building process {figures['cpu']:.2f} s"
            print(f"  {name:>24}: CPU {total:5.2f} s "
                  f"({total / (base['cpu'] + base['children']):.2f}x{own}), "
                  f"wall {figures['wall']:5.2f} s ({figures['wall'] / base['wall']:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=CHECKOUT",
                        help="another checkout to build with (its own .venv), repeatable")
    parser.add_argument("--cold-bytecode", action="store_true",
                        help="keep no compiled bytecode: every process compiles its modules")
    args = parser.parse_args()
    global COLD_BYTECODE  # one switch for the whole run
    COLD_BYTECODE = args.cold_bytecode
    trees = _trees(args.tree)
    builds: dict[tuple[str, int], list[dict[str, float]]] = {
        (name, workers): [] for name in trees for workers in (0, -1, COMMAND)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        realpages.main([str(folder)])
        (folder / "truth.json").unlink()
        for checkout in trees.values():  # untimed: fills each checkout's bytecode cache
            _command(checkout, folder, Path(tmp) / "store.db")
        parse, decode = [], []
        for _ in range(args.runs):
            seconds, entries = _parse(folder)
            parse.append(seconds)
            decode.append(_decode(entries))
            for (name, workers), runs in builds.items():
                db = Path(tmp) / "store.db"
                runs.append(_command(trees[name], folder, db) if workers == COMMAND
                            else _build(trees[name], folder, db, workers))
        changed = sum(latex.to_text(e.title) != e.title or latex.to_text(e.abstract)
                      != e.abstract for e in entries)
    p, d = min(parse), min(decode)
    print(f"{len(entries):,} entries, {changed:,} with LaTeX in title or abstract; "
          f"bytecode {'compiled by every process' if COLD_BYTECODE else 'kept per checkout'}")
    print(f"this checkout, CPU s, best of {args.runs}: parse {p:.2f}, LaTeX decoding "
          f"{d:.2f} ({d / p:.2f}x the parse)")
    _report(trees, builds, args.runs)


if __name__ == "__main__":
    main()
