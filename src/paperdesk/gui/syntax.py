"""The Help menu's pages: Search syntax (the query language as a user reads it, with
examples) and About.

The syntax rows are the README's "Search syntax" table (a test keeps the two equal).
"""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import qVersion

from paperdesk.gui import render

# (what you type, what it finds)
ROWS = (
    ("reinforcement recommendation",
     "papers with every word, in the title, authors, affiliations or abstract; the last "
     "word also finds longer words while you type, from its first letter (recomm: "
     "recommender)"),
    ('"large language models"', "the exact phrase"),
    ('-survey, -"cold start", NOT survey', "papers without it (NOT in capitals)"),
    ("ranking OR retrieval", "either (OR in capitals)"),
    ("(ranking OR retrieval) -survey", "brackets group"),
    ('author:lian, author:"j. lian", author:kocak',
     "a listed author, as the author list's filter finds names: each word starts a word "
     "of one name, in order; any case and accents"),
    ('title:agent, abstract:"cold start", affil:tsinghua', "in that part of the paper only"),
    ("cat:IR, cat:cs.IR, cat:retrieval", "the arXiv category, by code or name"),
    ("year:2023, year:2021..2024, year:>=2024", "the year"),
    ("code:yes, code:no", "whether the paper has public code"),
    ('profile:"ziru liu"', "the papers on that researcher's profile page"),
    ("is:starred, is:unread, is:reading, is:read", "your stars and read states"),
    ("rating:4, rating:>=4", "your rating, 1 to 5 stars"),
    ('tag:shortlist, note:"read again"', "your tags, words in your notes"),
    ("is:doubtful",
     "papers whose title/author split the parser was not sure of (it warned at build)"),
)

EXAMPLES = (
    ('"reinforcement learning" -survey year:2023..',
     "the phrase, no surveys, from 2023 on"),
    ("author:lian (recommender OR recommendation) code:yes",
     "Lian's recommender papers with code"),
    ("is:starred is:unread", "starred, not read yet"),
    ("tag:shortlist rating:>=4", "your shortlist rated 4 or 5"),
)

NOTE = ("Case and accents do not matter. A query is never an error: what cannot be read "
        "is left out, and the status bar says what was ignored or read otherwise "
        "(journal:nature: no such field, searched as the words journal nature).")


def html() -> str:
    """The help dialog's page (every text escaped)."""
    def table(rows: tuple[tuple[str, str], ...], head: tuple[str, str]) -> str:
        cells = "".join(f"<tr><td><code>{render.esc(a)}</code></td><td>{render.esc(b)}</td></tr>"
                        for a, b in rows)
        return (f'<table cellspacing="0" cellpadding="4"><tr><th align="left">{head[0]}</th>'
                f'<th align="left">{head[1]}</th></tr>{cells}</table>')

    return (f"{table(ROWS, ('You type', 'It finds'))}<h3>Examples</h3>"
            f"{table(EXAMPLES, ('You type', 'It finds'))}<p>{render.esc(NOTE)}</p>")


def version() -> str:
    try:
        return metadata.version("paperdesk")
    except metadata.PackageNotFoundError:
        return "unknown"


def about_html() -> str:
    return (f"<h2>PaperDesk {render.esc(version())}</h2>"
            "<p>Browse researchers' profile pages like a reference manager: an author "
            "list, a paper table, an abstract pane and a search that answers as you "
            "type.</p>"
            f"<p>Qt {render.esc(qVersion())} · your notes stay in your own file, apart "
            "from the paper store.</p>")
