"""A process family's pids and their /proc figures (Linux), for the benchmarks that
measure a build's processes together: build_bench.py, build_trace.py, family_rss.py."""

from __future__ import annotations

import contextlib
from pathlib import Path


def family(pid: int) -> list[int]:
    """`pid` and all its descendants (/proc/PID/task/*/children); a process or task that
    ends meanwhile is passed over."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):  # the process ended while listed
            for task in Path(f"/proc/{current}/task").glob("*/children"):
                with contextlib.suppress(OSError):  # the task ended meanwhile
                    todo.extend(int(child) for child in task.read_text().split())
    return found


def kib(pid: int, name: str = "status", key: str = "VmRSS:") -> int:
    """The field `key` of /proc/PID/`name`, in KiB (VmRSS by default); 0 when the
    process has ended."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    return 0
