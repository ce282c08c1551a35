"""A view's selection read as spans of rows, never row by row.

Ctrl+A selects every row of a list of 2,000,000 people, or of a table of a million
papers; Qt lists those (`selectedRows`) in seconds. The selection itself is a few
ranges, read here as disjoint spans in order.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel
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


def spans_of(rows: list[int]) -> list[range]:
    """Ascending `rows` as disjoint spans of consecutive rows, in order."""
    spans: list[range] = []
    for row in rows:
        if spans and row == spans[-1].stop:
            spans[-1] = range(spans[-1].start, row + 1)
        else:
            spans.append(range(row, row + 1))
    return spans


def select_spans(view: QAbstractItemView, spans: list[range]) -> None:
    """Make `spans` the whole selection of `view`, one QItemSelection selected once: a
    select() per row costs the length of the selection each (30,545 profiles picked
    by Ctrl+A at a million papers: quadratic, the window frozen)."""
    model = view.model()
    picks = QItemSelection()
    for span in spans:
        picks.select(model.index(span.start, 0), model.index(span.stop - 1, 0))
    view.selectionModel().select(picks, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
