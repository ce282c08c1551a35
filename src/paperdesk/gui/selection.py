"""A view's selection read as spans of rows, never row by row.

Ctrl+A selects every row of a list of 2,000,000 people, or of a table of a million
papers; Qt lists those (`selectedRows`) in seconds. The selection itself is a few
ranges, read here as disjoint spans in order.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def selected_spans(view: QAbstractItemView) -> list[range]:
    """The rows selected in `view`, as disjoint spans in order."""
    spans: list[range] = []
    ranges = view.selectionModel().selection()
    for part in sorted((ranges.at(i).top(), ranges.at(i).bottom() + 1)
                       for i in range(ranges.size())):
        if spans and part[0] <= spans[-1].stop:
            spans[-1] = range(spans[-1].start, max(spans[-1].stop, part[1]))
        else:
            spans.append(range(*part))
    return spans
