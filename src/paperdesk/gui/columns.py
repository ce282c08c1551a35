"""The paper table's columns: widths from what they hold, and Title taking the rest.

Title stretches to the table's width (no empty band when maximised, no horizontal
scroll bar while the other columns fit); every other column is as wide as its
widest content in the table's font, so Rating's five stars are never clipped.
The user can still resize and move them; Title follows.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView

TITLE = 1
# What each column must show whole (Title stretches): the widest value or the header.
_SAMPLES = ("2026-04-25", "", "Jinze Bai, Shuai Bai", "q-bio.GN", "Code", "98.8", "★",
            "reading", "★★★★★")
_PAD = 18  # the cell's margins and the header's sort arrow


def widths(metrics: QFontMetrics, headers: tuple[str, ...]) -> list[int]:
    """The width each column needs in this font."""
    return [max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(header)) + _PAD
            for sample, header in zip(_SAMPLES, headers, strict=True)]


def set_defaults(header: QHeaderView, metrics: QFontMetrics, headers: tuple[str, ...]) -> None:
    for column, width in enumerate(widths(metrics, headers)):
        if column != TITLE:
            header.resizeSection(column, width)
    stretch_title(header)


def stretch_title(header: QHeaderView) -> None:
    """Title takes the width the others leave (also after a saved state is restored)."""
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(24)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
