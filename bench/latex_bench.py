"""What decoding LaTeX (paperdesk.latex) costs a build of real pages.

    cd bench && python latex_bench.py [--runs 3]

Renders shared/realdata into pages (realpages.py), then, in this one process, each
best of `--runs`: the parse alone (read_page + parse_page of every page), the LaTeX
decoding alone of every parsed title and abstract, and the whole build_store, once in
one process and once parsing and decoding in one process per core (page_pool). CPU
time (time.process_time), so that other work on a shared machine counts less; the
decoding caches are emptied before every run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import realpages  # lives beside this script
from paperdesk import latex
from paperdesk.pages import page_files, read_page
from paperdesk.parser import parse_page
from paperdesk.records import Entry
from paperdesk.store import build_store


def _cold() -> None:
    latex.to_text.cache_clear()
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


def _build(folder: Path, db: Path, workers: int | None) -> tuple[float, float]:
    """(CPU s of this process, wall s) of a whole build; `workers` as build_store's:
    0 parses and decodes here, None in one process per core."""
    _cold()
    db.unlink(missing_ok=True)
    start, wall = time.process_time(), time.perf_counter()
    build_store([folder], db, userdata_path=db.with_name("no-userdata.db"), workers=workers)
    return time.process_time() - start, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        realpages.main([str(folder)])
        (folder / "truth.json").unlink()
        parse, decode, alone, pooled = [], [], [], []
        for _ in range(args.runs):
            seconds, entries = _parse(folder)
            parse.append(seconds)
            decode.append(_decode(entries))
            alone.append(_build(folder, Path(tmp) / "store.db", 0))
            pooled.append(_build(folder, Path(tmp) / "store.db", None))
        changed = sum(latex.to_text(e.title) != e.title or latex.to_text(e.abstract)
                      != e.abstract for e in entries)
    p, d = min(parse), min(decode)
    (a_cpu, a_wall), (w_cpu, w_wall) = min(alone), min(pooled, key=lambda r: r[1])
    print(f"{len(entries):,} entries, {changed:,} with LaTeX in title or abstract")
    print(f"CPU s, best of {args.runs}: parse {p:.2f}, LaTeX decoding {d:.2f} "
          f"({d / p:.2f}x the parse)")
    print(f"build_store in one process: CPU {a_cpu:.2f} s ({a_cpu / p:.2f}x the parse), "
          f"wall {a_wall:.2f} s")
    print(f"build_store parsing and decoding in one process per core: writer's CPU "
          f"{w_cpu:.2f} s ({w_cpu / p:.2f}x the parse), wall {w_wall:.2f} s")


if __name__ == "__main__":
    main()
