"""View → Theme: System, Light or Dark, for the whole app at once, kept in the settings.

System leaves the style and palette to the desktop (the app follows it when it
changes: MainWindow.changeEvent). Light and Dark set the Fusion style and a palette of
their own on the application (Fusion, as Qt's native styles on some desktops paint
with their own colours whatever the palette says), so every widget, dialog and the
HTML of the rich-text panes follow: the palette change reaches the window, which
picks the HTML colours for it (theme.theme_for) and renders the panes again. Going
back to System restores the style and palette the desktop gave before the first
choice (`_SYSTEM`). The choice is the settings' `view/theme`, applied when a window
is built.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QStyleFactory

from paperdesk.gui.settings import settings
from paperdesk.gui.theme import INDICATORS, dark_palette, indicator_palette

KEY = "view/theme"
CHOICES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
_SYSTEM: list[tuple[str, QPalette]] = []  # the desktop's style and palette, while not System


def light_palette() -> QPalette:
    """Fusion's own light palette (a light desktop's colours, on any desktop)."""
    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def saved() -> str:
    value = settings().value(KEY, "system")
    return value if isinstance(value, str) and value in CHOICES else "system"


def apply(choice: str) -> None:
    """Style and palette for `choice` on the application (see the module docstring)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if choice == "system":
        if _SYSTEM:
            style, palette = _SYSTEM.pop()
            app.setPalette(palette)
            app.setStyle(style)
        return
    if not _SYSTEM:
        _SYSTEM.append((app.style().name(), app.palette()))
    app.setPalette(dark_palette() if choice == "dark" else light_palette())
    app.setStyle("Fusion")  # after the palette: it polishes every widget again, and the
    # panes with a style sheet (theme.FOCUS_FRAME) take their colours when polished
    if choice == "dark":  # check boxes' edges that show (theme.INDICATORS)
        for name in INDICATORS:  # (the stub says bytes; PySide takes a class name as str)
            QApplication.setPalette(indicator_palette(), name)  # type: ignore[arg-type]


class ThemeChoice(QObject):
    """The View menu (before Go) and its Theme submenu; `actions` by choice."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        bar = window.menuBar()
        self.menu = QMenu("&View", window)
        self.menu.setObjectName("viewMenu")
        go = next((a for a in bar.actions() if a.text() == "&Go"), None)
        if go is not None:
            bar.insertMenu(go, self.menu)
        else:
            bar.addMenu(self.menu)
        themes = self.menu.addMenu("&Theme")
        group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        for choice, text in CHOICES.items():
            action = themes.addAction(text)
            action.setObjectName(f"theme_{choice}")
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, c=choice: self.choose(c))
            self.actions[choice] = action
        current = saved()
        self.actions[current].setChecked(True)
        apply(current)

    def choose(self, choice: str) -> None:
        """Applied at once, and kept for the next start."""
        self.actions[choice].setChecked(True)
        apply(choice)
        s = settings()
        s.setValue(KEY, choice)
        s.sync()
