"""The candidate report's speed on a large store, beside plain SQLite.

For profiles drawn at random (seeded) from `--store` (e.g. the 1M store of
bench/search_bench.py), with a user-data file in which the committee starred,
rated and noted five of each candidate's papers and wrote a note on the person,
times the three steps of `paperdesk report` for one candidate: the data
(`report.candidate`: figures, years, categories, co-authors, the committee's
papers), the HTML, and the one-page PDF (QPdfWriter). The baseline, on the same
connection: one plain SQLite statement that reads the profile's papers
(profile_papers joined to papers), the least a report must do.

The store is opened read-only and must be of this PaperDesk's schema version: a
store of an older one is refused, never upgraded in place (upgrade a copy).

    python bench/report_bench.py --store bench/out/search-1000000.sqlite --profiles 50
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from paperdesk import report
from paperdesk.store import Store
from paperdesk.userdata import UserData

NOTED_PAPERS = 5


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms")


def _annotate(store: Store, user: UserData, profile_ids: list[int]) -> None:
    for pid in profile_ids:
        profile = store.profile(pid)
        for i, paper in enumerate(store.profile_paper_ids(pid)[:NOTED_PAPERS]):
            user.set_starred(paper, i % 2 == 0)
            user.set_rating(paper, 1 + i)
            user.set_note(paper, f"Note {i} on this paper.")
        if profile is not None and profile.person:
            user.set_person_note(profile.person, "Interview on Monday.")


def run(path: Path, count: int, seed: int) -> None:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["report_bench", "-platform", "offscreen"])
    with Store(path, upgrade=False) as store, tempfile.TemporaryDirectory() as tmp:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM profiles ORDER BY id")]
        chosen = random.Random(seed).sample(ids, min(count, len(ids)))
        steps: dict[str, list[float]] = {"data": [], "html": [], "pdf": [], "total": [],
                                         "plain": []}
        with UserData(Path(tmp) / "committee.db") as user:
            _annotate(store, user, chosen)
            for n, pid in enumerate(chosen):
                profile = store.profile(pid)
                assert profile is not None
                start = time.perf_counter()
                candidate = report.candidate(store, profile, user)
                made = time.perf_counter()
                report.report_html([candidate])
                html_done = time.perf_counter()
                report.write_pdf([candidate], Path(tmp) / f"{n}.pdf")
                end = time.perf_counter()
                store.conn.execute("SELECT p.* FROM profile_papers pp JOIN papers p"
                                   " ON p.rid = pp.paper WHERE pp.profile = ?",
                                   (pid,)).fetchall()
                plain = time.perf_counter() - end
                for key, value in (("data", made - start), ("html", html_done - made),
                                   ("pdf", end - html_done), ("total", end - start),
                                   ("plain", plain)):
                    steps[key].append(value)
        print(f"{path}: {store.paper_total():,} papers, {store.profile_count():,} profiles; "
              f"{len(chosen)} candidates, {NOTED_PAPERS} noted papers each")
        for key, label in (("data", "report.candidate (SQL)"), ("html", "report_html"),
                           ("pdf", "write_pdf, one page"), ("total", "one candidate, in all"),
                           ("plain", "plain SQLite: the profile's papers")):
            print(f"{label}: {_ms(steps[key])}")
    app.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--profiles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    run(args.store, args.profiles, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
