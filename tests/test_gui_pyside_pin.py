"""PySide6 6.12.0 leaks a reference to None per call of a void method: we pin < 6.12."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot


def test_pyside_is_below_6_12() -> None:
    assert tuple(PySide6.__version_info__[:2]) < (6, 12)


def test_void_calls_do_not_leak_none(qtbot: QtBot) -> None:
    QApplication.processEvents()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        QApplication.processEvents()
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references"
