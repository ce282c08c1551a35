"""A desktop citizen: light and dark palettes, the icon, the desktop entry."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paperdesk.app import ICON, application
from paperdesk.gui import render
from paperdesk.gui.theme import dark_palette, theme_for
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    click_author,
    click_row,
    open_window,
    search_for,
)

pytestmark = OFFSCREEN_NOISE
ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"


def _luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.red()) + 0.7152 * channel(color.green())
            + 0.0722 * channel(color.blue()))


def contrast(a: str | QColor, b: str | QColor) -> float:
    la, lb = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def dark_app(qapp: QApplication) -> Iterator[QApplication]:
    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        yield qapp
    finally:
        qapp.setPalette(before)


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_theme_colours_read_on_their_palette(qapp: QApplication, palette: str) -> None:
    pal = dark_palette() if palette == "dark" else QPalette(qapp.style().standardPalette())
    theme = theme_for(pal)
    base = pal.color(QPalette.ColorRole.Base)
    assert theme.dark == (palette == "dark")
    assert contrast(theme.text, base) >= 7
    assert contrast(theme.link, base) >= 4.5
    assert contrast(theme.muted, base) >= 3
    assert contrast(theme.heading, base) >= 3
    assert contrast(theme.highlight_fg, theme.highlight_bg) >= 4.5
    assert contrast(theme.bar, base) >= 2


def test_the_window_follows_a_dark_palette(qtbot: QtBot, seed_db: Path,
                                           dark_app: QApplication) -> None:
    window = open_window(qtbot, seed_db)
    assert window.theme.dark
    search_for(qtbot, window, "bregman")
    click_row(qtbot, window, 0)
    html = window.detail.toHtml()
    # the search highlight is the dark one, with its own light text
    assert theme_for(dark_palette()).highlight_bg in html
    assert render.HIGHLIGHT not in html
    assert window.detail.document().defaultStyleSheet() == window.theme.css
    heading = window.author_model.index(2).data(Qt.ItemDataRole.ForegroundRole)  # Profiles
    assert contrast(heading, dark_palette().color(QPalette.ColorRole.Base)) >= 3


def test_a_palette_change_while_open_is_followed(qtbot: QtBot, seed_db: Path,
                                                 qapp: QApplication) -> None:
    before = qapp.palette()
    window = open_window(qtbot, seed_db)
    light = window.theme
    assert not light.dark
    click_author(qtbot, window, "profile", "Ziru Liu")
    try:
        qapp.setPalette(dark_palette())
        qtbot.waitUntil(lambda: window.theme.dark)
        assert window.detail.document().defaultStyleSheet() == window.theme.css != light.css
        assert window.theme.bar in window.detail.toHtml() or "Papers per year" in (
            window.detail.toPlainText())
    finally:
        qapp.setPalette(before)
    qtbot.waitUntil(lambda: not window.theme.dark)


def _mean_lightness(path: Path) -> float:
    image = QImage(str(path))
    assert not image.isNull()
    total, n = 0, 0
    for y in range(0, image.height(), 17):
        for x in range(0, image.width(), 17):
            total += QColor(image.pixel(x, y)).lightness()
            n += 1
    return total / n


def test_screenshots_light_and_dark(tmp_path: Path) -> None:
    """bench/screenshot.py makes both; the dark one is dark (they were looked at too)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for name, extra in (("light.png", []), ("dark.png", ["--dark"])):
        out = tmp_path / name
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "screenshot.py"), str(out),
                               "--size", "1000x640", *extra], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "papers in Luo Ji" in done.stdout
    assert _mean_lightness(tmp_path / "light.png") > 180
    assert _mean_lightness(tmp_path / "dark.png") < 90


def test_icon_svg_and_pngs() -> None:
    svg = RESOURCES / "paperdesk.svg"
    assert QSvgRenderer(str(svg)).isValid()
    assert ICON.read_bytes() == svg.read_bytes()  # the packaged copy is the same drawing
    for size in (48, 128, 256):
        image = QImage(str(RESOURCES / f"paperdesk-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    assert not application().windowIcon().isNull()
    assert application().desktopFileName() == "paperdesk"


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(RESOURCES / "paperdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "PaperDesk"
    assert desktop["Icon"] == "paperdesk"
    assert desktop["Exec"] == "paperdesk gui"
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_install_desktop_honours_xdg_data_home(tmp_path: Path) -> None:
    data = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path / "home")}
    done = subprocess.run(["make", "-s", "install-desktop"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    installed = data / "applications" / "paperdesk.desktop"
    assert installed.exists()
    exec_line = [line for line in installed.read_text().splitlines()
                 if line.startswith("Exec=")]
    assert exec_line == [f'Exec="{ROOT / ".venv" / "bin" / "paperdesk"}" gui']
    assert (data / "icons/hicolor/scalable/apps/paperdesk.svg").exists()
    for size in (48, 128, 256):
        assert (data / f"icons/hicolor/{size}x{size}/apps/paperdesk.png").exists()
    assert not (tmp_path / "home").exists()  # nothing went to ~/.local/share


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_install_desktop_quotes_a_checkout_path_with_spaces_quotes_and_percent(
        tmp_path: Path) -> None:
    """The Desktop Entry spec: the path in double quotes, `"` as \\" (quote rule, then
    string escape), % as %%."""
    checkout = tmp_path / 'my papers & "notes" 100%'
    checkout.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, checkout / name)
    shutil.copytree(ROOT / "resources", checkout / "resources")
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / ".installed").touch()  # newer than pyproject.toml: no install
    data = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path / "home")}
    done = subprocess.run(["make", "-s", "-C", str(checkout), "install-desktop"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = (data / "applications" / "paperdesk.desktop").read_text().splitlines()
    assert [line for line in lines if line.startswith("Exec=")] == [
        f'Exec="{tmp_path}/my papers & \\\\"notes\\\\" 100%%/.venv/bin/paperdesk" gui']
    assert lines[:4] == (ROOT / "resources" / "paperdesk.desktop").read_text().splitlines()[:4]
