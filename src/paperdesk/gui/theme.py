"""Colours taken from the palette in use, so light and dark desktops both read well.

Nothing in the GUI hard-codes a text or background colour: widgets use palette
roles, and the few colours HTML needs (links, muted labels, search highlights,
chart bars) are chosen here per palette. A dark palette is one whose window
colour is dark.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from paperdesk.gui.render import Theme

# Search-term highlight: a light yellow under dark text, a deep amber under light text.
LIGHT_HIGHLIGHT = ("#ffe066", "#000000")
DARK_HIGHLIGHT = ("#7a5a00", "#ffffff")
# A conflict on the Desk: red at 4.8:1 on white, a lighter red at 6:1 on the dark base.
LIGHT_ALERT, DARK_ALERT = "#dc2626", "#ff6b6b"


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def theme_for(palette: QPalette | None = None) -> Theme:
    palette = palette if palette is not None else QGuiApplication.palette()
    dark = is_dark(palette)
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    link = palette.color(QPalette.ColorRole.Link)
    # Some dark palettes keep Qt's default dark-blue link colour: lift it so it reads.
    if dark and link.lightness() < 140:
        link = QColor("#8ab4f8")
    elif not dark and link.lightness() > 140:
        link = QColor("#1a5fb4")
    muted = _mix(text, base, 0.42)
    bar = QColor("#6f9fd8") if dark else QColor("#4a7ebb")
    heading = _mix(text, link, 0.55)
    bg, fg = DARK_HIGHLIGHT if dark else LIGHT_HIGHLIGHT
    return Theme(dark, text.name(), link.name(), muted.name(), bg, fg, bar.name(),
                 heading.name(), DARK_ALERT if dark else LIGHT_ALERT)


def dark_palette() -> QPalette:
    """A dark palette (for screenshots and tests of dark mode; desktops bring their own)."""
    p = QPalette()
    window, base, alt, text = QColor("#2b2b2e"), QColor("#1e1e21"), QColor("#27272b"), QColor(
        "#e6e6e6")
    disabled = QColor("#7c7c80")
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: alt,
        QPalette.ColorRole.ToolTipBase: QColor("#3a3a3f"), QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9a9aa0"), QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#353539"), QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"), QPalette.ColorRole.Link: QColor(
            "#8ab4f8"), QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
        QPalette.ColorRole.Highlight: QColor("#3d6fb4"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Light: QColor("#4a4a50"), QPalette.ColorRole.Midlight: QColor(
            "#3c3c41"), QPalette.ColorRole.Mid: QColor("#303034"),
        QPalette.ColorRole.Dark: QColor("#18181b"), QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


# Fusion draws the edge of a check box and a radio button in its outline colour, the
# Window colour made darker: under the dark palette an unchecked box vanished (its edge
# #1c1c1f on #2b2b2e, 1.1:1, where WCAG asks 3:1 of a control's boundary). They paint
# no background of their own, so a class palette with a light Window gives their edge
# the contrast and changes nothing else; the application's next palette drops it.
INDICATORS = ("QCheckBox", "QRadioButton")
INDICATOR_WINDOW = QColor("#b4b4bc")  # Fusion's edge from it: #8d8d94 (4.2:1 on #2b2b2e)


def indicator_palette() -> QPalette:
    """The class palette of INDICATORS under the dark palette (see above)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, INDICATOR_WINDOW)
    return palette


# The pane with the keyboard focus has a frame in the highlight colour; the others a
# quiet one (palette roles: it follows light and dark). The sheet is set on the author
# list's and the detail pane's own containers, never on a parent of the paper table: a
# style sheet anywhere above a widget puts every cell it paints through Qt's style-sheet
# style, which tripled the table's paint. The table draws the same frame itself
# (FOCUS_FRAME_WIDTH, papertable.PaperTable).
FOCUS_FRAME = """
#authorList, #detailPane { border: 2px solid palette(midlight); }
#authorList:focus, #detailPane:focus { border: 2px solid palette(highlight); }
"""
FOCUS_FRAME_WIDTH = 2


def focus_frame_colour(palette: QPalette, focused: bool) -> QColor:
    """The frame's colour, as FOCUS_FRAME gives it."""
    return palette.color(QPalette.ColorRole.Highlight if focused else QPalette.ColorRole.Midlight)
