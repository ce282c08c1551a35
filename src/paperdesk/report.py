"""A candidate report: one printable page per profile, for a hiring committee.

Each page holds the header figures the profile page gives, papers per year (every
year of the span, a year without papers shown as such), the category mix with full
names, the top co-authors, the latest papers the page lists, and what the committee
said: notes and tags on the person, and the papers it starred, rated, tagged, noted
or read.

The figures come from the store (one GROUP BY each, as the app's profile pane);
the committee's words from the user-data file. Everything is built as HTML, every
piece of page text and user text escaped (paperdesk.gui.render); the HTML is the
`--format html` output and, laid out by Qt's QTextDocument, the PDF (QPdfWriter,
A4, one page per candidate: a long page is scaled down to fit, to MIN_SCALE at
most, then runs on to another page; nothing is cut). Qt is imported only when a
report is made, so that the other commands start without it.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import html
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paperdesk import categories, readings
from paperdesk.categories import PLAIN, Reading
from paperdesk.command_options import REPORT_FORMATS as FORMATS
from paperdesk.export import terminal_safe
from paperdesk.gui import render
from paperdesk.store import PaperRow, PersonRow, ProfileRow, Store, StoreError, find_profiles
from paperdesk.userdata import PaperNotes, PersonNotes, UserData, UserDataError
from paperdesk.userdata import default_path as default_userdata_path
from paperdesk.userfiles import UserFileError, written

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QPainter, QPdfWriter, QTextDocument

TOP_COAUTHORS = 10
LATEST = 8  # the newest papers the page lists (a tester found no paper named at all)
MIN_SCALE = 0.6  # a page is scaled down at most this far to fit (13 px text to 8 px);
# a page longer still runs on to more pages: nothing the committee wrote is cut
LABEL_PX = 280  # a category's label wider than this (pixels, in the report's BODY_PX font)
# is cut with "…", the code first so that it stays: on one line level with its bar, as a
# wrapped one fell out of line with it (the chart's column holds the bar and figure too)


@dataclass(frozen=True)
class Candidate:
    """Everything one report page shows."""

    profile: ProfileRow
    per_year: list[tuple[int, int]]  # every year of the span, 0 for a year without papers
    categories: list[tuple[str, int]]  # (full code as read, papers); an unsettled code as shown
    coauthors: list[tuple[PersonRow, int]]
    papers: list[tuple[PaperRow, PaperNotes]]  # those the committee said something about
    notes: PersonNotes | None  # the committee's notes and tags on the person
    reading: Reading = PLAIN  # the profile's reading of ambiguous codes (readings.py)
    latest: tuple[PaperRow, ...] = ()  # the newest papers the page lists, newest first


# ---------------------------------------------------------------- data


def candidate(store: Store, profile: ProfileRow, user: UserData | None) -> Candidate:
    """The report's data for one profile; `user`: the committee's notes (None: none)."""
    from paperdesk.gui.insights import every_year  # Qt loads only when a report is made

    papers: list[tuple[PaperRow, PaperNotes]] = []
    notes = None
    if user is not None:
        said = user.papers(store.candidate_paper_ids(profile.id))
        rows = [(store.paper_by_id(pid), n) for pid, n in said.items()]
        papers = sorted(((p, n) for p, n in rows if p is not None),
                        key=lambda item: item[0].date, reverse=True)
        papers.sort(key=lambda item: (not item[1].starred, -(item[1].rating or 0)))
        if profile.person is not None:
            notes = user.person(profile.person)
    mix = store.categories(profile.id)
    reading = readings.profile_reading(store, profile, readings.user_choices(user), mix)
    return Candidate(profile, every_year(store.papers_per_year(profile.id)),
                     readings.profile_mix(store, profile, reading, user, mix),
                     store.coauthors(profile.id, TOP_COAUTHORS), papers, notes, reading,
                     tuple(store.latest_papers(profile.id, LATEST)))


# ---------------------------------------------------------------- HTML


def _row(label: str, value_html: str) -> str:
    return (f'<tr><td style="color:{render.MUTED}; padding-right:10px">{label}</td>'
            f"<td>{value_html}</td></tr>")


def _paper_count(profile: ProfileRow) -> str:
    if profile.paper_count is None:
        return f"{profile.entries:,} listed (the page gives no count)"
    if profile.paper_count != profile.entries:
        return (f"{profile.paper_count:,} on the page's header, {profile.entries:,} listed: "
                "the page may be cut short")
    return f"{profile.entries:,}"


def header_html(c: Candidate) -> str:
    p = c.profile
    inferred = (" <i>(name inferred from the page's author lists)</i>"
                if p.name_inferred else "")
    span = f"{c.per_year[0][0]} to {c.per_year[-1][0]}" if c.per_year else "—"
    rows = [
        _row("Field", render.esc(c.reading.label(p.field)) if p.field else "—"),
        _row("h-index", render.figure(p.h_index)),
        _row("Citations", render.figure(p.citations)),
        _row("Papers", _paper_count(p)),
        _row("Years", span),
        _row("Novelty", render.figure(p.novelty, "%")),
        _row("AI score", render.figure(p.ai_score)),
        _row("Page", render.esc(p.source)),
    ]
    return (f"<h1>{render.esc(render.profile_name(p))}</h1>{inferred}"
            f'<table cellspacing="1">{"".join(rows)}</table>')


def _stars(rating: int | None) -> str:
    return "—" if rating is None else f"{render.stars(rating)} {rating}/5"


def committee_papers_html(papers: Sequence[tuple[PaperRow, PaperNotes]],
                          reading: Reading = PLAIN) -> str:
    head = "<h2>Papers the committee starred, rated or noted</h2>"
    if not papers:
        return head + "<p><i>None.</i></p>"
    rows = ['<tr><th align="left">Paper</th><th align="left">Star</th>'
            '<th align="left">Rating</th><th align="left">Read</th></tr>']
    for paper, notes in papers:
        said = []
        if notes.tags:
            said.append(f"<b>Tags:</b> {render.esc(', '.join(notes.tags))}")
        if notes.note:
            said.append(f"<b>Note:</b> {render.multiline(notes.note)}")
        extra = f'<br>{"<br>".join(said)}' if said else ""
        rows.append(
            f'<tr><td width="70%">{render.page_text(paper.title)} '
            f'<span style="color:{render.MUTED}">({paper.year}, '
            f"{render.esc(reading.full_code(paper.category, notes.category))})</span>"
            f"{extra}</td>"
            f"<td>{'★' if notes.starred else ''}</td><td>{_stars(notes.rating)}</td>"
            f"<td>{render.esc(notes.read_state)}</td></tr>")
    return head + f'<table cellspacing="0" cellpadding="3" width="100%">{"".join(rows)}</table>'


def latest_html(c: Candidate) -> str:
    head = f"<h2>Latest papers (the newest {LATEST} the page lists)</h2>" if len(
        c.latest) == LATEST else "<h2>Papers the page lists, newest first</h2>"
    if not c.latest:
        return head + "<p><i>None.</i></p>"
    items = "".join(
        f"<li>{render.page_text(p.title)} <span style=\"color:{render.MUTED}\">({p.year}, "
        f"{render.esc(c.reading.full_code(p.category))})</span></li>" for p in c.latest)
    return f"{head}<ul>{items}</ul>"


def coauthors_html(coauthors: Sequence[tuple[PersonRow, int]]) -> str:
    if not coauthors:
        return "<p><i>No co-authors named.</i></p>"
    return "<p>" + ", ".join(f"{render.esc(person.name)}&nbsp;({count})"
                             for person, count in coauthors) + "</p>"


def candidate_html(c: Candidate) -> str:
    """One candidate's page, an HTML fragment."""
    mix = [(_elided(categories.label(code)), n) for code, n in c.categories]
    charts = (
        '<table width="100%" cellspacing="0" style="margin-top: 8px"><tr>'
        f'<td valign="top" width="40%"><h2>Papers per year</h2>'
        f"{render.bar_chart(render.year_rows(c.per_year), width=120)}</td>"
        f'<td valign="top" style="padding-left:24px"><h2>Categories</h2>'
        f"{render.bar_chart(mix, width=80, percent=True)}</td></tr></table>")
    return (header_html(c) + charts
            + f"<h2>Top co-authors (shared papers)</h2>{coauthors_html(c.coauthors)}"
            + latest_html(c)
            + render.person_notes_html(c.notes, _COMMITTEE, _COMMITTEE + _NO_NOTES)
            + committee_papers_html(c.papers, c.reading))


