"""The `paperdesk` command's entry point; it imports nothing until it runs.

A build or an import parses pages in worker processes (`page_pool`), spawned when the
process runs other threads (the app's Qt), and a spawned process first runs the
program's main script again: the command's script, which imports this module. Were
the entry point `cli` itself, every worker would load the whole command line (the
store, sqlite-utils, the search engine, the desk, the report...) before parsing its
first page; from here, a worker loads only what parsing needs (`page_pool` and the
parser), and the command loads `cli` when it runs.
"""

from __future__ import annotations


def main() -> int:
    """`paperdesk.cli.main`, imported only now."""
    from paperdesk.cli import main as run

    return run()
