"""Render the application icon's PNGs from paperdesk.svg with QSvgRenderer.

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/render_icons.py

Writes paperdesk-48.png, paperdesk-128.png and paperdesk-256.png beside this
file (installed by `make install-desktop` into the hicolor icon theme).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (48, 128, 256)


def render(svg: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        out = HERE / f"paperdesk-{size}.png"
        render(HERE / "paperdesk.svg", size, out)
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