def _elided(label: str) -> str:
    """`label` as wide as LABEL_PX at most in the report's font, cut with "…"."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetricsF

    return QFontMetricsF(_font(BODY_PX)).elidedText(label, Qt.TextElideMode.ElideRight,
                                                    LABEL_PX)


def _font(pixels: int) -> QFont:
    from PySide6.QtGui import QFont

    _qt_app()  # fonts need one
    font = QFont("sans-serif")
    font.setPixelSize(pixels)
    return font


_COMMITTEE = "<h2>The committee on this person</h2>"
_NO_NOTES = "<p><i>No notes or tags.</i></p>"


# Sizes in pixels, the unit the page is laid out in (96 to the inch: 13 px is about 10
# pt). Qt measures points at the screen's logical dpi: on a screen of 144 dpi whose scale
# the user rounds down (QT_SCALE_FACTOR_ROUNDING_POLICY=Floor), the report made from the
# window had text half as large again as the command's, and a page shrunk to fit.
BODY_PX = 13
# Qt sizes a heading from the document's default font, whatever the style sheet says:
# a default font in pixels keeps the headings the same on every screen too (12 px: the
# headings Qt's own 9 pt font gave at 96 dpi).
HEADINGS_FROM_PX = 12
STYLE = (f"body {{ font-family: sans-serif; font-size: {BODY_PX}px; }}"
         " h1 { font-size: 21px; margin-bottom: 2px; }"
         " h2 { font-size: 15px; margin-top: 10px; margin-bottom: 3px; color: #3d5a80; }"
         " th { border-bottom: 1px solid #999999; }")


PAGE_BREAK = ' style="page-break-before: always"'


def report_html(candidates: Sequence[Candidate]) -> str:
    """A whole HTML document: one section per candidate, a page break between them."""
    title = "Candidate report: " + ", ".join(render.profile_name(c.profile)
                                             for c in candidates)
    sections = [f"<div{PAGE_BREAK if i else ''}>{candidate_html(c)}</div>"
                for i, c in enumerate(candidates)]
    # control characters (a terminal acts on them; HTML forbids them) show as U+FFFD
    return terminal_safe('<!DOCTYPE html><html><head><meta charset="utf-8">'
                         f"<title>{html.escape(title, quote=False)}</title>"
                         f"<style>{STYLE}</style></head><body>{''.join(sections)}</body></html>")


# ---------------------------------------------------------------- PDF


def write_pdf(candidates: Sequence[Candidate], path: Path) -> int:
    """The report as an A4 PDF, one page per candidate (a page too long even at
    MIN_SCALE runs on to more); returns the number of pages written. Whole or not at
    all (userfiles.written)."""
    return written(path, lambda tmp: _print(candidates, tmp))


def write_html(candidates: Sequence[Candidate], path: Path) -> None:
    written(path, lambda tmp: tmp.write_text(report_html(candidates), encoding="utf-8"))


def _print(candidates: Sequence[Candidate], path: Path) -> int:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    _qt_app()
    writer = QPdfWriter(str(path))
    writer.setTitle("Candidate report")
    writer.setCreator("PaperDesk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(0, "cannot write a PDF here", str(path))
    pages = 0
    try:
        for i, c in enumerate(candidates):
            if i:
                writer.newPage()
            pages += _draw(painter, writer, c)
    finally:
        painter.end()
    return pages


@functools.cache
def _qt_app() -> object:
    """The running Qt application, or one made for the report (fonts and painting need
    one) and kept for the process, as Qt allows only one: a QApplication, the kind the
    window needs, so that a window opened later in the same process (the tests, a
    script) still can be. The report needs no screen: the one made here runs on Qt's
    offscreen platform, so it works without a display."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    return QCoreApplication.instance() or QApplication(["paperdesk", "-platform", "offscreen"])


