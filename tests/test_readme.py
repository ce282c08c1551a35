"""Every command line in the README's code blocks, run exactly as written.

A new user types these into a shell in the checkout after `make run`; so does this
test, with `bash -c`, the venv's `bin` first on PATH (what `. .venv/bin/activate`
does), and a fresh home, data, config and log folder. The commands that open the
window (`make run`, a bare `paperdesk`) must build the seeds store on first use,
open the window and stay up until told to quit; the others must succeed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
BIN = Path(sys.executable).parent
WINDOW_OPEN = re.compile(r" (\d+) INFO paperdesk\.app \[MainThread\] window open on (.+)$")
APP_WAIT_S = 120


def readme_commands() -> list[str]:
    """The lines of the README's fenced code blocks, comments dropped, in order."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", README.read_text(encoding="utf-8"),
                        flags=re.MULTILINE | re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line]


def opens_window(command: str) -> bool:
    words = command.split()
    return words == ["make", "run"] or words[-1] == "paperdesk" or words[-1:] == ["gui"]


@pytest.fixture
def fresh_home(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "PYTEST_", "DISPLAY", "WAYLAND"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / ".local/state"),
               PATH=f"{BIN}{os.pathsep}{env['PATH']}", QT_QPA_PLATFORM="offscreen")
    return env


def _log(env: dict[str, str]) -> Path:
    return Path(env["XDG_STATE_HOME"]) / "paperdesk" / "log" / "paperdesk.log"


def _window_pid(env: dict[str, str], after: int) -> int | None:
    log = _log(env)
    if not log.exists():
        return None
    for line in log.read_text(encoding="utf-8").splitlines()[after:]:
        found = WINDOW_OPEN.search(line)
        if found:
            return int(found.group(1))
    return None


def run_app_command(command: str, env: dict[str, str]) -> str:
    """Start `command`, wait for its window, quit it with SIGTERM; what it printed."""
    log = _log(env)
    seen = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + APP_WAIT_S
        pid = None
        while pid is None and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            pid = _window_pid(env, seen)
        assert pid is not None, f"{command!r} opened no window: {proc.communicate()}"
        time.sleep(1.0)  # the window stays up: it is not on its way out
        assert proc.poll() is None, f"{command!r} ended on its own: {proc.communicate()}"
        os.kill(pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, f"{command!r} exited {proc.returncode}: {out}{err}"
    assert "app closed (exit status 0)" in log.read_text(encoding="utf-8")
    return out + err


def test_the_readme_shows_both_quick_start_commands_first() -> None:
    assert readme_commands()[:2] == ["make run", "make test"]


def test_every_readme_command_line_runs_as_written(fresh_home: dict[str, str]) -> None:
    commands = readme_commands()
    assert len(commands) >= 10
    for command in commands:
        if opens_window(command):
            err = run_app_command(command, fresh_home)
        else:
            env = dict(fresh_home)
            if command == "make test":  # the suite inside its own run: one test, not this
                env["PYTEST_ADDOPTS"] = "-k test_pyside_is_below_6_12 -p no:cacheprovider"
            done = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, text=True,
                                  capture_output=True, timeout=600, check=False)
            assert done.returncode == 0, f"{command!r} exited {done.returncode}: {done}"
            err = done.stderr
        assert "Traceback" not in err, f"{command!r}: {err}"
    store = Path(fresh_home["XDG_DATA_HOME"]) / "paperdesk" / "paperdesk.db"
    assert store.exists()  # the first `make run` built it from the seeds
    assert (Path(fresh_home["HOME"]) / "paperdesk-notes.json").exists()


def test_first_run_builds_the_seed_store_and_keeps_the_window_up(
        fresh_home: dict[str, str]) -> None:
    """The console script with no arguments, then `python -m paperdesk`, on a new home."""
    first = run_app_command("paperdesk", fresh_home)
    store = Path(fresh_home["XDG_DATA_HOME"]) / "paperdesk" / "paperdesk.db"
    assert f"building {store} from the bundled seeds" in first
    assert "5 pages, 129 papers, 236 people" in first
    again = run_app_command(f"{sys.executable} -m paperdesk", fresh_home)
    assert "building" not in again
    assert "Traceback" not in first + again


def test_without_a_display_one_line_says_so(fresh_home: dict[str, str]) -> None:
    env = {k: v for k, v in fresh_home.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run(["bash", "-c", "paperdesk"], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert "no display" in done.stderr and "QT_QPA_PLATFORM=offscreen" in done.stderr
