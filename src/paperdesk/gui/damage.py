"""A damaged store met by any read off the GUI thread, said by the window once.

A store whose header and schema read fine can be damaged further in (a few pages of
the file overwritten): opening it finds nothing, and SQLite says "database disk image
is malformed" only to the read that reaches such a page, whichever it is: a search,
the author list's paging or filter, the detail pane, the insights, the desk's dialogs,
an export, an import. Each of those threads turns what it met into
`store.StoreDamaged` (its reads run in `store.reading`, which tells a damaged page
from any other error) and hands it to `said`, from whatever thread. The `StoreHost` of
that file (gui/storehost.py) hears it on the GUI thread (a queued connection) and shows
the store page with its build buttons, as at open; the page closes the store's
threads, and a store no longer open is not said again: once, however many reads met
the damage.

A bus rather than a wire per part: the parts that read do not know the store page
(nor each other), and one call covers a new reading thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from paperdesk.store import StoreDamaged


class Bus(QObject):
    """Where damage is said: `found(path, message)`."""

    found = Signal(object, str)


_bus: list[Bus] = []  # made on first use: by the first StoreHost, on the GUI thread


def bus() -> Bus:
    if not _bus:
        _bus.append(Bus())
    return _bus[0]


def said(exc: BaseException) -> bool:
    """Say `exc` if it is a store found damaged (from any thread): the window showing that
    store offers to build it again. True when it was said."""
    if not isinstance(exc, StoreDamaged):
        return False
    bus().found.emit(exc.path, str(exc))
    return True