FOOTER_PX = 24  # the line under each page: whose report, which page, when


def _draw(painter: QPainter, writer: QPdfWriter, c: Candidate) -> int:
    """Lay out one candidate's page in 96-dpi pixels (what the HTML's sizes mean) and
    draw it scaled to the page, a footer under it; returns how many pages it took."""
    from PySide6.QtCore import QRectF

    dpi_scale = writer.resolution() / 96
    width = writer.width() / dpi_scale
    height = writer.height() / dpi_scale - FOOTER_PX
    doc, scale = laid_out(c, width, height)
    page_width, page_height = width / scale, height / scale
    pages = doc.pageCount()
    for page in range(pages):
        if page:
            writer.newPage()
        painter.save()
        painter.scale(dpi_scale, dpi_scale)
        _footer(painter, c, page, pages, QRectF(0, height, width, FOOTER_PX))
        painter.scale(scale, scale)
        painter.translate(0, -page * page_height)
        _ink(painter, doc, QRectF(0, page * page_height, page_width, page_height))
        painter.restore()
    return pages


def laid_out(c: Candidate, width: float, height: float) -> tuple[QTextDocument, float]:
    """One candidate's page laid out by Qt for a page of `width` x `height` pixels, and the
    scale it is drawn at (below 1 when it had to shrink to fit one page)."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setDefaultFont(_font(HEADINGS_FROM_PX))
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(terminal_safe(f"<html><body>{candidate_html(c)}</body></html>"))
    scale = 1.0
    doc.setPageSize(QSizeF(width, height))  # Qt's own pagination: no line cut in two
    while doc.pageCount() > 1 and scale > MIN_SCALE:
        scale = max(MIN_SCALE, scale * 0.95)
        doc.setPageSize(QSizeF(width / scale, height / scale))
    return doc, scale


def _ink(painter: QPainter, doc: QTextDocument, clip: QRectF) -> None:
    """Draw `doc`'s part in `clip` in black on the white page, whatever the window's
    theme: QTextDocument.drawContents takes its text colour from the application's
    palette, and in the Dark theme the report printed light grey on white."""
    from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPalette

    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
    context.clip = clip
    painter.setClipRect(clip)
    doc.documentLayout().draw(painter, context)


def _footer(painter: QPainter, c: Candidate, page: int, pages: int, rect: QRectF) -> None:
    """Plain text (drawText interprets no markup): the name, the page, the day."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont

    font = QFont("sans-serif")
    font.setPixelSize(10)  # 96-dpi pixels, as the painter is scaled: 7.5 pt
    painter.setFont(font)
    painter.setPen(QColor(render.MUTED))
    name = terminal_safe(render.show_bidi(render.profile_name(c.profile)))
    of = f", page {page + 1} of {pages}" if pages > 1 else ""
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                     f"PaperDesk candidate report: {name}{of}")
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                     f"made {datetime.date.today().isoformat()}")


