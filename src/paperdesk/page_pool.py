"""Reading and parsing page files, on every core when there are many.

The parser is pure, so a page can be parsed in any process: `parse_files` sends
pages in chunks to worker processes and yields them back in page order, while
the caller (the store's one writer) inserts the pages already parsed. At most
`_AHEAD` chunks are in flight, so memory stays flat whatever the corpus size.
With few pages, or one core, everything runs here: starting a worker costs more
than parsing a handful of pages.
Workers are forked when this process runs no other thread, else spawned
(`start_method`).

A worker dies with its parent: a killed build leaves no worker behind
(`_die_with_parent`), and gets the parent's name particles instead of importing the
library they come from (`names.particles`).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from paperdesk import latex, names
from paperdesk.latex_fast import MAX_DEPTH, too_deep
from paperdesk.pages import read_page
from paperdesk.parser import ParseCancelled, parse_page
from paperdesk.records import Page, Problem, author_sort

_CHUNK = 8  # pages per task: enough to amortise a task; its result fits in RESULT_PIPE
_AHEAD = 8  # chunks in flight per worker
SERIAL_BELOW = 64  # fewer pages than this are parsed in this process
# The result pipe's capacity (Linux: 64 KiB unless asked; 1 MiB is what any process may
# ask). A worker writes a chunk's result (about 0.6 MB pickled) into it and parses on,
# instead of waiting until this process, which the scheduler may have put aside (three
# processes share two cores while pages stream in), has read it.
RESULT_PIPE = 1 << 20
# This process's switch interval while workers parse (Python's default: 5 ms). A chunk's
# result comes back through a pipe that the pool's own thread drains here, taking the
# GIL back from the writing thread for every pipe's worth; a worker waits, its result
# half sent, until it has. With 16-page chunks and a 64 KiB pipe, the two workers of a
# 100,000-paper build waited 7.5 s in all at 5 ms a turn (bench/build_trace.py), 2.8 s at
# 0.5 ms.
READ_SWITCH = 0.0005
# New container objects between two collections of the youngest generation in a
# process that collects less (Python's default: 700).
COLLECT_AFTER = 10_000


@dataclass
class ParsedFile:
    """One item of `pages.page_files`, read and parsed."""

    item: Path | Problem  # as page_files gave it
    problems: list[Problem] = field(default_factory=list)  # reading's, then parsing's
    page: Page | None = None  # None: not a readable text
    digest: str = ""  # sha1 of the bytes, as profiles.digest keeps it
    bad_entries: int = 0  # entries refused (errors with a line)
    decoded: dict[str, str] = field(default_factory=dict)  # latex.decode_all of its texts
    # records.author_sort of its entries' authors, made here so that a build's one
    # writer only looks them up (writer.paper_row)
    sorts: dict[tuple[str, ...], str] = field(default_factory=dict)


def parse_file(item: Path | Problem,
               cancelled: Callable[[], bool] | None = None) -> ParsedFile:
    """Read and parse one page; what cannot be used is said in `problems`.
    `cancelled`: see parser.parse_page. A page whose reading fails in a way nobody
    foresaw (a bug) is an error of that page, which the build skips, never the end
    of the build: the other pages are read and written."""
    if isinstance(item, Problem):
        return ParsedFile(item, [item])
    try:
        return _parse_read(item, cancelled)
    except ParseCancelled:
        raise
    except Exception as exc:  # a bug: said as the page's error, without a traceback
        return ParsedFile(item, [Problem(item.name, None, f"cannot be read: unexpected "
                                         f"{type(exc).__name__} ({exc}); page skipped")])


def _parse_read(item: Path, cancelled: Callable[[], bool] | None) -> ParsedFile:
    text, data, problems = read_page(item)
    if text is None:
        return ParsedFile(item, problems)
    page = parse_page(text, item.name, cancelled)
    problems.extend(page.problems)
    bad = sum(1 for p in page.problems if p.severity == "error" and p.line is not None)
    decoded = latex.decode_all(text for entry in page.entries
                               for text in (entry.title, entry.abstract))
    problems.extend(_deep_latex(page))
    sorts = {entry.authors: author_sort(entry.authors) for entry in page.entries}
    return ParsedFile(item, problems, page, hashlib.sha1(data).hexdigest(), bad, decoded,
                      sorts)


def _deep_latex(page: Page) -> list[Problem]:
    """A warning for each title and abstract whose LaTeX nests deeper than the
    decoders read (latex_fast.too_deep): that part is stored as the page wrote it."""
    return [Problem(page.source, entry.line,
                    f"{field} has LaTeX nested more than {MAX_DEPTH} levels deep: "
                    "that part is kept as written, not decoded", "warning")
            for entry in page.entries
            for field, text in (("title", entry.title), ("abstract", entry.abstract))
            if ("\\" in text or "{" in text) and too_deep(text)]  # `in`: no call, most


def _parse_chunk(items: list[Path | Problem]) -> list[ParsedFile]:
    return [parse_file(item) for item in items]


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class WhileWaiting:
    """Work of the caller's for `parse_files` to do whenever the next page is not
    parsed yet, instead of waiting for it: `work`, set once there is some (the build's
    writer exists only once its store is open)."""

    def __init__(self) -> None:
        self.work: Callable[[], None] | None = None


class Parsing(Iterator[ParsedFile]):
    """What `parse_files` gives: the parsed files, in page order. Its workers start,
    and take their first chunks, as soon as it is made, so that they parse while the
    caller opens its store (a build's schema and sqlite-utils, about 0.3 G instructions
    of the real pages' build, ran before any worker existed). `close` ends the
    workers, whether or not a file was taken; the last file taken closes it too."""

    def __init__(self, files: Generator[ParsedFile, None, None],
                 pool: ProcessPoolExecutor | None = None, switch: float | None = None) -> None:
        self._files = files
        self._pool = pool
        self._switch = switch  # this process's switch interval before the workers

    def __next__(self) -> ParsedFile:
        try:
            return next(self._files)
        except BaseException:  # the last file, a worker's failure, an interruption
            self.close()
            raise

    def close(self) -> None:
        self._files.close()
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def parse_files(items: Sequence[Path | Problem], workers: int | None = None,
                cancelled: Callable[[], bool] | None = None,
                idle: WhileWaiting | None = None) -> Parsing:
    """Every item parsed, in the order given. `workers`: processes to parse in
    (None: one per core; 0: none, all here). `cancelled` is asked within a long
    page when it is parsed here; the caller asks it between pages. `idle`: see
    WhileWaiting (workers only: parsing here leaves nothing to wait for)."""
    workers = cores() if workers is None else workers
    if workers < 1 or (workers == 1 and cores() == 1) or len(items) < SERIAL_BELOW:
        return Parsing(parse_file(item, cancelled) for item in items)
    context = multiprocessing.get_context(start_method())
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(names.particles(),))
    _widen_results(pool)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, READ_SWITCH))
    chunks = (list(items[i:i + _CHUNK]) for i in range(0, len(items), _CHUNK))
    pending = deque(pool.submit(_parse_chunk, chunk)
                    for chunk in itertools.islice(chunks, workers * _AHEAD))
    return Parsing(_in_order(pool, pending, chunks, idle), pool, switch)


def _in_order(pool: ProcessPoolExecutor, pending: deque[Future[list[ParsedFile]]],
              chunks: Iterator[list[Path | Problem]],
              idle: WhileWaiting | None) -> Generator[ParsedFile, None, None]:
    """The chunks' results in order, the next chunk sent as each comes back."""
    while pending:
        oldest = pending.popleft()
        pending.extend(pool.submit(_parse_chunk, chunk) for chunk in itertools.islice(chunks, 1))
        yield from _result(oldest, idle)


def start_method() -> str:
    """How workers start: "fork" when this process runs no other thread, else "spawn".

    A forked worker starts with what this process has imported, the parser among it; a
    spawned one starts Python and imports the parser again (about 0.35 G instructions
    a worker, of a build of the real pages' 17.6 G), beside multiprocessing's resource
    tracker, a process of its own (0.12 G). But a process forked while another thread
    runs may inherit a lock that thread held, never to be released: the app's builds and
    imports run beside Qt's threads, so a threaded process spawns. The system counts
    the threads (/proc/self/task: Qt's own too, which `threading` does not know);
    where it cannot tell, spawn."""
    try:
        alone = len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: not Linux
        alone = False
    return "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _result(future: Future[list[ParsedFile]], idle: WhileWaiting | None) -> list[ParsedFile]:
    if idle is not None and idle.work is not None and not future.done():
        idle.work()
    return future.result()


def _widen_results(pool: ProcessPoolExecutor) -> None:
    """The pool's result pipe made RESULT_PIPE large, where the system allows it (the
    pipe is the executor's own: a pool without it, or a system without F_SETPIPE_SZ,
    keeps its pipe as it is)."""
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if reader is None or setting is None:
        return
    with contextlib.suppress(OSError):  # over the system's limit: as it was
        fcntl.fcntl(reader.fileno(), setting, RESULT_PIPE)


def _start_worker(particles: frozenset[str]) -> None:
    """In a worker: die with the parent, take its name particles (so that the
    worker never imports nameparser, ~0.1 s CPU a worker), and collect less."""
    names.use_particles(particles)
    _die_with_parent()
    collect_less()


def collect_less() -> None:
    """For a process that makes and frees many objects whose references never form a
    cycle (a parsing worker, `paperdesk build`): what it holds so far (its modules)
    is left out of every later garbage collection (`gc.freeze`), and collections run
    less often (COLLECT_AFTER). Reference counts free the rest as before; the
    collections were 0.11 G instructions of the real pages' 7.9 G of parsing."""
    gc.freeze()
    gc.set_threshold(COLLECT_AFTER)


@contextlib.contextmanager
def collecting_less() -> Generator[None, None, None]:
    """`collect_less` while the block runs; after it, collections as they were (the
    command may run inside another program: the tests, a script)."""
    threshold = gc.get_threshold()
    collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _die_with_parent() -> None:
    """In a worker: end as soon as the parent process ends, however it ends.

    A worker waits on its task queue, which a killed parent never closes, so it
    would otherwise outlive a killed build."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
