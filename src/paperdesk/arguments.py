"""The command line's number arguments, checked by argparse before any work: it
names the option and exits 2. A --limit of -3 had listed nothing, or everything, and
`similar` had said no paper shared the topic; a --since of 99999 found no reviewer."""

from __future__ import annotations

import argparse


def _whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None


def year(text: str) -> int:
    """A year: a whole number of four digits at most, as dates have."""
    value = _whole(text, "a year")
    if not 1 <= value <= 9999:
        raise argparse.ArgumentTypeError(f"a year is 1 to 9999, not {text}")
    return value


# More than SQLite's integers hold ended in a traceback (OverflowError) at the query;
# no list is longer than this anyway.
MOST = 1_000_000_000


def count(text: str) -> int:
    """How many to list or ask for: 1 or more, MOST at most."""
    value = _whole(text, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"give 1 or more, not {text}")
    if value > MOST:
        raise argparse.ArgumentTypeError(f"give {MOST} at most, not {text}")
    return value


def years(text: str) -> int:
    """A number of years back: 0 (the year itself) to 9999."""
    value = _whole(text, "a number of years")
    if value < 0:
        raise argparse.ArgumentTypeError(f"give 0 or more years, not {text}")
    if value > 9999:
        raise argparse.ArgumentTypeError(f"give 9999 years at most, not {text}")
    return value