# ---------------------------------------------------------------- command line


def run(args: argparse.Namespace, db: Path) -> int:
    fmt = args.format or format_of(args.output)
    if fmt == "pdf" and args.output is None:
        raise StoreError("a PDF needs a file to go to: give -o FILE")
    with Store(db) as store:
        profiles = find_profiles(store, args.profiles)
        user = _userdata(args.userdata)
        try:
            candidates = [candidate(store, p, user) for p in profiles]
        finally:
            if user is not None:
                user.close()
    if args.output is None:
        sys.stdout.write(report_html(candidates) + "\n")
        return 0
    of = f"{len(candidates)} candidate{'s' if len(candidates) != 1 else ''}"
    if fmt == "pdf":
        pages = write_pdf(candidates, args.output)
        print(f"{args.output}: {pages} page{'s' if pages != 1 else ''} for {of}",
              file=sys.stderr)
    else:
        write_html(candidates, args.output)
        print(f"{args.output}: the report of {of}", file=sys.stderr)
    return 0


def format_of(output: Path | None, how: str = "name it so, or give --format pdf|html"
              ) -> str:
    """The format -o's extension names (HTML without -o); UserFileError for one that
    names neither, rather than HTML in a file called .docx (the window's Candidate
    report… too: a PDF in a file called .txt). `how`: what to do instead."""
    if output is None:
        return "html"
    fmt = output.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        given = f"not {output.suffix}" if output.suffix else "and it has no extension"
        raise UserFileError(f"{output}: a report is a .pdf or an .html file, {given}; {how}")
    return fmt


def _userdata(path: Path | None) -> UserData | None:
    """The committee's notes; none when the default file does not exist yet (it is not
    created for a report). A file named on the command line must exist."""
    if path is not None and not path.exists():
        raise UserDataError(f"{path}: no such user-data file")
    path = path or default_userdata_path()
    return UserData(path) if path.exists() else None
