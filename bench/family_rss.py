"""Run a command and sample the memory of its whole process family (Linux).

    python bench/family_rss.py paperdesk build --db STORE PAGES

Every 0.5 s: the summed VmRSS of the command and all its descendants, and their summed
PSS (smaps_rollup: a page shared by a forked worker and its parent counted once), with
each process's RSS. At the end: the peaks and the wall time. `paperdesk build` forks
its parsing processes when it runs no other thread, so this measures a build as users
run it (build_bench's own sampler thread makes its builds spawn them).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_family import family, kib  # lives beside this script

EVERY = 0.5  # seconds between samples


def main(command: list[str]) -> None:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss: tuple[int, float, list[int]] = (0, 0.0, [])  # MB, when, each process's MB
    peak_pss = (0, 0.0)
    try:
        while process.poll() is None:
            pids = family(process.pid)
            each = [kib(pid) for pid in pids]
            rss = sum(each) // 1024
            pss = sum(kib(pid, "smaps_rollup", "Pss:") for pid in pids) // 1024
            now = time.perf_counter() - start
            megabytes = [k // 1024 for k in each]
            if rss > peak_rss[0]:  # the first time the peak is reached
                peak_rss = (rss, now, megabytes)
            if pss > peak_pss[0]:
                peak_pss = (pss, now)
            print(f"{now:7.1f} s  rss {rss:5d} MB  pss {pss:5d} MB  {megabytes}", flush=True)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(EVERY)  # or as soon as the command ends
    finally:
        if process.poll() is None:  # the sampler itself was stopped: so is the command
            process.kill()
            process.wait()
    print(f"peak rss {peak_rss[0]} MB at {peak_rss[1]:.1f} s {peak_rss[2]}; peak pss "
          f"{peak_pss[0]} MB at {peak_pss[1]:.1f} s; wall {time.perf_counter() - start:.1f} s;"
          f" exit {process.returncode}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
