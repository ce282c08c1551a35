"""Look at the app like a user: build the seed store, click around, save a screenshot.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshot.py [out.png] [--dark]

Builds a store from the bundled seeds in a temporary folder (settings and user
notes too, so nothing of the user's is read or written), selects an author and
a paper, stars it, marks it reading and rates it (so the table's own columns and
the pane's notes show), types a search, and saves window.grab() to the PNG path
given (default docs/screenshot.png, or docs/screenshot-dark.png with --dark).
--dark forces the Fusion style with a dark palette, as a dark desktop would give:
every colour must stay readable; --theme light|dark picks View → Theme in the app
instead (on whatever the desktop gives). Offscreen needs fonts: apt-get install
fonts-dejavu-core.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wait(app: object, done: object, timeout: float = 5.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        QApplication.processEvents()
        time.sleep(0.005)
    QApplication.processEvents()


def seeds_app(tmp: Path, dark: bool, pages: Path | None = None) -> tuple[object, Path]:
    """The app on a store of the bundled seeds (or of `pages`) in `tmp`, with every user
    folder there too (nothing of the user's is read or written); Fusion and a dark
    palette if asked."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(tmp / name.lower())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from paperdesk import paths
    from paperdesk.app import application
    from paperdesk.gui.theme import dark_palette
    from paperdesk.store import build_store

    db = tmp / "seeds.db"
    build_store([pages or paths.bundled_seeds()], db)
    app = application()
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    return app, db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=None)
    parser.add_argument("--author", default="Luo Ji", help="profile to select")
    parser.add_argument("--paper", default="Qwen Technical Report", help="paper to select")
    parser.add_argument("--search", default="language", help="text to type in the search box")
    parser.add_argument("--size", default="1400x820")
    parser.add_argument("--pages", type=Path, default=None,
                        help="a folder of pages to build the store from (default: the seeds)")
    parser.add_argument("--dark", action="store_true", help="a dark palette (Fusion style)")
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help="choose View → Theme → Light or Dark in the app")
    parser.add_argument("--no-notes", dest="notes", action="store_false",
                        help="leave the selected paper without notes")
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = ROOT / "docs" / ("screenshot-dark.png" if args.dark else "screenshot.png")
    width, height = (int(v) for v in args.size.split("x"))

    with tempfile.TemporaryDirectory() as tmp:
        app, db = seeds_app(Path(tmp), args.dark, args.pages)
        from paperdesk.app import create_window
        from paperdesk.gui.models import ITEM_ROLE

        window = create_window(db, Path(tmp) / "userdata.db")
        if args.theme:
            window.themes.actions[args.theme].trigger()
        window.resize(width, height)
        window.show()
        _wait(app, lambda: not window.busy)

        model = window.author_model
        for row in range(model.rowCount()):
            item = model.index(row).data(ITEM_ROLE)
            if item is not None and item.kind == "profile" and item.label == args.author:
                window.author_list.setCurrentIndex(model.index(row))
                break
        else:
            print(f"no profile {args.author!r}", file=sys.stderr)
        _wait(app, lambda: not window.busy)

        window.search_box.setFocus()
        window.search_box.setText(args.search)
        _wait(app, lambda: not window.busy)
        for row in range(window.paper_model.rowCount()) if args.paper else []:
            if window.paper_model.index(row, 1).data() == args.paper:
                window.table.setCurrentIndex(window.paper_model.index(row, 1))
                break
        else:
            if args.paper:
                print(f"no paper {args.paper!r} in the result", file=sys.stderr)
        _wait(app, lambda: not window.busy)
        if args.notes and window.current_rid is not None:
            window.annotations.set_starred(True)
            window.annotations.set_read_state("reading")
            window.annotations.set_rating(4)
            window.annotations.set_tags(["llm", "to-cite"])
            window.table.setFocus()
        _wait(app, lambda: not window.busy)

        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(args.out)):
            print(f"could not write {args.out}", file=sys.stderr)
            return 1
        print(f"{args.out}: {window.status_label.text()}")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
